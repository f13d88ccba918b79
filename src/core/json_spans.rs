//! Where each key and value of a JSON text sits, by JSON path, so that every
//! config problem can name its line and column: `json::Value` keeps no
//! positions. A small scanner over text that `json::parse` has already
//! accepted; it never panics on anything else either.

use super::json::KeyIndex;

/// A 1-based line and column (columns count characters, not bytes).
pub type Position = (usize, usize);

/// Where each key and value of one JSON text sits, found by JSON path
/// (`vendors[2].measurementId`; the root is `""`).
///
/// A tree, not a list of paths: a path per value would repeat every
/// ancestor's key, so members under a long key would cost its length each.
/// Members are found by (object, key) in a hash table and list items by
/// place, so a lookup takes one step per step of the path.
#[derive(Debug, Default)]
pub struct Spans {
    /// Every key and value in written order; the root is first.
    nodes: Vec<Node>,
    /// The items of each list in order, by node: a list's items are
    /// `items[list.first_item..][..list.item_count]`.
    items: Vec<usize>,
    /// Each object's members by (object, key): their first occurrence.
    members: KeyIndex,
    /// Keys written twice in one object: each later occurrence, in written order.
    repeated_keys: Vec<RepeatedKey>,
}

/// A key written again in the same object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepeatedKey {
    /// Where it is written again.
    pub position: Position,
    node: usize,
}

#[derive(Debug)]
struct Node {
    parent: usize,
    /// The member's key; `None` for a list item (and the root).
    key: Option<String>,
    /// A list item's place in its list.
    index: usize,
    /// Where the key starts; for a list item (and the root), the value.
    key_position: Position,
    value_position: Position,
    is_list: bool,
    first_item: usize,
    item_count: usize,
    /// The last occurrence of this member's key in its object: the one that
    /// counts, as in `JSON.parse`.
    latest: usize,
}

const ROOT: usize = 0;

/// Deeper than `json::parse` accepts: text it refused is never looked into.
const MAX_DEPTH: usize = 64;

impl Spans {
    pub fn scan(text: &str) -> Spans {
        let mut scanner = Scanner { text, at: 0, line: 1, column: 1, depth: 0, spans: Spans::default() };
        scanner.value(ROOT, None, (1, 1), 0);
        let mut spans = scanner.spans;
        spans.index_members();
        spans
    }

    /// Files every member by (object, key), and notes keys written twice.
    fn index_members(&mut self) {
        let nodes = &self.nodes;
        let key_at = |node: usize| nodes.get(node).and_then(|n| Some((n.parent, n.key.as_deref()?)));
        let mut repeats = Vec::new();
        self.members = KeyIndex::new(nodes.len(), &key_at, &mut |first, again| repeats.push((first, again)));
        for (first, again) in repeats {
            if let Some(node) = self.nodes.get_mut(first) {
                node.latest = again;
            }
            if let Some(node) = self.nodes.get(again) {
                self.repeated_keys.push(RepeatedKey { position: node.key_position, node: again });
            }
        }
    }

    /// Where the value at `path` starts, or its nearest enclosing value that
    /// exists (a missing field is reported at the object that lacks it).
    pub fn value(&self, path: &str) -> Position {
        let (node, _) = self.find(path);
        self.nodes.get(node).map_or((1, 1), |n| n.value_position)
    }

    /// Where the key of the member at `path` starts, else as [`Spans::value`].
    pub fn key(&self, path: &str) -> Position {
        match self.find(path) {
            (node, true) => self.nodes.get(node).map_or((1, 1), |n| n.key_position),
            (node, false) => self.nodes.get(node).map_or((1, 1), |n| n.value_position),
        }
    }

    /// The node at `path`, or its deepest ancestor there is, and whether the
    /// whole path was found.
    fn find(&self, path: &str) -> (usize, bool) {
        let (mut node, mut rest) = (ROOT, path);
        while !rest.is_empty() {
            match self.step(node, rest) {
                Some((child, after)) => (node, rest) = (child, after),
                None => return (node, false),
            }
        }
        (node, !self.nodes.is_empty())
    }

    /// The child of `node` that `rest` of a path starts with, and what follows.
    fn step<'p>(&self, node: usize, rest: &'p str) -> Option<(usize, &'p str)> {
        let parent = self.nodes.get(node)?;
        if parent.is_list {
            let (digits, after) = rest.strip_prefix('[')?.split_once(']')?;
            let index = whole_number(digits)?;
            let items = self.items.get(parent.first_item..parent.first_item + parent.item_count)?;
            return Some((*items.get(index)?, after));
        }
        let rest = if node == ROOT { rest } else { rest.strip_prefix('.')? };
        // A key may hold '.' or '[' itself: the rest as one key first (a key
        // reported is the last step of its path), else up to the next '.' or '['.
        if let Some(member) = self.member(node, rest) {
            return Some((member, ""));
        }
        let cut = rest.find(['.', '['])?;
        Some((self.member(node, rest.get(..cut)?)?, rest.get(cut..)?))
    }

    /// The member `key` of `object`, as it counts: its last occurrence.
    fn member(&self, object: usize, key: &str) -> Option<usize> {
        let nodes = &self.nodes;
        let key_at = |node: usize| nodes.get(node).and_then(|n| Some((n.parent, n.key.as_deref()?)));
        let first = self.members.find((object, key), &key_at)?;
        nodes.get(first).map(|n| n.latest)
    }

    /// Keys written twice in one object: each later occurrence, in written
    /// order. Their paths are built on request ([`Spans::path_of`]): each
    /// repeats its ancestors' keys, and a report lists only so many.
    pub fn repeated_keys(&self) -> &[RepeatedKey] {
        &self.repeated_keys
    }

    /// The path of a repeated key, like `vendors[2].lifetime`.
    pub fn path_of(&self, repeated: &RepeatedKey) -> String {
        let mut steps = Vec::new();
        let mut at = repeated.node;
        while let Some(node) = self.nodes.get(at).filter(|_| at != ROOT) {
            steps.push(node);
            at = node.parent;
        }
        let mut path = String::new();
        for node in steps.iter().rev() {
            match &node.key {
                Some(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                None => {
                    path.push('[');
                    super::json::push_int(&mut path, i64::try_from(node.index).unwrap_or(i64::MAX));
                    path.push(']');
                }
            }
        }
        path
    }
}

