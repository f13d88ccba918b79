//! The JSON the library reads and writes: consent.json, the stored record and
//! vendor call arguments.
//!
//! Why not serde_json: in the wasm it cost about half the binary (parser,
//! `Value`, `Map` as a BTreeMap, derive visitors, float formatting), and the
//! config checker needs none of it: it reads field by field to report every
//! problem with its position. This reader keeps objects as ordered lists,
//! keeps numbers without decimals as `i64` and any other number as its text,
//! so no float code is ever reached. Nesting is limited, so hostile input
//! cannot exhaust the stack.

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number without fraction or exponent that fits in an `i64`.
    Int(i64),
    /// Any other number, as written.
    Decimal(String),
    String(String),
    Array(Vec<Value>),
    Object(Object),
}

/// An object's members in the order written. A key written twice keeps its
/// first place and its last value, as in JavaScript's `JSON.parse`.
///
/// A plain list: lookups scan it. Readers look up a handful of fields, in
/// objects whose unknown members they have first taken out in one pass
/// ([`Object::remove_where`]), so no lookup ever scans a hostile object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Object(Vec<(String, Value)>);

impl Object {
    pub fn new() -> Object {
        Object(Vec::new())
    }

    /// The object from members as written, and whether a key was written
    /// twice. Linear: equal keys are found through a [`KeyIndex`], not by a
    /// lookup per member.
    fn from_written(mut members: Vec<(String, Value)>) -> (Object, bool) {
        let mut later = Vec::new();
        let key_at = |i: usize| members.get(i).map(|(key, _)| (0, key.as_str()));
        KeyIndex::new(members.len(), &key_at, &mut |first, again| later.push((first, again)));
        if later.is_empty() {
            return (Object(members), false);
        }
        // Each later occurrence hands its value to the first, in written order,
        // so the first keeps its place and the last value.
        let mut doomed = vec![false; members.len()];
        for (first, again) in later {
            let value = members.get_mut(again).map(|(_, value)| std::mem::replace(value, Value::Null));
            if let (Some(value), Some((_, slot))) = (value, members.get_mut(first)) {
                *slot = value;
            }
            if let Some(doomed) = doomed.get_mut(again) {
                *doomed = true;
            }
        }
        let mut doomed = doomed.into_iter();
        members.retain(|_| !doomed.next().unwrap_or(false));
        (Object(members), true)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(index).1)
    }

    /// Sets `key`, replacing the value of a key already there.
    pub fn insert(&mut self, key: String, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = value,
            None => self.0.push((key, value)),
        }
    }

    /// Takes out, in one pass, every member whose key is `unwanted`, in
    /// written order.
    pub fn remove_where(&mut self, mut unwanted: impl FnMut(&str) -> bool) -> Vec<(String, Value)> {
        let (taken, kept) = std::mem::take(&mut self.0).into_iter().partition(|(key, _)| unwanted(key));
        self.0 = kept;
        taken
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn iter(&self) -> impl Iterator<Item = &(String, Value)> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl IntoIterator for Object {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<K: Into<String>> FromIterator<(K, Value)> for Object {
    /// A key given twice keeps its first place and its last value, as `insert` does.
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(members: I) -> Object {
        let mut written = Vec::new();
        for (key, value) in members {
            written.push((key.into(), value));
        }
        Object::from_written(written).0
    }
}

impl Value {
    /// An object from its members, for building call arguments.
    pub fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
        // Through a Vec: one instance of the collecting loop for every N
        // (each N had its own, about 0.3 KB raw).
        Value::object_of(Vec::from(members))
    }

    fn object_of(members: Vec<(&str, Value)>) -> Value {
        Value::Object(members.into_iter().collect())
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    /// The value as JSON text, without spaces.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(n) => push_int(out, *n),
            Value::Decimal(text) => out.push_str(text),
            Value::String(s) => write_string(out, s),
            Value::Array(items) => write_array(out, items),
            Value::Object(object) => {
                out.push('{');
                for (i, (key, value)) in object.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, key);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Int(n)
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Value {
        Value::Int(n.into())
    }
}

/// `items` as a JSON array, without spaces: what `Value::Array(items).to_json()`
/// writes, without taking (or cloning) the items.
pub fn array_json(items: &[Value]) -> String {
    let mut out = String::new();
    write_array(&mut out, items);
    out
}

fn write_array(out: &mut String, items: &[Value]) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        item.write(out);
    }
    out.push(']');
}

