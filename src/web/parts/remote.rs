//! The parts fetched on first use: `js/parts.js` loads a part's own wasm
//! module once, calls into it and hands back a handle to close what it drew.
//! A part that fails to load is reported there, and nothing is granted.

use super::gate_side::MarkupState;
use crate::core::category::Signals;
use crate::core::choice::{Grants, UiChoice};
use crate::core::plan::AskReason;
use std::cell::Cell;
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
    fn refuse_config(text: &str, from_object: bool) -> js_sys::Promise;
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

pub fn preferences(
    text: &str,
    lang: &str,
    current: &Grants,
    signals: Signals,
    consent: Option<(&str, f64)>,
    on_choice: impl Fn(UiChoice) + 'static,
) -> Option<Shown> {
    // No consent yet: an empty id.
    let (id, saved_at) = consent.unwrap_or(("", 0.0));
    let args = [text.into(), lang.into(), current.code().into(), signals.bits().into(), id.into(), saved_at.into()];
    show("openPreferences", &args, on_choice)
}

pub fn preload(part: &str) {
    preload_part(part);
}

pub fn render_declarations(text: &str) {
    let args: js_sys::Array = std::iter::once(JsValue::from(text)).collect();
    // Nothing to close: the declaration stays.
    let _ = open_part("declaration", "renderDeclarations", &args);
}

pub fn refuse(text: &str, from_object: bool) -> js_sys::Promise {
    refuse_config(text, from_object)
}

pub fn list_problems(problems: Vec<String>) {
    let list: js_sys::Array = problems.into_iter().map(JsValue::from).collect();
    let args: js_sys::Array = std::iter::once(JsValue::from(list)).collect();
    // Nothing to close: the list stays.
    let _ = open_part("diagnostics", "listProblems", &args);
}

thread_local! {
    /// Whether the markup part has been started: from then on it watches the
    /// page itself, and the gate only asks it to activate after a change.
    static MARKUP_STARTED: Cell<bool> = const { Cell::new(false) };
    /// The same for the embeds part, which the markup part asks for.
    static EMBEDS_STARTED: Cell<bool> = const { Cell::new(false) };
}

/// The grants and nonce in force as the markup part reads them:
/// `[code, nonce]` (see `MarkupGrants::code`), or `undefined` once the gate
/// is gone or stopped.
///
/// Called with an embed vendor's name, it grants that vendor first.
fn markup_state_for_js(state: MarkupState) -> JsValue {
    Closure::<dyn Fn(JsValue) -> JsValue>::new(move |allow: JsValue| match state(allow.as_string().as_deref()) {
        Some((grants, nonce)) => {
            let pair: js_sys::Array =
                [JsValue::from(grants.code()), nonce.map_or(JsValue::UNDEFINED, JsValue::from)].into_iter().collect();
            pair.into()
        }
        None => JsValue::UNDEFINED,
    })
    // It lives as long as the page: the part keeps it.
    .into_js_value()
}

/// Starts the markup part, once: it activates what the choices grant and
/// watches for gated elements added later. It asks for the embeds part
/// when the page has an embed; when one is there already, that part's
/// fetch starts now, beside the markup part's.
fn start_markup(state: &MarkupState) {
    if MARKUP_STARTED.with(|s| s.replace(true)) {
        return;
    }
    let embed_vendors = state(None).is_some_and(|(grants, _)| !grants.embeds.vendors.is_empty());
    if embed_vendors && crate::web::dom::document().is_some_and(|d| matches!(d.query_selector(IFRAMES), Ok(Some(_)))) {
        preload("embeds");
    }
    let for_embeds = state.clone();
    let want_embeds = Closure::<dyn Fn()>::new(move || start_embeds(&for_embeds)).into_js_value();
    let args: js_sys::Array = [markup_state_for_js(state.clone()), want_embeds].into_iter().collect();
    let _ = open_part("markup", "watchMarkup", &args);
}

/// Gated iframes that look like embeds: only a hint to fetch the embeds
/// part early (the markup part decides which iframes are embeds).
const IFRAMES: &str = "iframe[data-consent][data-src*=youtube], iframe[data-consent][data-src*=vimeo], \
    iframe[data-consent][data-src*=google]";

/// Starts the embeds part, once: it shows the placeholders, loads what is
/// granted and watches for embeds added later.
fn start_embeds(state: &MarkupState) {
    if EMBEDS_STARTED.with(|s| s.replace(true)) {
        return;
    }
    let args: js_sys::Array = std::iter::once(markup_state_for_js(state.clone())).collect();
    let _ = open_part("embeds", "watchEmbeds", &args);
}

pub fn activate_markup(state: &MarkupState) {
    if MARKUP_STARTED.with(Cell::get) {
        let _ = open_part("markup", "activateMarkup", &js_sys::Array::new());
    } else if crate::web::dom::has_marked(MARKED) {
        start_markup(state);
    }
    if EMBEDS_STARTED.with(Cell::get) {
        let _ = open_part("embeds", "activateEmbeds", &js_sys::Array::new());
    }
}

/// Until the page has a gated element, the gate watches for one itself (a
/// small observer), and fetches the part only once one arrives.
pub fn watch_markup(state: MarkupState) {
    if MARKUP_STARTED.with(Cell::get) || crate::web::dom::has_marked(MARKED) {
        return start_markup(&state);
    }
    let Some(root) = crate::web::dom::document().and_then(|d| d.document_element()) else { return };
    let on_change = Closure::<dyn FnMut(js_sys::Array, web_sys::MutationObserver)>::new(
        move |_: js_sys::Array, observer: web_sys::MutationObserver| {
            if crate::web::dom::has_marked(MARKED) {
                observer.disconnect();
                start_markup(&state);
            }
        },
    );
    let Ok(observer) = web_sys::MutationObserver::new(on_change.as_ref().unchecked_ref()) else { return };
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    let _ = observer.observe_with_options(&root, &options);
    // The observer and its callback live until the part takes over, at most
    // as long as the page.
    on_change.forget();
}

/// What marks a gated element.
const MARKED: &str = "data-consent";
