//! Renders the cookie declaration into every `[data-consent-declaration]`
//! element, and a broken config's problems into every `[data-consent-errors]`
//! element (visitors see config internals only where the site opts in).
//! DOM calls and `textContent` only: nothing from the config becomes markup,
//! and links are made only to http(s) addresses.

use super::dom::{document, El};
use crate::core::config::{is_http_url, Config};
use crate::core::declaration::{declaration, Declaration, Row};
use crate::core::i18n::choose_language;
use wasm_bindgen::JsCast;
use web_sys::Element;

pub const DECLARATION: &str = "data-consent-declaration";
pub const ERRORS: &str = "data-consent-errors";

/// The page's elements carrying `attribute`.
fn marked(attribute: &str) -> Vec<Element> {
    let Some(list) = document().and_then(|d| d.query_selector_all(&format!("[{attribute}]")).ok()) else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)?.dyn_into().ok()).collect()
}

fn replace_content(element: &Element, children: Vec<El>) {
    element.set_text_content(None);
    for child in children {
        let _ = element.append_child(&child.0);
    }
}

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
            let mut head = El::new("tr")?;
            for column in &section.columns {
                head = head.child(El::new("th")?.attr("scope", "col").text(column));
            }
            let mut body = El::new("tbody")?;
            for row in &section.rows {
                body = body.child(row_element(row)?);
            }
            let table = El::new("table")?.child(El::new("thead")?.child(head)).child(body);
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

fn row_element(row: &Row) -> Option<El> {
    let privacy = if is_http_url(&row.privacy_url) {
        El::new("a")?.attr("href", &row.privacy_url).attr("rel", "noopener noreferrer").text(row.privacy_host())
    } else {
        El::new("span")?.text(&row.privacy_url)
    };
    Some(
        El::new("tr")?
            .child(El::new("td")?.text(&row.vendor))
            .child(El::new("td")?.text(&row.purpose))
            .child(El::new("td")?.text(&row.lifetime))
            .child(El::new("td")?.child(privacy)),
    )
}

/// Lists why the config could not start in every errors element.
pub fn render_errors(problems: &[String]) {
    for element in marked(ERRORS) {
        if let Some(children) = error_elements(problems) {
            replace_content(&element, children);
        }
    }
}

fn error_elements(problems: &[String]) -> Option<Vec<El>> {
    let n = problems.len();
    let summary = format!(
        "consent-gate could not start, so no tag was loaded; consent.json has {n} problem{}:",
        if n == 1 { "" } else { "s" }
    );
    let mut list = El::new("ul")?;
    for problem in problems {
        list = list.child(El::new("li")?.text(problem));
    }
    Some(vec![El::new("p")?.text(&summary), list])
}
