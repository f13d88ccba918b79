// Writes the config reference (docs/CONFIG.md) and the config's TypeScript
// types (js/consent_gate_config.d.ts, shipped in pkg/) from the JSON Schema
// (www/consent.schema.json, itself generated from the Rust types and checked
// against them by `cargo test`) and the stylesheet's custom properties
// (styles/consent-gate.css). Nothing in either output is written by hand, so
// neither can drift from the types the checker reads.
//
//   node scripts/config-reference.mjs           rewrites both files
//   node scripts/config-reference.mjs --check   exits 1 if either is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (file) => readFileSync(join(root, file), 'utf8');

export const OUTPUTS = { docs: 'docs/CONFIG.md', types: 'js/consent_gate_config.d.ts' };
const REGENERATE = 'node scripts/config-reference.mjs';

// What each custom property of the stylesheet does. Every `--cg-*` the
// stylesheet names must be here, and nothing else: the script fails otherwise.
const CSS_VARIABLES = {
  '--cg-bg': 'Background of the bar, the dialog and the floating button.',
  '--cg-fg': 'Text colour.',
  '--cg-muted': 'Secondary text (descriptions, lifetimes, notes).',
  '--cg-border': 'Borders and separators.',
  '--cg-link': 'Links (the cookie policy, privacy notices).',
  '--cg-button-bg': 'Background of the buttons ("accept all" and "reject all" alike).',
  '--cg-button-fg': 'Text of the buttons.',
  '--cg-button-hover': 'Background of a button under the pointer.',
  '--cg-focus': 'The keyboard focus ring.',
  '--cg-switch-off': 'A category switch that is off.',
  '--cg-radius': 'Corner radius of the bar\'s buttons, the dialog and its parts.',
  '--cg-shadow': 'Shadow of the bar and the dialog.',
  '--cg-font': 'Font family (default: the page\'s).',
  '--cg-z': 'z-index of the bar, the dialog and the floating button.',
  '--cg-bar-height': 'Set by the library (through the CSSOM) while the bar shows: its height, kept free at the bottom of the page. Read it; do not set it.',
  '--cg-floating-offset': 'Set by the library from `ui.floatingButtonOffset`: the floating button\'s distance from its corner.',
  '--cg-embed-bg': 'Background of an embed\'s placeholder (`.cg-embed`, issue 19).',
  '--cg-embed-fg': 'Text of an embed\'s placeholder and its "always allow" button.',
  '--cg-embed-border': 'Border of an embed\'s placeholder.',
  '--cg-embed-width': 'Set by the library (through the CSSOM) on each placeholder: its iframe\'s `width`. Read it; do not set it.',
  '--cg-embed-ratio': 'Set by the library (through the CSSOM) on each placeholder: its iframe\'s `width / height`, so it keeps the embed\'s shape. Read it; do not set it.',
};

// ---- reading the schema ---------------------------------------------------

const schema = JSON.parse(read('www/consent.schema.json'));
const definitions = schema.definitions ?? {};

function resolve(s) {
  if (s?.$ref) return definitions[s.$ref.replace('#/definitions/', '')];
  if (s?.allOf?.length === 1) return { ...resolve(s.allOf[0]), ...withoutKeys(s, ['allOf']) };
  return s;
}

function withoutKeys(object, keys) {
  return Object.fromEntries(Object.entries(object).filter(([k]) => !keys.includes(k)));
}

function refName(s) {
  const ref = s?.$ref ?? (s?.allOf?.length === 1 ? s.allOf[0].$ref : undefined);
  return ref?.replace('#/definitions/', '');
}

const oneLine = (text) => (text ?? '').replace(/\s*\n\s*/g, ' ').trim();
const code = (value) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
const cell = (text) => String(text).replace(/\|/g, '\\|');

// ---- docs/CONFIG.md -------------------------------------------------------

