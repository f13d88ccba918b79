//! The full report, for the people who edit consent.json: every problem with
//! the path of the field at fault, its line and column, and a sentence on
//! how to fix it; a likely typo is named and read as the field it meant.
//! Only [`Config::from_json`](super::Config::from_json) reports so.

use super::check::{FileProblem, Report};
use super::messages::{self, Lang};
use super::path::Path;
use super::{MAX_CONFIG_BYTES, MAX_LISTED_PROBLEMS};
use crate::core::json::{self, Object, SyntaxError, Value};
use crate::core::json_spans::{member, Position, Spans};
use crate::core::suggest::closest;
use crate::vendors::FieldError;
use std::fmt;

/// One problem in the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Where: a JSON path like `vendors[2].measurementId` (empty: the whole file).
    pub path: String,
    /// Line and column (1-based) of the field at fault, or of the object that
    /// lacks a required field.
    pub position: Option<(usize, usize)>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl ConfigError {
    /// The error without its position: `path: message`.
    pub fn describe(&self) -> String {
        if self.path.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.path, self.message)
        }
    }
}

impl ConfigError {
    /// The error as `Display` writes it, its position in the words of `lang`.
    pub fn to_string_in(&self, lang: Lang) -> String {
        match self.position {
            Some((line, column)) => format!("{}: {}", messages::line_column(lang, line, column), self.describe()),
            None => self.describe(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string_in(Lang::En))
    }
}

/// Every problem found in one config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl ConfigErrors {
    /// The problems of a config given as an object (to `start()`) rather than
    /// as a file: named by their field path, since a line and column of the
    /// text made from the object would point nowhere the site can look.
    pub fn of_object(mut self) -> ConfigErrors {
        for e in &mut self.0 {
            e.position = None;
        }
        self
    }

    /// Every problem, under a heading that names `what` had them.
    pub fn summary(&self, what: &str) -> String {
        self.summary_in(what, Lang::En)
    }

    /// As [`ConfigErrors::summary`], the heading and positions in `lang` (the
    /// messages are in the language they were checked in).
    pub fn summary_in(&self, what: &str, lang: Lang) -> String {
        let mut text = messages::has_problems_in(lang, what, self.0.len());
        text.push_str(":\n");
        for e in &self.0 {
            text.push_str(&format!("  - {}\n", e.to_string_in(lang)));
        }
        text
    }
}

/// "`what` has `n` problem(s)", the heading of every list of problems.
pub fn has_problems(what: &str, n: usize) -> String {
    messages::has_problems_in(Lang::En, what, n)
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary("consent.json"))
    }
}

impl std::error::Error for ConfigErrors {}

/// A problem's message, written when it is listed.
trait Message {
    fn write(&mut self) -> String;
}

impl<F: FnOnce() -> String> Message for Option<F> {
    fn write(&mut self) -> String {
        self.take().map_or_else(String::new, |message| message())
    }
}

/// The problems found so far, and where each path sits in the text.
pub(super) struct Diagnostics<'t> {
    text: &'t str,
    /// Scanned at the first problem: a valid config never needs it.
    spans: Option<Spans>,
    /// The first problems in the order of the text (and, at one place, in
    /// the order found), at most `MAX_LISTED_PROBLEMS`.
    errors: Vec<ConfigError>,
    /// Problems found beyond those listed.
    unlisted: usize,
    /// Misspelt keys read as the field they were meant to be: (meant, written),
    /// outer objects first. Those in a vendor or a language's texts are
    /// dropped once it is read: every problem under them is reported by
    /// then, and keeping them all would make each later problem scan them.
    misspelt: Vec<(String, String)>,
    /// The language the messages are listed in.
    lang: Lang,
}

