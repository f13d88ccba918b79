//! Gated markup: the rules for `data-consent` elements, kept free of the DOM.
//!
//! `<script type="text/plain" data-consent="analytics">`, and iframes and
//! images with `data-consent` and `data-src`, wait for their category. A value
//! the library does not know never activates: a typo must not load a tag.
//!
//! Gated markup is a way in for injected HTML: a `<script>` injected through
//! `innerHTML` never runs by itself, but the library makes a live copy of a
//! gated one, with the site's CSP nonce. So, when the library has a nonce, a
//! gated script runs only if its own element carried that nonce (injected
//! HTML cannot know a per-response nonce); sources must be http(s) or on the
//! site; event handlers and `srcdoc` are never carried over; `data-type` is a
//! JavaScript type or `module`.

use super::category::{Category, Choices};
use super::fingerprint::is_vendor_key;

/// What gated markup reads from the gate: the categories granted as a
/// whole, and each vendor of the config as `category:key` with its grant.
/// In the split build it reaches the markup part as [`MarkupGrants::code`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MarkupGrants {
    pub choices: Choices,
    pub vendors: Vec<(String, bool)>,
    /// What the embed placeholders show (issue 19); empty when the config
    /// has no embed vendor.
    pub embeds: Embeds,
}

/// The embed vendors of the config as placeholders need them, with the
/// visitor's language and the config's own texts for the placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Embeds {
    pub lang: String,
    /// The config's `ui.theme`, which the placeholders follow as the bar does.
    pub theme: super::config::Theme,
    /// The config's overrides of the placeholder's texts: (key name, text).
    pub texts: Vec<(String, String)>,
    pub vendors: Vec<EmbedVendor>,
}

/// One configured embed vendor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedVendor {
    /// `category:key`, as gated markup names it.
    pub name: String,
    /// Its type: `youtube`, `vimeo`, `google-maps`.
    pub kind: String,
    pub no_cookie: bool,
    /// The declared lifetime (put in words by the markup part, so the
    /// gate does without the languages' plural forms).
    pub lifetime: super::lifetime::Lifetime,
    pub privacy_url: String,
}

impl Embeds {
    /// The config's embed vendors in `lang`. `keys`: each vendor's key, in config order.
    pub fn of(config: &super::config::Config, keys: &[String], lang: &str) -> Embeds {
        let mut vendors = Vec::new();
        for (vendor, key) in config.vendors.iter().zip(keys) {
            let Some((_, no_cookie)) = vendor.tag.embed() else { continue };
            let mut name = String::from(vendor.category.as_str());
            name.push(':');
            name.push_str(key);
            vendors.push(EmbedVendor {
                name,
                kind: vendor.tag.kind().to_owned(),
                no_cookie,
                lifetime: vendor.lifetime,
                privacy_url: vendor.privacy_url.clone(),
            });
        }
        if vendors.is_empty() {
            return Embeds::default();
        }
        let texts = config.texts(lang);
        let mut own = Vec::new();
        for key in EMBED_KEYS {
            if let Some(text) = texts.own(key) {
                own.push((key.name().to_owned(), text.to_owned()));
            }
        }
        Embeds { lang: lang.to_owned(), theme: config.ui.theme, texts: own, vendors }
    }

    /// The placeholder's text for `key`: the config's, else the built-in one.
    pub fn text(&self, key: super::i18n::Key) -> &str {
        let own = self.texts.iter().find(|(k, _)| k == key.name()).map(|(_, t)| t.as_str());
        own.or_else(|| super::i18n::embed_text(&self.lang, key))
            .or_else(|| super::i18n::embed_text("en", key))
            .unwrap_or_default()
    }

    /// The vendor that gated markup names `value` (`marketing:youtube`).
    pub fn vendor(&self, value: &str) -> Option<&EmbedVendor> {
        let value = value.trim();
        self.vendors.iter().find(|v| v.name == value)
    }

    /// The embed vendor of an iframe gated by `value` with `data-src` `src`:
    /// the one `value` names, or, for a bare category (`marketing`), the
    /// vendor of that category whose embed address `src` is. So a YouTube
    /// iframe marked only `data-consent="marketing"` gets its placeholder too.
    pub fn vendor_of(&self, value: &str, src: &str) -> Option<&EmbedVendor> {
        if let Some(named) = self.vendor(value) {
            return Some(named);
        }
        let category = value.trim();
        if category.contains(':') {
            return None;
        }
        self.vendors.iter().find(|v| {
            v.name.split_once(':').is_some_and(|(c, _)| c == category)
                && crate::vendors::embed::embed(&v.kind).is_some_and(|e| e.accepts(src))
        })
    }

