// Reads the config given to ConsentGate.start() as JSON text. In JS, not Rust:
// awaiting the fetch from Rust would pull an async runtime
// (wasm-bindgen-futures) into the wasm for this one step.
//
/**
 * Calls `then(text, fromObject)` with the text (and whether it was made from
 * a config object, so problems are named by field path, not by a line of
 * text the site never wrote), or `then(error)` with an Error naming what
 * went wrong, so the wasm handles both outcomes in one callback; the promise
 * returned settles as `then` returns or throws. If a gate is live on the page
 * (see `once`), `then` is not called: the promise resolves to that gate, or
 * rejects if it was started with another config or `nonce`.
 */
export function withConfigText(config, nonce, then) {
  return read(config)
    .catch((error) => (error instanceof Error ? error : new Error(describe(error))))
    .then((read) => (read instanceof Error ? then(read) : once(read, nonce, then)));
}

// One gate per page. start() called again while the gate it started is live
// (React's StrictMode runs effects twice; two scripts may both start it)
// would draw a second bar and add a second set of listeners: with the same
// config and nonce it gets the live gate, otherwise a clear error. The record
// is on the document, which every copy of consent-gate on the page shares
// (the drop-in beside the ES module, two bundles); the gate's free() removes
// it (src/web/started.rs). It also keeps the gate from the garbage collector,
// which would otherwise free a gate the page kept no reference to (its bar
// gone, its listeners stopped).
const LIVE = Symbol.for('consent-gate.started');

function once({ text, fromObject }, nonce, then) {
  const live = document[LIVE];
  if (live) {
    if (live.text === text && live.nonce === nonce) return live.gate;
    const message = 'start() was called again with another config or nonce; use the gate it gave, or free() it first';
    console.error(`consent-gate: ${message}`);
    document.dispatchEvent(new CustomEvent('consent-gate:error', { detail: { message } }));
    throw new Error(`consent-gate: ${message}`);
  }
  const gate = then(text, fromObject);
  // A refused config gives the promise of its diagnostics, not a gate.
  if (typeof gate?.then !== 'function') document[LIVE] = { text, nonce, gate };
  return gate;
}

async function read(config) {
  if (config !== null && typeof config === 'object' && typeof config.then === 'function') {
    config = await config.then(null, (error) => {
      throw new Error(`could not load the config: ${describe(error)}`);
    });
  }
  if (config instanceof Response) return { text: await responseText(config, config.url), fromObject: false };
  if (typeof config === 'string') {
    const response = await fetch(config).catch((error) => {
      throw new Error(`could not load the config from ${config}: ${describe(error)}`);
    });
    return { text: await responseText(response, config), fromObject: false };
  }
  if (config !== null && typeof config === 'object') {
    try {
      const text = JSON.stringify(config);
      if (typeof text === 'string') return { text, fromObject: true };
    } catch (error) {
      throw new Error(`the config object cannot be read as JSON: ${describe(error)}`);
    }
    throw new Error('the config object cannot be read as JSON');
  }
  throw new Error('start() takes the URL of consent.json, a fetch of it, or a config object');
}

async function responseText(response, url) {
  if (!response.ok) {
    throw new Error(`could not load the config from ${url}: the server answered ${response.status}`);
  }
  return response.text().catch((error) => {
    throw new Error(`could not load the config from ${url}: ${describe(error)}`);
  });
}

function describe(error) {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  try {
    return JSON.stringify(error) ?? 'an error the browser did not describe';
  } catch {
    return 'an error the browser did not describe';
  }
}
