// Only storage this host wrote, for this config, counts as consent (issue 13,
// finding 2). Generated records are planted in every place a record could be
// read from (localStorage, this host's cookie, a parent-domain cookie, a
// cookie on another path, the server mirror) on a real registrable domain
// (www.example.lv, mapped to loopback), and the network is watched: a vendor
// is contacted only for a record the library itself wrote for this host and
// this config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useDemo, openSite, waitForStart, settle } from './harness.mjs';

const demo = useDemo({ siteName: 'www.example.lv' });
const KEY = 'consent-gate';
const MIRROR = 'consent';

// The demo's config with a server mirror on the parent domain.
const CONFIG = JSON.stringify({
  ...JSON.parse(readFileSync(new URL('../../www/consent.json', import.meta.url), 'utf8')),
  storage: { key: KEY, cookie: { name: MIRROR, domain: 'example.lv' } },
});

/** The browser refuses localStorage (as with storage disabled): the record falls back to a cookie. */
function refuseLocalStorage() {
  Object.defineProperty(window, 'localStorage', {
    get() { throw new DOMException('The user denied storage', 'SecurityError'); },
  });
}

async function open({ localStorage = true } = {}) {
  const site = await openSite(demo.browser, demo.base);
  await site.page.route(`${demo.base}consent.json`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: CONFIG }));
  if (!localStorage) await site.context.addInitScript(refuseLocalStorage);
  return site;
}

/** A record the library itself wrote after a click on the bar's button. */
async function genuineRecord(buttonName) {
  const { context, page } = await open();
  await page.goto(demo.base);
  await page.locator('.cg-bar').getByRole('button', { name: buttonName }).click();
  await page.waitForFunction((key) => localStorage.getItem(key) !== null, KEY);
  const text = await page.evaluate((key) => localStorage.getItem(key), KEY);
  await context.close();
  return text;
}

// Written once, by the first test that needs them.
let grant;
let refusal;
async function genuineRecords() {
  grant ??= await genuineRecord('Pieņemt visas');
  refusal ??= await genuineRecord('Noraidīt visas');
}

// A seeded generator, so a failing case can be replayed (the seed is printed).
const SEED = Number(process.env.CG_SEED ?? Date.now() % 100000);
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** Forged or damaged variants of a genuine grant; none may count. */
function forgeries(text, random) {
  const record = JSON.parse(text);
  const edit = (change) => JSON.stringify(change(structuredClone(record)));
  const flipHex = (hex) => hex.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  const padding = 'x'.repeat(4096 + Math.floor(random() * 4096));
  return {
    'fingerprints of another config': edit((r) => {
      for (const vendors of Object.values(r.vendors)) for (const entry of Object.values(vendors)) entry[1] = flipHex(entry[1]);
      return r;
    }),
    'another policy revision': edit((r) => ({ ...r, revision: r.revision + 1 + Math.floor(random() * 5) })),
    'an unknown version': edit((r) => ({ ...r, v: 4 + Math.floor(random() * 10) })),
    'an extra field': edit((r) => ({ ...r, admin: true })),
    'an id that is no id': edit((r) => ({ ...r, id: 'x'.repeat(32) })),
    'dated in the future': edit((r) => ({ ...r, updatedAt: Date.now() + (2 + Math.floor(random() * 300)) * 86_400_000 })),
    'last decision before the first': edit((r) => ({ ...r, givenAt: r.updatedAt + 1 })),
    'choices as text': edit((r) => ({ ...r, choices: { analytics: 'true', marketing: 'true' } })),
    'a choice by name that is no grant': edit((r) => ({ ...r, choices: { analytics: false, marketing: false }, explicit: { analytics: true, marketing: true } })),
    'expired long ago': edit((r) => ({ ...r, givenAt: r.givenAt - 400 * 86_400_000, updatedAt: r.updatedAt - 400 * 86_400_000 })),
    'padded past the size limit': edit((r) => ({ ...r, lang: `${r.lang}`, pad: padding })),
    'truncated': text.slice(0, Math.floor(random() * (text.length - 1))),
    'another tool\'s value': JSON.stringify({ analytics: true, marketing: true }),
    'not JSON': 'granted',
  };
}

/** Plants `value` as the record in localStorage before the page's first visit (not again on a reload). */
function plantInStorage(context, value) {
  return context.addInitScript(([key, planted]) => {
    if (!sessionStorage.getItem('planted')) {
      localStorage.setItem(key, planted);
      sessionStorage.setItem('planted', '1');
    }
  }, [KEY, value]);
}

/** Plants `value` as a cookie: host-only on this host, or on the parent domain, or on a path. */
function cookie(name, value, where = {}) {
  const base = { name, value: encodeURIComponent(value), sameSite: 'Lax' };
  if (where.domain) return { ...base, domain: where.domain, path: where.path ?? '/' };
  return { ...base, url: new URL(where.path ?? '/', demo.base).href };
}

