//! Google Analytics 4 through gtag.js.

use super::gtag::Product;
use super::{CookieName, FieldProblem, Vendor, VendorType};
use crate::core::category::Category;
use crate::core::json::Object;

static PRODUCT: Product = Product {
    kind: "ga4",
    name: "Google Analytics",
    id_field: "measurementId",
    category: Category::Analytics,
    // Google's "cookie usage" page for gtag.js: _ga and _ga_<container-id>; with
    // Google Ads linking also _gac_gb_<container-id>. (_gid and _gat were
    // Universal Analytics'; GA4 does not set them.)
    cookies: |id| {
        let container = id.strip_prefix("G-").unwrap_or(id);
        vec![
            CookieName::exact("_ga"),
            CookieName::Exact(format!("_ga_{container}")),
            CookieName::Exact(format!("_gac_gb_{container}")),
        ]
    },
    storage_keys: &[],
};

pub const fn vendor_type<P: FieldProblem>() -> VendorType<P> {
    PRODUCT.vendor_type(build)
}

fn build<P: FieldProblem>(fields: Object) -> Result<Box<dyn Vendor>, P> {
    PRODUCT.build(fields, check_id)
}

fn check_id<P: FieldProblem>(id: &str) -> Result<(), P> {
    if id.starts_with("UA-") {
        return Err(PRODUCT.refuse_id(id, || "is a retired Universal Analytics id; GA4 ids look like G-XXXXXXXXXX"));
    }
    let valid = id.strip_prefix("G-").is_some_and(|rest| {
        (1..=16).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    });
    if valid {
        Ok(())
    } else {
        Err(PRODUCT.refuse_id(id, || "is not a GA4 id; GA4 ids look like G-XXXXXXXXXX (capital letters and digits)"))
    }
}
