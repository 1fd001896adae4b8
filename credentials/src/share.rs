//! Sharing a credential by link or QR code: the payload of
//! `#/verify?vc=<payload>`.
//!
//! Two forms, both decoded by [`decode_payload`]:
//!
//! - **compact** (what ChainClass writes): `C1.` then
//!   `base43(raw_deflate(compact encoding of the JSON value))`. The compact
//!   encoding is JSON's data model in bytes: one tag byte per value (see
//!   the constants below), lengths and counts as LEB128, and every string
//!   (value or property name) found in the frozen table
//!   ([`crate::share_table::TABLE_V1`]: contexts, types, property names,
//!   the built-in programmes' texts) as its one-byte position. Base 43 uses
//!   only characters of a QR code's alphanumeric mode that a URL fragment
//!   keeps as they are (`0–9 A–Z $ * + - . / :`), 5.5 bits each in the code
//!   instead of 8: a printed certificate's QR code needs about half the
//!   modules.
//! - **plain** (older links, still read): `base64url_nopad(raw_deflate(utf8(json)))`.
//!
//! The credential travels in the URL *fragment*, so it never reaches any
//! server. Decoding is bounded (link length, inflated size, expanded size),
//! so a garbled or hostile link is a typed error, never a hang or a crash.
//! The JSON is only transported here: verification re-parses it strictly
//! and hashes its canonical form, so compacting it before sharing changes
//! nothing that is signed.

use crate::share_table::TABLE_V1;
use serde_json::{Map, Value};
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
    /// A compact link whose JSON or table references do not read back
    /// (garbled, or made by something other than ChainClass).
    BadCompact,
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
            ShareError::BadCompact => f.write_str("the link's compact form does not read back"),
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

/// The start of a compact payload whose table is [`TABLE_V1`].
pub const COMPACT_V1: &str = "C1.";

/// How deeply a compact document may nest (as the strict JSON parser).
const MAX_COMPACT_DEPTH: usize = 64;

// The compact encoding of a JSON value, one tag byte first:
const TABLE_END: u8 = 0x80; // 0x00..0x80: the table entry of that index
const SHORT_STRING: u8 = 0x80; // 0x80..0xA0: a string of 0..32 bytes follows
const SHORT_ARRAY: u8 = 0xA0; // 0xA0..0xB0: an array of 0..16 values follows
const SHORT_OBJECT: u8 = 0xB0; // 0xB0..0xC0: an object of 0..16 entries follows
const STRING: u8 = 0xC0; // LEB128 length, then UTF-8
const ARRAY: u8 = 0xC1; // LEB128 count, then the values
const OBJECT: u8 = 0xC2; // LEB128 count, then key (a string value), value, …
const NUMBER: u8 = 0xC3; // LEB128 length, then the number as JSON writes it
const TRUE: u8 = 0xC4;
const FALSE: u8 = 0xC5;
const NULL: u8 = 0xC6;

/// `doc` in the compact encoding, to be DEFLATE-compressed by any
/// compressor and passed to [`compact_payload`].
pub fn compact_bytes(doc: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    encode(doc, &mut out);
    out
}

/// The payload of a compact link from the raw DEFLATE bytes of
/// [`compact_bytes`].
pub fn compact_payload(deflated: &[u8]) -> String {
    let mut out = String::with_capacity(COMPACT_V1.len() + deflated.len() * 3 / 2 + 2);
    out.push_str(COMPACT_V1);
    base43_encode_into(deflated, &mut out);
    out
}

/// Encodes a document as a compact link payload (DEFLATE at the best
/// compression).
pub fn encode_compact(doc: &Value) -> String {
    compact_payload(&miniz_oxide::deflate::compress_to_vec(
        &compact_bytes(doc),
        10,
    ))
}

fn leb128(mut n: usize, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n & 0x7f) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn encode_str(s: &str, out: &mut Vec<u8>) {
    if let Some(i) = TABLE_V1
        .iter()
        .position(|t| *t == s)
        .filter(|&i| i < usize::from(TABLE_END))
    {
        out.push(i as u8);
    } else if s.len() < usize::from(SHORT_ARRAY - SHORT_STRING) {
        out.push(SHORT_STRING + s.len() as u8);
        out.extend_from_slice(s.as_bytes());
    } else {
        out.push(STRING);
        leb128(s.len(), out);
        out.extend_from_slice(s.as_bytes());
    }
}

