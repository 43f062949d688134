/* A partner's enrolments by month as a Plotly bar chart, over the server-rendered bars (which
   stay readable without this script). The figures are in the page as JSON (json_script). Served
   as a file (the Content Security Policy allows no inline script). */
window.addEventListener("load", function () {
  "use strict";
  document.querySelectorAll(".partners-chart[data-chart-data]").forEach(function (node) {
    var source = document.getElementById(node.getAttribute("data-chart-data"));
    if (!source || !window.Plotly) return;
    var data = JSON.parse(source.textContent);
    if (!data.x.length) return;
    node.hidden = false;
    window.Plotly.newPlot(node, [{ type: "bar", x: data.x, y: data.y, marker: { color: "#2f8f5f" } }],
      { margin: { l: 40, r: 10, t: 10, b: 40 }, height: 240, xaxis: { type: "category" } },
      { displaylogo: false, responsive: true, staticPlot: false });
  });
});
