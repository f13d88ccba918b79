//! A generic vendor: any script URL, with the cookies it is known to write.

use super::{refused, required_text, CookieName, FieldError, FieldProblem, SetupContext, Vendor, VendorType};
use crate::core::category::Category;
use crate::core::config::{visible, web_address_problem, AddressProblem};
use crate::core::json::{Object, Value};
use crate::core::plan::{Call, Script};

const KIND: &str = "script";

pub const fn vendor_type<P: FieldProblem>() -> VendorType<P> {
    VendorType { kind: KIND, fields: &["name", "src", "cookies"], build }
}

fn build<P: FieldProblem>(mut fields: Object) -> Result<Box<dyn Vendor>, P> {
    let name = required_text(&mut fields, "name")?;
    let src = required_text(&mut fields, "src")?;
    let cookies = cookie_list(fields.remove("cookies"))?;
    if name.trim().is_empty() {
        return Err(refused("name", || "`name` is empty; give the name visitors will see, like \"Hotjar\"".to_owned()));
    }
    match web_address_problem(&src, &["https://"]) {
        None => {}
        Some(AddressProblem::OtherScheme) => {
            return Err(refused("src", || {
                format!("'{}' is not an https:// address; tags must load over https", visible(&src))
            }));
        }
        Some(problem) => return Err(refused("src", || format!("'{}' {}", visible(&src), problem.explain()))),
    }
    Ok(Box::new(GenericScript { name, src, cookies }))
}

/// The `cookies` field: a list of names, each exact or ending in `*`.
fn cookie_list<P: FieldProblem>(value: Option<Value>) -> Result<Vec<CookieName>, P> {
    let items = match value {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(refused("cookies", || "`cookies` must be a list of cookie names, like [\"_hjid\"]".to_owned()))
        }
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| match item.as_str() {
            Some(text) => cookie_pattern(text, i),
            None => Err(refused("cookies", || {
                "`cookies` must be a list of cookie names in quotes, like [\"_hjid\"]".to_owned()
            })),
        })
        .collect()
}

/// `_hj*` means every cookie starting with `_hj`; anything else is an exact name.
/// `index`: where in `cookies` the pattern is written.
fn cookie_pattern<P: FieldProblem>(text: &str, index: usize) -> Result<CookieName, P> {
    let field = || format!("cookies[{index}]");
    let name = text.strip_suffix('*').unwrap_or(text);
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && !b";,=*\"\\".contains(&b));
    if !valid {
        return Err(P::new(|| {
            FieldError::new(
            &field(),
            format!("'{text}' is not a cookie name; write names like \"_hjid\", or \"_hj*\" for every name starting with _hj"),
        )
        }));
    }
    if name.len() == text.len() {
        return Ok(CookieName::exact(name));
    }
    // Refusing the vendor deletes every cookie the pattern matches: "_*"
    // would take the site's own session cookie with it.
    if name.len() < MIN_PREFIX {
        return Err(P::new(|| {
            FieldError::new(
            &field(),
            format!("'{text}' would match every cookie starting with '{name}', the site's own ones too (like a login session); write at least 3 characters before the *, like \"_hj*\""),
        )
        }));
    }
    Ok(CookieName::Prefix(name.to_owned()))
}

/// The shortest literal start of a cookie name pattern.
const MIN_PREFIX: usize = 3;

#[derive(Debug)]
pub struct GenericScript {
    name: String,
    src: String,
    cookies: Vec<CookieName>,
}

impl Vendor for GenericScript {
    fn kind(&self) -> &'static str {
        KIND
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
    fn script(&self) -> Option<Script> {
        Some(Script { key: self.src.clone(), url: self.src.clone() })
    }
    fn cookies(&self) -> Vec<CookieName> {
        self.cookies.clone()
    }
}
