//! Integration tests of the `vc` binary over the shared vectors (copied in
//! `credentials/tests/data`): sign reproduces the W3C eddsa-jcs-2022 vector,
//! verify prints one JSON report with the documented exit codes, keygen/did
//! round-trip, presentations check challenge and domain.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const VC: &str = env!("CARGO_BIN_EXE_vc");
const W3C_VM: &str = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

fn data(path: &str) -> String {
    format!(
        "{}/../credentials/tests/data/{path}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn temp(name: &str, contents: &[u8]) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let mut p = std::env::temp_dir();
    p.push(format!("vc-cli-test-{}-{n}-{name}", std::process::id()));
    std::fs::write(&p, contents).unwrap();
    p.to_string_lossy().into_owned()
}

fn vc(args: &[&str]) -> Output {
    Command::new(VC)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: stdout {:?} stderr {:?}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn statuses(report: &Value) -> Vec<(String, String)> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn sign_reproduces_the_w3c_vector() {
    // The vector's key file says privateKeyMultibase; the spec text says
    // secretKeyMultibase. Both are accepted.
    let original = std::fs::read_to_string(data("eddsa-jcs-2022/keyPair.json")).unwrap();
    let renamed = temp(
        "key.json",
        original
            .replace("privateKeyMultibase", "secretKeyMultibase")
            .as_bytes(),
    );
    for key in [data("eddsa-jcs-2022/keyPair.json"), renamed] {
        let o = vc(&[
            "sign",
            &data("eddsa-jcs-2022/unsigned.json"),
            "--key",
            &key,
            "--verification-method",
            W3C_VM,
            "--created",
            "2023-02-24T23:36:38Z",
            "--cryptosuite",
            "eddsa-jcs-2022",
        ]);
        assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(data("eddsa-jcs-2022/signedJCS.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(json(&o), expected);
        assert_eq!(
            json(&o)["proof"]["proofValue"],
            std::fs::read_to_string(data("eddsa-jcs-2022/sigBTC58JCS.txt")).unwrap()
        );
    }
}

#[test]
fn sign_defaults_to_eddsa_rdfc_2022_and_reproduces_the_w3c_vector() {
    let o = vc(&[
        "sign",
        &data("eddsa-rdfc-2022/unsigned.json"),
        "--key",
        &data("eddsa-rdfc-2022/keyPair.json"),
        "--verification-method",
        W3C_VM,
        "--created",
        "2023-02-24T23:36:38Z",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(data("eddsa-rdfc-2022/signedDataInt.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json(&o), expected);
    let bad = vc(&[
        "sign",
        &data("eddsa-rdfc-2022/unsigned.json"),
        "--key",
        &data("eddsa-rdfc-2022/keyPair.json"),
        "--cryptosuite",
        "eddsa-rdfc-2019",
    ]);
    assert_ne!(code(&bad), 0);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("eddsa-rdfc-2022 (default)"));
}

#[test]
fn verify_prints_one_report_with_documented_exit_codes() {
    // The W3C vector: verified, but the https issuer cannot be bound to the
    // did:key offline, so not valid: exit 1.
    let o = vc(&[
        "verify",
        &data("eddsa-jcs-2022/signedJCS.json"),
        "--now",
        "2024-01-01T00:00:00Z",
    ]);
    assert_eq!(code(&o), 1);
    let r = json(&o);
    let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3);
    assert_eq!(
        (r["verified"].clone(), r["valid"].clone()),
        (Value::Bool(true), Value::Bool(false))
    );
    assert_eq!(
        statuses(&r),
        [
            ("format", "pass"),
            ("proof", "pass"),
            ("issuer_key", "couldnt_check"),
            ("status", "not_applicable"),
            ("validity", "pass"),
            ("profile", "not_applicable"),
            ("anchor", "not_applicable")
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    for c in r["checks"].as_array().unwrap() {
        let mut k: Vec<&String> = c.as_object().unwrap().keys().collect();
        k.sort();
        assert_eq!(k, ["code", "detail", "id", "status"]);
    }
    // Not JSON: a failed report (exit 1), not a usage error.
    let o = vc(&[
        "verify",
        &temp("x.txt", b"this is not JSON"),
        "--now",
        "2024-01-01T00:00:00Z",
    ]);
    assert_eq!(code(&o), 1);
    let r = json(&o);
    assert_eq!(r["checks"][0]["code"], "PARSING_ERROR");
    assert!(statuses(&r)[1..].iter().all(|(_, s)| s == "not_run"));
    let o = vc(&["verify", &temp("x.bin", &[0xff, 0xfe, 0x00, 0x7b])]);
    assert_eq!(code(&o), 1);
    assert_eq!(json(&o)["checks"][0]["detail"]["reason"], "invalid_utf8");
    // Usage and I/O errors: exit 2.
    assert_eq!(code(&vc(&["verify", "/nonexistent/file.json"])), 2);
    assert_eq!(code(&vc(&["verify"])), 2);
    assert_eq!(
        code(&vc(&[
            "verify",
            &data("eddsa-jcs-2022/signedJCS.json"),
            "--now",
            "yesterday"
        ])),
        2
    );
    assert_eq!(
        code(&vc(&[
            "verify",
            &data("eddsa-jcs-2022/signedJCS.json"),
            "--bogus"
        ])),
        2
    );
    assert_eq!(code(&vc(&["frobnicate"])), 2);
    assert_eq!(code(&vc(&[])), 2);
    assert_eq!(code(&vc(&["help"])), 0);
}

#[test]
fn tampered_and_unsupported_documents() {
    let mut signed: Value = serde_json::from_str(
        &std::fs::read_to_string(data("eddsa-jcs-2022/signedJCS.json")).unwrap(),
    )
    .unwrap();
    signed["credentialSubject"]["alumniOf"] = "Another School".into();
    let o = vc(&["verify", &temp("t.json", signed.to_string().as_bytes())]);
    assert_eq!(code(&o), 1);
    let r = json(&o);
    assert_eq!(r["checks"][1]["status"], "fail");
    assert_eq!(r["checks"][1]["code"], "CRYPTOGRAPHIC_SECURITY_ERROR");
    assert!(
        statuses(&r)[2..].iter().all(|(_, s)| s == "not_run"),
        "tampered is never 'expired'"
    );
    // eddsa-rdfc-2022 verifies (JSON-LD with the bundled contexts); with a
    // context vc does not hold it is couldn't check, never tampered.
    let o = vc(&["verify", &data("eddsa-rdfc-2022/signedDataInt.json")]);
    let r = json(&o);
    assert_eq!(r["checks"][1]["status"], "pass", "{r}");
    let o = vc(&["verify", &data("eddsa-rdfc-2022/employ/signedDataInt.json")]);
    assert_eq!(code(&o), 1);
    let r = json(&o);
    assert_eq!(r["checks"][1]["status"], "couldnt_check");
    assert_eq!(r["checks"][1]["detail"]["reason"], "unknown_context");
    assert_eq!(
        r["checks"][1]["detail"]["url"],
        "https://w3id.org/citizenship/v4rc1"
    );
}

#[test]
fn sign_with_eddsa_rdfc_2022_then_verify() {
    let key = temp("rdfc-key.json", &vc(&["keygen"]).stdout);
    let unsigned = std::fs::read_to_string(data("eddsa-rdfc-2022/unsigned.json")).unwrap();
    let doc = temp("rdfc-unsigned.json", unsigned.as_bytes());
    let o = vc(&[
        "sign",
        &doc,
        "--key",
        &key,
        "--cryptosuite",
        "eddsa-rdfc-2022",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let signed = json(&o);
    assert_eq!(signed["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    let o = vc(&[
        "verify",
        &temp("rdfc-signed.json", signed.to_string().as_bytes()),
    ]);
    assert_eq!(json(&o)["checks"][1]["status"], "pass");
    let o = vc(&["sign", &doc, "--key", &key, "--cryptosuite", "rsa"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn keygen_did_sign_verify_round_trip() {
    let o = vc(&["keygen"]);
    assert_eq!(code(&o), 0);
    let key = json(&o);
    assert!(key["secretKeyMultibase"]
        .as_str()
        .unwrap()
        .starts_with("z3u2"));
    let did = key["controller"].as_str().unwrap().to_owned();
    assert_ne!(
        json(&vc(&["keygen"]))["controller"],
        did.as_str(),
        "keys are random"
    );
    let key_file = temp("key.json", key.to_string().as_bytes());

    let o = vc(&["did", &key_file]);
    assert_eq!(code(&o), 0);
    assert_eq!(json(&o)["id"], did.as_str());
    let o = vc(&["did", &did, "--no-key-agreement"]);
    assert!(json(&o).get("keyAgreement").is_none());

    // An Open Badge issued by the new key.
    let mut badge: Value = serde_json::from_str(
        &std::fs::read_to_string(data("openbadges3/basicOpenBadgeCredential.example.json"))
            .unwrap(),
    )
    .unwrap();
    badge["issuer"]["id"] = did.clone().into();
    let unsigned = temp("badge.json", badge.to_string().as_bytes());
    let o = vc(&["sign", &unsigned, "--key", &key_file]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    let signed = json(&o);
    assert_eq!(signed["proof"]["proofPurpose"], "assertionMethod");
    assert_eq!(signed["proof"]["verificationMethod"], key["id"]);
    let o = vc(&[
        "verify",
        &temp("signed.json", &o.stdout),
        "--now",
        "2025-01-01T00:00:00Z",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));
    let r = json(&o);
    assert_eq!(r["valid"], true);
    assert_eq!(
        r["checks"][5],
        serde_json::json!({"id": "profile", "status": "pass", "code": null, "detail": {"reason": "ob3_conforming"}})
    );
}

#[test]
fn the_did_spec_example_and_64_byte_key_files() {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(data("did-key/spec-example-didDocument-z6MkhaXg.json")).unwrap(),
    )
    .unwrap();
    let o = vc(&["did", expected["id"].as_str().unwrap()]);
    assert_eq!(json(&o), expected);
    assert_eq!(code(&vc(&["did", "did:key:zTjsVPtY"])), 2);
    // The W3C test-suite key file (secretKeyMultibase, 64-byte form).
    let o = vc(&[
        "did",
        &data("test-suite-keys/data-integrity-test-suite-assertion.defaultKey.json"),
    ]);
    assert_eq!(
        json(&o)["id"],
        "did:key:z6MkwXG2WjeQnNxSoynSGYU8V9j3QzP3JSqhdmkHc6SaVWoT"
    );
    let o = vc(&[
        "sign",
        &data("vcdm2-test-suite-inputs/credential-ok.json"),
        "--key",
        &data("test-suite-keys/data-integrity-test-suite-assertion.defaultKey.json"),
    ]);
    // credential-ok.json has no issuer: the issuer refuses it.
    assert_eq!(code(&o), 1);
    let err: Value =
        serde_json::from_str(String::from_utf8_lossy(&o.stderr).lines().last().unwrap()).unwrap();
    assert_eq!(err["error"]["code"], "MALFORMED_VALUE_ERROR");
    assert_eq!(
        err["error"]["detail"]["violations"][0]["reason"],
        "missing_issuer"
    );
    // Usage errors.
    assert_eq!(
        code(&vc(&[
            "sign",
            &data("vcdm2-test-suite-inputs/credential-ok.json")
        ])),
        2
    );
    assert_eq!(
        code(&vc(&[
            "sign",
            "/nonexistent.json",
            "--key",
            &data("eddsa-jcs-2022/keyPair.json")
        ])),
        2
    );
    assert_eq!(
        code(&vc(&[
            "sign",
            &data("eddsa-jcs-2022/unsigned.json"),
            "--key",
            &data("eddsa-jcs-2022/keyPair.json"),
            "--created",
            "soon"
        ])),
        2
    );
    // A document that is not JSON is refused (exit 1).
    let o = vc(&[
        "sign",
        &temp("bad.json", b"{\"a\":1,\"a\":2}"),
        "--key",
        &data("eddsa-jcs-2022/keyPair.json"),
    ]);
    assert_eq!(code(&o), 1);
}

#[test]
fn presentations_with_challenge_and_domain() {
    let key = json(&vc(&["keygen"]));
    let did = key["controller"].as_str().unwrap().to_owned();
    let key_file = temp("holder.json", key.to_string().as_bytes());
    let vp = serde_json::json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": did,
    });
    let unsigned = temp("vp.json", vp.to_string().as_bytes());
    let o = vc(&[
        "sign",
        &unsigned,
        "--key",
        &key_file,
        "--challenge",
        "abc",
        "--domain",
        "school.example",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json(&o)["proof"]["proofPurpose"], "authentication");
    let signed = temp("vp-signed.json", &o.stdout);
    let o = vc(&[
        "verify",
        &signed,
        "--challenge",
        "abc",
        "--domain",
        "school.example",
    ]);
    assert_eq!(code(&o), 0, "{}", String::from_utf8_lossy(&o.stdout));
    let r = json(&o);
    assert_eq!(r["credentials"], serde_json::json!([]));
    assert_eq!(r["checks"][2]["id"], "holder_key");
    let o = vc(&[
        "verify",
        &signed,
        "--challenge",
        "other",
        "--domain",
        "school.example",
    ]);
    assert_eq!(code(&o), 1);
    assert_eq!(json(&o)["checks"][1]["code"], "INVALID_CHALLENGE_ERROR");
    let o = vc(&[
        "verify",
        &signed,
        "--challenge",
        "abc",
        "--domain",
        "evil.example",
    ]);
    assert_eq!(json(&o)["checks"][1]["code"], "INVALID_DOMAIN_ERROR");
}

#[test]
fn stdin_is_accepted() {
    let mut child = Command::new(VC)
        .args(["verify", "-", "--now", "2024-01-01T00:00:00Z"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(data("eddsa-jcs-2022/signedJCS.json")).unwrap())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(json(&o)["verified"], true);
}

/// ChainClass's own signing issues VC 2.0 only: `vc sign` refuses a VC 1.1
/// credential with the rule's reason (only `vc serve`'s VC-API issuer signs
/// documents drafted as VC 1.1).
#[test]
fn sign_refuses_a_vc_1_1_credential() {
    let key = temp("vc11-key.json", &vc(&["keygen"]).stdout);
    let did = json(&vc(&["did", &key]))["id"].as_str().unwrap().to_owned();
    let doc = serde_json::json!({
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "issuanceDate": "2020-03-16T22:37:26Z",
        "credentialSubject": {"id": "did:example:student"}
    });
    let o = vc(&[
        "sign",
        &temp("vc11.json", doc.to_string().as_bytes()),
        "--key",
        &key,
    ]);
    assert_ne!(code(&o), 0);
    assert!(o.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("data_model_not_accepted")
            || String::from_utf8_lossy(&o.stderr).contains("1.1"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The report names the cryptosuite of each verified proof (the verifier
/// page explains what each one's canonicalisation does), Ed25519Signature2020
/// by its proof type.
#[test]
fn verify_names_the_cryptosuite() {
    for (file, suite) in [
        ("eddsa-rdfc-2022/signedDataInt.json", "eddsa-rdfc-2022"),
        ("eddsa-jcs-2022/signedJCS.json", "eddsa-jcs-2022"),
        (
            "ed25519signature2020/signedEdSig.json",
            "Ed25519Signature2020",
        ),
    ] {
        let report = json(&vc(&["verify", &data(file)]));
        let proof = &report["checks"][1];
        assert_eq!(proof["id"], "proof", "{file}");
        assert_eq!(proof["status"], "pass", "{file}: {proof}");
        assert_eq!(
            proof["detail"]["cryptosuites"],
            serde_json::json!([suite]),
            "{file}"
        );
    }
}
