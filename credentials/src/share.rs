//! Sharing a credential by link or QR code: the payload of
//! `#/verify?vc=<payload>`.
//!
//! `payload = base64url_nopad(raw_deflate(utf8(json)))`. The credential
//! travels in the URL *fragment*, so it never reaches any server. Decoding is
//! bounded (link length and inflated size), so a garbled or hostile link is a
//! typed error, never a hang or a crash. The JSON is only transported here:
//! verification re-parses it strictly and hashes its canonical form, so
//! compacting whitespace before sharing changes nothing that is signed.

use std::fmt;

/// The longest payload accepted (characters). Browsers handle far longer
/// URLs, but a QR code holds at most 2,953 bytes and no real credential
/// needs more than this.
pub const MAX_PAYLOAD_CHARS: usize = 256 * 1024;

/// The largest decompressed credential accepted (bytes), matching the
/// strict JSON parser's default input limit.
pub const MAX_INFLATED_BYTES: usize = 1024 * 1024;

/// Why a shared payload could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The payload is empty.
    Empty,
    /// The payload is longer than [`MAX_PAYLOAD_CHARS`].
    TooLong {
        /// Its length in characters.
        len: usize,
    },
    /// A character outside the base64url alphabet (`A–Z a–z 0–9 - _`).
    NotBase64Url {
        /// Byte offset of the first bad character.
        position: usize,
    },
    /// The length is impossible for unpadded base64 (a truncated link).
    Truncated,
    /// The bytes are not raw DEFLATE data (garbled or cut short).
    NotDeflate,
    /// The payload inflates to more than [`MAX_INFLATED_BYTES`].
    TooLarge,
    /// The inflated bytes are not UTF-8 text.
    NotUtf8,
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Empty => f.write_str("the link holds no credential"),
            ShareError::TooLong { len } => {
                write!(
                    f,
                    "the link is too long ({len} characters; at most {MAX_PAYLOAD_CHARS})"
                )
            }
            ShareError::NotBase64Url { position } => {
                write!(
                    f,
                    "the link has an invalid character at position {position}"
                )
            }
            ShareError::Truncated => f.write_str("the link is cut short"),
            ShareError::NotDeflate => f.write_str("the link is garbled (not compressed data)"),
            ShareError::TooLarge => write!(
                f,
                "the link expands to more than {MAX_INFLATED_BYTES} bytes"
            ),
            ShareError::NotUtf8 => f.write_str("the link does not hold text"),
        }
    }
}

impl std::error::Error for ShareError {}

/// Encodes JSON text as a link payload (DEFLATE at the best compression).
pub fn encode_payload(json: &str) -> String {
    let compressed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 10);
    base64url_encode(&compressed)
}

/// Encodes a parsed document compactly as a link payload.
pub fn encode_value(doc: &serde_json::Value) -> String {
    encode_payload(&doc.to_string())
}

/// The largest block of uncompressed ("stored") DEFLATE data.
const STORED_BLOCK: usize = 0xffff;

/// `bytes` as raw DEFLATE *stored* blocks (RFC 1951 §3.2.4): no compression,
/// but a valid stream for any inflater, so [`decode_payload`] reads it like
/// a compressed one. For an encoder with no compressor at hand (the browser
/// app compresses with the browser's own `CompressionStream` and falls back
/// to this); its payload is longer, never different once decoded.
pub fn deflate_stored(bytes: &[u8]) -> Vec<u8> {
    let blocks = bytes.len().div_ceil(STORED_BLOCK).max(1);
    let mut out = Vec::with_capacity(bytes.len() + 5 * blocks);
    let mut chunks = bytes.chunks(STORED_BLOCK).peekable();
    if chunks.peek().is_none() {
        // One empty final block.
        out.extend_from_slice(&[0x01, 0x00, 0x00, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        // BFINAL on the last block, BTYPE 00; the header byte ends the bit
        // stream's current byte, so LEN and NLEN start byte-aligned.
        out.push(u8::from(chunks.peek().is_none()));
        let len = u16::try_from(chunk.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

/// Decodes a link payload back to JSON text (not yet parsed or verified).
pub fn decode_payload(payload: &str) -> Result<String, ShareError> {
    let payload = payload.trim();
    if payload.is_empty() {
        return Err(ShareError::Empty);
    }
    if payload.len() > MAX_PAYLOAD_CHARS {
        return Err(ShareError::TooLong { len: payload.len() });
    }
    let bytes = base64url_decode(payload)?;
    let inflated = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_INFLATED_BYTES)
        .map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
        _ => ShareError::NotDeflate,
    })?;
    String::from_utf8(inflated).map_err(|_| ShareError::NotUtf8)
}

/// The `#/verify?vc=` link for a payload, relative to the app's own address
/// (`base` is the app URL without fragment, e.g. `https://school.example/chainclass/`).
pub fn verify_link(base: &str, payload: &str) -> String {
    format!("{base}#/verify?vc={payload}")
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let idx = ((n >> (18 - 6 * i)) & 63) as usize;
            if let Some(&c) = ALPHABET.get(idx) {
                out.push(char::from(c));
            }
        }
    }
    out
}

