//! Declared lifetimes ("180 days", "13 months", "1 year") and the calendar
//! arithmetic that turns them into expiry instants.
//!
//! Months and years are calendar units, counted the way a person reads the
//! policy: 13 months from 31 January is the last day of the next February.

use std::fmt;

const MS_PER_DAY: i64 = 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Months,
    Years,
}

/// A positive length of time in days, months or years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetime {
    pub amount: u32,
    pub unit: Unit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LifetimeError {
    Empty,
    NotANumber(String),
    Zero,
    TooLong,
    UnknownUnit(String),
}

impl fmt::Display for LifetimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LifetimeError::Empty => write!(f, "is empty; write a number and a unit, like \"180 days\""),
            LifetimeError::NotANumber(s) => {
                write!(f, "starts with '{s}', which is not a whole number; write it like \"13 months\"")
            }
            LifetimeError::Zero => write!(f, "is zero; a lifetime must be at least 1 day"),
            LifetimeError::TooLong => write!(f, "is longer than 10 years, which no cookie policy allows"),
            LifetimeError::UnknownUnit(u) => {
                write!(f, "has the unit '{u}'; use days, months or years (for example \"60 days\", \"1 year\")")
            }
        }
    }
}

impl std::error::Error for LifetimeError {}

impl Lifetime {
    pub const fn days(amount: u32) -> Lifetime {
        Lifetime { amount, unit: Unit::Days }
    }
    pub const fn months(amount: u32) -> Lifetime {
        Lifetime { amount, unit: Unit::Months }
    }

    pub fn parse(text: &str) -> Result<Lifetime, LifetimeError> {
        let mut words = text.split_whitespace();
        let number = words.next().ok_or(LifetimeError::Empty)?;
        let amount: u32 = number.parse().map_err(|_| LifetimeError::NotANumber(number.to_owned()))?;
        let unit_word = words.collect::<Vec<_>>().join(" ");
        let unit = match unit_word.to_ascii_lowercase().as_str() {
            "day" | "days" => Unit::Days,
            "month" | "months" => Unit::Months,
            "year" | "years" => Unit::Years,
            _ => return Err(LifetimeError::UnknownUnit(unit_word)),
        };
        let lifetime = Lifetime { amount, unit };
        if amount == 0 {
            return Err(LifetimeError::Zero);
        }
        if lifetime.approx_days() > 3660 {
            return Err(LifetimeError::TooLong);
        }
        Ok(lifetime)
    }

    fn approx_days(self) -> u64 {
        let n = u64::from(self.amount);
        match self.unit {
            Unit::Days => n,
            Unit::Months => n * 31,
            Unit::Years => n * 366,
        }
    }

    /// The instant (ms since the epoch) this lifetime ends when it starts at
    /// `from_ms`; `i64::MAX` when that is past the last instant an `i64`
    /// holds. Any `from_ms` is safe: stored times are not to be trusted.
    pub fn end_from(self, from_ms: i64) -> i64 {
        let days = match self.unit {
            Unit::Days => Some(i64::from(self.amount)),
            Unit::Months => days_in_months_from(from_ms, i64::from(self.amount)),
            Unit::Years => days_in_months_from(from_ms, 12 * i64::from(self.amount)),
        };
        days.and_then(|days| days.checked_mul(MS_PER_DAY)).map_or(i64::MAX, |length| from_ms.saturating_add(length))
    }

    /// Whole seconds from `from_ms` to the end of the lifetime (for gtag's `cookie_expires`).
    pub fn seconds_from(self, from_ms: i64) -> i64 {
        self.end_from(from_ms).saturating_sub(from_ms) / 1000
    }
}

impl fmt::Display for Lifetime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match (self.unit, self.amount) {
            (Unit::Days, 1) => "day",
            (Unit::Days, _) => "days",
            (Unit::Months, 1) => "month",
            (Unit::Months, _) => "months",
            (Unit::Years, 1) => "year",
            (Unit::Years, _) => "years",
        };
        write!(f, "{} {unit}", self.amount)
    }
}

// Host only: the JSON Schema's defaults are written through serde.
#[cfg(not(target_arch = "wasm32"))]
impl serde::Serialize for Lifetime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<'de> serde::Deserialize<'de> for Lifetime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Lifetime::parse(&text).map_err(|e| serde::de::Error::custom(format!("\"{text}\" {e}")))
    }
}

/// The days from the instant `ms` to the same time of day `months` calendar
/// months later, the day clamped to the target month's length. Counted as a
/// difference of day numbers, so only the length, never the far end of the
/// `i64` range, is multiplied into milliseconds; `None` if it overflows.
fn days_in_months_from(ms: i64, months: i64) -> Option<i64> {
    let days = ms.div_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let month_index = y.checked_mul(12)?.checked_add(m - 1)?.checked_add(months)?;
    let (ny, nm) = (month_index.div_euclid(12), month_index.rem_euclid(12) + 1);
    let nd = d.min(days_in_month(ny, nm));
    days_from_civil(ny, nm, nd)?.checked_sub(days)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil calendar algorithms (public domain); the receipts
// collector dates its exports with them too. `#[inline]`: made public
// without it, they cost the gate 141 B and the diagnostics part 126 B gzip.

/// The day number (days since 1970-01-01) of a date whose month is 1 to 12;
/// `None` past the `i64` range (a year beyond 10^16).
#[inline]
pub fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era.checked_mul(146_097)?.checked_add(doe - 719_468)
}

