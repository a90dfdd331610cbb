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
  var statusLabels = JSON.parse(document.getElementById("status-labels").textContent);

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
  function getJson(url, body) {
    var options = { headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (body) {  // a POST of JSON, with the page's CSRF token
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = form.elements.csrfmiddlewaretoken.value;
      options.body = JSON.stringify(body);
    }
    return fetch(url, options)
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
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
    var lat = form.elements.lat.value, lon = form.elements.lon.value, area = form.elements.area.value;
    if (!select.value) { preview.textContent = ""; return; }
    var given = form.elements.no_place.checked ? "" : area ? "area" : lat && lon ? "point" : "";
    var answer;
    if (given === "area") {  // an area is sent as GeoJSON
      answer = getJson(form.dataset.previewUrl, { category: select.value, place: JSON.parse(area) });
    } else {
      var url = form.dataset.previewUrl + "?category=" + encodeURIComponent(select.value);
      if (given === "point") { url += "&lat=" + lat + "&lon=" + lon; }
      answer = getJson(url);
    }
    answer.then(function (routing) { if (routing) { preview.textContent = routing.explanation; } });
  }

  // The caller's earlier cases: by phone and by e-mail, both when both are given.
  function showEarlier() {
    var keys = [form.elements.phone.value.trim(), form.elements.email.value.trim()]
      .filter(function (key) { return key.length >= 5; });
    if (!keys.length) { return; }
    Promise.all(keys.map(function (key) {
      return getJson(form.dataset.casesUrl + "?page_size=10&q=" + encodeURIComponent(key));
    })).then(function (pages) {
      var seen = {}, found = [];
      pages.forEach(function (page) {
        (page ? page.features : []).forEach(function (feature) {
          var p = feature.properties;
          if (!seen[p.number]) { seen[p.number] = true; found.push(p); }
        });
      });
      found.sort(function (a, b) { return a.created_at < b.created_at ? 1 : -1; });
      earlier.innerHTML = "";
      found.slice(0, 10).forEach(function (p) {
        var item = document.createElement("li");
        var link = text("a", p.number);
        link.href = form.dataset.caseUrl.replace("NUMBER", encodeURIComponent(p.number));
        item.appendChild(link);
        item.appendChild(document.createTextNode(
          " " + p.title + " (" + (statusLabels[p.status] || p.status) + ", " + p.created_at.slice(0, 10) + ")"
        ));
        earlier.appendChild(item);
      });
      if (!found.length) { earlier.appendChild(text("li", "–", "muted")); }
    });
  }

  select.addEventListener("change", function () { applyTemplate(); showArticles(); showPreview(); });
  ["lat", "lon", "area"].forEach(function (name) {
    new MutationObserver(showPreview).observe(form.elements[name], { attributes: true });
  });
  form.addEventListener("click", function () { setTimeout(showPreview, 50); });
  form.elements.no_place.addEventListener("change", showPreview);
  form.elements.phone.addEventListener("change", showEarlier);
  form.elements.email.addEventListener("change", showEarlier);

  // Enter in a one-line field does not send a call half taken (Alt+S or the
  // button does); in the address field it takes a suggestion (report.js).
  form.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key === "Enter" && field.tagName === "INPUT" &&
        ["text", "email", "tel", "search", "number", "date", "url"].indexOf(field.type) !== -1) {
      event.preventDefault();
    }
  });

  // The telephone system's queue: preselect the first category of that group.
  var queue = JSON.parse(document.getElementById("desk-queue").textContent);
  if (queue && !select.value) {
    var match = Object.keys(templates).filter(function (code) { return templates[code].group === queue; })[0];
    if (match) { select.value = match; select.dispatchEvent(new Event("change")); }
  }
  var created = document.getElementById("created");
  var refused = document.getElementById("form-errors");
  if (created) { created.focus(); } else if (refused) { refused.focus(); } else { form.elements.phone.focus(); }
})();
