//! Criteo OneTag. Its `cto_bundle` cookie lives about 13 months by default,
//! longer than a policy's "1 year", so the library caps it.
//!
//! Page events (viewItem, trackTransaction, …) are the site's to push onto
//! `window.criteo_q`; the queue is only read once the tag is granted and loaded.

use super::{check_digits, single_id, CookieName, FieldProblem, SetupContext, Vendor, VendorType};
use crate::core::category::Category;
use crate::core::json::Value;
use crate::core::plan::{Call, Script};

const ID_FIELD: &str = "accountId";

const KIND: &str = "criteo";

pub const fn vendor_type<P: FieldProblem>() -> VendorType<P> {
    VendorType { kind: KIND, fields: &[ID_FIELD], build }
}

fn build<P: FieldProblem>(fields: crate::core::json::Object) -> Result<Box<dyn Vendor>, P> {
    let id = single_id(fields, ID_FIELD)?;
    check_digits(ID_FIELD, &id, 3, 10, "12345")?;
    Ok(Box::new(Criteo { account_id: id }))
}

#[derive(Debug)]
pub struct Criteo {
    account_id: String,
}

impl Vendor for Criteo {
    fn kind(&self) -> &'static str {
        KIND
    }
    fn display_name(&self) -> String {
        "Criteo".to_owned()
    }
    fn id(&self) -> &str {
        &self.account_id
    }
    fn default_category(&self) -> Option<Category> {
        Some(Category::Marketing)
    }
    fn default_privacy_url(&self) -> Option<&'static str> {
        Some("https://www.criteo.com/privacy")
    }
    fn setup_calls(&self, _ctx: SetupContext) -> Vec<Call> {
        // check_digits has proven the id is a small number.
        let account: i64 = self.account_id.parse().unwrap_or_default();
        let item = Value::object([("event", "setAccount".into()), ("account", account.into())]);
        vec![Call::Push { queue: "criteo_q", item }]
    }
    fn script(&self) -> Script {
        Script {
            key: format!("criteo-{}", self.account_id),
            url: format!("https://dynamic.criteo.com/js/ld/ld.js?a={}", self.account_id),
        }
    }
    fn cookies(&self) -> Vec<CookieName> {
        // cto_tld_test is a session cookie OneTag sets and removes at once to
        // find the registrable domain; capping it would make it persistent.
        vec![CookieName::exact("cto_bundle")]
    }
    fn storage_keys(&self) -> Vec<&'static str> {
        // OneTag mirrors cto_bundle into localStorage.
        vec!["cto_bundle"]
    }
}
