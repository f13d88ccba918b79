//! The preferences dialog: the three categories with switches (necessary on
//! and disabled; the others off unless granted now, never pre-ticked), each
//! with its vendors, purpose, declared cookie lifetime and privacy link, and
//! a switch per vendor of an optional category. A category's switch is the
//! sum of its vendors': on when all are, off when none is, and mixed
//! otherwise (shown half-way, `indeterminate`, with "Partners: 2/3" beside
//! it); switching the category switches all its vendors.
//!
//! A native modal `<dialog>`: the browser traps focus inside it and closes it
//! on Escape; focus then returns to whatever opened it.

use super::{button, on_click};
use crate::core::category::{Category, Choices, Signals};
use crate::core::choice::{Grants, Sum, UiChoice};
use crate::core::config::Config;
use crate::core::i18n::{accept_key, category_keys, for_each_piece, lifetime_text, signal_notice, Key, Piece, Texts};
use crate::web::dom::El;
use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlDialogElement, HtmlElement, HtmlInputElement};

pub struct Preferences {
    dialog: HtmlDialogElement,
    /// Where focus returns when the dialog closes.
    opener: Option<HtmlElement>,
    _listeners: Vec<EventListener>,
}

impl Preferences {
    /// Builds the dialog into the page, closed; the caller opens it with
    /// `show_modal` on [`Preferences::dialog`] once it has kept it, since
    /// opening moves focus and page code may run on that.
    pub fn build(
        config: &Config,
        texts: &Texts,
        current: &Grants,
        signals: Signals,
        consent: Option<(&str, f64)>,
        on_choice: impl Fn(UiChoice) + Clone + 'static,
    ) -> Option<Preferences> {
        let document = crate::web::dom::document()?;
        let opener = document.active_element().and_then(|e| e.dyn_into::<HtmlElement>().ok());
        let title_id = "consent-gate-preferences-title";
        let mut list = El::new("ul")?.class("cg-categories");
        for category in Category::ALL {
            list = list.child(category_section(config, texts, category, current)?);
        }
        let close = El::new("button")?
            .class("cg-close")
            .attr("type", "button")
            .attr("data-cg-action", "close")
            .attr("aria-label", texts.get(Key::Close))
            .text("×");
        let reject = button(texts.get(Key::RejectAll), "reject")?;
        let save = button(texts.get(Key::Save), "save")?;
        // Its label says what it grants; none where it would grant nothing.
        let accept = match accept_key(signals) {
            Some(key) => Some(button(texts.get(key), "accept")?),
            None => None,
        };
        let root = El::new("dialog")?
            .class(&format!("cg-prefs {}", config.ui.theme.classes()))
            .attr("aria-labelledby", title_id)
            .attr("lang", &texts.lang);
        let mut listeners = {
            let dialog = root.0.clone();
            let pick = |choice: UiChoice| {
                let on_choice = on_choice.clone();
                move || on_choice(choice.clone())
            };
            let read_switches = {
                let dialog = dialog.clone();
                let on_choice = on_choice.clone();
                move || on_choice(UiChoice::Save(switches(&dialog)))
            };
            let dismissed = on_choice.clone();
            let synced = dialog.clone();
            let partners = texts.get(Key::Partners).to_owned();
            vec![
                // A category switch sets its vendors; a vendor's switch sums up into its category.
                EventListener::new(&dialog, "change", move |event| {
                    if let Some(target) = event.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
                        sync(&synced, &target, &partners);
                    }
                }),
                on_click(&reject, pick(UiChoice::RejectAll)),
                on_click(&save, read_switches),
                on_click(&close, pick(UiChoice::Dismissed)),
                // Escape: the browser closes the dialog and fires `close`.
                EventListener::new(&dialog, "cancel", move |_| dismissed(UiChoice::Dismissed)),
            ]
        };
        let mut actions = El::new("div")?.class("cg-prefs__actions").child(reject).child(save);
        if let Some(accept) = accept {
            listeners.push(on_click(&accept, move || on_choice(UiChoice::AcceptAll)));
            actions = actions.child(accept);
        }
        let header = El::new("div")?
            .class("cg-prefs__header")
            .child(El::new("h2")?.class("cg-prefs__title").attr("id", title_id).text(texts.get(Key::PreferencesTitle)))
            .child(close);
        // The cookie policy, linked from the dialog as from the bar.
        let policy = El::new("a")?
            .class("cg-prefs__policy")
            .attr("href", config.policy_url(&texts.lang))
            .text(texts.get(Key::PolicyLink));
        let intro =
            El::new("p")?.class("cg-prefs__text").text(texts.get(Key::PreferencesText)).text_then(" ").child(policy);
        let mut root = root.child(header).child(intro);
        // The browser's signal in force, named with what it refused.
        if let Some(key) = signal_notice(signals) {
            root = root.child(El::new("p")?.class("cg-prefs__notice").attr("data-cg-signal", "").text(texts.get(key)));
        }
        let mut root = root.child(list);
        if let Some((id, saved_at)) = consent {
            root = root.child(your_consent(texts, id, saved_at)?);
        }
        let root = root.child(actions);
        let dialog: HtmlDialogElement = root.0.dyn_into().ok()?;
        document.body()?.append_child(&dialog).ok()?;
        Some(Preferences { dialog, opener, _listeners: listeners })
    }

    pub fn dialog(&self) -> HtmlDialogElement {
        self.dialog.clone()
    }
}

