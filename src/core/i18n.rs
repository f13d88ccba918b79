//! Built-in texts in Latvian, Russian and English, overridable per language by
//! the config, and the choice of language for a visitor.

use super::category::{Category, Signals};
use super::lifetime::{Lifetime, Unit};

/// Languages with texts written into the library.
pub const BUILT_IN: [&str; 3] = ["lv", "ru", "en"];

/// Every text the interface shows. The config overrides them by these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    BarTitle,
    BarText,
    AcceptAll,
    RejectAll,
    Settings,
    PolicyLink,
    RegionLabel,
    DoNotTrackNotice,
    PrivacyControlNotice,
    ChangedNotice,
    PolicyChangedNotice,
    PreferencesTitle,
    PreferencesText,
    Save,
    Close,
    AlwaysOn,
    CategoryNecessary,
    CategoryAnalytics,
    CategoryMarketing,
    NecessaryText,
    AnalyticsText,
    MarketingText,
    Partners,
    NoPartners,
    KeptFor,
    PrivacyNotice,
    OpenSettings,
    DeclarationVendor,
    DeclarationPurpose,
    DeclarationLifetime,
    ThirdPartyNote,
    BarTextShort,
    SavedAll,
    SavedNone,
    SavedAnalytics,
    SavedMarketing,
    Reloading,
    NewTab,
    AcceptAllButAnalytics,
    CookieNames,
    OwnStorage,
    OwnRecord,
    OwnFirstSeen,
    OwnMirror,
    StoredFor,
    ChoiceHoldsFor,
    OwnRecordCookie,
    DeclarationParty,
    FirstParty,
    ThirdParty,
    OwnOutbox,
    YourConsent,
    LoadVideo,
    LoadMap,
    AlwaysAllow,
    EmbedNotice,
    EmbedPrivacy,
}

impl Key {
    pub const ALL: [Key; 57] = [
        Key::BarTitle,
        Key::BarText,
        Key::AcceptAll,
        Key::RejectAll,
        Key::Settings,
        Key::PolicyLink,
        Key::RegionLabel,
        Key::DoNotTrackNotice,
        Key::PrivacyControlNotice,
        Key::ChangedNotice,
        Key::PolicyChangedNotice,
        Key::PreferencesTitle,
        Key::PreferencesText,
        Key::Save,
        Key::Close,
        Key::AlwaysOn,
        Key::CategoryNecessary,
        Key::CategoryAnalytics,
        Key::CategoryMarketing,
        Key::NecessaryText,
        Key::AnalyticsText,
        Key::MarketingText,
        Key::Partners,
        Key::NoPartners,
        Key::KeptFor,
        Key::PrivacyNotice,
        Key::OpenSettings,
        Key::DeclarationVendor,
        Key::DeclarationPurpose,
        Key::DeclarationLifetime,
        Key::ThirdPartyNote,
        Key::BarTextShort,
        Key::SavedAll,
        Key::SavedNone,
        Key::SavedAnalytics,
        Key::SavedMarketing,
        Key::Reloading,
        Key::NewTab,
        Key::AcceptAllButAnalytics,
        Key::CookieNames,
        Key::OwnStorage,
        Key::OwnRecord,
        Key::OwnFirstSeen,
        Key::OwnMirror,
        Key::StoredFor,
        Key::ChoiceHoldsFor,
        Key::OwnRecordCookie,
        Key::DeclarationParty,
        Key::FirstParty,
        Key::ThirdParty,
        Key::OwnOutbox,
        Key::YourConsent,
        Key::LoadVideo,
        Key::LoadMap,
        Key::AlwaysAllow,
        Key::EmbedNotice,
        Key::EmbedPrivacy,
    ];

    /// Texts added after the config's rule that a language without built-in
    /// texts gives every text: such a language may leave them out, so that a
    /// config written before them stays valid. The short bar text is then its
    /// own long one; the rest are said in English.
    pub const OPTIONAL: &'static [Key] = Key::ALL.split_at(Key::FIRST_OPTIONAL).1;

    /// Where the optional texts start in [`Key::ALL`]: every key added from
    /// here on is optional, so the list is written once.
    const FIRST_OPTIONAL: usize = 31;

