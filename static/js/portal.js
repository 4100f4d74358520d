// Small behaviours shared by every page. No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  // A double tap on a phone must not send a form twice (the server also dedupes by token).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "true";
    // Disable after the browser has collected the form data, so the clicked button's name is sent.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
    // Re-enable if the user comes back with the browser's back button.
    window.addEventListener("pageshow", function () {
      form.dataset.submitted = "false";
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = false;
      });
    });
  });
})();
