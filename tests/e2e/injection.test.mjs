// Injected HTML never gains the power of the site's CSP nonce (issue 13).
//
// A property test in Chromium: gated markup of every kind (inline and
// external scripts, iframes, images), with every URL scheme and a random mix
// of attributes, is injected into gated.html the ways a site bug lets an
// attacker in: rendered into the page by the server, through innerHTML and
// through DOM APIs, before and after the grant, and on a returning visit where
// the grant already holds. The page is served under a nonce CSP, with and
// without 'strict-dynamic', with a fresh nonce per response that the site puts
// on the drop-in and on its own gated scripts.
//
// Every payload tries to call __inj(id) and to hit /inj/deny/… or
// evil.example. Nothing injected may ever run or be requested, no injected
// script may get a live copy, and an injected iframe or image may only load
// an http(s) URL (which the injected HTML could have loaded without the
// library), without its on* handlers. The site's own gated scripts still run,
// in order, and so does one the site adds later with the nonce.
//
// Seeded: the seed is printed; rerun a failure with INJECTION_SEED=<seed>.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { useDemo, openSite, waitForBar, recordErrorEvents } from './harness.mjs';

const demo = useDemo();

const SEED = (process.env.INJECTION_SEED ? Number(process.env.INJECTION_SEED) : randomBytes(4).readUInt32LE()) >>> 0;
console.log(`injection.test.mjs: seed ${SEED} (rerun with INJECTION_SEED=${SEED})`);

/** mulberry32: a small seeded PRNG, so a failing case can be replayed. */
function prng(seed) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: (list) => list[Math.floor(next() * list.length)], chance: (p) => next() < p };
}

const VENDOR_SCRIPT_HOSTS = 'https://www.googletagmanager.com https://connect.facebook.net https://dynamic.criteo.com https://s2.adform.net';

// script-src-attr 'unsafe-inline' lets on* handlers run, as on a site with
// legacy inline handlers: a handler the library copied or left on an element
// it activated would then show up as a call to __inj.
function policy(nonce, strictDynamic) {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' 'nonce-${nonce}'${strictDynamic ? " 'strict-dynamic'" : ''} ${VENDOR_SCRIPT_HOSTS}`,
    "script-src-attr 'unsafe-inline'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "frame-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
  ].join('; ');
}

// What an injected payload runs: works from the page and from a frame.
const run = (id) => `try{parent.__inj('${id}')}catch(e){parent.postMessage('inj:${id}','*')}`;

/**
 * Sources by scheme. `deny` URLs must never be requested; an `allow` URL is
 * one the injected HTML could load by itself (an image or a frame over http).
 * The variants are what the URL parser strips or folds: case, leading C0
 * controls and spaces, tabs and newlines anywhere.
 */
function sources(kind, id, rng) {
  const bucket = kind === 'iframe' || kind === 'img' ? 'allow' : 'deny';
  const file = `${id}${bucket === 'deny' ? '.js' : ''}`;
  const dataUrl = {
    external: `data:text/javascript,${run(id)}`,
    iframe: `data:text/html,<script>${run(id)}</script>`,
    img: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=',
  }[kind];
  const javascript = `javascript:${run(id)}`;
  return [
    `https://evil.example/inj/${bucket}/${file}`,
    `HTTPS://evil.example/inj/${bucket}/${file}`,
    `http://evil.example/inj/${bucket}/${file}`,
    `/inj/${bucket}/${file}`,
    `inj/${bucket}/${file}`,
    `//evil.example/inj/${bucket}/${file}`,
    javascript,
    `JaVaScRiPt:${run(id)}`,
    ` \x01${javascript}`,
    `java\tscript:${run(id)}`,
    `java\nscr\ript:${run(id)}`,
    `javascript\t:${run(id)}`,
    dataUrl,
    ` DATA:${dataUrl.slice(5)}`,
    `da\nta:${dataUrl.slice(5)}`,
    `${rng.pick(['blob:', 'BLOB:', ' blob:'])}http://127.0.0.1/00000000-0000-4000-8000-000000000000`,
    `vbscript:${run(id)}`,
    `\tVBScript:${run(id)}`,
  ];
}

const DATA_TYPES = [null, 'module', 'text/javascript', ' Module ', 'importmap', 'speculationrules', 'application/json', 'text/html', 'webbundle'];
const WRONG_NONCES = [null, null, 'abc123', '', 'bm9uY2U=', 'x'.repeat(24)];

/**
 * Every kind with every source, each with random attributes: returns
 * { id, tag, attrs: [[name, value]], text } specs.
 */
