// Simulasi manfaat: show the fields and cases of the chosen program.
(function () {
  var form = document.getElementById("simulator");
  var program = form.elements.program;
  var kase = form.elements["case"];
  document.documentElement.classList.add("js");
  function sync() {
    form.querySelectorAll("[data-programs]").forEach(function (part) {
      var shown = part.getAttribute("data-programs").split(" ").indexOf(program.value) !== -1;
      part.hidden = !shown;
      part.querySelectorAll("input, select").forEach(function (input) { input.disabled = !shown; });
    });
    var firstShown = null;
    kase.querySelectorAll("optgroup").forEach(function (group) {
      var shown = group.getAttribute("data-program") === program.value;
      group.hidden = !shown;
      group.disabled = !shown;
      if (shown && !firstShown) { firstShown = group.querySelector("option"); }
    });
    var selected = kase.options[kase.selectedIndex];
    if (!selected || selected.parentNode.getAttribute("data-program") !== program.value) {
      if (firstShown) { firstShown.selected = true; }
    }
  }
  program.addEventListener("change", sync);
  sync();
})();
