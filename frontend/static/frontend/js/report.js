/*
 * The report form, enhanced: category search, only the chosen category's
 * extra fields, a pin (or an area) on the map, "use my location" and address
 * suggestions. Without this script the form still works: the server looks the
 * address up and shows every category's fields.
 */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var kinds = JSON.parse(document.getElementById("place-kinds").textContent);
  var select = form.querySelector("select[name=category]");
  var lat = form.querySelector("input[name=lat]");
  var lon = form.querySelector("input[name=lon]");
  var area = form.querySelector("input[name=area]");
  var address = form.querySelector("input[name=address]");
  var status = document.getElementById("place-status");
  var results = document.getElementById("address-results");
  var drawButton = document.getElementById("draw-area");
  var map = null, marker = null, drawn = null;

  document.documentElement.classList.add("js");

  function say(text) { if (status) { status.textContent = text; } }
  var texts = JSON.parse(document.getElementById("report-text").textContent);
  function t(key) { return texts[key] || key; }

  // Category: filter the options; show only the chosen category's fields.
  var filter = document.getElementById("category-filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var words = filter.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) { return; }
        var text = (option.text + " " + (option.dataset.keywords || "")).toLowerCase();
        option.hidden = words !== "" && text.indexOf(words) === -1;
      });
    });
  }
  function showFields() {
    document.querySelectorAll(".extra-fields").forEach(function (fieldset) {
      var chosen = fieldset.dataset.category === select.value;
      fieldset.hidden = !chosen;
      fieldset.disabled = !chosen;
    });
    var kind = kinds[select.value] || "point";
    if (drawButton) { drawButton.hidden = !(kind === "area" || kind === "any"); }
    var where = document.getElementById("where");
    if (where) { where.hidden = kind === "none"; }
  }
  select.addEventListener("change", showFields);
  showFields();

  // The place.
  function setPoint(latlng, label) {
    if (!map) { return; }
    if (drawn) { map.removeLayer(drawn); drawn = null; area.value = ""; }
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: false }).addTo(map); }
    lat.value = latlng.lat.toFixed(7);
    lon.value = latlng.lng.toFixed(7);
    say(label || t("marked"));
  }

  window.addEventListener("map:init", function (event) {
    if (event.detail.map.getContainer().id !== "report-map") { return; }
    map = event.detail.map;
    map.on("click", function (e) { setPoint(e.latlng); });
    if (lat.value && lon.value) {
      var here = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
      setPoint(here);
      map.setView(here, 16);
    }
  });

  var locate = document.getElementById("use-location");
  if (locate) {
    if (!("geolocation" in navigator)) { locate.hidden = true; }
    locate.addEventListener("click", function () {
      say(t("locating"));
      navigator.geolocation.getCurrentPosition(function (position) {
        var here = L.latLng(position.coords.latitude, position.coords.longitude);
        setPoint(here, t("located"));
        map.setView(here, 17);
      }, function () { say(t("not_located")); }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  if (drawButton) {
    drawButton.addEventListener("click", function () {
      if (!map || !L.Draw) { return; }
      var tool = new L.Draw.Polygon(map, { showArea: false });
      tool.enable();
      say(t("drawing"));
      map.once(L.Draw.Event.CREATED, function (e) {
        if (marker) { map.removeLayer(marker); marker = null; lat.value = ""; lon.value = ""; }
        if (drawn) { map.removeLayer(drawn); }
        drawn = e.layer.addTo(map);
        area.value = JSON.stringify(e.layer.toGeoJSON().geometry);
        say(t("drawn"));
      });
    });
  }

  // Address suggestions from our own search.
  var timer = null;
  address.setAttribute("autocomplete", "off");
  address.addEventListener("input", function () {
    clearTimeout(timer);
    var query = address.value.trim();
    if (query.length < 3) { results.innerHTML = ""; return; }
    timer = setTimeout(function () {
      fetch(form.dataset.placesUrl + "?limit=6&q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" }
      }).then(function (response) { return response.ok ? response.json() : []; })
        .then(function (hits) {
          results.innerHTML = "";
          if (!hits.length) { return; }
          var list = document.createElement("ul");
          list.className = "suggestions";
          list.setAttribute("aria-label", t("suggestions"));
          hits.forEach(function (hit) {
            var item = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.className = "secondary";
            button.textContent = hit.label;
            button.addEventListener("click", function () {
              address.value = hit.label;
              results.innerHTML = "";
              var here = L.latLng(hit.lat, hit.lon);
              setPoint(here, hit.label);
              if (map) { map.setView(here, hit.kind === "address" ? 17 : 15); }
            });
            item.appendChild(button);
            list.appendChild(item);
          });
          results.appendChild(list);
        });
    }, 250);
  });

  var errors = document.getElementById("form-errors") || document.getElementById("duplicates-heading");
  if (errors) { errors.focus(); }
})();
