//! The rules of the file as a whole, its top level and its settings; the
//! vendors' are in `vendor_rules`. Each rule reports through `Check`, with
//! its message as a closure (see `check`).

use super::address::{site_path_problem, visible, web_address_problem, AddressProblem, HTTP_SCHEMES};
use super::check::{Check, FileProblem, Report};
use super::diagnostics::kind_of;
use super::fields::*;
use super::path::Path;
use super::vendor_rules::check_vendors;
use super::*;
use crate::core::i18n::Key;
use crate::core::json::{self, Object, Value};
use crate::core::lifetime::LifetimeError;
use crate::core::own_names;
use crate::core::suggest::{closest, lifetime_as_written};

/// Reads and checks consent.json text, reporting to `report`: the config,
/// or what the report makes of the problems.
pub(super) fn check_text<R: Report>(text: &str, report: R) -> Result<Config, R::Rejection> {
    let mut check = Check { report };
    match read_text(text, &mut check) {
        Some(config) if !check.report.rejected() => Ok(config),
        _ => Err(check.report.finish()),
    }
}

fn read_text<R: Report>(text: &str, check: &mut Check<R>) -> Option<Config> {
    if let Some(problem) = unreadable(text) {
        check.report.file(problem);
        return None;
    }
    let (value, repeated_keys) = match json::parse_noting_duplicates(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            check.report.file(FileProblem::Syntax(e));
            return None;
        }
    };
    if let Some(at) = text.find(char::REPLACEMENT_CHARACTER) {
        check.report.file(FileProblem::NotUtf8 { at });
    }
    if repeated_keys {
        check.report.file(FileProblem::RepeatedKeys);
    }
    check_file(value, check)
}

/// Why the file cannot be read at all: over the size cap, or empty.
fn unreadable(text: &str) -> Option<FileProblem> {
    if text.len() > MAX_CONFIG_BYTES {
        Some(FileProblem::TooLarge)
    } else if text.trim().is_empty() {
        Some(FileProblem::Empty)
    } else if text.contains('\0') {
        // JSON never holds a raw NUL; UTF-16 text read as UTF-8 is full of them.
        Some(FileProblem::Utf16)
    } else {
        None
    }
}

/// Checks the whole file; `None` when a required part could not be read.
fn check_file<R: Report>(value: Value, check: &mut Check<R>) -> Option<Config> {
    let root = Path::ROOT;
    let mut top = check.object(value, root, || "one JSON object, like {\"policy\": {…}, \"vendors\": […]}")?;
    check.unknown_keys(&mut top, root, &TOP_LEVEL_FIELDS);
    let _schema: Option<Option<String>> = check.optional(&mut top, root, SCHEMA, || "the schema's address in quotes");
    let revision = check.optional(&mut top, root, REVISION, || "a whole number, like 1").unwrap_or(0);
    let Languages { languages, default_language, language } = read_languages(&mut top, check)?;
    let ui = top.remove(UI).map(|v| read_ui(v, check)).unwrap_or_default();
    let policy = read_policy(top.remove(POLICY), &languages, check);
    let consent = top.remove(CONSENT).map(|v| read_consent(v, check)).unwrap_or_default();
    let storage = top.remove(STORAGE).map(|v| read_storage(v, check)).unwrap_or_default();
    let reload_on_withdraw = check.optional(&mut top, root, RELOAD_ON_WITHDRAW, || "true or false").unwrap_or(true);
    let vendors: Option<Vec<Value>> =
        check.required(&mut top, root, VENDORS, || "a list of vendors, like [{\"type\": \"ga4\", …}], or [] for none");
    let vendors = check_vendors(vendors.unwrap_or_default(), &languages, &storage, check);
    let texts = top.remove(TEXTS).map(|v| read_texts(v, &languages, check)).unwrap_or_default();
    check_required_texts(&texts, &languages, check);
    let receipts = top.remove(RECEIPTS).and_then(|v| read_receipts(v, check));

    Some(Config {
        revision,
        languages,
        default_language: default_language?,
        language,
        ui,
        policy: policy?,
        consent,
        storage,
        reload_on_withdraw,
        vendors,
        texts,
        receipts,
    })
}

/// The top level's language fields.
struct Languages {
    languages: Vec<String>,
    /// `None` when no language is enabled: the file is refused, once every
    /// other problem in it is found.
    default_language: Option<String>,
    language: Option<String>,
}

