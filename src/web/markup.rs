//! Gated markup: `<script type="text/plain" data-consent=… [data-src]>`,
//! `<iframe data-consent=… data-src=…>` and `<img data-consent=… data-src=…>`
//! come alive once their category is granted, in document order and with
//! their attributes, including elements added to the page later.
//!
//! A script is activated by inserting a new `<script>` in its place (a script
//! element never runs twice), carrying the library's CSP nonce. Scripts run
//! in document order: external ones are fetched in parallel and run in
//! order, and an inline one waits for the external ones before it.
//!
//! Injected HTML must not borrow that nonce: the rules in
//! `core::markup` decide which elements and attributes may come alive; this
//! shell reads the DOM and acts. Elements marked `data-consent` that load by
//! themselves are reported, once each.

// The embeds part's build uses only the helpers below that the
// placeholders share (select, describe, load_in_place, ...).
#![cfg_attr(not(feature = "markup"), allow(dead_code))]

use super::events::report_error;
use crate::core::markup::{self as rules, ScriptKind};
use crate::core::markup::{EmbedVendor, Embeds, MarkupGrants};
use gloo_events::EventListener;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

/// Gated elements not yet handled. Queued scripts and refused values are
/// marked so that a later scan does not take them again.
const PENDING: &str =
    "script[type=\"text/plain\"][data-consent]:not([data-consent-queued]):not([data-consent-refused]), \
    iframe[data-consent][data-src]:not([data-consent-refused]):not([data-consent-active]), \
    img[data-consent][data-src]:not([data-consent-refused]):not([data-consent-active])";

/// Elements marked `data-consent` that load by themselves, not yet reported:
/// a script that is not `text/plain` (its type is checked below), an iframe
/// with `src` or `srcdoc`, an image with `src` or `srcset`. What the library
/// activated carries `data-consent-active`.
const LOADING: &str = ":is(script[data-consent]:not([type=\"text/plain\"]), iframe[data-consent][src], \
    iframe[data-consent][srcdoc], img[data-consent][src], img[data-consent][srcset])\
    :not([data-consent-active], [data-consent-refused])";

/// Marks what the library activated, so it is not reported as loading early.
const ACTIVE: &str = "data-consent-active";

/// Activates every gated element whose category (`data-consent="marketing"`)
/// or vendor (`data-consent="marketing:criteo"`) `grants` grants. With a
/// nonce, a gated script must carry it on its own element to run.
///
/// An iframe of a configured embed vendor (issue 19) is left to the embeds
/// part, which shows a placeholder until it is granted or clicked.
pub fn activate(grants: &MarkupGrants, nonce: Option<&str>) {
    let Some(document) = super::dom::document() else { return };
    report_loading_early(&document);
    let embeds = &grants.embeds;
    if !embeds.vendors.is_empty() {
        hand_over_embeds(&document, grants);
    }
    if !grants.any() {
        return;
    }
    // No CSP source is 'nonce-' with nothing after it: empty is no nonce.
    let nonce = nonce.filter(|n| !n.is_empty());
    let mut scripts = VecDeque::new();
    for element in select(&document, PENDING) {
        let consent = consent_of(&element);
        if embed_vendor_of(&element, &consent, embeds).is_some() {
            continue;
        }
        match grants.allows(&consent) {
            Err(problem) => refuse(&element, &format!("{}: {problem}", describe(&element))),
            Ok(false) => {}
            Ok(_) if element.local_name() == "script" => match check_script(&element, nonce) {
                Ok(()) => {
                    let _ = element.set_attribute("data-consent-queued", "");
                    scripts.push_back(element);
                }
                Err(problem) => refuse(&element, &problem),
            },
            Ok(_) => load_in_place(&element),
        }
    }
    run_scripts(scripts, nonce.map(Rc::from));
}

/// Iframes waiting for their grant; those of an embed vendor get a placeholder.
pub(super) const WAITING_IFRAMES: &str =
    "iframe[data-consent][data-src]:not([data-consent-refused]):not([data-consent-active])";

/// The embed vendor of a waiting element gated by `consent`, if it is an
/// iframe of one (named, or by its address under a bare category).
pub(super) fn embed_vendor_of<'a>(element: &Element, consent: &str, embeds: &'a Embeds) -> Option<&'a EmbedVendor> {
    if embeds.vendors.is_empty() || element.local_name() != "iframe" {
        return None;
    }
    embeds.vendor_of(consent, &element.get_attribute("data-src").unwrap_or_default())
}

