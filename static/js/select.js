// Searchable dropdowns (vendor/tom-select). No inline scripts: the CSP forbids them.
//
// A <select multiple> becomes a box of removable chips (no Ctrl-click), and a <select> with more
// than SEARCH_FROM options gets a search box. Without JavaScript the plain <select> stays, and
// the form posts the same values either way: Tom Select keeps the original <select> in step.
// The Chinese texts come from this script tag's data-* attributes, filled in by base.html with
// {% translate %}, so the message catalogue holds them like every other string.
(function () {
  "use strict";
  var SEARCH_FROM = 16;
  var script = document.currentScript;
  var texts = (script && script.dataset) || {};

  function wanted(select) {
    if (select.tomselect || select.dataset.plainSelect !== undefined) return false;
    return (
      select.multiple || select.options.length >= SEARCH_FROM || !!select.dataset.remoteUrl
    );
  }

  function enhance(select) {
    var multiple = select.multiple;
    // Tom Select points the field's label at its own search box; the original select, kept
    // for the form, keeps the label's text as its accessible name.
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    if (label && !select.hasAttribute("aria-label")) {
      select.setAttribute("aria-label", label.textContent.trim());
    }
    var settings = {
      maxOptions: null, // every option, not the first 50
      hidePlaceholder: !multiple, // a chosen unit is enough; the chips keep their hint
      closeAfterSelect: !multiple,
      plugins: multiple ? { remove_button: { title: texts.remove || "×" } } : [],
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = texts.noResults || "";
          return div;
        },
      },
      onInitialize: function () {
        // Field labels point at the original select; let them focus the search box instead.
        this.wrapper.dataset.enhancedSelect = select.id || "";
      },
    };
    if (multiple) settings.placeholder = texts.placeholderMultiple || "";
    var remote = select.dataset.remoteUrl;
    if (remote) {
      // A long choice (core.widgets.ScopedSelect): the page holds only the chosen option; the
      // rest is searched through the same scoped API list as the user types.
      settings.valueField = "id";
      settings.labelField = "name";
      settings.searchField = ["name"];
      // Opened without typing, it offers the first page (a county's few regions all at once);
      // typing narrows it.
      settings.preload = "focus";
      settings.shouldLoad = function () { return true; };
      settings.load = function (query, callback) {
        fetch(remote + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { callback(data.results || data); })
          .catch(function () { callback(); });
      };
    }
    new window.TomSelect(select, settings); // eslint-disable-line no-new
  }

  function enhanceAll(root) {
    if (!window.TomSelect) return;
    (root || document).querySelectorAll("select").forEach(function (select) {
      if (wanted(select)) enhance(select);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceAll(document);
  });
  // Forms loaded by htmx (ticket action forms, panels) get the same treatment.
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.target);
  });
})();
