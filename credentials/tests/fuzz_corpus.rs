//! The fuzz targets' bodies (`fuzz/src/lib.rs`, included here) over the
//! committed seed corpus and every past crash (`fuzz/regressions/`), on the
//! stable toolchain: a crash found by `cargo fuzz` stays fixed because its
//! input runs in the normal test suite. Native only (reads files).
//!
//! `WRITE_FUZZ_SEEDS=1 cargo test -p credentials --test fuzz_corpus` rewrites
//! the generated receipt seeds.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs,
    dead_code
)]

#[path = "../fuzz/src/lib.rs"]
mod bodies;

use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for kind in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz_dir().join(kind).join(target)) else {
            continue;
        };
        for e in entries.flatten() {
            if e.path().is_file() {
                out.push((e.path(), std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn run(target: &str, body: fn(&[u8])) {
    let all = inputs(target);
    assert!(!all.is_empty(), "no corpus for {target}");
    for (path, data) in all {
        eprintln!("{target}: {}", path.display());
        body(&data);
    }
}

#[test]
fn verify_corpus() {
    run("verify", bodies::verify);
}

#[test]
fn status_list_corpus() {
    run("status_list", bodies::status_list);
}

#[test]
fn roster_corpus() {
    run("roster", bodies::roster);
}

#[test]
fn receipt_corpus() {
    let fixture = bodies::receipt_fixture().unwrap();
    // The fixture's receipts verify against its chain.
    for (credential, receipt) in fixture.credentials.iter().zip(&fixture.receipts) {
        let r = credentials::anchor::Receipt::from_value(receipt).unwrap();
        credentials::anchor::verify_receipt(credential, &r, &fixture.chain).unwrap();
    }
    if std::env::var_os("WRITE_FUZZ_SEEDS").is_some() {
        let dir = fuzz_dir().join("corpus/receipt");
        std::fs::create_dir_all(&dir).unwrap();
        for (i, r) in fixture.receipts.iter().enumerate() {
            std::fs::write(
                dir.join(format!("fixture-{i}.json")),
                serde_json::to_string_pretty(r).unwrap(),
            )
            .unwrap();
        }
    }
    run("receipt", bodies::receipt);
}