    /// Length-prefixed fields (`<bytes>:<text>`), so no text needs escaping.
    fn encode(&self, out: &mut String) {
        let mut field = |text: &str| {
            out.push_str(&text.len().to_string());
            out.push(':');
            out.push_str(text);
        };
        field(&self.lang);
        field(self.theme.as_str());
        field(&self.texts.len().to_string());
        for (key, text) in &self.texts {
            field(key);
            field(text);
        }
        for v in &self.vendors {
            field(&v.name);
            field(&v.kind);
            field(if v.no_cookie { "1" } else { "0" });
            let mut lifetime = v.lifetime.amount.to_string();
            lifetime.push(match v.lifetime.unit {
                super::lifetime::Unit::Days => 'd',
                super::lifetime::Unit::Months => 'm',
                super::lifetime::Unit::Years => 'y',
            });
            field(&lifetime);
            field(&v.privacy_url);
        }
    }

    fn decode(code: &str) -> Option<Embeds> {
        let mut rest = code;
        let mut next = || -> Option<String> {
            let (len, tail) = rest.split_once(':')?;
            let len: usize = len.parse().ok()?;
            let text = tail.get(..len)?.to_owned();
            rest = tail.get(len..)?;
            Some(text)
        };
        let lang = next()?;
        let theme = next()?;
        let theme = super::config::Theme::ALL.into_iter().find(|t| t.as_str() == theme)?;
        let mut embeds = Embeds { lang, theme, ..Embeds::default() };
        let count: usize = next()?.parse().ok()?;
        for _ in 0..count.min(EMBED_KEYS.len()) {
            embeds.texts.push((next()?, next()?));
        }
        let mut fields = Vec::new();
        while let Some(field) = next() {
            fields.push(field);
        }
        // Every field read, in whole vendors: anything else is no code.
        if !rest.is_empty() || fields.len() % 5 != 0 {
            return None;
        }
        let mut fields = fields.into_iter();
        while let (Some(name), Some(kind), Some(no_cookie), Some(lifetime), Some(privacy_url)) =
            (fields.next(), fields.next(), fields.next(), fields.next(), fields.next())
        {
            let unit = match lifetime.bytes().last()? {
                b'd' => super::lifetime::Unit::Days,
                b'm' => super::lifetime::Unit::Months,
                b'y' => super::lifetime::Unit::Years,
                _ => return None,
            };
            let amount = lifetime.get(..lifetime.len() - 1)?.parse().ok()?;
            let lifetime = super::lifetime::Lifetime { amount, unit };
            embeds.vendors.push(EmbedVendor { name, kind, no_cookie: no_cookie == "1", lifetime, privacy_url });
        }
        Some(embeds)
    }
}

/// The texts a placeholder shows.
pub const EMBED_KEYS: [super::i18n::Key; 5] = [
    super::i18n::Key::LoadVideo,
    super::i18n::Key::LoadMap,
    super::i18n::Key::AlwaysAllow,
    super::i18n::Key::EmbedNotice,
    super::i18n::Key::EmbedPrivacy,
];

impl MarkupGrants {
    /// Whether anything at all is granted (with nothing, gated markup is not even looked at).
    pub fn any(&self) -> bool {
        self.choices != Choices::NONE || self.vendors.iter().any(|(_, on)| *on)
    }

    /// Whether the element gated by `value` may come alive, or why its value is refused.
    pub fn allows(&self, value: &str) -> Result<bool, String> {
        let trimmed = value.trim();
        let Some((category, key)) = trimmed.split_once(':') else {
            return gate_category(value).map(|c| self.choices.allows(c));
        };
        let category = gate_category(category)?;
        let name = format!("{category}:{key}");
        match self.vendors.iter().find(|(n, _)| *n == name) {
            Some((_, on)) => Ok(*on),
            None => {
                let known: Vec<&str> = self
                    .vendors
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .filter(|n| {
                        n.starts_with(category.as_str()) && n.as_bytes().get(category.as_str().len()) == Some(&b':')
                    })
                    .collect();
                let listed = if known.is_empty() {
                    format!("{category} has no partners")
                } else {
                    format!("use one of \"{}\"", known.join("\", \""))
                };
                Err(format!(
                    "data-consent=\"{value}\" names a partner the config does not list in {category}; {listed}. The element stays inactive"
                ))
            }
        }
    }

