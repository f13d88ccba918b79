//! The optional floating button that reopens the settings after a choice,
//! so withdrawing is as easy as consenting. Drawn by the gate itself: a
//! returning visitor sees it on every page, and the settings dialog is
//! fetched only once it is pressed.

use crate::core::config::Config;
use crate::core::i18n::{open_settings_label, Key};
use crate::web::dom::El;
use gloo_events::EventListener;
use web_sys::HtmlElement;

pub struct FloatingButton {
    root: HtmlElement,
    _listener: EventListener,
}

impl FloatingButton {
    pub fn show(config: &Config, lang: &str, on_open: impl FnMut() + 'static) -> Option<FloatingButton> {
        let mut on_open = on_open;
        let texts = config.texts(lang);
        // A language without built-in texts must give its own (the config checks that).
        let label =
            texts.own(Key::OpenSettings).or_else(|| open_settings_label(lang)).or_else(|| open_settings_label("en"));
        let label = label.unwrap_or_default();
        let button = El::new("button")?
            .class("cg-floating cg-theme")
            .attr("type", "button")
            .attr("aria-haspopup", "dialog")
            .attr("data-cg-action", "open")
            .attr("lang", lang)
            .text(label);
        let listener = EventListener::new(&button.0, "click", move |_| on_open());
        let root = button.into_html()?;
        crate::web::dom::document()?.body()?.append_child(&root).ok()?;
        Some(FloatingButton { root, _listener: listener })
    }
}

impl Drop for FloatingButton {
    fn drop(&mut self) {
        self.root.remove();
    }
}
