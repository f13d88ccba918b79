//! The stored consent record: what the visitor chose, when, where and for
//! which policy revision. Decoding never panics, and anything that is not a
//! well-formed record of this version is refused: it never counts as consent.

use super::category::{Category, Choices};
use super::fingerprint::is_vendor_key;
use super::json::{self, Object, Value};
use std::fmt;

/// Version 3 keeps a choice per vendor beside the categories; version 2
/// added `explicit`. Versions 1 and 2 are still read (see `decode`).
pub const RECORD_VERSION: u32 = 3;

/// The largest stored value read as a record. A record with the six vendors
/// of the demo is about 550 bytes, and each vendor adds about 30; anything
/// far larger was not written by this library, and parsing it on every page
/// view would cost the visitor time for nothing.
pub const MAX_RECORD_BYTES: usize = 8192;

/// Where a decision was made. On the host it is also serde's (the receipts
/// collector reads it from receipts), spelled as [`Source::as_str`] has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(target_arch = "wasm32"), derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(not(target_arch = "wasm32"), serde(rename_all = "kebab-case"))]
pub enum Source {
    /// "Accept all" on the bar.
    BarAccept,
    /// "Reject all" on the bar.
    BarReject,
    /// The preferences dialog.
    Preferences,
    /// A call of the JS API by the site.
    Api,
    /// A browser signal (Do Not Track, Global Privacy Control).
    BrowserSignal,
    /// A button of the site's own, marked `data-consent-accept` or
    /// `data-consent-reject`.
    PageButton,
}

/// The record as stored (JSON, camelCase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRecord {
    /// Format version.
    pub v: u32,
    /// A random id (32 lower-case hex digits) that names this visitor's consent
    /// in receipts, without identifying the visitor.
    pub id: String,
    /// When the first decision was made (ms since the epoch).
    pub given_at: i64,
    /// When the last decision was made.
    pub updated_at: i64,
    /// Per category: granted as a whole (every one of its vendors is).
    pub choices: Choices,
    /// The grants the visitor made by naming the category or one of its
    /// vendors (a switch in the settings, or `set()`), not through "accept
    /// all": only these outweigh Do Not Track or Global Privacy Control.
    pub explicit: Choices,
    /// The config's policy revision the decision was made under.
    pub revision: u32,
    /// The choice per vendor of the config the decision was made for.
    pub vendors: Vec<VendorChoice>,
    /// A record of version 1 or 2 has no choice per vendor: the fingerprint
    /// of each category's vendors it was given for, read against the config
    /// (`decide`) as "every vendor of a granted category granted". Never
    /// written.
    pub legacy: Option<Fingerprints>,
    pub source: Source,
    /// The language the visitor read the texts in.
    pub lang: String,
}

/// What the visitor chose for one vendor, stored as
/// `"vendors":{"marketing":{"criteo":[true,"1a2b3c4d"]}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorChoice {
    pub category: Category,
    /// The vendor's key (see `fingerprint::vendor_keys`).
    pub key: String,
    pub granted: bool,
    /// The vendor's fingerprint when the choice was made.
    pub fingerprint: String,
}

/// Per-category fingerprints (see `core::fingerprint`), of records of version 1 and 2.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fingerprints {
    pub analytics: String,
    pub marketing: String,
}

impl Fingerprints {
    pub fn of(&self, category: Category) -> Option<&str> {
        match category {
            Category::Necessary => None,
            Category::Analytics => Some(&self.analytics),
            Category::Marketing => Some(&self.marketing),
        }
    }
}

