/* The registration and person pages: the village picker, the new-or-existing person switch, the
   print button. Served as a file (the Content Security Policy allows no inline script). */
(function () {
  "use strict";
  // The texts come in the page's language on the script element (no script is written inline:
  // the Content Security Policy runs only the site's own script files).
  var texts = (document.currentScript && document.currentScript.dataset) || {};
  var noneText = texts.noneText || "";
  var failText = texts.failText || "";
  // The NPP box of the PU registration offers the office's employers when the page lists them.
  var npp = document.getElementById("id_npp");
  if (npp && document.getElementById("office-employers")) {
    npp.setAttribute("list", "office-employers");
  }
  document.querySelectorAll("[data-village-picker]").forEach(function (box, boxIndex) {
    var input = box.querySelector("input");
    var results = box.querySelector("[data-village-results]");
    var chosen = box.querySelector("[data-village-chosen]");
    var url = box.getAttribute("data-search-url");
    var timer = null;
    results.id = "village-results-" + boxIndex;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", results.id);
    function close() {
      results.hidden = true;
      results.textContent = "";
      input.setAttribute("aria-expanded", "false");
    }
    function choose(item) {
      input.value = item.code;
      chosen.textContent = item.path.slice().reverse().join(", ");
      close();
      input.focus();
    }
    function show(items, message) {
      results.textContent = "";
      if (message) {
        var note = document.createElement("li");
        note.className = "village-note";
        note.textContent = message;
        results.appendChild(note);
      }
      items.forEach(function (item) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        var name = document.createElement("strong");
        var where = document.createElement("span");
        button.type = "button";
        name.textContent = item.name;
        where.textContent = item.path.slice(0, -1).reverse().join(", ") + " · " + item.code;
        button.appendChild(name);
        button.appendChild(where);
        button.addEventListener("click", function () { choose(item); });
        li.appendChild(button);
        results.appendChild(li);
      });
      results.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function search() {
      var q = input.value.trim();
      var digits = q.replace(/\D/g, "");
      if (q.length < 3 || (/^[\d.\s]+$/.test(q) && digits.length >= 10)) { close(); return; }
      var address = url + "?level=village&limit=8&q=" + encodeURIComponent(q);
      fetch(address, { headers: { "Accept": "application/json" } })
        .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
        .then(function (data) {
          if (input.value.trim() !== q) { return; }
          if (data.items.length) { show(data.items, ""); } else { show([], noneText); }
        })
        .catch(function () { show([], failText); });
    }
    input.addEventListener("input", function () {
      chosen.textContent = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); }
      if (event.key === "ArrowDown" && !results.hidden) {
        var first = results.querySelector("button");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    results.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(results.querySelectorAll("button"));
      var at = buttons.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < buttons.length - 1) { event.preventDefault(); buttons[at + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? buttons[at - 1] : input).focus(); }
      if (event.key === "Escape") { close(); input.focus(); }
    });
  });
  var modes = document.querySelectorAll("input[name=person_mode]");
  var fields = document.querySelector("[data-new-person]");
  function sync() {
    var existing = document.querySelector("input[name=person_mode]:checked");
    if (fields) { fields.hidden = !!existing && existing.value === "existing"; }
  }
  modes.forEach(function (mode) { mode.addEventListener("change", sync); });
  sync();
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
