// The three consent libraries under test, each configured in its own idiom
// for the same three categories (necessary, analytics, marketing) and the
// same six vendors. Every page is the demo's English home page
// (www/en/index.html) with its consent-gate lines swapped for the library's.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, '..');
const modules = join(here, 'node_modules');

/** The host the scale page's generic vendors and gated elements load from (a stand-in). */
export const STANDIN_HOST = 'tags.bench.test';
export const SCALE_VENDORS = 200;
export const SCALE_ELEMENTS = 1000;
/** The slow page: its head and header go out at once, the rest this much later. */
export const SLOW_TAIL_MS = 200;
/** Where the slow page is cut: before the main content, as a server that flushes early would. */
export const SLOW_SPLIT = '<main';

/**
 * The six vendors of www/consent.json as tags: the loader URL consent-gate
 * builds for each, and the set-up snippet a site writes by hand for the
 * libraries that gate page markup instead of knowing the vendors.
 */
const GTAG = (id) =>
  `window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());gtag('config','${id}');`;
export const VENDORS = [
  { name: 'ga4', title: 'Google Analytics', category: 'analytics', src: 'https://www.googletagmanager.com/gtag/js?id=G-DEMO2024LV', setup: GTAG('G-DEMO2024LV') },
  { name: 'google-ads', title: 'Google Ads', category: 'marketing', src: 'https://www.googletagmanager.com/gtag/js?id=AW-123456789', setup: GTAG('AW-123456789') },
  { name: 'gmp', title: 'Google Marketing Platform', category: 'marketing', src: 'https://www.googletagmanager.com/gtag/js?id=DC-1234567', setup: GTAG('DC-1234567') },
  { name: 'facebook', title: 'Facebook', category: 'marketing', src: 'https://connect.facebook.net/en_US/fbevents.js', setup: "window.fbq=window.fbq||function(){(fbq.q=fbq.q||[]).push(arguments)};fbq('init','123456789012345');fbq('track','PageView');" },
  { name: 'criteo', title: 'Criteo', category: 'marketing', src: 'https://dynamic.criteo.com/js/ld/ld.js?a=12345', setup: "window.criteo_q=window.criteo_q||[];criteo_q.push({event:'setAccount',account:12345});" },
  { name: 'adform', title: 'Adform', category: 'marketing', src: 'https://s2.adform.net/banners/scripts/st/trackpoint-async.js', setup: 'window._adftrack=window._adftrack||[];_adftrack.push({pm:1234567});' },
];

/** The scale page's generic vendors: distinct https srcs on the stand-in host, split over both categories. */
export function scaleVendors() {
  return Array.from({ length: SCALE_VENDORS }, (_, i) => ({
    name: `v${i}`,
    title: `Vendor ${i}`,
    category: i % 2 ? 'marketing' : 'analytics',
    src: `https://${STANDIN_HOST}/v/${i}.js`,
  }));
}

function gatedElementSrc(i) {
  return `https://${STANDIN_HOST}/g/${i}.js`;
}

// ---------------------------------------------------------------- consent-gate

function consentGateConfig(scale) {
  const base = JSON.parse(readFileSync(join(repo, 'www/consent.json'), 'utf8'));
  if (!scale) return base;
  const vendors = scaleVendors().map((v) => ({
    type: 'script', name: v.title, src: v.src, category: v.category,
    lifetime: '180 days', privacyUrl: `https://${STANDIN_HOST}/privacy`,
  }));
  return { ...base, vendors };
}

/**
 * consent.json with two mistakes the README's checker example shows: a
 * retired Universal Analytics id and a misspelt field. The full messages name
 * the field and suggest the right spelling; FULL_MESSAGE is the suggestion.
 */
export const BROKEN_FULL_MESSAGE = '"privacyUrl"';
function brokenConfig() {
  const config = consentGateConfig(false);
  const ga4 = config.vendors.find((v) => v.type === 'ga4');
  ga4.measurementId = 'UA-12345-1';
  ga4.privacyURL = 'https://example.com/privacy';
  return config;
}

