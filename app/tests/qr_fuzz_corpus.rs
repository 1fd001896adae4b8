//! The QR fuzz target's body (`fuzz/src/lib.rs`, included here) over the
//! committed seeds and every past crash (`fuzz/regressions/read_qr/`), on
//! the stable toolchain: a picture that once broke the reader stays fixed
//! because it runs in the normal test suite. Native only (reads files);
//! `cargo xtask test` runs it in its native step.
//!
//! `WRITE_FUZZ_SEEDS=1 cargo test -p app --test qr_fuzz_corpus` rewrites the
//! generated seeds (`fuzz/corpus/read_qr/`).
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

use qrcode::{Color, EcLevel, QrCode, Version};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn files(kind: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(fuzz_dir().join(kind).join("read_qr")) {
        for e in entries.flatten() {
            if e.path().is_file() && e.file_name() != ".gitkeep" {
                out.push((e.path(), std::fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A seed: `text` as a code of `version` (or the smallest that fits) drawn
/// at `scale` pixels per module with a 2-module margin, grey levels
/// `dark`/`light`, in the target's input format (width less one, then grey
/// pixels). `turn` swaps rows and columns.
fn seed(text: &str, version: Option<i16>, scale: usize, dark: u8, light: u8) -> Vec<u8> {
    let code = match version {
        Some(v) => QrCode::with_version(text, Version::Normal(v), EcLevel::L).unwrap(),
        None => QrCode::with_error_correction_level(text, EcLevel::L).unwrap(),
    };
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 4) * scale;
    assert!(side <= 256, "a seed is at most 256 pixels wide");
    let mut out = vec![(side - 1) as u8];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / scale).checked_sub(2), (y / scale).checked_sub(2));
            let dark_here = match (mx, my) {
                (Some(mx), Some(my)) if mx < modules && my < modules => {
                    colors[my * modules + mx] == Color::Dark
                }
                _ => false,
            };
            out.push(if dark_here { dark } else { light });
        }
    }
    out
}

/// The generated seeds, with the text each holds.
fn seeds() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        ("v1-scale3", "hello", seed("hello", None, 3, 0, 255)),
        (
            "v2-scale2-grey",
            "https://school.example/#/verify",
            seed("https://school.example/#/verify", Some(2), 2, 60, 200),
        ),
        (
            "v7-scale1",
            "alignment patterns",
            seed("alignment patterns", Some(7), 1, 0, 255),
        ),
        (
            "v10-scale2",
            "a denser code",
            seed("a denser code", Some(10), 2, 20, 235),
        ),
    ]
}

#[test]
fn seeds_are_real_codes_the_reader_reads() {
    for (name, text, data) in seeds() {
        let (rgba, w, h) = bodies::picture(&data).unwrap();
        assert_eq!(
            app::qr::decode_rgba(&rgba, w, h),
            vec![text.to_string()],
            "seed {name}"
        );
        bodies::read_qr(&data);
    }
    if std::env::var_os("WRITE_FUZZ_SEEDS").is_some() {
        let dir = fuzz_dir().join("corpus/read_qr");
        std::fs::create_dir_all(&dir).unwrap();
        for (name, _, data) in seeds() {
            std::fs::write(dir.join(name), data).unwrap();
        }
    }
}

#[test]
fn committed_seeds_match_the_generator() {
    let committed = files("corpus");
    assert_eq!(
        committed.len(),
        seeds().len(),
        "run with WRITE_FUZZ_SEEDS=1"
    );
    for (name, _, data) in seeds() {
        let path = fuzz_dir().join("corpus/read_qr").join(name);
        assert_eq!(std::fs::read(&path).unwrap(), data, "{}", path.display());
    }
}

#[test]
fn past_crashes_stay_fixed() {
    for (path, data) in files("regressions") {
        eprintln!("read_qr: {}", path.display());
        bodies::read_qr(&data);
    }
}
