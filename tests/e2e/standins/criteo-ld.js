// Stand-in for Criteo OneTag's loader: drains window.criteo_q and sets
// cto_bundle with a 2-year expiry once an account is set.
(function () {
  var w = window;
  var log = (w.__standin = w.__standin || {}).criteo = [];
  function handle(item) {
    log.push(item);
    if (item && item.event === 'setAccount') {
      document.cookie = 'cto_bundle=' + Math.random().toString(36).slice(2) + '; path=/; max-age=63072000; SameSite=Lax';
    }
  }
  var q = (w.criteo_q = w.criteo_q || []);
  q.forEach(handle);
  q.push = function () {
    for (var i = 0; i < arguments.length; i++) handle(arguments[i]);
    return arguments.length;
  };
  (w.__standin.loaded = w.__standin.loaded || []).push('criteo');
})();
