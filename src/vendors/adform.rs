//! Adform tracking point. No lifetime setting at the vendor: the library caps
//! its first-party cookie.

use super::{check_digits, single_id, CookieName, FieldProblem, SetupContext, Vendor, VendorType};
use crate::core::category::Category;
use crate::core::json::Value;
use crate::core::plan::{Call, Script};

const ID_FIELD: &str = "trackingPointId";

const KIND: &str = "adform";

pub const fn vendor_type<P: FieldProblem>() -> VendorType<P> {
    VendorType { kind: KIND, fields: &[ID_FIELD], build }
}

fn build<P: FieldProblem>(fields: crate::core::json::Object) -> Result<Box<dyn Vendor>, P> {
    let id = single_id(fields, ID_FIELD)?;
    check_digits(ID_FIELD, &id, 4, 10, "1234567")?;
    Ok(Box::new(Adform { tracking_point: id }))
}

#[derive(Debug)]
pub struct Adform {
    tracking_point: String,
}

impl Vendor for Adform {
    fn kind(&self) -> &'static str {
        KIND
    }
    fn display_name(&self) -> String {
        "Adform".to_owned()
    }
    fn id(&self) -> &str {
        &self.tracking_point
    }
    fn default_category(&self) -> Option<Category> {
        Some(Category::Marketing)
    }
    fn default_privacy_url(&self) -> Option<&'static str> {
        Some("https://site.adform.com/privacy-center/website-privacy/website-cookie-policy/")
    }
    fn setup_calls(&self, _ctx: SetupContext) -> Vec<Call> {
        // check_digits has proven the id is a small number.
        let pm: i64 = self.tracking_point.parse().unwrap_or_default();
        let item = Value::object([("HttpHost", "track.adform.net".into()), ("pm", pm.into())]);
        vec![Call::Push { queue: "_adftrack", item }]
    }
    fn script(&self) -> Script {
        Script {
            key: "adform-trackpoint".to_owned(),
            url: "https://s2.adform.net/banners/scripts/st/trackpoint-async.js".to_owned(),
        }
    }
    fn cookies(&self) -> Vec<CookieName> {
        vec![CookieName::exact("adformfrpid")]
    }
}
