//! The receipt the browser sends for each decision: its strict schema, the
//! bounds on every field, and the canonical bytes the hash chain covers.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The receipt format this collector reads.
pub const RECEIPT_VERSION: u32 = 1;
/// The largest body accepted, in bytes. A receipt is about 450 bytes; one
/// with the largest vendor map allowed still fits.
pub const MAX_BODY_BYTES: usize = 4096;
/// The most vendors a receipt may name.
pub const MAX_VENDORS: usize = 64;
pub const MAX_VENDOR_ID: usize = 64;
pub const MAX_PATH: usize = 512;
pub const MAX_EDITION: usize = 64;
pub const MAX_LANG: usize = 16;
/// Decisions dated earlier than this are refused (2020-01-01T00:00:00Z).
pub const EARLIEST_DECISION_MS: i64 = 1_577_836_800_000;
/// How far a decision may lie in the visitor's future (clocks drift).
pub const CLOCK_SKEW_MS: i64 = 86_400_000;

/// Where a decision was made (`source` in the JS API's types): the library's
/// own type, so the two cannot drift apart.
pub use consent_gate::core::record::Source;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choices {
    pub analytics: bool,
    pub marketing: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fingerprints {
    pub analytics: String,
    pub marketing: String,
}

/// A receipt as the browser sends it (JSON, camelCase, nothing else allowed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Receipt {
    /// Receipt format version: 1.
    pub v: u32,
    /// Made by the browser for this decision (a UUID); a retry repeats it.
    pub receipt_id: String,
    /// The consent record's id: 32 lower-case hex digits.
    pub consent_id: String,
    /// When the visitor decided, ms since the epoch (the browser's clock).
    pub decided_at: i64,
    pub choices: Choices,
    /// Per-vendor choices, vendor id to granted, when the visitor chose per vendor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendors: Option<BTreeMap<String, bool>>,
    /// The fingerprint of each category's disclosed vendors (16 hex digits).
    pub fingerprints: Fingerprints,
    /// The config's policy revision.
    pub revision: u32,
    /// The policy edition in force.
    pub edition: String,
    pub source: Source,
    /// The language the visitor read the texts in.
    pub lang: String,
    /// The page's path (no query, no fragment).
    pub path: String,
    /// Do Not Track was on.
    pub dnt: bool,
    /// Global Privacy Control was on.
    pub gpc: bool,
}

/// Why a body is not a receipt: the message names the field and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

fn invalid(field: &'static str, message: impl Into<String>) -> Invalid {
    Invalid { field, message: message.into() }
}

fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A UUID in its usual lower-case form (8-4-4-4-12), or 32 hex digits.
pub fn is_receipt_id(s: &str) -> bool {
    if s.len() == 32 {
        return is_lower_hex(s, 32);
    }
    let parts: Vec<&str> = s.split('-').collect();
    s.len() == 36 && parts.len() == 5 && parts.iter().zip([8, 4, 4, 4, 12]).all(|(p, len)| is_lower_hex(p, len))
}

fn is_path(s: &str) -> bool {
    // What `location.pathname` gives: it percent-encodes everything else.
    s.starts_with('/')
        && s.len() <= MAX_PATH
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@%/".contains(&b))
}

