// Half-monthly report form: save the draft as the cadre types, keep a copy in the browser when
// the network drops, and show the "behind plan" fields only when an item is behind its pace.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var statusBox = document.getElementById("autosave-status");
  var versionInput = form.querySelector("input[name=version]");
  var storageKey = form.dataset.storageKey;
  var timer = null;
  var inFlight = false;
  var dirty = false;
  var blocked = false;

  function say(text, tone) {
    statusBox.textContent = text;
    statusBox.className = "small mb-2 " + (tone || "text-muted");
  }

  function entries() {
    var data = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "action") { data.push([name, value]); }
    });
    return data;
  }

  function keepLocally() {
    try {
      localStorage.setItem(storageKey, JSON.stringify({
        baseVersion: versionInput.value, savedAt: Date.now(), data: entries()
      }));
    } catch (e) { /* storage full or disabled: the server copy is all we have */ }
  }

  function forgetLocal() {
    try { localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  }

  function save() {
    timer = null;
    if (inFlight || blocked) { dirty = true; return; }
    keepLocally();
    inFlight = true;
    dirty = false;
    say(form.dataset.msgSaving);
    var body = new FormData(form);
    body.delete("action");
    fetch(form.dataset.autosaveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (payload) { return [response.status, payload]; });
    }).then(function (result) {
      var status = result[0], payload = result[1];
      if (status === 200) {
        versionInput.value = payload.version;
        forgetLocal();
        say(form.dataset.msgSaved + " " + payload.saved_at, "text-success");
      } else if (status === 409) {
        blocked = true;  // someone else saved: do not overwrite, keep the local copy
        say(form.dataset.msgConflict + (payload.error || ""), "text-danger");
      } else if (payload.errors) {
        var messages = [];
        Object.keys(payload.errors).forEach(function (k) { messages = messages.concat(payload.errors[k]); });
        say(messages.join(" "), "text-danger");
      }
    }).catch(function () {
      dirty = true;
      say(form.dataset.msgOffline, "text-warning");
    }).finally(function () {
      inFlight = false;
      if (dirty && !blocked && navigator.onLine !== false) { schedule(5000); }
    });
  }

  function schedule(delay) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, delay);
  }

  function updateBehind() {
    var anyBehind = false;
    form.querySelectorAll(".plan-item").forEach(function (card) {
      var expected = parseInt(card.dataset.expected, 10) || 0;
      var progress = parseInt(card.querySelector(".item-progress").value, 10) || 0;
      var status = card.querySelector(".item-status").value;
      var behind = status !== "done" && progress < 100 && progress < expected;
      card.querySelector(".behind-flag").classList.toggle("d-none", !behind);
      anyBehind = anyBehind || behind;
    });
    var section = document.getElementById("behind-section");
    var hasErrors = section.querySelector(".is-invalid") !== null;
    section.classList.toggle("d-none", !anyBehind && !hasErrors);
  }

  function addProblemLine(value) {
    var lines = document.getElementById("problem-lines");
    var template = lines.querySelector("input[name=problem]");
    var input = template.cloneNode(false);
    input.value = value || "";
    lines.appendChild(input);
    return input;
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (e) { saved = null; }
    if (!saved || saved.baseVersion !== versionInput.value) { return; }
    var problems = [];
    saved.data.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      if (name === "problem") { problems.push(value); return; }
      if (name === "version") { return; }
      var field = form.elements.namedItem(name);
      if (field && "value" in field) { field.value = value; }
    });
    var lines = document.getElementById("problem-lines");
    var inputs = lines.querySelectorAll("input[name=problem]");
    problems.forEach(function (text, index) {
      (inputs[index] || addProblemLine()).value = text;
    });
    say(form.dataset.msgRestored, "text-warning");
    schedule(500);
  }

  form.addEventListener("input", function () { updateBehind(); schedule(1500); });
  form.addEventListener("change", function () { updateBehind(); schedule(800); });
  form.addEventListener("submit", function () {
    if (timer) { clearTimeout(timer); }
    keepLocally();  // kept until the server confirms; the next page load clears a stale copy
  });
  window.addEventListener("online", function () { if (dirty) { schedule(200); } });
  document.getElementById("add-problem").addEventListener("click", function () {
    addProblemLine("").focus();
  });

  restore();
  updateBehind();
})();
