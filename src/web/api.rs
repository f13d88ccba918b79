//! The JS API, exported by wasm-bindgen.
//!
//! ```js
//! import init, { ConsentGate } from './consent_gate.js';
//! await init();
//! const gate = await ConsentGate.start('/consent.json');
//! gate.onChange(({ analytics, marketing, vendors }) => { ... });
//! ```

use super::events::describe;
use super::events::{self, report_error};
use super::guard;
use super::shell::{self, choices_to_js, vendors_to_js, Shared, Shell};
use super::started;
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
    fn with_config_text(config: &JsValue, nonce: Option<String>, then: &JsValue) -> js_sys::Promise;
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** The visitor's choice per optional category; necessary is always on. A category is granted when every one of its vendors is. */
export interface Choices {
  analytics: boolean;
  marketing: boolean;
}
/** A choice per vendor of a category, by the vendor's key: its type (`ga4`, `google-ads`, `google-marketing-platform`, `facebook-pixel`, `criteo`, `adform`) or a `script` vendor's name in lower case, dashed (`"Hot Jar"` is `hot-jar`). */
export type VendorChoices = Record<string, boolean>;
/** Each vendor's grant, per category. */
export interface VendorGrants {
  analytics: VendorChoices;
  marketing: VendorChoices;
}
/** What `set()` takes: per category, `true` or `false` for all its vendors, or an object naming the vendors allowed (`{criteo: true, "facebook-pixel": false}`); a vendor the object leaves out is refused. */
export interface ChoicesInput {
  analytics: boolean | VendorChoices;
  marketing: boolean | VendorChoices;
}
/** What `onChange` callbacks and `consent-gate:change` events get: the choices in force, and whether the visitor has decided (false on a first visit, or when asked again: its refusals are then no choice). */
export interface ChangeDetail extends Choices {
  decided: boolean;
  vendors: VendorGrants;
}
/** The stored consent record. */
export interface ConsentRecord {
  v: number;
  id: string;
  givenAt: number;
  updatedAt: number;
  choices: Choices;
  /** The grants made by naming the category or one of its vendors (a switch, or set()); only these outweigh Do Not Track and Global Privacy Control. */
  explicit: Choices;
  /** Per category, each vendor's key with its grant and the fingerprint of the vendor (type, id, lifetime) when the choice was made. */
  vendors: { analytics: Record<string, [boolean, string]>; marketing: Record<string, [boolean, string]> };
  revision: number;
  source: "bar-accept" | "bar-reject" | "preferences" | "api" | "browser-signal" | "page-button";
  lang: string;
}
export type Category = "necessary" | "analytics" | "marketing";
/** `ConsentGate.start()`'s options. */
export interface StartOptions {
  /** The page's CSP nonce, passed on to every script consent-gate inserts. */
  nonce?: string;
}
/** The `detail` of a `consent-gate:error` event. */
export interface ErrorDetail {
  message: string;
}
declare global {
  interface DocumentEventMap {
    /** The choices changed, or (once the page is parsed) the choices found at start. */
    "consent-gate:change": CustomEvent<ChangeDetail>;
    /** A problem, also reported on the console. */
    "consent-gate:error": CustomEvent<ErrorDetail>;
    /** A gate started; its detail is the gate. */
    "consent-gate:ready": CustomEvent<ConsentGate>;
  }
  interface Window {
    /** The gate the drop-in (consent-gate-auto.js) started, once it has. */
    consentGate?: ConsentGate;
  }
}
"#;

/// Consent handling on one page.
#[wasm_bindgen]
pub struct ConsentGate {
    shell: Shared,
    /// Marks the page as started until this gate is freed.
    _started: started::Mark,
}

/// Every method starts here: it throws a clear error instead of trapping when
/// consent-gate stopped after a panic, or (which no path of ours should
/// allow) when the shell is busy with a step that called into page code.
impl ConsentGate {
    fn live(&self) -> Result<&Shared, JsError> {
        if guard::stopped() {
            return Err(JsError::new(guard::STOPPED_MESSAGE));
        }
        Ok(&self.shell)
    }

    fn read<T>(&self, f: impl FnOnce(&Shell) -> T) -> Result<T, JsError> {
        let shell = self.live()?;
        let s = shell.try_borrow().map_err(|_| busy())?;
        Ok(f(&s))
    }

    /// Runs a step that may change the state, once nothing else holds it.
    fn act(&self, f: impl FnOnce(&Shared)) -> Result<(), JsError> {
        let shell = self.live()?;
        if shell.try_borrow_mut().is_err() {
            return Err(busy());
        }
        f(shell);
        Ok(())
    }
}

