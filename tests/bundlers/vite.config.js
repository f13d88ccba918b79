// The Vite recipe (README, "Bundlers"). `vite build` needs nothing special:
// it emits the wasm and the parts it finds as `new URL('./…', import.meta.url)`.
// The dev server serves files only from the project (server.fs.allow); a
// package linked from elsewhere (`npm link`, `file:`) lives outside it, so its
// folder is allowed by name, or the gate's wasm gets 403 Forbidden.
import { defineConfig, searchForWorkspaceRoot } from 'vite';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const consentGate = dirname(fileURLToPath(import.meta.resolve('consent-gate')));

export default defineConfig({
  root: 'app',
  build: { outDir: '../dist/vite', emptyOutDir: true },
  server: { fs: { allow: [searchForWorkspaceRoot(process.cwd()), consentGate] } },
});
