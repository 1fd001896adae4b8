//! The verification report: an ordered list of checks, each with a stable
//! id, a status, the specification's error code and structured detail.
//!
//! Order: `format` → `proof` → `issuer_key` (`holder_key` for presentations)
//! → `status` → `validity` → `profile` → `anchor`. `format` and `proof` are
//! *verification* (the document is well-formed, conforming and untampered);
//! the rest are *validation*. When parsing fails, or the proof does not pass,
//! every later check is `not_run`: a tampered credential is never reported as
//! expired, revoked or not yet valid.
//!
//! Statuses: `pass`, `fail`, `couldnt_check` (the check applies but could not
//! be completed: unsupported cryptosuite, no clock, no status list…; never
//! turned into a pass), `not_run` (skipped because an earlier check did not
//! pass) and `not_applicable` (nothing to check: no `credentialStatus`, not
//! an Open Badge, no anchor receipt expected).
//!
//! `verified` = `format` and `proof` passed. `valid` = `verified` and every
//! validation check is `pass` or `not_applicable`.
//!
//! The crate returns codes and data; the app owns the wording (EN / 繁中),
//! keyed on `id`, `status` and `detail.reason`.

use crate::anchor::AnchorProof;
use crate::di::ProofProblem;
use crate::error::ErrorCode;
use crate::json::JsonError;
use crate::limits::Budget;
use crate::ob3::Ob3Violation;
use crate::status_list::{EntryProblem, EntryStatus, StatusListError};
use crate::vcdm::{DataModel, Violation};
use ledger::Hash;
use serde::Serialize;
use serde_json::Value;

/// Stable check ids (serialised in snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckId {
    /// Strict JSON parse and VC Data Model conformance.
    Format,
    /// Data Integrity proof(s).
    Proof,
    /// The issuer is the controller of the signing key.
    IssuerKey,
    /// The holder is the controller of the presentation's signing key.
    HolderKey,
    /// Revocation / suspension (Bitstring Status List).
    Status,
    /// Validity period (`validFrom`/`validUntil`, proof `expires`).
    Validity,
    /// Open Badges 3.0 profile.
    Profile,
    /// Ledger anchor (batch receipt).
    Anchor,
}

