//! Bitstring Status List v1.0: revocation and suspension lists an issuer
//! keeps ([`StatusList`]), the unsigned list credential and the
//! `BitstringStatusListEntry` a credential carries, and the verifier's
//! `status` check.
//!
//! # Encoding (exact)
//!
//! A list is a bitstring of at least [`MIN_ENTRIES`] = 131,072 bits (16 KiB).
//! Entry `i` (status size 1) is bit `i`, and **bit 0 is the most significant
//! bit of byte 0**: `byte[i / 8] & (0x80 >> (i % 8))`. The published
//! `encodedList` is `"u" + base64url_nopad(gzip(bytes))`. GZIP output is not
//! unique (header fields, level), so lists are compared by their decoded
//! bits, never by their encoded text. Decoding is bounded: at most
//! [`MAX_ENCODED_CHARS`] characters in, at most [`MAX_DECODED_BYTES`] out, so
//! a "GZIP bomb" is an error.
//!
//! # Issuing
//!
//! The crate has no RNG: [`StatusList::allocate_index`] picks a free index
//! uniformly among the unused ones from 64 random bits the caller passes
//! (herd privacy: indexes say nothing about issuing order). Revoking sets a
//! bit, and is permanent ([`StatusList::clear`] refuses on a revocation
//! list); suspending sets a bit and reinstating clears it. After each change
//! the caller re-signs [`list_credential`] with [`crate::sign`] and publishes
//! it at its `id`.
//!
//! # Verifying
//!
//! The verifier supplies the list credentials it has (fetched from the
//! app's own origin, or files) in [`crate::StatusInput`]. For every
//! `BitstringStatusListEntry` the `status` check finds the list whose `id` is
//! the entry's `statusListCredential`, verifies the list's own proof and that
//! its issuer is the credential's issuer, checks its validity period and
//! `statusPurpose`, decodes it and reads the entry's bits. Revoked or
//! suspended is `fail`; all clear is `pass`; anything that stops the check
//! (no list, a tampered, expired or wrong-purpose list…) is `couldnt_check`,
//! never a silent pass.

use crate::di::{self, ProofExpectations, ProofOutcome};
use crate::error::ErrorCode;
use crate::gzip::{self, GzipError};
use crate::iri::is_url;
use crate::report::{Check, CheckId, CheckStatus, Info};
use crate::share::{base64url_decode, base64url_encode};
use crate::time::Instant;
use crate::vcdm::{self, Role, CONTEXT_V2};
use crate::verify::{controller_id, same_controller, vm_controller, VerifyOptions};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::fmt;

/// The smallest list (entries) the specification allows: 16 KiB of bits.
pub const MIN_ENTRIES: u64 = 131_072;
/// The largest decoded list accepted (bytes): 16 MiB = 134,217,728 entries.
pub const MAX_DECODED_BYTES: usize = 16 * 1024 * 1024;
/// The longest `encodedList` accepted (characters).
pub const MAX_ENCODED_CHARS: usize = 4 * 1024 * 1024;
/// The largest `statusSize` read (bits per entry).
pub const MAX_STATUS_SIZE: u32 = 32;

/// A status purpose a [`StatusList`] is kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusPurpose {
    /// Cancels a credential for good.
    Revocation,
    /// Puts a credential on hold; can be undone.
    Suspension,
}

impl StatusPurpose {
    /// `"revocation"` or `"suspension"`.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusPurpose::Revocation => "revocation",
            StatusPurpose::Suspension => "suspension",
        }
    }

    /// Parses `"revocation"` / `"suspension"`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "revocation" => Some(StatusPurpose::Revocation),
            "suspension" => Some(StatusPurpose::Suspension),
            _ => None,
        }
    }
}

impl fmt::Display for StatusPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a list could not be made, changed or decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum StatusListError {
    /// Fewer entries than [`MIN_ENTRIES`] (`STATUS_LIST_LENGTH_ERROR`).
    TooFewEntries {
        /// Entries in the list.
        entries: u64,
        /// The minimum.
        minimum: u64,
    },
    /// More entries than [`MAX_DECODED_BYTES`] holds.
    TooManyEntries {
        /// Entries asked for.
        entries: u64,
        /// The maximum.
        maximum: u64,
    },
    /// The index is not in the list (`RANGE_ERROR`).
    IndexOutOfRange {
        /// The index.
        index: u64,
        /// Entries in the list.
        entries: u64,
    },
    /// Two lists to merge differ in purpose or length.
    MergeMismatch,
    /// Every index is allocated.
    Full,
    /// Revocation cannot be undone.
    RevocationIsPermanent,
    /// `encodedList` does not start with the multibase prefix `u`.
    NoMultibasePrefix,
    /// `encodedList` is longer than [`MAX_ENCODED_CHARS`].
    EncodedTooLong {
        /// Its length.
        len: usize,
    },
    /// A character outside the base64url alphabet (padding included).
    NotBase64Url {
        /// Character offset (after the `u`).
        position: usize,
    },
    /// An impossible base64 length.
    Truncated,
    /// The bytes are not an acceptable GZIP stream.
    Gzip {
        /// What is wrong.
        error: GzipError,
    },
    /// A `statusSize` outside 1..=[`MAX_STATUS_SIZE`].
    UnsupportedStatusSize {
        /// The size.
        size: u64,
    },
    /// The list's purpose is not the one asked for.
    PurposeMismatch {
        /// The list's purpose.
        list: StatusPurpose,
        /// The purpose asked for.
        requested: StatusPurpose,
    },
    /// A value that must be a URL is not.
    NotAUrl {
        /// Which field.
        field: String,
        /// The value.
        value: String,
    },
    /// A date that must be a dateTimeStamp is not.
    InvalidDate {
        /// Which field.
        field: String,
        /// The value.
        value: String,
    },
    /// A stored list (see [`StatusList`]'s serde form) is inconsistent.
    InvalidState {
        /// What is wrong.
        detail: String,
    },
}

impl StatusListError {
    /// The specification error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            StatusListError::TooFewEntries { .. } => ErrorCode::StatusListLengthError,
            StatusListError::IndexOutOfRange { .. } => ErrorCode::RangeError,
            _ => ErrorCode::MalformedValueError,
        }
    }
}

