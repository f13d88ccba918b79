//! consent.json: the site's categories, vendors, texts and settings.
//!
//! Checking is strict. [`Config::from_json`] collects every problem it finds,
//! each with the JSON path of the field at fault, its line and column, and a
//! sentence on how to fix it, so the people who edit the file can act on the
//! message without a developer. [`Config::accept_json`] applies the same
//! rules and only says whether the file passes: what every page needs, with
//! none of the messages in its wasm.
//!
//! The parts: the model (here), the rules (`rules`, `vendor_rules`) and what
//! they report to (`check`, `diagnostics`), the field names (`fields`), web
//! addresses (`address`), and the serde mirror for the JSON Schema
//! (`schema_mirror`, host only).

mod address;
mod check;
mod diagnostics;
mod fields;
mod messages;
mod path;
mod rules;
#[cfg(not(target_arch = "wasm32"))]
mod schema_mirror;
#[cfg(test)]
mod tests;
mod vendor_rules;

pub use address::{is_domain_name, is_http_url, visible, web_address_problem, AddressProblem};
pub use diagnostics::{has_problems, ConfigError, ConfigErrors};
pub use fields::{
    COMMON_VENDOR_FIELDS, CONSENT_FIELDS, COOKIE_MIRROR_FIELDS, POLICY_FIELDS, RECEIPTS_FIELDS, STORAGE_FIELDS,
    TOP_LEVEL_FIELDS, UI_FIELDS,
};
pub use messages::{has_problems_in, in_lang, translate, Lang};
#[cfg(not(target_arch = "wasm32"))]
pub use schema_mirror::ConfigFile;

use super::category::Category;
use super::i18n::{self, TextMap, Texts};
use super::lifetime::Lifetime;
use crate::vendors::Vendor;
use check::Verdict;
use diagnostics::Diagnostics;
#[cfg(not(target_arch = "wasm32"))]
use serde::Deserialize;

/// consent.json breaks a rule of the checker; [`Config::from_json`] says
/// which, where, and how to fix it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rejected;

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
    #[cfg_attr(not(target_arch = "wasm32"), schemars(schema_with = "crate::core::schema::policy_url"))]
    pub url: Localized,
    /// The edition of the policy in force, as it is dated on the page.
    pub edition: String,
}

/// Where each decision's receipt is sent, so the site keeps proof of consent
/// (the collector: `consent-gate-collector`). Off when absent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize, schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct Receipts {
    /// The collector's address: a path on this site starting with /, like
    /// "/consent/receipts", or an https address (then allow it in the CSP's
    /// connect-src, and the collector must allow this site's origin).
    #[cfg_attr(not(target_arch = "wasm32"), schemars(schema_with = "crate::core::schema::receipts_url"))]
    pub url: String,
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
    #[cfg_attr(not(target_arch = "wasm32"), schemars(regex(pattern = crate::core::schema::COOKIE_NAME_PATTERN)))]
    pub key: String,
    /// A first-party cookie that mirrors the record, so the site's server can read it.
    // Left out, not `null`, when there is none: the checker refuses `null`.
    #[cfg_attr(not(target_arch = "wasm32"), serde(default))]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "CookieMirror"))]
    pub cookie: Option<CookieMirror>,
}

/// A first-party cookie holding a copy of the record for the site's server
/// (never read back as consent).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize, schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields, rename_all = "camelCase"))]
pub struct CookieMirror {
    /// The cookie's name: letters, digits, '-', '_' or '.'.
    #[cfg_attr(not(target_arch = "wasm32"), schemars(regex(pattern = crate::core::schema::COOKIE_NAME_PATTERN)))]
    pub name: String,
    /// The domain to set it on (e.g. "example.lv" to share it with subdomains);
    /// none: this host only.
    #[cfg_attr(not(target_arch = "wasm32"), serde(default))]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(with = "String", regex(pattern = crate::core::schema::DOMAIN_PATTERN)))]
    pub domain: Option<String>,
}

