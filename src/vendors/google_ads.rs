//! Google Ads conversion tracking and remarketing through gtag.js.

use super::gtag::Product;
use super::{all_digits, CookieName, FieldProblem, Vendor, VendorType};
use crate::core::category::Category;
use crate::core::json::Object;

static PRODUCT: Product = Product {
    kind: "google-ads",
    name: "Google Ads",
    id_field: "conversionId",
    category: Category::Marketing,
    // The conversion linker's cookies: _gcl_au (site visits), _gcl_aw (ad clicks,
    // GCLID), _gcl_gb (app/iOS clicks, GBRAID), _gcl_ha (Hotel Ads clicks);
    // recent gtag.js also keeps click ids in localStorage under _gcl_ls.
    cookies: |_| ["_gcl_au", "_gcl_aw", "_gcl_gb", "_gcl_ha"].into_iter().map(CookieName::exact).collect(),
    storage_keys: &["_gcl_ls"],
};

pub const fn vendor_type<P: FieldProblem>() -> VendorType<P> {
    PRODUCT.vendor_type(build)
}

fn build<P: FieldProblem>(fields: Object) -> Result<Box<dyn Vendor>, P> {
    PRODUCT.build(fields, check_id)
}

fn check_id<P: FieldProblem>(id: &str) -> Result<(), P> {
    if id.strip_prefix("AW-").is_some_and(|n| all_digits(n, 6, 12)) {
        Ok(())
    } else {
        Err(PRODUCT
            .refuse_id(id, || "is not a Google Ads id; they look like AW-123456789 (leave out any '/label' part)"))
    }
}
