//! The consent state machine of one page view. Every input (the stored
//! record at start, a visitor's choice, a change from another tab) yields the
//! plan of actions the shell carries out.

use super::category::{Category, Choices, Signals};
use super::choice::Grants;
use super::config::{Config, VendorEntry};
use super::fingerprint::{category_fingerprint, vendor_fingerprint, vendor_keys};
use super::jar::{self, FirstSeen, VendorCookies};
use super::markup::MarkupGrants;
use super::plan::{Action, AskReason, Call};
use super::record::{ConsentRecord, Source, VendorChoice, RECORD_VERSION};
use crate::vendors::SetupContext;

/// The state of consent in one page view.
#[cfg_attr(not(target_arch = "wasm32"), derive(Debug))]
pub struct Session {
    config: Config,
    signals: Signals,
    /// Each vendor's key and fingerprint (see `core::fingerprint`), in
    /// config order, computed once.
    keys: Vec<String>,
    fingerprints: Vec<String>,
    /// Each vendor's loader key: vendors sharing a loader share its
    /// page-wide consent switch (Consent Mode, `fbq('consent')`).
    loaders: Vec<String>,
    record: Option<ConsentRecord>,
    /// What is granted on this page: the record's choices less what no longer
    /// counts (new or changed vendors, browser signals).
    effective: Grants,
    /// The categories asked about again because vendors were added or
    /// changed in them since the choice.
    pending: Vec<Category>,
    /// Which vendors (by index in the config) were set up on this page.
    started: Vec<bool>,
    /// The loader keys inserted on this page: vendors sharing a loader load it once.
    /// A Vec, not a set: a page has a handful of loaders, and a BTreeSet would
    /// add its own copy of the tree code to the wasm.
    loaded: Vec<String>,
    /// Per vendor, the choices it was last told about (the defaults deny
    /// everything).
    told: Vec<Choices>,
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
    /// A choice per vendor of the config, in its order (the settings'
    /// switches, `set()` naming vendors); `None`: every vendor as its
    /// category in `choices`.
    pub vendors: Option<Vec<bool>>,
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
    effective: Grants,
    pending: Vec<Category>,
    ask: Option<AskReason>,
    problem: Option<String>,
}

impl Session {
    pub fn new(config: Config, signals: Signals) -> Session {
        let started = vec![false; config.vendors.len()];
        let keys = vendor_keys(&config);
        let (mut fingerprints, mut loaders) = (Vec::new(), Vec::new());
        for vendor in &config.vendors {
            fingerprints.push(vendor_fingerprint(vendor));
            // An embed has no loader: a key of its own, never loaded.
            loaders.push(vendor.tag.script().map_or_else(|| vendor.tag.kind().to_owned(), |s| s.key));
        }
        Session {
            effective: Grants::whole(&config, Choices::NONE),
            told: vec![Choices::NONE; config.vendors.len()],
            config,
            signals,
            keys,
            fingerprints,
            loaders,
            record: None,
            pending: Vec::new(),
            started,
            loaded: Vec::new(),
        }
    }

    /// Each vendor's key, in config order (see `fingerprint::vendor_keys`).
    pub fn vendor_keys(&self) -> &[String] {
        &self.keys
    }

    /// The index in the config of the vendor `key` of `category`.
    pub fn vendor_index(&self, category: Category, key: &str) -> Option<usize> {
        self.keys.iter().zip(&self.config.vendors).position(|(k, v)| k == key && v.category == category)
    }

    /// The grants in force, per category and per vendor.
    pub fn grants(&self) -> &Grants {
        &self.effective
    }

