//! `cargo xtask fixtures`: writes the end-to-end test fixtures into
//! `tests/fixtures/generated/`, signed by the real `credentials` code with
//! fixed test keys and dates, so the browser tests always check the code as
//! it is now. Never use these keys outside tests.

use credentials::ob3::{
    CredentialDraft, HashedIdentifier, IdentityType, IssuerProfile, LanguageMode, Recipient,
};
use credentials::presentation::{sign_presentation, unsigned_presentation};
use credentials::{sign, DidKey, ProofOptions, SecretKey};
use serde_json::Value;
use std::path::Path;

/// The issuer's test seed (a school), and the student's.
const ISSUER_SEED: [u8; 32] = [7; 32];
const HOLDER_SEED: [u8; 32] = [9; 32];

fn did(seed: &[u8; 32]) -> (SecretKey, DidKey) {
    let key = SecretKey::from_bytes(seed);
    let did = DidKey::from_public_key(key.public_key());
    (key, did)
}

fn draft(
    issuer: &DidKey,
    holder: Option<&DidKey>,
    id: &str,
    until: Option<&str>,
) -> Result<CredentialDraft, String> {
    let template = credentials::templates::by_key("stem-internship")
        .or_else(|| credentials::templates::ALL.first())
        .ok_or("no templates")?;
    let identifiers = if holder.is_none() {
        vec![HashedIdentifier::new(
            IdentityType::EmailAddress,
            "chan.taiman@student.example.edu.hk",
            "fixture-salt-1",
        )
        .map_err(|e| format!("{e:?}"))?]
    } else {
        Vec::new()
    };
    Ok(CredentialDraft {
        id: format!("urn:uuid:{id}"),
        issuer: IssuerProfile {
            id: issuer.as_str().to_owned(),
            name: credentials::ob3::BilingualText::new("Harbour View Secondary School", "海景中學"),
            url: Some("https://school.example.edu.hk/".into()),
            email: None,
            image: None,
        },
        achievement: template.achievement(),
        recipient: Recipient {
            did: holder.map(|h| h.as_str().to_owned()),
            identifiers,
        },
        valid_from: "2025-09-01T00:00:00Z".into(),
        valid_until: until.map(str::to_owned),
        awarded_date: Some("2025-08-29T00:00:00Z".into()),
        language: LanguageMode::Bilingual,
        credential_status: None,
    })
}

fn signed(draft: &CredentialDraft, key: &SecretKey, did: &DidKey) -> Result<Value, String> {
    let unsigned = draft.to_unsigned().map_err(|e| format!("{e:?}"))?;
    let mut options = ProofOptions::assertion(did.verification_method_id());
    options.created = Some("2025-08-30T09:00:00Z".into());
    sign(&unsigned, key, &options).map_err(|e| format!("{e:?}"))
}

/// Writes every fixture.
pub fn write(root: &Path) -> Result<(), String> {
    let dir = root.join("tests/fixtures/generated");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let (issuer_key, issuer) = did(&ISSUER_SEED);
    let (holder_key, holder) = did(&HOLDER_SEED);
    let mut files: Vec<(&str, String)> = Vec::new();

    let valid = signed(
        &draft(
            &issuer,
            Some(&holder),
            "0b1c6a52-8d0e-4d6f-9a57-2f6d1c1e0001",
            Some("2035-08-31T23:59:59Z"),
        )?,
        &issuer_key,
        &issuer,
    )?;
    let hashed = signed(
        &draft(&issuer, None, "0b1c6a52-8d0e-4d6f-9a57-2f6d1c1e0002", None)?,
        &issuer_key,
        &issuer,
    )?;
    let expired = signed(
        &draft(
            &issuer,
            Some(&holder),
            "0b1c6a52-8d0e-4d6f-9a57-2f6d1c1e0003",
            Some("2025-12-31T23:59:59Z"),
        )?,
        &issuer_key,
        &issuer,
    )?;
    let mut tampered = valid.clone();
    if let Some(name) = tampered.pointer_mut("/credentialSubject/id") {
        *name = Value::String(
            DidKey::from_public_key(SecretKey::from_bytes(&[1; 32]).public_key())
                .as_str()
                .to_owned(),
        );
    }
    let vp = unsigned_presentation(
        holder.as_str(),
        vec![valid.clone()],
        Some("urn:uuid:0b1c6a52-8d0e-4d6f-9a57-2f6d1c1e00ff"),
    );
    let presentation = sign_presentation(
        &vp,
        &holder_key,
        "challenge-4821",
        "verifier.example.edu.hk",
        Some("2026-01-05T10:00:00Z"),
    )
    .map_err(|e| format!("{e:?}"))?;

    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    files.push(("valid.json", pretty(&valid)));
    files.push(("valid-hashed-recipient.json", pretty(&hashed)));
    files.push(("expired.json", pretty(&expired)));
    files.push(("tampered.json", pretty(&tampered)));
    files.push(("presentation.json", pretty(&presentation)));
    files.push(("valid.link.txt", credentials::share::encode_value(&valid)));
    files.push(("issuer-did.txt", issuer.as_str().to_owned()));
    for (name, text) in files {
        std::fs::write(dir.join(name), text).map_err(|e| format!("{name}: {e}"))?;
    }
    println!("xtask: fixtures written to {}", dir.display());
    Ok(())
}
