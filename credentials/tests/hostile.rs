//! The adversarial corpus: inputs built to make verification clone, hash,
//! inflate or report without bound (each generated here, none committed).
//! Every one gets a verdict or a typed error; natively, each is also held
//! to a time bound and a peak-memory bound (Linux: the process's peak RSS,
//! reset through `/proc/self/clear_refs`), and the figures are printed
//! (`cargo test -p credentials --test hostile -- --nocapture`).
//!
//! The bounds are generous (a debug build on a loaded 2-core machine): they
//! are there to catch a blow-up (the code before the budgets took 2 GB and
//! minutes on some of these), not to time the fast path.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use credentials::di::{self, ProofExpectations, ProofOptions, ProofOutcome, ProofProblem};
use credentials::json::{parse_strict, JsonError};
use credentials::limits::{Budget, MAX_PRESENTATION_CREDENTIALS, MAX_PROOFS, MAX_STATUS_ENTRIES};
use credentials::ob3::{BilingualText, CredentialDraft, IssuerProfile, LanguageMode, Recipient};
use credentials::report::{Detail, Info};
use credentials::share;
use credentials::status_list::{entry, list_credential, StatusList, StatusPurpose};
use credentials::{
    sign, templates, verify_credential, verify_credential_value, verify_presentation, CheckId,
    CheckStatus, DidKey, ErrorCode, Instant, IssueError, SecretKey, VerificationReport,
    VerifyOptions,
};
use serde_json::{json, Value};

const LIST_URL: &str = "https://school.example.edu.hk/status/revocation/big";

fn teacher() -> SecretKey {
    SecretKey::from_bytes(&[41u8; 32])
}

fn did() -> String {
    DidKey::from_public_key(teacher().public_key())
        .as_str()
        .to_owned()
}

fn options() -> ProofOptions {
    ProofOptions::assertion(
        DidKey::from_public_key(teacher().public_key()).verification_method_id(),
    )
    .with_created("2025-01-10T09:00:00Z")
}

fn now() -> Instant {
    Instant::parse_date_time_stamp("2025-03-01T00:00:00Z").unwrap()
}

fn badge(n: usize, status: Option<Value>) -> Value {
    CredentialDraft {
        id: format!("urn:uuid:3f1c4d52-8f0b-4c55-9d0e-{n:012x}"),
        issuer: IssuerProfile {
            id: did(),
            name: BilingualText::new("Demo Secondary School", "示範中學"),
            url: None,
            email: None,
            image: None,
        },
        achievement: templates::IT_INNOVATION_LAB.achievement(),
        recipient: Recipient {
            did: Some(did()),
            identifiers: vec![],
        },
        valid_from: "2025-01-01T00:00:00Z".into(),
        valid_until: None,
        awarded_date: None,
        language: LanguageMode::English,
        credential_status: status,
    }
    .to_unsigned()
    .unwrap()
}

fn signed(doc: &Value) -> Value {
    sign(doc, &teacher(), &options()).unwrap_or_else(|e| panic!("{e:?}"))
}

/// Runs `f`, checks it within `seconds` and `mib` of extra peak memory
/// (natively), prints the figures, and returns its result.
fn bounded<T>(name: &str, seconds: f64, mib: usize, f: impl FnOnce() -> T) -> T {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _serial = measure::lock();
        let before = measure::reset_peak();
        let started = std::time::Instant::now();
        let out = f();
        let took = started.elapsed().as_secs_f64();
        let peak = measure::peak().saturating_sub(before);
        eprintln!(
            "hostile {name}: {took:.3} s, peak +{:.1} MiB",
            peak as f64 / 1048576.0
        );
        assert!(took < seconds, "{name}: {took:.1} s, bound {seconds} s");
        assert!(
            peak < mib * 1024 * 1024,
            "{name}: peak +{peak} bytes, bound {mib} MiB"
        );
        out
    }
    #[cfg(target_arch = "wasm32")]
    {
        let _ = (name, seconds, mib);
        f()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod measure {
    //! Peak resident memory of this process (Linux), resettable; 0 where
    //! `/proc` is not there, which makes the memory bound vacuous there.
    use std::sync::{Mutex, MutexGuard};

    static SERIAL: Mutex<()> = Mutex::new(());

    /// One measurement at a time: the peak is the whole process's.
    pub fn lock() -> MutexGuard<'static, ()> {
        SERIAL.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn status_kib(key: &str) -> usize {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with(key))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|n| n.parse().ok())
            })
            .unwrap_or(0)
    }

    /// Resets the peak to the current RSS and returns the current RSS.
    pub fn reset_peak() -> usize {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        status_kib("VmRSS:") * 1024
    }

    /// The peak RSS since the last reset.
    pub fn peak() -> usize {
        status_kib("VmHWM:") * 1024
    }
}

