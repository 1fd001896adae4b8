//! Multibase (base58btc, header `z`) and multicodec (unsigned varint) framing,
//! as used by Multikey, did:key and Data Integrity `proofValue`.

use serde::Serialize;
use std::fmt;

/// Multicodec `ed25519-pub` (0xed), varint-encoded.
pub const ED25519_PUB: [u8; 2] = [0xed, 0x01];
/// Multicodec `ed25519-priv` (0x1300), varint-encoded.
pub const ED25519_PRIV: [u8; 2] = [0x80, 0x26];
/// Multicodec `x25519-pub` (0xec), varint-encoded.
pub const X25519_PUB: [u8; 2] = [0xec, 0x01];
/// Multicodec code of `ed25519-pub`.
pub const CODE_ED25519_PUB: u64 = 0xed;
/// Multicodec code of `ed25519-priv`.
pub const CODE_ED25519_PRIV: u64 = 0x1300;
/// Multicodec code of `x25519-pub`.
pub const CODE_X25519_PUB: u64 = 0xec;
/// Multihash code `identity` (used by the DCC seed format `z1A…`).
pub const CODE_IDENTITY: u64 = 0x00;

/// Why a multibase string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum MultibaseError {
    /// The string is empty (no multibase header).
    Empty,
    /// The header is not `z` (base58btc); other bases are not allowed here.
    UnsupportedBase {
        /// The header character found.
        header: char,
    },
    /// The payload has a character outside the base58btc alphabet.
    InvalidCharacter {
        /// The offending character.
        character: char,
        /// Its character index in the payload (after the header).
        index: usize,
    },
    /// The payload is empty or otherwise not decodable.
    InvalidBase58,
    /// The multicodec varint prefix is truncated or too long.
    InvalidVarint,
}

impl fmt::Display for MultibaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MultibaseError::Empty => f.write_str("empty multibase string"),
            MultibaseError::UnsupportedBase { header } => {
                write!(f, "multibase header {header:?} is not base58btc 'z'")
            }
            MultibaseError::InvalidCharacter { character, index } => {
                write!(f, "invalid base58btc character {character:?} at {index}")
            }
            MultibaseError::InvalidBase58 => f.write_str("invalid base58btc payload"),
            MultibaseError::InvalidVarint => f.write_str("invalid multicodec varint"),
        }
    }
}

impl std::error::Error for MultibaseError {}

/// `z` + base58btc(`bytes`).
pub fn encode_base58btc(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 138 / 100 + 2);
    s.push('z');
    s.push_str(&bs58::encode(bytes).into_string());
    s
}

/// Decodes a `z`-prefixed base58btc multibase string.
pub fn decode_base58btc(s: &str) -> Result<Vec<u8>, MultibaseError> {
    let mut chars = s.chars();
    let header = chars.next().ok_or(MultibaseError::Empty)?;
    if header != 'z' {
        return Err(MultibaseError::UnsupportedBase { header });
    }
    let payload = chars.as_str();
    if payload.is_empty() {
        return Err(MultibaseError::InvalidBase58);
    }
    bs58::decode(payload).into_vec().map_err(|e| match e {
        bs58::decode::Error::InvalidCharacter { character, index } => {
            MultibaseError::InvalidCharacter { character, index }
        }
        bs58::decode::Error::NonAsciiCharacter { index } => MultibaseError::InvalidCharacter {
            character: payload
                .get(index..)
                .and_then(|t| t.chars().next())
                .unwrap_or('?'),
            index,
        },
        _ => MultibaseError::InvalidBase58,
    })
}

/// Splits an unsigned-varint multicodec prefix off `bytes`: `(code, rest)`.
pub fn split_multicodec(bytes: &[u8]) -> Result<(u64, &[u8]), MultibaseError> {
    let mut code: u64 = 0;
    for (i, b) in bytes.iter().enumerate().take(9) {
        code |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            let rest = bytes.get(i + 1..).ok_or(MultibaseError::InvalidVarint)?;
            return Ok((code, rest));
        }
    }
    Err(MultibaseError::InvalidVarint)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn varints_of_the_codes_we_use() {
        assert_eq!(split_multicodec(&ED25519_PUB).unwrap().0, CODE_ED25519_PUB);
        assert_eq!(
            split_multicodec(&ED25519_PRIV).unwrap().0,
            CODE_ED25519_PRIV
        );
        assert_eq!(split_multicodec(&X25519_PUB).unwrap().0, CODE_X25519_PUB);
        assert_eq!(
            split_multicodec(&[0x80]),
            Err(MultibaseError::InvalidVarint)
        );
        assert_eq!(split_multicodec(&[]), Err(MultibaseError::InvalidVarint));
    }

    #[test]
    fn other_bases_and_bad_characters_are_refused() {
        assert_eq!(
            decode_base58btc("uAAAA"),
            Err(MultibaseError::UnsupportedBase { header: 'u' })
        );
        assert!(matches!(
            decode_base58btc("z0OIl"),
            Err(MultibaseError::InvalidCharacter { character: '0', .. })
        ));
        assert_eq!(decode_base58btc(""), Err(MultibaseError::Empty));
        assert_eq!(decode_base58btc("z"), Err(MultibaseError::InvalidBase58));
        assert_eq!(
            decode_base58btc(&encode_base58btc(b"hello")).unwrap(),
            b"hello"
        );
    }
}
