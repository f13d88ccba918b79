//! What the visitor did in the bar or the settings dialog. The UI reports it
//! and the shell acts on it; in the split browser build the two live in
//! different wasm modules, so a choice also travels as a short code.

use super::category::{Category, Choices};
use super::config::Config;

/// A choice per optional category and per vendor. `vendors` has one entry
/// per vendor of the config, in its order (the UI and the gate read the
/// same config); a category that has vendors is granted when all of them
/// are, so `categories` speaks for the categories without vendors.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grants {
    pub categories: Choices,
    pub vendors: Vec<bool>,
}

/// How the switches of a category stand: the sum of its vendors' switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sum {
    Off,
    /// Some of the category's vendors are allowed: `(allowed, of)`.
    Mixed(usize, usize),
    On,
}

impl Grants {
    /// Every vendor as its category: what "accept all", "reject all" and a
    /// choice by category grant.
    pub fn whole(config: &Config, categories: Choices) -> Grants {
        let mut vendors = Vec::with_capacity(config.vendors.len());
        for vendor in &config.vendors {
            vendors.push(categories.allows(vendor.category));
        }
        Grants { categories, vendors }
    }

    /// Whether the vendor at `index` of the config is granted (a vendor the
    /// list does not reach is not).
    pub fn vendor(&self, index: usize) -> bool {
        self.vendors.get(index).copied().unwrap_or(false)
    }

    /// The sum of `category`'s vendors' grants; a category without vendors
    /// stands as its own choice.
    pub fn sum(&self, config: &Config, category: Category) -> Sum {
        let (mut on, mut of) = (0, 0);
        for (i, vendor) in config.vendors.iter().enumerate() {
            if vendor.category == category {
                of += 1;
                on += usize::from(self.vendor(i));
            }
        }
        match (on, of) {
            (_, 0) if self.categories.allows(category) => Sum::On,
            (_, 0) | (0, _) => Sum::Off,
            (on, of) if on == of => Sum::On,
            (on, of) => Sum::Mixed(on, of),
        }
    }

    /// The categories as their vendors sum up: a category is granted only
    /// when every one of its vendors is (a mixed one is not).
    pub fn normalized(mut self, config: &Config) -> Grants {
        self.vendors.resize(config.vendors.len(), false);
        for category in Category::OPTIONAL {
            let on = self.sum(config, category) == Sum::On;
            self.categories = self.categories.with(category, on);
        }
        self
    }

    /// The categories' bits, then one `0` or `1` per vendor: `2` + `0110`
    /// is `20110`.
    pub fn code(&self) -> String {
        let mut code = String::with_capacity(1 + self.vendors.len());
        code.push(char::from(b'0' + self.categories.bits()));
        for on in &self.vendors {
            code.push(if *on { '1' } else { '0' });
        }
        code
    }

    /// Reads [`Grants::code`] back; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Grants> {
        let mut bytes = code.bytes();
        let categories = match bytes.next()? {
            b @ b'0'..=b'3' => Choices::from_bits(b - b'0'),
            _ => return None,
        };
        let mut vendors = Vec::new();
        for b in bytes {
            match b {
                b'0' | b'1' => vendors.push(b == b'1'),
                _ => return None,
            }
        }
        Some(Grants { categories, vendors })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UiChoice {
    AcceptAll,
    RejectAll,
    /// The bar's "settings": open the dialog.
    Settings,
    /// The dialog's switches saved as they are: an explicit choice per
    /// category and per vendor.
    Save(Grants),
    /// The dialog closed without deciding (Escape or the close button).
    Dismissed,
}

impl UiChoice {
    /// `accept`, `reject`, `settings`, `dismissed`, or `save:<grants>` (see [`Grants::code`]).
    pub fn code(&self) -> String {
        match self {
            UiChoice::AcceptAll => "accept".to_owned(),
            UiChoice::RejectAll => "reject".to_owned(),
            UiChoice::Settings => "settings".to_owned(),
            UiChoice::Dismissed => "dismissed".to_owned(),
            UiChoice::Save(grants) => "save:".to_owned() + &grants.code(),
        }
    }

    /// Reads [`UiChoice::code`] back; `None` for anything else.
    pub fn from_code(code: &str) -> Option<UiChoice> {
        Some(match code {
            "accept" => UiChoice::AcceptAll,
            "reject" => UiChoice::RejectAll,
            "settings" => UiChoice::Settings,
            "dismissed" => UiChoice::Dismissed,
            other => UiChoice::Save(Grants::from_code(other.strip_prefix("save:")?)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_round_trips_through_its_code() {
        let mut all = vec![UiChoice::AcceptAll, UiChoice::RejectAll, UiChoice::Settings, UiChoice::Dismissed];
        all.extend((0..4).map(|bits| UiChoice::Save(Grants { categories: Choices::from_bits(bits), vendors: vec![] })));
        all.push(UiChoice::Save(Grants { categories: Choices::from_bits(2), vendors: vec![false, true, true, false] }));
        for choice in all {
            assert_eq!(UiChoice::from_code(&choice.code()), Some(choice.clone()), "{}", choice.code());
        }
        assert_eq!(UiChoice::Save(Grants { categories: Choices::ALL, vendors: vec![true, false] }).code(), "save:310");
        for bad in ["", "save", "save:4", "save:", "save:12", "save:1 ", "save:-1", "Accept", "accept "] {
            assert_eq!(UiChoice::from_code(bad), None, "{bad}");
        }
    }

    fn config() -> Config {
        Config::from_json(
            r#"{"policy": {"url": "/c", "edition": "1"}, "vendors": [
                {"type": "ga4", "measurementId": "G-AAA111", "lifetime": "180 days"},
                {"type": "facebook-pixel", "pixelId": "123456789012345", "lifetime": "3 months"},
                {"type": "criteo", "accountId": "12345", "lifetime": "1 year"}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_category_is_the_sum_of_its_vendors() {
        let c = config();
        let mixed = Grants { categories: Choices::ALL, vendors: vec![true, false, true] };
        assert_eq!(mixed.sum(&c, Category::Marketing), Sum::Mixed(1, 2));
        assert_eq!(mixed.sum(&c, Category::Analytics), Sum::On);
        let normalized = mixed.normalized(&c);
        assert_eq!(normalized.categories, Choices { analytics: true, marketing: false }, "mixed is not granted");
        let all = Grants { categories: Choices::NONE, vendors: vec![false, true, true] }.normalized(&c);
        assert_eq!(all.categories, Choices { analytics: false, marketing: true }, "all on is on");
        let short = Grants { categories: Choices::ALL, vendors: vec![true] }.normalized(&c);
        assert_eq!(short.vendors, [true, false, false], "a vendor the list does not reach is refused");
        assert_eq!(Grants::whole(&c, Choices { analytics: false, marketing: true }).vendors, [false, true, true]);
    }
}
