//! A generic vendor: any script URL, with the cookies it is known to write.

use super::{settings, CookieName, FieldError, SetupContext, Vendor, VendorType};
use crate::core::category::Category;
use crate::core::plan::{Call, Script};
use serde::Deserialize;

pub const TYPE: VendorType = VendorType { kind: "script", fields: &["name", "src", "cookies"], build };

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    name: String,
    src: String,
    #[serde(default)]
    cookies: Vec<String>,
}

fn build(fields: serde_json::Map<String, serde_json::Value>) -> Result<Box<dyn Vendor>, FieldError> {
    let s: Settings = settings(fields)?;
    if s.name.trim().is_empty() {
        return Err(FieldError::new("name", "`name` is empty; give the name visitors will see, like \"Hotjar\""));
    }
    if !s.src.starts_with("https://") {
        return Err(FieldError::new(
            "src",
            format!("'{}' is not an https:// address; tags must load over https", s.src),
        ));
    }
    let cookies = s.cookies.iter().map(|c| cookie_pattern(c)).collect::<Result<_, _>>()?;
    Ok(Box::new(GenericScript { name: s.name, src: s.src, cookies }))
}

/// `_hj*` means every cookie starting with `_hj`; anything else is an exact name.
fn cookie_pattern(text: &str) -> Result<CookieName, FieldError> {
    let name = text.strip_suffix('*').unwrap_or(text);
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && !b";,=*\"\\".contains(&b));
    if !valid {
        return Err(FieldError::new(
            "cookies",
            format!("'{text}' is not a cookie name; write names like \"_hjid\", or \"_hj*\" for every name starting with _hj"),
        ));
    }
    Ok(if name.len() < text.len() { CookieName::Prefix(name.to_owned()) } else { CookieName::exact(name) })
}

#[derive(Debug)]
pub struct GenericScript {
    name: String,
    src: String,
    cookies: Vec<CookieName>,
}

impl Vendor for GenericScript {
    fn kind(&self) -> &'static str {
        TYPE.kind
    }
    fn display_name(&self) -> String {
        self.name.clone()
    }
    fn id(&self) -> &str {
        &self.src
    }
    fn default_category(&self) -> Option<Category> {
        None
    }
    fn default_privacy_url(&self) -> Option<&'static str> {
        None
    }
    fn setup_calls(&self, _ctx: SetupContext) -> Vec<Call> {
        Vec::new()
    }
    fn script(&self) -> Script {
        Script { key: self.src.clone(), url: self.src.clone() }
    }
    fn cookies(&self) -> Vec<CookieName> {
        self.cookies.clone()
    }
}
