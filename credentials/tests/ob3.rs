//! Open Badges 3.0: the builder and the four Hong Kong programme templates
//! produce credentials that pass VCDM 2.0 and the OB3 profile, sign and
//! verify; recipients are hashed (never in plain text); the profile check
//! catches OB3-specific mistakes; and the 1EdTech / DCC examples are judged
//! as the specifications say.
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
use credentials::ob3::{
    self, BilingualText, CredentialDraft, HashedIdentifier, IdentityType, Image, IssuerProfile,
    LanguageMode, Ob3Error, Recipient,
};
use credentials::templates;
use credentials::vcdm::{self, Role};
use credentials::{
    sign, verify_credential, verify_credential_value, CheckId, CheckStatus, DidKey, Instant,
    IssueError, SecretKey, VerifyOptions,
};
use serde_json::{json, Value};

const SALT: &str = "f1e2d3c4b5a69788";
const EMAIL: &str = "alice@school.edu.hk";

fn teacher() -> SecretKey {
    SecretKey::from_bytes(&[11u8; 32])
}

fn student() -> SecretKey {
    SecretKey::from_bytes(&[22u8; 32])
}

fn did(k: &SecretKey) -> DidKey {
    DidKey::from_public_key(k.public_key())
}

fn draft(template: &templates::Template, language: LanguageMode) -> CredentialDraft {
    CredentialDraft {
        id: "urn:uuid:0b8f2c64-5d4a-4c7e-9a0e-6f1d2b3c4d5e".into(),
        issuer: IssuerProfile {
            id: did(&teacher()).as_str().into(),
            name: BilingualText::new("ChainClass Demo Secondary School", "示範中學"),
            url: Some("https://school.example.edu.hk".into()),
            email: None,
            image: None,
        },
        achievement: template.achievement(),
        recipient: Recipient {
            did: Some(did(&student()).as_str().into()),
            identifiers: vec![
                HashedIdentifier::new(IdentityType::EmailAddress, EMAIL, SALT).unwrap(),
                HashedIdentifier::new(IdentityType::StudentId, "S1234567", SALT).unwrap(),
            ],
        },
        valid_from: "2024-09-01T00:00:00+08:00".into(),
        valid_until: None,
        awarded_date: Some("2024-09-01T00:00:00+08:00".into()),
        language,
        credential_status: None,
    }
}

fn issue(unsigned: &Value) -> Value {
    let options = ProofOptions::assertion(did(&teacher()).verification_method_id())
        .with_created("2024-09-01T09:30:00+08:00");
    sign(unsigned, &teacher(), &options).unwrap()
}

fn now() -> Instant {
    Instant::parse_date_time_stamp("2025-01-15T00:00:00Z").unwrap()
}

#[test]
fn the_four_templates() {
    assert_eq!(templates::ALL.len(), 4);
    let keys: Vec<&str> = templates::ALL.iter().map(|t| t.key).collect();
    assert_eq!(
        keys,
        [
            "it-innovation-lab",
            "stem-internship",
            "knowing-more-about-it",
            "custom"
        ]
    );
    assert_eq!(
        templates::IT_INNOVATION_LAB.name.zh_hant,
        "中學IT創新實驗室計劃"
    );
    assert_eq!(templates::STEM_INTERNSHIP.name.zh_hant, "創科實習計劃");
    assert_eq!(
        templates::KNOWING_MORE_ABOUT_IT.name.zh_hant,
        "「知多啲IT」計劃"
    );
    let customs: Vec<&str> = templates::ALL
        .iter()
        .filter(|t| t.custom)
        .map(|t| t.key)
        .collect();
    assert_eq!(customs, ["custom"]);
    for t in &templates::ALL {
        assert_eq!(templates::by_key(t.key), Some(t));
        assert_eq!(templates::by_achievement_id(t.achievement_id), Some(t));
    }
    assert_eq!(templates::by_key("nope"), None);
}