impl fmt::Display for StatusListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusListError::TooFewEntries { entries, minimum } => {
                write!(f, "{entries} entries, at least {minimum} are required")
            }
            StatusListError::TooManyEntries { entries, maximum } => {
                write!(f, "{entries} entries, at most {maximum} are supported")
            }
            StatusListError::IndexOutOfRange { index, entries } => {
                write!(f, "index {index} is outside a list of {entries} entries")
            }
            StatusListError::Full => f.write_str("every index of the list is in use"),
            StatusListError::MergeMismatch => {
                f.write_str("the lists to merge differ in purpose or length")
            }
            StatusListError::RevocationIsPermanent => f.write_str("a revocation cannot be undone"),
            StatusListError::NoMultibasePrefix => {
                f.write_str("encodedList does not start with the multibase prefix 'u'")
            }
            StatusListError::EncodedTooLong { len } => {
                write!(f, "encodedList is {len} characters long")
            }
            StatusListError::NotBase64Url { position } => {
                write!(f, "encodedList has a non-base64url character at {position}")
            }
            StatusListError::Truncated => f.write_str("encodedList is cut short"),
            StatusListError::Gzip { error } => write!(f, "encodedList: {error}"),
            StatusListError::UnsupportedStatusSize { size } => {
                write!(f, "statusSize {size} is not supported")
            }
            StatusListError::PurposeMismatch { list, requested } => {
                write!(f, "the list is for {list}, not {requested}")
            }
            StatusListError::NotAUrl { field, value } => {
                write!(f, "{field} {value:?} is not a URL")
            }
            StatusListError::InvalidDate { field, value } => {
                write!(f, "{field} {value:?} is not a dateTimeStamp")
            }
            StatusListError::InvalidState { detail } => write!(f, "invalid status list: {detail}"),
        }
    }
}

impl std::error::Error for StatusListError {}

/// A decoded bitstring (any status size), read MSB-first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitstring {
    bytes: Vec<u8>,
}

impl Bitstring {
    /// The bitstring over `bytes`.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Bitstring { bytes }
    }

    /// Decodes an `encodedList` (`u` + base64url-no-pad of GZIP), bounded by
    /// [`MAX_ENCODED_CHARS`] and [`MAX_DECODED_BYTES`]. The length is not
    /// checked here (see [`Bitstring::entries`]).
    pub fn decode(encoded: &str) -> Result<Self, StatusListError> {
        let Some(b64) = encoded.strip_prefix('u') else {
            return Err(StatusListError::NoMultibasePrefix);
        };
        if encoded.len() > MAX_ENCODED_CHARS {
            return Err(StatusListError::EncodedTooLong { len: encoded.len() });
        }
        let compressed = base64url_decode(b64).map_err(|e| match e {
            crate::share::ShareError::NotBase64Url { position } => {
                StatusListError::NotBase64Url { position }
            }
            _ => StatusListError::Truncated,
        })?;
        let bytes = gzip::decompress(&compressed, MAX_DECODED_BYTES)
            .map_err(|error| StatusListError::Gzip { error })?;
        Ok(Bitstring { bytes })
    }

    /// `u` + base64url-no-pad of GZIP of the bytes.
    pub fn encode(&self) -> String {
        let mut out = String::from("u");
        out.push_str(&base64url_encode(&gzip::compress(&self.bytes)));
        out
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Number of bits.
    pub fn bits(&self) -> u64 {
        (self.bytes.len() as u64).saturating_mul(8)
    }

    /// Number of entries of `status_size` bits.
    pub fn entries(&self, status_size: u32) -> u64 {
        self.bits() / u64::from(status_size.max(1))
    }

    /// The value of entry `index` (`status_size` bits, most significant bit
    /// first).
    pub fn value(&self, index: u64, status_size: u32) -> Result<u64, StatusListError> {
        if status_size == 0 || status_size > MAX_STATUS_SIZE {
            return Err(StatusListError::UnsupportedStatusSize {
                size: u64::from(status_size),
            });
        }
        let entries = self.entries(status_size);
        if index >= entries {
            return Err(StatusListError::IndexOutOfRange { index, entries });
        }
        let first = index * u64::from(status_size);
        let mut value = 0u64;
        for bit in first..first + u64::from(status_size) {
            value = (value << 1) | u64::from(self.bit(bit));
        }
        Ok(value)
    }

    fn bit(&self, i: u64) -> bool {
        let byte = usize::try_from(i / 8)
            .ok()
            .and_then(|b| self.bytes.get(b))
            .copied()
            .unwrap_or(0);
        byte & (0x80 >> (i % 8)) != 0
    }
}

/// A revocation or suspension list as the issuer keeps it: the published
/// bits (status size 1) and which indexes are already given out.
///
/// Serde form (for the app's storage; the allocation map is private to the
/// issuer and is never published):
/// `{"type": "ChainClassStatusList", "version": 1, "purpose", "entries",
/// "encodedList", "allocatedList", "allocated"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StoredList", into = "StoredList")]
pub struct StatusList {
    purpose: StatusPurpose,
    bits: Vec<u8>,
    allocated: Vec<u8>,
    allocated_count: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StoredList {
    #[serde(rename = "type")]
    kind: String,
    version: u32,
    purpose: StatusPurpose,
    entries: u64,
    encoded_list: String,
    allocated_list: String,
    allocated: u64,
}

const STORED_TYPE: &str = "ChainClassStatusList";

impl From<StatusList> for StoredList {
    fn from(l: StatusList) -> Self {
        StoredList {
            kind: STORED_TYPE.into(),
            version: 1,
            purpose: l.purpose,
            entries: l.len(),
            encoded_list: l.encode(),
            allocated_list: Bitstring::from_bytes(l.allocated).encode(),
            allocated: l.allocated_count,
        }
    }
}

impl TryFrom<StoredList> for StatusList {
    type Error = StatusListError;
    fn try_from(s: StoredList) -> Result<Self, StatusListError> {
        let invalid = |detail: &str| StatusListError::InvalidState {
            detail: detail.into(),
        };
        if s.kind != STORED_TYPE || s.version != 1 {
            return Err(invalid("not a ChainClassStatusList version 1"));
        }
        let list = StatusList::decode(s.purpose, &s.encoded_list)?;
        let allocated = Bitstring::decode(&s.allocated_list)?.bytes;
        if allocated.len() != list.bits.len() || list.len() != s.entries {
            return Err(invalid("the lists' lengths differ"));
        }
        let count: u64 = allocated.iter().map(|b| u64::from(b.count_ones())).sum();
        if count != s.allocated {
            return Err(invalid("the allocation count does not match"));
        }
        if list
            .bits
            .iter()
            .zip(&allocated)
            .any(|(bit, alloc)| bit & !alloc != 0)
        {
            return Err(invalid("a set bit is not allocated"));
        }
        Ok(StatusList {
            allocated,
            allocated_count: count,
            ..list
        })
    }
}

fn check_entries(entries: u64) -> Result<usize, StatusListError> {
    if entries < MIN_ENTRIES {
        return Err(StatusListError::TooFewEntries {
            entries,
            minimum: MIN_ENTRIES,
        });
    }
    let maximum = (MAX_DECODED_BYTES as u64) * 8;
    if entries > maximum {
        return Err(StatusListError::TooManyEntries { entries, maximum });
    }
    usize::try_from(entries.div_ceil(8))
        .map_err(|_| StatusListError::TooManyEntries { entries, maximum })
}

impl StatusList {
    /// An all-clear list of at least `entries` entries (rounded up to a
    /// whole byte; at least [`MIN_ENTRIES`]).
    pub fn new(purpose: StatusPurpose, entries: u64) -> Result<Self, StatusListError> {
        let bytes = check_entries(entries)?;
        Ok(StatusList {
            purpose,
            bits: vec![0; bytes],
            allocated: vec![0; bytes],
            allocated_count: 0,
        })
    }

