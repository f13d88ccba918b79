//! The parts' work, in the module that has them built in.

#[cfg(feature = "ui")]
pub use ui::*;

#[cfg(feature = "ui")]
mod ui {
    use crate::core::category::Signals;
    use crate::core::choice::{Grants, UiChoice};
    use crate::core::config::Config;
    use crate::core::plan::AskReason;
    use crate::web::ui::bar::{Bar, BarContext};
    use crate::web::ui::preferences::Preferences;

    /// The bar or the dialog while on the page; dropping it removes it.
    pub enum Shown {
        // Kept for its Drop, which removes it.
        Bar(#[allow(dead_code)] Bar),
        /// Built closed: [`Shown::open`] opens it once the gate has kept it.
        Preferences(Preferences),
    }

    impl Shown {
        /// The built dialog, still closed; the caller opens it with no
        /// borrow held, since opening moves focus and page code may run.
        pub fn dialog_to_open(&self) -> Option<web_sys::HtmlDialogElement> {
            match self {
                Shown::Bar(_) => None,
                Shown::Preferences(p) => Some(p.dialog()),
            }
        }
    }

    pub fn bar(
        config: &Config,
        lang: &str,
        reason: &AskReason,
        signals: Signals,
        on_choice: impl Fn(UiChoice) + Clone + 'static,
    ) -> Option<Shown> {
        let texts = config.texts(lang);
        let cx = BarContext {
            texts: &texts,
            partners: crate::web::ui::bar::partners(config),
            policy_url: config.policy_url(lang),
            reason,
            signals,
            theme: config.ui.theme,
        };
        Bar::show(&cx, on_choice).map(Shown::Bar)
    }

    pub fn preferences(
        config: &Config,
        lang: &str,
        current: &Grants,
        signals: Signals,
        consent: Option<(&str, f64)>,
        on_choice: impl Fn(UiChoice) + Clone + 'static,
    ) -> Option<Shown> {
        Preferences::build(config, &config.texts(lang), current, signals, consent, on_choice).map(Shown::Preferences)
    }
}

#[cfg(feature = "markup")]
pub use crate::web::markup::{activate as activate_markup, watch as watch_markup};

// Only the embeds part's own build calls these: linked with the markup,
// the placeholders are handled as part of gated markup.
#[cfg(all(feature = "embeds", not(feature = "gate")))]
pub use crate::web::markup_embeds::{refresh as refresh_embeds, watch as watch_embeds};

#[cfg(feature = "declaration")]
pub use crate::web::declaration::render_declarations;

#[cfg(feature = "diagnostics")]
pub use crate::web::diagnostics::report_problems;
