//! Google Marketing Platform (Campaign Manager 360 / Floodlight) through gtag.js.

use super::gtag::Product;
use super::{all_digits, CookieName, VendorType};
use crate::core::category::Category;

static PRODUCT: Product = Product {
    kind: "google-marketing-platform",
    name: "Google Marketing Platform",
    id_field: "advertiserId",
    category: Category::Marketing,
    check_id: |id| {
        if id.strip_prefix("DC-").is_some_and(|n| all_digits(n, 5, 12)) {
            Ok(())
        } else {
            Err("is not a Floodlight id; they look like DC-1234567".to_owned())
        }
    },
    // Floodlight's click cookie _gcl_dc, and _gcl_au, which the conversion
    // linker writes for Floodlight too. IDE lives on doubleclick.net (third-party).
    cookies: |_| vec![CookieName::exact("_gcl_dc"), CookieName::exact("_gcl_au")],
    storage_keys: &[],
};

pub const TYPE: VendorType = PRODUCT.vendor_type(|fields| PRODUCT.build(fields));
