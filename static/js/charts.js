/* Draw the plotly charts of a page: each [data-chart] element gets the figure in the
   JSON script element "<id>-data" next to it. Redrawn after every htmx swap, so a chart
   whose data changed (filters, a new observation) refreshes without a page reload. */
(function () {
  "use strict";

  // plotly.js adds a <style> element per chart for its toolbar colours, which the CSP blocks
  // (and reports as an error). It skips that when an element with that id has the class
  // "no-inline-styles"; the colours are in /js/plotly-<version>.css instead.
  var byId = document.getElementById.bind(document);
  var noInlineStyles = document.createElement("link");
  noInlineStyles.className = "no-inline-styles";
  document.getElementById = function (id) {
    var found = byId(id);
    if (!found && typeof id === "string" && id.indexOf("plotly.js-style-modebar-") === 0) {
      return noInlineStyles;
    }
    return found;
  };

  var months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december"];

  function registerDutch() {
    window.Plotly.register({
      moduleType: "locale",
      name: "nl",
      dictionary: {
        "Autoscale": "Automatisch schalen",
        "Box Select": "Rechthoek selecteren",
        "Click to enter Colorscale title": "Klik voor de titel van de kleurschaal",
        "Compare data on hover": "Vergelijk gegevens bij aanwijzen",
        "Double-click on legend to isolate one trace": "Dubbelklik op de legenda om één reeks te tonen",
        "Double-click to zoom back out": "Dubbelklik om uit te zoomen",
        "Download plot": "Download de grafiek",
        "Download plot as a png": "Download de grafiek als afbeelding (png)",
        "Download plot as a PNG": "Download de grafiek als afbeelding (png)",
        "Lasso Select": "Lasso",
        "Pan": "Verschuiven",
        "Produced with Plotly.js": "Gemaakt met Plotly.js",
        "Reset": "Herstellen",
        "Reset axes": "Assen herstellen",
        "Show closest data on hover": "Toon de dichtstbijzijnde gegevens",
        "Snapshot succeeded": "Afbeelding gemaakt",
        "Taking snapshot - this may take a few seconds": "Afbeelding maken, een moment…",
        "Toggle Spike Lines": "Hulplijnen aan of uit",
        "Zoom": "Inzoomen met een rechthoek",
        "Zoom in": "Inzoomen",
        "Zoom out": "Uitzoomen"
      },
      format: {
        days: ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
        shortDays: ["zo", "ma", "di", "wo", "do", "vr", "za"],
        months: months,
        shortMonths: ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
        date: "%d-%m-%Y",
        decimal: ",",
        thousands: "."
      }
    });
  }

  // Screen readers get the chart's description (aria-label of the figure) and the table
  // with the same numbers, not the loose SVG texts of the drawing. The toolbar stays.
  function hideDrawing(element) {
    element.querySelectorAll("svg.main-svg").forEach(function (svg) {
      svg.setAttribute("aria-hidden", "true");
    });
  }

  // Phones (480 px or less) get the figure's "phone" layout: short labels, legend below,
  // fewer ticks; keys with a dot ("yaxis.ticktext") set one property of a nested object.
  var PHONE = 480;

  function isPhone() { return window.innerWidth <= PHONE; }

  function copy(value) { return JSON.parse(JSON.stringify(value)); }

  function phoneLayout(layout, phone) {
    var result = copy(layout);
    Object.keys(phone || {}).forEach(function (key) {
      var path = key.split(".");
      var target = result;
      for (var i = 0; i < path.length - 1; i++) {
        if (typeof target[path[i]] !== "object" || target[path[i]] === null) { target[path[i]] = {}; }
        target = target[path[i]];
      }
      target[path[path.length - 1]] = phone[key];
    });
    // Titles stay clear of the toolbar (which phones do not show) and never run off.
    if (result.title) { result.title.font = { size: 14 }; }
    if (result.legend) { result.legend.font = { size: 11 }; }
    return result;
  }

  // Every chart has the height its data needs (rows x pixels, set in the figure). The
  // element gets that height too, so plotly's resizing (responsive) keeps it instead of
  // falling back to the element's minimum height.
  function render(element, figure) {
    var phone = isPhone();
    var layout = phone ? phoneLayout(figure.layout, figure.phone) : copy(figure.layout);
    layout.autosize = true;
    if (layout.height) { element.style.height = layout.height + "px"; }
    element.dataset.layout = phone ? "phone" : "wide";
    return window.Plotly.react(element, figure.data, layout, {
      responsive: true,
      displaylogo: false,
      displayModeBar: phone ? false : "hover",
      locale: "nl",
      // "sendChartToCloud" would upload the data to Plotly's cloud: never.
      modeBarButtonsToRemove: ["select2d", "lasso2d", "sendChartToCloud"],
      toImageButtonOptions: {
        format: "png",
        filename: element.getAttribute("data-filename") || "grafiek",
        scale: 2
      }
    }).then(hideDrawing);
  }

  // Hover texts travel once each (dla/charts/persistence.py): a point's "hoverparts" name a
  // template and the texts that fill it, by index into figure.hover.
  function expandHover(figure) {
    var table = figure.hover;
    if (!table) { return figure; }
    figure.data.forEach(function (trace) {
      if (!trace.hoverparts) { return; }
      trace.hovertext = trace.hoverparts.map(function (parts) {
        return table.templates[parts[0]].replace(/\{(\d)\}/g, function (_match, digit) {
          return table.texts[parts[1 + Number(digit)]];
        });
      });
      delete trace.hoverparts;
    });
    return figure;
  }

  function figureOf(element) {
    var source = document.getElementById(element.getAttribute("data-chart") + "-data");
    return source ? expandHover(JSON.parse(source.textContent)) : null;
  }

  function draw(root) {
    if (!window.Plotly || !root.querySelectorAll) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      var figure = figureOf(element);
      if (!figure) { return; }
      render(element, figure);
      if (!element.dataset.clickBound) {
        element.dataset.clickBound = "1";
        // A cell with a URL in its customdata (the heat map) opens on click.
        element.on("plotly_click", function (event) {
          var point = event.points && event.points[0];
          if (point && typeof point.customdata === "string") {
            window.location.assign(point.customdata);
          }
        });
      }
    });
  }

  // After a resize (a snapped window, a rotated tablet): a chart that crosses the phone
  // width is drawn again with the other layout; every other chart is resized to its width
  // and keeps its height.
  var resizing = null;
  function resized() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      if (!element.dataset.layout) { return; }
      var wanted = isPhone() ? "phone" : "wide";
      if (element.dataset.layout !== wanted) {
        var figure = figureOf(element);
        if (figure) { render(element, figure); }
      } else {
        window.Plotly.Plots.resize(element);
      }
    });
  }
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(resized, 150);
  });
  // Printing: charts take the width of the paper.
  window.addEventListener("beforeprint", resized);
  window.addEventListener("afterprint", resized);

  document.addEventListener("DOMContentLoaded", function () {
    if (window.Plotly) { registerDutch(); }
    draw(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
