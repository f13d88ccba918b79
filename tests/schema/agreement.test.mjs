// The JSON Schema editors use (www/consent.schema.json) and the checker
// (`consent-gate check`) accept and refuse the same files. Every fixture
// under tests/config/{valid,broken} and tests/schema/cases/{accepted,refused}
// goes through ajv in strict mode and through the checker CLI; they must
// agree, except for the files listed in EXCEPTIONS, each a rule no JSON
// Schema can state. The checker binary is built first (`cargo build --bin
// consent-gate`); ajv is pinned in package.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

// File (relative to the repository) → why the schema cannot refuse it as the
// checker does. Every file listed here must really disagree (checked below),
// so the list never keeps an entry a fix made needless.
export const EXCEPTIONS = {
  'tests/config/broken/duplicate-key.json':
    'a key written twice in one object: JSON parsers (ajv\'s too) keep the last one, the checker reports both',
  'tests/config/broken/duplicate-vendor.json':
    'the same vendor id twice in `vendors`: uniqueness of one field across array items is beyond JSON Schema (uniqueItems compares whole items)',
  'tests/config/broken/mirror-is-the-record.json':
    '`storage.cookie.name` equal to `storage.key`: a comparison of two values',
  'tests/config/broken/missing-translation.json':
    'a language without built-in texts must give every text: depends on which languages `languages` lists',
  'tests/config/broken/own-names.json':
    'a vendor cookie named like consent-gate\'s own storage: depends on `storage.key`',
  'tests/config/broken/not-utf8.json':
    'bytes that are not UTF-8: a schema sees the decoded JSON, not the file\'s encoding',
  'tests/config/broken/too-large.json':
    'over 1 MB: a schema has no limit on the file\'s size',
  'tests/schema/cases/refused/revision-written-as-decimal.json':
    '`1.0` for a whole number: JSON Schema counts 1.0 as an integer, the checker asks for it written as 1',
};

function fixtures() {
  const sets = [
    ['tests/config/valid', true],
    ['tests/config/broken', false],
    ['tests/schema/cases/accepted', true],
    ['tests/schema/cases/refused', false],
  ];
  return sets.flatMap(([dir, valid]) =>
    readdirSync(join(root, dir))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => ({ file: `${dir}/${name}`, valid })),
  );
}

function compileSchema() {
  const schema = JSON.parse(readFileSync(join(root, 'www/consent.schema.json'), 'utf8'));
  return new Ajv({ strict: true, allErrors: true }).compile(schema);
}

/** Whether the schema accepts the file; text that is not JSON is refused (editors underline it). */
function schemaAccepts(validate, file) {
  const text = readFileSync(join(root, file), 'utf8').replace(/^\uFEFF/, '');
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return { accepted: false, why: 'not JSON' };
  }
  const accepted = validate(value);
  return { accepted, why: accepted ? '' : validate.errors.map((e) => `${e.instancePath} ${e.message}`).join('; ') };
}

function checkerAccepts(file) {
  const result = spawnSync(join(root, 'target/debug/consent-gate'), ['check', join(root, file)], { encoding: 'utf8' });
  assert.ok(result.status === 0 || result.status === 1, `checker failed on ${file}: ${result.stderr}`);
  return { accepted: result.status === 0, why: result.stdout.trim() };
}

test('ajv compiles the schema in strict mode', () => {
  assert.doesNotThrow(compileSchema);
});

test('the schema and the checker agree on every fixture, but for the listed exceptions', () => {
  execFileSync('cargo', ['build', '--quiet', '--bin', 'consent-gate'], { cwd: root, stdio: 'inherit' });
  const validate = compileSchema();
  const disagreements = [];
  const needless = [];
  for (const { file, valid } of fixtures()) {
    const checker = checkerAccepts(file);
    assert.equal(checker.accepted, valid, `the checker ${valid ? 'refuses' : 'accepts'} ${file}: ${checker.why}`);
    const schema = schemaAccepts(validate, file);
    const agree = schema.accepted === checker.accepted;
    if (!agree && !(file in EXCEPTIONS)) {
      disagreements.push(`${file}: checker ${checker.accepted ? 'accepts' : 'refuses'}, schema ${schema.accepted ? 'accepts' : `refuses (${schema.why})`}`);
    }
    if (agree && file in EXCEPTIONS) needless.push(file);
  }
  assert.deepEqual(disagreements, [], 'the schema and the checker disagree');
  assert.deepEqual(needless, [], 'listed as exceptions, but the schema and the checker agree: remove them from EXCEPTIONS');
  const missing = Object.keys(EXCEPTIONS).filter((file) => !fixtures().some((f) => f.file === file));
  assert.deepEqual(missing, [], 'exceptions for files that do not exist');
});
