//! The checker's rules, each shown on a config that breaks it.

use super::address::{site_path_problem, HTTP_SCHEMES};
use super::*;

const MINIMAL: &str = r#"{
        "policy": {"url": "/cookies", "edition": "2024-05-01"},
        "vendors": [{"type": "ga4", "measurementId": "G-TEST123", "lifetime": "180 days"}]
    }"#;

/// The errors as `path: message`, positions left out.
fn errors(text: &str) -> Vec<String> {
    Config::from_json(text).map(|_| Vec::new()).unwrap_or_else(|e| e.0.iter().map(ConfigError::describe).collect())
}

/// The problems found in a file that must be refused. (`unwrap_err` would
/// need `Debug` for `Config`, which it has on the host only.)
fn problems(text: &str) -> Vec<ConfigError> {
    match Config::from_json(text) {
        Ok(_) => panic!("accepted, but must be refused: {text}"),
        Err(errors) => errors.0,
    }
}

fn positioned(text: &str) -> Vec<String> {
    Config::from_json(text).map(|_| Vec::new()).unwrap_or_else(|e| e.0.iter().map(|e| e.to_string()).collect())
}

#[test]
fn a_minimal_config_gets_the_defaults() {
    let c = Config::from_json(MINIMAL).unwrap();
    assert_eq!(c.languages, ["lv", "ru", "en"]);
    assert_eq!(c.default_language, "lv");
    assert_eq!(c.consent, ConsentLifetimes::default());
    assert_eq!(c.storage.key, "consent-gate");
    assert!(c.reload_on_withdraw);
    assert_eq!(c.vendors[0].category, Category::Analytics);
    assert_eq!(c.vendors[0].privacy_url, "https://policies.google.com/privacy");
    assert_eq!(c.vendors[0].lifetime, Lifetime::days(180));
}

