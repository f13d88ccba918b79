//! A fingerprint per vendor of the config, and the key a visitor's choice
//! names each vendor by. A stored grant is tied to the fingerprint it was
//! given for: when a vendor is added or changed, that vendor is asked about
//! again (the others' choices stand), without anyone bumping a revision by
//! hand. Texts, order and whitespace do not count; which vendors, their ids
//! and their declared cookie lifetimes do.
//!
//! The per-category fingerprint of format version 2 records is kept to read
//! those records (see `decide`).

use super::category::Category;
use super::config::{Config, VendorEntry};
use super::lifetime::{Lifetime, Unit};

/// The key each vendor of `config` is chosen by, in config order: its type
/// (`ga4`, `google-ads`, `google-marketing-platform`, `facebook-pixel`,
/// `criteo`, `adform`), or for a `script` vendor its name in lower case with
/// every run of other characters than letters and digits as one `-`
/// (`"Hot Jar"` is `hot-jar`). A second vendor with the same key gets `-2`,
/// a third `-3`, in config order.
pub fn vendor_keys(config: &Config) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(config.vendors.len());
    for vendor in &config.vendors {
        let base = base_key(vendor);
        let mut key = base.clone();
        let mut n: usize = 1;
        while keys.contains(&key) {
            n += 1;
            key = base.clone();
            key.push('-');
            key.push_str(&decimal(n));
        }
        keys.push(key);
    }
    keys
}

/// `n` in decimal digits, without `core::fmt`.
fn decimal(n: usize) -> String {
    let mut digits = String::new();
    super::json::push_int(&mut digits, n as i64);
    digits
}

fn base_key(vendor: &VendorEntry) -> String {
    if vendor.tag.kind() != "script" {
        return vendor.tag.kind().to_owned();
    }
    let mut key = String::new();
    for c in vendor.tag.display_name().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
    }
    while key.ends_with('-') {
        key.pop();
    }
    if key.is_empty() {
        key.push_str("script");
    }
    key
}

/// Whether `key` could be a vendor key (what [`vendor_keys`] makes): a
/// stored record or gated markup naming anything else is refused.
pub fn is_vendor_key(key: &str) -> bool {
    (1..=64).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !key.starts_with('-')
}

/// The fingerprint of one vendor: its type, id and declared lifetime, as 8
/// hex digits (enough to notice a change).
pub fn vendor_fingerprint(vendor: &VendorEntry) -> String {
    hex(&fnv1a(disclosure(vendor).as_bytes()).to_be_bytes()[..4])
}

/// What a fingerprint covers of a vendor: type, id and lifetime ("13
/// months", as `Lifetime`'s Display writes it), separated by U+001F. Built
/// with `push_str`, not `format!`: `Lifetime`'s Display (208 B raw) is then
/// not in the gate.
fn disclosure(vendor: &VendorEntry) -> String {
    let Lifetime { amount, unit } = vendor.lifetime;
    let mut entry = String::new();
    entry.push_str(vendor.tag.kind());
    entry.push('\u{1f}');
    entry.push_str(vendor.tag.id());
    entry.push('\u{1f}');
    super::json::push_int(&mut entry, amount.into());
    entry.push_str(match (unit, amount) {
        (Unit::Days, 1) => " day",
        (Unit::Days, _) => " days",
        (Unit::Months, 1) => " month",
        (Unit::Months, _) => " months",
        (Unit::Years, 1) => " year",
        (Unit::Years, _) => " years",
    });
    entry
}

/// 64-bit FNV-1a: small, stable across builds and platforms; this needs no
/// cryptographic strength, only to notice a change.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// The fingerprint of `category` in `config`, as 16 hex digits.
pub fn category_fingerprint(config: &Config, category: Category) -> String {
    // Kept in order as they are added: a sort's code would weigh on the wasm.
    let mut disclosed: Vec<String> = Vec::new();
    for v in &config.vendors {
        if v.category == category {
            let entry = disclosure(v);
            let at = disclosed.partition_point(|d| *d <= entry);
            disclosed.insert(at, entry);
        }
    }
    // Joined by hand: `join` is a generic instance of its own (about 1 KB raw).
    let mut joined = String::new();
    for (i, entry) in disclosed.iter().enumerate() {
        if i > 0 {
            joined.push('\u{1e}');
        }
        joined.push_str(entry);
    }
    hex(&fnv1a(joined.as_bytes()).to_be_bytes())
}