/** The type of a value, in words, for the reference's tables. */
function typeText(s) {
  const name = refName(s);
  if (name) {
    const target = definitions[name];
    if (target.enum) return target.enum.map(code).join(', ');
    if (target.type === 'object') return `object ([${sectionTitle(name)}](#${anchor(sectionTitle(name))}))`;
    return typeText(target);
  }
  if (s.const !== undefined) return code(s.const);
  if (s.enum) return s.enum.map(code).join(', ');
  if (s.title === 'lifetime') return 'a [lifetime](#lifetimes)';
  if (s.items?.oneOf?.every((v) => v.title)) return 'list of [vendors](#vendors)';
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.map(typeText).join(', or ');
  const types = [s.type].flat().filter(Boolean);
  if (types.includes('array')) return `list of ${typeText(s.items ?? {})}`;
  if (types.includes('object')) {
    if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      return `object of ${typeText(s.additionalProperties)}`;
    }
    return 'object';
  }
  const words = { string: 'text', integer: 'whole number', number: 'number', boolean: '`true` or `false`', null: '`null`' };
  return types.map((t) => words[t] ?? t).join(' or ') || 'any';
}

/** Limits beyond the type: patterns, ranges, lengths. */
function limitsText(s) {
  s = resolve(s);
  if (s.title === 'lifetime') return '';
  if (s.items?.oneOf) return '';
  const parts = [];
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.map(limitsText).filter(Boolean).join('; or ');
  // The address and domain patterns are long: said in words (the README's
  // config section has the rules).
  if (s.pattern?.startsWith('^(?!')) {
    const path = s.pattern.includes('|/(?!/)') ? ', or a path on this site starting with a single /' : '';
    parts.push(`a full ${s.pattern.includes('https?://') ? 'http(s)' : 'https'} address with a host name like www.example.com (a port may follow)${path}; no spaces, control characters, backslashes or name@ before the host`);
  } else if (s.pattern?.includes('(?=.{1,253}$)')) {
    parts.push('a domain name like example.lv, in ASCII (a name in other letters in its xn-- form); a leading dot is dropped');
  } else if (s.pattern) {
    parts.push(`matches ${code(s.pattern)}`);
  }
  if (s.minimum !== undefined && s.maximum !== undefined) parts.push(`${s.minimum} to ${s.maximum}`);
  if (s.minLength) parts.push(`at least ${s.minLength} character${s.minLength === 1 ? '' : 's'}`);
  if (s.minItems !== undefined) parts.push(`at least ${s.minItems}`);
  if (s.maxItems !== undefined) parts.push(`at most ${s.maxItems}`);
  if (s.uniqueItems) parts.push('each once');
  if (s.items) {
    const items = limitsText(s.items);
    if (items) parts.push(`each ${items}`);
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    const values = limitsText(s.additionalProperties);
    if (values) parts.push(`each ${values}`);
  }
  if (s.propertyNames?.pattern) parts.push(`keys match ${code(s.propertyNames.pattern)}`);
  return parts.join('; ');
}

function defaultText(s, required) {
  if (required) return '**required**';
  const own = s.default ?? resolve(s)?.default;
  if (own === undefined) return '—';
  return code(own);
}

function describe(s) {
  return oneLine(s.description ?? resolve(s)?.description);
}

function fieldTable(object, nameOf = (key) => code(key)) {
  const required = object.required ?? [];
  const rows = Object.entries(object.properties ?? {}).sort(([a], [b]) => {
    const order = (k) => (required.includes(k) ? 0 : 1);
    return order(a) - order(b) || a.localeCompare(b);
  });
  const lines = ['| key | type | default | description |', '|---|---|---|---|'];
  for (const [key, s] of rows) {
    const limits = limitsText(s);
    const type = typeText(s) + (limits ? ` (${limits})` : '');
    lines.push(`| ${nameOf(key)} | ${cell(type)} | ${cell(defaultText(s, required.includes(key)))} | ${cell(describe(s))} |`);
  }
  return lines.join('\n');
}

function anchor(title) {
  return title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}

// The nested objects, by definition name: where they sit in the file.
const OBJECT_PATHS = {};
function findObjects(s, path) {
  for (const [key, p] of Object.entries(s.properties ?? {})) {
    const name = refName(p) ?? refName(p.anyOf?.[0]);
    if (name && definitions[name].type === 'object' && !OBJECT_PATHS[name]) {
      OBJECT_PATHS[name] = path ? `${path}.${key}` : key;
      findObjects(definitions[name], OBJECT_PATHS[name]);
    }
  }
}
findObjects(schema, '');

function sectionTitle(name) {
  return `${OBJECT_PATHS[name] ?? name}`;
}

