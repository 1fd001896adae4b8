//! The answer a verification leads with: one kind per plain sentence
//! ("Authentic", "REVOKED by the issuer", "Tampered", "Expired on …",
//! "Could not check revocation"), chosen from the report's check ids,
//! statuses and reasons, and the facts the sentence may name.
//!
//! The checks come in the order each depends on the one before (`format →
//! proof → issuer_key → status → validity → profile → anchor`), so the first
//! that failed is the cause and the headline names it; a presentation's own
//! checks come before those of the credentials inside it. Facts (who it was
//! issued to, by whom, when) are named only when the signature verified:
//! otherwise they are whatever the sender typed.

use crate::state::verify::Verdict;
use serde_json::Value;

/// The headline of a verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Every check passed or does not apply.
    Authentic,
    /// The issuer has revoked it.
    Revoked,
    /// The issuer has suspended it.
    Suspended,
    /// The signature does not match: changed after signing, or forged.
    Tampered,
    /// There is no signature at all.
    Unsigned,
    /// A presentation that does not answer the verifier's challenge or
    /// domain: made for someone else, or a copy of an older one.
    NotForThisCheck,
    /// The signature is genuine but not by the issuer (or holder) it names.
    WrongSigner,
    /// Past its `validUntil` (the value, as written).
    Expired {
        /// The credential's `validUntil`.
        on: String,
    },
    /// Before its `validFrom` (the value, as written).
    NotYetValid {
        /// The credential's `validFrom`.
        from: String,
    },
    /// Not a readable, well-formed credential.
    Unreadable,
    /// Another check failed (its id).
    Invalid {
        /// The id of the first check that failed.
        check: String,
    },
    /// The signature could not be checked (a vocabulary or method
    /// ChainClass does not know).
    SignatureUnchecked,
    /// Authentic, but whether it was revoked could not be checked.
    StatusUnchecked {
        /// Why.
        why: StatusGap,
    },
    /// Authentic, but another check could not be completed (its id).
    Unconfirmed {
        /// The id of the first check that could not be completed.
        check: String,
    },
}

/// Why revocation could not be checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusGap {
    /// The issuer's status list was not loaded (not published, not
    /// reachable, or not fetched yet).
    NotLoaded,
    /// The list is past its own validity period: a newer one is needed.
    ListOutOfDate,
    /// The list was loaded but cannot be used (not signed by the issuer,
    /// malformed, …).
    ListUnusable,
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn reason(check: &Value) -> &str {
    check.get("detail").map(|d| text(d, "reason")).unwrap_or("")
}

/// Every check of a report, the presentation's first, then each
/// credential's in order.
fn checks(report: &Value) -> Vec<&Value> {
    let own = report
        .get("checks")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    let inner = report
        .get("credentials")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|r| {
            r.get("checks")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        });
    own.chain(inner).collect()
}

impl Answer {
    /// The answer for a report (credential or presentation).
    pub fn of(report: &Value) -> Answer {
        let all = checks(report);
        if let Some(failed) = all
            .iter()
            .find(|c| matches!(text(c, "status"), "fail" | "not_run"))
        {
            return Answer::of_failure(failed);
        }
        if let Some(open) = all.iter().find(|c| text(c, "status") == "couldnt_check") {
            return match text(open, "id") {
                "proof" => Answer::SignatureUnchecked,
                "status" => Answer::StatusUnchecked {
                    why: match reason(open) {
                        "status_list_not_provided" => StatusGap::NotLoaded,
                        "status_list_expired" | "status_list_not_yet_valid" => {
                            StatusGap::ListOutOfDate
                        }
                        _ => StatusGap::ListUnusable,
                    },
                },
                id => Answer::Unconfirmed {
                    check: id.to_owned(),
                },
            };
        }
        if report.get("verified").and_then(Value::as_bool) == Some(true) && !all.is_empty() {
            Answer::Authentic
        } else {
            Answer::Invalid {
                check: String::new(),
            }
        }
    }