    /// Reads a published `encodedList` for `purpose` (status size 1). Every
    /// set bit is taken as allocated; other indexes given out earlier are not
    /// known from the published list (keep the serde form for that).
    pub fn decode(purpose: StatusPurpose, encoded: &str) -> Result<Self, StatusListError> {
        let bits = Bitstring::decode(encoded)?.bytes;
        check_entries((bits.len() as u64).saturating_mul(8))?;
        let allocated_count = bits.iter().map(|b| u64::from(b.count_ones())).sum();
        Ok(StatusList {
            purpose,
            allocated: bits.clone(),
            bits,
            allocated_count,
        })
    }

    /// The purpose.
    pub fn purpose(&self) -> StatusPurpose {
        self.purpose
    }

    /// Number of entries.
    pub fn len(&self) -> u64 {
        (self.bits.len() as u64).saturating_mul(8)
    }

    /// Always false (a list has at least [`MIN_ENTRIES`] entries).
    pub fn is_empty(&self) -> bool {
        self.bits.is_empty()
    }

    /// Number of allocated indexes.
    pub fn allocated(&self) -> u64 {
        self.allocated_count
    }

    fn locate(&self, index: u64) -> Result<(usize, u8), StatusListError> {
        let out = || StatusListError::IndexOutOfRange {
            index,
            entries: self.len(),
        };
        let byte = usize::try_from(index / 8).map_err(|_| out())?;
        if byte >= self.bits.len() {
            return Err(out());
        }
        Ok((byte, 0x80 >> (index % 8)))
    }

    /// Whether entry `index` is set (revoked / suspended).
    pub fn get(&self, index: u64) -> Result<bool, StatusListError> {
        let (byte, mask) = self.locate(index)?;
        Ok(self.bits.get(byte).is_some_and(|b| b & mask != 0))
    }

    /// Sets entry `index` (revokes / suspends); the index becomes allocated.
    pub fn set(&mut self, index: u64) -> Result<(), StatusListError> {
        let (byte, mask) = self.locate(index)?;
        if let Some(b) = self.bits.get_mut(byte) {
            *b |= mask;
        }
        self.mark(byte, mask);
        Ok(())
    }

    /// Clears entry `index` (reinstates a suspended credential). Refused on a
    /// revocation list: revocation is permanent.
    pub fn clear(&mut self, index: u64) -> Result<(), StatusListError> {
        let (byte, mask) = self.locate(index)?;
        if self.purpose == StatusPurpose::Revocation {
            return Err(StatusListError::RevocationIsPermanent);
        }
        if let Some(b) = self.bits.get_mut(byte) {
            *b &= !mask;
        }
        Ok(())
    }

    /// Whether `index` has been given out.
    pub fn is_allocated(&self, index: u64) -> Result<bool, StatusListError> {
        let (byte, mask) = self.locate(index)?;
        Ok(self.allocated.get(byte).is_some_and(|b| b & mask != 0))
    }

    /// Records that `index` is in use (e.g. a credential issued elsewhere).
    pub fn mark_allocated(&mut self, index: u64) -> Result<(), StatusListError> {
        let (byte, mask) = self.locate(index)?;
        self.mark(byte, mask);
        Ok(())
    }

    fn mark(&mut self, byte: usize, mask: u8) {
        if let Some(a) = self.allocated.get_mut(byte) {
            if *a & mask == 0 {
                *a |= mask;
                self.allocated_count += 1;
            }
        }
    }

    /// Gives out a free index, chosen uniformly among the free ones from
    /// `random` (64 random bits the caller draws): the same state and the
    /// same `random` always give the same index.
    pub fn allocate_index(&mut self, random: u64) -> Result<u64, StatusListError> {
        let free = self.len().saturating_sub(self.allocated_count);
        if free == 0 {
            return Err(StatusListError::Full);
        }
        // Lemire's multiply-shift: k in 0..free, bias below 2^-40 here.
        let mut k = ((u128::from(random) * u128::from(free)) >> 64) as u64;
        // Skip whole 8-byte words first (one popcount each), then bytes.
        let mut start = 0usize;
        for word in self.allocated.chunks_exact(8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            let free_here = u64::from(u64::from_ne_bytes(w).count_zeros());
            if k < free_here {
                break;
            }
            k -= free_here;
            start += 8;
        }
        for (offset, byte) in self.allocated.iter().skip(start).enumerate() {
            let free_here = u64::from(byte.count_zeros());
            if k >= free_here {
                k -= free_here;
                continue;
            }
            let byte_index = start + offset;
            for bit in 0..8u32 {
                let mask = 0x80u8 >> bit;
                if byte & mask == 0 {
                    if k == 0 {
                        let index = (byte_index as u64) * 8 + u64::from(bit);
                        self.mark(byte_index, mask);
                        return Ok(index);
                    }
                    k -= 1;
                }
            }
        }
        Err(StatusListError::Full)
    }

    /// The published `encodedList` (`u…`).
    pub fn encode(&self) -> String {
        let mut out = String::from("u");
        out.push_str(&base64url_encode(&gzip::compress(&self.bits)));
        out
    }

    /// The published bits.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bits
    }

