//! Verifying credentials and presentations into a [`VerificationReport`] /
//! [`PresentationReport`]: strict parse → VCDM conformance → Data Integrity
//! proofs → issuer/holder ↔ key binding → status → validity period → OB3
//! profile → anchor. See `report.rs` for the statuses and their meaning.
//!
//! The status and anchor checks take their inputs from [`StatusInput`]
//! (Bitstring Status List credentials the verifier has, see
//! [`crate::status_list`]) and [`AnchorInput`] (a ledger batch receipt and
//! the class ledger, see [`crate::anchor`]).

use crate::anchor::{self, LedgerInput};
use crate::di::{self, ProofExpectations, ProofOutcome, ProofSetResult};
use crate::did_key::DidKey;
use crate::error::ErrorCode;
use crate::json::{self, JsonLimits};
use crate::keys::PublicKey;
use crate::limits;
use crate::ob3;
use crate::report::{
    acceptable, Check, CheckId, CheckStatus, Detail, Info, PresentationReport, ProofDetail,
    VerificationReport,
};
use crate::status_list::{self, StatusCache};
use crate::time::Instant;
use crate::vcdm::{self, DataModel, Role};
use serde_json::Value;

/// Status-list input for the `status` check.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatusInput {
    /// `BitstringStatusListCredential`s the verifier has (fetched from the
    /// app's own origin, stapled, or files). The check uses the one whose
    /// `id` is an entry's `statusListCredential` (the newest usable one if
    /// several); with none it is `couldnt_check` (STATUS_RETRIEVAL_ERROR)
    /// and names the missing URLs.
    pub status_list_credentials: Vec<Value>,
}

/// Anchor input for the `anchor` check.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnchorInput {
    /// A ledger batch receipt for the credential, if the verifier has one
    /// (in a presentation it applies to the credential it names).
    pub receipt: Option<Value>,
    /// The class ledger to check the receipt against.
    pub ledger: Option<LedgerInput>,
    /// Whether the verifier requires an anchor: with no receipt the check is
    /// then `couldnt_check` instead of `not_applicable`.
    pub required: bool,
}

/// Verifier options. `now` is passed in: the crate has no clock.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VerifyOptions {
    /// The current time; without it the `validity` check is `couldnt_check`.
    pub now: Option<Instant>,
    /// Expected `proofPurpose`; default `assertionMethod` for credentials and
    /// `authentication` for presentations.
    pub expected_proof_purpose: Option<String>,
    /// Expected presentation `challenge` (presentations only).
    pub challenge: Option<String>,
    /// Expected presentation `domain` (presentations only).
    pub domain: Option<String>,
    /// Input bounds for strict JSON parsing.
    pub limits: JsonLimits,
    /// Verification methods resolved by the caller (e.g. an issuer's https
    /// key). did:key methods need no entry.
    pub known_keys: Vec<(String, PublicKey)>,
    /// Status-list data.
    pub status: StatusInput,
    /// Anchor data.
    pub anchor: AnchorInput,
}

impl VerifyOptions {
    /// Options with `now` set.
    pub fn at(now: Instant) -> Self {
        VerifyOptions {
            now: Some(now),
            ..Default::default()
        }
    }
}

/// Parses and verifies a credential given as JSON text.
pub fn verify_credential(input: &str, opts: &VerifyOptions) -> VerificationReport {
    match json::parse_strict_with(input, &opts.limits) {
        Ok(doc) => verify_credential_value(&doc, opts),
        Err(e) => parse_failure(
            &CREDENTIAL_CHECKS,
            Check {
                id: CheckId::Format,
                status: CheckStatus::Fail,
                code: Some(ErrorCode::ParsingError),
                detail: Some(Detail::Json(e)),
            },
        ),
    }
}

/// Parses and verifies a credential given as bytes (e.g. a dropped file):
/// bytes that are not UTF-8 are a parsing failure with a report.
pub fn verify_credential_bytes(input: &[u8], opts: &VerifyOptions) -> VerificationReport {
    match json::parse_strict_bytes(input, &opts.limits) {
        Ok(doc) => verify_credential_value(&doc, opts),
        Err(e) => parse_failure(
            &CREDENTIAL_CHECKS,
            Check {
                id: CheckId::Format,
                status: CheckStatus::Fail,
                code: Some(ErrorCode::ParsingError),
                detail: Some(Detail::Json(e)),
            },
        ),
    }
}

