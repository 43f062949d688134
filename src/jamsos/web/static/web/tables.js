/* Tables become stacked cards on a phone (jamsos.css); each cell shows its column's name from
   its data-label. A cell the template did not label takes the name of its column's header. */
(function () {
  "use strict";
  function label(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return;
    var names = [];
    for (var i = 0; i < head.cells.length; i++) {
      var cell = head.cells[i];
      var name = (cell.getAttribute("aria-label") || cell.textContent || "").trim();
      for (var span = 0; span < (cell.colSpan || 1); span++) names.push(name);
    }
    for (var b = 0; b < table.tBodies.length; b++) {
      var rows = table.tBodies[b].rows;
      for (var r = 0; r < rows.length; r++) {
        var column = 0;
        for (var c = 0; c < rows[r].cells.length; c++) {
          var td = rows[r].cells[c];
          if (!td.hasAttribute("data-label") && names[column] && (td.colSpan || 1) === 1) {
            td.setAttribute("data-label", names[column]);
          }
          column += td.colSpan || 1;
        }
      }
    }
  }
  function all() {
    var tables = document.querySelectorAll("main table");
    for (var t = 0; t < tables.length; t++) label(tables[t]);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", all);
  } else {
    all();
  }
})();
