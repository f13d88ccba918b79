//! Meta (Facebook) Pixel. It has no cookie-lifetime setting, so the library
//! enforces the declared lifetime on `_fbp` and `_fbc` itself.

use super::{check_digits, single_id, CookieName, FieldProblem, SetupContext, Vendor, VendorType};
use crate::core::category::{Category, Choices};
use crate::core::plan::{Call, Script};

const ID_FIELD: &str = "pixelId";

const KIND: &str = "facebook-pixel";

pub const fn vendor_type<P: FieldProblem>() -> VendorType<P> {
    VendorType { kind: KIND, fields: &[ID_FIELD], build }
}

fn build<P: FieldProblem>(fields: crate::core::json::Object) -> Result<Box<dyn Vendor>, P> {
    let id = single_id(fields, ID_FIELD)?;
    check_digits(ID_FIELD, &id, 15, 16, "123456789012345")?;
    Ok(Box::new(FacebookPixel { pixel_id: id }))
}

#[derive(Debug)]
pub struct FacebookPixel {
    pixel_id: String,
}

impl Vendor for FacebookPixel {
    fn kind(&self) -> &'static str {
        KIND
    }
    fn display_name(&self) -> String {
        "Facebook".to_owned()
    }
    fn id(&self) -> &str {
        &self.pixel_id
    }
    fn default_category(&self) -> Option<Category> {
        Some(Category::Marketing)
    }
    fn default_privacy_url(&self) -> Option<&'static str> {
        Some("https://www.facebook.com/about/privacy/")
    }
    fn consent_calls(&self, choices: Choices) -> Vec<Call> {
        let signal = if choices.marketing { "grant" } else { "revoke" };
        vec![Call::command("fbq", ["consent".into(), signal.into()])]
    }
    fn setup_calls(&self, _ctx: SetupContext) -> Vec<Call> {
        vec![
            Call::command("fbq", ["init".into(), self.pixel_id.as_str().into()]),
            Call::command("fbq", ["track".into(), "PageView".into()]),
        ]
    }
    fn script(&self) -> Script {
        Script { key: "fbevents".to_owned(), url: "https://connect.facebook.net/en_US/fbevents.js".to_owned() }
    }
    fn cookies(&self) -> Vec<CookieName> {
        vec![CookieName::exact("_fbp"), CookieName::exact("_fbc")]
    }
}
