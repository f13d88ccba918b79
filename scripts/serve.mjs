// The demo's static server: www/ at /, pkg/ at /pkg/. Bound to 127.0.0.1 and
// answering whatever Host the request names, so tests can map a real site
// name (www.example.lv) onto it. sirv serves .wasm as application/wasm.
import http from 'node:http';
import sirv from 'sirv';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

export function createServer({ www = join(repo, 'www'), pkg = join(repo, 'pkg') } = {}) {
  const options = { dev: true, etag: true, dotfiles: false };
  const site = sirv(www, options);
  const library = sirv(pkg, options);
  return http.createServer((req, res) => {
    const notFound = () => {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('not found');
    };
    if (req.url === '/pkg' || req.url.startsWith('/pkg/')) {
      req.url = req.url.slice(4) || '/';
      return library(req, res, notFound);
    }
    return site(req, res, notFound);
  });
}

/** Starts the server; port 0 picks a free one. Resolves to { server, port, url }. */
export function listen(port = 0, host = '127.0.0.1') {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({ server, port: actual, url: `http://${host}:${actual}/` });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await listen(Number(process.env.PORT ?? 8080));
  console.log(`consent-gate demo at ${url} (Ctrl+C stops it)`);
}
