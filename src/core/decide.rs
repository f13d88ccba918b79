//! The consent state machine of one page view. Every input (the stored
//! record at start, a visitor's choice, a change from another tab) yields the
//! plan of actions the shell carries out.

use super::category::{Category, Choices, Signals};
use super::config::{Config, VendorEntry};
use super::fingerprint::category_fingerprint;
use super::jar::{self, FirstSeen, VendorCookies};
use super::plan::{push_unique, Action, AskReason};
use super::record::{ConsentRecord, Fingerprints, Source, RECORD_VERSION};
use crate::vendors::SetupContext;

/// The state of consent in one page view.
#[cfg_attr(not(target_arch = "wasm32"), derive(Debug))]
pub struct Session {
    config: Config,
    signals: Signals,
    /// The fingerprints of the config in force, computed once.
    fingerprints: Fingerprints,
    record: Option<ConsentRecord>,
    /// What is granted on this page: the record's choices less what no longer
    /// counts (changed vendors, browser signals).
    effective: Choices,
    /// Which vendors (by index in the config) were set up on this page.
    started: Vec<bool>,
    /// The loader keys inserted on this page: vendors sharing a loader load it once.
    /// A Vec, not a set: a page has a handful of loaders, and a BTreeSet would
    /// add its own copy of the tree code to the wasm.
    loaded: Vec<String>,
    /// The choices vendors were last told about (the defaults deny everything).
    told: Choices,
}

/// What the shell read from storage at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored<'a> {
    Nothing,
    Text(&'a str),
}

/// A visitor's decision.
#[derive(Debug, Clone)]
pub struct Decision {
    pub choices: Choices,
    /// The categories the visitor chose by name (a switch in the settings, or
    /// `set()`), as opposed to "accept all" or "reject all". A grant by name
    /// outweighs Do Not Track and Global Privacy Control; any other does not.
    pub by_name: Choices,
    pub source: Source,
    pub lang: String,
    pub now_ms: i64,
    /// A fresh consent id, used when there is no record yet.
    pub new_id: String,
}

/// A stored record checked against the config: what still counts, and why
/// the visitor must be asked again, if they must.
struct Reading {
    record: Option<ConsentRecord>,
    effective: Choices,
    ask: Option<AskReason>,
    problem: Option<String>,
}

