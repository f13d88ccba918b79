//! The names of consent.json's fields, each written once, here. The rules
//! read each field by its name below and refuse any key not in its object's
//! list; tests hold the serde mirror, and with it the JSON Schema, to the
//! same lists (`schema_mirror` cannot take these names: serde's `rename`
//! needs a literal).

// The top level.
pub(super) const SCHEMA: &str = "$schema";
pub(super) const REVISION: &str = "revision";
pub(super) const LANGUAGES: &str = "languages";
pub(super) const DEFAULT_LANGUAGE: &str = "defaultLanguage";
pub(super) const LANGUAGE: &str = "language";
pub(super) const UI: &str = "ui";
pub(super) const POLICY: &str = "policy";
pub(super) const CONSENT: &str = "consent";
pub(super) const STORAGE: &str = "storage";
pub(super) const RELOAD_ON_WITHDRAW: &str = "reloadOnWithdraw";
pub(super) const VENDORS: &str = "vendors";
pub(super) const TEXTS: &str = "texts";
pub(super) const RECEIPTS: &str = "receipts";

/// The fields of the file's top level.
pub const TOP_LEVEL_FIELDS: [&str; 13] = [
    SCHEMA,
    REVISION,
    LANGUAGES,
    DEFAULT_LANGUAGE,
    LANGUAGE,
    UI,
    POLICY,
    CONSENT,
    STORAGE,
    RELOAD_ON_WITHDRAW,
    VENDORS,
    TEXTS,
    RECEIPTS,
];

// `policy`.
pub(super) const URL: &str = "url";
pub(super) const EDITION: &str = "edition";
pub const POLICY_FIELDS: [&str; 2] = [URL, EDITION];

// `receipts`.
pub const RECEIPTS_FIELDS: [&str; 1] = [URL];

// `consent`.
pub(super) const GRANT: &str = "grant";
pub(super) const REFUSAL: &str = "refusal";
pub const CONSENT_FIELDS: [&str; 2] = [GRANT, REFUSAL];

// `storage`.
pub(super) const KEY: &str = "key";
pub(super) const COOKIE: &str = "cookie";
pub const STORAGE_FIELDS: [&str; 2] = [KEY, COOKIE];

// `storage.cookie`.
pub(super) const NAME: &str = "name";
pub(super) const DOMAIN: &str = "domain";
pub const COOKIE_MIRROR_FIELDS: [&str; 2] = [NAME, DOMAIN];

// `ui`.
pub(super) const FLOATING_BUTTON: &str = "floatingButton";
pub(super) const FLOATING_BUTTON_CORNER: &str = "floatingButtonCorner";
pub(super) const FLOATING_BUTTON_OFFSET: &str = "floatingButtonOffset";
pub(super) const THEME: &str = "theme";
pub const UI_FIELDS: [&str; 4] = [FLOATING_BUTTON, FLOATING_BUTTON_CORNER, FLOATING_BUTTON_OFFSET, THEME];

// Each of `vendors`, besides its type's own (see `crate::vendors`).
pub(super) const TYPE: &str = "type";
pub(super) const CATEGORY: &str = "category";
pub(super) const LIFETIME: &str = "lifetime";
pub(super) const PRIVACY_URL: &str = "privacyUrl";
pub(super) const PURPOSE: &str = "purpose";

/// The fields every vendor entry takes besides its type's own.
pub const COMMON_VENDOR_FIELDS: [&str; 5] = [TYPE, CATEGORY, LIFETIME, PRIVACY_URL, PURPOSE];
