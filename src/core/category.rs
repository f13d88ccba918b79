//! The three cookie categories of the policy and a visitor's choice over them.

use std::fmt;

/// A cookie category. `Necessary` is always granted and never asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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

    /// The categories both grant.
    pub fn and(self, other: Choices) -> Choices {
        Choices { analytics: self.analytics && other.analytics, marketing: self.marketing && other.marketing }
    }

    /// The choices as two bits (analytics 1, marketing 2), for handing them
    /// to another wasm module of the split build.
    pub fn bits(self) -> u8 {
        u8::from(self.analytics) | u8::from(self.marketing) << 1
    }

    /// Reads [`Choices::bits`] back; other bits are ignored.
    pub fn from_bits(bits: u8) -> Choices {
        Choices { analytics: bits & 1 != 0, marketing: bits & 2 != 0 }
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

/// Privacy signals the browser sends. The cookie policy names Do Not Track as
/// a way to refuse analytics; Global Privacy Control refuses the sale and
/// sharing of data, which covers marketing too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Signals {
    pub do_not_track: bool,
    pub global_privacy_control: bool,
}

impl Signals {
    /// The signals as two bits (Do Not Track 1, Global Privacy Control 2).
    pub fn bits(self) -> u8 {
        u8::from(self.do_not_track) | u8::from(self.global_privacy_control) << 1
    }

    /// Reads [`Signals::bits`] back; other bits are ignored.
    pub fn from_bits(bits: u8) -> Signals {
        Signals { do_not_track: bits & 1 != 0, global_privacy_control: bits & 2 != 0 }
    }

    /// Whether the signals refuse `category` unless the visitor explicitly
    /// switches it on in the preferences.
    pub fn refuses(self, category: Category) -> bool {
        match category {
            Category::Necessary => false,
            Category::Analytics => self.do_not_track || self.global_privacy_control,
            Category::Marketing => self.global_privacy_control,
        }
    }

    pub fn any(self) -> bool {
        self.do_not_track || self.global_privacy_control
    }

    /// `choices` less what the signals refuse: what "accept all" may grant.
    pub fn restrict(self, choices: Choices) -> Choices {
        self.restrict_unless(choices, Choices::NONE)
    }

    /// `choices` less what the signals refuse, except the categories the
    /// visitor granted by name (`explicit`): a switch in the settings, or
    /// `set()` naming the category. Only such a grant outweighs a signal.
    pub fn restrict_unless(self, choices: Choices, explicit: Choices) -> Choices {
        Category::OPTIONAL.into_iter().fold(choices, |c, cat| {
            if self.refuses(cat) && !explicit.allows(cat) {
                c.with(cat, false)
            } else {
                c
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_and_signals_round_trip_through_their_bits() {
        for analytics in [false, true] {
            for marketing in [false, true] {
                let choices = Choices { analytics, marketing };
                assert_eq!(Choices::from_bits(choices.bits()), choices);
                let signals = Signals { do_not_track: analytics, global_privacy_control: marketing };
                assert_eq!(Signals::from_bits(signals.bits()), signals);
            }
        }
        assert_eq!(Choices::from_bits(2).bits(), 2, "marketing alone");
        assert_eq!(Choices::from_bits(0xfc), Choices::NONE, "unknown bits grant nothing");
    }

    #[test]
    fn do_not_track_refuses_analytics_only() {
        let dnt = Signals { do_not_track: true, global_privacy_control: false };
        assert_eq!(dnt.restrict(Choices::ALL), Choices { analytics: false, marketing: true });
        assert!(!dnt.refuses(Category::Necessary));
    }

    #[test]
    fn only_a_grant_by_name_outweighs_a_signal() {
        let gpc = Signals { do_not_track: false, global_privacy_control: true };
        let analytics_by_name = Choices { analytics: true, marketing: false };
        assert_eq!(gpc.restrict_unless(Choices::ALL, analytics_by_name), analytics_by_name);
        assert_eq!(gpc.restrict_unless(Choices::ALL, Choices::ALL), Choices::ALL);
        assert_eq!(
            gpc.restrict_unless(Choices::NONE, Choices::ALL),
            Choices::NONE,
            "naming a category never grants it"
        );
    }

    #[test]
    fn global_privacy_control_refuses_analytics_and_marketing() {
        let gpc = Signals { do_not_track: false, global_privacy_control: true };
        assert_eq!(gpc.restrict(Choices::ALL), Choices::NONE);
        assert_eq!(Signals::default().restrict(Choices::ALL), Choices::ALL);
    }

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
