//! The vendor types a site can configure. Each lives in its own module and
//! knows its ids, loader, set-up calls and first-party cookies; the rest of the
//! library only sees the [`Vendor`] trait and the [`registry`] of types.
//!
//! Adding a vendor type: one module here and one line in [`registry`].

mod adform;
mod criteo;
mod digit_tag;
pub mod embed;
mod facebook_pixel;
mod ga4;
mod google_ads;
mod google_marketing_platform;
mod gtag;
#[cfg(not(target_arch = "wasm32"))]
pub mod schema;
mod script;

use crate::core::category::{Category, Choices};
use crate::core::config::Rejected;
use crate::core::json::{Object, Value};
use crate::core::lifetime::Lifetime;
use crate::core::plan::{Call, Script};
use std::marker::PhantomData;

/// A first-party cookie a vendor writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CookieName {
    Exact(String),
    Prefix(String),
}

impl CookieName {
    pub fn exact(name: &str) -> CookieName {
        CookieName::Exact(name.to_owned())
    }

    pub fn matches(&self, cookie: &str) -> bool {
        match self {
            CookieName::Exact(n) => n == cookie,
            CookieName::Prefix(p) => cookie.starts_with(p.as_str()),
        }
    }

    /// The name as a config writes it: `_hjid`, or `_hj*` for a prefix.
    pub fn as_written(&self) -> String {
        match self {
            CookieName::Exact(n) => n.clone(),
            CookieName::Prefix(p) => format!("{p}*"),
        }
    }
}

/// What the vendor needs to set itself up.
#[derive(Debug, Clone, Copy)]
pub struct SetupContext {
    /// The lifetime the config declares for this vendor's cookies.
    pub lifetime: Lifetime,
    /// Now, in ms since the epoch.
    pub now_ms: i64,
}

/// `Debug` for vendors on the host only, where tests print configs. In the
/// wasm, a `Debug` supertrait would put a `fmt` entry in every vendor's
/// vtable and, with it, the derived-Debug and string-escaping code (about
/// 1.5 KB gzip) that nothing there calls.
#[cfg(not(target_arch = "wasm32"))]
pub trait HostDebug: std::fmt::Debug {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: std::fmt::Debug> HostDebug for T {}
#[cfg(target_arch = "wasm32")]
pub trait HostDebug {}
#[cfg(target_arch = "wasm32")]
impl<T> HostDebug for T {}

/// One configured vendor tag.
pub trait Vendor: HostDebug {
    /// The `type` name in consent.json.
    fn kind(&self) -> &'static str;
    /// The name shown to visitors.
    fn display_name(&self) -> String;
    /// The id the site configured, which tells two vendors of one type apart.
    fn id(&self) -> &str;
    /// The category the vendor belongs to unless the config says otherwise
    /// (`None`: the config must say).
    fn default_category(&self) -> Option<Category>;
    /// The vendor's privacy notice (`None`: the config must give one).
    fn default_privacy_url(&self) -> Option<&'static str>;
    /// Calls made on every page before any choice; they must not load anything.
    fn initial_calls(&self) -> Vec<Call> {
        Vec::new()
    }
    /// Tells the vendor about the visitor's current choices.
    fn consent_calls(&self, _choices: Choices) -> Vec<Call> {
        Vec::new()
    }
    /// Set-up calls queued before the loader runs.
    fn setup_calls(&self, ctx: SetupContext) -> Vec<Call>;
    /// The vendor's loader script; `None` for an embed, which loads
    /// nothing until the visitor clicks it (`vendors::embed`).
    fn script(&self) -> Option<Script>;
    /// The embed provider and whether it loads without cookies, for the
    /// click-to-load types.
    fn embed(&self) -> Option<(&'static embed::Embed, bool)> {
        None
    }
    /// The first-party cookies it writes.
    fn cookies(&self) -> Vec<CookieName>;
    /// The localStorage keys it writes, removed when its category is withdrawn.
    fn storage_keys(&self) -> Vec<&'static str> {
        Vec::new()
    }
    /// True when the vendor itself is told the declared cookie lifetime (gtag's
    /// `cookie_expires`); otherwise the library caps its cookies.
    fn sets_lifetime_itself(&self) -> bool {
        false
    }
}

/// Why a vendor entry's own fields were refused, in words: what the
/// checker's full report lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field at fault, relative to the vendor entry (empty: the entry itself).
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> FieldError {
        FieldError { field: field.to_owned(), message: message.into() }
    }
}

/// What a vendor type's build gives for a field it refuses: the
/// [`FieldError`] where the checker reports in full (`Config::from_json`),
/// only [`Rejected`] where it needs the verdict (`Config::accept_json`). The
/// error comes as a closure that only the former calls, so a wasm that only
/// takes the verdict carries no vendor's messages.
pub trait FieldProblem: Sized + 'static {
    fn new(error: impl FnOnce() -> FieldError) -> Self;
}

