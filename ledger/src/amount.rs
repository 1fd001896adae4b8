//! [`Amount`]: a whole number of class coins, with checked arithmetic only.

use core::fmt;

use serde::{Deserialize, Serialize};

/// A number of coins (whole coins only; there are no fractions).
///
/// Arithmetic is checked: adding or subtracting returns `None` instead of
/// wrapping around, so a bug or a hostile input can never mint coins.
///
/// ```
/// use ledger::Amount;
///
/// assert_eq!(Amount::new(5).checked_add(Amount::new(7)), Some(Amount::new(12)));
/// assert_eq!(Amount::new(5).checked_sub(Amount::new(7)), None);
/// assert_eq!(Amount::MAX.checked_add(Amount::new(1)), None);
/// ```
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Amount(u64);

impl Amount {
    /// No coins.
    pub const ZERO: Amount = Amount(0);
    /// The largest representable amount.
    pub const MAX: Amount = Amount(u64::MAX);

    /// `coins` coins.
    pub const fn new(coins: u64) -> Self {
        Amount(coins)
    }

    /// The number of coins.
    pub const fn coins(self) -> u64 {
        self.0
    }

    /// `self + other`, or `None` on overflow.
    pub const fn checked_add(self, other: Amount) -> Option<Amount> {
        match self.0.checked_add(other.0) {
            Some(sum) => Some(Amount(sum)),
            None => None,
        }
    }

    /// `self - other`, or `None` if `other` is larger.
    pub const fn checked_sub(self, other: Amount) -> Option<Amount> {
        match self.0.checked_sub(other.0) {
            Some(difference) => Some(Amount(difference)),
            None => None,
        }
    }

    /// Sum of `amounts`, or `None` on overflow.
    pub fn checked_sum<I: IntoIterator<Item = Amount>>(amounts: I) -> Option<Amount> {
        amounts
            .into_iter()
            .try_fold(Amount::ZERO, |total, amount| total.checked_add(amount))
    }
}

impl From<u64> for Amount {
    fn from(coins: u64) -> Self {
        Amount(coins)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn sum_reports_overflow() {
        assert_eq!(
            Amount::checked_sum([Amount::new(1), Amount::new(2)]),
            Some(Amount::new(3))
        );
        assert_eq!(Amount::checked_sum([Amount::MAX, Amount::new(1)]), None);
    }

    #[test]
    fn json_is_a_plain_number() {
        assert_eq!(serde_json::to_string(&Amount::new(42)).unwrap(), "42");
        assert_eq!(
            serde_json::from_str::<Amount>("18446744073709551615").unwrap(),
            Amount::MAX
        );
        assert!(serde_json::from_str::<Amount>("-1").is_err());
        assert!(serde_json::from_str::<Amount>("1.5").is_err());
    }
}
