// What a TypeScript app writes with consent-gate. tests/types/types.test.mjs
// compiles it with `tsc --strict`, with and without skipLibCheck, against the
// built pkg/consent_gate.d.ts. Each `@ts-expect-error` is a mistake the types
// must catch: if one compiles, tsc fails on the unused directive.
import init, { ConsentGate, type ChangeDetail, type ChoicesInput, type VendorGrants, type StartOptions } from 'consent-gate';

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