/// Linked in, the placeholders are handled here and now.
#[cfg(feature = "embeds")]
fn hand_over_embeds(document: &Document, grants: &MarkupGrants) {
    super::markup_embeds::activate(document, grants);
}

/// Fetched on its own, the embeds part is asked for (once) when the page
/// has an embed waiting: the gate fetches it, and it watches the page itself.
#[cfg(not(feature = "embeds"))]
fn hand_over_embeds(document: &Document, grants: &MarkupGrants) {
    if EMBEDS_ASKED.with(std::cell::Cell::get) {
        return;
    }
    let waiting = select(document, WAITING_IFRAMES)
        .any(|element| embed_vendor_of(&element, &consent_of(&element), &grants.embeds).is_some());
    if waiting {
        EMBEDS_ASKED.with(|asked| asked.set(true));
        if let Some(ask) = WANT_EMBEDS.with(|w| w.borrow().clone()) {
            ask();
        }
    }
}

/// The elements matching `selector`, as a list that does not change under
/// the loop (querySelectorAll's is static).
pub(super) fn select(document: &Document, selector: &str) -> impl Iterator<Item = Element> {
    let found = document.query_selector_all(selector).ok();
    let count = found.as_ref().map_or(0, |f| f.length());
    (0..count).filter_map(move |i| found.as_ref()?.item(i)?.dyn_into::<Element>().ok())
}

pub(super) fn refuse(element: &Element, problem: &str) {
    let _ = element.set_attribute("data-consent-refused", "");
    report_error(problem);
}

/// The element as messages name it: tag, `data-consent` and its source.
pub(super) fn describe(element: &Element) -> String {
    let source = first_attribute(element, &["data-src", "src", "srcset", "srcdoc"]);
    rules::describe(&element.local_name(), &consent_of(element), source.as_ref().map(|(n, v)| (*n, v.as_str())))
}

pub(super) fn consent_of(element: &Element) -> String {
    element.get_attribute("data-consent").unwrap_or_default()
}

