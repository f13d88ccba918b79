//! The rules of the file's top level and its settings; the vendors' are in
//! `vendor_rules`.

use super::address::{site_path_problem, visible, web_address_problem, AddressProblem, HTTP_SCHEMES};
use super::check::{kind_of, Check};
use super::fields::*;
use super::vendor_rules::check_vendors;
use super::*;
use crate::core::i18n::Key;
use crate::core::json::Value;
use crate::core::json_spans::member;
use crate::core::own_names;
use crate::core::suggest::closest;

/// Checks the whole file; `None` when a required part could not be read.
pub(super) fn check_file(value: Value, check: &mut Check) -> Option<Config> {
    let mut root = check.object(value, "", "one JSON object, like {\"policy\": {…}, \"vendors\": […]}")?;
    check.unknown_keys(&mut root, "", &TOP_LEVEL_FIELDS);
    let _schema: Option<Option<String>> = check.optional(&mut root, "", "$schema", "the schema's address in quotes");
    let revision = check.optional(&mut root, "", "revision", "a whole number, like 1").unwrap_or(0);
    let languages = check
        .optional(&mut root, "", "languages", "a list of language codes, like [\"lv\", \"ru\", \"en\"]")
        .unwrap_or_else(default_languages);
    if !at_most_max_languages(&languages, check) {
        // Every text is checked in each language: the rest waits for a shorter list.
        return None;
    }
    let default_language: Option<String> =
        check.optional(&mut root, "", "defaultLanguage", "a language code in quotes, like \"lv\"");
    let language: Option<String> = check.optional(&mut root, "", "language", "a language code in quotes, like \"lv\"");
    check_languages(&languages, [("defaultLanguage", &default_language), ("language", &language)], check);
    let ui = root.remove("ui").map(|v| read_ui(v, check)).unwrap_or_default();
    let policy = root.remove("policy");
    let policy = match policy {
        Some(value) => read_policy(value, &languages, check),
        None => {
            check.at("policy", "is missing; add {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}");
            None
        }
    };
    let consent = root.remove("consent").map(|v| read_consent(v, check)).unwrap_or_default();
    let storage = root.remove("storage").map(|v| read_storage(v, check)).unwrap_or_default();
    let reload_on_withdraw = check.optional(&mut root, "", "reloadOnWithdraw", "true or false").unwrap_or(true);
    let vendors: Option<Vec<Value>> =
        check.required(&mut root, "", "vendors", "a list of vendors, like [{\"type\": \"ga4\", …}], or [] for none");
    let vendors = check_vendors(vendors.unwrap_or_default(), &languages, &storage, check);
    let texts = root.remove("texts").map(|v| read_texts(v, &languages, check)).unwrap_or_default();
    check_required_texts(&texts, &languages, check);

    let default_language = default_language.or_else(|| languages.first().cloned())?;
    Some(Config {
        revision,
        languages,
        default_language,
        language,
        ui,
        policy: policy?,
        consent,
        storage,
        reload_on_withdraw,
        vendors,
        texts,
    })
}

/// Whether at most `MAX_LANGUAGES` languages are listed; reports it if not.
pub(super) fn at_most_max_languages(languages: &[String], check: &mut Check) -> bool {
    if languages.len() <= MAX_LANGUAGES {
        return true;
    }
    let mut message = String::from("lists ");
    json::push_int(&mut message, i64::try_from(languages.len()).unwrap_or(i64::MAX));
    message
        .push_str(" languages, but a site can be shown in at most 50; keep the languages the site is translated into");
    check.at("languages", message);
    false
}