/// Appends `n` in decimal. By hand rather than through `core::fmt`: 45 B
/// smaller in the wasm, as measured.
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut rest = n.unsigned_abs();
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &d in &digits[start..] {
        out.push(char::from(d));
    }
}

/// `n` in decimal.
pub fn int_text(n: i64) -> String {
    let mut out = String::new();
    push_int(&mut out, n);
    out
}

/// Finds equal keys among many in linear time: a hash table of their
/// indices, open addressing. The one such table the wasm carries (std's
/// HashMap or a sort would add kilobytes): objects, their positions and the
/// config's vendors all find equal keys through it. A key is a string in a
/// group (the object it belongs to, say); keys are given by index through
/// `key_at` (`None`: no key there), so the table holds indices only.
///
/// The hash is fixed, so keys chosen to collide could make it slow (never
/// wrong); only the site writes its config, at most 1 MB, and stored values
/// are read only up to a few KB.
#[derive(Debug, Default)]
pub struct KeyIndex {
    /// Per slot, a first occurrence: its index in the low 32 bits and the
    /// high half of its key's hash above (`TAG`), so that most mismatches are
    /// told apart without fetching the key. `EMPTY` where none.
    slots: Vec<u64>,
}

/// A key at an index: (group, text).
pub type KeyAt<'k> = dyn Fn(usize) -> Option<(usize, &'k str)> + 'k;

const EMPTY: u64 = u64::MAX;

impl KeyIndex {
    /// Indexes the keys at `0..len` by their first occurrence, and calls
    /// `repeated(first, again)` for each later occurrence (a key's in written
    /// order). At most 2^32 - 1 keys: far more than any text read here.
    pub fn new<'k>(len: usize, key_at: &KeyAt<'k>, repeated: &mut dyn FnMut(usize, usize)) -> KeyIndex {
        let mut hashed = Vec::new();
        for i in 0..len {
            if let Some(key) = key_at(i) {
                hashed.push((hash(key), i));
            }
        }
        // At most half full, so a walk along the slots ends soon.
        let mut index = KeyIndex { slots: vec![EMPTY; (hashed.len() * 2).next_power_of_two()] };
        for (hash, i) in index.in_slot_order(hashed) {
            let Some(key) = key_at(i) else { continue };
            match index.probe(hash, key, key_at) {
                Ok(first) => repeated(first, i),
                Err(slot) => {
                    if let Some(empty) = index.slots.get_mut(slot) {
                        *empty = (hash & TAG) | i as u64;
                    }
                }
            }
        }
        index
    }

    /// The index of the first occurrence of `key`.
    pub fn find<'k>(&self, key: (usize, &str), key_at: &KeyAt<'k>) -> Option<usize> {
        self.probe(hash(key), key, key_at).ok()
    }

    /// Where a key with this hash is first looked for: the hash's top bits,
    /// so that keys in the order of their hashes fill the table in order.
    fn home(&self, hash: u64) -> usize {
        hash.checked_shr(64 - self.slots.len().trailing_zeros()).unwrap_or(0) as usize
    }

    /// The keys sorted by the part of the table their home slot lies in (a
    /// 1024th at most; written order within one), so that filing them walks
    /// the table nearly in order. Filed in written order, each key of a large
    /// object would cost a cache miss, and time would grow faster than size.
    fn in_slot_order(&self, hashed: Vec<(u64, usize)>) -> Vec<(u64, usize)> {
        let part_bits = self.slots.len().trailing_zeros().min(10);
        let part = |hash: u64| hash.checked_shr(64 - part_bits).unwrap_or(0) as usize;
        let mut starts = vec![0; 1 << part_bits];
        for &(hash, _) in &hashed {
            if let Some(count) = starts.get_mut(part(hash)) {
                *count += 1;
            }
        }
        let mut total = 0;
        for start in starts.iter_mut() {
            (*start, total) = (total, total + *start);
        }
        let mut ordered = vec![(0, 0); hashed.len()];
        for entry in hashed {
            let Some(next) = starts.get_mut(part(entry.0)) else { continue };
            if let Some(place) = ordered.get_mut(*next) {
                *place = entry;
            }
            *next += 1;
        }
        ordered
    }

    /// `Ok(index)` of `key`, or `Err(slot)`: the empty slot it would take.
    fn probe<'k>(&self, hash: u64, key: (usize, &str), key_at: &KeyAt<'k>) -> Result<usize, usize> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut slot = self.home(hash);
        while let Some(&entry) = self.slots.get(slot) {
            if entry == EMPTY {
                return Err(slot);
            }
            let index = (entry & !TAG) as usize;
            if entry & TAG == hash & TAG && key_at(index) == Some(key) {
                return Ok(index);
            }
            slot = (slot + 1) & mask;
        }
        Err(usize::MAX)
    }
}