/// The enabled languages and the fields naming one of them; `None` when
/// there are so many that the rest of the file waits for a shorter list
/// (every text is checked in each language).
fn read_languages<R: Report>(top: &mut Object, check: &mut Check<R>) -> Option<Languages> {
    let root = Path::ROOT;
    let languages = check
        .optional(top, root, LANGUAGES, || "a list of language codes, like [\"lv\", \"ru\", \"en\"]")
        .unwrap_or_else(default_languages);
    if !at_most_max_languages(&languages, check) {
        return None;
    }
    let default_language: Option<String> =
        check.optional(top, root, DEFAULT_LANGUAGE, || "a language code in quotes, like \"lv\"");
    let language: Option<String> = check.optional(top, root, LANGUAGE, || "a language code in quotes, like \"lv\"");
    check_languages(&languages, [(DEFAULT_LANGUAGE, &default_language), (LANGUAGE, &language)], check);
    let default_language = default_language.or_else(|| languages.first().cloned());
    Some(Languages { languages, default_language, language })
}

/// Whether at most `MAX_LANGUAGES` languages are listed; reports it if not.
fn at_most_max_languages<R: Report>(languages: &[String], check: &mut Check<R>) -> bool {
    if languages.len() <= MAX_LANGUAGES {
        return true;
    }
    check.at(&Path::ROOT.key(LANGUAGES), || {
        let mut message = String::from("lists ");
        json::push_int(&mut message, i64::try_from(languages.len()).unwrap_or(i64::MAX));
        message.push_str(
            " languages, but a site can be shown in at most 50; keep the languages the site is translated into",
        );
        message
    });
    false
}

/// The enabled languages, and the fields naming one of them.
fn check_languages<R: Report>(languages: &[String], chosen: [(&str, &Option<String>); 2], check: &mut Check<R>) {
    let at = Path::ROOT.key(LANGUAGES);
    if languages.is_empty() {
        check.at(&at, || "is empty; list at least one language, like [\"lv\", \"ru\", \"en\"]".to_owned());
    }
    for (i, lang) in languages.iter().enumerate() {
        let valid = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
        if !valid {
            check.at(&at.item(i), || {
                format!("'{lang}' is not a language code; use two lower-case letters, like \"lv\"")
            });
        } else if languages[..i].contains(lang) {
            check.at(&at.item(i), || format!("'{lang}' is listed twice; remove one"));
        }
    }
    for (field, lang) in chosen {
        if let Some(lang) = lang.as_deref().filter(|l| !languages.iter().any(|e| e == l)) {
            check.at(&Path::ROOT.key(field), || {
                format!("'{lang}' is not in `languages`; add it there or pick one of {}", languages.join(", "))
            });
        }
    }
}

/// Checks a language code used as the key at `at`: it must be one the site enables.
fn check_language_key<R: Report>(lang: &str, at: &Path, languages: &[String], check: &mut Check<R>) -> bool {
    if languages.iter().any(|l| l == lang) {
        return true;
    }
    check.at_key(at, || {
        let hint = match closest(lang, languages.iter().map(String::as_str)) {
            Some(l) => format!("did you mean \"{l}\"?"),
            None => "add it to `languages` or remove this entry".to_owned(),
        };
        format!("'{lang}' is not one of the site's languages ({}); {hint}", languages.join(", "))
    });
    false
}

/// Reads a text given once or per language. Per language, every enabled
/// language needs its translation. `plain_text`: markup is refused.
pub(super) fn read_localized<R: Report>(
    value: Value,
    at: &Path,
    languages: &[String],
    plain_text: bool,
    check: &mut Check<R>,
) -> Option<Localized> {
    let localized = match value {
        Value::String(text) => Localized::One(text),
        Value::Object(by_language) => Localized::PerLanguage(read_per_language(by_language, at, languages, check)),
        other => {
            check.at(at, || {
                format!(
                    "is {}, but must be text in quotes, or one text per language, like {{\"lv\": \"…\", \"en\": \"…\"}}",
                    kind_of(&other)
                )
            });
            return None;
        }
    };
    if plain_text {
        check_plain_text(&localized, at, check);
    }
    Some(localized)
}

/// The texts of a text given per language (at `at`), in every enabled language.
fn read_per_language<R: Report>(
    by_language: json::Object,
    at: &Path,
    languages: &[String],
    check: &mut Check<R>,
) -> TextMap {
    for lang in languages {
        if !by_language.contains_key(lang) {
            check.at(&at.key(lang), || {
                format!("is missing; the site is shown in '{lang}', so give this text in '{lang}' too")
            });
        }
    }
    let mut texts = TextMap::default();
    for (lang, text) in by_language {
        let lang_at = at.key(&lang);
        let known = check_language_key(&lang, &lang_at, languages, check);
        if let (true, Some(text)) = (known, check.typed::<String>(text, &lang_at, || "text in quotes")) {
            texts.insert(lang, text);
        }
    }
    texts
}

