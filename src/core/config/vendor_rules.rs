//! The rules of the vendor list: each entry's common fields here, its
//! type's own in its module under `crate::vendors`.

use super::address::{visible, web_address_problem, AddressProblem, HTTP_SCHEMES};
use super::check::{kind_of, Check};
use super::fields::COMMON_VENDOR_FIELDS;
use super::rules::{read_lifetime, read_localized};
use super::*;
use crate::core::json::{self, Value};
use crate::core::json_spans::member;
use crate::core::own_names;
use crate::core::suggest::closest;
use crate::vendors::{self, CookieName, REGISTRY};

pub(super) fn check_vendors(
    list: Vec<Value>,
    languages: &[String],
    storage: &StorageSettings,
    check: &mut Check,
) -> Vec<VendorEntry> {
    let own_names = own_names(storage);
    let mut blamed_fields = Vec::new();
    let mut entries: Vec<VendorEntry> = Vec::new();
    let mut places = Vec::new();
    for (i, value) in list.into_iter().enumerate() {
        let path = format!("vendors[{i}]");
        // The misspellings found in this vendor go with it: see `Check::misspelt`.
        let outer = check.misspelt.len();
        let entry = vendor_entry(value, &path, languages, check);
        if let Some(entry) = &entry {
            check_own_names_untouched(entry, &path, &own_names, &mut blamed_fields, check);
        }
        check.misspelt.truncate(outer);
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
pub(super) fn report_vendors_listed_twice(entries: &[VendorEntry], places: &[usize], check: &mut Check) {
    // The type by its place in the registry, the id as written.
    let key_at = |i: usize| {
        let tag = &entries.get(i)?.tag;
        Some((REGISTRY.iter().position(|t| t.kind == tag.kind())?, tag.id()))
    };
    let mut repeats = Vec::new();
    json::KeyIndex::new(entries.len(), &key_at, &mut |_, again| repeats.push(again));
    for again in repeats {
        let (Some(entry), Some(place)) = (entries.get(again), places.get(again)) else { continue };
        check.at(
            &format!("vendors[{place}]"),
            format!("{} '{}' is listed twice; remove one of the two entries", entry.tag.kind(), entry.tag.id()),
        );
    }
}

/// The names consent-gate itself keeps in the browser: those made from
/// `storage.key` (see `core::own_names`), then the mirror cookie if any.
pub(super) fn own_names(storage: &StorageSettings) -> Vec<String> {
    let mut names = Vec::from(own_names::all(&storage.key));
    if let Some(mirror) = &storage.cookie {
        names.push(mirror.name.clone());
    }
    names
}

/// The number of `own_names` that come from `storage.key`; the mirror's follows.
pub(super) const NAMES_FROM_KEY: usize = own_names::COUNT;

/// A vendor's cookies and storage keys are deleted when its category is
/// refused: none may match a name consent-gate keeps, or the refusal would
/// delete the choice itself. Cookie names the config gives (`script`
/// vendors) are blamed where written; a built-in vendor's names are fixed,
/// so the storage field is blamed, once (`blamed_fields`).
pub(super) fn check_own_names_untouched(
    entry: &VendorEntry,
    path: &str,
    own_names: &[String],
    blamed_fields: &mut Vec<&'static str>,
    check: &mut Check,
) {
    let mut names = entry.tag.cookies();
    // Only a `script` vendor's cookie names are written in the config.
    let written_in_config = if entry.tag.kind() == "script" { names.len() } else { 0 };
    for key in entry.tag.storage_keys() {
        names.push(CookieName::exact(key));
    }
    for (j, pattern) in names.iter().enumerate() {
        let Some(hit) = own_names.iter().position(|own| pattern.matches(own)) else { continue };
        let (field, name) = match hit < NAMES_FROM_KEY {
            true => ("storage.key", own_names.first()),
            false => ("storage.cookie.name", own_names.get(hit)),
        };
        let name = name.map_or("", String::as_str);
        let pattern = pattern.as_written();
        if j < written_in_config {
            check.at(
                &format!("{path}.cookies[{j}]"),
                format!("'{pattern}' also matches consent-gate's own '{name}' ({field}), so refusing this vendor would delete the visitor's choice with it; name this vendor's cookies more narrowly"),
            );
        } else if !blamed_fields.contains(&field) {
            blamed_fields.push(field);
            let vendor = entry.tag.display_name();
            check.at(
                field,
                format!("'{name}' is a name {vendor} uses too ('{pattern}'), so refusing {vendor} would delete the visitor's choice with it; pick another name, like \"consent-gate\""),
            );
        }
    }
}

/// Builds one vendor entry: the common fields here, the type's own in its module.
pub(super) fn vendor_entry(value: Value, path: &str, languages: &[String], check: &mut Check) -> Option<VendorEntry> {
    let mut fields = check.object(
        value,
        path,
        "an object like {\"type\": \"ga4\", \"measurementId\": \"G-…\", \"lifetime\": \"180 days\"}",
    )?;
    let kinds: Vec<&str> = REGISTRY.iter().map(|t| t.kind).collect();
    let type_path = member(path, "type");
    let kind = match fields.remove("type") {
        Some(Value::String(kind)) => kind,
        Some(other) => {
            check.at(&type_path, format!("is {}, but must be one of {}", kind_of(&other), kinds.join(", ")));
            return None;
        }
        None => {
            check.at(&type_path, format!("is missing; set it to one of {}", kinds.join(", ")));
            return None;
        }
    };
    let Some(vendor_type) = vendors::vendor_type(&kind) else {
        let hint = likely_vendor_type(&kind, &kinds).map(|k| format!(" (did you mean \"{k}\"?)")).unwrap_or_default();
        check.at(&type_path, format!("'{kind}' is not a vendor type; use one of {}{hint}", kinds.join(", ")));
        return None;
    };
    let known: Vec<&str> = COMMON_VENDOR_FIELDS.iter().chain(vendor_type.fields).copied().collect();
    check.unknown_keys(&mut fields, path, &known);
    let category = fields.remove("category");
    let lifetime = fields.remove("lifetime");
    let privacy_url = fields.remove("privacyUrl");
    let purpose = fields.remove("purpose");

    let tag = (vendor_type.build)(fields)
        .map_err(|e| {
            let field_path = if e.field.is_empty() { path.to_owned() } else { member(path, &e.field) };
            let message = if e.message.starts_with("missing field") {
                format!("is missing; the {kind} vendor type needs it")
            } else {
                e.message
            };
            check.at(&field_path, message);
        })
        .ok();
    let lifetime_path = member(path, "lifetime");
    let lifetime = match lifetime {
        Some(value) => read_lifetime(value, &lifetime_path, check),
        None => {
            check.at(&lifetime_path, "is missing; copy the cookie lifetime from the cookie policy, like \"13 months\"");
            None
        }
    };
    let purpose = purpose.and_then(|v| read_localized(v, &member(path, "purpose"), languages, true, check));
    let tag = tag?;
    let category = vendor_category(category, tag.default_category(), &member(path, "category"), check);
    let privacy_url = vendor_privacy_url(privacy_url, tag.default_privacy_url(), &member(path, "privacyUrl"), check);
    Some(VendorEntry { tag, category: category?, lifetime: lifetime?, privacy_url: privacy_url?, purpose })
}

/// The type a person most likely meant: a typo, or the product's common name.
pub(super) fn likely_vendor_type<'a>(word: &str, kinds: &[&'a str]) -> Option<&'a str> {
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