fn not_a_script() -> JsError {
    JsError::new("consent-gate: loadScript() takes an https: or http: URL or a path on the site, and a category")
}

fn busy() -> JsError {
    report_error("an API call came while consent-gate was busy with another step; it was refused");
    JsError::new("consent-gate: busy with another step; call again from a later task (setTimeout)")
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
    ///
    /// One gate per page: called again with the same config and nonce while
    /// that gate is live, it resolves to the same gate (React's StrictMode
    /// starts effects twice); with another config it rejects. `free()` stops
    /// the gate (the bar, the dialog and the listeners go; tags already
    /// loaded stay) and lets the page start another. Called before `init()`
    /// (the module's default export), it rejects with an error that says so.
    #[wasm_bindgen(unchecked_return_type = "Promise<ConsentGate>")]
    pub fn start(
        #[wasm_bindgen(
            unchecked_param_type = "string | Response | Promise<Response> | import('./consent_gate_config.js').ConsentConfig"
        )]
        config: JsValue,
        #[wasm_bindgen(unchecked_param_type = "StartOptions")] options: Option<js_sys::Object>,
    ) -> js_sys::Promise {
        let nonce = options
            .and_then(|o| js_sys::Reflect::get(&o, &"nonce".into()).ok())
            .and_then(|n| n.as_string())
            .filter(|n| !n.is_empty());
        // The nonce goes to js/load-config.js too: a start() repeated with the
        // same config and nonce gets the live gate.
        let nonce_for_js = nonce.clone();
        // One callback for both outcomes: `once_into_js` frees it when called,
        // and a second (never called) handler would stay allocated. It is not
        // called for a start() on a page with a live gate, and stays
        // allocated then, once per such call.
        let on_text = Closure::once_into_js(move |text: JsValue, from_object: JsValue| -> Result<JsValue, JsValue> {
            match text.as_string() {
                Some(text) => start_with(&text, from_object.is_truthy(), nonce),
                None => {
                    let message = describe(&text);
                    Err(fail(&message, vec![message.clone()]).into())
                }
            }
        });
        with_config_text(&config, nonce_for_js, &on_text)
    }

    /// Whether a category is granted now (every one of its vendors), or,
    /// given a vendor's key, whether that vendor of the category is.
    /// `necessary` always is; an unknown category never is, nor a vendor
    /// the config does not list in the category (which is reported).
    #[wasm_bindgen(js_name = isGranted)]
    pub fn is_granted(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Category")] category: &str,
        vendor: Option<String>,
    ) -> Result<bool, JsError> {
        let Some(category) = Category::parse(category) else { return Ok(false) };
        let Some(vendor) = vendor else {
            return self.read(|s| s.choices().allows(category));
        };
        // The vendors are listed only for an unknown one; reported once the borrow ends.
        let granted = self.read(|s| s.vendor_granted(category, &vendor).ok_or_else(|| s.vendor_keys_of(category)))?;
        if let Err(known) = &granted {
            report_error(&unknown_vendor("isGranted()", category, &vendor, known));
        }
        Ok(granted.unwrap_or(false))
    }

    /// The current choices per category (a category is granted when every
    /// one of its vendors is).
    #[wasm_bindgen(unchecked_return_type = "Choices")]
    pub fn choices(&self) -> Result<JsValue, JsError> {
        self.read(Shell::choices).map(choices_to_js)
    }

    /// Each vendor's grant, by its key, per category: `{analytics: {ga4:
    /// true}, marketing: {criteo: true, "facebook-pixel": false}}`.
    #[wasm_bindgen(js_name = vendorChoices, unchecked_return_type = "VendorGrants")]
    pub fn vendor_choices(&self) -> Result<JsValue, JsError> {
        self.read(|s| vendors_to_js(s, s.choices()))
    }

    /// Whether the visitor has made a choice that still counts: false on a
    /// first visit, after `reset()`, once a choice expired, or while a
    /// category is asked again because its vendors changed.
    #[wasm_bindgen(js_name = hasChoice)]
    pub fn has_choice(&self) -> Result<bool, JsError> {
        self.read(Shell::decided)
    }

    /// Grants every category the browser's privacy signals (Do Not Track,
    /// Global Privacy Control) do not refuse.
    #[wasm_bindgen(js_name = acceptAll)]
    pub fn accept_all(&self) -> Result<(), JsError> {
        self.act(|shell| shell::accept_all(shell, Source::Api))
    }

    #[wasm_bindgen(js_name = rejectAll)]
    pub fn reject_all(&self) -> Result<(), JsError> {
        self.act(|shell| shell::decide(shell, Choices::NONE, None, Choices::NONE, Source::Api))
    }

    /// Sets both optional categories, e.g. `{analytics: true, marketing:
    /// false}`, or per vendor: `{analytics: true, marketing: {criteo: true,
    /// "facebook-pixel": false}}` (a vendor the object leaves out is
    /// refused). All are chosen by name, so a grant here outweighs Do Not
    /// Track and Global Privacy Control, as a switch in the settings does.
    pub fn set(&self, #[wasm_bindgen(unchecked_param_type = "ChoicesInput")] choices: JsValue) -> Result<(), JsError> {
        let (choices, vendors) = self.read(|s| choices_from_js(s, &choices))?.map_err(|e| JsError::new(&e))?;
        self.act(|shell| shell::decide(shell, choices, Some(vendors), Choices::ALL, Source::Api))
    }

    /// Shows the consent bar again.
    #[wasm_bindgen(js_name = showBar)]
    pub fn show_bar(&self) -> Result<(), JsError> {
        self.act(shell::show_bar)
    }

    /// Opens the preferences dialog.
    #[wasm_bindgen(js_name = showPreferences)]
    pub fn show_preferences(&self) -> Result<(), JsError> {
        self.act(shell::open_preferences)
    }

    /// Hides the bar, if it is shown; the choice stays as it is.
    #[wasm_bindgen(js_name = hideBar)]
    pub fn hide_bar(&self) -> Result<(), JsError> {
        self.act(shell::hide_bar)
    }

    /// Closes the preferences dialog without saving, as Escape does.
    #[wasm_bindgen(js_name = hidePreferences)]
    pub fn hide_preferences(&self) -> Result<(), JsError> {
        self.act(shell::hide_preferences)
    }

    /// Loads a script once `category` is granted (at once if it is, or
    /// as soon as the visitor grants it), with the CSP nonce the gate was
    /// started with. `src` must be an https: or http: URL or a path on the
    /// site; any other address, or an unknown category, throws and loads
    /// nothing. The promise resolves once the script has run, and rejects if
    /// it failed to load; it stays pending while the category is not
    /// granted. Asked again for the same address and category, it returns
    /// the first call's promise and loads the script once.
    #[wasm_bindgen(js_name = loadScript, unchecked_return_type = "Promise<void>")]
    pub fn load_script(
        &self,
        src: &str,
        #[wasm_bindgen(unchecked_param_type = "Category")] category: &str,
    ) -> Result<JsValue, JsError> {
        let nonce = self.read(|s| s.nonce().map(str::to_owned))?;
        let Some(parsed) = Category::parse(category) else { return Err(not_a_script()) };
        let made = super::loader::page_script(src, nonce, category);
        if made.is_undefined() {
            return Err(not_a_script());
        }
        let made: &js_sys::Array = made.unchecked_ref();
        // Asked for before: the first call's promise, and no second script.
        let script = made.get(0);
        if !script.is_null() {
            self.act(|shell| shell::load_page_script(shell, script.unchecked_into(), parsed))?;
        }
        Ok(made.get(1))
    }

    /// Switches the texts to another of the site's languages.
    #[wasm_bindgen(js_name = setLanguage)]
    pub fn set_language(&self, lang: &str) -> Result<(), JsError> {
        let mut outcome = Ok(());
        self.act(|shell| outcome = shell::set_language(shell, lang))?;
        outcome.map_err(|e| JsError::new(&format!("consent-gate: {e}")))
    }

    /// Forgets the stored choice, withdraws every grant and asks again.
    pub fn reset(&self) -> Result<(), JsError> {
        self.act(shell::reset)
    }

    /// The stored record, or `null` before any decision.
    #[wasm_bindgen(unchecked_return_type = "ConsentRecord | null")]
    pub fn record(&self) -> Result<JsValue, JsError> {
        // The stored JSON text, parsed by the browser (after the borrow ends:
        // a page may have replaced JSON.parse): the same plain object a
        // serializer would build, without a second serializer in the wasm.
        let text = self.read(|s| s.record().map(|r| r.encode()))?;
        Ok(text.and_then(|t| js_sys::JSON::parse(&t).ok()).unwrap_or(JsValue::NULL))
    }

    /// The language the texts are shown in.
    #[wasm_bindgen(getter)]
    pub fn language(&self) -> Result<String, JsError> {
        self.read(|s| s.language().to_owned())
    }

    /// Calls `callback({analytics, marketing, decided})` after every change of
    /// the choices. Returns a function that unsubscribes it (calling it again
    /// does nothing).
    #[wasm_bindgen(js_name = onChange, unchecked_return_type = "() => void")]
    pub fn on_change(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(choices: ChangeDetail) => void")] callback: js_sys::Function,
    ) -> Result<JsValue, JsError> {
        let kept = callback.clone();
        self.act(|shell| shell.borrow_mut().subscribe(kept))?;
        let weak = std::rc::Rc::downgrade(&self.shell);
        let unsubscribe = move || {
            let Some(shell) = shell::live(&weak) else { return };
            // Never while the shell is busy: a callback may unsubscribe itself.
            match shell.try_borrow_mut() {
                Ok(mut s) => s.unsubscribe(&callback),
                Err(_) => report_error("onChange's unsubscribe came while consent-gate was busy; call it again later"),
            };
        };
        Ok(Closure::<dyn FnMut()>::new(unsubscribe).into_js_value())
    }
}

