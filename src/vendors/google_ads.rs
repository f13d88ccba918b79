//! Google Ads conversion tracking and remarketing through gtag.js.

use super::gtag::Product;
use super::{all_digits, CookieName, VendorType};
use crate::core::category::Category;

static PRODUCT: Product = Product {
    kind: "google-ads",
    name: "Google Ads",
    id_field: "conversionId",
    category: Category::Marketing,
    check_id: |id| {
        if id.strip_prefix("AW-").is_some_and(|n| all_digits(n, 6, 12)) {
            Ok(())
        } else {
            Err("is not a Google Ads id; they look like AW-123456789 (leave out any '/label' part)".to_owned())
        }
    },
    cookies: |_| vec![CookieName::exact("_gcl_au"), CookieName::exact("_gcl_aw"), CookieName::exact("_gcl_gb")],
};

pub const TYPE: VendorType = PRODUCT.vendor_type(|fields| PRODUCT.build(fields));
