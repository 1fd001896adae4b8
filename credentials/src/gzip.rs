//! GZIP (RFC 1952) over `miniz_oxide`'s raw DEFLATE: a one-member encoder and
//! a strict, bounded decoder, with the CRC-32 the trailer needs.
//!
//! Bitstring Status Lists are GZIP-compressed. The encoder writes the
//! smallest header (no name, no extra field, `MTIME` 0, `OS` 255 =
//! "unknown"), level-9 DEFLATE, and the CRC-32/ISIZE trailer. The decoder
//! accepts any conforming single-member stream (optional `FEXTRA`, `FNAME`,
//! `FCOMMENT`, `FHCRC` fields are skipped, the header CRC is checked), stops
//! at `max_output` bytes (so a "GZIP bomb" is an error, not an allocation),
//! checks the trailer's CRC-32 and length, and refuses trailing bytes
//! (a second member included).

use miniz_oxide::inflate::core::{decompress as inflate, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;
use serde::Serialize;
use std::fmt;

const ID1: u8 = 0x1f;
const ID2: u8 = 0x8b;
const CM_DEFLATE: u8 = 8;
const FTEXT: u8 = 1;
const FHCRC: u8 = 2;
const FEXTRA: u8 = 4;
const FNAME: u8 = 8;
const FCOMMENT: u8 = 16;
const RESERVED_FLAGS: u8 = !(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT);

/// Why bytes are not an acceptable GZIP stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum GzipError {
    /// Does not start with the GZIP magic bytes `1f 8b`.
    NotGzip,
    /// The header or a header field is cut short.
    TruncatedHeader,
    /// A compression method other than DEFLATE (8), or reserved flag bits set.
    Unsupported,
    /// The header CRC-16 (`FHCRC`) does not match.
    HeaderCrcMismatch,
    /// The DEFLATE data is corrupt or cut short.
    Corrupt,
    /// The data inflates to more than the allowed size.
    TooLarge {
        /// The limit, in bytes.
        max: usize,
    },
    /// The 8-byte trailer is missing or cut short.
    TruncatedTrailer,
    /// The trailer's CRC-32 does not match the data.
    CrcMismatch,
    /// The trailer's ISIZE does not match the data's length.
    LengthMismatch,
    /// Bytes follow the first member's trailer.
    TrailingData,
}

impl fmt::Display for GzipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GzipError::NotGzip => f.write_str("not GZIP data"),
            GzipError::TruncatedHeader => f.write_str("GZIP header cut short"),
            GzipError::Unsupported => f.write_str("unsupported GZIP method or flags"),
            GzipError::HeaderCrcMismatch => f.write_str("GZIP header checksum mismatch"),
            GzipError::Corrupt => f.write_str("corrupt DEFLATE data"),
            GzipError::TooLarge { max } => write!(f, "inflates to more than {max} bytes"),
            GzipError::TruncatedTrailer => f.write_str("GZIP trailer cut short"),
            GzipError::CrcMismatch => f.write_str("GZIP CRC-32 mismatch"),
            GzipError::LengthMismatch => f.write_str("GZIP length mismatch"),
            GzipError::TrailingData => f.write_str("bytes after the GZIP stream"),
        }
    }
}

impl std::error::Error for GzipError {}

// A const fn cannot use iterators; the loop index is always below 256.
#[allow(clippy::indexing_slicing)]
const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
}

static CRC_TABLE: [u32; 256] = crc_table();

/// CRC-32 (ISO-HDLC / IEEE 802.3, as GZIP and PNG use), continuing from
/// `crc` (0 to start).
pub fn crc32_update(crc: u32, bytes: &[u8]) -> u32 {
    let mut c = !crc;
    for &b in bytes {
        let slot = CRC_TABLE.get(((c ^ u32::from(b)) & 0xff) as usize);
        c = slot.copied().unwrap_or(0) ^ (c >> 8);
    }
    !c
}

/// CRC-32 of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32_update(0, bytes)
}

