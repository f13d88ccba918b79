//! What the page hears: `consent-gate:change` and `consent-gate:error`
//! CustomEvents on `document`, and callbacks registered through the API.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CustomEvent, CustomEventInit};

pub const CHANGE: &str = "consent-gate:change";
pub const ERROR: &str = "consent-gate:error";
pub const READY: &str = "consent-gate:ready";

/// Dispatches on `document`, once the page is parsed so that listeners the
/// page adds further down hear it too.
pub fn dispatch(name: &'static str, detail: &JsValue) {
    let detail = detail.clone();
    super::dom::when_parsed(move || {
        let Some(document) = super::dom::document() else { return };
        let init = CustomEventInit::new();
        init.set_detail(&detail);
        if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = document.dispatch_event(&event);
        }
    });
}

/// Reports a problem on the console (at once) and as a `consent-gate:error`
/// event (once the page is parsed).
pub fn report_error(message: &str) {
    let text = format!("consent-gate: {message}");
    web_sys::console::error_1(&JsValue::from_str(&text));
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"message".into(), &JsValue::from_str(message));
    dispatch(ERROR, &detail);
}

/// A thrown JS value in words.
pub fn describe(error: &JsValue) -> String {
    error
        .as_string()
        .or_else(|| error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        // JSON, not `{:?}`: JsValue's Debug pulls a large formatter into the glue.
        .or_else(|| js_sys::JSON::stringify(error).ok().and_then(|s| s.as_string()))
        .unwrap_or_else(|| "an error the browser did not describe".to_owned())
}
