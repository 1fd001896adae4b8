//! Multibase (base58btc, header `z`) and multicodec (unsigned varint) framing,
//! as used by Multikey, did:key and Data Integrity `proofValue`. Base58 is
//! implemented here with word-sized limbs (see [`encode_base58btc`]).

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
    /// The payload is longer than [`MAX_DECODE_CHARS`] (base58 decoding is
    /// quadratic; keys and signatures are far shorter).
    TooLong {
        /// Payload length in characters.
        len: usize,
    },
}

/// The longest base58btc payload decoded (characters). Keys, seeds and
/// signatures take at most 88.
pub const MAX_DECODE_CHARS: usize = 1024;

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
            MultibaseError::TooLong { len } => {
                write!(f, "base58btc payload of {len} characters is too long")
            }
        }
    }
}

impl std::error::Error for MultibaseError {}

const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/// 58^5: one output limb holds five base58 digits.
const LIMB: u64 = 656_356_768;

/// `z` + base58btc(`bytes`).
///
/// Encoding and decoding are on the hot paths (every `proofValue`, every
/// did:key). `bs58` converts one byte at a time (13% of signing time in
/// profiles), so this module works on 32-bit chunks and 58⁵ limbs in `u64`.
/// Both directions are tested against `bs58` (a dev-dependency) on fixed and
/// random inputs.
pub fn encode_base58btc(bytes: &[u8]) -> String {
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    let rest = bytes.get(zeros..).unwrap_or_default();
    // Little-endian limbs of the number, each < 58^5.
    let mut limbs: Vec<u64> = Vec::with_capacity(rest.len() / 3 + 1);
    let head = rest.len() % 4;
    let (first, tail) = rest.split_at(head);
    let chunks = std::iter::once(first)
        .filter(|c| !c.is_empty())
        .chain(tail.chunks(4));
    for chunk in chunks {
        let mut carry = chunk.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let shift = 8 * chunk.len() as u32;
        for limb in limbs.iter_mut() {
            // limb < 58^5 < 2^30, so limb << 32 | carry fits in u64.
            let v = (*limb << shift) | carry;
            *limb = v % LIMB;
            carry = v / LIMB;
        }
        while carry > 0 {
            limbs.push(carry % LIMB);
            carry /= LIMB;
        }
    }
    let mut digits: Vec<u8> = Vec::with_capacity(limbs.len() * 5);
    for mut limb in limbs {
        for _ in 0..5 {
            digits.push((limb % 58) as u8);
            limb /= 58;
        }
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    let mut s = String::with_capacity(1 + zeros + digits.len());
    s.push('z');
    s.extend(std::iter::repeat_n('1', zeros));
    s.extend(
        digits
            .iter()
            .rev()
            .map(|d| char::from(ALPHABET.get(usize::from(*d)).copied().unwrap_or(b'1'))),
    );
    s
}

/// Decodes a `z`-prefixed base58btc multibase string (same limb approach as
/// the encoder: chunks of five digits into 32-bit limbs).
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
    if payload.len() > MAX_DECODE_CHARS {
        return Err(MultibaseError::TooLong { len: payload.len() });
    }
    let mut digits: Vec<u8> = Vec::with_capacity(payload.len());
    for (index, character) in payload.chars().enumerate() {
        let digit = u8::try_from(character)
            .ok()
            .and_then(|b| ALPHABET.iter().position(|a| *a == b));
        match digit.and_then(|d| u8::try_from(d).ok()) {
            Some(d) => digits.push(d),
            None => return Err(MultibaseError::InvalidCharacter { character, index }),
        }
    }
    let zeros = digits.iter().take_while(|d| **d == 0).count();
    let rest = digits.get(zeros..).unwrap_or_default();
    // Little-endian 32-bit limbs of the number.
    let mut limbs: Vec<u32> = Vec::with_capacity(rest.len() / 5 + 1);
    let head = rest.len() % 5;
    let (first, tail) = rest.split_at(head);
    let chunks = std::iter::once(first)
        .filter(|c| !c.is_empty())
        .chain(tail.chunks(5));
    for chunk in chunks {
        let mut carry = chunk.iter().fold(0u64, |acc, d| acc * 58 + u64::from(*d));
        let multiplier = 58u64.pow(chunk.len() as u32);
        for limb in limbs.iter_mut() {
            // limb < 2^32 and multiplier ≤ 58^5 < 2^30: no overflow.
            let v = u64::from(*limb) * multiplier + carry;
            *limb = (v & 0xffff_ffff) as u32;
            carry = v >> 32;
        }
        while carry > 0 {
            limbs.push((carry & 0xffff_ffff) as u32);
            carry >>= 32;
        }
    }
    let mut out = vec![0u8; zeros];
    let mut started = false;
    for limb in limbs.iter().rev() {
        for b in limb.to_be_bytes() {
            if started || b != 0 {
                started = true;
                out.push(b);
            }
        }
    }
    Ok(out)
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
    fn encoder_matches_bs58() {
        let mut inputs: Vec<Vec<u8>> = vec![vec![], vec![0], vec![0, 0], vec![0, 1], vec![255; 64]];
        for len in 0..70u8 {
            inputs.push(
                (0..len)
                    .map(|i| i.wrapping_mul(37).wrapping_add(len))
                    .collect(),
            );
            inputs.push((0..len).map(|i| if i < 3 { 0 } else { 200 - i }).collect());
        }
        for input in inputs {
            let ours = encode_base58btc(&input);
            assert_eq!(
                ours,
                format!("z{}", bs58::encode(&input).into_string()),
                "{input:?}"
            );
            if let Some(payload) = ours.get(1..).filter(|p| !p.is_empty()) {
                assert_eq!(bs58::decode(payload).into_vec().unwrap(), input);
            }
            assert_eq!(
                decode_base58btc(&ours).ok(),
                if input.is_empty() { None } else { Some(input) }
            );
        }
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
        let long = format!("z{}", "2".repeat(MAX_DECODE_CHARS + 1));
        assert!(matches!(
            decode_base58btc(&long),
            Err(MultibaseError::TooLong { .. })
        ));
        assert_eq!(
            decode_base58btc(&encode_base58btc(b"hello")).unwrap(),
            b"hello"
        );
    }
}
