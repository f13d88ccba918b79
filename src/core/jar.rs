//! The cookie jar as the core sees it: which vendor cookies to cap at which
//! expiry, which to delete, and when each cookie first appeared.
//!
//! JavaScript cannot read a cookie's expiry, so the library remembers when it
//! first saw each vendor cookie (the "first-seen" map, kept in storage) and
//! rewrites the cookie's expiry to first-seen + declared lifetime on every
//! check. Once that moment has passed the cookie is deleted, so the cap holds
//! even if the visitor never lets the browser expire it.

use super::json::{self, Value};
use super::lifetime::Lifetime;
use super::plan::Action;
use crate::vendors::CookieName;

/// The version of the stored first-seen map.
pub const FIRST_SEEN_VERSION: u32 = 1;

/// The longest stored first-seen map read. A browser keeps about 180
/// cookies per site, and vendor cookie names are short: a few KB at most.
/// Anything longer was not written by consent-gate.
pub const MAX_FIRST_SEEN_BYTES: usize = 64 * 1024;

/// When each vendor cookie (by name) was first seen in this browser, in ms
/// since the epoch. Stored as `{"seen":{"_fbp":1780000000000},"v":1}`. A few
/// entries at most: a plain list keeps the wasm smaller than a map type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirstSeen {
    seen: Vec<(String, i64)>,
}

impl FirstSeen {
    pub fn new() -> FirstSeen {
        FirstSeen::default()
    }

    /// Reads the stored map. Anything unreadable is an error; the caller
    /// starts fresh (a cookie then counts from now, the best knowledge left).
    /// Times are taken as stored: [`enforce`] clamps those ahead of now.
    pub fn decode(text: &str) -> Result<FirstSeen, String> {
        let unreadable = |why: &str| format!("the stored cookie first-seen times are unreadable ({why})");
        if text.len() > MAX_FIRST_SEEN_BYTES {
            return Err(unreadable("longer than any cookie jar needs"));
        }
        let value = json::parse(text).map_err(|e| unreadable(e.message))?;
        let fields = match value {
            Value::Object(fields) if fields.len() == 2 => fields,
            _ => return Err(unreadable("not a {v, seen} object")),
        };
        match fields.get("v").and_then(Value::as_i64) {
            Some(v) if v == i64::from(FIRST_SEEN_VERSION) => {}
            Some(v) => {
                return Err(format!("the stored cookie first-seen times have unknown version {}", json::int_text(v)))
            }
            None => return Err(unreadable("no version")),
        }
        let Some(Value::Object(seen)) = fields.get("seen") else { return Err(unreadable("no seen map")) };
        // An object's keys are distinct, so each name is added once, without a lookup.
        let mut map = FirstSeen::new();
        for (name, at) in seen.iter() {
            let at = at.as_i64().ok_or_else(|| unreadable(&format!("{name} has no time")))?;
            map.seen.push((name.clone(), at));
        }
        Ok(map)
    }

    pub fn encode(&self) -> String {
        let seen = self.seen.iter().map(|(name, at)| (name.as_str(), Value::Int(*at))).collect();
        Value::object([("seen", Value::Object(seen)), ("v", FIRST_SEEN_VERSION.into())]).to_json()
    }

    pub fn get(&self, name: &str) -> Option<i64> {
        self.seen.iter().find(|(n, _)| n == name).map(|(_, at)| *at)
    }