/// Verifies an already parsed credential (parse it with
/// [`crate::json::parse_strict`]: `serde_json::from_str` keeps duplicates).
pub fn verify_credential_value(doc: &Value, opts: &VerifyOptions) -> VerificationReport {
    verify_credential_inner(doc, opts, None, &mut StatusCache::new(opts))
}

const CREDENTIAL_CHECKS: [CheckId; 7] = [
    CheckId::Format,
    CheckId::Proof,
    CheckId::IssuerKey,
    CheckId::Status,
    CheckId::Validity,
    CheckId::Profile,
    CheckId::Anchor,
];

const PRESENTATION_CHECKS: [CheckId; 3] = [CheckId::Format, CheckId::Proof, CheckId::HolderKey];

/// A report where `first` failed and everything after it was not run.
fn parse_failure(ids: &[CheckId], first: Check) -> VerificationReport {
    let mut checks = vec![first];
    for id in ids.iter().skip(1) {
        checks.push(Check::new(*id, CheckStatus::NotRun));
    }
    VerificationReport {
        verified: false,
        valid: false,
        checks,
    }
}

/// Structural checks shared by credentials and presentations: an object
/// whose `proof` is a map or a list of maps, within every budget of
/// [`crate::limits`] (checked before any other work).
fn structure(doc: &Value) -> Result<(), Check> {
    let fail = |info| {
        Check::info(
            CheckId::Format,
            CheckStatus::Fail,
            Some(ErrorCode::ParsingError),
            info,
        )
    };
    let Some(obj) = doc.as_object() else {
        return Err(fail(Info::DocumentNotAnObject));
    };
    if di::proofs_of(obj).is_err() {
        return Err(fail(Info::ProofNotAMap));
    }
    limits::check_document(obj).map_err(|e| {
        Check::info(
            CheckId::Format,
            CheckStatus::Fail,
            Some(e.budget.code()),
            Info::OverBudget {
                budget: e.budget,
                found: e.found,
                limit: e.limit,
            },
        )
    })
}

fn conformance_check(c: vcdm::Conformance) -> Check {
    match (c.model, c.violations.is_empty()) {
        (Some(model), true) => Check::info(
            CheckId::Format,
            CheckStatus::Pass,
            None,
            Info::Conforming { data_model: model },
        ),
        (model, _) => Check::info(
            CheckId::Format,
            CheckStatus::Fail,
            Some(ErrorCode::MalformedValueError),
            {
                let (violations, omitted) = limits::first_reported(c.violations);
                Info::NotConforming {
                    data_model: model,
                    violations,
                    omitted,
                }
            },
        ),
    }
}

fn proof_check(result: &ProofSetResult) -> Check {
    if result.verified() {
        return Check::info(
            CheckId::Proof,
            CheckStatus::Pass,
            None,
            Info::ProofsVerified {
                proofs: result.proofs.len(),
                verification_methods: result
                    .proofs
                    .iter()
                    .filter_map(|p| p.verification_method.clone())
                    .collect(),
                cryptosuites: result.proofs.iter().fold(Vec::new(), |mut all, p| {
                    // A verified proof without a cryptosuite is an
                    // Ed25519Signature2020 (the only such type verified).
                    let suite = p
                        .cryptosuite
                        .clone()
                        .unwrap_or_else(|| "Ed25519Signature2020".to_owned());
                    if !all.contains(&suite) {
                        all.push(suite);
                    }
                    all
                }),
            },
        );
    }
    if let Some((p, code, problem)) = result.first_failure() {
        return Check {
            id: CheckId::Proof,
            status: CheckStatus::Fail,
            code: Some(code),
            detail: Some(Detail::Proof(ProofDetail {
                index: p.index,
                problem: problem.clone(),
            })),
        };
    }
    match result.first_unchecked() {
        Some((p, problem)) => Check {
            id: CheckId::Proof,
            status: CheckStatus::CouldntCheck,
            code: None,
            detail: Some(Detail::Proof(ProofDetail {
                index: p.index,
                problem: problem.clone(),
            })),
        },
        None => Check::new(CheckId::Proof, CheckStatus::Fail),
    }
}