fn check_plain_text<R: Report>(localized: &Localized, at: &Path, check: &mut Check<R>) {
    match localized {
        Localized::One(text) => refuse_markup(text, at, check),
        Localized::PerLanguage(by_language) => {
            for (lang, text) in by_language.iter() {
                refuse_markup(text, &at.key(lang), check);
            }
        }
    }
}

fn refuse_markup<R: Report>(text: &str, at: &Path, check: &mut Check<R>) {
    if text.contains('<') {
        check.at(at, || "contains '<': texts are shown as plain text, never as HTML; remove the markup".to_owned());
    }
}

fn read_policy<R: Report>(value: Option<Value>, languages: &[String], check: &mut Check<R>) -> Option<Policy> {
    let at = Path::ROOT.key(POLICY);
    let Some(value) = value else {
        check.at(&at, || "is missing; add {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}".to_owned());
        return None;
    };
    let mut fields = check
        .object(value, &at, || "an object like {\"url\": \"/cookie-policy.html\", \"edition\": \"2024-05-01\"}")?;
    check.unknown_keys(&mut fields, &at, &POLICY_FIELDS);
    let url_at = at.key(URL);
    let url = match fields.remove(URL) {
        Some(value) => read_localized(value, &url_at, languages, false, check),
        None => {
            check.at(&url_at, || {
                "is missing; give the cookie policy's address, like \"/cookie-policy.html\"".to_owned()
            });
            None
        }
    };
    if let Some(url) = &url {
        check_policy_url(url, &url_at, check);
    }
    let edition = check.required(&mut fields, &at, EDITION, || "the policy's date in quotes, like \"2024-05-01\"");
    Some(Policy { url: url?, edition: edition? })
}

/// The policy's address, in each language it is given in: an http(s)
/// address or a path on this site.
fn check_policy_url<R: Report>(url: &Localized, at: &Path, check: &mut Check<R>) {
    match url {
        Localized::One(url) => check_policy_address(url, at, check),
        Localized::PerLanguage(by_language) => {
            for (lang, url) in by_language.iter() {
                check_policy_address(url, &at.key(lang), check);
            }
        }
    }
}

fn check_policy_address<R: Report>(url: &str, at: &Path, check: &mut Check<R>) {
    let problem = match site_path_problem(url) {
        Some(AddressProblem::OtherScheme) => web_address_problem(url, HTTP_SCHEMES),
        other => other,
    };
    match problem {
        None => {}
        Some(AddressProblem::OtherScheme) => check
            .at(at, || format!("'{}' is not an http(s) address or a path on this site starting with /", visible(url))),
        Some(problem) => check.at(at, || format!("'{}' {}", visible(url), problem.explain())),
    }
}

fn read_receipts<R: Report>(value: Value, check: &mut Check<R>) -> Option<Receipts> {
    let at = Path::ROOT.key(RECEIPTS);
    let mut fields = check.object(value, &at, || "an object like {\"url\": \"/consent/receipts\"}")?;
    check.unknown_keys(&mut fields, &at, &RECEIPTS_FIELDS);
    let url: String =
        check.required(&mut fields, &at, URL, || "the collector's address in quotes, like \"/consent/receipts\"")?;
    // Any problem refuses the whole file, so the address is kept either way.
    check_policy_address(&url, &at.key(URL), check);
    Some(Receipts { url })
}

fn read_consent<R: Report>(value: Value, check: &mut Check<R>) -> ConsentLifetimes {
    let at = Path::ROOT.key(CONSENT);
    let mut lifetimes = ConsentLifetimes::default();
    let Some(mut fields) =
        check.object(value, &at, || "an object like {\"grant\": \"6 months\", \"refusal\": \"6 months\"}")
    else {
        return lifetimes;
    };
    check.unknown_keys(&mut fields, &at, &CONSENT_FIELDS);
    for (name, slot) in [(GRANT, &mut lifetimes.grant), (REFUSAL, &mut lifetimes.refusal)] {
        if let Some(lifetime) = fields.remove(name).and_then(|v| read_lifetime(v, &at.key(name), check)) {
            *slot = lifetime;
        }
    }
    lifetimes
}

