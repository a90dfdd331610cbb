/*
 * The public map: asks /api/v1/cases/map/ for the view (counts per area when
 * zoomed out, each case when zoomed in) whenever the view or a filter changes.
 */
(function () {
  "use strict";
  var filters = document.getElementById("map-filters");
  var summary = document.getElementById("map-summary");
  var texts = JSON.parse(document.getElementById("map-text").textContent);
  var map = null, layer = null, request = 0;

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function query() {
    var bounds = map.getBounds();
    var params = new URLSearchParams();
    params.set("bbox", [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (n) { return n.toFixed(5); }).join(","));
    params.set("zoom", String(Math.round(map.getZoom())));
    var category = filters.elements.category.value;
    var status = filters.elements.status.value;
    var days = parseInt(filters.elements.period.value, 10);
    if (category) { params.set("category", category); }
    if (status) { params.set("status", status); }
    params.set("created_after", new Date(Date.now() - days * 86400000).toISOString());
    return params.toString();
  }

  function clusterIcon(count) {
    var size = count < 10 ? 30 : count < 100 ? 38 : 46;
    return L.divIcon({
      className: "cluster", iconSize: [size, size],
      html: "<span>" + count + "</span>"
    });
  }

  function draw(collection) {
    if (layer) { map.removeLayer(layer); }
    var total = 0;
    layer = L.geoJSON(collection, {
      pointToLayer: function (feature, latlng) {
        if (collection.clustered) {
          total += feature.properties.count;
          return L.marker(latlng, { icon: clusterIcon(feature.properties.count), keyboard: false })
            .on("click", function () { map.setView(latlng, map.getZoom() + 2); });
        }
        total += 1;
        return L.circleMarker(latlng, { radius: 8, color: "#0b5cad", weight: 2, fillOpacity: 0.6 });
      },
      style: { color: "#0b5cad", weight: 2 },
      onEachFeature: function (feature, item) {
        if (collection.clustered) { return; }
        var p = feature.properties;
        item.bindPopup(
          "<strong>" + escapeHtml(texts.case + " " + p.number) + "</strong><br>" +
          escapeHtml(p.title) + "<br>" + escapeHtml(texts.statuses[p.status] || p.status) +
          (p.address ? "<br>" + escapeHtml(p.address) : "")
        );
      }
    }).addTo(map);
    summary.textContent = texts.cases_in_view.replace("%(n)s", total) +
      (collection.clustered ? " " + texts.zoom_in : "");
  }

  function refresh() {
    var mine = ++request;
    fetch(filters.dataset.mapUrl + "?" + query(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (collection) { if (mine === request) { draw(collection); } });
  }

  window.addEventListener("map:init", function (event) {
    if (event.detail.map.getContainer().id !== "public-map") { return; }
    map = event.detail.map;
    map.on("moveend", refresh);
    filters.addEventListener("change", refresh);
    refresh();
  });
})();