/// Why a stored value does not count as consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// Not JSON of the record's shape (corrupt, or another tool's value).
    Malformed(String),
    /// Written by a version of the library this one does not read.
    UnknownVersion(u32),
    /// Fields that cannot all be true at once (edited by hand, or tampered).
    Inconsistent(&'static str),
    /// Larger than any record this library writes.
    TooLarge(usize),
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::Malformed(e) => write!(f, "the stored consent is not a consent-gate record ({e})"),
            RecordError::UnknownVersion(v) => {
                write!(f, "the stored consent has format version {v}, this library reads {RECORD_VERSION}")
            }
            RecordError::Inconsistent(why) => write!(f, "the stored consent cannot be trusted: {why}"),
            RecordError::TooLarge(bytes) => {
                write!(f, "the stored consent is {bytes} bytes, more than the {MAX_RECORD_BYTES} a record can take; it is ignored")
            }
        }
    }
}

impl std::error::Error for RecordError {}

/// How far a record's clock may run ahead of ours before it is refused as
/// tampered (clocks of one browser drift little; a day allows for changes of
/// the system clock).
const CLOCK_SKEW_MS: i64 = 86_400_000;

impl Source {
    pub const ALL: [Source; 6] = [
        Source::BarAccept,
        Source::BarReject,
        Source::Preferences,
        Source::Api,
        Source::BrowserSignal,
        Source::PageButton,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::BarAccept => "bar-accept",
            Source::BarReject => "bar-reject",
            Source::Preferences => "preferences",
            Source::Api => "api",
            Source::BrowserSignal => "browser-signal",
            Source::PageButton => "page-button",
        }
    }

    pub fn parse(name: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl ConsentRecord {
    /// The stored form: compact JSON, fields in a fixed order.
    pub fn encode(&self) -> String {
        let pair =
            |analytics: Value, marketing: Value| Value::object([("analytics", analytics), ("marketing", marketing)]);
        // A loop of `insert`s, not a `collect`: one generic instance fewer.
        let vendors_of = |category: Category| -> Value {
            let mut object = Object::new();
            for v in self.vendors.iter().filter(|v| v.category == category) {
                object.insert(v.key.clone(), Value::Array(vec![v.granted.into(), v.fingerprint.as_str().into()]));
            }
            Value::Object(object)
        };
        Value::object([
            ("v", RECORD_VERSION.into()),
            ("id", self.id.as_str().into()),
            ("givenAt", self.given_at.into()),
            ("updatedAt", self.updated_at.into()),
            ("choices", pair(self.choices.analytics.into(), self.choices.marketing.into())),
            ("explicit", pair(self.explicit.analytics.into(), self.explicit.marketing.into())),
            ("vendors", pair(vendors_of(Category::Analytics), vendors_of(Category::Marketing))),
            ("revision", self.revision.into()),
            ("source", self.source.as_str().into()),
            ("lang", self.lang.as_str().into()),
        ])
        .to_json()
    }

    /// Reads a stored record, checking it could have been written by this library.
    pub fn decode(text: &str, now_ms: i64) -> Result<ConsentRecord, RecordError> {
        if text.len() > MAX_RECORD_BYTES {
            return Err(RecordError::TooLarge(text.len()));
        }
        let value = json::parse(text).map_err(|e| RecordError::Malformed(e.message.to_owned()))?;
        let Value::Object(fields) = value else { return Err(malformed("not an object")) };
        // The version first: another version may have another shape.
        let version = match fields.get("v") {
            Some(Value::Int(v)) if (1..=i64::from(RECORD_VERSION)).contains(v) => *v,
            Some(Value::Int(v)) => {
                return Err(
                    u32::try_from(*v).map_or(malformed("its version is not a version"), RecordError::UnknownVersion)
                )
            }
            _ => return Err(malformed("it has no version")),
        };
        let record = read_record(Fields(fields), version)?;
        record.check(now_ms)?;
        Ok(record)
    }

    fn check(&self, now_ms: i64) -> Result<(), RecordError> {
        if !is_consent_id(&self.id) {
            return Err(RecordError::Inconsistent("its id is not 32 hexadecimal digits"));
        }
        if self.given_at <= 0 || self.updated_at < self.given_at {
            return Err(RecordError::Inconsistent("its last decision is dated before its first"));
        }
        if self.updated_at > now_ms + CLOCK_SKEW_MS {
            return Err(RecordError::Inconsistent("it is dated in the future"));
        }
        if self.lang.is_empty() || self.lang.len() > 35 {
            return Err(RecordError::Inconsistent("its language is missing or malformed"));
        }
        for category in Category::OPTIONAL {
            let mut vendors = self.vendors.iter().filter(|v| v.category == category).peekable();
            let has_vendors = vendors.peek().is_some();
            let (mut all, mut any) = (true, false);
            for vendor in vendors {
                all &= vendor.granted;
                any |= vendor.granted;
            }
            if has_vendors && all != self.choices.allows(category) {
                return Err(RecordError::Inconsistent("its choice for a category is not the sum of its vendors"));
            }
            if self.explicit.allows(category) && !self.choices.allows(category) && !any {
                return Err(RecordError::Inconsistent("it names as chosen a category it does not grant"));
            }
        }
        Ok(())
    }
}

pub fn is_consent_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Turns 16 random bytes into a consent id.
pub fn consent_id_from(bytes: [u8; 16]) -> String {
    super::fingerprint::hex(&bytes)
}

fn malformed(why: &str) -> RecordError {
    RecordError::Malformed(why.to_owned())
}

/// Reads the fields of a record. A version 1 record has no `explicit`: none
/// of its grants counts as made by name, so browser signals apply to all of
/// them (the safe reading of a record that does not say). Records before
/// version 3 have category fingerprints instead of vendors (see
/// [`ConsentRecord::legacy`]).
fn read_record(mut fields: Fields, version: i64) -> Result<ConsentRecord, RecordError> {
    let mut choices = fields.object("choices")?;
    let mut explicit = if version == 1 { None } else { Some(fields.object("explicit")?) };
    let explicit_choices = match explicit.as_mut() {
        Some(e) => Choices { analytics: e.boolean("analytics")?, marketing: e.boolean("marketing")? },
        None => Choices::NONE,
    };
    let (vendors, legacy) = if version < 3 {
        let mut fingerprints = fields.object("fingerprints")?;
        let legacy =
            Fingerprints { analytics: fingerprints.text("analytics")?, marketing: fingerprints.text("marketing")? };
        fingerprints.finish()?;
        (Vec::new(), Some(legacy))
    } else {
        (read_vendors(fields.object("vendors")?)?, None)
    };
    let record = ConsentRecord {
        v: RECORD_VERSION,
        id: fields.text("id")?,
        given_at: fields.int("givenAt")?,
        updated_at: fields.int("updatedAt")?,
        choices: Choices { analytics: choices.boolean("analytics")?, marketing: choices.boolean("marketing")? },
        explicit: explicit_choices,
        revision: u32::try_from(fields.int("revision")?).map_err(|_| malformed("its revision is out of range"))?,
        vendors,
        legacy,
        source: Source::parse(&fields.text("source")?).ok_or_else(|| malformed("its source is unknown"))?,
        lang: fields.text("lang")?,
    };
    fields.remove("v");
    for part in [fields, choices].into_iter().chain(explicit) {
        part.finish()?;
    }
    Ok(record)
}

/// `{"analytics":{"ga4":[true,"1a2b3c4d"]},"marketing":{…}}`: every entry a
/// vendor key, a grant and 8 hex digits; one pass over what is there.
fn read_vendors(mut by_category: Fields) -> Result<Vec<VendorChoice>, RecordError> {
    let mut vendors = Vec::new();
    for category in Category::OPTIONAL {
        for (key, entry) in by_category.object(category.as_str())?.0 {
            let read = match entry {
                Value::Array(items) => match items.as_slice() {
                    [Value::Bool(granted), Value::String(fingerprint)]
                        if fingerprint.len() == 8 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit()) =>
                    {
                        Some((*granted, fingerprint.clone()))
                    }
                    _ => None,
                },
                _ => None,
            };
            let Some((granted, fingerprint)) = read.filter(|_| is_vendor_key(&key)) else {
                return Err(RecordError::Malformed(format!("the vendor `{key}` is malformed")));
            };
            vendors.push(VendorChoice { category, key, granted, fingerprint });
        }
    }
    by_category.finish()?;
    Ok(vendors)
}

