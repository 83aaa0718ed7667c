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
    fn sums_refuse_overflow_and_display_in_yuan() {
        assert_eq!(Fen::checked_sum([Fen(600), Fen(3_000)]), Some(Fen(3_600)));
        assert_eq!(Fen::checked_sum([Fen(i64::MAX), Fen(1)]), None);
        assert_eq!(Fen(64_800).to_string(), "¥648.00");
        assert_eq!(Fen(5).to_string(), "¥0.05");
    }
}
