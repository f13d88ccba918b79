//! Property tests of the config checker: whatever the input, no panic; every
//! problem has a position inside the text; no accepted config breaks a rule;
//! and the lean check (`Config::accept_json`) accepts exactly the files the
//! full one (`Config::from_json`) accepts, with the same config. Also: the
//! JSON Schema's id patterns accept exactly what the checker accepts.
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
        if let Some(script) = vendor.tag.script() {
            assert!(is_http_url(&script.url) && script.url.starts_with("https://"), "loader {}", script.url);
        }
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

/// Parses `text`: accepted configs keep every rule, refused ones say where,
/// and the lean check agrees.
fn check(text: &str) {
    assert_modes_agree(text);
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

/// The lean check accepts `text` exactly when the full one does, with the
/// same config (compared through `Debug`, which shows every field).
fn assert_modes_agree(text: &str) {
    let full = Config::from_json(text).map(|config| format!("{config:?}"));
    let lean = Config::accept_json(text).map(|config| format!("{config:?}"));
    match (full, lean) {
        (Ok(full), Ok(lean)) => assert_eq!(full, lean, "the two checks read {text} differently"),
        (Err(_), Err(Rejected)) => {}
        (full, lean) => panic!("full check: {full:?}\nlean check: {lean:?}\nfor {text}"),
    }
}

/// `value` with one of its keys, anywhere in it, misspelt: the letter at
/// `letter` dropped, or `key` itself if it has no letters. `pick` chooses
/// among the keys in written order.
fn misspelt(value: Value, pick: prop::sample::Index, letter: prop::sample::Index) -> Value {
    fn keys(value: &Value) -> usize {
        match value {
            Value::Object(map) => map.iter().map(|(_, v)| 1 + keys(v)).sum(),
            Value::Array(items) => items.iter().map(keys).sum(),
            _ => 0,
        }
    }
    fn rename(value: Value, target: &mut usize, letter: prop::sample::Index) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(key, v)| {
                        let key = match *target {
                            0 if !key.is_empty() => {
                                let mut chars: Vec<char> = key.chars().collect();
                                chars.remove(letter.index(chars.len()));
                                chars.into_iter().collect()
                            }
                            _ => key,
                        };
                        *target = target.wrapping_sub(1);
                        (key, rename(v, target, letter))
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.into_iter().map(|v| rename(v, target, letter)).collect()),
            other => other,
        }
    }
    let count = keys(&value);
    if count == 0 {
        return value;
    }
    let mut target = pick.index(count);
    rename(value, &mut target, letter)
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

/// A vendor entry of a known type with right values only, its optional
/// fields there or not.
fn right_vendor(languages: Vec<&'static str>) -> impl Strategy<Value = Value> {
    let own = prop_oneof![
        prop::sample::select(vec!["G-ABC123", "G-XYZ789"]).prop_map(|id| json!({"type": "ga4", "measurementId": id})),
        Just(json!({"type": "google-ads", "conversionId": "AW-123456"})),
        Just(json!({"type": "google-marketing-platform", "advertiserId": "DC-12345"})),
        prop_oneof![Just(json!("123456789012345")), Just(json!(1234567890123456u64))]
            .prop_map(|id| json!({"type": "facebook-pixel", "pixelId": id})),
        Just(json!({"type": "criteo", "accountId": "12345"})),
        Just(json!({"type": "adform", "trackingPointId": 1234567})),
        prop::sample::subsequence(vec!["_hj*", "_hjid", "_hjSession"], 0..3).prop_map(|cookies| {
            json!({"type": "script", "name": "Hotjar", "src": "https://static.hotjar.com/c/hotjar.js",
                   "category": "analytics", "privacyUrl": "https://www.hotjar.com/privacy", "cookies": cookies})
        }),
    ];
    let purpose = prop_oneof![
        Just(None),
        Just(Some(json!("Statistics"))),
        Just(Some(Value::Object(languages.iter().map(|l| (l.to_string(), json!(format!("Purpose {l}")))).collect()))),
    ];
    let category = prop::option::of(prop::sample::select(vec!["analytics", "marketing"]));
    let privacy_url = prop::option::of(prop::sample::select(vec!["https://x.lv/privacy", "http://y.lv/p?a=b"]));
    let lifetime = prop::sample::select(vec!["180 days", "13 months", "1 year", "3 months"]);
    (own, purpose, category, privacy_url, lifetime).prop_map(
        |(mut vendor, purpose, category, privacy_url, lifetime)| {
            let fields = vendor.as_object_mut().unwrap();
            fields.insert("lifetime".into(), json!(lifetime));
            for (name, value) in [("purpose", purpose), ("category", category.map(Value::from))] {
                if let Some(value) = value {
                    fields.insert(name.into(), value);
                }
            }
            if let Some(url) = privacy_url {
                fields.insert("privacyUrl".into(), json!(url));
            }
            vendor
        },
    )
}

