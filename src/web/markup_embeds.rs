//! Click-to-load embeds (issue 19): an `<iframe data-consent="marketing:youtube"
//! data-src="https://www.youtube.com/embed/…">` of a configured embed vendor
//! shows, while that vendor is not granted, a placeholder of the iframe's own
//! size in its place. The placeholder contacts no one: no thumbnail from the
//! provider, only the site's own `data-poster` if it gives one. It names the
//! provider, the cookies loading sets and their declared lifetime, links the
//! provider's privacy notice, and has two buttons: "Load this video" (this
//! embed, this page view, nothing stored) and "Always allow YouTube" (the
//! vendor's grant, decided by the gate like any choice).
//!
//! When the vendor's grant is withdrawn, its loaded embeds become inert
//! iframes again (a fresh element: an iframe cannot be unloaded), and so
//! placeholders. All text is set with `textContent`; the only styles are
//! classes and custom properties set through the CSSOM (strict CSP).

//!
//! In the browser build this is its own part (`embeds`), fetched only on
//! pages with an embed: the markup part leaves embed iframes alone and asks
//! the gate for it. It watches the page itself from then on.

use super::dom::El;
use super::events::report_error;
use super::markup::{consent_of, embed_vendor_of, select, State, WAITING_IFRAMES};
use crate::core::i18n::Key;
use crate::core::markup::{EmbedVendor, Embeds, MarkupGrants};
use crate::vendors::embed::{self, EmbedKind};
use gloo_events::EventListener;
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// On a waiting iframe: the id of its placeholder.
const PLACEHOLDER: &str = "data-consent-placeholder";
/// On an iframe loaded by its placeholder's "load" button (this page view only).
const ONCE: &str = "data-consent-once";
/// On a loaded embed: the `data-src` it was written with, to go back to.
const WRITTEN_SRC: &str = "data-consent-embed-src";
/// On a loaded embed: its vendor (`marketing:youtube`), whose withdrawal
/// unloads it; `data-consent` may name only the category.
const LOADED_FOR: &str = "data-consent-embed";

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
    /// Each embed vendor's grant when gated markup was last activated.
    static LAST: RefCell<Vec<(String, bool)>> = const { RefCell::new(Vec::new()) };
    /// The gate's state, which "always allow" asks to grant a vendor.
    static CURRENT: RefCell<Option<State>> = const { RefCell::new(None) };
}

/// Keeps the gate's state for the placeholders' "always allow".
pub fn remember(current: State) {
    CURRENT.with(|c| c.replace(Some(current)));
}

/// The embeds part on its own: handles the page's embeds now, and those
/// added later.
#[cfg_attr(feature = "gate", allow(dead_code))]
pub fn watch(current: State) {
    remember(current);
    refresh();
    if !super::dom::watch_page(refresh) {
        report_error("could not watch the page for embeds added later");
    }
}

/// Handles the page's embeds with the choices in force (after a change).
#[cfg_attr(feature = "gate", allow(dead_code))]
pub fn refresh() {
    let current = CURRENT.with(|c| c.borrow().clone());
    let (Some(document), Some((grants, _))) = (super::dom::document(), current.and_then(|c| c(None))) else {
        return;
    };
    activate(&document, &grants);
}

/// Unloads the embeds of withdrawn vendors, then loads each waiting embed
/// that is granted and shows a placeholder for the others.
pub fn activate(document: &web_sys::Document, grants: &MarkupGrants) {
    let embeds = &grants.embeds;
    if embeds.vendors.is_empty() {
        return;
    }
    withdraw(document, grants);
    for iframe in select(document, WAITING_IFRAMES) {
        let Some(vendor) = embed_vendor_of(&iframe, &consent_of(&iframe), embeds) else { continue };
        handle(&iframe, vendor, embeds, grants.allows(&vendor.name).unwrap_or(false));
    }
}

/// An embed placeholder's "always allow": the gate grants the vendor `name`
/// (a decision like any other, which activates gated markup in turn), then
/// its embeds load.
fn allow(name: &str) {
    let Some(current) = CURRENT.with(|c| c.borrow().clone()) else {
        return report_error("consent-gate is not running: the embed cannot be allowed");
    };
    if let (Some(document), Some((grants, _))) = (super::dom::document(), current(Some(name))) {
        activate(&document, &grants);
    }
}

