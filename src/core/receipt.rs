//! Receipts: what the browser tells the site's collector after each decision,
//! so the site can prove consent when the visitor's own record is gone (GDPR
//! Art. 7(1)); and the outbox that keeps the receipts not yet acknowledged.
//!
//! A receipt carries the decision and what it was made under (the record's
//! choices and fingerprints, the policy's revision and edition), where it was
//! made (source, language, the page's path without its query) and the
//! browser signals then in force. Nothing that identifies the visitor: no
//! user agent, no query string, no referrer. The receipt id makes a retry
//! idempotent: the collector stores each id once.

use super::category::{Category, Signals};
use super::config::Config;
use super::fingerprint::category_fingerprint;
use super::json::{self, Value};
use super::record::ConsentRecord;

/// The receipt format the collector reads (`collector/src/receipt.rs`).
pub const RECEIPT_VERSION: u32 = 1;

/// The receipts waiting for the collector, at most. A visitor makes a few
/// decisions a year; twenty unsent ones mean the collector has been down a
/// long while, and the newest say what holds.
pub const MAX_PENDING: usize = 20;

/// The largest stored outbox read; larger was not written by this library.
pub const MAX_OUTBOX_BYTES: usize = 32 * 1024;

/// The longest page path sent, in bytes (cut at a character boundary).
pub const MAX_PATH_BYTES: usize = 512;

/// What a receipt says besides the record.
pub struct Occasion<'a> {
    /// A fresh random id for this receipt (32 lower-case hex digits).
    pub receipt_id: &'a str,
    /// The policy edition in force (`policy.edition`).
    pub edition: &'a str,
    /// `location.pathname`.
    pub path: &'a str,
    pub signals: Signals,
}

/// The receipt of the decision `record` holds, made under `config`, as the
/// JSON the collector takes. The fingerprints are the config's per category:
/// the collector finds by them the config version, so the vendors,
/// lifetimes and texts, the visitor was shown.
pub fn receipt(record: &ConsentRecord, config: &Config, occasion: &Occasion) -> Value {
    let pair = |analytics: Value, marketing: Value| Value::object([("analytics", analytics), ("marketing", marketing)]);
    let fingerprint = |category| category_fingerprint(config, category).into();
    // A loop of `insert`s, not a `collect`: one generic instance fewer.
    let mut vendors = json::Object::new();
    for v in &record.vendors {
        vendors.insert(v.key.clone(), v.granted.into());
    }
    Value::object([
        ("v", RECEIPT_VERSION.into()),
        ("receiptId", occasion.receipt_id.into()),
        ("consentId", record.id.as_str().into()),
        ("decidedAt", record.updated_at.into()),
        ("choices", pair(record.choices.analytics.into(), record.choices.marketing.into())),
        ("vendors", Value::Object(vendors)),
        ("fingerprints", pair(fingerprint(Category::Analytics), fingerprint(Category::Marketing))),
        ("revision", record.revision.into()),
        ("edition", occasion.edition.into()),
        ("source", record.source.as_str().into()),
        ("lang", record.lang.as_str().into()),
        ("path", path_only(occasion.path).into()),
        ("dnt", occasion.signals.do_not_track.into()),
        ("gpc", occasion.signals.global_privacy_control.into()),
    ])
}

/// The path alone, bounded: a query or fragment may carry what identifies
/// the visitor (an e-mail address in a newsletter link), so it never leaves.
fn path_only(path: &str) -> &str {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut end = path.len().min(MAX_PATH_BYTES);
    while !path.is_char_boundary(end) {
        end -= 1;
    }
    path.get(..end).unwrap_or_default()
}

/// Receipts not yet acknowledged, oldest first, as stored.
#[derive(Debug, Default, PartialEq)]
pub struct Outbox {
    pending: Vec<Value>,
}

/// Why a stored outbox was not read.
#[derive(Debug, PartialEq, Eq)]
pub enum OutboxError {
    TooLarge(usize),
    Malformed,
}

impl std::fmt::Display for OutboxError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            OutboxError::TooLarge(n) => {
                write!(f, "the receipts outbox in storage is {n} bytes, over {MAX_OUTBOX_BYTES}")
            }
            OutboxError::Malformed => f.write_str("the receipts outbox in storage is not a list of receipts"),
        }
    }
}