fn is_lang(s: &str) -> bool {
    (2..=MAX_LANG).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A vendor key as the browser names vendors in a per-vendor choice: the
/// vendor's type (`ga4`, `criteo`, …) or a script vendor's name, in lower
/// case letters, digits and '-' (`core::fingerprint::vendor_keys`).
fn is_vendor_id(s: &str) -> bool {
    (1..=MAX_VENDOR_ID).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

fn is_edition(s: &str) -> bool {
    !s.is_empty() && s.chars().count() <= MAX_EDITION && !s.chars().any(char::is_control)
}

/// serde's messages quote what they were given (an unknown field or
/// variant): keep them readable but never echo markup or control characters
/// back, and keep them short.
fn echo_safe(message: &str) -> String {
    const MAX: usize = 300;
    let mut out: String = message
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || " -_.,:;`'()/".contains(c) { c } else { '?' })
        .take(MAX)
        .collect();
    if message.chars().count() > MAX {
        out.push_str("...");
    }
    out
}

impl Receipt {
    /// Parses a body: strict JSON of the receipt's shape, then every bound.
    pub fn parse(body: &[u8], now_ms: i64) -> Result<Receipt, Invalid> {
        if body.len() > MAX_BODY_BYTES {
            return Err(invalid(
                "body",
                format!("is {} bytes, more than the {MAX_BODY_BYTES} a receipt may take", body.len()),
            ));
        }
        let receipt: Receipt = serde_json::from_slice(body)
            .map_err(|e| invalid("body", format!("is not a receipt: {}", echo_safe(&e.to_string()))))?;
        receipt.check(now_ms)?;
        Ok(receipt)
    }

    pub fn check(&self, now_ms: i64) -> Result<(), Invalid> {
        if self.v != RECEIPT_VERSION {
            return Err(invalid(
                "v",
                format!("is {}, this collector reads receipts of version {RECEIPT_VERSION}", self.v),
            ));
        }
        if !is_receipt_id(&self.receipt_id) {
            return Err(invalid("receiptId", "must be a lower-case UUID (8-4-4-4-12 hex digits) or 32 hex digits"));
        }
        if !is_lower_hex(&self.consent_id, 32) {
            return Err(invalid("consentId", "must be 32 lower-case hex digits"));
        }
        if self.decided_at < EARLIEST_DECISION_MS || self.decided_at > now_ms.saturating_add(CLOCK_SKEW_MS) {
            return Err(invalid(
                "decidedAt",
                format!("is {}, not a time in ms since the epoch between 2020 and a day from now", self.decided_at),
            ));
        }
        if let Some(vendors) = &self.vendors {
            if vendors.len() > MAX_VENDORS {
                return Err(invalid(
                    "vendors",
                    format!("names {} vendors, more than the {MAX_VENDORS} allowed", vendors.len()),
                ));
            }
            if let Some(bad) = vendors.keys().find(|k| !is_vendor_id(k)) {
                let shown = echo_safe(&bad.chars().take(MAX_VENDOR_ID).collect::<String>());
                return Err(invalid(
                    "vendors",
                    format!("has the key '{shown}'; a vendor key is 1 to {MAX_VENDOR_ID} lower-case letters, digits and '-', like \"ga4\" or \"criteo\""),
                ));
            }
        }
        for (field, fp) in [
            ("fingerprints.analytics", &self.fingerprints.analytics),
            ("fingerprints.marketing", &self.fingerprints.marketing),
        ] {
            if !is_lower_hex(fp, 16) {
                return Err(invalid(field, "must be 16 lower-case hex digits"));
            }
        }
        if !is_edition(&self.edition) {
            return Err(invalid(
                "edition",
                format!("must be 1 to {MAX_EDITION} characters without control characters"),
            ));
        }
        if !is_lang(&self.lang) {
            return Err(invalid("lang", format!("must be a language code of 2 to {MAX_LANG} letters, digits or '-'")));
        }
        if !is_path(&self.path) {
            return Err(invalid(
                "path",
                format!("must be a page path as location.pathname gives it: '/' then at most {MAX_PATH} URL path characters, no query or fragment"),
            ));
        }
        Ok(())
    }
}

/// A receipt as stored: what the browser sent, plus what the collector adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub seq: i64,
    pub receipt: Receipt,
    /// When the collector stored it (ms since the epoch, never decreasing along the chain).
    pub received_at: i64,
    /// The SHA-256 of the consent.json version the fingerprints matched.
    pub config_sha256: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The bytes the chain hashes: every stored field but the hashes, in a fixed
/// order, as compact JSON (vendors sorted by id).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Canonical<'a> {
    seq: i64,
    received_at: i64,
    config_sha256: &'a str,
    receipt: &'a Receipt,
}

pub fn canonical_bytes(seq: i64, received_at: i64, config_sha256: &str, receipt: &Receipt) -> Vec<u8> {
    // Serializing plain strings, integers, booleans and a BTreeMap cannot fail.
    serde_json::to_vec(&Canonical { seq, received_at, config_sha256, receipt }).unwrap_or_default()
}

/// The canonical bytes of the receipt alone: tells a retry from a different
/// receipt that reuses an id.
pub fn body_digest(receipt: &Receipt) -> String {
    crate::chain::sha256_hex(&serde_json::to_vec(receipt).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> String {
        r#"{"v":1,"receiptId":"0b7f2c1e-9d4a-4f7b-8a61-3c2d1e0f9a8b","consentId":"0123456789abcdef0123456789abcdef",
            "decidedAt":1764600000000,"choices":{"analytics":true,"marketing":false},
            "fingerprints":{"analytics":"0123456789abcdef","marketing":"fedcba9876543210"},
            "revision":1,"edition":"2024-05-01","source":"bar-accept","lang":"lv","path":"/en/","dnt":false,"gpc":true}"#
            .to_owned()
    }

    const NOW: i64 = 1_764_600_000_000;

    #[test]
    fn a_good_receipt_parses() {
        let r = Receipt::parse(sample().as_bytes(), NOW).unwrap();
        assert_eq!(r.source, Source::BarAccept);
        assert!(r.gpc);
    }

    #[test]
    fn unknown_fields_and_bad_values_are_refused() {
        let cases = [
            sample().replace(r#""gpc":true"#, r#""gpc":true,"ip":"1.2.3.4""#),
            sample().replace(r#""lv""#, r#""<b>""#),
            sample().replace(r#""/en/""#, r#""/a?q=1""#),
            sample().replace("0b7f2c1e", "0B7F2C1E"),
            sample().replace("1764600000000", "1764800000000"),
            sample().replace(r#""revision":1"#, r#""revision":-1"#),
            sample().replace(r#""bar-accept""#, r#""bar""#),
            sample().replace(r#""analytics":true"#, r#""analytics":"true""#),
        ];
        for case in cases {
            assert!(Receipt::parse(case.as_bytes(), NOW).is_err(), "accepted {case}");
        }
    }

    #[test]
    fn uuid_forms() {
        assert!(is_receipt_id("0b7f2c1e-9d4a-4f7b-8a61-3c2d1e0f9a8b"));
        assert!(is_receipt_id("0b7f2c1e9d4a4f7b8a613c2d1e0f9a8b"));
        assert!(!is_receipt_id("0b7f2c1e-9d4a-4f7b-8a613-c2d1e0f9a8b"));
        assert!(!is_receipt_id("0b7f2c1e-9d4a-4f7b-8a61-3c2d1e0f9a8g"));
    }
}