function cssVariables() {
  const css = read('styles/consent-gate.css');
  const light = {};
  const dark = {};
  const lightBlock = css.match(/\.cg-theme \{([^}]*)\}/)?.[1] ?? '';
  const darkBlock = css.match(/\.cg-theme--dark \{([^}]*)\}/)?.[1] ?? '';
  for (const [, name, value] of lightBlock.matchAll(/(--cg-[a-z0-9-]+):\s*([^;]+);/g)) light[name] = value.trim();
  for (const [, name, value] of darkBlock.matchAll(/(--cg-[a-z0-9-]+):\s*([^;]+);/g)) dark[name] = value.trim();
  const named = [...new Set([...css.matchAll(/--cg-[a-z0-9-]+/g)].map(([name]) => name))];
  const undocumented = named.filter((name) => !(name in CSS_VARIABLES));
  const gone = Object.keys(CSS_VARIABLES).filter((name) => !named.includes(name));
  if (undocumented.length || gone.length) {
    throw new Error(
      `scripts/config-reference.mjs: describe every --cg-* variable of styles/consent-gate.css in CSS_VARIABLES` +
        ` (missing: ${undocumented.join(', ') || 'none'}; no longer in the stylesheet: ${gone.join(', ') || 'none'})`,
    );
  }
  const lines = ['| variable | light (default) | dark | what it sets |', '|---|---|---|---|'];
  for (const [name, description] of Object.entries(CSS_VARIABLES)) {
    lines.push(`| ${code(name)} | ${light[name] ? code(light[name]) : '—'} | ${dark[name] ? code(dark[name]) : '—'} | ${cell(description)} |`);
  }
  return lines.join('\n');
}

export function configReference() {
  const vendorTypes = schema.properties.vendors.items.oneOf;
  const texts = schema.properties.texts.additionalProperties.properties;
  const out = [];
  out.push(`# consent.json reference

<!-- Generated by \`${REGENERATE}\` from www/consent.schema.json (which \`consent-gate schema\` generates from the Rust types) and styles/consent-gate.css. Do not edit: tests/schema/generated.test.mjs fails when this file is out of date. -->

Every key consent.json may hold, with its type, its default and whether it is required.
The checker (\`consent-gate check consent.json\`, see the README's section for marketing staff)
is the judge: it applies these rules and a few a schema cannot state (the same vendor twice,
a vendor cookie named like consent-gate's own storage, texts missing for a language without
built-in ones; see [tests/schema/agreement.test.mjs](../tests/schema/agreement.test.mjs)).
Unknown keys are errors everywhere. Leave out a key to get its default; \`null\` is not a
value (but for \`$schema\`).

A minimal file:

\`\`\`json
{
  "$schema": "./consent.schema.json",
  "policy": { "url": "/cookie-policy.html", "edition": "2024-05-01" },
  "vendors": [
    { "type": "ga4", "measurementId": "G-XXXXXXXXXX", "lifetime": "180 days" }
  ]
}
\`\`\`

## Lifetimes

Lifetimes are a whole number and a unit, \`days\`, \`months\` or \`years\` (singular or plural,
in any case), at most 10 years: \`"180 days"\`, \`"13 months"\`, \`"1 year"\`.

## Top level

${fieldTable(schema)}
`);
  for (const name of Object.keys(OBJECT_PATHS)) {
    out.push(`## ${sectionTitle(name)}

${describe(definitions[name])}

${fieldTable(definitions[name])}
`);
  }
  out.push(`## Vendors

Each entry of \`vendors\` names its \`type\`; the other keys depend on it. Every type takes
\`category\`, \`lifetime\`, \`privacyUrl\` and \`purpose\`; the known types have a default category
and privacy notice, a \`script\` vendor must give both.
`);
  for (const vendor of vendorTypes) {
    out.push(`### \`${vendor.title}\`

${oneLine(vendor.description)}

${fieldTable(vendor)}
`);
  }
  out.push(`## Texts

\`texts\` overrides the built-in texts per language: \`{"lv": {"acceptAll": "…"}}\`. Latvian
(\`lv\`), Russian (\`ru\`) and English (\`en\`) are built in; a language without built-in texts
must give every text marked "yes" below. Texts are plain text: \`<\` is refused, nothing is read
as HTML. \`changedNotice\` names the categories where it says \`{categories}\`, else after its text.

| name | built-in English | required for another language |
|---|---|---|
`);
  const rows = Object.entries(texts).map(([name, s]) => {
    const english = s.description.match(/ Built in, in English: "(.*)"$/)?.[1] ?? '';
    const required = s.description.startsWith('Required') ? 'yes' : 'no';
    return `| ${code(name)} | ${cell(english)} | ${required} |`;
  });
  out[out.length - 1] += rows.join('\n') + '\n';
  out.push(`## CSS variables

Theme the bar, the dialog and the floating button by setting these on \`.cg-theme\` (light)
and \`.cg-theme--dark\` (\`ui.theme: "dark"\`, and \`"auto"\` on a dark system) in a stylesheet
loaded after \`consent-gate.css\`. The defaults meet WCAG 2.2 AA contrast; keep that.

${cssVariables()}
`);
  return out.join('\n');
}