/// The enabled languages, and the fields naming one of them.
pub(super) fn check_languages(languages: &[String], chosen: [(&str, &Option<String>); 2], check: &mut Check) {
    if languages.is_empty() {
        check.at("languages", "is empty; list at least one language, like [\"lv\", \"ru\", \"en\"]");
    }
    for (i, lang) in languages.iter().enumerate() {
        let valid = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
        let path = format!("languages[{i}]");
        if !valid {
            check.at(&path, format!("'{lang}' is not a language code; use two lower-case letters, like \"lv\""));
        } else if languages[..i].contains(lang) {
            check.at(&path, format!("'{lang}' is listed twice; remove one"));
        }
    }
    for (field, lang) in chosen {
        if let Some(lang) = lang.as_deref().filter(|l| !languages.iter().any(|e| e == l)) {
            check.at(
                field,
                format!("'{lang}' is not in `languages`; add it there or pick one of {}", languages.join(", ")),
            );
        }
    }
}

/// Checks a language code used as a key: it must be one the site enables.
pub(super) fn check_language_key(lang: &str, path: &str, languages: &[String], check: &mut Check) -> bool {
    if languages.iter().any(|l| l == lang) {
        return true;
    }
    let hint = match closest(lang, languages.iter().map(String::as_str)) {
        Some(l) => format!("did you mean \"{l}\"?"),
        None => "add it to `languages` or remove this entry".to_owned(),
    };
    check.at_key(path, format!("'{lang}' is not one of the site's languages ({}); {hint}", languages.join(", ")));
    false
}

/// Reads a text given once or per language. Per language, every enabled
/// language needs its translation. `plain_text`: markup is refused.
pub(super) fn read_localized(
    value: Value,
    path: &str,
    languages: &[String],
    plain_text: bool,
    check: &mut Check,
) -> Option<Localized> {
    const EXPECTED: &str = "text in quotes, or one text per language, like {\"lv\": \"…\", \"en\": \"…\"}";
    let localized = match value {
        Value::String(text) => Localized::One(text),
        Value::Object(map) => {
            let mut texts = TextMap::default();
            let written: Vec<String> = map.keys().cloned().collect();
            for (lang, text) in map {
                let lang_path = member(path, &lang);
                if let (true, Some(text)) = (
                    check_language_key(&lang, &lang_path, languages, check),
                    check.typed::<String>(text, &lang_path, "text in quotes"),
                ) {
                    texts.insert(lang, text);
                }
            }
            for lang in languages {
                if !written.contains(lang) {
                    check.at(
                        &member(path, lang),
                        format!("is missing; the site is shown in '{lang}', so give this text in '{lang}' too"),
                    );
                }
            }
            Localized::PerLanguage(texts)
        }
        other => {
            check.at(path, format!("is {}, but must be {EXPECTED}", kind_of(&other)));
            return None;
        }
    };
    if plain_text {
        check_plain_text(&localized, path, check);
    }
    Some(localized)
}

pub(super) fn check_plain_text(localized: &Localized, path: &str, check: &mut Check) {
    let texts: Vec<(String, &str)> = match localized {
        Localized::One(text) => vec![(path.to_owned(), text.as_str())],
        Localized::PerLanguage(map) => map.iter().map(|(l, t)| (member(path, l), t)).collect(),
    };
    for (path, text) in texts {
        if text.contains('<') {
            check.at(&path, "contains '<': texts are shown as plain text, never as HTML; remove the markup");
        }
    }
}

pub(super) fn read_policy(value: Value, languages: &[String], check: &mut Check) -> Option<Policy> {
    let mut fields = check.object(
        value,
        "policy",
        "an object like {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}",
    )?;
    check.unknown_keys(&mut fields, "policy", &POLICY_FIELDS);
    let url = match fields.remove("url") {
        Some(value) => read_localized(value, "policy.url", languages, false, check),
        None => {
            check.at("policy.url", "is missing; give the cookie policy's address, like \"/cookie-policy.html\"");
            None
        }
    };
    if let Some(url) = &url {
        check_policy_url(url, check);
    }
    let edition = check.required(&mut fields, "policy", "edition", "the policy's date in quotes, like \"2024-05-01\"");
    Some(Policy { url: url?, edition: edition? })
}

