// Print pages (templates/print_base.html): the 打印 button opens the browser's print dialog.
// No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
