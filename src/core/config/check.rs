//! The checker's bookkeeping: the problems found so far, each with its path
//! and position, and the helpers that read a field or report it.

use super::{ConfigError, MAX_CONFIG_BYTES, MAX_LISTED_PROBLEMS};
use crate::core::json::{self, Object, Value};
use crate::core::json_spans::{member, Position, Spans};
use crate::core::suggest::closest;

pub(super) const NOT_UTF8: &str = "contains the character \u{FFFD}, which is left where a file was not saved as UTF-8 \
    (or where a character was lost); save the file as UTF-8 and retype the characters here";

/// Why the file cannot be read at all: empty, or over the size cap.
pub(super) fn unreadable_file(text: &str) -> Option<String> {
    if text.len() > MAX_CONFIG_BYTES {
        return Some(
            "the file is larger than 1 MB (1000000 bytes), the most consent-gate reads; a consent.json with \
             hundreds of vendors is well under 100 KB, so keep only the site's vendors, texts and settings in it"
                .to_owned(),
        );
    }
    if text.trim().is_empty() {
        return Some(
            "the file is empty; it must hold one JSON object, like {\"policy\": {…}, \"vendors\": […]}".to_owned(),
        );
    }
    None
}

/// A JSON syntax error, with its position and a hint in plain words.
pub(super) fn syntax_error(e: &json::SyntaxError) -> ConfigError {
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
    ConfigError { path: String::new(), position: Some((e.line, e.column)), message: format!("{what}; {hint}") }
}

/// A field's value read as a Rust type; `None` when it is of another kind.
pub(super) trait FromJson: Sized {
    fn from_json(value: Value) -> Option<Self>;
}

impl FromJson for String {
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Option<Self> {
        value.as_bool()
    }
}

impl FromJson for u32 {
    fn from_json(value: Value) -> Option<Self> {
        value.as_i64().and_then(|n| u32::try_from(n).ok())
    }
}

impl FromJson for Value {
    fn from_json(value: Value) -> Option<Self> {
        Some(value)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::from_json(other).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Option<Self> {
        match value {
            Value::Array(items) => items.into_iter().map(T::from_json).collect(),
            _ => None,
        }
    }
}

/// The problems found so far, and where each path sits in the text.
pub(super) struct Check<'a> {
    pub(super) text: &'a str,
    /// Scanned at the first problem: a valid config never needs it.
    pub(super) spans: Option<Spans>,
    /// The first problems in the order of the text (and, at one place, in
    /// the order found), at most `MAX_LISTED_PROBLEMS`.
    pub(super) errors: Vec<ConfigError>,
    /// Problems found beyond those listed.
    pub(super) unlisted: usize,
    /// Misspelt keys read as the field they were meant to be: (meant, written),
    /// outer objects first. Those in a vendor or a language's texts are
    /// dropped once it is read: every problem under them is reported by
    /// then, and keeping them all would make each later problem scan them.
    pub(super) misspelt: Vec<(String, String)>,
}