const consentGate = {
  id: 'consent-gate',
  label: 'consent-gate',
  // URL paths only this library's page may request (the guard against one
  // library's files leaking into another's page).
  paths: ['/pkg/', '/consent-gate/', '/consent.json'],
  bar: '.cg-bar',
  accept: '.cg-bar [data-cg-action="accept"]',
  // The library's own files (JS, wasm, CSS), counted in the bytes per page view
  // by URL path, whatever files the build splits itself into.
  counted: ['/pkg/'],
  settings: '.cg-prefs',
  // The demo's "Cookie settings" link, as the library spells it.
  openLink: 'data-consent-open',
  // Page views only this library has: a cookie declaration element, and a
  // config that fails its checks (the full messages in [data-consent-errors]).
  kinds: ['declaration', 'broken'],
  version: () => JSON.parse(readFileSync(join(repo, 'pkg/package.json'), 'utf8')).version,
  // The demo page's own consent-gate lines (www/en/index.html: the stylesheet,
  // the drop-in and the README's preload hints), with the config path
  // pointed at the page's config: whatever the build loads, the bench loads.
  head: (page) => demoHead().map((line) => line.replaceAll(`"${DEMO_CONFIG}"`, `"/consent-gate/${page}.json"`)),
  // Vendors are config entries, so the page needs no vendor markup.
  vendorMarkup: () => '',
  scaleMarkup: (elements) => elements.map((i) => `<script type="text/plain" data-consent="${i % 2 ? 'marketing' : 'analytics'}" data-src="${gatedElementSrc(i)}"></script>`).join('\n'),
  supportsGatedMarkup: true,
  config: (page) => ({ type: 'application/json', body: JSON.stringify(page === 'broken' ? brokenConfig() : consentGateConfig(page === 'scale')) }),
};

// ------------------------------------------------------- vanilla-cookieconsent

function cookieConsentConfig(scale) {
  const services = (category) =>
    Object.fromEntries((scale ? scaleVendors() : VENDORS).filter((v) => v.category === category).map((v) => [v.name, { label: v.title }]));
  const config = {
    guiOptions: { consentModal: { layout: 'bar', position: 'bottom' } },
    // The default hides the bar from automated browsers (navigator.webdriver), such as this one.
    hideFromBots: false,
    categories: {
      necessary: { enabled: true, readOnly: true },
      analytics: { services: services('analytics') },
      marketing: { services: services('marketing') },
    },
    language: {
      default: 'en',
      translations: {
        en: {
          consentModal: {
            title: 'Cookies on this site',
            description: 'We use cookies for statistics and advertising, only with your consent.',
            acceptAllBtn: 'Accept all',
            acceptNecessaryBtn: 'Reject all',
            showPreferencesBtn: 'Choose',
          },
          preferencesModal: {
            title: 'Cookie preferences',
            acceptAllBtn: 'Accept all',
            acceptNecessaryBtn: 'Reject all',
            savePreferencesBtn: 'Save',
            sections: [
              { title: 'Necessary', linkedCategory: 'necessary' },
              { title: 'Analytics', linkedCategory: 'analytics' },
              { title: 'Marketing', linkedCategory: 'marketing' },
            ],
          },
        },
      },
    },
  };
  return `CookieConsent.run(${JSON.stringify(config)});`;
}

const cookieConsent = {
  id: 'vanilla-cookieconsent',
  label: 'vanilla-cookieconsent',
  paths: ['/lib/cookieconsent/', '/vanilla-cookieconsent/'],
  bar: '#cc-main .cm',
  accept: '#cc-main .cm [data-role="all"]',
  counted: ['/lib/cookieconsent/'],
  settings: '#cc-main .pm',
  openLink: 'data-cc="show-preferencesModal"',
  kinds: [],
  version: () => packageVersion('vanilla-cookieconsent'),
  head: (page) => [
    '<link rel="stylesheet" href="/lib/cookieconsent/cookieconsent.css">',
    '<script defer src="/lib/cookieconsent/cookieconsent.umd.js"></script>',
    `<script defer src="/vanilla-cookieconsent/${page}.js"></script>`,
  ],
  // The library's idiom: gated script tags named by category and service.
  vendorMarkup: (vendors) =>
    vendors.map((v) => [
      v.setup ? `<script type="text/plain" data-category="${v.category}" data-service="${v.name}">${v.setup}</script>` : '',
      `<script type="text/plain" data-category="${v.category}" data-service="${v.name}" data-src="${v.src}"></script>`,
    ].join('')).join('\n'),
  scaleMarkup: (elements) => elements.map((i) => `<script type="text/plain" data-category="${i % 2 ? 'marketing' : 'analytics'}" data-src="${gatedElementSrc(i)}"></script>`).join('\n'),
  supportsGatedMarkup: true,
  config: (page) => ({ type: 'text/javascript', body: cookieConsentConfig(page === 'scale') }),
};

// ----------------------------------------------------------------------- Klaro

function klaroConfig(scale) {
  const services = (scale ? scaleVendors() : VENDORS).map((v) => ({ name: v.name, title: v.title, purposes: [v.category] }));
  const config = {
    version: 1,
    elementID: 'klaro',
    storageMethod: 'cookie',
    cookieName: 'klaro',
    cookieExpiresAfterDays: 180,
    default: false,
    mustConsent: false,
    acceptAll: true,
    hideDeclineAll: false,
    noticeAsModal: false,
    lang: 'en',
    translations: { en: { purposes: { necessary: 'Necessary', analytics: 'Analytics', marketing: 'Marketing' } } },
    // Necessary is Klaro's "required" service: always on, no consent asked.
    services: [{ name: 'site', title: 'This site', purposes: ['necessary'], required: true }, ...services],
  };
  return `window.klaroConfig = ${JSON.stringify(config)};`;
}

