// Stand-in for Meta Pixel's fbevents.js: drains the fbq queue, honours
// fbq('consent', …) and sets _fbp (and _fbc after an ad click: ?fbclid= in the
// address) with a 2-year expiry on init.
(function () {
  var w = window;
  var log = (w.__standin = w.__standin || {}).fbq = [];
  var granted = true;
  var fbq = w.fbq;
  function handle(args) {
    var a = Array.prototype.slice.call(args);
    log.push(a);
    if (a[0] === 'consent') {
      granted = a[1] === 'grant';
      if (w.__standinReport) w.__standinReport('fbq', a);
    }
    if (a[0] === 'init' && granted) {
      document.cookie = '_fbp=fb.1.' + Date.now() + '.' + Math.floor(Math.random() * 1e9) + '; path=/; max-age=63072000; SameSite=Lax';
      var fbclid = new URLSearchParams(w.location.search).get('fbclid');
      if (fbclid) document.cookie = '_fbc=fb.1.' + Date.now() + '.' + fbclid + '; path=/; max-age=63072000; SameSite=Lax';
    }
  }
  if (!fbq) return;
  fbq.callMethod = function () { handle(arguments); };
  var queued = fbq.queue || [];
  fbq.queue = [];
  queued.forEach(handle);
  (w.__standin.loaded = w.__standin.loaded || []).push('fbevents');
})();
