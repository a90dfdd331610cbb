/* The field list on a map: a marker per case, overdue ones in red; cases
 * closer on screen than a finger's width are drawn as one count (red if any
 * is overdue), which opens onto them when tapped — a contractor may have
 * hundreds of open cases on a snowy morning. */
window.addEventListener("map:init", function (event) {
  "use strict";
  var map = event.detail.map;
  if (map.getContainer().id !== "field-map") { return; }
  var CELL = 44;  // pixels
  var cases = [];
  document.querySelectorAll("#field-list li[data-lat]").forEach(function (item) {
    var link = item.querySelector("a");
    cases.push({
      latlng: L.latLng(parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)),
      overdue: item.classList.contains("overdue"),
      href: link.getAttribute("href"),
      label: link.textContent.replace(/\s+/g, " ").trim()
    });
  });
  if (!cases.length) { return; }
  var layer = L.layerGroup().addTo(map);

  function single(found) {
    var popup = document.createElement("a");
    popup.href = found.href;
    popup.textContent = found.label;
    L.circleMarker(found.latlng, {
      radius: 9, weight: 2, color: found.overdue ? "#b00020" : "#0b5cad", fillOpacity: 0.7
    }).addTo(layer).bindPopup(popup);
  }

  function grouped(members) {
    var lat = 0, lon = 0;
    members.forEach(function (found) { lat += found.latlng.lat; lon += found.latlng.lng; });
    var overdue = members.some(function (found) { return found.overdue; });
    L.marker([lat / members.length, lon / members.length], {
      icon: L.divIcon({
        className: "cluster" + (overdue ? " overdue" : ""), iconSize: [36, 36],
        html: "<span>" + members.length + "</span>"
      }),
      title: String(members.length)
    }).addTo(layer).on("click", function () {
      var bounds = L.latLngBounds(members.map(function (found) { return found.latlng; }));
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: map.getMaxZoom() });  // as close as they need
    });
  }

  function draw() {
    layer.clearLayers();
    var zoom = map.getZoom(), cells = {};
    cases.forEach(function (found) {
      var at = map.project(found.latlng, zoom);
      var key = Math.floor(at.x / CELL) + ":" + Math.floor(at.y / CELL);
      (cells[key] = cells[key] || []).push(found);
    });
    Object.keys(cells).forEach(function (key) {
      var members = cells[key];
      if (members.length === 1 || zoom >= map.getMaxZoom()) { members.forEach(single); }
      else { grouped(members); }
    });
  }

  map.on("zoomend", draw);
  map.fitBounds(L.latLngBounds(cases.map(function (found) { return found.latlng; })),
    { maxZoom: 16, padding: [20, 20] });
  draw();
});

/* The field list: "nearest first" sorts the cases by distance from the phone. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var button = document.getElementById("sort-distance");
  var list = document.getElementById("field-list");
  var status = document.getElementById("sort-status");
  if (!button || !list || !("geolocation" in navigator)) { if (button) { button.hidden = true; } return; }

  function metres(lat1, lon1, lat2, lon2) {
    var r = 6371000, p = Math.PI / 180;
    var a = Math.sin((lat2 - lat1) * p / 2) ** 2 +
      Math.cos(lat1 * p) * Math.cos(lat2 * p) * Math.sin((lon2 - lon1) * p / 2) ** 2;
    return 2 * r * Math.asin(Math.sqrt(a));
  }

  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      var here = position.coords;
      var items = Array.prototype.slice.call(list.children);
      items.forEach(function (item) {
        var d = item.dataset.lat ? metres(here.latitude, here.longitude,
          parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)) : Infinity;
        item.dataset.distance = d;
        item.querySelector(".distance").textContent = isFinite(d) ? (d < 1000 ? Math.round(d) + " m" : (d / 1000).toFixed(1) + " km") : "";
      });
      items.sort(function (a, b) { return a.dataset.distance - b.dataset.distance; })
        .forEach(function (item) { list.appendChild(item); });
      status.textContent = button.textContent + " ✓";
    });
  });
})();

/*
 * Offline: the service worker keeps the pages readable; actions taken without
 * a connection are kept on the phone and sent when it is back. Each carries
 * its own key, so one sent twice (a flaky connection) is done once.
 */
