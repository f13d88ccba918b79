//! Property tests of the config checker: whatever the input, no panic; every
//! problem has a position inside the text; and no accepted config breaks a
//! rule. Also: the JSON Schema's id patterns accept exactly what the checker
//! accepts.
#![cfg(not(target_arch = "wasm32"))]

use consent_gate::core::category::Category;
use consent_gate::core::config::{is_domain_name, is_http_url, Config, Localized, Rejected};
use consent_gate::core::i18n::Key;
use consent_gate::vendors::{schema::own_fields, vendor_type, CookieName, FieldError};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Every rule an accepted config must keep.
fn assert_rules_hold(config: &Config) {
    assert!(!config.languages.is_empty());
    assert!(config.languages.contains(&config.default_language));
    assert!(config.language.as_ref().map_or(true, |l| config.languages.contains(l)));
    let cookie_name =
        |name: &str| !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    assert!(
        cookie_name(&config.storage.key),
        "storage key {:?} (a cookie where localStorage is refused)",
        config.storage.key
    );
    let key = &config.storage.key;
    let mut own_names = vec![key.clone(), format!("{key}:first-seen"), format!("{key}:probe"), format!("{key}-probe")];
    if let Some(mirror) = &config.storage.cookie {
        assert!(cookie_name(&mirror.name));
        if let Some(domain) = &mirror.domain {
            assert!(is_domain_name(domain, false), "mirror domain {domain:?}");
        }
        own_names.push(mirror.name.clone());
    }
    for lang in &config.languages {
        for key in Key::ALL {
            assert!(!config.texts(lang).get(key).contains('<'), "HTML in texts.{lang}.{}", key.name());
        }
        let url = config.policy_url(lang);
        let site_path = url.starts_with('/')
            && !url.starts_with("//")
            && !url.contains(|c: char| c == '\\' || c.is_whitespace() || c.is_control());
        assert!(is_http_url(url) || site_path, "policy url {url}");
    }
    let mut seen = Vec::new();
    for vendor in &config.vendors {
        assert_ne!(vendor.category, Category::Necessary, "a tag loaded without consent");
        assert!(is_http_url(&vendor.privacy_url), "privacy url {}", vendor.privacy_url);
        let script = vendor.tag.script();
        assert!(is_http_url(&script.url) && script.url.starts_with("https://"), "loader {}", script.url);
        for cookie in vendor.tag.cookies() {
            if let CookieName::Prefix(prefix) = &cookie {
                assert!(prefix.len() >= 3, "pattern {prefix}*");
            }
            assert!(!own_names.iter().any(|own| cookie.matches(own)), "{cookie:?} deletes one of {own_names:?}");
        }
        for key in vendor.tag.storage_keys() {
            assert!(!own_names.iter().any(|own| own == key), "{key} deletes one of {own_names:?}");
        }
        assert!(vendor.lifetime.amount > 0, "zero lifetime");
        let identity = (vendor.tag.kind(), vendor.tag.id().to_owned());
        assert!(!seen.contains(&identity), "duplicate vendor {identity:?}");
        seen.push(identity);
        if let Some(purpose) = &vendor.purpose {
            for lang in &config.languages {
                let text = purpose.get(lang);
                assert!(text.is_some_and(|t| !t.contains('<')), "purpose in {lang}: {text:?}");
            }
            if let Localized::PerLanguage(map) = purpose {
                assert!(map.iter().all(|(l, _)| config.languages.iter().any(|e| e == l)));
            }
        }
    }
}

