//! A fingerprint per category of the vendors the config discloses in it.
//! A stored grant is tied to the fingerprint it was given for: when the
//! vendors of a category change, that category is asked again, without anyone
//! bumping a revision by hand. Texts, order and whitespace do not count; which
//! vendors, their ids and their declared cookie lifetimes do.

use super::category::Category;
use super::config::Config;

/// 64-bit FNV-1a: small, stable across builds and platforms; this needs no
/// cryptographic strength, only to notice a change.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// The fingerprint of `category` in `config`, as 16 hex digits.
pub fn category_fingerprint(config: &Config, category: Category) -> String {
    // Kept in order as they are added: a sort's code would weigh on the wasm.
    let mut disclosed: Vec<String> = Vec::new();
    for v in config.vendors.iter().filter(|v| v.category == category) {
        let entry = format!("{}\u{1f}{}\u{1f}{}", v.tag.kind(), v.tag.id(), v.lifetime);
        let at = disclosed.partition_point(|d| *d <= entry);
        disclosed.insert(at, entry);
    }
    hex(&fnv1a(disclosed.join("\u{1e}").as_bytes()).to_be_bytes())
}

/// Bytes as lower-case hex digits, without `core::fmt`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 0xF)]]).map(char::from).collect()
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
