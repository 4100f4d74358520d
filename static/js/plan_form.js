// Plan editor on a phone: rows not yet filled in show only their task area and title (the rest
// opens when the row is touched), "删除此项" empties and hides a row (the server ignores blank
// rows, which removes the task), and "add a task" copies the last row with fresh indexes.
(function () {
  "use strict";
  var container = document.getElementById("plan-items");
  if (!container) { return; }
  var FIELDS = "input[name$='-title'], input[name$='-target'], input[name$='-owner'], " +
    "input[name$='-due_date']";

  function isBlank(row) {
    return Array.prototype.every.call(row.querySelectorAll(FIELDS), function (el) {
      return !el.value;
    });
  }

  function prepare(row) {
    row.querySelector(".remove-plan-item").hidden = false;
    row.classList.toggle("plan-row-blank", isBlank(row) && !row.querySelector(".is-invalid"));
  }

  function reveal(event) {
    var row = event.target.closest(".plan-row");
    if (row && event.target.matches("input, select")) { row.classList.remove("plan-row-blank"); }
  }

  container.querySelectorAll(".plan-row").forEach(prepare);
  container.addEventListener("focusin", reveal);
  container.addEventListener("input", reveal);
  container.addEventListener("click", function (event) {
    var button = event.target.closest(".remove-plan-item");
    if (!button) { return; }
    var row = button.closest(".plan-row");
    if (!isBlank(row) && !window.confirm(container.dataset.msgConfirmRemove)) { return; }
    row.querySelectorAll(FIELDS).forEach(function (el) { el.value = ""; });
    row.hidden = true;
  });

  var button = document.getElementById("add-plan-item");
  if (!button) { return; }
  button.addEventListener("click", function () {
    var rows = container.querySelectorAll(".plan-row");
    var last = rows[rows.length - 1];
    var index = rows.length;
    var copy = last.cloneNode(true);
    copy.hidden = false;
    copy.classList.remove("plan-row-blank");
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
