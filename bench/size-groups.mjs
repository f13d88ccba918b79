// Groups twiggy's per-item sizes (CSV from `twiggy top -f csv`) by what pulled
// them in, first match wins. Debug sections and the names section are left out:
// the shipped wasm has neither.
import { readFileSync } from 'node:fs';

const GROUPS = [
  ['float formatting (core flt2dec, zmij)', /flt2dec|float|zmij|bignum|dragon|grisu|f64 as/],
  ['serde_json (parser, Value, Map, errors)', /serde_json/],
  ['serde (derive visitors)', /serde/],
  ['BTreeMap', /btree|BTree/],
  ['core::fmt, Debug/Display impls', /fmt|Debug|Display|Formatter|PadAdapter|escape|printable/],
  ['allocator (talc; dlmalloc before)', /talc|dlmalloc|__rdl|__rust_alloc|__rg_/],
  ['string search, utf8 checks', /str::|StrSearcher|TwoWay|utf8/],
  ['panics', /panic|unwrap_failed|expect_failed|slice_error|index_out_of/],
  ['wasm-bindgen / js-sys / web-sys / gloo glue', /wasm_bindgen|js_sys|web_sys|gloo|__wbindgen|__wbg|^import |^export /],
  ['consent_gate own code', /consent_gate/],
  ['data segments (.rodata: strings, tables)', /^data/],
];

/** One CSV line into fields (twiggy quotes names holding commas or quotes). */
function fields(line) {
  const out = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') field += line[++i];
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) out.push(field), (field = '');
    else field += c;
  }
  return [...out, field];
}

const lines = readFileSync(process.argv[2], 'utf8').trim().split('\n').slice(1);
const totals = new Map([...GROUPS.map(([g]) => [g, 0]), ['other', 0]]);
let all = 0;
for (const line of lines) {
  const [name, shallow] = fields(line);
  const size = Number(shallow);
  if (name.startsWith('custom section') || name === '"function names" subsection') continue;
  all += size;
  const group = GROUPS.find(([, pattern]) => pattern.test(name))?.[0] ?? 'other';
  totals.set(group, totals.get(group) + size);
}
console.log(`\nGrouped (code + data, before wasm-opt): ${all} bytes`);
for (const [group, size] of [...totals].sort((a, b) => b[1] - a[1])) {
  console.log(`${String(size).padStart(8)}  ${((100 * size) / all).toFixed(1).padStart(5)}%  ${group}`);
}
