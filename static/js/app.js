/* Small progressive enhancements. No inline scripts (the CSP forbids them). */
(function () {
  "use strict";

  // Transition editor: show only the fields that belong to the chosen kind.
  function syncKindForm(form) {
    var select = form.querySelector("[data-kind-select]");
    if (!select) { return; }
    form.querySelectorAll("[data-show-for]").forEach(function (block) {
      var kinds = block.getAttribute("data-show-for").split(" ");
      block.hidden = kinds.indexOf(select.value) === -1;
    });
  }

  function enhance(root) {
    root.querySelectorAll("[data-kind-form]").forEach(function (form) {
      syncKindForm(form);
      var select = form.querySelector("[data-kind-select]");
      if (select && !select.dataset.bound) {
        select.dataset.bound = "1";
        select.addEventListener("change", function () { syncKindForm(form); });
      }
    });
    var focus = root.querySelector ? root.querySelector("[autofocus]") : null;
    if (focus && root !== document) { focus.focus(); }
  }

  // Werksessie, participant's phone: keep what is typed in the browser until it is sent.
  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && (el.tagName === "TEXTAREA" || el.type === "text");
    });
  }

  function setupDrafts(root) {
    root.querySelectorAll("form[data-draft]").forEach(function (form) {
      var key = "dla-draft:" + form.getAttribute("data-draft");
      try {
        if (form.hasAttribute("data-draft-saved")) {
          window.localStorage.removeItem(key);
        } else {
          var saved = JSON.parse(window.localStorage.getItem(key) || "null");
          var empty = draftFields(form).every(function (el) { return !el.value; });
          if (saved && empty) {
            var restored = false;
            draftFields(form).forEach(function (el) {
              if (saved[el.name]) { el.value = saved[el.name]; restored = true; }
            });
            var note = form.querySelector("[data-draft-note]");
            if (restored && note) { note.hidden = false; }
          }
        }
      } catch (e) { /* private mode: no drafts, the server still keeps what is sent */ }
      if (form.dataset.draftBound) { return; }
      form.dataset.draftBound = "1";
      form.addEventListener("input", function () {
        var values = {};
        draftFields(form).forEach(function (el) { values[el.name] = el.value; });
        try { window.localStorage.setItem(key, JSON.stringify(values)); } catch (e) { /* ignore */ }
      });
    });
  }

  // Werksessie, facilitator screen: visible single-key shortcuts ([data-shortcut]).
  function typing(target) {
    return target && (target.isContentEditable ||
      ["INPUT", "TEXTAREA", "SELECT"].indexOf(target.tagName) !== -1);
  }

  function shortcutFor(key) {
    var wanted = key.length === 1 ? key.toLowerCase() : key;
    var all = document.querySelectorAll("[data-shortcut]");
    for (var i = 0; i < all.length; i++) {
      var keys = all[i].getAttribute("data-shortcut").split(" ");
      if (keys.indexOf(wanted) !== -1 && all[i].offsetParent !== null) { return all[i]; }
    }
    return null;
  }

  // Shortcuts of one character (1-7, 0, J, K, N) can be switched off (WCAG 2.1.4); the
  // choice is kept in the browser.
  var SINGLE_KEYS = "dla-single-key-shortcuts";

  function singleKeys() {
    var box = document.querySelector("[data-single-keys]");
    return !box || box.checked;
  }

  function setupSingleKeys() {
    var box = document.querySelector("[data-single-keys]");
    if (!box || box.dataset.bound) { return; }
    box.dataset.bound = "1";
    try { box.checked = window.localStorage.getItem(SINGLE_KEYS) !== "off"; } catch (e) { /* private mode */ }
    box.addEventListener("change", function () {
      try { window.localStorage.setItem(SINGLE_KEYS, box.checked ? "on" : "off"); } catch (e) { /* ignore */ }
    });
  }

  function openOnly(details) {
    document.querySelectorAll("details.decide-form[open]").forEach(function (other) {
      if (other !== details) { other.open = false; }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (!document.querySelector("[data-shortcuts]")) { return; }
    if (event.key === "Escape") {
      document.querySelectorAll("details.decide-form[open]").forEach(function (d) { d.open = false; });
      document.querySelectorAll(".incoming-editor").forEach(function (f) { f.remove(); });
      if (typing(event.target)) { event.target.blur(); }
      return;
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && typing(event.target)) {
      var form = event.target.form;
      if (form) { event.preventDefault(); form.requestSubmit(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (event.key.length === 1 && !singleKeys()) { return; }
    var target = shortcutFor(event.key);
    if (!target) { return; }
    event.preventDefault();
    if (target.tagName === "SUMMARY") {
      var details = target.parentElement;
      details.open = !details.open;
      if (details.open) {
        openOnly(details);
        var first = details.querySelector("textarea, select, input:not([type=hidden])");
        if (first) { first.focus(); }
      }
      return;
    }
    if (target.getAttribute("data-shortcut") === "n") { target.focus(); return; }
    target.click();
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest ? event.target.closest("[data-close-editor]") : null;
    if (close) { close.closest(".incoming-editor").remove(); }
  });

  document.addEventListener("toggle", function (event) {
    if (event.target.matches && event.target.matches("details.decide-form") && event.target.open) {
      openOnly(event.target);
    }
  }, true);

  // The live panel refreshes every second; never while the facilitator is editing in it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.hasAttribute || !target.hasAttribute("data-live")) { return; }
    if (event.detail.requestConfig && event.detail.requestConfig.verb !== "get") { return; }
    var active = document.activeElement;
    // (.htmx-request: an editor is being loaded into the panel right now.)
    var editing = target.querySelector(".incoming-editor, .htmx-request") ||
      (active && target.contains(active) && typing(active));
    if (editing) { event.detail.shouldSwap = false; }
  });

  // Keyboard and screen-reader users keep their place when htmx replaces the part of the
  // page that has the focus (a decision saved, a vote, the live panel): without this the
  // focus falls back to <body> and the next Tab starts at the top of the page. Before the
  // swap we note the focused control and its nearest element with an id (e.g. the row
  // li#t-12); after it, unless something else took the focus (autofocus), we focus the same
  // control again, or else the first control of that row, or else the row itself.
  var FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, " +
    "[tabindex]:not([tabindex='-1'])";
  var lostFocus = null;

  function focusables(root) {
    return Array.prototype.filter.call(root.querySelectorAll(FOCUSABLE), function (el) {
      return !el.disabled && el.offsetParent !== null;
    });
  }

  function signature(el) {
    return [el.tagName, el.type || "", el.name || "", el.value || "",
      (el.getAttribute("aria-label") || el.textContent || "").trim()].join("|");
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var active = document.activeElement;
    lostFocus = null;
    // (Listeners above may have cancelled the swap: a poll while the facilitator edits.)
    if (!event.detail.shouldSwap) { return; }
    if (!target || !active || active === document.body || !target.contains(active)) { return; }
    var anchor = active.parentElement ? active.parentElement.closest("[id]") : null;
    if (anchor && !target.contains(anchor) && anchor !== target) { anchor = target; }
    anchor = anchor || target;
    lostFocus = {
      anchorId: anchor.id,
      targetId: target.id,
      signature: signature(active)
    };
  });

  document.addEventListener("htmx:afterSettle", function () {
    var lost = lostFocus;
    lostFocus = null;
    var active = document.activeElement;
    if (!lost || (active && active !== document.body && active.isConnected)) { return; }
    var anchor = (lost.anchorId && document.getElementById(lost.anchorId)) ||
      (lost.targetId && document.getElementById(lost.targetId));
    if (!anchor) { return; }
    var candidates = focusables(anchor);
    var next = candidates.filter(function (el) { return signature(el) === lost.signature; })[0] ||
      candidates[0];
    if (!next) {
      next = anchor;
      if (!next.hasAttribute("tabindex")) { next.setAttribute("tabindex", "-1"); }
    }
    next.focus();
  });

  // Status lines in content that htmx swaps in ("2 van 3 vragen gekozen", "Uw vraag is
  // ontvangen", "12 vragen (gefilterd)") are new elements, and screen readers do not read
  // out a live region that arrives already filled. The live region #announcer (base.html)
  // stays in the page and reads them out instead.
  var announceTimer = null;

  function announce(root) {
    var announcer = document.getElementById("announcer");
    if (!announcer || !root.querySelectorAll) { return; }
    var text = Array.prototype.filter.call(root.querySelectorAll("[role=status]"), function (el) {
      return el.offsetParent !== null;
    }).map(function (el) { return el.textContent.replace(/\s+/g, " ").trim(); })
      .filter(Boolean).join(" ");
    if (!text) { return; }
    // Empty first, so that the same line said twice (two decisions in a row) is read twice.
    announcer.textContent = "";
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () { announcer.textContent = text; }, 100);
  }

  document.addEventListener("htmx:afterSettle", function (event) { announce(event.target); });

  // A table that is wider than the screen scrolls inside its .table-scroll box. Such a box
  // must be reachable by keyboard (to scroll it with the arrow keys) and named for screen
  // readers; a box that does not scroll stays out of the tab order.
  function boxName(box) {
    // The table's caption, else the heading of its section, else the page's heading.
    var caption = box.querySelector("caption");
    var section = box.closest("section[aria-labelledby]");
    var heading = caption ||
      (section && document.getElementById(section.getAttribute("aria-labelledby"))) ||
      document.querySelector("main h1");
    var name = heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
    return caption ? name : "Tabel" + (name ? ": " + name : "");
  }

  function scrollBoxes() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", boxName(box) + " (schuift opzij)");
        box.dataset.scrollBox = "1";
      } else if (!scrolls && box.dataset.scrollBox) {
        ["tabindex", "role", "aria-label", "data-scroll-box"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }

  // Printing: closed details (linked questions, tables) are opened for the paper and
  // closed again afterwards.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      openedForPrint.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });

  document.addEventListener("DOMContentLoaded", scrollBoxes);
  document.addEventListener("htmx:afterSettle", scrollBoxes);
  window.addEventListener("resize", scrollBoxes);

  // Werksessie, phones: when the connection drops, say so and send again what was typed or
  // chosen (forms with [data-retry]) as soon as it is back. The typed text stays in the form
  // (and in localStorage, see the drafts above) until the server answered.
  var retryTimer = null;

  function offlineBanner(show) {
    document.querySelectorAll("[data-offline-banner]").forEach(function (el) { el.hidden = !show; });
  }

  function pendingForms() {
    return Array.prototype.filter.call(document.querySelectorAll("form[data-retry]"), function (f) {
      return f.dataset.pending === "1";
    });
  }

  function retryPending() {
    window.clearTimeout(retryTimer);
    retryTimer = null;
    var forms = pendingForms();
    if (!forms.length) { return; }
    forms.forEach(function (form) {
      var submitter = form.lastSubmitter;
      if (submitter && (!submitter.isConnected || submitter.form !== form)) { submitter = null; }
      form.requestSubmit(submitter || undefined);
    });
  }

  function scheduleRetry() {
    if (!retryTimer) { retryTimer = window.setTimeout(retryPending, 3000); }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-retry]")) { form.lastSubmitter = event.submitter || null; }
  }, true);

  document.addEventListener("htmx:sendError", function (event) {
    var elt = event.detail.elt;
    offlineBanner(true);
    var form = elt && elt.closest ? elt.closest("form[data-retry]") : null;
    if (form) {
      form.dataset.pending = "1";
      scheduleRetry();
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.xhr || !event.detail.xhr.status) { return; }  // no answer: still offline
    var elt = event.detail.elt;
    var form = elt && elt.closest ? elt.closest("form[data-retry]") : null;
    if (form) { delete form.dataset.pending; }
    if (!pendingForms().length) { offlineBanner(false); } else { retryPending(); }
  });

  window.addEventListener("online", retryPending);

  // Werksessie, audience view: the timer counts down between two polls; the vote bar gets
  // its width here (the CSP allows no style attributes).
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      if (!el.dataset.started) { el.dataset.started = String(Date.now()); }
      var left = parseInt(el.getAttribute("data-countdown"), 10) -
        Math.floor((Date.now() - parseInt(el.dataset.started, 10)) / 1000);
      if (left <= 0) {
        el.textContent = "Tijd is om";
        el.parentElement.classList.add("aud-timer-done");
        return;
      }
      var seconds = left % 60;
      el.textContent = Math.floor(left / 60) + ":" + (seconds < 10 ? "0" : "") + seconds;
    });
    document.querySelectorAll("[data-share]").forEach(function (el) {
      el.style.width = el.getAttribute("data-share") + "%";
    });
  }

  window.setInterval(tick, 1000);
  document.addEventListener("htmx:afterSettle", tick);

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    enhance(document);
    setupDrafts(document);
    setupSingleKeys();
  });
  document.addEventListener("htmx:afterSettle", function (event) { setupDrafts(event.target.ownerDocument || document); });
  document.addEventListener("htmx:afterSettle", function (event) { enhance(event.target); });

  // Begrippenlijst: Escape hides the definition of the focused term (WCAG 1.4.13).
  document.addEventListener("keydown", function (event) {
    var term = event.target.closest ? event.target.closest(".term") : null;
    if (term && event.key === "Escape") { term.classList.add("term-dismissed"); }
  });
  document.addEventListener("focusout", function (event) {
    var term = event.target.closest ? event.target.closest(".term") : null;
    if (term) { term.classList.remove("term-dismissed"); }
  });
})();