fn encode(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::String(s) => encode_str(s, out),
        Value::Array(items) => {
            if items.len() < 16 {
                out.push(SHORT_ARRAY + items.len() as u8);
            } else {
                out.push(ARRAY);
                leb128(items.len(), out);
            }
            items.iter().for_each(|i| encode(i, out));
        }
        Value::Object(o) => {
            if o.len() < 16 {
                out.push(SHORT_OBJECT + o.len() as u8);
            } else {
                out.push(OBJECT);
                leb128(o.len(), out);
            }
            for (k, v) in o {
                encode_str(k, out);
                encode(v, out);
            }
        }
        Value::Number(n) => {
            let text = n.to_string();
            out.push(NUMBER);
            leb128(text.len(), out);
            out.extend_from_slice(text.as_bytes());
        }
        Value::Bool(true) => out.push(TRUE),
        Value::Bool(false) => out.push(FALSE),
        Value::Null => out.push(NULL),
    }
}

/// Reads the compact encoding back. Each value read consumes at least one
/// input byte, so counts cannot make it allocate ahead of the input;
/// `budget` is what the JSON text may still grow by (table entries count
/// against it as well as the bytes read), and nesting is bounded.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    budget: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, ShareError> {
        let b = *self.bytes.get(self.at).ok_or(ShareError::BadCompact)?;
        self.at += 1;
        Ok(b)
    }

    fn leb128(&mut self) -> Result<usize, ShareError> {
        let mut n: usize = 0;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            n |= usize::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(ShareError::BadCompact)
    }

    fn spend(&mut self, n: usize) -> Result<(), ShareError> {
        self.budget = self.budget.checked_sub(n).ok_or(ShareError::TooLarge)?;
        Ok(())
    }

    fn take(&mut self, len: usize) -> Result<&[u8], ShareError> {
        let end = self.at.checked_add(len).ok_or(ShareError::BadCompact)?;
        let slice = self.bytes.get(self.at..end).ok_or(ShareError::BadCompact)?;
        self.at = end;
        Ok(slice)
    }

    fn text(&mut self, len: usize) -> Result<String, ShareError> {
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| ShareError::NotUtf8)
    }

    fn string(&mut self) -> Result<String, ShareError> {
        match self.value(0)? {
            Value::String(s) => Ok(s),
            _ => Err(ShareError::BadCompact),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ShareError> {
        if depth > MAX_COMPACT_DEPTH {
            return Err(ShareError::BadCompact);
        }
        let tag = self.byte()?;
        // Every value costs at least a few bytes of JSON text.
        self.spend(4)?;
        Ok(match tag {
            0..TABLE_END => {
                let entry = TABLE_V1
                    .get(usize::from(tag))
                    .ok_or(ShareError::BadCompact)?;
                self.spend(entry.len())?;
                Value::String((*entry).to_owned())
            }
            SHORT_STRING..SHORT_ARRAY => Value::String(self.text(usize::from(tag - SHORT_STRING))?),
            STRING => {
                let len = self.leb128()?;
                Value::String(self.text(len)?)
            }
            SHORT_ARRAY..SHORT_OBJECT => self.array(usize::from(tag - SHORT_ARRAY), depth)?,
            ARRAY => {
                let n = self.leb128()?;
                self.array(n, depth)?
            }
            SHORT_OBJECT..STRING => self.object(usize::from(tag - SHORT_OBJECT), depth)?,
            OBJECT => {
                let n = self.leb128()?;
                self.object(n, depth)?
            }
            NUMBER => {
                let len = self.leb128()?;
                let text = self.text(len)?;
                match serde_json::from_str::<Value>(&text) {
                    Ok(n @ Value::Number(_)) => n,
                    _ => return Err(ShareError::BadCompact),
                }
            }
            TRUE => Value::Bool(true),
            FALSE => Value::Bool(false),
            NULL => Value::Null,
            _ => return Err(ShareError::BadCompact),
        })
    }

    fn array(&mut self, n: usize, depth: usize) -> Result<Value, ShareError> {
        let mut items = Vec::new();
        for _ in 0..n {
            items.push(self.value(depth + 1)?);
        }
        Ok(Value::Array(items))
    }

    fn object(&mut self, n: usize, depth: usize) -> Result<Value, ShareError> {
        let mut out = Map::new();
        for _ in 0..n {
            let key = self.string()?;
            let value = self.value(depth + 1)?;
            // A name given twice would silently be one property fewer.
            if out.insert(key, value).is_some() {
                return Err(ShareError::BadCompact);
            }
        }
        Ok(Value::Object(out))
    }
}

/// The JSON text of a compact document.
fn expand_compact(bytes: &[u8]) -> Result<String, ShareError> {
    let mut reader = Reader {
        bytes,
        at: 0,
        budget: MAX_INFLATED_BYTES,
    };
    let doc = reader.value(0)?;
    if reader.at != bytes.len() {
        return Err(ShareError::BadCompact);
    }
    serde_json::to_string(&doc).map_err(|_| ShareError::BadCompact)
}

/// Decodes a link payload (compact or plain) back to JSON text (not yet
/// parsed strictly or verified).
pub fn decode_payload(payload: &str) -> Result<String, ShareError> {
    let payload = payload.trim();
    if payload.is_empty() {
        return Err(ShareError::Empty);
    }
    if payload.len() > MAX_PAYLOAD_CHARS {
        return Err(ShareError::TooLong { len: payload.len() });
    }
    if let Some(rest) = payload.strip_prefix(COMPACT_V1) {
        return expand_compact(&inflate(&base43_decode(rest)?)?);
    }
    String::from_utf8(inflate(&base64url_decode(payload)?)?).map_err(|_| ShareError::NotUtf8)
}

fn inflate(bytes: &[u8]) -> Result<Vec<u8>, ShareError> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, MAX_INFLATED_BYTES).map_err(|e| {
        match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            _ => ShareError::NotDeflate,
        }
    })
}

