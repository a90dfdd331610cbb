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
