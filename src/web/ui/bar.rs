//! The consent bar: a short text with the policy link, and "reject all"
//! beside "accept all" with the same size and weight.

use crate::core::i18n::{Key, Texts};
use crate::web::dom::El;
use gloo_events::EventListener;
use web_sys::HtmlElement;

/// Which button was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarChoice {
    AcceptAll,
    RejectAll,
}

/// The bar while it is on the page; dropping it removes its listeners.
pub struct Bar {
    root: HtmlElement,
    _listeners: Vec<EventListener>,
}

impl Bar {
    /// Builds the bar and appends it to `<body>`; `None` if the page has no body.
    pub fn show(texts: &Texts, policy_url: &str, on_choice: impl Fn(BarChoice) + Clone + 'static) -> Option<Bar> {
        let title_id = "consent-gate-bar-title";
        let accept = button(texts.get(Key::AcceptAll), "accept")?;
        let reject = button(texts.get(Key::RejectAll), "reject")?;
        let link = El::new("a")?.class("cg-bar__link").attr("href", policy_url).text(texts.get(Key::PolicyLink));
        let text = El::new("p")?.class("cg-bar__text").text(texts.get(Key::BarText));
        let text = text.text_then(" ").child(link);
        let body = El::new("div")?
            .class("cg-bar__body")
            .child(El::new("h2")?.class("cg-bar__title").attr("id", title_id).text(texts.get(Key::BarTitle)))
            .child(text);
        let actions = El::new("div")?.class("cg-bar__actions");
        let listeners = vec![listen(&reject, BarChoice::RejectAll, on_choice.clone()), listen(&accept, BarChoice::AcceptAll, on_choice)];
        let actions = actions.child(reject).child(accept);
        let root = El::new("section")?
            .class("cg-bar")
            .attr("role", "region")
            .attr("aria-label", texts.get(Key::RegionLabel))
            .attr("aria-labelledby", title_id)
            .attr("lang", &texts.lang)
            .child(body)
            .child(actions)
            .into_html()?;
        crate::web::dom::document()?.body()?.append_child(&root).ok()?;
        Some(Bar { root, _listeners: listeners })
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.root.remove();
    }
}

fn button(label: &str, action: &str) -> Option<El> {
    Some(El::new("button")?.class("cg-button").attr("type", "button").attr("data-cg-action", action).text(label))
}

fn listen(button: &El, choice: BarChoice, on_choice: impl Fn(BarChoice) + 'static) -> EventListener {
    EventListener::new(&button.0, "click", move |_| on_choice(choice))
}