/// The characters of a compact payload: a QR code's alphanumeric mode
/// without space and `%` (which a URL would not keep as they are).
const BASE43: &[u8; 43] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*+-./:";

/// Two bytes as three characters (`v = c0 + 43·c1 + 43²·c2`), a last odd
/// byte as two.
fn base43_encode_into(bytes: &[u8], out: &mut String) {
    let digit = |v: usize| BASE43.get(v % 43).map_or('0', |b| char::from(*b));
    let mut pairs = bytes.chunks_exact(2);
    for pair in &mut pairs {
        if let [a, b] = pair {
            let v = usize::from(*a) << 8 | usize::from(*b);
            out.push(digit(v));
            out.push(digit(v / 43));
            out.push(digit(v / (43 * 43)));
        }
    }
    if let [last] = pairs.remainder() {
        let v = usize::from(*last);
        out.push(digit(v));
        out.push(digit(v / 43));
    }
}

fn base43_decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let mut digits = Vec::with_capacity(text.len());
    for (i, c) in text.bytes().enumerate() {
        let d = BASE43
            .iter()
            .position(|&b| b == c)
            .ok_or(ShareError::NotBase64Url {
                position: COMPACT_V1.len() + i,
            })?;
        digits.push(d);
    }
    if digits.len() % 3 == 1 {
        return Err(ShareError::Truncated);
    }
    let mut out = Vec::with_capacity(digits.len() / 3 * 2 + 1);
    for group in digits.chunks(3) {
        match *group {
            [a, b, c] => {
                let v = a + 43 * b + 43 * 43 * c;
                let v = u16::try_from(v).map_err(|_| ShareError::BadCompact)?;
                out.extend_from_slice(&v.to_be_bytes());
            }
            [a, b] => {
                let v = u8::try_from(a + 43 * b).map_err(|_| ShareError::BadCompact)?;
                out.push(v);
            }
            _ => return Err(ShareError::Truncated),
        }
    }
    Ok(out)
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

    fn programme_credential(
        t: &crate::templates::Template,
        mode: crate::ob3::LanguageMode,
    ) -> Value {
        let a = t.achievement();
        serde_json::json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "id": "urn:uuid:4d607ade-826f-4e5e-bb41-0148dbcd9e66",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": "did:key:z6MkiCmMRzhSCfBKFtAS1DifjJTBvH3Em391Ut6w17q62Jxu", "name": "Harbour View Secondary School / 海景中學", "type": ["Profile"]},
            "validFrom": "2026-12-06T22:01:25Z",
            "name": a.name.render(mode, false),
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "achievement": {
                    "id": a.id, "type": ["Achievement"], "achievementType": a.achievement_type,
                    "name": a.name.render(mode, false),
                    "description": a.description.render(mode, true),
                    "criteria": {"narrative": a.criteria.render(mode, true)}
                },
                "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": "CHAN Tai Man 陳大文"}]
            },
            "~note": "~1 is not a reference",
            "odd": ["~", "~~", "~0", "~x", "C1.", 1.5, null, true]
        })
    }

    #[test]
    fn compact_links_round_trip_every_programme_and_are_smaller() {
        use crate::ob3::LanguageMode;
        for t in crate::templates::ALL.iter() {
            for mode in [
                LanguageMode::Bilingual,
                LanguageMode::English,
                LanguageMode::TraditionalChinese,
            ] {
                let doc = programme_credential(t, mode);
                let compact = encode_compact(&doc);
                assert!(compact.starts_with(COMPACT_V1));
                assert!(compact[COMPACT_V1.len()..]
                    .bytes()
                    .all(|b| BASE43.contains(&b)));
                let back: Value = serde_json::from_str(&decode_payload(&compact).unwrap()).unwrap();
                assert_eq!(back, doc, "{} {mode:?}", t.key);
                // A QR code holds the compact form in alphanumeric mode
                // (11 bits per 2 characters), the plain one in byte mode.
                let plain = encode_value(&doc);
                let (compact_bits, plain_bits) = (compact.len() * 11 / 2, plain.len() * 8);
                if !t.custom {
                    assert!(
                        compact_bits * 2 < plain_bits,
                        "{}: {compact_bits} vs {plain_bits} bits",
                        t.key
                    );
                }
                // Plain links still read.
                assert_eq!(
                    serde_json::from_str::<Value>(&decode_payload(&plain).unwrap()).unwrap(),
                    doc
                );
            }
        }
    }

    #[test]
    fn every_built_in_programme_text_is_in_the_table() {
        use crate::ob3::LanguageMode;
        for t in crate::templates::ALL.iter().filter(|t| !t.custom) {
            let a = t.achievement();
            for mode in [
                LanguageMode::Bilingual,
                LanguageMode::English,
                LanguageMode::TraditionalChinese,
            ] {
                for text in [
                    a.name.render(mode, false),
                    a.description.render(mode, true),
                    a.criteria.render(mode, true),
                ] {
                    assert!(
                        TABLE_V1.contains(&text.as_str()),
                        "{}: {text:?} (a changed programme text needs a new table version)",
                        t.key
                    );
                }
            }
            assert!(TABLE_V1.contains(&t.achievement_id));
        }
    }

    #[test]
    fn the_table_is_frozen() {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for entry in TABLE_V1 {
            h.update(entry.as_bytes());
            h.update([0]);
        }
        let unique: std::collections::HashSet<_> = TABLE_V1.iter().collect();
        assert_eq!(unique.len(), TABLE_V1.len(), "an entry given twice");
        assert_eq!(
            h.finalize().iter().map(|b| format!("{b:02x}")).collect::<String>(),
            "1609d8afa856368f94443eda51aef5a152440c729a62abbc7dd0a8a34163c4b8",
            "TABLE_V1 changed: links already printed would read differently; add a new version instead"
        );
    }

    #[test]
    fn base43_round_trips_every_length_and_refuses_what_it_never_writes() {
        for len in 0..70usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 97 + 251) as u8).collect();
            let mut text = String::new();
            base43_encode_into(&bytes, &mut text);
            assert_eq!(text.len(), len / 2 * 3 + len % 2 * 2);
            assert_eq!(base43_decode(&text).unwrap(), bytes);
        }
        let mut max = String::new();
        base43_encode_into(&[0xff, 0xff, 0xff], &mut max);
        assert_eq!(base43_decode(&max).unwrap(), [0xff, 0xff, 0xff]);
        assert_eq!(base43_decode("A"), Err(ShareError::Truncated));
        assert_eq!(base43_decode("::::"), Err(ShareError::Truncated));
        // 43³ − 1 and 43² − 1 are beyond two bytes and one byte.
        assert_eq!(base43_decode(":::"), Err(ShareError::BadCompact));
        assert_eq!(base43_decode("::"), Err(ShareError::BadCompact));
        assert_eq!(
            base43_decode("ab"),
            Err(ShareError::NotBase64Url { position: 3 })
        );
        assert_eq!(
            base43_decode("A B"),
            Err(ShareError::NotBase64Url { position: 4 })
        );
    }

    #[test]
    fn hostile_compact_links_are_typed_errors() {
        let link =
            |bytes: &[u8]| compact_payload(&miniz_oxide::deflate::compress_to_vec(bytes, 10));
        assert_eq!(decode_payload("C1."), Err(ShareError::NotDeflate));
        assert_eq!(
            decode_payload("C1.a%"),
            Err(ShareError::NotBase64Url { position: 3 })
        );
        let short_entry = TABLE_V1.iter().position(|t| t.len() < 32).unwrap();
        let mut twice = vec![
            SHORT_OBJECT + 2,
            short_entry as u8,
            NULL,
            SHORT_STRING + TABLE_V1[short_entry].len() as u8,
        ];
        twice.extend_from_slice(TABLE_V1[short_entry].as_bytes());
        twice.push(NULL);
        let deep: Vec<u8> = std::iter::repeat_n(SHORT_ARRAY + 1, 100)
            .chain([NULL])
            .collect();
        let cases: Vec<(&str, Vec<u8>, ShareError)> = vec![
            ("nothing", vec![], ShareError::BadCompact),
            (
                "beyond the table",
                vec![TABLE_V1.len() as u8],
                ShareError::BadCompact,
            ),
            ("unknown tag", vec![0xC7], ShareError::BadCompact),
            (
                "cut-short string",
                vec![SHORT_STRING + 5, b'a'],
                ShareError::BadCompact,
            ),
            (
                "not UTF-8",
                vec![SHORT_STRING + 1, 0xFF],
                ShareError::NotUtf8,
            ),
            ("trailing bytes", vec![NULL, NULL], ShareError::BadCompact),
            ("a name given twice", twice, ShareError::BadCompact),
            ("nested 100 deep", deep, ShareError::BadCompact),
            (
                "overlong length",
                vec![STRING, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
                ShareError::BadCompact,
            ),
            (
                "a length beyond the input",
                vec![STRING, 0xFF, 0xFF, 0xFF, 0x7F],
                ShareError::BadCompact,
            ),
            (
                "a count beyond the input",
                vec![ARRAY, 0xFF, 0xFF, 0xFF, 0x7F, NULL],
                ShareError::BadCompact,
            ),
            (
                "not a number",
                vec![NUMBER, 3, b'a', b'b', b'c'],
                ShareError::BadCompact,
            ),
            (
                "a key that is not a string",
                vec![SHORT_OBJECT + 1, NULL, NULL],
                ShareError::BadCompact,
            ),
        ];
        for (what, bytes, expected) in cases {
            assert_eq!(decode_payload(&link(&bytes)), Err(expected), "{what}");
        }
        // References to the longest entry expand far beyond what the link
        // inflates to: the expansion counts against the same 1 MB.
        let longest = (0..TABLE_V1.len())
            .max_by_key(|&i| TABLE_V1[i].len())
            .unwrap();
        let mut bomb = vec![ARRAY];
        leb128(40_000, &mut bomb);
        bomb.extend(std::iter::repeat_n(longest as u8, 40_000));
        let payload = link(&bomb);
        assert!(payload.len() < 2_000, "{}", payload.len());
        assert_eq!(decode_payload(&payload), Err(ShareError::TooLarge));
        // As many nulls as fit in 1 MB inflated are refused before 1 MB of text.
        let mut nulls = vec![ARRAY];
        leb128(500_000, &mut nulls);
        nulls.extend(std::iter::repeat_n(NULL, 500_000));
        assert_eq!(decode_payload(&link(&nulls)), Err(ShareError::TooLarge));
    }
}