pub(super) fn read_consent(value: Value, check: &mut Check) -> ConsentLifetimes {
    let mut lifetimes = ConsentLifetimes::default();
    let Some(mut fields) =
        check.object(value, "consent", "an object like {\"grant\": \"6 months\", \"refusal\": \"6 months\"}")
    else {
        return lifetimes;
    };
    check.unknown_keys(&mut fields, "consent", &CONSENT_FIELDS);
    for (name, slot) in [("grant", &mut lifetimes.grant), ("refusal", &mut lifetimes.refusal)] {
        let path = member("consent", name);
        if let Some(lifetime) = fields.remove(name).and_then(|v| read_lifetime(v, &path, check)) {
            *slot = lifetime;
        }
    }
    lifetimes
}

pub(super) fn read_storage(value: Value, check: &mut Check) -> StorageSettings {
    let mut storage = StorageSettings::default();
    let Some(mut fields) = check.object(value, "storage", "an object like {\"key\": \"consent-gate\"}") else {
        return storage;
    };
    check.unknown_keys(&mut fields, "storage", &STORAGE_FIELDS);
    if let Some(key) = check.optional::<String>(&mut fields, "storage", "key", "text in quotes, like \"consent-gate\"")
    {
        if key.trim().is_empty() {
            check.at("storage.key", "is empty; give a name like \"consent-gate\"");
        } else if !is_cookie_name(&key) {
            // Where the browser refuses localStorage, the record is kept in a cookie of this name.
            check.at(
                "storage.key",
                format!("'{key}' cannot be a cookie name, which it becomes where the browser refuses localStorage; use letters, digits, '-', '_' or '.', like \"consent-gate\""),
            );
        } else {
            storage.key = key;
        }
    }
    if let Some(value) = fields.remove("cookie") {
        storage.cookie = read_cookie_mirror(value, check);
    }
    let key = storage.key.as_str();
    if let Some(mirror) = storage.cookie.as_ref().filter(|m| m.name == key || m.name == own_names::https_cookie(key)) {
        // The record's own cookie (where localStorage is refused) has this
        // name: the server's copy would overwrite the visitor's choice.
        check.at(
            "storage.cookie.name",
            format!("'{}' is also the name of the stored choice (storage.key '{key}'); give the server's copy a name of its own, like \"consent\"", mirror.name),
        );
        storage.cookie = None;
    }
    storage
}

pub(super) fn read_cookie_mirror(value: Value, check: &mut Check) -> Option<CookieMirror> {
    const PATH: &str = "storage.cookie";
    let mut fields = check.object(value, PATH, "an object like {\"name\": \"consent\", \"domain\": \"example.lv\"}")?;
    check.unknown_keys(&mut fields, PATH, &COOKIE_MIRROR_FIELDS);
    let name: Option<String> =
        check.required(&mut fields, PATH, "name", "the cookie's name in quotes, like \"consent\"");
    let domain: Option<String> = check.optional(&mut fields, PATH, "domain", "a domain in quotes, like \"example.lv\"");
    let domain = domain.map(|domain| cookie_domain(domain, check));
    let name = name?;
    if !is_cookie_name(&name) {
        check.at("storage.cookie.name", format!("'{name}' is not a cookie name; use letters, digits, '-', '_' or '.'"));
        return None;
    }
    // An unusable domain leaves no mirror: it was reported above.
    let domain = match domain {
        Some(checked) => Some(checked?),
        None => None,
    };
    Some(CookieMirror { name, domain })
}

/// Letters, digits, '-', '_' and '.': a cookie name no browser reads otherwise.
pub(super) fn is_cookie_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// The mirror cookie's domain: a bare domain name, since it is written into
/// the cookie as it is (`"example.lv; SameSite=None"` would add attributes).
/// A leading dot is dropped: browsers ignore it anyway.
pub(super) fn cookie_domain(domain: String, check: &mut Check) -> Option<String> {
    let bare = domain.strip_prefix('.').unwrap_or(&domain);
    if is_domain_name(bare, false) {
        return Some(bare.to_owned());
    }
    check.at(
        "storage.cookie.domain",
        format!("'{domain}' is not a domain name; write only the site's domain, like \"example.lv\": letters, digits, '-' and '.' (a name in other letters in its xn-- form)"),
    );
    None
}

