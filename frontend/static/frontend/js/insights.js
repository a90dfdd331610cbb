/*
 * The planners' dashboard: charts (Chart.js), a map of the pre-aggregated
 * cells — clusters or heat, for the whole period or one month of the slider
 * — the cases one by one at street level — and a choropleth of cases per
 * district. Everything it shows comes from the page (figures) or
 * /api/v1/insights/ (the map); nothing from a CDN. The map's layer, month
 * and view are kept in the address (map_layer, map_month, map=zoom/lat/lon),
 * so that a shared link shows the same map.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }
  var charts = data("insights-charts");
  var months = data("insights-months");
  var filters = data("insights-map-query");
  var caseLabels = data("insights-case-labels");
  var texts = data("insights-texts");
  // From this zoom the map shows the cases one by one (clusters layer).
  var casesZoom = parseInt(script.dataset.casesZoom, 10);
  var accent = "#0b5cad";
  // Numbers and months in the page's language ("22 676", "december 2026").
  var language = document.documentElement.lang || "sv";
  var number = new Intl.NumberFormat(language);
  var monthName = new Intl.DateTimeFormat(language, { month: "long", year: "numeric", timeZone: "UTC" });

  function count(n) { return number.format(n); }

  function monthText(month) {  // "2026-12" → "december 2026"
    var parts = month.split("-");
    return monthName.format(new Date(Date.UTC(+parts[0], +parts[1] - 1, 1)));
  }

  // Bar labels longer than this are cut, with the whole name in the tooltip.
  var LABEL_LENGTH = 24;
  function shortened(label) {
    return label.length > LABEL_LENGTH ? label.slice(0, LABEL_LENGTH - 1) + "\u2026" : label;
  }

  // Every bar labelled: the canvas grows with the number of bars rather
  // than Chart.js leaving out every other label when they crowd.
  var BAR = 26, AXIS = 40;

  function chart(id, kind, figures, sideways) {
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) { return; }
    var labels = { autoSkip: false };
    if (sideways) {
      labels.callback = function (value) { return shortened(this.getLabelForValue(value)); };
      canvas.parentNode.style.height = Math.max(figures.labels.length * BAR + AXIS, 160) + "px";
    }
    var counts = { precision: 0 };
    new window.Chart(canvas, {
      type: kind,
      data: { labels: figures.labels, datasets: [{ data: figures.cases, backgroundColor: accent, borderColor: accent }] },
      options: {
        animation: false,
        locale: language,
        maintainAspectRatio: false,
        indexAxis: sideways ? "y" : "x",
        plugins: { legend: { display: false } },
        scales: sideways ? { y: { ticks: labels }, x: { ticks: counts } }
                         : { x: { ticks: kind === "line" ? {} : labels }, y: { ticks: counts } }
      }
    });
  }
  chart("chart-month", "line", charts.month, false);
  chart("chart-category", "bar", charts.category, true);
  chart("chart-channel", "bar", charts.channel, false);
  chart("chart-unit", "bar", charts.unit, true);

  // The map of cells.
  var controls = document.getElementById("map-controls");
  var slider = document.getElementById("month-slider");
  var whole = document.getElementById("whole-period");
  var shown = document.getElementById("month-shown");
  var status = document.getElementById("map-status");
  var map = null, layer = null, request = 0;

  function period() {
    if (whole.checked) { return { first_month: months[0], last_month: months[months.length - 1] }; }
    var month = months[parseInt(slider.value, 10)];
    return { first_month: month, last_month: month };
  }

  function query() {
    var bounds = map.getBounds();
    var params = new URLSearchParams(filters);
    params.set("bbox", [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (n) { return n.toFixed(5); }).join(","));
    params.set("zoom", String(Math.round(map.getZoom())));
    var when = period();
    params.set("first_month", when.first_month);
    params.set("last_month", when.last_month);
    return params.toString();
  }

  function clusterIcon(n) {
    var size = n < 100 ? 32 : n < 10000 ? 42 : 52;
    return L.divIcon({ className: "cluster", iconSize: [size, size], html: "<span>" + count(n) + "</span>" });
  }

  function caseLabel(properties) {
    return [
      caseLabels.category[properties.category] || properties.category,
      caseLabels.status[properties.status] || properties.status,
      properties.month,
      caseLabels.channel[properties.channel] || properties.channel
    ].join(" · ");
  }

  // A cluster is a button, as on the public map: Tab reaches it, Enter
  // zooms in on it, and the keyboard's place goes on to the first cluster
  // of the new view.
  var keyboardZoom = false;
  function cluster(feature, latlng) {
    var n = feature.properties.count;
    var name = n === 1 ? texts.cluster_one : texts.cluster.replace("%(n)s", count(n));
    function zoomIn() { map.setView(latlng, map.getZoom() + 2); }
    return L.marker(latlng, {
      icon: clusterIcon(n),
      keyboard: true,
      autoPanOnFocus: false,  // panning would draw the clusters anew, the focused one gone
      title: name
    }).on("click", zoomIn).on("keypress", function (e) {
      if (e.originalEvent.key === "Enter") { keyboardZoom = true; zoomIn(); }
    }).on("add", function (e) {
      e.target.getElement().setAttribute("aria-label", name);  // its name, not just the figure shown
    });
  }

  // A case at street level says what it is when focused, as on hover.
  function oneCase(feature, latlng) {
    var label = caseLabel(feature.properties);
    var marker = L.circleMarker(latlng, { radius: 7, color: "#ffffff", weight: 2, fillColor: accent, fillOpacity: 0.9 })
      .bindTooltip(label);
    marker.on("add", function () {
      marker.getElement().setAttribute("role", "img");
      marker.getElement().setAttribute("aria-label", label);
    });
    return marker;
  }

  function draw(kind, body) {
    if (layer) { map.removeLayer(layer); }
    if (kind === "cases") {
      layer = L.geoJSON(body, { pointToLayer: oneCase });
    } else if (kind === "heatmap") {
      layer = L.heatLayer(body.points, { radius: 40, blur: 30, max: Math.max(body.max, 1), maxZoom: map.getZoom() });
    } else {
      layer = L.geoJSON(body, { pointToLayer: cluster });
    }
    layer.addTo(map);
    if (keyboardZoom) {
      keyboardZoom = false;
      var next = map.getContainer().querySelector(".cluster");
      (next || map.getContainer()).focus({ preventScroll: true });
    }
    // The summary above counts the chosen districts; the map cannot: say so
    // beside its count, which would otherwise contradict the summary's.
    status.textContent = count(body.total) + (body.truncated ? "+" : "") + " " + texts.in_view +
      ("allDistricts" in script.dataset ? ", " + texts.all_districts : "");
  }

  // The map's state in the address, and in the filter form (so that "Show"
  // keeps it) and the language switch (so that it survives a change of language).
  function remember() {
    var state = {
      map_layer: controls.querySelector("input[name=layer]:checked").value,
      map_month: whole.checked ? "" : months[parseInt(slider.value, 10)],
      map: [map.getZoom(), map.getCenter().lat.toFixed(5), map.getCenter().lng.toFixed(5)].join("/")
    };
    if (state.map_layer === "clusters") { state.map_layer = ""; }
    var params = new URLSearchParams(window.location.search);
    var form = document.getElementById("insights-filters");
    Object.keys(state).forEach(function (key) {
      var kept = form.querySelector("input[type=hidden][name='" + key + "']");
      if (state[key]) {
        params.set(key, state[key]);
        if (!kept) {
          kept = form.appendChild(document.createElement("input"));
          kept.type = "hidden";
          kept.name = key;
        }
        kept.value = state[key];
      } else {
        params.delete(key);
        if (kept) { kept.remove(); }
      }
    });
    // "map=12/59.33/18.06" reads better than its %2F-encoded form, and a "/" may stand in a query.
    var address = window.location.pathname + "?" + params.toString().replace(/%2F/g, "/");
    window.history.replaceState(null, "", address);
    var next = document.querySelector(".language-switch input[name=next]");
    if (next) { next.value = address; }
  }

  function recall() {
    var params = new URLSearchParams(window.location.search);
    var kind = controls.querySelector("input[name=layer][value='" + params.get("map_layer") + "']");
    if (kind) { kind.checked = true; }
    var month = months.indexOf(params.get("map_month"));
    if (month >= 0) { whole.checked = false; slider.value = String(month); }
    var view = (params.get("map") || "").split("/").map(Number);
    if (view.length === 3 && view.every(isFinite)) { map.setView([view[1], view[2]], view[0]); }
  }

  function refresh() {
    if (!map) { return; }
    slider.disabled = whole.checked;
    var month = months[parseInt(slider.value, 10)];
    slider.setAttribute("aria-valuetext", monthText(month));
    shown.textContent = whole.checked ? "" : monthText(month);
    remember();
    var kind = controls.querySelector("input[name=layer]:checked").value;
    if (kind === "clusters" && map.getZoom() >= casesZoom) { kind = "cases"; }
    var mine = ++request;
    fetch(script.dataset[kind] + "?" + query(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (mine !== request) { return; }
          if (response.ok) { draw(kind, body); return; }
          // Refused (a session that ended: 401/403) or failed: say so, and
          // leave the last map drawn rather than a blank one.
          status.textContent = (body.error && body.error.message) || texts.failed;
        });
      })
      .catch(function () { if (mine === request) { status.textContent = texts.failed; } });
  }

  // Cases per district, shaded in up to five classes of about as many
  // districts each (quantiles): counts are skewed — a few central districts
  // have many times the cases of the rest — and equal steps would leave all
  // but those few in the palest shade.
  function classes(values) {
    var sorted = values.filter(function (v) { return v > 0; }).sort(function (a, b) { return a - b; });
    var uppers = [];
    for (var step = 1; step <= 5; step++) {
      var upper = sorted[Math.ceil((step / 5) * sorted.length) - 1];
      if (upper !== undefined && uppers.indexOf(upper) === -1) { uppers.push(upper); }
    }
    return uppers;  // each class runs from the one before's upper bound + 1
  }

  // Even the palest class stands out from "no cases" (white) by 3.4:1
  // (WCAG 1.4.11); the shades are drawn opaque so that nothing pales them.
  var PALETTE = ["#4d90cc", "#2f77b8", "#1560a3", "#0b4a85", "#063262"];
  var NONE = "#ffffff";

  function choropleth(districtMap) {
    var counts = charts.districts;
    var uppers = classes(Object.keys(counts).map(function (code) { return counts[code]; }));
    var shades = PALETTE.slice(PALETTE.length - uppers.length);
    function shade(n) {
      if (!n) { return NONE; }
      for (var i = 0; i < uppers.length; i++) { if (n <= uppers[i]) { return shades[i]; } }
      return shades[shades.length - 1];
    }
    function legend() {
      var list = document.getElementById("district-legend");
      var entries = [[NONE, texts.no_cases]];
      uppers.forEach(function (upper, i) {
        var lower = i ? uppers[i - 1] + 1 : 1;
        entries.push([shades[i], lower === upper ? count(upper) : count(lower) + "\u2013" + count(upper)]);
      });
      list.textContent = "";
      entries.forEach(function (entry) {
        var item = document.createElement("li");
        var swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = entry[0];
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(entry[1]));
        list.appendChild(item);
      });
    }
    fetch("/api/v1/districts/", { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (collection) {
        if (!collection.features || !collection.features.length) { return; }  // no districts: no map
        var layer = L.geoJSON(collection, {
          style: function (feature) {
            var n = counts[feature.properties.code] || 0;
            return { color: "#4a4a4a", weight: 1, fillColor: shade(n), fillOpacity: 1 };
          },
          onEachFeature: function (feature, item) {
            item.bindTooltip(feature.properties.name + ": " + count(counts[feature.properties.code] || 0));
          }
        }).addTo(districtMap);
        // A shape's tooltip makes it focusable; 117 nameless Tab stops help
        // no one, and the table below the legend has the same figures.
        layer.eachLayer(function (item) { item.getElement().setAttribute("tabindex", "-1"); });
        districtMap.options.zoomSnap = 0.25;  // the whole city, as large as the map allows
        districtMap.fitBounds(layer.getBounds(), { padding: [8, 8] });
        legend();
      });
  }

  window.addEventListener("map:init", function (event) {
    var created = event.detail.map;
    var id = created.getContainer().id;
    if (id === "insights-map") {
      map = created;
      recall();
      map.on("moveend", refresh);
      controls.addEventListener("change", refresh);
      slider.addEventListener("input", refresh);
      refresh();
    } else if (id === "district-map") {
      choropleth(created);
    }
  });
})();
