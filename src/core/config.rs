//! consent.json: the site's categories, vendors, texts and settings.
//!
//! Checking is strict and collects every problem it finds, each with the JSON
//! path of the field at fault, its line and column, and a sentence on how to
//! fix it, so the people who edit the file can act on the message without a
//! developer. The text is parsed once into a `json::Value`; a span scan of the
//! same text gives every path its position.

use super::category::Category;
use super::i18n::{self, Key, TextMap, Texts};
use super::json::{self, Object, Value};
use super::json_spans::{member, Position, Spans};
use super::lifetime::Lifetime;
use super::own_names;
use super::suggest::closest;
use crate::vendors::{self, CookieName, Vendor, REGISTRY};
#[cfg(not(target_arch = "wasm32"))]
use serde::Deserialize;
#[cfg(not(target_arch = "wasm32"))]
use std::collections::BTreeMap;
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

const NOT_UTF8: &str = "contains the character \u{FFFD}, which is left where a file was not saved as UTF-8 \
    (or where a character was lost); save the file as UTF-8 and retype the characters here";

/// A config file's bytes as a browser reads the fetched file (what
/// `Response.text()` gives): UTF-8, with each invalid sequence as U+FFFD,
/// which [`Config::from_json`] then reports. The checker reads files so, and
/// the browser and it agree on every file.
#[cfg(not(target_arch = "wasm32"))]
pub fn text_of_file(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// Why the file cannot be read at all: empty, or over the size cap.
fn unreadable_file(text: &str) -> Option<String> {
    if text.len() > MAX_CONFIG_BYTES {
        return Some(
            "the file is larger than 1 MB (1000000 bytes), the most consent-gate reads; a consent.json with \
             hundreds of vendors is well under 100 KB, so keep only the site's vendors, texts and settings in it"
                .to_owned(),
        );
    }
    if text.trim().is_empty() {
        return Some(
            "the file is empty; it must hold one JSON object, like {\"policy\": {…}, \"vendors\": […]}".to_owned(),
        );
    }
    None
}

// The whole file as it is written; its JSON Schema is generated from this
// type. Reading goes field by field (see `check_file`), so that every problem
// is found, not only the first.
/// consent-gate's config: the site's vendors, their cookie lifetimes, the
/// cookie policy and the texts visitors read. Check it with
/// `consent-gate check consent.json`.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(title = "consent-gate config (consent.json)")]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConfigFile {
    /// The JSON Schema of this file, for editors: "consent.schema.json".
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// Raise by hand when the policy text changes, to ask every visitor again.
    #[serde(default)]
    pub revision: u32,
    /// The languages the site is shown in; lv, ru and en have built-in texts.
    #[serde(default = "default_languages")]
    #[schemars(schema_with = "crate::core::schema::languages")]
    pub languages: Vec<String>,
    /// The language used when the page's and the browser's are not enabled
    /// (default: the first of `languages`).
    #[serde(default)]
    #[schemars(schema_with = "crate::core::schema::language")]
    pub default_language: Option<String>,
    /// A language forced by the site, over `<html lang>` and the browser's.
    #[serde(default)]
    #[schemars(schema_with = "crate::core::schema::language")]
    pub language: Option<String>,
    #[serde(default)]
    pub ui: UiSettings,
    pub policy: Policy,
    #[serde(default)]
    pub consent: ConsentLifetimes,
    #[serde(default)]
    pub storage: StorageSettings,
    /// Reload the page when a visitor withdraws a category whose tags ran
    /// (a script cannot be unloaded).
    #[serde(default = "yes")]
    pub reload_on_withdraw: bool,
    /// The site's vendors, each with its `type`.
    #[schemars(schema_with = "crate::core::schema::vendors")]
    pub vendors: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Texts per language, overriding the built-in ones by name.
    #[serde(default)]
    #[schemars(schema_with = "crate::core::schema::texts")]
    pub texts: BTreeMap<String, BTreeMap<String, String>>,
}

fn default_languages() -> Vec<String> {
    i18n::BUILT_IN.iter().map(|s| (*s).to_owned()).collect()
}

#[cfg(not(target_arch = "wasm32"))]
fn yes() -> bool {
    true
}

/// The fields of the file's top level.
pub const TOP_LEVEL_FIELDS: [&str; 12] = [
    "$schema",
    "revision",
    "languages",
    "defaultLanguage",
    "language",
    "ui",
    "policy",
    "consent",
    "storage",
    "reloadOnWithdraw",
    "vendors",
    "texts",
];
const POLICY_FIELDS: [&str; 2] = ["url", "edition"];
const CONSENT_FIELDS: [&str; 2] = ["grant", "refusal"];
const STORAGE_FIELDS: [&str; 2] = ["key", "cookie"];
const COOKIE_MIRROR_FIELDS: [&str; 2] = ["name", "domain"];
const UI_FIELDS: [&str; 1] = ["floatingButton"];

/// The fields every vendor entry takes besides its type's own.
pub const COMMON_VENDOR_FIELDS: [&str; 5] = ["type", "category", "lifetime", "privacyUrl", "purpose"];

/// A JSON syntax error, with its position and a hint in plain words.
fn syntax_error(e: &json::SyntaxError) -> ConfigError {
    let what = e.message;
    let hint = if what == "trailing comma" {
        "remove the comma after the last item"
    } else if what.starts_with("EOF") {
        "the file ends too early; a closing }, ] or \" is missing"
    } else if what.starts_with("expected `,` or") {
        "a comma is missing between two items, or a bracket is not closed"
    } else if what == "key must be a string" {
        "field names need double quotes, like \"type\""
    } else if what == "expected value" {
        "a value is missing or misspelt here; text needs double quotes, and true, false and null are lower-case"
    } else if what.starts_with("control character") {
        "a line break or tab inside quotes; keep each text on one line"
    } else {
        "this is not valid JSON"
    };
    ConfigError { path: String::new(), position: Some((e.line, e.column)), message: format!("{what}; {hint}") }
}

/// A field's value read as a Rust type; `None` when it is of another kind.
trait FromJson: Sized {
    fn from_json(value: Value) -> Option<Self>;
}

impl FromJson for String {
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Option<Self> {
        value.as_bool()
    }
}

impl FromJson for u32 {
    fn from_json(value: Value) -> Option<Self> {
        value.as_i64().and_then(|n| u32::try_from(n).ok())
    }
}

impl FromJson for Value {
    fn from_json(value: Value) -> Option<Self> {
        Some(value)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::from_json(other).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::Array(items) => items.into_iter().map(T::from_json).collect(),
            _ => None,
        }
    }
}

/// The problems found so far, and where each path sits in the text.
struct Check<'a> {
    text: &'a str,
    /// Scanned at the first problem: a valid config never needs it.
    spans: Option<Spans>,
    /// The first problems in the order of the text (and, at one place, in
    /// the order found), at most `MAX_LISTED_PROBLEMS`.
    errors: Vec<ConfigError>,
    /// Problems found beyond those listed.
    unlisted: usize,
    /// Misspelt keys read as the field they were meant to be: (meant, written),
    /// outer objects first. Those in a vendor or a language's texts are
    /// dropped once it is read: every problem under them is reported by
    /// then, and keeping them all would make each later problem scan them.
    misspelt: Vec<(String, String)>,
}