    /// Three-way merge of one issuer's list changed in two places (two tabs
    /// of the teacher's desk) since a common `base`: `mine` and `theirs`.
    ///
    /// * Allocations are the union. An index newly allocated on both sides
    ///   is listed in [`MergedList::allocated_twice`]: two credentials may
    ///   now hold one status position, which the caller must resolve.
    /// * On a revocation list a set bit stays set (revocation is
    ///   permanent): the bits are `base | mine | theirs`.
    /// * On a suspension list each bit is `mine`'s where `mine` changed it
    ///   from `base`, else `theirs`' (a reinstatement is a change too).
    ///
    /// Work is linear in the list's bytes. Lists of different purposes or
    /// lengths are [`StatusListError::MergeMismatch`].
    pub fn merge(
        base: &StatusList,
        mine: &StatusList,
        theirs: &StatusList,
    ) -> Result<MergedList, StatusListError> {
        let purpose = mine.purpose;
        let len = mine.bits.len();
        let same = |l: &StatusList| l.purpose == purpose && l.bits.len() == len;
        if !same(base) || !same(theirs) {
            return Err(StatusListError::MergeMismatch);
        }
        let mut bits = Vec::with_capacity(len);
        let mut allocated = Vec::with_capacity(len);
        let mut allocated_twice = Vec::new();
        let rows = base.bits.iter().zip(&mine.bits).zip(&theirs.bits).zip(
            base.allocated
                .iter()
                .zip(&mine.allocated)
                .zip(&theirs.allocated),
        );
        for (byte, (((b, m), t), ((ba, ma), ta))) in rows.enumerate() {
            bits.push(match purpose {
                StatusPurpose::Revocation => b | m | t,
                StatusPurpose::Suspension => {
                    let changed = m ^ b;
                    (m & changed) | (t & !changed)
                }
            });
            allocated.push(ma | ta);
            let twice = (ma & !ba) & (ta & !ba);
            for bit in 0..8u32 {
                if twice & (0x80 >> bit) != 0 {
                    allocated_twice.push((byte as u64) * 8 + u64::from(bit));
                }
            }
        }
        // A set bit is always allocated.
        for (a, b) in allocated.iter_mut().zip(&bits) {
            *a |= b;
        }
        let allocated_count = allocated.iter().map(|b| u64::from(b.count_ones())).sum();
        Ok(MergedList {
            list: StatusList {
                purpose,
                bits,
                allocated,
                allocated_count,
            },
            allocated_twice,
        })
    }
}

/// What [`StatusList::merge`] made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedList {
    /// The merged list.
    pub list: StatusList,
    /// Indexes both sides allocated since the base, in order.
    pub allocated_twice: Vec<u64>,
}

/// The unsigned `BitstringStatusListCredential` for `list`, to be signed
/// with [`crate::sign`] by the issuer of the credentials it covers and
/// published at `id`. `purpose` must be the list's own.
pub fn list_credential(
    id: &str,
    issuer: &str,
    purpose: StatusPurpose,
    list: &StatusList,
    valid_from: &str,
    valid_until: Option<&str>,
) -> Result<Value, StatusListError> {
    if purpose != list.purpose {
        return Err(StatusListError::PurposeMismatch {
            list: list.purpose,
            requested: purpose,
        });
    }
    for (field, value) in [("id", id), ("issuer", issuer)] {
        if !is_url(value) {
            return Err(StatusListError::NotAUrl {
                field: field.into(),
                value: value.into(),
            });
        }
    }
    for (field, value) in [("validFrom", Some(valid_from)), ("validUntil", valid_until)] {
        if let Some(v) = value {
            if Instant::parse_date_time_stamp(v).is_err() {
                return Err(StatusListError::InvalidDate {
                    field: field.into(),
                    value: v.into(),
                });
            }
        }
    }
    let mut vc = Map::new();
    vc.insert("@context".into(), json!([CONTEXT_V2]));
    vc.insert("id".into(), id.into());
    vc.insert(
        "type".into(),
        json!(["VerifiableCredential", "BitstringStatusListCredential"]),
    );
    vc.insert("issuer".into(), issuer.into());
    vc.insert("validFrom".into(), valid_from.into());
    if let Some(until) = valid_until {
        vc.insert("validUntil".into(), until.into());
    }
    vc.insert(
        "credentialSubject".into(),
        json!({
            "id": format!("{id}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": purpose.as_str(),
            "encodedList": list.encode(),
        }),
    );
    Ok(Value::Object(vc))
}

/// The `BitstringStatusListEntry` for entry `index` of the list credential
/// `list_credential_id` (goes into the credential's `credentialStatus`; an
/// Open Badge may carry only one).
pub fn entry(list_credential_id: &str, purpose: StatusPurpose, index: u64) -> Value {
    json!({
        "id": format!("{list_credential_id}#{index}"),
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose.as_str(),
        "statusListIndex": index.to_string(),
        "statusListCredential": list_credential_id,
    })
}

/// What is wrong with a `BitstringStatusListEntry` (`MALFORMED_VALUE_ERROR`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum EntryProblem {
    /// The entry is not an object.
    NotAnObject,
    /// `statusPurpose` is missing or not a string.
    PurposeNotAString,
    /// `statusListIndex` is missing or not a string.
    IndexNotAString,
    /// `statusListIndex` is not a base-10 integer ≥ 0.
    IndexNotDecimal {
        /// The value.
        value: String,
    },
    /// `statusListCredential` is missing or not a URL.
    ListCredentialNotAUrl,
    /// The entry's `id` is the status list's URL.
    IdIsTheListUrl,
    /// `id` is present but not a URL.
    IdNotAUrl,
    /// `statusSize` is not an integer > 0.
    InvalidStatusSize,
    /// `statusSize` > 1 needs `statusMessage`.
    StatusMessageMissing,
    /// `statusMessage` must have 2^statusSize items.
    StatusMessageWrongLength {
        /// 2^statusSize.
        expected: u64,
        /// Items found.
        found: usize,
    },
    /// A `statusMessage` item lacks a string `status` or `message`.
    StatusMessageItemInvalid {
        /// Its position.
        index: usize,
    },
    /// `statusReference` is not a URL or a list of URLs.
    StatusReferenceNotAUrl,
}

/// A checked `BitstringStatusListEntry`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedEntry {
    /// `statusPurpose`.
    pub purpose: String,
    /// `statusListIndex` as written.
    pub index_text: String,
    /// `statusListIndex` (saturated at `u64::MAX`: out of range anyway).
    pub index: u64,
    /// `statusListCredential`.
    pub list_url: String,
    /// `statusSize` (default 1).
    pub status_size: u64,
    /// `statusMessage` as `(status, message)` pairs.
    pub messages: Vec<(String, String)>,
}