    fn of_failure(check: &Value) -> Answer {
        let r = reason(check);
        let detail = check.get("detail").cloned().unwrap_or(Value::Null);
        match (text(check, "id"), text(check, "status")) {
            // A check is "not run" only after an earlier one failed; a
            // report with nothing before it is not a readable answer.
            (_, "not_run") => Answer::Unreadable,
            ("format", _) => Answer::Unreadable,
            ("proof", _) => match r {
                "signature_mismatch" | "previous_proof_not_verified" => Answer::Tampered,
                "missing_proof" => Answer::Unsigned,
                "challenge_mismatch" | "domain_mismatch" | "wrong_proof_purpose" => {
                    Answer::NotForThisCheck
                }
                _ if text(check, "code") == "CRYPTOGRAPHIC_SECURITY_ERROR" => Answer::Tampered,
                _ => Answer::Invalid {
                    check: "proof".into(),
                },
            },
            ("issuer_key" | "holder_key", _) => Answer::WrongSigner,
            ("status", _) if r == "revoked" => Answer::Revoked,
            ("status", _) if r == "suspended" => Answer::Suspended,
            ("validity", _) if r == "expired" => Answer::Expired {
                on: text(&detail, "valid_until").to_owned(),
            },
            ("validity", _) if r == "not_yet_valid" => Answer::NotYetValid {
                from: text(&detail, "valid_from").to_owned(),
            },
            (id, _) => Answer::Invalid {
                check: id.to_owned(),
            },
        }
    }

    /// The verdict the headline is coloured with.
    pub fn verdict(&self) -> Verdict {
        match self {
            Answer::Authentic => Verdict::Valid,
            Answer::SignatureUnchecked
            | Answer::StatusUnchecked { .. }
            | Answer::Unconfirmed { .. } => Verdict::Warning,
            _ => Verdict::Invalid,
        }
    }

    /// Whether the signature was verified (by the issuer it names), so
    /// what the document says is what the issuer signed and the headline
    /// may name the student, the issuer and the date.
    pub fn vouched(&self) -> bool {
        match self {
            Answer::Authentic
            | Answer::Revoked
            | Answer::Suspended
            | Answer::Expired { .. }
            | Answer::NotYetValid { .. }
            | Answer::StatusUnchecked { .. } => true,
            // A genuine signature by a key nobody could tie to the issuer
            // named: who issued it is not known.
            Answer::Unconfirmed { check } => !matches!(check.as_str(), "issuer_key" | "holder_key"),
            _ => false,
        }
    }