impl<'a> Check<'a> {
    fn new(text: &'a str) -> Check<'a> {
        Check { text, spans: None, errors: Vec::new(), unlisted: 0, misspelt: Vec::new() }
    }

    fn spans(&mut self) -> &Spans {
        let text = self.text;
        self.spans.get_or_insert_with(|| Spans::scan(text))
    }

    /// A problem with the value at `path`.
    fn at(&mut self, path: &str, message: impl Into<String>) {
        let path = self.as_written(path);
        let position = self.spans().value(&path);
        self.push_at(path, position, message.into());
    }

    /// A problem with the key of the member at `path`.
    fn at_key(&mut self, path: &str, message: impl Into<String>) {
        let path = self.as_written(path);
        let position = self.spans().key(&path);
        self.push_at(path, position, message.into());
    }

    /// `path` as it is written in the file: under a misspelt key, the
    /// problem is reported where the misspelling is. Inner objects first, so
    /// a misspelling inside a misspelt object is rewritten too.
    fn as_written(&self, path: &str) -> String {
        let mut path = path.to_owned();
        for (meant, written) in self.misspelt.iter().rev() {
            if let Some(rest) = path.strip_prefix(meant.as_str()).filter(|r| r.is_empty() || r.starts_with(['.', '[']))
            {
                path = format!("{written}{rest}");
            }
        }
        path
    }

    /// Whether a problem at `position` would be listed.
    fn lists(&self, position: Position) -> bool {
        self.errors.len() < MAX_LISTED_PROBLEMS || self.errors.last().is_some_and(|e| e.position > Some(position))
    }

    /// Keeps the first problems in the order of the text (and, at one place,
    /// in the order found); a problem pushed out, or found past the last
    /// listed once the list is full, is counted.
    fn push_at(&mut self, path: String, position: Position, message: String) {
        if !self.lists(position) {
            self.unlisted += 1;
            return;
        }
        let at = self.errors.partition_point(|e| e.position <= Some(position));
        self.errors.insert(at, ConfigError { path, position: Some(position), message });
        if self.errors.len() > MAX_LISTED_PROBLEMS {
            self.errors.pop();
            self.unlisted += 1;
        }
    }

    /// Keys written twice in one object. Each path is built only when listed.
    fn report_repeated_keys(&mut self) {
        let spans = Spans::scan(self.text);
        for repeated in spans.repeated_keys() {
            if self.lists(repeated.position) {
                let message = "is written twice in the same place; only one can count, so remove the other";
                self.push_at(spans.path_of(repeated), repeated.position, message.to_owned());
            } else {
                self.unlisted += 1;
            }
        }
        self.spans = Some(spans);
    }

    /// The problems listed, and a last line counting those that are not.
    fn finish(mut self) -> Vec<ConfigError> {
        if self.unlisted > 0 {
            let position = self.errors.last().and_then(|e| e.position).unwrap_or((1, 1));
            let mut message = String::from("and ");
            json::push_int(&mut message, i64::try_from(self.unlisted).unwrap_or(i64::MAX));
            message.push_str(" more problems not listed; fix the ones above and check the file again");
            self.errors.push(ConfigError { path: String::new(), position: Some(position), message });
        }
        self.errors
    }

    /// Reports and removes every key of `object` that is not in `known`. A
    /// likely typo of a field that is absent is read as that field, so the
    /// typo is not also reported as a missing field.
    fn unknown_keys(&mut self, object: &mut Object, path: &str, known: &[&str]) {
        // In one pass: the object is left with known fields only, so each
        // later lookup in it scans a handful.
        let unknown = object.remove_where(|key| !known.contains(&key));
        for (key, value) in unknown {
            let message = match closest(&key, known.iter().copied()) {
                Some(field) => {
                    if !object.contains_key(field) {
                        object.insert(field.to_owned(), value);
                        self.misspelt.push((member(path, field), member(path, &key)));
                    }
                    format!("is not a known field; did you mean \"{field}\"?")
                }
                None => format!("is not a known field; remove it (the fields here are {})", known.join(", ")),
            };
            self.at_key(&member(path, &key), message);
        }
    }

    /// Reads a value as `T`, or reports that it is not `expected`.
    fn typed<T: FromJson>(&mut self, value: Value, path: &str, expected: &str) -> Option<T> {
        let kind = kind_of(&value);
        match T::from_json(value) {
            Some(v) => Some(v),
            None if kind == "a list" && expected.starts_with("a list") => {
                self.at(path, format!("has an item of the wrong kind; it must be {expected}"));
                None
            }
            None => {
                self.at(path, format!("is {kind}, but must be {expected}"));
                None
            }
        }
    }

    /// Removes and reads the optional field `name` of `object`.
    fn optional<T: FromJson>(&mut self, object: &mut Object, path: &str, name: &str, expected: &str) -> Option<T> {
        let value = object.remove(name)?;
        self.typed(value, &member(path, name), expected)
    }

    /// Removes and reads the required field `name`, reporting it when missing.
    fn required<T: FromJson>(&mut self, object: &mut Object, path: &str, name: &str, expected: &str) -> Option<T> {
        if !object.contains_key(name) {
            self.at(&member(path, name), format!("is missing; add it: {expected}"));
            return None;
        }
        self.optional(object, path, name, expected)
    }

    /// Reads an object's members, reporting a value of another kind.
    fn object(&mut self, value: Value, path: &str, expected: &str) -> Option<Object> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.at(path, format!("is {}, but must be {expected}", kind_of(&other)));
                None
            }
        }
    }
}

/// A JSON value's kind in plain words, for "is X, but must be Y".
fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(n) => format!("the number {}", json::int_text(*n)),
        Value::Decimal(text) => format!("the number {text}"),
        Value::String(s) => format!("the text \"{s}\""),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// Checks the whole file; `None` when a required part could not be read.
fn check_file(value: Value, check: &mut Check) -> Option<Config> {
    let mut root = check.object(value, "", "one JSON object, like {\"policy\": {…}, \"vendors\": […]}")?;
    check.unknown_keys(&mut root, "", &TOP_LEVEL_FIELDS);
    let _schema: Option<Option<String>> = check.optional(&mut root, "", "$schema", "the schema's address in quotes");
    let revision = check.optional(&mut root, "", "revision", "a whole number, like 1").unwrap_or(0);
    let languages = check
        .optional(&mut root, "", "languages", "a list of language codes, like [\"lv\", \"ru\", \"en\"]")
        .unwrap_or_else(default_languages);
    if !at_most_max_languages(&languages, check) {
        // Every text is checked in each language: the rest waits for a shorter list.
        return None;
    }
    let default_language: Option<String> =
        check.optional(&mut root, "", "defaultLanguage", "a language code in quotes, like \"lv\"");
    let language: Option<String> = check.optional(&mut root, "", "language", "a language code in quotes, like \"lv\"");
    check_languages(&languages, [("defaultLanguage", &default_language), ("language", &language)], check);
    let ui = root.remove("ui").map(|v| read_ui(v, check)).unwrap_or_default();
    let policy = root.remove("policy");
    let policy = match policy {
        Some(value) => read_policy(value, &languages, check),
        None => {
            check.at("policy", "is missing; add {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}");
            None
        }
    };
    let consent = root.remove("consent").map(|v| read_consent(v, check)).unwrap_or_default();
    let storage = root.remove("storage").map(|v| read_storage(v, check)).unwrap_or_default();
    let reload_on_withdraw = check.optional(&mut root, "", "reloadOnWithdraw", "true or false").unwrap_or(true);
    let vendors: Option<Vec<Value>> =
        check.required(&mut root, "", "vendors", "a list of vendors, like [{\"type\": \"ga4\", …}], or [] for none");
    let vendors = check_vendors(vendors.unwrap_or_default(), &languages, &storage, check);
    let texts = root.remove("texts").map(|v| read_texts(v, &languages, check)).unwrap_or_default();
    check_required_texts(&texts, &languages, check);

    let default_language = default_language.or_else(|| languages.first().cloned())?;
    Some(Config {
        revision,
        languages,
        default_language,
        language,
        ui,
        policy: policy?,
        consent,
        storage,
        reload_on_withdraw,
        vendors,
        texts,
    })
}