#[test]
fn every_template_in_every_language_issues_and_verifies() {
    for t in &templates::ALL {
        for mode in [
            LanguageMode::Bilingual,
            LanguageMode::English,
            LanguageMode::TraditionalChinese,
        ] {
            let unsigned = draft(t, mode).to_unsigned().unwrap();
            assert_eq!(
                vcdm::check_credential(&unsigned, Role::Issuer).violations,
                vec![],
                "{}",
                t.key
            );
            assert_eq!(ob3::check_profile(&unsigned), vec![], "{}", t.key);
            let signed = issue(&unsigned);
            let text = serde_json::to_string(&signed).unwrap();
            let r = verify_credential(&text, &VerifyOptions::at(now()));
            assert!(r.verified && r.valid, "{} {mode:?}: {r:#?}", t.key);
            assert_eq!(r.status(CheckId::Profile), Some(CheckStatus::Pass));
            assert_eq!(r.status(CheckId::IssuerKey), Some(CheckStatus::Pass));
            let name = signed["credentialSubject"]["achievement"]["name"]
                .as_str()
                .unwrap();
            match mode {
                LanguageMode::Bilingual => {
                    assert_eq!(name, format!("{} / {}", t.name.en, t.name.zh_hant))
                }
                LanguageMode::English => assert_eq!(name, t.name.en),
                LanguageMode::TraditionalChinese => assert_eq!(name, t.name.zh_hant),
            }
        }
    }
}

