//! The cookie declaration: from the same config as the banner, a table per
//! category: first what consent-gate itself keeps (necessary), then the
//! vendors of each optional category, with their purpose, the names of
//! their cookies, whether those are first- or third-party, the declared
//! cookie lifetime and the privacy notice, in one language. The policy page
//! and the banner can then never disagree. Rendered as escaped HTML or
//! Markdown here (for the checker) and through the DOM by the browser shell.

use super::category::Category;
use super::config::{is_http_url, Config};
use super::i18n::{self, category_keys, lifetime_text, Key, Texts};
use super::lifetime::Lifetime;
use super::own_names;

/// The declaration in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub lang: String,
    pub sections: Vec<Section>,
}

/// How many columns each table has.
pub const COLUMNS: usize = 6;

/// One category's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub category: Category,
    /// The category's label, a full phrase ("Analītiskās sīkdatnes").
    pub heading: String,
    /// Vendor, purpose, cookies, first or third party, lifetime and privacy
    /// notice column headings.
    pub columns: [String; COLUMNS],
    pub rows: Vec<Row>,
    /// Said when vendors here set cookies on their own domains, out of the
    /// site's reach.
    pub third_party_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub vendor: String,
    pub purpose: String,
    /// The cookies' (or storage entries') names, like "_ga, _ga_XXXXXXXXXX";
    /// "—" when none is known.
    pub cookies: String,
    /// First party, and third party with the vendor's own domains.
    pub party: String,
    pub lifetime: String,
    /// An http(s) address (the config checks it); none for what this site
    /// keeps itself.
    pub privacy_url: Option<String>,
}

impl Row {
    /// The link text: the privacy notice's host, like "policies.google.com".
    pub fn privacy_host(&self) -> &str {
        let url = self.privacy_url.as_deref().unwrap_or_default();
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or(url);
        rest.split(['/', '?', '#']).next().unwrap_or(rest)
    }
}

/// One thing consent-gate itself keeps in the browser: its names, what it
/// is (a text), and how long it holds or is kept, if it has a length of its
/// own. The settings dialog and the declaration list the same ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnEntry {
    pub names: String,
    pub purpose: Key,
    /// The label (`choiceHoldsFor` or `storedFor`) and the length.
    pub kept: Option<(Key, Lifetime)>,
}

/// What consent-gate keeps under `storage`: the record (in localStorage, or
/// a cookie where that is refused), the partner cookies' first-seen times,
/// the mirror cookie and the receipts' outbox. localStorage has no expiry of its own: the record
/// says how long the choice holds, the first-seen times go with their
/// cookies.
pub fn own_storage(config: &Config) -> Vec<OwnEntry> {
    let key = &config.storage.key;
    let longer = |a: Lifetime, b: Lifetime| if b.end_from(0) > a.end_from(0) { b } else { a };
    let cookie_days = Some((Key::StoredFor, Lifetime::days(own_names::COOKIE_DAYS)));
    let mut entries = vec![
        OwnEntry {
            names: key.clone(),
            purpose: Key::OwnRecord,
            kept: Some((Key::ChoiceHoldsFor, longer(config.consent.grant, config.consent.refusal))),
        },
        OwnEntry {
            names: format!("{}, {key}", own_names::https_cookie(key)),
            purpose: Key::OwnRecordCookie,
            kept: cookie_days,
        },
        OwnEntry { names: own_names::first_seen(key), purpose: Key::OwnFirstSeen, kept: None },
    ];
    if let Some(mirror) = &config.storage.cookie {
        entries.push(OwnEntry { names: mirror.name.clone(), purpose: Key::OwnMirror, kept: cookie_days });
    }
    if config.receipts.is_some() {
        entries.push(OwnEntry { names: own_names::outbox(key), purpose: Key::OwnOutbox, kept: None });
    }
    entries
}

