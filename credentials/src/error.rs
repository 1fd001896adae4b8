//! Error codes defined by the W3C specifications (VC Data Model 2.0 §7.1,
//! Data Integrity 1.0 §4, Controlled Identifiers 1.0, Bitstring Status List),
//! shared by every module that reports a problem.
//!
//! The crate reports *codes and data*; the app owns the wording (EN / 繁中).

use serde::Serialize;

/// A specification-defined error type, serialised exactly as the specs spell
/// it (`PARSING_ERROR`, `PROOF_VERIFICATION_ERROR`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// VCDM / DI: the input could not be parsed (not JSON, not a map, …).
    ParsingError,
    /// DI: a proof is missing, malformed, or does not meet the verifier's
    /// expectations (purpose, previous proofs, …).
    ProofVerificationError,
    /// DI: a proof could not be created (bad options).
    ProofGenerationError,
    /// DI: the document could not be transformed for the cryptosuite.
    ProofTransformationError,
    /// VCDM §7.1: the securing mechanism failed (signature does not match).
    CryptographicSecurityError,
    /// VCDM: the document is not a conforming document.
    MalformedValueError,
    /// VCDM: a value is outside its allowed range (validity period).
    RangeError,
    /// DI: the proof's `domain` does not match the verifier's.
    InvalidDomainError,
    /// DI: the proof's `challenge` does not match the verifier's.
    InvalidChallengeError,
    /// Controlled Identifiers: the verification method cannot be used (bad
    /// DID URL, wrong key type, controller mismatch).
    InvalidVerificationMethod,
    /// Bitstring Status List: the status list could not be retrieved.
    StatusRetrievalError,
    /// Bitstring Status List: the status list could not be verified.
    StatusVerificationError,
    /// Bitstring Status List: the list is shorter than the minimum length.
    StatusListLengthError,
}
