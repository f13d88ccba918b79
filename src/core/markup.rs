//! Gated markup: which category a `data-consent` attribute asks for.
//!
//! `<script type="text/plain" data-consent="analytics">`, and iframes and
//! images with `data-consent` and `data-src`, wait for their category. A value
//! the library does not know never activates: a typo must not load a tag.

use super::category::Category;

/// The category a gated element waits for, or why its value is refused.
pub fn gate_category(value: &str) -> Result<Category, String> {
    match Category::parse(value.trim()) {
        Some(Category::Necessary) => Err(format!(
            "data-consent=\"{value}\" gates nothing: necessary is always on; remove the attribute and give the element its real type or src"
        )),
        Some(category) => Ok(category),
        None => Err(format!(
            "data-consent=\"{value}\" is not a category; use \"analytics\" or \"marketing\". The element stays inactive"
        )),
    }
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
}
