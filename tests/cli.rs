//! The checker as marketing staff run it: compiler-style lines, exit status.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consent-gate"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_valid_config_exits_0() {
    let output = run(&["check", "www/consent.json"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "www/consent.json: OK (6 vendors, languages lv, ru, en)\n");
}

#[test]
fn problems_print_like_a_compiler_and_exit_1() {
    let file = "tests/config/broken/retired-analytics-id.json";
    let output = run(&["check", file]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        format!("{file}:6:39: vendors[2].measurementId: 'UA-12345-1' is a retired Universal Analytics id; GA4 ids look like G-XXXXXXXXXX\n")
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 problem found"));
}

#[test]
fn files_are_read_as_the_browser_reads_them() {
    // fetch().text() drops a byte order mark: the checker does too.
    let output = run(&["check", "tests/config/valid/byte-order-mark.json"]);
    assert_eq!(stdout(&output), "tests/config/valid/byte-order-mark.json: OK (1 vendors, languages lv, ru, en)\n");
    assert_eq!(output.status.code(), Some(0));
    // A file saved in another encoding (here Windows-1257) is no reason to
    // stop: the browser would read it with U+FFFD in place of the bytes it
    // cannot read, so the checker says where they are.
    let file = "tests/config/broken/not-utf8.json";
    let output = run(&["check", file]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with(&format!("{file}:8:33: contains the character \u{FFFD}")),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_file_over_the_size_cap_is_a_problem_that_names_the_cap() {
    let file = "tests/config/broken/too-large.json";
    let output = run(&["check", file]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with(&format!("{file}:1:1: the file is larger than 1 MB (1000000 bytes)")),
        "{}",
        stdout(&output)
    );
}

#[test]
fn usage_and_unreadable_files_exit_2() {
    assert_eq!(run(&[]).status.code(), Some(2));
    assert_eq!(run(&["check"]).status.code(), Some(2));
    let missing = run(&["check", "no/such/consent.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read no/such/consent.json"));
    assert_eq!(run(&["declaration", "www/consent.json", "--format", "pdf"]).status.code(), Some(2));
    assert_eq!(run(&["declaration", "www/consent.json", "--lang", "de"]).status.code(), Some(2));
}

#[test]
fn the_declaration_prints_as_html_or_markdown() {
    let html = run(&["declaration", "www/consent.json", "--lang", "lv", "--format", "html"]);
    assert_eq!(html.status.code(), Some(0));
    let html = stdout(&html);
    assert!(html.contains("<h2>Analītiskās sīkdatnes</h2>"), "{html}");
    assert!(html.contains("<td>Google Analytics</td>"), "{html}");
    let markdown = stdout(&run(&["declaration", "www/consent.json", "--lang", "en", "--format", "markdown"]));
    assert!(markdown.contains("| Criteo | Online ads based on what you browsed on this site. | cto\\_bundle | First party (this site); third party (criteo.com) | 1 year | [www.criteo.com](<https://www.criteo.com/privacy>) |"), "{markdown}");
    assert!(markdown.starts_with("## Necessary cookies\n"), "{markdown}");
    let md = stdout(&run(&["declaration", "www/consent.json", "--lang", "en", "--format", "md"]));
    assert_eq!(md, markdown, "--format md is markdown");
}

#[test]
fn the_schema_command_prints_the_committed_schema() {
    let output = run(&["schema"]);
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("www/consent.schema.json")).unwrap();
    assert_eq!(stdout(&output), committed);
}

#[test]
fn messages_come_in_latvian_and_russian() {
    let file = "tests/config/broken/ids-with-spaces.json";
    let lv = run(&["check", file, "--lang", "lv"]);
    assert_eq!(lv.status.code(), Some(1));
    assert!(
        stdout(&lv).starts_with(&format!(
            "{file}:4:39: vendors[0].measurementId: 'G-ABC 123' satur atstarpes; izdzēsiet atstarpes: \"G-ABC123\"\n"
        )),
        "{}",
        stdout(&lv)
    );
    assert!(String::from_utf8_lossy(&lv.stderr).contains("atrastas kļūdas: 5"));
    let ru = run(&["check", "--lang", "ru", file]);
    assert!(stdout(&ru).contains("'G-ABC 123' содержит пробелы; удалите пробелы: \"G-ABC123\""), "{}", stdout(&ru));
    let ok = run(&["check", "www/consent.json", "--lang", "lv"]);
    assert_eq!(stdout(&ok), "www/consent.json: kļūdu nav (pakalpojumu sniedzēji: 6, valodas: lv, ru, en)\n");
    assert_eq!(run(&["check", file, "--lang", "de"]).status.code(), Some(2));
}

#[test]
fn a_utf16_file_gets_how_to_save_it_as_utf8() {
    for file in ["tests/config/broken/utf16-notepad-unicode.json", "tests/config/broken/utf16-without-bom.json"] {
        let output = run(&["check", file]);
        assert_eq!(output.status.code(), Some(1));
        assert!(
            stdout(&output).starts_with(&format!("{file}:1:1: the file is saved as UTF-16 (Notepad calls it \"Unicode\"), but a consent.json must be UTF-8: in Notepad choose File > Save as, set Encoding to UTF-8")),
            "{}",
            stdout(&output)
        );
    }
}