/// Whether at most `MAX_LANGUAGES` languages are listed; reports it if not.
fn at_most_max_languages(languages: &[String], check: &mut Check) -> bool {
    if languages.len() <= MAX_LANGUAGES {
        return true;
    }
    let mut message = String::from("lists ");
    json::push_int(&mut message, i64::try_from(languages.len()).unwrap_or(i64::MAX));
    message
        .push_str(" languages, but a site can be shown in at most 50; keep the languages the site is translated into");
    check.at("languages", message);
    false
}

/// The enabled languages, and the fields naming one of them.
fn check_languages(languages: &[String], chosen: [(&str, &Option<String>); 2], check: &mut Check) {
    if languages.is_empty() {
        check.at("languages", "is empty; list at least one language, like [\"lv\", \"ru\", \"en\"]");
    }
    for (i, lang) in languages.iter().enumerate() {
        let valid = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
        let path = format!("languages[{i}]");
        if !valid {
            check.at(&path, format!("'{lang}' is not a language code; use two lower-case letters, like \"lv\""));
        } else if languages[..i].contains(lang) {
            check.at(&path, format!("'{lang}' is listed twice; remove one"));
        }
    }
    for (field, lang) in chosen {
        if let Some(lang) = lang.as_deref().filter(|l| !languages.iter().any(|e| e == l)) {
            check.at(
                field,
                format!("'{lang}' is not in `languages`; add it there or pick one of {}", languages.join(", ")),
            );
        }
    }
}

/// Checks a language code used as a key: it must be one the site enables.
fn check_language_key(lang: &str, path: &str, languages: &[String], check: &mut Check) -> bool {
    if languages.iter().any(|l| l == lang) {
        return true;
    }
    let hint = match closest(lang, languages.iter().map(String::as_str)) {
        Some(l) => format!("did you mean \"{l}\"?"),
        None => "add it to `languages` or remove this entry".to_owned(),
    };
    check.at_key(path, format!("'{lang}' is not one of the site's languages ({}); {hint}", languages.join(", ")));
    false
}

/// Reads a text given once or per language. Per language, every enabled
/// language needs its translation. `plain_text`: markup is refused.
fn read_localized(
    value: Value,
    path: &str,
    languages: &[String],
    plain_text: bool,
    check: &mut Check,
) -> Option<Localized> {
    const EXPECTED: &str = "text in quotes, or one text per language, like {\"lv\": \"…\", \"en\": \"…\"}";
    let localized = match value {
        Value::String(text) => Localized::One(text),
        Value::Object(map) => {
            let mut texts = TextMap::default();
            let written: Vec<String> = map.keys().cloned().collect();
            for (lang, text) in map {
                let lang_path = member(path, &lang);
                if let (true, Some(text)) = (
                    check_language_key(&lang, &lang_path, languages, check),
                    check.typed::<String>(text, &lang_path, "text in quotes"),
                ) {
                    texts.insert(lang, text);
                }
            }
            for lang in languages {
                if !written.contains(lang) {
                    check.at(
                        &member(path, lang),
                        format!("is missing; the site is shown in '{lang}', so give this text in '{lang}' too"),
                    );
                }
            }
            Localized::PerLanguage(texts)
        }
        other => {
            check.at(path, format!("is {}, but must be {EXPECTED}", kind_of(&other)));
            return None;
        }
    };
    if plain_text {
        check_plain_text(&localized, path, check);
    }
    Some(localized)
}

fn check_plain_text(localized: &Localized, path: &str, check: &mut Check) {
    let texts: Vec<(String, &str)> = match localized {
        Localized::One(text) => vec![(path.to_owned(), text.as_str())],
        Localized::PerLanguage(map) => map.iter().map(|(l, t)| (member(path, l), t)).collect(),
    };
    for (path, text) in texts {
        if text.contains('<') {
            check.at(&path, "contains '<': texts are shown as plain text, never as HTML; remove the markup");
        }
    }
}

fn read_policy(value: Value, languages: &[String], check: &mut Check) -> Option<Policy> {
    let mut fields = check.object(
        value,
        "policy",
        "an object like {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}",
    )?;
    check.unknown_keys(&mut fields, "policy", &POLICY_FIELDS);
    let url = match fields.remove("url") {
        Some(value) => read_localized(value, "policy.url", languages, false, check),
        None => {
            check.at("policy.url", "is missing; give the cookie policy's address, like \"/cookie-policy.html\"");
            None
        }
    };
    if let Some(url) = &url {
        check_policy_url(url, check);
    }
    let edition = check.required(&mut fields, "policy", "edition", "the policy's date in quotes, like \"2024-05-01\"");
    Some(Policy { url: url?, edition: edition? })
}

fn read_consent(value: Value, check: &mut Check) -> ConsentLifetimes {
    let mut lifetimes = ConsentLifetimes::default();
    let Some(mut fields) =
        check.object(value, "consent", "an object like {\"grant\": \"6 months\", \"refusal\": \"6 months\"}")
    else {
        return lifetimes;
    };
    check.unknown_keys(&mut fields, "consent", &CONSENT_FIELDS);
    for (name, slot) in [("grant", &mut lifetimes.grant), ("refusal", &mut lifetimes.refusal)] {
        let path = member("consent", name);
        if let Some(lifetime) = fields.remove(name).and_then(|v| read_lifetime(v, &path, check)) {
            *slot = lifetime;
        }
    }
    lifetimes
}

fn read_storage(value: Value, check: &mut Check) -> StorageSettings {
    let mut storage = StorageSettings::default();
    let Some(mut fields) = check.object(value, "storage", "an object like {\"key\": \"consent-gate\"}") else {
        return storage;
    };
    check.unknown_keys(&mut fields, "storage", &STORAGE_FIELDS);
    if let Some(key) = check.optional::<String>(&mut fields, "storage", "key", "text in quotes, like \"consent-gate\"")
    {
        if key.trim().is_empty() {
            check.at("storage.key", "is empty; give a name like \"consent-gate\"");
        } else if !is_cookie_name(&key) {
            // Where the browser refuses localStorage, the record is kept in a cookie of this name.
            check.at(
                "storage.key",
                format!("'{key}' cannot be a cookie name, which it becomes where the browser refuses localStorage; use letters, digits, '-', '_' or '.', like \"consent-gate\""),
            );
        } else {
            storage.key = key;
        }
    }
    if let Some(value) = fields.remove("cookie") {
        storage.cookie = read_cookie_mirror(value, check);
    }
    let key = storage.key.as_str();
    if let Some(mirror) = storage.cookie.as_ref().filter(|m| m.name == key || m.name == own_names::https_cookie(key)) {
        // The record's own cookie (where localStorage is refused) has this
        // name: the server's copy would overwrite the visitor's choice.
        check.at(
            "storage.cookie.name",
            format!("'{}' is also the name of the stored choice (storage.key '{key}'); give the server's copy a name of its own, like \"consent\"", mirror.name),
        );
        storage.cookie = None;
    }
    storage
}