fn over_budget(report: &VerificationReport) -> Option<(Budget, usize)> {
    match &report.check(CheckId::Format)?.detail {
        Some(Detail::Info(Info::OverBudget { budget, found, .. })) => Some((*budget, *found)),
        _ => None,
    }
}

fn refused_before_any_work(report: &VerificationReport, budget: Budget, found: usize) {
    assert!(!report.verified && !report.valid);
    assert_eq!(over_budget(report), Some((budget, found)), "{report:#?}");
    assert_eq!(
        report.check(CheckId::Format).unwrap().code,
        Some(budget.code())
    );
    assert!(report
        .checks
        .iter()
        .skip(1)
        .all(|c| c.status == CheckStatus::NotRun));
}

#[test]
fn a_previous_proof_list_naming_one_proof_100_000_times() {
    let mut doc = signed(&badge(1, None));
    doc["proof"]["id"] = json!("urn:p:1");
    let mut second = doc["proof"].clone();
    second["id"] = json!("urn:p:2");
    second["previousProof"] = Value::Array(vec![json!("urn:p:1"); 100_000]);
    let first = doc["proof"].clone();
    doc["proof"] = json!([first, second]);
    let text = doc.to_string();
    // It travels in a link of a couple of kilobytes.
    let payload = share::encode_payload(&text);
    assert!(payload.len() < 4_000, "{}", payload.len());
    let report = bounded("previousProof x100000 (link)", 5.0, 64, || {
        let text = share::decode_payload(&payload).unwrap();
        verify_credential(&text, &VerifyOptions::at(now()))
    });
    refused_before_any_work(&report, Budget::PreviousProofs, 100_000);

    // A caller that checks proofs directly (status lists) is bounded too.
    let expect = ProofExpectations {
        proof_purpose: "assertionMethod",
        challenge: None,
        domain: None,
        known_keys: &[],
        now: None,
    };
    let proofs = bounded("previousProof x100000 (proofs)", 5.0, 16, || {
        di::verify_proofs(&doc, &expect)
    });
    assert!(!proofs.verified());
    assert!(matches!(
        proofs.proofs[1].outcome,
        ProofOutcome::Failed {
            code: ErrorCode::ProofVerificationError,
            problem: ProofProblem::OverBudget {
                budget: Budget::PreviousProofs,
                found: 100_000,
                ..
            }
        }
    ));

    // Within the count, a repeated id is refused (previousProof is a set).
    doc["proof"][1]["previousProof"] = Value::Array(vec![json!("urn:p:1"); MAX_PROOFS]);
    let proofs = di::verify_proofs(&doc, &expect);
    assert!(matches!(
        &proofs.proofs[1].outcome,
        ProofOutcome::Failed {
            problem: ProofProblem::DuplicatePreviousProof { id },
            ..
        } if id == "urn:p:1"
    ));
    // And the signer refuses to name more than a verifier checks.
    let mut many = options();
    many.previous_proof = (0..=MAX_PROOFS).map(|i| format!("urn:p:{i}")).collect();
    assert!(matches!(
        sign(&doc, &teacher(), &many),
        Err(IssueError::Proof {
            error: di::ProofGenerationError::TooManyPreviousProofs { found: 33, .. }
        })
    ));
}

#[test]
fn a_thousand_proofs_on_one_document() {
    let mut doc = signed(&badge(2, None));
    let proof = doc["proof"].clone();
    doc["proof"] = Value::Array(vec![proof; 1_000]);
    let report = bounded("1000 proofs", 5.0, 32, || {
        verify_credential_value(&doc, &VerifyOptions::at(now()))
    });
    refused_before_any_work(&report, Budget::Proofs, 1_000);
    // At the limit, a proof set of copies of one valid proof verifies, each
    // proof checked once.
    doc["proof"] = Value::Array(vec![doc["proof"][0].clone(); MAX_PROOFS]);
    let report = bounded("32 proofs", 5.0, 32, || {
        verify_credential_value(&doc, &VerifyOptions::at(now()))
    });
    assert!(report.verified, "{report:#?}");
}

