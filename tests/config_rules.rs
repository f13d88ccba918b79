//! Every config rule, proven on real broken files: each
//! `tests/config/broken/NAME.json` has a sibling `NAME.expected` with the exact
//! problems the checker reports, one `line:column: path: message` a line.
//! Files under `tests/config/valid/` are accepted (their `.expected` is empty).
//! Files are read as the checker and the browser read them (`text_of_file`);
//! `tests/e2e/fixtures.test.mjs` runs each through both.
#![cfg(not(target_arch = "wasm32"))]

use consent_gate::core::config::{text_of_file, translate, Config, Lang, Rejected};
use std::fs;
use std::path::{Path, PathBuf};

fn broken_files() -> Vec<PathBuf> {
    files_in("broken")
}

fn files_in(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/config").join(folder);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn reported(text: &str) -> Vec<String> {
    match Config::from_json(text) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .0
            .iter()
            .map(|e| {
                let (line, column) = e.position.expect("every error has a position");
                format!("{line}:{column}: {}", e.describe())
            })
            .collect(),
    }
}

#[test]
fn every_broken_file_gets_exactly_its_expected_messages() {
    let files = broken_files();
    assert!(files.len() >= 15, "the folder of broken examples is there");
    let mut mismatches = Vec::new();
    for file in files {
        let expected_file = file.with_extension("expected");
        let expected = fs::read_to_string(&expected_file)
            .unwrap_or_else(|_| panic!("{} needs {}", file.display(), expected_file.display()));
        let expected: Vec<&str> = expected.lines().collect();
        let actual = reported(&text_of_file(&fs::read(&file).unwrap()));
        assert!(!actual.is_empty(), "{} is accepted, but it is a broken example", file.display());
        if actual != expected {
            mismatches.push(format!("{}:\n  expected {expected:#?}\n  actual {actual:#?}", file.display()));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// The rules the issue names, each with a file that breaks it.
#[test]
fn each_rule_has_a_broken_example() {
    let all: String =
        broken_files().iter().map(|f| fs::read_to_string(f.with_extension("expected")).unwrap()).collect();
    for rule in [
        "is not a known field; did you mean",
        "is a retired Universal Analytics id",
        "is listed twice",
        "is written twice in the same place",
        "is not a category",
        "is zero; a lifetime must be at least 1 day",
        "is not an http(s) address",
        "texts are shown as plain text, never as HTML",
        "so give this text in 'ru' too",
        "has no built-in texts, so every text must be given",
        "is not a vendor type",
        "is not one of the site's languages",
        "trailing comma",
        "write at least 3 characters before the *",
        "so refusing this vendor would delete the visitor's choice",
        "so refusing Google Ads would delete the visitor's choice",
        "cannot be a cookie name",
        "is not a domain name",
        "contains a backslash",
        "contains a space, tab or line break",
        "has an '@' before the host name",
        "has no valid host name",
        "which is left where a file was not saved as UTF-8",
        "the file is larger than 1 MB (1000000 bytes)",
        "but a site can be shown in at most 50",
        "more problems not listed",
        "is not a corner",
        "more than 200 from the corner",
        "is not a theme",
        "write it as \"395 days\"",
        "\"13 mēneši\" is not written the way consent-gate reads lifetimes; write it as \"13 months\"",
        "\"6 мес.\" is not written the way consent-gate reads lifetimes; write it as \"6 months\"",
        "\"1 год\" is not written the way consent-gate reads lifetimes; write it as \"1 year\"",
        "\"13 mėn\" is not written the way consent-gate reads lifetimes",
        "\"1 gads\" is not written the way consent-gate reads lifetimes",
        "contains spaces; remove the spaces",
        "“ is a curly quote",
        "” is a curly quote",
        "the file is saved as UTF-16 (Notepad calls it \"Unicode\")",
        "a comma is missing at the end of this line",
    ] {
        assert!(all.contains(rule), "no broken example covers: {rule}");
    }
}

#[test]
fn every_valid_file_is_accepted() {
    let files = files_in("valid");
    assert!(!files.is_empty(), "the folder of valid examples is there");
    for file in files {
        let problems = reported(&text_of_file(&fs::read(&file).unwrap()));
        assert_eq!(problems, Vec::<String>::new(), "{}", file.display());
        let expected = fs::read_to_string(file.with_extension("expected")).unwrap();
        assert!(expected.is_empty(), "{}: a valid file expects no problems", file.display());
    }
}

#[test]
fn the_demo_config_passes() {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("www/consent.json")).unwrap();
    assert_eq!(reported(&text), Vec::<String>::new());
}

/// The lean check (`Config::accept_json`, all a page needs) gives every
/// example the full check's verdict, and the same config when it accepts.
#[test]
fn every_file_gets_the_same_verdict_from_the_lean_check() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/consent.json");
    let files: Vec<PathBuf> = [files_in("valid"), broken_files(), vec![demo]].concat();
    for file in files {
        let text = text_of_file(&fs::read(&file).unwrap()).into_owned();
        let full = Config::from_json(&text).map(|config| format!("{config:?}"));
        let lean = Config::accept_json(&text).map(|config| format!("{config:?}"));
        match (full, lean) {
            (Ok(full), Ok(lean)) => assert_eq!(full, lean, "{}", file.display()),
            (Err(_), Err(Rejected)) => {}
            (full, lean) => panic!("{}: full check {full:?}, lean check {lean:?}", file.display()),
        }
    }
}

/// Every message the broken examples get has its Latvian and Russian
/// translation (`--lang lv|ru`, the checker page), and the Latvian report
/// lists the same problems at the same places.
#[test]
fn every_message_is_translated_into_latvian_and_russian() {
    let mut untranslated = Vec::new();
    for file in broken_files() {
        let text = text_of_file(&fs::read(&file).unwrap()).into_owned();
        let Err(english) = Config::from_json(&text) else { panic!("{} is accepted", file.display()) };
        for lang in [Lang::Lv, Lang::Ru] {
            let Err(translated) = Config::from_json_in(&text, lang) else { panic!("{} is accepted", file.display()) };
            assert_eq!(translated.0.len(), english.0.len(), "{}", file.display());
            for (en, tr) in english.0.iter().zip(&translated.0) {
                assert_eq!((&en.path, en.position), (&tr.path, tr.position), "{}", file.display());
                if translate(lang, &en.message).is_none() || tr.message == en.message {
                    untranslated.push(format!("{} ({lang:?}): {}", file.display(), en.message));
                }
            }
        }
    }
    assert!(untranslated.is_empty(), "no translation for:\n{}", untranslated.join("\n"));
}

#[test]
fn messages_in_latvian_and_russian_read_naturally() {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/config/broken/lifetime-units.json"))
            .unwrap();
    let lv = Config::from_json_in(&text, Lang::Lv).err().unwrap();
    assert_eq!(
        lv.0[0].to_string_in(Lang::Lv),
        "3. rinda, 25. zīme: consent.grant: \"395d\" nav uzrakstīts tā, kā consent-gate lasa glabāšanas laiku; rakstiet \"395 days\""
    );
    let ru = Config::from_json_in(&text, Lang::Ru).err().unwrap();
    assert!(
        ru.summary_in("consent.json", Lang::Ru)
            .starts_with("consent.json: 8 ошибок:\n  - строка 3, символ 25: consent.grant: \"395d\" записано не так"),
        "{}",
        ru.summary_in("consent.json", Lang::Ru)
    );
}