/// One GZIP member holding `data` (level-9 DEFLATE, `MTIME` 0, `OS` 255).
pub fn compress(data: &[u8]) -> Vec<u8> {
    let deflated = miniz_oxide::deflate::compress_to_vec(data, 9);
    let mut out = Vec::with_capacity(deflated.len() + 18);
    out.extend_from_slice(&[ID1, ID2, CM_DEFLATE, 0, 0, 0, 0, 0, 2, 0xff]);
    out.extend_from_slice(&deflated);
    out.extend_from_slice(&crc32(data).to_le_bytes());
    // ISIZE is the length modulo 2^32 (RFC 1952 §2.3.1).
    out.extend_from_slice(&((data.len() as u64 & 0xffff_ffff) as u32).to_le_bytes());
    out
}

/// Length of the member header, checking its fields.
fn header_len(bytes: &[u8]) -> Result<usize, GzipError> {
    let (Some(&id1), Some(&id2)) = (bytes.first(), bytes.get(1)) else {
        return Err(GzipError::NotGzip);
    };
    if (id1, id2) != (ID1, ID2) {
        return Err(GzipError::NotGzip);
    }
    let fixed = bytes.get(..10).ok_or(GzipError::TruncatedHeader)?;
    let (cm, flags) = match fixed {
        [_, _, cm, flags, ..] => (*cm, *flags),
        _ => return Err(GzipError::TruncatedHeader),
    };
    if cm != CM_DEFLATE || flags & RESERVED_FLAGS != 0 {
        return Err(GzipError::Unsupported);
    }
    let mut pos = 10usize;
    if flags & FEXTRA != 0 {
        let xlen = bytes.get(pos..pos + 2).ok_or(GzipError::TruncatedHeader)?;
        let xlen = usize::from(u16::from_le_bytes([
            xlen.first().copied().unwrap_or(0),
            xlen.get(1).copied().unwrap_or(0),
        ]));
        pos += 2 + xlen;
        if pos > bytes.len() {
            return Err(GzipError::TruncatedHeader);
        }
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let rest = bytes.get(pos..).ok_or(GzipError::TruncatedHeader)?;
            let nul = rest
                .iter()
                .position(|&b| b == 0)
                .ok_or(GzipError::TruncatedHeader)?;
            pos += nul + 1;
        }
    }
    if flags & FHCRC != 0 {
        let stored = bytes.get(pos..pos + 2).ok_or(GzipError::TruncatedHeader)?;
        let covered = bytes.get(..pos).ok_or(GzipError::TruncatedHeader)?;
        let expected = (crc32(covered) & 0xffff) as u16;
        let stored = u16::from_le_bytes([
            stored.first().copied().unwrap_or(0),
            stored.get(1).copied().unwrap_or(0),
        ]);
        if stored != expected {
            return Err(GzipError::HeaderCrcMismatch);
        }
        pos += 2;
    }
    Ok(pos)
}

fn le_u32(bytes: &[u8]) -> u32 {
    let mut b = [0u8; 4];
    for (slot, byte) in b.iter_mut().zip(bytes) {
        *slot = *byte;
    }
    u32::from_le_bytes(b)
}