const SET_SHAPE: &str = "consent-gate: set() takes {analytics, marketing}, each true or false, or an object of the category's partners, like {criteo: true, \"facebook-pixel\": false}";

/// Reads `set()`'s `{analytics, marketing}`: each a real boolean, or an
/// object whose keys are vendors of the category, each a real boolean; and
/// nothing else may be there, so a typo never silently refuses or grants.
/// Gives the categories and a grant per vendor of the config.
fn choices_from_js(shell: &Shell, value: &JsValue) -> Result<(Choices, Vec<bool>), String> {
    use crate::core::json::{self, Value};
    let shape = || SET_SHAPE.to_owned();
    // Read as JSON, by our own parser: plain data only (a function or
    // `undefined` drops out and is then missing).
    let text = js_sys::JSON::stringify(value).ok().and_then(|t| t.as_string()).ok_or_else(shape)?;
    let Ok(Value::Object(mut given)) = json::parse(&text) else { return Err(shape()) };
    if given.len() != 2 {
        return Err(shape());
    }
    let config = shell.config();
    let mut choices = Choices::NONE;
    let mut vendors = vec![false; config.vendors.len()];
    for category in Category::OPTIONAL {
        match given.remove(category.as_str()) {
            Some(Value::Bool(granted)) => {
                choices = choices.with(category, granted);
                for (i, vendor) in config.vendors.iter().enumerate() {
                    if vendor.category == category {
                        vendors[i] = granted;
                    }
                }
            }
            Some(Value::Object(named)) => {
                for (key, granted) in named {
                    let Value::Bool(granted) = granted else {
                        return Err(format!("consent-gate: set(): {category}.{key} must be true or false"));
                    };
                    let Some(at) = shell.vendor_index(category, &key) else {
                        let known = shell.vendor_keys_of(category);
                        return Err(format!("consent-gate: {}", unknown_vendor("set()", category, &key, &known)));
                    };
                    vendors[at] = granted;
                }
            }
            _ => return Err(shape()),
        }
    }
    Ok((choices, vendors))
}

