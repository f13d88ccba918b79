//! consent.json: the site's categories, vendors, texts and settings.
//!
//! Checking is strict and collects every problem it finds, each with the JSON
//! path of the field at fault, its line and column, and a sentence on how to
//! fix it, so the people who edit the file can act on the message without a
//! developer. The text is parsed once into a `json::Value`; a span scan of the
//! same text gives every path its position.

mod address;
mod check;
mod fields;
mod rules;
#[cfg(not(target_arch = "wasm32"))]
mod schema_mirror;
#[cfg(test)]
mod tests;
mod vendor_rules;

pub use address::{is_domain_name, is_http_url, visible, web_address_problem, AddressProblem};
pub use fields::{COMMON_VENDOR_FIELDS, TOP_LEVEL_FIELDS};
#[cfg(not(target_arch = "wasm32"))]
pub use schema_mirror::ConfigFile;

use super::category::Category;
use super::i18n::{self, TextMap, Texts};
use super::json;
use super::lifetime::Lifetime;
use crate::vendors::Vendor;
use check::{syntax_error, unreadable_file, Check, NOT_UTF8};
use rules::check_file;
#[cfg(not(target_arch = "wasm32"))]
use serde::Deserialize;
use std::fmt;

/// One problem in the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Where: a JSON path like `vendors[2].measurementId` (empty: the whole file).
    pub path: String,
    /// Line and column (1-based) of the field at fault, or of the object that
    /// lacks a required field.
    pub position: Option<(usize, usize)>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl ConfigError {
    /// The error without its position: `path: message`.
    pub fn describe(&self) -> String {
        if self.path.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.path, self.message)
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.position {
            write!(f, "line {line}, column {column}: ")?;
        }
        f.write_str(&self.describe())
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize, schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(untagged))]
pub enum Localized {
    /// The same text in every language.
    One(String),
    /// The text per language code, like {"lv": "…", "en": "…"}.
    PerLanguage(TextMap),
}

impl Localized {
    pub fn get(&self, lang: &str) -> Option<&str> {
        match self {
            Localized::One(s) => Some(s),
            Localized::PerLanguage(map) => map.get(lang),
        }
    }
}

/// The site's cookie policy.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize, schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct Policy {
    /// The cookie policy page, once or per language: an http(s) address or a
    /// path on this site starting with /.
    pub url: Localized,
    /// The edition of the policy in force, as it is dated on the page.
    pub edition: String,
}

/// How long a visitor's choice is kept before they are asked again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize, schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields, rename_all = "camelCase"))]
pub struct ConsentLifetimes {
    /// How long a grant is kept before the visitor is asked again.
    #[cfg_attr(not(target_arch = "wasm32"), serde(default = "six_months"))]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(schema_with = "crate::core::schema::lifetime"))]
    pub grant: Lifetime,
    /// How long a refusal is kept.
    #[cfg_attr(not(target_arch = "wasm32"), serde(default = "six_months"))]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(schema_with = "crate::core::schema::lifetime"))]
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

/// Where the choice is kept in the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize, schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields, rename_all = "camelCase"))]
pub struct StorageSettings {
    /// The localStorage key the record is kept under.
    #[cfg_attr(not(target_arch = "wasm32"), serde(default = "default_storage_key"))]
    pub key: String,
    /// A first-party cookie that mirrors the record, so the site's server can read it.
    #[cfg_attr(not(target_arch = "wasm32"), serde(default))]
    pub cookie: Option<CookieMirror>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize, schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields, rename_all = "camelCase"))]
pub struct CookieMirror {
    /// The cookie's name: letters, digits, '-', '_' or '.'.
    pub name: String,
    /// The domain to set it on (e.g. "example.lv" to share it with subdomains);
    /// none: this host only.
    #[cfg_attr(not(target_arch = "wasm32"), serde(default))]
    pub domain: Option<String>,
}

/// Options of the visible interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize, schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields, rename_all = "camelCase"))]
pub struct UiSettings {
    /// A small floating button that reopens the settings after a choice.
    #[cfg_attr(not(target_arch = "wasm32"), serde(default))]
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
/// `Debug` on the host only: see `vendors::HostDebug`.
#[cfg_attr(not(target_arch = "wasm32"), derive(Debug))]
pub struct VendorEntry {
    pub tag: Box<dyn Vendor>,
    pub category: Category,
    pub lifetime: Lifetime,
    pub privacy_url: String,
    pub purpose: Option<Localized>,
}

/// A checked config. `Debug` on the host only: see `vendors::HostDebug`.
#[cfg_attr(not(target_arch = "wasm32"), derive(Debug))]
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
    texts: TextsByLanguage,
}

/// The config's own texts per language. A list, not a map: a site has a few
/// languages, and a BTreeMap with these values would add its own copy of the
/// tree code to the wasm.
type TextsByLanguage = Vec<(String, TextMap)>;

impl Config {
    /// The texts for `lang` (one of `languages`).
    pub fn texts(&self, lang: &str) -> Texts {
        let own = self.texts.iter().find(|(l, _)| l == lang).map(|(_, texts)| texts.clone());
        Texts::new(lang, own.unwrap_or_default())
    }

    pub fn policy_url(&self, lang: &str) -> &str {
        self.policy.url.get(lang).or_else(|| self.policy.url.get(&self.default_language)).unwrap_or_default()
    }

    /// Parses and checks consent.json text, collecting every problem (the
    /// first [`MAX_LISTED_PROBLEMS`] in the order of the text). A leading
    /// byte order mark is dropped, as browsers drop it from a fetched file.
    pub fn from_json(text: &str) -> Result<Config, ConfigErrors> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        if let Some(problem) = unreadable_file(text) {
            return Err(ConfigErrors(vec![ConfigError {
                path: String::new(),
                position: Some((1, 1)),
                message: problem,
            }]));
        }
        let (value, repeated_keys) =
            json::parse_noting_duplicates(text).map_err(|e| ConfigErrors(vec![syntax_error(&e)]))?;
        let mut check = Check::new(text);
        if let Some(at) = text.find(char::REPLACEMENT_CHARACTER) {
            check.push_at(String::new(), json::position_at(text, at), NOT_UTF8.to_owned());
        }
        if repeated_keys {
            check.report_repeated_keys();
        }
        let config = check_file(value, &mut check);
        match config {
            Some(config) if check.errors.is_empty() => Ok(config),
            _ => Err(ConfigErrors(check.finish())),
        }
    }
}

/// The largest config read, in bytes. A consent.json with hundreds of vendors
/// is well under 100 KB; the cap keeps a runaway file from blocking the page.
pub const MAX_CONFIG_BYTES: usize = 1_000_000;

/// The most languages a site may list. Every text given per language is
/// checked in each of them, so the cap also bounds the problems per text.
pub const MAX_LANGUAGES: usize = 50;

/// The most problems listed at once, the first in the text: more would
/// bury the first ones, and a runaway file could have millions.
pub const MAX_LISTED_PROBLEMS: usize = 100;

/// A config file's bytes as a browser reads the fetched file (what
/// `Response.text()` gives): UTF-8, with each invalid sequence as U+FFFD,
/// which [`Config::from_json`] then reports. The checker reads files so, and
/// the browser and it agree on every file.
#[cfg(not(target_arch = "wasm32"))]
pub fn text_of_file(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

fn default_languages() -> Vec<String> {
    i18n::BUILT_IN.iter().map(|s| (*s).to_owned()).collect()
}