/// The first of `names` the element has, with its value.
fn first_attribute(element: &Element, names: &[&'static str]) -> Option<(&'static str, String)> {
    for name in names {
        if let Some(value) = element.get_attribute(name) {
            return Some((name, value));
        }
    }
    None
}

/// The library cannot stop an element that loads by itself; it says so once
/// per element and names the inert form, and never activates it later.
fn report_loading_early(document: &Document) {
    for element in select(document, LOADING) {
        let tag = element.local_name();
        if tag == "script" && !rules::runs_by_itself(element.get_attribute("type").as_deref()) {
            continue;
        }
        let loader = first_attribute(&element, &["src", "srcdoc", "srcset"]);
        refuse(
            &element,
            &rules::loads_early_message(&tag, &consent_of(&element), loader.as_ref().map(|(n, v)| (*n, v.as_str()))),
        );
    }
}

/// A gated script may run if it carries the library's nonce (when there is
/// one), its `data-type` is a script type and its `data-src` a safe URL.
fn check_script(element: &Element, nonce: Option<&str>) -> Result<(), String> {
    let name = describe(element);
    if let Some(expected) = nonce {
        // The property: browsers hide the nonce attribute once parsed under a CSP header.
        let carried =
            js_sys::Reflect::get(element, &"nonce".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
        rules::check_nonce(&name, expected, &carried)?;
    }
    rules::script_kind(&name, element.get_attribute("data-type").as_deref())?;
    match element.get_attribute("data-src") {
        Some(src) => rules::check_source(&name, &src),
        None => Ok(()),
    }
}

/// `data-src` becomes `src` on an iframe or image, once its URL is checked
/// and its event handlers are gone (the load would fire an injected onerror).
pub(super) fn load_in_place(element: &Element) {
    let Some(src) = element.get_attribute("data-src") else { return };
    let name = describe(element);
    if let Err(problem) = rules::check_source(&name, &src) {
        return refuse(element, &problem);
    }
    let mut handlers = attribute_names(element);
    handlers.retain(|n| rules::never_copied(n));
    if handlers.iter().any(|n| element.remove_attribute(n).is_err()) {
        return refuse(element, &format!("{name} stays inactive: its event handlers could not be removed"));
    }
    if !handlers.is_empty() {
        report_error(&rules::dropped_message(&name, &handlers));
    }
    let _ = element.remove_attribute("data-src");
    let _ = element.set_attribute(ACTIVE, "");
    if element.set_attribute("src", &src).is_err() {
        report_error(&format!("could not activate {name}"));
    }
}

pub(super) fn attribute_names(element: &Element) -> Vec<String> {
    let mut names = Vec::new();
    for name in element.get_attribute_names().iter() {
        names.extend(name.as_string());
    }
    names
}

/// Puts each script's live copy in its place, in document order.
/// Consecutive external scripts go in together with `async = false`: the
/// browser fetches them in parallel and runs them in insertion order, as it
/// does for the page's own `<script src>`. An inline script waits until the
/// external ones before it have run (or failed).
fn run_scripts(mut queue: VecDeque<Element>, nonce: Option<Rc<str>>) {
    let mut last_external: Option<Element> = None;
    while let Some(old) = queue.pop_front() {
        let external = old.has_attribute("data-src");
        if let (false, Some(last)) = (external, &last_external) {
            queue.push_front(old);
            return resume_after(last, queue, nonce);
        }
        let live = match live_copy(&old, nonce.as_deref()) {
            Ok(live) => live,
            Err(e) => {
                report_error(&format!("could not activate a gated script: {}", super::events::describe(&e)));
                continue;
            }
        };
        if external {
            let src = live.get_attribute("src").unwrap_or_default();
            live.unchecked_ref::<web_sys::HtmlScriptElement>().set_async(false);
            let failed = format!("the gated script {src} failed to load");
            EventListener::once(&live, "error", move |_| report_error(&failed)).forget();
            match old.replace_with_with_node_1(&live) {
                Ok(()) => last_external = Some(live),
                Err(e) => {
                    report_error(&format!("could not activate the gated script {src}: {}", super::events::describe(&e)))
                }
            }
        } else if let Err(e) = old.replace_with_with_node_1(&live) {
            report_error(&format!("could not activate a gated inline script: {}", super::events::describe(&e)));
        }
    }
}

/// Runs the rest of the queue once `script` has loaded or failed; scripts
/// run in order, so every external script before it has then run too.
fn resume_after(script: &Element, queue: VecDeque<Element>, nonce: Option<Rc<str>>) {
    let rest = Rc::new(RefCell::new(Some(queue)));
    for event in ["load", "error"] {
        let (rest, nonce) = (rest.clone(), nonce.clone());
        EventListener::once(script, event, move |_| {
            if let Some(rest) = rest.borrow_mut().take() {
                run_scripts(rest, nonce);
            }
        })
        .forget();
    }
}

/// A runnable copy: the attributes the rules let through, `data-src` as
/// `src` (or the inline body), `data-type` as `type`, the nonce set as a
/// property, and the mark that the library activated it.
fn live_copy(old: &Element, nonce: Option<&str>) -> Result<Element, JsValue> {
    let document = super::dom::document().ok_or_else(|| JsValue::from_str("no document"))?;
    let live = document.create_element("script")?;
    let mut dropped = Vec::new();
    for name in attribute_names(old) {
        if rules::never_copied(&name) {
            dropped.push(name);
        } else if rules::copied_to_live_script(&name) {
            live.set_attribute(&name, &old.get_attribute(&name).unwrap_or_default())?;
        }
    }
    if !dropped.is_empty() {
        report_error(&rules::dropped_message(&describe(old), &dropped));
    }
    if rules::script_kind("", old.get_attribute("data-type").as_deref()) == Ok(ScriptKind::Module) {
        live.set_attribute("type", "module")?;
    }
    live.set_attribute(ACTIVE, "")?;
    if let Some(nonce) = nonce {
        js_sys::Reflect::set(&live, &"nonce".into(), &JsValue::from_str(nonce))?;
    }
    match old.get_attribute("data-src") {
        Some(src) => live.set_attribute("src", &src)?,
        None => live.set_text_content(old.text_content().as_deref()),
    }
    Ok(live)
}

/// The gate's state for gated markup: the choices and nonce in force; given
/// an embed vendor's name, after granting it.
pub type State = Rc<dyn Fn(Option<&str>) -> Option<(MarkupGrants, Option<String>)>>;

thread_local! {
    /// Asks the gate for the embeds part (see `hand_over_embeds`).
    static WANT_EMBEDS: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
    static EMBEDS_ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Watches the page for gated elements added later; `current` gives the
/// choices and nonce in force when they arrive. `want_embeds` asks the gate
/// for the embeds part when it is not linked in.
pub fn watch(current: State, want_embeds: Rc<dyn Fn()>) {
    WANT_EMBEDS.with(|w| w.replace(Some(want_embeds)));
    #[cfg(feature = "embeds")]
    super::markup_embeds::remember(current.clone());
    let watching = super::dom::watch_page(move || {
        if let Some((grants, nonce)) = current(None) {
            activate(&grants, nonce.as_deref());
        }
    });
    if !watching {
        report_error("could not watch the page for gated elements added later");
    }
}
