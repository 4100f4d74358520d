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

  // A table wider than the screen scrolls inside its .table-responsive box: make the box
  // reachable by keyboard (arrow keys scroll it) and name it after its caption or heading.
  function scrollableTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      var caption = box.querySelector("caption");
      var heading = caption ? null : box.closest("section, .card, main");
      heading = heading && heading.querySelector("h1, h2, h3, h4, h5, .card-header");
      var name = (caption || heading || {}).textContent;
      if (name && name.trim()) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name.trim());
      }
    });
  }
  scrollableTables();
  window.addEventListener("resize", scrollableTables);
})();