#[test]
fn shape_of_an_issued_certificate() {
    let unsigned = draft(&templates::IT_INNOVATION_LAB, LanguageMode::Bilingual)
        .to_unsigned()
        .unwrap();
    assert_eq!(
        unsigned["@context"],
        json!([
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ])
    );
    assert_eq!(
        unsigned["type"],
        json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(unsigned["issuer"]["type"], json!(["Profile"]));
    assert_eq!(
        unsigned["issuer"]["name"],
        "ChainClass Demo Secondary School / 示範中學"
    );
    assert_eq!(unsigned["validFrom"], "2024-09-01T00:00:00+08:00");
    let subject = &unsigned["credentialSubject"];
    assert_eq!(subject["type"], json!(["AchievementSubject"]));
    assert_eq!(subject["id"], did(&student()).as_str());
    let achievement = &subject["achievement"];
    assert_eq!(
        achievement["id"],
        "urn:chainclass:achievement:it-innovation-lab"
    );
    assert_eq!(achievement["achievementType"], "CertificateOfCompletion");
    assert!(achievement["description"]
        .as_str()
        .unwrap()
        .contains("\n\n表揚持有人"));
    assert!(achievement["criteria"]["narrative"].is_string());
    // Both the English and Chinese names survive into the credential name.
    assert_eq!(unsigned["name"], achievement["name"]);
}

#[test]
fn recipients_are_salted_hashes_never_plain_text() {
    let signed = issue(
        &draft(&templates::STEM_INTERNSHIP, LanguageMode::Bilingual)
            .to_unsigned()
            .unwrap(),
    );
    let text = serde_json::to_string(&signed).unwrap();
    assert!(!text.contains(EMAIL) && !text.contains("S1234567"));
    let ids = signed["credentialSubject"]["identifier"]
        .as_array()
        .unwrap();
    // sha256("alice@school.edu.hk" + salt), computed independently.
    assert_eq!(
        ids[0],
        json!({
            "type": "IdentityObject",
            "identityHash": "sha256$780370133916a12f45b4ea2d5f9a173fe13e8238929632d140f6aea80d467255",
            "identityType": "emailAddress",
            "hashed": true,
            "salt": SALT
        })
    );
    assert_eq!(
        ids[1]["identityHash"],
        "sha256$2903e9a7ac0aa691a99c0f2322febf0d31b87cc9126446788298346e5c84cf08"
    );
    assert_eq!(ids[1]["identityType"], "sisSourcedId");
    // Matching a claimed recipient (e-mail normalised: trim + lower case).
    assert!(ob3::recipient_matches(
        &signed,
        &IdentityType::EmailAddress,
        "  Alice@School.EDU.hk "
    ));
    assert!(ob3::recipient_matches(
        &signed,
        &IdentityType::StudentId,
        "S1234567"
    ));
    assert!(!ob3::recipient_matches(
        &signed,
        &IdentityType::EmailAddress,
        "bob@school.edu.hk"
    ));
    assert!(!ob3::recipient_matches(
        &signed,
        &IdentityType::StudentId,
        "s1234567"
    ));
    // The OB3 full example's plain (hashed: false) identifiers match as is.
    let full = parse_strict(include_str!(
        "data/openbadges3/fullOpenBadgeCredential.example.json"
    ))
    .unwrap();
    assert!(ob3::recipient_matches(
        &full,
        &IdentityType::EmailAddress,
        "student@1edtech.edu"
    ));
}

#[test]
fn a_recipient_can_be_identified_by_hash_alone() {
    let mut d = draft(&templates::KNOWING_MORE_ABOUT_IT, LanguageMode::Bilingual);
    d.recipient.did = None;
    let signed = issue(&d.to_unsigned().unwrap());
    assert!(signed["credentialSubject"].get("id").is_none());
    assert!(verify_credential_value(&signed, &VerifyOptions::at(now())).valid);
}

#[test]
fn builder_refuses_bad_input() {
    assert_eq!(
        HashedIdentifier::new(IdentityType::EmailAddress, EMAIL, "").unwrap_err(),
        Ob3Error::EmptySalt
    );
    let mut d = draft(&templates::CUSTOM, LanguageMode::Bilingual);
    d.recipient = Recipient::default();
    assert_eq!(d.to_unsigned().unwrap_err(), Ob3Error::NoRecipient);
    let mut d = draft(&templates::CUSTOM, LanguageMode::Bilingual);
    d.valid_from = "2024-09-01".into();
    assert!(matches!(d.to_unsigned(), Err(Ob3Error::InvalidDate { .. })));
    let mut d = draft(&templates::CUSTOM, LanguageMode::Bilingual);
    d.valid_until = Some("2024-08-01T00:00:00Z".into());
    assert_eq!(
        d.to_unsigned().unwrap_err(),
        Ob3Error::ValidFromAfterValidUntil
    );
    let mut d = draft(&templates::CUSTOM, LanguageMode::Bilingual);
    d.achievement.name = BilingualText::new(" ", "");
    assert!(matches!(d.to_unsigned(), Err(Ob3Error::EmptyText { .. })));
    let mut d = draft(&templates::CUSTOM, LanguageMode::Bilingual);
    d.achievement.image = Some(Image {
        id: "not a url".into(),
        caption: None,
    });
    assert!(matches!(d.to_unsigned(), Err(Ob3Error::InvalidUrl { .. })));
}

#[test]
fn custom_texts_images_and_expiry() {
    let mut d = draft(&templates::CUSTOM, LanguageMode::Bilingual);
    d.achievement.id = "urn:uuid:3f1e9c1a-0000-4000-8000-000000000001".into();
    d.achievement.name = BilingualText::new("Robotics Club Captain", "機械人學會隊長");
    d.achievement.image = Some(Image {
        id: "data:image/png;base64,iVBORw0KGgo=".into(),
        caption: Some("Badge".into()),
    });
    d.valid_until = Some("2025-08-31T23:59:59+08:00".into());
    let signed = issue(&d.to_unsigned().unwrap());
    assert_eq!(
        signed["credentialSubject"]["achievement"]["image"]["type"],
        "Image"
    );
    assert!(verify_credential_value(&signed, &VerifyOptions::at(now())).valid);
    let later = Instant::parse_date_time_stamp("2025-09-01T00:00:00Z").unwrap();
    let r = verify_credential_value(&signed, &VerifyOptions::at(later));
    assert!(r.verified && !r.valid);
    assert_eq!(
        r.check(CheckId::Validity).unwrap().reason().as_deref(),
        Some("expired")
    );
}

type Edit = fn(&mut Value);

#[test]
fn profile_check_catches_ob3_mistakes() {
    let base = draft(&templates::IT_INNOVATION_LAB, LanguageMode::Bilingual)
        .to_unsigned()
        .unwrap();
    let cases: Vec<(Edit, &str)> = vec![
        (
            |v| {
                v.as_object_mut().unwrap().remove("validFrom");
            },
            "missing_valid_from",
        ),
        (
            |v| {
                v["issuer"] = v["issuer"]["id"].clone();
            },
            "issuer_not_profile",
        ),
        (
            |v| {
                v["credentialSubject"]["achievement"]
                    .as_object_mut()
                    .unwrap()
                    .remove("criteria");
            },
            "achievement_missing_property",
        ),
        (
            |v| {
                v["credentialSubject"]["achievement"]["name"] =
                    json!({"@value": "x", "@language": "en"});
            },
            "not_a_string",
        ),
        (
            |v| {
                v["credentialSubject"]["identifier"][0]["identityHash"] = json!("sha256$abc");
            },
            "invalid_identity_object",
        ),
        (
            |v| {
                v["credentialSubject"]["type"] = json!(["Person"]);
            },
            "subject_not_achievement_subject",
        ),
        (
            |v| {
                v["credentialSubject"] = json!([v["credentialSubject"].clone()]);
            },
            "subject_not_single_object",
        ),
        (
            |v| {
                v["@context"] = json!(["https://www.w3.org/ns/credentials/v2"]);
            },
            "missing_ob3_context",
        ),
        (
            |v| {
                let s = v["credentialSubject"].as_object_mut().unwrap();
                s.remove("id");
                s.remove("identifier");
            },
            "subject_without_id_or_identifier",
        ),
    ];
    for (edit, reason) in cases {
        let mut doc = base.clone();
        edit(&mut doc);
        let violations = ob3::check_profile(&doc);
        let reasons: Vec<String> = violations
            .iter()
            .map(|v| {
                serde_json::to_value(v).unwrap()["reason"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert!(reasons.iter().any(|r| r == reason), "{reason}: {reasons:?}");
        // The issuer refuses (VCDM or OB3 reasons), never signs.
        assert!(matches!(
            sign(
                &doc,
                &teacher(),
                &ProofOptions::assertion(did(&teacher()).verification_method_id())
            ),
            Err(IssueError::NotOb3Conforming { .. } | IssueError::NotConforming { .. })
        ));
        // A verifier given such a credential (signed below the issuer
        // checks) reports the profile failure as validation, not tampering.
        let signed = di::add_proof(
            &doc,
            &teacher(),
            &ProofOptions::assertion(did(&teacher()).verification_method_id()),
        )
        .unwrap();
        let r = verify_credential_value(&signed, &VerifyOptions::at(now()));
        if r.verified {
            assert_eq!(
                r.status(CheckId::Profile),
                Some(CheckStatus::Fail),
                "{reason}"
            );
            assert!(!r.valid);
        }
    }
}

#[test]
fn the_1edtech_and_dcc_examples() {
    // The basic example and the 1EdTech vector's unsigned credential fit
    // the profile.
    for text in [
        include_str!("data/openbadges3/basicOpenBadgeCredential.example.json"),
        include_str!("data/openbadges3/1edtech-eddsa-rdfc-2022/unsigned.json"),
    ] {
        let vc = parse_strict(text).unwrap();
        assert_eq!(ob3::check_profile(&vc), vec![]);
        assert_eq!(
            vcdm::check_credential(&vc, Role::Verifier).violations,
            vec![]
        );
    }
    // The 1EdTech key (64-byte secret form, https verification method)
    // signs the 1EdTech unsigned credential with eddsa-jcs-2022; a verifier
    // that has that key for that method verifies it, issuer bound.
    let key_file = parse_strict(include_str!(
        "data/openbadges3/1edtech-eddsa-rdfc-2022/keyPair.json"
    ))
    .unwrap();
    let key = SecretKey::from_key_file(&key_file).unwrap();
    let vm = key_file["verificationMethod"].as_str().unwrap();
    let unsigned = parse_strict(include_str!(
        "data/openbadges3/1edtech-eddsa-rdfc-2022/unsigned.json"
    ))
    .unwrap();
    let signed = sign(
        &unsigned,
        &key,
        &ProofOptions::assertion(vm).with_created("2024-01-01T00:00:00Z"),
    )
    .unwrap();
    let opts = VerifyOptions {
        known_keys: vec![(vm.into(), key.public_key())],
        ..VerifyOptions::at(now())
    };
    let r = verify_credential_value(&signed, &opts);
    assert!(r.verified && r.valid, "{r:#?}");
    assert_eq!(r.status(CheckId::Profile), Some(CheckStatus::Pass));
    // Without the key: the proof cannot be checked offline.
    let r = verify_credential_value(&signed, &VerifyOptions::at(now()));
    assert_eq!(r.status(CheckId::Proof), Some(CheckStatus::CouldntCheck));
    // The official signed vector is eddsa-rdfc-2022: couldn't check.
    let r = verify_credential(
        include_str!("data/openbadges3/1edtech-eddsa-rdfc-2022/signed.json"),
        &VerifyOptions::at(now()),
    );
    assert_eq!(r.status(CheckId::Proof), Some(CheckStatus::CouldntCheck));
    // The full example's proofs are placeholders ("eddsa-rdf-2022" is not a
    // cryptosuite): refused, not reported as couldn't check.
    let r = verify_credential(
        include_str!("data/openbadges3/fullOpenBadgeCredential.example.json"),
        &VerifyOptions::at(now()),
    );
    assert_eq!(r.status(CheckId::Proof), Some(CheckStatus::Fail));
    assert!(!r.verified);
}
