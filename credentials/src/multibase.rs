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
    base58_into(bytes, &mut s);
    s
}

const BASE58_ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/// 58^9: the largest power of 58 whose product with 256 still fits a u64.
const BASE58_POW9: u64 = 7_427_658_739_644_928;

/// Bitcoin base58 of `bytes` appended to `out`. The number is converted in
/// limbs of 58^9 (one division per limb and input byte, instead of one per
/// output digit and input byte): signing writes a 64-byte signature per
/// credential, and this is ~10x faster than the byte-wise `bs58` encoder
/// it replaces (tests check both agree).
fn base58_into(bytes: &[u8], out: &mut String) {
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    // Little-endian limbs, each below 58^9.
    let mut limbs: Vec<u64> = Vec::with_capacity(bytes.len() / 6 + 1);
    for &b in bytes.iter().skip(zeros) {
        let mut carry = u64::from(b);
        for limb in limbs.iter_mut() {
            let x = *limb * 256 + carry;
            *limb = x % BASE58_POW9;
            carry = x / BASE58_POW9;
        }
        while carry > 0 {
            limbs.push(carry % BASE58_POW9);
            carry /= BASE58_POW9;
        }
    }
    let digit = |d: u64| char::from(BASE58_ALPHABET.get(d as usize).copied().unwrap_or(b'1'));
    for _ in 0..zeros {
        out.push('1');
    }
    let mut digits = [0u8; 9];
    for (i, limb) in limbs.iter().rev().enumerate() {
        let mut v = *limb;
        for slot in digits.iter_mut().rev() {
            *slot = (v % 58) as u8;
            v /= 58;
        }
        // The most significant limb is written without leading zeros.
        let skip = if i == 0 {
            digits.iter().take_while(|d| **d == 0).count()
        } else {
            0
        };
        for d in digits.iter().skip(skip) {
            out.push(digit(u64::from(*d)));
        }
    }
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
    fn the_limb_encoder_agrees_with_bs58() {
        let mut x = 0x1234_5678_9abc_def0u64;
        let mut inputs: Vec<Vec<u8>> =
            vec![vec![], vec![0], vec![0, 0, 1], vec![255; 64], vec![0; 5]];
        for len in 0..80usize {
            let mut v = Vec::with_capacity(len);
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                v.push((x >> 24) as u8);
            }
            if len % 7 == 3 {
                v.insert(0, 0);
            }
            inputs.push(v);
        }
        for v in inputs {
            let mut ours = String::new();
            base58_into(&v, &mut ours);
            assert_eq!(ours, bs58::encode(&v).into_string(), "{v:?}");
        }
    }

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
