// docs/CONFIG.md and js/consent_gate_config.d.ts are generated from
// www/consent.schema.json (itself checked against the Rust types by `cargo
// test`) and styles/consent-gate.css by scripts/config-reference.mjs: the
// committed files must be what it writes now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUTPUTS, configReference, configTypes } from '../../scripts/config-reference.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const committed = (file) => readFileSync(join(root, file), 'utf8');
const regenerate = 'regenerate it with `node scripts/config-reference.mjs`';

test('docs/CONFIG.md is the generated config reference', () => {
  assert.ok(committed(OUTPUTS.docs) === configReference(), `${OUTPUTS.docs} is out of date; ${regenerate}`);
});

test('js/consent_gate_config.d.ts is the generated config types', () => {
  assert.ok(committed(OUTPUTS.types) === configTypes(), `${OUTPUTS.types} is out of date; ${regenerate}`);
});

test('the reference covers every key of the schema, every text and every --cg-* variable', () => {
  const schema = JSON.parse(committed('www/consent.schema.json'));
  const docs = committed(OUTPUTS.docs);
  const keys = new Set();
  const walk = (s) => {
    if (!s || typeof s !== 'object') return;
    for (const [key, value] of Object.entries(s.properties ?? {})) {
      keys.add(key);
      walk(value);
    }
    for (const value of Object.values(s)) if (typeof value === 'object') walk(value);
  };
  walk(schema);
  const css = committed('styles/consent-gate.css');
  for (const name of css.match(/--cg-[a-z0-9-]+/g)) keys.add(name);
  const missing = [...keys].filter((key) => !docs.includes(`| \`${key}\` |`));
  assert.deepEqual(missing, [], 'keys missing from docs/CONFIG.md');
});
