//! The cookie declaration: from the same config as the banner, a table per
//! category of the vendors, their purpose, declared cookie lifetime and
//! privacy notice, in one language. The policy page and the banner can then
//! never disagree. Rendered as escaped HTML or Markdown here (for the checker)
//! and through the DOM by the browser shell.

use super::category::Category;
use super::config::{is_http_url, Config};
use super::i18n::{category_keys, lifetime_text, Key};

/// The declaration in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub lang: String,
    pub sections: Vec<Section>,
}

/// One category's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub category: Category,
    pub heading: String,
    /// Vendor, purpose, lifetime and privacy notice column headings.
    pub columns: [String; 4],
    pub rows: Vec<Row>,
    /// Said when vendors here set cookies on their own domains, out of the
    /// site's reach.
    pub third_party_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub vendor: String,
    pub purpose: String,
    pub lifetime: String,
    /// Always an http(s) address (the config checks it).
    pub privacy_url: String,
}

impl Row {
    /// The link text: the privacy notice's host, like "policies.google.com".
    pub fn privacy_host(&self) -> &str {
        let url = self.privacy_url.as_str();
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or(url);
        rest.split(['/', '?', '#']).next().unwrap_or(rest)
    }
}

/// The domains on which a vendor type sets its own (third-party) cookies.
fn third_party_domain(kind: &str) -> Option<&'static str> {
    match kind {
        "google-ads" | "google-marketing-platform" => Some("doubleclick.net"),
        "facebook-pixel" => Some("facebook.com"),
        "criteo" => Some("criteo.com"),
        "adform" => Some("adform.net"),
        _ => None,
    }
}

