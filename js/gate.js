// The ES module's entry (pkg/consent_gate.js): wasm-bindgen's glue, with one
// change. ConsentGate.start() before init() failed with the glue's raw
// "Cannot read properties of undefined (reading 'consentgate_start')": it
// now rejects with a clear error, and waits for an init() that was called
// but not awaited. scripts/build.sh bundles this file with the glue, so the
// exports, and their types in consent_gate.d.ts, are the glue's.
import glueInit, { initSync as glueInitSync, ConsentGate } from './consent_gate.js';

export * from './consent_gate.js';

/** init()'s promise once it was called, `true` once the wasm is ready. */
let ready;

export default function init(moduleOrPath) {
  const started = glueInit(moduleOrPath);
  ready ??= started.then(
    (exports) => ((ready = true), exports),
    (error) => {
      ready = undefined; // init() may be called again
      throw error;
    },
  );
  return started;
}

export function initSync(module) {
  const exports = glueInitSync(module);
  ready = true;
  return exports;
}

const start = ConsentGate.start;
ConsentGate.start = function (config, options) {
  if (ready === true) return start.call(ConsentGate, config, options);
  if (ready) return ready.then(() => start.call(ConsentGate, config, options));
  return Promise.reject(
    new Error("consent-gate: ConsentGate.start() was called before init(); await init(), the module's default export, first"),
  );
};
