//! Renders the cookie declaration into every `[data-consent-declaration]`
//! element.
//! DOM calls and `textContent` only: nothing from the config becomes markup,
//! and links are made only to http(s) addresses.

use super::dom::{marked, replace_content, El, DECLARATION};
use crate::core::config::{is_http_url, Config};
use crate::core::declaration::{declaration, Declaration, Row};
use crate::core::i18n::choose_language;

/// Fills every declaration element, each in its own language: the
/// attribute's value, else the nearest `lang` around it.
pub fn render_declarations(config: &Config) {
    for element in marked(DECLARATION) {
        let own = element.get_attribute(DECLARATION).unwrap_or_default();
        let around = element.closest("[lang]").ok().flatten().and_then(|e| e.get_attribute("lang")).unwrap_or_default();
        let lang = choose_language([own.as_str(), around.as_str()], &config.languages, &config.default_language);
        if let Some(sections) = declaration_elements(&declaration(config, &lang)) {
            replace_content(&element, sections);
        }
    }
}

fn declaration_elements(d: &Declaration) -> Option<Vec<El>> {
    d.sections
        .iter()
        .map(|section| {
            let mut head = El::new("tr")?.attr("role", "row");
            for column in &section.columns {
                head = head.child(El::new("th")?.attr("scope", "col").attr("role", "columnheader").text(column));
            }
            let mut body = El::new("tbody")?.attr("role", "rowgroup");
            for row in &section.rows {
                body = body.child(row_element(row, &section.columns)?);
            }
            // On narrow screens the stylesheet stacks each row, every cell
            // under its column's name (`data-label`); the roles keep it a
            // table for screen readers whatever its CSS display.
            let table = El::new("table")?
                .class("cg-declaration")
                .attr("role", "table")
                .child(El::new("thead")?.attr("role", "rowgroup").child(head))
                .child(body);
            let mut element = El::new("section")?
                .attr("data-category", section.category.as_str())
                .child(El::new("h2")?.text(&section.heading))
                .child(table);
            if let Some(note) = &section.third_party_note {
                element = element.child(El::new("p")?.text(note));
            }
            Some(element)
        })
        .collect()
}

fn row_element(row: &Row, columns: &[String]) -> Option<El> {
    let privacy = match &row.privacy_url {
        Some(url) if is_http_url(url) => {
            El::new("a")?.attr("href", url).attr("rel", "noopener noreferrer").text(row.privacy_host())
        }
        Some(url) => El::new("span")?.text(url),
        None => El::new("span")?.text("—"),
    };
    let cell = |at: usize| -> Option<El> {
        let label = columns.get(at).map(String::as_str).unwrap_or_default();
        Some(El::new("td")?.attr("role", "cell").attr("data-label", label))
    };
    Some(
        El::new("tr")?
            .attr("role", "row")
            .child(cell(0)?.text(&row.vendor))
            .child(cell(1)?.text(&row.purpose))
            .child(cell(2)?.text(&row.cookies))
            .child(cell(3)?.text(&row.party))
            .child(cell(4)?.text(&row.lifetime))
            .child(cell(5)?.child(privacy)),
    )
}
