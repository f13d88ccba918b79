//! A panic is reported and stops consent-gate cleanly (issue 13, finding 5).
//! Its own test binary: once stopped, a wasm instance stays stopped, and the
//! other browser tests share theirs.
#![cfg(target_arch = "wasm32")]

use consent_gate::web::api::{panic_for_test, ConsentGate};
use serde_json::json;
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_panic_is_reported_and_every_later_call_throws_a_clear_error() {
    let config = json!({
        "defaultLanguage": "en",
        "policy": {"url": "/cookies", "edition": "1"},
        "storage": {"key": "cg-test-panic"},
        "vendors": [],
    });
    let config = js_sys::JSON::parse(&config.to_string()).unwrap();
    let gate = wasm_bindgen_futures::JsFuture::from(ConsentGate::start(config, None)).await.unwrap();
    let gate = ConsentGate::try_from_js_value(gate).unwrap();
    assert!(gate.is_granted("necessary", None).unwrap());

    let document = web_sys::window().unwrap().document().unwrap();
    let reports = js_sys::Array::new();
    let on_error = {
        let reports = reports.clone();
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
            reports.push(&js_sys::Reflect::get(&e.detail(), &"message".into()).unwrap());
        })
    };
    document.add_event_listener_with_callback("consent-gate:error", on_error.as_ref().unchecked_ref()).unwrap();

    // As page code sees it: the call that panicked throws (the trap).
    let call = js_sys::Function::new_with_args(
        "f",
        "try { f(); return 'returned'; } catch (e) { return e.constructor.name; }",
    );
    let panicking = Closure::<dyn FnMut()>::new(panic_for_test);
    let outcome = call.call1(&JsValue::NULL, panicking.as_ref()).unwrap();
    assert_eq!(outcome, "RuntimeError");

    assert_eq!(reports.length(), 1, "reported once");
    let message = reports.get(0).as_string().unwrap();
    assert!(message.contains("stopped after an internal error at src/web/api.rs:"), "{message}");
    for refused in [gate.is_granted("analytics", None).err(), gate.accept_all().err(), gate.show_bar().err()] {
        let error: JsValue = refused.expect("refused after the panic").into();
        let text = String::from(error.unchecked_into::<js_sys::Error>().message());
        assert!(text.contains("stopped after an internal error"), "{text}");
    }
    assert_eq!(reports.length(), 1, "later calls throw without another report");
}