function payloads(rng, prefix) {
  const specs = [];
  let n = 0;
  for (const kind of ['inline', 'external', 'iframe', 'img']) {
    const count = kind === 'inline' ? 6 : sources(kind, 'x', rng).length;
    for (let i = 0; i < count; i++) {
      const id = `${prefix}-${n++}`;
      const tag = kind === 'inline' || kind === 'external' ? 'script' : kind;
      const attrs = [];
      if (tag === 'script') attrs.push(['type', 'text/plain']);
      attrs.push(['data-consent', rng.pick(['analytics', 'marketing'])]);
      attrs.push(['data-inj', id]);
      if (kind !== 'inline') attrs.push(['data-src', sources(kind, id, rng)[i]]);
      let text = '';
      if (tag === 'script') {
        const type = rng.pick(DATA_TYPES);
        if (type !== null) attrs.push(['data-type', type]);
        const nonce = rng.pick(WRONG_NONCES);
        if (nonce !== null) attrs.push(['nonce', nonce]);
        if (kind === 'inline') text = `${run(id)};fetch('/inj/deny/${id}-ran')`;
        // A src on the inert script: the browser ignores it; it must not be copied.
        if (rng.chance(0.2)) attrs.push(['src', `/inj/deny/${id}-src.js`]);
        if (rng.chance(0.2)) attrs.push(['srcdoc', `<script>${run(`${id}-srcdoc`)}</script>`]);
      }
      // srcdoc and srcset load at once, without the library; their handlers
      // would fire by themselves, so they are not combined with on*.
      const live = (tag === 'iframe' && rng.chance(0.15)) ? ['srcdoc', `<script>${run(`${id}-srcdoc`)}</script>`]
        : (tag === 'img' && rng.chance(0.15)) ? ['srcset', `/inj/allow/${id}-srcset 1x`] : null;
      if (live) attrs.push(live);
      else if (rng.chance(0.5)) {
        // An iframe loads about:blank on insertion by itself: its handlers
        // report only once the element has a source, i.e. once activated.
        const code = tag === 'iframe' ? `this.hasAttribute('src')&&${run(`${id}-on`)}` : run(`${id}-on`);
        for (const name of rng.pick([['onload'], ['onerror'], ['onload', 'onerror'], ['ONERROR'], ['onbeforescriptexecute', 'onerror']])) {
          attrs.push([name, code]);
        }
      }
      specs.push({ id, tag, attrs, text });
    }
  }
  // Shuffle (Fisher-Yates), so batches get a mix.
  for (let i = specs.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [specs[i], specs[j]] = [specs[j], specs[i]];
  }
  return specs;
}

const escapeAttr = (v) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function markup(specs) {
  return specs.map(({ tag, attrs, text }) => {
    const attributes = attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
    return tag === 'img' ? `<img${attributes}>` : `<${tag}${attributes}>${text}</${tag}>`;
  }).join('\n');
}

/** Splits specs at random into `count` batches. */
function split(specs, count, rng) {
  const batches = Array.from({ length: count }, () => []);
  for (const spec of specs) rng.pick(batches).push(spec);
  return batches;
}

/** Injects through innerHTML of a connected container. */
async function injectHtml(page, specs) {
  await page.evaluate((html) => {
    const box = document.createElement('div');
    document.getElementById('comments').append(box);
    box.innerHTML = html;
  }, markup(specs));
}

/** Injects through createElement/setAttribute (a wrong nonce set either way). */
async function injectDom(page, specs) {
  await page.evaluate((specs) => {
    const comments = document.getElementById('comments');
    for (const { tag, attrs, text } of specs) {
      const element = document.createElement(tag);
      for (const [name, value] of attrs) {
        if (name === 'nonce' && value.length % 2) element.nonce = value;
        // setAttributeNS keeps the case: ONLOAD is no handler here, but would
        // become one if copied with setAttribute.
        else if (name.startsWith('on') && value.length % 3 === 0) element.setAttributeNS(null, name.toUpperCase(), value);
        else element.setAttribute(name, value);
      }
      element.textContent = text;
      comments.append(element);
    }
  }, specs);
}

/** Serves gated.html with a fresh nonce on the drop-in and on the site's own gated scripts, and `served` payloads in the page. */
async function serveInjected(page, strictDynamic, servedBatches) {
  const nonces = [];
  await page.route(`${demo.base}gated.html`, async (route) => {
    const nonce = randomBytes(16).toString('base64');
    nonces.push(nonce);
    const response = await route.fetch();
    const served = servedBatches.shift() ?? [];
    const html = (await response.text())
      .replace('<script type="module" async src=', `<script type="module" async nonce="${nonce}" src=`)
      .replaceAll('<script type="text/plain" data-consent=', `<script type="text/plain" nonce="${nonce}" data-consent=`)
      .replace('</main>', `<div id="comments">\n${markup(served)}\n</div></main>`);
    await route.fulfill({ response, body: html, headers: { ...response.headers(), 'content-security-policy': policy(nonce, strictDynamic) } });
  });
  return nonces;
}