fn read_cookie_mirror(value: Value, check: &mut Check) -> Option<CookieMirror> {
    const PATH: &str = "storage.cookie";
    let mut fields = check.object(value, PATH, "an object like {\"name\": \"consent\", \"domain\": \"example.lv\"}")?;
    check.unknown_keys(&mut fields, PATH, &COOKIE_MIRROR_FIELDS);
    let name: Option<String> =
        check.required(&mut fields, PATH, "name", "the cookie's name in quotes, like \"consent\"");
    let domain: Option<String> = check.optional(&mut fields, PATH, "domain", "a domain in quotes, like \"example.lv\"");
    let domain = domain.map(|domain| cookie_domain(domain, check));
    let name = name?;
    if !is_cookie_name(&name) {
        check.at("storage.cookie.name", format!("'{name}' is not a cookie name; use letters, digits, '-', '_' or '.'"));
        return None;
    }
    // An unusable domain leaves no mirror: it was reported above.
    let domain = match domain {
        Some(checked) => Some(checked?),
        None => None,
    };
    Some(CookieMirror { name, domain })
}

/// Letters, digits, '-', '_' and '.': a cookie name no browser reads otherwise.
fn is_cookie_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// The mirror cookie's domain: a bare domain name, since it is written into
/// the cookie as it is (`"example.lv; SameSite=None"` would add attributes).
/// A leading dot is dropped: browsers ignore it anyway.
fn cookie_domain(domain: String, check: &mut Check) -> Option<String> {
    let bare = domain.strip_prefix('.').unwrap_or(&domain);
    if is_domain_name(bare, false) {
        return Some(bare.to_owned());
    }
    check.at(
        "storage.cookie.domain",
        format!("'{domain}' is not a domain name; write only the site's domain, like \"example.lv\": letters, digits, '-' and '.' (a name in other letters in its xn-- form)"),
    );
    None
}

fn read_ui(value: Value, check: &mut Check) -> UiSettings {
    let Some(mut fields) = check.object(value, "ui", "an object like {\"floatingButton\": true}") else {
        return UiSettings::default();
    };
    check.unknown_keys(&mut fields, "ui", &UI_FIELDS);
    let floating_button = check.optional(&mut fields, "ui", "floatingButton", "true or false").unwrap_or(false);
    UiSettings { floating_button }
}

fn read_lifetime(value: Value, path: &str, check: &mut Check) -> Option<Lifetime> {
    match value {
        Value::String(text) => Lifetime::parse(&text).map_err(|e| check.at(path, format!("\"{text}\" {e}"))).ok(),
        other => {
            check.at(path, format!("{} is not a lifetime; write it in quotes, like \"180 days\"", kind_of(&other)));
            None
        }
    }
}

fn read_texts(value: Value, languages: &[String], check: &mut Check) -> TextsByLanguage {
    // Languages come from the keys of one JSON object, so each appears once.
    let mut texts = Vec::new();
    let Some(by_language) =
        check.object(value, "texts", "an object of texts per language, like {\"lv\": {\"acceptAll\": \"…\"}}")
    else {
        return texts;
    };
    let names: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
    for (lang, value) in by_language {
        let lang_path = member("texts", &lang);
        if !check_language_key(&lang, &lang_path, languages, check) {
            continue;
        }
        // The misspellings found in this language go with it: see `Check::misspelt`.
        let outer = check.misspelt.len();
        if let Some(own) = read_language_texts(value, &lang_path, &names, check) {
            texts.push((lang, own));
        }
        check.misspelt.truncate(outer);
    }
    texts
}

/// The texts of one language, by name (`names`: the known ones).
fn read_language_texts(value: Value, lang_path: &str, names: &[&str], check: &mut Check) -> Option<TextMap> {
    let mut given = check.object(value, lang_path, "an object of texts by name, like {\"acceptAll\": \"…\"}")?;
    check.unknown_keys(&mut given, lang_path, names);
    let mut own = TextMap::default();
    for (name, text) in given {
        let path = member(lang_path, &name);
        if let Some(text) = check.typed::<String>(text, &path, "text in quotes") {
            check_plain_text(&Localized::One(text.clone()), &path, check);
            own.insert(name, text);
        }
    }
    Some(own)
}

/// A language without built-in texts must give every text.
fn check_required_texts(texts: &TextsByLanguage, languages: &[String], check: &mut Check) {
    for lang in languages {
        if i18n::BUILT_IN.contains(&lang.as_str()) {
            continue;
        }
        let given = texts.iter().find(|(l, _)| l == lang).map(|(_, t)| t);
        for key in Key::ALL {
            if !given.is_some_and(|t| t.contains_key(key.name())) {
                check.at(
                    &format!("texts.{lang}.{}", key.name()),
                    format!("is missing; '{lang}' has no built-in texts, so every text must be given for it"),
                );
            }
        }
    }
}

fn check_vendors(
    list: Vec<Value>,
    languages: &[String],
    storage: &StorageSettings,
    check: &mut Check,
) -> Vec<VendorEntry> {
    let own_names = own_names(storage);
    let mut blamed_fields = Vec::new();
    let mut entries: Vec<VendorEntry> = Vec::new();
    let mut places = Vec::new();
    for (i, value) in list.into_iter().enumerate() {
        let path = format!("vendors[{i}]");
        // The misspellings found in this vendor go with it: see `Check::misspelt`.
        let outer = check.misspelt.len();
        let entry = vendor_entry(value, &path, languages, check);
        if let Some(entry) = &entry {
            check_own_names_untouched(entry, &path, &own_names, &mut blamed_fields, check);
        }
        check.misspelt.truncate(outer);
        if let Some(entry) = entry {
            entries.push(entry);
            places.push(i);
        }
    }
    report_vendors_listed_twice(&entries, &places, check);
    entries
}

/// Every vendor listed again with the same type and id, at each later entry.
/// `places`: each entry's index in `vendors`. Found through a hash table, so
/// a long list takes linear time, not a comparison of every pair.
fn report_vendors_listed_twice(entries: &[VendorEntry], places: &[usize], check: &mut Check) {
    // The type by its place in the registry, the id as written.
    let key_at = |i: usize| {
        let tag = &entries.get(i)?.tag;
        Some((REGISTRY.iter().position(|t| t.kind == tag.kind())?, tag.id()))
    };
    let mut repeats = Vec::new();
    json::KeyIndex::new(entries.len(), &key_at, &mut |_, again| repeats.push(again));
    for again in repeats {
        let (Some(entry), Some(place)) = (entries.get(again), places.get(again)) else { continue };
        check.at(
            &format!("vendors[{place}]"),
            format!("{} '{}' is listed twice; remove one of the two entries", entry.tag.kind(), entry.tag.id()),
        );
    }
}

/// The names consent-gate itself keeps in the browser: those made from
/// `storage.key` (see `core::own_names`), then the mirror cookie if any.
fn own_names(storage: &StorageSettings) -> Vec<String> {
    let mut names = Vec::from(own_names::all(&storage.key));
    if let Some(mirror) = &storage.cookie {
        names.push(mirror.name.clone());
    }
    names
}

/// The number of `own_names` that come from `storage.key`; the mirror's follows.
const NAMES_FROM_KEY: usize = own_names::COUNT;

