/*
 * The planners' dashboard: charts (Chart.js), a map of the pre-aggregated
 * cells — clusters or heat, for the whole period or one month of the slider
 * — the cases one by one at street level — and a choropleth of cases per
 * district. Everything it shows comes from the page (figures) or
 * /api/v1/insights/ (the map); nothing from a CDN.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var charts = JSON.parse(document.getElementById("insights-charts").textContent);
  var months = JSON.parse(document.getElementById("insights-months").textContent);
  var filters = JSON.parse(document.getElementById("insights-map-query").textContent);
  var inView = script.dataset.texts;
  // From this zoom the map shows the cases one by one (clusters layer).
  var casesZoom = parseInt(script.dataset.casesZoom, 10);
  var caseLabels = JSON.parse(document.getElementById("insights-case-labels").textContent);
  var accent = "#0b5cad";

  function chart(id, kind, data, options) {
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) { return; }
    new window.Chart(canvas, {
      type: kind,
      data: { labels: data.labels, datasets: [{ data: data.cases, backgroundColor: accent, borderColor: accent }] },
      options: Object.assign({ animation: false, plugins: { legend: { display: false } } }, options || {})
    });
  }
  chart("chart-month", "line", charts.month);
  chart("chart-category", "bar", charts.category, { indexAxis: "y" });
  chart("chart-channel", "bar", charts.channel);
  chart("chart-unit", "bar", charts.unit, { indexAxis: "y" });

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

  function clusterIcon(count) {
    var size = count < 100 ? 32 : count < 10000 ? 42 : 52;
    return L.divIcon({ className: "cluster", iconSize: [size, size], html: "<span>" + count + "</span>" });
  }

  function caseLabel(properties) {
    return [
      caseLabels.category[properties.category] || properties.category,
      caseLabels.status[properties.status] || properties.status,
      properties.month,
      caseLabels.channel[properties.channel] || properties.channel
    ].join(" · ");
  }

  function draw(kind, body) {
    if (layer) { map.removeLayer(layer); }
    if (kind === "cases") {
      layer = L.geoJSON(body, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: "#ffffff", weight: 2, fillColor: accent, fillOpacity: 0.9 })
            .bindTooltip(caseLabel(feature.properties));
        }
      });
    } else if (kind === "heatmap") {
      layer = L.heatLayer(body.points, { radius: 40, blur: 30, max: Math.max(body.max, 1), maxZoom: map.getZoom() });
    } else {
      layer = L.geoJSON(body, {
        pointToLayer: function (feature, latlng) {
          return L.marker(latlng, { icon: clusterIcon(feature.properties.count), keyboard: false })
            .on("click", function () { map.setView(latlng, map.getZoom() + 2); });
        }
      });
    }
    layer.addTo(map);
    status.textContent = body.total + (body.truncated ? "+" : "") + " " + inView;
  }

  function refresh() {
    if (!map) { return; }
    slider.disabled = whole.checked;
    shown.textContent = whole.checked ? "" : months[parseInt(slider.value, 10)];
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
          status.textContent = (body.error && body.error.message) || script.dataset.failed;
        });
      })
      .catch(function () { if (mine === request) { status.textContent = script.dataset.failed; } });
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

  function choropleth(districtMap) {
    var counts = charts.districts;
    var uppers = classes(Object.keys(counts).map(function (code) { return counts[code]; }));
    var palette = ["#eef4fb", "#c6dbef", "#8cb8dc", "#4a8cc4", "#0b5cad"];
    var shades = palette.slice(palette.length - uppers.length);
    function shade(count) {
      if (!count) { return "#ffffff"; }
      for (var i = 0; i < uppers.length; i++) { if (count <= uppers[i]) { return shades[i]; } }
      return shades[shades.length - 1];
    }
    function legend() {
      var list = document.getElementById("district-legend");
      var entries = [["#ffffff", script.dataset.none]];
      uppers.forEach(function (upper, i) {
        var lower = i ? uppers[i - 1] + 1 : 1;
        entries.push([shades[i], lower === upper ? String(upper) : lower + "–" + upper]);
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
            var count = counts[feature.properties.code] || 0;
            return { color: "#4a4a4a", weight: 1, fillColor: shade(count), fillOpacity: 0.85 };
          },
          onEachFeature: function (feature, item) {
            var count = counts[feature.properties.code] || 0;
            item.bindTooltip(feature.properties.name + ": " + count);
          }
        }).addTo(districtMap);
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
      map.on("moveend", refresh);
      controls.addEventListener("change", refresh);
      slider.addEventListener("input", refresh);
      refresh();
    } else if (id === "district-map") {
      choropleth(created);
    }
  });
})();