impl FieldProblem for FieldError {
    fn new(error: impl FnOnce() -> FieldError) -> Self {
        error()
    }
}

impl FieldProblem for Rejected {
    fn new(_: impl FnOnce() -> FieldError) -> Self {
        Rejected
    }
}

/// The problem with `field`, in the words `message` gives.
fn refused<P: FieldProblem>(field: &str, message: impl FnOnce() -> String) -> P {
    P::new(|| FieldError::new(field, message()))
}

/// Builds a vendor from the entry's own fields, or says why not.
pub type Build<P> = fn(Object) -> Result<Box<dyn Vendor>, P>;

/// A vendor type: its name in the config, the fields it takes and how to build it.
pub struct VendorType<P> {
    pub kind: &'static str,
    pub fields: &'static [&'static str],
    pub build: Build<P>,
}

/// Every vendor type the config accepts, their builds giving problems as `P`.
pub fn registry<P: FieldProblem>() -> &'static [VendorType<P>] {
    Registry::<P>::TYPES
}

struct Registry<P>(PhantomData<P>);

impl<P: FieldProblem> Registry<P> {
    const TYPES: &'static [VendorType<P>] = &[
        ga4::vendor_type(),
        google_ads::vendor_type(),
        google_marketing_platform::vendor_type(),
        facebook_pixel::vendor_type(),
        criteo::vendor_type(),
        adform::vendor_type(),
        script::vendor_type(),
        embed::youtube(),
        embed::vimeo(),
        embed::google_maps(),
    ];
}

pub fn vendor_type<P: FieldProblem>(kind: &str) -> Option<&'static VendorType<P>> {
    registry().iter().find(|t| t.kind == kind)
}

/// Removes and reads a text field; `Ok(None)` when it is absent.
fn text_field<P: FieldProblem>(fields: &mut Object, name: &str) -> Result<Option<String>, P> {
    match fields.remove(name) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(refused(name, || format!("`{name}` must be text in quotes"))),
    }
}

/// Removes and reads a text field the vendor type cannot do without.
fn required_text<P: FieldProblem>(fields: &mut Object, name: &str) -> Result<String, P> {
    text_field(fields, name)?.ok_or_else(|| missing(name))
}

/// The problem of a missing field (the config checker words it for people).
fn missing<P: FieldProblem>(name: &str) -> P {
    refused(name, || format!("missing field `{name}`"))
}

/// Reads the one id field a tag takes, refusing any other field. Digit-only
/// ids may be written as JSON numbers; they are kept as text.
fn single_id<P: FieldProblem>(mut fields: Object, name: &str) -> Result<String, P> {
    if let Some(other) = fields.keys().find(|k| k.as_str() != name) {
        return Err(refused(other, || format!("unknown field `{other}`; this vendor type takes `{name}`")));
    }
    match fields.remove(name) {
        Some(Value::String(id)) => Ok(id),
        Some(Value::Int(n)) if n >= 0 => Ok(crate::core::json::int_text(n)),
        Some(_) => Err(refused(name, || format!("`{name}` must be text in quotes, like \"123456\""))),
        None => Err(missing(name)),
    }
}

/// A digit-only id checker with the vendor's example in its message.
fn check_digits<P: FieldProblem>(field: &str, id: &str, min: usize, max: usize, example: &str) -> Result<(), P> {
    if all_digits(id, min, max) {
        Ok(())
    } else {
        Err(refused(field, || format!("'{id}' is not a valid id; it must be {min} to {max} digits, like {example}")))
    }
}

