/*
 * What the field view keeps on a phone belongs to the user who is logged in
 * (field_sw.js, field.js). Logging out deletes all of it — the pages kept for
 * reading offline, the actions waiting for a connection and the refused
 * ones — after asking, if some actions have not been sent yet. The log-in
 * page deletes the pages kept (nobody is logged in) but not the actions:
 * those of a session that ended wait for the same user to log in again, and
 * are neither sent nor shown under anyone else.
 */
(function () {
  "use strict";
  if (window.geocasesFieldForget) { return; }  // base.html and the log-in page may both load it
  var QUEUE = "geocases-field-queue", REFUSED = "geocases-field-refused";

  function pagesForget() {
    if (!window.caches) { return Promise.resolve(); }
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf("geocases-field") === 0; })
        .map(function (name) { return caches.delete(name); }));
    });
  }
  function stored(name) {
    try { return JSON.parse(localStorage.getItem(name)) || []; } catch (e) { return []; }
  }
  window.geocasesFieldForget = pagesForget;

  var logout = document.querySelector("form.logout");
  if (!logout) { pagesForget(); return; }  // nobody logged in
  logout.addEventListener("submit", function (event) {
    if (logout.dataset.forgotten) { return; }
    event.preventDefault();
    var user = logout.dataset.fieldUser;
    var unsent = stored(QUEUE).filter(function (item) { return item.user === user; }).length;
    if (unsent && !window.confirm((logout.dataset.fieldUnsent || "%(n)s").replace("%(n)s", unsent))) { return; }
    // Only this user's: another's actions still wait for them (field.js).
    [QUEUE, REFUSED].forEach(function (name) {
      var others = stored(name).filter(function (item) { return item.user && item.user !== user; });
      try { localStorage.setItem(name, JSON.stringify(others)); } catch (e) { /* none kept */ }
    });
    var done = function () { logout.dataset.forgotten = "1"; logout.submit(); };
    pagesForget().then(done, done);
  });
})();
