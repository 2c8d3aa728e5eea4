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

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSettle", function (event) { enhance(event.target); });
})();