impl Outbox {
    /// Reads the stored outbox. Whatever is not a list of receipts objects
    /// with an id was not written by us and is dropped, never sent.
    pub fn decode(text: &str) -> Result<Outbox, OutboxError> {
        if text.len() > MAX_OUTBOX_BYTES {
            return Err(OutboxError::TooLarge(text.len()));
        }
        let Ok(Value::Array(items)) = json::parse(text) else { return Err(OutboxError::Malformed) };
        if items.len() > MAX_PENDING || !items.iter().all(|item| id_of(item).is_some()) {
            return Err(OutboxError::Malformed);
        }
        Ok(Outbox { pending: items })
    }

    pub fn encode(&self) -> String {
        json::array_json(&self.pending)
    }

    /// Adds a receipt; past `MAX_PENDING` the oldest goes, and is returned
    /// so the loss can be reported.
    pub fn push(&mut self, receipt: Value) -> Option<Value> {
        self.pending.push(receipt);
        (self.pending.len() > MAX_PENDING).then(|| self.pending.remove(0))
    }

    /// Drops the receipt the collector acknowledged (or refused for good).
    pub fn remove(&mut self, receipt_id: &str) -> bool {
        let before = self.pending.len();
        self.pending.retain(|item| id_of(item) != Some(receipt_id));
        self.pending.len() != before
    }

    /// Each pending receipt's id and body, oldest first.
    pub fn pending(&self) -> impl Iterator<Item = (&str, String)> {
        self.pending.iter().filter_map(|item| Some((id_of(item)?, item.to_json())))
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }
}