/// Turns the loaded embeds of every vendor whose grant was just withdrawn
/// back into inert iframes (then placeholders, in the same activation).
fn withdraw(document: &web_sys::Document, grants: &MarkupGrants) {
    let mut now = Vec::with_capacity(grants.embeds.vendors.len());
    for v in &grants.embeds.vendors {
        now.push((v.name.clone(), grants.allows(&v.name).unwrap_or(false)));
    }
    let before = LAST.with(|l| l.replace(now.clone()));
    for (name, on) in &now {
        let was = before.iter().any(|(n, w)| n == name && *w);
        if was && !on {
            for element in select(document, "iframe[data-consent][data-consent-embed]") {
                if element.get_attribute(LOADED_FOR).is_some_and(|v| v == *name) {
                    make_inert(document, &element);
                }
            }
        }
    }
}

/// A fresh iframe with the attributes of `loaded` but not its `src`, in its place.
fn make_inert(document: &web_sys::Document, loaded: &Element) {
    let Ok(inert) = document.create_element("iframe") else { return };
    for name in super::markup::attribute_names(loaded) {
        if matches!(name.as_str(), "src" | "data-consent-active" | ONCE | WRITTEN_SRC | LOADED_FOR) {
            continue;
        }
        let _ = inert.set_attribute(&name, &loaded.get_attribute(&name).unwrap_or_default());
    }
    let _ = inert.set_attribute("data-src", &loaded.get_attribute(WRITTEN_SRC).unwrap_or_default());
    if loaded.replace_with_with_node_1(&inert).is_err() {
        report_error("could not turn a withdrawn embed back into its placeholder");
    }
}

/// Handles a waiting iframe of the embed vendor `vendor`: refused when its
/// address is not the provider's, loaded when `granted` (or clicked on this
/// page view), else shown as a placeholder.
fn handle(iframe: &Element, vendor: &EmbedVendor, embeds: &Embeds, granted: bool) {
    let Some(provider) = embed::embed(&vendor.kind) else { return };
    let src = iframe.get_attribute("data-src").unwrap_or_default();
    if !provider.accepts(&src) {
        let (host, path) = provider.hosts().first().copied().unwrap_or_default();
        let name = super::markup::describe(iframe);
        return super::markup::refuse(
            iframe,
            &format!(
                "{name} stays inactive: data-consent names {}, but its data-src is not a {} embed address; use https://{host}{path}…",
                vendor.name, provider.name
            ),
        );
    }
    if granted || iframe.has_attribute(ONCE) {
        load(iframe, &embed::load_address(provider, vendor.no_cookie, &src), &src, &vendor.name);
    } else if !iframe.has_attribute(PLACEHOLDER) {
        show_placeholder(iframe, vendor, provider, embeds);
    }
}

/// Loads the embed in place of its placeholder, if it has one.
fn load(iframe: &Element, address: &str, written: &str, vendor: &str) {
    if let Some(id) = iframe.get_attribute(PLACEHOLDER) {
        if let Some(placeholder) = super::dom::document().and_then(|d| d.get_element_by_id(&id)) {
            placeholder.remove();
        }
        let _ = iframe.remove_attribute(PLACEHOLDER);
        let _ = iframe.remove_attribute("hidden");
    }
    let _ = iframe.set_attribute(WRITTEN_SRC, written);
    let _ = iframe.set_attribute(LOADED_FOR, vendor);
    let _ = iframe.set_attribute("data-src", address);
    super::markup::load_in_place(iframe);
}

/// `{provider}`, `{cookies}` and `{lifetime}` filled in.
fn fill(template: &str, provider: &str, cookies: &str, lifetime: &str) -> String {
    crate::core::i18n::fill(template, &["provider", "cookies", "lifetime"], &[provider, cookies, lifetime])
}

/// A positive whole number of pixels, as `width`/`height` attributes hold.
fn pixels(value: Option<String>) -> Option<u32> {
    let value = value?;
    let value = value.trim();
    let digits = value.strip_suffix("px").unwrap_or(value);
    digits.parse().ok().filter(|n| *n > 0 && *n < 100_000)
}