fn read_storage<R: Report>(value: Value, check: &mut Check<R>) -> StorageSettings {
    let at = Path::ROOT.key(STORAGE);
    let mut storage = StorageSettings::default();
    let Some(mut fields) = check.object(value, &at, || "an object like {\"key\": \"consent-gate\"}") else {
        return storage;
    };
    check.unknown_keys(&mut fields, &at, &STORAGE_FIELDS);
    let key: Option<String> = check.optional(&mut fields, &at, KEY, || "text in quotes, like \"consent-gate\"");
    if let Some(key) = key.filter(|key| storage_key_usable(key, &at.key(KEY), check)) {
        storage.key = key;
    }
    if let Some(value) = fields.remove(COOKIE) {
        storage.cookie = read_cookie_mirror(value, &at.key(COOKIE), check);
    }
    let key = storage.key.as_str();
    if let Some(mirror) = storage.cookie.as_ref().filter(|m| m.name == key || m.name == own_names::https_cookie(key)) {
        // The record's own cookie (where localStorage is refused) has this
        // name: the server's copy would overwrite the visitor's choice.
        check.at(&at.key(COOKIE).key(NAME), || {
            format!("'{}' is also the name of the stored choice (storage.key '{key}'); give the server's copy a name of its own, like \"consent\"", mirror.name)
        });
        storage.cookie = None;
    }
    storage
}

/// Whether `key` (at `at`) can name the stored choice; reports it if not.
fn storage_key_usable<R: Report>(key: &str, at: &Path, check: &mut Check<R>) -> bool {
    if key.trim().is_empty() {
        check.at(at, || "is empty; give a name like \"consent-gate\"".to_owned());
        false
    } else if !is_cookie_name(key) {
        // Where the browser refuses localStorage, the record is kept in a cookie of this name.
        check.at(at, || {
            format!("'{key}' cannot be a cookie name, which it becomes where the browser refuses localStorage; use letters, digits, '-', '_' or '.', like \"consent-gate\"")
        });
        false
    } else {
        true
    }
}