/** Records every request that reaches for an injected URL, and answers it. */
async function recordInjectedRequests(page) {
  const requested = [];
  page.on('request', (r) => {
    const url = r.url();
    if (url.includes('/inj/') || url.includes('evil.example')) requested.push(url);
  });
  const answer = (route) => {
    const { pathname } = new URL(route.request().url());
    const id = pathname.split('/').pop().replace(/\.js$/, '');
    return pathname.endsWith('.js')
      ? route.fulfill({ status: 200, contentType: 'text/javascript', body: run(id) })
      : route.fulfill({ status: 204, body: '' });
  };
  await page.route(`${demo.base}inj/**`, answer);
  await page.route('http://evil.example/**', answer);
  await page.route('https://evil.example/**', answer);
  return requested;
}

/** What the page saw of the injected elements, checked against the browser's own URL parser. */
async function injectedState(page) {
  return page.evaluate(() => {
    const state = { ran: window.__injected.splice(0), liveScripts: [], badSources: [], handlersKept: [], unreported: [] };
    const granted = window.consentGate?.isGranted('analytics');
    for (const element of document.querySelectorAll('[data-inj]')) {
      const id = element.getAttribute('data-inj');
      if (element.localName === 'script' && element.getAttribute('type') !== 'text/plain') state.liveScripts.push(id);
      // Once granted, each injected script has been refused, and so reported.
      if (granted && element.localName === 'script' && !element.hasAttribute('data-consent-refused')) state.unreported.push(id);
      const src = element.getAttribute('src');
      if (element.localName !== 'script' && src !== null) {
        const protocol = new URL(src, document.baseURI).protocol;
        if (!['http:', 'https:'].includes(protocol) || src !== element.getAttribute('data-src-was')) state.badSources.push(`${id}: ${JSON.stringify(src)}`);
        const handlers = element.getAttributeNames().filter((n) => /^on/i.test(n));
        if (handlers.length) state.handlersKept.push(`${id}: ${handlers}`);
      }
    }
    return state;
  });
}

async function settleInjected(page) {
  await page.waitForTimeout(400);
}

/** What went wrong at this point, as { where: [problems] } (empty when nothing did). */
async function injectedProblems(page, requested, where) {
  const state = await injectedState(page);
  const found = {
    'injected code ran': state.ran,
    'injected URLs requested': requested.splice(0).filter((u) => u.includes('/inj/deny/') || (u.includes('evil.example') && !u.includes('/inj/allow/'))),
    'injected scripts got a live copy': state.liveScripts,
    'injected frames or images got a source that is not their http(s) data-src': state.badSources,
    'activated frames or images kept on* handlers': state.handlersKept,
    'injected scripts not reported': state.unreported,
  };
  const problems = Object.entries(found).filter(([, list]) => list.length).map(([what, list]) => `${what}: ${list.join(', ')}`);
  return problems.length ? { [where]: problems } : {};
}