#[test]
fn the_demo_config_is_valid() {
    let text = include_str!("../../../www/consent.json");
    let c = Config::from_json(text).unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<_> = c.vendors.iter().map(|v| v.tag.kind()).collect();
    for kind in ["ga4", "google-ads", "google-marketing-platform", "facebook-pixel", "criteo", "adform"] {
        assert!(kinds.contains(&kind), "the demo configures {kind}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_field_by_field_reading_agrees_with_the_serde_model() {
    // The schema is generated from ConfigFile: a file the checker accepts
    // must also be a ConfigFile.
    let text = include_str!("../../../www/consent.json");
    let file: ConfigFile = serde_json::from_str(text).unwrap();
    assert_eq!(file.vendors.len(), 6);
    serde_json::from_str::<ConfigFile>(MINIMAL).unwrap();
}

#[test]
fn json_syntax_errors_give_line_and_column() {
    assert_eq!(
        positioned("{\n  \"policy\": ,\n}"),
        ["line 2, column 13: expected value; a value is missing or misspelt here; text needs double quotes, and true, false and null are lower-case"]
    );
}

#[test]
fn every_error_has_the_position_of_its_field() {
    let text = "{\n  \"policy\": {\"url\": \"/c\", \"edition\": \"1\"},\n  \"vendors\": [\n    {\"type\": \"ga4\", \"measurementId\": \"UA-1-1\", \"lifetime\": \"180 days\", \"privacyURL\": \"https://x.lv\"}\n  ]\n}";
    let errs = problems(text);
    let found: Vec<_> = errs.iter().map(|e| (e.path.as_str(), e.position)).collect();
    assert_eq!(found, [("vendors[0].measurementId", Some((4, 38))), ("vendors[0].privacyURL", Some((4, 72)))]);
}

#[test]
fn unknown_keys_are_all_refused_with_a_suggestion() {
    let text = MINIMAL
        .replacen('{', "{\"vendor\": [], \"colour\": 1,", 1)
        .replace("\"lifetime\"", "\"lifetme\": \"1 day\", \"lifetime\"");
    assert_eq!(
        errors(&text),
        [
            "vendor: is not a known field; did you mean \"vendors\"?",
            "colour: is not a known field; remove it (the fields here are $schema, revision, languages, defaultLanguage, language, ui, policy, consent, storage, reloadOnWithdraw, vendors, texts, receipts)",
            "vendors[0].lifetme: is not a known field; did you mean \"lifetime\"?",
        ]
    );
}

#[test]
fn a_key_written_twice_is_refused() {
    let text = MINIMAL.replace("\"lifetime\"", "\"measurementId\": \"G-OTHER1\", \"lifetime\"");
    assert_eq!(
        errors(&text),
        ["vendors[0].measurementId: is written twice in the same place; only one can count, so remove the other"]
    );
}

#[test]
fn every_vendor_problem_is_reported_with_its_path() {
    let text = r#"{
            "policy": {"url": "/cookies", "edition": "1"},
            "vendors": [
                {"type": "ga4", "measurementId": "UA-12345-1", "lifetime": "180 days"},
                {"type": "facebook-pixel", "pixelId": "123456789012345", "lifetime": "0 days"},
                {"type": "criteo", "accountId": "12345", "lifetime": "1 year", "category": "necessary"},
                {"type": "tiktok", "lifetime": "1 year"},
                {"type": "adform", "trackingPointId": "1234567", "lifetime": "60 days", "privacyUrl": "ftp://x"},
                {"type": "script", "name": "Hotjar", "src": "https://static.hotjar.com/c/hotjar.js", "lifetime": "1 year", "privacyUrl": "https://www.hotjar.com/privacy"}
            ]
        }"#;
    let errs = errors(text);
    assert_eq!(
        errs,
        [
            "vendors[0].measurementId: 'UA-12345-1' is a retired Universal Analytics id; GA4 ids look like G-XXXXXXXXXX",
            "vendors[1].lifetime: \"0 days\" is zero; a lifetime must be at least 1 day",
            "vendors[2].category: 'necessary' needs no consent, so a tag there would be loaded without asking; use analytics or marketing",
            "vendors[3].type: 'tiktok' is not a vendor type; use one of ga4, google-ads, google-marketing-platform, facebook-pixel, criteo, adform, script, youtube, vimeo, google-maps",
            "vendors[4].privacyUrl: 'ftp://x' is not an http(s) address; copy the address starting with https://",
            "vendors[5].category: is missing; say whether this tag is analytics or marketing",
        ]
    );
}

#[test]
fn duplicate_vendors_are_refused() {
    let text = MINIMAL.replace(
        "\"vendors\": [",
        "\"vendors\": [{\"type\": \"ga4\", \"measurementId\": \"G-TEST123\", \"lifetime\": \"180 days\"},",
    );
    assert_eq!(errors(&text), ["vendors[1]: ga4 'G-TEST123' is listed twice; remove one of the two entries"]);
}

#[test]
fn texts_are_never_html_and_new_languages_need_all_texts() {
    let text = MINIMAL.replacen(
        '{',
        r#"{"languages": ["lv", "de"], "texts": {"lv": {"acceptAll": "<b>Jā</b>", "acceptAl": "x"}, "de": {"acceptAll": "Alle akzeptieren"}},"#,
        1,
    );
    let errs = errors(&text);
    assert!(
        errs.contains(
            &"texts.lv.acceptAll: contains '<': texts are shown as plain text, never as HTML; remove the markup"
                .to_owned()
        ),
        "{errs:#?}"
    );
    assert!(
        errs.contains(&"texts.lv.acceptAl: is not a known field; did you mean \"acceptAll\"?".to_owned()),
        "{errs:#?}"
    );
    assert!(errs.contains(
        &"texts.de.rejectAll: is missing; 'de' has no built-in texts, so every text must be given for it".to_owned()
    ));
    assert!(!errs.iter().any(|e| e.starts_with("texts.de.acceptAll")));
}

#[test]
fn purposes_are_plain_text_in_every_enabled_language() {
    let text = MINIMAL.replace(
        "\"lifetime\"",
        r#""purpose": {"lv": "<a href=x>Statistika</a>", "en": "Statistics", "lt": "Statistika"}, "lifetime""#,
    );
    assert_eq!(
        errors(&text),
        [
            "vendors[0].purpose.ru: is missing; the site is shown in 'ru', so give this text in 'ru' too",
            "vendors[0].purpose.lv: contains '<': texts are shown as plain text, never as HTML; remove the markup",
            "vendors[0].purpose.lt: 'lt' is not one of the site's languages (lv, ru, en); did you mean \"lv\"?",
        ]
    );
}

#[test]
fn values_of_the_wrong_kind_say_what_is_expected() {
    let text = MINIMAL.replacen(
        '{',
        r#"{"revision": "2", "reloadOnWithdraw": "yes", "consent": {"grant": 6}, "languages": ["lv", 7],"#,
        1,
    );
    assert_eq!(
        errors(&text),
        [
            "revision: is the text \"2\", but must be a whole number, like 1",
            "reloadOnWithdraw: is the text \"yes\", but must be true or false",
            "consent.grant: the number 6 is not a lifetime; write it in quotes, like \"180 days\"",
            "languages: has an item of the wrong kind; it must be a list of language codes, like [\"lv\", \"ru\", \"en\"]",
        ]
    );
}

#[test]
fn missing_required_parts_are_all_named() {
    assert_eq!(
        errors("{}"),
        [
            "policy: is missing; add {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}",
            "vendors: is missing; add it: a list of vendors, like [{\"type\": \"ga4\", …}], or [] for none",
        ]
    );
    assert_eq!(errors("[]"), ["is a list, but must be one JSON object, like {\"policy\": {…}, \"vendors\": […]}"]);
}

#[test]
fn policy_links_must_be_http_or_site_paths() {
    let text = MINIMAL.replace(
        "\"/cookies\"",
        "{\"lv\": \"javascript:alert(1)\", \"ru\": \"//evil.example\", \"en\": \"https://example.lv/en/cookies\"}",
    );
    assert_eq!(
        errors(&text),
        [
            "policy.url.lv: 'javascript:alert(1)' is not an http(s) address or a path on this site starting with /",
            "policy.url.ru: '//evil.example' is not an http(s) address or a path on this site starting with /",
        ]
    );
}

#[test]
fn the_cookie_mirror_and_the_interface_options_are_read() {
    let text = MINIMAL.replacen(
        '{',
        r#"{"language": "en", "ui": {"floatingButton": true}, "storage": {"cookie": {"name": "cg", "domain": "example.lv"}},"#,
        1,
    );
    let c = Config::from_json(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.language.as_deref(), Some("en"));
    assert!(c.ui.floating_button);
    assert_eq!(c.storage.cookie, Some(CookieMirror { name: "cg".into(), domain: Some("example.lv".into()) }));
}

#[test]
fn the_default_language_must_be_enabled() {
    let text = MINIMAL.replacen('{', r#"{"languages": ["lv"], "defaultLanguage": "en","#, 1);
    assert_eq!(errors(&text), ["defaultLanguage: 'en' is not in `languages`; add it there or pick one of lv"]);
}

#[test]
fn a_file_over_the_size_cap_is_refused_naming_the_limit() {
    let padded = format!("{MINIMAL}{}", " ".repeat(MAX_CONFIG_BYTES - MINIMAL.len() + 1));
    let errs = errors(&padded);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].contains("larger than 1 MB (1000000 bytes)"), "{errs:?}");
    let at_the_cap = format!("{MINIMAL}{}", " ".repeat(MAX_CONFIG_BYTES - MINIMAL.len()));
    assert!(Config::from_json(&at_the_cap).is_ok());
}