/// The domains on which a vendor type sets its own (third-party) cookies.
fn third_party_domain(kind: &str) -> Option<&'static str> {
    match kind {
        "google-ads" | "google-marketing-platform" => Some("doubleclick.net"),
        "facebook-pixel" => Some("facebook.com"),
        "criteo" => Some("criteo.com"),
        "adform" => Some("adform.net"),
        "youtube" => Some("youtube.com"),
        "vimeo" => Some("vimeo.com"),
        "google-maps" => Some("google.com"),
        _ => None,
    }
}

/// The text with each `{domains}` filled in.
fn fill_domains(template: &str, domains: &str) -> String {
    i18n::fill(template, &["domains"], &[domains])
}

/// Names joined with ", ", or "—" for none.
fn names_or_dash(names: impl IntoIterator<Item = String>) -> String {
    let mut out = String::new();
    for name in names {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&name);
    }
    if out.is_empty() {
        out.push('—');
    }
    out
}

/// The column headings. The cookies column reuses the settings' label
/// (`cookieNames`, "Cookies:") without its colon.
fn columns(texts: &Texts) -> [String; COLUMNS] {
    let cookies = texts.get(Key::CookieNames).trim_end().trim_end_matches(':').to_owned();
    [
        texts.get(Key::DeclarationVendor).to_owned(),
        texts.get(Key::DeclarationPurpose).to_owned(),
        cookies,
        texts.get(Key::DeclarationParty).to_owned(),
        texts.get(Key::DeclarationLifetime).to_owned(),
        texts.get(Key::PrivacyNotice).to_owned(),
    ]
}

/// The necessary section: what consent-gate keeps, on this site only.
fn necessary_section(config: &Config, texts: &Texts, lang: &str) -> Section {
    let rows = own_storage(config)
        .into_iter()
        .map(|entry| Row {
            vendor: texts.get(Key::OwnStorage).to_owned(),
            purpose: texts.get(entry.purpose).to_owned(),
            cookies: entry.names,
            party: texts.get(Key::FirstParty).to_owned(),
            lifetime: entry.kept.map_or_else(|| "—".to_owned(), |(_, lifetime)| lifetime_text(lang, lifetime)),
            privacy_url: None,
        })
        .collect();
    Section {
        category: Category::Necessary,
        heading: texts.get(category_keys(Category::Necessary).0).to_owned(),
        columns: columns(texts),
        rows,
        third_party_note: None,
    }
}

/// The declaration of `config` in `lang` (one of its languages): necessary
/// first, then each optional category that has vendors.
pub fn declaration(config: &Config, lang: &str) -> Declaration {
    let texts = config.texts(lang);
    let mut sections = vec![necessary_section(config, &texts, lang)];
    for category in Category::OPTIONAL {
        let vendors: Vec<_> = config.vendors.iter().filter(|v| v.category == category).collect();
        if vendors.is_empty() {
            continue;
        }
        let rows = vendors
            .iter()
            .filter(|v| is_http_url(&v.privacy_url))
            .map(|v| {
                // An embed (issue 19) sets cookies on its provider's domain only.
                let embed = v.tag.embed().map(|(e, _)| e);
                let mut party = String::new();
                if embed.is_none() {
                    party.push_str(texts.get(Key::FirstParty));
                }
                if let Some(domain) = third_party_domain(v.tag.kind()) {
                    if !party.is_empty() {
                        party.push_str("; ");
                    }
                    party.push_str(&fill_domains(texts.get(Key::ThirdParty), domain));
                }
                let purpose = v.purpose.as_ref().and_then(|p| p.get(lang)).or_else(|| embed.map(|e| e.purpose(lang)));
                let cookies = match embed {
                    Some(e) => names_or_dash(e.cookies().iter().map(|c| (*c).to_owned())),
                    None => names_or_dash(v.tag.cookies().iter().map(|c| c.as_written())),
                };
                Row {
                    vendor: v.tag.display_name(),
                    purpose: purpose.unwrap_or("—").to_owned(),
                    cookies,
                    party,
                    lifetime: lifetime_text(lang, v.lifetime),
                    privacy_url: Some(v.privacy_url.clone()),
                }
            })
            .collect();
        let mut domains: Vec<&str> = Vec::new();
        for domain in vendors.iter().filter_map(|v| third_party_domain(v.tag.kind())) {
            if !domains.contains(&domain) {
                domains.push(domain);
            }
        }
        let third_party_note =
            (!domains.is_empty()).then(|| fill_domains(texts.get(Key::ThirdPartyNote), &domains.join(", ")));
        let heading = texts.get(category_keys(category).0).to_owned();
        sections.push(Section { category, heading, columns: columns(&texts), rows, third_party_note });
    }
    Declaration { lang: lang.to_owned(), sections }
}