fn read_cookie_mirror<R: Report>(value: Value, at: &Path, check: &mut Check<R>) -> Option<CookieMirror> {
    let mut fields =
        check.object(value, at, || "an object like {\"name\": \"consent\", \"domain\": \"example.lv\"}")?;
    check.unknown_keys(&mut fields, at, &COOKIE_MIRROR_FIELDS);
    let name: Option<String> =
        check.required(&mut fields, at, NAME, || "the cookie's name in quotes, like \"consent\"");
    let domain: Option<String> = check.optional(&mut fields, at, DOMAIN, || "a domain in quotes, like \"example.lv\"");
    let domain = domain.map(|domain| cookie_domain(domain, &at.key(DOMAIN), check));
    let name = name?;
    if !is_cookie_name(&name) {
        check.at(&at.key(NAME), || format!("'{name}' is not a cookie name; use letters, digits, '-', '_' or '.'"));
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
fn is_cookie_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// The mirror cookie's domain: a bare domain name, since it is written into
/// the cookie as it is (`"example.lv; SameSite=None"` would add attributes).
/// A leading dot is dropped: browsers ignore it anyway.
fn cookie_domain<R: Report>(domain: String, at: &Path, check: &mut Check<R>) -> Option<String> {
    let bare = domain.strip_prefix('.').unwrap_or(&domain);
    if is_domain_name(bare, false) {
        return Some(bare.to_owned());
    }
    check.at(at, || {
        format!("'{domain}' is not a domain name; write only the site's domain, like \"example.lv\": letters, digits, '-' and '.' (a name in other letters in its xn-- form)")
    });
    None
}

fn read_ui<R: Report>(value: Value, check: &mut Check<R>) -> UiSettings {
    let at = Path::ROOT.key(UI);
    let Some(mut fields) = check.object(value, &at, || "an object like {\"floatingButton\": true}") else {
        return UiSettings::default();
    };
    check.unknown_keys(&mut fields, &at, &UI_FIELDS);
    let floating_button = check.optional(&mut fields, &at, FLOATING_BUTTON, || "true or false").unwrap_or(false);
    let corner: Option<String> = check.optional(&mut fields, &at, FLOATING_BUTTON_CORNER, || {
        "one of \"bottom-left\", \"bottom-right\", \"top-left\", \"top-right\""
    });
    let floating_button_corner = corner
        .and_then(|name| {
            let corner = Corner::ALL.into_iter().find(|c| c.as_str() == name);
            if corner.is_none() {
                check.at(&at.key(FLOATING_BUTTON_CORNER), || {
                    format!("\"{name}\" is not a corner; write \"bottom-left\", \"bottom-right\", \"top-left\" or \"top-right\"")
                });
            }
            corner
        })
        .unwrap_or_default();
    let offset: Option<u32> = check
        .optional(&mut fields, &at, FLOATING_BUTTON_OFFSET, || "a whole number of CSS pixels from 0 to 200, like 16");
    let floating_button_offset = offset
        .filter(|&n| {
            let fits = n <= MAX_FLOATING_OFFSET;
            if !fits {
                check.at(&at.key(FLOATING_BUTTON_OFFSET), || {
                    format!("is {n} pixels, more than 200 from the corner; use a number from 0 to 200, like 16")
                });
            }
            fits
        })
        .unwrap_or(DEFAULT_FLOATING_OFFSET);
    let theme: Option<String> = check.optional(&mut fields, &at, THEME, || "one of \"light\", \"dark\", \"auto\"");
    let theme = theme
        .and_then(|name| {
            let theme = Theme::ALL.into_iter().find(|t| t.as_str() == name);
            if theme.is_none() {
                check.at(&at.key(THEME), || {
                    format!("\"{name}\" is not a theme; write \"light\", \"dark\" or \"auto\" (the visitor's system setting)")
                });
            }
            theme
        })
        .unwrap_or_default();
    UiSettings { floating_button, floating_button_corner, floating_button_offset, theme }
}

pub(super) fn read_lifetime<R: Report>(value: Value, at: &Path, check: &mut Check<R>) -> Option<Lifetime> {
    match value {
        Value::String(text) => Lifetime::parse(&text).map_err(|e| check.at(at, || lifetime_message(&text, &e))).ok(),
        other => {
            check.at(at, || format!("{} is not a lifetime; write it in quotes, like \"180 days\"", kind_of(&other)));
            None
        }
    }
}

/// Why `text` is not a lifetime: with the way to write it when the text says
/// one in another way ("395d", "13 mēneši", "6 мес.").
fn lifetime_message(text: &str, error: &LifetimeError) -> String {
    if let Some(meant) = lifetime_as_written(text) {
        return format!("\"{text}\" is not written the way consent-gate reads lifetimes; write it as \"{meant}\"");
    }
    let digits = text.trim_start().bytes().take_while(u8::is_ascii_digit).count();
    let glued = text
        .trim_start()
        .get(digits..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_ascii_alphabetic() || !c.is_ascii());
    match text.trim_start().get(..digits) {
        Some(number) if digits > 0 && glued => format!("\"{text}\" needs a space between the number and the unit, and the unit in English: days, months or years (like \"{number} days\", \"{number} months\" or \"{number} years\")"),
        _ => format!("\"{text}\" {error}"),
    }
}

fn read_texts<R: Report>(value: Value, languages: &[String], check: &mut Check<R>) -> TextsByLanguage {
    let at = Path::ROOT.key(TEXTS);
    // Languages come from the keys of one JSON object, so each appears once.
    let mut texts = Vec::new();
    let Some(by_language) =
        check.object(value, &at, || "an object of texts per language, like {\"lv\": {\"acceptAll\": \"…\"}}")
    else {
        return texts;
    };
    let names: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
    for (lang, value) in by_language {
        let lang_at = at.key(&lang);
        if !check_language_key(&lang, &lang_at, languages, check) {
            continue;
        }
        if let Some(own) = check.scoped(|check| read_language_texts(value, &lang_at, &names, check)) {
            texts.push((lang, own));
        }
    }
    texts
}

/// The texts of one language, by name (`names`: the known ones).
fn read_language_texts<R: Report>(value: Value, at: &Path, names: &[&str], check: &mut Check<R>) -> Option<TextMap> {
    let mut given = check.object(value, at, || "an object of texts by name, like {\"acceptAll\": \"…\"}")?;
    check.unknown_keys(&mut given, at, names);
    let mut own = TextMap::default();
    for (name, text) in given {
        let text_at = at.key(&name);
        if let Some(text) = check.typed::<String>(text, &text_at, || "text in quotes") {
            refuse_markup(&text, &text_at, check);
            own.insert(name, text);
        }
    }
    Some(own)
}

/// A language without built-in texts must give every text.
fn check_required_texts<R: Report>(texts: &TextsByLanguage, languages: &[String], check: &mut Check<R>) {
    let at = Path::ROOT.key(TEXTS);
    for lang in languages {
        if i18n::BUILT_IN.contains(&lang.as_str()) {
            continue;
        }
        let given = texts.iter().find(|(l, _)| l == lang).map(|(_, t)| t);
        for key in Key::ALL.into_iter().filter(|k| !Key::OPTIONAL.contains(k)) {
            if !given.is_some_and(|t| t.contains_key(key.name())) {
                check.at(&at.key(lang).key(key.name()), || {
                    format!("is missing; '{lang}' has no built-in texts, so every text must be given for it")
                });
            }
        }
    }
}