/// Configs made of right values only, in many combinations: most are
/// accepted, so the two checks are also compared on the configs they build.
fn right_config() -> impl Strategy<Value = Value> {
    let languages = prop::sample::select(vec![vec!["lv", "ru", "en"], vec!["en"], vec!["lv", "en"], vec!["ru", "lv"]]);
    languages.prop_flat_map(|languages| {
        let pick = prop::option::of(prop::sample::select(languages.clone()));
        let settings = (
            prop::option::of(0u32..5),
            (pick.clone(), pick),
            prop::option::of(any::<bool>()).prop_map(|b| b.map(|b| json!({"floatingButton": b}))),
            prop::option::of((prop::sample::select(vec!["6 months", "1 year"]), prop::sample::select(vec!["30 days", "6 months"])))
                .prop_map(|c| c.map(|(grant, refusal)| json!({"grant": grant, "refusal": refusal}))),
            prop::option::of((
                prop::sample::select(vec!["consent-gate", "cg.consent_2"]),
                prop::option::of(prop::sample::select(vec![json!(null), json!("example.lv"), json!(".example.lv")])),
            ))
            .prop_map(|s| s.map(|(key, mirror)| match mirror {
                Some(domain) => json!({"key": key, "cookie": {"name": "consent", "domain": domain}}),
                None => json!({"key": key}),
            })),
            prop::option::of(any::<bool>()),
        );
        let url = prop_oneof![
            Just(json!("/cookies")),
            Just(json!("https://www.example.lv/cookies")),
            Just(Value::Object(languages.iter().map(|l| (l.to_string(), json!(format!("/{l}/cookies")))).collect())),
        ];
        let texts = prop::option::of(prop::sample::subsequence(languages.clone(), 0..=languages.len()))
            .prop_map(|langs| langs.map(|langs| json!(langs.iter().map(|l| (l.to_string(), json!({"acceptAll": format!("OK {l}")}))).collect::<Map<_, _>>())));
        let vendors = prop::collection::vec(right_vendor(languages.clone()), 0..5);
        (Just(languages), settings, url, texts, vendors).prop_map(
            |(languages, (revision, (default, forced), ui, consent, storage, reload), url, texts, vendors)| {
                let mut config = json!({"languages": languages, "policy": {"url": url, "edition": "2024-05-01"}, "vendors": vendors});
                let fields = config.as_object_mut().unwrap();
                let optional = [
                    ("$schema", Some(json!("consent.schema.json"))),
                    ("revision", revision.map(Value::from)),
                    ("defaultLanguage", default.map(Value::from)),
                    ("language", forced.map(Value::from)),
                    ("ui", ui),
                    ("consent", consent),
                    ("storage", storage),
                    ("reloadOnWithdraw", reload.map(Value::from)),
                    ("texts", texts),
                ];
                for (name, value) in optional {
                    if let Some(value) = value {
                        fields.insert(name.into(), value);
                    }
                }
                config
            },
        )
    })
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

    /// Right values in every combination: the checks agree on the configs
    /// they build, not only on refusing.
    #[test]
    fn right_configs_read_the_same_in_both_checks(value in right_config(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) };
        check(&text.unwrap());
    }

    /// A misspelt key is read as the field it likely meant by the full
    /// check only, to report what else is wrong: both still refuse the file.
    #[test]
    fn a_misspelt_key_gets_the_same_verdict_in_both_checks(
        value in prop_oneof![right_config(), config_like()],
        pick in any::<prop::sample::Index>(),
        letter in any::<prop::sample::Index>(),
    ) {
        let text = serde_json::to_string(&misspelt(value, pick, letter)).unwrap();
        check(&text);
    }

    #[test]
    fn schema_id_patterns_agree_with_the_checker(
        kind in prop::sample::select(vec!["ga4", "google-ads", "google-marketing-platform", "facebook-pixel", "criteo", "adform"]),
        id in "(G-|AW-|DC-|UA-|g-)?[A-Z0-9a-z/]{0,18}",
    ) {
        let (properties, _) = own_fields(kind).unwrap();
        let (field, schema) = properties.as_object().unwrap().iter().next().unwrap();
        // A digit id's text form is the first of its two forms (text, number).
        let text_form = schema["pattern"].as_str().or_else(|| schema.pointer("/anyOf/0/pattern")?.as_str());
        let pattern = regex::Regex::new(text_form.unwrap()).unwrap();
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