/// The note's text with each `{domains}` filled in. By hand: a substring
/// search (`str::replace`) would add its own code to the wasm. No slicing
/// by index either: its panic path formats the string with `Debug`, which
/// brings Unicode tables and escaping into the wasm (see bench/SIZE.md).
fn fill_domains(template: &str, domains: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        match after.strip_prefix("domains}") {
            Some(tail) => {
                out.push_str(domains);
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The declaration of `config` in `lang` (one of its languages).
pub fn declaration(config: &Config, lang: &str) -> Declaration {
    let texts = config.texts(lang);
    let columns = [Key::DeclarationVendor, Key::DeclarationPurpose, Key::DeclarationLifetime, Key::PrivacyNotice]
        .map(|k| texts.get(k).to_owned());
    let sections = Category::OPTIONAL
        .into_iter()
        .filter_map(|category| {
            let vendors: Vec<_> = config.vendors.iter().filter(|v| v.category == category).collect();
            if vendors.is_empty() {
                return None;
            }
            let rows = vendors
                .iter()
                .filter(|v| is_http_url(&v.privacy_url))
                .map(|v| Row {
                    vendor: v.tag.display_name(),
                    purpose: v.purpose.as_ref().and_then(|p| p.get(lang)).unwrap_or("—").to_owned(),
                    lifetime: lifetime_text(lang, v.lifetime),
                    privacy_url: v.privacy_url.clone(),
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
            Some(Section { category, heading, columns: columns.clone(), rows, third_party_note })
        })
        .collect();
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
                html += &format!(
                    "      <tr><td>{}</td><td>{}</td><td>{}</td><td><a href=\"{}\" rel=\"noopener noreferrer\">{}</a></td></tr>\n",
                    escape_html(&row.vendor),
                    escape_html(&row.purpose),
                    escape_html(&row.lifetime),
                    escape_html(&row.privacy_url),
                    escape_html(row.privacy_host()),
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
            md += &format!("| {} |\n|---|---|---|---|\n", columns.join(" | "));
            for row in &section.rows {
                md += &format!(
                    "| {} | {} | {} | [{}](<{}>) |\n",
                    escape_markdown(&row.vendor),
                    escape_markdown(&row.purpose),
                    escape_markdown(&row.lifetime),
                    escape_markdown(row.privacy_host()),
                    row.privacy_url.replace(['<', '>', ' '], ""),
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
    fn the_demo_declares_every_vendor_under_its_category() {
        let d = declaration(&demo(), "en");
        let categories: Vec<_> = d.sections.iter().map(|s| s.category).collect();
        assert_eq!(categories, [Category::Analytics, Category::Marketing]);
        assert_eq!(d.sections[0].heading, "Analytics");
        assert_eq!(
            d.sections[0].rows,
            [Row {
                vendor: "Google Analytics".into(),
                purpose: "Visit statistics: which pages are viewed and how visitors move through the site.".into(),
                lifetime: "180 days".into(),
                privacy_url: "https://policies.google.com/privacy".into(),
            }]
        );
        let marketing: Vec<_> = d.sections[1].rows.iter().map(|r| (r.vendor.as_str(), r.lifetime.as_str())).collect();
        assert_eq!(
            marketing,
            [
                ("Adform", "60 days"),
                ("Criteo", "1 year"),
                ("Google Marketing Platform", "13 months"),
                ("Google Ads", "395 days"),
                ("Facebook", "3 months"),
            ]
        );
        assert_eq!(d.sections[0].third_party_note, None);
        let note = d.sections[1].third_party_note.as_deref().unwrap_or_default();
        for domain in ["doubleclick.net", "adform.net", "criteo.com", "facebook.com"] {
            assert!(note.contains(domain), "{note}");
        }
    }

    #[test]
    fn a_third_party_domain_is_named_once_even_for_vendors_apart() {
        let text = r#"{"policy": {"url": "/c", "edition": "1"}, "vendors": [
            {"type": "google-ads", "conversionId": "AW-123456", "lifetime": "90 days"},
            {"type": "facebook-pixel", "pixelId": "123456789012345", "lifetime": "3 months"},
            {"type": "google-marketing-platform", "advertiserId": "DC-1234567", "lifetime": "13 months"}]}"#;
        let config = Config::from_json(text).unwrap_or_else(|e| panic!("{e}"));
        let d = declaration(&config, "en");
        let note = d.sections[0].third_party_note.as_deref().unwrap_or_default();
        assert_eq!(note.matches("doubleclick.net").count(), 1, "{note}");
        assert!(note.contains("(doubleclick.net, facebook.com)"), "{note}");
    }

    #[test]
    fn headings_and_lifetimes_follow_the_language() {
        let d = declaration(&demo(), "lv");
        assert_eq!(d.sections[1].heading, "Mārketinga sīkdatnes");
        assert_eq!(d.sections[1].columns[3], "Privātuma politika");
        assert_eq!(d.sections[1].rows[2].lifetime, "13 mēneši");
        let d = declaration(&demo(), "ru");
        assert_eq!(d.sections[0].columns[0], "Поставщик");
        assert_eq!(d.sections[0].rows[0].lifetime, "180 дней");
    }

    #[test]
    fn html_and_markdown_escape_every_text() {
        let row = Row {
            vendor: "A|B <i>".into(),
            purpose: "x & \"y\"\nz".into(),
            lifetime: "1 day".into(),
            privacy_url: "https://example.lv/p?a=1&b=2".into(),
        };
        let d = Declaration {
            lang: "en".into(),
            sections: vec![Section {
                category: Category::Marketing,
                heading: "M".into(),
                columns: ["V".into(), "P".into(), "L".into(), "N".into()],
                rows: vec![row],
                third_party_note: None,
            }],
        };
        let html = d.to_html();
        assert!(html.contains("<td>A|B &lt;i&gt;</td><td>x &amp; &quot;y&quot;\nz</td>"), "{html}");
        assert!(
            html.contains("<a href=\"https://example.lv/p?a=1&amp;b=2\" rel=\"noopener noreferrer\">example.lv</a>"),
            "{html}"
        );
        let md = d.to_markdown();
        assert!(
            md.contains("| A\\|B &lt;i&gt; | x &amp; \"y\" z | 1 day | [example.lv](<https://example.lv/p?a=1&b=2>) |"),
            "{md}"
        );
    }
}
