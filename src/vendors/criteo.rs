//! Criteo OneTag. Its `cto_bundle` cookie lives about 13 months by default,
//! longer than a policy's "1 year", so the library caps it.
//!
//! Page events (viewItem, trackTransaction, …) are the site's to push onto
//! `window.criteo_q`; the queue is only read once the tag is granted and loaded.

use super::digit_tag::{id_number, DigitTag};
use super::{FieldProblem, VendorType};
use crate::core::json::Value;
use crate::core::plan::{Call, Script};

static TAG: DigitTag = DigitTag {
    kind: "criteo",
    name: "Criteo",
    id_field: "accountId",
    digits: (3, 10),
    example: "12345",
    privacy_url: "https://www.criteo.com/privacy",
    setup: |id| {
        let item = Value::object([("event", "setAccount".into()), ("account", id_number(id).into())]);
        vec![Call::Push { queue: "criteo_q", item }]
    },
    consent: None,
    script: |id| Script { key: format!("criteo-{id}"), url: format!("https://dynamic.criteo.com/js/ld/ld.js?a={id}") },
    // cto_tld_test is a session cookie OneTag sets and removes at once to
    // find the registrable domain; capping it would make it persistent.
    cookies: &["cto_bundle"],
    // OneTag mirrors cto_bundle into localStorage.
    storage_keys: &["cto_bundle"],
};

pub const fn vendor_type<P: FieldProblem>() -> VendorType<P> {
    TAG.vendor_type(|fields| TAG.build(fields))
}
