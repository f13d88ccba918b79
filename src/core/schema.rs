//! The JSON Schema of consent.json, generated from the config's Rust types
//! (host only: the checker CLI and the tests use it; the wasm never carries
//! it). Editors use it for completion and inline errors; the checker remains
//! the judge, since some rules (duplicates, translations) are beyond a schema.

use super::config::ConfigFile;
use super::i18n::{built_in, Key};
use crate::vendors::{registry, schema::own_fields, FieldError};
use schemars::{generate::SchemaSettings, json_schema, transform::RecursiveTransform, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

/// The command that rewrites the committed schema.
pub const REGENERATE: &str = "cargo run --bin consent-gate -- schema > www/consent.schema.json";

/// The schema as it is committed in www/consent.schema.json.
pub fn config_schema_text() -> String {
    let settings = SchemaSettings::draft07()
        .with_transform(RecursiveTransform(integer_bounds_for_formats))
        .with_transform(RecursiveTransform(no_null_default));
    let schema = settings.into_generator().into_root_schema_for::<ConfigFile>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// schemars marks a Rust integer with a `format` of its own ("uint32"),
/// which no validator knows: ajv in strict mode refuses to compile a schema
/// with it. The range it stands for is said in standard keywords instead.
fn integer_bounds_for_formats(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else { return };
    let bounds = match object.get("format").and_then(Value::as_str) {
        Some("uint8") => (0, u64::from(u8::MAX)),
        Some("uint16") => (0, u64::from(u16::MAX)),
        Some("uint32") => (0, u64::from(u32::MAX)),
        _ => return,
    };
    object.remove("format");
    object.entry("minimum").or_insert(json!(bounds.0));
    object.entry("maximum").or_insert(json!(bounds.1));
}

/// `null` as the default of an optional field (one left out): the checker
/// refuses a `null` written in the file, so it is no value to suggest.
fn no_null_default(schema: &mut Schema) {
    if let Some(object) = schema.as_object_mut().filter(|o| o.get("default") == Some(&Value::Null)) {
        object.remove("default");
    }
}

/// The unit in any case, as the checker reads it ("13 Months" too).
const LIFETIME_PATTERN: &str =
    "^\\s*[1-9][0-9]*\\s+([Dd][Aa][Yy][Ss]?|[Mm][Oo][Nn][Tt][Hh][Ss]?|[Yy][Ee][Aa][Rr][Ss]?)\\s*$";
/// `storage.key` and `storage.cookie.name`: they may become cookie names.
pub const COOKIE_NAME_PATTERN: &str = "^[A-Za-z0-9._-]+$";
/// `storage.cookie.domain`: a bare ASCII domain name of two labels or more
/// (a leading dot is dropped).
pub const DOMAIN_PATTERN: &str =
    "^\\.?(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$";
// What Rust's `char::is_whitespace` and `is_control` find, and '\': no
// address may hold one.
const NOT_IN_ADDRESSES: &str = r"[\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\\]";

/// The part after the scheme of an absolute address, as the checker's
/// `web_address_problem` has it: a host of two or more dot-separated labels
/// (letters, digits, '-', or letters beyond ASCII) and an optional port (no
/// user name before an '@'), then a path, query or fragment.
fn after_scheme() -> String {
    // A letter or digit, ASCII or not; and the same or '-'.
    const C: &str = r"[^\x00-\x2F\x3A-\x40\x5B-\x60\x7B-\x7F]";
    const C_OR_HYPHEN: &str = r"[^\x00-\x2C\x2E\x2F\x3A-\x40\x5B-\x60\x7B-\x7F]";
    let label = format!("(?:{C}|{C}{C_OR_HYPHEN}{{0,61}}{C})");
    format!(r"(?=[^/?#:]{{1,253}}(?:[/?#:]|$)){label}(?:\.{label})+(?::[0-9]{{1,5}})?(?:[/?#].*)?")
}

/// An absolute address starting with `scheme` (a regex: "https" or
/// "https?"), with no space, control character or backslash anywhere.
pub fn web_address_pattern(scheme: &str) -> String {
    format!(r"^(?![\s\S]*{NOT_IN_ADDRESSES}){scheme}://{}$", after_scheme())
}

/// An http(s) address, or a path on this site starting with a single `/`.
fn site_or_web_address() -> Value {
    let pattern = format!(r"^(?![\s\S]*{NOT_IN_ADDRESSES})(?:https?://{}|/(?!/).*)$", after_scheme());
    json!({"type": "string", "pattern": pattern})
}

/// `receipts.url`: the collector's address, as `policy.url` is checked.
pub fn receipts_url(_: &mut SchemaGenerator) -> Schema {
    Schema::try_from(site_or_web_address()).unwrap_or_default()
}

/// `policy.url`, once or per language: an http(s) address, or a path on
/// this site starting with a single `/`.
pub fn policy_url(_: &mut SchemaGenerator) -> Schema {
    let address = site_or_web_address();
    json_schema!({
        "anyOf": [address, {"type": "object", "propertyNames": {"pattern": LANGUAGE_PATTERN}, "additionalProperties": address}]
    })
}

/// Text shown to visitors: plain text, never markup.
const PLAIN_TEXT_PATTERN: &str = "^[^<]*$";
const LANGUAGE_PATTERN: &str = "^[a-z]{2,3}$";

/// A declared lifetime: "180 days", "13 months", "1 year".
pub fn lifetime(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "title": "lifetime",
        "type": "string",
        "pattern": LIFETIME_PATTERN,
        "description": "A number and a unit: days, months or years, as the cookie policy states it (at most 10 years).",
        "examples": ["180 days", "13 months", "1 year"]
    })
}