    /// The key's name in the config's `texts`.
    pub fn name(self) -> &'static str {
        match self {
            Key::BarTitle => "barTitle",
            Key::BarText => "barText",
            Key::AcceptAll => "acceptAll",
            Key::RejectAll => "rejectAll",
            Key::Settings => "settings",
            Key::PolicyLink => "policyLink",
            Key::RegionLabel => "regionLabel",
            Key::DoNotTrackNotice => "doNotTrackNotice",
            Key::PrivacyControlNotice => "privacyControlNotice",
            Key::ChangedNotice => "changedNotice",
            Key::PolicyChangedNotice => "policyChangedNotice",
            Key::PreferencesTitle => "preferencesTitle",
            Key::PreferencesText => "preferencesText",
            Key::Save => "save",
            Key::Close => "close",
            Key::AlwaysOn => "alwaysOn",
            Key::CategoryNecessary => "categoryNecessary",
            Key::CategoryAnalytics => "categoryAnalytics",
            Key::CategoryMarketing => "categoryMarketing",
            Key::NecessaryText => "necessaryText",
            Key::AnalyticsText => "analyticsText",
            Key::MarketingText => "marketingText",
            Key::Partners => "partners",
            Key::NoPartners => "noPartners",
            Key::KeptFor => "keptFor",
            Key::PrivacyNotice => "privacyNotice",
            Key::OpenSettings => "openSettings",
            Key::DeclarationVendor => "declarationVendor",
            Key::DeclarationPurpose => "declarationPurpose",
            Key::DeclarationLifetime => "declarationLifetime",
            Key::ThirdPartyNote => "thirdPartyNote",
            Key::BarTextShort => "barTextShort",
            Key::SavedAll => "savedAll",
            Key::SavedNone => "savedNone",
            Key::SavedAnalytics => "savedAnalytics",
            Key::SavedMarketing => "savedMarketing",
            Key::Reloading => "reloading",
            Key::NewTab => "newTab",
            Key::AcceptAllButAnalytics => "acceptAllButAnalytics",
            Key::CookieNames => "cookieNames",
            Key::OwnStorage => "ownStorage",
            Key::OwnRecord => "ownRecord",
            Key::OwnFirstSeen => "ownFirstSeen",
            Key::OwnMirror => "ownMirror",
            Key::StoredFor => "storedFor",
            Key::ChoiceHoldsFor => "choiceHoldsFor",
            Key::OwnRecordCookie => "ownRecordCookie",
            Key::DeclarationParty => "declarationParty",
            Key::FirstParty => "firstParty",
            Key::ThirdParty => "thirdParty",
            Key::OwnOutbox => "ownOutbox",
            Key::YourConsent => "yourConsent",
            Key::LoadVideo => "loadVideo",
            Key::LoadMap => "loadMap",
            Key::AlwaysAllow => "alwaysAllow",
            Key::EmbedNotice => "embedNotice",
            Key::EmbedPrivacy => "embedPrivacy",
        }
    }

    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The floating button's built-in label, on its own: the gate draws that
/// button on every page, and must not carry every other text to do it.
pub fn open_settings_label(lang: &str) -> Option<&'static str> {
    Some(match lang {
        "en" => "Cookie settings",
        "lv" => "Sīkdatņu iestatījumi",
        "ru" => "Настройки cookie",
        _ => return None,
    })
}

/// What the gate says in its live region after a choice, on its own like
/// the floating button's label: the gate carries these and no other text.
pub fn status_text(lang: &str, key: Key) -> Option<&'static str> {
    Some(match (lang, key) {
        ("en", Key::SavedAll) => "Your choice is saved: all cookies are allowed.",
        ("en", Key::SavedNone) => "Your choice is saved: only necessary cookies are used.",
        ("en", Key::SavedAnalytics) => {
            "Your choice is saved: analytics cookies are allowed, marketing cookies are not."
        }
        ("en", Key::SavedMarketing) => {
            "Your choice is saved: marketing cookies are allowed, analytics cookies are not."
        }
        ("en", Key::Reloading) => "The page reloads now to stop the cookies you turned off.",
        ("lv", Key::SavedAll) => "Jūsu izvēle saglabāta: atļautas visas sīkdatnes.",
        ("lv", Key::SavedNone) => "Jūsu izvēle saglabāta: tiek izmantotas tikai nepieciešamās sīkdatnes.",
        ("lv", Key::SavedAnalytics) => {
            "Jūsu izvēle saglabāta: analītiskās sīkdatnes atļautas, mārketinga sīkdatnes – nē."
        }
        ("lv", Key::SavedMarketing) => {
            "Jūsu izvēle saglabāta: mārketinga sīkdatnes atļautas, analītiskās sīkdatnes – nē."
        }
        ("lv", Key::Reloading) => "Lapa tagad tiks pārlādēta, lai apturētu sīkdatnes, kuras izslēdzāt.",
        ("ru", Key::SavedAll) => "Ваш выбор сохранён: разрешены все файлы cookie.",
        ("ru", Key::SavedNone) => "Ваш выбор сохранён: используются только необходимые файлы cookie.",
        ("ru", Key::SavedAnalytics) => "Ваш выбор сохранён: аналитические cookie разрешены, маркетинговые – нет.",
        ("ru", Key::SavedMarketing) => "Ваш выбор сохранён: маркетинговые cookie разрешены, аналитические – нет.",
        ("ru", Key::Reloading) => "Страница сейчас перезагрузится, чтобы остановить отключённые вами cookie.",
        _ => return None,
    })
}

/// The status text that names `choices` once saved.
pub fn saved_key(choices: super::category::Choices) -> Key {
    match (choices.analytics, choices.marketing) {
        (true, true) => Key::SavedAll,
        (false, false) => Key::SavedNone,
        (true, false) => Key::SavedAnalytics,
        (false, true) => Key::SavedMarketing,
    }
}