#[test]
fn the_first_problems_are_listed_and_the_rest_counted() {
    let unknown: String = (0..250).map(|i| format!("\"x{i}\": 1,\n")).collect();
    let text = MINIMAL.replacen('{', &format!("{{\n{unknown}"), 1);
    let errs = problems(&text);
    assert_eq!(errs.len(), MAX_LISTED_PROBLEMS + 1);
    assert_eq!(errs[0].path, "x0");
    assert_eq!(errs[MAX_LISTED_PROBLEMS - 1].path, "x99", "the first in the text, in order");
    let last = &errs[MAX_LISTED_PROBLEMS];
    assert_eq!(last.message, "and 150 more problems not listed; fix the ones above and check the file again");
    assert_eq!(last.position, errs[MAX_LISTED_PROBLEMS - 1].position);
}

#[test]
fn problems_found_out_of_order_still_list_the_first_in_the_text() {
    // Repeated keys are found first, all over the file; unknown fields after.
    let unknown: String = (0..150).map(|i| format!("\"x{i}\": 1, ")).collect();
    let text = format!("{{{unknown}\"policy\": {{\"url\": \"/c\", \"edition\": \"1\"}}, \"vendors\": [], \"revision\": 1, \"revision\": 2}}");
    let errs = problems(&text);
    assert_eq!(errs[0].path, "x0");
    assert!(!errs.iter().any(|e| e.path == "revision"), "the repeated key is past the first 100");
    assert!(errs.last().unwrap().message.starts_with("and 51 more problems"));
}