fn id_of(item: &Value) -> Option<&str> {
    let Value::Object(fields) = item else { return None };
    fields.get("receiptId")?.as_str().filter(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// What to do with a receipt after the collector's answer (its HTTP status;
/// 0 when the request failed before one came).
#[derive(Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Stored: drop it from the outbox.
    Delivered,
    /// Refused for good (malformed, too large, or its id already used for
    /// another receipt): sending it again gives the same answer. Drop it and
    /// report it.
    Refused,
    /// Refused until the site fixes something (403: this origin is not
    /// allowed; 404: no collector at the address; 422: the collector does
    /// not know this config yet, and reads it again on the next receipt):
    /// keep it for a later page view, and report it.
    Held,
    /// The collector is down, busy or unreachable: keep it for a later page view.
    Retry,
}

impl Delivery {
    pub fn after(status: u16) -> Delivery {
        match status {
            200..=299 => Delivery::Delivered,
            403 | 404 | 422 => Delivery::Held,
            408 | 425 | 429 => Delivery::Retry,
            400..=499 => Delivery::Refused,
            _ => Delivery::Retry,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::category::Choices;
    use crate::core::record::{Source, VendorChoice, RECORD_VERSION};

    const CONFIG: &str = r#"{
        "policy": {"url": "/cookies", "edition": "2025-03-01"},
        "vendors": [
            {"type": "ga4", "measurementId": "G-TEST123", "lifetime": "180 days"},
            {"type": "criteo", "accountId": 12345, "lifetime": "13 months"}
        ]
    }"#;

    fn config() -> Config {
        Config::from_json(CONFIG).unwrap_or_else(|e| panic!("{e}"))
    }

    fn choice(category: Category, key: &str, granted: bool) -> VendorChoice {
        VendorChoice { category, key: key.into(), granted, fingerprint: "1a2b3c4d".into() }
    }

    fn record() -> ConsentRecord {
        ConsentRecord {
            v: RECORD_VERSION,
            id: "ab".repeat(16),
            given_at: 1_779_999_999_000,
            updated_at: 1_780_000_000_000,
            choices: Choices { analytics: true, marketing: false },
            explicit: Choices::NONE,
            revision: 3,
            vendors: vec![choice(Category::Analytics, "ga4", true), choice(Category::Marketing, "criteo", false)],
            legacy: None,
            source: Source::Preferences,
            lang: "lv".into(),
        }
    }

    fn occasion(path: &str) -> Occasion<'_> {
        Occasion {
            receipt_id: "0123456789abcdef0123456789abcdef",
            edition: "2025-03-01",
            path,
            signals: Signals { do_not_track: true, global_privacy_control: false },
        }
    }

    #[test]
    fn a_receipt_carries_the_decision_and_nothing_that_names_the_visitor() {
        let config = config();
        let text = receipt(&record(), &config, &occasion("/lv/cenas?email=a@b.lv#x")).to_json();
        let (analytics, marketing) =
            (category_fingerprint(&config, Category::Analytics), category_fingerprint(&config, Category::Marketing));
        assert_eq!(
            text,
            format!(
                r#"{{"v":1,"receiptId":"0123456789abcdef0123456789abcdef","consentId":"abababababababababababababababab","decidedAt":1780000000000,"choices":{{"analytics":true,"marketing":false}},"vendors":{{"ga4":true,"criteo":false}},"fingerprints":{{"analytics":"{analytics}","marketing":"{marketing}"}},"revision":3,"edition":"2025-03-01","source":"preferences","lang":"lv","path":"/lv/cenas","dnt":true,"gpc":false}}"#
            )
        );
        assert_ne!(analytics, marketing);
    }

    #[test]
    fn a_long_path_is_cut_at_a_character_boundary() {
        let long = format!("/{}", "ā".repeat(400));
        let value = receipt(&record(), &config(), &occasion(&long));
        let Value::Object(fields) = value else { panic!("a receipt is an object") };
        let path = fields.get("path").and_then(Value::as_str).unwrap_or_default();
        assert!(path.len() <= MAX_PATH_BYTES && path.len() > MAX_PATH_BYTES - 2, "{}", path.len());
    }

    #[test]
    fn the_outbox_round_trips_and_drops_the_oldest_past_its_bound() {
        let (mut outbox, config) = (Outbox::default(), config());
        for n in 0..=MAX_PENDING {
            let id = format!("{n:032x}");
            let dropped = outbox.push(receipt(&record(), &config, &Occasion { receipt_id: &id, ..occasion("/") }));
            assert_eq!(dropped.is_some(), n == MAX_PENDING);
        }
        assert_eq!(outbox.len(), MAX_PENDING);
        let ids: Vec<String> = outbox.pending().map(|(id, _)| id.to_owned()).collect();
        assert_eq!(ids.first().map(String::as_str), Some(format!("{:032x}", 1).as_str()));
        let text = outbox.encode();
        assert!(text.len() <= MAX_OUTBOX_BYTES, "a full outbox must fit its own limit: {}", text.len());
        assert_eq!(Outbox::decode(&text), Ok(outbox));
    }

    #[test]
    fn remove_takes_only_the_acknowledged_receipt() {
        let (mut outbox, config) = (Outbox::default(), config());
        for id in ["a".repeat(32), "b".repeat(32)] {
            outbox.push(receipt(&record(), &config, &Occasion { receipt_id: &id, ..occasion("/") }));
        }
        assert!(outbox.remove(&"a".repeat(32)));
        assert!(!outbox.remove(&"a".repeat(32)));
        assert_eq!(outbox.pending().map(|(id, _)| id.to_owned()).collect::<Vec<_>>(), ["b".repeat(32)]);
    }

    #[test]
    fn a_stored_outbox_we_did_not_write_is_refused() {
        assert_eq!(Outbox::decode("{}"), Err(OutboxError::Malformed));
        assert_eq!(Outbox::decode(r#"[{"receiptId":"short"}]"#), Err(OutboxError::Malformed));
        assert_eq!(Outbox::decode("[1]"), Err(OutboxError::Malformed));
        let huge = format!("[{}]", " ".repeat(MAX_OUTBOX_BYTES));
        assert!(matches!(Outbox::decode(&huge), Err(OutboxError::TooLarge(_))));
        let too_many =
            format!("[{}]", vec![format!(r#"{{"receiptId":"{}"}}"#, "c".repeat(32)); MAX_PENDING + 1].join(","));
        assert_eq!(Outbox::decode(&too_many), Err(OutboxError::Malformed));
        assert_eq!(Outbox::decode("[]"), Ok(Outbox::default()));
    }

    #[test]
    fn only_a_lasting_refusal_drops_a_receipt() {
        assert_eq!(Delivery::after(201), Delivery::Delivered);
        assert_eq!(Delivery::after(400), Delivery::Refused);
        assert_eq!(Delivery::after(409), Delivery::Refused);
        assert_eq!(Delivery::after(422), Delivery::Held, "the collector reads a new config on the next receipt");
        assert_eq!(Delivery::after(403), Delivery::Held);
        assert_eq!(Delivery::after(429), Delivery::Retry);
        assert_eq!(Delivery::after(503), Delivery::Retry);
        assert_eq!(Delivery::after(0), Delivery::Retry);
    }
}