(function () {
  "use strict";
  var QUEUE = "geocases-field-queue";
  var status = document.getElementById("offline-status");
  var texts = JSON.parse((document.getElementById("field-text") || {}).textContent || "{}");

  function load() { try { return JSON.parse(localStorage.getItem(QUEUE)) || []; } catch (e) { return []; } }
  function save(queue) { localStorage.setItem(QUEUE, JSON.stringify(queue)); }
  function say(text) { if (status) { status.textContent = text; } }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function showWaiting() {
    var waiting = load().length;
    if (waiting) { say((texts.waiting || "%(n)s").replace("%(n)s", waiting)); }
  }

  if ("serviceWorker" in navigator && document.body.dataset.fieldSw) {
    navigator.serviceWorker.register(document.body.dataset.fieldSw, { scope: "/field/" });
  }

  document.querySelectorAll("form.action").forEach(function (form) {
    var key = document.createElement("input");
    key.type = "hidden";
    key.name = "idempotency_key";
    key.value = newKey();
    form.appendChild(key);
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) { return; }
      event.preventDefault();
      var file = form.querySelector("input[type=file]");
      if (file && file.files.length) { say(texts.photo_offline); return; }
      var fields = [];
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string") { fields.push([name, value]); }
      });
      var queue = load();
      queue.push({ url: form.getAttribute("action") || window.location.pathname, fields: fields });
      save(queue);
      key.value = newKey();
      say(texts.queued);
    });
  });

  // Sending the queue, oldest first. Done (or done before): removed. Refused
  // (the case has left the list, a transition no longer allowed, a field
  // missing): removed from the queue and kept in a list on the phone with the
  // reason and what was written, so that nothing is lost unseen, and the
  // rest is sent. Not answered, or logged out: everything stays for later.
  var REFUSED = "geocases-field-refused";
  var fieldBase = document.body.dataset.fieldList || "/field/";  // what the queue may send to
  var list = document.getElementById("offline-refused");
  var flushing = false;
  function loadRefused() { try { return JSON.parse(localStorage.getItem(REFUSED)) || []; } catch (e) { return []; } }
  function showRefused() {
    if (!list) { return; }
    var refused = loadRefused();
    list.textContent = "";
    list.hidden = !refused.length;
    refused.forEach(function (item, index) {
      var entry = document.createElement("li");
      entry.className = "notice";
      var reason = document.createElement("strong");
      reason.textContent = (texts.refused || "Refused") + ": " + item.message;
      entry.appendChild(reason);
      item.fields.forEach(function (pair) {
        if (["message", "resolution", "text"].indexOf(pair[0]) !== -1 && pair[1]) {
          var written = document.createElement("blockquote");
          written.textContent = pair[1];
          entry.appendChild(written);
        }
      });
      if (item.listed !== false) {  // a case that has left the list cannot be opened from it
        var link = document.createElement("a");
        link.href = item.url.indexOf(fieldBase) === 0 ? item.url : fieldBase;
        link.textContent = texts.open_case || item.url;
        entry.appendChild(link);
      }
      var forget = document.createElement("button");
      forget.type = "button";
      forget.className = "secondary";
      forget.textContent = texts.forget || "x";
      forget.addEventListener("click", function () {
        var kept = loadRefused();
        kept.splice(index, 1);
        localStorage.setItem(REFUSED, JSON.stringify(kept));
        showRefused();
      });
      entry.appendChild(document.createTextNode(" "));
      entry.appendChild(forget);
      list.appendChild(entry);
    });
  }
  function freshToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  var left = false;  // a resolution was sent: its case has left the list
  var refusedNow = false;  // an action refused in this sending
  function next() {
    if (load().length) { flush(); return; }
    say(refusedNow ? texts.failed : texts.sent);
    if (left && document.body.dataset.fieldList) { window.location.assign(document.body.dataset.fieldList); }
    else { window.location.reload(); }
  }
  function flush() {
    var queue = load();
    if (flushing || !queue.length || !navigator.onLine) { return; }
    flushing = true;
    say(texts.sending);
    var item = queue[0];
    if (typeof item.url !== "string" || item.url.indexOf(fieldBase) !== 0) {
      save(queue.slice(1));  // not an action of the field view: never sent
      flushing = false;
      next();
      return;
    }
    var body = new FormData();
    var token = freshToken();  // the one of this page: a log-in since renews it
    item.fields.forEach(function (pair) {
      body.append(pair[0], pair[0] === "csrfmiddlewaretoken" && token ? token : pair[1]);
    });
    fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "X-Field-Queue": "1", Accept: "application/json" }
    })
      .then(function (response) {
        flushing = false;
        if (response.ok) {
          left = left || item.fields.some(function (pair) { return pair[0] === "action" && pair[1] === "resolve"; });
          save(load().slice(1));
          next();
          return;
        }
        if (response.status === 409 || response.status === 400 || response.status === 404) {
          return response.json().catch(function () { return {}; }).then(function (answer) {
            var refused = loadRefused();
            refusedNow = true;
            refused.push({
              url: item.url,
              fields: item.fields.filter(function (pair) { return pair[0] !== "csrfmiddlewaretoken"; }),
              message: answer.message || texts.failed,
              listed: answer.listed !== false
            });
            localStorage.setItem(REFUSED, JSON.stringify(refused));
            save(load().slice(1));
            showRefused();  // and on every field page until removed
            next();
          });
        }
        // A redirect to the log-in page, or 403 (no longer allowed, or a
        // token from before a log-in): kept until the user has logged in.
        if (response.type === "opaqueredirect" || response.status === 403) { say(texts.login); return; }
        showWaiting();  // the service is down for a moment: kept, tried again
        window.setTimeout(flush, 30000);
      })
      .catch(function () { flushing = false; showWaiting(); });
  }

  showRefused();
  window.addEventListener("online", flush);
  showWaiting();
  flush();
})();