/// Decompresses one GZIP member of at most `max_output` bytes (see the
/// module docs for what is checked).
pub fn decompress(bytes: &[u8], max_output: usize) -> Result<Vec<u8>, GzipError> {
    let start = header_len(bytes)?;
    let body = bytes.get(start..).ok_or(GzipError::TruncatedHeader)?;
    // The trailer's ISIZE is a size hint (never trusted beyond the limit).
    let hint = if body.len() >= 8 {
        body.get(body.len() - 4..).map_or(0, le_u32) as usize
    } else {
        0
    };
    // DEFLATE expands at most ~1032:1, so a lying ISIZE cannot make this
    // allocate more than the input could ever produce.
    let initial = hint
        .min(body.len().saturating_mul(1032))
        .max(1024)
        .min(max_output.max(1));
    let mut out = vec![0u8; initial];
    let mut state = DecompressorOxide::new();
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut input = body;
    let mut consumed_total = 0usize;
    let mut out_pos = 0usize;
    loop {
        let (status, consumed, written) = inflate(&mut state, input, &mut out, out_pos, flags);
        out_pos += written;
        consumed_total += consumed;
        input = input.get(consumed..).unwrap_or(&[]);
        match status {
            TINFLStatus::Done => break,
            TINFLStatus::HasMoreOutput => {
                if out.len() >= max_output {
                    return Err(GzipError::TooLarge { max: max_output });
                }
                let grown = out.len().saturating_mul(2).min(max_output);
                out.resize(grown, 0);
            }
            _ => return Err(GzipError::Corrupt),
        }
    }
    out.truncate(out_pos);
    let trailer = body.get(consumed_total..).unwrap_or(&[]);
    if trailer.len() < 8 {
        return Err(GzipError::TruncatedTrailer);
    }
    if trailer.len() > 8 {
        return Err(GzipError::TrailingData);
    }
    let (crc, isize) = trailer.split_at(4);
    if le_u32(crc) != crc32(&out) {
        return Err(GzipError::CrcMismatch);
    }
    if le_u32(isize) != (out.len() as u64 & 0xffff_ffff) as u32 {
        return Err(GzipError::LengthMismatch);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn crc32_check_value() {
        // The CRC-32/ISO-HDLC check value.
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32_update(crc32(b"1234"), b"56789"), 0xcbf4_3926);
    }

    #[test]
    fn round_trip_and_limits() {
        let data: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
        let gz = compress(&data);
        assert_eq!(decompress(&gz, 1 << 20).unwrap(), data);
        assert_eq!(
            decompress(&gz, 10_000),
            Err(GzipError::TooLarge { max: 10_000 })
        );
        let mut extra = gz.clone();
        extra.push(0);
        assert_eq!(decompress(&extra, 1 << 20), Err(GzipError::TrailingData));
        let cut = &gz[..gz.len() - 3];
        assert_eq!(decompress(cut, 1 << 20), Err(GzipError::TruncatedTrailer));
        let mut bad_crc = gz.clone();
        let n = bad_crc.len();
        bad_crc[n - 8] ^= 1;
        assert_eq!(decompress(&bad_crc, 1 << 20), Err(GzipError::CrcMismatch));
        let mut bad_len = gz;
        bad_len[n - 1] ^= 1;
        assert_eq!(
            decompress(&bad_len, 1 << 20),
            Err(GzipError::LengthMismatch)
        );
        assert_eq!(decompress(b"", 10), Err(GzipError::NotGzip));
        assert_eq!(
            decompress(b"\x1f\x8b\x08", 10),
            Err(GzipError::TruncatedHeader)
        );
    }

    #[test]
    fn optional_header_fields_are_skipped_and_the_header_crc_checked() {
        let data = b"hello status list";
        let plain = compress(data);
        let deflate_and_trailer = &plain[10..];
        let mut header = vec![
            ID1,
            ID2,
            8,
            FEXTRA | FNAME | FCOMMENT | FHCRC,
            0,
            0,
            0,
            0,
            0,
            3,
        ];
        header.extend_from_slice(&[3, 0, b'a', b'b', b'c']);
        header.extend_from_slice(b"list.bin\0a comment\0");
        let hcrc = (crc32(&header) & 0xffff) as u16;
        let mut good = header.clone();
        good.extend_from_slice(&hcrc.to_le_bytes());
        good.extend_from_slice(deflate_and_trailer);
        assert_eq!(decompress(&good, 1024).unwrap(), data);
        let mut bad = header;
        bad.extend_from_slice(&(hcrc ^ 1).to_le_bytes());
        bad.extend_from_slice(deflate_and_trailer);
        assert_eq!(decompress(&bad, 1024), Err(GzipError::HeaderCrcMismatch));
        let mut reserved = plain.clone();
        reserved[3] = 0x20;
        assert_eq!(decompress(&reserved, 1024), Err(GzipError::Unsupported));
    }
}