pub(super) fn read_ui(value: Value, check: &mut Check) -> UiSettings {
    let Some(mut fields) = check.object(value, "ui", "an object like {\"floatingButton\": true}") else {
        return UiSettings::default();
    };
    check.unknown_keys(&mut fields, "ui", &UI_FIELDS);
    let floating_button = check.optional(&mut fields, "ui", "floatingButton", "true or false").unwrap_or(false);
    UiSettings { floating_button }
}

pub(super) fn read_lifetime(value: Value, path: &str, check: &mut Check) -> Option<Lifetime> {
    match value {
        Value::String(text) => Lifetime::parse(&text).map_err(|e| check.at(path, format!("\"{text}\" {e}"))).ok(),
        other => {
            check.at(path, format!("{} is not a lifetime; write it in quotes, like \"180 days\"", kind_of(&other)));
            None
        }
    }
}

pub(super) fn read_texts(value: Value, languages: &[String], check: &mut Check) -> TextsByLanguage {
    // Languages come from the keys of one JSON object, so each appears once.
    let mut texts = Vec::new();
    let Some(by_language) =
        check.object(value, "texts", "an object of texts per language, like {\"lv\": {\"acceptAll\": \"…\"}}")
    else {
        return texts;
    };
    let names: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
    for (lang, value) in by_language {
        let lang_path = member("texts", &lang);
        if !check_language_key(&lang, &lang_path, languages, check) {
            continue;
        }
        // The misspellings found in this language go with it: see `Check::misspelt`.
        let outer = check.misspelt.len();
        if let Some(own) = read_language_texts(value, &lang_path, &names, check) {
            texts.push((lang, own));
        }
        check.misspelt.truncate(outer);
    }
    texts
}

/// The texts of one language, by name (`names`: the known ones).
pub(super) fn read_language_texts(value: Value, lang_path: &str, names: &[&str], check: &mut Check) -> Option<TextMap> {
    let mut given = check.object(value, lang_path, "an object of texts by name, like {\"acceptAll\": \"…\"}")?;
    check.unknown_keys(&mut given, lang_path, names);
    let mut own = TextMap::default();
    for (name, text) in given {
        let path = member(lang_path, &name);
        if let Some(text) = check.typed::<String>(text, &path, "text in quotes") {
            check_plain_text(&Localized::One(text.clone()), &path, check);
            own.insert(name, text);
        }
    }
    Some(own)
}

/// A language without built-in texts must give every text.
pub(super) fn check_required_texts(texts: &TextsByLanguage, languages: &[String], check: &mut Check) {
    for lang in languages {
        if i18n::BUILT_IN.contains(&lang.as_str()) {
            continue;
        }
        let given = texts.iter().find(|(l, _)| l == lang).map(|(_, t)| t);
        for key in Key::ALL {
            if !given.is_some_and(|t| t.contains_key(key.name())) {
                check.at(
                    &format!("texts.{lang}.{}", key.name()),
                    format!("is missing; '{lang}' has no built-in texts, so every text must be given for it"),
                );
            }
        }
    }
}

pub(super) fn check_policy_url(url: &Localized, check: &mut Check) {
    let urls: Vec<(String, &str)> = match url {
        Localized::One(u) => vec![("policy.url".to_owned(), u.as_str())],
        Localized::PerLanguage(map) => map.iter().map(|(l, u)| (member("policy.url", l), u)).collect(),
    };
    for (path, u) in urls {
        let problem = match site_path_problem(u) {
            Some(AddressProblem::OtherScheme) => web_address_problem(u, HTTP_SCHEMES),
            other => other,
        };
        match problem {
            None => {}
            Some(AddressProblem::OtherScheme) => check.at(
                &path,
                format!("'{}' is not an http(s) address or a path on this site starting with /", visible(u)),
            ),
            Some(problem) => check.at(&path, format!("'{}' {}", visible(u), problem.explain())),
        }
    }
}
