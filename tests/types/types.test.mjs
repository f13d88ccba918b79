// The published types (pkg/consent_gate.d.ts, after scripts/build.sh) compile
// a TypeScript app's usage (usage.ts) with `tsc --strict`, both with and
// without skipLibCheck: a project that checks libraries must not fail on
// ours. usage.ts also types config objects with ConsentConfig
// (pkg/consent_gate_config.d.ts, generated from the JSON Schema). The
// TypeScript version is pinned in package.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const tsc = join(here, '../../node_modules/.bin/tsc');

async function compile(...flags) {
  try {
    await promisify(execFile)(tsc, ['--strict', '-p', join(here, 'tsconfig.json'), ...flags]);
    return '';
  } catch (error) {
    return `${error.stdout}${error.stderr}` || String(error);
  }
}

for (const [name, flags] of [
  ['checking every library, ours too', []],
  ['with skipLibCheck', ['--skipLibCheck']],
]) {
  test(`usage.ts compiles with tsc --strict, ${name}`, async () => {
    assert.equal(await compile(...flags), '', 'tsc reported errors');
  });
}
