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

/// A lifetime written another way than consent-gate reads it, as it reads
/// it: "395d" as "395 days", "13 mēneši" as "13 months", "6 мес." as "6
/// months", "1 год" as "1 year", "2 weeks" as "14 days". The units people
/// write in Latvian, Lithuanian, Russian and English shorthand; `None` for
/// anything else, or a lifetime that would still be refused (zero, too long).
pub fn lifetime_as_written(text: &str) -> Option<String> {
    use crate::core::lifetime::{Lifetime, Unit};
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let amount: u32 = text.get(..digits).filter(|d| !d.is_empty() && d.len() <= 9)?.parse().ok()?;
    let word: String = text.get(digits..)?.trim().trim_end_matches('.').chars().map(lower).collect();
    let (unit, times) =
        UNIT_WORDS.iter().find(|(words, _, _)| words.contains(&word.as_str())).map(|(_, u, t)| (*u, *t))?;
    let unit = match unit {
        'd' => Unit::Days,
        'm' => Unit::Months,
        _ => Unit::Years,
    };
    let meant = Lifetime { amount: amount.checked_mul(times)?, unit }.to_string();
    Lifetime::parse(&meant).ok().map(|_| meant)
}

/// Unit words (lower case, without a final '.') and what they are: 'd' days,
/// 'm' months, 'y' years, and how many of them one is (a week is 7 days).
/// Not "m": it is months to some, minutes or (Lithuanian) years to others.
const UNIT_WORDS: [(&[&str], char, u32); 4] = [
    (
        &[
            "d",
            "day",
            "days",
            "diena",
            "dienas",
            "dienu",
            "dienām",
            "dn",
            "dienos",
            "dienų",
            "dieną",
            "день",
            "дня",
            "дней",
            "дн",
            "д",
            "сутки",
            "суток",
        ],
        'd',
        1,
    ),
    (
        &[
            "w",
            "wk",
            "wks",
            "week",
            "weeks",
            "ned",
            "nedēļa",
            "nedēļas",
            "nedēļu",
            "nedēļām",
            "sav",
            "savaitė",
            "savaitės",
            "savaičių",
            "savaites",
            "нед",
            "неделя",
            "недели",
            "недель",
            "неделю",
        ],
        'd',
        7,
    ),
    (
        &[
            "mo",
            "mos",
            "mon",
            "mth",
            "mths",
            "month",
            "months",
            "mēn",
            "mēnesis",
            "mēneši",
            "mēnešu",
            "mēnesi",
            "mēnešiem",
            "mėn",
            "mėnuo",
            "mėnesiai",
            "mėnesių",
            "mėnesius",
            "mėnesį",
            "мес",
            "месяц",
            "месяца",
            "месяцев",
        ],
        'm',
        1,
    ),
    (
        &[
            "y",
            "yr",
            "yrs",
            "year",
            "years",
            "g",
            "gads",
            "gadi",
            "gadu",
            "gadus",
            "gadiem",
            "metai",
            "metų",
            "metus",
            "год",
            "года",
            "годов",
            "лет",
            "г",
        ],
        'y',
        1,
    ),
];

/// `c` in lower case for the letters unit words use (ASCII, Latvian and
/// Lithuanian, Cyrillic), without `char::to_lowercase`'s Unicode tables.
fn lower(c: char) -> char {
    let code = u32::from(c);
    let lowered = match code {
        0x41..=0x5A | 0x410..=0x42F => code + 0x20,
        0x400..=0x40F => code + 0x50,
        // Latin Extended-A: pairs with the capital at the even code, except
        // from U+0139 to U+0148 and from U+0179 to U+017E, where it is odd.
        0x139..=0x148 | 0x179..=0x17E if code % 2 == 1 => code + 1,
        0x100..=0x137 | 0x14A..=0x177 if code % 2 == 0 => code + 1,
        _ => code,
    };
    char::from_u32(lowered).unwrap_or(c)
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
    fn lifetimes_written_another_way_are_read_as_meant() {
        for (written, meant) in [
            ("395d", "395 days"),
            ("395 d.", "395 days"),
            ("1 gads", "1 year"),
            ("2 Gadi", "2 years"),
            ("13 mēneši", "13 months"),
            ("13 MĒNEŠI", "13 months"),
            ("13 mėn", "13 months"),
            ("13 mėn.", "13 months"),
            ("6 мес.", "6 months"),
            ("6 Месяцев", "6 months"),
            ("1 год", "1 year"),
            ("5 лет", "5 years"),
            ("60 Dienas", "60 days"),
            ("2 weeks", "14 days"),
            ("12mo", "12 months"),
            ("1yr", "1 year"),
        ] {
            assert_eq!(lifetime_as_written(written).as_deref(), Some(meant), "{written}");
        }
        for unknown in ["6m", "half a year", "0 gadi", "20 gadi", "13", "d", "99999999999 d", "6 minūtes"] {
            assert_eq!(lifetime_as_written(unknown), None, "{unknown}");
        }
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
