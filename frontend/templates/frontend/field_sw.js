{% load static %}/*
 * The field view offline: pages under /field/ and the static files they use
 * come from the network when there is one, and from the cache when not, so
 * the list and the cases already opened can be read without a connection.
 * Actions taken offline are queued by field.js, not here.
 *
 * The pages belong to one user. Each field page says whose it is (the
 * X-Field-User header); they are kept in a cache of that user's own, and
 * every other user's is deleted as soon as a page is answered for someone
 * else, or for nobody (the log-in page instead: logged out, the session
 * ended). Logging out, and the log-in page, delete them too
 * (js/field-forget.js), so that nothing of a user's cases is served from
 * this phone to anyone after them.
 */
"use strict";
var VERSION = "v2";
var STATIC = "geocases-field-static-" + VERSION;
var PAGES = "geocases-field-pages-";  // + the user's id
var LIST = "{% url 'frontend:field' %}";
var SHELL = [
  "{% static 'frontend/css/site.css' %}",
  "{% static 'frontend/js/field.js' %}"
];

function pagesForget(except) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PAGES) === 0 && name !== except;
    }).map(function (name) { return caches.delete(name); }));
  });
}

// A page answered: kept for its user only; a page for nobody forgets them all.
function pageKeep(request, response) {
  var user = response.headers.get("X-Field-User");
  if (response.type === "opaqueredirect" || response.redirected || (response.ok && !user)) {
    return pagesForget(null);
  }
  if (!response.ok) { return Promise.resolve(); }
  var mine = PAGES + user;
  return pagesForget(mine).then(function () {
    return caches.open(mine);
  }).then(function (cache) { return cache.put(request, response); });
}

self.addEventListener("install", function (event) {
  event.waitUntil(Promise.all([
    caches.open(STATIC).then(function (cache) { return cache.addAll(SHELL); }),
    fetch(LIST, { credentials: "same-origin" }).then(function (response) {
      return pageKeep(new Request(LIST), response);
    }).catch(function () { return null; })
  ]));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  // Caches of earlier versions go, pages of unknown owner with them.
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("geocases-field") === 0 && name !== STATIC && name.indexOf(PAGES) !== 0;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var page = request.mode === "navigate" && url.pathname.startsWith("/field/");
  if (!page && !url.pathname.startsWith("/field/") && !url.pathname.startsWith("/static/")) { return; }
  event.respondWith(
    fetch(request).then(function (response) {
      var copy = response.clone();
      var kept = page ? pageKeep(request, copy)
        : (response.ok ? caches.open(STATIC).then(function (cache) { return cache.put(request, copy); })
          : Promise.resolve());
      event.waitUntil(kept.catch(function () { return null; }));
      return response;
    }).catch(function () {
      // Pages vary by cookie and language: only this user's are kept, so any
      // of them will do, in whichever language it was read.
      var loose = { ignoreVary: true };
      return caches.match(request, loose).then(function (cached) {
        if (cached || !page) { return cached || Response.error(); }
        return caches.match(LIST, loose).then(function (list) { return list || Response.error(); });
      });
    })
  );
});
