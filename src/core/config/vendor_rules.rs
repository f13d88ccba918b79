//! The rules of the vendor list: each entry's common fields here, its
//! type's own in its module under `crate::vendors`.

use super::address::{visible, web_address_problem, AddressProblem, HTTP_SCHEMES};
use super::check::{Check, Report};
use super::diagnostics::kind_of;
use super::fields::*;
use super::path::Path;
use super::rules::{read_lifetime, read_localized};
use super::*;
use crate::core::json::{self, Value};
use crate::core::own_names;
use crate::core::suggest::closest;
use crate::vendors::{self, CookieName, VendorType};

pub(super) fn check_vendors<R: Report>(
    list: Vec<Value>,
    languages: &[String],
    storage: &StorageSettings,
    check: &mut Check<R>,
) -> Vec<VendorEntry> {
    let at = Path::ROOT.key(VENDORS);
    let own_names = own_names(storage);
    let mut blamed = Vec::new();
    let mut entries: Vec<VendorEntry> = Vec::new();
    let mut places = Vec::new();
    for (i, value) in list.into_iter().enumerate() {
        let entry_at = at.item(i);
        let entry = check.scoped(|check| {
            let entry = vendor_entry(value, &entry_at, languages, check)?;
            check_own_names_untouched(&entry, &entry_at, &own_names, &mut blamed, check);
            Some(entry)
        });
        if let Some(entry) = entry {
            entries.push(entry);
            places.push(i);
        }
    }
    report_vendors_listed_twice(&entries, &places, check);
    entries
}

/// Every vendor listed again with the same type and id, at each later entry.
/// `places`: each entry's index in `vendors`. Found through a hash table, so
/// a long list takes linear time, not a comparison of every pair.
fn report_vendors_listed_twice<R: Report>(entries: &[VendorEntry], places: &[usize], check: &mut Check<R>) {
    let types = vendors::registry::<R::FieldProblem>();
    // The type by its place in the registry, the id as written.
    let key_at = |i: usize| {
        let tag = &entries.get(i)?.tag;
        Some((types.iter().position(|t| t.kind == tag.kind())?, tag.id()))
    };
    let mut repeats = Vec::new();
    json::KeyIndex::new(entries.len(), &key_at, &mut |_, again| repeats.push(again));
    for again in repeats {
        let (Some(entry), Some(place)) = (entries.get(again), places.get(again)) else { continue };
        check.at(&Path::ROOT.key(VENDORS).item(*place), || match entry.tag.id() {
            // An embed type has no id: one entry per provider.
            "" => format!("{} is listed twice; remove one of the two entries", entry.tag.kind()),
            id => format!("{} '{id}' is listed twice; remove one of the two entries", entry.tag.kind()),
        });
    }
}

/// The names consent-gate itself keeps in the browser: those made from
/// `storage.key` (see `core::own_names`), then the mirror cookie if any.
fn own_names(storage: &StorageSettings) -> Vec<String> {
    let mut names = Vec::from(own_names::all(&storage.key));
    if let Some(mirror) = &storage.cookie {
        names.push(mirror.name.clone());
    }
    names
}

/// The number of `own_names` that come from `storage.key`; the mirror's follows.
const NAMES_FROM_KEY: usize = own_names::COUNT;

/// The field a name consent-gate keeps is made from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OwnNameSource {
    StorageKey,
    MirrorName,
}

/// A vendor's cookies and storage keys are deleted when its category is
/// refused: none may match a name consent-gate keeps, or the refusal would
/// delete the choice itself. Cookie names the config gives (`script`
/// vendors) are blamed where written; a built-in vendor's names are fixed,
/// so the storage field is blamed, once (`blamed`).
fn check_own_names_untouched<R: Report>(
    entry: &VendorEntry,
    at: &Path,
    own_names: &[String],
    blamed: &mut Vec<OwnNameSource>,
    check: &mut Check<R>,
) {
    let storage_at = Path::ROOT.key(STORAGE);
    let mirror_at = storage_at.key(COOKIE);
    let mut names = entry.tag.cookies();
    // Only a `script` vendor's cookie names are written in the config.
    let written_in_config = if entry.tag.kind() == SCRIPT { names.len() } else { 0 };
    for key in entry.tag.storage_keys() {
        names.push(CookieName::exact(key));
    }
    for (j, pattern) in names.iter().enumerate() {
        let Some(hit) = own_names.iter().position(|own| pattern.matches(own)) else { continue };
        let (source, field_at, name) = match hit < NAMES_FROM_KEY {
            true => (OwnNameSource::StorageKey, storage_at.key(KEY), own_names.first()),
            false => (OwnNameSource::MirrorName, mirror_at.key(NAME), own_names.get(hit)),
        };
        let name = name.map_or("", String::as_str);
        if j < written_in_config {
            check.at(&at.key("cookies").item(j), || {
                format!("'{}' also matches consent-gate's own '{name}' ({}), so refusing this vendor would delete the visitor's choice with it; name this vendor's cookies more narrowly", pattern.as_written(), field_at.written())
            });
        } else if !blamed.contains(&source) {
            blamed.push(source);
            check.at(&field_at, || {
                let vendor = entry.tag.display_name();
                format!("'{name}' is a name {vendor} uses too ('{}'), so refusing {vendor} would delete the visitor's choice with it; pick another name, like \"consent-gate\"", pattern.as_written())
            });
        }
    }
}