impl Drop for Preferences {
    fn drop(&mut self) {
        self.dialog.close();
        self.dialog.remove();
        if let Some(opener) = self.opener.take().filter(|o| o.is_connected()) {
            let _ = opener.focus();
        }
    }
}

/// "Your consent ID is … ; saved on …": the id in `<code>` (selectable, to
/// quote), the date in the visitor's language as the browser writes it, in
/// a `<time>` with its ISO form.
fn your_consent(texts: &Texts, id: &str, saved_at: f64) -> Option<El> {
    let date = js_sys::Date::new(&saved_at.into());
    let shown: String = date.to_locale_date_string(&texts.lang, &JsValue::UNDEFINED).into();
    let iso: String = date.to_iso_string().into();
    let id = El::new("code")?.class("cg-prefs__id").text(id);
    let time = El::new("time")?.attr("datetime", &iso).text(&shown);
    // Each placeholder where the translation has it, once.
    let mut slots = [Some(id), Some(time)];
    let mut line = Some(El::new("p")?.class("cg-prefs__consent"));
    for_each_piece(texts.get(Key::YourConsent), &["id", "date"], |piece| {
        line = line.take().map(|l| match piece {
            Piece::Text(text) => l.text_then(text),
            Piece::Slot(index) => match slots.get_mut(index).and_then(Option::take) {
                Some(el) => l.child(el),
                None => l,
            },
        });
    });
    line
}

/// The inputs matching `selector` in `dialog`.
fn inputs(dialog: &web_sys::Element, selector: &str) -> Vec<HtmlInputElement> {
    let Ok(found) = dialog.query_selector_all(selector) else { return Vec::new() };
    (0..found.length()).filter_map(|i| found.get(i)?.dyn_into::<HtmlInputElement>().ok()).collect()
}

/// Keeps a category's switch the sum of its vendors' after `changed`
/// changed: a category switch sets all its vendors; a vendor's switch
/// turns its category on (all on), off (all off) or mixed.
fn sync(dialog: &web_sys::Element, changed: &HtmlInputElement, partners: &str) {
    if let Some(category) = changed.get_attribute("data-cg-category") {
        for vendor in inputs(dialog, &format!("input[data-cg-of=\"{category}\"]")) {
            vendor.set_checked(changed.checked());
        }
        changed.set_indeterminate(false);
        show_count(dialog, &category, None, partners);
        return;
    }
    let Some(category) = changed.get_attribute("data-cg-of") else { return };
    let vendors = inputs(dialog, &format!("input[data-cg-of=\"{category}\"]"));
    let on = vendors.iter().filter(|v| v.checked()).count();
    let Some(switch) = inputs(dialog, &format!("input[data-cg-category=\"{category}\"]")).pop() else { return };
    switch.set_checked(on == vendors.len());
    let mixed = on > 0 && on < vendors.len();
    switch.set_indeterminate(mixed);
    show_count(dialog, &category, mixed.then_some((on, vendors.len())), partners);
}

