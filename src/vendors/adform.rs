//! Adform tracking point. No lifetime setting at the vendor: the library caps
//! its first-party cookie.

use super::digit_tag::{id_number, DigitTag};
use super::{FieldProblem, VendorType};
use crate::core::json::Value;
use crate::core::plan::{Call, Script};

static TAG: DigitTag = DigitTag {
    kind: "adform",
    name: "Adform",
    id_field: "trackingPointId",
    digits: (4, 10),
    example: "1234567",
    privacy_url: "https://site.adform.com/privacy-center/website-privacy/website-cookie-policy/",
    setup: |id| {
        let item = Value::object([("HttpHost", "track.adform.net".into()), ("pm", id_number(id).into())]);
        vec![Call::Push { queue: "_adftrack", item }]
    },
    consent: None,
    script: |_| Script {
        key: "adform-trackpoint".to_owned(),
        url: "https://s2.adform.net/banners/scripts/st/trackpoint-async.js".to_owned(),
    },
    cookies: &["adformfrpid"],
    storage_keys: &[],
};

pub const fn vendor_type<P: FieldProblem>() -> VendorType<P> {
    TAG.vendor_type(|fields| TAG.build(fields))
}
