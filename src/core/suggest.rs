//! "Did you mean …?": the closest known name to a mistyped one.

/// The candidate closest to `word` by edit distance (ignoring ASCII case: field
/// names are ASCII, and `to_lowercase` measured 12 KB gzip more in a wasm of
/// the checker, for its Unicode tables), if it is close enough to be a likely
/// typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = crate::core::json::char_count(word);
    // A likely typo: at most 2 edits (fewer than the word has characters), or a third of it.
    let allowed = (length / 3).max(2.min(length.saturating_sub(1)));
    let word_lower = word.to_ascii_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        // A word whose length differs more than allowed is further apart
        // than that: skipping it keeps a long unknown key from costing its
        // length times every candidate's.
        if length.abs_diff(crate::core::json::char_count(candidate)) > allowed {
            continue;
        }
        let distance = edit_distance(&word_lower, &candidate.to_ascii_lowercase());
        if distance <= allowed && best.map_or(true, |(shortest, _)| distance < shortest) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("mēnesis", "mēneši"), 2);
    }

    #[test]
    fn suggests_only_likely_typos() {
        let fields = ["type", "category", "lifetime", "privacyUrl", "purpose", "measurementId"];
        assert_eq!(closest("measurmentId", fields), Some("measurementId"));
        assert_eq!(closest("privacyURL", fields), Some("privacyUrl"));
        assert_eq!(closest("lifetme", fields), Some("lifetime"));
        assert_eq!(closest("colour", fields), None);
        assert_eq!(closest("x", ["y"]), None);
        assert_eq!(closest("x", []), None);
        assert_eq!(closest("", [""]), Some(""));
        assert_eq!(closest("typ", ["type"]), Some("type"));
        assert_eq!(closest("ab", ["abc", "b"]), Some("abc"), "one edit in a two-letter word");
    }

    #[test]
    fn a_long_word_is_not_compared_letter_by_letter() {
        // Far longer than any candidate: no typo of it, and no edit table of
        // its length times theirs.
        let long = "a".repeat(1_000_000);
        assert_eq!(closest(&long, ["type", "category"]), None);
        assert_eq!(closest(&"lifetime".repeat(2), ["lifetime"]), None);
    }
}
