//! `document.cookie`: reading the jar, deleting a cookie on every domain level,
//! and capping a cookie's expiry in place. What to cap or delete is the core's
//! call ([`crate::core::jar`]); this module only carries it out.

use super::dom::local_storage;
use super::events::report_error;
use crate::core::jar::{domain_candidates, FirstSeen};
use crate::vendors::CookieName;
use std::cell::RefCell;
use wasm_bindgen::JsValue;

const EPOCH: &str = "Thu, 01 Jan 1970 00:00:00 GMT";

thread_local! {
    /// Each cookie's last capped rewrite (name, raw value, expiry), so a
    /// `cookieStore` change caused by our own rewrite does not start another
    /// check: that would cap again, and loop.
    static CAPS: RefCell<Vec<(String, String, i64)>> = const { RefCell::new(Vec::new()) };
    /// Whether a refused first-seen write was reported already (once per page).
    static SAVE_REFUSED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn document() -> Option<web_sys::Document> {
    super::dom::document()
}

/// The raw `document.cookie` string ("" when the page may not use cookies).
fn cookie_string() -> String {
    document()
        .and_then(|d| js_sys::Reflect::get(&d, &"cookie".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn write(line: &str) {
    if let Some(d) = document() {
        let _ = js_sys::Reflect::set(&d, &"cookie".into(), &JsValue::from_str(line));
    }
}

/// Every `(name, value)` the page sees, in order; a name set on two domains
/// (or paths) shows twice.
fn pairs() -> Vec<(String, String)> {
    cookie_string()
        .split(';')
        .filter_map(|part| {
            let part = part.trim();
            let (name, value) = part.split_once('=').unwrap_or(("", part));
            (!name.is_empty()).then(|| (name.to_owned(), value.to_owned()))
        })
        .collect()
}

/// The names of the cookies the page sees.
pub fn jar_names() -> Vec<String> {
    pairs().into_iter().map(|(name, _)| name).collect()
}

/// The raw value of the first cookie named `name` the page sees.
pub fn value(name: &str) -> Option<String> {
    pairs().into_iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

/// The raw values of every cookie named `name` the page sees: one per domain
/// and path it was set on.
pub fn values(name: &str) -> Vec<String> {
    pairs().into_iter().filter(|(n, _)| n == name).map(|(_, v)| v).collect()
}

/// Deletes the host-only cookie `name` on path `/`, leaving copies on parent
/// domains or other paths alone.
pub fn expire_host_only(name: &str) {
    expire(name, "");
}

/// Whether the page is served over https (cookies then get `Secure`, and the
/// record's cookie the `__Host-` prefix).
pub fn is_https() -> bool {
    web_sys::window().and_then(|w| w.location().protocol().ok()).is_some_and(|p| p == "https:")
}

/// Sets a cookie for `max_age_s` seconds (0 deletes it) on `domain`, or on
/// this host only. `value` must already be cookie-safe (URI-encoded).
pub fn set(name: &str, value: &str, max_age_s: i64, domain: Option<&str>) {
    let domain = domain.map(|d| format!("; domain={d}")).unwrap_or_default();
    write(&format!("{name}={value}; path=/; max-age={max_age_s}; SameSite=Lax{domain}{}", secure_attribute()));
}

fn count(name: &str) -> usize {
    pairs().iter().filter(|(n, _)| n == name).count()
}

fn hostname() -> String {
    web_sys::window().and_then(|w| w.location().hostname().ok()).unwrap_or_default()
}

/// `; domain=…` for each candidate domain, then host-only (empty).
fn domain_attributes() -> Vec<String> {
    domain_candidates(&hostname())
        .into_iter()
        .map(|d| format!("; domain={d}"))
        .chain(std::iter::once(String::new()))
        .collect()
}

fn expire(name: &str, domain_attribute: &str) {
    write(&format!("{name}=; expires={EPOCH}; path=/{domain_attribute}"));
}

/// Deletes the cookies on the host and on every parent domain. Exact names are
/// deleted even when not visible (cheap, and harmless); prefixes delete the
/// matching cookies the page sees.
pub fn delete(names: &[CookieName]) {
    let mut doomed: Vec<String> =
        names.iter().filter_map(|n| if let CookieName::Exact(name) = n { Some(name.clone()) } else { None }).collect();
    for name in jar_names() {
        if names.iter().any(|n| n.matches(&name)) && !doomed.contains(&name) {
            doomed.push(name);
        }
    }
    let domains = domain_attributes();
    for name in &doomed {
        for domain in &domains {
            expire(name, domain);
        }
        forget_cap(name);
    }
}

/// Rewrites `name` with its own value and the given expiry on the domain it
/// lives on. The domain is found by deleting the cookie level by level from
/// the registrable domain down until it is gone; copies on several levels
/// collapse into one, on the broadest, so no duplicate is left.
pub fn cap(name: &str, expires_ms: i64) -> Result<(), String> {
    let Some(value) = pairs().into_iter().find(|(n, _)| n == name).map(|(_, v)| v) else {
        return Ok(()); // gone since the jar was read
    };
    let mut left = count(name);
    let mut home = None;
    for domain in domain_attributes() {
        expire(name, &domain);
        let now_left = count(name);
        if now_left < left {
            home.get_or_insert(domain);
            left = now_left;
        }
        if left == 0 {
            break;
        }
    }
    let Some(domain) = home else {
        return Err(format!("could not cap the cookie {name}: it is not on path / of this site's domains"));
    };
    let expires = String::from(js_sys::Date::new(&JsValue::from_f64(expires_ms as f64)).to_utc_string());
    write(&format!("{name}={value}; expires={expires}; path=/{domain}; SameSite=Lax{}", secure_attribute()));
    forget_cap(name);
    CAPS.with(|caps| caps.borrow_mut().push((name.to_owned(), value.clone(), expires_ms)));
    if left > 0 {
        return Err(format!("the cookie {name} also exists on another path; that copy is out of reach"));
    }
    Ok(())
}

fn forget_cap(name: &str) {
    CAPS.with(|caps| caps.borrow_mut().retain(|(n, _, _)| n != name));
}

fn secure_attribute() -> &'static str {
    if is_https() {
        "; Secure"
    } else {
        ""
    }
}

/// True when a `cookieStore` change (name, raw value, expiry in ms where the
/// browser tells it) may need a check: anything but our own capped rewrite.
/// Firefox and WebKit report no expiry for cookies written through
/// `document.cookie`, so there the rewrite is known by its value.
pub fn change_needs_check(name: &str, value: &str, expires_ms: Option<f64>) -> bool {
    let capped =
        CAPS.with(|caps| caps.borrow().iter().find(|(n, _, _)| n == name).map(|(_, v, cap)| (v.clone(), *cap)));
    match (capped, expires_ms) {
        (Some((_, cap)), Some(expires)) => expires > (cap + 1000) as f64,
        (Some((ours, _)), None) => ours != value,
        (None, _) => true,
    }
}

/// The largest first-seen map read: a few dozen cookie names and times fit in
/// far less; a larger value was not written by this library.
const MAX_FIRST_SEEN_BYTES: usize = 16 * 1024;

/// The stored first-seen map; unreadable values are reported and start fresh.
pub fn load_first_seen(key: &str) -> FirstSeen {
    let text = local_storage().and_then(|s| s.get_item(key).ok().flatten());
    if text.as_ref().is_some_and(|t| t.len() > MAX_FIRST_SEEN_BYTES) {
        report_error(&format!("{key} is larger than {MAX_FIRST_SEEN_BYTES} bytes and was not written by consent-gate; counting vendor cookies from now"));
        return FirstSeen::new();
    }
    match text.as_deref().map(FirstSeen::decode) {
        None => FirstSeen::new(),
        Some(Ok(map)) => map,
        Some(Err(problem)) => {
            report_error(&format!("{problem}; counting vendor cookies from now"));
            FirstSeen::new()
        }
    }
}

pub fn save_first_seen(key: &str, map: &FirstSeen) {
    let Some(storage) = local_storage() else { return };
    let result = if map.is_empty() { storage.remove_item(key) } else { storage.set_item(key, &map.encode()) };
    if result.is_err() && !SAVE_REFUSED.with(|refused| refused.replace(true)) {
        report_error(
            "the browser refused to save when vendor cookies first appeared; their lifetimes count from each page view",
        );
    }
}

/// Removes localStorage keys of a withdrawn category.
pub fn delete_storage(keys: &[String]) {
    let Some(storage) = local_storage() else { return };
    for key in keys {
        let _ = storage.remove_item(key);
    }
}
