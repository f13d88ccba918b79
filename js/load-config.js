// Reads the config given to ConsentGate.start() as JSON text. In JS, not Rust:
// awaiting the fetch from Rust would pull an async runtime
// (wasm-bindgen-futures) into the wasm for this one step.
//
/**
 * Calls `then(text)` with the text, or `then(error)` with an Error naming what
 * went wrong, so the wasm handles both outcomes in one callback; the promise
 * returned settles as `then` returns or throws.
 */
export function withConfigText(config, then) {
  return read(config)
    .catch((error) => (error instanceof Error ? error : new Error(describe(error))))
    .then(then);
}

async function read(config) {
  if (config !== null && typeof config === 'object' && typeof config.then === 'function') {
    config = await config.then(null, (error) => {
      throw new Error(`could not load the config: ${describe(error)}`);
    });
  }
  if (config instanceof Response) return responseText(config, config.url);
  if (typeof config === 'string') {
    const response = await fetch(config).catch((error) => {
      throw new Error(`could not load the config from ${config}: ${describe(error)}`);
    });
    return responseText(response, config);
  }
  if (config !== null && typeof config === 'object') {
    try {
      return JSON.stringify(config);
    } catch (error) {
      throw new Error(`the config object cannot be read as JSON: ${describe(error)}`);
    }
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