/// Options of the visible interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize, schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields, rename_all = "camelCase"))]
pub struct UiSettings {
    /// A small floating button that reopens the settings after a choice.
    #[cfg_attr(not(target_arch = "wasm32"), serde(default))]
    pub floating_button: bool,
    /// The viewport corner the floating button sits in (default "bottom-left").
    #[cfg_attr(not(target_arch = "wasm32"), serde(default))]
    pub floating_button_corner: Corner,
    /// The floating button's distance from the corner's two edges, in CSS
    /// pixels, 0 to 200 (default 16).
    #[cfg_attr(not(target_arch = "wasm32"), serde(default = "default_floating_offset"))]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(range(max = 200)))]
    pub floating_button_offset: u32,
    /// The colours of the bar, the dialog and the floating button: "light"
    /// (the default), "dark", or "auto" to follow the visitor's system.
    #[cfg_attr(not(target_arch = "wasm32"), serde(default))]
    pub theme: Theme,
}

impl Default for UiSettings {
    fn default() -> Self {
        UiSettings {
            floating_button: false,
            floating_button_corner: Corner::default(),
            floating_button_offset: DEFAULT_FLOATING_OFFSET,
            theme: Theme::default(),
        }
    }
}

/// The floating button's default distance from its corner, in CSS pixels.
pub const DEFAULT_FLOATING_OFFSET: u32 = 16;
/// The largest distance from its corner the floating button may be given.
pub const MAX_FLOATING_OFFSET: u32 = 200;

#[cfg(not(target_arch = "wasm32"))]
fn default_floating_offset() -> u32 {
    DEFAULT_FLOATING_OFFSET
}

/// A corner of the viewport.
// Serialize on the host: the schema states the default through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize, serde::Serialize, schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(rename_all = "kebab-case"))]
pub enum Corner {
    #[default]
    BottomLeft,
    BottomRight,
    TopLeft,
    TopRight,
}

impl Corner {
    pub const ALL: [Corner; 4] = [Corner::BottomLeft, Corner::BottomRight, Corner::TopLeft, Corner::TopRight];

    /// Its name in the config, which is also its CSS class suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            Corner::BottomLeft => "bottom-left",
            Corner::BottomRight => "bottom-right",
            Corner::TopLeft => "top-left",
            Corner::TopRight => "top-right",
        }
    }
}

/// The interface's colours.
// Serialize on the host: the schema states the default through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize, serde::Serialize, schemars::JsonSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(rename_all = "lowercase"))]
pub enum Theme {
    // Light, whatever the system's scheme: most sites are light.
    #[default]
    Light,
    Dark,
    // The visitor's system scheme (`prefers-color-scheme`).
    Auto,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::Auto];

    /// Its name in the config.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }

    /// The classes every element of ours carries for its colours.
    pub fn classes(self) -> &'static str {
        match self {
            Theme::Light => "cg-theme cg-theme--light",
            Theme::Dark => "cg-theme cg-theme--dark",
            Theme::Auto => "cg-theme cg-theme--auto",
        }
    }
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
    pub receipts: Option<Receipts>,
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
        Config::from_json_in(text, Lang::En)
    }

    /// As [`Config::from_json`], the messages in `lang` (marketing staff read
    /// them in Latvian or Russian as well as English).
    pub fn from_json_in(text: &str, lang: Lang) -> Result<Config, ConfigErrors> {
        let text = without_byte_order_mark(text);
        rules::check_text(text, Diagnostics::new(text, lang))
    }

    /// Parses and checks consent.json text by the same rules as
    /// [`Config::from_json`], giving the same `Config` for a file it accepts,
    /// but only [`Rejected`] for one it refuses. It writes no message,
    /// position or suggestion, so a wasm that calls only this one carries
    /// none of them; `from_json` tells the people who edit the file what to fix.
    pub fn accept_json(text: &str) -> Result<Config, Rejected> {
        rules::check_text(without_byte_order_mark(text), Verdict::default())
    }
}

fn without_byte_order_mark(text: &str) -> &str {
    text.strip_prefix('\u{FEFF}').unwrap_or(text)
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
