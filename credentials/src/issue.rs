//! The issuing path: check that a credential (or presentation) is a
//! conforming VCDM 2.0 document, that an Open Badge fits the OB3 profile, and
//! that the signing key matches the verification method and the issuer (or
//! holder); then add an `eddsa-jcs-2022` proof. Non-conforming input is
//! refused with a typed reason and nothing is signed.

use crate::di::{self, ProofGenerationError, ProofOptions};
use crate::did_key::{self, DidKey};
use crate::error::ErrorCode;
use crate::json;
use crate::keys::SecretKey;
use crate::limits::{self, OverBudget};
use crate::ob3::{self, Ob3Violation};
use crate::status_list::{self, EntryProblem};
use crate::vcdm::{self, Role, Violation};
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// Why a document was not signed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum IssueError {
    /// The document is over one of the budgets a verifier applies
    /// ([`crate::limits`]): nobody could verify it, so it is not signed.
    OverBudget {
        /// Which budget, how many, the limit.
        over: OverBudget,
    },
    /// A number is an integer beyond ±(2^53 − 1): a verifier refuses it
    /// (I-JSON), so it is not signed. Write such a number as a string.
    UnsafeInteger {
        /// JSON Pointer of the number.
        path: String,
    },
    /// Not a conforming VCDM 2.0 credential/presentation.
    NotConforming {
        /// Every rule broken.
        violations: Vec<Violation>,
    },
    /// An Open Badge that does not fit the OB3 profile.
    NotOb3Conforming {
        /// Every rule broken.
        violations: Vec<Ob3Violation>,
    },
    /// The did:key verification method is not the signing key's.
    VerificationMethodKeyMismatch {
        /// The verification method given.
        verification_method: String,
        /// The signing key's verification method.
        expected: String,
    },
    /// The issuer (holder, for a presentation) is a did:key other than the
    /// signing key's DID.
    ControllerKeyMismatch {
        /// The issuer/holder.
        controller: String,
        /// The signing key's DID.
        signer: String,
    },
    /// A `BitstringStatusListEntry` in `credentialStatus` breaks the Bitstring
    /// Status List data model.
    MalformedStatusEntry {
        /// Position of the entry (0 for a single object).
        entry: usize,
        /// What is wrong.
        error: EntryProblem,
    },
    /// A `BitstringStatusListCredential` whose list is malformed or too
    /// short.
    MalformedStatusList {
        /// What is wrong (a stable key).
        problem: String,
    },
    /// The proof could not be created.
    Proof {
        /// Why.
        error: ProofGenerationError,
    },
}

impl IssueError {
    /// The specification error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            IssueError::OverBudget { .. }
            | IssueError::UnsafeInteger { .. }
            | IssueError::NotConforming { .. }
            | IssueError::NotOb3Conforming { .. }
            | IssueError::MalformedStatusEntry { .. }
            | IssueError::MalformedStatusList { .. } => ErrorCode::MalformedValueError,
            IssueError::VerificationMethodKeyMismatch { .. }
            | IssueError::ControllerKeyMismatch { .. } => ErrorCode::InvalidVerificationMethod,
            IssueError::Proof { .. } => ErrorCode::ProofGenerationError,
        }
    }
}

impl fmt::Display for IssueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssueError::NotConforming { violations } => {
                let reasons: Vec<&str> = violations.iter().map(Violation::reason).collect();
                write!(f, "not a conforming document: {}", reasons.join(", "))
            }
            IssueError::NotOb3Conforming { violations } => {
                write!(
                    f,
                    "not a conforming Open Badge ({} problems)",
                    violations.len()
                )
            }
            IssueError::VerificationMethodKeyMismatch {
                verification_method,
                expected,
            } => write!(
                f,
                "verification method {verification_method} is not the key's ({expected})"
            ),
            IssueError::ControllerKeyMismatch { controller, signer } => {
                write!(f, "{controller} is not the signing key's DID {signer}")
            }
            IssueError::MalformedStatusEntry { entry, error } => {
                write!(f, "status entry {entry} is malformed: {error:?}")
            }
            IssueError::MalformedStatusList { problem } => {
                write!(f, "the status list is malformed: {problem}")
            }
            IssueError::Proof { error } => write!(f, "{error}"),
            IssueError::UnsafeInteger { path } => write!(
                f,
                "the number at {path} is an integer beyond ±(2^53 - 1); write it as a string"
            ),
            IssueError::OverBudget { over } => write!(
                f,
                "{} {:?}, more than the {} a verifier checks",
                over.found, over.budget, over.limit
            ),
        }
    }
}

impl std::error::Error for IssueError {}

