//! A tiny element builder. Text always goes in through `textContent`, never
//! as HTML, so nothing from the config can become markup.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

/// Where the site wants the cookie declaration.
pub const DECLARATION: &str = "data-consent-declaration";
/// Where the site wants a refused config's problems listed.
pub const ERRORS: &str = "data-consent-errors";

pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Runs `step` once the document is parsed: now if it is, else at
/// DOMContentLoaded. Deferred steps run in the order they were asked for.
/// The drop-in starts consent-gate as soon as the wasm is ready, often while
/// the page is still arriving: a returning visitor's tags load at once, and
/// what needs the whole page (the bar's `<body>`, gated elements further
/// down, declarations, the page's own event listeners) waits for it here.
pub fn when_parsed(step: impl FnOnce() + 'static) {
    run_when_parsed(Box::new(step));
}

// Not generic, so each caller's closure adds no listener code of its own.
fn run_when_parsed(step: Box<dyn FnOnce()>) {
    let Some(doc) = document().filter(|_| is_loading()) else { return step() };
    // DOMContentLoaded, or the document's completion where it never comes:
    // a parser stopped by `window.stop()` (or the visitor) skips it.
    let pending = std::rc::Rc::new(std::cell::Cell::new(Some(step)));
    let run_once = move || {
        if let Some(step) = pending.take() {
            step();
        }
    };
    let on_parsed = run_once.clone();
    gloo_events::EventListener::once(&doc, "DOMContentLoaded", move |_| on_parsed()).forget();
    let completed = doc.clone();
    gloo_events::EventListener::new(&doc, "readystatechange", move |_| {
        if completed.ready_state() == "complete" {
            run_once();
        }
    })
    .forget();
}

/// Whether the document is still being parsed.
pub fn is_loading() -> bool {
    document().is_some_and(|d| d.ready_state() == "loading")
}

/// `window.localStorage`; `None` where the browser refuses it (reading the
/// property throws when storage is disabled).
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub struct El(pub Element);

impl El {
    /// A new element; `None` only when the page has no document.
    pub fn new(tag: &str) -> Option<El> {
        document()?.create_element(tag).ok().map(El)
    }

    pub fn class(self, class: &str) -> El {
        self.0.set_class_name(class);
        self
    }

    pub fn attr(self, name: &str, value: &str) -> El {
        // Attribute names here are literals of ours; setting them cannot fail.
        let _ = self.0.set_attribute(name, value);
        self
    }

    pub fn text(self, text: &str) -> El {
        self.0.set_text_content(Some(text));
        self
    }

    /// Appends a text node after the current content.
    pub fn text_then(self, text: &str) -> El {
        let _ = self.0.append_with_str_1(text);
        self
    }

    pub fn child(self, child: El) -> El {
        let _ = self.0.append_child(&child.0);
        self
    }

    pub fn into_html(self) -> Option<web_sys::HtmlElement> {
        self.0.dyn_into().ok()
    }
}

/// The page's elements carrying `attribute`.
pub fn marked(attribute: &str) -> Vec<Element> {
    let Some(list) = document().and_then(|d| d.query_selector_all(&format!("[{attribute}]")).ok()) else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)?.dyn_into().ok()).collect()
}

pub fn replace_content(element: &Element, children: Vec<El>) {
    element.set_text_content(None);
    for child in children {
        let _ = element.append_child(&child.0);
    }
}

/// Whether the page has an element carrying `attribute`.
pub fn has_marked(attribute: &str) -> bool {
    document().and_then(|d| d.query_selector(&format!("[{attribute}]")).ok().flatten()).is_some()
}

/// Calls `on_change` whenever elements are added to or removed from the
/// page, for as long as the page lives; `false` if the page cannot be watched.
pub fn watch_page(mut on_change: impl FnMut() + 'static) -> bool {
    use wasm_bindgen::closure::Closure;
    let Some(root) = document().and_then(|d| d.document_element()) else { return false };
    let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::MutationObserver)>::new(move |_, _| on_change());
    let Ok(observer) = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()) else { return false };
    let options = web_sys::MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    if observer.observe_with_options(&root, &options).is_err() {
        return false;
    }
    // The observer and its callback live as long as the page.
    callback.forget();
    true
}
