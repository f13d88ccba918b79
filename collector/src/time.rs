//! Calendar days in UTC, without a date library: the collector only needs
//! day numbers and YYYY-MM-DD, from the library's own calendar arithmetic.

use consent_gate::core::lifetime::{civil_from_days, days_from_civil};

pub const MS_PER_DAY: i64 = 86_400_000;

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// YYYY-MM-DD of a day number.
pub fn day_string(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// ISO 8601 UTC with milliseconds, of ms since the epoch.
pub fn iso(ms: i64) -> String {
    let day = ms.div_euclid(MS_PER_DAY);
    let rest = ms.rem_euclid(MS_PER_DAY);
    let (h, min, s, milli) = (rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000);
    format!("{}T{h:02}:{min:02}:{s:02}.{milli:03}Z", day_string(day))
}

/// The day number of a YYYY-MM-DD date, checked.
pub fn parse_day(text: &str) -> Result<i64, String> {
    let bad = || format!("'{text}' is not a date; write it as YYYY-MM-DD, like 2026-12-01");
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return Err(bad()) };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let y: i64 = y.parse().map_err(|_| bad())?;
    let m: i64 = m.parse().map_err(|_| bad())?;
    let d: i64 = d.parse().map_err(|_| bad())?;
    if !(1..=12).contains(&m) || d == 0 {
        return Err(bad());
    }
    let day = days_from_civil(y, m, d).ok_or_else(bad)?;
    if civil_from_days(day) != (y, m, d) {
        return Err(format!("'{text}' is not a day of the calendar"));
    }
    Ok(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(day_string(20_423), "2025-12-01");
        assert_eq!(parse_day("2024-02-29").ok(), days_from_civil(2024, 2, 29));
        assert!(parse_day("2023-02-29").is_err());
        assert!(parse_day("2023-2-01").is_err());
        assert_eq!(iso(1_764_547_200_123), "2025-12-01T00:00:00.123Z");
        for z in -1000..100_000 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), Some(z));
        }
    }
}