impl From<ProofGenerationError> for IssueError {
    fn from(error: ProofGenerationError) -> Self {
        IssueError::Proof { error }
    }
}

fn controller_id(v: Option<&Value>) -> Option<&str> {
    match v? {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("id").and_then(Value::as_str),
        _ => None,
    }
}

/// The document checks of [`sign`]: the verifier's budgets, VCDM 2.0 conformance, status entries
/// and lists, and the OB3 profile for an Open Badge.
pub(crate) fn check_document(document: &Value, presentation: bool) -> Result<(), IssueError> {
    check_document_as(document, presentation, Role::Issuer)
}

fn check_document_as(document: &Value, presentation: bool, role: Role) -> Result<(), IssueError> {
    if let Some(obj) = document.as_object() {
        limits::check_document(obj).map_err(|over| IssueError::OverBudget { over })?;
    }
    if let Some(path) = json::first_unsafe_integer(document) {
        return Err(IssueError::UnsafeInteger { path });
    }
    let conformance = if presentation {
        vcdm::check_presentation(document, role)
    } else {
        vcdm::check_credential(document, role)
    };
    if !conformance.violations.is_empty() {
        return Err(IssueError::NotConforming {
            violations: conformance.violations,
        });
    }
    if !presentation {
        status_list::check_for_issuing(document)?;
    }
    if !presentation && ob3::is_open_badge(document) {
        let violations = ob3::check_profile(document);
        if !violations.is_empty() {
            return Err(IssueError::NotOb3Conforming { violations });
        }
    }
    Ok(())
}

/// Checks `document` and signs it with `key`: a credential is checked against
/// VCDM 2.0 (and the OB3 profile if it is an Open Badge), a presentation
/// against the presentation rules. A did:key issuer (holder) must be the
/// signing key's DID for the first proof; if the document is already signed,
/// the new proof is appended (a proof set, or a chain with `previous_proof`)
/// and may come from another key.
pub fn sign(
    document: &Value,
    key: &SecretKey,
    options: &ProofOptions,
) -> Result<Value, IssueError> {
    sign_with(document, key, options, &mut di::BuiltinRdfc::default())
}

/// [`sign`] with eddsa-rdfc-2022 hashing done by `rdfc` (a build without
/// the `rdfc` feature passes one that asks elsewhere).
pub fn sign_with(
    document: &Value,
    key: &SecretKey,
    options: &ProofOptions,
    rdfc: &mut dyn di::RdfcHasher,
) -> Result<Value, IssueError> {
    sign_as(document, key, options, rdfc, Role::Issuer)
}

/// [`sign_with`] judging the document as `role` does: [`Role::Issuer`]
/// (VCDM 2.0 only, what ChainClass issues) or [`Role::SigningService`]
/// (VC 1.1 credentials too, for a VC-API issuer signing what another system
/// drafted). [`Role::Verifier`] is treated as [`Role::SigningService`].
pub fn sign_as(
    document: &Value,
    key: &SecretKey,
    options: &ProofOptions,
    rdfc: &mut dyn di::RdfcHasher,
    role: Role,
) -> Result<Value, IssueError> {
    let role = match role {
        Role::Verifier => Role::SigningService,
        r => r,
    };
    let presentation = vcdm::is_presentation(document);
    check_document_as(document, presentation, role)?;
    let signer = DidKey::from_public_key(key.public_key());
    let vm = options.verification_method.as_str();
    // Fast path: the canonical `did:key:X#X` of the signing key (a string
    // comparison; resolving would decompress the key point again).
    if vm.starts_with("did:key:") && vm != signer.verification_method_id() {
        let matches = did_key::resolve_verification_method(vm)
            .map(|k| k == key.public_key())
            .unwrap_or(false);
        if !matches {
            return Err(IssueError::VerificationMethodKeyMismatch {
                verification_method: vm.into(),
                expected: signer.verification_method_id(),
            });
        }
    }
    // The first proof must be the issuer's (holder's) own. Later proofs of a
    // proof set or chain may come from others (co-signers, witnesses).
    let first_proof = document.get("proof").is_none();
    let controller = controller_id(document.get(if presentation { "holder" } else { "issuer" }));
    if let Some(c) = controller.filter(|c| first_proof && c.starts_with("did:key:")) {
        let same = c == signer.as_str() || DidKey::parse(c).map(|d| d == signer).unwrap_or(false);
        if !same {
            return Err(IssueError::ControllerKeyMismatch {
                controller: c.into(),
                signer: signer.as_str().into(),
            });
        }
    }
    Ok(di::add_proof_with(document, key, options, rdfc)?)
}
