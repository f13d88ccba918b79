//! What the rules report to, and the helpers they read fields with.
//!
//! One set of rules, two reports: `Diagnostics` (in `diagnostics`) lists
//! every problem for the people who edit the file, with its path, line,
//! column and a fix; [`Verdict`] keeps only whether there was one. Every
//! message reaches the report as a closure that only `Diagnostics` calls, so
//! a wasm that checks only for the verdict (`Config::accept_json`) compiles
//! none of the messages, positions or suggestions.

use super::diagnostics::wrong_kind;
use super::path::Path;
use super::Rejected;
use crate::core::json::{Object, SyntaxError, Value};
use crate::vendors::FieldProblem;

/// A problem with the file as a whole, found before its fields are read.
pub(super) enum FileProblem {
    /// Larger than `MAX_CONFIG_BYTES`.
    TooLarge,
    /// Nothing but white space.
    Empty,
    Syntax(SyntaxError),
    /// A U+FFFD at byte `at`: left where the file was not saved as UTF-8.
    NotUtf8 {
        at: usize,
    },
    /// Some object has a key written twice.
    RepeatedKeys,
    /// NUL characters: the file was saved as UTF-16 (Notepad's "Unicode").
    Utf16,
}

/// Where the rules report what they find.
pub(super) trait Report {
    /// What a vendor type's build gives for a field it refuses.
    type FieldProblem: FieldProblem;
    /// What a refused file gives.
    type Rejection;
    /// Whether problems are listed with their messages (`Diagnostics`), not
    /// only counted as a refusal (`Verdict`): what only a message needs is
    /// left out of the lean check's code.
    const LISTS: bool = false;

    fn file(&mut self, problem: FileProblem);
    /// A problem with the value at `at`.
    fn value(&mut self, at: &Path, message: impl FnOnce() -> String);
    /// A problem with the key of the member at `at`.
    fn key(&mut self, at: &Path, message: impl FnOnce() -> String);
    /// Removes every key of `object` (at `at`) that is not in `known`, as a problem.
    fn unknown_keys(&mut self, object: &mut Object, at: &Path, known: &[&str]);
    /// What the build of a vendor type `kind` refused in the entry at `at`.
    fn vendor_field(&mut self, problem: Self::FieldProblem, at: &Path, kind: &str);
    /// How many misspelt keys are being read as the field they meant (see
    /// `Diagnostics`); those found since `mark` are forgotten by
    /// `forget_misspellings`.
    fn misspellings(&self) -> usize {
        0
    }
    fn forget_misspellings(&mut self, _mark: usize) {}
    fn rejected(&self) -> bool;
    fn finish(self) -> Self::Rejection;
}

/// The lean report: whether the file breaks a rule, and nothing more.
#[derive(Default)]
pub(super) struct Verdict {
    rejected: bool,
}

impl Report for Verdict {
    type FieldProblem = Rejected;
    type Rejection = Rejected;

    fn file(&mut self, _: FileProblem) {
        self.rejected = true;
    }
    fn value(&mut self, _: &Path, _: impl FnOnce() -> String) {
        self.rejected = true;
    }
    fn key(&mut self, _: &Path, _: impl FnOnce() -> String) {
        self.rejected = true;
    }
    fn unknown_keys(&mut self, object: &mut Object, _: &Path, known: &[&str]) {
        // An unknown key refuses the file in either report: the full one
        // reads a likely typo as the field meant only to report more.
        let unknown = object.remove_where(|key| !known.contains(&key));
        self.rejected |= !unknown.is_empty();
    }
    fn vendor_field(&mut self, _: Rejected, _: &Path, _: &str) {
        self.rejected = true;
    }
    fn rejected(&self) -> bool {
        self.rejected
    }
    fn finish(self) -> Rejected {
        Rejected
    }
}

/// The rules' handle on the report, with the helpers that read fields.
pub(super) struct Check<R> {
    pub(super) report: R,
}

impl<R: Report> Check<R> {
    /// A problem with the value at `at`; `message` is called only if it is shown.
    pub(super) fn at(&mut self, at: &Path, message: impl FnOnce() -> String) {
        self.report.value(at, message);
    }

    /// A problem with the key of the member at `at`.
    pub(super) fn at_key(&mut self, at: &Path, message: impl FnOnce() -> String) {
        self.report.key(at, message);
    }

    pub(super) fn unknown_keys(&mut self, object: &mut Object, at: &Path, known: &[&str]) {
        self.report.unknown_keys(object, at, known);
    }

    /// Runs `read` on one vendor or one language's texts. The misspellings
    /// found in it go with it: every problem under them is reported by then.
    pub(super) fn scoped<T>(&mut self, read: impl FnOnce(&mut Self) -> T) -> T {
        let mark = self.report.misspellings();
        let read = read(self);
        self.report.forget_misspellings(mark);
        read
    }

    /// Reads a value as `T`, or reports that it is not `expected`.
    pub(super) fn typed<T: FromJson>(
        &mut self,
        value: Value,
        at: &Path,
        expected: impl FnOnce() -> &'static str,
    ) -> Option<T> {
        let wrong = match T::from_json(value) {
            Ok(read) => return Some(read),
            Err(wrong) => wrong,
        };
        self.at(at, || wrong_kind(&wrong, expected()));
        None
    }

    /// Removes and reads the optional field `name` of the `object` at `at`.
    pub(super) fn optional<T: FromJson>(
        &mut self,
        object: &mut Object,
        at: &Path,
        name: &str,
        expected: impl FnOnce() -> &'static str,
    ) -> Option<T> {
        let value = object.remove(name)?;
        self.typed(value, &at.key(name), expected)
    }

    /// Removes and reads the required field `name`, reporting it when missing.
    pub(super) fn required<T: FromJson>(
        &mut self,
        object: &mut Object,
        at: &Path,
        name: &str,
        expected: impl FnOnce() -> &'static str,
    ) -> Option<T> {
        if !object.contains_key(name) {
            self.at(&at.key(name), || format!("is missing; add it: {}", expected()));
            return None;
        }
        self.optional(object, at, name, expected)
    }

    /// Reads an object's members, reporting a value of another kind.
    pub(super) fn object(
        &mut self,
        value: Value,
        at: &Path,
        expected: impl FnOnce() -> &'static str,
    ) -> Option<Object> {
        match value {
            Value::Object(members) => Some(members),
            other => {
                self.at(at, || wrong_kind(&other, expected()));
                None
            }
        }
    }
}

/// A field's value read as a Rust type; the value back when it is of
/// another kind, for the message.
pub(super) trait FromJson: Sized {
    fn from_json(value: Value) -> Result<Self, Value>;
}

impl FromJson for String {
    fn from_json(value: Value) -> Result<Self, Value> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(other),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Result<Self, Value> {
        value.as_bool().ok_or(value)
    }
}

impl FromJson for u32 {
    fn from_json(value: Value) -> Result<Self, Value> {
        match value.as_i64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Ok(n),
            None => Err(value),
        }
    }
}

impl FromJson for Value {
    fn from_json(value: Value) -> Result<Self, Value> {
        Ok(value)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Value) -> Result<Self, Value> {
        match value {
            Value::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    /// A list with an item of another kind gives back an empty list: the
    /// message says only that an item is of the wrong kind.
    fn from_json(value: Value) -> Result<Self, Value> {
        let Value::Array(items) = value else { return Err(value) };
        let mut read = Vec::with_capacity(items.len());
        for item in items {
            read.push(T::from_json(item).map_err(|_| Value::Array(Vec::new()))?);
        }
        Ok(read)
    }
}
