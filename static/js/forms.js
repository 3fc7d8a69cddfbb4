// After a form error, focus goes to the error summary (templates/_partials/error_summary.html),
// so a screen reader reads what went wrong and a keyboard starts from there; each of its links
// moves focus to its field. Without this file the summary is still shown above the form.
(function () {
  "use strict";

  function focusSummary(root) {
    const summary = root.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusSummary(document);
  });

  // A form sent with htmx and answered with its errors (422): the same, once it is swapped in.
  document.addEventListener("htmx:afterSettle", function (event) {
    const trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (trigger && trigger.type === "submit") focusSummary(event.detail.elt);
  });

  // A link in the summary: focus the field itself (an anchor alone only scrolls to it).
  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    const field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    field.focus();
    field.scrollIntoView({ block: "center" });
  });
})();