/// The error for a field that is missing or not of its kind. Never inlined:
/// inlined, its `format!` was copied into each of the record's 15 reads.
#[inline(never)]
fn missing(name: &str) -> RecordError {
    RecordError::Malformed(format!("`{name}` is missing or malformed"))
}

/// A record object's fields, taken one by one; any left over is refused.
struct Fields(Object);

impl Fields {
    fn remove(&mut self, name: &str) -> Option<Value> {
        self.0.remove(name)
    }

    fn field<T>(&mut self, name: &str, read: impl FnOnce(Value) -> Option<T>) -> Result<T, RecordError> {
        self.remove(name).and_then(read).ok_or_else(|| missing(name))
    }

    fn text(&mut self, name: &str) -> Result<String, RecordError> {
        self.field(name, |v| match v {
            Value::String(s) => Some(s),
            _ => None,
        })
    }

    fn int(&mut self, name: &str) -> Result<i64, RecordError> {
        self.field(name, |v| v.as_i64())
    }

    fn boolean(&mut self, name: &str) -> Result<bool, RecordError> {
        self.field(name, |v| v.as_bool())
    }

    fn object(&mut self, name: &str) -> Result<Fields, RecordError> {
        self.field(name, |v| match v {
            Value::Object(o) => Some(Fields(o)),
            _ => None,
        })
    }