impl<'t> Diagnostics<'t> {
    pub(super) fn new(text: &'t str, lang: Lang) -> Diagnostics<'t> {
        Diagnostics { text, spans: None, errors: Vec::new(), unlisted: 0, misspelt: Vec::new(), lang }
    }

    fn spans(&mut self) -> &Spans {
        let text = self.text;
        self.spans.get_or_insert_with(|| Spans::scan(text))
    }

    /// `path` as it is written in the file: under a misspelt key, the
    /// problem is reported where the misspelling is. Inner objects first, so
    /// a misspelling inside a misspelt object is rewritten too.
    fn as_written(&self, path: &str) -> String {
        let mut path = path.to_owned();
        for (meant, written) in self.misspelt.iter().rev() {
            if let Some(rest) = path.strip_prefix(meant.as_str()).filter(|r| r.is_empty() || r.starts_with(['.', '[']))
            {
                path = format!("{written}{rest}");
            }
        }
        path
    }

    /// A problem at `path` (as the rules name it), placed in the text by
    /// `locate`. Its message is written only if it is listed; if not, it is
    /// counted. Through `dyn`: one copy of this for every rule's message.
    fn report_at(&mut self, path: &str, locate: fn(&Spans, &str) -> Position, message: &mut dyn Message) {
        let path = self.as_written(path);
        let position = locate(self.spans(), &path);
        if self.lists(position) {
            self.insert(path, position, message.write());
        } else {
            self.unlisted += 1;
        }
    }

    /// Whether a problem at `position` would be listed.
    fn lists(&self, position: Position) -> bool {
        self.errors.len() < MAX_LISTED_PROBLEMS || self.errors.last().is_some_and(|e| e.position > Some(position))
    }

    /// Keeps the first problems in the order of the text (and, at one place,
    /// in the order found); a problem found past the last listed once the
    /// list is full is counted.
    fn push_at(&mut self, path: String, position: Position, message: String) {
        if self.lists(position) {
            self.insert(path, position, message);
        } else {
            self.unlisted += 1;
        }
    }

    /// Lists a problem in its place; one pushed out of a full list is counted.
    fn insert(&mut self, path: String, position: Position, message: String) {
        let at = self.errors.partition_point(|e| e.position <= Some(position));
        self.errors.insert(at, ConfigError { path, position: Some(position), message });
        if self.errors.len() > MAX_LISTED_PROBLEMS {
            self.errors.pop();
            self.unlisted += 1;
        }
    }

    /// Keys written twice in one object. Each path is built only when listed.
    fn report_repeated_keys(&mut self) {
        let spans = Spans::scan(self.text);
        for repeated in spans.repeated_keys() {
            if self.lists(repeated.position) {
                let message = "is written twice in the same place; only one can count, so remove the other";
                self.insert(spans.path_of(repeated), repeated.position, message.to_owned());
            } else {
                self.unlisted += 1;
            }
        }
        self.spans = Some(spans);
    }
}

impl Report for Diagnostics<'_> {
    type FieldProblem = FieldError;
    type Rejection = ConfigErrors;
    const LISTS: bool = true;

    fn file(&mut self, problem: FileProblem) {
        match problem {
            FileProblem::TooLarge => self.push_at(String::new(), (1, 1), TOO_LARGE.to_owned()),
            FileProblem::Empty => self.push_at(String::new(), (1, 1), EMPTY.to_owned()),
            FileProblem::Syntax(e) => {
                let (position, message) = syntax_problem(self.text, &e);
                self.push_at(String::new(), position, message);
            }
            FileProblem::Utf16 => self.push_at(String::new(), (1, 1), UTF16.to_owned()),
            FileProblem::NotUtf8 { at } => {
                let position = json::position_at(self.text, at);
                self.push_at(String::new(), position, NOT_UTF8.to_owned());
            }
            FileProblem::RepeatedKeys => self.report_repeated_keys(),
        }
    }

    fn value(&mut self, at: &Path, message: impl FnOnce() -> String) {
        self.report_at(&at.written(), Spans::value, &mut Some(message));
    }

    fn key(&mut self, at: &Path, message: impl FnOnce() -> String) {
        self.report_at(&at.written(), Spans::key, &mut Some(message));
    }

    /// A likely typo of a field that is absent is read as that field, so
    /// the typo is not also reported as a missing field, and its value is
    /// checked as the field's.
    fn unknown_keys(&mut self, object: &mut Object, at: &Path, known: &[&str]) {
        // In one pass: the object is left with known fields only, so each
        // later lookup in it scans a handful.
        let unknown = object.remove_where(|key| !known.contains(&key));
        for (key, value) in unknown {
            let meant = closest(&key, known.iter().copied());
            if let Some(field) = meant.filter(|field| !object.contains_key(field)) {
                object.insert(field.to_owned(), value);
                let path = at.written();
                self.misspelt.push((member(&path, field), member(&path, &key)));
            }
            self.key(&at.key(&key), || match meant {
                Some(field) => format!("is not a known field; did you mean \"{field}\"?"),
                None => format!("is not a known field; remove it (the fields here are {})", known.join(", ")),
            });
        }
    }

    fn vendor_field(&mut self, problem: FieldError, at: &Path, kind: &str) {
        let entry = at.written();
        let path = if problem.field.is_empty() { entry } else { member(&entry, &problem.field) };
        let message = if problem.message.starts_with("missing field") {
            format!("is missing; the {kind} vendor type needs it")
        } else {
            problem.message
        };
        self.report_at(&path, Spans::value, &mut Some(|| message));
    }

    fn misspellings(&self) -> usize {
        self.misspelt.len()
    }

    fn forget_misspellings(&mut self, mark: usize) {
        self.misspelt.truncate(mark);
    }