impl<'a> Check<'a> {
    pub(super) fn new(text: &'a str) -> Check<'a> {
        Check { text, spans: None, errors: Vec::new(), unlisted: 0, misspelt: Vec::new() }
    }

    pub(super) fn spans(&mut self) -> &Spans {
        let text = self.text;
        self.spans.get_or_insert_with(|| Spans::scan(text))
    }

    /// A problem with the value at `path`.
    pub(super) fn at(&mut self, path: &str, message: impl Into<String>) {
        let path = self.as_written(path);
        let position = self.spans().value(&path);
        self.push_at(path, position, message.into());
    }

    /// A problem with the key of the member at `path`.
    pub(super) fn at_key(&mut self, path: &str, message: impl Into<String>) {
        let path = self.as_written(path);
        let position = self.spans().key(&path);
        self.push_at(path, position, message.into());
    }

    /// `path` as it is written in the file: under a misspelt key, the
    /// problem is reported where the misspelling is. Inner objects first, so
    /// a misspelling inside a misspelt object is rewritten too.
    pub(super) fn as_written(&self, path: &str) -> String {
        let mut path = path.to_owned();
        for (meant, written) in self.misspelt.iter().rev() {
            if let Some(rest) = path.strip_prefix(meant.as_str()).filter(|r| r.is_empty() || r.starts_with(['.', '[']))
            {
                path = format!("{written}{rest}");
            }
        }
        path
    }

    /// Whether a problem at `position` would be listed.
    pub(super) fn lists(&self, position: Position) -> bool {
        self.errors.len() < MAX_LISTED_PROBLEMS || self.errors.last().is_some_and(|e| e.position > Some(position))
    }

    /// Keeps the first problems in the order of the text (and, at one place,
    /// in the order found); a problem pushed out, or found past the last
    /// listed once the list is full, is counted.
    pub(super) fn push_at(&mut self, path: String, position: Position, message: String) {
        if !self.lists(position) {
            self.unlisted += 1;
            return;
        }
        let at = self.errors.partition_point(|e| e.position <= Some(position));
        self.errors.insert(at, ConfigError { path, position: Some(position), message });
        if self.errors.len() > MAX_LISTED_PROBLEMS {
            self.errors.pop();
            self.unlisted += 1;
        }
    }

    /// Keys written twice in one object. Each path is built only when listed.
    pub(super) fn report_repeated_keys(&mut self) {
        let spans = Spans::scan(self.text);
        for repeated in spans.repeated_keys() {
            if self.lists(repeated.position) {
                let message = "is written twice in the same place; only one can count, so remove the other";
                self.push_at(spans.path_of(repeated), repeated.position, message.to_owned());
            } else {
                self.unlisted += 1;
            }
        }
        self.spans = Some(spans);
    }

    /// The problems listed, and a last line counting those that are not.
    pub(super) fn finish(mut self) -> Vec<ConfigError> {
        if self.unlisted > 0 {
            let position = self.errors.last().and_then(|e| e.position).unwrap_or((1, 1));
            let mut message = String::from("and ");
            json::push_int(&mut message, i64::try_from(self.unlisted).unwrap_or(i64::MAX));
            message.push_str(" more problems not listed; fix the ones above and check the file again");
            self.errors.push(ConfigError { path: String::new(), position: Some(position), message });
        }
        self.errors
    }

    /// Reports and removes every key of `object` that is not in `known`. A
    /// likely typo of a field that is absent is read as that field, so the
    /// typo is not also reported as a missing field.
    pub(super) fn unknown_keys(&mut self, object: &mut Object, path: &str, known: &[&str]) {
        // In one pass: the object is left with known fields only, so each
        // later lookup in it scans a handful.
        let unknown = object.remove_where(|key| !known.contains(&key));
        for (key, value) in unknown {
            let message = match closest(&key, known.iter().copied()) {
                Some(field) => {
                    if !object.contains_key(field) {
                        object.insert(field.to_owned(), value);
                        self.misspelt.push((member(path, field), member(path, &key)));
                    }
                    format!("is not a known field; did you mean \"{field}\"?")
                }
                None => format!("is not a known field; remove it (the fields here are {})", known.join(", ")),
            };
            self.at_key(&member(path, &key), message);
        }
    }

    /// Reads a value as `T`, or reports that it is not `expected`.
    pub(super) fn typed<T: FromJson>(&mut self, value: Value, path: &str, expected: &str) -> Option<T> {
        let kind = kind_of(&value);
        match T::from_json(value) {
            Some(v) => Some(v),
            None if kind == "a list" && expected.starts_with("a list") => {
                self.at(path, format!("has an item of the wrong kind; it must be {expected}"));
                None
            }
            None => {
                self.at(path, format!("is {kind}, but must be {expected}"));
                None
            }
        }
    }

    /// Removes and reads the optional field `name` of `object`.
    pub(super) fn optional<T: FromJson>(
        &mut self,
        object: &mut Object,
        path: &str,
        name: &str,
        expected: &str,
    ) -> Option<T> {
        let value = object.remove(name)?;
        self.typed(value, &member(path, name), expected)
    }

    /// Removes and reads the required field `name`, reporting it when missing.
    pub(super) fn required<T: FromJson>(
        &mut self,
        object: &mut Object,
        path: &str,
        name: &str,
        expected: &str,
    ) -> Option<T> {
        if !object.contains_key(name) {
            self.at(&member(path, name), format!("is missing; add it: {expected}"));
            return None;
        }
        self.optional(object, path, name, expected)
    }

    /// Reads an object's members, reporting a value of another kind.
    pub(super) fn object(&mut self, value: Value, path: &str, expected: &str) -> Option<Object> {
        match value {
            Value::Object(map) => Some(map),
            other => {
                self.at(path, format!("is {}, but must be {expected}", kind_of(&other)));
                None
            }
        }
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
