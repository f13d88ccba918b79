//! Where the consent record is kept: localStorage; where
//! the browser refuses it (disabled, private mode, quota), a host-only
//! cookie; where cookies are refused too, memory for this page view. Storage
//! failures never surface as page errors. Optionally the record is mirrored to
//! a cookie the site's server can read (see `shell::sync_mirror`); that copy
//! is never read back as consent.
//!
//! Only storage this host wrote counts. localStorage belongs to the origin.
//! A cookie does not: a sibling subdomain can set one of the same name on the
//! parent domain, and the page sees both without their domains. So the
//! record's cookie is host-only, named `__Host-<key>` over https (which no
//! other host can set), and over http it counts only once deleting this
//! host's copy shows which of the visible values was ours.

use super::cookies;
use super::dom::local_storage;
use crate::core::own_names;

/// The longest a browser keeps a cookie (Chrome caps expiry at 400 days).
const COOKIE_MAX_AGE_S: i64 = own_names::COOKIE_DAYS as i64 * 86_400;

pub enum Store {
    Local {
        key: String,
    },
    /// localStorage is refused; cookies work.
    Cookie {
        name: String,
    },
    /// Storage is unavailable: the choice holds for this page view only.
    Memory {
        value: Option<String>,
    },
}

impl Store {
    /// The most durable storage the browser allows this page.
    pub fn open(key: &str) -> Store {
        if local_storage_works(key) {
            Store::Local { key: key.to_owned() }
        } else if cookies_work(key) {
            let name = if cookies::is_https() { own_names::https_cookie(key) } else { key.to_owned() };
            Store::Cookie { name }
        } else {
            Store::Memory { value: None }
        }
    }

    pub fn is_persistent(&self) -> bool {
        !matches!(self, Store::Memory { .. })
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Store::Local { .. } => "localStorage",
            Store::Cookie { .. } => "cookie",
            Store::Memory { .. } => "memory",
        }
    }

    pub fn read(&self) -> Option<String> {
        match self {
            Store::Local { key } => local_storage()?.get_item(key).ok().flatten(),
            Store::Cookie { name } => own_cookie(name),
            Store::Memory { value } => value.clone(),
        }
    }

    /// Saves the encoded record, falling back to a lesser store if refused.
    pub fn write(&mut self, text: &str) -> Result<(), String> {
        let saved = match self {
            Store::Local { key } => local_storage().is_some_and(|s| s.set_item(key, text).is_ok()),
            Store::Cookie { name } => write_cookie(name, text, COOKIE_MAX_AGE_S, None),
            Store::Memory { value } => {
                *value = Some(text.to_owned());
                true
            }
        };
        if saved {
            return Ok(());
        }
        let refused = self.kind();
        *self = Store::Memory { value: Some(text.to_owned()) };
        Err(format!("the browser refused to save the consent choice in {refused}; it holds for this page only"))
    }

    pub fn clear(&mut self) {
        match self {
            Store::Local { key } => {
                let _ = local_storage().map(|s| s.remove_item(key));
            }
            Store::Cookie { name } => {
                write_cookie(name, "", 0, None);
            }
            Store::Memory { value } => *value = None,
        }
    }
}

/// Touching `window.localStorage` throws where storage is disabled, and
/// writes throw in some private modes: probe both before relying on it.
fn local_storage_works(key: &str) -> bool {
    let Some(storage) = local_storage() else { return false };
    let probe = own_names::storage_probe(key);
    let writable = storage.set_item(&probe, "1").is_ok();
    let _ = storage.remove_item(&probe);
    writable
}

fn cookies_work(key: &str) -> bool {
    let probe = own_names::cookie_probe(key);
    let works = write_cookie(&probe, "1", 60, None) && read_cookie(&probe).as_deref() == Some("1");
    write_cookie(&probe, "", 0, None);
    works
}

/// The value of the record's cookie that this host wrote, if any.
fn own_cookie(name: &str) -> Option<String> {
    let before = cookies::values(name);
    if before.is_empty() {
        return None;
    }
    if name.starts_with(own_names::HOST_PREFIX) {
        // The browser lets no other host, and no other path, set it.
        return decode(before.first()?);
    }
    // Delete this host's copy and see which value went: that one was ours,
    // any left were set by a parent domain or on another path.
    cookies::expire_host_only(name);
    let after = cookies::values(name);
    let mut gone = before;
    for value in &after {
        if let Some(at) = gone.iter().position(|v| v == value) {
            gone.swap_remove(at);
        }
    }
    let [ours] = gone.as_slice() else { return None };
    cookies::set(name, ours, COOKIE_MAX_AGE_S, None);
    decode(ours)
}

fn decode(raw: &str) -> Option<String> {
    js_sys::decode_uri_component(raw).ok().map(String::from)
}

/// The value of a first-party cookie, URI-decoded.
pub fn read_cookie(name: &str) -> Option<String> {
    decode(&cookies::value(name)?)
}

/// Writes (or, with `max_age_s` 0, deletes) a first-party cookie holding
/// `value` URI-encoded. Returns false when the browser did not keep it (the
/// page may not set cookies).
pub fn write_cookie(name: &str, value: &str, max_age_s: i64, domain: Option<&str>) -> bool {
    let encoded = String::from(js_sys::encode_uri_component(value));
    cookies::set(name, &encoded, max_age_s, domain);
    max_age_s == 0 || cookies::value(name).as_deref() == Some(encoded.as_str())
}
