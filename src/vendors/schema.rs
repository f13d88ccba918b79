//! The JSON Schema of each vendor type's own fields (host only: it feeds the
//! generated consent.schema.json and adds nothing to the wasm). The patterns
//! say in the schema's terms what each type's `build` accepts; a test checks
//! the two agree.

use serde_json::{json, Value};

/// A digit-only id of `min` to `max` digits, which may also be written as a
/// JSON number (one of as many digits: a number has no leading zeros).
fn digits(min: u32, max: u32, description: &str, example: &str) -> Value {
    json!({
        "description": description,
        "examples": [example],
        "anyOf": [
            {"type": "string", "pattern": format!("^[0-9]{{{min},{max}}}$")},
            {"type": "integer", "minimum": 10_u64.pow(min - 1), "maximum": 10_u64.pow(max) - 1}
        ]
    })
}

fn google_id(pattern: &str, description: &str, example: &str) -> Value {
    json!({"type": "string", "pattern": pattern, "description": description, "examples": [example]})
}

/// A cookie name of visible ASCII without `; , = * " \`, or a prefix of at
/// least 3 such characters ending in `*` (a shorter one would match the
/// site's own cookies).
pub const COOKIE_PATTERN: &str = r#"^([!#-)+\-:<>-\[\]-~]+|[!#-)+\-:<>-\[\]-~]{3,}\*)$"#;

/// The type's own fields as schema properties, and which of them are required.
pub fn own_fields(kind: &str) -> Option<(Value, Vec<&'static str>)> {
    let fields = match kind {
        "ga4" => (
            json!({"measurementId": google_id("^G-[A-Z0-9]{1,16}$", "The GA4 measurement id (not a retired UA- id).", "G-XXXXXXXXXX")}),
            vec!["measurementId"],
        ),
        "google-ads" => (
            json!({"conversionId": google_id("^AW-[0-9]{6,12}$", "The Google Ads tag id, without any '/label' part.", "AW-123456789")}),
            vec!["conversionId"],
        ),
        "google-marketing-platform" => (
            json!({"advertiserId": google_id("^DC-[0-9]{5,12}$", "The Floodlight advertiser id.", "DC-1234567")}),
            vec!["advertiserId"],
        ),
        "facebook-pixel" => (
            json!({"pixelId": digits(15, 16, "The Meta Pixel id: 15 or 16 digits.", "123456789012345")}),
            vec!["pixelId"],
        ),
        "criteo" => (
            json!({"accountId": digits(3, 10, "The Criteo OneTag account id: 3 to 10 digits.", "12345")}),
            vec!["accountId"],
        ),
        "adform" => (
            json!({"trackingPointId": digits(4, 10, "The Adform tracking point id: 4 to 10 digits.", "1234567")}),
            vec!["trackingPointId"],
        ),
        "script" => (
            json!({
                "name": {"type": "string", "minLength": 1, "pattern": "\\S", "description": "The name visitors see, like \"Hotjar\"."},
                "src": {
                    "type": "string",
                    "pattern": crate::core::schema::web_address_pattern("https"),
                    "description": "The tag's script address (https only)."
                },
                "cookies": {
                    "type": "array",
                    "items": {"type": "string", "pattern": COOKIE_PATTERN},
                    "description": "The first-party cookies it writes: exact names, or a prefix ending in * like \"_hj*\"."
                }
            }),
            // No default category or privacy notice, as the known vendors have.
            vec!["name", "src", "category", "privacyUrl"],
        ),
        "youtube" => (
            json!({"noCookie": {
                "type": "boolean",
                "description": "Load the videos from www.youtube-nocookie.com (YouTube's privacy-enhanced mode) once the visitor loads one.",
                "examples": [true]
            }}),
            vec![],
        ),
        "vimeo" | "google-maps" => (json!({}), vec![]),
        _ => return None,
    };
    Some(fields)
}

/// A vendor of `kind` built from its id field's example, for what the
/// library knows of it; none for the `script` type, which has no example.
pub fn example_vendor(kind: &str) -> Option<Box<dyn super::Vendor>> {
    let (properties, _) = own_fields(kind)?;
    let properties = properties.as_object()?;
    // A type without an id field (the embeds) is built from an empty entry.
    let text = match properties.iter().find_map(|(field, p)| Some((field, p.pointer("/examples/0")?))) {
        Some((field, example)) => json!({ field: example }).to_string(),
        None => "{}".to_owned(),
    };
    let crate::core::json::Value::Object(fields) = crate::core::json::parse(&text).ok()? else { return None };
    let t = super::registry::<super::FieldError>().iter().find(|t| t.kind == kind)?;
    (t.build)(fields).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendors::{registry, FieldError};

    /// A digit id written as a number: the schema's range is exactly what
    /// the type's `build` accepts (its text form is checked by a property
    /// test in tests/config_props.rs).
    #[test]
    fn a_digit_id_s_number_range_is_what_the_vendor_accepts() {
        let mut checked = 0;
        for t in registry::<FieldError>() {
            let (properties, _) = own_fields(t.kind).unwrap();
            let Some((field, number)) = properties
                .as_object()
                .unwrap()
                .iter()
                .find_map(|(field, p)| Some((field, p.pointer("/anyOf/1").filter(|n| n["type"] == "integer")?)))
            else {
                continue;
            };
            let (min, max) = (number["minimum"].as_i64().unwrap(), number["maximum"].as_i64().unwrap());
            let accepts = |n: i64| {
                let text = json!({ field: n }).to_string();
                let crate::core::json::Value::Object(fields) = crate::core::json::parse(&text).unwrap() else {
                    unreachable!()
                };
                (t.build)(fields).is_ok()
            };
            assert!(accepts(min) && accepts(max), "{}: {min} and {max}", t.kind);
            assert!(!accepts(min - 1) && !accepts(max + 1), "{}: {} and {}", t.kind, min - 1, max + 1);
            checked += 1;
        }
        assert_eq!(checked, 3, "facebook-pixel, criteo and adform");
    }

    #[test]
    fn every_vendor_type_has_a_schema_for_exactly_its_fields() {
        for t in registry::<FieldError>() {
            let (properties, _) = own_fields(t.kind).unwrap_or_else(|| panic!("{} has no schema", t.kind));
            let mut names: Vec<&str> = properties.as_object().unwrap().keys().map(String::as_str).collect();
            let mut fields = t.fields.to_vec();
            names.sort();
            fields.sort();
            assert_eq!(names, fields, "{}", t.kind);
        }
    }
}
