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
    // The conversion linker's cookies: _gcl_au (site visits), _gcl_aw (ad clicks,
    // GCLID), _gcl_gb (app/iOS clicks, GBRAID), _gcl_ha (Hotel Ads clicks);
    // recent gtag.js also keeps click ids in localStorage under _gcl_ls.
    cookies: |_| ["_gcl_au", "_gcl_aw", "_gcl_gb", "_gcl_ha"].into_iter().map(CookieName::exact).collect(),
    storage_keys: &["_gcl_ls"],
};

pub const TYPE: VendorType = PRODUCT.vendor_type(|fields| PRODUCT.build(fields));