    /// The stable `data-answer` value.
    pub fn id(&self) -> &'static str {
        match self {
            Answer::Authentic => "authentic",
            Answer::Revoked => "revoked",
            Answer::Suspended => "suspended",
            Answer::Tampered => "tampered",
            Answer::Unsigned => "unsigned",
            Answer::NotForThisCheck => "not_for_this_check",
            Answer::WrongSigner => "wrong_signer",
            Answer::Expired { .. } => "expired",
            Answer::NotYetValid { .. } => "not_yet_valid",
            Answer::Unreadable => "unreadable",
            Answer::Invalid { .. } => "invalid",
            Answer::SignatureUnchecked => "signature_unchecked",
            Answer::StatusUnchecked { .. } => "status_unchecked",
            Answer::Unconfirmed { .. } => "unconfirmed",
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::state::verify::{run_with, verdict_of};
    use credentials::verify::VerifyOptions;
    use credentials::Instant;
    use credentials::ProofOptions;
    use credentials::SecretKey;
    use serde_json::json;

    /// A credential signed (eddsa-jcs-2022) by the did:key of seed 7.
    fn signed(extra: Value) -> Value {
        let key = SecretKey::from_bytes(&[7u8; 32]);
        let did = credentials::DidKey::from_public_key(key.public_key());
        let mut doc = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": "urn:uuid:7f1c3a52-0f4e-4f7e-9c55-6a0d2f3b9e10",
            "type": ["VerifiableCredential"],
            "issuer": {"id": did.as_str(), "name": "Harbour View Secondary School"},
            "validFrom": "2026-12-05T00:00:00Z",
            "credentialSubject": {"id": "did:example:student", "name": "CHAN Tai Man 陳大文"}
        });
        if let (Some(o), Value::Object(more)) = (doc.as_object_mut(), extra) {
            o.extend(more);
        }
        let options = ProofOptions {
            created: Some("2026-12-05T00:00:00Z".into()),
            ..ProofOptions::assertion(did.verification_method_id())
        };
        credentials::issue::sign(&doc, &key, &options).expect("the test credential signs")
    }

    fn answer(doc: &Value, now: &str) -> Answer {
        let opts = VerifyOptions {
            now: Some(Instant::parse_date_time_stamp(now).unwrap()),
            ..Default::default()
        };
        let outcome = run_with(&doc.to_string(), &opts);
        let a = Answer::of(&outcome.report);
        // The headline's colour is the verdict the report had before.
        assert_eq!(a.verdict(), verdict_of(&outcome.report), "{a:?}");
        a
    }

    #[test]
    fn a_real_report_gives_the_headline_of_its_first_failure() {
        let now = "2026-12-06T10:00:00Z";
        let good = signed(json!({}));
        assert_eq!(answer(&good, now), Answer::Authentic);
        assert!(Answer::Authentic.vouched());

        let mut forged = good.clone();
        forged["credentialSubject"]["name"] = json!("Someone Else");
        assert_eq!(answer(&forged, now), Answer::Tampered);
        assert!(!Answer::Tampered.vouched());

        let mut unsigned = good.clone();
        unsigned.as_object_mut().unwrap().remove("proof");
        assert_eq!(answer(&unsigned, now), Answer::Unsigned);

        let expiring = signed(json!({"validUntil": "2026-12-31T23:59:59Z"}));
        assert_eq!(answer(&expiring, now), Answer::Authentic);
        assert_eq!(
            answer(&expiring, "2027-01-02T00:00:00Z"),
            Answer::Expired {
                on: "2026-12-31T23:59:59Z".into()
            }
        );
        assert_eq!(
            answer(&good, "2026-12-01T00:00:00Z"),
            Answer::NotYetValid {
                from: "2026-12-05T00:00:00Z".into()
            }
        );

        let revocable = signed(json!({"credentialStatus": {
            "id": "https://school.example/status/revocation-1#7",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "7",
            "statusListCredential": "https://school.example/status/revocation-1"
        }}));
        assert_eq!(
            answer(&revocable, now),
            Answer::StatusUnchecked {
                why: StatusGap::NotLoaded
            }
        );
        assert!(answer(&revocable, now).vouched());

        assert_eq!(answer(&json!({"hello": 1}), now), Answer::Unreadable);
        let not_json = run_with("{not json", &VerifyOptions::default());
        assert_eq!(Answer::of(&not_json.report), Answer::Unreadable);
    }

    #[test]
    fn status_and_presentation_reasons_have_their_own_headlines() {
        let check = |id: &str, status: &str, reason: &str| json!({"id": id, "status": status, "code": null, "detail": {"reason": reason}});
        let report = |checks: Vec<Value>| json!({"verified": true, "checks": checks});
        let pass = |id: &str| check(id, "pass", "ok");
        let with_status = |status: Value| {
            report(vec![
                pass("format"),
                pass("proof"),
                pass("issuer_key"),
                status,
            ])
        };
        assert_eq!(
            Answer::of(&with_status(check("status", "fail", "revoked"))),
            Answer::Revoked
        );
        assert_eq!(
            Answer::of(&with_status(check("status", "fail", "suspended"))),
            Answer::Suspended
        );
        assert_eq!(
            Answer::of(&with_status(check(
                "status",
                "couldnt_check",
                "status_list_expired"
            ))),
            Answer::StatusUnchecked {
                why: StatusGap::ListOutOfDate
            }
        );
        assert_eq!(
            Answer::of(&with_status(check(
                "status",
                "couldnt_check",
                "status_list_issuer_mismatch"
            ))),
            Answer::StatusUnchecked {
                why: StatusGap::ListUnusable
            }
        );
        // The presentation's own failure comes before its credentials'.
        let vp = json!({
            "verified": false,
            "checks": [pass("format"), check("proof", "fail", "challenge_mismatch")],
            "credentials": [{"checks": [pass("format"), check("proof", "fail", "signature_mismatch")]}]
        });
        assert_eq!(Answer::of(&vp), Answer::NotForThisCheck);
        let vp_inner = json!({
            "verified": false,
            "checks": [pass("format"), pass("proof"), pass("holder_key")],
            "credentials": [{"checks": [pass("format"), check("proof", "fail", "signature_mismatch")]}]
        });
        assert_eq!(Answer::of(&vp_inner), Answer::Tampered);
        assert_eq!(
            Answer::of(&with_status(check(
                "status",
                "fail",
                "status_index_out_of_range"
            ))),
            Answer::Invalid {
                check: "status".into()
            }
        );
        // A signature whose key could not be tied to the issuer vouches for
        // nothing the document says; one whose ledger anchor could not be
        // checked still vouches for what the issuer signed.
        let unbound = report(vec![
            pass("format"),
            pass("proof"),
            check("issuer_key", "couldnt_check", "controller_not_resolvable"),
        ]);
        assert_eq!(
            Answer::of(&unbound),
            Answer::Unconfirmed {
                check: "issuer_key".into()
            }
        );
        assert!(!Answer::of(&unbound).vouched());
        let unanchored = report(vec![
            pass("format"),
            pass("proof"),
            pass("issuer_key"),
            check("anchor", "couldnt_check", "no_ledger"),
        ]);
        assert!(Answer::of(&unanchored).vouched());
        // An empty report is never "authentic".
        assert_eq!(
            Answer::of(&json!({"verified": true, "checks": []})),
            Answer::Invalid {
                check: String::new()
            }
        );
    }
}
