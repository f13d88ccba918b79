//! The optional floating button that reopens the settings after a choice,
//! so withdrawing is as easy as consenting. Drawn by the gate itself: a
//! returning visitor sees it on every page, and the settings dialog is
//! fetched only once it is pressed.
//!
//! A small round button (44 px, an icon with the label as its accessible
//! name and tooltip) in the corner and at the offset the config names. It is
//! kept across choices, so the dialog can give focus back to it.

use crate::core::config::Config;
use crate::core::i18n::{open_settings_label, Key};
use crate::web::dom::El;
use gloo_events::EventListener;
use web_sys::HtmlElement;

const SVG: &str = "http://www.w3.org/2000/svg";

pub struct FloatingButton {
    root: HtmlElement,
    lang: String,
    _listener: EventListener,
}

/// The button's label in `lang`.
fn label(config: &Config, lang: &str) -> String {
    let texts = config.texts(lang);
    // A language without built-in texts must give its own (the config checks that).
    let label =
        texts.own(Key::OpenSettings).or_else(|| open_settings_label(lang)).or_else(|| open_settings_label("en"));
    label.unwrap_or_default().to_owned()
}

impl FloatingButton {
    pub fn show(config: &Config, lang: &str, on_open: impl FnMut() + 'static) -> Option<FloatingButton> {
        let mut on_open = on_open;
        let ui = &config.ui;
        let label = label(config, lang);
        let button = El::new("button")?
            .class(&format!("cg-floating cg-floating--{} {}", ui.floating_button_corner.as_str(), ui.theme.classes()))
            .attr("type", "button")
            .attr("aria-haspopup", "dialog")
            .attr("data-cg-action", "open")
            .attr("lang", lang)
            .attr("aria-label", &label)
            .attr("title", &label);
        let _ = button.0.append_child(&icon()?.into());
        let listener = EventListener::new(&button.0, "click", move |_| on_open());
        let root = button.into_html()?;
        // Through the CSSOM: a strict CSP without 'unsafe-inline' allows it.
        let offset = format!("{}px", ui.floating_button_offset);
        let _ = root.style().set_property("--cg-floating-offset", &offset);
        crate::web::dom::document()?.body()?.append_child(&root).ok()?;
        Some(FloatingButton { root, lang: lang.to_owned(), _listener: listener })
    }

    /// Relabels the button for another language, keeping the element (and
    /// with it the focus, if it has it).
    pub fn set_language(&mut self, config: &Config, lang: &str) {
        if self.lang == lang {
            return;
        }
        let label = label(config, lang);
        let _ = self.root.set_attribute("aria-label", &label);
        let _ = self.root.set_attribute("title", &label);
        let _ = self.root.set_attribute("lang", lang);
        self.lang = lang.to_owned();
    }
}

/// A cookie, drawn in the button's text colour; hidden from screen readers,
/// which read the label.
fn icon() -> Option<web_sys::Element> {
    let document = crate::web::dom::document()?;
    let svg = document.create_element_ns(Some(SVG), "svg").ok()?;
    for (name, value) in [
        ("viewBox", "0 0 24 24"),
        ("width", "24"),
        ("height", "24"),
        ("aria-hidden", "true"),
        ("focusable", "false"),
        ("class", "cg-floating__icon"),
    ] {
        let _ = svg.set_attribute(name, value);
    }
    let path = document.create_element_ns(Some(SVG), "path").ok()?;
    // A round cookie with a bite out of its upper right, and three crumbs.
    let _ = path.set_attribute(
        "d",
        "M21.9 11.2a4 4 0 0 1-4.6-4.5 4 4 0 0 1-4-4.6A10 10 0 1 0 21.9 11.2ZM12 20a8 8 0 0 1-1.5-15.9 6 6 0 0 0 4.6 4.9 \
         6 6 0 0 0 4.8 4.6A8 8 0 0 1 12 20Zm-3.5-11a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Zm6 5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 \
         0-3Zm-6 2.5a1 1 0 1 0 0 2 1 1 0 0 0 0-2Z",
    );
    let _ = path.set_attribute("fill", "currentColor");
    svg.append_child(&path).ok()?;
    Some(svg)
}

impl Drop for FloatingButton {
    fn drop(&mut self) {
        self.root.remove();
    }
}