fn all_digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    fn build(text: &str) -> Result<Box<dyn Vendor>, FieldError> {
        let Ok(Value::Object(mut map)) = crate::core::json::parse(text) else { panic!("test input must be an object") };
        let kind = map.remove("type").and_then(|t| t.as_str().map(str::to_owned)).unwrap_or_default();
        let t = vendor_type::<FieldError>(&kind).expect("known type");
        (t.build)(map)
    }

    /// Why `text` is refused. (`unwrap_err` would need `Debug` for vendors,
    /// which they have on the host only.)
    fn refusal(text: &str) -> FieldError {
        match build(text) {
            Ok(_) => panic!("accepted, but must be refused: {text}"),
            Err(error) => error,
        }
    }

    #[test]
    fn every_type_is_registered_once() {
        let types = registry::<FieldError>();
        for t in types {
            assert_eq!(types.iter().filter(|o| o.kind == t.kind).count(), 1, "{}", t.kind);
        }
        assert_eq!(types.len(), 10);
    }

    #[test]
    fn google_tags_share_one_loader() {
        let ga = build(r#"{"type":"ga4","measurementId":"G-ABC123"}"#).unwrap();
        let ads = build(r#"{"type":"google-ads","conversionId":"AW-123456"}"#).unwrap();
        let dc = build(r#"{"type":"google-marketing-platform","advertiserId":"DC-98765"}"#).unwrap();
        assert_eq!(ga.script().unwrap().key, ads.script().unwrap().key);
        assert_eq!(ads.script().unwrap().key, dc.script().unwrap().key);
        assert_eq!(ga.script().unwrap().url, "https://www.googletagmanager.com/gtag/js?id=G-ABC123");
    }

    #[test]
    fn vendors_know_their_loader_and_cookies() {
        let fb = build(r#"{"type":"facebook-pixel","pixelId":"123456789012345"}"#).unwrap();
        assert_eq!(fb.script().unwrap().url, "https://connect.facebook.net/en_US/fbevents.js");
        assert!(fb.cookies().iter().any(|c| c.matches("_fbp")));
        let criteo = build(r#"{"type":"criteo","accountId":"12345"}"#).unwrap();
        assert_eq!(criteo.script().unwrap().url, "https://dynamic.criteo.com/js/ld/ld.js?a=12345");
        assert!(criteo.cookies().iter().any(|c| c.matches("cto_bundle")));
        let adform = build(r#"{"type":"adform","trackingPointId":"1234567"}"#).unwrap();
        assert_eq!(adform.script().unwrap().url, "https://s2.adform.net/banners/scripts/st/trackpoint-async.js");
        let ga = build(r#"{"type":"ga4","measurementId":"G-ABC123"}"#).unwrap();
        assert!(ga.cookies().iter().any(|c| c.matches("_ga_ABC123")));
        assert!(ga.cookies().iter().any(|c| c.matches("_ga")));
        assert!(!ga.cookies().iter().any(|c| c.matches("_gat_other")));
    }

    #[test]
    fn malformed_ids_name_the_field_and_the_expected_format() {
        let err = refusal(r#"{"type":"ga4","measurementId":"UA-12345-1"}"#);
        assert_eq!(err.field, "measurementId");
        assert!(err.message.contains("Universal Analytics"), "{}", err.message);
        let err = refusal(r#"{"type":"google-ads","conversionId":"123"}"#);
        assert_eq!(err.field, "conversionId");
        assert!(err.message.contains("AW-"), "{}", err.message);
        let err = refusal(r#"{"type":"facebook-pixel","pixelId":"12ab"}"#);
        assert_eq!(err.field, "pixelId");
        let err = refusal(r#"{"type":"criteo"}"#);
        assert_eq!(err.field, "accountId");
        let err = refusal(r#"{"type":"script","src":"javascript:alert(1)","name":"x"}"#);
        assert_eq!(err.field, "src");
    }

    #[test]
    fn unknown_vendor_fields_are_refused() {
        let err = refusal(r#"{"type":"ga4","measurementId":"G-ABC123","pixelId":"1"}"#);
        assert!(err.message.contains("unknown field"), "{}", err.message);
    }

    #[test]
    fn cookie_patterns_need_three_characters_before_the_star() {
        let text = |cookies: &str| {
            format!(r#"{{"type":"script","name":"S","src":"https://s.example.lv/s.js","cookies":{cookies}}}"#)
        };
        assert!(build(&text(r#"["_hj*", "abc*", "x"]"#)).is_ok());
        for broad in ["*", "_*", "ab*"] {
            let err = refusal(&text(&format!(r#"["_hjid", "{broad}"]"#)));
            assert_eq!(err.field, "cookies[1]");
            assert!(
                err.message.contains(if broad == "*" {
                    "is not a cookie name"
                } else {
                    "at least 3 characters before the *"
                }),
                "{broad}: {}",
                err.message
            );
        }
    }

    #[test]
    fn a_script_loads_from_a_real_host_over_https() {
        let text = |src: &str| format!(r#"{{"type":"script","name":"S","src":"{src}"}}"#);
        assert!(build(&text("https://static.hotjar.com/c/hotjar-1.js?sv=6")).is_ok());
        for (src, why) in [
            ("http://static.hotjar.com/c.js", "is not an https:// address"),
            ("https://", "has no valid host name"),
            ("https://www.googletagmanager.com@evil.test/gtag.js", "has an '@' before the host name"),
            ("https://cdn.example.lv\\\\evil.test/x.js", "contains a backslash"),
        ] {
            let err = refusal(&text(src));
            assert_eq!(err.field, "src");
            assert!(err.message.contains(why), "{src}: {}", err.message);
        }
    }
}
