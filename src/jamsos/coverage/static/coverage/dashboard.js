/* Coverage dashboard: the map, the bar chart and the series, drawn over the server-rendered
   tiles and tables (which stay readable without this script). Plotly is served by the
   application itself (/cakupan/plotly/<bundle>.js); nothing is fetched from elsewhere. */
(function () {
  "use strict";

  var FONT = { family: "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif", size: 12 };
  var CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  /* One colour scale everywhere: the bands of the tiles and of the legend (views.RATE_BANDS,
     percent floors; colours of coverage.css .band-0 ... .band-5). The map and the bars use the
     same steps, from 0 % to 100 %, so a colour means the same rate on the map, the bars, the
     tiles and the legend. */
  var BANDS = [0, 10, 20, 30, 40, 60];
  var BAND_COLOURS = ["#fde0dc", "#fdeccb", "#fbf6c6", "#dcefc9", "#a7d8b4", "#5fb386"];
  var NO_RATE = "#eceff0";

  function bandColour(rate) {
    if (rate === null || rate === undefined) return NO_RATE;
    var colour = BAND_COLOURS[0];
    for (var i = 0; i < BANDS.length; i++) if (rate >= BANDS[i]) colour = BAND_COLOURS[i];
    return colour;
  }

  /* A stepped Plotly colour scale over z in [0, 100] (percent): flat inside each band. */
  function stepScale() {
    var scale = [];
    for (var i = 0; i < BANDS.length; i++) {
      var upper = i + 1 < BANDS.length ? BANDS[i + 1] : 100;
      scale.push([BANDS[i] / 100, BAND_COLOURS[i]]);
      scale.push([upper / 100, BAND_COLOURS[i]]);
    }
    return scale;
  }

  var COLOURBAR = {
    title: { text: "%" }, thickness: 12, len: 0.6,
    tickmode: "array", tickvals: BANDS.concat([100]),
    ticktext: BANDS.concat([100]).map(function (v) { return v + "%"; })
  };

  /* The longitude and latitude range of a FeatureCollection, padded: the map's frame. */
  function extent(geojson) {
    var box = [180, 90, -180, -90];
    function walk(c) {
      if (typeof c[0] === "number") {
        if (c[0] < box[0]) box[0] = c[0];
        if (c[1] < box[1]) box[1] = c[1];
        if (c[0] > box[2]) box[2] = c[0];
        if (c[1] > box[3]) box[3] = c[1];
        return;
      }
      for (var i = 0; i < c.length; i++) walk(c[i]);
    }
    geojson.features.forEach(function (f) { if (f.geometry) walk(f.geometry.coordinates); });
    var padX = (box[2] - box[0]) * 0.03 + 0.01, padY = (box[3] - box[1]) * 0.03 + 0.01;
    return { lon: [box[0] - padX, box[2] + padX], lat: [box[1] - padY, box[3] + padY] };
  }

  /* Plotly (d3-geo) reads an outer ring drawn counter-clockwise as "the whole globe but this
     shape", while GeoJSON (RFC 7946) prefers counter-clockwise outer rings: turn every outer
     ring clockwise and every hole counter-clockwise, whichever way the import wrote them. */
  function signedArea(ring) {
    var sum = 0;
    for (var i = 0; i < ring.length - 1; i++) {
      sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
    }
    return sum / 2;
  }

  function rewind(geojson) {
    geojson.features.forEach(function (f) {
      var g = f.geometry;
      if (!g) return;
      var polygons = g.type === "Polygon" ? [g.coordinates] : (g.type === "MultiPolygon" ? g.coordinates : []);
      polygons.forEach(function (rings) {
        rings.forEach(function (ring, index) {
          var clockwise = signedArea(ring) < 0;
          if ((index === 0) !== clockwise) ring.reverse();
        });
      });
    });
    return geojson;
  }

  /* The page loads a partial Plotly bundle (the map page: choropleth and lines; the others:
     bars and lines); a chart whose trace is not in it is left to the tiles and tables. */
  function can(trace) {
    var config = document.getElementById("coverage-config");
    var traces = config ? config.getAttribute("data-traces") : null;
    return !traces || traces.split(",").indexOf(trace) >= 0;
  }

  function show(node) {
    node.hidden = false;
    return node;
  }

  function drawBars(data) {
    var node = document.getElementById("coverage-bars");
    if (!node || !data || !data.names.length || !can("bar")) return;
    var rows = data.names.length;
    show(node).style.height = Math.max(260, Math.min(rows, 60) * 18 + 80) + "px";
    window.Plotly.newPlot(node, [{
      type: "bar", orientation: "h", y: data.names, x: data.rates,
      text: data.texts, textposition: "auto", hoverinfo: "y+text",
      marker: { color: data.rates.map(bandColour), line: { color: "#8aa39a", width: 0.5 } }
    }], {
      margin: { l: 160, r: 20, t: 10, b: 40 }, font: FONT, separators: ",.",
      xaxis: { title: { text: data.title }, rangemode: "tozero" },
      yaxis: { automargin: true }
    }, CONFIG);
  }

  function drawMap(url, bars) {
    var node = document.getElementById("coverage-map");
    if (!node || !url) { drawBars(bars); return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var rows = data.rows.filter(function (r) { return r.has_boundary; });
        if (!data.has_boundaries || !rows.length) { drawBars(bars); return; }
        var urls = {};
        data.rows.forEach(function (r) { urls[r.code] = r.url; });
        var l = data.labels;
        show(node);
        var box = extent(data.geojson);
        window.Plotly.newPlot(node, [{
          type: "choropleth",
          geojson: rewind(data.geojson),
          featureidkey: "id",
          locations: rows.map(function (r) { return r.code; }),
          z: rows.map(function (r) { return r.rate === null ? 0 : Math.min(r.rate, 100); }),
          zmin: 0, zmax: 100,
          colorscale: stepScale(),
          marker: { line: { color: "#ffffff", width: 0.6 } },
          colorbar: COLOURBAR,
          customdata: rows.map(function (r) {
            return "<b>" + r.name + "</b><br>" + l.rate + ": " + r.rate_text +
              (r.estimated ? " (" + l.estimated + ")" : "") +
              "<br>" + l.active + ": " + r.active_text +
              "<br>" + l.potential + ": " + r.potential_text +
              "<br>" + l.unprotected + ": " + r.unprotected_text;
          }),
          hovertemplate: "%{customdata}<extra></extra>"
        }], {
          geo: {
            visible: false, projection: { type: "mercator" },
            lonaxis: { range: box.lon }, lataxis: { range: box.lat }
          },
          margin: { l: 0, r: 0, t: 0, b: 0 }, font: FONT
        }, CONFIG).then(function () {
          var tiles = document.getElementById("coverage-tiles");
          if (tiles && rows.length === data.rows.length) tiles.classList.add("tiles-under-map");
        });
        node.on("plotly_click", function (event) {
          var point = event && event.points && event.points[0];
          var target = point && urls[point.location];
          if (target) window.location.href = target;
        });
      })
      .catch(function () { drawBars(bars); });
  }

  function drawSeries(data) {
    var node = document.getElementById("coverage-series");
    if (!node || !data || !data.periods.length) return;
    var traces = [
      { type: "scatter", mode: "lines+markers", name: data.names.registered, x: data.periods, y: data.registered, line: { color: "#8aa39a" } },
      { type: "scatter", mode: "lines+markers", name: data.names.active, x: data.periods, y: data.active, line: { color: "#13805f", width: 3 } }
    ];
    /* The axis follows the participants, not the target: a target far above them (tens of
       millions against thousands) would flatten the series. The target's path is drawn as far
       as it fits and its value is written on the chart. */
    var top = 0;
    data.registered.concat(data.active).forEach(function (v) { if (v > top) top = v; });
    var yaxis = { rangemode: "tozero", tickformat: ",d", separatethousands: true };
    var annotations = [];
    if (data.target) {
      traces.push({ type: "scatter", mode: "lines+markers", name: data.names.target + ": " + data.target.label, x: data.target.x, y: data.target.y, line: { color: "#b42318", dash: "dash" }, hovertemplate: data.names.target + ": %{y:,d}<extra></extra>" });
      var targetTop = Math.max.apply(null, data.target.y);
      if (top > 0 && targetTop > top * 1.5) {
        yaxis.range = [0, top * 1.2];
        annotations.push({ xref: "paper", yref: "paper", x: 1, y: 1, xanchor: "right", yanchor: "top", showarrow: false, font: { color: "#b42318" }, text: data.names.target + ": " + data.target.label + " ↑" });
      }
    }
    show(node);
    window.Plotly.newPlot(node, traces, {
      margin: { l: 70, r: 20, t: 10, b: 40 }, font: FONT, hovermode: "x unified", separators: ",.",
      legend: { orientation: "h", y: -0.2 }, annotations: annotations,
      xaxis: { type: "category" }, yaxis: yaxis
    }, CONFIG);
  }

  function drawEcosystems(data) {
    var node = document.getElementById("ecosystem-chart");
    if (!node || !data || !data.names.length) return;
    show(node);
    window.Plotly.newPlot(node, [
      { type: "bar", orientation: "h", name: data.labels.registered, y: data.names, x: data.registered, marker: { color: "#a7d8b4" } },
      { type: "bar", orientation: "h", name: data.labels.active, y: data.names, x: data.active, marker: { color: "#13805f" } }
    ], {
      barmode: "group", margin: { l: 200, r: 20, t: 10, b: 40 }, font: FONT,
      legend: { orientation: "h", y: -0.15 }, yaxis: { automargin: true }
    }, CONFIG);
  }

  function start() {
    if (!window.Plotly) return; // the tables and tiles are the page without charts
    var lang = document.documentElement.lang || "id";
    if (lang.indexOf("id") === 0) {
      window.Plotly.setPlotConfig({ locale: "id" });
      window.Plotly.register && window.Plotly.register({
        moduleType: "locale", name: "id", dictionary: {},
        format: { decimal: ",", thousands: "." }
      });
    }
    var config = document.getElementById("coverage-config");
    if (config && config.getAttribute("data-base-map")) {
      window.Plotly.setPlotConfig({ topojsonURL: config.getAttribute("data-base-map") });
    }
    drawMap(config ? config.getAttribute("data-map-url") : "", readJson("coverage-bar-data"));
    drawSeries(readJson("coverage-series-data"));
    drawEcosystems(readJson("ecosystem-chart-data"));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