/// Outcome of one check (serialised in snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// The check passed.
    Pass,
    /// The check failed.
    Fail,
    /// The check applies but could not be completed.
    CouldntCheck,
    /// Not run because an earlier check did not pass.
    NotRun,
    /// Nothing to check for this document.
    NotApplicable,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Check-specific facts, each with a stable `reason` key for translation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Info {
    /// The JSON is not an object.
    DocumentNotAnObject,
    /// `proof` is not a map or a list of maps (PARSING_ERROR).
    ProofNotAMap,
    /// A presentation was given where a credential was expected.
    NotACredential,
    /// A credential was given where a presentation was expected.
    NotAPresentation,
    /// The document holds more of something than ChainClass checks at once
    /// (see [`crate::limits`]); nothing else was checked.
    OverBudget {
        /// Which budget.
        budget: Budget,
        /// How many the document has.
        found: usize,
        /// The limit.
        limit: usize,
    },
    /// The document follows the data model.
    Conforming {
        /// VCDM 2.0 or VC 1.1.
        data_model: DataModel,
    },
    /// The document breaks data-model rules.
    NotConforming {
        /// The data model, if recognisable.
        data_model: Option<DataModel>,
        /// The first violations, at most
        /// [`crate::limits::MAX_REPORTED_VIOLATIONS`].
        violations: Vec<Violation>,
        /// How many more there are (not listed: the report stays small
        /// whatever the document).
        #[serde(skip_serializing_if = "is_zero")]
        omitted: usize,
    },
    /// Every proof verified.
    ProofsVerified {
        /// Number of proofs.
        proofs: usize,
        /// Their verification methods.
        verification_methods: Vec<String>,
        /// Their cryptosuites, each once, in document order
        /// (`eddsa-rdfc-2022`, `eddsa-jcs-2022`, or `Ed25519Signature2020`
        /// for that proof type, which has no `cryptosuite`).
        cryptosuites: Vec<String>,
    },
    /// A credential embedded in a presentation, without its own proof, whose
    /// issuer is the presentation's holder and signer (self-asserted).
    SecuredByPresentation {
        /// The holder.
        holder: String,
    },
    /// An `EnvelopedVerifiableCredential` (JOSE/COSE): not supported.
    EnvelopedCredentialUnsupported,
    /// The issuer (or holder) controls a key that signed the document.
    SignerIsController {
        /// The issuer/holder id.
        controller: String,
    },
    /// The issuer (or holder) is a did:key, but no proof is signed by it.
    ControllerKeyMismatch {
        /// The issuer/holder id.
        controller: String,
        /// The verification methods that signed.
        verification_methods: Vec<String>,
    },
    /// The issuer (or holder) is not a did:key and none of the signing keys
    /// was supplied for it: binding needs its DID document or a registry.
    ControllerNotResolvable {
        /// The issuer/holder id.
        controller: String,
    },
    /// A presentation without `holder`.
    NoHolder,
    /// No `credentialStatus`.
    NoStatusEntry,
    /// `credentialStatus` present but the status list(s) it names were not
    /// supplied (STATUS_RETRIEVAL_ERROR): the app may offer to fetch `urls`.
    StatusListNotProvided {
        /// Number of status entries.
        entries: usize,
        /// The `statusListCredential` URLs that are missing.
        urls: Vec<String>,
    },
    /// Every status entry was read and none is set (`pass`).
    NotRevoked {
        /// What each entry holds.
        entries: Vec<EntryStatus>,
    },
    /// A revocation entry is set (`fail`).
    Revoked {
        /// The list.
        status_list_credential: String,
        /// The entry's `statusListIndex`.
        index: String,
    },
    /// A suspension entry is set (`fail`).
    Suspended {
        /// The list.
        status_list_credential: String,
        /// The entry's `statusListIndex`.
        index: String,
    },
    /// A `BitstringStatusListEntry` breaks the data model
    /// (MALFORMED_VALUE_ERROR).
    MalformedStatusEntry {
        /// Position of the entry in `credentialStatus` (0 for one object).
        entry: usize,
        /// What is wrong.
        error: EntryProblem,
    },
    /// A status entry of a type other than `BitstringStatusListEntry`.
    UnsupportedStatusType {
        /// Position of the entry.
        entry: usize,
        /// Its type.
        status_type: Option<String>,
    },
    /// The document at the list URL is not a `BitstringStatusListCredential`
    /// (STATUS_VERIFICATION_ERROR).
    NotAStatusListCredential {
        /// The list URL.
        status_list_credential: String,
    },
    /// The list credential is not a conforming VC (MALFORMED_VALUE_ERROR).
    StatusListNotConforming {
        /// The list URL.
        status_list_credential: String,
        /// The rules broken.
        violations: Vec<Violation>,
    },
    /// The list credential's proof does not verify: tampered, or signed with
    /// an unsupported suite (STATUS_VERIFICATION_ERROR).
    StatusListProofNotVerified {
        /// The list URL.
        status_list_credential: String,
        /// The first proof problem.
        problem: Option<ProofProblem>,
    },
    /// The list is not signed by the credential's issuer
    /// (STATUS_VERIFICATION_ERROR).
    StatusListIssuerMismatch {
        /// The list URL.
        status_list_credential: String,
        /// The list's issuer.
        list_issuer: String,
        /// The credential's issuer.
        credential_issuer: String,
    },
    /// The list has a validity period but no current time was given.
    StatusListValidityUnknown {
        /// The list URL.
        status_list_credential: String,
    },
    /// The list is not valid yet (STATUS_VERIFICATION_ERROR).
    StatusListNotYetValid {
        /// The list URL.
        status_list_credential: String,
        /// Its `validFrom`.
        valid_from: String,
        /// The time used.
        now: String,
    },
    /// The list has expired: a newer list is needed
    /// (STATUS_VERIFICATION_ERROR).
    StatusListExpired {
        /// The list URL.
        status_list_credential: String,
        /// Its `validUntil`.
        valid_until: String,
        /// The time used.
        now: String,
    },
    /// The list's subject is malformed (MALFORMED_VALUE_ERROR).
    StatusListMalformed {
        /// The list URL.
        status_list_credential: String,
        /// What is wrong (a stable key).
        problem: String,
    },
    /// The list is not for the entry's `statusPurpose`
    /// (STATUS_VERIFICATION_ERROR).
    StatusListPurposeMismatch {
        /// The list URL.
        status_list_credential: String,
        /// The entry's purpose.
        entry_purpose: String,
        /// The list's purposes.
        list_purposes: Vec<String>,
    },
    /// `encodedList` does not decode (MALFORMED_VALUE_ERROR).
    StatusListUndecodable {
        /// The list URL.
        status_list_credential: String,
        /// Why.
        error: StatusListError,
    },
    /// The list is shorter than 131,072 entries (STATUS_LIST_LENGTH_ERROR).
    StatusListTooShort {
        /// The list URL.
        status_list_credential: String,
        /// Its entries.
        entries: u64,
        /// The minimum.
        minimum: u64,
    },
    /// The entry's index is beyond the list (RANGE_ERROR).
    StatusIndexOutOfRange {
        /// The list URL.
        status_list_credential: String,
        /// The entry's `statusListIndex`.
        index: String,
        /// The list's entries.
        entries: u64,
    },
    /// No current time was given, so the validity period cannot be judged.
    NoCurrentTime,
    /// Now is before `validFrom` (or VC 1.1 `issuanceDate`).
    NotYetValid {
        /// The credential's value.
        valid_from: String,
        /// The time used.
        now: String,
    },
    /// Now is after `validUntil` (or VC 1.1 `expirationDate`).
    Expired {
        /// The credential's value.
        valid_until: String,
        /// The time used.
        now: String,
    },
    /// Within the validity period (absent bounds = unbounded).
    WithinValidityPeriod {
        /// `validFrom`, if any.
        valid_from: Option<String>,
        /// `validUntil`, if any.
        valid_until: Option<String>,
    },
    /// Not an Open Badge: the OB3 profile does not apply.
    NotAnOpenBadge,
    /// Fits the Open Badges 3.0 profile.
    Ob3Conforming,
    /// Breaks Open Badges 3.0 rules.
    NotOb3Conforming {
        /// The first violations, at most
        /// [`crate::limits::MAX_REPORTED_VIOLATIONS`].
        violations: Vec<Ob3Violation>,
        /// How many more there are.
        #[serde(skip_serializing_if = "is_zero")]
        omitted: usize,
    },
    /// No anchor receipt given and none required.
    NoAnchorReceipt,
    /// An anchor is required but no receipt was given.
    AnchorReceiptNotProvided,
    /// The receipt proves the credential's batch is anchored (`pass`);
    /// serialised flat: block height, hash, timestamp, confirmations, anchor
    /// transaction, root, label, signer.
    Anchored(Box<AnchorProof>),
    /// The receipt is not a ChainClass ledger receipt
    /// (`couldnt_check`, MALFORMED_VALUE_ERROR).
    ReceiptMalformed {
        /// What is wrong (for developers).
        detail: String,
    },
    /// The credential is not the one the receipt is for (`fail`).
    ReceiptCredentialMismatch {
        /// The credential's target hash.
        computed: Hash,
        /// The receipt's.
        receipt: Hash,
    },
    /// The Merkle path does not fit its position (`fail`).
    MerklePathInvalid {
        /// What is wrong.
        detail: String,
    },
    /// The Merkle path leads to another root (`fail`).
    MerkleRootMismatch {
        /// Where the path leads.
        computed: Hash,
        /// The receipt's root.
        receipt: Hash,
    },
    /// A receipt was given but no ledger (`couldnt_check`).
    LedgerNotProvided,
    /// The ledger export is invalid: tampered or damaged (`couldnt_check`).
    LedgerInvalid {
        /// What is wrong (for developers).
        detail: String,
    },
    /// The receipt is for another class ledger (`couldnt_check`).
    LedgerMismatch {
        /// The ledger's genesis.
        ledger_genesis: Hash,
        /// The receipt's.
        receipt_genesis: Hash,
    },
    /// The ledger does not reach the anchor's block (`couldnt_check`).
    AnchorBlockMissing {
        /// The receipt's block height.
        block_height: u64,
        /// The ledger's height.
        ledger_height: u64,
    },
    /// The ledger has another block at that height (`fail`).
    AnchorBlockHashMismatch {
        /// The height.
        block_height: u64,
        /// The receipt's block hash.
        receipt: Hash,
        /// The ledger's.
        ledger: Hash,
    },
    /// The block does not hold the anchor transaction (`fail`).
    AnchorTxMissing {
        /// The transaction id.
        anchor_tx_id: Hash,
        /// The block.
        block_height: u64,
    },
    /// The transaction does not anchor the receipt's root and label (`fail`).
    AnchorMismatch {
        /// The transaction id.
        anchor_tx_id: Hash,
        /// The root it anchors, if it is an anchor.
        anchored_root: Option<Hash>,
        /// Its label.
        anchored_label: Option<String>,
    },
}

