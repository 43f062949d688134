/* The contribution simulator: shows the fields of the chosen segment only. Served as a file (the
   Content Security Policy allows no inline script). */
(function () {
  var form = document.getElementById("simulator");
  var segment = form.elements.segment;
  document.documentElement.classList.add("js");
  function sync() {
    form.querySelectorAll("[data-segments]").forEach(function (part) {
      var shown = part.getAttribute("data-segments").split(" ").indexOf(segment.value) !== -1;
      part.hidden = !shown;
      part.querySelectorAll("input, select").forEach(function (input) { input.disabled = !shown; });
    });
  }
  segment.addEventListener("change", sync);
  sync();
})();
