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
    DeclarationVendor,
    DeclarationPurpose,
    DeclarationLifetime,
    DeclarationPrivacy,
    CategoryAnalytics,
    CategoryMarketing,
    ThirdPartyNote,
}

impl Key {
    pub const ALL: [Key; 13] = [
        Key::BarTitle,
        Key::BarText,
        Key::AcceptAll,
        Key::RejectAll,
        Key::PolicyLink,
        Key::RegionLabel,
        Key::DeclarationVendor,
        Key::DeclarationPurpose,
        Key::DeclarationLifetime,
        Key::DeclarationPrivacy,
        Key::CategoryAnalytics,
        Key::CategoryMarketing,
        Key::ThirdPartyNote,
    ];

    /// The key's name in the config's `texts`.
    pub fn name(self) -> &'static str {
        match self {
            Key::BarTitle => "barTitle",
            Key::BarText => "barText",
            Key::AcceptAll => "acceptAll",
            Key::RejectAll => "rejectAll",
            Key::PolicyLink => "policyLink",
            Key::RegionLabel => "regionLabel",
            Key::DeclarationVendor => "declarationVendor",
            Key::DeclarationPurpose => "declarationPurpose",
            Key::DeclarationLifetime => "declarationLifetime",
            Key::DeclarationPrivacy => "declarationPrivacy",
            Key::CategoryAnalytics => "categoryAnalytics",
            Key::CategoryMarketing => "categoryMarketing",
            Key::ThirdPartyNote => "thirdPartyNote",
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
        // The cookie declaration; `{domains}` in the note is replaced by the
        // vendors' own domains.
        ("en", Key::DeclarationVendor) => "Vendor",
        ("en", Key::DeclarationPurpose) => "Purpose",
        ("en", Key::DeclarationLifetime) => "Kept for up to",
        ("en", Key::DeclarationPrivacy) => "Privacy notice",
        ("en", Key::CategoryAnalytics) => "Analytics cookies",
        ("en", Key::CategoryMarketing) => "Marketing cookies",
        ("en", Key::ThirdPartyNote) => "These vendors also set cookies on their own domains ({domains}). This site cannot read, limit or delete those cookies; each vendor's privacy notice says how long it keeps them.",
        ("lv", Key::DeclarationVendor) => "Pakalpojuma sniedzējs",
        ("lv", Key::DeclarationPurpose) => "Mērķis",
        ("lv", Key::DeclarationLifetime) => "Maksimālais glabāšanas ilgums",
        ("lv", Key::DeclarationPrivacy) => "Privātuma paziņojums",
        ("lv", Key::CategoryAnalytics) => "Analītiskās sīkdatnes",
        ("lv", Key::CategoryMarketing) => "Mārketinga sīkdatnes",
        ("lv", Key::ThirdPartyNote) => "Šie pakalpojumu sniedzēji sīkdatnes iestata arī savos domēnos ({domains}). Šī vietne nevar tās nolasīt, ierobežot vai dzēst; cik ilgi tās tiek glabātas, norādīts katra pakalpojumu sniedzēja privātuma paziņojumā.",
        ("ru", Key::DeclarationVendor) => "Поставщик",
        ("ru", Key::DeclarationPurpose) => "Цель",
        ("ru", Key::DeclarationLifetime) => "Максимальный срок хранения",
        ("ru", Key::DeclarationPrivacy) => "Политика конфиденциальности",
        ("ru", Key::CategoryAnalytics) => "Аналитические файлы cookie",
        ("ru", Key::CategoryMarketing) => "Маркетинговые файлы cookie",
        ("ru", Key::ThirdPartyNote) => "Эти поставщики также устанавливают файлы cookie на своих доменах ({domains}). Этот сайт не может прочитать, ограничить или удалить такие файлы cookie; срок их хранения указан в политике конфиденциальности каждого поставщика.",
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
