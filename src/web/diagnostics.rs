//! A refused config's problems, reported in full: on the console, as a
//! `consent-gate:error` event, and as a list in every `[data-consent-errors]`
//! element (visitors see config internals only where the site opts in).

use super::dom::{marked, replace_content, El, ERRORS};
use super::events::report_error;
use crate::core::config::{has_problems, Config};

/// What had the problems: the file, or the object given to `start()`.
pub fn config_name(from_object: bool) -> &'static str {
    if from_object {
        "the config object given to start()"
    } else {
        "consent.json"
    }
}

/// Reports every problem of a config the gate refused, and returns the
/// summary `start()` rejects with. A config given as an object is named so,
/// its problems by field path alone.
pub fn report_problems(text: &str, from_object: bool) -> String {
    // The gate and this check apply the same rules (tests/config_rules.rs);
    // should they ever disagree, the gate's refusal stands.
    let errors = match Config::from_json(text) {
        Err(errors) => errors,
        Ok(_) => {
            let message = "consent.json was refused, but passes every check here; please report this";
            report_error(message);
            return message.to_owned();
        }
    };
    let errors = if from_object { errors.of_object() } else { errors };
    let message = errors.summary(config_name(from_object));
    report_error(&message);
    let problems: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
    super::dom::when_parsed(move || render_errors(&problems, from_object));
    message
}

/// Lists why the config could not start in every errors element.
pub fn render_errors(problems: &[String], from_object: bool) {
    for element in marked(ERRORS) {
        if let Some(children) = error_elements(problems, config_name(from_object)) {
            replace_content(&element, children);
        }
    }
}

fn error_elements(problems: &[String], what: &str) -> Option<Vec<El>> {
    let summary =
        format!("consent-gate could not start, so no tag was loaded; {}:", has_problems(what, problems.len()));
    let mut list = El::new("ul")?;
    for problem in problems {
        list = list.child(El::new("li")?.text(problem));
    }
    Some(vec![El::new("p")?.text(&summary), list])
}
