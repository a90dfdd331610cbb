/*
 * The public map: asks /api/v1/cases/map/ for the view (counts per area when
 * zoomed out, each case when zoomed in) whenever the view or a filter changes.
 */
(function () {
  "use strict";
  var filters = document.getElementById("map-filters");
  var summary = document.getElementById("map-summary");
  var list = document.getElementById("map-list");  // the view's cases, for readers without the map
  var texts = JSON.parse(document.getElementById("map-text").textContent);
  var map = null, layer = null, request = 0;
  var keyboardZoom = false;  // the last zoom was from the keyboard: keep the reader's place

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
          // Focusable: Tab reaches it and Enter zooms in, as a tap does.
          // One case: straight to where it is shown by itself.
          var zoomIn = function () {
            map.setView(latlng, feature.properties.count === 1 ? Math.max(map.getZoom() + 2, 17)
              : map.getZoom() + 2);
          };
          return L.marker(latlng, {
            icon: clusterIcon(feature.properties.count),
            keyboard: true,
            title: feature.properties.count === 1 ? texts.cluster_one :
              texts.cluster.replace("%(n)s", feature.properties.count)
          }).on("click", zoomIn).on("keypress", function (e) {
            if (e.originalEvent.key === "Enter") { keyboardZoom = true; zoomIn(); }
          });
        }
        total += 1;
        return L.circleMarker(latlng, { radius: 11, color: "#0b5cad", weight: 2, fillOpacity: 0.6 });
      },
      style: { color: "#0b5cad", weight: 2 },
      onEachFeature: function (feature, item) {
        if (collection.clustered) { return; }
        var p = feature.properties;
        item.bindPopup(
          "<strong>" + escapeHtml(texts.case + " " + p.number) + "</strong><br>" +
          escapeHtml(p.title || texts.categories[p.category] || "") + "<br>" + escapeHtml(texts.statuses[p.status] || p.status) +
          (p.address ? "<br>" + escapeHtml(p.address) : "")
        );
      }
    }).addTo(map);
    summary.textContent = (total === 1 ? texts.case_in_view : texts.cases_in_view.replace("%(n)s", total)) +
      (collection.clustered ? " " + texts.zoom_in : "");
    list.innerHTML = "";
    if (!collection.clustered) {
      collection.features.forEach(function (feature) {
        var p = feature.properties;
        var item = document.createElement("li");
        var number = document.createElement("strong");
        number.textContent = texts.case + " " + p.number;
        item.appendChild(number);
        item.appendChild(document.createTextNode(
          ": " + (p.title || texts.categories[p.category] || "") + ", " + (texts.statuses[p.status] || p.status) +
          (p.address ? ", " + p.address : "")
        ));
        list.appendChild(item);
      });
    }
    if (keyboardZoom) {  // on to the first count in the new view, or the list of cases
      keyboardZoom = false;
      var next = map.getContainer().querySelector(".cluster");
      if (next) { next.focus(); } else { list.setAttribute("tabindex", "-1"); list.focus(); }
    }
  }

  function failed() {
    if (layer) { map.removeLayer(layer); layer = null; }
    list.innerHTML = "";
    summary.textContent = texts.failed;
  }

  function refresh() {
    var mine = ++request;
    fetch(filters.dataset.mapUrl + "?" + query(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (collection) { if (mine === request) { draw(collection); } })
      .catch(function () { if (mine === request) { failed(); } });
  }

  window.addEventListener("map:init", function (event) {
    if (event.detail.map.getContainer().id !== "public-map") { return; }
    map = event.detail.map;
    map.on("moveend", refresh);
    filters.addEventListener("change", refresh);
    refresh();
  });
})();
