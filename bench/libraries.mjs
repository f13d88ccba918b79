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

const consentGate = {
  id: 'consent-gate',
  label: 'consent-gate',
  // URL paths only this library's page may request (the guard against one
  // library's files leaking into another's page).
  paths: ['/pkg/', '/consent-gate/', '/consent.json'],
  bar: '.cg-bar',
  accept: '.cg-bar [data-cg-action="accept"]',
  // The files a site loads for the library (the config is the site's, not counted).
  // The drop-in has the wasm-bindgen glue bundled in.
  files: () => ['pkg/consent-gate-auto.js', 'pkg/consent_gate_bg.wasm', 'pkg/consent-gate.css'],
  version: () => JSON.parse(readFileSync(join(repo, 'pkg/package.json'), 'utf8')).version,
  head: (page) => [
    '<link rel="stylesheet" href="/pkg/consent-gate.css">',
    `<script type="module" async src="/pkg/consent-gate-auto.js" data-config="/consent-gate/${page}.json"></script>`,
    // The README's recommended snippet: the wasm and the config start loading
    // with the page rather than once the drop-in runs.
    '<link rel="preload" href="/pkg/consent_gate_bg.wasm" as="fetch" crossorigin>',
    `<link rel="preload" href="/consent-gate/${page}.json" as="fetch" crossorigin>`,
  ],
  // Vendors are config entries, so the page needs no vendor markup.
  vendorMarkup: () => '',
  scaleMarkup: (elements) => elements.map((i) => `<script type="text/plain" data-consent="${i % 2 ? 'marketing' : 'analytics'}" data-src="${gatedElementSrc(i)}"></script>`).join('\n'),
  supportsGatedMarkup: true,
  config: (page) => ({ type: 'application/json', body: JSON.stringify(consentGateConfig(page === 'scale')) }),
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
  files: () => ['bench/node_modules/vanilla-cookieconsent/dist/cookieconsent.umd.js', 'bench/node_modules/vanilla-cookieconsent/dist/cookieconsent.css'],
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
  files: () => ['bench/node_modules/klaro/dist/klaro.js'],
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

/**
 * The test page for a library: `home` (the six vendors) or `scale` (200
 * generic vendors and 1,000 gated elements). Identical for every library but
 * for the head lines and the gated markup. No CSP: Klaro and
 * vanilla-cookieconsent inject inline styles.
 */
export function page(library, name) {
  const scale = name === 'scale';
  const vendors = scale ? scaleVendors() : VENDORS;
  const elements = scale ? Array.from({ length: SCALE_ELEMENTS }, (_, i) => i) : [];
  const markup = [library.vendorMarkup(vendors), library.scaleMarkup(elements)].filter(Boolean).join('\n');
  return template()
    .replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
    .replace(/\s*<link rel="stylesheet" href="\/pkg\/consent-gate.css">/, '')
    // The demo's own preload hints are consent-gate's: each library's head() adds its own.
    .replace(/\s*<link rel="preload"[^>]*>/g, '')
    .replace(/<script type="module"[^>]*src="\/pkg\/consent-gate-auto.js"[^>]*><\/script>/, library.head(name).join('\n  '))
    .replace('</body>', `${markup}\n</body>`);
}