/**
 * Loads `path` with what is planted and returns whether any vendor was
 * contacted and whether the bar asked.
 */
async function visit({ localStorage = true, storageValue, cookies = [], path = '/' }) {
  const { context, page, vendorRequests } = await open({ localStorage });
  if (storageValue !== undefined) await plantInStorage(context, storageValue);
  if (cookies.length) await context.addCookies(cookies);
  await page.goto(new URL(path, demo.base).href);
  await waitForStart(page);
  await settle(page, 400);
  const outcome = {
    contacted: vendorRequests.length > 0,
    asked: (await page.locator('.cg-bar').count()) > 0,
    choices: await page.evaluate(() => window.consentGate.choices()),
  };
  await context.close();
  return outcome;
}

const GRANTED = { contacted: true, asked: false, choices: { analytics: true, marketing: true } };
const NOTHING = { contacted: false, asked: true, choices: { analytics: false, marketing: false } };

test('a grant the library wrote counts, in localStorage and in its own host-only cookie', async () => {
  await genuineRecords();
  assert.deepEqual(await visit({ storageValue: grant }), GRANTED);
  assert.deepEqual(await visit({ localStorage: false, cookies: [cookie(KEY, grant)] }), GRANTED);
});

test(`forged and damaged records never count, in localStorage or this host's cookie (seed ${SEED})`, async () => {
  await genuineRecords();
  const random = rng(SEED);
  const cases = Object.entries(forgeries(grant, random)).flatMap(([name, value]) => [
    [`localStorage, ${name}`, { storageValue: value }],
    // A browser keeps no cookie over 4 KB: the oversized value fits only in localStorage.
    ...(encodeURIComponent(value).length > 4000 ? [] : [[`host cookie, ${name}`, { localStorage: false, cookies: [cookie(KEY, value)] }]]),
  ]);
  // Four pages at a time: each has its own context, storage and cookies.
  for (let i = 0; i < cases.length; i += 4) {
    const batch = cases.slice(i, i + 4);
    const outcomes = await Promise.all(batch.map(([, planted]) => visit(planted)));
    batch.forEach(([where], j) => {
      assert.equal(outcomes[j].contacted, false, `${where}: no vendor request (seed ${SEED})`);
      assert.equal(outcomes[j].asked, true, `${where}: the bar asks (seed ${SEED})`);
    });
  }
});

test('a genuine grant on the parent domain, on another path or in the mirror never counts', async () => {
  await genuineRecords();
  const parent = cookie(KEY, grant, { domain: '.example.lv' });
  assert.deepEqual(await visit({ localStorage: false, cookies: [parent] }), NOTHING, 'set by a sibling subdomain');
  const otherPath = cookie(KEY, grant, { path: '/en/' });
  assert.deepEqual(await visit({ localStorage: false, cookies: [otherPath], path: '/en/' }), NOTHING, 'a cookie on /en/');
  const mirror = cookie(MIRROR, grant, { domain: '.example.lv' });
  assert.deepEqual(await visit({ cookies: [mirror] }), NOTHING, 'the mirror, with localStorage');
  assert.deepEqual(await visit({ localStorage: false, cookies: [mirror] }), NOTHING, 'the mirror, without localStorage');
});

test("beside a sibling's cookie of the same name, this host's own record decides", async () => {
  await genuineRecords();
  const siblingGrant = cookie(KEY, grant, { domain: '.example.lv' });
  const ownRefusal = await visit({ localStorage: false, cookies: [siblingGrant, cookie(KEY, refusal)] });
  assert.deepEqual(ownRefusal, { contacted: false, asked: false, choices: { analytics: false, marketing: false } },
    'an explicit refusal is not overridden');
  const siblingRefusal = cookie(KEY, refusal, { domain: '.example.lv' });
  const ownGrant = await visit({ localStorage: false, cookies: [siblingRefusal, cookie(KEY, grant)] });
  assert.deepEqual(ownGrant, GRANTED, 'nor is a grant withdrawn by a sibling');
});

test('a 2 MB record with 200,000 keys is refused without parsing it', async () => {
  const keys = Array.from({ length: 200_000 }, (_, i) => `"k${i}":0`).join(',');
  const huge = `{${keys},"v":3}`;
  const { context, page, vendorRequests, problems } = await open();
  await plantInStorage(context, huge);
  await page.goto(demo.base);
  await waitForStart(page);
  await settle(page);
  assert.deepEqual(vendorRequests, []);
  assert.equal(await page.locator('.cg-bar').count(), 1);
  assert.ok(problems.some((p) => /more than the 8192 a record can take/.test(p)), problems.join('\n'));
  await context.close();
});