fn show_placeholder(iframe: &Element, vendor: &EmbedVendor, provider: &'static embed::Embed, embeds: &Embeds) {
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    let id = format!("cg-embed-{id}");
    let name = provider.name;
    let mut cookies = String::new();
    for cookie in provider.cookies() {
        if !cookies.is_empty() {
            cookies.push_str(", ");
        }
        cookies.push_str(cookie);
    }
    let lifetime = crate::core::i18n::lifetime_text(&embeds.lang, vendor.lifetime);
    let notice = fill(embeds.text(Key::EmbedNotice), name, &cookies, &lifetime);
    let privacy = fill(embeds.text(Key::EmbedPrivacy), name, &cookies, &lifetime);
    let load_text = embeds.text(if provider.what == EmbedKind::Map { Key::LoadMap } else { Key::LoadVideo });
    let allow_text = fill(embeds.text(Key::AlwaysAllow), name, &cookies, &lifetime);
    let title = iframe.get_attribute("title").filter(|t| !t.trim().is_empty());
    let label = match &title {
        Some(title) => format!("{name}: {title}"),
        None => name.to_owned(),
    };
    let heading_id = format!("{id}-name");
    let Some(heading) = El::new("p") else { return };
    let mut body = El::new("div").map(|b| b.class("cg-embed-body"));
    let mut link = El::new("a").map(|a| a.class("cg-embed-privacy").text(&privacy));
    if let Some(a) = &link {
        if is_web_address(&vendor.privacy_url) {
            let _ = a.0.set_attribute("href", &vendor.privacy_url);
            let _ = a.0.set_attribute("target", "_blank");
            let _ = a.0.set_attribute("rel", "noopener noreferrer");
        }
    }
    let load_button =
        El::new("button").map(|b| b.class("cg-button cg-embed-load").attr("type", "button").text(load_text));
    let allow_button =
        El::new("button").map(|b| b.class("cg-button cg-embed-allow").attr("type", "button").text(&allow_text));
    let (Some(b), Some(l), Some(load_button), Some(allow_button)) =
        (body.take(), link.take(), load_button, allow_button)
    else {
        return;
    };
    let notice = El::new("p").map(|p| p.class("cg-embed-notice").text(&notice).text_then(" ").child(l));
    let actions = El::new("div").map(|d| d.class("cg-embed-actions"));
    let (Some(notice), Some(actions)) = (notice, actions) else { return };
    let load_el = load_button.0.clone();
    let allow_el = allow_button.0.clone();
    let body = b
        .child(heading.class("cg-embed-provider").attr("id", &heading_id).text(&label))
        .child(notice)
        .child(actions.child(load_button).child(allow_button));
    let Some(placeholder) = El::new("div") else { return };
    let placeholder = placeholder
        .class(&format!("{} cg-embed", embeds.theme.classes()))
        .attr("id", &id)
        .attr("role", "group")
        .attr("aria-labelledby", &heading_id);
    // The site's own poster, never the provider's thumbnail.
    if let Some(poster) = iframe.get_attribute("data-poster") {
        if crate::core::markup::check_source("", &poster).is_ok() {
            if let Some(img) = El::new("img") {
                let _ =
                    placeholder.0.append_child(&img.class("cg-embed-poster").attr("alt", "").attr("src", &poster).0);
            }
        }
    }
    let placeholder = placeholder.child(body);
    if let Some(style) = placeholder.0.dyn_ref::<HtmlElement>().map(HtmlElement::style) {
        if let (Some(w), Some(h)) = (pixels(iframe.get_attribute("width")), pixels(iframe.get_attribute("height"))) {
            let _ = style.set_property("--cg-embed-ratio", &format!("{w} / {h}"));
            let _ = style.set_property("--cg-embed-width", &format!("{w}px"));
        }
    }
    let _ = iframe.set_attribute(PLACEHOLDER, &id);
    let _ = iframe.set_attribute("hidden", "");
    if iframe.before_with_node_1(&placeholder.0).is_err() {
        let _ = iframe.remove_attribute(PLACEHOLDER);
        return report_error("could not show an embed's placeholder");
    }
    let frame = iframe.clone();
    let (address, written) = {
        let src = iframe.get_attribute("data-src").unwrap_or_default();
        (embed::load_address(provider, vendor.no_cookie, &src), src)
    };
    let vendor_name = vendor.name.clone();
    EventListener::new(&load_el, "click", move |_| {
        let _ = frame.set_attribute(ONCE, "");
        load(&frame, &address, &written, &vendor_name);
        focus(&frame);
    })
    .forget();
    let frame = iframe.clone();
    let name = vendor.name.clone();
    EventListener::new(&allow_el, "click", move |_| {
        allow(&name);
        focus(&frame);
    })
    .forget();
}

/// Whether `url` is an http(s) address (a privacy link).
fn is_web_address(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// Moves focus to the embed that replaced the placeholder the keyboard was on.
fn focus(frame: &Element) {
    if let Some(frame) = frame.dyn_ref::<HtmlElement>() {
        let _ = frame.focus();
    }
}
