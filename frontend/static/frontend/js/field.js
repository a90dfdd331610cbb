/* The field list on a map: a marker per case, overdue ones in red; cases
 * closer on screen than a finger's width are drawn as one count (red if any
 * is overdue), which opens onto them when tapped — a contractor may have
 * hundreds of open cases on a snowy morning. A count stands in the middle of
 * its grid cell, which is wider than the count, so no two counts overlap. */
window.addEventListener("map:init", function (event) {
  "use strict";
  var map = event.detail.map;
  if (map.getContainer().id !== "field-map") { return; }
  var CELL = 52;  // pixels: a 44-pixel count and a gap
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
    // A 32-pixel dot; its all but invisible 6-pixel rim makes the tap target 44.
    L.circleMarker(found.latlng, {
      radius: 16, weight: 12, color: "#ffffff", opacity: 0.01,
      fillColor: found.overdue ? "#b00020" : "#0b5cad", fillOpacity: 0.85, className: "case-marker"
    }).addTo(layer).bindPopup(popup);
  }

  function grouped(members, middle) {
    var overdue = members.some(function (found) { return found.overdue; });
    L.marker(middle, {
      icon: L.divIcon({
        className: "cluster" + (overdue ? " overdue" : ""), iconSize: [44, 44],
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
      var members = cells[key], cell = key.split(":");
      if (members.length === 1 || zoom >= map.getMaxZoom()) { members.forEach(single); return; }
      var middle = L.point((+cell[0] + 0.5) * CELL, (+cell[1] + 0.5) * CELL);
      grouped(members, map.unproject(middle, zoom));
    });
  }

  map.on("zoomend", draw);
  map.fitBounds(L.latLngBounds(cases.map(function (found) { return found.latlng; })),
    { maxZoom: 16, padding: [20, 20] });
  draw();
});


/* The field list: "nearest first" sorts the cases by distance from the phone,
 * saying so while the position is found and when it cannot be; the choice
 * is kept for the tab (sessionStorage), so the list comes back sorted after
 * a case; "deadline first" goes back to the server's order. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var SORT = "geocases-field-sort";
  var button = document.getElementById("sort-distance");
  var back = document.getElementById("sort-deadline");
  var list = document.getElementById("field-list");
  var status = document.getElementById("sort-status");
  var texts = JSON.parse((document.getElementById("field-text") || {}).textContent || "{}");
  if (!button || !list || !("geolocation" in navigator)) { if (button) { button.hidden = true; } return; }
  var byDeadline = Array.prototype.slice.call(list.children);

  function remember(choice) {
    try { if (choice) { sessionStorage.setItem(SORT, choice); } else { sessionStorage.removeItem(SORT); } } catch (e) { /* private mode */ }
  }
  function metres(lat1, lon1, lat2, lon2) {
    var r = 6371000, p = Math.PI / 180;
    var a = Math.sin((lat2 - lat1) * p / 2) ** 2 +
      Math.cos(lat1 * p) * Math.cos(lat2 * p) * Math.sin((lon2 - lon1) * p / 2) ** 2;
    return 2 * r * Math.asin(Math.sqrt(a));
  }
  function sorted(position) {
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
    button.disabled = false;
    back.hidden = false;
    status.textContent = (texts.located || button.textContent) + " ✓";
    remember("distance");
  }
  function failed(error) {
    button.disabled = false;
    remember("");
    status.textContent = error.code === 1 ? texts.denied : error.code === 3 ? texts.timeout : texts.unavailable;
  }
  function locate() {
    button.disabled = true;
    status.textContent = texts.locating || "…";
    navigator.geolocation.getCurrentPosition(sorted, failed,
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }
  button.addEventListener("click", locate);
  back.addEventListener("click", function () {
    byDeadline.forEach(function (item) {
      item.querySelector(".distance").textContent = "";
      list.appendChild(item);
    });
    back.hidden = true;
    status.textContent = "";
    remember("");
  });
  var chosen = null;
  try { chosen = sessionStorage.getItem(SORT); } catch (e) { /* private mode */ }
  if (chosen === "distance") { locate(); }
})();

/*
 * Offline: the service worker keeps the pages readable; actions taken without
 * a connection are kept on the phone and sent when it is back. Each carries
 * its own key, so one sent twice (a flaky connection) is done once.
 *
 * What is kept belongs to the user who saved it (the page's data-field-user):
 * another user's actions are neither sent nor shown; they wait for that user
 * to log in again (logging out deletes them, js/field-forget.js).
 */
