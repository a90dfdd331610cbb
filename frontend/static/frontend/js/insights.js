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
      .then(function (response) { return response.json(); })
      .then(function (body) { if (mine === request) { draw(kind, body); } });
  }

  // Cases per district, shaded in five steps.
  function choropleth(districtMap) {
    var counts = charts.districts;
    var highest = Object.keys(counts).reduce(function (max, code) { return Math.max(max, counts[code]); }, 0);
    var shades = ["#eef4fb", "#c6dbef", "#8cb8dc", "#4a8cc4", "#0b5cad"];
    function shade(count) {
      if (!count || !highest) { return "#ffffff"; }
      return shades[Math.min(shades.length - 1, Math.floor((count / highest) * shades.length))];
    }
    fetch("/api/v1/districts/", { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        L.geoJSON(collection, {
          style: function (feature) {
            var count = counts[feature.properties.code] || 0;
            return { color: "#4a4a4a", weight: 1, fillColor: shade(count), fillOpacity: 0.85 };
          },
          onEachFeature: function (feature, item) {
            var count = counts[feature.properties.code] || 0;
            item.bindTooltip(feature.properties.name + ": " + count);
          }
        }).addTo(districtMap);
        document.getElementById("district-legend").textContent = "0 – " + highest;
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
