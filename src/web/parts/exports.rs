//! What a part's own wasm module offers the gate (through `js/parts.js`).
//! Each reads the config again from its text: the gate checked it already,
//! and a part that gets a config it cannot read draws nothing.

use super::linked;
#[cfg(any(feature = "ui", feature = "declaration"))]
use crate::core::config::Config;
use crate::web::guard;
use wasm_bindgen::prelude::*;

fn started() -> Result<(), JsError> {
    guard::install();
    if guard::stopped() {
        return Err(JsError::new(guard::STOPPED_MESSAGE));
    }
    Ok(())
}

#[cfg(any(feature = "ui", feature = "declaration"))]
fn read_config(text: &str) -> Result<Config, JsError> {
    started()?;
    Config::accept_json(text)
        .map_err(|_| JsError::new("consent-gate: a part was given a config that does not pass the checks"))
}

/// What a part drew, until the gate closes it.
#[wasm_bindgen]
pub struct Drawn(#[allow(dead_code)] Box<dyn std::any::Any>);

#[wasm_bindgen]
impl Drawn {
    /// Removes what was drawn (a dialog gives focus back to its opener).
    pub fn close(self) {}
}

#[cfg(feature = "ui")]
mod ui {
    use super::*;
    use crate::core::category::Signals;
    use crate::core::choice::{Grants, UiChoice};
    use crate::core::plan::AskReason;

    /// The gate's callback, called with each choice's code.
    fn reporter(on_choice: js_sys::Function) -> impl Fn(UiChoice) + Clone + 'static {
        move |choice: UiChoice| {
            if let Err(e) = on_choice.call1(&JsValue::NULL, &JsValue::from(choice.code())) {
                crate::web::events::report_error(&crate::web::events::describe(&e));
            }
        }
    }

    #[wasm_bindgen(js_name = openBar)]
    pub fn open_bar(
        config: &str,
        lang: &str,
        reason: &str,
        signals: u8,
        on_choice: js_sys::Function,
    ) -> Result<Drawn, JsError> {
        let config = read_config(config)?;
        let reason = AskReason::from_code(reason).unwrap_or(AskReason::NoChoice);
        let bar = linked::bar(&config, lang, &reason, Signals::from_bits(signals), reporter(on_choice));
        let bar = bar.ok_or_else(|| JsError::new("could not show the consent bar: the page has no <body>"))?;
        Ok(Drawn(Box::new(bar)))
    }

    #[wasm_bindgen(js_name = openPreferences)]
    pub fn open_preferences(
        config: &str,
        lang: &str,
        current: &str,
        signals: u8,
        consent_id: &str,
        saved_at: f64,
        on_choice: js_sys::Function,
    ) -> Result<Drawn, JsError> {
        let config = read_config(config)?;
        // A code that cannot be read shows every switch off (never on).
        let current = Grants::from_code(current).unwrap_or_default().normalized(&config);
        let consent = (!consent_id.is_empty()).then_some((consent_id, saved_at));
        let signals = Signals::from_bits(signals);
        let dialog = linked::preferences(&config, lang, &current, signals, consent, reporter(on_choice));
        let dialog =
            dialog.ok_or_else(|| JsError::new("could not open the cookie settings: the page has no <body>"))?;
        if dialog.dialog_to_open().is_some_and(|d| d.show_modal().is_err()) {
            return Err(JsError::new("could not open the cookie settings"));
        }
        Ok(Drawn(Box::new(dialog)))
    }
}

/// Asks the gate: `[code, nonce]`, or nothing once it is gone (or with a
/// code that cannot be read: then nothing is activated). `allow`: an embed
/// vendor to grant first.
#[cfg(any(feature = "markup", feature = "embeds"))]
fn gate_state(
    gate: &js_sys::Function,
    allow: Option<&str>,
) -> Option<(crate::core::markup::MarkupGrants, Option<String>)> {
    let pair = match allow {
        Some(name) => gate.call1(&JsValue::NULL, &JsValue::from_str(name)).ok()?,
        None => gate.call0(&JsValue::NULL).ok()?,
    };
    let pair = pair.dyn_ref::<js_sys::Array>()?;
    let grants = crate::core::markup::MarkupGrants::from_code(&pair.get(0).as_string()?)?;
    Some((grants, pair.get(1).as_string()))
}

#[cfg(feature = "markup")]
mod markup {
    use super::*;
    use std::cell::RefCell;

    thread_local! {
        /// The gate's function giving the choices and nonce in force.
        static STATE: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    }

