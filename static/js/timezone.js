// Suggests the browser's time zone on the welcome page (templates/accounts/profile_form.html).
// Only where the server marked the box with data-detect (a first visit, zone still the default),
// only over "UTC" or an empty box, and only with a zone from the page's list. Without JavaScript
// the box is a plain text field with the same list.
(function () {
  "use strict";
  var input = document.querySelector("input[data-detect]");
  if (!input || !input.list || (input.value !== "" && input.value !== "UTC")) {
    return;
  }
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  var known = Array.prototype.some.call(input.list.options, function (option) {
    return option.value === zone;
  });
  if (!known || zone === input.value) {
    return;
  }
  input.value = zone;
  var note = document.getElementById(input.id + "_detected");
  if (note) {
    note.hidden = false;
  }
})();
