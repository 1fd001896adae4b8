//! GF(2^n) arithmetic for the Reed-Solomon and BCH decoders, with log and
//! antilog tables (under 1 KB for GF(256)).
//!
//! ChainClass patch: upstream rqrr uses the `g2p` crate, whose GF(256) type
//! carries a 256 x 256 multiplication table: 64 KB of incompressible data in
//! every wasm that reads QR codes. This module offers the same types and
//! operations (`GF16`, `GF256`, `ZERO`, `ONE`, `GENERATOR`, `pow`, `+ - * /`)
//! computed through logarithms instead. Division by zero yields zero instead
//! of panicking (the decoder never divides by zero).

use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Sub, SubAssign};

/// The operations the decoders need from a finite field.
pub trait GaloisField:
    Add<Output = Self>
    + AddAssign
    + Sub<Output = Self>
    + SubAssign
    + Mul<Output = Self>
    + MulAssign
    + Div<Output = Self>
    + DivAssign
    + Copy
    + PartialEq
    + Eq
{
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// A generator of the multiplicative group (x, that is 2, for the
    /// primitive moduli used here).
    const GENERATOR: Self;
    /// `self` to the power `p` (0^0 = 1).
    fn pow(self, p: usize) -> Self;
}

/// Antilog (twice over, so products need no reduction) and log tables of
/// GF(2^bits) with the primitive polynomial `modulus`.
const fn tables<const N: usize, const T: usize>(bits: u32, modulus: u32) -> ([u8; T], [u8; N]) {
    let mut exp = [0u8; T];
    let mut log = [0u8; N];
    let order = N - 1;
    let mut x: u32 = 1;
    let mut i = 0;
    while i < order {
        exp[i] = x as u8;
        exp[i + order] = x as u8;
        log[x as usize] = i as u8;
        x <<= 1;
        if x & (1 << bits) != 0 {
            x ^= modulus;
        }
        i += 1;
    }
    (exp, log)
}

macro_rules! field {
    ($name:ident, $bits:expr, $modulus:expr) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct $name(pub u8);

        impl $name {
            const ORDER: usize = (1 << $bits) - 1;
            const EXP_LOG: ([u8; 2 * ((1 << $bits) - 1)], [u8; 1 << $bits]) =
                tables::<{ 1 << $bits }, { 2 * ((1 << $bits) - 1) }>($bits, $modulus);

            fn log(self) -> usize {
                Self::EXP_LOG.1[usize::from(self.0) & Self::ORDER] as usize
            }

            fn exp(i: usize) -> Self {
                $name(Self::EXP_LOG.0[i % (2 * Self::ORDER)])
            }
        }

        impl GaloisField for $name {
            const ZERO: Self = $name(0);
            const ONE: Self = $name(1);
            const GENERATOR: Self = $name(2);

            fn pow(self, p: usize) -> Self {
                if p == 0 {
                    Self::ONE
                } else if self.0 == 0 {
                    Self::ZERO
                } else {
                    Self::exp((self.log() * (p % Self::ORDER)) % Self::ORDER)
                }
            }
        }

        impl Add for $name {
            type Output = Self;
            #[allow(clippy::suspicious_arithmetic_impl)]
            fn add(self, rhs: Self) -> Self {
                $name(self.0 ^ rhs.0)
            }
        }

        impl AddAssign for $name {
            fn add_assign(&mut self, rhs: Self) {
                *self = *self + rhs;
            }
        }

        impl Sub for $name {
            type Output = Self;
            #[allow(clippy::suspicious_arithmetic_impl)]
            fn sub(self, rhs: Self) -> Self {
                $name(self.0 ^ rhs.0)
            }
        }

        impl SubAssign for $name {
            fn sub_assign(&mut self, rhs: Self) {
                *self = *self - rhs;
            }
        }

        impl Mul for $name {
            type Output = Self;
            fn mul(self, rhs: Self) -> Self {
                if self.0 == 0 || rhs.0 == 0 {
                    Self::ZERO
                } else {
                    Self::exp(self.log() + rhs.log())
                }
            }
        }

        impl MulAssign for $name {
            fn mul_assign(&mut self, rhs: Self) {
                *self = *self * rhs;
            }
        }

        impl Div for $name {
            type Output = Self;
            fn div(self, rhs: Self) -> Self {
                if self.0 == 0 || rhs.0 == 0 {
                    Self::ZERO
                } else {
                    Self::exp(self.log() + Self::ORDER - rhs.log())
                }
            }
        }

        impl DivAssign for $name {
            fn div_assign(&mut self, rhs: Self) {
                *self = *self / rhs;
            }
        }
    };
}

field!(GF16, 4, 0b1_0011);
field!(GF256, 8, 0b1_0001_1101);

#[cfg(test)]
mod tests {
    use super::*;

    /// Carry-less multiplication reduced by `modulus`: the definition.
    fn slow_mul(a: u8, b: u8, bits: u32, modulus: u32) -> u8 {
        let (mut a, mut b, mut r) = (u32::from(a), u32::from(b), 0u32);
        while b != 0 {
            if b & 1 != 0 {
                r ^= a;
            }
            b >>= 1;
            a <<= 1;
            if a & (1 << bits) != 0 {
                a ^= modulus;
            }
        }
        r as u8
    }

    #[test]
    fn gf256_matches_the_definition() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let p = GF256(a) * GF256(b);
                assert_eq!(p.0, slow_mul(a, b, 8, 0b1_0001_1101), "{a} * {b}");
                if b != 0 {
                    assert_eq!(p / GF256(b), GF256(a), "({a} * {b}) / {b}");
                }
            }
            let mut acc = GF256::ONE;
            for p in 0..600 {
                assert_eq!(GF256(a).pow(p), acc, "{a}^{p}");
                acc *= GF256(a);
            }
        }
    }

    #[test]
    fn gf16_matches_the_definition() {
        for a in 0..16u8 {
            for b in 0..16u8 {
                assert_eq!((GF16(a) * GF16(b)).0, slow_mul(a, b, 4, 0b1_0011));
            }
        }
        // The generator generates all 15 non-zero elements.
        let mut seen: Vec<u8> = (0..15).map(|i| GF16::GENERATOR.pow(i).0).collect();
        seen.sort_unstable();
        assert_eq!(seen, (1..16).collect::<Vec<u8>>());
    }
}