    /// What gated markup reads: the categories, and each vendor as
    /// `category:key` with its grant.
    /// `lang`: the visitor's language, for the embed placeholders' texts.
    pub fn markup_grants(&self, lang: &str) -> MarkupGrants {
        let mut vendors = Vec::with_capacity(self.keys.len());
        for (i, (v, key)) in self.config.vendors.iter().zip(&self.keys).enumerate() {
            let mut name = String::from(v.category.as_str());
            name.push(':');
            name.push_str(key);
            vendors.push((name, self.effective.vendor(i)));
        }
        let embeds = crate::core::markup::Embeds::of(&self.config, &self.keys, lang);
        MarkupGrants { choices: self.effective.categories, vendors, embeds }
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

    /// The choices in force on this page, per category: a category is
    /// granted when every one of its vendors is.
    pub fn choices(&self) -> Choices {
        self.effective.categories
    }

    /// Whether the visitor's choice stands: a record that counts (not
    /// expired, of this policy revision), with no vendor added or changed
    /// since in a category it grants anything in. A first visit, or one
    /// asked again, has not decided, so its `{analytics: false, marketing:
    /// false}` is no refusal. A refusal recorded for a browser signal is a
    /// decision.
    pub fn decided(&self) -> bool {
        self.record.is_some() && self.pending.is_empty()
    }

    /// The record as the site's server may read it (the optional mirror
    /// cookie): the choices in force now, so a grant that no longer counts
    /// (expired, withdrawn, changed vendors, a browser signal) never reaches
    /// the server as one. `None` when no choice counts.
    pub fn server_copy(&self) -> Option<String> {
        let record = self.record.as_ref()?;
        let vendors = self.vendor_choices(&self.effective);
        let in_force = ConsentRecord {
            choices: self.effective.categories,
            explicit: record.explicit.and(self.any_granted(&self.effective)),
            vendors,
            legacy: None,
            ..record.clone()
        };
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
                push_call(&mut plan, call);
            }
        }
        let mut reading = self.read(stored, now_ms);
        let problem = reading.problem.take();
        self.adopt_reading(&mut plan, reading, now_ms);
        (plan, problem)
    }

    /// Plans a record written (or removed) by another tab of the site.
    pub fn adopt(&mut self, stored: Stored<'_>, now_ms: i64) -> Vec<Action> {
        let before = self.effective.clone();
        let mut plan = Vec::new();
        let reading = self.read(stored, now_ms);
        self.adopt_reading(&mut plan, reading, now_ms);
        let reload = self.withdrew_from_started(&before);
        self.plan_withdrawal(&before, &mut plan);
        if reload {
            plan.push(Action::Reload);
        }
        plan
    }

    fn adopt_reading(&mut self, plan: &mut Vec<Action>, reading: Reading, now_ms: i64) {
        self.record = reading.record;
        self.effective = reading.effective;
        self.pending = reading.pending;
        plan.push(match reading.ask {
            Some(reason) => Action::ShowBar(reason),
            None => Action::HideBar,
        });
        self.apply(plan, now_ms);
    }

    fn read(&self, stored: Stored<'_>, now_ms: i64) -> Reading {
        let nothing = || Grants::whole(&self.config, Choices::NONE);
        let ask = |reason, problem| Reading {
            record: None,
            effective: nothing(),
            pending: Vec::new(),
            ask: Some(reason),
            problem,
        };
        let Stored::Text(text) = stored else {
            // With every optional category refused by the browser there is
            // nothing to ask; the preferences stay open to an explicit grant.
            let everything_refused = self.accept_all() == Choices::NONE;
            let reason = if everything_refused { None } else { Some(AskReason::NoChoice) };
            return Reading { record: None, effective: nothing(), pending: Vec::new(), ask: reason, problem: None };
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
        let (still_disclosed, changed) = self.still_disclosed(&record);
        // The signals as they are today, whatever the source of the grant:
        // only a grant made by naming the category outweighs them.
        let effective = self.restrict(still_disclosed, record.explicit);
        let ask = if changed.is_empty() { None } else { Some(AskReason::VendorsChanged(changed.clone())) };
        Reading { record: Some(record), effective, pending: changed, ask, problem: None }
    }

    /// The record's grants for the vendors of the config: a vendor counts as
    /// chosen when the record names it (same category and key) with the
    /// fingerprint it has now; any other, added or changed since, is refused
    /// until asked about, and its category is asked again if the record
    /// grants anything in it (a new vendor in a refused category stays
    /// refused, with nothing to ask). The others' choices stand. A record
    /// of version 1 or 2 grants every vendor of a category it granted, if
    /// that category's vendors are still the ones it was given for.
    fn still_disclosed(&self, record: &ConsentRecord) -> (Grants, Vec<Category>) {
        // The categories asked again (a Choices, not a sorted Vec: a sort's
        // code would weigh on the wasm).
        let mut changed = Choices::NONE;
        let mut vendors = Vec::with_capacity(self.config.vendors.len());
        // For a version 1 or 2 record: the categories whose vendors are
        // still the ones it was given for.
        let mut same = Choices::NONE;
        if let Some(old) = &record.legacy {
            for category in Category::OPTIONAL {
                let now = category_fingerprint(&self.config, category);
                same = same.with(category, old.of(category) == Some(now.as_str()));
            }
        }
        for (i, vendor) in self.config.vendors.iter().enumerate() {
            let category = vendor.category;
            let chosen = match &record.legacy {
                Some(_) => same.allows(category).then_some(record.choices.allows(category)),
                None => record
                    .vendors
                    .iter()
                    .find(|v| v.category == category && v.key == self.keys[i])
                    .filter(|v| v.fingerprint == self.fingerprints[i])
                    .map(|v| v.granted),
            };
            let granted_any =
                record.choices.allows(category) || record.vendors.iter().any(|v| v.category == category && v.granted);
            if chosen.is_none() && granted_any {
                changed = changed.with(category, true);
            }
            vendors.push(chosen.unwrap_or(false));
        }
        let mut categories = record.choices;
        for category in Category::OPTIONAL {
            // A version 2 grant of a category whose vendors changed is asked
            // again, even if no vendor is left in it.
            if record.legacy.is_some() && record.choices.allows(category) && !same.allows(category) {
                changed = changed.with(category, true);
            }
            if changed.allows(category) {
                categories = categories.with(category, false);
            }
        }
        let mut asked = Vec::new();
        for category in Category::OPTIONAL {
            if changed.allows(category) {
                asked.push(category);
            }
        }
        (Grants { categories, vendors }.normalized(&self.config), asked)
    }

    /// `grants` less what the browser's signals refuse, except in the
    /// categories the visitor named (`explicit`).
    fn restrict(&self, grants: Grants, explicit: Choices) -> Grants {
        let categories = self.signals.restrict_unless(grants.categories, explicit);
        let mut vendors = Vec::with_capacity(grants.vendors.len());
        for (v, granted) in self.config.vendors.iter().zip(&grants.vendors) {
            vendors.push(*granted && (explicit.allows(v.category) || !self.signals.refuses(v.category)));
        }
        Grants { categories, vendors }.normalized(&self.config)
    }

    /// Per category, whether any of its vendors (or the category itself) is granted.
    fn any_granted(&self, grants: &Grants) -> Choices {
        let mut any = grants.categories;
        for (i, vendor) in self.config.vendors.iter().enumerate() {
            if grants.vendor(i) {
                any = any.with(vendor.category, true);
            }
        }
        any
    }

    /// `grants` as the record stores them: per vendor, by key, with its fingerprint.
    fn vendor_choices(&self, grants: &Grants) -> Vec<VendorChoice> {
        let mut choices = Vec::with_capacity(self.keys.len());
        for (i, v) in self.config.vendors.iter().enumerate() {
            choices.push(VendorChoice {
                category: v.category,
                key: self.keys[i].clone(),
                granted: grants.vendor(i),
                fingerprint: self.fingerprints[i].clone(),
            });
        }
        choices
    }

    /// When a record stops counting: a grant and a refusal each have their own lifetime.
    fn expiry_of(&self, record: &ConsentRecord) -> i64 {
        let granted_any =
            record.choices.analytics || record.choices.marketing || record.vendors.iter().any(|v| v.granted);
        let lifetime = if granted_any { self.config.consent.grant } else { self.config.consent.refusal };
        lifetime.end_from(record.updated_at)
    }

    /// Plans a visitor's decision.
    pub fn decide(&mut self, decision: Decision) -> Vec<Action> {
        let before = self.effective.clone();
        let grants = match decision.vendors {
            Some(vendors) => Grants { categories: decision.choices, vendors }.normalized(&self.config),
            None => Grants::whole(&self.config, decision.choices).normalized(&self.config),
        };
        let explicit = self.any_granted(&grants).and(decision.by_name);
        let vendors = self.vendor_choices(&grants);
        let record = match self.record.take() {
            Some(r) => ConsentRecord {
                v: RECORD_VERSION,
                updated_at: decision.now_ms.max(r.given_at),
                choices: grants.categories,
                explicit,
                revision: self.config.revision,
                vendors,
                legacy: None,
                source: decision.source,
                lang: decision.lang,
                ..r
            },
            None => ConsentRecord {
                v: RECORD_VERSION,
                id: decision.new_id,
                given_at: decision.now_ms,
                updated_at: decision.now_ms,
                choices: grants.categories,
                explicit,
                revision: self.config.revision,
                vendors,
                legacy: None,
                source: decision.source,
                lang: decision.lang,
            },
        };
        self.effective = self.restrict(grants, record.explicit);
        self.pending.clear();
        self.record = Some(record.clone());
        let mut plan = vec![Action::Store(record), Action::HideBar];
        self.apply(&mut plan, decision.now_ms);
        let reload = self.withdrew_from_started(&before);
        self.plan_withdrawal(&before, &mut plan);
        if reload {
            plan.push(Action::Reload);
        }
        plan
    }

    /// True when a category whose vendors already ran on this page was withdrawn
    /// and the config asks for a reload (a script that ran cannot be unloaded).
    fn withdrew_from_started(&self, before: &Grants) -> bool {
        self.config.reload_on_withdraw
            && self.started.iter().enumerate().any(|(i, s)| *s && before.vendor(i) && !self.effective.vendor(i))
    }

    /// Plans the clean-up of every vendor granted `before` and not now: its
    /// cookies and storage keys go, except those a still-granted vendor also
    /// claims.
    fn plan_withdrawal(&self, before: &Grants, plan: &mut Vec<Action>) {
        let now = &self.effective;
        let count = self.config.vendors.len();
        if !(0..count).any(|i| before.vendor(i) && !now.vendor(i)) {
            return;
        }
        let (withdrawn, kept) = self.split(|i| before.vendor(i) || now.vendor(i), |i| !now.vendor(i));
        let names = unclaimed(all_of(&withdrawn, |v| v.tag.cookies()), &all_of(&kept, |v| v.tag.cookies()));
        if !names.is_empty() {
            plan.push(Action::DeleteCookies { names });
        }
        push_storage_deletion(&withdrawn, &kept, plan);
    }

    /// Plans the cookie-jar check (see [`jar::enforce`]) for the choices in
    /// force: `jar` is the names of the cookies the page sees. Storage keys of
    /// refused vendors go too, so an expired grant leaves nothing behind.
    pub fn check_cookies(&self, jar: &[String], first_seen: &FirstSeen, now_ms: i64) -> (Vec<Action>, FirstSeen) {
        let grants = &self.effective;
        let mut vendors = Vec::with_capacity(self.config.vendors.len());
        for (i, v) in self.config.vendors.iter().enumerate() {
            vendors.push(VendorCookies {
                cookies: v.tag.cookies(),
                lifetime: v.lifetime,
                granted: grants.vendor(i),
                capped_here: !v.tag.sets_lifetime_itself(),
            });
        }
        let (mut plan, next) = jar::enforce(jar, first_seen, &vendors, now_ms);
        let (refused, granted) = self.split(|_| true, |i| !grants.vendor(i));
        push_storage_deletion(&refused, &granted, &mut plan);
        (plan, next)
    }

    /// The vendors `kept` keeps (by index), split into those `first` picks and the rest.
    fn split(
        &self,
        kept: impl Fn(usize) -> bool,
        first: impl Fn(usize) -> bool,
    ) -> (Vec<&VendorEntry>, Vec<&VendorEntry>) {
        let (mut picked, mut rest) = (Vec::new(), Vec::new());
        for (i, vendor) in self.config.vendors.iter().enumerate().filter(|(i, _)| kept(*i)) {
            if first(i) {
                picked.push(vendor);
            } else {
                rest.push(vendor);
            }
        }
        (picked, rest)
    }

    /// What a vendor's page-wide consent switch says: per category, whether
    /// a granted vendor of that category shares its loader. Vendors on one
    /// loader (the Google tags on gtag.js, pixels on fbevents.js) share one
    /// switch, which must let through what a tag the visitor allowed needs;
    /// a refused tag on it is never set up, so it does not act on the switch
    /// (see `vendors::gtag` for Consent Mode).
    fn switch_for(&self, index: usize) -> Choices {
        let loader = &self.loaders[index];
        let mut choices = Choices::NONE;
        for (i, vendor) in self.config.vendors.iter().enumerate() {
            if self.effective.vendor(i) && self.loaders[i] == *loader {
                choices = choices.with(vendor.category, true);
            }
        }
        choices
    }

    /// Tells every vendor whose switch changed the current choices, then
    /// sets up and loads the granted vendors that have not run on this page
    /// yet.
    fn apply(&mut self, plan: &mut Vec<Action>, now_ms: i64) {
        let choices = self.choices();
        for i in 0..self.config.vendors.len() {
            let switch = self.switch_for(i);
            if switch != self.told[i] {
                for call in self.config.vendors[i].tag.consent_calls(switch) {
                    push_call(plan, call);
                }
                self.told[i] = switch;
            }
        }
        for (i, (vendor, started)) in self.config.vendors.iter().zip(self.started.iter_mut()).enumerate() {
            if *started || !self.effective.vendor(i) {
                continue;
            }
            *started = true;
            let ctx = SetupContext { lifetime: vendor.lifetime, now_ms };
            for call in vendor.tag.setup_calls(ctx) {
                push_call(plan, call);
            }
        }
        // Loaders go last, so every queue is filled before a tag reads it.
        for (vendor, _) in self.config.vendors.iter().zip(&self.started).filter(|(_, s)| **s) {
            let Some(script) = vendor.tag.script() else { continue };
            if !self.loaded.contains(&script.key) {
                self.loaded.push(script.key.clone());
                plan.push(Action::LoadScript(script));
            }
        }
        plan.push(Action::Announce(choices));
    }
}

