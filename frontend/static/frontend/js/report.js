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
  // The address a marked point stands for; the server looks the words up
  // instead when they no longer match it.
  var placedFor = form.querySelector("input[name=placed_for]");
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
      var shown = Array.prototype.filter.call(select.options, function (option) {
        return option.value && !option.hidden;
      }).length;
      var told = document.getElementById("category-status");
      if (told) {
        told.textContent = words === "" ? "" : shown === 0 ? t("no_categories")
          : (shown === 1 ? t("one_category") : t("categories").replace("%(n)s", shown));
      }
    });
  }
  function showFields() {
    document.querySelectorAll(".extra-fields").forEach(function (fieldset) {
      var chosen = fieldset.dataset.category === select.value;
      fieldset.hidden = !chosen;
      fieldset.disabled = !chosen;
    });
    var kind = kinds[select.value] || "point";
    if (drawButton) {
      drawButton.dataset.unavailable = kind === "area" || kind === "any" ? "" : "1";
      drawingStop();  // (declared below; hoisted)
    }
    var where = document.getElementById("where");
    if (where) { where.hidden = kind === "none"; }
  }
  select.addEventListener("change", showFields);
  showFields();

  // The place.
  // The address text a suggestion put in the field (as the server found it,
  // when the page comes back): the marked point is that address.
  var chosenLabel = placedFor && placedFor.value && placedFor.value === address.value ? placedFor.value : "";
  function tie(label) {
    chosenLabel = label;
    if (placedFor) { placedFor.value = label; }
  }
  function pointClear() {
    if (marker && map) { map.removeLayer(marker); }
    marker = null;
    lat.value = "";
    lon.value = "";
  }
  function setPoint(latlng, label) {
    if (!map) { return; }
    if (drawn) { map.removeLayer(drawn); drawn = null; area.value = ""; }
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: false, alt: t("marked") }).addTo(map); }
    lat.value = latlng.lat.toFixed(7);
    lon.value = latlng.lng.toFixed(7);
    say(label || t("marked"));
  }

  var drawing = null;  // the polygon tool while an area is being drawn
  window.addEventListener("map:init", function (event) {
    if (event.detail.map.getContainer().id !== "report-map") { return; }
    map = event.detail.map;
    // The wheel scrolls the page past the map, as in the rest of the form
    // (zoomed in, the map fills the screen); its buttons and keys zoom it.
    map.scrollWheelZoom.disable();
    if (L.Draw) {
      // Escape (Leaflet.draw's own key) stops drawing too: the buttons and
      // the map then go back to marking a point.
      map.on(L.Draw.Event.DRAWSTOP, function () {
        if (drawing) { drawing = null; drawingShown(false); }
      });
    }
    map.on("click", function (e) {
      if (drawing) { return; }  // a corner of the area, not a pin
      // A tap elsewhere than the address chosen: that address no longer says where.
      if (chosenLabel && address.value === chosenLabel) { address.value = ""; }
      tie("");
      setPoint(e.latlng);
    });
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
        if (chosenLabel && address.value === chosenLabel) { address.value = ""; }
        tie("");
        setPoint(here, t("located"));
        map.setView(here, 17);
      }, function () { say(t("not_located")); }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  // Drawing an area: tapping the first corner again closes it with a mouse;
  // on a touch screen Leaflet.draw often misses that tap, so "Finish the
  // area" closes it, and "Cancel" stops drawing.
  var finishButton = document.getElementById("finish-area");
  var cancelButton = document.getElementById("cancel-area");
  function drawingShown(on) {
    var focused = document.activeElement;
    if (finishButton) { finishButton.hidden = !on; }
    if (cancelButton) { cancelButton.hidden = !on; }
    if (drawButton) { drawButton.hidden = on || drawButton.dataset.unavailable === "1"; }
    // The button pressed may be hidden now: keep the reader's place.
    if (!on && (focused === finishButton || focused === cancelButton)) {
      (drawButton && !drawButton.hidden ? drawButton : address).focus();
    }
  }
  function drawingStop() {
    if (drawing) { drawing.disable(); drawing = null; }
    drawingShown(false);
  }
  if (drawButton) {
    drawButton.addEventListener("click", function () {
      if (!map || !L.Draw) { return; }
      drawing = new L.Draw.Polygon(map, { showArea: false });
      drawing.enable();
      drawingShown(true);
      say(t("drawing"));
      map.once(L.Draw.Event.CREATED, function (e) {
        if (marker) { map.removeLayer(marker); marker = null; lat.value = ""; lon.value = ""; }
        if (drawn) { map.removeLayer(drawn); }
        drawn = e.layer.addTo(map);
        area.value = JSON.stringify(e.layer.toGeoJSON().geometry);
        drawing = null;
        drawingShown(false);
        say(t("drawn"));
      });
    });
  }
  if (finishButton) {
    finishButton.addEventListener("click", function () {
      if (!drawing) { return; }
      drawing.completeShape();  // refuses fewer than three corners
      if (drawing) { say(t("too_few_corners")); }
    });
  }
  if (cancelButton) {
    cancelButton.addEventListener("click", function () { drawingStop(); say(""); });
  }

  // Address suggestions from our own search. Enter in the field takes the
  // first suggestion (it never sends the form half done); the arrow keys
  // move through them.
  var timer = null;
  address.setAttribute("autocomplete", "off");
  function suggestionButtons() { return results.querySelectorAll("button"); }
  function choose(hit) {
    address.value = hit.label;
    tie(hit.label);
    results.innerHTML = "";
    var here = L.latLng(hit.lat, hit.lon);
    setPoint(here, hit.label);
    if (map) { map.setView(here, hit.kind === "address" ? 17 : 15); }
    address.focus();  // the button pressed is gone: keep the reader's place
  }
  function suggest(query) {
    return fetch(form.dataset.placesUrl + "?limit=6&q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (hits) {
      results.innerHTML = "";
      if (!hits.length) { say(t("no_places")); return; }
      var list = document.createElement("ul");
      list.className = "suggestions";
      list.setAttribute("aria-label", t("suggestions"));
      hits.forEach(function (hit) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary";
        button.textContent = hit.label;
        button.addEventListener("click", function () { choose(hit); });
        item.appendChild(button);
        list.appendChild(item);
      });
      results.appendChild(list);
      say(hits.length === 1 ? t("one_place") : t("places").replace("%(n)s", hits.length));
    }).catch(function () {
      results.innerHTML = "";
      say(t("search_failed"));
    });
  }
  address.addEventListener("input", function () {
    clearTimeout(timer);
    if (chosenLabel && address.value !== chosenLabel) {
      // The point was the address chosen; these words may be another place.
      pointClear();
      tie("");
      say(t("unmarked"));
    }
    var query = address.value.trim();
    if (query.length < 3) { results.innerHTML = ""; return; }
    timer = setTimeout(function () { suggest(query); }, 250);
  });
  address.addEventListener("keydown", function (event) {
    var buttons = suggestionButtons();
    if (event.key === "Enter") {
      event.preventDefault();
      if (buttons.length) { buttons[0].click(); return; }
      var query = address.value.trim();
      if (query.length >= 3 && query !== chosenLabel) { clearTimeout(timer); suggest(query); }
    } else if (event.key === "ArrowDown" && buttons.length) {
      event.preventDefault();
      buttons[0].focus();
    }
  });
  results.addEventListener("keydown", function (event) {
    var buttons = Array.prototype.slice.call(suggestionButtons());
    var at = buttons.indexOf(document.activeElement);
    if (at === -1) { return; }
    if (event.key === "ArrowDown" && at < buttons.length - 1) { event.preventDefault(); buttons[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? buttons[at - 1] : address).focus(); }
    if (event.key === "Escape") { event.preventDefault(); results.innerHTML = ""; address.focus(); }
  });
  if (filter) {  // Enter in the category search picks, it does not send
    filter.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();
      var first = Array.prototype.filter.call(select.options, function (option) {
        return option.value && !option.hidden;
      })[0];
      if (first) { select.value = first.value; select.dispatchEvent(new Event("change")); select.focus(); }
    });
  }

  // Without a connection the report would be lost to the browser's error
  // page: it stays here, with a word, until it can be sent.
  var offline = document.getElementById("offline-status");
  form.addEventListener("submit", function (event) {
    if (navigator.onLine === false && offline) {
      event.preventDefault();
      offline.hidden = false;
      offline.textContent = t("offline");
      offline.focus();
    } else if (offline) {
      offline.hidden = true;
    }
  });

  var errors = document.getElementById("form-errors") || document.getElementById("duplicates-heading");
  if (errors) { errors.focus(); }
})();