/// The message for a vendor key the config does not list in `category`.
/// `known` lists the category's vendor keys (`Shell::vendor_keys_of`).
fn unknown_vendor(call: &str, category: Category, vendor: &str, known: &str) -> String {
    let listed = if known.is_empty() {
        format!("{category} has no partners in the config")
    } else {
        format!("its partners are {known}")
    };
    format!("{call}: the config lists no partner \"{vendor}\" in {category}; {listed}")
}

/// Checks the config and starts the gate: `start()`'s outcome, the gate or
/// why not (for a refused config, possibly the promise of the diagnostics
/// that explain it).
fn start_with(text: &str, from_object: bool, nonce: Option<String>) -> Result<JsValue, JsValue> {
    guard::install();
    if guard::stopped() {
        return Err(JsError::new(guard::STOPPED_MESSAGE).into());
    }
    // The lean check: the same rules as the diagnostics, with no messages.
    let Ok(config) = Config::accept_json(text) else {
        return super::parts::gate_side::refuse(text, from_object);
    };
    let shell = Shell::start(config, text.to_owned(), nonce);
    // The event's detail is the gate itself: the drop-in's listeners get it
    // before `window.consentGate` is set.
    let gate: JsValue = ConsentGate { shell, _started: started::Mark(()) }.into();
    events::dispatch(events::READY, &gate);
    Ok(gate)
}

/// Reports why start() failed: console, event, and any `data-consent-errors`
/// element the site placed (drawn by the diagnostics part).
fn fail(message: &str, problems: Vec<String>) -> JsError {
    report_error(message);
    super::dom::when_parsed(move || super::parts::gate_side::list_problems(problems));
    JsError::new(&format!("consent-gate: {message}"))
}

/// Panics on purpose, so a test can check that a panic is reported and stops
/// consent-gate instead of leaving it half-changed. Debug builds only.
#[cfg(debug_assertions)]
#[doc(hidden)]
pub fn panic_for_test() {
    panic!("a panic on purpose, from a test");
}