pub fn language(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "string", "pattern": LANGUAGE_PATTERN, "description": "A language code, like \"lv\"."})
}

pub fn languages(generator: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "array",
        "items": language(generator),
        "minItems": 1,
        "maxItems": crate::core::config::MAX_LANGUAGES,
        "uniqueItems": true,
        "default": ["lv", "ru", "en"]
    })
}

/// The `$schema` field, which the checker lets be `null`.
pub fn schema_address(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": ["string", "null"], "description": "The JSON Schema of this file, for editors: \"./consent.schema.json\"."})
}

/// A vendor's purpose, once or per language: plain text.
fn purpose() -> Value {
    let text = json!({"type": "string", "pattern": PLAIN_TEXT_PATTERN});
    json!({
        "description": "What the vendor does for the site, shown in the settings: once, or per language code like {\"lv\": \"…\", \"en\": \"…\"}.",
        "anyOf": [text, {"type": "object", "additionalProperties": text}]
    })
}

/// Per language, the texts by name; lv, ru and en have built-in ones. Each
/// text's description is its built-in English wording.
pub fn texts(_: &mut SchemaGenerator) -> Schema {
    let names: Map<String, Value> = Key::ALL
        .iter()
        .map(|&k| {
            let english = built_in("en", k).unwrap_or_default();
            let given = if Key::OPTIONAL.contains(&k) {
                "Optional for a language without built-in texts (English then)"
            } else {
                "Required for a language without built-in texts"
            };
            let description = format!("{given}. Built in, in English: \"{english}\"");
            (k.name().to_owned(), json!({"type": "string", "pattern": PLAIN_TEXT_PATTERN, "description": description}))
        })
        .collect();
    json_schema!({
        "type": "object",
        "propertyNames": {"pattern": LANGUAGE_PATTERN},
        "additionalProperties": {"type": "object", "properties": names, "additionalProperties": false}
    })
}

/// One schema per vendor type, told apart by the `type` constant.
pub fn vendors(_: &mut SchemaGenerator) -> Schema {
    let one_of: Vec<Value> = registry::<FieldError>().iter().map(|t| vendor(t.kind)).collect();
    json_schema!({"type": "array", "items": {"oneOf": one_of}})
}

