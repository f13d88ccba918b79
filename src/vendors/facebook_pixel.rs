//! Meta (Facebook) Pixel. It has no cookie-lifetime setting, so the library
//! enforces the declared lifetime on `_fbp` and `_fbc` itself.

use super::digit_tag::DigitTag;
use super::{FieldProblem, VendorType};
use crate::core::category::Choices;
use crate::core::plan::{Call, Script};

static TAG: DigitTag = DigitTag {
    kind: "facebook-pixel",
    name: "Facebook",
    id_field: "pixelId",
    digits: (15, 16),
    example: "123456789012345",
    privacy_url: "https://www.facebook.com/about/privacy/",
    setup: |id| {
        vec![
            Call::command("fbq", ["init".into(), id.into()]),
            Call::command("fbq", ["track".into(), "PageView".into()]),
        ]
    },
    consent: Some(consent),
    script: |_| Script { key: "fbevents".to_owned(), url: "https://connect.facebook.net/en_US/fbevents.js".to_owned() },
    cookies: &["_fbp", "_fbc"],
    storage_keys: &[],
};

fn consent(choices: Choices) -> Vec<Call> {
    let signal = if choices.marketing { "grant" } else { "revoke" };
    vec![Call::command("fbq", ["consent".into(), signal.into()])]
}

pub const fn vendor_type<P: FieldProblem>() -> VendorType<P> {
    TAG.vendor_type(|fields| TAG.build(fields))
}
