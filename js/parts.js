// Fetches the parts of consent-gate that a page view may not need, each its
// own wasm module beside this one: the bar and the settings dialog (`ui`),
// gated markup (`markup`), the embed placeholders (`embeds`), the cookie
// declaration (`declaration`) and a refused config's full messages
// (`diagnostics`). A part is fetched once, on first use or when the gate
// knows it will be needed (preloadPart).
//
// Each URL is written out with `new URL(literal, import.meta.url)`, the form
// bundlers recognise as an asset of this module.
const PARTS = {
  ui: () => [new URL('./consent_gate_ui.js', import.meta.url), new URL('./consent_gate_ui_bg.wasm', import.meta.url)],
  markup: () => [
    new URL('./consent_gate_markup.js', import.meta.url),
    new URL('./consent_gate_markup_bg.wasm', import.meta.url),
  ],
  embeds: () => [
    new URL('./consent_gate_embeds.js', import.meta.url),
    new URL('./consent_gate_embeds_bg.wasm', import.meta.url),
  ],
  declaration: () => [
    new URL('./consent_gate_declaration.js', import.meta.url),
    new URL('./consent_gate_declaration_bg.wasm', import.meta.url),
  ],
  diagnostics: () => [
    new URL('./consent_gate_diagnostics.js', import.meta.url),
    new URL('./consent_gate_diagnostics_bg.wasm', import.meta.url),
  ],
};

// Shared with the drop-in (js/auto.js), which may start the ui part's
// requests before the gate has loaded: whoever comes first starts them, and
// each file is requested once.
const PARTS_STARTED = Symbol.for('consent-gate.parts');
const started = (globalThis[PARTS_STARTED] ??= new Map());

/** Starts both requests of a part, side by side. */
function request(name, again) {
  const [glue, wasm] = PARTS[name]();
  // Asked again under its own address: a module map may remember a failed import.
  if (again) glue.searchParams.set('again', '1');
  const part = { glue: import(/* webpackIgnore: true */ /* @vite-ignore */ glue.href), wasm: fetch(wasm) };
  part.wasm.catch(() => {}); // reported where it is awaited
  return part;
}

function instantiate(part) {
  return part.glue.then(async (exports) => {
    await exports.default({ module_or_path: part.wasm });
    return exports;
  });
}

function load(name) {
  let part = started.get(name);
  if (!part) {
    part = request(name, false);
    started.set(name, part);
  }
  // Requests cut off in flight (window.stop() on the page, a dropped
  // connection) are made once more; a second failure is reported, as is a
  // wasm the browser will not compile (a CSP without 'wasm-unsafe-eval').
  part.ready ??= instantiate(part).catch((error) => {
    if (error instanceof WebAssembly.CompileError) throw error;
    const again = request(name, true);
    started.set(name, again);
    return (again.ready = instantiate(again));
  });
  return part.ready;
}

function report(message) {
  const text = `consent-gate: ${message}`;
  console.error(text);
  document.dispatchEvent(new CustomEvent('consent-gate:error', { detail: { message } }));
}

export function preloadPart(name) {
  load(name).catch(() => {}); // reported when the part is used
}

/**
 * Calls `method(...args)` of the part once it has loaded. Returns at once a
 * handle whose close() removes what the part drew, or cancels it if it has
 * not been drawn yet. A part that fails to load or to draw is reported; the
 * gate then simply has no bar or dialog, and nothing is granted.
 */
export function openPart(name, method, args) {
  const handle = {
    closed: false,
    drawn: undefined,
    close() {
      this.closed = true;
      const drawn = this.drawn;
      this.drawn = undefined;
      drawn?.close?.();
    },
  };
  load(name)
    .then((part) => {
      if (handle.closed) return;
      const drawn = part[method](...args);
      // Drawing may move focus, and page code run on that may have closed it.
      if (handle.closed) drawn?.close?.();
      else handle.drawn = drawn;
    })
    .catch((error) => report(`could not load or draw the ${name} part: ${error?.message ?? error}`));
  return handle;
}

/** The rejection of start() for a config the gate refused, with its problems in full. */
export async function refuseConfig(text, fromObject) {
  let message;
  try {
    message = (await load('diagnostics')).reportConfigProblems(text, fromObject);
  } catch (error) {
    message = `consent.json does not pass the checks, and the diagnostics that explain why did not load (${error?.message ?? error})`;
    report(message);
  }
  throw new Error(`consent-gate: ${message}`);
}