/// A vendor's cookies and storage keys are deleted when its category is
/// refused: none may match a name consent-gate keeps, or the refusal would
/// delete the choice itself. Cookie names the config gives (`script`
/// vendors) are blamed where written; a built-in vendor's names are fixed,
/// so the storage field is blamed, once (`blamed_fields`).
fn check_own_names_untouched(
    entry: &VendorEntry,
    path: &str,
    own_names: &[String],
    blamed_fields: &mut Vec<&'static str>,
    check: &mut Check,
) {
    let mut names = entry.tag.cookies();
    // Only a `script` vendor's cookie names are written in the config.
    let written_in_config = if entry.tag.kind() == "script" { names.len() } else { 0 };
    for key in entry.tag.storage_keys() {
        names.push(CookieName::exact(key));
    }
    for (j, pattern) in names.iter().enumerate() {
        let Some(hit) = own_names.iter().position(|own| pattern.matches(own)) else { continue };
        let (field, name) = match hit < NAMES_FROM_KEY {
            true => ("storage.key", own_names.first()),
            false => ("storage.cookie.name", own_names.get(hit)),
        };
        let name = name.map_or("", String::as_str);
        let pattern = pattern.as_written();
        if j < written_in_config {
            check.at(
                &format!("{path}.cookies[{j}]"),
                format!("'{pattern}' also matches consent-gate's own '{name}' ({field}), so refusing this vendor would delete the visitor's choice with it; name this vendor's cookies more narrowly"),
            );
        } else if !blamed_fields.contains(&field) {
            blamed_fields.push(field);
            let vendor = entry.tag.display_name();
            check.at(
                field,
                format!("'{name}' is a name {vendor} uses too ('{pattern}'), so refusing {vendor} would delete the visitor's choice with it; pick another name, like \"consent-gate\""),
            );
        }
    }
}

/// Builds one vendor entry: the common fields here, the type's own in its module.
fn vendor_entry(value: Value, path: &str, languages: &[String], check: &mut Check) -> Option<VendorEntry> {
    let mut fields = check.object(
        value,
        path,
        "an object like {\"type\": \"ga4\", \"measurementId\": \"G-…\", \"lifetime\": \"180 days\"}",
    )?;
    let kinds: Vec<&str> = REGISTRY.iter().map(|t| t.kind).collect();
    let type_path = member(path, "type");
    let kind = match fields.remove("type") {
        Some(Value::String(kind)) => kind,
        Some(other) => {
            check.at(&type_path, format!("is {}, but must be one of {}", kind_of(&other), kinds.join(", ")));
            return None;
        }
        None => {
            check.at(&type_path, format!("is missing; set it to one of {}", kinds.join(", ")));
            return None;
        }
    };
    let Some(vendor_type) = vendors::vendor_type(&kind) else {
        let hint = likely_vendor_type(&kind, &kinds).map(|k| format!(" (did you mean \"{k}\"?)")).unwrap_or_default();
        check.at(&type_path, format!("'{kind}' is not a vendor type; use one of {}{hint}", kinds.join(", ")));
        return None;
    };
    let known: Vec<&str> = COMMON_VENDOR_FIELDS.iter().chain(vendor_type.fields).copied().collect();
    check.unknown_keys(&mut fields, path, &known);
    let category = fields.remove("category");
    let lifetime = fields.remove("lifetime");
    let privacy_url = fields.remove("privacyUrl");
    let purpose = fields.remove("purpose");

    let tag = (vendor_type.build)(fields)
        .map_err(|e| {
            let field_path = if e.field.is_empty() { path.to_owned() } else { member(path, &e.field) };
            let message = if e.message.starts_with("missing field") {
                format!("is missing; the {kind} vendor type needs it")
            } else {
                e.message
            };
            check.at(&field_path, message);
        })
        .ok();
    let lifetime_path = member(path, "lifetime");
    let lifetime = match lifetime {
        Some(value) => read_lifetime(value, &lifetime_path, check),
        None => {
            check.at(&lifetime_path, "is missing; copy the cookie lifetime from the cookie policy, like \"13 months\"");
            None
        }
    };
    let purpose = purpose.and_then(|v| read_localized(v, &member(path, "purpose"), languages, true, check));
    let tag = tag?;
    let category = vendor_category(category, tag.default_category(), &member(path, "category"), check);
    let privacy_url = vendor_privacy_url(privacy_url, tag.default_privacy_url(), &member(path, "privacyUrl"), check);
    Some(VendorEntry { tag, category: category?, lifetime: lifetime?, privacy_url: privacy_url?, purpose })
}

/// The type a person most likely meant: a typo, or the product's common name.
fn likely_vendor_type<'a>(word: &str, kinds: &[&'a str]) -> Option<&'a str> {
    const COMMON_NAMES: [(&str, &str); 8] = [
        ("google-analytics", "ga4"),
        ("analytics", "ga4"),
        ("adwords", "google-ads"),
        ("floodlight", "google-marketing-platform"),
        ("campaign-manager", "google-marketing-platform"),
        ("facebook", "facebook-pixel"),
        ("meta-pixel", "facebook-pixel"),
        ("meta", "facebook-pixel"),
    ];
    let lower = word.to_ascii_lowercase();
    let meant = COMMON_NAMES.iter().find(|(name, _)| *name == lower).map(|(_, kind)| *kind);
    let meant = meant.or_else(|| closest(word, kinds.iter().copied()))?;
    kinds.iter().copied().find(|k| *k == meant)
}

fn vendor_category(value: Option<Value>, default: Option<Category>, path: &str, check: &mut Check) -> Option<Category> {
    let name: Option<String> = match value {
        Some(v) => Some(check.typed(v, path, "analytics or marketing, in quotes")?),
        None => None,
    };
    let category = match (name.as_deref(), default) {
        (Some(name), _) => match Category::parse(name) {
            Some(Category::Necessary) => Err("'necessary' needs no consent, so a tag there would be loaded without asking; use analytics or marketing".to_owned()),
            Some(c) => Ok(c),
            None => {
                let hint = closest(name, ["analytics", "marketing"]).map(|c| format!(" (did you mean \"{c}\"?)")).unwrap_or_default();
                Err(format!("'{name}' is not a category; use analytics or marketing{hint}"))
            }
        },
        (None, Some(c)) => Ok(c),
        (None, None) => Err("is missing; say whether this tag is analytics or marketing".to_owned()),
    };
    category.map_err(|why| check.at(path, why)).ok()
}

fn vendor_privacy_url(value: Option<Value>, default: Option<&str>, path: &str, check: &mut Check) -> Option<String> {
    let url: Option<String> = match value {
        Some(v) => Some(check.typed(v, path, "the address of the vendor's privacy notice, in quotes")?),
        None => default.map(str::to_owned),
    };
    let Some(url) = url else {
        check.at(path, "is missing; give the address of this vendor's privacy notice");
        return None;
    };
    match web_address_problem(&url, HTTP_SCHEMES) {
        None => Some(url),
        Some(AddressProblem::OtherScheme) => {
            check.at(
                path,
                format!("'{}' is not an http(s) address; copy the address starting with https://", visible(&url)),
            );
            None
        }
        Some(problem) => {
            check.at(path, format!("'{}' {}", visible(&url), problem.explain()));
            None
        }
    }
}

const HTTP_SCHEMES: &[&str] = &["https://", "http://"];

