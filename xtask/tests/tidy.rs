//! The tidy test: project-wide rules that code review would otherwise have to
//! remember. Every Rust file starts with a `//!` doc saying what it owns, and
//! the pure crates (`ledger`, `credentials`) never reach for the browser, the
//! clock or an RNG, and only the verifier's worker runs the ledger importer
//! and the QR decoder.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !matches!(
                name.as_ref(),
                "target" | "node_modules" | "dist" | ".git" | "corpus" | "artifacts" | "vendor"
            ) {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let mut files = Vec::new();
    rust_files(&root(), &mut files);
    assert!(files.len() > 10, "found only {} Rust files", files.len());
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_default();
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            !first.starts_with("//!")
        })
        .map(|f| f.strip_prefix(root()).unwrap_or(f).display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not start with a `//!` doc saying what they own:\n{}",
        missing.join("\n")
    );
}

#[test]
fn pure_crates_do_no_io_no_clock_no_rng() {
    const FORBIDDEN_DEPS: [&str; 7] = [
        "web-sys",
        "js-sys",
        "wasm-bindgen",
        "getrandom",
        "rand",
        "gloo",
        "yew",
    ];
    const FORBIDDEN_CODE: [&str; 7] = [
        "SystemTime::now",
        "Instant::now",
        "std::fs::",
        "std::net::",
        "thread_rng",
        "OsRng",
        "std::env::var",
    ];
    for krate in ["ledger", "credentials"] {
        let manifest = std::fs::read_to_string(root().join(krate).join("Cargo.toml")).unwrap();
        // Only [dependencies] matter; dev-dependencies may use anything.
        let deps = manifest
            .split("\n[")
            .filter(|section| section.starts_with("dependencies]"))
            .collect::<String>();
        for dep in FORBIDDEN_DEPS {
            let found = deps
                .lines()
                .any(|l| l.split(['=', '.', ' ']).next().map(str::trim) == Some(dep));
            assert!(!found, "{krate} must stay pure but depends on {dep}");
        }
        let mut files = Vec::new();
        rust_files(&root().join(krate).join("src"), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for pattern in FORBIDDEN_CODE {
                assert!(
                    !text.contains(pattern),
                    "{} uses {pattern}: pure crates take time, randomness and data as parameters",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn ledger_never_depends_on_credentials() {
    let manifest = std::fs::read_to_string(root().join("ledger/Cargo.toml")).unwrap();
    assert!(
        !manifest.contains("credentials"),
        "ledger must not depend on credentials"
    );
}

/// Every Rust file below `dir` (relative to the root), with its text and
/// its path as written in the rules (`app/src/…`, forward slashes).
fn texts_below(dir: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&root().join(dir), &mut files);
    files
        .into_iter()
        .map(|file| {
            let rel = file
                .strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&file).unwrap())
        })
        .collect()
}

#[test]
fn only_the_worker_imports_ledgers_and_decodes_qr_codes() {
    // The pages leave these out of their wasm (ARCHITECTURE.md, invariants):
    // each name may appear only in the files listed.
    const WORKER_ONLY: [(&str, &[&str]); 4] = [
        ("decode_rgba", &["app/src/qr.rs", "app/src/jobs.rs"]),
        ("LedgerInput::import", &["app/src/state/verify.rs"]),
        ("run_with_ledger", &["app/src/state/verify.rs"]),
        (
            "answer_request",
            &["app/src/state/verify.rs", "app/src/jobs.rs"],
        ),
    ];
    // The app's own code (what the pages are built from); its tests and its
    // fuzz target (`app/tests`, `app/fuzz`) may call anything.
    let files = texts_below("app/src");
    assert!(files.len() > 10, "found only {} app files", files.len());
    for (rel, text) in files {
        for (name, allowed) in WORKER_ONLY {
            assert!(
                !text.contains(name) || allowed.contains(&rel.as_str()),
                "{rel} uses {name}, which only the verifier's worker may run (app/src/jobs.rs)"
            );
        }
    }
}

#[test]
fn one_storage_layer_and_domain_code_without_a_clock() {
    // Everything the app keeps goes through `state::stored` (ARCHITECTURE.md,
    // invariants: one compare-and-swap, one merge per record); the desk's,
    // the wallet's and the lessons' domain code take time and randomness as
    // parameters.
    const RULES: [(&str, &[&str]); 3] = [
        ("idb::", &["app/src/state/stored.rs"]),
        (
            "clock::",
            &["app/src/state/stored.rs", "app/src/state/verify.rs"],
        ),
        ("random::", &["app/src/state/key_lock.rs"]),
    ];
    let files = texts_below("app/src/state");
    assert!(files.len() > 8, "found only {} state files", files.len());
    for (rel, text) in files {
        for (name, allowed) in RULES {
            assert!(
                !text.contains(name) || allowed.contains(&rel.as_str()),
                "{rel} uses {name}: storage goes through state/stored.rs, and domain code takes time and randomness as parameters"
            );
        }
    }
    for (rel, text) in texts_below("app/src/pages") {
        assert!(
            !text.contains("idb::"),
            "{rel} writes IndexedDB itself: use state::stored"
        );
    }
}

#[test]
fn only_the_worker_is_built_with_the_json_ld_processor() {
    // ~160 KB gzipped: no page's first load may carry it (ARCHITECTURE.md).
    for page in ["index.html", "wallet.html", "learn.html", "teach.html"] {
        let html = std::fs::read_to_string(root().join(page)).unwrap();
        for tag in html
            .split('<')
            .filter(|t| t.contains("data-cargo-features"))
        {
            if tag.contains("rdfc") {
                assert!(
                    tag.contains("data-bin=\"verify-worker\""),
                    "{page}: only the verifier's worker may ask for rdfc: <{tag}"
                );
            }
        }
    }
    let manifest = std::fs::read_to_string(root().join("app/Cargo.toml")).unwrap();
    let default = manifest
        .lines()
        .find(|l| l.trim_start().starts_with("default"))
        .unwrap_or("");
    assert!(
        !default.contains("rdfc"),
        "app's default features must not include rdfc"
    );
}

#[test]
fn every_page_has_the_same_head_as_index_html() {
    // Trunk has no includes, so the four pages repeat their <head>: the
    // Content-Security-Policy, the stylesheet, the icon and the manifest
    // must not drift apart (see ARCHITECTURE.md, the split into pages).
    let shared = |html: &str| -> Vec<String> {
        html.lines()
            .map(str::trim)
            .filter(|l| {
                l.starts_with("<meta ")
                    || l.starts_with("<title>")
                    || l.starts_with("<link rel=")
                    || l.contains("rel=\"css\"")
            })
            .map(str::to_owned)
            .collect()
    };
    let index = shared(&std::fs::read_to_string(root().join("index.html")).unwrap());
    assert!(
        index.iter().any(|l| l.contains("Content-Security-Policy")),
        "index.html has no CSP: {index:?}"
    );
    for page in ["wallet.html", "learn.html", "teach.html"] {
        let html = std::fs::read_to_string(root().join(page)).unwrap();
        assert_eq!(
            shared(&html),
            index,
            "{page}'s <head> differs from index.html's"
        );
        assert!(
            html.contains(&format!("data-bin=\"{}\"", page.trim_end_matches(".html"))),
            "{page} must load its own binary (app/src/bin/)"
        );
    }
}