#[test]
fn a_presentation_of_200_000_empty_credentials() {
    let vp = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": vec![json!({}); 200_000],
    });
    let text = vp.to_string();
    let payload = share::encode_payload(&text);
    assert!(payload.len() < 2_000, "{}", payload.len());
    let report = bounded("presentation of 200000 {}", 5.0, 96, || {
        let text = share::decode_payload(&payload).unwrap();
        verify_presentation(&text, &VerifyOptions::at(now()))
    });
    assert!(!report.verified && !report.valid);
    assert!(report.credentials.is_empty());
    let format = report.check(CheckId::Format).unwrap();
    assert!(matches!(
        format.detail,
        Some(Detail::Info(Info::OverBudget {
            budget: Budget::Credentials,
            found: 200_000,
            limit: MAX_PRESENTATION_CREDENTIALS,
        }))
    ));
    // The answer is as small as the question is not.
    assert!(report.to_json().to_string().len() < 1_000);
}

#[test]
fn status_entries_beyond_the_budget_are_refused_before_any_list_is_read() {
    let entries: Vec<Value> = (0..4_000)
        .map(|i| entry(LIST_URL, StatusPurpose::Revocation, 131_072 + i))
        .collect();
    let mut doc = signed(&badge(3, None));
    doc["credentialStatus"] = Value::Array(entries);
    let report = bounded("4000 status entries", 5.0, 32, || {
        verify_credential_value(&doc, &VerifyOptions::at(now()))
    });
    refused_before_any_work(&report, Budget::StatusEntries, 4_000);

    // 3,000 different list URLs: refused as well, so no page fetches them.
    let urls: Vec<Value> = (0..3_000)
        .map(|i| {
            entry(
                &format!("https://school.example.edu.hk/status/{i}"),
                StatusPurpose::Revocation,
                7,
            )
        })
        .collect();
    doc["credentialStatus"] = Value::Array(urls);
    let report = verify_credential_value(&doc, &VerifyOptions::at(now()));
    refused_before_any_work(&report, Budget::StatusEntries, 3_000);
    // Five lists in five entries: within the entry budget, over the list one.
    let five: Vec<Value> = (0..5)
        .map(|i| {
            entry(
                &format!("https://school.example.edu.hk/status/{i}"),
                StatusPurpose::Revocation,
                7,
            )
        })
        .collect();
    doc["credentialStatus"] = Value::Array(five);
    let report = verify_credential_value(&doc, &VerifyOptions::at(now()));
    refused_before_any_work(&report, Budget::StatusLists, 5);
}

#[test]
fn one_big_list_shared_by_every_entry_of_every_credential_is_read_once() {
    // A 2 MiB list (16.7 million entries); index i * 1_000 is revoked for
    // odd i.
    let mut list = StatusList::new(StatusPurpose::Revocation, 16 * 1024 * 1024).unwrap();
    let credentials: Vec<Value> = (0..MAX_PRESENTATION_CREDENTIALS)
        .map(|c| {
            let entries: Vec<Value> = (0..MAX_STATUS_ENTRIES)
                .map(|e| {
                    let index = ((c * MAX_STATUS_ENTRIES + e) * 1_000) as u64;
                    if c == 1 {
                        list.set(index).unwrap();
                    }
                    entry(LIST_URL, StatusPurpose::Revocation, index)
                })
                .collect();
            // A plain VC: the Open Badges profile allows one entry only.
            signed(&json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "type": ["VerifiableCredential"],
                "id": format!("urn:uuid:3f1c4d52-8f0b-4c55-9d0e-{c:012x}"),
                "issuer": did(),
                "validFrom": "2025-01-01T00:00:00Z",
                "credentialSubject": {"id": did()},
                "credentialStatus": entries,
            }))
        })
        .collect();
    let unsigned = list_credential(
        LIST_URL,
        &did(),
        StatusPurpose::Revocation,
        &list,
        "2025-01-01T00:00:00Z",
        None,
    )
    .unwrap();
    let opts = VerifyOptions {
        status: credentials::StatusInput {
            status_list_credentials: vec![signed(&unsigned)],
        },
        ..VerifyOptions::at(now())
    };
    let vp = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": credentials,
    });
    let text = vp.to_string();
    assert!(text.len() < 1024 * 1024, "{}", text.len());
    // 1,024 entries on one list: the list's proof is checked and its 2 MiB
    // inflated once, not 1,024 times.
    let report = bounded(
        "64 credentials x 16 entries on one 2 MiB list",
        5.0,
        96,
        || verify_presentation(&text, &opts),
    );
    assert_eq!(report.credentials.len(), MAX_PRESENTATION_CREDENTIALS);
    for (i, c) in report.credentials.iter().enumerate() {
        let expected = if i == 1 {
            CheckStatus::Fail
        } else {
            CheckStatus::Pass
        };
        assert_eq!(c.status(CheckId::Status), Some(expected), "credential {i}");
        assert!(c.verified);
    }
}