/// The embed placeholder's texts (issue 19), on their own like the status
/// texts: the markup part carries these and no other text. `{provider}`,
/// `{cookies}` and `{lifetime}` are filled in by the placeholder.
pub fn embed_text(lang: &str, key: Key) -> Option<&'static str> {
    Some(match (lang, key) {
        ("en", Key::LoadVideo) => "Load this video",
        ("en", Key::LoadMap) => "Load this map",
        ("en", Key::AlwaysAllow) => "Always allow {provider}",
        ("en", Key::EmbedNotice) => {
            "Loading this content lets {provider} set cookies in your browser ({cookies}), kept for up to {lifetime}."
        }
        ("en", Key::EmbedPrivacy) => "{provider}'s privacy notice",
        ("lv", Key::LoadVideo) => "Ielādēt šo video",
        ("lv", Key::LoadMap) => "Ielādēt šo karti",
        ("lv", Key::AlwaysAllow) => "Vienmēr atļaut {provider}",
        ("lv", Key::EmbedNotice) => {
            "Ielādējot šo saturu, {provider} jūsu pārlūkā saglabās sīkdatnes ({cookies}). Maksimālais glabāšanas laiks: {lifetime}."
        }
        ("lv", Key::EmbedPrivacy) => "{provider} privātuma politika",
        ("ru", Key::LoadVideo) => "Загрузить это видео",
        ("ru", Key::LoadMap) => "Загрузить эту карту",
        ("ru", Key::AlwaysAllow) => "Всегда разрешать {provider}",
        ("ru", Key::EmbedNotice) => {
            "При загрузке этого содержимого {provider} сохранит в вашем браузере файлы cookie ({cookies}). Максимальный срок хранения: {lifetime}."
        }
        ("ru", Key::EmbedPrivacy) => "Политика конфиденциальности {provider}",
        _ => return None,
    })
}