/// Shows "Partners: 2/3" beside a mixed category's switch (its description
/// for a screen reader), or nothing.
fn show_count(dialog: &web_sys::Element, category: &str, mixed: Option<(usize, usize)>, partners: &str) {
    let Ok(Some(count)) = dialog.query_selector(&format!("#consent-gate-count-{category}")) else { return };
    match mixed {
        Some((on, of)) => {
            count.set_text_content(Some(&format!("{partners}: {on}/{of}")));
            let _ = count.remove_attribute("hidden");
        }
        None => {
            count.set_text_content(Some(""));
            let _ = count.set_attribute("hidden", "");
        }
    }
}

/// The switches' state: an explicit choice per optional category and per
/// vendor (by its index in the config).
fn switches(dialog: &web_sys::Element) -> Grants {
    let on = |category: Category| {
        inputs(dialog, &format!("input[data-cg-category=\"{category}\"]")).iter().any(|input| input.checked())
    };
    let categories = Choices { analytics: on(Category::Analytics), marketing: on(Category::Marketing) };
    let mut vendors = Vec::new();
    for input in inputs(dialog, "input[data-cg-vendor]") {
        let Some(at) = input.get_attribute("data-cg-vendor").and_then(|i| i.parse::<usize>().ok()) else { continue };
        if at < 4096 {
            if vendors.len() <= at {
                vendors.resize(at + 1, false);
            }
            vendors[at] = input.checked();
        }
    }
    Grants { categories, vendors }
}

fn category_section(config: &Config, texts: &Texts, category: Category, current: &Grants) -> Option<El> {
    let (name_key, text_key) = category_keys(category);
    let switch_id = format!("consent-gate-switch-{category}");
    let text_id = format!("consent-gate-text-{category}");
    let count_id = format!("consent-gate-count-{category}");
    let input = El::new("input")?
        .class("cg-switch")
        .attr("type", "checkbox")
        .attr("role", "switch")
        .attr("id", &switch_id)
        .attr("data-cg-category", category.as_str())
        .attr("aria-describedby", &format!("{count_id} {text_id}"));
    let input_el: HtmlInputElement = input.0.clone().dyn_into().ok()?;
    let necessary = category == Category::Necessary;
    let sum = current.sum(config, category);
    input_el.set_checked(necessary || sum == Sum::On);
    input_el.set_indeterminate(!necessary && matches!(sum, Sum::Mixed(..)));
    input_el.set_disabled(necessary);
    let mut count = El::new("span")?.class("cg-category__count").attr("id", &count_id);
    count = match sum {
        Sum::Mixed(on, of) if !necessary => count.text(&format!("{}: {on}/{of}", texts.get(Key::Partners))),
        _ => count.attr("hidden", ""),
    };
    let mut head = El::new("div")?
        .class("cg-category__head")
        .child(input)
        .child(El::new("label")?.class("cg-category__name").attr("for", &switch_id).text(texts.get(name_key)))
        .child(count);
    if necessary {
        head = head.child(El::new("span")?.class("cg-category__always").text(texts.get(Key::AlwaysOn)));
    }
    let description = El::new("p")?.class("cg-category__text").attr("id", &text_id).text(texts.get(text_key));
    let section =
        El::new("li")?.class("cg-category").attr("data-cg-category", category.as_str()).child(head).child(description);
    if necessary {
        return Some(section.child(own_storage(config, texts)?));
    }
    Some(section.child(vendor_list(config, texts, category, current)?))
}

/// What consent-gate itself keeps in the browser, as necessary storage
/// (`own_storage`, which the cookie declaration lists too), each with how
/// long it holds or is kept.
fn own_storage(config: &Config, texts: &Texts) -> Option<El> {
    let entries = crate::core::declaration::own_storage(config);
    let summary = El::new("summary")?.text(&format!("{} ({})", texts.get(Key::OwnStorage), entries.len()));
    let mut list = El::new("ul")?.class("cg-vendors__list");
    for entry in entries {
        let mut item = El::new("li")?
            .class("cg-vendor cg-own")
            .child(El::new("code")?.class("cg-vendor__name").text(&entry.names))
            .child(El::new("p")?.class("cg-vendor__purpose").text(texts.get(entry.purpose)));
        if let Some((label, lifetime)) = entry.kept {
            let kept = format!("{} {}", texts.get(label), lifetime_text(&texts.lang, lifetime));
            item = item.child(El::new("p")?.class("cg-vendor__lifetime").text(&kept));
        }
        list = list.child(item);
    }
    Some(El::new("details")?.class("cg-vendors").child(summary).child(list))
}

