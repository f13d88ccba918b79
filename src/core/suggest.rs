//! "Did you mean …?": the closest known name to a mistyped one.

/// The candidate closest to `word` by edit distance (ignoring ASCII case: field
/// names are ASCII, and full Unicode case tables would cost the wasm 4 KB), if
/// it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_ascii_lowercase();
    let (distance, best) = candidates
        .into_iter()
        .map(|c| (edit_distance(&word_lower, &c.to_ascii_lowercase()), c))
        .min_by_key(|(d, _)| *d)?;
    let length = crate::core::json::char_count(word);
    (distance <= 2 && distance < length || distance * 3 <= length).then_some(best)
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
    }
}
