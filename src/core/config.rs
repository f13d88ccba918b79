//! consent.json: the site's categories, vendors, texts and settings.
//!
//! Parsing is strict and collects every problem it finds, each with the JSON
//! path of the field at fault and a sentence on how to fix it, so the people
//! who edit the file can act on the message without a developer.

use super::category::Category;
use super::i18n::{self, Key, Texts};
use super::lifetime::Lifetime;
use crate::vendors::{self, Vendor, REGISTRY};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// One problem in the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Where: a JSON path like `vendors[2].measurementId` (empty: the whole file).
    pub path: String,
    /// Line and column (1-based) where the JSON parser stopped, when known.
    pub position: Option<(usize, usize)>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl ConfigError {
    fn at(path: impl Into<String>, message: impl Into<String>) -> ConfigError {
        ConfigError { path: path.into(), position: None, message: message.into() }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.position {
            write!(f, "line {line}, column {column}: ")?;
        }
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Every problem found in one config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(f, "consent.json has {n} problem{}:", if n == 1 { "" } else { "s" })?;
        for e in &self.0 {
            writeln!(f, "  - {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// A text given once, or per language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Localized {
    One(String),
    PerLanguage(BTreeMap<String, String>),
}

impl Localized {
    pub fn get(&self, lang: &str) -> Option<&str> {
        match self {
            Localized::One(s) => Some(s),
            Localized::PerLanguage(map) => map.get(lang).map(String::as_str),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The cookie policy page, once or per language.
    pub url: Localized,
    /// The edition of the policy in force, as it is dated on the page.
    pub edition: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConsentLifetimes {
    /// How long a grant is kept before the visitor is asked again.
    #[serde(default = "six_months")]
    pub grant: Lifetime,
    /// How long a refusal is kept.
    #[serde(default = "six_months")]
    pub refusal: Lifetime,
}

fn six_months() -> Lifetime {
    Lifetime::months(6)
}

impl Default for ConsentLifetimes {
    fn default() -> Self {
        ConsentLifetimes { grant: six_months(), refusal: six_months() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StorageSettings {
    /// The localStorage key the record is kept under.
    #[serde(default = "default_storage_key")]
    pub key: String,
    /// A first-party cookie that mirrors the record, so the site's server can read it.
    #[serde(default)]
    pub cookie: Option<CookieMirror>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CookieMirror {
    /// The cookie's name.
    pub name: String,
    /// The domain to set it on (e.g. "example.lv" to share it with subdomains);
    /// none: this host only.
    #[serde(default)]
    pub domain: Option<String>,
}

/// Options of the visible interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UiSettings {
    /// A small floating button that reopens the settings after a choice.
    #[serde(default)]
    pub floating_button: bool,
}

fn default_storage_key() -> String {
    "consent-gate".to_owned()
}

impl Default for StorageSettings {
    fn default() -> Self {
        StorageSettings { key: default_storage_key(), cookie: None }
    }
}

/// One vendor of the config: the tag and what the site discloses about it.
#[derive(Debug)]
pub struct VendorEntry {
    pub tag: Box<dyn Vendor>,
    pub category: Category,
    pub lifetime: Lifetime,
    pub privacy_url: String,
    pub purpose: Option<Localized>,
}

/// A checked config.
#[derive(Debug)]
pub struct Config {
    pub revision: u32,
    pub languages: Vec<String>,
    pub default_language: String,
    /// A language forced by the site, over `<html lang>` and the browser's.
    pub language: Option<String>,
    pub ui: UiSettings,
    pub policy: Policy,
    pub consent: ConsentLifetimes,
    pub storage: StorageSettings,
    pub reload_on_withdraw: bool,
    pub vendors: Vec<VendorEntry>,
    texts: BTreeMap<String, BTreeMap<String, String>>,
}

impl Config {
    /// The texts for `lang` (one of `languages`).
    pub fn texts(&self, lang: &str) -> Texts {
        Texts::new(lang, self.texts.get(lang).cloned().unwrap_or_default())
    }

    pub fn policy_url(&self, lang: &str) -> &str {
        self.policy.url.get(lang).or_else(|| self.policy.url.get(&self.default_language)).unwrap_or_default()
    }

    /// Parses and checks consent.json text.
    pub fn from_json(text: &str) -> Result<Config, ConfigErrors> {
        let raw: RawConfig = serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            // serde_json appends " at line L column C"; we report it separately.
            let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
            ConfigErrors(vec![ConfigError { path: String::new(), position: Some((e.line(), e.column())), message }])
        })?;
        raw.check()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawConfig {
    #[serde(rename = "$schema", default)]
    _schema: Option<String>,
    #[serde(default)]
    revision: u32,
    #[serde(default = "default_languages")]
    languages: Vec<String>,
    #[serde(default)]
    default_language: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    ui: UiSettings,
    policy: Policy,
    #[serde(default)]
    consent: ConsentLifetimes,
    #[serde(default)]
    storage: StorageSettings,
    #[serde(default = "yes")]
    reload_on_withdraw: bool,
    vendors: Vec<Map<String, Value>>,
    #[serde(default)]
    texts: BTreeMap<String, BTreeMap<String, String>>,
}

fn default_languages() -> Vec<String> {
    i18n::BUILT_IN.iter().map(|s| (*s).to_owned()).collect()
}

fn yes() -> bool {
    true
}

/// The fields every vendor entry takes besides its type's own.
const COMMON_VENDOR_FIELDS: [&str; 5] = ["type", "category", "lifetime", "privacyUrl", "purpose"];

impl RawConfig {
    fn check(self) -> Result<Config, ConfigErrors> {
        let mut errors = Vec::new();
        self.check_languages(&mut errors);
        self.check_texts(&mut errors);
        check_url("policy.url", &self.policy.url, &mut errors);
        let vendors = self.check_vendors(&mut errors);
        if !errors.is_empty() {
            return Err(ConfigErrors(errors));
        }
        let default_language = self.default_language.clone().unwrap_or_else(|| self.languages[0].clone());
        Ok(Config {
            revision: self.revision,
            languages: self.languages,
            default_language,
            language: self.language,
            ui: self.ui,
            policy: self.policy,
            consent: self.consent,
            storage: self.storage,
            reload_on_withdraw: self.reload_on_withdraw,
            vendors,
            texts: self.texts,
        })
    }

    fn check_languages(&self, errors: &mut Vec<ConfigError>) {
        if self.languages.is_empty() {
            errors.push(ConfigError::at("languages", "is empty; list at least one language, like [\"lv\", \"ru\", \"en\"]"));
        }
        for (i, lang) in self.languages.iter().enumerate() {
            let valid = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
            if !valid {
                errors.push(ConfigError::at(
                    format!("languages[{i}]"),
                    format!("'{lang}' is not a language code; use two lower-case letters, like \"lv\""),
                ));
            }
        }
        for (field, lang) in [("defaultLanguage", &self.default_language), ("language", &self.language)] {
            if let Some(lang) = lang {
                if !self.languages.contains(lang) {
                    errors.push(ConfigError::at(
                        field,
                        format!("'{lang}' is not in `languages`; add it there or pick one of {:?}", self.languages),
                    ));
                }
            }
        }
        if let Some(mirror) = &self.storage.cookie {
            let valid = !mirror.name.is_empty() && mirror.name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
            if !valid {
                errors.push(ConfigError::at(
                    "storage.cookie.name",
                    format!("'{}' is not a cookie name; use letters, digits, '-', '_' or '.'", mirror.name),
                ));
            }
        }
    }

    fn check_texts(&self, errors: &mut Vec<ConfigError>) {
        for (lang, texts) in &self.texts {
            for (name, text) in texts {
                let path = format!("texts.{lang}.{name}");
                if Key::from_name(name).is_none() {
                    let known: Vec<_> = Key::ALL.iter().map(|k| k.name()).collect();
                    errors.push(ConfigError::at(&path, format!("is not a text the banner shows; the texts are {}", known.join(", "))));
                } else if text.contains('<') {
                    errors.push(ConfigError::at(&path, "contains '<': texts are shown as plain text, never as HTML; remove the markup"));
                }
            }
        }
        for lang in &self.languages {
            if i18n::BUILT_IN.contains(&lang.as_str()) {
                continue;
            }
            let given = self.texts.get(lang);
            for key in Key::ALL {
                if !given.is_some_and(|t| t.contains_key(key.name())) {
                    errors.push(ConfigError::at(
                        format!("texts.{lang}.{}", key.name()),
                        format!("is missing; '{lang}' has no built-in texts, so every text must be given for it"),
                    ));
                }
            }
        }
    }

    fn check_vendors(&self, errors: &mut Vec<ConfigError>) -> Vec<VendorEntry> {
        let mut entries: Vec<VendorEntry> = Vec::new();
        for (i, fields) in self.vendors.iter().enumerate() {
            let path = format!("vendors[{i}]");
            match vendor_entry(fields.clone(), &path) {
                Ok(entry) => {
                    let duplicate = entries.iter().any(|e| e.tag.kind() == entry.tag.kind() && e.tag.id() == entry.tag.id());
                    if duplicate {
                        errors.push(ConfigError::at(
                            &path,
                            format!("{} '{}' is listed twice; remove one of the two entries", entry.tag.kind(), entry.tag.id()),
                        ));
                    }
                    entries.push(entry);
                }
                Err(mut errs) => errors.append(&mut errs),
            }
        }
        entries
    }
}

/// Builds one vendor entry: the common fields here, the type's own in its module.
fn vendor_entry(mut fields: Map<String, Value>, path: &str) -> Result<VendorEntry, Vec<ConfigError>> {
    let kind = match fields.remove("type") {
        Some(Value::String(kind)) => kind,
        Some(_) | None => {
            let kinds: Vec<_> = REGISTRY.iter().map(|t| t.kind).collect();
            return Err(vec![ConfigError::at(format!("{path}.type"), format!("is missing; set it to one of {}", kinds.join(", ")))]);
        }
    };
    let Some(vendor_type) = vendors::vendor_type(&kind) else {
        let kinds: Vec<_> = REGISTRY.iter().map(|t| t.kind).collect();
        return Err(vec![ConfigError::at(
            format!("{path}.type"),
            format!("'{kind}' is not a vendor type; use one of {}", kinds.join(", ")),
        )]);
    };
    let mut common: Map<String, Value> = COMMON_VENDOR_FIELDS
        .iter()
        .filter_map(|name| fields.remove(*name).map(|v| ((*name).to_owned(), v)))
        .collect();
    let mut errors = Vec::new();
    let tag = (vendor_type.build)(fields).map_err(|e| {
        let field = if e.field.is_empty() { String::new() } else { format!(".{}", e.field) };
        errors.push(ConfigError::at(format!("{path}{field}"), e.message));
    });
    let lifetime = declared_lifetime(common.remove("lifetime"))
        .map_err(|why| errors.push(ConfigError::at(format!("{path}.lifetime"), why)));
    let disclosure: Result<Disclosure, _> = serde_json::from_value(Value::Object(common));
    let disclosure = disclosure.map_err(|e| {
        let text = e.to_string();
        let field = text.split('`').nth(1).map(|f| format!(".{f}")).unwrap_or_default();
        errors.push(ConfigError::at(format!("{path}{field}"), text));
    });
    let (Ok(tag), Ok(disclosure), Ok(lifetime)) = (tag, disclosure, lifetime) else { return Err(errors) };

    let category = match (disclosure.category.as_deref(), tag.default_category()) {
        (Some(name), _) => match Category::parse(name) {
            Some(Category::Necessary) => Err("'necessary' needs no consent, so a tag there would be loaded without asking; use analytics or marketing"),
            Some(c) => Ok(c),
            None => Err("is not a category; use analytics or marketing"),
        },
        (None, Some(c)) => Ok(c),
        (None, None) => Err("is missing; say whether this tag is analytics or marketing"),
    };
    let category = category.map_err(|why| errors.push(ConfigError::at(format!("{path}.category"), why)));
    let privacy_url = disclosure.privacy_url.or(tag.default_privacy_url().map(str::to_owned));
    let privacy_url = match privacy_url {
        Some(url) if is_http_url(&url) => Ok(url),
        Some(url) => Err(format!("'{url}' is not an http(s) address")),
        None => Err("is missing; give the address of this vendor's privacy notice".to_owned()),
    };
    let privacy_url = privacy_url.map_err(|why| errors.push(ConfigError::at(format!("{path}.privacyUrl"), why)));
    let (Ok(category), Ok(privacy_url)) = (category, privacy_url) else { return Err(errors) };
    Ok(VendorEntry { tag, category, lifetime, privacy_url, purpose: disclosure.purpose })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Disclosure {
    category: Option<String>,
    privacy_url: Option<String>,
    purpose: Option<Localized>,
}

/// The cookie lifetime the policy declares for a vendor: required, since the
/// library enforces it.
fn declared_lifetime(value: Option<Value>) -> Result<Lifetime, String> {
    match value {
        Some(Value::String(text)) => Lifetime::parse(&text).map_err(|e| format!("\"{text}\" {e}")),
        Some(other) => Err(format!("{other} is not a lifetime; write it in quotes, like \"180 days\"")),
        None => Err("is missing; copy the cookie lifetime from the cookie policy, like \"13 months\"".to_owned()),
    }
}

fn is_http_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}

fn check_url(path: &str, url: &Localized, errors: &mut Vec<ConfigError>) {
    let urls: Vec<(String, &str)> = match url {
        Localized::One(u) => vec![(path.to_owned(), u.as_str())],
        Localized::PerLanguage(map) => map.iter().map(|(l, u)| (format!("{path}.{l}"), u.as_str())).collect(),
    };
    for (path, u) in urls {
        if !is_http_url(u) && !u.starts_with('/') {
            errors.push(ConfigError::at(path, format!("'{u}' is not an http(s) address or a path on this site starting with /")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{
        "policy": {"url": "/cookies", "edition": "2024-05-01"},
        "vendors": [{"type": "ga4", "measurementId": "G-TEST123", "lifetime": "180 days"}]
    }"#;

    fn errors(text: &str) -> Vec<String> {
        Config::from_json(text).map(|_| Vec::new()).unwrap_or_else(|e| e.0.iter().map(|e| e.to_string()).collect())
    }

    #[test]
    fn a_minimal_config_gets_the_defaults() {
        let c = Config::from_json(MINIMAL).unwrap();
        assert_eq!(c.languages, ["lv", "ru", "en"]);
        assert_eq!(c.default_language, "lv");
        assert_eq!(c.consent, ConsentLifetimes::default());
        assert_eq!(c.storage.key, "consent-gate");
        assert!(c.reload_on_withdraw);
        assert_eq!(c.vendors[0].category, Category::Analytics);
        assert_eq!(c.vendors[0].privacy_url, "https://policies.google.com/privacy");
        assert_eq!(c.vendors[0].lifetime, Lifetime::days(180));
    }

    #[test]
    fn the_demo_config_is_valid() {
        let text = include_str!("../../www/consent.json");
        let c = Config::from_json(text).unwrap_or_else(|e| panic!("{e}"));
        let kinds: Vec<_> = c.vendors.iter().map(|v| v.tag.kind()).collect();
        for kind in ["ga4", "google-ads", "google-marketing-platform", "facebook-pixel", "criteo", "adform"] {
            assert!(kinds.contains(&kind), "the demo configures {kind}");
        }
    }

    #[test]
    fn json_syntax_errors_give_line_and_column() {
        assert_eq!(errors("{\n  \"policy\": ,\n}"), ["line 2, column 13: expected value"]);
    }

    #[test]
    fn unknown_top_level_keys_are_refused() {
        let text = MINIMAL.replacen('{', "{\"vendor\": [],", 1);
        let errs = errors(&text);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].contains("unknown field `vendor`"), "{errs:?}");
    }

    #[test]
    fn every_vendor_problem_is_reported_with_its_path() {
        let text = r#"{
            "policy": {"url": "/cookies", "edition": "1"},
            "vendors": [
                {"type": "ga4", "measurementId": "UA-12345-1", "lifetime": "180 days"},
                {"type": "facebook-pixel", "pixelId": "123456789012345", "lifetime": "0 days"},
                {"type": "criteo", "accountId": "12345", "lifetime": "1 year", "category": "necessary"},
                {"type": "tiktok", "lifetime": "1 year"},
                {"type": "adform", "trackingPointId": "1234567", "lifetime": "60 days", "privacyUrl": "ftp://x"},
                {"type": "script", "name": "Hotjar", "src": "https://static.hotjar.com/c/hotjar.js", "lifetime": "1 year", "privacyUrl": "https://www.hotjar.com/privacy"}
            ]
        }"#;
        let errs = errors(text);
        assert_eq!(errs.len(), 6, "{errs:#?}");
        assert_eq!(errs[0], "vendors[0].measurementId: 'UA-12345-1' is a retired Universal Analytics id; GA4 ids look like G-XXXXXXXXXX");
        assert!(errs[1].starts_with("vendors[1].lifetime: \"0 days\" is zero"), "{}", errs[1]);
        assert!(errs[2].starts_with("vendors[2].category: 'necessary' needs no consent"), "{}", errs[2]);
        assert!(errs[3].starts_with("vendors[3].type: 'tiktok' is not a vendor type"), "{}", errs[3]);
        assert_eq!(errs[4], "vendors[4].privacyUrl: 'ftp://x' is not an http(s) address");
        assert_eq!(errs[5], "vendors[5].category: is missing; say whether this tag is analytics or marketing");
    }

    #[test]
    fn duplicate_vendors_are_refused() {
        let text = MINIMAL.replace(
            "\"vendors\": [",
            "\"vendors\": [{\"type\": \"ga4\", \"measurementId\": \"G-TEST123\", \"lifetime\": \"180 days\"},",
        );
        assert_eq!(errors(&text), ["vendors[1]: ga4 'G-TEST123' is listed twice; remove one of the two entries"]);
    }

    #[test]
    fn texts_are_never_html_and_new_languages_need_all_texts() {
        let text = MINIMAL.replacen(
            '{',
            r#"{"languages": ["lv", "de"], "texts": {"lv": {"acceptAll": "<b>Jā</b>", "acceptAl": "x"}, "de": {"acceptAll": "Alle akzeptieren"}},"#,
            1,
        );
        let errs = errors(&text);
        assert!(errs.contains(&"texts.lv.acceptAll: contains '<': texts are shown as plain text, never as HTML; remove the markup".to_owned()), "{errs:#?}");
        assert!(errs.iter().any(|e| e.starts_with("texts.lv.acceptAl: is not a text")), "{errs:#?}");
        assert!(errs.contains(&"texts.de.rejectAll: is missing; 'de' has no built-in texts, so every text must be given for it".to_owned()));
        assert!(!errs.iter().any(|e| e.starts_with("texts.de.acceptAll")));
    }

    #[test]
    fn policy_links_must_be_http_or_site_paths() {
        let text = MINIMAL.replace("\"/cookies\"", "{\"lv\": \"javascript:alert(1)\", \"en\": \"https://example.lv/en/cookies\"}");
        assert_eq!(errors(&text), ["policy.url.lv: 'javascript:alert(1)' is not an http(s) address or a path on this site starting with /"]);
    }

    #[test]
    fn the_default_language_must_be_enabled() {
        let text = MINIMAL.replacen('{', r#"{"languages": ["lv"], "defaultLanguage": "en","#, 1);
        assert_eq!(errors(&text).len(), 1);
    }
}
