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
    insert_script(&script_element(&script.url, &script.key, nonce)?, on_load, on_error)
}

/// A `<script async>` for `url`, not yet on the page (so not yet fetched),
/// carrying the nonce; refused unless the browser resolves `url` to an
/// https: or http: address (a path on the site resolves to the page's own).
pub fn script_element(url: &str, key: &str, nonce: Option<&str>) -> Result<web_sys::HtmlScriptElement, JsValue> {
    let document = super::dom::document().ok_or_else(|| JsValue::from_str("no document"))?;
    let element: web_sys::HtmlScriptElement = document.create_element("script")?.unchecked_into();
    element.set_src(url);
    // Read back as the browser resolved it: `javascript:`, `data:` and the
    // like, however spelled, are refused.
    let resolved = element.src();
    if !(resolved.starts_with("https:") || resolved.starts_with("http:")) {
        return Err(JsValue::from_str("a script's address must be an https: or http: URL or a path on the site"));
    }
    element.set_async(true);
    element.set_attribute("data-consent-gate", key)?;
    if let Some(nonce) = nonce {
        // The property, not the attribute: browsers hide nonce attributes.
        js_sys::Reflect::set(&element, &"nonce".into(), &JsValue::from_str(nonce))?;
    }
    Ok(element)
}

/// Puts a script from `script_element` on the page, which fetches and runs it.
pub fn insert_script(
    element: &web_sys::HtmlScriptElement,
    on_load: impl FnOnce() + 'static,
    on_error: impl FnOnce() + 'static,
) -> Result<(), JsValue> {
    let document = super::dom::document().ok_or_else(|| JsValue::from_str("no document"))?;
    gloo_events::EventListener::once(element, "load", move |_| on_load()).forget();
    gloo_events::EventListener::once(element, "error", move |_| on_error()).forget();
    let parent = document.head().map(web_sys::Element::from).or_else(|| document.document_element());
    parent.ok_or_else(|| JsValue::from_str("no element to insert scripts into"))?.append_child(element)?;
    Ok(())
}