/// The id of an issuer/holder value: a string, or an object's `id`.
pub(crate) fn controller_id(v: Option<&Value>) -> Option<&str> {
    match v? {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("id").and_then(Value::as_str),
        _ => None,
    }
}

/// The DID (or URL) part of a verification method id.
pub(crate) fn vm_controller(vm: &str) -> &str {
    vm.split_once('#').map_or(vm, |(c, _)| c)
}

/// Normalises a did:key (drops a version segment) for comparison.
pub(crate) fn same_controller(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (DidKey::parse(a), DidKey::parse(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Binding of `controller` (issuer or holder) to the keys that signed.
fn binding_check(
    id: CheckId,
    controller: Option<&str>,
    result: &ProofSetResult,
    purpose: &str,
) -> Check {
    let Some(controller) = controller else {
        return Check::info(id, CheckStatus::NotApplicable, None, Info::NoHolder);
    };
    let vms: Vec<String> = result
        .proofs
        .iter()
        .filter(|p| matches!(p.outcome, ProofOutcome::Verified))
        .filter(|p| p.proof_purpose.as_deref() == Some(purpose))
        .filter_map(|p| p.verification_method.clone())
        .collect();
    if vms
        .iter()
        .any(|vm| same_controller(vm_controller(vm), controller))
    {
        return Check::info(
            id,
            CheckStatus::Pass,
            None,
            Info::SignerIsController {
                controller: controller.into(),
            },
        );
    }
    if controller.starts_with("did:key:") {
        return Check::info(
            id,
            CheckStatus::Fail,
            Some(ErrorCode::InvalidVerificationMethod),
            Info::ControllerKeyMismatch {
                controller: controller.into(),
                verification_methods: vms,
            },
        );
    }
    Check::info(
        id,
        CheckStatus::CouldntCheck,
        None,
        Info::ControllerNotResolvable {
            controller: controller.into(),
        },
    )
}

/// The credential's own validity period. A proof's `expires` is the
/// proof's validity period and belongs to the proof check (`di`).
fn validity_check(doc: &Value, model: Option<DataModel>, opts: &VerifyOptions) -> Check {
    let Some(now) = opts.now else {
        return Check::info(
            CheckId::Validity,
            CheckStatus::CouldntCheck,
            None,
            Info::NoCurrentTime,
        );
    };
    let (from_key, until_key) = match model {
        Some(DataModel::V1_1) => ("issuanceDate", "expirationDate"),
        _ => ("validFrom", "validUntil"),
    };
    let get = |k: &str| {
        doc.get(k).and_then(Value::as_str).and_then(|s| {
            Instant::parse_date_time_stamp(s)
                .ok()
                .map(|t| (s.to_owned(), t))
        })
    };
    let from = get(from_key);
    let until = get(until_key);
    let range = |info| {
        Check::info(
            CheckId::Validity,
            CheckStatus::Fail,
            Some(ErrorCode::RangeError),
            info,
        )
    };
    if let Some((s, t)) = &from {
        if now < *t {
            return range(Info::NotYetValid {
                valid_from: s.clone(),
                now: now.to_rfc3339_seconds(),
            });
        }
    }
    if let Some((s, t)) = &until {
        if now > *t {
            return range(Info::Expired {
                valid_until: s.clone(),
                now: now.to_rfc3339_seconds(),
            });
        }
    }
    Check::info(
        CheckId::Validity,
        CheckStatus::Pass,
        None,
        Info::WithinValidityPeriod {
            valid_from: from.map(|f| f.0),
            valid_until: until.map(|u| u.0),
        },
    )
}

fn profile_check(doc: &Value) -> Check {
    if !ob3::is_open_badge(doc) {
        return Check::info(
            CheckId::Profile,
            CheckStatus::NotApplicable,
            None,
            Info::NotAnOpenBadge,
        );
    }
    let violations = ob3::check_profile(doc);
    if violations.is_empty() {
        Check::info(
            CheckId::Profile,
            CheckStatus::Pass,
            None,
            Info::Ob3Conforming,
        )
    } else {
        Check::info(
            CheckId::Profile,
            CheckStatus::Fail,
            Some(ErrorCode::MalformedValueError),
            {
                let (violations, omitted) = limits::first_reported(violations);
                Info::NotOb3Conforming {
                    violations,
                    omitted,
                }
            },
        )
    }
}

/// `secured_by`: the holder DID of a verified presentation whose signer is
/// the holder, for a credential embedded without its own proof.
/// `cache`: the status lists already checked in this verification.
fn verify_credential_inner(
    doc: &Value,
    opts: &VerifyOptions,
    secured_by: Option<&str>,
    cache: &mut StatusCache,
) -> VerificationReport {
    if let Err(check) = structure(doc) {
        return parse_failure(&CREDENTIAL_CHECKS, check);
    }
    if vcdm::is_presentation(doc) {
        return parse_failure(
            &CREDENTIAL_CHECKS,
            Check::info(
                CheckId::Format,
                CheckStatus::Fail,
                Some(ErrorCode::MalformedValueError),
                Info::NotACredential,
            ),
        );
    }
    let conformance = vcdm::check_credential(doc, Role::Verifier);
    let model = conformance.model;
    let format = conformance_check(conformance);
    let purpose = opts
        .expected_proof_purpose
        .as_deref()
        .unwrap_or("assertionMethod");
    let expect = ProofExpectations {
        proof_purpose: purpose,
        challenge: None,
        domain: None,
        known_keys: &opts.known_keys,
        now: opts.now,
    };
    let self_asserted = secured_by.filter(|holder| {
        doc.get("proof").is_none()
            && controller_id(doc.get("issuer"))
                .is_some_and(|issuer| same_controller(issuer, holder))
    });
    let (proofs, proof) = match self_asserted {
        Some(holder) => (
            ProofSetResult { proofs: Vec::new() },
            Check::info(
                CheckId::Proof,
                CheckStatus::Pass,
                None,
                Info::SecuredByPresentation {
                    holder: holder.into(),
                },
            ),
        ),
        None => {
            let r = di::verify_proofs(doc, &expect);
            let c = proof_check(&r);
            (r, c)
        }
    };
    let verified = format.status == CheckStatus::Pass && proof.status == CheckStatus::Pass;
    let mut checks = vec![format, proof];
    if !verified {
        for id in CREDENTIAL_CHECKS.iter().skip(2) {
            checks.push(Check::new(*id, CheckStatus::NotRun));
        }
        return VerificationReport {
            verified,
            valid: false,
            checks,
        };
    }
    let issuer = controller_id(doc.get("issuer"));
    let issuer_key = if self_asserted.is_some() {
        Check::info(
            CheckId::IssuerKey,
            CheckStatus::Pass,
            None,
            Info::SignerIsController {
                controller: issuer.unwrap_or_default().into(),
            },
        )
    } else {
        binding_check(CheckId::IssuerKey, issuer, &proofs, purpose)
    };
    checks.push(issuer_key);
    checks.push(status_list::status_check(doc, opts, cache));
    checks.push(validity_check(doc, model, opts));
    checks.push(profile_check(doc));
    checks.push(anchor::anchor_check(doc, opts));
    let valid = checks.iter().skip(2).all(|c| acceptable(c.status));
    VerificationReport {
        verified,
        valid,
        checks,
    }
}

/// Parses and verifies a presentation given as JSON text: its own proof
/// (`authentication`, `challenge`, `domain`) and every credential inside.
pub fn verify_presentation(input: &str, opts: &VerifyOptions) -> PresentationReport {
    match json::parse_strict_with(input, &opts.limits) {
        Ok(doc) => verify_presentation_value(&doc, opts),
        Err(e) => presentation_failure(Check {
            id: CheckId::Format,
            status: CheckStatus::Fail,
            code: Some(ErrorCode::ParsingError),
            detail: Some(Detail::Json(e)),
        }),
    }
}

/// Parses and verifies a presentation given as bytes.
pub fn verify_presentation_bytes(input: &[u8], opts: &VerifyOptions) -> PresentationReport {
    match json::parse_strict_bytes(input, &opts.limits) {
        Ok(doc) => verify_presentation_value(&doc, opts),
        Err(e) => presentation_failure(Check {
            id: CheckId::Format,
            status: CheckStatus::Fail,
            code: Some(ErrorCode::ParsingError),
            detail: Some(Detail::Json(e)),
        }),
    }
}

fn presentation_failure(first: Check) -> PresentationReport {
    let r = parse_failure(&PRESENTATION_CHECKS, first);
    PresentationReport {
        verified: false,
        valid: false,
        checks: r.checks,
        credentials: Vec::new(),
    }
}

/// Verifies an already parsed presentation.
pub fn verify_presentation_value(doc: &Value, opts: &VerifyOptions) -> PresentationReport {
    if let Err(check) = structure(doc) {
        return presentation_failure(check);
    }
    if !vcdm::is_presentation(doc) {
        return presentation_failure(Check::info(
            CheckId::Format,
            CheckStatus::Fail,
            Some(ErrorCode::MalformedValueError),
            Info::NotAPresentation,
        ));
    }
    let format = conformance_check(vcdm::check_presentation(doc, Role::Verifier));
    let purpose = opts
        .expected_proof_purpose
        .as_deref()
        .unwrap_or("authentication");
    let expect = ProofExpectations {
        proof_purpose: purpose,
        challenge: opts.challenge.as_deref(),
        domain: opts.domain.as_deref(),
        known_keys: &opts.known_keys,
        now: opts.now,
    };
    let proofs = di::verify_proofs(doc, &expect);
    let proof = proof_check(&proofs);
    let vp_verified = format.status == CheckStatus::Pass && proof.status == CheckStatus::Pass;
    let holder = controller_id(doc.get("holder"));
    let holder_key = if vp_verified {
        binding_check(CheckId::HolderKey, holder, &proofs, purpose)
    } else {
        Check::new(CheckId::HolderKey, CheckStatus::NotRun)
    };
    // Inner credentials: default purpose, no challenge/domain.
    let inner_opts = VerifyOptions {
        expected_proof_purpose: None,
        challenge: None,
        domain: None,
        ..opts.clone()
    };
    let secured_by = holder.filter(|_| vp_verified && holder_key.status == CheckStatus::Pass);
    // One cache for every credential: a list they share is checked once.
    let mut cache = StatusCache::new(opts);
    // For credentials the receipt is not for (made once, not per credential:
    // the options carry the status lists and the ledger).
    let without_receipt = inner_opts.anchor.receipt.as_ref().map(|_| {
        let mut own = inner_opts.clone();
        own.anchor.receipt = None;
        own
    });
    let credentials: Vec<VerificationReport> = match doc.get("verifiableCredential") {
        None => Vec::new(),
        Some(v) => {
            let items: Vec<&Value> = match v {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            items
                .into_iter()
                .map(|vc| {
                    if vcdm::has_type(vc, "EnvelopedVerifiableCredential") {
                        enveloped_report()
                    } else if let Some(own) = without_receipt.as_ref().filter(|_| {
                        inner_opts
                            .anchor
                            .receipt
                            .as_ref()
                            .is_some_and(|r| !anchor::receipt_is_for(r, vc))
                    }) {
                        // The receipt is another credential's.
                        verify_credential_inner(vc, own, secured_by, &mut cache)
                    } else {
                        verify_credential_inner(vc, &inner_opts, secured_by, &mut cache)
                    }
                })
                .collect()
        }
    };
    let verified = vp_verified && credentials.iter().all(|c| c.verified);
    let valid = verified && acceptable(holder_key.status) && credentials.iter().all(|c| c.valid);
    PresentationReport {
        verified,
        valid,
        checks: vec![format, proof, holder_key],
        credentials,
    }
}

fn enveloped_report() -> VerificationReport {
    let mut checks = vec![
        Check::new(CheckId::Format, CheckStatus::NotRun),
        Check::info(
            CheckId::Proof,
            CheckStatus::CouldntCheck,
            None,
            Info::EnvelopedCredentialUnsupported,
        ),
    ];
    for id in CREDENTIAL_CHECKS.iter().skip(2) {
        checks.push(Check::new(*id, CheckStatus::NotRun));
    }
    VerificationReport {
        verified: false,
        valid: false,
        checks,
    }
}
