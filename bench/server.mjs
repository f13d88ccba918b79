// The benchmark's static server, on 127.0.0.1 (the pattern of scripts/serve.mjs):
//   /<library>/home.html, /<library>/scale.html   the test pages (generated)
//   /<library>/declaration.html, .../broken.html  the page views only some libraries have
//                                                 (libraries.mjs, pagesOf)
//   /<library>/slow.html                          home.html in two parts: up to
//                                                 <main> at once, the rest SLOW_TAIL_MS later
//   /<library>/<page>.{json,js}                   each library's config for the page
//   /pkg/...                                      consent-gate, from pkg/
//   /lib/cookieconsent/..., /lib/klaro/...        the anchors, from bench/node_modules
//   /site.css                                     the demo's page style
// Two ways to send:
//   - plain (the default; the fast-machine timings): files go out uncompressed
//     through sirv;
//   - gzip (the bytes per page view and the slow phone): every response goes
//     out with Content-Encoding: gzip, compressed once at level 9 (the level
//     of scripts/size-report.mjs), so what Chromium receives for a file is
//     its gzip size in the size report.
// Library files and configs are cacheable for an hour so the warm case is a
// real cache hit; pages are revalidated (no-cache).
import http from 'node:http';
import sirv from 'sirv';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import { LIBRARIES, SLOW_SPLIT, SLOW_TAIL_MS, page, pagesOf, repo } from './libraries.mjs';

const here = join(repo, 'bench');
const cached = { dev: false, etag: true, maxAge: 3600, dotfiles: false };
const roots = [
  ['/pkg/', join(repo, 'pkg')],
  ['/lib/cookieconsent/', join(here, 'node_modules/vanilla-cookieconsent/dist')],
  ['/lib/klaro/', join(here, 'node_modules/klaro/dist')],
];
const mounts = roots.map(([prefix, dir]) => [prefix, sirv(dir, cached)]);

/** The file on disk behind a library file's URL path (/pkg/…, /lib/…), or null. */
export function fileFor(path) {
  const root = roots.find(([prefix]) => path.startsWith(prefix));
  return root ? join(root[1], normalize(`/${decodeURIComponent(path.slice(root[0].length))}`)) : null;
}
const site = sirv(join(repo, 'www'), cached);

const gzipped = new Map();
/** The gzip of a body, computed once per body (files: once per path, size and mtime). */
function gzip(key, body) {
  let zipped = gzipped.get(key);
  if (!zipped) gzipped.set(key, (zipped = gzipSync(body(), { level: 9 })));
  return zipped;
}

function send(res, type, body, cacheControl, zip) {
  const headers = { 'content-type': `${type}; charset=utf-8`, 'cache-control': cacheControl };
  if (zip) {
    body = gzip(`generated\u0000${body}`, () => Buffer.from(body));
    Object.assign(headers, { 'content-encoding': 'gzip', 'content-length': body.length, vary: 'accept-encoding' });
  }
  res.writeHead(200, headers);
  res.end(body);
}

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

/** A file under one of the roots, gzipped (the gzip mode's stand-in for sirv). */
function sendFile(res, file) {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    stat = null;
  }
  if (!stat?.isFile()) return notFound(res);
  const body = gzip(`${file}\u0000${stat.size}\u0000${stat.mtimeMs}`, () => readFileSync(file));
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-encoding': 'gzip',
    'content-length': body.length,
    'cache-control': 'public,max-age=3600',
    vary: 'accept-encoding',
  });
  res.end(body);
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('not found');
}

/** Pages and configs are generated once, at start. */
function generated() {
  const routes = new Map();
  for (const library of LIBRARIES) {
    for (const name of pagesOf(library)) {
      routes.set(`/${library.id}/${name}.html`, { type: 'text/html', body: page(library, name), cache: 'no-cache' });
      const config = library.config(name);
      const ext = config.type === 'application/json' ? 'json' : 'js';
      routes.set(`/${library.id}/${name}.${ext}`, { ...config, cache: 'max-age=3600' });
    }
    const home = page(library, 'home');
    const cut = home.indexOf(SLOW_SPLIT);
    routes.set(`/${library.id}/slow.html`, { type: 'text/html', parts: [home.slice(0, cut), home.slice(cut)], cache: 'no-cache' });
  }
  return routes;
}

/**
 * A page in two parts, the second SLOW_TAIL_MS after the first (gzipped: one
 * stream, flushed after the first part).
 */
function sendInParts(res, { type, parts: [first, rest], cache }, zip) {
  const headers = { 'content-type': `${type}; charset=utf-8`, 'cache-control': cache };
  if (!zip) {
    res.writeHead(200, headers);
    res.write(first);
    setTimeout(() => res.end(rest), SLOW_TAIL_MS);
    return;
  }
  res.writeHead(200, { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' });
  const stream = createGzip({ level: 9 });
  stream.pipe(res);
  stream.write(first);
  stream.flush(() => setTimeout(() => stream.end(rest), SLOW_TAIL_MS));
}

/** The server; `{ gzip: true }` sends every response gzipped (see the top of this file). */
export function createServer({ gzip: zip = false } = {}) {
  const routes = generated();
  return http.createServer((req, res) => {
    const path = req.url.split('?')[0];
    const route = routes.get(path);
    if (route?.parts) return sendInParts(res, route, zip);
    if (route) return send(res, route.type, route.body, route.cache, zip);
    if (zip) {
      const file = fileFor(path) ?? (path === '/site.css' ? join(repo, 'www/site.css') : null);
      if (file) return sendFile(res, file);
      return notFound(res);
    }
    for (const [prefix, serve] of mounts) {
      if (path.startsWith(prefix)) {
        req.url = req.url.slice(prefix.length - 1);
        return serve(req, res, () => notFound(res));
      }
    }
    if (path === '/site.css') return site(req, res, () => notFound(res));
    return notFound(res);
  });
}

/** Starts the server; port 0 picks a free one. Resolves to { server, url }. */
export function listen({ port = 0, host = '127.0.0.1', gzip: zip = false } = {}) {
  const server = createServer({ gzip: zip });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve({ server, url: `http://${host}:${server.address().port}/` }));
  });
}
