// Injected into every test page before any of its scripts (addInitScript).
// Records, on the page's own clock (performance.now(), 0 = navigation start):
//   barVisibleAt        the library's bar first visible
//   firstVendorAt       the first request to a vendor host (Resource Timing startTime)
//   longTasks, shifts   main-thread tasks over 50 ms, layout shifts
//   clickAt             the first click (capture phase: before the library's handler)
//   shownAt[name]       each of settings.watch's elements ({ name: selector }) first
//                       visible, by the bar's rule (the settings dialog after a reopen click)
//   activations         gated elements made live: a script with a src on the stand-in host
// The same probe runs for every library, so its own cost is the same for all.
((settings) => {
  const probe = {
    barVisibleAt: null,
    firstVendorAt: null,
    longTasks: [],
    shifts: [],
    clickAt: null,
    vendorsActivated: 0,
    lastVendorAt: null,
    elementsActivated: 0,
    lastElementAt: null,
    shownAt: {},
  };
  window.__bench = probe;

  const isVendor = (url) => {
    try {
      const host = new URL(url).hostname;
      return settings.vendorHosts.some((h) => host === h || host.endsWith(`.${h}`));
    } catch {
      return false;
    }
  };

  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) probe.shifts.push(e.value);
  }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (isVendor(e.name) && (probe.firstVendorAt === null || e.startTime < probe.firstVendorAt)) {
        probe.firstVendorAt = e.startTime;
      }
    }
  }).observe({ type: 'resource', buffered: true });

  window.addEventListener('click', () => { probe.clickAt ??= performance.now(); }, true);

  // The bar counts as visible once it has a box and neither it nor an
  // ancestor is hidden, transparent or display:none. So does a watched element.
  const shown = (selector) => {
    const el = document.querySelector(selector);
    if (!el) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  };
  const barShown = () => shown(settings.bar);
  const watchBar = () => {
    if (probe.barVisibleAt !== null) return;
    if (barShown()) probe.barVisibleAt = performance.now();
    else requestAnimationFrame(watchBar);
  };
  requestAnimationFrame(watchBar);
  const watched = Object.entries(settings.watch ?? {});
  const checkWatched = () => {
    for (const [name, selector] of watched) if (!(name in probe.shownAt) && shown(selector)) probe.shownAt[name] = performance.now();
  };
  const watchOthers = () => {
    checkWatched();
    if (watched.some(([name]) => !(name in probe.shownAt))) requestAnimationFrame(watchOthers);
  };
  if (watched.length) requestAnimationFrame(watchOthers);

  // Activation of the scale page's gated elements and generic vendors.
  const seen = new Set();
  const activated = (el) => {
    if (el.nodeName !== 'SCRIPT' || !el.isConnected || !el.src || seen.has(el.src)) return;
    if (el.type && el.type !== 'text/javascript' && el.type !== 'module') return;
    const url = new URL(el.src);
    if (url.hostname !== settings.standinHost) return;
    seen.add(el.src);
    const now = performance.now();
    if (url.pathname.startsWith('/v/')) {
      probe.vendorsActivated += 1;
      probe.lastVendorAt = now;
    } else {
      probe.elementsActivated += 1;
      probe.lastElementAt = now;
    }
  };
  new MutationObserver((records) => {
    if (probe.barVisibleAt === null && barShown()) probe.barVisibleAt = performance.now();
    if (watched.length) checkWatched();
    for (const r of records) {
      if (r.type === 'attributes') activated(r.target);
      else for (const node of r.addedNodes) activated(node);
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'type'] });
})