/// The number `digits` spell (by hand: `str::parse` brings its own code to the wasm).
fn whole_number(digits: &str) -> Option<usize> {
    if digits.is_empty() {
        return None;
    }
    digits
        .bytes()
        .try_fold(0usize, |n, b| n.checked_mul(10)?.checked_add(usize::from(b.checked_sub(b'0').filter(|d| *d < 10)?)))
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
    depth: usize,
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

    /// Records the value here as a child of `parent`: a member when `key` is
    /// given, else item `index` of a list. Then its own children. Returns its node.
    fn value(&mut self, parent: usize, key: Option<String>, key_position: Position, index: usize) -> usize {
        self.skip_whitespace();
        let node = self.spans.nodes.len();
        let value_position = self.position();
        let key_position = if key.is_some() { key_position } else { value_position };
        let is_list = self.peek() == Some(b'[');
        let fields = Node {
            parent,
            key,
            index,
            key_position,
            value_position,
            is_list,
            first_item: 0,
            item_count: 0,
            latest: node,
        };
        self.spans.nodes.push(fields);
        match self.peek() {
            Some(b'{' | b'[') if self.depth == MAX_DEPTH => {}
            Some(b'{') => self.nested(Scanner::object, node),
            Some(b'[') => self.nested(Scanner::array, node),
            Some(b'"') => {
                self.string();
            }
            _ => {
                while self.peek().is_some_and(|b| !b",]}: \t\n\r".contains(&b)) {
                    self.bump();
                }
            }
        }
        node
    }

    fn nested(&mut self, scan: fn(&mut Self, usize), node: usize) {
        self.depth += 1;
        scan(self, node);
        self.depth -= 1;
    }

    fn object(&mut self, node: usize) {
        self.bump();
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                break;
            }
            let key_position = self.position();
            let key = self.string();
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return;
            }
            self.bump();
            self.value(node, Some(key), key_position, 0);
            self.skip_whitespace();
            if self.peek() != Some(b',') {
                break;
            }
            self.bump();
        }
        if self.peek() == Some(b'}') {
            self.bump();
        }
    }

    fn array(&mut self, node: usize) {
        self.bump();
        let mut items = Vec::new();
        loop {
            self.skip_whitespace();
            if matches!(self.peek(), None | Some(b']')) {
                break;
            }
            let before = self.at;
            items.push(self.value(node, None, (0, 0), items.len()));
            self.skip_whitespace();
            if self.peek() != Some(b',') || self.at == before {
                break;
            }
            self.bump();
        }
        if self.peek() == Some(b']') {
            self.bump();
        }
        let first_item = self.spans.items.len();
        self.spans.items.extend_from_slice(&items);
        if let Some(list) = self.spans.nodes.get_mut(node) {
            list.first_item = first_item;
            list.item_count = items.len();
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

    fn repeated(text: &str) -> Vec<(String, Position)> {
        let spans = Spans::scan(text);
        spans.repeated_keys().iter().map(|r| (spans.path_of(r), r.position)).collect()
    }

    #[test]
    fn duplicate_keys_are_found() {
        assert_eq!(repeated("{\"x\": 1,\n \"x\": 2}"), [("x".to_owned(), (2, 2))]);
        assert_eq!(
            repeated(r#"{"a": [0, {"b": 1, "c": 2, "b": 3, "b": 4}]}"#),
            [("a[1].b".to_owned(), (1, 28)), ("a[1].b".to_owned(), (1, 36))]
        );
        assert_eq!(repeated(r#"{"a.b": 1, "a": {"b": 2}}"#), [], "one path, but two different keys");
    }

    #[test]
    fn a_key_written_twice_is_found_where_it_counts_last() {
        let spans = Spans::scan("{\"x\": {\"y\": 1},\n \"x\": {\"z\": 2}}");
        assert_eq!(spans.key("x"), (2, 2));
        assert_eq!(spans.value("x.z"), (2, 13));
        assert_eq!(spans.value("x.y"), (2, 7), "only the last counts, as in JSON.parse");
    }

    #[test]
    fn keys_holding_dots_and_brackets_are_found() {
        let spans = Spans::scan(r#"{"v": [{"a.b[1]": 1, "a": {"b": [5, 6]}}]}"#);
        assert_eq!(spans.key("v[0].a.b[1]"), (1, 9), "the whole rest is one key");
        assert_eq!(spans.value("v[0].a.b[1]"), (1, 19));
        assert_eq!(spans.value("v[0].a.b"), (1, 33));
        assert_eq!(spans.value("v[0].a.c"), (1, 27), "a missing member falls back to its object");
    }

    #[test]
    fn broken_text_ends_the_scan_without_panicking() {
        for text in ["", "{", "{\"a\"", "[1,", "\"abc", "{\"a\":}", "[}", "\u{1F600}", "[\"a\"}", "{\"a\" 1}"] {
            let spans = Spans::scan(text);
            spans.value("a[0].b");
            spans.key("a");
        }
        let deep = "[".repeat(100_000);
        assert_eq!(Spans::scan(&deep).value("[0][0]"), (1, 3), "nesting json::parse refuses is not followed");
    }
}