/// A failed or uncheckable proof, with its index in the proof set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProofDetail {
    /// Index of the proof (0 for a single proof).
    pub index: usize,
    /// What is wrong (flattened: carries the `reason` key).
    #[serde(flatten)]
    pub problem: ProofProblem,
}

/// Structured detail of a check. Every variant serialises as an object with
/// a stable `reason` key.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Detail {
    /// Strict JSON parsing failed.
    Json(JsonError),
    /// A proof failed or could not be checked.
    Proof(ProofDetail),
    /// Anything else.
    Info(Info),
}

/// One check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// Stable id.
    pub id: CheckId,
    /// Outcome.
    pub status: CheckStatus,
    /// Specification error code, for `fail` (and some `couldnt_check`).
    pub code: Option<ErrorCode>,
    /// Structured detail.
    pub detail: Option<Detail>,
}

impl Check {
    /// A check with no code and no detail.
    pub fn new(id: CheckId, status: CheckStatus) -> Self {
        Check {
            id,
            status,
            code: None,
            detail: None,
        }
    }

    pub(crate) fn info(
        id: CheckId,
        status: CheckStatus,
        code: Option<ErrorCode>,
        info: Info,
    ) -> Self {
        Check {
            id,
            status,
            code,
            detail: Some(Detail::Info(info)),
        }
    }

