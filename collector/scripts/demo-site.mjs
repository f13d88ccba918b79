// The demo site as the collector serves it: a copy of www/ whose consent.json
// sends receipts to the collector (`receipts.url`). www/ itself stays the
// site's config without receipts: the static test server (scripts/serve.mjs)
// has no collector behind it.
//   node collector/scripts/demo-site.mjs DIR
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RECEIPTS_URL = '/consent/receipts';

/** Writes the demo site into `dir` (replacing it) and returns its consent.json's path. */
export function writeDemoSite(dir, www = new URL('../../www', import.meta.url).pathname) {
  rmSync(dir, { recursive: true, force: true });
  cpSync(www, dir, { recursive: true });
  const path = join(dir, 'consent.json');
  const config = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(path, `${JSON.stringify({ ...config, receipts: { url: RECEIPTS_URL } }, null, 2)}\n`);
  return path;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node collector/scripts/demo-site.mjs DIR');
    process.exit(2);
  }
  console.log(writeDemoSite(dir));
}