/// Bytes as lower-case hex digits, without `core::fmt`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xF)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vendors: &str) -> Config {
        let text = format!(r#"{{"policy": {{"url": "/c", "edition": "1"}}, "vendors": [{vendors}]}}"#);
        Config::from_json(&text).unwrap_or_else(|e| panic!("{e}"))
    }

    const GA: &str = r#"{"type": "ga4", "measurementId": "G-AAA111", "lifetime": "180 days"}"#;
    const FB: &str = r#"{"type": "facebook-pixel", "pixelId": "123456789012345", "lifetime": "3 months"}"#;
    const CRITEO: &str = r#"{"type": "criteo", "accountId": "12345", "lifetime": "1 year"}"#;

    #[test]
    fn order_whitespace_and_texts_do_not_count() {
        let a = config(&format!("{GA},{FB},{CRITEO}"));
        let b = config(&format!("{CRITEO},\n  {FB} , {GA}"));
        let with_purpose = FB.replace('}', r#", "purpose": {"lv": "Reklāma", "ru": "Реклама", "en": "Ads"}}"#);
        let c = config(&format!("{GA},{with_purpose},{CRITEO}"));
        for category in Category::ALL {
            assert_eq!(category_fingerprint(&a, category), category_fingerprint(&b, category));
            assert_eq!(category_fingerprint(&a, category), category_fingerprint(&c, category));
        }
    }

    #[test]
    fn a_new_vendor_changes_only_its_category() {
        let before = config(&format!("{GA},{FB}"));
        let after = config(&format!("{GA},{FB},{CRITEO}"));
        assert_eq!(
            category_fingerprint(&before, Category::Analytics),
            category_fingerprint(&after, Category::Analytics)
        );
        assert_ne!(
            category_fingerprint(&before, Category::Marketing),
            category_fingerprint(&after, Category::Marketing)
        );
    }

    #[test]
    fn vendor_keys_are_the_type_or_the_script_name_and_never_repeat() {
        let hotjar = r#"{"type": "script", "name": "Hot Jar!", "src": "https://hotjar.example/x.js", "category": "analytics", "privacyUrl": "https://hotjar.example/p", "lifetime": "1 year"}"#;
        let other = hotjar.replace("x.js", "y.js");
        let russian = hotjar.replace("Hot Jar!", "Метрика").replace("x.js", "z.js");
        let c = config(&format!("{GA},{FB},{CRITEO},{hotjar},{other},{russian},{}", GA.replace("AAA111", "BBB222")));
        assert_eq!(vendor_keys(&c), ["ga4", "facebook-pixel", "criteo", "hot-jar", "hot-jar-2", "script", "ga4-2"]);
        assert!(vendor_keys(&c).iter().all(|k| is_vendor_key(k)));
        for bad in ["", "Criteo", "-x", "a b", "a:b", &"x".repeat(65)] {
            assert!(!is_vendor_key(bad), "{bad}");
        }
    }

    #[test]
    fn a_vendor_fingerprint_follows_its_id_and_lifetime_only() {
        let fp = |vendor: &str| vendor_fingerprint(&config(vendor).vendors[0]);
        assert_eq!(fp(GA).len(), 8);
        assert_eq!(fp(GA), fp(&GA.replace('}', r#", "purpose": {"lv": "a", "ru": "b", "en": "c"}}"#)));
        assert_ne!(fp(GA), fp(&GA.replace("AAA111", "BBB222")));
        assert_ne!(fp(GA), fp(&GA.replace("180 days", "2 years")));
    }

    #[test]
    fn the_disclosure_is_what_format_wrote() {
        let lifetimes = ["1 day", "180 days", "1 month", "13 months", "1 year", "2 years"];
        for lifetime in lifetimes {
            let c = config(&format!("{GA},{FB}").replace("180 days", lifetime).replace("3 months", lifetime));
            for v in &c.vendors {
                assert_eq!(disclosure(v), format!("{}\u{1f}{}\u{1f}{}", v.tag.kind(), v.tag.id(), v.lifetime));
            }
        }
        assert_eq!(decimal(0), "0");
        assert_eq!(decimal(1207), "1207");
        assert_eq!(hex(&[0x0f, 0xa0]), "0fa0");
    }

    #[test]
    fn a_changed_id_or_lifetime_changes_the_fingerprint() {
        let base = config(GA);
        let other_id = config(&GA.replace("G-AAA111", "G-BBB222"));
        let longer = config(&GA.replace("180 days", "2 years"));
        let fp = |c: &Config| category_fingerprint(c, Category::Analytics);
        assert_ne!(fp(&base), fp(&other_id));
        assert_ne!(fp(&base), fp(&longer));
        assert_eq!(fp(&base).len(), 16);
    }
}
