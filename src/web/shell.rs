//! The shell's state for one page and the runner of the core's plans.

use super::events::{self, report_error};
use super::{cookies, loader, markup};
use super::storage::Store;
use super::ui::bar::{Bar, BarChoice};
use crate::core::category::Choices;
use crate::core::config::Config;
use crate::core::decide::{Decision, Session, Stored};
use crate::core::i18n::choose_language;
use crate::core::plan::{Action, AskReason};
use crate::core::record::{consent_id_from, ConsentRecord, Source};
use gloo_events::EventListener;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsValue;

pub struct Shell {
    session: Session,
    store: Store,
    lang: String,
    bar: Option<Bar>,
    subscribers: Vec<js_sys::Function>,
    _tab_sync: Option<EventListener>,
    /// The CSP nonce given to the library, passed on to every script it inserts.
    nonce: Option<String>,
}

pub type Shared = Rc<RefCell<Shell>>;

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

impl Shell {
    /// Starts consent handling on this page for a checked config.
    pub fn start(config: Config, nonce: Option<String>) -> Shared {
        let lang = page_language(&config);
        let store = Store::open(&config.storage.key);
        let shell = Rc::new(RefCell::new(Shell {
            session: Session::new(config),
            store,
            lang,
            bar: None,
            subscribers: Vec::new(),
            _tab_sync: None,
            nonce,
        }));
        let (plan, problem) = {
            let mut s = shell.borrow_mut();
            let stored = s.store.read();
            let stored = stored.as_deref().map_or(Stored::Nothing, Stored::Text);
            s.session.start(stored, now_ms())
        };
        if let Some(problem) = problem {
            report_error(&format!("{problem}; asking the visitor again"));
        }
        if !shell.borrow().store.is_persistent() {
            report_error("browser storage is unavailable; the choice will hold for this page only");
        }
        shell.borrow_mut()._tab_sync = watch_other_tabs(Rc::downgrade(&shell));
        run(&shell, plan);
        watch_page(&shell);
        check_cookies(&shell);
        shell
    }

    pub fn choices(&self) -> Choices {
        self.session.choices()
    }

    pub fn record(&self) -> Option<&ConsentRecord> {
        self.session.record()
    }

    pub fn language(&self) -> &str {
        &self.lang
    }

    pub fn subscribe(&mut self, callback: js_sys::Function) {
        self.subscribers.push(callback);
    }
}

/// Applies a visitor's decision and carries out its plan.
pub fn decide(shell: &Shared, choices: Choices, source: Source) {
    let plan = {
        let mut s = shell.borrow_mut();
        let lang = s.lang.clone();
        s.session.decide(Decision { choices, source, lang, now_ms: now_ms(), new_id: new_consent_id() })
    };
    run(shell, plan);
}

/// Shows the bar again (for the API and, later, `data-consent-open`).
pub fn show_bar(shell: &Shared) {
    run(shell, vec![Action::ShowBar(AskReason::NoChoice)]);
}

/// Forgets the stored choice and asks again.
pub fn reset(shell: &Shared) {
    let plan = {
        let mut s = shell.borrow_mut();
        s.store.clear();
        s.session.adopt(Stored::Nothing, now_ms())
    };
    run(shell, plan);
}

/// Carries out a plan, step by step. No borrow is held while page code runs
/// (vendor calls, subscribers), so that code may call the API again.
pub fn run(shell: &Shared, plan: Vec<Action>) {
    for action in plan {
        match action {
            Action::ShowBar(_) => open_bar(shell),
            Action::HideBar => shell.borrow_mut().bar = None,
            Action::Call(call) => {
                if let Err(e) = loader::run_call(&call) {
                    report_error(&format!("a vendor call failed: {}", describe(&e)));
                }
            }
            Action::LoadScript(script) => {
                let url = script.url.clone();
                let failed = move || report_error(&format!("the tag {url} failed to load"));
                let weak = Rc::downgrade(shell);
                let loaded = move || weak.upgrade().iter().for_each(check_cookies);
                let nonce = shell.borrow().nonce.clone();
                if let Err(e) = loader::load_script(&script, nonce.as_deref(), loaded, failed) {
                    report_error(&format!("could not insert {}: {}", script.url, describe(&e)));
                }
            }
            Action::Store(record) => {
                let result = shell.borrow_mut().store.write(&record.encode());
                if let Err(e) = result {
                    report_error(&e);
                }
            }
            Action::ClearStored => shell.borrow_mut().store.clear(),
            Action::Announce(choices) => {
                announce(shell, choices);
                let nonce = shell.borrow().nonce.clone();
                markup::activate(choices, nonce.as_deref());
            }
            Action::DeleteCookies { names } => cookies::delete(&names),
            Action::DeleteStorage { keys } => cookies::delete_storage(&keys),
            Action::CapCookie { name, expires_ms } => {
                if let Err(problem) = cookies::cap(&name, expires_ms) {
                    report_error(&problem);
                }
            }
            Action::Reload => {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().reload();
                }
            }
        }
    }
}

/// Checks the cookie jar against the declared lifetimes and the choices in
/// force (see `core::jar`), remembering when each vendor cookie first appeared.
pub fn check_cookies(shell: &Shared) {
    let plan = {
        let s = shell.borrow();
        let key = cookies::first_seen_key(&s.session.config().storage.key);
        let first_seen = cookies::load_first_seen(&key);
        let (plan, next) = s.session.check_cookies(&cookies::jar_names(), &first_seen, now_ms());
        if next != first_seen {
            cookies::save_first_seen(&key, &next);
        }
        plan
    };
    run(shell, plan);
}

