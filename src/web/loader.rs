//! Carries out vendor calls and inserts vendor loader scripts.

use crate::core::plan::{Arg, Call, Script};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/js/vendor-queues.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = callCommand)]
    fn call_command(name: &str, args: js_sys::Array) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_name = pushQueue)]
    fn push_queue(name: &str, item: JsValue) -> Result<(), JsValue>;
    /// `[script, promise]`: a script for `loadScript()`, not yet on the
    /// page; `[null, promise]` for one asked for before (the same address
    /// and category); `undefined` for an address that is not http(s) once
    /// resolved.
    #[wasm_bindgen(js_name = pageScript)]
    pub fn page_script(src: &str, nonce: Option<String>, category: &str) -> JsValue;
}

/// Converts JSON to plain JS values (objects, not Maps, as vendors expect).
/// Through the browser's JSON.parse: the core already writes JSON text, so
/// no second converter is needed in the wasm.
fn to_js(value: &crate::core::json::Value) -> JsValue {
    js_sys::JSON::parse(&value.to_json()).unwrap_or(JsValue::UNDEFINED)
}

fn to_js_arg(arg: &Arg) -> JsValue {
    match arg {
        Arg::Json(v) => to_js(v),
        Arg::Now => js_sys::Date::new_0().into(),
    }
}

pub fn run_call(call: &Call) -> Result<(), JsValue> {
    match call {
        Call::Command { function, args } => call_command(function, args.iter().map(to_js_arg).collect()),
        Call::Push { queue, item } => push_queue(queue, to_js(item)),
    }
}

/// Inserts `<script async src=…>` carrying the CSP nonce the library was
/// given; `on_load` runs once it ran, `on_error` if it failed to load.
pub fn load_script(
    script: &Script,
    nonce: Option<&str>,
    on_load: impl FnOnce() + 'static,
    on_error: impl FnOnce() + 'static,
) -> Result<(), JsValue> {
    let document = super::dom::document().ok_or_else(|| JsValue::from_str("no document"))?;
    let element: web_sys::HtmlScriptElement = document.create_element("script")?.unchecked_into();
    element.set_src(&script.url);
    element.set_async(true);
    element.set_attribute("data-consent-gate", &script.key)?;
    if let Some(nonce) = nonce {
        // The property, not the attribute: browsers hide nonce attributes.
        js_sys::Reflect::set(&element, &"nonce".into(), &JsValue::from_str(nonce))?;
    }
    gloo_events::EventListener::once(&element, "load", move |_| on_load()).forget();
    gloo_events::EventListener::once(&element, "error", move |_| on_error()).forget();
    append_script(&element)
}

/// Puts a script on the page, in `<head>`, which fetches and runs it.
pub fn append_script(element: &web_sys::Element) -> Result<(), JsValue> {
    let document = super::dom::document().ok_or_else(|| JsValue::from_str("no document"))?;
    let parent = document.head().map(web_sys::Element::from).or_else(|| document.document_element());
    parent.ok_or_else(|| JsValue::from_str("no element to insert scripts into"))?.append_child(element)?;
    Ok(())
}
