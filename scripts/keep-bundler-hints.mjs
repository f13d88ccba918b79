// Puts back, after minification, the comments that tell bundlers to leave
// the dynamic import() of a part's glue (js/parts.js, js/auto.js) to the
// browser. esbuild's minifier drops every comment, and without
// `webpackIgnore` webpack turns `import(url)` into a lookup in its own module
// table, which fails at run time ("Cannot find module"); Vite warns that it
// cannot analyse it. The files a part needs are emitted by the bundlers from
// the `new URL('./…', import.meta.url)` beside each import.
//
// usage: node scripts/keep-bundler-hints.mjs FILE=COUNT ...
// COUNT is how many dynamic imports FILE must have: any other number stops
// the build, so a new import() is not shipped without its comments.
import { readFileSync, writeFileSync } from 'node:fs';

const HINTS = '/* webpackIgnore: true */ /* @vite-ignore */ ';
const DYNAMIC_IMPORT = /(?<![\w$.])import\((?!\/\*)/g;

for (const arg of process.argv.slice(2)) {
  const [file, want] = arg.split('=');
  const text = readFileSync(file, 'utf8');
  const found = text.match(DYNAMIC_IMPORT)?.length ?? 0;
  if (found !== Number(want)) {
    console.error(`${file}: expected ${want} dynamic import() to mark for bundlers, found ${found}`);
    process.exit(1);
  }
  writeFileSync(file, text.replace(DYNAMIC_IMPORT, `import(${HINTS}`));
}
