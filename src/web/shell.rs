//! The shell's state for one page and the runner of the core's plans.

use super::events::{self, describe, report_error};
use super::floating::FloatingButton;
use super::parts::gate_side::{self as parts, Shown, View};
use super::receipts::Courier;
use super::storage::{read_cookie, write_cookie, Store};
use super::{cookies, dom, loader};
use crate::core::category::{Category, Choices, Signals};
use crate::core::choice::{Grants, UiChoice};
use crate::core::config::Config;
use crate::core::decide::{Decision, Session, Stored};
use crate::core::i18n::{choose_language, saved_key, status_text as status_text_of, Key};
use crate::core::plan::{Action, AskReason};
use crate::core::receipt::{receipt, Occasion};
use crate::core::record::{consent_id_from, ConsentRecord, Source};
use gloo_events::EventListener;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::{JsCast, JsValue};

pub struct Shell {
    session: Session,
    /// The config as the site wrote it: a part fetched later reads it again.
    config_text: String,
    store: Store,
    lang: String,
    /// Why the bar was last shown, so it can be redrawn in another language.
    asked: Option<AskReason>,
    bar: Option<Shown>,
    preferences: Option<Shown>,
    floating: Option<FloatingButton>,
    /// The polite live region that says what a choice on the bar or in the
    /// dialog did; put on the page with the first bar or dialog.
    status: Option<web_sys::HtmlElement>,
    subscribers: Vec<js_sys::Function>,
    /// Scripts the page asked for (`loadScript`), waiting for their category.
    page_scripts: Vec<(web_sys::Element, Category)>,
    _page_listeners: Vec<EventListener>,
    /// The CSP nonce given to the library, passed on to every script it inserts.
    nonce: Option<String>,
    /// What waits while the document is still being parsed; `None` once it is.
    held: Option<Held>,
}

/// The steps that need the whole page, asked for before it was parsed. Only
/// their outcome is kept: the bar's last requested state, and whether to
/// announce. The announcement then gives the choices in force once the page
/// is parsed, so a choice withdrawn before then never activates a gated
/// element or reaches a listener as granted.
#[derive(Default)]
struct Held {
    bar: Option<Action>,
    announce: bool,
    preferences: bool,
}

pub type Shared = Rc<RefCell<Shell>>;

/// The shell behind a weak handle, unless the page is gone or consent-gate
/// stopped after a panic (its state may be half-changed then). Every
/// listener and deferred step goes through here.
pub fn live(weak: &Weak<RefCell<Shell>>) -> Option<Shared> {
    if super::guard::stopped() {
        return None;
    }
    weak.upgrade()
}

