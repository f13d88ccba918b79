//! The consent bar: a short text with the policy link, and "reject all"
//! beside "accept all" with the same size and weight, then "settings".

use super::{button, on_click};
use crate::core::category::Signals;
use crate::core::choice::UiChoice;
use crate::core::i18n::{category_keys, Key, Texts};
use crate::core::plan::AskReason;
use crate::web::dom::El;
use gloo_events::EventListener;
use web_sys::HtmlElement;

/// What the bar says besides its usual text.
pub struct BarContext<'a> {
    pub texts: &'a Texts,
    pub policy_url: &'a str,
    pub reason: &'a AskReason,
    pub signals: Signals,
}

/// The bar while it is on the page; dropping it removes it and its listeners.
pub struct Bar {
    root: HtmlElement,
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
        let text = El::new("p")?.class("cg-bar__text").text(texts.get(Key::BarText)).text_then(" ").child(link);
        let mut body = El::new("div")?
            .class("cg-bar__body")
            .child(El::new("h2")?.class("cg-bar__title").attr("id", title_id).text(texts.get(Key::BarTitle)))
            .child(text);
        for notice in notices(cx) {
            body = body.child(El::new("p")?.class("cg-bar__notice").text(&notice));
        }
        let reject = button(texts.get(Key::RejectAll), "reject")?;
        let accept = button(texts.get(Key::AcceptAll), "accept")?;
        let settings = El::new("button")?
            .class("cg-link-button")
            .attr("type", "button")
            .attr("data-cg-action", "settings")
            .attr("aria-haspopup", "dialog")
            .text(texts.get(Key::Settings));
        let listeners = vec![
            choice_listener(&reject, UiChoice::RejectAll, on_choice.clone()),
            choice_listener(&accept, UiChoice::AcceptAll, on_choice.clone()),
            choice_listener(&settings, UiChoice::Settings, on_choice),
        ];
        let choices = El::new("div")?.class("cg-bar__choices").child(reject).child(accept);
        let actions = El::new("div")?.class("cg-bar__actions").child(choices).child(settings);
        let root = El::new("section")?
            .class("cg-bar cg-theme")
            .attr("aria-labelledby", title_id)
            .attr("lang", &texts.lang)
            .child(body)
            .child(actions)
            .into_html()?;
        let page = crate::web::dom::document()?.body()?;
        page.prepend_with_node_1(&root).ok()?;
        Some(Bar { root, _listeners: listeners })
    }
}

/// One short sentence per reason to know: a browser signal in force, or what
/// changed since the visitor's last choice.
fn notices(cx: &BarContext<'_>) -> Vec<String> {
    let texts = cx.texts;
    let mut notices = Vec::new();
    if cx.signals.global_privacy_control {
        notices.push(texts.get(Key::PrivacyControlNotice).to_owned());
    } else if cx.signals.do_not_track {
        notices.push(texts.get(Key::DoNotTrackNotice).to_owned());
    }
    match cx.reason {
        AskReason::VendorsChanged(categories) => {
            let names: Vec<&str> = categories.iter().map(|c| texts.get(category_keys(*c).0)).collect();
            notices.push(format!("{} {}.", texts.get(Key::ChangedNotice), names.join(", ")));
        }
        AskReason::PolicyChanged => notices.push(texts.get(Key::PolicyChangedNotice).to_owned()),
        AskReason::NoChoice | AskReason::Unreadable | AskReason::Expired => {}
    }
    notices
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.root.remove();
    }
}

fn choice_listener(button: &El, choice: UiChoice, on_choice: impl Fn(UiChoice) + 'static) -> EventListener {
    on_click(button, move || on_choice(choice))
}