/// Checks a `BitstringStatusListEntry` against the data model (§2.1).
pub fn check_entry(v: &Value) -> Result<ParsedEntry, EntryProblem> {
    let o = v.as_object().ok_or(EntryProblem::NotAnObject)?;
    let purpose = o
        .get("statusPurpose")
        .and_then(Value::as_str)
        .ok_or(EntryProblem::PurposeNotAString)?;
    let index_text = o
        .get("statusListIndex")
        .and_then(Value::as_str)
        .ok_or(EntryProblem::IndexNotAString)?;
    if index_text.is_empty() || !index_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(EntryProblem::IndexNotDecimal {
            value: index_text.chars().take(64).collect(),
        });
    }
    let index = index_text.parse::<u64>().unwrap_or(u64::MAX);
    let list_url = o
        .get("statusListCredential")
        .and_then(Value::as_str)
        .filter(|u| is_url(u))
        .ok_or(EntryProblem::ListCredentialNotAUrl)?;
    match o.get("id") {
        None => {}
        Some(Value::String(id)) if id == list_url => return Err(EntryProblem::IdIsTheListUrl),
        Some(Value::String(id)) if is_url(id) => {}
        Some(_) => return Err(EntryProblem::IdNotAUrl),
    }
    let status_size = match o.get("statusSize") {
        None => 1,
        Some(s) => s
            .as_u64()
            .filter(|n| *n > 0)
            .ok_or(EntryProblem::InvalidStatusSize)?,
    };
    let mut messages = Vec::new();
    match o.get("statusMessage") {
        None if status_size > 1 => return Err(EntryProblem::StatusMessageMissing),
        None => {}
        Some(m) => {
            let items = m.as_array().ok_or(EntryProblem::StatusMessageWrongLength {
                expected: 1u64.checked_shl(status_size as u32).unwrap_or(u64::MAX),
                found: 0,
            })?;
            let expected = if status_size >= 64 {
                u64::MAX
            } else {
                1u64 << status_size
            };
            if items.len() as u64 != expected {
                return Err(EntryProblem::StatusMessageWrongLength {
                    expected,
                    found: items.len(),
                });
            }
            for (i, item) in items.iter().enumerate() {
                let s = |k: &str| item.get(k).and_then(Value::as_str);
                match (s("status"), s("message")) {
                    (Some(st), Some(msg)) => messages.push((st.to_owned(), msg.to_owned())),
                    _ => return Err(EntryProblem::StatusMessageItemInvalid { index: i }),
                }
            }
        }
    }
    match o.get("statusReference") {
        None => {}
        Some(Value::String(u)) if is_url(u) => {}
        Some(Value::Array(us))
            if !us.is_empty() && us.iter().all(|u| u.as_str().is_some_and(is_url)) => {}
        Some(_) => return Err(EntryProblem::StatusReferenceNotAUrl),
    }
    Ok(ParsedEntry {
        purpose: purpose.to_owned(),
        index_text: index_text.to_owned(),
        index,
        list_url: list_url.to_owned(),
        status_size,
        messages,
    })
}

/// The issuer's status checks: every `BitstringStatusListEntry` of
/// `credentialStatus` must follow the data model, and a
/// `BitstringStatusListCredential` must hold a decodable list of at least
/// [`MIN_ENTRIES`] entries for one or more purposes.
pub(crate) fn check_for_issuing(doc: &Value) -> Result<(), crate::issue::IssueError> {
    use crate::issue::IssueError;
    if let Some(status) = doc.get("credentialStatus") {
        let items: Vec<&Value> = match status {
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for (i, item) in items.into_iter().enumerate() {
            if vcdm::has_type(item, "BitstringStatusListEntry") {
                check_entry(item)
                    .map_err(|error| IssueError::MalformedStatusEntry { entry: i, error })?;
            }
        }
    }
    if vcdm::has_type(doc, "BitstringStatusListCredential") {
        let bad = |p: &str| IssueError::MalformedStatusList { problem: p.into() };
        let subject = doc
            .get("credentialSubject")
            .filter(|s| s.is_object())
            .ok_or_else(|| bad("credential_subject_not_one_object"))?;
        if !vcdm::has_type(subject, "BitstringStatusList") {
            return Err(bad("subject_not_bitstring_status_list"));
        }
        let purposes_ok = match subject.get("statusPurpose") {
            Some(Value::String(_)) => true,
            Some(Value::Array(a)) => !a.is_empty() && a.iter().all(Value::is_string),
            _ => false,
        };
        if !purposes_ok {
            return Err(bad("status_purpose_not_strings"));
        }
        let encoded = subject
            .get("encodedList")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("encoded_list_not_a_string"))?;
        let bits = Bitstring::decode(encoded).map_err(|_| bad("encoded_list_undecodable"))?;
        if bits.entries(1) < MIN_ENTRIES {
            return Err(bad("list_too_short"));
        }
    }
    Ok(())
}

/// What the `status` check found for one entry (in the `pass` detail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryStatus {
    /// `statusPurpose`.
    pub purpose: String,
    /// `statusListCredential`.
    pub status_list_credential: String,
    /// `statusListIndex`.
    pub index: String,
    /// The entry's value (0 = clear).
    pub value: u64,
    /// The matching `statusMessage`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// What stopped one entry from being checked.
#[derive(Clone)]
struct Unusable {
    code: ErrorCode,
    info: Box<Info>,
}

enum Outcome {
    Clear(EntryStatus),
    Revoked(EntryStatus),
    Suspended(EntryStatus),
    Malformed(usize, EntryProblem),
    Missing(String),
    Unusable(Unusable),
    Unsupported(usize, Option<String>),
}

