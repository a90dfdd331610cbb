/* The field list on a map: a marker per case, overdue ones in red. */
window.addEventListener("map:init", function (event) {
  "use strict";
  var map = event.detail.map;
  if (map.getContainer().id !== "field-map") { return; }
  var bounds = [];
  document.querySelectorAll("#field-list li[data-lat]").forEach(function (item) {
    var latlng = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
    var link = item.querySelector("a");
    L.circleMarker(latlng, {
      radius: 9, weight: 2, color: item.classList.contains("overdue") ? "#b00020" : "#0b5cad",
      fillOpacity: 0.7
    }).addTo(map).bindPopup('<a href="' + link.getAttribute("href") + '">' +
      link.textContent.replace(/[<>&]/g, "") + "</a>");
    bounds.push(latlng);
  });
  if (bounds.length) { map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] }); }
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

  var flushing = false;
  function flush() {
    var queue = load();
    if (flushing || !queue.length || !navigator.onLine) { return; }
    flushing = true;
    say(texts.sending);
    var item = queue[0];
    var body = new FormData();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    fetch(item.url, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) { save(load().slice(1)); }
        flushing = false;
        if (!response.ok) { say(texts.failed); return; }
        if (load().length) { flush(); } else { say(texts.sent); window.location.reload(); }
      })
      .catch(function () { flushing = false; showWaiting(); });
  }

  window.addEventListener("online", flush);
  showWaiting();
  flush();
})();