    fn finish(self) -> Result<(), RecordError> {
        match self.0.keys().next() {
            Some(extra) => Err(RecordError::Malformed(format!("unknown field `{extra}`"))),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn serde_spells_each_source_as_the_record_does() {
        for source in Source::ALL {
            let spelled = serde_json::to_string(&source).unwrap_or_default();
            assert_eq!(spelled, format!("\"{}\"", source.as_str()));
            assert_eq!(serde_json::from_str::<Source>(&spelled).ok(), Some(source));
        }
    }

    const NOW: i64 = 1_780_000_000_000;

    fn vendor(category: Category, key: &str, granted: bool) -> VendorChoice {
        VendorChoice { category, key: key.to_owned(), granted, fingerprint: "0a1b2c3d".to_owned() }
    }

    fn record() -> ConsentRecord {
        ConsentRecord {
            v: RECORD_VERSION,
            id: consent_id_from([0xab; 16]),
            given_at: NOW - 1000,
            updated_at: NOW,
            choices: Choices { analytics: true, marketing: false },
            explicit: Choices { analytics: true, marketing: false },
            revision: 3,
            vendors: vec![
                vendor(Category::Analytics, "ga4", true),
                vendor(Category::Marketing, "criteo", true),
                vendor(Category::Marketing, "facebook-pixel", false),
            ],
            legacy: None,
            source: Source::BarAccept,
            lang: "lv".to_owned(),
        }
    }

    #[test]
    fn a_record_round_trips() {
        let r = record();
        assert_eq!(ConsentRecord::decode(&r.encode(), NOW), Ok(r));
    }

    #[test]
    fn the_stored_form_is_stable() {
        assert_eq!(
            record().encode(),
            r#"{"v":3,"id":"abababababababababababababababab","givenAt":1779999999000,"updatedAt":1780000000000,"choices":{"analytics":true,"marketing":false},"explicit":{"analytics":true,"marketing":false},"vendors":{"analytics":{"ga4":[true,"0a1b2c3d"]},"marketing":{"criteo":[true,"0a1b2c3d"],"facebook-pixel":[false,"0a1b2c3d"]}},"revision":3,"source":"bar-accept","lang":"lv"}"#
        );
    }

    #[test]
    fn corrupt_and_foreign_values_are_malformed() {
        for text in ["", "{", "null", "true", "[1]", r#"{"analytics":true}"#, "\u{0}\u{ffff}", r#"{"v":"1"}"#] {
            assert!(matches!(ConsentRecord::decode(text, NOW), Err(RecordError::Malformed(_))), "{text:?}");
        }
        let extra = record().encode().replace("\"lang\"", "\"admin\":true,\"lang\"");
        assert!(matches!(ConsentRecord::decode(&extra, NOW), Err(RecordError::Malformed(_))));
        let granted_as_string = record().encode().replace("\"analytics\":true", "\"analytics\":\"yes\"");
        assert!(matches!(ConsentRecord::decode(&granted_as_string, NOW), Err(RecordError::Malformed(_))));
    }

    #[test]
    fn other_versions_are_refused() {
        let text = record().encode().replacen("\"v\":3", "\"v\":4", 1);
        assert_eq!(ConsentRecord::decode(&text, NOW), Err(RecordError::UnknownVersion(4)));
        let reshaped = r#"{"v":4,"consent":{"analytics":"granted"}}"#;
        assert_eq!(ConsentRecord::decode(reshaped, NOW), Err(RecordError::UnknownVersion(4)));
        for zero in [r#"{"v":0}"#, r#"{"v":-1}"#] {
            assert!(ConsentRecord::decode(zero, NOW).is_err(), "{zero}");
        }
    }

    #[test]
    fn inconsistent_records_are_refused() {
        let mut r = record();
        r.id = "not-an-id".to_owned();
        assert!(matches!(ConsentRecord::decode(&r.encode(), NOW), Err(RecordError::Inconsistent(_))));
        let mut r = record();
        r.updated_at = r.given_at - 1;
        assert!(matches!(ConsentRecord::decode(&r.encode(), NOW), Err(RecordError::Inconsistent(_))));
        let mut r = record();
        r.updated_at = NOW + 2 * CLOCK_SKEW_MS;
        assert!(matches!(ConsentRecord::decode(&r.encode(), NOW), Err(RecordError::Inconsistent(_))));
        let mut r = record();
        r.lang = String::new();
        assert!(matches!(ConsentRecord::decode(&r.encode(), NOW), Err(RecordError::Inconsistent(_))));
    }

    #[test]
    fn a_version_1_record_is_read_with_no_grant_made_by_name() {
        let v1 = r#"{"v":1,"id":"abababababababababababababababab","givenAt":1779999999000,"updatedAt":1780000000000,"choices":{"analytics":true,"marketing":false},"revision":3,"fingerprints":{"analytics":"00aa","marketing":"00bb"},"source":"preferences","lang":"lv"}"#;
        let read = ConsentRecord::decode(v1, NOW).unwrap();
        assert_eq!((read.v, read.choices, read.explicit), (RECORD_VERSION, record().choices, Choices::NONE));
        assert_eq!(read.legacy, Some(Fingerprints { analytics: "00aa".into(), marketing: "00bb".into() }));
        assert!(read.vendors.is_empty());
        let v1_with_explicit =
            v1.replace("\"revision\"", "\"explicit\":{\"analytics\":true,\"marketing\":false},\"revision\"");
        assert!(matches!(ConsentRecord::decode(&v1_with_explicit, NOW), Err(RecordError::Malformed(_))));
    }

    #[test]
    fn a_version_2_record_is_read_with_its_category_fingerprints() {
        let v2 = r#"{"v":2,"id":"abababababababababababababababab","givenAt":1779999999000,"updatedAt":1780000000000,"choices":{"analytics":true,"marketing":false},"explicit":{"analytics":true,"marketing":false},"revision":3,"fingerprints":{"analytics":"00aa","marketing":"00bb"},"source":"bar-accept","lang":"lv"}"#;
        let read = ConsentRecord::decode(v2, NOW).unwrap();
        assert_eq!((read.choices, read.explicit), (record().choices, record().explicit));
        assert_eq!(read.legacy, Some(Fingerprints { analytics: "00aa".into(), marketing: "00bb".into() }));
        assert!(read.encode().starts_with("{\"v\":3,"), "written back as version 3");
        let v2_with_vendors =
            v2.replace("\"revision\"", "\"vendors\":{\"analytics\":{},\"marketing\":{}},\"revision\"");
        assert!(matches!(ConsentRecord::decode(&v2_with_vendors, NOW), Err(RecordError::Malformed(_))));
        let v3_with_fingerprints = record()
            .encode()
            .replace("\"revision\"", "\"fingerprints\":{\"analytics\":\"00aa\",\"marketing\":\"00bb\"},\"revision\"");
        assert!(matches!(ConsentRecord::decode(&v3_with_fingerprints, NOW), Err(RecordError::Malformed(_))));
    }

    #[test]
    fn tampered_vendor_choices_are_refused() {
        let text = record().encode();
        for (from, to) in [
            ("[false,\"0a1b2c3d\"]", "[\"no\",\"0a1b2c3d\"]"),
            ("[false,\"0a1b2c3d\"]", "[false,\"0a1b2c3\"]"),
            ("[false,\"0a1b2c3d\"]", "[false,\"0a1b2c3g\"]"),
            ("[false,\"0a1b2c3d\"]", "[false,\"0a1b2c3d\",1]"),
            ("[false,\"0a1b2c3d\"]", "false"),
            ("\"facebook-pixel\"", "\"Facebook\""),
            ("\"marketing\":{\"criteo\"", "\"ads\":{},\"marketing\":{\"criteo\""),
        ] {
            let forged = text.replace(from, to);
            assert!(matches!(ConsentRecord::decode(&forged, NOW), Err(RecordError::Malformed(_))), "{forged}");
        }
        // Marketing stored as refused while every one of its vendors is granted, and the reverse.
        let all_on = text.replace("[false,", "[true,");
        assert!(matches!(ConsentRecord::decode(&all_on, NOW), Err(RecordError::Inconsistent(_))));
        let mut r = record();
        r.choices = Choices::ALL;
        assert!(matches!(ConsentRecord::decode(&r.encode(), NOW), Err(RecordError::Inconsistent(_))));
        // Naming marketing as chosen is fine while one of its vendors is granted, not when none is.
        let mut r = record();
        r.explicit = Choices::ALL;
        assert!(ConsentRecord::decode(&r.encode(), NOW).is_ok());
        r.vendors[1].granted = false;
        assert!(matches!(ConsentRecord::decode(&r.encode(), NOW), Err(RecordError::Inconsistent(_))));
    }

    #[test]
    fn a_grant_by_name_must_be_a_grant() {
        let mut r = record();
        r.vendors.clear();
        r.explicit = Choices::ALL;
        assert!(matches!(ConsentRecord::decode(&r.encode(), NOW), Err(RecordError::Inconsistent(_))));
    }

    #[test]
    fn oversized_values_are_refused_before_parsing() {
        let padded = record()
            .encode()
            .replace("\"lang\":\"lv\"", &format!("\"lang\":\"lv\",\"pad\":\"{}\"", "x".repeat(MAX_RECORD_BYTES)));
        assert!(matches!(ConsentRecord::decode(&padded, NOW), Err(RecordError::TooLarge(n)) if n > MAX_RECORD_BYTES));
        let many_keys: String =
            format!("{{{}\"v\":3}}", (0..200_000).map(|i| format!("\"k{i}\":0,")).collect::<String>());
        assert!(matches!(ConsentRecord::decode(&many_keys, NOW), Err(RecordError::TooLarge(_))));
    }

    #[test]
    fn consent_ids_are_hex() {
        assert_eq!(
            consent_id_from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255]),
            "000102030405060708090a0b0c0d0eff"
        );
        assert!(is_consent_id(&consent_id_from([7; 16])));
        assert!(!is_consent_id("ABABABABABABABABABABABABABABABAB"));
    }
}
