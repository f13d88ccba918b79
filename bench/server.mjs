// The benchmark's static server, on 127.0.0.1 (the pattern of scripts/serve.mjs):
//   /<library>/home.html, /<library>/scale.html   the test pages (generated)
//   /<library>/slow.html                          home.html in two parts: up to
//                                                 <main> at once, the rest SLOW_TAIL_MS later
//   /<library>/home.{json,js}, .../scale.{json,js} each library's config
//   /pkg/...                                      consent-gate, from pkg/
//   /lib/cookieconsent/..., /lib/klaro/...        the anchors, from bench/node_modules
//   /site.css                                     the demo's page style
// Files go out uncompressed (raw bytes; the size table gives gzip and brotli
// from the files). Library files and configs are cacheable for an hour so the
// warm case is a real cache hit; pages are revalidated (no-cache).
import http from 'node:http';
import sirv from 'sirv';
import { join } from 'node:path';
import { LIBRARIES, SLOW_SPLIT, SLOW_TAIL_MS, page, repo } from './libraries.mjs';

const here = join(repo, 'bench');
const cached = { dev: false, etag: true, maxAge: 3600, dotfiles: false };
const mounts = [
  ['/pkg/', sirv(join(repo, 'pkg'), cached)],
  ['/lib/cookieconsent/', sirv(join(here, 'node_modules/vanilla-cookieconsent/dist'), cached)],
  ['/lib/klaro/', sirv(join(here, 'node_modules/klaro/dist'), cached)],
];
const site = sirv(join(repo, 'www'), cached);

function send(res, type, body, cacheControl) {
  res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': cacheControl });
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
    for (const name of ['home', 'scale']) {
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

/** A page in two parts, the second SLOW_TAIL_MS after the first. */
function sendInParts(res, { type, parts: [first, rest], cache }) {
  res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': cache });
  res.write(first);
  setTimeout(() => res.end(rest), SLOW_TAIL_MS);
}

export function createServer() {
  const routes = generated();
  return http.createServer((req, res) => {
    const path = req.url.split('?')[0];
    const route = routes.get(path);
    if (route?.parts) return sendInParts(res, route);
    if (route) return send(res, route.type, route.body, route.cache);
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
export function listen(port = 0, host = '127.0.0.1') {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve({ server, url: `http://${host}:${server.address().port}/` }));
  });
}
