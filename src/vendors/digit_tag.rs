//! What Facebook Pixel, Criteo and Adform share: one id of digits, a loader,
//! a few set-up calls and first-party cookies the library caps. Each vendor's
//! module is a table of those facts; one `Vendor` implementation serves them.

use super::{check_digits, single_id, CookieName, FieldProblem, SetupContext, Vendor, VendorType};
use crate::core::category::{Category, Choices};
use crate::core::json::Object;
use crate::core::plan::{Call, Script};

/// The facts that tell one digit-id tag from another.
#[derive(Debug)]
pub struct DigitTag {
    pub kind: &'static str,
    pub name: &'static str,
    /// The config field holding the id, and the id's length in digits with an example.
    pub id_field: &'static str,
    pub digits: (usize, usize),
    pub example: &'static str,
    pub privacy_url: &'static str,
    /// Calls queued before the loader runs, given the id.
    pub setup: fn(&str) -> Vec<Call>,
    /// Calls telling the tag the visitor's choices, where it takes them.
    pub consent: Option<fn(Choices) -> Vec<Call>>,
    /// The loader, given the id.
    pub script: fn(&str) -> Script,
    pub cookies: &'static [&'static str],
    /// localStorage keys it writes, removed on withdrawal.
    pub storage_keys: &'static [&'static str],
}

impl DigitTag {
    pub const fn vendor_type<P: FieldProblem>(&'static self, build: super::Build<P>) -> VendorType<P> {
        VendorType { kind: self.kind, fields: std::slice::from_ref(&self.id_field), build }
    }

    /// Builds the tag from its one id field.
    pub fn build<P: FieldProblem>(&'static self, fields: Object) -> Result<Box<dyn Vendor>, P> {
        let id = single_id(fields, self.id_field)?;
        check_digits(self.id_field, &id, self.digits.0, self.digits.1, self.example)?;
        Ok(Box::new(Tagged { tag: self, id }))
    }
}

/// One configured digit-id tag.
#[derive(Debug)]
pub struct Tagged {
    tag: &'static DigitTag,
    id: String,
}

impl Vendor for Tagged {
    fn kind(&self) -> &'static str {
        self.tag.kind
    }
    fn display_name(&self) -> String {
        self.tag.name.to_owned()
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn default_category(&self) -> Option<Category> {
        Some(Category::Marketing)
    }
    fn default_privacy_url(&self) -> Option<&'static str> {
        Some(self.tag.privacy_url)
    }
    fn consent_calls(&self, choices: Choices) -> Vec<Call> {
        self.tag.consent.map(|calls| calls(choices)).unwrap_or_default()
    }
    fn setup_calls(&self, _ctx: SetupContext) -> Vec<Call> {
        (self.tag.setup)(&self.id)
    }
    fn script(&self) -> Option<Script> {
        Some((self.tag.script)(&self.id))
    }
    fn cookies(&self) -> Vec<CookieName> {
        self.tag.cookies.iter().map(|name| CookieName::exact(name)).collect()
    }
    fn storage_keys(&self) -> Vec<&'static str> {
        self.tag.storage_keys.to_vec()
    }
}

/// A digit id as the number the vendor's queue takes (`check_digits` has
/// proven it short enough).
pub fn id_number(id: &str) -> i64 {
    id.parse().unwrap_or_default()
}