    /// `<category bits>` then `;category:key=0|1` per vendor: `2;marketing:criteo=1`;
    /// then, with embed vendors, a newline and [`Embeds`]' fields.
    pub fn code(&self) -> String {
        let mut code = String::new();
        code.push(char::from(b'0' + self.choices.bits()));
        for (name, on) in &self.vendors {
            code.push(';');
            code.push_str(name);
            code.push_str(if *on { "=1" } else { "=0" });
        }
        if !self.embeds.vendors.is_empty() {
            code.push('\n');
            self.embeds.encode(&mut code);
        }
        code
    }

    /// Reads [`MarkupGrants::code`] back; `None` for anything else.
    pub fn from_code(code: &str) -> Option<MarkupGrants> {
        let (code, embeds) = match code.split_once('\n') {
            Some((grants, embeds)) => (grants, Embeds::decode(embeds)?),
            None => (code, Embeds::default()),
        };
        let mut parts = code.split(';');
        let choices = match parts.next()?.as_bytes() {
            [b @ b'0'..=b'3'] => Choices::from_bits(b - b'0'),
            _ => return None,
        };
        let vendors = parts
            .map(|part| {
                let (name, on) = part.split_once('=')?;
                let (category, key) = name.split_once(':')?;
                let on = match on {
                    "0" => false,
                    "1" => true,
                    _ => return None,
                };
                (Category::parse(category).is_some() && is_vendor_key(key)).then(|| (name.to_owned(), on))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(MarkupGrants { choices, vendors, embeds })
    }
}

/// The category a gated element waits for, or why its value is refused.
pub fn gate_category(value: &str) -> Result<Category, String> {
    match Category::parse(value.trim()) {
        Some(Category::Necessary) => Err(format!(
            "data-consent=\"{value}\" gates nothing: necessary is always on; remove the attribute and give the element its real type or src"
        )),
        Some(category) => Ok(category),
        None => Err(format!(
            "data-consent=\"{value}\" is not a category; use \"analytics\" or \"marketing\" (or a partner in one, like \"marketing:criteo\"). The element stays inactive"
        )),
    }
}

/// Names a gated element in messages: `<iframe data-consent="marketing" data-src="…">`.
/// `source` is the attribute that holds its URL or content, if any; long
/// values are cut, so a `data:` URL does not flood the console.
pub fn describe(tag: &str, consent: &str, source: Option<(&str, &str)>) -> String {
    match source {
        Some((name, value)) => format!("<{tag} data-consent=\"{consent}\" {name}=\"{}\">", shorten(value)),
        None => format!("<{tag} data-consent=\"{consent}\">"),
    }
}

fn shorten(value: &str) -> String {
    const MAX: usize = 80;
    if value.len() <= MAX {
        return value.to_owned();
    }
    // Cut on a character boundary, with str::get rather than indexing: the
    // wasm then carries no slicing panic message.
    let mut end = MAX;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", value.get(..end).unwrap_or_default())
}

/// Whether a `data-src` may become a live `src`: an `https:` or `http:` URL,
/// or one relative to the page. Anything else (`javascript:`, `data:`,
/// `blob:`, `vbscript:`, …) would run code or content in the page's origin.
pub fn check_source(element: &str, src: &str) -> Result<(), String> {
    if src.bytes().all(|b| b <= b' ') {
        Err(format!("{element} stays inactive: its data-src is empty"))
    } else if has_web_or_no_scheme(src) {
        Ok(())
    } else {
        Err(format!("{element} stays inactive: data-src must be an https: or http: URL or a path on the site"))
    }
}

/// Reads the scheme as the browser's URL parser does: it ignores C0 controls
/// and spaces in front and tabs and newlines anywhere, and folds case, so
/// `" \tJava\nScript:"` is `javascript:`. No scheme means relative.
/// Bytes, not chars: a scheme is ASCII, and in UTF-8 every byte of a
/// non-ASCII character is above 0x7F, so it ends the scheme as it should.
fn has_web_or_no_scheme(url: &str) -> bool {
    // The scheme's first six bytes, lowercased, and its length.
    let (mut scheme, mut len) = ([0u8; 6], 0);
    for b in url.bytes() {
        match b {
            b'\t' | b'\n' | b'\r' => {}
            b if b <= b' ' && len == 0 => {}
            b':' if len > 0 && scheme[0].is_ascii_alphabetic() => {
                return matches!(&scheme[..len.min(6)], b"http" | b"https")
            }
            b if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.') => {
                if let Some(slot) = scheme.get_mut(len) {
                    *slot = b.to_ascii_lowercase();
                }
                len += 1;
            }
            _ => return true,
        }
    }
    true
}

/// What a gated script runs as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptKind {
    /// A classic script: the live copy gets no `type`.
    Classic,
    /// `type="module"`.
    Module,
}

