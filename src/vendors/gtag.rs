//! What the three Google tags share: one gtag.js loader, Consent Mode v2 and
//! the cookie-lifetime settings.

use super::{single_id, Build, CookieName, FieldError, FieldProblem, SetupContext, Vendor, VendorType};
use crate::core::category::{Category, Choices};
use crate::core::json::{Object, Value};
use crate::core::plan::{Arg, Call, Script};

/// The facts that tell one Google product from another. Each product's
/// module checks the id's format itself, its message lazily (see
/// `FieldProblem`).
#[derive(Debug)]
pub struct Product {
    pub kind: &'static str,
    pub name: &'static str,
    /// The config field holding the tag id.
    pub id_field: &'static str,
    pub category: Category,
    pub cookies: fn(&str) -> Vec<CookieName>,
    pub storage_keys: &'static [&'static str],
}

impl Product {
    pub const fn vendor_type<P: FieldProblem>(&'static self, build: Build<P>) -> VendorType<P> {
        VendorType { kind: self.kind, fields: std::slice::from_ref(&self.id_field), build }
    }

    /// Builds the tag from its one id field, which `check_id` checks.
    pub fn build<P: FieldProblem>(
        &'static self,
        fields: Object,
        check_id: fn(&str) -> Result<(), P>,
    ) -> Result<Box<dyn Vendor>, P> {
        let id = single_id(fields, self.id_field)?;
        check_id(&id)?;
        Ok(Box::new(GoogleTag { product: self, id }))
    }

    /// The problem with `id`, which `why` explains after it in quotes.
    pub fn refuse_id<P: FieldProblem>(&self, id: &str, why: impl FnOnce() -> &'static str) -> P {
        P::new(|| FieldError::new(self.id_field, format!("'{id}' {}", why())))
    }
}

/// One configured Google tag (GA4, Ads or Floodlight).
#[derive(Debug)]
pub struct GoogleTag {
    product: &'static Product,
    id: String,
}

impl Vendor for GoogleTag {
    fn kind(&self) -> &'static str {
        self.product.kind
    }
    fn display_name(&self) -> String {
        self.product.name.to_owned()
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn default_category(&self) -> Option<Category> {
        Some(self.product.category)
    }
    fn default_privacy_url(&self) -> Option<&'static str> {
        Some("https://policies.google.com/privacy")
    }
    fn initial_calls(&self) -> Vec<Call> {
        vec![consent_default()]
    }
    fn consent_calls(&self, choices: Choices) -> Vec<Call> {
        vec![consent_update(choices)]
    }
    fn setup_calls(&self, ctx: SetupContext) -> Vec<Call> {
        config_calls(&self.id, ctx)
    }
    fn script(&self) -> Option<Script> {
        Some(script(&self.id))
    }
    fn cookies(&self) -> Vec<CookieName> {
        (self.product.cookies)(&self.id)
    }
    fn storage_keys(&self) -> Vec<&'static str> {
        self.product.storage_keys.to_vec()
    }
    fn sets_lifetime_itself(&self) -> bool {
        true
    }
}

pub const LOADER_KEY: &str = "gtag";

/// gtag.js, loaded once for all Google tags; `id` is the first tag configured.
pub fn script(id: &str) -> Script {
    Script { key: LOADER_KEY.to_owned(), url: format!("https://www.googletagmanager.com/gtag/js?id={id}") }
}

fn state(granted: bool) -> &'static str {
    if granted {
        "granted"
    } else {
        "denied"
    }
}

/// Consent Mode's four signals from the page-wide switch of the Google tags
/// (see `Session::switch_for`): per category, whether a Google tag of it
/// that the visitor allowed is on the page. Consent Mode has one state per
/// page, not per tag, and each tag acts only once configured, which a
/// refused tag never is. So:
///
/// | Google tags allowed            | analytics_storage | ad_storage, ad_user_data, ad_personalization |
/// |--------------------------------|-------------------|----------------------------------------------|
/// | GA4 only (Ads refused)         | granted           | denied                                       |
/// | Google Ads or Floodlight only  | denied            | granted                                      |
/// | GA4 and Ads/Floodlight         | granted           | granted                                      |
/// | none (other vendors only)      | denied            | denied                                       |
///
/// A grant of a vendor that is not Google's (Criteo, say) never turns a
/// Google signal on. A tag the config moves to another category counts for
/// that category's signals.
fn consent_signals(choices: Choices) -> Value {
    let ads = state(choices.marketing);
    Value::object([
        ("ad_storage", ads.into()),
        ("ad_user_data", ads.into()),
        ("ad_personalization", ads.into()),
        ("analytics_storage", state(choices.analytics).into()),
    ])
}

/// Consent Mode v2 default: everything denied, before any Google tag.
pub fn consent_default() -> Call {
    Call::command("gtag", ["consent".into(), "default".into(), consent_signals(Choices::NONE).into()])
}

/// Consent Mode v2 update after each choice.
pub fn consent_update(choices: Choices) -> Call {
    Call::command("gtag", ["consent".into(), "update".into(), consent_signals(choices).into()])
}

/// `gtag('js', new Date())` then `gtag('config', id, …)`, with the cookie
/// lifetime set at the tag so its cookies never outlive the declared lifetime:
/// `cookie_update: false` stops gtag extending the expiry on every visit.
pub fn config_calls(id: &str, ctx: SetupContext) -> Vec<Call> {
    let settings = Value::object([
        ("cookie_expires", ctx.lifetime.seconds_from(ctx.now_ms).into()),
        ("cookie_update", false.into()),
    ]);
    vec![
        Call::command("gtag", ["js".into(), Arg::Now]),
        Call::command("gtag", ["config".into(), id.into(), settings.into()]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lifetime::Lifetime;

    fn json(text: &str) -> Value {
        crate::core::json::parse(text).unwrap()
    }

    #[test]
    fn default_denies_all_four_signals() {
        let Call::Command { args, .. } = consent_default() else { panic!("a gtag command") };
        assert_eq!(
            args[2],
            Arg::Json(json(
                r#"{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied","analytics_storage":"denied"}"#
            ))
        );
    }

    #[test]
    fn update_maps_categories_to_signals() {
        let Call::Command { args, .. } = consent_update(Choices { analytics: true, marketing: false }) else {
            panic!("a gtag command")
        };
        assert_eq!(args[1], Arg::from("update"));
        assert_eq!(
            args[2],
            Arg::Json(json(
                r#"{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied","analytics_storage":"granted"}"#
            ))
        );
    }

    #[test]
    fn config_sets_the_declared_lifetime_in_seconds() {
        let calls = config_calls("G-X1", SetupContext { lifetime: Lifetime::days(180), now_ms: 0 });
        assert_eq!(
            calls[1],
            Call::command(
                "gtag",
                [
                    "config".into(),
                    "G-X1".into(),
                    json(r#"{"cookie_expires": 15552000, "cookie_update": false}"#).into()
                ]
            )
        );
    }
}
