//! The JS API, exported by wasm-bindgen.
//!
//! ```js
//! import init, { ConsentGate } from './consent_gate.js';
//! await init();
//! const gate = await ConsentGate.start('/consent.json');
//! gate.onChange(({ analytics, marketing }) => { ... });
//! ```

use super::declaration;
use super::events::{self, report_error};
use super::shell::{self, choices_to_js, describe, Shared, Shell};
use crate::core::category::{Category, Choices};
use crate::core::config::Config;
use crate::core::record::Source;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/js/load-config.js")]
extern "C" {
    /// Calls `then` with the config's JSON text, or with an Error saying why
    /// there is none; the promise settles as `then` does.
    #[wasm_bindgen(js_name = withConfigText)]
    fn with_config_text(config: &JsValue, then: &JsValue) -> js_sys::Promise;
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** The visitor's choice per optional category; necessary is always on. */
export interface Choices {
  analytics: boolean;
  marketing: boolean;
}
/** The stored consent record. */
export interface ConsentRecord {
  v: number;
  id: string;
  givenAt: number;
  updatedAt: number;
  choices: Choices;
  revision: number;
  /** Per category, the fingerprint of the vendors disclosed when the choice was made. */
  fingerprints: { analytics: string; marketing: string };
  source: "bar-accept" | "bar-reject" | "preferences" | "api" | "browser-signal";
  lang: string;
}
export type Category = "necessary" | "analytics" | "marketing";
"#;

/// Consent handling on one page.
#[wasm_bindgen]
pub struct ConsentGate {
    shell: Shared,
}

#[wasm_bindgen]
impl ConsentGate {
    /// Starts from the URL of a consent.json, a `fetch` of it (its `Response`
    /// or the promise of one, so the request can start before the wasm has
    /// loaded), or a config object. A config that does not pass the checks is
    /// reported (console and `consent-gate:error`) and rejects the promise; no
    /// tag is loaded. `options.nonce` is the CSP nonce passed on to every
    /// script the library inserts. It may be called before the document is
    /// parsed: the visitor's tags then load at once, while the bar, gated
    /// elements, declarations and events wait for the parsed page.
    #[wasm_bindgen(unchecked_return_type = "Promise<ConsentGate>")]
    pub fn start(
        #[wasm_bindgen(unchecked_param_type = "string | Response | Promise<Response> | object")] config: JsValue,
        // Left untyped: an explicit type would make the argument required in TypeScript.
        options: Option<js_sys::Object>,
    ) -> js_sys::Promise {
        let nonce = options
            .and_then(|o| js_sys::Reflect::get(&o, &"nonce".into()).ok())
            .and_then(|n| n.as_string())
            .filter(|n| !n.is_empty());
        // One callback for both outcomes: `once_into_js` frees it when called,
        // and a second (never called) handler would stay allocated.
        let on_text = Closure::once_into_js(move |text: JsValue| -> Result<JsValue, JsValue> {
            match text.as_string() {
                Some(text) => start_with(&text, nonce).map(JsValue::from).map_err(JsValue::from),
                None => {
                    let message = describe(&text);
                    Err(fail(&message, vec![message.clone()]).into())
                }
            }
        });
        with_config_text(&config, &on_text)
    }

    /// Whether a category is granted now. `necessary` always is; an unknown
    /// name never is.
    #[wasm_bindgen(js_name = isGranted)]
    pub fn is_granted(&self, #[wasm_bindgen(unchecked_param_type = "Category")] category: &str) -> bool {
        Category::parse(category).is_some_and(|c| self.shell.borrow().choices().allows(c))
    }

    /// The current choices.
    #[wasm_bindgen(unchecked_return_type = "Choices")]
    pub fn choices(&self) -> JsValue {
        choices_to_js(self.shell.borrow().choices())
    }

    /// Grants every category the browser's privacy signals (Do Not Track,
    /// Global Privacy Control) do not refuse.
    #[wasm_bindgen(js_name = acceptAll)]
    pub fn accept_all(&self) {
        shell::accept_all(&self.shell, Source::Api);
    }

    #[wasm_bindgen(js_name = rejectAll)]
    pub fn reject_all(&self) {
        shell::decide(&self.shell, Choices::NONE, Source::Api);
    }

    /// Sets both optional categories, e.g. `{analytics: true, marketing: false}`.
    pub fn set(&self, #[wasm_bindgen(unchecked_param_type = "Choices")] choices: JsValue) -> Result<(), JsError> {
        let choices = choices_from_js(&choices).ok_or_else(|| {
            JsError::new("consent-gate: set() takes {analytics: boolean, marketing: boolean}, both given as true or false")
        })?;
        shell::decide(&self.shell, choices, Source::Api);
        Ok(())
    }

    /// Shows the consent bar again.
    #[wasm_bindgen(js_name = showBar)]
    pub fn show_bar(&self) {
        shell::show_bar(&self.shell);
    }

    /// Opens the preferences dialog.
    #[wasm_bindgen(js_name = showPreferences)]
    pub fn show_preferences(&self) {
        shell::open_preferences(&self.shell);
    }

    /// Switches the texts to another of the site's languages.
    #[wasm_bindgen(js_name = setLanguage)]
    pub fn set_language(&self, lang: &str) -> Result<(), JsError> {
        shell::set_language(&self.shell, lang).map_err(|e| JsError::new(&format!("consent-gate: {e}")))
    }

    /// Forgets the stored choice, withdraws every grant and asks again.
    pub fn reset(&self) {
        shell::reset(&self.shell);
    }

    /// The stored record, or `null` before any decision.
    #[wasm_bindgen(unchecked_return_type = "ConsentRecord | null")]
    pub fn record(&self) -> JsValue {
        // The stored JSON text, parsed by the browser: the same plain object a
        // serializer would build, without a second serializer in the wasm.
        self.shell
            .borrow()
            .record()
            .and_then(|r| js_sys::JSON::parse(&r.encode()).ok())
            .unwrap_or(JsValue::NULL)
    }

    /// The language the texts are shown in.
    #[wasm_bindgen(getter)]
    pub fn language(&self) -> String {
        self.shell.borrow().language().to_owned()
    }

    /// Calls `callback(choices)` after every change of the choices.
    #[wasm_bindgen(js_name = onChange)]
    pub fn on_change(&self, #[wasm_bindgen(unchecked_param_type = "(choices: Choices) => void")] callback: js_sys::Function) {
        self.shell.borrow_mut().subscribe(callback);
    }
}

/// Reads `{analytics, marketing}`: both must be real booleans, and nothing
/// else may be there, so a typo never silently refuses or grants.
fn choices_from_js(value: &JsValue) -> Option<Choices> {
    if !value.is_object() || js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).length() != 2 {
        return None;
    }
    let flag = |name: &str| js_sys::Reflect::get(value, &JsValue::from_str(name)).ok()?.as_bool();
    Some(Choices { analytics: flag("analytics")?, marketing: flag("marketing")? })
}

/// Checks the config, shows the declarations and starts the gate.
fn start_with(text: &str, nonce: Option<String>) -> Result<ConsentGate, JsError> {
    let config = Config::from_json(text).map_err(|errors| {
        let problems: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
        fail(&errors.to_string(), problems)
    })?;
    let shell = Shell::start(config, nonce);
    events::dispatch(events::READY, &JsValue::NULL);
    Ok(ConsentGate { shell })
}

/// Reports why start() failed: console, event, and any `data-consent-errors`
/// element the site placed.
fn fail(message: &str, problems: Vec<String>) -> JsError {
    report_error(message);
    super::dom::when_parsed(move || declaration::render_errors(&problems));
    JsError::new(&format!("consent-gate: {message}"))
}

