//! The gate's calls into the parts: direct where a part is linked in,
//! through `js/parts.js` where it is fetched on first use.

use crate::core::category::Signals;
use crate::core::choice::{Grants, UiChoice};
use crate::core::config::Config;
use crate::core::markup::MarkupGrants;
use crate::core::plan::AskReason;
use wasm_bindgen::JsValue;

#[cfg(feature = "ui")]
pub use super::linked::Shown;
#[cfg(not(feature = "ui"))]
pub use super::remote::Shown;

/// What every part is drawn from: the checked config, its text (a fetched
/// part reads the config again from it) and the visitor's language.
pub struct View<'a> {
    #[cfg_attr(not(any(feature = "ui", feature = "declaration")), allow(dead_code))]
    pub config: &'a Config,
    #[cfg_attr(all(feature = "ui", feature = "declaration"), allow(dead_code))]
    pub text: &'a str,
    pub lang: &'a str,
}

/// Shows the bar; `None` if it could not be.
pub fn bar(
    view: &View,
    reason: &AskReason,
    signals: Signals,
    on_choice: impl Fn(UiChoice) + Clone + 'static,
) -> Option<Shown> {
    #[cfg(feature = "ui")]
    return super::linked::bar(view.config, view.lang, reason, signals, on_choice);
    #[cfg(not(feature = "ui"))]
    return super::remote::bar(view.text, view.lang, reason, signals, on_choice);
}

/// Builds the settings dialog; the caller keeps it, then calls `open`.
///
/// `consent` is the visitor's consent id and when the choice was saved (ms
/// since the epoch), shown so the visitor can cite it; none before a choice.
pub fn preferences(
    view: &View,
    current: &Grants,
    signals: Signals,
    consent: Option<(&str, f64)>,
    on_choice: impl Fn(UiChoice) + Clone + 'static,
) -> Option<Shown> {
    #[cfg(feature = "ui")]
    return super::linked::preferences(view.config, view.lang, current, signals, consent, on_choice);
    #[cfg(not(feature = "ui"))]
    return super::remote::preferences(view.text, view.lang, current, signals, consent, on_choice);
}

/// Starts fetching the bar and the dialog, as soon as the gate knows it
/// will show them, so a first visit's bar is not held up by the fetch.
pub fn preload_ui() {
    #[cfg(not(feature = "ui"))]
    super::remote::preload("ui");
}

/// Fills the page's `data-consent-declaration` elements, if it has any.
pub fn render_declarations(view: &View) {
    if !crate::web::dom::has_marked(crate::web::dom::DECLARATION) {
        return;
    }
    #[cfg(feature = "declaration")]
    super::linked::render_declarations(view.config);
    #[cfg(not(feature = "declaration"))]
    super::remote::render_declarations(view.text);
}

/// The outcome of `start()` for a config that failed the checks: its
/// problems reported in full (console, `consent-gate:error`, the page's
/// `data-consent-errors` elements) and the start refused. Where the
/// diagnostics are fetched, the refusal is the promise of that.
pub fn refuse(text: &str, from_object: bool) -> Result<JsValue, JsValue> {
    #[cfg(feature = "diagnostics")]
    return Err(wasm_bindgen::JsError::new(&format!(
        "consent-gate: {}",
        super::linked::report_problems(text, from_object)
    ))
    .into());
    #[cfg(not(feature = "diagnostics"))]
    return Ok(super::remote::refuse(text, from_object).into());
}

/// Lists why `start()` failed in the page's `data-consent-errors` elements,
/// if it has any.
pub fn list_problems(problems: Vec<String>) {
    if !crate::web::dom::has_marked(crate::web::dom::ERRORS) {
        return;
    }
    #[cfg(feature = "diagnostics")]
    crate::web::diagnostics::render_errors(&problems, false);
    #[cfg(not(feature = "diagnostics"))]
    super::remote::list_problems(problems);
}

/// The grants and nonce in force, for gated markup; `None` once the gate
/// is gone or stopped.
///
/// Given an embed vendor's name, it grants that vendor first (an embed
/// placeholder's "always allow").
pub type MarkupState = std::rc::Rc<dyn Fn(Option<&str>) -> Option<(MarkupGrants, Option<String>)>>;

/// Activates the page's gated elements the choices in force grant.
pub fn activate_markup(state: &MarkupState) {
    #[cfg(feature = "markup")]
    if let Some((grants, nonce)) = state(None) {
        super::linked::activate_markup(&grants, nonce.as_deref());
    }
    #[cfg(not(feature = "markup"))]
    super::remote::activate_markup(state);
}

/// From the parsed page on: activates gated elements added later.
pub fn watch_markup(state: MarkupState) {
    // Linked in with the markup, the placeholders need no fetching.
    #[cfg(feature = "markup")]
    super::linked::watch_markup(state, std::rc::Rc::new(|| {}));
    #[cfg(not(feature = "markup"))]
    super::remote::watch_markup(state);
}