fn entry_type(v: &Value) -> Option<String> {
    match v.get("type") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

fn unusable(code: ErrorCode, info: Info) -> Unusable {
    Unusable {
        code,
        info: Box::new(info),
    }
}

/// What one list credential is, found once per verification whatever the
/// number of entries (and credentials, in a presentation) that point at it:
/// its proof is checked and its bits inflated at most once.
struct ListFacts {
    /// The list's issuer, compared with each credential's.
    issuer: String,
    /// Whether a verified proof was made by a key of `issuer`.
    signed_by_issuer: bool,
    /// The rest, in the order the checks report them.
    read: Result<ReadList, Unusable>,
}

/// A signed list within its validity period, read as far as it goes.
struct ReadList {
    valid_from: Option<Instant>,
    purposes: Vec<String>,
    bits: Result<Bitstring, Unusable>,
}

/// The lists of one verification, each checked on first use
/// (`opts.status.status_list_credentials`, by position).
pub(crate) struct StatusCache {
    lists: Vec<Option<Result<ListFacts, Unusable>>>,
}

impl StatusCache {
    /// An empty cache for the lists of `opts`.
    pub(crate) fn new(opts: &VerifyOptions) -> Self {
        StatusCache {
            lists: (0..opts.status.status_list_credentials.len())
                .map(|_| None)
                .collect(),
        }
    }

    fn facts(
        &mut self,
        position: usize,
        list: &Value,
        url: &str,
        opts: &VerifyOptions,
    ) -> Option<&Result<ListFacts, Unusable>> {
        let slot = self.lists.get_mut(position)?;
        Some(slot.get_or_insert_with(|| list_facts(list, url, opts)))
    }
}

/// Checks one list credential as far as nothing depends on the entry or
/// the credential (see the module docs).
fn list_facts(list: &Value, url: &str, opts: &VerifyOptions) -> Result<ListFacts, Unusable> {
    let url = url.to_owned();
    let verification = |info| unusable(ErrorCode::StatusVerificationError, info);
    if !vcdm::has_type(list, "BitstringStatusListCredential") {
        return Err(verification(Info::NotAStatusListCredential {
            status_list_credential: url,
        }));
    }
    let conformance = vcdm::check_credential(list, Role::Verifier);
    if !conformance.violations.is_empty() {
        return Err(unusable(
            ErrorCode::MalformedValueError,
            Info::StatusListNotConforming {
                status_list_credential: url,
                violations: conformance.violations,
            },
        ));
    }
    let expect = ProofExpectations {
        proof_purpose: "assertionMethod",
        challenge: None,
        domain: None,
        known_keys: &opts.known_keys,
        now: opts.now,
    };
    let proofs = di::verify_proofs(list, &expect);
    if !proofs.verified() {
        let problem = proofs
            .first_failure()
            .map(|(_, _, p)| p.clone())
            .or_else(|| proofs.first_unchecked().map(|(_, p)| p.clone()));
        return Err(verification(Info::StatusListProofNotVerified {
            status_list_credential: url,
            problem,
        }));
    }
    let issuer = controller_id(list.get("issuer"))
        .unwrap_or_default()
        .to_owned();
    let signed_by_issuer = proofs.proofs.iter().any(|p| {
        matches!(p.outcome, ProofOutcome::Verified)
            && p.verification_method
                .as_deref()
                .is_some_and(|vm| same_controller(vm_controller(vm), &issuer))
    });
    Ok(ListFacts {
        issuer,
        signed_by_issuer,
        read: read_list(list, url, opts),
    })
}

fn read_list(list: &Value, url: String, opts: &VerifyOptions) -> Result<ReadList, Unusable> {
    let verification = |info| unusable(ErrorCode::StatusVerificationError, info);
    let date = |k: &str| {
        list.get(k).and_then(Value::as_str).and_then(|s| {
            Instant::parse_date_time_stamp(s)
                .ok()
                .map(|t| (s.to_owned(), t))
        })
    };
    let (from, until) = (date("validFrom"), date("validUntil"));
    if from.is_some() || until.is_some() {
        let Some(now) = opts.now else {
            return Err(verification(Info::StatusListValidityUnknown {
                status_list_credential: url,
            }));
        };
        if let Some((s, t)) = &from {
            if now < *t {
                return Err(verification(Info::StatusListNotYetValid {
                    status_list_credential: url,
                    valid_from: s.clone(),
                    now: now.to_rfc3339_seconds(),
                }));
            }
        }
        if let Some((s, t)) = &until {
            if now > *t {
                return Err(verification(Info::StatusListExpired {
                    status_list_credential: url,
                    valid_until: s.clone(),
                    now: now.to_rfc3339_seconds(),
                }));
            }
        }
    }
    let subject = list.get("credentialSubject");
    let malformed = |problem: &str| {
        unusable(
            ErrorCode::MalformedValueError,
            Info::StatusListMalformed {
                status_list_credential: url.clone(),
                problem: problem.to_owned(),
            },
        )
    };
    let Some(subject) = subject.filter(|s| s.is_object()) else {
        return Err(malformed("credential_subject_not_one_object"));
    };
    if !vcdm::has_type(subject, "BitstringStatusList") {
        return Err(malformed("subject_not_bitstring_status_list"));
    }
    let purposes: Vec<String> = match subject.get("statusPurpose") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) if !a.is_empty() && a.iter().all(Value::is_string) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => return Err(malformed("status_purpose_not_strings")),
    };
    let bits = match subject.get("encodedList").and_then(Value::as_str) {
        None => Err(malformed("encoded_list_not_a_string")),
        Some(encoded) => Bitstring::decode(encoded).map_err(|error| {
            unusable(
                error.code(),
                Info::StatusListUndecodable {
                    status_list_credential: url.clone(),
                    error,
                },
            )
        }),
    };
    Ok(ReadList {
        valid_from: from.map(|f| f.1),
        purposes,
        bits,
    })
}

/// Reads `entry` from a checked list: the issuer binding, the purpose, the
/// status size and the index (see the module docs). Gives the entry's
/// value and the list's `validFrom`.
fn read_entry(
    facts: &Result<ListFacts, Unusable>,
    entry: &ParsedEntry,
    credential_issuer: Option<&str>,
) -> Result<(u64, Option<Instant>), Unusable> {
    let url = entry.list_url.clone();
    let facts = facts.as_ref().map_err(Clone::clone)?;
    let same_issuer = credential_issuer.is_some_and(|c| same_controller(c, &facts.issuer));
    if !facts.signed_by_issuer || !same_issuer {
        return Err(unusable(
            ErrorCode::StatusVerificationError,
            Info::StatusListIssuerMismatch {
                status_list_credential: url,
                list_issuer: facts.issuer.clone(),
                credential_issuer: credential_issuer.unwrap_or_default().to_owned(),
            },
        ));
    }
    let read = facts.read.as_ref().map_err(Clone::clone)?;
    if !read.purposes.contains(&entry.purpose) {
        return Err(unusable(
            ErrorCode::StatusVerificationError,
            Info::StatusListPurposeMismatch {
                status_list_credential: url,
                entry_purpose: entry.purpose.clone(),
                list_purposes: read.purposes.clone(),
            },
        ));
    }
    let bits = read.bits.as_ref().map_err(Clone::clone)?;
    let size = u32::try_from(entry.status_size).unwrap_or(u32::MAX);
    if size > MAX_STATUS_SIZE {
        return Err(unusable(
            ErrorCode::MalformedValueError,
            Info::StatusListMalformed {
                status_list_credential: url,
                problem: "status_size_unsupported".to_owned(),
            },
        ));
    }
    let entries = bits.entries(size);
    if entries < MIN_ENTRIES {
        return Err(unusable(
            ErrorCode::StatusListLengthError,
            Info::StatusListTooShort {
                status_list_credential: url,
                entries,
                minimum: MIN_ENTRIES,
            },
        ));
    }
    if entry.index >= entries {
        return Err(unusable(
            ErrorCode::RangeError,
            Info::StatusIndexOutOfRange {
                status_list_credential: url,
                index: entry.index_text.clone(),
                entries,
            },
        ));
    }
    let value = bits.value(entry.index, size).map_err(|error| {
        unusable(
            error.code(),
            Info::StatusListUndecodable {
                status_list_credential: url,
                error,
            },
        )
    })?;
    Ok((value, read.valid_from))
}