/// Watches for what may need a new look: gated elements added to the page,
/// and vendor cookies set or changed (cookieStore change events where the
/// browser has them, and whenever the page is hidden or shown again).
/// The listeners live as long as the page.
fn watch_page(shell: &Shared) {
    let weak = Rc::downgrade(shell);
    markup::watch(move || weak.upgrade().map(|s| (s.borrow().choices(), s.borrow().nonce.clone())));
    let Some(window) = web_sys::window() else { return };
    if let Some(document) = window.document() {
        let weak = Rc::downgrade(shell);
        EventListener::new(&document, "visibilitychange", move |_| weak.upgrade().iter().for_each(check_cookies)).forget();
    }
    let store = js_sys::Reflect::get(&window, &"cookieStore".into()).ok().filter(|s| s.is_object());
    if let Some(store) = store.and_then(|s| wasm_bindgen::JsCast::dyn_into::<web_sys::EventTarget>(s).ok()) {
        let weak = Rc::downgrade(shell);
        EventListener::new(&store, "change", move |event| {
            if cookie_change_needs_check(event) {
                weak.upgrade().iter().for_each(check_cookies);
            }
        })
        .forget();
    }
}

/// A `cookieStore` change needs a check unless it is only our own capped rewrites.
fn cookie_change_needs_check(event: &web_sys::Event) -> bool {
    let changed = js_sys::Reflect::get(event, &"changed".into()).unwrap_or(JsValue::UNDEFINED);
    js_sys::Array::from(&changed).iter().any(|cookie| {
        let field = |name: &str| js_sys::Reflect::get(&cookie, &name.into()).unwrap_or(JsValue::UNDEFINED);
        cookies::change_needs_check(&field("name").as_string().unwrap_or_default(), field("expires").as_f64())
    })
}

fn open_bar(shell: &Shared) {
    if shell.borrow().bar.is_some() {
        return;
    }
    let weak = Rc::downgrade(shell);
    let on_choice = move |choice: BarChoice| {
        let Some(shell) = weak.upgrade() else { return };
        match choice {
            BarChoice::AcceptAll => decide(&shell, Choices::ALL, Source::BarAccept),
            BarChoice::RejectAll => decide(&shell, Choices::NONE, Source::BarReject),
        }
    };
    let bar = {
        let s = shell.borrow();
        let config = s.session.config();
        Bar::show(&config.texts(&s.lang), config.policy_url(&s.lang), on_choice)
    };
    if bar.is_none() {
        report_error("could not show the consent bar: the page has no <body>");
    }
    shell.borrow_mut().bar = bar;
}

fn announce(shell: &Shared, choices: Choices) {
    let detail = choices_to_js(choices);
    let subscribers = shell.borrow().subscribers.clone();
    for callback in subscribers {
        if let Err(e) = callback.call1(&JsValue::NULL, &detail) {
            report_error(&format!("an onChange callback threw: {}", describe(&e)));
        }
    }
    events::dispatch(events::CHANGE, &detail);
}

pub fn choices_to_js(choices: Choices) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(&choices, &serializer).unwrap_or(JsValue::NULL)
}

/// Another tab wrote or removed our record: adopt it here too.
fn watch_other_tabs(shell: Weak<RefCell<Shell>>) -> Option<EventListener> {
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "storage", move |event| {
        let Some(shell) = shell.upgrade() else { return };
        let Some(event) = wasm_bindgen::JsCast::dyn_ref::<web_sys::StorageEvent>(event) else { return };
        let plan = {
            let mut s = shell.borrow_mut();
            let ours = event.key().is_none() || event.key().as_deref() == Some(s.session.config().storage.key.as_str());
            if !ours {
                return;
            }
            let value = event.new_value();
            let stored = value.as_deref().map_or(Stored::Nothing, Stored::Text);
            s.session.adopt(stored, now_ms())
        };
        run(&shell, plan);
    }))
}

/// The visitor's language: `<html lang>`, then the browser's, within the
/// languages the site enables.
fn page_language(config: &Config) -> String {
    let html_lang = super::dom::document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .unwrap_or_default();
    let browser: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages().iter().filter_map(|l| l.as_string()).collect())
        .unwrap_or_default();
    let candidates = std::iter::once(html_lang.as_str()).chain(browser.iter().map(String::as_str));
    choose_language(candidates, &config.languages, &config.default_language)
}

/// 16 random bytes from the browser's CSPRNG as 32 hex digits.
fn new_consent_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // Without crypto the id still must not repeat; it names a choice, it
        // is no secret. Mix the clock and Math.random.
        let seed = (js_sys::Date::now() as u64) ^ ((js_sys::Math::random() * u64::MAX as f64) as u64);
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        bytes[8..].copy_from_slice(&((js_sys::Math::random() * u64::MAX as f64) as u64).to_le_bytes());
    }
    consent_id_from(bytes)
}

pub fn describe(error: &JsValue) -> String {
    error
        .as_string()
        .or_else(|| wasm_bindgen::JsCast::dyn_ref::<js_sys::Error>(error).map(|e| String::from(e.message())))
        .unwrap_or_else(|| format!("{error:?}"))
}