/// The date (year, month 1 to 12, day) of a day number.
#[inline]
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAN_31_2026: i64 = 1_769_817_600_000; // 2026-01-31T00:00:00Z

    fn day(y: i64, m: i64, d: i64) -> i64 {
        days_from_civil(y, m, d).unwrap()
    }

    #[test]
    fn parses_the_policy_wordings() {
        assert_eq!(Lifetime::parse("180 days"), Ok(Lifetime::days(180)));
        assert_eq!(Lifetime::parse("13 months"), Ok(Lifetime::months(13)));
        assert_eq!(Lifetime::parse("1 year"), Ok(Lifetime { amount: 1, unit: Unit::Years }));
        assert_eq!(Lifetime::parse(" 3  Months "), Ok(Lifetime::months(3)));
    }

    #[test]
    fn rejects_what_a_person_might_mistype() {
        assert_eq!(Lifetime::parse(""), Err(LifetimeError::Empty));
        assert_eq!(Lifetime::parse("0 days"), Err(LifetimeError::Zero));
        assert_eq!(Lifetime::parse("six months"), Err(LifetimeError::NotANumber("six".into())));
        assert_eq!(Lifetime::parse("2 weeks"), Err(LifetimeError::UnknownUnit("weeks".into())));
        assert_eq!(Lifetime::parse("90"), Err(LifetimeError::UnknownUnit(String::new())));
        assert_eq!(Lifetime::parse("11 years"), Err(LifetimeError::TooLong));
    }

    #[test]
    fn days_are_exact() {
        assert_eq!(Lifetime::days(180).end_from(JAN_31_2026), JAN_31_2026 + 180 * MS_PER_DAY);
        assert_eq!(Lifetime::days(180).seconds_from(JAN_31_2026), 180 * 86_400);
    }

    #[test]
    fn months_clamp_to_the_end_of_a_shorter_month() {
        // 31 Jan 2026 + 1 month = 28 Feb 2026; + 13 months = 28 Feb 2027.
        let feb_28_2026 = day(2026, 2, 28) * MS_PER_DAY;
        assert_eq!(Lifetime::months(1).end_from(JAN_31_2026), feb_28_2026);
        assert_eq!(Lifetime::months(13).end_from(JAN_31_2026), day(2027, 2, 28) * MS_PER_DAY);
        // Into a leap year: 31 Jan 2028 + 1 month = 29 Feb 2028.
        let jan_31_2028 = day(2028, 1, 31) * MS_PER_DAY;
        assert_eq!(Lifetime::months(1).end_from(jan_31_2028), day(2028, 2, 29) * MS_PER_DAY);
    }

    #[test]
    fn a_year_is_twelve_calendar_months_and_keeps_the_time_of_day() {
        let t = JAN_31_2026 + 13 * 3_600_000 + 5;
        let y = Lifetime { amount: 1, unit: Unit::Years };
        assert_eq!(y.end_from(t), day(2027, 1, 31) * MS_PER_DAY + 13 * 3_600_000 + 5);
    }

    #[test]
    fn civil_conversion_round_trips_over_centuries() {
        for z in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), Some(z));
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    #[test]
    fn any_start_gives_an_end_without_overflow() {
        // Start times come from storage, which anyone on the site can write.
        let longest =
            [Lifetime::days(u32::MAX), Lifetime::months(u32::MAX), Lifetime { amount: u32::MAX, unit: Unit::Years }];
        let shortest = [Lifetime::days(1), Lifetime::months(1), Lifetime { amount: 1, unit: Unit::Years }];
        for lifetime in longest.into_iter().chain(shortest) {
            for start in [
                i64::MIN,
                i64::MIN + 1,
                -MS_PER_DAY,
                -1,
                0,
                1,
                JAN_31_2026,
                i64::MAX - MS_PER_DAY,
                i64::MAX - 1,
                i64::MAX,
            ] {
                let end = lifetime.end_from(start);
                assert!(end >= start, "{lifetime} from {start} ends at {end}, before it starts");
                assert!(lifetime.seconds_from(start) >= 0);
            }
        }
        assert_eq!(Lifetime::days(1).end_from(i64::MAX - 5), i64::MAX, "saturates at the last instant");
        assert_eq!(Lifetime::months(1).end_from(i64::MAX), i64::MAX);
        assert_eq!(Lifetime::days(1).end_from(i64::MIN), i64::MIN + MS_PER_DAY, "exact where it fits");
        let a_month_on = Lifetime::months(1).end_from(i64::MIN) - i64::MIN;
        assert!(
            (28 * MS_PER_DAY..=31 * MS_PER_DAY).contains(&a_month_on),
            "a month from the first instant: {a_month_on}"
        );
        assert_eq!(Lifetime::days(3660).seconds_from(i64::MAX), 0, "no time is left after the last instant");
    }

    #[test]
    fn displays_as_written_in_the_policy() {
        assert_eq!(Lifetime::months(13).to_string(), "13 months");
        assert_eq!(Lifetime::parse("1 years").map(|l| l.to_string()), Ok("1 year".to_string()));
    }
}
