//! The whole file as serde reads it (host only): its JSON Schema is
//! generated from these types. The checker reads field by field instead (see
//! `rules::check_file`), so that every problem is found, not only the first.

use super::{default_languages, ConsentLifetimes, Policy, Receipts, StorageSettings, UiSettings};
use serde::Deserialize;
use std::collections::BTreeMap;

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
    #[schemars(schema_with = "crate::core::schema::schema_address")]
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
    /// Send each decision's receipt to a collector (off when absent).
    // Left out, not `null`, when there is none: the checker refuses `null`.
    #[serde(default)]
    #[schemars(with = "Receipts")]
    pub receipts: Option<Receipts>,
}

#[cfg(not(target_arch = "wasm32"))]
fn yes() -> bool {
    true
}