/// The vendors of a category, folded away in a `<details>` until asked for.
fn vendor_list(config: &Config, texts: &Texts, category: Category, current: &Grants) -> Option<El> {
    let vendors: Vec<_> = config.vendors.iter().enumerate().filter(|(_, v)| v.category == category).collect();
    let summary = El::new("summary")?.text(&format!("{} ({})", texts.get(Key::Partners), vendors.len()));
    let mut details = El::new("details")?.class("cg-vendors").child(summary);
    if vendors.is_empty() {
        return Some(details.child(El::new("p")?.text(texts.get(Key::NoPartners))));
    }
    let mut list = El::new("ul")?.class("cg-vendors__list");
    for (index, vendor) in vendors {
        let purpose = vendor
            .purpose
            .as_ref()
            .and_then(|p| p.get(&texts.lang).or_else(|| p.get(&config.default_language)))
            .or_else(|| vendor.tag.embed().map(|(e, _)| e.purpose(&texts.lang)))
            .unwrap_or_default();
        let lifetime = format!("{} {}", texts.get(Key::KeptFor), lifetime_text(&texts.lang, vendor.lifetime));
        let name = El::new("strong")?.class("cg-vendor__name").text(&vendor.tag.display_name());
        let mut item = El::new("li")?.class("cg-vendor");
        item = if category == Category::Necessary {
            item.child(name)
        } else {
            // Its own switch, labelled by the vendor's name.
            let switch_id = format!("consent-gate-vendor-{index}");
            let input = El::new("input")?
                .class("cg-switch")
                .attr("type", "checkbox")
                .attr("role", "switch")
                .attr("id", &switch_id)
                .attr("data-cg-vendor", &index.to_string())
                .attr("data-cg-of", category.as_str());
            let input_el: HtmlInputElement = input.0.clone().dyn_into().ok()?;
            input_el.set_checked(current.vendor(index));
            let label = El::new("label")?.class("cg-vendor__label").attr("for", &switch_id).child(name);
            item.child(El::new("div")?.class("cg-vendor__head").child(input).child(label))
        };
        if !purpose.is_empty() {
            item = item.child(El::new("p")?.class("cg-vendor__purpose").text(purpose));
        }
        // It opens a new tab, and says so; the vendor's name tells the
        // links apart for a screen reader listing them.
        let unseen = format!(": {} ({})", vendor.tag.display_name(), texts.get(Key::NewTab));
        let link = El::new("a")?
            .class("cg-vendor__link")
            .attr("href", &vendor.privacy_url)
            .attr("target", "_blank")
            .attr("rel", "noopener noreferrer")
            .text(texts.get(Key::PrivacyNotice))
            .child(El::new("span")?.class("cg-visually-hidden").text(&unseen))
            .child(El::new("span")?.class("cg-new-tab").attr("aria-hidden", "true").text(" ↗"));
        let mut names = String::new();
        for name in vendor.tag.cookies() {
            if !names.is_empty() {
                names.push_str(", ");
            }
            names.push_str(&name.as_written());
        }
        // An embed's cookies are its provider's own (issue 19).
        for name in vendor.tag.embed().map_or(&[][..], |(e, _)| e.cookies()) {
            if !names.is_empty() {
                names.push_str(", ");
            }
            names.push_str(name);
        }
        if !names.is_empty() {
            item = item.child(
                El::new("p")?
                    .class("cg-vendor__cookies")
                    .text(texts.get(Key::CookieNames))
                    .text_then(" ")
                    .child(El::new("code")?.text(&names)),
            );
        }
        item = item.child(El::new("p")?.class("cg-vendor__lifetime").text(&lifetime)).child(link);
        list = list.child(item);
    }
    details = details.child(list);
    Some(details)
}
