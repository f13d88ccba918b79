//! The optional floating button that reopens the preferences after a choice,
//! so withdrawing is as easy as consenting.

use super::on_click;
use crate::core::i18n::{Key, Texts};
use crate::web::dom::El;
use gloo_events::EventListener;
use web_sys::HtmlElement;

pub struct FloatingButton {
    root: HtmlElement,
    _listener: EventListener,
}

impl FloatingButton {
    pub fn show(texts: &Texts, on_open: impl FnMut() + 'static) -> Option<FloatingButton> {
        let button = El::new("button")?
            .class("cg-floating cg-theme")
            .attr("type", "button")
            .attr("aria-haspopup", "dialog")
            .attr("data-cg-action", "open")
            .attr("lang", &texts.lang)
            .text(texts.get(Key::OpenSettings));
        let listener = on_click(&button, on_open);
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