(function () {
  "use strict";
  var QUEUE = "geocases-field-queue";
  var REFUSED = "geocases-field-refused";
  var me = document.body.dataset.fieldUser || "";
  var status = document.getElementById("offline-status");
  var texts = JSON.parse((document.getElementById("field-text") || {}).textContent || "{}");

  function stored(name) { try { return JSON.parse(localStorage.getItem(name)) || []; } catch (e) { return []; } }
  function store(name, items) { localStorage.setItem(name, JSON.stringify(items)); }
  function mine(item) { return me !== "" && item.user === me; }
  function load() { return stored(QUEUE).filter(mine); }
  function drop(name, gone) { store(name, stored(name).filter(function (item) { return item.id !== gone.id; })); }
  function say(text) { if (status) { status.textContent = text; } }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  // Actions saved before they carried their user: the user now logged in
  // takes them (until then they were sent under whoever logged in next).
  if (me) {
    [QUEUE, REFUSED].forEach(function (name) {
      var items = stored(name), adopted = false;
      items.forEach(function (item) {
        if (!item.user) { item.user = me; item.id = item.id || newKey(); adopted = true; }
      });
      if (adopted) { store(name, items); }
    });
  }
  function showWaiting() {
    var waiting = load().length;
    if (waiting) { say((texts.waiting || "%(n)s").replace("%(n)s", waiting)); }
  }
  function valueOf(fields, name) {
    var found = fields.filter(function (pair) { return pair[0] === name; })[0];
    return found ? found[1] : "";
  }

  if ("serviceWorker" in navigator && document.body.dataset.fieldSw) {
    navigator.serviceWorker.register(document.body.dataset.fieldSw, { scope: "/field/" });
  }

  // Each form of the card, what it does and where.
  var forms = Array.prototype.map.call(document.querySelectorAll("form.action"), function (form) {
    var action = form.querySelector("input[name=action]");
    return { form: form, url: form.getAttribute("action") || window.location.pathname,
      action: action ? action.value : "" };
  });
  // The same action saved already: a second tap must not save it again. A
  // note may be saved more than once, but not the same words twice.
  function alreadyQueued(entry, fields) {
    return load().some(function (item) {
      if (item.url !== entry.url || valueOf(item.fields, "action") !== entry.action) { return false; }
      return entry.action !== "note" || valueOf(item.fields, "text") === valueOf(fields, "text");
    });
  }
  // The card as the queue leaves it: an action saved shows as waiting, with
  // what was written, and the step after it is offered (feedback after an
  // acknowledgement, resolving after feedback), to be saved in turn.
  function showQueued() {
    var queued = load();
    forms.forEach(function (entry) {
      var waiting = queued.filter(function (item) {
        return item.url === entry.url && valueOf(item.fields, "action") === entry.action;
      })[0];
      var after = entry.form.dataset.after;
      if (after && queued.some(function (item) {
        return item.url === entry.url && valueOf(item.fields, "action") === after;
      })) { entry.form.hidden = false; }
      if (!waiting || entry.action === "note") { return; }
      entry.form.querySelectorAll("textarea").forEach(function (field) { field.value = valueOf(waiting.fields, field.name); });
      entry.form.querySelectorAll("button, textarea, input:not([type=hidden])").forEach(function (field) { field.disabled = true; });
      if (!entry.form.querySelector(".waiting")) {
        var note = document.createElement("p");
        note.className = "waiting";
        note.setAttribute("role", "status");
        note.textContent = texts.pending || "…";
        entry.form.appendChild(note);
      }
    });
  }

  forms.forEach(function (entry) {
    var form = entry.form;
    var key = document.createElement("input");
    key.type = "hidden";
    key.name = "idempotency_key";
    key.value = newKey();
    form.appendChild(key);
    form.addEventListener("submit", function (event) {
      // Online with nothing waiting: sent as usual. Otherwise saved, behind
      // what waits already, so that the steps of a case go in their order.
      if (navigator.onLine && !load().length) { return; }
      var file = form.querySelector("input[type=file]");
      if (file && file.files.length) {
        if (navigator.onLine) { return; }
        event.preventDefault();
        say(texts.photo_offline);
        return;
      }
      event.preventDefault();
      var fields = [];
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string") { fields.push([name, value]); }
      });
      if (alreadyQueued(entry, fields)) { say(texts.already); return; }
      var queue = stored(QUEUE);
      queue.push({ id: key.value, user: me, url: entry.url, fields: fields });
      store(QUEUE, queue);
      key.value = newKey();
      if (entry.action === "note") { form.reset(); }
      say(texts.queued);
      showQueued();
      if (navigator.onLine) { flush(); }
    });
  });

  // Sending the queue, oldest first. Done (or done before): removed. Refused
  // (the case has left the list, a transition no longer allowed, a field
  // missing): removed from the queue and kept in a list on the phone with the
  // reason and what was written, so that nothing is lost unseen, and the
  // rest is sent. Not answered, or logged out: everything stays for later.
  var fieldBase = document.body.dataset.fieldList || "/field/";  // what the queue may send to
  var list = document.getElementById("offline-refused");
  var flushing = false;
  function showRefused() {
    if (!list) { return; }
    var refused = stored(REFUSED).filter(mine);
    list.textContent = "";
    list.hidden = !refused.length;
    refused.forEach(function (item) {
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
        drop(REFUSED, item);
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
    var item = load()[0];
    if (flushing || !item || !navigator.onLine) { return; }
    flushing = true;
    say(texts.sending);
    if (typeof item.url !== "string" || item.url.indexOf(fieldBase) !== 0) {
      drop(QUEUE, item);  // not an action of the field view: never sent
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
          left = left || valueOf(item.fields, "action") === "resolve";
          drop(QUEUE, item);
          next();
          return;
        }
        if (response.status === 409 || response.status === 400 || response.status === 404) {
          return response.json().catch(function () { return {}; }).then(function (answer) {
            var refused = stored(REFUSED);
            refusedNow = true;
            refused.push({
              id: item.id,
              user: item.user,
              url: item.url,
              fields: item.fields.filter(function (pair) { return pair[0] !== "csrfmiddlewaretoken"; }),
              message: answer.message || texts.failed,
              listed: answer.listed !== false
            });
            store(REFUSED, refused);
            drop(QUEUE, item);
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
  showQueued();
  window.addEventListener("online", flush);
  showWaiting();
  flush();
})();
