//! Where each key and value of a JSON text sits, by JSON path, so that every
//! config problem can name its line and column: `json::Value` keeps no
//! positions. A small scanner over text that `json::parse` has already
//! accepted; it never panics on anything else either.

/// A 1-based line and column (columns count characters, not bytes).
pub type Position = (usize, usize);

/// Positions by JSON path (`vendors[2].measurementId`; the root is `""`).
#[derive(Debug, Default)]
pub struct Spans {
    values: PathPositions,
    keys: PathPositions,
    /// Keys written twice in one object, at their second occurrence.
    pub duplicate_keys: Vec<(String, Position)>,
}

impl Spans {
    pub fn scan(text: &str) -> Spans {
        let mut scanner = Scanner { text, at: 0, line: 1, column: 1, spans: Spans::default() };
        scanner.value(String::new());
        scanner.spans
    }

    /// Where the value at `path` starts, or its nearest enclosing value that
    /// exists (a missing field is reported at the object that lacks it).
    pub fn value(&self, path: &str) -> Position {
        let mut path = path;
        loop {
            if let Some(position) = self.values.get(path) {
                return *position;
            }
            if path.is_empty() {
                return (1, 1);
            }
            path = parent(path);
        }
    }

    /// Where the key of the member at `path` starts, else as [`Spans::value`].
    pub fn key(&self, path: &str) -> Position {
        self.keys.get(path).copied().unwrap_or_else(|| self.value(path))
    }
}

/// Positions by path, in a plain list. A config has a few hundred paths and
/// they are looked up only to report problems; a BTreeMap would add its own
/// copy of the tree code to the wasm.
#[derive(Debug, Default)]
struct PathPositions(Vec<(String, Position)>);

impl PathPositions {
    fn get(&self, path: &str) -> Option<&Position> {
        self.0.iter().find(|(p, _)| p == path).map(|(_, position)| position)
    }

    /// Records where `path` is; a path seen before keeps its latest position
    /// and the earlier one is returned.
    fn insert(&mut self, path: String, position: Position) -> Option<Position> {
        match self.0.iter_mut().find(|(p, _)| *p == path) {
            Some((_, old)) => Some(std::mem::replace(old, position)),
            None => {
                self.0.push((path, position));
                None
            }
        }
    }
}

/// The path of the object or list holding `path`.
pub fn parent(path: &str) -> &str {
    let cut = if path.ends_with(']') { path.rfind('[') } else { path.rfind('.') };
    // `get`, not indexing: this cut, at an ASCII '[' or '.', cannot fail, and
    // a slice without a panic path keeps the panic's formatter out of the wasm.
    path.get(..cut.unwrap_or(0)).unwrap_or_default()
}

/// The path of member `key` of the object at `path`.
pub fn member(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

struct Scanner<'a> {
    text: &'a str,
    at: usize,
    line: usize,
    column: usize,
    spans: Spans,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn bump(&mut self) {
        let Some(byte) = self.peek() else { return };
        self.at += 1;
        if byte == b'\n' {
            self.line += 1;
            self.column = 1;
        } else if byte & 0xC0 != 0x80 {
            // Continuation bytes belong to the character already counted.
            self.column += 1;
        }
    }

    fn position(&self) -> Position {
        (self.line, self.column)
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn value(&mut self, path: String) {
        self.skip_whitespace();
        self.spans.values.insert(path.clone(), self.position());
        match self.peek() {
            Some(b'{') => self.object(&path),
            Some(b'[') => self.array(&path),
            Some(b'"') => {
                self.string();
            }
            _ => {
                while self.peek().is_some_and(|b| !b",]}: \t\n\r".contains(&b)) {
                    self.bump();
                }
            }
        }
    }

    fn object(&mut self, path: &str) {
        self.bump();
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => return self.bump(),
                _ => return,
            }
            let key_position = self.position();
            let child = member(path, &self.string());
            if self.spans.keys.insert(child.clone(), key_position).is_some() {
                self.spans.duplicate_keys.push((child.clone(), key_position));
            }
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return;
            }
            self.bump();
            self.value(child);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b'}') => return self.bump(),
                _ => return,
            }
        }
    }

    fn array(&mut self, path: &str) {
        self.bump();
        for index in 0.. {
            self.skip_whitespace();
            if self.peek() == Some(b']') {
                return self.bump();
            }
            let before = self.at;
            self.value(format!("{path}[{index}]"));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b']') => return self.bump(),
                _ => return,
            }
            if self.at == before {
                return;
            }
        }
    }

    /// Reads a string literal and returns its decoded text.
    fn string(&mut self) -> String {
        let start = self.at;
        self.bump();
        while let Some(byte) = self.peek() {
            self.bump();
            match byte {
                b'\\' => self.bump(),
                b'"' => break,
                _ => {}
            }
        }
        let literal = self.text.get(start..self.at).unwrap_or_default();
        match super::json::parse(literal) {
            Ok(super::json::Value::String(text)) => text,
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"čč\": {\"k\\u0065y\": true}\n}";

    #[test]
    fn values_and_keys_have_their_line_and_column() {
        let spans = Spans::scan(TEXT);
        assert_eq!(spans.value(""), (1, 1));
        assert_eq!(spans.key("a"), (2, 3));
        assert_eq!(spans.value("a"), (2, 8));
        assert_eq!(spans.value("a[1].b"), (2, 18));
        assert_eq!(spans.key("čč.key"), (3, 10), "escapes are decoded; columns count characters");
    }

    #[test]
    fn a_missing_path_falls_back_to_the_nearest_ancestor() {
        let spans = Spans::scan(TEXT);
        assert_eq!(spans.value("a[1].missing"), (2, 12));
        assert_eq!(spans.value("nowhere[3]"), (1, 1));
        assert_eq!(parent("vendors[2].id"), "vendors[2]");
        assert_eq!(parent("vendors[2]"), "vendors");
        assert_eq!(parent("vendors"), "");
    }

    #[test]
    fn duplicate_keys_are_found() {
        let spans = Spans::scan("{\"x\": 1,\n \"x\": 2}");
        assert_eq!(spans.duplicate_keys, [("x".to_owned(), (2, 2))]);
    }

    #[test]
    fn broken_text_ends_the_scan_without_panicking() {
        for text in ["", "{", "{\"a\"", "[1,", "\"abc", "{\"a\":}", "[}", "\u{1F600}"] {
            Spans::scan(text);
        }
    }
}
