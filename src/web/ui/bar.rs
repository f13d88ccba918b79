//! The consent bar: a short text with the policy link, and "reject all"
//! beside "accept all" with the same size and weight, then "settings".
//!
//! On small screens (see the stylesheet) it shows a shorter text, so that the
//! bar stays a small part of the screen with its three buttons in view.
//! While it shows, the page reserves its height at the bottom (padding and
//! `scroll-padding-bottom`, from `--cg-bar-height`), so no focused element of
//! the page is ever hidden behind it (WCAG 2.4.11).

use super::{button, on_click};
use crate::core::category::Signals;
use crate::core::choice::UiChoice;
use crate::core::config::Theme;
use crate::core::i18n::{accept_key, changed_notice, signal_notice, Key, Texts};
use crate::core::plan::AskReason;
use crate::web::dom::El;
use gloo_events::EventListener;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// The custom property on `<html>` that carries the bar's height.
const HEIGHT_PROPERTY: &str = "--cg-bar-height";

/// What the bar says besides its usual text.
pub struct BarContext<'a> {
    pub texts: &'a Texts,
    /// The companies behind the config's vendors, named on the bar.
    pub partners: String,
    pub policy_url: &'a str,
    pub reason: &'a AskReason,
    pub signals: Signals,
    pub theme: Theme,
}

/// The bar while it is on the page; dropping it removes it and its listeners.
pub struct Bar {
    root: HtmlElement,
    /// The page's element that last had focus before the bar, if any.
    page_focus: Rc<RefCell<Option<HtmlElement>>>,
    resize: Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>,
    _listeners: Vec<EventListener>,
}

impl Bar {
    /// Builds the bar as the first element of `<body>`, so keyboard and
    /// screen-reader users meet it first; it is fixed to the viewport, so the
    /// page does not move. `None` if the page has no body.
    pub fn show(cx: &BarContext<'_>, on_choice: impl Fn(UiChoice) + Clone + 'static) -> Option<Bar> {
        let texts = cx.texts;
        let title_id = "consent-gate-bar-title";
        let link = El::new("a")?.class("cg-bar__link").attr("href", cx.policy_url).text(texts.get(Key::PolicyLink));
        // Both texts are there; the stylesheet shows one, by the screen's size.
        let text = El::new("p")?
            .class("cg-bar__text")
            .child(El::new("span")?.class("cg-bar__long").text(texts.get(Key::BarText)))
            .child(El::new("span")?.class("cg-bar__short").text(texts.get(Key::BarTextShort)))
            .text_then(" ")
            .child(link);
        // Not a heading: the bar comes before the page's own h1.
        let mut body = El::new("div")?
            .class("cg-bar__body")
            .child(El::new("p")?.class("cg-bar__title").attr("id", title_id).text(texts.get(Key::BarTitle)))
            .child(text);
        if !cx.partners.is_empty() {
            let partners = format!("{}: {}.", texts.get(Key::Partners), cx.partners);
            body = body.child(El::new("p")?.class("cg-bar__partners").text(&partners));
        }
        for notice in notices(cx) {
            body = body.child(El::new("p")?.class("cg-bar__notice").text(&notice));
        }
        let reject = button(texts.get(Key::RejectAll), "reject")?;
        let settings = El::new("button")?
            .class("cg-link-button")
            .attr("type", "button")
            .attr("data-cg-action", "settings")
            .attr("aria-haspopup", "dialog")
            .text(texts.get(Key::Settings));
        let mut listeners = vec![
            choice_listener(&reject, UiChoice::RejectAll, on_choice.clone()),
            choice_listener(&settings, UiChoice::Settings, on_choice.clone()),
        ];
        let mut choices = El::new("div")?.class("cg-bar__choices").child(reject);
        // Its label says what it grants; none where it would grant nothing.
        if let Some(key) = accept_key(cx.signals) {
            let accept = button(texts.get(key), "accept")?;
            listeners.push(choice_listener(&accept, UiChoice::AcceptAll, on_choice));
            choices = choices.child(accept);
        }
        let actions = El::new("div")?.class("cg-bar__actions").child(choices).child(settings);
        let root = El::new("section")?
            .class(&format!("cg-bar {}", cx.theme.classes()))
            .attr("aria-labelledby", title_id)
            .attr("lang", &texts.lang)
            .child(body)
            .child(actions)
            .into_html()?;
        let document = crate::web::dom::document()?;
        let page = document.body()?;
        page.prepend_with_node_1(&root).ok()?;
        let page_focus = Rc::new(RefCell::new(focused_in_page(&document, &root)));
        listeners.push(remember_page_focus(&document, &root, page_focus.clone()));
        let resize = reserve_height(&root);
        Some(Bar { root, page_focus, resize, _listeners: listeners })
    }
}