/// Why a browser would not take an address where a person reading it expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressProblem {
    /// Not one of the schemes asked for (each caller words this one).
    OtherScheme,
    NoHost,
    /// `https://www.example.com@evil.test/` goes to evil.test.
    UserInfo,
    Space,
    /// Browsers read `\` as `/`: `/\evil.test/` is another site.
    Backslash,
    /// Browsers drop tabs and line breaks: `/<tab>/evil.test` is another site.
    Control,
}

impl AddressProblem {
    /// What is wrong and how to fix it, after the address in quotes.
    pub fn explain(self) -> &'static str {
        match self {
            AddressProblem::OtherScheme => "is not an http(s) address; copy the address starting with https://",
            AddressProblem::NoHost => {
                "has no valid host name after the //; copy the whole address, host name included, like https://www.example.com/page"
            }
            AddressProblem::UserInfo => {
                "has an '@' before the host name, so browsers would go to the host after the '@'; remove the part up to and including the '@'"
            }
            AddressProblem::Space => "contains a space, tab or line break; remove it (a space inside an address is written %20)",
            AddressProblem::Backslash => "contains a backslash (\\), which browsers read as /; write / instead",
            AddressProblem::Control => "contains an invisible control character; retype the address",
        }
    }
}

/// `text` for a message, each control character written as in JSON (a tab
/// as `\t`, others as `\u0001`): invisible otherwise, or breaking the line.
pub fn visible(text: &str) -> String {
    let mut shown = String::new();
    for c in text.chars() {
        if c.is_control() {
            let mut escaped = String::new();
            json::write_string(&mut escaped, c.encode_utf8(&mut [0; 4]));
            shown.push_str(escaped.trim_matches('"'));
        } else {
            shown.push(c);
        }
    }
    shown
}

/// What is wrong with an absolute address starting with one of `schemes`:
/// it needs a real host (a domain name, maybe with a port; no user name
/// before an '@') and no character a browser reads otherwise.
pub fn web_address_problem(url: &str, schemes: &[&str]) -> Option<AddressProblem> {
    let Some(rest) = schemes.iter().find_map(|scheme| url.strip_prefix(scheme)) else {
        return Some(AddressProblem::OtherScheme);
    };
    if let Some(problem) = character_problem(url) {
        return Some(problem);
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Some(AddressProblem::UserInfo);
    }
    (!is_host_and_port(authority)).then_some(AddressProblem::NoHost)
}

/// What is wrong with a path on this site, like `/cookie-policy.html`.
fn site_path_problem(path: &str) -> Option<AddressProblem> {
    if !path.starts_with('/') || path.starts_with("//") {
        return Some(AddressProblem::OtherScheme);
    }
    character_problem(path)
}

fn character_problem(text: &str) -> Option<AddressProblem> {
    text.chars().find_map(|c| match c {
        '\\' => Some(AddressProblem::Backslash),
        c if c.is_whitespace() => Some(AddressProblem::Space),
        c if c.is_control() => Some(AddressProblem::Control),
        _ => None,
    })
}

/// A domain name with an optional port, like `www.example.com:8443`.
fn is_host_and_port(authority: &str) -> bool {
    let (host, port) = authority.split_once(':').unwrap_or((authority, "0"));
    let port_is_number = (1..=5).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_digit());
    port_is_number && is_domain_name(host, true)
}

/// Dot-separated labels of letters, digits and '-' (at least two labels).
/// `any_letters`: letters beyond ASCII too, as in an address a browser
/// converts; a cookie's domain must already be in its ASCII (xn--) form.
pub fn is_domain_name(host: &str, any_letters: bool) -> bool {
    let is_label = |label: &str| {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || (any_letters && !c.is_ascii()))
    };
    host.len() <= 253 && host.contains('.') && host.split('.').all(is_label)
}

/// An absolute http(s) address a browser opens where it seems to.
pub fn is_http_url(url: &str) -> bool {
    web_address_problem(url, HTTP_SCHEMES).is_none()
}

