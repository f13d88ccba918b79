// Importing the ES module must not touch `window` (server-side rendering):
// Node has no window, so the import itself is the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('pkg/ imports where there is no window, and exports the API', async () => {
  assert.equal(typeof globalThis.window, 'undefined');
  assert.equal(typeof globalThis.document, 'undefined');
  const module = await import('../../pkg/consent_gate.js');
  assert.equal(typeof module.default, 'function', 'the init function');
  assert.equal(typeof module.ConsentGate, 'function');
  for (const method of ['isGranted', 'choices', 'acceptAll', 'rejectAll', 'set', 'showBar', 'showPreferences', 'setLanguage', 'reset', 'record', 'onChange', 'hasChoice']) {
    assert.equal(typeof module.ConsentGate.prototype[method], 'function', method);
  }
  assert.equal(typeof globalThis.window, 'undefined', 'still no window after the import');
});

test('pkg/ carries TypeScript types for the public API', async () => {
  const { readFile } = await import('node:fs/promises');
  const types = await readFile(new URL('../../pkg/consent_gate.d.ts', import.meta.url), 'utf8');
  assert.match(types, /export interface Choices \{\s*analytics: boolean;\s*marketing: boolean;\s*\}/);
  assert.match(types, /static start\(config: string \| Response \| Promise<Response> \| import\('\.\/consent_gate_config\.js'\)\.ConsentConfig, options\?: StartOptions\): Promise<ConsentGate>;/);
  assert.match(types, /export interface StartOptions \{[^}]*nonce\?: string;/);
  assert.match(types, /isGranted\(category: Category, vendor\?: string \| null\): boolean;/);
  assert.match(types, /set\(choices: ChoicesInput\): void;/);
  assert.match(types, /vendorChoices\(\): VendorGrants;/);
  assert.match(types, /onChange\(callback: \(choices: ChangeDetail\) => void\): \(\) => void;/);
  assert.match(types, /export interface ChangeDetail extends Choices \{\s*decided: boolean;\s*vendors: VendorGrants;\s*\}/);
  assert.match(types, /hasChoice\(\): boolean;/);
});

test('pkg/package.json keeps the drop-in and the stylesheet as side effects, so bundlers keep them', async () => {
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(new URL('../../pkg/package.json', import.meta.url), 'utf8'));
  assert.deepEqual([...manifest.sideEffects].sort(), ['./consent-gate-auto.js', './consent-gate.css']);
  assert.equal(manifest.exports['./style.css'], './consent-gate.css');
});