const klaro = {
  id: 'klaro',
  label: 'Klaro',
  paths: ['/lib/klaro/', '/klaro/'],
  bar: '.klaro .cookie-notice',
  accept: '.klaro .cookie-notice .cm-btn-success',
  // klaro.js is the standard build: JS with its CSS and translations inside.
  counted: ['/lib/klaro/'],
  settings: '.klaro .cookie-modal',
  // Klaro has no markup hook for reopening: its documentation calls klaro.show().
  openLink: 'onclick="klaro.show();return false"',
  kinds: [],
  version: () => packageVersion('klaro'),
  head: (page) => [
    `<script defer src="/klaro/${page}.js"></script>`,
    '<script defer src="/lib/klaro/klaro.js"></script>',
  ],
  // The library's idiom: gated script tags named by service.
  vendorMarkup: (vendors) =>
    vendors.map((v) => [
      v.setup ? `<script type="text/plain" data-type="text/javascript" data-name="${v.name}">${v.setup}</script>` : '',
      `<script type="text/plain" data-type="text/javascript" data-name="${v.name}" data-src="${v.src}"></script>`,
    ].join('')).join('\n'),
  // Klaro gates markup per service only: the elements are spread over the scale vendors.
  scaleMarkup: (elements) => elements.map((i) => `<script type="text/plain" data-type="text/javascript" data-name="v${i % SCALE_VENDORS}" data-src="${gatedElementSrc(i)}"></script>`).join('\n'),
  supportsGatedMarkup: true,
  config: (page) => ({ type: 'text/javascript', body: klaroConfig(page === 'scale') }),
};

export const LIBRARIES = [consentGate, cookieConsent, klaro];

function packageVersion(name) {
  return JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version;
}

// ----------------------------------------------------------------------- pages

const template = () => readFileSync(join(repo, 'www/en/index.html'), 'utf8');

/** The config path the demo page names; each bench page names its own instead. */
const DEMO_CONFIG = '/consent.json';
/** Every <link> and <script> in a head, but the page's own stylesheet. */
const HEAD_TAG = /<link\b[^>]*>|<script\b[^>]*>[\s\S]*?<\/script>/g;
const headTags = (html) => html.slice(0, html.indexOf('</head>')).match(HEAD_TAG)?.filter((t) => !t.includes('href="/site.css"')) ?? [];

/** consent-gate's lines in the demo page's head, in their order. */
function demoHead() {
  const lines = headTags(template());
  if (!lines.some((l) => l.includes('/pkg/'))) throw new Error('www/en/index.html loads nothing from /pkg/: the bench cannot tell how to load consent-gate');
  return lines;
}

/**
 * The page views, by name:
 *   home         the demo's English home page, with the six vendors
 *   scale        200 generic vendors and 1,000 gated elements
 *   declaration  home with a cookie declaration element in <main> (for libraries that have one)
 *   broken       home with a config that fails its checks (consent-gate)
 * Identical for every library but for the head lines, the gated markup and
 * the reopen link's attribute. No CSP: Klaro and vanilla-cookieconsent inject
 * inline styles.
 */
export const PAGES = ['home', 'scale', 'declaration', 'broken'];
export const pagesOf = (library) => PAGES.filter((name) => ['home', 'scale'].includes(name) || library.kinds.includes(name));

const DECLARATION = '<section class="wrap"><h2>Cookies on this site</h2><div data-consent-declaration></div></section>';

export function page(library, name) {
  const scale = name === 'scale';
  const vendors = scale ? scaleVendors() : VENDORS;
  const elements = scale ? Array.from({ length: SCALE_ELEMENTS }, (_, i) => i) : [];
  const markup = [library.vendorMarkup(vendors), library.scaleMarkup(elements)].filter(Boolean).join('\n');
  let html = template().replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
  // consent-gate's lines go; the library's own take the place of the first.
  const [first, ...rest] = headTags(html);
  html = html.replace(first, '\u0000');
  for (const line of rest) html = html.replace(new RegExp(`\\s*${escape(line)}`), '');
  html = html.replace('\u0000', library.head(name).join('\n  '));
  if (name === 'declaration') html = html.replace('</main>', `  ${DECLARATION}\n  </main>`);
  return html
    .replace('data-consent-open', library.openLink)
    .replace('</body>', `${markup}\n</body>`);
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