fn check_policy_url(url: &Localized, check: &mut Check) {
    let urls: Vec<(String, &str)> = match url {
        Localized::One(u) => vec![("policy.url".to_owned(), u.as_str())],
        Localized::PerLanguage(map) => map.iter().map(|(l, u)| (member("policy.url", l), u)).collect(),
    };
    for (path, u) in urls {
        let problem = match site_path_problem(u) {
            Some(AddressProblem::OtherScheme) => web_address_problem(u, HTTP_SCHEMES),
            other => other,
        };
        match problem {
            None => {}
            Some(AddressProblem::OtherScheme) => check.at(
                &path,
                format!("'{}' is not an http(s) address or a path on this site starting with /", visible(u)),
            ),
            Some(problem) => check.at(&path, format!("'{}' {}", visible(u), problem.explain())),
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

    /// The errors as `path: message`, positions left out.
    fn errors(text: &str) -> Vec<String> {
        Config::from_json(text).map(|_| Vec::new()).unwrap_or_else(|e| e.0.iter().map(ConfigError::describe).collect())
    }

    fn positioned(text: &str) -> Vec<String> {
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
    fn the_field_by_field_reading_agrees_with_the_serde_model() {
        // The schema is generated from ConfigFile: a file the checker accepts
        // must also be a ConfigFile.
        let text = include_str!("../../www/consent.json");
        let file: ConfigFile = serde_json::from_str(text).unwrap();
        assert_eq!(file.vendors.len(), 6);
        serde_json::from_str::<ConfigFile>(MINIMAL).unwrap();
    }

    #[test]
    fn json_syntax_errors_give_line_and_column() {
        assert_eq!(
            positioned("{\n  \"policy\": ,\n}"),
            ["line 2, column 13: expected value; a value is missing or misspelt here; text needs double quotes, and true, false and null are lower-case"]
        );
    }

    #[test]
    fn every_error_has_the_position_of_its_field() {
        let text = "{\n  \"policy\": {\"url\": \"/c\", \"edition\": \"1\"},\n  \"vendors\": [\n    {\"type\": \"ga4\", \"measurementId\": \"UA-1-1\", \"lifetime\": \"180 days\", \"privacyURL\": \"https://x.lv\"}\n  ]\n}";
        let errs = Config::from_json(text).unwrap_err().0;
        let found: Vec<_> = errs.iter().map(|e| (e.path.as_str(), e.position)).collect();
        assert_eq!(found, [("vendors[0].measurementId", Some((4, 38))), ("vendors[0].privacyURL", Some((4, 72)))]);
    }

    #[test]
    fn unknown_keys_are_all_refused_with_a_suggestion() {
        let text = MINIMAL
            .replacen('{', "{\"vendor\": [], \"colour\": 1,", 1)
            .replace("\"lifetime\"", "\"lifetme\": \"1 day\", \"lifetime\"");
        assert_eq!(
            errors(&text),
            [
                "vendor: is not a known field; did you mean \"vendors\"?",
                "colour: is not a known field; remove it (the fields here are $schema, revision, languages, defaultLanguage, language, ui, policy, consent, storage, reloadOnWithdraw, vendors, texts)",
                "vendors[0].lifetme: is not a known field; did you mean \"lifetime\"?",
            ]
        );
    }

    #[test]
    fn a_key_written_twice_is_refused() {
        let text = MINIMAL.replace("\"lifetime\"", "\"measurementId\": \"G-OTHER1\", \"lifetime\"");
        assert_eq!(
            errors(&text),
            ["vendors[0].measurementId: is written twice in the same place; only one can count, so remove the other"]
        );
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
        assert_eq!(
            errs,
            [
                "vendors[0].measurementId: 'UA-12345-1' is a retired Universal Analytics id; GA4 ids look like G-XXXXXXXXXX",
                "vendors[1].lifetime: \"0 days\" is zero; a lifetime must be at least 1 day",
                "vendors[2].category: 'necessary' needs no consent, so a tag there would be loaded without asking; use analytics or marketing",
                "vendors[3].type: 'tiktok' is not a vendor type; use one of ga4, google-ads, google-marketing-platform, facebook-pixel, criteo, adform, script",
                "vendors[4].privacyUrl: 'ftp://x' is not an http(s) address; copy the address starting with https://",
                "vendors[5].category: is missing; say whether this tag is analytics or marketing",
            ]
        );
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
        assert!(
            errs.contains(
                &"texts.lv.acceptAll: contains '<': texts are shown as plain text, never as HTML; remove the markup"
                    .to_owned()
            ),
            "{errs:#?}"
        );
        assert!(
            errs.contains(&"texts.lv.acceptAl: is not a known field; did you mean \"acceptAll\"?".to_owned()),
            "{errs:#?}"
        );
        assert!(errs.contains(
            &"texts.de.rejectAll: is missing; 'de' has no built-in texts, so every text must be given for it"
                .to_owned()
        ));
        assert!(!errs.iter().any(|e| e.starts_with("texts.de.acceptAll")));
    }

    #[test]
    fn purposes_are_plain_text_in_every_enabled_language() {
        let text = MINIMAL.replace(
            "\"lifetime\"",
            r#""purpose": {"lv": "<a href=x>Statistika</a>", "en": "Statistics", "lt": "Statistika"}, "lifetime""#,
        );
        assert_eq!(
            errors(&text),
            [
                "vendors[0].purpose.ru: is missing; the site is shown in 'ru', so give this text in 'ru' too",
                "vendors[0].purpose.lv: contains '<': texts are shown as plain text, never as HTML; remove the markup",
                "vendors[0].purpose.lt: 'lt' is not one of the site's languages (lv, ru, en); did you mean \"lv\"?",
            ]
        );
    }

    #[test]
    fn values_of_the_wrong_kind_say_what_is_expected() {
        let text = MINIMAL.replacen(
            '{',
            r#"{"revision": "2", "reloadOnWithdraw": "yes", "consent": {"grant": 6}, "languages": ["lv", 7],"#,
            1,
        );
        assert_eq!(
            errors(&text),
            [
                "revision: is the text \"2\", but must be a whole number, like 1",
                "reloadOnWithdraw: is the text \"yes\", but must be true or false",
                "consent.grant: the number 6 is not a lifetime; write it in quotes, like \"180 days\"",
                "languages: has an item of the wrong kind; it must be a list of language codes, like [\"lv\", \"ru\", \"en\"]",
            ]
        );
    }

    #[test]
    fn missing_required_parts_are_all_named() {
        assert_eq!(
            errors("{}"),
            [
                "policy: is missing; add {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}",
                "vendors: is missing; add it: a list of vendors, like [{\"type\": \"ga4\", …}], or [] for none",
            ]
        );
        assert_eq!(errors("[]"), ["is a list, but must be one JSON object, like {\"policy\": {…}, \"vendors\": […]}"]);
    }

    #[test]
    fn policy_links_must_be_http_or_site_paths() {
        let text = MINIMAL.replace(
            "\"/cookies\"",
            "{\"lv\": \"javascript:alert(1)\", \"ru\": \"//evil.example\", \"en\": \"https://example.lv/en/cookies\"}",
        );
        assert_eq!(
            errors(&text),
            [
                "policy.url.lv: 'javascript:alert(1)' is not an http(s) address or a path on this site starting with /",
                "policy.url.ru: '//evil.example' is not an http(s) address or a path on this site starting with /",
            ]
        );
    }

    #[test]
    fn the_cookie_mirror_and_the_interface_options_are_read() {
        let text = MINIMAL.replacen(
            '{',
            r#"{"language": "en", "ui": {"floatingButton": true}, "storage": {"cookie": {"name": "cg", "domain": "example.lv"}},"#,
            1,
        );
        let c = Config::from_json(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.language.as_deref(), Some("en"));
        assert!(c.ui.floating_button);
        assert_eq!(c.storage.cookie, Some(CookieMirror { name: "cg".into(), domain: Some("example.lv".into()) }));
    }

    #[test]
    fn the_default_language_must_be_enabled() {
        let text = MINIMAL.replacen('{', r#"{"languages": ["lv"], "defaultLanguage": "en","#, 1);
        assert_eq!(errors(&text), ["defaultLanguage: 'en' is not in `languages`; add it there or pick one of lv"]);
    }

    #[test]
    fn a_file_over_the_size_cap_is_refused_naming_the_limit() {
        let padded = format!("{MINIMAL}{}", " ".repeat(MAX_CONFIG_BYTES - MINIMAL.len() + 1));
        let errs = errors(&padded);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].contains("larger than 1 MB (1000000 bytes)"), "{errs:?}");
        let at_the_cap = format!("{MINIMAL}{}", " ".repeat(MAX_CONFIG_BYTES - MINIMAL.len()));
        assert!(Config::from_json(&at_the_cap).is_ok());
    }

    #[test]
    fn the_first_problems_are_listed_and_the_rest_counted() {
        let unknown: String = (0..250).map(|i| format!("\"x{i}\": 1,\n")).collect();
        let text = MINIMAL.replacen('{', &format!("{{\n{unknown}"), 1);
        let errs = Config::from_json(&text).unwrap_err().0;
        assert_eq!(errs.len(), MAX_LISTED_PROBLEMS + 1);
        assert_eq!(errs[0].path, "x0");
        assert_eq!(errs[MAX_LISTED_PROBLEMS - 1].path, "x99", "the first in the text, in order");
        let last = &errs[MAX_LISTED_PROBLEMS];
        assert_eq!(last.message, "and 150 more problems not listed; fix the ones above and check the file again");
        assert_eq!(last.position, errs[MAX_LISTED_PROBLEMS - 1].position);
    }

    #[test]
    fn problems_found_out_of_order_still_list_the_first_in_the_text() {
        // Repeated keys are found first, all over the file; unknown fields after.
        let unknown: String = (0..150).map(|i| format!("\"x{i}\": 1, ")).collect();
        let text = format!("{{{unknown}\"policy\": {{\"url\": \"/c\", \"edition\": \"1\"}}, \"vendors\": [], \"revision\": 1, \"revision\": 2}}");
        let errs = Config::from_json(&text).unwrap_err().0;
        assert_eq!(errs[0].path, "x0");
        assert!(!errs.iter().any(|e| e.path == "revision"), "the repeated key is past the first 100");
        assert!(errs.last().unwrap().message.starts_with("and 51 more problems"));
    }

    #[test]
    fn more_than_50_languages_are_refused_and_nothing_else_is_checked_in_them() {
        let many: Vec<String> =
            (0..51).map(|i| format!("\"{}{}\"", char::from(b'a' + i / 26), char::from(b'a' + i % 26))).collect();
        let text = MINIMAL.replacen('{', &format!("{{\"languages\": [{}],", many.join(",")), 1);
        assert_eq!(
            errors(&text),
            ["languages: lists 51 languages, but a site can be shown in at most 50; keep the languages the site is translated into"]
        );
    }

    #[test]
    fn a_byte_order_mark_is_dropped_as_browsers_drop_it() {
        assert!(Config::from_json(&format!("\u{FEFF}{MINIMAL}")).is_ok());
        assert_eq!(positioned("\u{FEFF}{\n  \"policy\": ,\n}")[0].split(':').next(), Some("line 2, column 13"));
    }

    #[test]
    fn text_left_by_a_wrong_encoding_is_refused_where_it_is() {
        let text = MINIMAL.replace("2024-05-01", "2024. gada 1. maij\u{FFFD}");
        let errs = Config::from_json(&text).unwrap_err().0;
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].message.starts_with("contains the character \u{FFFD}"), "{errs:?}");
        assert_eq!(errs[0].position, Some((2, 69)));
        assert_eq!(
            text_of_file(b"{\"a\": \"\xe7\"}"),
            "{\"a\": \"\u{FFFD}\"}",
            "invalid UTF-8, read as a browser reads it"
        );
    }

    #[test]
    fn addresses_need_a_real_host_and_nothing_a_browser_reads_otherwise() {
        use AddressProblem::*;
        let http = |url| web_address_problem(url, HTTP_SCHEMES);
        for fine in [
            "https://www.example.lv/privacy",
            "http://example.lv",
            "https://www.example.lv:8443/a?b=c#d",
            "https://piemērs.lv/privātums",
            "https://xn--piemrs-j8a.lv/",
            "https://1.2.3.4/x",
        ] {
            assert_eq!(http(fine), None, "{fine}");
        }
        for (url, problem) in [
            ("ftp://example.lv", OtherScheme),
            ("//example.lv", OtherScheme),
            ("https://", NoHost),
            ("https:///path", NoHost),
            ("https://localhost/", NoHost),
            ("https://example.lv:/x", NoHost),
            ("https://example.lv:99999999/x", NoHost),
            ("https://-bad-.lv/", NoHost),
            ("https://a..lv/", NoHost),
            ("https://%65vil.test/", NoHost),
            ("https://[::1]/", NoHost),
            ("https://www.example.lv@evil.test/", UserInfo),
            ("https://user:pass@example.lv/", UserInfo),
            ("https://example.lv/a b", Space),
            ("https://example.lv/a\u{a0}b", Space),
            ("https://example.lv\\@evil.test/", Backslash),
            ("https://example.lv/\u{1}", Control),
        ] {
            assert_eq!(http(url), Some(problem), "{url}");
        }
        assert_eq!(web_address_problem("http://example.lv/t.js", &["https://"]), Some(OtherScheme));
        assert_eq!(site_path_problem("/cookies?lang=lv"), None);
        assert_eq!(site_path_problem("/\\evil.test/"), Some(Backslash));
        assert_eq!(site_path_problem("/\t/evil.test"), Some(Space));
        assert_eq!(site_path_problem("/\u{7f}/evil.test"), Some(Control));
        assert_eq!(visible("/\t/\u{1}x"), "/\\t/\\u0001x");
    }

    #[test]
    fn the_mirror_cookie_is_never_the_records_own_cookie() {
        for name in ["consent-gate", "__Host-consent-gate"] {
            let text = MINIMAL.replacen('{', &format!(r#"{{"storage": {{"cookie": {{"name": "{name}"}}}},"#), 1);
            let found = errors(&text);
            assert_eq!(found.len(), 1, "{found:?}");
            assert!(
                found[0].starts_with(&format!("storage.cookie.name: '{name}' is also the name of the stored choice")),
                "{found:?}"
            );
        }
    }

    #[test]
    fn the_mirror_domain_is_a_bare_domain_name() {
        let mirror = |domain: &str| {
            let text = MINIMAL.replacen(
                '{',
                &format!(r#"{{"storage": {{"cookie": {{"name": "cg", "domain": "{domain}"}}}},"#),
                1,
            );
            Config::from_json(&text)
                .map(|c| c.storage.cookie.and_then(|m| m.domain))
                .map_err(|e| e.0[0].message.clone())
        };
        assert_eq!(mirror("example.lv"), Ok(Some("example.lv".into())));
        assert_eq!(mirror(".example.lv"), Ok(Some("example.lv".into())), "browsers ignore the dot anyway");
        for bad in [
            "example.lv; SameSite=None",
            "example.lv;",
            "..example.lv",
            "example",
            "example.lv.",
            "exa mple.lv",
            "piemērs.lv",
            "",
        ] {
            let message = mirror(bad).unwrap_err();
            assert!(message.ends_with("is not a domain name; write only the site's domain, like \"example.lv\": letters, digits, '-' and '.' (a name in other letters in its xn-- form)"), "{bad}: {message}");
        }
    }

    #[test]
    fn the_storage_key_can_be_a_cookie_name() {
        let key =
            |key: &str| Config::from_json(&MINIMAL.replacen('{', &format!(r#"{{"storage": {{"key": "{key}"}},"#), 1));
        assert!(key("cg.consent_2").is_ok());
        for bad in ["consent gate", "a;b", "a=b", "ā"] {
            let errs = key(bad).unwrap_err().0;
            assert!(errs[0].message.contains("cannot be a cookie name"), "{bad}: {errs:?}");
        }
    }

    #[test]
    fn no_vendor_name_matches_one_of_consent_gates_own() {
        let config = |storage: &str, cookies: &str| {
            let text = format!(
                r#"{{"policy": {{"url": "/c", "edition": "1"}}, "storage": {storage}, "vendors": [
                    {{"type": "criteo", "accountId": "12345", "lifetime": "1 year"}},
                    {{"type": "ga4", "measurementId": "G-ABC123", "lifetime": "180 days"}},
                    {{"type": "script", "name": "S", "src": "https://s.example.lv/s.js", "category": "marketing", "lifetime": "1 day", "privacyUrl": "https://s.example.lv/p", "cookies": {cookies}}}
                ]}}"#
            );
            errors(&text)
        };
        assert_eq!(
            config(r#"{"key": "consent-gate", "cookie": {"name": "consent"}}"#, r#"["_hj*", "consentx"]"#),
            Vec::<String>::new()
        );
        assert_eq!(
            config(r#"{"key": "cto_bundle"}"#, "[]"),
            ["storage.key: 'cto_bundle' is a name Criteo uses too ('cto_bundle'), so refusing Criteo would delete the visitor's choice with it; pick another name, like \"consent-gate\""]
        );
        assert_eq!(
            config(r#"{"key": "_ga_ABC123"}"#, "[]"),
            ["storage.key: '_ga_ABC123' is a name Google Analytics uses too ('_ga_ABC123'), so refusing Google Analytics would delete the visitor's choice with it; pick another name, like \"consent-gate\""]
        );
        assert_eq!(
            config(r#"{"key": "cg", "cookie": {"name": "_fbp"}}"#, r#"["cg-probe", "_fb*"]"#),
            [
                "vendors[2].cookies[0]: 'cg-probe' also matches consent-gate's own 'cg' (storage.key), so refusing this vendor would delete the visitor's choice with it; name this vendor's cookies more narrowly",
                "vendors[2].cookies[1]: '_fb*' also matches consent-gate's own '_fbp' (storage.cookie.name), so refusing this vendor would delete the visitor's choice with it; name this vendor's cookies more narrowly",
            ]
        );
    }
}
