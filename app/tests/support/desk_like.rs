//! A certificate as the teacher's desk issues it, for the QR tests: the
//! unit tests in `src/qr.rs` and `tests/qr_photos.rs` include this file.
#![allow(dead_code, clippy::unwrap_used)]

/// A certificate as the desk issues it: a programme, an e-mail hashed
/// with a salt, optionally the student's name, a revocation entry on the
/// school's site, an Ed25519 proof.
pub fn desk_like(
    t: &credentials::templates::Template,
    mode: credentials::ob3::LanguageMode,
    name: bool,
) -> serde_json::Value {
    let key = credentials::SecretKey::from_bytes(&[5u8; 32]);
    let did = credentials::DidKey::from_public_key(key.public_key());
    let a = t.achievement();
    let mut identifier = vec![serde_json::json!({
        "type": "IdentityObject", "identityType": "emailAddress", "hashed": true,
        "identityHash": "sha256$c53e2a85e5b905101d34ddeafbcde82649cbfa2d4daeaab743c3352142b0f9d2",
        "salt": "978f1cb175fac724bd7c09b4798df96b"
    })];
    if name {
        identifier.push(serde_json::json!({"type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": "CHAN Tai Man 陳大文"}));
    }
    let list = "https://school.example.edu.hk/chainclass/status/revocation-2f9c1a7b0d3e";
    let doc = serde_json::json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:4d607ade-826f-4e5e-bb41-0148dbcd9e66",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did.as_str(), "name": "Harbour View Secondary School / 海景中學", "type": ["Profile"]},
        "validFrom": "2026-12-06T00:00:00Z",
        "name": a.name.render(mode, false),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": a.id, "type": ["Achievement"], "achievementType": a.achievement_type,
                "name": a.name.render(mode, false),
                "description": a.description.render(mode, true),
                "criteria": {"narrative": a.criteria.render(mode, true)}
            },
            "identifier": identifier
        },
        "credentialStatus": {
            "id": format!("{list}#1027"), "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": "1027", "statusListCredential": list
        }
    });
    let options = credentials::ProofOptions {
        created: Some("2026-12-06T08:30:00Z".into()),
        ..credentials::ProofOptions::assertion(did.verification_method_id())
    };
    credentials::issue::sign(&doc, &key, &options).unwrap()
}
