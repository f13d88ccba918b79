//! Gated markup: `<script type="text/plain" data-consent=… [data-src]>`,
//! `<iframe data-consent=… data-src=…>` and `<img data-consent=… data-src=…>`
//! come alive once their category is granted, in document order and with
//! their attributes, including elements added to the page later.
//!
//! A script is activated by inserting a new `<script>` in its place (a script
//! element never runs twice), carrying the library's CSP nonce. Scripts run
//! in document order: external ones are fetched in parallel and run in
//! order, and an inline one waits for the external ones before it.

use super::events::report_error;
use crate::core::category::Choices;
use crate::core::markup::gate_category;
use gloo_events::EventListener;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// Gated elements not yet handled. Queued scripts and refused values are
/// marked so that a later scan does not take them again.
const PENDING: &str = "script[type=\"text/plain\"][data-consent]:not([data-consent-queued]):not([data-consent-refused]), \
    iframe[data-consent][data-src]:not([data-consent-refused]), img[data-consent][data-src]:not([data-consent-refused])";

/// Activates every gated element whose category `choices` grants.
pub fn activate(choices: Choices, nonce: Option<&str>) {
    if choices == Choices::NONE {
        return;
    }
    let Some(document) = super::dom::document() else { return };
    let Ok(found) = document.query_selector_all(PENDING) else { return };
    let mut scripts = VecDeque::new();
    for index in 0..found.length() {
        let Some(element) = found.item(index).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        let value = element.get_attribute("data-consent").unwrap_or_default();
        match gate_category(&value) {
            Err(problem) => refuse(&element, &problem),
            Ok(category) if !choices.allows(category) => {}
            Ok(_) if element.tag_name().eq_ignore_ascii_case("script") => {
                if element.has_attribute("data-src") || nonce.is_some() {
                    let _ = element.set_attribute("data-consent-queued", "");
                    scripts.push_back(element);
                } else {
                    refuse(
                        &element,
                        "a gated inline script cannot run under a Content Security Policy without a nonce; \
                         give the consent-gate script a nonce attribute (or the nonce option), or use data-src",
                    );
                }
            }
            Ok(_) => load_source(&element),
        }
    }
    run_scripts(scripts, nonce.map(Rc::from));
}

fn refuse(element: &Element, problem: &str) {
    let _ = element.set_attribute("data-consent-refused", "");
    report_error(problem);
}

/// `data-src` becomes `src` on an iframe or image.
fn load_source(element: &Element) {
    let Some(src) = element.get_attribute("data-src") else { return };
    let _ = element.remove_attribute("data-src");
    if element.set_attribute("src", &src).is_err() {
        report_error(&format!("could not activate the gated element for {src}"));
    }
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
                report_error(&format!("could not activate a gated script: {}", super::shell::describe(&e)));
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
                Err(e) => report_error(&format!("could not activate the gated script {src}: {}", super::shell::describe(&e))),
            }
        } else if let Err(e) = old.replace_with_with_node_1(&live) {
            report_error(&format!("could not activate a gated inline script: {}", super::shell::describe(&e)));
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

/// A runnable copy: every attribute but the gate's, `data-src` as `src` (or
/// the inline body), `data-type` as `type`, and the nonce set as a property.
fn live_copy(old: &Element, nonce: Option<&str>) -> Result<Element, JsValue> {
    let document = super::dom::document().ok_or_else(|| JsValue::from_str("no document"))?;
    let live = document.create_element("script")?;
    for name in old.get_attribute_names().iter().filter_map(|n| n.as_string()) {
        let skip = matches!(name.as_str(), "type" | "data-src" | "data-type" | "data-consent-queued" | "nonce");
        if !skip {
            live.set_attribute(&name, &old.get_attribute(&name).unwrap_or_default())?;
        }
    }
    if let Some(kind) = old.get_attribute("data-type") {
        live.set_attribute("type", &kind)?;
    }
    if let Some(nonce) = nonce {
        js_sys::Reflect::set(&live, &"nonce".into(), &JsValue::from_str(nonce))?;
    }
    match old.get_attribute("data-src") {
        Some(src) => live.set_attribute("src", &src)?,
        None => live.set_text_content(old.text_content().as_deref()),
    }
    Ok(live)
}

/// Watches the page for gated elements added later; `current` gives the
/// choices and nonce in force when they arrive.
pub fn watch(current: impl Fn() -> Option<(Choices, Option<String>)> + 'static) {
    let Some(root) = super::dom::document().and_then(|d| d.document_element()) else { return };
    let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::MutationObserver)>::new(move |_, _| {
        if let Some((choices, nonce)) = current() {
            activate(choices, nonce.as_deref());
        }
    });
    let Ok(observer) = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()) else {
        report_error("could not watch the page for gated elements added later");
        return;
    };
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    if observer.observe_with_options(&root, &options).is_err() {
        report_error("could not watch the page for gated elements added later");
    }
    // The observer and its callback live as long as the page.
    callback.forget();
}
