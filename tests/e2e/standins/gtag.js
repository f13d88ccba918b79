// Stand-in for gtag.js: reads dataLayer the way gtag.js does (Arguments
// objects), honours Consent Mode, and sets the real first-party cookies of
// GA4 (_ga, _ga_<stream>), Google Ads (_gcl_au, and _gcl_aw after an ad click:
// ?gclid= in the address) and Floodlight (_gcl_dc), with
// the expiry gtag would use: cookie_expires when set, else its 2-year default.
(function () {
  var w = window;
  var log = (w.__standin = w.__standin || {}).gtag = [];
  var consent = {};
  function setCookie(name, value, seconds) {
    document.cookie = name + '=' + value + '; path=/; max-age=' + seconds + '; SameSite=Lax';
  }
  function handle(args) {
    var a = Array.prototype.slice.call(args);
    log.push(a);
    if (a[0] === 'consent') {
      Object.assign(consent, a[2]);
      if (w.__standinReport) w.__standinReport('gtag', a);
    }
    if (a[0] !== 'config') return;
    var id = String(a[1]);
    var settings = a[2] || {};
    var seconds = settings.cookie_expires !== undefined ? settings.cookie_expires : 63072000;
    var value = 'GA1.1.' + Math.floor(Math.random() * 1e9) + '.' + Math.floor(Date.now() / 1000);
    if (id.indexOf('G-') === 0 && consent.analytics_storage === 'granted') {
      setCookie('_ga', value, seconds);
      setCookie('_ga_' + id.slice(2), 'GS1.1.' + Math.floor(Date.now() / 1000), seconds);
    }
    if (id.indexOf('AW-') === 0 && consent.ad_storage === 'granted') {
      setCookie('_gcl_au', '1.1.' + Date.now(), seconds);
      var gclid = new URLSearchParams(w.location.search).get('gclid');
      if (gclid) setCookie('_gcl_aw', 'GCL.' + Math.floor(Date.now() / 1000) + '.' + gclid, seconds);
    }
    if (id.indexOf('DC-') === 0 && consent.ad_storage === 'granted') setCookie('_gcl_dc', '1.1.' + Date.now(), seconds);
  }
  var dl = (w.dataLayer = w.dataLayer || []);
  dl.forEach(handle);
  var push = dl.push;
  dl.push = function () {
    for (var i = 0; i < arguments.length; i++) handle(arguments[i]);
    return push.apply(dl, arguments);
  };
  (w.__standin.loaded = w.__standin.loaded || []).push('gtag');
})();