/// The library's own wording; `None` for a language it has no texts for.
pub fn built_in(lang: &str, key: Key) -> Option<&'static str> {
    if matches!(key, Key::LoadVideo | Key::LoadMap | Key::AlwaysAllow | Key::EmbedNotice | Key::EmbedPrivacy) {
        return embed_text(lang, key);
    }
    if key == Key::OpenSettings {
        return open_settings_label(lang);
    }
    if matches!(key, Key::SavedAll | Key::SavedNone | Key::SavedAnalytics | Key::SavedMarketing | Key::Reloading) {
        return status_text(lang, key);
    }
    let text = match (lang, key) {
        ("en", Key::BarTitle) => "Cookies on this site",
        ("en", Key::BarText) => "We use necessary cookies to run this site. With your consent we also use analytics cookies to learn how the site is used, and marketing cookies to show you relevant ads. You can change your choice at any time.",
        ("en", Key::AcceptAll) => "Accept all",
        ("en", Key::RejectAll) => "Reject all",
        ("en", Key::Settings) => "Settings",
        ("en", Key::PolicyLink) => "Cookie policy",
        ("en", Key::RegionLabel) => "Cookie consent",
        ("en", Key::DoNotTrackNotice) => "Do Not Track is on in your browser, so analytics cookies are not used unless you switch them on in the settings.",
        ("en", Key::PrivacyControlNotice) => "Your browser sends Global Privacy Control, so analytics and marketing cookies stay off unless you switch them on in the settings.",
        ("en", Key::ChangedNotice) => "Our partners have changed since your last choice in:",
        ("en", Key::PolicyChangedNotice) => "Our cookie policy has changed since your last choice.",
        ("en", Key::PreferencesTitle) => "Cookie settings",
        ("en", Key::PreferencesText) => "Choose which cookies we may use. Necessary cookies are always on, because the site cannot work without them. You can change your choice at any time.",
        ("en", Key::Save) => "Save choices",
        ("en", Key::Close) => "Close",
        ("en", Key::AlwaysOn) => "Always on",
        ("en", Key::CategoryNecessary) => "Necessary cookies",
        ("en", Key::CategoryAnalytics) => "Analytics cookies",
        ("en", Key::CategoryMarketing) => "Marketing cookies",
        ("en", Key::NecessaryText) => "Run the site and keep it secure, and remember your language and this choice.",
        ("en", Key::AnalyticsText) => "Show us how visitors use the site, so that we can improve it.",
        ("en", Key::MarketingText) => "Let us and our advertising partners show you ads that match your interests, and measure how well they work.",
        ("en", Key::Partners) => "Partners",
        ("en", Key::NoPartners) => "No partners in this category.",
        ("en", Key::KeptFor) => "Cookies kept for at most:",
        ("en", Key::PrivacyNotice) => "Privacy notice",
        ("en", Key::BarTextShort) => "We use necessary cookies to run the site, and analytics and marketing cookies only with your consent.",
        ("en", Key::NewTab) => "opens in a new tab",
        ("en", Key::AcceptAllButAnalytics) => "Accept all but analytics",
        ("en", Key::CookieNames) => "Cookies:",
        ("en", Key::OwnStorage) => "Kept by this site",
        ("en", Key::OwnRecord) => "Your choice on cookies, with its date and a random id (browser storage).",
        ("en", Key::OwnFirstSeen) => "When each partner cookie first appeared, so that none is kept longer than stated (browser storage; each entry goes with its cookie).",
        ("en", Key::OwnMirror) => "A copy of your choice for the site's server (cookie).",
        ("en", Key::StoredFor) => "Kept for at most:",
        ("en", Key::ChoiceHoldsFor) => "Your choice holds for:",
        ("en", Key::OwnRecordCookie) => "Your choice, kept in a cookie where browser storage is refused.",
        ("en", Key::DeclarationParty) => "First or third party",
        ("en", Key::FirstParty) => "First party (this site)",
        ("en", Key::ThirdParty) => "third party ({domains})",
        ("en", Key::OwnOutbox) => "Receipts of your choices not yet delivered to the site's consent log (browser storage; each goes once delivered).",
        ("en", Key::YourConsent) => "Your consent ID is {id}; your choice was saved on {date}. Quote the ID if you ask us about your consent.",
        ("lv", Key::BarTitle) => "Sīkdatnes šajā vietnē",
        ("lv", Key::BarText) => "Vietnes darbībai izmantojam nepieciešamās sīkdatnes. Ar jūsu piekrišanu izmantojam arī analītiskās sīkdatnes, lai saprastu, kā apmeklētāji izmanto vietni, un mārketinga sīkdatnes, lai rādītu jums atbilstošas reklāmas. Savu izvēli varat mainīt jebkurā laikā.",
        ("lv", Key::AcceptAll) => "Pieņemt visas",
        ("lv", Key::RejectAll) => "Noraidīt visas",
        ("lv", Key::Settings) => "Iestatījumi",
        ("lv", Key::PolicyLink) => "Sīkdatņu politika",
        ("lv", Key::RegionLabel) => "Piekrišana sīkdatnēm",
        ("lv", Key::DoNotTrackNotice) => "Jūsu pārlūkprogrammā ieslēgts pieprasījums “Neizsekot” (Do Not Track), tāpēc analītiskās sīkdatnes netiek izmantotas, ja vien tās neieslēgsiet iestatījumos.",
        ("lv", Key::PrivacyControlNotice) => "Jūsu pārlūks sūta signālu Global Privacy Control, tāpēc analītiskās un mārketinga sīkdatnes paliek izslēgtas, ja vien jūs tās neieslēdzat iestatījumos.",
        ("lv", Key::ChangedNotice) => "Kopš jūsu pēdējās izvēles ir mainījušies partneri kategorijā:",
        ("lv", Key::PolicyChangedNotice) => "Kopš jūsu pēdējās izvēles mūsu sīkdatņu politika ir mainījusies.",
        ("lv", Key::PreferencesTitle) => "Sīkdatņu iestatījumi",
        ("lv", Key::PreferencesText) => "Izvēlieties, kuras sīkdatnes drīkstam izmantot. Nepieciešamās sīkdatnes vienmēr ir ieslēgtas, jo bez tām vietne nedarbojas. Savu izvēli varat mainīt jebkurā laikā.",
        ("lv", Key::Save) => "Saglabāt izvēli",
        ("lv", Key::Close) => "Aizvērt",
        ("lv", Key::AlwaysOn) => "Vienmēr ieslēgtas",
        ("lv", Key::CategoryNecessary) => "Nepieciešamās sīkdatnes",
        ("lv", Key::CategoryAnalytics) => "Analītiskās sīkdatnes",
        ("lv", Key::CategoryMarketing) => "Mārketinga sīkdatnes",
        ("lv", Key::NecessaryText) => "Nodrošina vietnes darbību un drošību, kā arī atceras jūsu valodu un šo izvēli.",
        ("lv", Key::AnalyticsText) => "Palīdz mums saprast, kā apmeklētāji izmanto vietni, lai mēs to varētu uzlabot.",
        ("lv", Key::MarketingText) => "Ļauj mums un mūsu reklāmas partneriem rādīt jums interesēm atbilstošas reklāmas un mērīt to efektivitāti.",
        ("lv", Key::Partners) => "Partneri",
        ("lv", Key::NoPartners) => "Šajā kategorijā nav partneru.",
        ("lv", Key::KeptFor) => "Sīkdatņu maksimālais glabāšanas laiks:",
        ("lv", Key::PrivacyNotice) => "Privātuma politika",
        ("lv", Key::BarTextShort) => "Vietnes darbībai izmantojam nepieciešamās sīkdatnes, bet analītiskās un mārketinga sīkdatnes – tikai ar jūsu piekrišanu.",
        ("lv", Key::NewTab) => "atveras jaunā cilnē",
        ("lv", Key::AcceptAllButAnalytics) => "Pieņemt visas, izņemot analītiskās",
        ("lv", Key::CookieNames) => "Sīkdatnes:",
        ("lv", Key::OwnStorage) => "Ko glabā šī vietne",
        ("lv", Key::OwnRecord) => "Jūsu izvēle par sīkdatnēm ar tās datumu un nejaušu identifikatoru (pārlūkprogrammas krātuvē).",
        ("lv", Key::OwnFirstSeen) => "Kad katra partnera sīkdatne parādījās pirmo reizi, lai neviena netiktu glabāta ilgāk, nekā norādīts (pārlūkprogrammas krātuvē; ieraksts tiek dzēsts kopā ar sīkdatni).",
        ("lv", Key::OwnMirror) => "Jūsu izvēles kopija vietnes serverim (sīkdatne).",
        ("lv", Key::StoredFor) => "Maksimālais glabāšanas laiks:",
        ("lv", Key::ChoiceHoldsFor) => "Jūsu izvēle ir spēkā:",
        ("lv", Key::OwnRecordCookie) => "Jūsu izvēle, kas glabājas sīkdatnē, ja pārlūkprogrammas krātuve nav pieejama.",
        ("lv", Key::DeclarationParty) => "Pirmās vai trešās puses",
        ("lv", Key::FirstParty) => "Pirmās puses (šī vietne)",
        ("lv", Key::ThirdParty) => "trešās puses ({domains})",
        ("lv", Key::OwnOutbox) => "Jūsu izvēļu apliecinājumi, kas vēl nav nosūtīti vietnes piekrišanu žurnālam (pārlūka krātuve; katrs tiek dzēsts, tiklīdz nosūtīts).",
        ("lv", Key::YourConsent) => "Jūsu piekrišanas ID ir {id}; izvēle saglabāta {date}. Norādiet šo ID, ja sazināties ar mums par savu piekrišanu.",
        ("ru", Key::BarTitle) => "Файлы cookie на этом сайте",
        ("ru", Key::BarText) => "Для работы сайта мы используем необходимые файлы cookie. С вашего согласия мы также используем аналитические cookie, чтобы понимать, как используется сайт, и маркетинговые cookie, чтобы показывать вам подходящую рекламу. Свой выбор можно изменить в любое время.",
        ("ru", Key::AcceptAll) => "Принять все",
        ("ru", Key::RejectAll) => "Отклонить все",
        ("ru", Key::Settings) => "Настройки",
        ("ru", Key::PolicyLink) => "Политика cookie",
        ("ru", Key::RegionLabel) => "Согласие на cookie",
        ("ru", Key::DoNotTrackNotice) => "В вашем браузере включён запрет отслеживания (Do Not Track), поэтому аналитические cookie отключены, пока вы не включите их в настройках.",
        ("ru", Key::PrivacyControlNotice) => "Ваш браузер передаёт сигнал Global Privacy Control, поэтому аналитические и маркетинговые cookie остаются выключенными, пока вы не включите их в настройках.",
        ("ru", Key::ChangedNotice) => "С момента вашего последнего выбора изменился список партнёров в категории {categories}.",
        ("ru", Key::PolicyChangedNotice) => "С момента вашего последнего выбора наша политика cookie изменилась.",
        ("ru", Key::PreferencesTitle) => "Настройки cookie",
        ("ru", Key::PreferencesText) => "Выберите, какие cookie мы можем использовать. Необходимые cookie включены всегда, потому что без них сайт не работает. Свой выбор можно изменить в любое время.",
        ("ru", Key::Save) => "Сохранить выбор",
        ("ru", Key::Close) => "Закрыть",
        ("ru", Key::AlwaysOn) => "Всегда включены",
        ("ru", Key::CategoryNecessary) => "Необходимые файлы cookie",
        ("ru", Key::CategoryAnalytics) => "Аналитические файлы cookie",
        ("ru", Key::CategoryMarketing) => "Маркетинговые файлы cookie",
        ("ru", Key::NecessaryText) => "Обеспечивают работу и безопасность сайта, запоминают ваш язык и этот выбор.",
        ("ru", Key::AnalyticsText) => "Помогают нам понять, как посетители пользуются сайтом, чтобы мы могли его улучшать.",
        ("ru", Key::MarketingText) => "Позволяют нам и нашим рекламным партнёрам показывать вам рекламу по вашим интересам и оценивать её эффективность.",
        ("ru", Key::Partners) => "Партнёры",
        ("ru", Key::NoPartners) => "В этой категории нет партнёров.",
        ("ru", Key::KeptFor) => "Максимальный срок хранения cookie:",
        ("ru", Key::PrivacyNotice) => "Политика конфиденциальности",
        ("ru", Key::BarTextShort) => "Необходимые cookie нужны для работы сайта, аналитические и маркетинговые – только с вашего согласия.",
        ("ru", Key::NewTab) => "открывается в новой вкладке",
        ("ru", Key::AcceptAllButAnalytics) => "Принять все, кроме аналитических",
        ("ru", Key::CookieNames) => "Файлы cookie:",
        ("ru", Key::OwnStorage) => "Что хранит этот сайт",
        ("ru", Key::OwnRecord) => "Ваш выбор в отношении cookie с датой и случайным идентификатором (в хранилище браузера).",
        ("ru", Key::OwnFirstSeen) => "Когда впервые появился каждый cookie партнёров, чтобы ни один не хранился дольше указанного (в хранилище браузера; запись удаляется вместе с cookie).",
        ("ru", Key::OwnMirror) => "Копия вашего выбора для сервера сайта (cookie).",
        ("ru", Key::StoredFor) => "Максимальный срок хранения:",
        ("ru", Key::ChoiceHoldsFor) => "Ваш выбор действует:",
        ("ru", Key::OwnRecordCookie) => "Ваш выбор, сохранённый в cookie, если хранилище браузера недоступно.",
        ("ru", Key::DeclarationParty) => "Собственные или сторонние",
        ("ru", Key::FirstParty) => "Собственные (этот сайт)",
        ("ru", Key::ThirdParty) => "сторонние ({domains})",
        ("ru", Key::OwnOutbox) => "Подтверждения вашего выбора, ещё не доставленные в журнал согласий сайта (хранилище браузера; каждое удаляется после доставки).",
        ("ru", Key::YourConsent) => "Идентификатор вашего согласия: {id}; выбор сохранён {date}. Укажите этот идентификатор, если обращаетесь к нам по поводу согласия.",
        // The cookie declaration's column headings (category names and the
        // privacy notice heading are shared with the settings dialog), and
        // its note on third-party cookies; `{domains}` becomes the domains.
        ("en", Key::DeclarationVendor) => "Vendor",
        ("en", Key::DeclarationPurpose) => "Purpose",
        ("en", Key::DeclarationLifetime) => "Kept for up to",
        ("en", Key::ThirdPartyNote) => "These vendors also set cookies on their own domains ({domains}). This site cannot read, limit or delete those cookies; each vendor's privacy notice says how long it keeps them.",
        ("lv", Key::DeclarationVendor) => "Pakalpojumu sniedzējs",
        ("lv", Key::DeclarationPurpose) => "Mērķis",
        ("lv", Key::DeclarationLifetime) => "Maksimālais glabāšanas laiks",
        ("lv", Key::ThirdPartyNote) => "Šie pakalpojumu sniedzēji sīkdatnes iestata arī savos domēnos ({domains}). Šī vietne nevar tās nolasīt, ierobežot vai dzēst; cik ilgi tās tiek glabātas, norādīts katra pakalpojumu sniedzēja privātuma politikā.",
        ("ru", Key::DeclarationVendor) => "Поставщик",
        ("ru", Key::DeclarationPurpose) => "Цель",
        ("ru", Key::DeclarationLifetime) => "Максимальный срок хранения",
        ("ru", Key::ThirdPartyNote) => "Эти поставщики также устанавливают файлы cookie на своих доменах ({domains}). Этот сайт не может прочитать, ограничить или удалить такие файлы cookie; срок их хранения указан в политике конфиденциальности каждого поставщика.",
        _ => return None,
    };
    Some(text)
}

