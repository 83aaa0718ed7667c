//! Display formatting shared by every page: money from fen, instants in China time, ages.
//!
//! Policy: hand-written and allocation-light, so chrono's formatting machinery stays out
//! of the bundle. Every instant is shown in UTC+8, whatever offset it arrived in.

use chrono::{Datelike, FixedOffset, NaiveDateTime, Timelike};
use refund_api::{Instant, YearMonth};

/// China Standard Time, the only time zone the service shows.
fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// The wall-clock time of `at` in UTC+8.
#[must_use]
pub fn china_time(at: &Instant) -> NaiveDateTime {
    at.with_timezone(&china()).naive_local()
}

/// Money in yuan with two decimals, e.g. `¥6.00` from 600 fen; negative amounts get a leading minus.
#[must_use]
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}¥{}.{:02}", abs / 100, abs % 100)
}

/// `2025-09-30`, in UTC+8.
#[must_use]
pub fn date(at: &Instant) -> String {
    let t = china_time(at);
    format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day())
}

/// `2025-09-30 10:00`, in UTC+8.
#[must_use]
pub fn date_time(at: &Instant) -> String {
    let t = china_time(at);
    format!("{} {:02}:{:02}", date(at), t.hour(), t.minute())
}

/// A machine-readable value for `<time datetime>`, e.g. `2025-09-30T10:00+08:00`.
#[must_use]
pub fn iso(at: &Instant) -> String {
    let t = china_time(at);
    format!("{}T{:02}:{:02}+08:00", date(at), t.hour(), t.minute())
}

const MB: u64 = 1024 * 1024;

/// A file size in KB or MB with one decimal, e.g. `1.5 MB`; a whole number of MB without
/// one (`20 MB`, as limits are stated).
#[must_use]
pub fn file_size(bytes: u64) -> String {
    if bytes >= MB {
        let tenths = (bytes * 10 + MB / 2) / MB;
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// A size over `limit` that never reads as equal to it: with two decimals when one
/// would round it onto the limit (`20.03 MB` against `20 MB`).
#[must_use]
pub fn file_size_over(bytes: u64, limit: u64) -> String {
    let shown = file_size(bytes);
    if bytes <= limit || shown != file_size(limit) {
        return shown;
    }
    let hundredths = (bytes * 100).div_ceil(MB);
    format!("{}.{:02} MB", hundredths / 100, hundredths % 100)
}

/// The age in full years at a moment, known only to the month of birth.
///
/// In the birth month itself the birthday may or may not have passed, so the age is
/// a range of two values there and exact otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Age {
    pub min: i32,
    pub max: i32,
}

impl Age {
    /// Whether the person was certainly under 18.
    #[must_use]
    pub fn is_minor(self) -> bool {
        self.max < 18
    }

    /// `9` or `8-9`, language-neutral.
    #[must_use]
    pub fn label(self) -> String {
        if self.min == self.max {
            self.max.to_string()
        } else {
            format!("{}–{}", self.min, self.max)
        }
    }
}

/// How old someone born in `birth` was at `at` (in China time). `None` if not yet born.
#[must_use]
pub fn age_at(birth: YearMonth, at: &Instant) -> Option<Age> {
    let t = china_time(at);
    let (year, month) = (t.year(), t.month());
    if (year, month) < (birth.year, birth.month) {
        return None;
    }
    let years = year - birth.year;
    Some(match month.cmp(&birth.month) {
        std::cmp::Ordering::Greater => Age { min: years, max: years },
        std::cmp::Ordering::Equal => Age {
            min: (years - 1).max(0),
            max: years,
        },
        std::cmp::Ordering::Less => Age {
            min: years - 1,
            max: years - 1,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Instant {
        chrono::DateTime::parse_from_rfc3339(s).expect("valid RFC 3339")
    }

    #[test]
    fn yuan_shows_two_decimals_from_fen() {
        assert_eq!(yuan(600), "¥6.00");
        assert_eq!(yuan(5), "¥0.05");
        assert_eq!(yuan(0), "¥0.00");
        assert_eq!(yuan(123_456), "¥1234.56");
        assert_eq!(yuan(-150), "-¥1.50");
    }

    #[test]
    fn instants_are_shown_in_china_time_whatever_their_offset() {
        let utc = at("2025-09-30T16:30:00Z");
        assert_eq!(date_time(&utc), "2025-10-01 00:30");
        assert_eq!(date(&utc), "2025-10-01");
        assert_eq!(iso(&utc), "2025-10-01T00:30+08:00");
        assert_eq!(date_time(&at("2025-09-30T10:05:00+08:00")), "2025-09-30 10:05");
    }

    #[test]
    fn file_sizes_are_rounded_for_reading() {
        assert_eq!(file_size(1), "1 KB");
        assert_eq!(file_size(1536), "2 KB");
        assert_eq!(file_size(10 * 1024 * 1024), "10 MB");
        assert_eq!(file_size(1024 * 1024 + 512 * 1024), "1.5 MB");
        let limit = 20 * 1024 * 1024;
        assert_eq!(
            file_size_over(21_000_000, limit),
            "20.03 MB",
            "never 'the 20 MB file is over 20 MB'"
        );
        assert_eq!(file_size_over(limit + 1, limit), "20.01 MB");
        assert_eq!(file_size_over(22_334_669, limit), "21.3 MB");
    }

    #[test]
    fn age_is_exact_outside_the_birth_month_and_a_range_inside_it() {
        let birth = YearMonth { year: 2015, month: 6 };
        let july = at("2024-07-01T00:00:00+08:00");
        assert_eq!(age_at(birth, &july), Some(Age { min: 9, max: 9 }));
        let may = at("2024-05-31T23:59:00+08:00");
        assert_eq!(age_at(birth, &may), Some(Age { min: 8, max: 8 }));
        let june = at("2024-06-15T12:00:00+08:00");
        let age = age_at(birth, &june).expect("born");
        assert_eq!(age, Age { min: 8, max: 9 });
        assert_eq!(age.label(), "8–9");
        assert!(age.is_minor());
    }

    #[test]
    fn age_uses_china_time_and_rejects_purchases_before_birth() {
        let birth = YearMonth { year: 2006, month: 1 };
        // 2023-12-31 17:00 UTC is already January 2024 in China: 18, possibly 17.
        let edge = at("2023-12-31T17:00:00Z");
        assert_eq!(age_at(birth, &edge), Some(Age { min: 17, max: 18 }));
        assert!(!age_at(birth, &edge).expect("born").is_minor());
        assert_eq!(age_at(birth, &at("2005-12-01T00:00:00+08:00")), None);
    }
}
