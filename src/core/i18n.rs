//! Built-in texts in Latvian, Russian and English, overridable per language by
//! the config, and the choice of language for a visitor.

use std::collections::BTreeMap;

/// Languages with texts written into the library.
pub const BUILT_IN: [&str; 3] = ["lv", "ru", "en"];

/// Every text the interface shows. The config overrides them by these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    BarTitle,
    BarText,
    AcceptAll,
    RejectAll,
    PolicyLink,
    RegionLabel,
}

impl Key {
    pub const ALL: [Key; 6] =
        [Key::BarTitle, Key::BarText, Key::AcceptAll, Key::RejectAll, Key::PolicyLink, Key::RegionLabel];

    /// The key's name in the config's `texts`.
    pub fn name(self) -> &'static str {
        match self {
            Key::BarTitle => "barTitle",
            Key::BarText => "barText",
            Key::AcceptAll => "acceptAll",
            Key::RejectAll => "rejectAll",
            Key::PolicyLink => "policyLink",
            Key::RegionLabel => "regionLabel",
        }
    }

    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The library's own wording; `None` for a language it has no texts for.
pub fn built_in(lang: &str, key: Key) -> Option<&'static str> {
    let text = match (lang, key) {
        ("en", Key::BarTitle) => "Cookies on this site",
        ("en", Key::BarText) => "We use necessary cookies to run this site. With your consent we also use analytics cookies to learn how the site is used, and marketing cookies to show you relevant ads. You can change your choice at any time.",
        ("en", Key::AcceptAll) => "Accept all",
        ("en", Key::RejectAll) => "Reject all",
        ("en", Key::PolicyLink) => "Cookie policy",
        ("en", Key::RegionLabel) => "Cookie consent",
        ("lv", Key::BarTitle) => "Sīkdatnes šajā vietnē",
        ("lv", Key::BarText) => "Vietnes darbībai mēs izmantojam nepieciešamās sīkdatnes. Ar jūsu piekrišanu izmantojam arī analītiskās sīkdatnes, lai saprastu, kā vietne tiek lietota, un mārketinga sīkdatnes, lai rādītu jums atbilstošas reklāmas. Savu izvēli varat mainīt jebkurā laikā.",
        ("lv", Key::AcceptAll) => "Pieņemt visas",
        ("lv", Key::RejectAll) => "Noraidīt visas",
        ("lv", Key::PolicyLink) => "Sīkdatņu politika",
        ("lv", Key::RegionLabel) => "Piekrišana sīkdatnēm",
        ("ru", Key::BarTitle) => "Файлы cookie на этом сайте",
        ("ru", Key::BarText) => "Для работы сайта мы используем необходимые файлы cookie. С вашего согласия мы также используем аналитические cookie, чтобы понимать, как используется сайт, и маркетинговые cookie, чтобы показывать вам подходящую рекламу. Свой выбор можно изменить в любое время.",
        ("ru", Key::AcceptAll) => "Принять все",
        ("ru", Key::RejectAll) => "Отклонить все",
        ("ru", Key::PolicyLink) => "Политика cookie",
        ("ru", Key::RegionLabel) => "Согласие на cookie",
        _ => return None,
    };
    Some(text)
}

/// The texts for one language: the config's overrides over the built-in ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    pub lang: String,
    overrides: BTreeMap<String, String>,
}

impl Texts {
    pub fn new(lang: &str, overrides: BTreeMap<String, String>) -> Texts {
        Texts { lang: lang.to_owned(), overrides }
    }

    /// The text for `key`. A language without built-in texts must override
    /// every key (the config checks that); English is the last resort.
    pub fn get(&self, key: Key) -> &str {
        self.overrides
            .get(key.name())
            .map(String::as_str)
            .or_else(|| built_in(&self.lang, key))
            .or_else(|| built_in("en", key))
            .unwrap_or_default()
    }
}

/// The primary subtag of a language tag, lower-cased: "lv-LV" → "lv".
pub fn primary_subtag(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Picks the visitor's language: the first candidate (config, then `<html
/// lang>`, then the browser's languages) that the site enables, else the
/// site's default.
pub fn choose_language<'a>(candidates: impl IntoIterator<Item = &'a str>, enabled: &[String], default: &str) -> String {
    candidates
        .into_iter()
        .map(primary_subtag)
        .find(|lang| enabled.contains(lang))
        .unwrap_or_else(|| default.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_language_has_every_text() {
        for lang in BUILT_IN {
            for key in Key::ALL {
                let text = built_in(lang, key).unwrap_or_default();
                assert!(!text.trim().is_empty(), "{lang}.{}", key.name());
            }
        }
    }

    #[test]
    fn accept_and_reject_read_differently_in_every_language() {
        for lang in BUILT_IN {
            assert_ne!(built_in(lang, Key::AcceptAll), built_in(lang, Key::RejectAll));
        }
    }

    #[test]
    fn overrides_win_over_built_in_texts() {
        let texts = Texts::new("lv", BTreeMap::from([("acceptAll".to_owned(), "Piekrītu".to_owned())]));
        assert_eq!(texts.get(Key::AcceptAll), "Piekrītu");
        assert_eq!(texts.get(Key::RejectAll), "Noraidīt visas");
    }

    #[test]
    fn key_names_round_trip() {
        for key in Key::ALL {
            assert_eq!(Key::from_name(key.name()), Some(key));
        }
    }

    #[test]
    fn language_follows_the_first_enabled_candidate() {
        let enabled = vec!["lv".to_owned(), "ru".to_owned(), "en".to_owned()];
        assert_eq!(choose_language(["ru-LV", "en"], &enabled, "lv"), "ru");
        assert_eq!(choose_language(["de-DE", "EN_us"], &enabled, "lv"), "en");
        assert_eq!(choose_language(["de", ""], &enabled, "lv"), "lv");
        assert_eq!(choose_language([], &enabled, "lv"), "lv");
    }
}