#[test]
fn more_than_50_languages_are_refused_and_nothing_else_is_checked_in_them() {
    let many: Vec<String> =
        (0..51).map(|i| format!("\"{}{}\"", char::from(b'a' + i / 26), char::from(b'a' + i % 26))).collect();
    let text = MINIMAL.replacen('{', &format!("{{\"languages\": [{}],", many.join(",")), 1);
    assert_eq!(
        errors(&text),
        ["languages: lists 51 languages, but a site can be shown in at most 50; keep the languages the site is translated into"]
    );
}

#[test]
fn a_byte_order_mark_is_dropped_as_browsers_drop_it() {
    assert!(Config::from_json(&format!("\u{FEFF}{MINIMAL}")).is_ok());
    assert_eq!(positioned("\u{FEFF}{\n  \"policy\": ,\n}")[0].split(':').next(), Some("line 2, column 13"));
}

#[test]
fn text_left_by_a_wrong_encoding_is_refused_where_it_is() {
    let text = MINIMAL.replace("2024-05-01", "2024. gada 1. maij\u{FFFD}");
    let errs = problems(&text);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].message.starts_with("contains the character \u{FFFD}"), "{errs:?}");
    assert_eq!(errs[0].position, Some((2, 69)));
    #[cfg(not(target_arch = "wasm32"))]
    assert_eq!(
        text_of_file(b"{\"a\": \"\xe7\"}"),
        "{\"a\": \"\u{FFFD}\"}",
        "invalid UTF-8, read as a browser reads it"
    );
}

#[test]
fn addresses_need_a_real_host_and_nothing_a_browser_reads_otherwise() {
    use AddressProblem::*;
    let http = |url| web_address_problem(url, HTTP_SCHEMES);
    for fine in [
        "https://www.example.lv/privacy",
        "http://example.lv",
        "https://www.example.lv:8443/a?b=c#d",
        "https://piemērs.lv/privātums",
        "https://xn--piemrs-j8a.lv/",
        "https://1.2.3.4/x",
    ] {
        assert_eq!(http(fine), None, "{fine}");
    }
    for (url, problem) in [
        ("ftp://example.lv", OtherScheme),
        ("//example.lv", OtherScheme),
        ("https://", NoHost),
        ("https:///path", NoHost),
        ("https://localhost/", NoHost),
        ("https://example.lv:/x", NoHost),
        ("https://example.lv:99999999/x", NoHost),
        ("https://-bad-.lv/", NoHost),
        ("https://a..lv/", NoHost),
        ("https://%65vil.test/", NoHost),
        ("https://[::1]/", NoHost),
        ("https://www.example.lv@evil.test/", UserInfo),
        ("https://user:pass@example.lv/", UserInfo),
        ("https://example.lv/a b", Space),
        ("https://example.lv/a\u{a0}b", Space),
        ("https://example.lv\\@evil.test/", Backslash),
        ("https://example.lv/\u{1}", Control),
    ] {
        assert_eq!(http(url), Some(problem), "{url}");
    }
    assert_eq!(web_address_problem("http://example.lv/t.js", &["https://"]), Some(OtherScheme));
    assert_eq!(site_path_problem("/cookies?lang=lv"), None);
    assert_eq!(site_path_problem("/\\evil.test/"), Some(Backslash));
    assert_eq!(site_path_problem("/\t/evil.test"), Some(Space));
    assert_eq!(site_path_problem("/\u{7f}/evil.test"), Some(Control));
    assert_eq!(visible("/\t/\u{1}x"), "/\\t/\\u0001x");
}