/// Adds a vendor call to the plan unless it is there already. Compares calls
/// only, so `Action`'s PartialEq (with the record's, about 0.8 KB raw) stays
/// out of the wasm.
fn push_call(plan: &mut Vec<Action>, call: Call) {
    if !plan.iter().any(|a| matches!(a, Action::Call(c) if *c == call)) {
        plan.push(Action::Call(call));
    }
}

/// Plans the removal of the `going` vendors' storage keys that no `kept` vendor claims.
fn push_storage_deletion(going: &[&VendorEntry], kept: &[&VendorEntry], plan: &mut Vec<Action>) {
    let keys = unclaimed(all_of(going, |v| v.tag.storage_keys()), &all_of(kept, |v| v.tag.storage_keys()));
    if !keys.is_empty() {
        let mut owned = Vec::with_capacity(keys.len());
        for key in keys {
            owned.push(key.to_owned());
        }
        plan.push(Action::DeleteStorage { keys: owned });
    }
}

/// What `of` gives for each of `vendors`, in order. A loop of `append`s
/// rather than a `flat_map` and `collect` per use (fewer generic instances).
fn all_of<T>(vendors: &[&VendorEntry], of: impl Fn(&VendorEntry) -> Vec<T>) -> Vec<T> {
    let mut all = Vec::new();
    for vendor in vendors {
        all.append(&mut of(vendor));
    }
    all
}

