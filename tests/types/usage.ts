// What a TypeScript app writes with consent-gate. tests/types/types.test.mjs
// compiles it with `tsc --strict`, with and without skipLibCheck, against the
// built pkg/consent_gate.d.ts. Each `@ts-expect-error` is a mistake the types
// must catch: if one compiles, tsc fails on the unused directive.
import init, { ConsentGate, type ChangeDetail, type ChoicesInput, type ConsentConfig, type StartOptions, type VendorConfig, type VendorGrants } from 'consent-gate';

await init();
const options: StartOptions = { nonce: 'abc' };
const gate: ConsentGate = await ConsentGate.start('/consent.json', options);
await ConsentGate.start(fetch('/consent.json'));
// @ts-expect-error the nonce is a string
await ConsentGate.start('/consent.json', { nonce: 1 });

const granted: boolean = gate.isGranted('analytics');
// @ts-expect-error not a category
gate.isGranted('ads');
// One vendor of a category, by its key.
const criteo: boolean = gate.isGranted('marketing', 'criteo');
// @ts-expect-error a vendor key is a string
gate.isGranted('marketing', 1);
const decided: boolean = gate.hasChoice();
const stop: () => void = gate.onChange(({ analytics, marketing, decided }: ChangeDetail) => {
  console.log(analytics, marketing, decided);
});
stop();
gate.acceptAll();
gate.rejectAll();
gate.set({ analytics: true, marketing: false });
// Per vendor: those left out are refused.
const perVendor: ChoicesInput = { analytics: true, marketing: { criteo: true, 'facebook-pixel': false } };
gate.set(perVendor);
// @ts-expect-error a vendor's choice is a boolean
gate.set({ analytics: true, marketing: { criteo: 'yes' } });
// @ts-expect-error both categories are needed
gate.set({ marketing: { criteo: true } });
const now: VendorGrants = gate.vendorChoices();
const facebook: boolean | undefined = now.marketing['facebook-pixel'];
gate.showBar();
gate.hideBar();
gate.showPreferences();
gate.hidePreferences();
const loaded: Promise<void> = gate.loadScript('https://example.com/widget.js', 'marketing');
// @ts-expect-error not a category
gate.loadScript('/widget.js', 'ads');
const source: string | undefined = gate.record()?.source;
const language: string = gate.language;

document.addEventListener('consent-gate:change', (event) => {
  const { analytics, marketing, decided, vendors } = event.detail;
  const all: boolean = analytics && marketing && decided && vendors.marketing.criteo !== false;
  // @ts-expect-error no such field
  console.log(event.detail.ads, all);
});
document.addEventListener('consent-gate:error', (event) => {
  const message: string = event.detail.message;
  console.log(message);
});
document.addEventListener('consent-gate:ready', (event) => {
  const ready: ConsentGate = event.detail;
  ready.isGranted('marketing');
});
// The drop-in's instance, once it has started.
window.consentGate?.showPreferences();
const maybe: ConsentGate | undefined = window.consentGate;

{
  using scoped = await ConsentGate.start('/consent.json');
  scoped.isGranted('necessary');
}

const stored: [boolean, string] | undefined = gate.record()?.vendors.marketing.criteo;
console.log(granted, criteo, decided, loaded, source, language, maybe, facebook, stored);
export {};

// The config as an object: typed from the same JSON Schema as consent.json.
const config: ConsentConfig = {
  policy: { url: { lv: '/lv/sikdatnes', en: '/en/cookies' }, edition: '2024-05-01' },
  languages: ['lv', 'ru', 'en'],
  ui: { floatingButton: true, floatingButtonCorner: 'bottom-right', theme: 'auto' },
  consent: { grant: '6 months', refusal: '6 months' },
  storage: { key: 'consent-gate', cookie: { name: 'consent', domain: 'example.lv' } },
  vendors: [
    { type: 'ga4', measurementId: 'G-XXXXXXXXXX', lifetime: '180 days' },
    { type: 'facebook-pixel', pixelId: 123456789012345, lifetime: '3 months', purpose: { lv: 'Reklāma', en: 'Ads' } },
    {
      type: 'script',
      name: 'Hotjar',
      src: 'https://static.hotjar.com/c/hotjar.js',
      category: 'analytics',
      lifetime: '1 year',
      privacyUrl: 'https://www.hotjar.com/privacy',
      cookies: ['_hjid', '_hj*'],
    },
  ],
  texts: { lv: { acceptAll: 'Piekrītu' } },
};
await ConsentGate.start(config);
const vendor: VendorConfig = config.vendors[0];
console.log(vendor.type);
// @ts-expect-error policy is required
const noPolicy: ConsentConfig = { vendors: [] };
// @ts-expect-error a script vendor needs its privacy notice
const noPrivacy: VendorConfig = { type: 'script', name: 'X', src: 'https://x.example/x.js', category: 'analytics', lifetime: '1 year' };
// @ts-expect-error not a vendor type
const unknownType: VendorConfig = { type: 'ga3', measurementId: 'UA-1', lifetime: '1 year' };
// @ts-expect-error a GA4 vendor has no pixelId
const wrongId: VendorConfig = { type: 'ga4', pixelId: '123456789012345', lifetime: '1 year' };
// @ts-expect-error not a corner
await ConsentGate.start({ policy: { url: '/p', edition: '1' }, vendors: [], ui: { floatingButtonCorner: 'middle' } });
// @ts-expect-error not a text name
await ConsentGate.start({ policy: { url: '/p', edition: '1' }, vendors: [], texts: { lv: { acceptEverything: 'x' } } });
console.log(noPolicy, noPrivacy, unknownType, wrongId);