    pub fn with(mut self, name: &str, at_ms: i64) -> FirstSeen {
        self.seen.retain(|(n, _)| n != name);
        self.seen.push((name.to_owned(), at_ms));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// What the jar check knows about one configured vendor.
#[derive(Debug, Clone)]
pub struct VendorCookies {
    pub cookies: Vec<CookieName>,
    pub lifetime: Lifetime,
    /// Whether the vendor is granted now.
    pub granted: bool,
    /// Whether the library caps the expiry (false: the vendor is configured
    /// with the lifetime itself, as gtag is).
    pub capped_here: bool,
}

/// Plans the jar check: `jar` holds the names of the cookies the page can see.
///
/// - A vendor cookie whose vendors are all refused is deleted.
/// - A capped cookie gets expiry first-seen + lifetime (the shortest when two
///   vendors claim it), or is deleted once that moment has passed. A stored
///   first-seen time ahead of now counts as now: storage can be written by
///   any script of the site, and a time in the future would stretch the cap.
///
/// Returns the plan and the first-seen map to store: cookies no longer in
/// the jar are forgotten, so a cookie set again later counts from then.
pub fn enforce(
    jar: &[String],
    first_seen: &FirstSeen,
    vendors: &[VendorCookies],
    now_ms: i64,
) -> (Vec<Action>, FirstSeen) {
    let mut plan = Vec::new();
    let mut doomed = Vec::new();
    let mut next = FirstSeen::new();
    for name in dedup(jar) {
        let owners: Vec<&VendorCookies> =
            vendors.iter().filter(|v| v.cookies.iter().any(|c| c.matches(name))).collect();
        if owners.is_empty() {
            continue;
        }
        if !owners.iter().any(|v| v.granted) {
            doomed.push(CookieName::exact(name));
            continue;
        }
        let first = first_seen.get(name).map_or(now_ms, |at| at.min(now_ms));
        let Some(lifetime_end) =
            owners.iter().filter(|v| v.granted && v.capped_here).map(|v| v.lifetime.end_from(first)).min()
        else {
            continue;
        };
        if now_ms >= lifetime_end {
            doomed.push(CookieName::exact(name));
        } else {
            // Names from `dedup` are distinct: no lookup needed.
            next.seen.push((name.to_owned(), first));
            plan.push(Action::CapCookie { name: name.to_owned(), expires_ms: lifetime_end });
        }
    }
    if !doomed.is_empty() {
        plan.insert(0, Action::DeleteCookies { names: doomed });
    }
    (plan, next)
}

/// Each name once, in jar order (a cookie set on two domains shows twice).
fn dedup(jar: &[String]) -> Vec<&str> {
    let mut repeated = vec![false; jar.len()];
    let key_at = |i: usize| jar.get(i).map(|name| (0, name.as_str()));
    json::KeyIndex::new(jar.len(), &key_at, &mut |_, again| {
        if let Some(slot) = repeated.get_mut(again) {
            *slot = true;
        }
    });
    let mut names = Vec::new();
    for (name, repeated) in jar.iter().zip(repeated) {
        if !repeated {
            names.push(name.as_str());
        }
    }
    names
}

/// The domains a cookie of `hostname` may live on, from the registrable domain
/// down to the host itself, the way gtag's `cookie_domain: 'auto'` tries them:
/// `www.shop.example.lv` gives `example.lv`, `shop.example.lv`,
/// `www.shop.example.lv`. Without a public-suffix list the broadest
/// candidate may be a public suffix (`co.uk`); the browser refuses those, so
/// trying them is harmless. IP addresses and single-label hosts (`localhost`)
/// take host-only cookies: no candidates.
pub fn domain_candidates(hostname: &str) -> Vec<String> {
    let host = hostname.trim_end_matches('.').to_ascii_lowercase();
    let is_ip = host.contains(':') || host.split('.').all(|label| label.bytes().all(|b| b.is_ascii_digit()));
    if host.is_empty() || is_ip || !host.contains('.') {
        return Vec::new();
    }
    let labels: Vec<&str> = host.split('.').collect();
    (0..labels.len() - 1).rev().map(|start| labels[start..].join(".")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000_000;
    const DAY: i64 = 86_400_000;

    fn jar(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    fn facebook(granted: bool) -> VendorCookies {
        VendorCookies {
            cookies: vec![CookieName::exact("_fbp"), CookieName::exact("_fbc")],
            lifetime: Lifetime::months(3),
            granted,
            capped_here: true,
        }
    }

    fn analytics(granted: bool) -> VendorCookies {
        VendorCookies {
            cookies: vec![CookieName::exact("_ga"), CookieName::Prefix("_ga_".into())],
            lifetime: Lifetime::days(180),
            granted,
            capped_here: false,
        }
    }

    #[test]
    fn a_new_cookie_is_first_seen_now_and_capped_at_now_plus_its_lifetime() {
        let (plan, seen) = enforce(&jar(&["_fbp", "lang"]), &FirstSeen::new(), &[facebook(true)], NOW);
        assert_eq!(plan, [Action::CapCookie { name: "_fbp".into(), expires_ms: Lifetime::months(3).end_from(NOW) }]);
        assert_eq!(seen.get("_fbp"), Some(NOW));
        assert_eq!(seen.get("lang"), None, "only vendor cookies are tracked");
    }

    #[test]
    fn a_known_cookie_keeps_its_first_seen_time_so_the_cap_does_not_move() {
        let before = FirstSeen::new().with("_fbp", NOW - 10 * DAY);
        let (plan, seen) = enforce(&jar(&["_fbp"]), &before, &[facebook(true)], NOW);
        let cap = Lifetime::months(3).end_from(NOW - 10 * DAY);
        assert_eq!(plan, [Action::CapCookie { name: "_fbp".into(), expires_ms: cap }]);
        assert_eq!(seen.get("_fbp"), Some(NOW - 10 * DAY));
    }

    #[test]
    fn a_cookie_older_than_its_lifetime_is_deleted_and_forgotten() {
        let before = FirstSeen::new().with("_fbp", NOW - 100 * DAY).with("_fbc", NOW - DAY);
        let (plan, seen) = enforce(&jar(&["_fbp", "_fbc"]), &before, &[facebook(true)], NOW);
        assert_eq!(plan[0], Action::DeleteCookies { names: vec![CookieName::exact("_fbp")] });
        assert!(matches!(&plan[1], Action::CapCookie { name, .. } if name == "_fbc"));
        assert_eq!(seen.get("_fbp"), None, "set again later, it counts from then");
    }

    #[test]
    fn the_cookie_dies_exactly_at_the_end_of_its_lifetime() {
        let first = NOW - 200 * DAY;
        let end = Lifetime::months(3).end_from(first);
        let before = FirstSeen::new().with("_fbp", first);
        let (plan, _) = enforce(&jar(&["_fbp"]), &before, &[facebook(true)], end - 1);
        assert!(matches!(plan[0], Action::CapCookie { .. }));
        let (plan, _) = enforce(&jar(&["_fbp"]), &before, &[facebook(true)], end);
        assert!(matches!(plan[0], Action::DeleteCookies { .. }));
    }

    #[test]
    fn cookies_of_refused_vendors_are_deleted() {
        let (plan, seen) =
            enforce(&jar(&["_fbp", "_ga", "_ga_X1"]), &FirstSeen::new(), &[facebook(false), analytics(false)], NOW);
        assert_eq!(
            plan,
            [Action::DeleteCookies {
                names: vec![CookieName::exact("_fbp"), CookieName::exact("_ga"), CookieName::exact("_ga_X1")]
            }]
        );
        assert!(seen.is_empty());
    }

    #[test]
    fn vendors_configured_with_the_lifetime_are_left_to_themselves() {
        let (plan, seen) = enforce(&jar(&["_ga", "_ga_X1"]), &FirstSeen::new(), &[analytics(true)], NOW);
        assert!(plan.is_empty());
        assert!(seen.is_empty());
    }

    #[test]
    fn a_cookie_two_vendors_claim_gets_the_shorter_lifetime_and_lives_while_either_is_granted() {
        let long = VendorCookies { lifetime: Lifetime::days(395), ..facebook(true) };
        let (plan, _) = enforce(&jar(&["_fbp"]), &FirstSeen::new(), &[long.clone(), facebook(true)], NOW);
        assert_eq!(plan, [Action::CapCookie { name: "_fbp".into(), expires_ms: Lifetime::months(3).end_from(NOW) }]);
        let (plan, _) = enforce(&jar(&["_fbp"]), &FirstSeen::new(), &[long, facebook(false)], NOW);
        assert_eq!(plan, [Action::CapCookie { name: "_fbp".into(), expires_ms: Lifetime::days(395).end_from(NOW) }]);
    }

    #[test]
    fn a_cookie_on_two_domains_is_planned_once() {
        let (plan, _) = enforce(&jar(&["_fbp", "_fbp"]), &FirstSeen::new(), &[facebook(true)], NOW);
        assert_eq!(plan.len(), 1);
    }

    #[test]
    fn first_seen_round_trips_and_refuses_what_it_cannot_trust() {
        let map = FirstSeen::new().with("_fbp", NOW);
        assert_eq!(map.encode(), r#"{"seen":{"_fbp":1780000000000},"v":1}"#);
        assert_eq!(FirstSeen::decode(&map.encode()), Ok(map));
        let odd = FirstSeen::new().with("a\"b", 1).with("c", -2);
        assert_eq!(FirstSeen::decode(&odd.encode()), Ok(odd));
        assert!(FirstSeen::decode("garbage").is_err());
        assert!(FirstSeen::decode(r#"{"v":2,"seen":{}}"#).unwrap_err().contains("version 2"));
        assert!(FirstSeen::decode(r#"{"v":1,"seen":{"_fbp":"yesterday"}}"#).is_err());
        assert!(FirstSeen::decode(r#"{"v":1,"seen":{},"extra":1}"#).is_err());
    }

    #[test]
    fn a_first_seen_time_ahead_of_now_counts_as_now() {
        let before = FirstSeen::new().with("_fbp", NOW + 100 * 365 * DAY);
        let (plan, seen) = enforce(&jar(&["_fbp"]), &before, &[facebook(true)], NOW);
        assert_eq!(plan, [Action::CapCookie { name: "_fbp".into(), expires_ms: Lifetime::months(3).end_from(NOW) }]);
        assert_eq!(seen.get("_fbp"), Some(NOW), "stored as now, so the cap stays put");
    }

    #[test]
    fn first_seen_times_at_the_ends_of_time_neither_overflow_nor_stretch_the_cap() {
        let before = FirstSeen::new().with("_fbp", i64::MAX).with("_fbc", i64::MIN);
        let (plan, seen) = enforce(&jar(&["_fbp", "_fbc"]), &before, &[facebook(true)], NOW);
        assert_eq!(
            plan,
            [
                Action::DeleteCookies { names: vec![CookieName::exact("_fbc")] },
                Action::CapCookie { name: "_fbp".into(), expires_ms: Lifetime::months(3).end_from(NOW) },
            ]
        );
        assert_eq!(seen.get("_fbp"), Some(NOW));
    }

    #[test]
    fn a_stored_map_longer_than_any_jar_needs_is_not_read() {
        let names: Vec<String> = (0..5000).map(|i| format!("\"_fbp{i}\":{NOW}")).collect();
        let huge = format!("{{\"seen\":{{{}}},\"v\":1}}", names.join(","));
        assert!(FirstSeen::decode(&huge).unwrap_err().contains("longer than"));
    }

    #[test]
    fn domain_candidates_go_from_the_registrable_domain_down_to_the_host() {
        assert_eq!(domain_candidates("www.example.lv"), ["example.lv", "www.example.lv"]);
        assert_eq!(
            domain_candidates("a.b.example.co.uk"),
            ["co.uk", "example.co.uk", "b.example.co.uk", "a.b.example.co.uk"]
        );
        assert_eq!(domain_candidates("Example.LV."), ["example.lv"]);
        assert!(domain_candidates("localhost").is_empty());
        assert!(domain_candidates("127.0.0.1").is_empty());
        assert!(domain_candidates("[::1]").is_empty());
        assert!(domain_candidates("").is_empty());
    }
}