    /// The `reason` of the detail, if any (for quick matching in tests/UI).
    pub fn reason(&self) -> Option<String> {
        let v = serde_json::to_value(self.detail.as_ref()?).ok()?;
        v.get("reason").and_then(Value::as_str).map(str::to_owned)
    }
}

/// The report for one credential.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerificationReport {
    /// `format` and `proof` passed.
    pub verified: bool,
    /// `verified` and every validation check passed or does not apply.
    pub valid: bool,
    /// The checks, in order.
    pub checks: Vec<Check>,
}

impl VerificationReport {
    /// The check with `id`, if present.
    pub fn check(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// Status of the check with `id`.
    pub fn status(&self, id: CheckId) -> Option<CheckStatus> {
        self.check(id).map(|c| c.status)
    }

    /// The report as JSON (`{"verified", "valid", "checks": [...]}`).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// The report for a presentation and each credential inside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PresentationReport {
    /// The presentation verified and every credential in it verified.
    pub verified: bool,
    /// `verified`, the presentation's validation checks passed, and every
    /// credential is valid.
    pub valid: bool,
    /// The presentation's own checks (`format`, `proof`, `holder_key`).
    pub checks: Vec<Check>,
    /// One report per `verifiableCredential` item, in order.
    pub credentials: Vec<VerificationReport>,
}

impl PresentationReport {
    /// The presentation check with `id`, if present.
    pub fn check(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// Status of the presentation check with `id`.
    pub fn status(&self, id: CheckId) -> Option<CheckStatus> {
        self.check(id).map(|c| c.status)
    }

    /// The report as JSON.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Whether a validation check lets the document be valid.
pub(crate) fn acceptable(status: CheckStatus) -> bool {
    matches!(status, CheckStatus::Pass | CheckStatus::NotApplicable)
}