/// Builds one vendor entry: the common fields here, the type's own in its module.
fn vendor_entry<R: Report>(value: Value, at: &Path, languages: &[String], check: &mut Check<R>) -> Option<VendorEntry> {
    let mut fields = check.object(value, at, || {
        "an object like {\"type\": \"ga4\", \"measurementId\": \"G-…\", \"lifetime\": \"180 days\"}"
    })?;
    let Some(vendor_type) = read_vendor_type::<R>(fields.remove(TYPE), &at.key(TYPE), check) else {
        // Without a known type its own fields cannot be judged; the common
        // ones still are, so a misspelt type hides no other problem. (The
        // lean check has its verdict already.)
        if !R::LISTS {
            return None;
        }
        read_vendor_lifetime(fields.remove(LIFETIME), &at.key(LIFETIME), check);
        if let Some(purpose) = fields.remove(PURPOSE) {
            read_localized(purpose, &at.key(PURPOSE), languages, true, check);
        }
        vendor_category(fields.remove(CATEGORY), Some(Category::Marketing), &at.key(CATEGORY), check);
        vendor_privacy_url(fields.remove(PRIVACY_URL), Some(ANY_PRIVACY_URL), &at.key(PRIVACY_URL), check);
        return None;
    };
    let known: Vec<&str> = COMMON_VENDOR_FIELDS.iter().chain(vendor_type.fields).copied().collect();
    check.unknown_keys(&mut fields, at, &known);
    let category = fields.remove(CATEGORY);
    let lifetime = fields.remove(LIFETIME);
    let privacy_url = fields.remove(PRIVACY_URL);
    let purpose = fields.remove(PURPOSE);

    if vendor_type.kind != SCRIPT {
        refuse_spaces_in_ids(&mut fields, vendor_type.fields, at, check);
    }
    let tag = (vendor_type.build)(fields).map_err(|problem| check.report.vendor_field(problem, at, vendor_type.kind));
    let lifetime = read_vendor_lifetime(lifetime, &at.key(LIFETIME), check);
    let purpose = purpose.and_then(|v| read_localized(v, &at.key(PURPOSE), languages, true, check));
    // The other fields are checked even when the type's own were refused, so
    // one problem never hides another. Every built-in type has a category and
    // a privacy notice of its own; a `script` vendor needs both given.
    let (default_category, default_privacy_url) = match &tag {
        Ok(tag) => (tag.default_category(), tag.default_privacy_url()),
        // The entry is refused: the lean check has its verdict.
        Err(_) if !R::LISTS => return None,
        Err(_) if vendor_type.kind == SCRIPT => (None, None),
        Err(_) => (Some(Category::Marketing), Some(ANY_PRIVACY_URL)),
    };
    let category = vendor_category(category, default_category, &at.key(CATEGORY), check);
    let privacy_url = vendor_privacy_url(privacy_url, default_privacy_url, &at.key(PRIVACY_URL), check);
    Some(VendorEntry { tag: tag.ok()?, category: category?, lifetime: lifetime?, privacy_url: privacy_url?, purpose })
}

/// A default that stands in for a type's own where the entry is refused
/// anyway: only whether a given `category` or `privacyUrl` is valid counts.
const ANY_PRIVACY_URL: &str = "https://policies.google.com/privacy";

/// The generic vendor type, whose fields are a name, an address and cookie
/// names rather than ids.
const SCRIPT: &str = "script";

/// An id pasted with spaces (" AW-123 ", "G-ABC 123") is refused with a
/// message that says to remove them; the id without them is then checked as
/// the type checks it, so what else is wrong with it is reported too.
fn refuse_spaces_in_ids<R: Report>(fields: &mut json::Object, ids: &[&str], at: &Path, check: &mut Check<R>) {
    // No id format allows a space, so the lean check's verdict is the
    // type's own refusal: only the full report needs this one's message.
    if !R::LISTS {
        return;
    }
    // Spaces, and the invisible ones a copy from a web page or Word brings.
    let spaced = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{A0}' | '\u{200B}' | '\u{202F}' | '\u{FEFF}');
    for name in ids {
        let Some(Value::String(id)) = fields.get(name) else { continue };
        if !id.contains(spaced) {
            continue;
        }
        let id = id.clone();
        let without: String = id.chars().filter(|c| !spaced(*c)).collect();
        check.at(&at.key(name), || format!("'{}' contains spaces; remove the spaces: \"{without}\"", visible(&id)));
        fields.insert((*name).to_owned(), Value::String(without));
    }
}