fn vendor(kind: &str) -> Value {
    let (own, required) = own_fields(kind).unwrap_or_default();
    let known = known_vendor(kind);
    let mut category = json!({"enum": ["analytics", "marketing"], "description": "Which consent loads this tag."});
    let mut privacy_url = json!({"type": "string", "pattern": web_address_pattern("https?"), "description": "The vendor's privacy notice."});
    if let Some(known) = &known {
        category["default"] = json!(known.category);
        privacy_url["default"] = json!(known.privacy_url);
    }
    let mut properties = json!({
        "type": {"const": kind, "description": "The vendor type."},
        "category": category,
        "lifetime": lifetime(&mut SchemaGenerator::default()),
        "privacyUrl": privacy_url,
        "purpose": purpose(),
    });
    if let (Some(common), Value::Object(own)) = (properties.as_object_mut(), own) {
        common.extend(own);
    }
    let mut required: Vec<&str> = required;
    required.extend(["type", "lifetime"]);
    let embed = crate::vendors::embed::embed(kind);
    let description = match (&known, embed) {
        (_, Some(embed)) => format!(
            "{}: a click-to-load embed. Its iframes (data-consent=\"{}:{kind}\", data-src) show a placeholder until the visitor loads one; nothing else loads for it. {} sets its own cookies on {} ({}).",
            embed.name,
            known.as_ref().map_or("marketing", |k| k.category),
            embed.name,
            embed.domain(),
            embed.cookies().join(", ")
        ),
        (Some(known), _) => format!(
            "{}: the library knows its loader, its set-up calls and its first-party cookies ({}, for the example id).",
            known.name,
            known.cookies.join(", ")
        ),
        (None, None) => "Any other tag: its script address, the name visitors see and the first-party cookies it writes; its category and privacy notice must be given.".to_owned(),
    };
    json!({
        "title": kind,
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false
    })
}

/// What the library knows of a vendor type (read from one built with the
/// example id), for the schema's descriptions and defaults.
struct KnownVendor {
    name: String,
    category: &'static str,
    privacy_url: &'static str,
    cookies: Vec<String>,
}

fn known_vendor(kind: &str) -> Option<KnownVendor> {
    let vendor = crate::vendors::schema::example_vendor(kind)?;
    Some(KnownVendor {
        name: vendor.display_name(),
        category: vendor.default_category()?.as_str(),
        privacy_url: vendor.default_privacy_url()?,
        cookies: vendor.cookies().iter().map(|c| c.as_written()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::COMMON_VENDOR_FIELDS;

    #[test]
    fn the_committed_schema_is_current() {
        let committed = include_str!("../../www/consent.schema.json");
        assert!(
            committed == config_schema_text(),
            "www/consent.schema.json is out of date with the Rust types; regenerate it with `{REGENERATE}`"
        );
    }

    #[test]
    fn every_vendor_schema_takes_the_common_fields_and_its_own() {
        let schema: Value = serde_json::from_str(&config_schema_text()).unwrap();
        let one_of = schema.pointer("/properties/vendors/items/oneOf").and_then(Value::as_array).unwrap();
        assert_eq!(one_of.len(), registry::<FieldError>().len());
        for (entry, t) in one_of.iter().zip(registry::<FieldError>()) {
            assert_eq!(entry.pointer("/properties/type/const"), Some(&json!(t.kind)));
            assert_eq!(entry["additionalProperties"], json!(false));
            for field in COMMON_VENDOR_FIELDS.iter().chain(t.fields) {
                assert!(entry["properties"].get(field).is_some(), "{}.{field}", t.kind);
            }
        }
    }

    #[test]
    fn every_object_has_the_fields_the_checker_reads() {
        use crate::core::config::{
            CONSENT_FIELDS, COOKIE_MIRROR_FIELDS, POLICY_FIELDS, STORAGE_FIELDS, TOP_LEVEL_FIELDS, UI_FIELDS,
        };
        let schema: Value = serde_json::from_str(&config_schema_text()).unwrap();
        let objects: [(&str, &[&str]); 6] = [
            ("", &TOP_LEVEL_FIELDS),
            ("/definitions/Policy", &POLICY_FIELDS),
            ("/definitions/ConsentLifetimes", &CONSENT_FIELDS),
            ("/definitions/StorageSettings", &STORAGE_FIELDS),
            ("/definitions/CookieMirror", &COOKIE_MIRROR_FIELDS),
            ("/definitions/UiSettings", &UI_FIELDS),
        ];
        for (pointer, fields) in objects {
            let properties = schema.pointer(&format!("{pointer}/properties")).and_then(Value::as_object).unwrap();
            let mut in_schema: Vec<&str> = properties.keys().map(String::as_str).collect();
            let mut read = fields.to_vec();
            in_schema.sort();
            read.sort();
            assert_eq!(in_schema, read, "{pointer}");
        }
    }
}
