//! The three cookie categories of the policy and a visitor's choice over them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A cookie category. `Necessary` is always granted and never asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Necessary,
    Analytics,
    Marketing,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::Necessary, Category::Analytics, Category::Marketing];
    /// The categories a visitor is asked about.
    pub const OPTIONAL: [Category; 2] = [Category::Analytics, Category::Marketing];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Necessary => "necessary",
            Category::Analytics => "analytics",
            Category::Marketing => "marketing",
        }
    }

    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the visitor granted. Necessary is implied and not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choices {
    pub analytics: bool,
    pub marketing: bool,
}

impl Choices {
    pub const ALL: Choices = Choices { analytics: true, marketing: true };
    pub const NONE: Choices = Choices { analytics: false, marketing: false };

    pub fn allows(self, category: Category) -> bool {
        match category {
            Category::Necessary => true,
            Category::Analytics => self.analytics,
            Category::Marketing => self.marketing,
        }
    }

    pub fn with(mut self, category: Category, granted: bool) -> Choices {
        match category {
            Category::Necessary => {}
            Category::Analytics => self.analytics = granted,
            Category::Marketing => self.marketing = granted,
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn necessary_is_always_allowed_and_cannot_be_withdrawn() {
        assert!(Choices::NONE.allows(Category::Necessary));
        assert!(Choices::NONE.with(Category::Necessary, false).allows(Category::Necessary));
    }

    #[test]
    fn categories_round_trip_through_their_names() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        assert_eq!(Category::parse("Analytics"), None);
    }

    #[test]
    fn choices_grant_one_category_without_the_other() {
        let c = Choices::NONE.with(Category::Marketing, true);
        assert!(c.allows(Category::Marketing));
        assert!(!c.allows(Category::Analytics));
    }
}
