//! A refused config's problems, reported in full: on the console, as a
//! `consent-gate:error` event, and as a list in every `[data-consent-errors]`
//! element (visitors see config internals only where the site opts in), in
//! the page's language (`<html lang>`: Latvian, Russian, else English). And
//! the checker page's check of a pasted config (`checkConfig`).

use super::dom::{marked, replace_content, El, ERRORS};
use super::events::report_error;
use crate::core::config::{has_problems_in, Config, ConfigError, Lang};

/// What had the problems: the file, or the object given to `start()`.
pub fn config_name(from_object: bool) -> &'static str {
    if from_object {
        "the config object given to start()"
    } else {
        "consent.json"
    }
}

/// The language of the page (`<html lang>`) if the checker writes in it,
/// else English.
pub fn page_lang() -> Lang {
    let lang = super::dom::document().and_then(|d| d.document_element()).and_then(|html| html.get_attribute("lang"));
    lang.as_deref().and_then(Lang::parse).unwrap_or_default()
}

/// Reports every problem of a config the gate refused, and returns the
/// summary `start()` rejects with. A config given as an object is named so,
/// its problems by field path alone.
pub fn report_problems(text: &str, from_object: bool) -> String {
    let lang = page_lang();
    // The gate and this check apply the same rules (tests/config_rules.rs);
    // should they ever disagree, the gate's refusal stands.
    let errors = match Config::from_json_in(text, lang) {
        Err(errors) => errors,
        Ok(_) => {
            let message = "consent.json was refused, but passes every check here; please report this";
            report_error(message);
            return message.to_owned();
        }
    };
    let errors = if from_object { errors.of_object() } else { errors };
    let message = errors.summary_in(config_name(from_object), lang);
    report_error(&message);
    let problems: Vec<String> = errors.0.iter().map(|e| e.to_string_in(lang)).collect();
    super::dom::when_parsed(move || render_errors(&problems, from_object));
    message
}

/// Lists why the config could not start in every errors element.
pub fn render_errors(problems: &[String], from_object: bool) {
    let lang = page_lang();
    for element in marked(ERRORS) {
        if let Some(children) = error_elements(problems, config_name(from_object), lang) {
            replace_content(&element, children);
        }
    }
}

fn error_elements(problems: &[String], what: &str, lang: Lang) -> Option<Vec<El>> {
    let heading = has_problems_in(lang, what, problems.len());
    let summary = match lang {
        Lang::En => format!("consent-gate could not start, so no tag was loaded; {heading}:"),
        Lang::Lv => format!("consent-gate netika palaists, tāpēc neviens tags netika ielādēts; {heading}:"),
        Lang::Ru => format!("consent-gate не запустился, поэтому ни один тег не загружен; {heading}:"),
    };
    let mut list = El::new("ul")?;
    for problem in problems {
        list = list.child(El::new("li")?.text(problem));
    }
    Some(vec![El::new("p")?.text(&summary), list])
}

/// The checker page's check: every problem of `text` (a consent.json) with
/// its messages in `lang` ("lv", "ru" or "en"; another gives English), and
/// each as the page shows it; none for a config that passes.
pub fn check_text(text: &str, lang: &str) -> Vec<(ConfigError, String)> {
    let lang = Lang::parse(lang).unwrap_or_default();
    match Config::from_json_in(text, lang) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .0
            .into_iter()
            .map(|e| {
                let shown = e.to_string_in(lang);
                (e, shown)
            })
            .collect(),
    }
}

/// "`what` has `n` problems", for the checker page, in `lang`.
pub fn heading(lang: &str, n: usize) -> String {
    has_problems_in(Lang::parse(lang).unwrap_or_default(), "consent.json", n)
}