/// The vendor type named by `type` (at `at`).
fn read_vendor_type<R: Report>(
    value: Option<Value>,
    at: &Path,
    check: &mut Check<R>,
) -> Option<&'static VendorType<R::FieldProblem>> {
    let kind = match value {
        Some(Value::String(kind)) => kind,
        Some(other) => {
            check.at(at, || format!("is {}, but must be one of {}", kind_of(&other), kinds::<R>().join(", ")));
            return None;
        }
        None => {
            check.at(at, || format!("is missing; set it to one of {}", kinds::<R>().join(", ")));
            return None;
        }
    };
    let vendor_type = vendors::vendor_type(&kind);
    if vendor_type.is_none() {
        check.at(at, || {
            let kinds = kinds::<R>();
            let hint =
                likely_vendor_type(&kind, &kinds).map(|k| format!(" (did you mean \"{k}\"?)")).unwrap_or_default();
            format!("'{kind}' is not a vendor type; use one of {}{hint}", kinds.join(", "))
        });
    }
    vendor_type
}

/// Every vendor type's name, for a message.
fn kinds<R: Report>() -> Vec<&'static str> {
    vendors::registry::<R::FieldProblem>().iter().map(|t| t.kind).collect()
}

fn read_vendor_lifetime<R: Report>(value: Option<Value>, at: &Path, check: &mut Check<R>) -> Option<Lifetime> {
    match value {
        Some(value) => read_lifetime(value, at, check),
        None => {
            check.at(at, || {
                "is missing; copy the cookie lifetime from the cookie policy, like \"13 months\"".to_owned()
            });
            None
        }
    }
}

/// The type a person most likely meant: a typo, or the product's common name.
fn likely_vendor_type<'a>(word: &str, kinds: &[&'a str]) -> Option<&'a str> {
    const COMMON_NAMES: [(&str, &str); 8] = [
        ("google-analytics", "ga4"),
        ("analytics", "ga4"),
        ("adwords", "google-ads"),
        ("floodlight", "google-marketing-platform"),
        ("campaign-manager", "google-marketing-platform"),
        ("facebook", "facebook-pixel"),
        ("meta-pixel", "facebook-pixel"),
        ("meta", "facebook-pixel"),
    ];
    let lower = word.to_ascii_lowercase();
    let meant = COMMON_NAMES.iter().find(|(name, _)| *name == lower).map(|(_, kind)| *kind);
    let meant = meant.or_else(|| closest(word, kinds.iter().copied()))?;
    kinds.iter().copied().find(|k| *k == meant)
}

fn vendor_category<R: Report>(
    value: Option<Value>,
    default: Option<Category>,
    at: &Path,
    check: &mut Check<R>,
) -> Option<Category> {
    let name: Option<String> = match value {
        Some(v) => Some(check.typed(v, at, || "analytics or marketing, in quotes")?),
        None => None,
    };
    let Some(name) = name else {
        if default.is_none() {
            check.at(at, || "is missing; say whether this tag is analytics or marketing".to_owned());
        }
        return default;
    };
    match Category::parse(&name) {
        Some(Category::Necessary) => {
            check.at(at, || "'necessary' needs no consent, so a tag there would be loaded without asking; use analytics or marketing".to_owned());
            None
        }
        Some(category) => Some(category),
        None => {
            check.at(at, || {
                let hint = closest(&name, ["analytics", "marketing"])
                    .map(|c| format!(" (did you mean \"{c}\"?)"))
                    .unwrap_or_default();
                format!("'{name}' is not a category; use analytics or marketing{hint}")
            });
            None
        }
    }
}

fn vendor_privacy_url<R: Report>(
    value: Option<Value>,
    default: Option<&str>,
    at: &Path,
    check: &mut Check<R>,
) -> Option<String> {
    let url: Option<String> = match value {
        Some(v) => Some(check.typed(v, at, || "the address of the vendor's privacy notice, in quotes")?),
        None => default.map(str::to_owned),
    };
    let Some(url) = url else {
        check.at(at, || "is missing; give the address of this vendor's privacy notice".to_owned());
        return None;
    };
    match web_address_problem(&url, HTTP_SCHEMES) {
        None => Some(url),
        Some(AddressProblem::OtherScheme) => {
            check.at(at, || {
                format!("'{}' is not an http(s) address; copy the address starting with https://", visible(&url))
            });
            None
        }
        Some(problem) => {
            check.at(at, || format!("'{}' {}", visible(&url), problem.explain()));
            None
        }
    }
}
