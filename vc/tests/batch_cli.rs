//! `vc issue`, `vc status-list` and `vc verify --status-list --ledger
//! --receipt` end to end: a roster with a bad row (exit 1, every good row
//! issued, the bad row listed), the batch anchored on a new class ledger,
//! each receipt verified against it, a revocation and a suspension that
//! verifiers see, and a Big5 roster refused with the encoding named.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const VC: &str = env!("CARGO_BIN_EXE_vc");

fn dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let mut p = std::env::temp_dir();
    p.push(format!("vc-batch-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

fn path(d: &Path, name: &str) -> String {
    d.join(name).to_string_lossy().into_owned()
}

fn vc(args: &[&str]) -> Output {
    Command::new(VC)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout {}\nstderr {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn read(p: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn check(report: &Output, id: &str) -> (String, String) {
    let r: Value = serde_json::from_slice(&report.stdout).unwrap();
    let c = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone();
    (
        c["status"].as_str().unwrap().to_owned(),
        c["detail"]["reason"].as_str().unwrap_or("").to_owned(),
    )
}

const ROSTER: &str = "\u{feff}姓名,English Name,電郵,學生編號\r\n\
陳大文,Chan Tai Man,chan@school.example.hk,S001\r\n\
黃小明,Wong Siu Ming,wong@school,S002\r\n\
李美玲,Lee Mei Ling,lee@school.example.hk,S003\r\n\
\"何, 家明\",Ho Ka Ming,ho@school.example.hk,S004\r\n";

#[test]
fn issue_anchor_revoke_suspend_and_verify() {
    let d = dir();
    let key = path(&d, "key.json");
    let k = vc(&["keygen"]);
    ok(&k);
    std::fs::write(&key, &k.stdout).unwrap();
    std::fs::write(path(&d, "roster.csv"), ROSTER).unwrap();
    let (rstate, rlist) = (
        path(&d, "revocation.state.json"),
        path(&d, "revocation.json"),
    );
    ok(&vc(&[
        "status-list",
        "create",
        "--purpose",
        "revocation",
        "--id",
        "https://school.example.hk/status/revocation",
        "--key",
        &key,
        "--state",
        &rstate,
        "--out",
        &rlist,
    ]));
    // Creating over an existing state is refused.
    let again = vc(&[
        "status-list",
        "create",
        "--purpose",
        "revocation",
        "--id",
        "https://x.example/s",
        "--key",
        &key,
        "--state",
        &rstate,
        "--out",
        &rlist,
    ]);
    assert_eq!(again.status.code(), Some(2));

    let out = path(&d, "out");
    let chain = path(&d, "chain.json");
    let issued = vc(&[
        "issue",
        "--template",
        "it-innovation-lab",
        "--roster",
        &path(&d, "roster.csv"),
        "--key",
        &key,
        "--out",
        &out,
        "--ledger",
        &chain,
        "--label",
        "4C 2025 IT Lab",
        "--issuer-name",
        "Demo Secondary School",
        "--status-list",
        &rstate,
        "--difficulty",
        "8",
        "--valid-from",
        "2025-06-30T00:00:00+08:00",
    ]);
    assert_eq!(
        issued.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&issued.stderr)
    );
    let errors = read(&path(&d, "out/errors.json"));
    assert_eq!(errors.as_array().unwrap().len(), 1);
    assert_eq!(errors[0]["row"], 3);
    assert_eq!(errors[0]["reason"], "bad_email");
    let summary = read(&path(&d, "out/batch.json"));
    let rows: Vec<u64> = summary["issued"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [2, 4, 5]);
    assert_eq!(summary["anchor"]["blockHeight"], 1);
    assert_eq!(summary["anchor"]["label"], "4C 2025 IT Lab");
    let state = read(&rstate);
    assert_eq!(state["list"]["allocated"], 3);

    for row in [2, 4, 5] {
        let credential = path(&d, &format!("out/row-{row}.json"));
        let receipt = path(&d, &format!("out/row-{row}.receipt.json"));
        let r = vc(&[
            "verify",
            &credential,
            "--status-list",
            &rlist,
            "--ledger",
            &chain,
            "--receipt",
            &receipt,
        ]);
        ok(&r);
        assert_eq!(check(&r, "anchor"), ("pass".into(), "anchored".into()));
        assert_eq!(check(&r, "status"), ("pass".into(), "not_revoked".into()));
    }
    // Without the list and the ledger: couldn't check, exit 1.
    let bare = vc(&[
        "verify",
        &path(&d, "out/row-2.json"),
        "--receipt",
        &path(&d, "out/row-2.receipt.json"),
    ]);
    assert_eq!(bare.status.code(), Some(1));
    assert_eq!(check(&bare, "status").0, "couldnt_check");
    assert_eq!(
        check(&bare, "anchor"),
        ("couldnt_check".into(), "ledger_not_provided".into())
    );
    // Another row's receipt.
    let wrong = vc(&[
        "verify",
        &path(&d, "out/row-2.json"),
        "--ledger",
        &chain,
        "--receipt",
        &path(&d, "out/row-4.receipt.json"),
    ]);
    assert_eq!(check(&wrong, "anchor").0, "fail");

    // Revoke row 4 by its credential.
    ok(&vc(&[
        "status-list",
        "revoke",
        "--state",
        &rstate,
        "--key",
        &key,
        "--out",
        &rlist,
        "--credential",
        &path(&d, "out/row-4.json"),
    ]));
    let r = vc(&[
        "verify",
        &path(&d, "out/row-4.json"),
        "--status-list",
        &rlist,
    ]);
    assert_eq!(r.status.code(), Some(1));
    assert_eq!(check(&r, "status"), ("fail".into(), "revoked".into()));
    let r = vc(&[
        "verify",
        &path(&d, "out/row-2.json"),
        "--status-list",
        &rlist,
    ]);
    assert_eq!(check(&r, "status"), ("pass".into(), "not_revoked".into()));
    // Revocation cannot be undone; a revocation list cannot suspend.
    for sub in ["reinstate", "suspend"] {
        let o = vc(&[
            "status-list",
            sub,
            "--state",
            &rstate,
            "--key",
            &key,
            "--out",
            &rlist,
            "--index",
            "1",
        ]);
        assert_eq!(o.status.code(), Some(2), "{sub}");
    }

    // A second batch on the same ledger lands in block 2.
    let out2 = path(&d, "out2");
    std::fs::write(path(&d, "roster2.csv"), "name,student_id\nYip,S010\n").unwrap();
    ok(&vc(&[
        "issue",
        "--template",
        "custom",
        "--roster",
        &path(&d, "roster2.csv"),
        "--key",
        &key,
        "--out",
        &out2,
        "--ledger",
        &chain,
    ]));
    assert_eq!(
        read(&path(&d, "out2/batch.json"))["anchor"]["blockHeight"],
        2
    );
    let r = vc(&[
        "verify",
        &path(&d, "out2/row-2.json"),
        "--ledger",
        &chain,
        "--receipt",
        &path(&d, "out2/row-2.receipt.json"),
    ]);
    ok(&r);
    // The first batch still verifies against the longer ledger.
    let r = vc(&[
        "verify",
        &path(&d, "out/row-5.json"),
        "--status-list",
        &rlist,
        "--ledger",
        &chain,
        "--receipt",
        &path(&d, "out/row-5.receipt.json"),
    ]);
    ok(&r);
    // A tampered ledger proves nothing.
    let text = std::fs::read_to_string(&chain).unwrap();
    let root = read(&path(&d, "out/row-5.receipt.json"))["merkleRoot"]
        .as_str()
        .unwrap()
        .to_owned();
    let forged = path(&d, "forged.json");
    std::fs::write(&forged, text.replace(&root, &"ab".repeat(32))).unwrap();
    let r = vc(&[
        "verify",
        &path(&d, "out/row-5.json"),
        "--ledger",
        &forged,
        "--receipt",
        &path(&d, "out/row-5.receipt.json"),
    ]);
    assert_eq!(
        check(&r, "anchor"),
        ("couldnt_check".into(), "ledger_invalid".into())
    );
}

#[test]
fn suspension_and_reinstatement() {
    let d = dir();
    let key = path(&d, "key.json");
    std::fs::write(&key, vc(&["keygen"]).stdout).unwrap();
    let (state, list) = (path(&d, "s.state.json"), path(&d, "s.json"));
    ok(&vc(&[
        "status-list",
        "create",
        "--purpose",
        "suspension",
        "--id",
        "https://school.example.hk/status/suspension",
        "--key",
        &key,
        "--state",
        &state,
        "--out",
        &list,
    ]));
    std::fs::write(
        path(&d, "r.csv"),
        "name,email\nChan,chan@school.example.hk\n",
    )
    .unwrap();
    let out = path(&d, "out");
    ok(&vc(&[
        "issue",
        "--template",
        "stem-internship",
        "--roster",
        &path(&d, "r.csv"),
        "--key",
        &key,
        "--out",
        &out,
        "--status-list",
        &state,
    ]));
    let credential = path(&d, "out/row-2.json");
    let change = |sub: &str| {
        ok(&vc(&[
            "status-list",
            sub,
            "--state",
            &state,
            "--key",
            &key,
            "--out",
            &list,
            "--credential",
            &credential,
        ]))
    };
    change("suspend");
    let r = vc(&["verify", &credential, "--status-list", &list]);
    assert_eq!(check(&r, "status"), ("fail".into(), "suspended".into()));
    change("reinstate");
    let r = vc(&["verify", &credential, "--status-list", &list]);
    ok(&r);
    assert_eq!(check(&r, "status").0, "pass");
}

#[test]
fn a_big5_roster_is_refused_with_its_encoding_named() {
    let d = dir();
    let key = path(&d, "key.json");
    std::fs::write(&key, vc(&["keygen"]).stdout).unwrap();
    // 陳大文 in Big5.
    std::fs::write(
        path(&d, "big5.csv"),
        b"name,email\n\xb3\xaf\xa4\x6a\xa4\xe5,chan@school.example.hk\n",
    )
    .unwrap();
    let out = path(&d, "out");
    let o = vc(&[
        "issue",
        "--template",
        "custom",
        "--roster",
        &path(&d, "big5.csv"),
        "--key",
        &key,
        "--out",
        &out,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let errors = read(&path(&d, "out/errors.json"));
    assert_eq!(errors[0]["file"]["reason"], "not_utf8");
    assert_eq!(errors[0]["file"]["likely_encoding"], "big5");
    assert!(String::from_utf8_lossy(&o.stderr).contains("UTF-8"));
}
