//! [`Hash`](struct@Hash): a SHA-256 digest, shown and parsed as 64 hex digits, and the
//! proof-of-work helper [`Hash::leading_zero_bits`].

use sha2::{Digest, Sha256};

use crate::hex::hex_newtype;

/// A 32-byte SHA-256 digest.
///
/// Displayed (and serialised to JSON) as 64 lower-case hex digits; parsing
/// accepts either case.
///
/// ```
/// use ledger::Hash;
///
/// let h = Hash::digest(b"abc");
/// assert_eq!(
///     h.to_string(),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// assert_eq!(h.to_string().parse::<Hash>(), Ok(h));
/// assert_eq!(h.leading_zero_bits(), 0); // 0xba = 1011_1010
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hash([u8; 32]);

hex_newtype!(Hash, 32, "a SHA-256 hash as 64 hex digits");

impl Hash {
    /// The all-zero hash (never the digest of anything in practice).
    pub const ZERO: Hash = Hash([0; 32]);

    /// Wraps 32 bytes that already are a digest.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Hash(bytes)
    }

    /// SHA-256 of `data`.
    pub fn digest(data: impl AsRef<[u8]>) -> Self {
        Hash(Sha256::digest(data.as_ref()).into())
    }

    /// The 32 bytes of the digest.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 32 bytes of the digest, by value.
    pub const fn to_bytes(self) -> [u8; 32] {
        self.0
    }

    /// Number of zero bits at the start of the digest (0 to 256).
    ///
    /// Proof of work asks for a block hash with at least `difficulty` leading
    /// zero bits: each extra bit halves the chance that a random nonce works.
    pub fn leading_zero_bits(&self) -> u32 {
        let mut bits = 0;
        for byte in self.0 {
            if byte != 0 {
                return bits + byte.leading_zeros();
            }
            bits += 8;
        }
        bits
    }

    /// The first 8 hex digits, for compact display in lessons ("block 3f2a9c01…").
    pub fn short(&self) -> String {
        crate::hex::encode(self.0.get(..4).unwrap_or(&[]))
    }

    pub(crate) fn from_hasher(hasher: Sha256) -> Self {
        Hash(hasher.finalize().into())
    }
}

impl AsRef<[u8]> for Hash {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<[u8; 32]> for Hash {
    fn from(bytes: [u8; 32]) -> Self {
        Hash(bytes)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::hex::ParseHexError;

    #[test]
    fn empty_digest_is_the_fips_value() {
        assert_eq!(
            Hash::digest([]).to_string(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn leading_zero_bits_counts_across_bytes() {
        let mut bytes = [0xffu8; 32];
        assert_eq!(Hash::from_bytes(bytes).leading_zero_bits(), 0);
        bytes[0] = 0;
        bytes[1] = 0b0001_0000;
        assert_eq!(Hash::from_bytes(bytes).leading_zero_bits(), 11);
        assert_eq!(Hash::ZERO.leading_zero_bits(), 256);
    }

    #[test]
    fn parses_with_precise_errors() {
        assert_eq!(
            "abcd".parse::<Hash>(),
            Err(ParseHexError::WrongLength {
                expected: 64,
                found: 4
            })
        );
        let mut text = Hash::digest(b"x").to_string();
        text.replace_range(10..11, "g");
        assert_eq!(
            text.parse::<Hash>(),
            Err(ParseHexError::InvalidCharacter {
                index: 10,
                character: 'g'
            })
        );
    }

    #[test]
    fn serde_is_a_hex_string() {
        let h = Hash::digest(b"abc");
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(json, format!("\"{h}\""));
        assert_eq!(serde_json::from_str::<Hash>(&json).unwrap(), h);
        assert!(serde_json::from_str::<Hash>("\"00\"").is_err());
        assert!(serde_json::from_str::<Hash>("[1,2,3]").is_err());
    }

    #[test]
    fn short_is_the_first_eight_digits() {
        let h = Hash::digest(b"abc");
        assert_eq!(h.short(), "ba7816bf");
        assert_eq!(format!("{h:?}"), format!("Hash({h})"));
    }
}
