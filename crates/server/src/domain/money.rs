//! Money as integer fen.

use std::fmt;

/// An amount of money in fen (分), one hundredth of a yuan. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fen(pub i64);

impl Fen {
    /// Sums amounts, refusing overflow instead of wrapping.
    pub fn checked_sum(amounts: impl IntoIterator<Item = Self>) -> Option<Self> {
        amounts
            .into_iter()
            .try_fold(0i64, |acc, Fen(a)| acc.checked_add(a))
            .map(Fen)
    }

    /// Parses a yuan amount written with at most two decimals ("6", "6.5", "648.00").
    pub fn parse_yuan(text: &str) -> Option<Self> {
        let text = text.trim();
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let yuan: i64 = whole.parse().ok()?;
        let frac_fen: i64 = format!("{frac:0<2}").parse().ok()?;
        yuan.checked_mul(100)?.checked_add(frac_fen).map(Fen)
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}¥{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_text_parses_to_exact_fen() {
        assert_eq!(Fen::parse_yuan("648"), Some(Fen(64_800)));
        assert_eq!(Fen::parse_yuan("6.5"), Some(Fen(650)));
        assert_eq!(Fen::parse_yuan("0.01"), Some(Fen(1)));
        for bad in ["", "-1", "1.234", "1,5", "abc", ".5", "99999999999999999999"] {
            assert_eq!(Fen::parse_yuan(bad), None, "{bad}");
        }
    }

    #[test]
    fn sums_refuse_overflow_and_display_in_yuan() {
        assert_eq!(Fen::checked_sum([Fen(600), Fen(3_000)]), Some(Fen(3_600)));
        assert_eq!(Fen::checked_sum([Fen(i64::MAX), Fen(1)]), None);
        assert_eq!(Fen(64_800).to_string(), "¥648.00");
        assert_eq!(Fen(5).to_string(), "¥0.05");
    }
}
