//! The parts fetched on first use: `js/parts.js` loads a part's own wasm
//! module once, calls into it and hands back a handle to close what it drew.
//! A part that fails to load is reported there, and nothing is granted.

use crate::core::category::{Choices, Signals};
use crate::core::choice::UiChoice;
use crate::core::plan::AskReason;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/parts.js")]
extern "C" {
    /// Calls `method(...args)` of the part once it has loaded; returns at
    /// once with a handle whose `close()` removes what it drew (or cancels).
    #[wasm_bindgen(js_name = openPart)]
    fn open_part(part: &str, method: &str, args: &js_sys::Array) -> JsValue;
    #[wasm_bindgen(js_name = preloadPart)]
    fn preload_part(part: &str);
    /// Loads the diagnostics, which report the config's problems; the promise
    /// rejects with the error `start()` rejects with.
    #[wasm_bindgen(js_name = refuseConfig)]
    fn refuse_config(text: &str) -> js_sys::Promise;
}

/// The bar or the dialog of the fetched part, while on the page (or while it
/// loads); dropping it closes it.
pub struct Shown {
    handle: JsValue,
    _on_choice: Closure<dyn Fn(String)>,
}

impl Shown {
    /// None: the fetched part opens its dialog itself.
    pub fn dialog_to_open(&self) -> Option<web_sys::HtmlDialogElement> {
        None
    }
}

impl Drop for Shown {
    fn drop(&mut self) {
        if let Ok(close) = js_sys::Reflect::get(&self.handle, &"close".into()) {
            if let Some(close) = close.dyn_ref::<js_sys::Function>() {
                let _ = close.call0(&self.handle);
            }
        }
    }
}

fn show(method: &str, args: &[JsValue], on_choice: impl Fn(UiChoice) + 'static) -> Option<Shown> {
    let on_choice = Closure::<dyn Fn(String)>::new(move |code: String| {
        if let Some(choice) = UiChoice::from_code(&code) {
            on_choice(choice);
        }
    });
    let list: js_sys::Array = args.iter().collect();
    list.push(on_choice.as_ref());
    let handle = open_part("ui", method, &list);
    Some(Shown { handle, _on_choice: on_choice })
}

pub fn bar(
    text: &str,
    lang: &str,
    reason: &AskReason,
    signals: Signals,
    on_choice: impl Fn(UiChoice) + 'static,
) -> Option<Shown> {
    let args = [text.into(), lang.into(), reason.code().into(), signals.bits().into()];
    show("openBar", &args, on_choice)
}

pub fn preferences(text: &str, lang: &str, current: Choices, on_choice: impl Fn(UiChoice) + 'static) -> Option<Shown> {
    show("openPreferences", &[text.into(), lang.into(), current.bits().into()], on_choice)
}

pub fn preload(part: &str) {
    preload_part(part);
}

pub fn render_declarations(text: &str) {
    let args: js_sys::Array = std::iter::once(JsValue::from(text)).collect();
    // Nothing to close: the declaration stays.
    let _ = open_part("declaration", "renderDeclarations", &args);
}

pub fn refuse(text: &str) -> js_sys::Promise {
    refuse_config(text)
}

pub fn list_problems(problems: Vec<String>) {
    let list: js_sys::Array = problems.into_iter().map(JsValue::from).collect();
    let args: js_sys::Array = std::iter::once(JsValue::from(list)).collect();
    // Nothing to close: the list stays.
    let _ = open_part("diagnostics", "listProblems", &args);
}