/// Essences the HTML standard runs as a classic script.
const JAVASCRIPT_TYPES: [&str; 16] = [
    "application/ecmascript",
    "application/javascript",
    "application/x-ecmascript",
    "application/x-javascript",
    "text/ecmascript",
    "text/javascript",
    "text/javascript1.0",
    "text/javascript1.1",
    "text/javascript1.2",
    "text/javascript1.3",
    "text/javascript1.4",
    "text/javascript1.5",
    "text/jscript",
    "text/livescript",
    "text/x-ecmascript",
    "text/x-javascript",
];

/// How a `type` runs, as the browser reads it: `None` for a type it does not
/// run (data blocks such as `text/plain`, and `importmap`,
/// `speculationrules` and the like, which this library never activates).
fn runnable_type(kind: &str) -> Option<ScriptKind> {
    // trim(): also Unicode spaces, which the browser keeps; harmless here, and
    // the wasm already has it.
    let kind = kind.trim();
    if kind.is_empty() || JAVASCRIPT_TYPES.iter().any(|t| t.eq_ignore_ascii_case(kind)) {
        Some(ScriptKind::Classic)
    } else if kind.eq_ignore_ascii_case("module") {
        Some(ScriptKind::Module)
    } else {
        None
    }
}

/// What a gated script's `data-type` makes it: absent, empty or a JavaScript
/// type is a classic script, `module` a module. Other types (`importmap`,
/// `speculationrules`, JSON, …) change what the page loads or how it
/// resolves modules, so they are refused.
pub fn script_kind(element: &str, data_type: Option<&str>) -> Result<ScriptKind, String> {
    match data_type {
        None => Ok(ScriptKind::Classic),
        Some(kind) => runnable_type(kind).ok_or_else(|| format!(
            "{element} stays inactive: data-type=\"{kind}\" is not a script type consent-gate runs; use \"module\", a JavaScript type, or no data-type"
        )),
    }
}

/// Whether a `<script>` with this `type` attribute runs (or loads) by itself.
pub fn runs_by_itself(type_attribute: Option<&str>) -> bool {
    type_attribute.map_or(true, |kind| runnable_type(kind).is_some())
}

/// When the library has a nonce, a gated script runs only if its own inert
/// element carried it: injected HTML cannot know a per-response nonce.
pub fn check_nonce(element: &str, expected: &str, carried: &str) -> Result<(), String> {
    if same_nonce(expected, carried) {
        Ok(())
    } else {
        Err(format!(
            "{element} stays inactive: it does not carry the page's CSP nonce, so it may have been injected. \
             Put nonce=\"…\" on gated scripts, in the markup and in code that adds them"
        ))
    }
}

/// Compares in constant form: the time taken does not tell how much matched.
fn same_nonce(expected: &str, carried: &str) -> bool {
    expected.len() == carried.len() && expected.bytes().zip(carried.bytes()).fold(0, |diff, (a, b)| diff | (a ^ b)) == 0
}

/// `on*` event handlers and `srcdoc`: never carried to a live script, and
/// handlers are removed from an iframe or image before it loads (setting its
/// src would fire an injected `onerror`). Any case: `setAttributeNS` keeps
/// `ONERROR`, which `setAttribute` on the copy would turn into `onerror`.
pub fn never_copied(name: &str) -> bool {
    name.get(..2).is_some_and(|prefix| prefix.eq_ignore_ascii_case("on")) || name.eq_ignore_ascii_case("srcdoc")
}

