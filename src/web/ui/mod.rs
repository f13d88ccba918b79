//! The `ui` part: the consent bar and the settings dialog (the floating
//! button that reopens the dialog is the gate's, see `web::floating`). All text goes in as text, never as HTML.

pub mod bar;
pub mod preferences;

use crate::web::dom::El;
use gloo_events::EventListener;

/// A button of ours: every button shares one class, so accept and reject
/// always look alike.
fn button(label: &str, action: &str) -> Option<El> {
    Some(El::new("button")?.class("cg-button").attr("type", "button").attr("data-cg-action", action).text(label))
}

fn on_click(element: &El, handler: impl FnMut() + 'static) -> EventListener {
    let mut handler = handler;
    EventListener::new(&element.0, "click", move |_| handler())
}