    fn rejected(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The problems listed, and a last line counting those that are not.
    fn finish(mut self) -> ConfigErrors {
        if self.unlisted > 0 {
            let position = self.errors.last().and_then(|e| e.position).unwrap_or((1, 1));
            let mut message = String::from("and ");
            json::push_int(&mut message, i64::try_from(self.unlisted).unwrap_or(i64::MAX));
            message.push_str(" more problems not listed; fix the ones above and check the file again");
            self.errors.push(ConfigError { path: String::new(), position: Some(position), message });
        }
        if self.lang != Lang::En {
            for e in &mut self.errors {
                if let Some(translated) = messages::translate(self.lang, &e.message) {
                    e.message = translated;
                }
            }
        }
        ConfigErrors(self.errors)
    }
}

const TOO_LARGE: &str = "the file is larger than 1 MB (1000000 bytes), the most consent-gate reads; a consent.json \
    with hundreds of vendors is well under 100 KB, so keep only the site's vendors, texts and settings in it";

const EMPTY: &str = "the file is empty; it must hold one JSON object, like {\"policy\": {…}, \"vendors\": […]}";

const NOT_UTF8: &str = "contains the character \u{FFFD}, which is left where a file was not saved as UTF-8 \
    (or where a character was lost); save the file as UTF-8 and retype the characters here";

const UTF16: &str = "the file is saved as UTF-16 (Notepad calls it \"Unicode\"), but a consent.json must be UTF-8: \
    in Notepad choose File > Save as, set Encoding to UTF-8 and save; in VS Code click \"UTF-16\" at the bottom right \
    and choose Save with Encoding > UTF-8";

// The message names the cap the rules apply.
const _: () = assert!(MAX_CONFIG_BYTES == 1_000_000);

/// Where a JSON syntax error is best shown, and what it says. A comma too
/// many or missing is shown where it is, or where it is missing (at the end
/// of the item before), not at the next item, which may be lines further
/// on; a curly quote (as Word writes them) is named.
fn syntax_problem(text: &str, e: &SyntaxError) -> ((usize, usize), String) {
    let at = byte_at(text, e.line, e.column);
    let before = text.get(..at).unwrap_or_default().trim_end_matches([' ', '\t', '\n', '\r']);
    let here = text.get(at..).and_then(|rest| rest.chars().next());
    if let Some(quote) = here.filter(|c| CURLY_QUOTES.contains(c)) {
        return ((e.line, e.column), curly_quote_message(quote));
    }
    if e.message.starts_with("control character") {
        // A string that a curly quote should have closed runs on to the end
        // of the line. (Not a single one: an apostrophe in a text is one.)
        let line_start = text.get(..at).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
        let line = text.get(line_start..at).unwrap_or_default();
        if let Some((offset, quote)) = line.char_indices().rfind(|(_, c)| CURLY_DOUBLE_QUOTES.contains(c)) {
            return (json::position_at(text, line_start + offset), curly_quote_message(quote));
        }
    }
    if e.message == "trailing comma" && before.ends_with(',') {
        return (json::position_at(text, before.len() - 1), syntax_message(e));
    }
    if e.message.starts_with("expected `,` or")
        && before.len() < at
        && text.get(before.len()..at).is_some_and(|gap| gap.contains('\n'))
    {
        return (json::position_at(text, before.len()), MISSING_COMMA.to_owned());
    }
    ((e.line, e.column), syntax_message(e))
}

/// Quotes that Word, Outlook and the like put in place of a typed ".
const CURLY_QUOTES: [char; 7] = ['\u{201C}', '\u{201D}', '\u{201E}', '\u{2018}', '\u{2019}', '\u{201A}', '\u{00AB}'];

/// The double ones among them.
const CURLY_DOUBLE_QUOTES: [char; 4] = ['\u{201C}', '\u{201D}', '\u{201E}', '\u{00AB}'];

fn curly_quote_message(quote: char) -> String {
    format!("{quote} is a curly quote, as Word and Outlook write them; JSON needs straight double quotes: retype it as \" (or write the file in a plain-text editor)")
}

const MISSING_COMMA: &str =
    "a comma is missing at the end of this line, between two items (or a bracket is not closed); add a comma here";

/// The byte offset of a 1-based line and column (columns count characters).
fn byte_at(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text.get(start..).and_then(|rest| rest.find('\n')) {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = text.get(start..).unwrap_or_default();
    start + rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i)
}

/// A JSON syntax error with a hint in plain words.
fn syntax_message(e: &SyntaxError) -> String {
    let what = e.message;
    let hint = if what == "trailing comma" {
        "remove the comma after the last item"
    } else if what.starts_with("EOF") {
        "the file ends too early; a closing }, ] or \" is missing"
    } else if what.starts_with("expected `,` or") {
        "a comma is missing between two items, or a bracket is not closed"
    } else if what == "key must be a string" {
        "field names need double quotes, like \"type\""
    } else if what == "expected value" {
        "a value is missing or misspelt here; text needs double quotes, and true, false and null are lower-case"
    } else if what.starts_with("control character") {
        "a line break or tab inside quotes; keep each text on one line"
    } else {
        "this is not valid JSON"
    };
    format!("{what}; {hint}")
}

/// A value of the wrong kind where `expected` was: "is X, but must be Y".
pub(super) fn wrong_kind(wrong: &Value, expected: &str) -> String {
    match wrong {
        Value::Array(_) if expected.starts_with("a list") => {
            format!("has an item of the wrong kind; it must be {expected}")
        }
        wrong => format!("is {}, but must be {expected}", kind_of(wrong)),
    }
}

/// A JSON value's kind in plain words, for "is X, but must be Y".
pub(super) fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(n) => format!("the number {}", json::int_text(*n)),
        Value::Decimal(text) => format!("the number {text}"),
        Value::String(s) => format!("the text \"{s}\""),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}
