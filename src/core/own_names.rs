//! The names consent-gate itself keeps in the browser, all made from the
//! config's `storage.key`. One place for them: the shell writes under these
//! names, and the checker keeps every vendor's cookies and storage keys off
//! them (refusing the vendor would otherwise delete the visitor's choice).

/// The prefix of the record's cookie over https: the browser lets no other
/// host, and no other path, set a cookie named so.
pub const HOST_PREFIX: &str = "__Host-";

/// How long the browser keeps our cookies (the record's where localStorage
/// is refused, and the mirror): the longest Chrome allows.
pub const COOKIE_DAYS: u32 = 400;

/// How many names [`all`] gives.
pub const COUNT: usize = 6;

/// The localStorage key of the vendor cookies' first-seen times.
pub fn first_seen(key: &str) -> String {
    format!("{key}:first-seen")
}

/// The localStorage key of the receipts not yet acknowledged by the
/// collector (see `core::receipt`).
pub fn outbox(key: &str) -> String {
    format!("{key}:outbox")
}

/// The localStorage key written once to learn whether storage works.
pub fn storage_probe(key: &str) -> String {
    format!("{key}:probe")
}

/// The cookie written once to learn whether cookies work.
pub fn cookie_probe(key: &str) -> String {
    format!("{key}-probe")
}

/// The record's cookie over https, where localStorage is refused.
pub fn https_cookie(key: &str) -> String {
    format!("{HOST_PREFIX}{key}")
}

/// Every name made from `key`, the record's own first.
pub fn all(key: &str) -> [String; COUNT] {
    [key.to_owned(), first_seen(key), outbox(key), storage_probe(key), cookie_probe(key), https_cookie(key)]
}