/// Each item once, leaving out those still claimed.
fn unclaimed<T: PartialEq>(items: Vec<T>, claimed: &[T]) -> Vec<T> {
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
            vendors: None,
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
    fn an_embed_vendor_loads_nothing_when_granted_and_its_withdrawal_reloads() {
        let vendors = r#"{"type": "criteo", "accountId": "12345", "lifetime": "1 year"},
            {"type": "youtube", "lifetime": "8 months"}, {"type": "google-maps", "lifetime": "6 months"}"#;
        let mut s = Session::new(config_with("", vendors), Signals::default());
        s.start(Stored::Nothing, NOW);
        // YouTube alone, as its placeholder's "always allow" grants it.
        let plan = s.decide(Decision { vendors: Some(vec![false, true, false]), ..decision(Choices::NONE, NOW) });
        assert!(scripts(&plan).is_empty(), "an embed has no loader: {plan:?}");
        assert_eq!(s.markup_grants("en").allows("marketing:youtube"), Ok(true));
        assert_eq!(s.markup_grants("en").allows("marketing:google-maps"), Ok(false));
        assert_eq!(s.markup_grants("en").embeds.vendors.len(), 2);
        let plan = s.decide(Decision { vendors: Some(vec![true, true, true]), ..decision(Choices::ALL, NOW) });
        assert_eq!(scripts(&plan), ["https://dynamic.criteo.com/js/ld/ld.js?a=12345"], "Criteo's loader only");
        let plan = s.decide(decision(Choices::NONE, NOW));
        assert_eq!(plan.last(), Some(&Action::Reload), "the loaded embeds go: the page reloads");
    }

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
    fn a_new_marketing_vendor_asks_again_for_that_vendor_only() {
        let stored = stored_record(Choices::ALL, NOW);
        let more = format!(r#"{VENDORS}, {CRITEO}"#);
        let mut s = Session::new(config_with("", &more), Signals::default());
        let (plan, _) = s.start(Stored::Text(&stored), NOW + DAY);
        assert_eq!(asked(&plan), Some(AskReason::VendorsChanged(vec![Category::Marketing])));
        assert_eq!(s.choices(), Choices { analytics: true, marketing: false }, "marketing is mixed now");
        assert_eq!(s.grants().vendors, [true, true, true, false], "the earlier vendors' grants stand");
        assert_eq!(scripts(&plan), [GTAG, FBEVENTS], "Criteo waits for the answer");
        assert!(!s.decided());
    }

    const CRITEO: &str = r#"{"type": "criteo", "accountId": "12345", "lifetime": "1 year"}"#;
    const CRITEO_JS: &str = "https://dynamic.criteo.com/js/ld/ld.js?a=12345";

    /// A record of format version 1 or 2 granting `choices` under `config`.
    fn legacy_record(version: u32, choices: Choices, config: &Config) -> String {
        let explicit = if version == 1 { "" } else { r#""explicit":{"analytics":false,"marketing":false},"# };
        format!(
            r#"{{"v":{version},"id":"{ID}","givenAt":{NOW},"updatedAt":{NOW},"choices":{{"analytics":{},"marketing":{}}},{explicit}"revision":0,"fingerprints":{{"analytics":"{}","marketing":"{}"}},"source":"bar-accept","lang":"lv"}}"#,
            choices.analytics,
            choices.marketing,
            category_fingerprint(config, Category::Analytics),
            category_fingerprint(config, Category::Marketing),
        )
    }

    fn decide_vendors(s: &mut Session, vendors: &[bool], now_ms: i64) -> Vec<Action> {
        let mut d = decision(Choices::NONE, now_ms);
        d.vendors = Some(vendors.to_vec());
        d.source = Source::Preferences;
        d.by_name = Choices::ALL;
        s.decide(d)
    }

    #[test]
    fn allowing_criteo_but_not_facebook_loads_only_criteo() {
        let c = config_with("", &format!("{VENDORS}, {CRITEO}"));
        let mut s = Session::new(c, Signals::default());
        s.start(Stored::Nothing, NOW);
        let plan = decide_vendors(&mut s, &[false, false, false, true], NOW);
        assert_eq!(scripts(&plan), [CRITEO_JS]);
        assert_eq!(s.choices(), Choices::NONE, "marketing is mixed: not granted as a whole");
        let stored = s.record().map(ConsentRecord::encode).unwrap_or_default();
        assert!(
            stored.contains(r#""marketing":{"google-ads":[false,"#) && stored.contains(r#""criteo":[true,"#),
            "{stored}"
        );
        let mut next = Session::new(config_with("", &format!("{VENDORS}, {CRITEO}")), Signals::default());
        let (plan, problem) = next.start(Stored::Text(&stored), NOW + DAY);
        assert_eq!((problem, asked(&plan)), (None, None));
        assert_eq!(scripts(&plan), [CRITEO_JS], "the choice holds on the next page");
        assert_eq!(next.markup_grants("en").allows("marketing:criteo"), Ok(true));
        assert_eq!(next.markup_grants("en").allows("marketing:facebook-pixel"), Ok(false));
    }

    #[test]
    fn refusing_one_vendor_after_granting_all_deletes_its_cookies_only_and_reloads() {
        let mut s = Session::new(config(""), Signals::default());
        s.start(Stored::Nothing, NOW);
        s.decide(decision(Choices::ALL, NOW));
        let plan = decide_vendors(&mut s, &[true, true, false], NOW + 1);
        let deleted = deleted_cookies(&plan).join(" ");
        assert!(deleted.contains("\"_fbp\""), "{deleted}");
        assert!(!deleted.contains("_gcl_au"), "Google Ads stays granted: {deleted}");
        assert_eq!(plan.last(), Some(&Action::Reload), "the pixel ran on this page");
        assert!(plan.contains(&Action::Call(Call::command("fbq", ["consent".into(), "revoke".into()]))));
    }

    #[test]
    fn a_changed_vendor_is_asked_about_again_alone() {
        let stored = stored_record(Choices::ALL, NOW);
        let longer = VENDORS.replace("3 months", "6 months");
        let mut s = Session::new(config_with("", &longer), Signals::default());
        let (plan, _) = s.start(Stored::Text(&stored), NOW + DAY);
        assert_eq!(asked(&plan), Some(AskReason::VendorsChanged(vec![Category::Marketing])));
        assert_eq!(s.grants().vendors, [true, true, false]);
        let fewer = VENDORS.replace(
            r#",
        {"type": "facebook-pixel", "pixelId": "123456789012345", "lifetime": "3 months"}"#,
            "",
        );
        let mut s = Session::new(config_with("", &fewer), Signals::default());
        let (plan, _) = s.start(Stored::Text(&stored), NOW + DAY);
        assert_eq!(asked(&plan), None, "a vendor taken out needs no new question");
        assert_eq!(s.choices(), Choices::ALL);
    }

    #[test]
    fn a_version_2_grant_means_every_vendor_of_the_category() {
        let c = config("");
        let v2 = legacy_record(2, Choices { analytics: false, marketing: true }, &c);
        let mut s = Session::new(c, Signals::default());
        let (plan, problem) = s.start(Stored::Text(&v2), NOW + DAY);
        assert_eq!((problem, asked(&plan)), (None, None));
        assert_eq!(s.grants().vendors, [false, true, true]);
        assert!(s.decided());
        // Written back as version 3 at the next decision.
        s.decide(decision(Choices::ALL, NOW + DAY));
        assert!(s.record().map(ConsentRecord::encode).unwrap_or_default().starts_with("{\"v\":3,"));
        // A version 2 grant for vendors since changed asks about the category again, as before.
        let v2 = legacy_record(2, Choices::ALL, &config(""));
        let mut s = Session::new(config_with("", &format!("{VENDORS}, {CRITEO}")), Signals::default());
        let (plan, _) = s.start(Stored::Text(&v2), NOW + DAY);
        assert_eq!(asked(&plan), Some(AskReason::VendorsChanged(vec![Category::Marketing])));
        assert_eq!(s.grants().vendors, [true, false, false, false]);
    }

    #[test]
    fn consent_mode_follows_the_google_tags_allowed() {
        let c = config_with("", &format!("{VENDORS}, {CRITEO}"));
        let mut s = Session::new(c, Signals::default());
        s.start(Stored::Nothing, NOW);
        // GA4 and Criteo allowed, Google Ads and Facebook refused.
        let plan = decide_vendors(&mut s, &[true, false, false, true], NOW);
        let update = plan.iter().find_map(|a| match a {
            Action::Call(Call::Command { function: "gtag", args }) if args.get(1) == Some(&Arg::from("update")) => {
                args.get(2).cloned()
            }
            _ => None,
        });
        let expected = crate::core::json::parse(
            r#"{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied","analytics_storage":"granted"}"#,
        )
        .unwrap();
        assert_eq!(update, Some(Arg::Json(expected)), "Criteo's grant is not Google's");
        let configs: Vec<_> = plan
            .iter()
            .filter_map(|a| match a {
                Action::Call(Call::Command { function: "gtag", args })
                    if args.first() == Some(&Arg::from("config")) =>
                {
                    args.get(1).cloned()
                }
                _ => None,
            })
            .collect();
        assert_eq!(configs, [Arg::from("G-TEST1")], "the refused Ads tag is never configured");
        assert!(!plan.contains(&Action::Call(Call::command("fbq", ["consent".into(), "grant".into()]))));
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
        let fingerprints: Vec<&str> = r.vendors.iter().map(|v| v.fingerprint.as_str()).collect();
        let expected: Vec<String> = s.config().vendors.iter().map(vendor_fingerprint).collect();
        assert_eq!(fingerprints, expected);
        let keys: Vec<&str> = r.vendors.iter().map(|v| v.key.as_str()).collect();
        assert_eq!(keys, ["ga4", "google-ads", "facebook-pixel"]);
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
        let v1 = legacy_record(1, Choices::ALL, &config("")).replace("bar-accept", "preferences");
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