// ---- js/consent_gate_config.d.ts -----------------------------------------

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const pascal = (text) => text.replace(/(^|[-_ ])([a-z0-9])/g, (_, __, c) => c.toUpperCase());

function jsDoc(text, indent) {
  const lines = oneLine(text).replace(/\*\//g, '*\\/');
  return lines ? `${indent}/** ${lines} */\n` : '';
}

function tsType(s, indent) {
  const name = refName(s);
  if (name) return name;
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.map((u) => tsType(u, indent)).join(' | ');
  const types = [s.type].flat().filter(Boolean);
  return types
    .map((t) => {
      if (t === 'array') {
        const item = tsType(s.items ?? {}, indent);
        return /[|&]/.test(item) ? `Array<${item}>` : `${item}[]`;
      }
      if (t === 'object') return tsObject(s, indent);
      if (t === 'integer' || t === 'number') return 'number';
      return t;
    })
    .join(' | ') || 'unknown';
}

function tsObject(s, indent) {
  const inner = `${indent}  `;
  const required = s.required ?? [];
  const members = Object.entries(s.properties ?? {}).map(([key, p]) => {
    const name = IDENTIFIER.test(key) ? key : JSON.stringify(key);
    return `${jsDoc(p.description, inner)}${inner}${name}${required.includes(key) ? '' : '?'}: ${tsType(p, inner)};\n`;
  });
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    members.push(`${inner}[key: string]: ${tsType(s.additionalProperties, inner)};\n`);
  }
  return members.length ? `{\n${members.join('')}${indent}}` : 'Record<string, never>';
}

export function configTypes() {
  const vendorTypes = schema.properties.vendors.items.oneOf;
  const vendorName = (v) => `${pascal(v.title)}Vendor`;
  const out = [`// Generated by \`${REGENERATE}\` from www/consent.schema.json (which
// \`consent-gate schema\` generates from the Rust types). Do not edit:
// tests/schema/generated.test.mjs fails when this file is out of date.
// The types say what the JSON Schema says; the checker applies a few more
// rules when the config is read (see docs/CONFIG.md).
`];
  const top = {
    ...schema,
    properties: { ...schema.properties, vendors: { ...schema.properties.vendors, items: { $ref: '#/definitions/VendorConfig' } } },
  };
  out.push(`${jsDoc(schema.description, '')}export interface ConsentConfig ${tsObject(top, '')}\n`);
  out.push(`/** One entry of \`vendors\`, told apart by its \`type\`. */\nexport type VendorConfig = ${vendorTypes.map(vendorName).join(' | ')};\n`);
  for (const vendor of vendorTypes) {
    out.push(`${jsDoc(vendor.description, '')}export interface ${vendorName(vendor)} ${tsObject(vendor, '')}\n`);
  }
  for (const [name, s] of Object.entries(definitions)) {
    const body = tsType(s.$ref ? definitions[refName(s)] : s, '');
    out.push(s.type === 'object'
      ? `${jsDoc(s.description, '')}export interface ${name} ${body}\n`
      : `${jsDoc(s.description, '')}export type ${name} = ${body};\n`);
  }
  return out.join('\n');
}

function main() {
  const outputs = { [OUTPUTS.docs]: configReference(), [OUTPUTS.types]: configTypes() };
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, text] of Object.entries(outputs)) {
    let current = '';
    try {
      current = read(file);
    } catch {
      // missing: out of date
    }
    if (current === text) continue;
    if (check) {
      console.error(`${file} is out of date with www/consent.schema.json or the stylesheet; regenerate it with \`${REGENERATE}\``);
      stale += 1;
    } else {
      writeFileSync(join(root, file), text);
      console.log(`wrote ${file}`);
    }
  }
  process.exit(stale ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