#[test]
fn the_mirror_cookie_is_never_the_records_own_cookie() {
    for name in ["consent-gate", "__Host-consent-gate"] {
        let text = MINIMAL.replacen('{', &format!(r#"{{"storage": {{"cookie": {{"name": "{name}"}}}},"#), 1);
        let found = errors(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with(&format!("storage.cookie.name: '{name}' is also the name of the stored choice")),
            "{found:?}"
        );
    }
}

#[test]
fn the_mirror_domain_is_a_bare_domain_name() {
    let mirror = |domain: &str| {
        let text =
            MINIMAL.replacen('{', &format!(r#"{{"storage": {{"cookie": {{"name": "cg", "domain": "{domain}"}}}},"#), 1);
        Config::from_json(&text).map(|c| c.storage.cookie.and_then(|m| m.domain)).map_err(|e| e.0[0].message.clone())
    };
    assert_eq!(mirror("example.lv"), Ok(Some("example.lv".into())));
    assert_eq!(mirror(".example.lv"), Ok(Some("example.lv".into())), "browsers ignore the dot anyway");
    for bad in [
        "example.lv; SameSite=None",
        "example.lv;",
        "..example.lv",
        "example",
        "example.lv.",
        "exa mple.lv",
        "piemērs.lv",
        "",
    ] {
        let message = mirror(bad).unwrap_err();
        assert!(message.ends_with("is not a domain name; write only the site's domain, like \"example.lv\": letters, digits, '-' and '.' (a name in other letters in its xn-- form)"), "{bad}: {message}");
    }
}

#[test]
fn the_storage_key_can_be_a_cookie_name() {
    let key = |key: &str| Config::from_json(&MINIMAL.replacen('{', &format!(r#"{{"storage": {{"key": "{key}"}},"#), 1));
    assert!(key("cg.consent_2").is_ok());
    for bad in ["consent gate", "a;b", "a=b", "ā"] {
        let Err(errors) = key(bad) else { panic!("{bad} is accepted") };
        let errs = errors.0;
        assert!(errs[0].message.contains("cannot be a cookie name"), "{bad}: {errs:?}");
    }
}

#[test]
fn no_vendor_name_matches_one_of_consent_gates_own() {
    let config = |storage: &str, cookies: &str| {
        let text = format!(
            r#"{{"policy": {{"url": "/c", "edition": "1"}}, "storage": {storage}, "vendors": [
                    {{"type": "criteo", "accountId": "12345", "lifetime": "1 year"}},
                    {{"type": "ga4", "measurementId": "G-ABC123", "lifetime": "180 days"}},
                    {{"type": "script", "name": "S", "src": "https://s.example.lv/s.js", "category": "marketing", "lifetime": "1 day", "privacyUrl": "https://s.example.lv/p", "cookies": {cookies}}}
                ]}}"#
        );
        errors(&text)
    };
    assert_eq!(
        config(r#"{"key": "consent-gate", "cookie": {"name": "consent"}}"#, r#"["_hj*", "consentx"]"#),
        Vec::<String>::new()
    );
    assert_eq!(
        config(r#"{"key": "cto_bundle"}"#, "[]"),
        ["storage.key: 'cto_bundle' is a name Criteo uses too ('cto_bundle'), so refusing Criteo would delete the visitor's choice with it; pick another name, like \"consent-gate\""]
    );
    assert_eq!(
        config(r#"{"key": "_ga_ABC123"}"#, "[]"),
        ["storage.key: '_ga_ABC123' is a name Google Analytics uses too ('_ga_ABC123'), so refusing Google Analytics would delete the visitor's choice with it; pick another name, like \"consent-gate\""]
    );
    assert_eq!(
        config(r#"{"key": "cg", "cookie": {"name": "_fbp"}}"#, r#"["cg-probe", "_fb*"]"#),
        [
            "vendors[2].cookies[0]: 'cg-probe' also matches consent-gate's own 'cg' (storage.key), so refusing this vendor would delete the visitor's choice with it; name this vendor's cookies more narrowly",
            "vendors[2].cookies[1]: '_fb*' also matches consent-gate's own '_fbp' (storage.cookie.name), so refusing this vendor would delete the visitor's choice with it; name this vendor's cookies more narrowly",
        ]
    );
}

#[test]
fn the_lean_check_reads_the_same_config_and_only_says_whether_it_is_refused() {
    let (full, lean) = (Config::from_json(MINIMAL).unwrap(), Config::accept_json(MINIMAL).unwrap());
    assert_eq!((lean.vendors.len(), lean.vendors[0].tag.id()), (full.vendors.len(), full.vendors[0].tag.id()));
    #[cfg(not(target_arch = "wasm32"))] // `Debug` for configs is host only
    assert_eq!(format!("{lean:?}"), format!("{full:?}"));
    let typo = MINIMAL.replace("\"lifetime\"", "\"lifetme\"");
    assert_eq!(errors(&typo), ["vendors[0].lifetme: is not a known field; did you mean \"lifetime\"?"]);
    assert_eq!(Config::accept_json(&typo).err(), Some(Rejected));
    assert_eq!(Config::accept_json(&format!("\u{FEFF}{MINIMAL}")).map(|c| c.vendors.len()), Ok(1));
}

#[test]
fn receipts_go_to_a_path_on_this_site_or_an_http_address() {
    let with = |receipts: &str| MINIMAL.replacen('{', &format!("{{\"receipts\": {receipts},"), 1);
    assert_eq!(Config::from_json(MINIMAL).map(|c| c.receipts), Ok(None));
    let url = |receipts: &str| Config::from_json(&with(receipts)).map(|c| c.receipts.map(|r| r.url));
    assert_eq!(url(r#"{"url": "/consent/receipts"}"#), Ok(Some("/consent/receipts".to_owned())));
    assert_eq!(url(r#"{"url": "https://proof.example.lv/r"}"#), Ok(Some("https://proof.example.lv/r".to_owned())));
    assert_eq!(
        errors(&with(r#"{"url": "javascript:alert(1)"}"#)),
        ["receipts.url: 'javascript:alert(1)' is not an http(s) address or a path on this site starting with /"]
    );
    assert_eq!(
        errors(&with(r#"{"adress": "/r"}"#)),
        [
            "receipts.url: is missing; add it: the collector's address in quotes, like \"/consent/receipts\"",
            "receipts.adress: is not a known field; remove it (the fields here are url)"
        ]
    );
    assert_eq!(Config::accept_json(&with(r#"{"url": "//evil.test/r"}"#)).err(), Some(Rejected));
}

#[test]
fn curly_quotes_are_named_where_they_are() {
    let curly = |quote: &str, at: &str| {
        format!("{at}: {quote} is a curly quote, as Word and Outlook write them; JSON needs straight double quotes: retype it as \" (or write the file in a plain-text editor)")
    };
    assert_eq!(positioned("{\n  \"policy\": ‘x’\n}"), [curly("‘", "line 2, column 13")]);
    assert_eq!(positioned("{\"policy\": „x“}"), [curly("„", "line 1, column 12")]);
    assert_eq!(positioned("{\"policy\": \"x”,\n \"vendors\": []}"), [curly("”", "line 1, column 14")]);
    // An apostrophe in a text that runs on is not taken for a quote.
    let apostrophe = positioned("{\"policy\": \"We’re\n}");
    assert!(apostrophe[0].starts_with("line 1, column 18: control character"), "{apostrophe:?}");
}

#[test]
fn a_comma_too_many_or_missing_is_shown_where_it_is() {
    assert_eq!(
        positioned("{\n  \"policy\": {},\n  \"vendors\": [1,\n  ]\n}")[0],
        "line 3, column 16: trailing comma; remove the comma after the last item"
    );
    assert_eq!(
        positioned("{\n  \"policy\": {}\n\n  \"vendors\": []\n}")[0],
        "line 2, column 15: a comma is missing at the end of this line, between two items (or a bracket is not closed); add a comma here"
    );
    // On one line, the place is where the next item starts.
    assert!(positioned("{\"policy\": {} \"vendors\": []}")[0].starts_with("line 1, column 15: expected `,` or `}`"));
}