/// Parses `text`: accepted configs keep every rule, refused ones say where.
fn check(text: &str) {
    match Config::from_json(text) {
        Ok(config) => assert_rules_hold(&config),
        Err(errors) => {
            assert!(!errors.0.is_empty());
            let lines = text.split('\n').count();
            for e in &errors.0 {
                let (line, column) = e.position.expect("a position");
                assert!(line >= 1 && line <= lines && column >= 1, "{e} outside the text");
                assert!(!e.message.is_empty());
            }
        }
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z$]{0,10}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Values a person might plausibly write in each field: mostly right, at
/// times wrong.
fn plausible(field: &str) -> BoxedStrategy<Value> {
    let pick = |right: &[&str], wrong: &[&str]| {
        let right: Vec<Value> = right.iter().map(|s| json!(s)).collect();
        let wrong: Vec<Value> = wrong.iter().map(|s| json!(s)).collect();
        prop_oneof![5 => prop::sample::select(right), 1 => prop::sample::select(wrong)].boxed()
    };
    match field {
        "category" => pick(&["analytics", "marketing"], &["necessary", "Marketing", ""]),
        "lifetime" => {
            pick(&["180 days", "13 months", "1 year", "3 months"], &["0 days", "11 years", "2 weeks", "", "1 Day"])
        }
        "privacyUrl" => pick(
            &["https://x.lv/privacy", "http://x.lv", "https://y.lv"],
            &[
                "ftp://x.lv",
                "javascript:alert(1)",
                "https://",
                "//x.lv",
                "https://x.lv@evil.test/",
                "https://x.lv\\p",
                "https://x .lv",
            ],
        ),
        "cookies" => pick(&["_hj*", "_hjid"], &["_*", "consent-gate", "consent*", "cg*", "cg"])
            .prop_map(|cookie| json!([cookie]))
            .boxed(),
        "purpose" => prop_oneof![
            5 => Just(json!({"lv": "Reklāma", "ru": "Реклама", "en": "Ads"})),
            1 => pick(&["Ads"], &["<b>Ads</b>", ""]),
            1 => prop::collection::btree_map(prop::sample::select(vec!["lv", "ru", "en", "de"]), "[a-z<> ]{0,6}", 0..4)
                .prop_map(|m| json!(m)),
        ]
        .boxed(),
        "measurementId" => pick(&["G-ABC123", "G-XYZ789"], &["UA-1234-1", "G-", "g-abc", "G-ABCDEFGHIJKLMNOPQ"]),
        "conversionId" => pick(&["AW-123456", "AW-7654321"], &["AW-123", "AW-123456/x", "123456"]),
        "advertiserId" => pick(&["DC-12345", "DC-7654321"], &["DC-1", "12345"]),
        "pixelId" => {
            prop_oneof![pick(&["123456789012345", "1234567890123456"], &["12345"]), Just(json!(123456789012345u64))]
                .boxed()
        }
        "accountId" | "trackingPointId" => {
            prop_oneof![pick(&["12345", "54321"], &["1", "abc"]), Just(json!(1234567))].boxed()
        }
        "src" => pick(
            &["https://x.lv/t.js", "https://y.lv/t.js"],
            &["http://x.lv/t.js", "javascript:1", "https://", "https://x.lv@y.lv/t.js", "https://x.lv/\tt.js"],
        ),
        "name" => pick(&["Hotjar"], &[" ", "<i>x</i>"]),
        _ => any_json().boxed(),
    }
}

/// A vendor of a known or unknown type with its id, usually a lifetime, and
/// a few other fields, right or wrong.
fn vendor_entry() -> impl Strategy<Value = Value> {
    let kinds = vec![
        ("ga4", "measurementId"),
        ("google-ads", "conversionId"),
        ("google-marketing-platform", "advertiserId"),
        ("facebook-pixel", "pixelId"),
        ("criteo", "accountId"),
        ("adform", "trackingPointId"),
        ("script", "src"),
        ("tiktok", "pixelId"),
    ];
    let extras = prop::sample::subsequence(vec!["category", "privacyUrl", "purpose", "colour"], 0..3);
    (prop::sample::select(kinds), extras, prop::bool::weighted(0.9)).prop_flat_map(
        |((kind, id_field), extras, with_lifetime)| {
            let mut names = vec![id_field];
            if with_lifetime {
                names.push("lifetime");
            }
            if kind == "script" {
                names.extend(["name", "category", "cookies"]);
            }
            for extra in extras {
                if !names.contains(&extra) {
                    names.push(extra);
                }
            }
            let values: Vec<_> = names.iter().map(|n| plausible(n)).collect();
            (Just(kind), Just(names), values).prop_map(|(kind, names, values)| {
                let mut map: Map<String, Value> = names.iter().map(|n| n.to_string()).zip(values).collect();
                map.insert("type".to_owned(), json!(kind));
                Value::Object(map)
            })
        },
    )
}

fn config_like() -> impl Strategy<Value = Value> {
    let languages = prop_oneof![
        3 => Just(vec!["lv", "ru", "en"]),
        1 => prop::sample::subsequence(vec!["lv", "ru", "en", "de", "LV"], 0..4),
    ];
    let policy_url = prop_oneof![
        Just(json!("/cookies")),
        Just(json!("javascript:x")),
        Just(json!("/\\evil.test/")),
        Just(json!("/\t/evil.test")),
        Just(json!({"lv": "/c", "ru": "/ru/c", "en": "https://x.lv/en"})),
        Just(json!({"lv": "/c"})),
    ];
    let texts = prop_oneof![
        3 => Just(json!({})),
        1 => prop::collection::btree_map(
            prop::sample::select(vec!["lv", "en", "de"]),
            prop::collection::btree_map(prop::sample::select(vec!["acceptAll", "rejectAll", "acceptAl"]), "[a-z<]{0,5}", 0..3),
            0..3,
        )
        .prop_map(|m| json!(m)),
    ];
    let storage = prop_oneof![
        3 => Just(json!({})),
        1 => (
            prop::sample::select(vec!["consent-gate", "cg", "_gcl_ls", "cto_bundle", "_ga_x", "a b;"]),
            prop::sample::select(vec![json!(null), json!("example.lv"), json!(".example.lv"), json!("example.lv; SameSite=None"), json!("")]),
            prop::sample::select(vec!["consent", "cg", "_fbp", "consent-gate"]),
        )
            .prop_map(|(key, domain, name)| json!({"key": key, "cookie": {"name": name, "domain": domain}})),
    ];
    (languages, policy_url, prop::collection::vec(vendor_entry(), 0..5), texts, storage).prop_map(
        |(languages, url, vendors, texts, storage)| {
            json!({"languages": languages, "policy": {"url": url, "edition": "1"}, "vendors": vendors, "texts": texts, "storage": storage})
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_json_never_panics(value in any_json(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) };
        check(&text.unwrap());
    }

    #[test]
    fn no_accepted_config_breaks_a_rule(value in config_like(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) };
        check(&text.unwrap());
    }

    #[test]
    fn schema_id_patterns_agree_with_the_checker(
        kind in prop::sample::select(vec!["ga4", "google-ads", "google-marketing-platform", "facebook-pixel", "criteo", "adform"]),
        id in "(G-|AW-|DC-|UA-|g-)?[A-Z0-9a-z/]{0,18}",
    ) {
        let (properties, _) = own_fields(kind).unwrap();
        let (field, schema) = properties.as_object().unwrap().iter().next().unwrap();
        let pattern = regex::Regex::new(schema["pattern"].as_str().unwrap()).unwrap();
        let fields = || consent_gate::core::json::Object::from_iter([(field.clone(), id.as_str().into())]);
        let accepted = (vendor_type::<FieldError>(kind).unwrap().build)(fields()).is_ok();
        prop_assert_eq!(pattern.is_match(&id), accepted, "{} {}", kind, id);
        let accepted_leanly = (vendor_type::<Rejected>(kind).unwrap().build)(fields()).is_ok();
        prop_assert_eq!(accepted_leanly, accepted, "{} {}", kind, id);
    }

    /// The library's own JSON reader and writer agree with serde_json on
    /// any value: what it reads and writes back, serde_json reads the same.
    #[test]
    fn the_json_reader_agrees_with_serde_json(value in wide_json(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) };
        let text = text.unwrap();
        let ours = consent_gate::core::json::parse(&text).map_err(|e| format!("{e:?} in {text}"));
        let written = ours.unwrap().to_json();
        // Both through serde_json, whose float parsing is not exact: ours
        // keeps every number's text as written.
        let back: Value = serde_json::from_str(&written).unwrap();
        let expected: Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, expected);
    }
}

/// Any JSON, with the full range of integers, decimals and unicode text.
fn wide_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
