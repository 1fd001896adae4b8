//! ChainClass's verifiable credentials: issue, hold, present and verify.
//!
//! A pure library (no IO, no clock, no RNG: `now` and key material are
//! parameters) that builds natively and for `wasm32-unknown-unknown`.
//!
//! | module | owns |
//! |---|---|
//! | [`json`] | strict I-JSON parsing (duplicates, lone surrogates, size/depth bounds) |
//! | [`jcs`] | RFC 8785 canonicalisation (wraps `serde_json_canonicalizer`) |
//! | [`multibase`] | base58btc multibase and multicodec prefixes |
//! | [`keys`] | Ed25519 [`PublicKey`] / [`SecretKey`] as Multikeys, key files |
//! | [`did_key`] | [`DidKey`]: parsing with the spec's errors, resolution |
//! | [`time`] | XMLSCHEMA11-2 dateTimeStamp → comparable [`Instant`] |
//! | [`iri`] | "MUST be a URL" syntax |
//! | [`di`] | Data Integrity `eddsa-jcs-2022` create/verify, proof sets and chains |
//! | [`vcdm`] | VC Data Model 2.0 (and VC 1.1 for verifying) conformance |
//! | [`ob3`], [`templates`] | Open Badges 3.0 builder, recipient hash, profile check, HK programme templates |
//! | [`issue`] | [`sign`]: conformance-checked signing |
//! | [`presentation`] | holder presentations (`authentication`, challenge, domain) |
//! | [`verify`], [`report`] | [`verify_credential`], [`verify_presentation`] → ordered check report |
//! | [`error`] | specification error codes |
//! | [`share`] | `#/verify?vc=` link payloads (DEFLATE + base64url) |
//!
//! `eddsa-rdfc-2022` (and other RDF-canonicalised suites) need JSON-LD RDF
//! canonicalisation, which is out of scope: such proofs are reported as
//! `couldnt_check` (unsupported cryptosuite), never as tampered.

pub mod di;
pub mod did_key;
pub mod error;
pub mod iri;
pub mod issue;
pub mod jcs;
pub mod json;
pub mod keys;
pub mod multibase;
pub mod ob3;
pub mod presentation;
pub mod report;
pub mod share;
pub mod templates;
pub mod time;
pub mod vcdm;
pub mod verify;

pub use di::ProofOptions;
pub use did_key::DidKey;
pub use error::ErrorCode;
pub use issue::{sign, IssueError};
pub use keys::{PublicKey, SecretKey};
pub use report::{
    Check, CheckId, CheckStatus, Detail, Info, PresentationReport, VerificationReport,
};
pub use time::Instant;
pub use verify::{
    verify_credential, verify_credential_bytes, verify_credential_value, verify_presentation,
    verify_presentation_bytes, verify_presentation_value, AnchorInput, StatusInput, VerifyOptions,
};
