//! Verifiable Presentations: a student's did:key presents a teacher-issued
//! Open Badge with `authentication`, `challenge` and `domain`; the verifier
//! checks them, the holder binding, and every credential inside.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use credentials::di::{self, ProofOptions};
use credentials::json::parse_strict;
use credentials::ob3::{BilingualText, CredentialDraft, IssuerProfile, LanguageMode, Recipient};
use credentials::presentation::{sign_presentation, unsigned_presentation};
use credentials::{
    sign, templates, verify_credential_value, verify_presentation, verify_presentation_value,
    CheckId, CheckStatus, DidKey, ErrorCode, Instant, PresentationReport, SecretKey, VerifyOptions,
};
use serde_json::{json, Value};

const CHALLENGE: &str = "8b1f0c7e-challenge";
const DOMAIN: &str = "verify.chainclass.example";

fn teacher() -> SecretKey {
    SecretKey::from_bytes(&[11u8; 32])
}

fn student() -> SecretKey {
    SecretKey::from_bytes(&[22u8; 32])
}

fn did(k: &SecretKey) -> DidKey {
    DidKey::from_public_key(k.public_key())
}

fn certificate() -> Value {
    let draft = CredentialDraft {
        id: "urn:uuid:7a1c9d4e-1111-4222-8333-944455556666".into(),
        issuer: IssuerProfile {
            id: did(&teacher()).as_str().into(),
            name: BilingualText::new("Demo School", "示範學校"),
            url: None,
            email: None,
            image: None,
        },
        achievement: templates::IT_INNOVATION_LAB.achievement(),
        recipient: Recipient {
            did: Some(did(&student()).as_str().into()),
            identifiers: vec![],
        },
        valid_from: "2024-09-01T00:00:00Z".into(),
        valid_until: None,
        awarded_date: None,
        language: LanguageMode::Bilingual,
        credential_status: None,
    };
    sign(
        &draft.to_unsigned().unwrap(),
        &teacher(),
        &ProofOptions::assertion(did(&teacher()).verification_method_id()),
    )
    .unwrap()
}

fn options() -> VerifyOptions {
    VerifyOptions {
        challenge: Some(CHALLENGE.into()),
        domain: Some(DOMAIN.into()),
        ..VerifyOptions::at(Instant::parse_date_time_stamp("2025-01-01T00:00:00Z").unwrap())
    }
}

fn presented(credentials: Vec<Value>) -> Value {
    let vp = unsigned_presentation(did(&student()).as_str(), credentials, Some("urn:uuid:vp-1"));
    sign_presentation(
        &vp,
        &student(),
        CHALLENGE,
        DOMAIN,
        Some("2025-01-01T00:00:00Z"),
    )
    .unwrap()
}

fn proof_reason(r: &PresentationReport) -> Option<String> {
    r.check(CheckId::Proof).unwrap().reason()
}

#[test]
fn a_student_presents_a_certificate() {
    let vp = presented(vec![certificate()]);
    assert_eq!(vp["proof"]["proofPurpose"], "authentication");
    assert_eq!(vp["proof"]["challenge"], CHALLENGE);
    assert_eq!(vp["proof"]["domain"], DOMAIN);
    let text = serde_json::to_string(&vp).unwrap();
    let r = verify_presentation(&text, &options());
    assert!(r.verified && r.valid, "{r:#?}");
    assert_eq!(r.status(CheckId::HolderKey), Some(CheckStatus::Pass));
    assert_eq!(r.credentials.len(), 1);
    assert!(r.credentials[0].valid);
    assert_eq!(
        r.credentials[0].status(CheckId::Profile),
        Some(CheckStatus::Pass)
    );
    let json = r.to_json();
    assert_eq!(json["checks"][2]["id"], "holder_key");
    assert_eq!(json["credentials"][0]["checks"][1]["status"], "pass");
}

#[test]
fn challenge_domain_and_purpose_are_enforced() {
    let vp = presented(vec![certificate()]);
    let mut o = options();
    o.challenge = Some("another-challenge".into());
    let r = verify_presentation_value(&vp, &o);
    assert_eq!(
        r.check(CheckId::Proof).unwrap().code,
        Some(ErrorCode::InvalidChallengeError)
    );
    assert_eq!(proof_reason(&r).as_deref(), Some("challenge_mismatch"));
    assert!(!r.verified);
    assert!(
        r.credentials.iter().all(|c| c.verified),
        "credentials are still judged on their own"
    );

    let mut o = options();
    o.domain = Some("evil.example".into());
    let r = verify_presentation_value(&vp, &o);
    assert_eq!(
        r.check(CheckId::Proof).unwrap().code,
        Some(ErrorCode::InvalidDomainError)
    );
    assert_eq!(r.status(CheckId::HolderKey), Some(CheckStatus::NotRun));

    // A presentation signed without a challenge, for a verifier that wants one.
    let unsigned = unsigned_presentation(did(&student()).as_str(), vec![certificate()], None);
    let no_challenge = sign(
        &unsigned,
        &student(),
        &ProofOptions {
            proof_purpose: "authentication".into(),
            ..ProofOptions::assertion(did(&student()).verification_method_id())
        },
    )
    .unwrap();
    let r = verify_presentation_value(&no_challenge, &options());
    assert_eq!(proof_reason(&r).as_deref(), Some("challenge_mismatch"));

    // assertionMethod is not authentication.
    let wrong_purpose = sign(
        &unsigned,
        &student(),
        &ProofOptions::assertion(did(&student()).verification_method_id()),
    )
    .unwrap();
    let r = verify_presentation_value(&wrong_purpose, &VerifyOptions::default());
    assert_eq!(proof_reason(&r).as_deref(), Some("wrong_proof_purpose"));
}

