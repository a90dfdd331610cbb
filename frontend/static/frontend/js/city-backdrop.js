/*
 * Draws the city's district boundaries on every Leaflet map django-leaflet
 * creates (public pages and admin widgets alike), so a map means something
 * even when no tile server is configured: the city runs on its own servers.
 */
(function () {
  "use strict";
  var districtsUrl = "/api/v1/districts/";
  var districts = null;

  function loadDistricts() {
    if (!districts) {
      districts = fetch(districtsUrl, { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("districts: HTTP " + response.status); }
          return response.json();
        });
    }
    return districts;
  }

  function hasTiles(map) {
    var found = false;
    map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) { found = true; } });
    return found;
  }

  // Leaflet's controls speak English; the pages give their words (base.html).
  function texts() {
    var found = document.getElementById("leaflet-text");
    return found ? JSON.parse(found.textContent) : null;
  }
  function speak(map, words) {
    var container = map.getContainer();
    [["zoom-in", words.zoom_in], ["zoom-out", words.zoom_out]].forEach(function (pair) {
      var button = container.querySelector(".leaflet-control-" + pair[0]);
      if (button && pair[1]) { button.title = pair[1]; button.setAttribute("aria-label", pair[1]); }
    });
    // The map takes focus (its arrow keys pan it): it is named by the region
    // around it where there is one, else as a map, and is a group, not a
    // nameless block.
    if (!container.hasAttribute("aria-label")) {
      var region = container.parentElement && container.parentElement.closest("[aria-label]");
      container.setAttribute("aria-label", region ? region.getAttribute("aria-label") : words.map);
      container.setAttribute("role", "group");
    }
  }

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    var words = texts();
    if (words) { speak(map, words); }
    if (!hasTiles(map)) {
      // Without base tiles, what is not a district is mostly water.
      map.getContainer().style.background = "#cfe2ee";
    }
    loadDistricts().then(function (collection) {
      var layer = L.geoJSON(collection, {
        interactive: false,
        style: { color: "#4a4a4a", weight: 1, fillColor: "#e8efe6", fillOpacity: 0.6 }
      }).addTo(map);
      layer.bringToBack();
      if (map.getContainer().id === "city-map") {
        map.fitBounds(layer.getBounds(), { animate: false });
      }
    }).catch(function (error) {
      console.warn("geocases: could not draw the districts", error);
    });
  });
})();
