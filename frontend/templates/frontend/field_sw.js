{% load static %}/*
 * The field view offline: pages under /field/ and the static files they use
 * come from the network when there is one, and from the cache when not, so
 * the list and the cases already opened can be read without a connection.
 * Actions taken offline are queued by field.js, not here.
 */
"use strict";
var CACHE = "geocases-field-v1";
var SHELL = [
  "{% url 'frontend:field' %}",
  "{% static 'frontend/css/site.css' %}",
  "{% static 'frontend/js/field.js' %}"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (!url.pathname.startsWith("/field/") && !url.pathname.startsWith("/static/")) { return; }
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (cached) {
        return cached || caches.match("{% url 'frontend:field' %}");
      });
    })
  );
});