#[test]
fn replaying_or_tampering_breaks_the_presentation() {
    let vp = presented(vec![certificate()]);
    // Tampering with the embedded certificate after presenting breaks both.
    let mut t = vp.clone();
    t["verifiableCredential"][0]["credentialSubject"]["achievement"]["name"] = json!("Forged");
    let r = verify_presentation_value(&t, &options());
    assert_eq!(proof_reason(&r).as_deref(), Some("signature_mismatch"));
    assert!(!r.credentials[0].verified);
    // A certificate tampered *before* presenting: the holder's proof is fine
    // but the certificate is not, so the presentation is not verified.
    let mut forged = certificate();
    forged["credentialSubject"]["achievement"]["name"] = json!("Forged");
    let r = verify_presentation_value(&presented(vec![forged]), &options());
    assert_eq!(r.status(CheckId::Proof), Some(CheckStatus::Pass));
    assert_eq!(
        r.credentials[0].status(CheckId::Proof),
        Some(CheckStatus::Fail)
    );
    assert!(!r.verified && !r.valid);
}

#[test]
fn holder_must_control_the_signing_key() {
    let mut vp = unsigned_presentation(did(&teacher()).as_str(), vec![certificate()], None);
    // The holder refuses to sign for someone else…
    assert!(sign_presentation(&vp, &student(), CHALLENGE, DOMAIN, None).is_err());
    // …and a presentation signed below that check fails the holder binding.
    let o =
        ProofOptions::authentication(did(&student()).verification_method_id(), CHALLENGE, DOMAIN);
    vp = di::add_proof(&vp, &student(), &o).unwrap();
    let r = verify_presentation_value(&vp, &options());
    assert!(r.verified && !r.valid);
    let c = r.check(CheckId::HolderKey).unwrap();
    assert_eq!(
        (c.status, c.code),
        (
            CheckStatus::Fail,
            Some(ErrorCode::InvalidVerificationMethod)
        )
    );
}

fn fixture(text: &str) -> Value {
    let text = text.replace(
        "did:key:z6MkpJySvETLnxhQG9DzEdmKJtysBDjuuTeDfUj1uNNCUqcj",
        did(&student()).as_str(),
    );
    parse_strict(&text).unwrap()
}

fn sign_as_student(vp: &Value) -> Value {
    let o =
        ProofOptions::authentication(did(&student()).verification_method_id(), CHALLENGE, DOMAIN);
    di::add_proof(vp, &student(), &o).unwrap()
}

#[test]
fn self_asserted_credentials_vcdm_fixtures() {
    // The holder issues a credential to present it herself: it needs no proof
    // of its own when the presentation's signer is both holder and issuer.
    let ok = sign_as_student(&fixture(include_str!(
        "data/vcdm2-test-suite-inputs/presentation-self-asserted-vc-ok.json"
    )));
    let r = verify_presentation_value(&ok, &options());
    assert!(r.verified, "{r:#?}");
    assert_eq!(
        r.credentials[0]
            .check(CheckId::Proof)
            .unwrap()
            .reason()
            .as_deref(),
        Some("secured_by_presentation")
    );
    for (name, text) in [
        (
            "issuer-mismatch",
            include_str!(
                "data/vcdm2-test-suite-inputs/presentation-self-asserted-vc-issuer-mismatch.json"
            ),
        ),
        (
            "holder-mismatch",
            include_str!(
                "data/vcdm2-test-suite-inputs/presentation-self-asserted-vc-holder-mismatch.json"
            ),
        ),
        (
            "no-holder",
            include_str!(
                "data/vcdm2-test-suite-inputs/presentation-self-asserted-vc-no-holder.json"
            ),
        ),
    ] {
        let vp = sign_as_student(&fixture(text));
        let r = verify_presentation_value(&vp, &options());
        assert!(!r.verified, "{name}: {r:#?}");
        assert_eq!(
            r.credentials[0]
                .check(CheckId::Proof)
                .unwrap()
                .reason()
                .as_deref(),
            Some("missing_proof"),
            "{name}"
        );
    }
}

#[test]
fn enveloped_credentials_are_couldnt_check() {
    let vp = sign_as_student(&fixture(include_str!(
        "data/vcdm2-test-suite-inputs/presentation-enveloped-vc-ok.json"
    )));
    let r = verify_presentation_value(&vp, &options());
    assert_eq!(r.status(CheckId::Format), Some(CheckStatus::Pass));
    assert_eq!(r.status(CheckId::Proof), Some(CheckStatus::Pass));
    assert_eq!(
        r.credentials[0].status(CheckId::Proof),
        Some(CheckStatus::CouldntCheck)
    );
    assert!(!r.verified);
}

#[test]
fn the_wrong_kind_of_document() {
    let r = verify_presentation_value(&certificate(), &options());
    assert_eq!(
        r.check(CheckId::Format).unwrap().reason().as_deref(),
        Some("not_a_presentation")
    );
    let r = verify_credential_value(&presented(vec![]), &options());
    assert_eq!(
        r.check(CheckId::Format).unwrap().reason().as_deref(),
        Some("not_a_credential")
    );
    // An empty presentation (no credentials) is fine on its own.
    let r = verify_presentation_value(&presented(vec![]), &options());
    assert!(r.verified && r.valid && r.credentials.is_empty());
}
