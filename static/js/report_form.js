// Half-monthly report form: save the draft as the cadre types, keep a copy in the browser when
// the network drops, and show the "behind plan" fields only when an item is behind its pace.
//
// The browser copy (localStorage, one key per report) is written on every keystroke and records
// the server version it was typed on. It is dropped once the server has everything; on the next
// page load it is put back into the form only if the server is still at that version (nothing
// was saved since): a copy typed on an older version cannot be merged and is discarded.
(function () {
  "use strict";

  // On a submitted report's page: the browser copy kept "until the server confirms" is done with.
  var done = document.getElementById("report-draft-done");
  if (done) {
    try { localStorage.removeItem(done.dataset.storageKey); } catch (e) { /* ignore */ }
  }

  // The lateness warning (its text follows the rule the server applies) appears when the due
  // moment passes while the form is open. The server says in how many seconds: no clock skew.
  document.querySelectorAll("[data-show-in]").forEach(function (element) {
    var wait = (parseInt(element.dataset.showIn, 10) || 0) * 1000;
    if (wait <= 0) { element.hidden = false; return; }
    if (wait < 2147483647) { setTimeout(function () { element.hidden = false; }, wait); }
  });

  var form = document.getElementById("report-form");
  if (!form) { return; }
  var statusBox = document.getElementById("autosave-status");
  var versionInput = form.querySelector("input[name=version]");
  var storageKey = form.dataset.storageKey;
  var timer = null;
  var inFlight = false;
  var dirty = false;      // changed since the last save the server confirmed
  var blocked = false;    // the server refused (someone else saved): stop autosaving
  var pendingSubmit = null;

  function say(text, tone) {
    statusBox.textContent = text;
    statusBox.className = "autosave-status small " + (tone || "text-body-secondary");
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

  function offline() {
    dirty = true;
    say(form.dataset.msgOffline, "text-warning-emphasis");
  }

  function finishPendingSubmit() {
    if (!pendingSubmit) { return false; }
    var submitter = pendingSubmit;
    pendingSubmit = null;
    form.requestSubmit(submitter);
    return true;
  }

  function save() {
    timer = null;
    if (inFlight || blocked) { return; }
    if (navigator.onLine === false) { offline(); return; }  // the "online" event retries
    inFlight = true;
    dirty = false;
    var retry = 1500;  // after a save, save again soon if the cadre typed meanwhile
    say(form.dataset.msgSaving);
    var body = new FormData(form);
    body.delete("action");
    fetch(form.dataset.autosaveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("application/json") !== 0) {
        // A login page (session expired), a CSRF refusal or a server error: not a network drop.
        return [0, {}];
      }
      return response.json().then(function (payload) { return [response.status, payload]; });
    }).then(function (result) {
      var status = result[0], payload = result[1];
      if (status === 200) {
        versionInput.value = payload.version;
        if (dirty) {
          keepLocally();  // typed while saving: keep the newer text against the new version
        } else {
          forgetLocal();
        }
        say(form.dataset.msgSaved + " " + payload.saved_at, "text-success");
      } else if (status === 409) {
        blocked = true;  // someone else saved: do not overwrite; the text stays on the page
        say(payload.error || form.dataset.msgConflict, "text-danger");
      } else if (status === 400 && payload.errors) {
        var messages = [];
        Object.keys(payload.errors).forEach(function (k) { messages = messages.concat(payload.errors[k]); });
        say(messages.join(" "), "text-danger");
      } else {
        dirty = true;
        retry = 0;  // retrying will not help; the browser copy is put back after a reload
        say(form.dataset.msgFailed, "text-danger");
      }
    }).catch(function () {
      retry = 5000;
      offline();
    }).finally(function () {
      inFlight = false;
      if (finishPendingSubmit()) { return; }
      if (dirty && retry && !blocked && navigator.onLine !== false) { schedule(retry); }
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
    input.removeAttribute("id");
    input.value = value || "";
    lines.appendChild(input);
    return input;
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch (e) { saved = null; }
    if (!saved || !Array.isArray(saved.data)) { return; }
    if (String(saved.baseVersion) !== versionInput.value) {
      forgetLocal();  // the server has a newer version: this copy is already there or outdated
      return;
    }
    var changed = false;
    var problems = [];
    saved.data.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      if (name === "problem") { problems.push(value); return; }
      if (name === "version") { return; }
      var field = form.elements.namedItem(name);
      if (field && "value" in field && field.value !== value) {
        field.value = value;
        changed = true;
      }
    });
    var inputs = document.getElementById("problem-lines").querySelectorAll("input[name=problem]");
    problems.forEach(function (text, index) {
      var input = inputs[index] || addProblemLine();
      if (input.value !== text) { input.value = text; changed = changed || text !== ""; }
    });
    for (var i = problems.length; i < inputs.length; i += 1) {
      if (inputs[i].value !== "") { inputs[i].value = ""; changed = true; }
    }
    if (!changed) { forgetLocal(); return; }
    dirty = true;
    say(form.dataset.msgRestored, "text-warning-emphasis");
    schedule(500);
  }

  // Progress typed on an item still marked "not started": it has started.
  function startItem(target) {
    if (!target.classList.contains("item-progress")) { return; }
    var status = target.closest(".plan-item").querySelector(".item-status");
    if ((parseInt(target.value, 10) || 0) > 0 && status.value === "not_started") {
      status.value = "in_progress";
    }
  }

  form.addEventListener("input", function (event) {
    startItem(event.target);
    dirty = true;
    keepLocally();
    updateBehind();
    schedule(1500);
  });
  form.addEventListener("change", function () {
    dirty = true;
    keepLocally();
    updateBehind();
    schedule(800);
  });
  form.addEventListener("submit", function (event) {
    if (timer) { clearTimeout(timer); timer = null; }
    keepLocally();  // kept until the server confirms; the submitted report's page drops it
    if (navigator.onLine === false || inFlight) {
      // Offline: the request would end on the browser's error page. Saving: the form carries
      // the version from before that save and would be refused as stale; submit after it.
      event.preventDefault();
      event.stopPropagation();  // keep portal.js from marking the form as sent
      if (inFlight) {
        pendingSubmit = event.submitter || form.querySelector("button[type=submit]");
      } else {
        say(form.dataset.msgOfflineSubmit, "text-warning-emphasis");
      }
    }
  });
  window.addEventListener("online", function () { if (dirty && !blocked) { schedule(200); } });
  window.addEventListener("offline", function () { if (dirty) { offline(); } });
  document.getElementById("add-problem").addEventListener("click", function () {
    addProblemLine("").focus();
  });

  restore();
  updateBehind();
})();
