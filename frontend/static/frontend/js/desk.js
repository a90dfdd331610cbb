/*
 * The call console, on top of report.js (map, address, category search and
 * fields): the category's template fills empty fields, the routing preview
 * follows the category and place, the knowledge base shows the category's
 * articles, and the caller's earlier cases appear as their phone or e-mail
 * is typed. The telephone system's queue preselects the category group.
 */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var templates = JSON.parse(document.getElementById("category-templates").textContent);
  var select = form.elements.category;
  var preview = document.getElementById("routing-preview");
  var articles = document.getElementById("articles");
  var earlier = document.getElementById("earlier-cases");

  // Shortcuts for the common path (also as accesskeys for assistive technology).
  var shortcuts = { c: select, a: form.elements.address, p: form.elements.phone };
  Object.keys(shortcuts).forEach(function (key) { shortcuts[key].setAttribute("accesskey", key); });
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key.toLowerCase();
    if (shortcuts[key]) { event.preventDefault(); shortcuts[key].focus(); }
    if (key === "s") { event.preventDefault(); form.requestSubmit(); }
  });

  function text(tag, content, className) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (className) { node.className = className; }
    return node;
  }
  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; });
  }

  function applyTemplate() {
    var template = templates[select.value];
    if (!template) { return; }
    if (!form.elements.title.value) { form.elements.title.value = template.title; }
    if (!form.elements.description.value) { form.elements.description.value = template.description; }
    if (!form.elements.priority.value) { form.elements.priority.value = template.priority; }
  }

  function showArticles() {
    if (!select.value) { return; }
    getJson(form.dataset.articlesUrl + "?category=" + encodeURIComponent(select.value)).then(function (list) {
      if (!list) { return; }
      articles.innerHTML = "";
      list.forEach(function (article) {
        var box = document.createElement("article");
        box.appendChild(text("h3", article.title));
        box.appendChild(text("p", article.body));
        if (article.items.length) {
          var items = document.createElement("ul");
          article.items.forEach(function (item) { items.appendChild(text("li", item.text)); });
          box.appendChild(items);
        }
        articles.appendChild(box);
      });
    });
  }

  function showPreview() {
    var lat = form.elements.lat.value, lon = form.elements.lon.value;
    if (!select.value) { preview.textContent = ""; return; }
    var url = form.dataset.previewUrl + "?category=" + encodeURIComponent(select.value);
    if (lat && lon && !form.elements.no_place.checked) { url += "&lat=" + lat + "&lon=" + lon; }
    getJson(url).then(function (routing) { if (routing) { preview.textContent = routing.explanation; } });
  }

  function showEarlier() {
    var key = form.elements.phone.value.trim() || form.elements.email.value.trim();
    if (key.length < 5) { return; }
    getJson(form.dataset.casesUrl + "?page_size=10&q=" + encodeURIComponent(key)).then(function (page) {
      if (!page) { return; }
      earlier.innerHTML = "";
      page.features.forEach(function (feature) {
        var p = feature.properties;
        earlier.appendChild(text("li", p.number + " " + p.title + " (" + p.created_at.slice(0, 10) + ")"));
      });
      if (!page.features.length) { earlier.appendChild(text("li", "–", "muted")); }
    });
  }

  select.addEventListener("change", function () { applyTemplate(); showArticles(); showPreview(); });
  ["lat", "lon"].forEach(function (name) {
    new MutationObserver(showPreview).observe(form.elements[name], { attributes: true });
  });
  form.addEventListener("click", function () { setTimeout(showPreview, 50); });
  form.elements.no_place.addEventListener("change", showPreview);
  form.elements.phone.addEventListener("change", showEarlier);
  form.elements.email.addEventListener("change", showEarlier);

  // The telephone system's queue: preselect the first category of that group.
  var queue = JSON.parse(document.getElementById("desk-queue").textContent);
  if (queue && !select.value) {
    var match = Object.keys(templates).filter(function (code) { return templates[code].group === queue; })[0];
    if (match) { select.value = match; select.dispatchEvent(new Event("change")); }
  }
  var created = document.getElementById("created");
  if (created) { created.focus(); } else { form.elements.phone.focus(); }
})();