fn sextet(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// Decodes unpadded base64url; rejects other alphabets, padding and
/// impossible lengths.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return Err(ShareError::Truncated);
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for (ci, chunk) in bytes.chunks(4).enumerate() {
        let mut n: u32 = 0;
        for (i, &c) in chunk.iter().enumerate() {
            let v = sextet(c).ok_or(ShareError::NotBase64Url {
                position: ci * 4 + i,
            })?;
            n |= v << (18 - 6 * i);
        }
        let [_, b0, b1, b2] = n.to_be_bytes();
        out.push(b0);
        if chunk.len() > 2 {
            out.push(b1);
        }
        if chunk.len() > 3 {
            out.push(b2);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn base64url_matches_rfc4648_vectors() {
        // RFC 4648 §10 test vectors, without padding.
        let cases = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64url_encode(plain.as_bytes()), encoded);
            assert_eq!(base64url_decode(encoded).unwrap(), plain.as_bytes());
        }
        // The URL-safe characters, not + and /.
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn round_trips_a_bilingual_credential() {
        let json = r#"{"name":"STEM Internship Scheme 創科實習計劃","n":[1,2,3]}"#;
        let payload = encode_payload(json);
        assert!(payload.bytes().all(|c| sextet(c).is_some()));
        assert_eq!(decode_payload(&payload).unwrap(), json);
    }

    #[test]
    fn garbled_and_hostile_links_are_typed_errors() {
        assert_eq!(decode_payload(""), Err(ShareError::Empty));
        assert_eq!(
            decode_payload("ab+c"),
            Err(ShareError::NotBase64Url { position: 2 })
        );
        assert_eq!(decode_payload("abcde"), Err(ShareError::Truncated));
        assert_eq!(decode_payload("Zm9vYmFy"), Err(ShareError::NotDeflate));
        let payload = encode_payload(r#"{"a":"a long enough value to compress"}"#);
        let cut = &payload[..payload.len() / 2];
        assert!(matches!(
            decode_payload(cut),
            Err(ShareError::NotDeflate | ShareError::Truncated)
        ));
        let long = "A".repeat(MAX_PAYLOAD_CHARS + 1);
        assert_eq!(
            decode_payload(&long),
            Err(ShareError::TooLong {
                len: MAX_PAYLOAD_CHARS + 1
            })
        );
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let bomb = vec![b' '; MAX_INFLATED_BYTES + 10];
        let payload = base64url_encode(&miniz_oxide::deflate::compress_to_vec(&bomb, 10));
        assert!(payload.len() < 10_000, "the bomb compresses well");
        assert_eq!(decode_payload(&payload), Err(ShareError::TooLarge));
    }

    #[test]
    fn stored_blocks_decode_like_compressed_ones() {
        // Empty, one short block, exactly one full block, a block and a bit,
        // and several blocks.
        for len in [
            0,
            1,
            300,
            STORED_BLOCK,
            STORED_BLOCK + 1,
            2 * STORED_BLOCK + 7,
        ] {
            let text: String = "STEM {}\" ".chars().cycle().take(len).collect();
            let stored = deflate_stored(text.as_bytes());
            assert_eq!(stored.len(), len + 5 * len.div_ceil(STORED_BLOCK).max(1));
            let back = decode_payload(&base64url_encode(&stored));
            assert!(
                back.as_deref() == Ok(text.as_str()),
                "{len}: {:?}",
                back.map(|t| t.len())
            );
        }
        // Cut short, it is an error, not a shorter credential.
        let stored = deflate_stored(b"{\"a\":1}");
        assert_eq!(
            decode_payload(&base64url_encode(&stored[..stored.len() - 1])),
            Err(ShareError::NotDeflate)
        );
    }

    #[test]
    fn non_text_is_refused() {
        let payload = base64url_encode(&miniz_oxide::deflate::compress_to_vec(&[0xff, 0xfe], 6));
        assert_eq!(decode_payload(&payload), Err(ShareError::NotUtf8));
    }

    #[test]
    fn verify_link_puts_the_payload_in_the_fragment() {
        assert_eq!(
            verify_link("https://school.example/chainclass/", "abc"),
            "https://school.example/chainclass/#/verify?vc=abc"
        );
    }
}