/// Whether an attribute of a gated script goes to its live copy. The gate's
/// own attributes do not: `type`, `src` and `nonce` are set from what was
/// checked (`data-type`, `data-src`, the library's nonce).
pub fn copied_to_live_script(name: &str) -> bool {
    const SET_FROM_WHAT_WAS_CHECKED: [&str; 6] =
        ["type", "src", "nonce", "data-src", "data-type", "data-consent-queued"];
    !never_copied(name) && !SET_FROM_WHAT_WAS_CHECKED.iter().any(|own| own.eq_ignore_ascii_case(name))
}

/// The report for the handlers and `srcdoc` taken off a gated element.
pub fn dropped_message(element: &str, names: &[String]) -> String {
    format!(
        "{element}: {} removed; consent-gate never activates event handlers or srcdoc. Attach handlers from a script instead",
        names.join(", ")
    )
}

/// The report for an element marked `data-consent` that loads (or ran)
/// before consent: `attribute` is what loads it (`src`, `srcdoc`, `srcset`,
/// or `None` for an inline script). Names the inert form to write instead.
pub fn loads_early_message(tag: &str, consent: &str, attribute: Option<(&str, &str)>) -> String {
    let element = describe(tag, consent, attribute);
    let inert = match (tag, attribute) {
        ("script", Some(("src", src))) => describe("script type=\"text/plain\"", consent, Some(("data-src", src))),
        ("script", _) => describe("script type=\"text/plain\"", consent, None),
        (_, Some(("src", src))) => describe(tag, consent, Some(("data-src", src))),
        (_, _) => format!("{} with a single URL", describe(tag, consent, Some(("data-src", "…")))),
    };
    format!("{element} loads before consent: consent-gate cannot hold it back. Write {inert} instead")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_optional_categories_gate() {
        assert_eq!(gate_category("analytics"), Ok(Category::Analytics));
        assert_eq!(gate_category(" marketing "), Ok(Category::Marketing));
    }

    #[test]
    fn unknown_or_necessary_values_are_refused_with_a_fix() {
        for bad in ["", "Marketing", "statistics", "analytics marketing"] {
            let message = gate_category(bad).unwrap_err();
            assert!(message.contains("use \"analytics\" or \"marketing\""), "{bad}: {message}");
        }
        assert!(gate_category("necessary").unwrap_err().contains("always on"));
    }

    fn grants() -> MarkupGrants {
        MarkupGrants {
            choices: Choices { analytics: true, marketing: false },
            vendors: vec![
                ("analytics:ga4".into(), true),
                ("marketing:criteo".into(), true),
                ("marketing:facebook-pixel".into(), false),
            ],
            ..MarkupGrants::default()
        }
    }

    #[test]
    fn a_partner_named_in_markup_gates_on_its_own_grant() {
        let g = grants();
        assert_eq!(g.allows("marketing:criteo"), Ok(true));
        assert_eq!(g.allows(" marketing:facebook-pixel "), Ok(false));
        assert_eq!(g.allows("marketing"), Ok(false), "the category is mixed, so not granted as a whole");
        assert_eq!(g.allows("analytics"), Ok(true));
        assert_eq!(g.allows("analytics:ga4"), Ok(true));
    }

    #[test]
    fn an_unknown_partner_in_markup_is_refused_and_named() {
        let g = grants();
        let message = g.allows("marketing:criteo2").unwrap_err();
        assert!(message.contains("\"marketing:criteo\", \"marketing:facebook-pixel\""), "{message}");
        assert!(g.allows("analytics:criteo").is_err(), "a partner of another category");
        assert!(g.allows("marketing:").is_err());
        assert!(g.allows("necessary:criteo").unwrap_err().contains("always on"));
        assert!(g.allows("ads:criteo").is_err());
        let none = MarkupGrants::default();
        assert!(none.allows("marketing:x").unwrap_err().contains("marketing has no partners"));
    }

    #[test]
    fn markup_grants_round_trip_through_their_code() {
        let g = grants();
        assert_eq!(g.code(), "1;analytics:ga4=1;marketing:criteo=1;marketing:facebook-pixel=0");
        assert_eq!(MarkupGrants::from_code(&g.code()), Some(g));
        assert_eq!(MarkupGrants::from_code("0"), Some(MarkupGrants::default()));
        for bad in
            ["", "4", "1;", "1;marketing:criteo", "1;marketing:criteo=2", "1;ads:x=1", "1;marketing:Criteo=1", "12"]
        {
            assert_eq!(MarkupGrants::from_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn embed_placeholders_travel_with_the_grants_whatever_their_texts_hold() {
        let mut g = grants();
        g.embeds = Embeds {
            lang: "lv".into(),
            theme: crate::core::config::Theme::Dark,
            texts: vec![("loadVideo".into(), "Skatīties; =1\n12:x ✓".into())],
            vendors: vec![EmbedVendor {
                name: "marketing:youtube".into(),
                kind: "youtube".into(),
                no_cookie: true,
                lifetime: crate::core::lifetime::Lifetime::months(8),
                privacy_url: "https://policies.google.com/privacy?a=1;b=2".into(),
            }],
        };
        let back = MarkupGrants::from_code(&g.code()).expect("read back");
        assert_eq!(back, g);
        assert_eq!(back.embeds.text(crate::core::i18n::Key::LoadVideo), "Skatīties; =1\n12:x ✓");
        assert_eq!(back.embeds.text(crate::core::i18n::Key::LoadMap), "Ielādēt šo karti");
        assert_eq!(back.embeds.vendor(" marketing:youtube ").map(|v| v.no_cookie), Some(true));
        assert_eq!(back.embeds.theme, crate::core::config::Theme::Dark);
        // A cut or overlong field is no code at all.
        let code = g.code();
        for cut in [code.len() - 1, code.len() - 20] {
            assert_eq!(MarkupGrants::from_code(code.get(..cut).unwrap()), None, "{cut}");
        }
        assert_eq!(MarkupGrants::from_code("0\n2:lv1:0999:x"), None);
        assert_eq!(MarkupGrants::from_code("0\n2:lv4:blue1:0"), None, "not a theme");
    }

    #[test]
    fn a_config_s_embed_vendors_reach_the_placeholders_with_its_texts() {
        let config = crate::core::config::Config::from_json(
            r#"{"policy": {"url": "/c", "edition": "1"}, "texts": {"en": {"alwaysAllow": "Always play {provider}"}},
               "vendors": [{"type": "criteo", "accountId": "12345", "lifetime": "1 year"},
                           {"type": "youtube", "noCookie": true, "lifetime": "8 months"},
                           {"type": "google-maps", "lifetime": "6 months", "category": "analytics"}]}"#,
        )
        .expect("valid");
        let keys = crate::core::fingerprint::vendor_keys(&config);
        let embeds = Embeds::of(&config, &keys, "ru");
        let names: Vec<&str> = embeds.vendors.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["marketing:youtube", "analytics:google-maps"]);
        assert_eq!(crate::core::i18n::lifetime_text("ru", embeds.vendors[0].lifetime), "8 месяцев");
        assert!(embeds.vendors[0].no_cookie && !embeds.vendors[1].no_cookie);
        assert_eq!(embeds.text(crate::core::i18n::Key::LoadMap), "Загрузить эту карту");
        let en = Embeds::of(&config, &keys, "en");
        assert_eq!(en.text(crate::core::i18n::Key::AlwaysAllow), "Always play {provider}");
        assert_eq!(en.theme, crate::core::config::Theme::Light, "the default theme");
        let none = crate::core::config::Config::from_json(
            r#"{"policy": {"url": "/c", "edition": "1"}, "vendors": [{"type": "criteo", "accountId": "12345", "lifetime": "1 year"}]}"#,
        )
        .expect("valid");
        assert_eq!(Embeds::of(&none, &crate::core::fingerprint::vendor_keys(&none), "en"), Embeds::default());
    }

    #[test]
    fn a_category_only_iframe_is_the_embed_vendor_its_address_belongs_to() {
        let config = crate::core::config::Config::from_json(
            r#"{"policy": {"url": "/c", "edition": "1"},
               "vendors": [{"type": "youtube", "lifetime": "8 months"},
                           {"type": "google-maps", "lifetime": "6 months", "category": "analytics"}]}"#,
        )
        .expect("valid");
        let embeds = Embeds::of(&config, &crate::core::fingerprint::vendor_keys(&config), "en");
        let name = |value: &str, src: &str| embeds.vendor_of(value, src).map(|v| v.name.as_str());
        let video = "https://www.youtube.com/embed/aqz-KE-bpKQ";
        let map = "https://www.google.com/maps/embed?pb=1";
        assert_eq!(name("marketing", video), Some("marketing:youtube"));
        assert_eq!(name(" marketing ", video), Some("marketing:youtube"));
        assert_eq!(name("marketing:youtube", "https://example.com/"), Some("marketing:youtube"), "named outright");
        assert_eq!(name("analytics", map), Some("analytics:google-maps"));
        assert_eq!(name("analytics", video), None, "YouTube is not in analytics");
        assert_eq!(name("marketing", map), None, "the map vendor is in analytics");
        assert_eq!(name("marketing", "https://www.youtube.com/watch?v=x"), None, "not an embed address");
        assert_eq!(name("marketing:criteo", video), None, "another vendor named");
        assert_eq!(name("marketing", "https://player.vimeo.com/video/1"), None, "no vimeo vendor");
    }

    const EL: &str = "<img data-consent=\"analytics\">";

    #[test]
    fn http_https_and_relative_sources_are_allowed() {
        for ok in [
            "https://example.com/tag.js",
            "HTTP://example.com/",
            "/gated/x.js",
            "gated/x.js",
            "./x.js",
            "../x.js",
            "//cdn.example.com/x.js",
            "?q=1",
            "#frag",
            "x.js?u=javascript:alert(1)",
            "/javascript:alert(1)",
            "1http:x",
            ":x",
            "java%73cript:alert(1)",
            "ja vascript:alert(1)",
            "java\u{b}script:alert(1)", // only tabs and newlines are dropped inside: a relative path
            "ｊavascript:alert(1)",
        ] {
            assert_eq!(check_source(EL, ok), Ok(()), "{ok:?}");
        }
    }

    #[test]
    fn other_schemes_are_refused_whatever_their_case_and_whitespace() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "\u{0}\u{1}\u{b}\u{1f} javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscr\ript:alert(1)",
            "javascript\t:alert(1)",
            "\tjavascript:alert(1)\n",
            "data:text/javascript,alert(1)",
            " DATA:text/html,<script>",
            "da\nta:text/html,x",
            "blob:https://example.com/00000000-0000-4000-8000-000000000000",
            "BLOB:x",
            "vbscript:msgbox(1)",
            "\tVBScript:msgbox(1)",
            "about:blank",
            "file:///etc/passwd",
            "ftp://example.com/x",
            "x-custom+1.0:thing",
        ] {
            let message = check_source(EL, bad).unwrap_err();
            assert!(message.contains("must be an https: or http: URL or a path on the site"), "{bad:?}: {message}");
            assert!(message.starts_with(EL), "{message}");
        }
        assert!(check_source(EL, " \t\n").unwrap_err().contains("empty"));
    }

    /// proptest is a host-only dev-dependency: the unit tests also compile for wasm32.
    #[cfg(not(target_arch = "wasm32"))]
    mod generated {
        use super::*;

        proptest::proptest! {
            /// What the URL parser ignores (case, C0 controls and spaces around,
            /// tabs and newlines anywhere) never hides a refused scheme.
            #[test]
            fn disguised_schemes_are_still_refused(
                scheme in proptest::sample::select(vec!["javascript", "data", "blob", "vbscript"]),
                upper in proptest::collection::vec(proptest::bool::ANY, 10),
                inside in proptest::collection::vec((0usize..11, proptest::sample::select(vec!['\t', '\n', '\r'])), 0..4),
                before in "[\\x00-\\x20]{0,3}",
                after in "[\\x00-\\x20]{0,3}",
            ) {
                let mut disguised: Vec<char> = scheme.chars().chain([':']).zip(upper.iter().chain(&[false; 11]))
                    .map(|(c, &up)| if up { c.to_ascii_uppercase() } else { c })
                    .collect();
                for (at, c) in inside {
                    disguised.insert(at.min(disguised.len() - 1), c);
                }
                let url = format!("{before}{}x{after}", disguised.iter().collect::<String>());
                proptest::prop_assert!(check_source(EL, &url).is_err(), "{:?} passed", url);
            }
        }
    }

    #[test]
    fn data_type_is_a_javascript_type_or_module() {
        assert_eq!(script_kind(EL, None), Ok(ScriptKind::Classic));
        for classic in
            ["", " ", "text/javascript", "TEXT/JavaScript", " application/ecmascript\n", "text/javascript1.5"]
        {
            assert_eq!(script_kind(EL, Some(classic)), Ok(ScriptKind::Classic), "{classic:?}");
        }
        for module in ["module", " Module ", "MODULE"] {
            assert_eq!(script_kind(EL, Some(module)), Ok(ScriptKind::Module), "{module:?}");
        }
        for refused in [
            "importmap",
            "speculationrules",
            "webbundle",
            "application/json",
            "text/html",
            "text/plain",
            "text/javascript; charset=utf-8",
            "modules",
        ] {
            let message = script_kind(EL, Some(refused)).unwrap_err();
            assert!(message.contains("use \"module\", a JavaScript type, or no data-type"), "{refused:?}: {message}");
        }
    }

    #[test]
    fn a_script_runs_by_itself_unless_its_type_is_inert() {
        assert!(runs_by_itself(None));
        assert!(runs_by_itself(Some("")));
        assert!(runs_by_itself(Some("module")));
        assert!(runs_by_itself(Some("text/javascript")));
        assert!(!runs_by_itself(Some("text/plain")));
        assert!(!runs_by_itself(Some("importmap")), "not a script that loads a src");
    }

    #[test]
    fn only_the_exact_nonce_passes() {
        assert_eq!(check_nonce(EL, "abc123", "abc123"), Ok(()));
        for wrong in ["", "abc12", "abc1234", "ABC123", "abc124", " abc123"] {
            let message = check_nonce(EL, "abc123", wrong).unwrap_err();
            assert!(
                message.contains("does not carry the page's CSP nonce") && message.contains("nonce=\"…\""),
                "{message}"
            );
        }
    }

    #[test]
    fn handlers_srcdoc_and_the_gate_s_own_attributes_are_not_copied() {
        for dropped in ["onload", "onerror", "ONERROR", "OnBeforeScriptExecute", "srcdoc", "SRCDOC"] {
            assert!(never_copied(dropped), "{dropped}");
            assert!(!copied_to_live_script(dropped), "{dropped}");
        }
        for own in ["type", "TYPE", "src", "Src", "nonce", "data-src", "data-type", "data-consent-queued"] {
            assert!(!copied_to_live_script(own), "{own}");
        }
        for kept in [
            "id",
            "class",
            "async",
            "defer",
            "crossorigin",
            "integrity",
            "referrerpolicy",
            "data-consent",
            "data-order",
            "o",
            "nomodule",
        ] {
            assert!(copied_to_live_script(kept), "{kept}");
        }
        assert!(!never_copied("é"), "a short non-ASCII name does not panic");
    }

    #[test]
    fn messages_name_the_element_and_the_inert_form() {
        let script = loads_early_message("script", "analytics", Some(("src", "https://t.example/a.js")));
        assert_eq!(
            script,
            "<script data-consent=\"analytics\" src=\"https://t.example/a.js\"> loads before consent: consent-gate cannot hold it back. \
             Write <script type=\"text/plain\" data-consent=\"analytics\" data-src=\"https://t.example/a.js\"> instead"
        );
        assert!(loads_early_message("script", "marketing", None)
            .ends_with("Write <script type=\"text/plain\" data-consent=\"marketing\"> instead"));
        assert!(loads_early_message("iframe", "marketing", Some(("src", "/e")))
            .ends_with("Write <iframe data-consent=\"marketing\" data-src=\"/e\"> instead"));
        let srcset = loads_early_message("img", "analytics", Some(("srcset", "/a.png 1x, /b.png 2x")));
        assert!(
            srcset.starts_with("<img data-consent=\"analytics\" srcset=\"/a.png 1x, /b.png 2x\"> loads before consent"),
            "{srcset}"
        );
        assert!(
            srcset.ends_with("Write <img data-consent=\"analytics\" data-src=\"…\"> with a single URL instead"),
            "{srcset}"
        );
        let long = describe("img", "analytics", Some(("data-src", &"é".repeat(200))));
        assert_eq!(
            long,
            format!("<img data-consent=\"analytics\" data-src=\"{}…\">", "é".repeat(40)),
            "80 bytes at most, cut on a character boundary"
        );
        assert_eq!(
            dropped_message("<img data-consent=\"analytics\">", &["onerror".into(), "onload".into()]),
            "<img data-consent=\"analytics\">: onerror, onload removed; consent-gate never activates event handlers or srcdoc. Attach handlers from a script instead"
        );
    }
}