pub(super) fn vendor_category(
    value: Option<Value>,
    default: Option<Category>,
    path: &str,
    check: &mut Check,
) -> Option<Category> {
    let name: Option<String> = match value {
        Some(v) => Some(check.typed(v, path, "analytics or marketing, in quotes")?),
        None => None,
    };
    let category = match (name.as_deref(), default) {
        (Some(name), _) => match Category::parse(name) {
            Some(Category::Necessary) => Err("'necessary' needs no consent, so a tag there would be loaded without asking; use analytics or marketing".to_owned()),
            Some(c) => Ok(c),
            None => {
                let hint = closest(name, ["analytics", "marketing"]).map(|c| format!(" (did you mean \"{c}\"?)")).unwrap_or_default();
                Err(format!("'{name}' is not a category; use analytics or marketing{hint}"))
            }
        },
        (None, Some(c)) => Ok(c),
        (None, None) => Err("is missing; say whether this tag is analytics or marketing".to_owned()),
    };
    category.map_err(|why| check.at(path, why)).ok()
}

pub(super) fn vendor_privacy_url(
    value: Option<Value>,
    default: Option<&str>,
    path: &str,
    check: &mut Check,
) -> Option<String> {
    let url: Option<String> = match value {
        Some(v) => Some(check.typed(v, path, "the address of the vendor's privacy notice, in quotes")?),
        None => default.map(str::to_owned),
    };
    let Some(url) = url else {
        check.at(path, "is missing; give the address of this vendor's privacy notice");
        return None;
    };
    match web_address_problem(&url, HTTP_SCHEMES) {
        None => Some(url),
        Some(AddressProblem::OtherScheme) => {
            check.at(
                path,
                format!("'{}' is not an http(s) address; copy the address starting with https://", visible(&url)),
            );
            None
        }
        Some(problem) => {
            check.at(path, format!("'{}' {}", visible(&url), problem.explain()));
            None
        }
    }
}