    /// Activates what the choices in force grant, and watches the page for
    /// gated elements added later. `want_embeds`: the gate's function that
    /// fetches the embeds part, called once the page has an embed.
    #[wasm_bindgen(js_name = watchMarkup)]
    pub fn watch_markup(gate: js_sys::Function, want_embeds: js_sys::Function) -> Result<(), JsError> {
        started()?;
        STATE.with(|s| s.replace(Some(gate.clone())));
        let want_embeds = std::rc::Rc::new(move || {
            if let Err(e) = want_embeds.call0(&JsValue::NULL) {
                crate::web::events::report_error(&crate::web::events::describe(&e));
            }
        });
        linked::watch_markup(std::rc::Rc::new(move |allow: Option<&str>| gate_state(&gate, allow)), want_embeds);
        activate_markup()?;
        Ok(())
    }

    /// Activates what the choices in force grant (after a change).
    #[wasm_bindgen(js_name = activateMarkup)]
    pub fn activate_markup() -> Result<(), JsError> {
        started()?;
        let gate = STATE.with(|s| s.borrow().clone());
        if let Some((grants, nonce)) = gate.as_ref().and_then(|g| gate_state(g, None)) {
            linked::activate_markup(&grants, nonce.as_deref());
        }
        Ok(())
    }
}

/// The embed placeholders: the page's embeds now and those added later,
/// with the gate's state (which "always allow" asks to grant a vendor).
#[cfg(feature = "embeds")]
#[wasm_bindgen(js_name = watchEmbeds)]
pub fn watch_embeds(gate: js_sys::Function) -> Result<(), JsError> {
    started()?;
    linked::watch_embeds(std::rc::Rc::new(move |allow: Option<&str>| gate_state(&gate, allow)));
    Ok(())
}

/// Handles the page's embeds with the choices in force (after a change).
#[cfg(feature = "embeds")]
#[wasm_bindgen(js_name = activateEmbeds)]
pub fn activate_embeds() -> Result<(), JsError> {
    started()?;
    linked::refresh_embeds();
    Ok(())
}

#[cfg(feature = "declaration")]
#[wasm_bindgen(js_name = renderDeclarations)]
pub fn render_declarations(config: &str) -> Result<(), JsError> {
    let config = read_config(config)?;
    crate::web::dom::when_parsed(move || linked::render_declarations(&config));
    Ok(())
}

/// Reports every problem of a config the gate refused (console,
/// `consent-gate:error`, `data-consent-errors` elements) and returns the
/// summary `start()` rejects with.
#[cfg(feature = "diagnostics")]
#[wasm_bindgen(js_name = reportConfigProblems)]
pub fn report_config_problems(text: &str, from_object: bool) -> Result<String, JsError> {
    started()?;
    Ok(linked::report_problems(text, from_object))
}

/// The checker page's check of a pasted or dropped consent.json: each
/// problem as `{line, column, path, message, text}` (`text`: the whole line
/// as the page shows it, position included), the words in `lang` ("lv",
/// "ru" or "en"), in the order of the text; an empty list when it passes.
/// The same rules and messages as `consent-gate check --lang`.
#[cfg(feature = "diagnostics")]
#[wasm_bindgen(js_name = checkConfig)]
pub fn check_config(text: &str, lang: &str) -> Result<js_sys::Array, JsError> {
    started()?;
    let list = js_sys::Array::new();
    for (problem, shown) in crate::web::diagnostics::check_text(text, lang) {
        let item = js_sys::Object::new();
        let (line, column) = problem.position.unwrap_or((1, 1));
        let fields = [
            ("line", JsValue::from(u32::try_from(line).unwrap_or(u32::MAX))),
            ("column", JsValue::from(u32::try_from(column).unwrap_or(u32::MAX))),
            ("path", JsValue::from_str(&problem.path)),
            ("message", JsValue::from_str(&problem.message)),
            ("text", JsValue::from_str(&shown)),
        ];
        for (key, value) in fields {
            js_sys::Reflect::set(&item, &JsValue::from_str(key), &value)
                .map_err(|_| JsError::new("consent-gate: could not list a problem"))?;
        }
        list.push(&item);
    }
    Ok(list)
}

/// "consent.json has N problems" in `lang`, the checker page's heading.
#[cfg(feature = "diagnostics")]
#[wasm_bindgen(js_name = problemsHeading)]
pub fn problems_heading(lang: &str, n: u32) -> Result<String, JsError> {
    started()?;
    Ok(crate::web::diagnostics::heading(lang, n as usize))
}

/// Lists why `start()` failed (a config that did not load) in the page's
/// `data-consent-errors` elements.
#[cfg(feature = "diagnostics")]
#[wasm_bindgen(js_name = listProblems)]
pub fn list_problems(problems: Vec<String>) -> Result<(), JsError> {
    started()?;
    crate::web::dom::when_parsed(move || crate::web::diagnostics::render_errors(&problems, false));
    Ok(())
}