for (const strictDynamic of [false, true]) {
  test(`injected gated markup never runs with the site's nonce (${strictDynamic ? "with 'strict-dynamic'" : 'nonce and hosts'}), seed ${SEED}`, async () => {
    const rng = prng(SEED + (strictDynamic ? 1 : 0));
    const { context, page } = await openSite(demo.browser, demo.base);
    await context.addInitScript(() => {
      window.__injected = [];
      window.__inj = (id) => window.__injected.push(String(id));
      window.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.startsWith('inj:')) window.__injected.push(e.data.slice(4));
      });
      // Kept to check that an activated element's src is exactly its data-src.
      new MutationObserver((records) => {
        for (const r of records) {
          for (const node of r.addedNodes) {
            const all = node.nodeType === 1 ? [node, ...node.querySelectorAll('[data-src]')] : [];
            for (const e of all) if (e.hasAttribute('data-src')) e.setAttribute('data-src-was', e.getAttribute('data-src'));
          }
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const requested = await recordInjectedRequests(page);
    const problems = {};

    // First visit: payloads in the served page, then before and after the grant.
    const [served, htmlBefore, domBefore, htmlAfter, domAfter] = split(payloads(rng, 'v1'), 5, rng);
    // Second visit (the grant holds): in the served page and added at once.
    const [servedAgain, domAgain] = split(payloads(rng, 'v2'), 2, rng);
    const nonces = await serveInjected(page, strictDynamic, [served, servedAgain]);

    await page.goto(`${demo.base}gated.html`);
    const bar = await waitForBar(page);
    await injectHtml(page, htmlBefore);
    await injectDom(page, domBefore);
    await settleInjected(page);
    Object.assign(problems, await injectedProblems(page, requested, 'before the grant'));

    await bar.getByRole('button', { name: 'Accept all' }).click();
    await page.waitForFunction(() => window.gatedOrder?.length === 4);
    await injectHtml(page, htmlAfter);
    await injectDom(page, domAfter);
    // The site adds a gated script later, with the nonce, as the README says.
    await page.evaluate((nonce) => {
      const script = document.createElement('script');
      script.type = 'text/plain';
      script.dataset.consent = 'analytics';
      script.nonce = nonce;
      script.textContent = "window.gatedOrder.push('added later')";
      document.body.append(script);
    }, nonces[0]);
    await page.waitForFunction(() => window.gatedOrder.length === 5);
    await settleInjected(page);
    assert.deepEqual(await page.evaluate(() => window.gatedOrder), ['inline analytics', 'external marketing', 'external after', 'inline marketing', 'added later']);
    Object.assign(problems, await injectedProblems(page, requested, 'first visit, after the grant'));

    await page.goto(`${demo.base}gated.html`);
    await injectDom(page, domAgain);
    await page.waitForFunction(() => window.gatedOrder?.length === 4);
    await settleInjected(page);
    assert.deepEqual(await page.evaluate(() => window.gatedOrder), ['inline analytics', 'external marketing', 'external after', 'inline marketing']);
    Object.assign(problems, await injectedProblems(page, requested, 'returning visit, granted'));
    assert.deepEqual(problems, {}, `injected markup gained the nonce's power (seed ${SEED})`);
    assert.equal(nonces.length, 2, 'a fresh nonce per response');
    assert.notEqual(nonces[0], nonces[1]);
    await context.close();
  });
}

test('elements marked data-consent that load by themselves are reported once each, also when added later', async () => {
  // The library cannot hold these back; it names each and the inert form to write.
  const { context, page, problems } = await openSite(demo.browser, demo.base);
  await recordErrorEvents(page);
  await page.route(`${demo.base}gated.html`, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace('</main>', `
      <script data-consent="analytics" src="/gated/early.js"></script>
      <iframe data-consent="marketing" src="/gated/embed.html" title="x"></iframe>
      </main>`);
    await route.fulfill({ response, body: html });
  });
  await page.route(`${demo.base}gated/early.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
  await page.goto(`${demo.base}gated.html`);
  const bar = await waitForBar(page);
  const add = (html) => page.evaluate((html) => document.querySelector('main').insertAdjacentHTML('beforeend', html), html);
  await add('<iframe data-consent="marketing" srcdoc="<p>hi</p>" title="y"></iframe><img data-consent="analytics" srcset="/gated/pixel.svg 1x" alt="">');
  await bar.getByRole('button', { name: 'Accept all' }).click();
  await page.waitForFunction(() => window.consentGate.isGranted('marketing'));
  await add('<img data-consent="marketing" src="/gated/pixel.svg?early" data-src="/gated/pixel.svg?late" alt="">');
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.type = 'module';
    s.dataset.consent = 'analytics';
    s.textContent = '';
    document.body.append(s);
  });
  // More changes to the page: nothing is reported twice.
  await add('<p>a paragraph</p>');
  await page.waitForTimeout(300);
  const expected = [
    '<script data-consent="analytics" src="/gated/early.js"> loads before consent: consent-gate cannot hold it back. Write <script type="text/plain" data-consent="analytics" data-src="/gated/early.js"> instead',
    '<iframe data-consent="marketing" src="/gated/embed.html"> loads before consent: consent-gate cannot hold it back. Write <iframe data-consent="marketing" data-src="/gated/embed.html"> instead',
    '<iframe data-consent="marketing" srcdoc="<p>hi</p>"> loads before consent: consent-gate cannot hold it back. Write <iframe data-consent="marketing" data-src="…"> with a single URL instead',
    '<img data-consent="analytics" srcset="/gated/pixel.svg 1x"> loads before consent: consent-gate cannot hold it back. Write <img data-consent="analytics" data-src="…"> with a single URL instead',
    '<img data-consent="marketing" src="/gated/pixel.svg?early"> loads before consent: consent-gate cannot hold it back. Write <img data-consent="marketing" data-src="/gated/pixel.svg?early"> instead',
    '<script data-consent="analytics"> loads before consent: consent-gate cannot hold it back. Write <script type="text/plain" data-consent="analytics"> instead',
  ];
  assert.deepEqual(await page.evaluate(() => window.errorEvents), expected);
  assert.deepEqual(problems, expected.map((m) => `console error: consent-gate: ${m}`));
  assert.equal(await page.locator('img[src="/gated/pixel.svg?late"]').count(), 0, 'an element reported as loading early is left as it is');
  await context.close();
});