impl Declaration {
    /// The declaration as HTML, every text escaped.
    pub fn to_html(&self) -> String {
        let mut html = String::new();
        for section in &self.sections {
            html += &format!("<section data-category=\"{}\">\n", section.category);
            html += &format!("  <h2>{}</h2>\n  <table>\n    <thead><tr>", escape_html(&section.heading));
            for column in &section.columns {
                html += &format!("<th scope=\"col\">{}</th>", escape_html(column));
            }
            html += "</tr></thead>\n    <tbody>\n";
            for row in &section.rows {
                let privacy = match &row.privacy_url {
                    Some(url) => format!(
                        "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                        escape_html(url),
                        escape_html(row.privacy_host())
                    ),
                    None => "—".to_owned(),
                };
                html += &format!(
                    "      <tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{privacy}</td></tr>\n",
                    escape_html(&row.vendor),
                    escape_html(&row.purpose),
                    escape_html(&row.cookies),
                    escape_html(&row.party),
                    escape_html(&row.lifetime),
                );
            }
            html += "    </tbody>\n  </table>\n";
            if let Some(note) = &section.third_party_note {
                html += &format!("  <p>{}</p>\n", escape_html(note));
            }
            html += "</section>\n";
        }
        html
    }

    /// The declaration as Markdown tables, every text escaped.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        for section in &self.sections {
            md += &format!("## {}\n\n", escape_markdown(&section.heading));
            let columns: Vec<String> = section.columns.iter().map(|c| escape_markdown(c)).collect();
            md += &format!("| {} |\n|{}\n", columns.join(" | "), "---|".repeat(COLUMNS));
            for row in &section.rows {
                let privacy = match &row.privacy_url {
                    Some(url) => {
                        format!("[{}](<{}>)", escape_markdown(row.privacy_host()), url.replace(['<', '>', ' '], ""))
                    }
                    None => "—".to_owned(),
                };
                md += &format!(
                    "| {} | {} | {} | {} | {} | {privacy} |\n",
                    escape_markdown(&row.vendor),
                    escape_markdown(&row.purpose),
                    escape_markdown(&row.cookies),
                    escape_markdown(&row.party),
                    escape_markdown(&row.lifetime),
                );
            }
            if let Some(note) = &section.third_party_note {
                md += &format!("\n{}\n", escape_markdown(note));
            }
            md += "\n";
        }
        md
    }
}

pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes what Markdown would read as markup or a table border; line breaks
/// would end a table row, so they become spaces.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '|' | '[' | ']' | '*' | '_' | '`' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domains_placeholder_is_filled_wherever_it_is() {
        assert_eq!(fill_domains("On {domains}.", "a.com, b.net"), "On a.com, b.net.");
        assert_eq!(fill_domains("{x} {domains}{domains} {", "d"), "{x} dd {");
        assert_eq!(fill_domains("no placeholder", "d"), "no placeholder");
    }

    fn demo() -> Config {
        Config::from_json(include_str!("../../www/consent.json")).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn an_embed_is_declared_with_its_provider_s_cookies_and_built_in_purpose() {
        let config = Config::from_json(include_str!("../../www/embeds.json")).unwrap_or_else(|e| panic!("{e}"));
        let d = declaration(&config, "lv");
        let youtube = d.sections[1].rows.iter().find(|r| r.vendor == "YouTube").expect("listed");
        assert_eq!(youtube.cookies, "YSC, VISITOR_INFO1_LIVE, VISITOR_PRIVACY_METADATA, PREF, GPS");
        assert!(
            youtube.party.contains("youtube.com") && !youtube.party.contains(texts_lv_first_party()),
            "{}",
            youtube.party
        );
        assert_eq!(youtube.lifetime, "8 mēneši");
        assert!(youtube.purpose.starts_with("Iegulti YouTube video"), "{}", youtube.purpose);
        let note = d.sections[1].third_party_note.as_deref().unwrap_or_default();
        assert!(note.contains("youtube.com, vimeo.com, google.com"), "{note}");
    }

    fn texts_lv_first_party() -> &'static str {
        crate::core::i18n::built_in("lv", Key::FirstParty).unwrap_or_default()
    }

    #[test]
    fn the_receipts_outbox_is_declared_only_where_receipts_are_sent() {
        let names = |config: &Config| own_storage(config).into_iter().map(|e| e.names).collect::<Vec<_>>();
        let mut config = demo();
        config.receipts = None;
        assert!(!names(&config).contains(&"consent-gate:outbox".to_owned()));
        config.receipts = Some(crate::core::config::Receipts { url: "/consent/receipts".into() });
        assert!(names(&config).contains(&"consent-gate:outbox".to_owned()));
    }

    #[test]
    fn the_demo_declares_every_vendor_under_its_category_after_the_necessary_storage() {
        let d = declaration(&demo(), "en");
        let categories: Vec<_> = d.sections.iter().map(|s| s.category).collect();
        assert_eq!(categories, [Category::Necessary, Category::Analytics, Category::Marketing]);
        let headings: Vec<_> = d.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(headings, ["Necessary cookies", "Analytics cookies", "Marketing cookies"]);
        assert_eq!(
            d.sections[0].columns,
            ["Vendor", "Purpose", "Cookies", "First or third party", "Kept for up to", "Privacy notice"]
        );
        assert_eq!(
            d.sections[1].rows,
            [Row {
                vendor: "Google Analytics".into(),
                purpose: "Visit statistics: which pages are viewed and how visitors move through the site.".into(),
                cookies: "_ga, _ga_DEMO2024LV, _gac_gb_DEMO2024LV".into(),
                party: "First party (this site)".into(),
                lifetime: "180 days".into(),
                privacy_url: Some("https://policies.google.com/privacy".into()),
            }]
        );
        let marketing: Vec<_> = d.sections[2]
            .rows
            .iter()
            .map(|r| (r.vendor.as_str(), r.cookies.as_str(), r.party.as_str(), r.lifetime.as_str()))
            .collect();
        let both = |domain: &str| format!("First party (this site); third party ({domain})");
        assert_eq!(
            marketing,
            [
                ("Adform", "adformfrpid", both("adform.net").as_str(), "60 days"),
                ("Criteo", "cto_bundle", both("criteo.com").as_str(), "1 year"),
                ("Google Marketing Platform", "_gcl_dc, _gcl_au", both("doubleclick.net").as_str(), "13 months"),
                ("Google Ads", "_gcl_au, _gcl_aw, _gcl_gb, _gcl_ha", both("doubleclick.net").as_str(), "395 days"),
                ("Facebook", "_fbp, _fbc", both("facebook.com").as_str(), "3 months"),
            ]
        );
        assert_eq!(d.sections[1].third_party_note, None);
        let note = d.sections[2].third_party_note.as_deref().unwrap_or_default();
        for domain in ["doubleclick.net", "adform.net", "criteo.com", "facebook.com"] {
            assert!(note.contains(domain), "{note}");
        }
    }

    #[test]
    fn the_necessary_section_lists_consent_gate_s_own_storage_as_the_settings_do() {
        let text = r#"{"policy": {"url": "/c", "edition": "1"}, "consent": {"grant": "6 months", "refusal": "1 year"},
            "storage": {"key": "cg", "cookie": {"name": "consent"}}, "vendors": []}"#;
        let config = Config::from_json(text).unwrap_or_else(|e| panic!("{e}"));
        let d = declaration(&config, "en");
        assert_eq!(d.sections.len(), 1, "no vendors: only the necessary section");
        let necessary = &d.sections[0];
        assert_eq!(necessary.category, Category::Necessary);
        let rows: Vec<_> = necessary
            .rows
            .iter()
            .map(|r| (r.cookies.as_str(), r.lifetime.as_str(), r.privacy_url.as_deref()))
            .collect();
        assert_eq!(
            rows,
            [
                ("cg", "1 year", None),
                ("__Host-cg, cg", "400 days", None),
                ("cg:first-seen", "—", None),
                ("consent", "400 days", None),
            ]
        );
        assert!(necessary.rows.iter().all(|r| r.party == "First party (this site)" && r.vendor == "Kept by this site"));
        assert_eq!(necessary.rows.len(), own_storage(&config).len());
    }

    #[test]
    fn a_third_party_domain_is_named_once_even_for_vendors_apart() {
        let text = r#"{"policy": {"url": "/c", "edition": "1"}, "vendors": [
            {"type": "google-ads", "conversionId": "AW-123456", "lifetime": "90 days"},
            {"type": "facebook-pixel", "pixelId": "123456789012345", "lifetime": "3 months"},
            {"type": "google-marketing-platform", "advertiserId": "DC-1234567", "lifetime": "13 months"}]}"#;
        let config = Config::from_json(text).unwrap_or_else(|e| panic!("{e}"));
        let d = declaration(&config, "en");
        let note = d.sections[1].third_party_note.as_deref().unwrap_or_default();
        assert_eq!(note.matches("doubleclick.net").count(), 1, "{note}");
        assert!(note.contains("(doubleclick.net, facebook.com)"), "{note}");
    }

    #[test]
    fn headings_and_lifetimes_follow_the_language() {
        let d = declaration(&demo(), "lv");
        assert_eq!(d.sections[1].heading, "Analītiskās sīkdatnes");
        assert_eq!(d.sections[2].heading, "Mārketinga sīkdatnes");
        assert_eq!(d.sections[2].columns[2], "Sīkdatnes");
        assert_eq!(d.sections[2].columns[5], "Privātuma politika");
        assert_eq!(d.sections[2].rows[2].lifetime, "13 mēneši");
        assert_eq!(d.sections[2].rows[1].party, "Pirmās puses (šī vietne); trešās puses (criteo.com)");
        let d = declaration(&demo(), "ru");
        assert_eq!(d.sections[0].heading, "Необходимые файлы cookie");
        assert_eq!(d.sections[1].columns[0], "Поставщик");
        assert_eq!(d.sections[1].rows[0].lifetime, "180 дней");
    }

    #[test]
    fn html_and_markdown_escape_every_text() {
        let row = Row {
            vendor: "A|B <i>".into(),
            purpose: "x & \"y\"\nz".into(),
            cookies: "_a*".into(),
            party: "first".into(),
            lifetime: "1 day".into(),
            privacy_url: Some("https://example.lv/p?a=1&b=2".into()),
        };
        let d = Declaration {
            lang: "en".into(),
            sections: vec![Section {
                category: Category::Marketing,
                heading: "M".into(),
                columns: ["V".into(), "P".into(), "C".into(), "F".into(), "L".into(), "N".into()],
                rows: vec![row],
                third_party_note: None,
            }],
        };
        let html = d.to_html();
        assert!(
            html.contains("<td>A|B &lt;i&gt;</td><td>x &amp; &quot;y&quot;\nz</td><td>_a*</td><td>first</td>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"https://example.lv/p?a=1&amp;b=2\" rel=\"noopener noreferrer\">example.lv</a>"),
            "{html}"
        );
        let md = d.to_markdown();
        assert!(
            md.contains(
                "| A\\|B &lt;i&gt; | x &amp; \"y\" z | \\_a\\* | first | 1 day | [example.lv](<https://example.lv/p?a=1&b=2>) |"
            ),
            "{md}"
        );
    }
}
