//! One gate per page: `ConsentGate.start()` again while a gate is live gets
//! that gate, or a clear error if the config or nonce differ. The record of
//! the live gate is kept on the document by js/load-config.js (where the
//! config text is read, so the check costs the gate's wasm nothing); the
//! gate's `free()` removes it here, so the page may start another (the
//! browser tests start one after another).

use wasm_bindgen::prelude::*;

/// Held by the live gate; dropping it (the gate's `free()`) clears the page
/// for another start.
pub struct Mark(pub ());

impl Drop for Mark {
    fn drop(&mut self) {
        if let Some(document) = super::dom::document() {
            let live: JsValue = js_sys::Symbol::for_("consent-gate.started").into();
            let _ = js_sys::Reflect::delete_property(&document, &live);
        }
    }
}