#[test]
fn integers_beyond_2_53_are_refused_so_an_edit_cannot_hide_in_rounding() {
    // Signed before I-JSON numbers were enforced (di::add_proof skips the
    // issuer's checks): the proof covers the double 9007199254740992.
    let mut doc = badge(4, None);
    doc["credentialSubject"]["score"] = json!(9_007_199_254_740_993_u64);
    let signed = di::add_proof(&doc, &teacher(), &options()).unwrap();
    let text = signed.to_string();
    assert!(text.contains("9007199254740993"));
    let edited = text.replace("9007199254740993", "9007199254740992");
    for t in [&text, &edited] {
        let report = verify_credential(t, &VerifyOptions::at(now()));
        assert!(!report.verified, "{report:#?}");
        let format = report.check(CheckId::Format).unwrap();
        assert_eq!(format.code, Some(ErrorCode::ParsingError));
        assert!(matches!(
            format.detail,
            Some(Detail::Json(JsonError::UnsafeInteger { .. }))
        ));
    }
    // The issuer refuses to sign one, and says where.
    assert_eq!(
        sign(&doc, &teacher(), &options()),
        Err(IssueError::UnsafeInteger {
            path: "/credentialSubject/score".into()
        })
    );
    // The largest safe integer is fine everywhere.
    doc["credentialSubject"]["score"] = json!(9_007_199_254_740_991_u64);
    let ok = sign(&doc, &teacher(), &options()).unwrap();
    let report = verify_credential(&ok.to_string(), &VerifyOptions::at(now()));
    assert!(report.verified, "{report:#?}");
    assert!(parse_strict(&ok.to_string()).is_ok());
}

#[test]
fn thirty_thousand_related_resources() {
    let resources: Vec<Value> = (0..30_000)
        .map(|i| json!({"id": format!("https://r.example/{i}"), "digestSRI": "sha384-x"}))
        .collect();
    let mut doc = signed(&badge(5, None));
    doc["relatedResource"] = Value::Array(resources.clone());
    let report = bounded("30000 related resources", 5.0, 32, || {
        verify_credential_value(&doc, &VerifyOptions::at(now()))
    });
    refused_before_any_work(&report, Budget::RelatedResources, 30_000);
    let mut unsigned = badge(5, None);
    unsigned["relatedResource"] = Value::Array(resources);
    assert!(matches!(
        sign(&unsigned, &teacher(), &options()),
        Err(IssueError::OverBudget { .. })
    ));
}

#[test]
fn a_rule_broken_in_20_000_items_gives_a_short_report() {
    let mut doc = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": did(),
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": did()},
    });
    // Evidence items without a type: one violation each.
    doc["evidence"] = Value::Array(
        (0..20_000)
            .map(|i| json!({"id": format!("urn:e:{i}")}))
            .collect(),
    );
    let report = bounded("20000 violations", 5.0, 64, || {
        verify_credential(&doc.to_string(), &VerifyOptions::at(now()))
    });
    let Some(Detail::Info(Info::NotConforming {
        violations,
        omitted,
        ..
    })) = &report.check(CheckId::Format).unwrap().detail
    else {
        panic!("{:?}", report.check(CheckId::Format).map(|c| c.reason()));
    };
    assert_eq!(
        violations.len(),
        credentials::limits::MAX_REPORTED_VIOLATIONS
    );
    assert_eq!(violations.len() + omitted, 20_000);
    assert!(report.to_json().to_string().len() < 10_000);
}