/// The high half of a slot: its key's hash there.
const TAG: u64 = !(u32::MAX as u64);

/// FNV-1a over the text, seeded with the group, then mixed (MurmurHash3's
/// finaliser) so that the low bits, which pick the slot, depend on every byte:
/// keys like `k1`, `k2`, … would crowd together otherwise.
fn hash((group, text): (usize, &str)) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64 ^ group as u64;
    for byte in text.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash = (hash ^ (hash >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash = (hash ^ (hash >> 33)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

/// Appends `s` as a JSON string literal. Besides what JSON requires, `<`, `>`
/// and `&` are escaped, so the text is safe inside HTML and cookies alike.
pub fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                let code = c as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(char::from(HEX[((code >> shift) & 0xF) as usize]));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Invalid JSON: what is wrong, and where (1-based; columns count characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: &'static str,
    pub line: usize,
    pub column: usize,
}

/// Deeper nesting than any config or record has; the limit keeps hostile
/// input from exhausting the stack.
const MAX_DEPTH: usize = 64;

/// Parses one JSON value (RFC 8259) with nothing but whitespace around it.
pub fn parse(text: &str) -> Result<Value, SyntaxError> {
    parse_noting_duplicates(text).map(|(value, _)| value)
}

/// As [`parse`], and whether some object has a key written twice (the
/// config checker reports those; the value keeps the last, as `JSON.parse`).
pub fn parse_noting_duplicates(text: &str) -> Result<(Value, bool), SyntaxError> {
    let mut parser = Parser { text, at: 0, depth: 0, duplicate_keys: false };
    let value = parser.value().map_err(|message| parser.error(message))?;
    parser.skip_whitespace();
    if parser.at < text.len() {
        return Err(parser.error("trailing characters"));
    }
    Ok((value, parser.duplicate_keys))
}

/// The line and column (1-based; columns count characters) of byte `at` of `text`.
pub fn position_at(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at.min(text.len())).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    // `get`, not indexing: this cut, just after a '\n', cannot fail, and
    // a slice without a panic path keeps the panic's formatter out of the wasm.
    (before.matches('\n').count() + 1, char_count(before.get(line_start..).unwrap_or_default()) + 1)
}

type Parsed<T> = Result<T, &'static str>;

/// The number of characters in `text`: its bytes that do not continue a
/// UTF-8 sequence. (`chars().count()` measured 77 B larger in the wasm.)
pub fn char_count(text: &str) -> usize {
    text.bytes().filter(|b| b & 0xC0 != 0x80).count()
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
    duplicate_keys: bool,
}

impl Parser<'_> {
    fn error(&self, message: &'static str) -> SyntaxError {
        let (line, column) = position_at(self.text, self.at);
        SyntaxError { message, line, column }
    }

    /// The text from `start` to the cursor. Both stop only at ASCII bytes,
    /// so this never fails; `get`, not `from_utf8` or indexing, because it
    /// needs neither a UTF-8 validator nor a panic path in the wasm.
    fn slice(&self, start: usize) -> Parsed<&str> {
        self.text.get(start..self.at).ok_or("invalid UTF-8")
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Parsed<Value> {
        self.skip_whitespace();
        match self.peek() {
            None => Err("EOF while parsing a value"),
            Some(b'{') => self.nested(Parser::object),
            Some(b'[') => self.nested(Parser::array),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.literal(),
        }
    }

    fn nested(&mut self, read: fn(&mut Self) -> Parsed<Value>) -> Parsed<Value> {
        if self.depth == MAX_DEPTH {
            return Err("nested too deeply");
        }
        self.depth += 1;
        self.at += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn literal(&mut self) -> Parsed<Value> {
        for (word, value) in [("true", Value::Bool(true)), ("false", Value::Bool(false)), ("null", Value::Null)] {
            if self.text.as_bytes()[self.at..].starts_with(word.as_bytes()) {
                self.at += word.len();
                return Ok(value);
            }
        }
        Err("expected value")
    }

    fn object(&mut self) -> Parsed<Value> {
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(Object::new()));
        }
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') => return Err("trailing comma"),
                None => return Err("EOF while parsing an object"),
                Some(_) => return Err("key must be a string"),
            }
            let key = self.string()?;
            self.skip_whitespace();
            match self.peek() {
                Some(b':') => self.at += 1,
                None => return Err("EOF while parsing an object"),
                Some(_) => return Err("expected `:`"),
            }
            let value = self.value()?;
            members.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    let (object, duplicates) = Object::from_written(members);
                    self.duplicate_keys |= duplicates;
                    return Ok(Value::Object(object));
                }
                None => return Err("EOF while parsing an object"),
                Some(_) => return Err("expected `,` or `}`"),
            }
        }
    }

    fn array(&mut self) -> Parsed<Value> {
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(b']') => return Err("trailing comma"),
                None => return Err("EOF while parsing a list"),
                Some(_) => items.push(self.value()?),
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err("EOF while parsing a list"),
                Some(_) => return Err("expected `,` or `]`"),
            }
        }
    }

    fn number(&mut self) -> Parsed<Value> {
        let start = self.at;
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err("invalid number"),
        }
        let whole = self.at;
        if self.eat(b'.') {
            self.required_digits()?;
        }
        if self.eat(b'e') || self.eat(b'E') {
            let _ = self.eat(b'+') || self.eat(b'-');
            self.required_digits()?;
        }
        let text = self.slice(start)?;
        let int = if self.at == whole { text.parse::<i64>().ok() } else { None };
        Ok(int.map_or_else(|| Value::Decimal(text.to_owned()), Value::Int))
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    fn required_digits(&mut self) -> Parsed<()> {
        let start = self.at;
        self.digits();
        if self.at == start {
            Err("invalid number")
        } else {
            Ok(())
        }
    }

    /// Reads a string literal (the cursor is on its opening quote).
    fn string(&mut self) -> Parsed<String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let run = self.at;
            while self.peek().is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20) {
                self.at += 1;
            }
            out.push_str(self.slice(run)?);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => return Err("control character (\\u0000-\\u001F) found while parsing a string"),
                None => return Err("EOF while parsing a string"),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Parsed<()> {
        let Some(byte) = self.peek() else { return Err("EOF while parsing a string") };
        self.at += 1;
        let c = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode_escape()?,
            _ => return Err("invalid escape"),
        };
        out.push(c);
        Ok(())
    }

    /// `\uXXXX`, with a second escape for characters beyond the BMP.
    fn unicode_escape(&mut self) -> Parsed<char> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if !(self.eat(b'\\') && self.eat(b'u')) {
                return Err("lone surrogate in a \\u escape");
            }
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err("lone surrogate in a \\u escape");
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or("lone surrogate in a \\u escape")
    }

    fn hex4(&mut self) -> Parsed<u32> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| char::from(b).to_digit(16)).ok_or("invalid \\u escape")?;
            code = code * 16 + digit;
            self.at += 1;
        }
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> (usize, usize, &'static str) {
        let e = parse(text).unwrap_err();
        (e.line, e.column, e.message)
    }

    #[test]
    fn reads_every_kind_of_value() {
        let value = parse(r#" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": {"c": "d"}} "#).unwrap();
        let Value::Object(object) = value else { panic!("an object") };
        let Some(Value::Array(items)) = object.get("a") else { panic!("a list") };
        assert_eq!(
            items,
            &[
                Value::Int(1),
                Value::Int(-2),
                Value::Decimal("3.5".into()),
                Value::Decimal("1e3".into()),
                Value::Bool(true),
                Value::Bool(false),
                Value::Null
            ]
        );
        assert_eq!(object.get("b"), Some(&Value::object([("c", "d".into())])));
    }

    #[test]
    fn decodes_escapes_including_surrogate_pairs() {
        let value = parse(r#""a\"b\\c\/\n\t\u0041\u010d\ud83d\ude00""#).unwrap();
        assert_eq!(value, Value::String("a\"b\\c/\n\tAč😀".into()));
        assert_eq!(parse("\"līdz 13 mēnešiem\"").unwrap(), Value::String("līdz 13 mēnešiem".into()));
    }

    #[test]
    fn numbers_too_large_for_i64_keep_their_text() {
        assert_eq!(parse("99999999999999999999").unwrap(), Value::Decimal("99999999999999999999".into()));
        assert_eq!(parse("-9223372036854775808").unwrap(), Value::Int(i64::MIN));
    }

    #[test]
    fn a_key_written_twice_keeps_its_last_value() {
        let Value::Object(object) = parse(r#"{"a": 1, "a": 2}"#).unwrap() else { panic!() };
        assert_eq!(object.len(), 1);
        assert_eq!(object.get("a"), Some(&Value::Int(2)));
    }

    #[test]
    fn a_key_written_twice_keeps_its_first_place_as_in_json_parse() {
        // JSON.parse('{"b":1,"a":2,"b":3,"c":4,"a":5,"b":6}') is {b: 6, a: 5, c: 4}.
        let (value, duplicates) = parse_noting_duplicates(r#"{"b":1,"a":2,"b":3,"c":4,"a":5,"b":6}"#).unwrap();
        assert_eq!(value.to_json(), r#"{"b":6,"a":5,"c":4}"#);
        assert!(duplicates);
        let (value, duplicates) = parse_noting_duplicates(r#"{"b":1,"a":{"b":2,"a":3}}"#).unwrap();
        assert_eq!(value.to_json(), r#"{"b":1,"a":{"b":2,"a":3}}"#);
        assert!(!duplicates, "the same key in two objects is no duplicate");
        let built: Object = [("x", Value::Int(1)), ("y", Value::Int(2)), ("x", Value::Int(3))].into_iter().collect();
        assert_eq!(Value::Object(built).to_json(), r#"{"x":3,"y":2}"#);
    }

    #[test]
    fn unwanted_members_come_out_in_one_pass_in_written_order() {
        let Value::Object(mut object) = parse(r#"{"a":1,"x":2,"b":3,"y":4}"#).unwrap() else { panic!() };
        let taken = object.remove_where(|key| key == "x" || key == "y");
        assert_eq!(taken, [("x".to_owned(), Value::Int(2)), ("y".to_owned(), Value::Int(4))]);
        assert_eq!(Value::Object(object).to_json(), r#"{"a":1,"b":3}"#);
    }

    #[test]
    fn positions_count_lines_and_characters() {
        assert_eq!(position_at("", 0), (1, 1));
        assert_eq!(position_at("ab\nčd", 5), (2, 2), "č is one character of two bytes");
        assert_eq!(position_at("ab", 99), (1, 3));
    }

    #[test]
    fn characters_are_counted_not_bytes() {
        assert_eq!(char_count(""), 0);
        assert_eq!(char_count("aā€😀"), 4);
        assert_eq!(char_count("Rīga, Москва"), "Rīga, Москва".chars().count());
    }

    #[test]
    fn syntax_errors_name_the_place_of_the_offending_character() {
        assert_eq!(error("{\n  \"policy\": ,\n}"), (2, 13, "expected value"));
        assert_eq!(error("[1,\n]"), (2, 1, "trailing comma"));
        assert_eq!(error("{\"a\": 1,}"), (1, 9, "trailing comma"));
        assert_eq!(error("{ type: 1 }"), (1, 3, "key must be a string"));
        assert_eq!(error("{\n  \"a\": [\n"), (3, 1, "EOF while parsing a list"));
        assert_eq!(error("{\"a\" 1}"), (1, 6, "expected `:`"));
        assert_eq!(error("[1 2]"), (1, 4, "expected `,` or `]`"));
        assert_eq!(error("\"a\nb\""), (1, 3, "control character (\\u0000-\\u001F) found while parsing a string"));
        assert_eq!(error("{} x"), (1, 4, "trailing characters"));
        assert_eq!(error("\"ā\" x"), (1, 5, "trailing characters"), "columns count characters");
        for bad in ["01", "-", "1.", "1e", "tru", "\"\\x\"", "\"\\ud800\"", "\"\\u12\""] {
            assert!(parse(bad).is_err(), "{bad} is refused");
        }
    }

    #[test]
    fn deep_nesting_is_refused_without_exhausting_the_stack() {
        let deep = "[".repeat(100_000);
        assert_eq!(parse(&deep).unwrap_err().message, "nested too deeply");
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn writes_what_it_reads() {
        let text = r#"{"s":"a\"b\\\n\u003c\u0001","n":-42,"d":2.5e-3,"l":[true,null],"o":{}}"#;
        assert_eq!(parse(text).unwrap().to_json(), text);
    }

    #[test]
    fn writes_integers_without_fmt() {
        for n in [0, 7, -7, 1_700_000_000_000, i64::MAX, i64::MIN] {
            assert_eq!(int_text(n), n.to_string());
        }
    }
}