/// The companies behind the config's vendors, each once, in the config's
/// order: "Google, Adform, Criteo, Meta". A `script` vendor is its own name.
pub fn partners(config: &crate::core::config::Config) -> String {
    let mut listed: Vec<String> = Vec::new();
    for vendor in &config.vendors {
        let own;
        let company = match vendor.tag.kind() {
            "ga4" | "google-ads" | "google-marketing-platform" => "Google",
            "facebook-pixel" => "Meta",
            "criteo" => "Criteo",
            "adform" => "Adform",
            _ => {
                own = vendor.tag.display_name();
                own.as_str()
            }
        };
        if !listed.iter().any(|n| n == company) {
            listed.push(company.to_owned());
        }
    }
    let mut names = String::new();
    for name in listed {
        if !names.is_empty() {
            names.push_str(", ");
        }
        names.push_str(&name);
    }
    names
}

/// The page's focused element, unless it is ours or the page itself.
fn focused_in_page(document: &web_sys::Document, bar: &HtmlElement) -> Option<HtmlElement> {
    let active = document.active_element()?.dyn_into::<HtmlElement>().ok()?;
    let ours = bar.contains(Some(&active)) || active.closest(".cg-prefs, .cg-floating").ok().flatten().is_some();
    let page = document.body().is_some_and(|b| b == active);
    (!ours && !page).then_some(active)
}

/// Keeps the page's element that had focus last, to give focus back to it
/// when the bar goes.
fn remember_page_focus(
    document: &web_sys::Document,
    bar: &HtmlElement,
    slot: Rc<RefCell<Option<HtmlElement>>>,
) -> EventListener {
    let (document, bar) = (document.clone(), bar.clone());
    EventListener::new(&document.clone(), "focusin", move |_| {
        if let Some(element) = focused_in_page(&document, &bar) {
            *slot.borrow_mut() = Some(element);
        }
    })
}

/// Keeps `--cg-bar-height` on `<html>` equal to the bar's height, as it
/// changes with the screen, the language or the text size. Set through the
/// CSSOM, which a strict CSP without 'unsafe-inline' for styles allows.
fn reserve_height(bar: &HtmlElement) -> Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)> {
    let measure = {
        let bar = bar.clone();
        move || {
            let Some(html) = crate::web::dom::document().and_then(|d| d.document_element()) else { return };
            let Ok(html) = html.dyn_into::<HtmlElement>() else { return };
            let height = bar.offset_height();
            let _ = html.style().set_property(HEIGHT_PROPERTY, &format!("{height}px"));
        }
    };
    measure();
    let callback = Closure::<dyn FnMut()>::new(measure);
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(bar);
    Some((observer, callback))
}

/// The first element of the page the keyboard reaches after the bar: where
/// a keyboard user goes on once the bar is gone.
fn first_focusable_after(bar: &HtmlElement) -> Option<HtmlElement> {
    const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), \
        select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex=\"-1\"])";
    let document = crate::web::dom::document()?;
    let list = document.body()?.query_selector_all(FOCUSABLE).ok()?;
    (0..list.length())
        .filter_map(|i| list.get(i)?.dyn_into::<HtmlElement>().ok())
        .filter(|e| !bar.contains(Some(e)) && e.closest(".cg-prefs, .cg-floating").ok().flatten().is_none())
        .find(|e| (e.offset_width() > 0 || e.offset_height() > 0) && e.tab_index() >= 0)
}

/// One short sentence per reason to know: a browser signal in force, or what
/// changed since the visitor's last choice.
fn notices(cx: &BarContext<'_>) -> Vec<String> {
    let texts = cx.texts;
    let mut notices = Vec::new();
    if let Some(key) = signal_notice(cx.signals) {
        notices.push(texts.get(key).to_owned());
    }
    match cx.reason {
        AskReason::VendorsChanged(categories) => {
            notices.push(changed_notice(texts, categories));
        }
        AskReason::PolicyChanged => notices.push(texts.get(Key::PolicyChangedNotice).to_owned()),
        AskReason::NoChoice | AskReason::Unreadable | AskReason::Expired => {}
    }
    notices
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some((observer, _)) = &self.resize {
            observer.disconnect();
        }
        let document = crate::web::dom::document();
        if let Some(html) = document.as_ref().and_then(|d| d.document_element()) {
            if let Ok(html) = html.dyn_into::<HtmlElement>() {
                let _ = html.style().remove_property(HEIGHT_PROPERTY);
            }
        }
        // Focus in the bar (a choice made on it) must not fall to <body>:
        // back to the page's element it came from, else on to the page.
        let active = document.as_ref().and_then(|d| d.active_element());
        let focus_was_here = active.is_some_and(|a| self.root.contains(Some(&a)));
        let next = focus_was_here.then(|| {
            let earlier = self.page_focus.borrow_mut().take().filter(|e| e.is_connected());
            earlier.or_else(|| first_focusable_after(&self.root))
        });
        self.root.remove();
        if let Some(next) = next.flatten() {
            let _ = next.focus();
        }
    }
}

fn choice_listener(button: &El, choice: UiChoice, on_choice: impl Fn(UiChoice) + 'static) -> EventListener {
    on_click(button, move || on_choice(choice.clone()))
}