/// Puts `new` in one of the shell's UI slots and drops what was there only
/// once the borrow is released: dropping a dialog or bar moves focus, and
/// page code listening for focus may call the API again.
fn replace_ui<T>(shell: &Shared, slot: impl FnOnce(&mut Shell) -> &mut Option<T>, new: Option<T>) {
    let old = std::mem::replace(slot(&mut shell.borrow_mut()), new);
    drop(old);
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

impl Shell {
    /// Starts consent handling on this page for a checked config.
    pub fn start(config: Config, config_text: String, nonce: Option<String>) -> Shared {
        let lang = page_language(&config);
        let store = Store::open(&config.storage.key);
        let shell: Shared = Rc::new(RefCell::new(Shell {
            session: Session::new(config, browser_signals()),
            config_text,
            store,
            lang,
            asked: None,
            bar: None,
            preferences: None,
            floating: None,
            status: None,
            subscribers: Vec::new(),
            page_scripts: Vec::new(),
            _page_listeners: Vec::new(),
            nonce,
            // Started early (the async drop-in), the tags are loaded at once
            // and the rest waits for the parsed page; see `dom::when_parsed`.
            held: dom::is_loading().then(Held::default),
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
        watch_cookies(&shell);
        let mut listeners = watch_open_triggers(Rc::downgrade(&shell));
        listeners.extend(watch_other_tabs(Rc::downgrade(&shell)));
        shell.borrow_mut()._page_listeners = listeners;
        run(&shell, plan);
        let courier = Courier::of(shell.borrow().session.config());
        courier.iter().for_each(Courier::resend);
        let signal_decision = shell.borrow().session.signal_decision();
        if let Some(choices) = signal_decision {
            decide(&shell, choices, None, Choices::NONE, Source::BrowserSignal);
        }
        check_cookies(&shell);
        let weak = Rc::downgrade(&shell);
        dom::when_parsed(move || live(&weak).iter().for_each(page_parsed));
        shell
    }

    pub fn choices(&self) -> Choices {
        self.session.choices()
    }

    /// Whether `vendor` (its key) of `category` is granted now; `None` for a
    /// vendor the config does not list in that category.
    pub fn vendor_granted(&self, category: Category, vendor: &str) -> Option<bool> {
        self.vendor_index(category, vendor).map(|i| self.session.grants().vendor(i))
    }

    /// The index in the config of the vendor `key` of `category`.
    pub fn vendor_index(&self, category: Category, key: &str) -> Option<usize> {
        self.session.vendor_index(category, key)
    }

    /// The keys of the vendors of `category`, in config order, as a list
    /// for a message (`ga4, criteo`; empty when it has none).
    pub fn vendor_keys_of(&self, category: Category) -> String {
        let session = &self.session;
        let mut listed = String::new();
        for (vendor, key) in session.config().vendors.iter().zip(session.vendor_keys()) {
            if vendor.category == category {
                push_listed(&mut listed, key);
            }
        }
        listed
    }

    pub fn config(&self) -> &Config {
        self.session.config()
    }

    pub fn record(&self) -> Option<&ConsentRecord> {
        self.session.record()
    }

    /// Whether the visitor's choice stands (see `Session::decided`).
    pub fn decided(&self) -> bool {
        self.session.decided()
    }

    pub fn language(&self) -> &str {
        &self.lang
    }

    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }

    /// What the parts draw from.
    fn view(&self) -> View<'_> {
        View { config: self.session.config(), text: &self.config_text, lang: &self.lang }
    }

    pub fn subscribe(&mut self, callback: js_sys::Function) {
        self.subscribers.push(callback);
    }

    /// Forgets `callback` (the same function object), once.
    pub fn unsubscribe(&mut self, callback: &js_sys::Function) {
        if let Some(at) = self.subscribers.iter().position(|f| f == callback) {
            self.subscribers.remove(at);
        }
    }
}

/// Applies a visitor's decision and carries out its plan. `vendors`: a
/// choice per vendor of the config (`None`: each as its category in
/// `choices`). `by_name` are the categories the visitor chose by name (a
/// switch, or `set()`); the core lets only those outweigh Do Not Track and
/// Global Privacy Control.
pub fn decide(shell: &Shared, choices: Choices, vendors: Option<Vec<bool>>, by_name: Choices, source: Source) {
    replace_ui(shell, |s| &mut s.preferences, None);
    let plan = {
        let mut s = shell.borrow_mut();
        let lang = s.lang.clone();
        let decision = Decision { choices, vendors, by_name, source, lang, now_ms: now_ms(), new_id: new_consent_id() };
        s.session.decide(decision)
    };
    let on_our_ui = matches!(source, Source::BarAccept | Source::BarReject | Source::Preferences | Source::PageButton);
    if !on_our_ui {
        run(shell, plan);
        return;
    }
    // A choice on the bar or in the dialog is announced; a withdrawal that
    // reloads the page says so first, and reloads a moment later (the
    // vendors are told and their cookies deleted at once, as before).
    let mut plan = plan;
    // `matches!`, not `==`: `Action`'s PartialEq (about 0.8 KB raw with the
    // record's, the calls' and the scripts') is then not in the gate.
    let reloads = plan.iter().any(|a| matches!(a, Action::Reload));
    plan.retain(|a| !matches!(a, Action::Reload));
    run(shell, plan);
    let choices = shell.borrow().choices();
    let mut said = status_text(shell, saved_key(choices));
    if reloads {
        said.push(' ');
        said.push_str(&status_text(shell, Key::Reloading));
    }
    say(shell, &said, reloads);
    if reloads {
        reload_in(RELOAD_NOTICE_MS);
    }
}

/// How long a reload waits after it is announced: long enough for a screen
/// reader to start reading it and for the eye to catch it.
const RELOAD_NOTICE_MS: i32 = 1200;

/// A status text in the visitor's language: the config's own, else the
/// built-in one (English for a language without built-in texts).
fn status_text(shell: &Shared, key: Key) -> String {
    let s = shell.borrow();
    let texts = s.session.config().texts(&s.lang);
    let text = texts.own(key).or_else(|| status_text_of(&s.lang, key)).or_else(|| status_text_of("en", key));
    text.unwrap_or_default().to_owned()
}

/// Puts the live region on the page, empty, if it is not yet: a region must
/// be there before what it says, or screen readers may miss it.
fn ensure_status(shell: &Shared) {
    if shell.borrow().status.is_some() {
        return;
    }
    let theme = shell.borrow().session.config().ui.theme;
    let region = dom::El::new("div").and_then(|el| {
        el.class(&format!("cg-status {}", theme.classes()))
            .attr("role", "status")
            .attr("aria-live", "polite")
            .attr("aria-atomic", "true")
            .into_html()
    });
    let Some(region) = region else { return };
    if dom::document().and_then(|d| d.body()).is_some_and(|b| b.append_child(&region).is_ok()) {
        shell.borrow_mut().status = Some(region);
    }
}

/// Says `text` in the live region; `shown` also shows it on screen.
fn say(shell: &Shared, text: &str, shown: bool) {
    ensure_status(shell);
    let Some(region) = shell.borrow().status.clone() else { return };
    let _ = region.set_attribute("lang", &shell.borrow().lang);
    region.set_text_content(Some(text));
    let _ = region.class_list().toggle_with_force("cg-status--shown", shown);
}

fn reload_in(ms: i32) {
    let Some(window) = web_sys::window() else { return };
    let reload = wasm_bindgen::closure::Closure::once_into_js(|| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    if window.set_timeout_with_callback_and_timeout_and_arguments_0(reload.unchecked_ref(), ms).is_err() {
        let _ = window.location().reload();
    }
}

/// "Accept all": every category the browser's privacy signals do not refuse.
pub fn accept_all(shell: &Shared, source: Source) {
    let choices = shell.borrow().session.accept_all();
    decide(shell, choices, None, Choices::NONE, source);
}

/// Shows the bar again.
pub fn show_bar(shell: &Shared) {
    run(shell, vec![Action::ShowBar(AskReason::NoChoice)]);
}

/// Hides the bar (the page asked to); the choice stays as it is.
pub fn hide_bar(shell: &Shared) {
    run(shell, vec![Action::HideBar]);
}

/// Closes the settings dialog without saving, as Escape does.
pub fn hide_preferences(shell: &Shared) {
    if let Some(held) = shell.borrow_mut().held.as_mut() {
        held.preferences = false;
    }
    replace_ui(shell, |s| &mut s.preferences, None);
}

/// Keeps a script the page asked for (`loader::page_script`) and puts
/// it on the page once its category is granted (at once if it is).
pub fn load_page_script(shell: &Shared, script: web_sys::Element, category: Category) {
    shell.borrow_mut().page_scripts.push((script, category));
    load_granted_scripts(shell);
}

/// Puts the page's waiting scripts whose category is granted now on the page.
fn load_granted_scripts(shell: &Shared) {
    loop {
        let next = {
            let mut s = shell.borrow_mut();
            let choices = s.choices();
            let at = s.page_scripts.iter().position(|(_, category)| choices.allows(*category));
            at.map(|at| s.page_scripts.remove(at).0)
        };
        let Some(script) = next else { return };
        if loader::append_script(&script).is_err() {
            report_error("could not insert a script that loadScript() asked for");
        }
    }
}

/// Appends `item` to a list for a message, after a `, ` if it is not the
/// first. Instead of `Vec<String>::join`, whose generic code (about 1 KB raw)
/// the gate would carry only for messages.
pub fn push_listed(listed: &mut String, item: &str) {
    if !listed.is_empty() {
        listed.push_str(", ");
    }
    listed.push_str(item);
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

/// Switches the texts to another enabled language, redrawing what is open.
pub fn set_language(shell: &Shared, lang: &str) -> Result<(), String> {
    {
        let mut s = shell.borrow_mut();
        let enabled = &s.session.config().languages;
        if !enabled.iter().any(|l| l == lang) {
            let mut listed = String::new();
            for l in enabled {
                push_listed(&mut listed, l);
            }
            return Err(format!("'{lang}' is not one of the site's languages ({listed})"));
        }
        s.lang = lang.to_owned();
    }
    let (bar, asked, preferences) = {
        let mut s = shell.borrow_mut();
        (s.bar.take(), s.asked.clone(), s.preferences.take())
    };
    let (bar_open, preferences_open) = (bar.is_some(), preferences.is_some());
    // Closed with no borrow held: closing the dialog gives focus back.
    drop((bar, preferences));
    if bar_open {
        open_bar(shell, &asked.unwrap_or(AskReason::NoChoice));
    }
    if preferences_open {
        open_preferences(shell);
    }
    refresh_floating_button(shell);
    Ok(())
}

/// The document is parsed: the declarations are rendered, what waited for
/// the whole page is done, gated elements are watched from now on, and, if
/// the tags loaded while it was parsed, the cookies they set are checked.
fn page_parsed(shell: &Shared) {
    let held = shell.borrow_mut().held.take();
    let waited = held.is_some();
    let held = held.unwrap_or_default();
    parts::render_declarations(&shell.borrow().view());
    let mut plan: Vec<Action> = held.bar.into_iter().collect();
    if held.announce {
        let choices = shell.borrow().choices();
        plan.push(Action::Announce(choices));
    }
    run(shell, plan);
    if held.preferences {
        open_preferences(shell);
    }
    parts::watch_markup(markup_state(shell));
    if waited {
        check_cookies(shell);
    }
}

/// Keeps a step that needs the whole page for later while the document is
/// still being parsed; gives back every other step.
fn hold(shell: &Shared, action: Action) -> Option<Action> {
    let mut s = shell.borrow_mut();
    if matches!(action, Action::ShowBar(_)) {
        // Fetched while the page is still parsed, so the bar is ready with it.
        parts::preload_ui();
    }
    let Some(held) = s.held.as_mut() else { return Some(action) };
    match action {
        Action::ShowBar(_) | Action::HideBar => held.bar = Some(action),
        Action::Announce(_) => held.announce = true,
        other => return Some(other),
    }
    None
}

/// Carries out a plan, step by step. No borrow is held while page code runs
/// (vendor calls, subscribers), so that code may call the API again.
/// Tags, calls, storage and cookies are acted on at once; the bar and the
/// announcement (events, callbacks, gated elements) once the page is parsed.
pub fn run(shell: &Shared, plan: Vec<Action>) {
    // The server's copy first: a withdrawal cut short by page code further
    // down must not leave a grant there.
    sync_mirror(shell);
    for action in plan {
        let Some(action) = hold(shell, action) else { continue };
        match action {
            Action::ShowBar(reason) => open_bar(shell, &reason),
            Action::HideBar => {
                replace_ui(shell, |s| &mut s.bar, None);
                refresh_floating_button(shell);
            }
            Action::Call(call) => {
                if let Err(e) = loader::run_call(&call) {
                    report_error(&format!("a vendor call failed: {}", describe(&e)));
                }
            }
            Action::LoadScript(script) => {
                let url = script.url.clone();
                let failed = move || report_error(&format!("the tag {url} failed to load"));
                let weak = Rc::downgrade(shell);
                let loaded = move || live(&weak).iter().for_each(check_cookies);
                let nonce = shell.borrow().nonce.clone();
                if let Err(e) = loader::load_script(&script, nonce.as_deref(), loaded, failed) {
                    report_error(&format!("could not insert {}: {}", script.url, describe(&e)));
                }
            }
            Action::Store(record) => store(shell, &record),
            Action::ClearStored => shell.borrow_mut().store.clear(),
            Action::Announce(choices) => {
                announce(shell, choices);
                // A listener may have withdrawn meanwhile: gated elements get
                // only what is still granted after it ran.
                parts::activate_markup(&markup_state(shell));
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
    load_granted_scripts(shell);
}

/// The choices and nonce in force, read when gated markup is activated.
/// Given an embed vendor's name (`marketing:youtube`), it first grants that
/// vendor: an embed placeholder's "always allow" button (issue 19).
fn markup_state(shell: &Shared) -> parts::MarkupState {
    let weak = Rc::downgrade(shell);
    Rc::new(move |allow: Option<&str>| {
        let shell = live(&weak)?;
        if let Some(name) = allow {
            allow_embed(&shell, name);
        }
        let s = shell.borrow();
        Some((s.session.markup_grants(&s.lang), s.nonce.clone()))
    })
}

/// Grants the embed vendor `name` (`category:key`) on top of the choices in
/// force, as a decision of the visitor's on the page: stored, announced and
/// sent as a receipt like any other, withdrawn the same way. Anything but a
/// configured embed vendor is ignored.
fn allow_embed(shell: &Shared, name: &str) {
    let grants = {
        let s = shell.borrow();
        let Some((category, key)) = name.split_once(':') else { return };
        let Some(category) = crate::core::category::Category::parse(category) else { return };
        let Some(at) = s.session.vendor_index(category, key) else { return };
        if s.session.config().vendors.get(at).and_then(|v| v.tag.embed()).is_none() {
            return;
        }
        let mut grants = s.session.grants().clone();
        if let Some(slot) = grants.vendors.get_mut(at) {
            *slot = true;
        }
        grants
    };
    decide(shell, grants.categories, Some(grants.vendors), Choices::ALL, Source::PageButton);
}

/// Checks the cookie jar against the declared lifetimes and the choices in
/// force (see `core::jar`), remembering when each vendor cookie first appeared.
pub fn check_cookies(shell: &Shared) {
    // Loading and saving may report problems, and a report runs the page's
    // listeners: neither happens under a borrow.
    let key = crate::core::own_names::first_seen(&shell.borrow().session.config().storage.key);
    let first_seen = cookies::load_first_seen(&key);
    let (plan, next) = shell.borrow().session.check_cookies(&cookies::jar_names(), &first_seen, now_ms());
    if next != first_seen {
        cookies::save_first_seen(&key, &next);
    }
    run(shell, plan);
}

/// Watches for vendor cookies set or changed (cookieStore change events
/// where the browser has them, and whenever the page is hidden or shown
/// again). From the start: tags may load while the page is still parsed.
/// The listeners live as long as the page.
fn watch_cookies(shell: &Shared) {
    let Some(window) = web_sys::window() else { return };
    if let Some(document) = window.document() {
        let weak = Rc::downgrade(shell);
        EventListener::new(&document, "visibilitychange", move |_| live(&weak).iter().for_each(check_cookies)).forget();
    }
    let store = js_sys::Reflect::get(&window, &"cookieStore".into()).ok().filter(|s| s.is_object());
    if let Some(store) = store.and_then(|s| wasm_bindgen::JsCast::dyn_into::<web_sys::EventTarget>(s).ok()) {
        let weak = Rc::downgrade(shell);
        EventListener::new(&store, "change", move |event| {
            if cookie_change_needs_check(event) {
                live(&weak).iter().for_each(check_cookies);
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
        let text = |name: &str| field(name).as_string().unwrap_or_default();
        cookies::change_needs_check(&text("name"), &text("value"), field("expires").as_f64())
    })
}

fn store(shell: &Shared, record: &ConsentRecord) {
    let result = shell.borrow_mut().store.write(&record.encode());
    if let Err(e) = result {
        report_error(&e);
    }
    send_receipt(shell, record);
}

/// Sends the decision's receipt to the site's collector, if it has one.
fn send_receipt(shell: &Shared, record: &ConsentRecord) {
    let outgoing = {
        let s = shell.borrow();
        let config = s.session.config();
        Courier::of(config).map(|courier| {
            let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
            let receipt_id = new_consent_id();
            let occasion = Occasion {
                receipt_id: &receipt_id,
                edition: &config.policy.edition,
                path: &path,
                signals: s.session.signals(),
            };
            (courier, receipt(record, config, &occasion))
        })
    };
    if let Some((courier, receipt)) = outgoing {
        courier.send(receipt);
    }
}

/// Keeps the optional server-readable cookie equal to what is in force:
/// rewritten after every change, deleted when no choice counts (reset,
/// expiry, an unreadable record, another tab's reset). It is only compared
/// here, never read as consent.
fn sync_mirror(shell: &Shared) {
    let (mirror, wanted) = {
        let s = shell.borrow();
        let Some(mirror) = s.session.config().storage.cookie.clone() else { return };
        (mirror, s.session.server_copy())
    };
    let domain = mirror.domain.as_deref();
    let kept = match wanted {
        Some(text) if read_cookie(&mirror.name).as_deref() == Some(text.as_str()) => true,
        // The server's copy lives as long as the browser allows; the record
        // inside carries its own dates, which the server must check.
        Some(text) => {
            let max_age_s = i64::from(crate::core::own_names::COOKIE_DAYS) * 86_400;
            write_cookie(&mirror.name, &text, max_age_s, domain)
        }
        None if read_cookie(&mirror.name).is_none() => true,
        None => write_cookie(&mirror.name, "", 0, domain),
    };
    if !kept {
        report_error(&format!("the browser refused the mirror cookie {}", mirror.name));
    }
}

fn open_bar(shell: &Shared, reason: &AskReason) {
    if shell.borrow().bar.is_some() {
        return;
    }
    let weak = Rc::downgrade(shell);
    let on_choice = move |choice: UiChoice| {
        let Some(shell) = live(&weak) else { return };
        match choice {
            UiChoice::AcceptAll => accept_all(&shell, Source::BarAccept),
            UiChoice::RejectAll => decide(&shell, Choices::NONE, None, Choices::NONE, Source::BarReject),
            UiChoice::Settings => open_preferences(&shell),
            UiChoice::Save(_) | UiChoice::Dismissed => {}
        }
    };
    let bar = {
        let s = shell.borrow();
        parts::bar(&s.view(), reason, s.session.signals(), on_choice)
    };
    if bar.is_none() {
        report_error("could not show the consent bar: the page has no <body>");
    }
    shell.borrow_mut().asked = Some(reason.clone());
    ensure_status(shell);
    replace_ui(shell, |s| &mut s.bar, bar);
    replace_ui(shell, |s| &mut s.floating, None);
}

/// Opens the preferences dialog (from the bar, the floating button, any
/// `data-consent-open` element or the API).
pub fn open_preferences(shell: &Shared) {
    if let Some(held) = shell.borrow_mut().held.as_mut() {
        held.preferences = true;
        return;
    }
    if shell.borrow().preferences.is_some() {
        return;
    }
    let weak = Rc::downgrade(shell);
    let on_choice = move |choice: UiChoice| {
        let Some(shell) = live(&weak) else { return };
        match choice {
            UiChoice::AcceptAll => accept_all(&shell, Source::Preferences),
            UiChoice::RejectAll => decide(&shell, Choices::NONE, None, Choices::NONE, Source::Preferences),
            // Every switch is a choice by name: the visitor saw each one.
            UiChoice::Save(grants) => {
                decide(&shell, grants.categories, Some(grants.vendors), Choices::ALL, Source::Preferences)
            }
            UiChoice::Dismissed => replace_ui(&shell, |s| &mut s.preferences, None),
            UiChoice::Settings => {}
        }
    };
    let preferences = {
        let s = shell.borrow();
        // The consent id is shown once the visitor's choice stands.
        let consent = s.record().filter(|_| s.decided()).map(|r| (r.id.as_str(), r.updated_at as f64));
        parts::preferences(&s.view(), s.session.grants(), s.session.signals(), consent, on_choice)
    };
    let Some(preferences) = preferences else {
        report_error("could not open the cookie settings: the page has no <body>");
        return;
    };
    ensure_status(shell);
    // Kept before it opens: opening moves focus, and page code listening for
    // focus may ask for the settings again, which must find them open.
    let dialog = preferences.dialog_to_open();
    replace_ui(shell, |s| &mut s.preferences, Some(preferences));
    if dialog.is_some_and(|d| d.show_modal().is_err()) {
        replace_ui(shell, |s| &mut s.preferences, None);
        report_error("could not open the cookie settings");
    }
}

/// Shows the floating button when configured and no bar is asking.
fn refresh_floating_button(shell: &Shared) {
    let wanted = {
        let s = shell.borrow();
        // Before the page is parsed, the held bar step decides (and calls this).
        if s.held.is_some() {
            return;
        }
        s.session.config().ui.floating_button && s.bar.is_none()
    };
    if !wanted {
        replace_ui(shell, |s| &mut s.floating, None);
        return;
    }
    // Kept, not rebuilt: the dialog it opened gives focus back to it.
    if shell.borrow().floating.is_some() {
        let mut s = shell.borrow_mut();
        let s = &mut *s;
        if let Some(button) = s.floating.as_mut() {
            button.set_language(s.session.config(), &s.lang);
        }
        return;
    }
    let weak = Rc::downgrade(shell);
    let on_open = move || {
        if let Some(shell) = live(&weak) {
            open_preferences(&shell);
        }
    };
    let button = {
        let s = shell.borrow();
        FloatingButton::show(s.session.config(), &s.lang, on_open)
    };
    replace_ui(shell, |s| &mut s.floating, button);
}

fn announce(shell: &Shared, choices: Choices) {
    // The choices, and whether the visitor has decided: a first visit's
    // refusals are no choice.
    let detail = grants_to_js(&shell.borrow(), choices);
    let _ = js_sys::Reflect::set(&detail, &"decided".into(), &JsValue::from_bool(shell.borrow().decided()));
    let subscribers = shell.borrow().subscribers.clone();
    for callback in subscribers {
        if let Err(e) = callback.call1(&JsValue::NULL, &detail) {
            report_error(&format!("an onChange callback threw: {}", describe(&e)));
        }
    }
    events::dispatch(events::CHANGE, &detail);
}

/// `{analytics, marketing, vendors}`: the categories `choices` grants as a
/// whole, and [`vendors_to_js`].
fn grants_to_js(shell: &Shell, choices: Choices) -> JsValue {
    let detail = choices_to_js(choices);
    let _ = js_sys::Reflect::set(&detail, &"vendors".into(), &vendors_to_js(shell, choices));
    detail
}

/// `{analytics: {ga4: true}, marketing: {criteo: true, "facebook-pixel":
/// false}}`: each vendor's grant by its key (those in force, or, if the
/// choices moved on since `choices`, each vendor as its category there).
pub fn vendors_to_js(shell: &Shell, choices: Choices) -> JsValue {
    let session = &shell.session;
    let whole;
    let grants = if session.choices() == choices {
        session.grants()
    } else {
        whole = Grants::whole(session.config(), choices);
        &whole
    };
    let by_category = js_sys::Object::new();
    for category in Category::OPTIONAL {
        let vendors = js_sys::Object::new();
        for (i, (vendor, key)) in session.config().vendors.iter().zip(session.vendor_keys()).enumerate() {
            if vendor.category == category {
                let _ = js_sys::Reflect::set(&vendors, &JsValue::from_str(key), &JsValue::from_bool(grants.vendor(i)));
            }
        }
        let _ = js_sys::Reflect::set(&by_category, &JsValue::from_str(category.as_str()), &vendors);
    }
    by_category.into()
}

/// `{analytics, marketing}` as a plain JS object. Built by hand: two booleans
/// need no serializer (and the crate for one stays out of the wasm).
pub fn choices_to_js(choices: Choices) -> JsValue {
    let object = js_sys::Object::new();
    let set = |name: &str, granted: bool| {
        js_sys::Reflect::set(&object, &JsValue::from_str(name), &JsValue::from_bool(granted))
    };
    let _ = set("analytics", choices.analytics);
    let _ = set("marketing", choices.marketing);
    object.into()
}

/// Another tab wrote or removed our record: adopt it here too.
fn watch_other_tabs(shell: Weak<RefCell<Shell>>) -> Option<EventListener> {
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "storage", move |event| {
        let Some(shell) = live(&shell) else { return };
        let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else { return };
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

/// Any element with `data-consent-open` or `data-consent-settings` (added
/// now or later) opens the preferences, one with `data-consent-accept` or
/// `data-consent-reject` accepts or rejects all: one listener on the
/// document, not one per element.
fn watch_open_triggers(shell: Weak<RefCell<Shell>>) -> Vec<EventListener> {
    let Some(document) = super::dom::document() else { return Vec::new() };
    // Not passive: a link marked data-consent-open must not navigate.
    let options = gloo_events::EventListenerOptions::enable_prevent_default();
    let open = EventListener::new_with_options(&document, "click", options, move |event| {
        let Some(shell) = live(&shell) else { return };
        if is_on(event, "[data-consent-accept]") {
            event.prevent_default();
            accept_all(&shell, Source::PageButton);
        } else if is_on(event, "[data-consent-reject]") {
            event.prevent_default();
            decide(&shell, Choices::NONE, None, Choices::NONE, Source::PageButton);
        } else if is_on(event, "[data-consent-open], [data-consent-settings]") {
            event.prevent_default();
            open_preferences(&shell);
        }
    });
    // The dialog is fetched only once asked for, but a pointer on its way to
    // a trigger, or focus on one, gives it a head start.
    let head_start = |name| {
        EventListener::new(&document, name, |event| {
            if is_on(event, "[data-consent-open], [data-consent-settings], [data-cg-action=\"open\"]") {
                parts::preload_ui();
            }
        })
    };
    vec![open, head_start("pointerover"), head_start("focusin")]
}

/// Whether the event happened on or inside an element matching `selector`.
fn is_on(event: &web_sys::Event, selector: &str) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest(selector).ok().flatten())
        .is_some()
}

/// Do Not Track and Global Privacy Control as the browser reports them.
fn browser_signals() -> Signals {
    let Some(window) = web_sys::window() else { return Signals::default() };
    let navigator = window.navigator();
    // Read through Reflect: doNotTrack is null when unset, which the typed
    // binding cannot take, and globalPrivacyControl is missing in many browsers.
    let read = |name: &str| js_sys::Reflect::get(&navigator, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    Signals {
        do_not_track: read("doNotTrack").as_string().as_deref() == Some("1"),
        global_privacy_control: read("globalPrivacyControl").as_bool() == Some(true),
    }
}

/// The visitor's language: the config's forced one, else `<html lang>`, else
/// the browser's, within the languages the site enables.
fn page_language(config: &Config) -> String {
    let html_lang = super::dom::document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .unwrap_or_default();
    let browser: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages().iter().filter_map(|l| l.as_string()).collect())
        .unwrap_or_default();
    let candidates = config
        .language
        .as_deref()
        .into_iter()
        .chain(std::iter::once(html_lang.as_str()))
        .chain(browser.iter().map(String::as_str));
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
