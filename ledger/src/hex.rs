//! Lower-case hexadecimal encoding and decoding, plus the serde glue that
//! stores every fixed-size byte type of the crate (hashes, keys, addresses,
//! signatures) as a hex string in JSON.

use core::fmt;
use core::marker::PhantomData;
use core::str::FromStr;

/// Why a hex string could not be turned into bytes.
///
/// Returned by every `FromStr` implementation in the crate ([`Hash`](crate::Hash),
/// [`Address`](crate::Address), [`PublicKey`](crate::PublicKey),
/// [`Signature`](crate::Signature)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseHexError {
    /// The string does not have the number of hex digits this type needs.
    WrongLength {
        /// Number of hex digits expected (twice the byte length).
        expected: usize,
        /// Number of characters found.
        found: usize,
    },
    /// A character that is not `0-9`, `a-f` or `A-F`.
    InvalidCharacter {
        /// Position of the character (in characters, from 0).
        index: usize,
        /// The offending character.
        character: char,
    },
}

impl fmt::Display for ParseHexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongLength { expected, found } => write!(
                f,
                "expected {expected} hex digits, found {found} characters"
            ),
            Self::InvalidCharacter { index, character } => write!(
                f,
                "character {character:?} at position {index} is not a hex digit"
            ),
        }
    }
}

impl std::error::Error for ParseHexError {}

/// Lower-case hex of `bytes`.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        // Both nibbles are below 16, so `from_digit` always succeeds.
        out.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(byte & 0x0f), 16).unwrap_or('0'));
    }
    out
}

/// Writes lower-case hex of `bytes` into a formatter without allocating.
pub(crate) fn write(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    for byte in bytes {
        write!(f, "{byte:02x}")?;
    }
    Ok(())
}

fn nibble(index: usize, character: char) -> Result<u8, ParseHexError> {
    match character.to_digit(16) {
        // `to_digit(16)` only returns values below 16, so the cast is exact.
        Some(value) => Ok(value as u8),
        None => Err(ParseHexError::InvalidCharacter { index, character }),
    }
}

/// Decodes exactly `N` bytes from `2 * N` hex digits (either case).
pub(crate) fn decode<const N: usize>(text: &str) -> Result<[u8; N], ParseHexError> {
    let found = text.chars().count();
    if found != N * 2 {
        return Err(ParseHexError::WrongLength {
            expected: N * 2,
            found,
        });
    }
    let mut out = [0u8; N];
    let mut chars = text.chars().enumerate();
    for slot in out.iter_mut() {
        match (chars.next(), chars.next()) {
            (Some((hi_index, hi)), Some((lo_index, lo))) => {
                *slot = (nibble(hi_index, hi)? << 4) | nibble(lo_index, lo)?;
            }
            // Unreachable after the length check; reported as a length error
            // rather than a panic all the same.
            _ => {
                return Err(ParseHexError::WrongLength {
                    expected: N * 2,
                    found,
                })
            }
        }
    }
    Ok(out)
}

/// serde visitor that parses a hex string with the target's `FromStr`.
pub(crate) struct HexVisitor<T>(pub(crate) PhantomData<T>, pub(crate) &'static str);

impl<'de, T> serde::de::Visitor<'de> for HexVisitor<T>
where
    T: FromStr<Err = ParseHexError>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.1)
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        value.parse().map_err(E::custom)
    }
}

/// Implements hex `Display`, `Debug`, `FromStr` and serde (as a hex string)
/// for a newtype over `[u8; N]` that has `from_bytes` and `as_bytes`.
macro_rules! hex_newtype {
    ($name:ident, $len:expr, $expecting:literal) => {
        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                $crate::hex::write(f, self.as_bytes())
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{}(", stringify!($name))?;
                $crate::hex::write(f, self.as_bytes())?;
                f.write_str(")")
            }
        }

        impl core::str::FromStr for $name {
            type Err = $crate::hex::ParseHexError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $crate::hex::decode::<$len>(text).map(Self::from_bytes)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::hex::HexVisitor(
                    core::marker::PhantomData,
                    $expecting,
                ))
            }
        }
    };
}

pub(crate) use hex_newtype;

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn round_trips_and_accepts_upper_case() {
        let bytes = [0x00, 0x7f, 0x80, 0xff];
        assert_eq!(encode(&bytes), "007f80ff");
        assert_eq!(decode::<4>("007F80FF"), Ok(bytes));
    }

    #[test]
    fn reports_length_and_bad_characters() {
        assert_eq!(
            decode::<2>("abc"),
            Err(ParseHexError::WrongLength {
                expected: 4,
                found: 3
            })
        );
        assert_eq!(
            decode::<2>("ab+d"),
            Err(ParseHexError::InvalidCharacter {
                index: 2,
                character: '+'
            })
        );
        // Multi-byte characters are counted as characters, never split.
        assert_eq!(
            decode::<2>("ab\u{e9}d"),
            Err(ParseHexError::InvalidCharacter {
                index: 2,
                character: '\u{e9}'
            })
        );
    }
}