impl Session {
    pub fn new(config: Config, signals: Signals) -> Session {
        let started = vec![false; config.vendors.len()];
        let fingerprints = Fingerprints {
            analytics: category_fingerprint(&config, Category::Analytics),
            marketing: category_fingerprint(&config, Category::Marketing),
        };
        Session {
            config,
            signals,
            fingerprints,
            record: None,
            effective: Choices::NONE,
            started,
            loaded: Vec::new(),
            told: Choices::NONE,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn signals(&self) -> Signals {
        self.signals
    }

    pub fn record(&self) -> Option<&ConsentRecord> {
        self.record.as_ref()
    }

    /// The choices in force on this page.
    pub fn choices(&self) -> Choices {
        self.effective
    }

    /// Whether the visitor's choice stands: a record that counts (not
    /// expired, of this policy revision), none of whose granted categories
    /// changed vendors since. A first visit, or one asked again, has not
    /// decided, so its `{analytics: false, marketing: false}` is no refusal.
    /// A refusal recorded for a browser signal is a decision.
    pub fn decided(&self) -> bool {
        self.record.as_ref().is_some_and(|record| {
            Category::OPTIONAL
                .into_iter()
                .all(|c| !record.choices.allows(c) || record.fingerprints.of(c) == self.fingerprints.of(c))
        })
    }

    /// The record as the site's server may read it (the optional mirror
    /// cookie): the choices in force now, so a grant that no longer counts
    /// (expired, withdrawn, changed vendors, a browser signal) never reaches
    /// the server as one. `None` when no choice counts.
    pub fn server_copy(&self) -> Option<String> {
        let record = self.record.as_ref()?;
        let in_force =
            ConsentRecord { choices: self.effective, explicit: record.explicit.and(self.effective), ..record.clone() };
        Some(in_force.encode())
    }

    /// What "accept all" grants: everything the browser's signals do not refuse.
    pub fn accept_all(&self) -> Choices {
        self.signals.restrict(Choices::ALL)
    }

    /// The refusal the browser's privacy signals make on the visitor's behalf:
    /// with no choice stored and every optional category refused by the
    /// signals, there is nothing to ask, and the refusal is recorded (source
    /// `browser-signal`) like any other decision.
    pub fn signal_decision(&self) -> Option<Choices> {
        (self.record.is_none() && self.accept_all() == Choices::NONE).then_some(Choices::NONE)
    }

    /// Plans the page's start from what storage held. Problems with the
    /// stored value are returned beside the plan, for the shell to report.
    pub fn start(&mut self, stored: Stored<'_>, now_ms: i64) -> (Vec<Action>, Option<String>) {
        let mut plan = Vec::new();
        for vendor in &self.config.vendors {
            for call in vendor.tag.initial_calls() {
                push_unique(&mut plan, Action::Call(call));
            }
        }
        let reading = self.read(stored, now_ms);
        let problem = reading.problem.clone();
        self.adopt_reading(&mut plan, reading, now_ms);
        (plan, problem)
    }

    /// Plans a record written (or removed) by another tab of the site.
    pub fn adopt(&mut self, stored: Stored<'_>, now_ms: i64) -> Vec<Action> {
        let before = self.choices();
        let mut plan = Vec::new();
        let reading = self.read(stored, now_ms);
        self.adopt_reading(&mut plan, reading, now_ms);
        self.plan_withdrawal(before, &mut plan);
        if self.withdrew_from_started(before) {
            plan.push(Action::Reload);
        }
        plan
    }

    fn adopt_reading(&mut self, plan: &mut Vec<Action>, reading: Reading, now_ms: i64) {
        self.record = reading.record;
        self.effective = reading.effective;
        plan.push(match reading.ask {
            Some(reason) => Action::ShowBar(reason),
            None => Action::HideBar,
        });
        self.apply(plan, now_ms);
    }

    fn read(&self, stored: Stored<'_>, now_ms: i64) -> Reading {
        let ask = |reason, problem| Reading { record: None, effective: Choices::NONE, ask: Some(reason), problem };
        let Stored::Text(text) = stored else {
            // With every optional category refused by the browser there is
            // nothing to ask; the preferences stay open to an explicit grant.
            let everything_refused = self.accept_all() == Choices::NONE;
            let reason = if everything_refused { None } else { Some(AskReason::NoChoice) };
            return Reading { record: None, effective: Choices::NONE, ask: reason, problem: None };
        };
        let record = match ConsentRecord::decode(text, now_ms) {
            Ok(record) => record,
            Err(e) => return ask(AskReason::Unreadable, Some(e.to_string())),
        };
        if record.revision != self.config.revision {
            return ask(AskReason::PolicyChanged, None);
        }
        if record.source == Source::BrowserSignal && self.accept_all() != Choices::NONE {
            // The signal that refused for the visitor is gone: ask them.
            return ask(AskReason::NoChoice, None);
        }
        if now_ms >= self.expiry_of(&record) {
            return ask(AskReason::Expired, None);
        }
        let changed: Vec<Category> = Category::OPTIONAL
            .into_iter()
            .filter(|c| record.choices.allows(*c) && record.fingerprints.of(*c) != self.fingerprints.of(*c))
            .collect();
        let still_disclosed = changed.iter().fold(record.choices, |c, cat| c.with(*cat, false));
        // The signals as they are today, whatever the source of the grant:
        // only a grant made by naming the category outweighs them.
        let effective = self.signals.restrict_unless(still_disclosed, record.explicit);
        let ask = if changed.is_empty() { None } else { Some(AskReason::VendorsChanged(changed)) };
        Reading { record: Some(record), effective, ask, problem: None }
    }

    /// When a record stops counting: a grant and a refusal each have their own lifetime.
    fn expiry_of(&self, record: &ConsentRecord) -> i64 {
        let granted_any = record.choices.analytics || record.choices.marketing;
        let lifetime = if granted_any { self.config.consent.grant } else { self.config.consent.refusal };
        lifetime.end_from(record.updated_at)
    }

    /// Plans a visitor's decision.
    pub fn decide(&mut self, decision: Decision) -> Vec<Action> {
        let before = self.choices();
        let explicit = decision.choices.and(decision.by_name);
        let record = match self.record.take() {
            Some(r) => ConsentRecord {
                updated_at: decision.now_ms.max(r.given_at),
                choices: decision.choices,
                explicit,
                revision: self.config.revision,
                fingerprints: self.fingerprints.clone(),
                source: decision.source,
                lang: decision.lang,
                ..r
            },
            None => ConsentRecord {
                v: RECORD_VERSION,
                id: decision.new_id,
                given_at: decision.now_ms,
                updated_at: decision.now_ms,
                choices: decision.choices,
                explicit,
                revision: self.config.revision,
                fingerprints: self.fingerprints.clone(),
                source: decision.source,
                lang: decision.lang,
            },
        };
        self.effective = self.signals.restrict_unless(record.choices, record.explicit);
        self.record = Some(record.clone());
        let mut plan = vec![Action::Store(record), Action::HideBar];
        self.apply(&mut plan, decision.now_ms);
        self.plan_withdrawal(before, &mut plan);
        if self.withdrew_from_started(before) {
            plan.push(Action::Reload);
        }
        plan
    }

    /// True when a category whose vendors already ran on this page was withdrawn
    /// and the config asks for a reload (a script that ran cannot be unloaded).
    fn withdrew_from_started(&self, before: Choices) -> bool {
        let now = self.choices();
        self.config.reload_on_withdraw
            && self.started_vendors().any(|v| before.allows(v.category) && !now.allows(v.category))
    }

    /// Plans the clean-up of every category granted `before` and not now:
    /// its vendors' cookies and storage keys go, except those a vendor of a
    /// still-granted category also claims.
    fn plan_withdrawal(&self, before: Choices, plan: &mut Vec<Action>) {
        let now = self.choices();
        if !Category::OPTIONAL.into_iter().any(|c| before.allows(c) && !now.allows(c)) {
            return;
        }
        let (withdrawn, kept): (Vec<&VendorEntry>, Vec<&VendorEntry>) = self
            .config
            .vendors
            .iter()
            .filter(|v| before.allows(v.category) || now.allows(v.category))
            .partition(|v| !now.allows(v.category));
        let kept_cookies: Vec<_> = kept.iter().flat_map(|v| v.tag.cookies()).collect();
        let names = unclaimed(withdrawn.iter().flat_map(|v| v.tag.cookies()), &kept_cookies);
        if !names.is_empty() {
            plan.push(Action::DeleteCookies { names });
        }
        push_storage_deletion(&withdrawn, &kept, plan);
    }

    /// Plans the cookie-jar check (see [`jar::enforce`]) for the choices in
    /// force: `jar` is the names of the cookies the page sees. Storage keys of
    /// refused vendors go too, so an expired grant leaves nothing behind.
    pub fn check_cookies(&self, jar: &[String], first_seen: &FirstSeen, now_ms: i64) -> (Vec<Action>, FirstSeen) {
        let choices = self.choices();
        let vendors: Vec<VendorCookies> = self
            .config
            .vendors
            .iter()
            .map(|v| VendorCookies {
                cookies: v.tag.cookies(),
                lifetime: v.lifetime,
                granted: choices.allows(v.category),
                capped_here: !v.tag.sets_lifetime_itself(),
            })
            .collect();
        let (mut plan, next) = jar::enforce(jar, first_seen, &vendors, now_ms);
        let (refused, granted): (Vec<&VendorEntry>, Vec<&VendorEntry>) =
            self.config.vendors.iter().partition(|v| !choices.allows(v.category));
        push_storage_deletion(&refused, &granted, &mut plan);
        (plan, next)
    }

    fn started_vendors(&self) -> impl Iterator<Item = &VendorEntry> {
        self.config.vendors.iter().zip(&self.started).filter(|(_, s)| **s).map(|(v, _)| v)
    }

    /// Tells every vendor the current choices, then sets up and loads the
    /// vendors of granted categories that have not run on this page yet.
    fn apply(&mut self, plan: &mut Vec<Action>, now_ms: i64) {
        let choices = self.choices();
        if choices != self.told {
            for vendor in &self.config.vendors {
                for call in vendor.tag.consent_calls(choices) {
                    push_unique(plan, Action::Call(call));
                }
            }
            self.told = choices;
        }
        for (vendor, started) in self.config.vendors.iter().zip(self.started.iter_mut()) {
            if *started || !choices.allows(vendor.category) {
                continue;
            }
            *started = true;
            let ctx = SetupContext { lifetime: vendor.lifetime, now_ms };
            for call in vendor.tag.setup_calls(ctx) {
                push_unique(plan, Action::Call(call));
            }
        }
        // Loaders go last, so every queue is filled before a tag reads it.
        let scripts: Vec<_> = self.started_vendors().map(|v| v.tag.script()).collect();
        for script in scripts {
            if !self.loaded.contains(&script.key) {
                self.loaded.push(script.key.clone());
                plan.push(Action::LoadScript(script));
            }
        }
        plan.push(Action::Announce(choices));
    }
}

/// Plans the removal of the `going` vendors' storage keys that no `kept` vendor claims.
fn push_storage_deletion(going: &[&VendorEntry], kept: &[&VendorEntry], plan: &mut Vec<Action>) {
    let kept_keys: Vec<_> = kept.iter().flat_map(|v| v.tag.storage_keys()).collect();
    let keys = unclaimed(going.iter().flat_map(|v| v.tag.storage_keys()), &kept_keys);
    if !keys.is_empty() {
        plan.push(Action::DeleteStorage { keys: keys.into_iter().map(str::to_owned).collect() });
    }
}

/// Each item once, leaving out those still claimed.
fn unclaimed<T: PartialEq>(items: impl Iterator<Item = T>, claimed: &[T]) -> Vec<T> {
    let mut out = Vec::new();
    for item in items {
        if !claimed.contains(&item) && !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::category::{Category, Signals};
    use crate::core::fingerprint::category_fingerprint;
    use crate::core::json::Value;
    use crate::core::lifetime::Lifetime;
    use crate::core::plan::{Arg, Call};

    const NOW: i64 = 1_780_000_000_000;
    const DAY: i64 = 86_400_000;
    const ID: &str = "0123456789abcdef0123456789abcdef";

    const VENDORS: &str = r#"
        {"type": "ga4", "measurementId": "G-TEST1", "lifetime": "180 days"},
        {"type": "google-ads", "conversionId": "AW-1234567", "lifetime": "395 days"},
        {"type": "facebook-pixel", "pixelId": "123456789012345", "lifetime": "3 months"}"#;

    fn config_with(extra: &str, vendors: &str) -> Config {
        let text = format!(r#"{{ {extra} "policy": {{"url": "/cookies", "edition": "1"}}, "vendors": [{vendors}]}}"#);
        Config::from_json(&text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn config(extra: &str) -> Config {
        config_with(extra, VENDORS)
    }

    fn asked(plan: &[Action]) -> Option<AskReason> {
        plan.iter().find_map(|a| if let Action::ShowBar(r) = a { Some(r.clone()) } else { None })
    }

    const DNT: Signals = Signals { do_not_track: true, global_privacy_control: false };
    const GPC: Signals = Signals { do_not_track: false, global_privacy_control: true };

    fn decision(choices: Choices, now_ms: i64) -> Decision {
        Decision {
            choices,
            by_name: Choices::NONE,
            source: Source::BarAccept,
            lang: "lv".into(),
            now_ms,
            new_id: ID.into(),
        }
    }

    fn scripts(plan: &[Action]) -> Vec<&str> {
        plan.iter().filter_map(|a| if let Action::LoadScript(s) = a { Some(s.url.as_str()) } else { None }).collect()
    }

    fn stored_record(choices: Choices, updated_at: i64) -> String {
        let mut s = Session::new(config(""), Signals::default());
        s.decide(decision(choices, updated_at));
        s.record().map(ConsentRecord::encode).unwrap_or_default()
    }

    const GTAG: &str = "https://www.googletagmanager.com/gtag/js?id=G-TEST1";
    const FBEVENTS: &str = "https://connect.facebook.net/en_US/fbevents.js";

    #[test]
    fn a_first_visit_shows_the_bar_and_loads_nothing() {
        let mut s = Session::new(config(""), Signals::default());
        let (plan, problem) = s.start(Stored::Nothing, NOW);
        assert_eq!(problem, None);
        assert!(plan.contains(&Action::ShowBar(AskReason::NoChoice)));
        assert!(scripts(&plan).is_empty());
    }

    #[test]
    fn consent_mode_default_is_set_once_before_anything() {
        let mut s = Session::new(config(""), Signals::default());
        let (plan, _) = s.start(Stored::Nothing, NOW);
        let defaults: Vec<_> = plan
            .iter()
            .filter(|a| matches!(a, Action::Call(Call::Command { function: "gtag", args }) if args.get(1) == Some(&Arg::from("default"))))
            .collect();
        assert_eq!(defaults.len(), 1, "three Google tags, one default");
        assert!(matches!(plan[0], Action::Call(Call::Command { function: "gtag", .. })));
    }

    #[test]
    fn accepting_analytics_loads_gtag_once_after_its_queue() {
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        let plan = s.decide(decision(Choices { analytics: true, marketing: false }, NOW));
        assert!(matches!(&plan[0], Action::Store(r) if r.choices.analytics && !r.choices.marketing && r.id == ID));
        assert_eq!(scripts(&plan), [GTAG]);
        let load_at = plan.iter().position(|a| matches!(a, Action::LoadScript(_))).unwrap();
        let config_at = plan
            .iter()
            .position(
                |a| matches!(a, Action::Call(Call::Command { args, .. }) if args.first() == Some(&Arg::from("config"))),
            )
            .unwrap();
        assert!(config_at < load_at);
        assert!(!plan.contains(&Action::Reload));
    }

    #[test]
    fn accepting_everything_loads_each_loader_once() {
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        let plan = s.decide(decision(Choices::ALL, NOW));
        assert_eq!(scripts(&plan), [GTAG, FBEVENTS]);
        let again = s.decide(decision(Choices::ALL, NOW + 1));
        assert!(scripts(&again).is_empty(), "nothing is loaded twice on one page");
    }

    #[test]
    fn rejecting_loads_nothing_now_or_on_the_next_page() {
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        let plan = s.decide(decision(Choices::NONE, NOW));
        assert!(scripts(&plan).is_empty());
        let stored = stored_record(Choices::NONE, NOW);
        let mut next = Session::new(config(""), Signals::default());
        let (plan, _) = next.start(Stored::Text(&stored), NOW + DAY);
        assert!(scripts(&plan).is_empty());
        assert!(!plan.iter().any(|a| matches!(a, Action::ShowBar(_))));
    }

    #[test]
    fn a_returning_visitor_with_a_grant_gets_the_tags_without_the_bar() {
        let stored = stored_record(Choices { analytics: true, marketing: false }, NOW);
        let mut s = Session::new(config(""), Signals::default());
        let (plan, _) = s.start(Stored::Text(&stored), NOW + DAY);
        assert_eq!(scripts(&plan), [GTAG]);
        assert!(!plan.iter().any(|a| matches!(a, Action::ShowBar(_))));
        let Some(Action::Announce(c)) = plan.last() else { panic!("ends by announcing") };
        assert!(c.analytics && !c.marketing);
    }

    #[test]
    fn the_setup_uses_the_declared_cookie_lifetime() {
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        let plan = s.decide(decision(Choices::ALL, NOW));
        let expected = Lifetime::days(180).seconds_from(NOW);
        assert!(plan.iter().any(|a| matches!(a, Action::Call(Call::Command { args, .. })
            if args.get(1) == Some(&Arg::from("G-TEST1")) && matches!(&args[2], Arg::Json(Value::Object(o)) if o.get("cookie_expires") == Some(&Value::Int(expected))))));
    }

    #[test]
    fn a_grant_expires_after_its_lifetime_and_a_refusal_after_its_own() {
        let cfg = r#""consent": {"grant": "30 days", "refusal": "10 days"},"#;
        let granted = stored_record(Choices::ALL, NOW);
        let refused = stored_record(Choices::NONE, NOW);
        let ask = |stored: &str, at: i64| {
            asked(&Session::new(config(cfg), Signals::default()).start(Stored::Text(stored), at).0)
        };
        assert_eq!(ask(&granted, NOW + 29 * DAY), None);
        assert_eq!(ask(&granted, NOW + 30 * DAY), Some(AskReason::Expired));
        assert_eq!(ask(&refused, NOW + 9 * DAY), None);
        assert_eq!(ask(&refused, NOW + 10 * DAY), Some(AskReason::Expired));
    }

    #[test]
    fn a_new_policy_revision_asks_again() {
        let stored = stored_record(Choices::ALL, NOW);
        let mut s = Session::new(config(r#""revision": 2,"#), Signals::default());
        let (plan, _) = s.start(Stored::Text(&stored), NOW);
        assert!(plan.contains(&Action::ShowBar(AskReason::PolicyChanged)));
        assert!(scripts(&plan).is_empty());
    }

    #[test]
    fn unreadable_storage_loads_nothing_and_says_why() {
        for bad in ["{\"v\":1}", "garbage", r#"{"v":1,"choices":{"analytics":true,"marketing":true}}"#] {
            let mut s = Session::new(config(""), Signals::default());
            let (plan, problem) = s.start(Stored::Text(bad), NOW);
            assert!(plan.contains(&Action::ShowBar(AskReason::Unreadable)), "{bad}");
            assert!(scripts(&plan).is_empty());
            assert!(problem.is_some());
            assert_eq!(s.choices(), Choices::NONE);
        }
    }

    #[test]
    fn withdrawing_a_category_that_ran_reloads_the_page() {
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        s.decide(decision(Choices::ALL, NOW));
        let plan = s.decide(decision(Choices { analytics: true, marketing: false }, NOW + 1));
        assert_eq!(plan.last(), Some(&Action::Reload));
        assert!(plan.contains(&Action::Call(Call::command("fbq", ["consent".into(), "revoke".into()]))));
    }

    #[test]
    fn withdrawing_a_category_that_never_ran_needs_no_reload() {
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        s.decide(decision(Choices { analytics: true, marketing: false }, NOW));
        let plan = s.decide(decision(Choices::NONE.with(crate::core::category::Category::Analytics, true), NOW + 1));
        assert!(!plan.contains(&Action::Reload));
    }

    #[test]
    fn a_later_decision_keeps_the_consent_id_and_first_date() {
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        s.decide(decision(Choices::ALL, NOW));
        let mut later = decision(Choices::NONE, NOW + DAY);
        later.new_id = "ffffffffffffffffffffffffffffffff".into();
        s.decide(later);
        let r = s.record().unwrap();
        assert_eq!((r.id.as_str(), r.given_at, r.updated_at), (ID, NOW, NOW + DAY));
    }

    #[test]
    fn another_tab_granting_loads_the_tags_here_too() {
        let stored = stored_record(Choices::ALL, NOW);
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        let plan = s.adopt(Stored::Text(&stored), NOW);
        assert!(plan.contains(&Action::HideBar));
        assert_eq!(scripts(&plan), [GTAG, FBEVENTS]);
    }

    #[test]
    fn another_tab_clearing_consent_shows_the_bar_and_reloads_if_tags_ran() {
        let stored = stored_record(Choices::ALL, NOW);
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Text(&stored), NOW);
        let plan = s.adopt(Stored::Nothing, NOW);
        assert!(plan.contains(&Action::ShowBar(AskReason::NoChoice)));
        assert_eq!(plan.last(), Some(&Action::Reload));
        assert_eq!(s.choices(), Choices::NONE);
    }

    #[test]
    fn a_new_marketing_vendor_asks_again_for_marketing_only() {
        let stored = stored_record(Choices::ALL, NOW);
        let more = format!(r#"{VENDORS}, {{"type": "criteo", "accountId": "12345", "lifetime": "1 year"}}"#);
        let mut s = Session::new(config_with("", &more), Signals::default());
        let (plan, _) = s.start(Stored::Text(&stored), NOW + DAY);
        assert_eq!(asked(&plan), Some(AskReason::VendorsChanged(vec![Category::Marketing])));
        assert_eq!(s.choices(), Choices { analytics: true, marketing: false });
        assert_eq!(scripts(&plan), [GTAG], "analytics still holds; marketing waits for the answer");
    }

    #[test]
    fn decided_only_once_a_choice_stands() {
        let mut first = Session::new(config(""), Signals::default());
        first.start(Stored::Nothing, NOW);
        assert!(!first.decided(), "a first visit");
        first.decide(decision(Choices::NONE, NOW));
        assert!(first.decided(), "a refusal is a decision");
        let granted = stored_record(Choices::ALL, NOW);
        let mut back = Session::new(config(""), Signals::default());
        back.start(Stored::Text(&granted), NOW + DAY);
        assert!(back.decided(), "a returning visitor");
        let more = format!(r#"{VENDORS}, {{"type": "criteo", "accountId": "12345", "lifetime": "1 year"}}"#);
        let mut changed = Session::new(config_with("", &more), Signals::default());
        changed.start(Stored::Text(&granted), NOW + DAY);
        assert!(!changed.decided(), "asked again: the marketing vendors changed");
        let mut expired = Session::new(config(""), Signals::default());
        expired.start(Stored::Text(&granted), NOW + 400 * DAY);
        assert!(!expired.decided(), "an expired grant");
        let mut gpc = Session::new(config(""), GPC);
        gpc.start(Stored::Nothing, NOW);
        assert!(!gpc.decided(), "nothing recorded yet");
        let signal = gpc.signal_decision().expect("the signal refuses everything");
        gpc.decide(Decision { source: Source::BrowserSignal, ..decision(signal, NOW) });
        assert!(gpc.decided(), "the signal's refusal, recorded");
    }

    #[test]
    fn a_changed_vendor_in_a_refused_category_needs_no_new_question() {
        let stored = stored_record(Choices { analytics: true, marketing: false }, NOW);
        let more = format!(r#"{VENDORS}, {{"type": "criteo", "accountId": "12345", "lifetime": "1 year"}}"#);
        let (plan, _) = Session::new(config_with("", &more), Signals::default()).start(Stored::Text(&stored), NOW);
        assert_eq!(asked(&plan), None);
    }

    #[test]
    fn do_not_track_keeps_analytics_off_through_accept_all() {
        let mut s = Session::new(config(""), DNT);
        let (plan, _) = s.start(Stored::Nothing, NOW);
        assert_eq!(asked(&plan), Some(AskReason::NoChoice), "marketing is still asked for");
        let accept = s.accept_all();
        assert_eq!(accept, Choices { analytics: false, marketing: true });
        let plan = s.decide(decision(accept, NOW));
        assert_eq!(scripts(&plan), ["https://www.googletagmanager.com/gtag/js?id=AW-1234567", FBEVENTS]);
    }

    #[test]
    fn an_explicit_switch_in_the_preferences_overrides_the_signal() {
        let mut s = Session::new(config(""), GPC);
        s.start(Stored::Nothing, NOW);
        let mut explicit = decision(Choices { analytics: true, marketing: false }, NOW);
        explicit.source = Source::Preferences;
        explicit.by_name = Choices::ALL;
        let plan = s.decide(explicit);
        assert_eq!(scripts(&plan), [GTAG]);
        let stored = s.record().map(ConsentRecord::encode).unwrap_or_default();
        let (plan, _) = Session::new(config(""), GPC).start(Stored::Text(&stored), NOW + DAY);
        assert_eq!(scripts(&plan), [GTAG], "the explicit grant holds on the next page");
    }

    #[test]
    fn an_earlier_accept_all_does_not_override_a_signal_turned_on_since() {
        let stored = stored_record(Choices::ALL, NOW);
        let mut s = Session::new(config(""), DNT);
        let (plan, _) = s.start(Stored::Text(&stored), NOW + DAY);
        assert_eq!(s.choices(), Choices { analytics: false, marketing: true });
        assert!(!scripts(&plan).contains(&GTAG));
    }

    #[test]
    fn global_privacy_control_refuses_everything_without_asking() {
        let mut s = Session::new(config(""), GPC);
        let (plan, _) = s.start(Stored::Nothing, NOW);
        assert_eq!(asked(&plan), None);
        assert!(scripts(&plan).is_empty());
        assert_eq!(s.accept_all(), Choices::NONE);
    }

    #[test]
    fn vendors_hear_of_a_change_once_and_never_of_no_change() {
        let mut s = Session::new(config(""), Signals::default());
        let (plan, _) = s.start(Stored::Nothing, NOW);
        let updates = |plan: &[Action]| {
            plan.iter().filter(|a| matches!(a, Action::Call(Call::Command { args, .. }) if args.get(1) == Some(&Arg::from("update")))).count()
        };
        assert_eq!(updates(&plan), 0, "the default already denies everything");
        assert_eq!(updates(&s.decide(decision(Choices::ALL, NOW))), 1);
        assert_eq!(updates(&s.decide(decision(Choices::ALL, NOW + 1))), 0);
        assert_eq!(updates(&s.decide(decision(Choices::NONE, NOW + 2))), 1);
    }

    #[test]
    fn decisions_record_the_fingerprints_they_were_given_for() {
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        s.decide(decision(Choices::ALL, NOW));
        let r = s.record().unwrap();
        assert_eq!(r.fingerprints.analytics, category_fingerprint(s.config(), Category::Analytics));
        assert_eq!(r.fingerprints.marketing, category_fingerprint(s.config(), Category::Marketing));
    }

    fn deleted_cookies(plan: &[Action]) -> Vec<String> {
        plan.iter()
            .filter_map(|a| if let Action::DeleteCookies { names } = a { Some(names) } else { None })
            .flatten()
            .map(|n| format!("{n:?}"))
            .collect()
    }

    #[test]
    fn withdrawing_marketing_deletes_its_vendors_cookies_and_keys_before_the_reload() {
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        s.decide(decision(Choices::ALL, NOW));
        let plan = s.decide(decision(Choices { analytics: true, marketing: false }, NOW + 1));
        let deleted = deleted_cookies(&plan).join(" ");
        for name in ["_gcl_au", "_gcl_aw", "_fbp", "_fbc"] {
            assert!(deleted.contains(&format!("\"{name}\"")), "{name} in {deleted}");
        }
        assert!(!deleted.contains("\"_ga\""), "analytics stays granted: {deleted}");
        assert!(plan.contains(&Action::DeleteStorage { keys: vec!["_gcl_ls".into()] }));
        let delete_at = plan.iter().position(|a| matches!(a, Action::DeleteCookies { .. })).unwrap();
        assert!(delete_at < plan.len() - 1 && plan.last() == Some(&Action::Reload));
    }

    #[test]
    fn another_tab_resetting_deletes_every_vendor_cookie() {
        let stored = stored_record(Choices::ALL, NOW);
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Text(&stored), NOW);
        let plan = s.adopt(Stored::Nothing, NOW);
        assert!(
            plan.contains(&Action::Call(Call::command("fbq", ["consent".into(), "revoke".into()]))),
            "vendors are told"
        );
        let deleted = deleted_cookies(&plan).join(" ");
        for name in ["_ga", "_ga_TEST1", "_gcl_au", "_fbp"] {
            assert!(deleted.contains(&format!("\"{name}\"")), "{name} in {deleted}");
        }
    }

    #[test]
    fn granting_or_keeping_a_refusal_deletes_nothing() {
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        assert!(deleted_cookies(&s.decide(decision(Choices::NONE, NOW))).is_empty());
        assert!(deleted_cookies(&s.decide(decision(Choices::ALL, NOW + 1))).is_empty());
    }

    #[test]
    fn the_cookie_check_caps_granted_vendors_and_deletes_refused_ones() {
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        s.decide(decision(Choices { analytics: false, marketing: true }, NOW));
        let jar: Vec<String> = ["_ga", "_fbp", "_gcl_au", "theme"].map(String::from).into();
        let (plan, seen) = s.check_cookies(&jar, &FirstSeen::new(), NOW);
        assert_eq!(
            plan,
            [
                Action::DeleteCookies { names: vec![crate::vendors::CookieName::exact("_ga")] },
                Action::CapCookie { name: "_fbp".into(), expires_ms: Lifetime::months(3).end_from(NOW) },
            ],
            "gtag's own cookie_expires covers _gcl_au"
        );
        assert_eq!(seen.get("_fbp"), Some(NOW));
    }

    #[test]
    fn after_an_expired_grant_the_check_deletes_every_vendor_cookie_and_key() {
        let stored = stored_record(Choices::ALL, NOW);
        let mut s = Session::new(config(""), Signals::default());
        let (plan, _) = s.start(Stored::Text(&stored), NOW + 200 * DAY);
        assert_eq!(asked(&plan), Some(AskReason::Expired));
        let jar: Vec<String> = ["_ga", "_fbp", "_gcl_aw"].map(String::from).into();
        let (plan, _) = s.check_cookies(&jar, &FirstSeen::new().with("_fbp", NOW), NOW + 200 * DAY);
        assert_eq!(deleted_cookies(&plan).len(), 3, "{plan:?}");
        assert!(plan.contains(&Action::DeleteStorage { keys: vec!["_gcl_ls".into()] }));
    }

    #[test]
    fn a_signal_refusal_is_recorded_and_counts_only_while_the_signal_lasts() {
        let mut s = Session::new(config(""), GPC);
        s.start(Stored::Nothing, NOW);
        assert_eq!(s.signal_decision(), Some(Choices::NONE));
        let mut refusal = decision(Choices::NONE, NOW);
        refusal.source = Source::BrowserSignal;
        s.decide(refusal);
        assert_eq!(s.signal_decision(), None, "recorded once");
        let stored = s.record().map(ConsentRecord::encode).unwrap_or_default();
        let (plan, _) = Session::new(config(""), GPC).start(Stored::Text(&stored), NOW + DAY);
        assert_eq!(asked(&plan), None);
        let (plan, _) = Session::new(config(""), Signals::default()).start(Stored::Text(&stored), NOW + DAY);
        assert_eq!(asked(&plan), Some(AskReason::NoChoice), "without the signal the visitor is asked");
        assert_eq!(Session::new(config(""), DNT).signal_decision(), None, "DNT leaves marketing to ask about");
    }

    #[test]
    fn an_earlier_accept_all_from_any_source_gives_way_to_a_signal_turned_on_since() {
        for source in [Source::BarAccept, Source::Preferences, Source::Api] {
            let mut s = Session::new(config(""), Signals::default());
            s.start(Stored::Nothing, NOW);
            let mut accept_all = decision(s.accept_all(), NOW);
            accept_all.source = source;
            s.decide(accept_all);
            let stored = s.record().map(ConsentRecord::encode).unwrap_or_default();
            let mut later = Session::new(config(""), DNT);
            let (plan, _) = later.start(Stored::Text(&stored), NOW + DAY);
            assert_eq!(later.choices(), Choices { analytics: false, marketing: true }, "{source:?}");
            assert!(!scripts(&plan).contains(&GTAG), "{source:?}");
        }
    }

    #[test]
    fn a_grant_by_name_holds_through_a_signal_and_only_for_the_category_named() {
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        let mut set_analytics = decision(Choices::ALL, NOW);
        set_analytics.source = Source::Api;
        set_analytics.by_name = Choices { analytics: true, marketing: false };
        s.decide(set_analytics);
        let stored = s.record().map(ConsentRecord::encode).unwrap_or_default();
        let mut later = Session::new(config(""), GPC);
        later.start(Stored::Text(&stored), NOW + DAY);
        assert_eq!(later.choices(), Choices { analytics: true, marketing: false });
    }

    #[test]
    fn a_version_1_grant_from_the_settings_gives_way_to_a_signal() {
        let v2 = stored_record(Choices::ALL, NOW);
        let v1 = v2
            .replacen("\"v\":2", "\"v\":1", 1)
            .replace(",\"explicit\":{\"analytics\":false,\"marketing\":false}", "")
            .replace("bar-accept", "preferences");
        let mut s = Session::new(config(""), DNT);
        let (_, problem) = s.start(Stored::Text(&v1), NOW + DAY);
        assert_eq!(problem, None, "{v1}");
        assert_eq!(s.choices(), Choices { analytics: false, marketing: true });
    }

    #[test]
    fn the_server_copy_holds_only_what_is_in_force() {
        let granted = stored_record(Choices::ALL, NOW);
        let mut s = Session::new(config(""), DNT);
        s.start(Stored::Text(&granted), NOW + DAY);
        let copy = s.server_copy().unwrap_or_default();
        assert!(copy.contains(r#""choices":{"analytics":false,"marketing":true}"#), "{copy}");
        let mut expired = Session::new(config(""), Signals::default());
        expired.start(Stored::Text(&granted), NOW + 400 * DAY);
        assert_eq!(expired.server_copy(), None, "an expired grant leaves nothing for the server");
        let mut reset = Session::new(config(""), Signals::default());
        reset.start(Stored::Text(&granted), NOW);
        reset.adopt(Stored::Nothing, NOW);
        assert_eq!(reset.server_copy(), None);
    }
}
