// Writes pkg/package.json from Cargo.toml, so pkg/ installs and publishes as
// an npm package.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';

const cargo = readFileSync('Cargo.toml', 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, 'm'))?.[1];

const files = readdirSync('pkg').filter((f) => f !== 'package.json');
const manifest = {
  name: field('name'),
  version: field('version'),
  description: field('description'),
  license: field('license'),
  type: 'module',
  main: 'consent_gate.js',
  module: 'consent_gate.js',
  types: 'consent_gate.d.ts',
  exports: {
    '.': { types: './consent_gate.d.ts', default: './consent_gate.js' },
    './auto': './consent-gate-auto.js',
    './style.css': './consent-gate.css',
    './consent_gate_bg.wasm': './consent_gate_bg.wasm',
  },
  files,
  // The drop-in starts itself, and a bundler must keep an imported
  // style.css (webpack drops CSS imports that are not listed here).
  sideEffects: ['./consent-gate-auto.js', './consent-gate.css'],
};
writeFileSync('pkg/package.json', JSON.stringify(manifest, null, 2) + '\n');
