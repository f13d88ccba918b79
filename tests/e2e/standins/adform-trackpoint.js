// Stand-in for Adform's trackpoint-async.js: reads window._adftrack and sets
// the first-party adformfrpid cookie with a 2-year expiry for each tracking point.
(function () {
  var w = window;
  var log = (w.__standin = w.__standin || {}).adform = [];
  var q = w._adftrack;
  var items = Array.isArray(q) ? q : q ? [q] : [];
  items.forEach(function (item) {
    log.push(item);
    if (item && item.pm) {
      document.cookie = 'adformfrpid=' + Math.floor(Math.random() * 1e12) + '; path=/; max-age=63072000; SameSite=Lax';
    }
  });
  (w.__standin.loaded = w.__standin.loaded || []).push('adform');
})();