fn check_one(
    position: usize,
    v: &Value,
    credential_issuer: Option<&str>,
    opts: &VerifyOptions,
    cache: &mut StatusCache,
) -> Outcome {
    if !vcdm::has_type(v, "BitstringStatusListEntry") {
        return Outcome::Unsupported(position, entry_type(v));
    }
    let entry = match check_entry(v) {
        Ok(e) => e,
        Err(problem) => return Outcome::Malformed(position, problem),
    };
    let mut first_error = None;
    let mut best: Option<(u64, Option<Instant>)> = None;
    for (i, list) in opts
        .status
        .status_list_credentials
        .iter()
        .enumerate()
        .filter(|(_, l)| l.get("id").and_then(Value::as_str) == Some(entry.list_url.as_str()))
    {
        let Some(facts) = cache.facts(i, list, &entry.list_url, opts) else {
            continue;
        };
        match read_entry(facts, &entry, credential_issuer) {
            // The newest usable list wins (a stale copy must not hide a
            // later revocation).
            Ok((value, valid_from)) => {
                if best.as_ref().is_none_or(|b| valid_from > b.1) {
                    best = Some((value, valid_from));
                }
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let Some((value, _)) = best else {
        return match first_error {
            Some(e) => Outcome::Unusable(e),
            None => Outcome::Missing(entry.list_url),
        };
    };
    let message = entry
        .messages
        .iter()
        .find(|(status, _)| parse_hex(status) == Some(value))
        .map(|(_, m)| m.clone());
    let status = EntryStatus {
        purpose: entry.purpose.clone(),
        status_list_credential: entry.list_url,
        index: entry.index_text,
        value,
        message,
    };
    match (entry.purpose.as_str(), value) {
        ("revocation", v) if v != 0 => Outcome::Revoked(status),
        ("suspension", v) if v != 0 => Outcome::Suspended(status),
        _ => Outcome::Clear(status),
    }
}

fn parse_hex(s: &str) -> Option<u64> {
    let digits = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))?;
    u64::from_str_radix(digits, 16).ok()
}

/// The report's `status` check for a verified credential `doc`, whose
/// entries are within [`crate::limits`] (checked by the `format` check).
/// `cache` keeps the lists already checked in this verification.
pub(crate) fn status_check(doc: &Value, opts: &VerifyOptions, cache: &mut StatusCache) -> Check {
    let Some(status) = doc.get("credentialStatus") else {
        return Check::info(
            CheckId::Status,
            CheckStatus::NotApplicable,
            None,
            Info::NoStatusEntry,
        );
    };
    let items: Vec<&Value> = match status {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    let issuer = controller_id(doc.get("issuer"));
    let outcomes: Vec<Outcome> = items
        .iter()
        .enumerate()
        .map(|(i, v)| check_one(i, v, issuer, opts, cache))
        .collect();
    let find = |f: &dyn Fn(&Outcome) -> bool| outcomes.iter().find(|o| f(o));
    if let Some(Outcome::Revoked(s)) = find(&|o| matches!(o, Outcome::Revoked(_))) {
        return Check::info(
            CheckId::Status,
            CheckStatus::Fail,
            None,
            Info::Revoked {
                status_list_credential: s.status_list_credential.clone(),
                index: s.index.clone(),
            },
        );
    }
    if let Some(Outcome::Suspended(s)) = find(&|o| matches!(o, Outcome::Suspended(_))) {
        return Check::info(
            CheckId::Status,
            CheckStatus::Fail,
            None,
            Info::Suspended {
                status_list_credential: s.status_list_credential.clone(),
                index: s.index.clone(),
            },
        );
    }
    if let Some(Outcome::Malformed(entry, problem)) = find(&|o| matches!(o, Outcome::Malformed(..)))
    {
        return Check::info(
            CheckId::Status,
            CheckStatus::Fail,
            Some(ErrorCode::MalformedValueError),
            Info::MalformedStatusEntry {
                entry: *entry,
                error: problem.clone(),
            },
        );
    }
    let missing: Vec<String> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Missing(url) => Some(url.clone()),
            _ => None,
        })
        .collect();
    if !missing.is_empty() {
        return Check::info(
            CheckId::Status,
            CheckStatus::CouldntCheck,
            Some(ErrorCode::StatusRetrievalError),
            Info::StatusListNotProvided {
                entries: items.len(),
                urls: missing,
            },
        );
    }
    if let Some(Outcome::Unusable(u)) = find(&|o| matches!(o, Outcome::Unusable(_))) {
        return Check::info(
            CheckId::Status,
            CheckStatus::CouldntCheck,
            Some(u.code),
            (*u.info).clone(),
        );
    }
    if let Some(Outcome::Unsupported(entry, status_type)) =
        find(&|o| matches!(o, Outcome::Unsupported(..)))
    {
        return Check::info(
            CheckId::Status,
            CheckStatus::CouldntCheck,
            None,
            Info::UnsupportedStatusType {
                entry: *entry,
                status_type: status_type.clone(),
            },
        );
    }
    let entries: Vec<EntryStatus> = outcomes
        .into_iter()
        .filter_map(|o| match o {
            Outcome::Clear(s) => Some(s),
            _ => None,
        })
        .collect();
    Check::info(
        CheckId::Status,
        CheckStatus::Pass,
        None,
        Info::NotRevoked { entries },
    )
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn bit_zero_is_the_most_significant_bit_of_byte_zero() {
        let mut list = StatusList::new(StatusPurpose::Suspension, MIN_ENTRIES).unwrap();
        list.set(0).unwrap();
        list.set(9).unwrap();
        assert_eq!(list.as_bytes()[0], 0x80);
        assert_eq!(list.as_bytes()[1], 0x40);
        let decoded = StatusList::decode(StatusPurpose::Suspension, &list.encode()).unwrap();
        assert_eq!(decoded.as_bytes(), list.as_bytes());
        list.clear(0).unwrap();
        assert!(!list.get(0).unwrap());
        assert!(list.get(9).unwrap());
    }

    #[test]
    fn allocation_is_deterministic_uniform_and_exhaustive() {
        let mut a = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
        let mut b = a.clone();
        for r in [0u64, u64::MAX, 1 << 63, 12345] {
            assert_eq!(a.allocate_index(r), b.allocate_index(r));
        }
        assert_eq!(a.allocated(), 4);
        // Random 0 takes the first free index, u64::MAX the last.
        let mut c = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
        assert_eq!(c.allocate_index(0), Ok(0));
        assert_eq!(c.allocate_index(0), Ok(1));
        assert_eq!(c.allocate_index(u64::MAX), Ok(MIN_ENTRIES - 1));
        // Never twice the same index.
        let mut seen = std::collections::HashSet::new();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..5000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            assert!(seen.insert(c.allocate_index(x).unwrap()));
        }
    }

    #[test]
    fn a_full_list_says_so() {
        let mut l = StatusList::new(StatusPurpose::Suspension, MIN_ENTRIES).unwrap();
        for byte in l.allocated.iter_mut() {
            *byte = 0xff;
        }
        l.allocated_count = l.len() - 1;
        l.allocated[0] = 0x7f;
        assert_eq!(l.allocate_index(999), Ok(0));
        assert_eq!(l.allocate_index(0), Err(StatusListError::Full));
    }

    #[test]
    fn merging_keeps_every_revocation_and_each_side_s_suspension_changes() {
        let mut base = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
        base.set(3).unwrap();
        let (mut mine, mut theirs) = (base.clone(), base.clone());
        mine.set(10).unwrap();
        theirs.set(20).unwrap();
        let m = StatusList::merge(&base, &mine, &theirs).unwrap();
        for i in [3, 10, 20] {
            assert!(m.list.get(i).unwrap(), "{i}");
        }
        assert_eq!(m.list.allocated(), 3);
        assert!(m.allocated_twice.is_empty());

        let mut base = StatusList::new(StatusPurpose::Suspension, MIN_ENTRIES).unwrap();
        base.set(1).unwrap();
        base.set(2).unwrap();
        let (mut mine, mut theirs) = (base.clone(), base.clone());
        mine.clear(1).unwrap(); // reinstated here
        theirs.set(5).unwrap(); // suspended there
        theirs.clear(2).unwrap(); // reinstated there
        let m = StatusList::merge(&base, &mine, &theirs).unwrap();
        assert!(!m.list.get(1).unwrap());
        assert!(!m.list.get(2).unwrap());
        assert!(m.list.get(5).unwrap());
    }

    #[test]
    fn an_index_given_out_on_both_sides_is_reported() {
        let base = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
        let (mut mine, mut theirs) = (base.clone(), base.clone());
        let a = mine.allocate_index(7).unwrap();
        let b = theirs.allocate_index(7).unwrap();
        assert_eq!(a, b);
        theirs.allocate_index(u64::MAX).unwrap();
        let m = StatusList::merge(&base, &mine, &theirs).unwrap();
        assert_eq!(m.allocated_twice, vec![a]);
        assert_eq!(m.list.allocated(), 2);
        let other = StatusList::new(StatusPurpose::Suspension, MIN_ENTRIES).unwrap();
        assert_eq!(
            StatusList::merge(&base, &mine, &other),
            Err(StatusListError::MergeMismatch)
        );
    }

    #[test]
    fn revocation_is_permanent() {
        let mut l = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
        l.set(5).unwrap();
        assert_eq!(l.clear(5), Err(StatusListError::RevocationIsPermanent));
        assert!(l.get(5).unwrap());
    }

    #[test]
    fn sizes_and_ranges() {
        assert!(matches!(
            StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES - 1),
            Err(StatusListError::TooFewEntries { .. })
        ));
        let mut l = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES + 1).unwrap();
        assert_eq!(l.len(), MIN_ENTRIES + 8);
        assert_eq!(
            l.set(MIN_ENTRIES + 8),
            Err(StatusListError::IndexOutOfRange {
                index: MIN_ENTRIES + 8,
                entries: MIN_ENTRIES + 8
            })
        );
        assert!(l.get(u64::MAX).is_err());
    }

    #[test]
    fn serde_form_keeps_allocations() {
        let mut l = StatusList::new(StatusPurpose::Suspension, MIN_ENTRIES).unwrap();
        let i = l.allocate_index(42).unwrap();
        l.set(77).unwrap();
        let json = serde_json::to_value(&l).unwrap();
        assert_eq!(json["type"], "ChainClassStatusList");
        assert_eq!(json["allocated"], 2);
        let back: StatusList = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back, l);
        assert!(back.is_allocated(i).unwrap());
        let mut broken = json;
        broken["allocated"] = 3.into();
        assert!(serde_json::from_value::<StatusList>(broken).is_err());
    }

    #[test]
    fn entries_are_checked() {
        let good = entry(
            "https://school.example/status/1",
            StatusPurpose::Revocation,
            7,
        );
        let parsed = check_entry(&good).unwrap();
        assert_eq!(parsed.index, 7);
        assert_eq!(parsed.status_size, 1);
        let with = |k: &str, v: Value| {
            let mut e = good.clone();
            e[k] = v;
            check_entry(&e)
        };
        assert_eq!(
            with("statusListIndex", 7.into()),
            Err(EntryProblem::IndexNotAString)
        );
        assert!(matches!(
            with("statusListIndex", "-1".into()),
            Err(EntryProblem::IndexNotDecimal { .. })
        ));
        assert!(matches!(
            with("statusListIndex", "0x10".into()),
            Err(EntryProblem::IndexNotDecimal { .. })
        ));
        assert_eq!(
            with("id", "https://school.example/status/1".into()),
            Err(EntryProblem::IdIsTheListUrl)
        );
        assert_eq!(
            with("statusSize", 0.into()),
            Err(EntryProblem::InvalidStatusSize)
        );
        assert_eq!(
            with("statusSize", 2.into()),
            Err(EntryProblem::StatusMessageMissing)
        );
        assert_eq!(
            with("statusListCredential", "not a url".into()),
            Err(EntryProblem::ListCredentialNotAUrl)
        );
        let huge = with("statusListIndex", "99999999999999999999999".into()).unwrap();
        assert_eq!(huge.index, u64::MAX);
    }
}
