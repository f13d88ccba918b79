//! The names of consent.json's fields.

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
pub(super) const POLICY_FIELDS: [&str; 2] = ["url", "edition"];
pub(super) const CONSENT_FIELDS: [&str; 2] = ["grant", "refusal"];
pub(super) const STORAGE_FIELDS: [&str; 2] = ["key", "cookie"];
pub(super) const COOKIE_MIRROR_FIELDS: [&str; 2] = ["name", "domain"];
pub(super) const UI_FIELDS: [&str; 1] = ["floatingButton"];

/// The fields every vendor entry takes besides its type's own.
pub const COMMON_VENDOR_FIELDS: [&str; 5] = ["type", "category", "lifetime", "privacyUrl", "purpose"];
