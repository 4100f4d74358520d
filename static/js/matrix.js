// The submission matrix: open its scroller at the newest periods (the right end), where the
// office looks first; the person column and the 缺报 column are sticky, so nothing is lost.
(function () {
  "use strict";
  document.querySelectorAll("[data-scroll-end]").forEach(function (box) {
    box.scrollLeft = box.scrollWidth;
  });
})();
