//! Google Analytics 4 through gtag.js.

use super::gtag::Product;
use super::{CookieName, VendorType};
use crate::core::category::Category;

static PRODUCT: Product = Product {
    kind: "ga4",
    name: "Google Analytics",
    id_field: "measurementId",
    category: Category::Analytics,
    check_id,
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

pub const TYPE: VendorType = PRODUCT.vendor_type(|fields| PRODUCT.build(fields));

fn check_id(id: &str) -> Result<(), String> {
    if id.starts_with("UA-") {
        return Err("is a retired Universal Analytics id; GA4 ids look like G-XXXXXXXXXX".to_owned());
    }
    let valid = id.strip_prefix("G-").is_some_and(|rest| {
        (1..=16).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    });
    if valid {
        Ok(())
    } else {
        Err("is not a GA4 id; GA4 ids look like G-XXXXXXXXXX (capital letters and digits)".to_owned())
    }
}