/// Texts by name or by language. A few dozen entries at most, so a plain
/// list: a BTreeMap would add its own copy of the tree code to the wasm.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextMap(Vec<(String, String)>);

impl TextMap {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, text)| text.as_str())
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key`, replacing the text of a key already there.
    pub fn insert(&mut self, key: String, text: String) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = text,
            None => self.0.push((key, text)),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, text)| (k.as_str(), text.as_str()))
    }
}

impl<const N: usize> From<[(&str, &str); N]> for TextMap {
    fn from(entries: [(&str, &str); N]) -> TextMap {
        TextMap(entries.iter().map(|(k, text)| ((*k).to_owned(), (*text).to_owned())).collect())
    }
}

// Host only: the config's serde model (for its JSON Schema) reads and
// describes a TextMap as the JSON object it is written as.
#[cfg(not(target_arch = "wasm32"))]
impl<'de> serde::Deserialize<'de> for TextMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<String, String>::deserialize(d)?;
        Ok(TextMap(map.into_iter().collect()))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl schemars::JsonSchema for TextMap {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TextMap".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <std::collections::BTreeMap<String, String>>::json_schema(generator)
    }
}

/// The texts for one language: the config's overrides over the built-in ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    pub lang: String,
    overrides: TextMap,
}

impl Texts {
    pub fn new(lang: &str, overrides: TextMap) -> Texts {
        Texts { lang: lang.to_owned(), overrides }
    }

    /// The config's own text for `key`, if it gives one.
    pub fn own(&self, key: Key) -> Option<&str> {
        self.overrides.get(key.name())
    }

    /// The text for `key`. A language without built-in texts must override
    /// every key (the config checks that); English is the last resort.
    pub fn get(&self, key: Key) -> &str {
        // A site that words the bar itself gets its own words on phones too.
        let own_long_text = || (key == Key::BarTextShort).then(|| self.own(Key::BarText)).flatten();
        self.overrides
            .get(key.name())
            .or_else(own_long_text)
            .or_else(|| built_in(&self.lang, key))
            .or_else(|| built_in("en", key))
            .unwrap_or_default()
    }
}

/// A piece of a text with `{name}` placeholders (see [`for_each_piece`]).
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'t> {
    Text(&'t str),
    /// The placeholder of `names[index]`.
    Slot(usize),
}

/// Walks `template` in order: its literal runs, and each `{name}` whose name
/// is one of `names`. Any other `{` stays text. By hand, without
/// `str::replace` or slicing by index: those bring code of their own into
/// the wasm (see bench/SIZE.md).
pub fn for_each_piece<'t>(template: &'t str, names: &[&str], mut piece: impl FnMut(Piece<'t>)) {
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        piece(Piece::Text(before));
        let slot = after.split_once('}').and_then(|(name, tail)| Some((names.iter().position(|n| *n == name)?, tail)));
        match slot {
            Some((index, tail)) => {
                piece(Piece::Slot(index));
                rest = tail;
            }
            None => {
                piece(Piece::Text("{"));
                rest = after;
            }
        }
    }
    piece(Piece::Text(rest));
}

/// `template` with each `{names[i]}` filled in with `values[i]`.
pub fn fill(template: &str, names: &[&str], values: &[&str]) -> String {
    let mut out = String::new();
    for_each_piece(template, names, |piece| match piece {
        Piece::Text(text) => out.push_str(text),
        Piece::Slot(index) => out.push_str(values.get(index).copied().unwrap_or_default()),
    });
    out
}

/// The notice that the partners changed in `categories` since the last
/// choice. The text names them where it says `{categories}`, else after it
/// (as a site's own text written before the placeholder expects); Russian
/// quotes each name.
pub fn changed_notice(texts: &Texts, categories: &[Category]) -> String {
    // Built by hand, without `join` or `str::replace`: those bring code the
    // ui part has no other use for (4 KB gzip).
    let (open, close) = if texts.lang == "ru" { ("«", "»") } else { ("", "") };
    let mut names = String::new();
    for (n, category) in categories.iter().enumerate() {
        if n > 0 {
            names.push_str(", ");
        }
        names.push_str(open);
        names.push_str(texts.get(category_keys(*category).0));
        names.push_str(close);
    }
    let mut notice = String::new();
    let mut named = false;
    for_each_piece(texts.get(Key::ChangedNotice), &["categories"], |piece| match piece {
        Piece::Text(text) => notice.push_str(text),
        Piece::Slot(_) => {
            notice.push_str(&names);
            named = true;
        }
    });
    if !named {
        notice.push(' ');
        notice.push_str(&names);
        notice.push('.');
    }
    notice
}

/// The label of "accept all", true to what it grants under the browser's
/// signals: all but analytics under Do Not Track; `None` under Global
/// Privacy Control, where it would grant nothing (only a switch can).
pub fn accept_key(signals: Signals) -> Option<Key> {
    if signals.global_privacy_control {
        None
    } else if signals.do_not_track {
        Some(Key::AcceptAllButAnalytics)
    } else {
        Some(Key::AcceptAll)
    }
}

/// The sentence naming the browser's signal in force and what it refuses.
pub fn signal_notice(signals: Signals) -> Option<Key> {
    if signals.global_privacy_control {
        Some(Key::PrivacyControlNotice)
    } else if signals.do_not_track {
        Some(Key::DoNotTrackNotice)
    } else {
        None
    }
}

/// The keys naming and describing a category.
pub fn category_keys(category: Category) -> (Key, Key) {
    match category {
        Category::Necessary => (Key::CategoryNecessary, Key::NecessaryText),
        Category::Analytics => (Key::CategoryAnalytics, Key::AnalyticsText),
        Category::Marketing => (Key::CategoryMarketing, Key::MarketingText),
    }
}

/// A lifetime in words, with the language's plural forms: "13 months",
/// "13 mēneši", "13 месяцев". Languages without built-in texts get English.
pub fn lifetime_text(lang: &str, lifetime: Lifetime) -> String {
    let n = lifetime.amount;
    let word = match lang {
        "lv" => {
            // Latvian: the singular after numbers ending in 1, except 11.
            let singular = n % 10 == 1 && n % 100 != 11;
            match (lifetime.unit, singular) {
                (Unit::Days, true) => "diena",
                (Unit::Days, false) => "dienas",
                (Unit::Months, true) => "mēnesis",
                (Unit::Months, false) => "mēneši",
                (Unit::Years, true) => "gads",
                (Unit::Years, false) => "gadi",
            }
        }
        "ru" => {
            let form = russian_plural(n);
            let forms = match lifetime.unit {
                Unit::Days => ["день", "дня", "дней"],
                Unit::Months => ["месяц", "месяца", "месяцев"],
                Unit::Years => ["год", "года", "лет"],
            };
            forms[form]
        }
        _ => return lifetime.to_string(),
    };
    format!("{n} {word}")
}

/// Russian's three plural forms: 1 (21, 31…), 2–4 (22–24…), the rest.
fn russian_plural(n: u32) -> usize {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => 0,
        (2..=4, r) if !(12..=14).contains(&r) => 1,
        _ => 2,
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
    candidates.into_iter().map(primary_subtag).find(|lang| enabled.contains(lang)).unwrap_or_else(|| default.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_wherever_they_are_and_other_braces_stay() {
        assert_eq!(fill("On {domains}.", &["domains"], &["a.com, b.net"]), "On a.com, b.net.");
        assert_eq!(fill("{x} {domains}{domains} {", &["domains"], &["d"]), "{x} dd {");
        assert_eq!(fill("{b} then {a}", &["a", "b"], &["1", "2"]), "2 then 1");
        assert_eq!(fill("no placeholder", &["a"], &["1"]), "no placeholder");
        let mut pieces = Vec::new();
        for_each_piece("ID {id}, {date}.", &["id", "date"], |p| pieces.push(p));
        assert_eq!(pieces, [Piece::Text("ID "), Piece::Slot(0), Piece::Text(", "), Piece::Slot(1), Piece::Text(".")]);
    }

    #[test]
    fn the_optional_texts_are_the_ones_added_after_the_rule() {
        assert_eq!(Key::OPTIONAL.first(), Some(&Key::BarTextShort));
        assert_eq!(Key::OPTIONAL.len(), 26);
        assert!(!Key::OPTIONAL.contains(&Key::ThirdPartyNote));
    }

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
        let texts = Texts::new("lv", TextMap::from([("acceptAll", "Piekrītu")]));
        assert_eq!(texts.get(Key::AcceptAll), "Piekrītu");
        assert_eq!(texts.get(Key::RejectAll), "Noraidīt visas");
    }

    #[test]
    fn the_short_bar_text_is_the_site_s_own_long_one_when_it_words_the_bar() {
        assert_eq!(
            Texts::new("lv", TextMap::default()).get(Key::BarTextShort),
            built_in("lv", Key::BarTextShort).unwrap()
        );
        let own = Texts::new("lv", TextMap::from([("barText", "Mūsu teksts.")]));
        assert_eq!(own.get(Key::BarTextShort), "Mūsu teksts.");
        let both = Texts::new("de", TextMap::from([("barText", "Lang."), ("barTextShort", "Kurz.")]));
        assert_eq!(both.get(Key::BarTextShort), "Kurz.");
        assert_eq!(Texts::new("de", TextMap::from([("barText", "Lang.")])).get(Key::BarTextShort), "Lang.");
        assert_eq!(Texts::new("de", TextMap::default()).get(Key::SavedAll), built_in("en", Key::SavedAll).unwrap());
    }

    #[test]
    fn the_saved_choice_is_named_by_what_is_on() {
        use crate::core::category::Choices;
        let said = |analytics, marketing| saved_key(Choices { analytics, marketing });
        assert_eq!(
            [said(true, true), said(false, false), said(true, false), said(false, true)],
            [Key::SavedAll, Key::SavedNone, Key::SavedAnalytics, Key::SavedMarketing]
        );
    }

    #[test]
    fn the_changed_notice_names_the_categories_in_each_language_s_way() {
        let notice = |lang: &str| changed_notice(&Texts::new(lang, TextMap::default()), &[Category::Marketing]);
        assert_eq!(
            notice("ru"),
            "С момента вашего последнего выбора изменился список партнёров в категории «Маркетинговые файлы cookie»."
        );
        assert_eq!(notice("lv"), "Kopš jūsu pēdējās izvēles ir mainījušies partneri kategorijā: Mārketinga sīkdatnes.");
        let own =
            Texts::new("de", TextMap::from([("changedNotice", "Geändert in:"), ("categoryMarketing", "Werbung")]));
        assert_eq!(changed_notice(&own, &[Category::Marketing]), "Geändert in: Werbung.");
    }

    #[test]
    fn key_names_round_trip() {
        for key in Key::ALL {
            assert_eq!(Key::from_name(key.name()), Some(key));
        }
    }

    #[test]
    fn lifetimes_use_each_language_s_plural_forms() {
        let cases = [
            ("180 days", "180 days", "180 dienas", "180 дней"),
            ("1 year", "1 year", "1 gads", "1 год"),
            ("13 months", "13 months", "13 mēneši", "13 месяцев"),
            ("21 days", "21 days", "21 diena", "21 день"),
            ("3 months", "3 months", "3 mēneši", "3 месяца"),
            ("11 months", "11 months", "11 mēneši", "11 месяцев"),
            ("2 years", "2 years", "2 gadi", "2 года"),
            ("5 years", "5 years", "5 gadi", "5 лет"),
        ];
        for (text, en, lv, ru) in cases {
            let l = Lifetime::parse(text).unwrap();
            assert_eq!(
                (lifetime_text("en", l), lifetime_text("lv", l), lifetime_text("ru", l)),
                (en.into(), lv.into(), ru.into())
            );
        }
        assert_eq!(lifetime_text("de", Lifetime::days(1)), "1 day");
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
