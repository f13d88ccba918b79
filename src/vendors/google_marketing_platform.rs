//! Google Marketing Platform (Campaign Manager 360 / Floodlight) through gtag.js.

use super::gtag::Product;
use super::{all_digits, CookieName, FieldProblem, Vendor, VendorType};
use crate::core::category::Category;
use crate::core::json::Object;

static PRODUCT: Product = Product {
    kind: "google-marketing-platform",
    name: "Google Marketing Platform",
    id_field: "advertiserId",
    category: Category::Marketing,
    // Floodlight's click cookie _gcl_dc, and _gcl_au, which the conversion
    // linker writes for Floodlight too. IDE lives on doubleclick.net (third-party).
    cookies: |_| vec![CookieName::exact("_gcl_dc"), CookieName::exact("_gcl_au")],
    storage_keys: &[],
};

pub const fn vendor_type<P: FieldProblem>() -> VendorType<P> {
    PRODUCT.vendor_type(build)
}

fn build<P: FieldProblem>(fields: Object) -> Result<Box<dyn Vendor>, P> {
    PRODUCT.build(fields, check_id)
}

fn check_id<P: FieldProblem>(id: &str) -> Result<(), P> {
    if id.strip_prefix("DC-").is_some_and(|n| all_digits(n, 5, 12)) {
        Ok(())
    } else {
        Err(PRODUCT.refuse_id(id, || "is not a Floodlight id; they look like DC-1234567"))
    }
}
