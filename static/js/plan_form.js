// Plan editor: "add a task" copies the last row with fresh indexes and empty values.
(function () {
  "use strict";
  var button = document.getElementById("add-plan-item");
  if (!button) { return; }
  button.addEventListener("click", function () {
    var container = document.getElementById("plan-items");
    var rows = container.querySelectorAll(".plan-row");
    var last = rows[rows.length - 1];
    var index = rows.length;
    var copy = last.cloneNode(true);
    copy.querySelectorAll("input, select, label").forEach(function (el) {
      ["name", "id", "for"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/item-\d+-/, "item-" + index + "-")); }
      });
      if (el.tagName === "INPUT") { el.value = ""; }
      if (el.tagName === "SELECT") { el.selectedIndex = 0; }
      el.classList.remove("is-invalid");
    });
    copy.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
    var legend = copy.querySelector("legend");
    if (legend) { legend.textContent = legend.textContent.replace(/\d+/, String(index + 1)); }
    container.appendChild(copy);
    copy.querySelector("input[name$='-title']").focus();
  });
})();
