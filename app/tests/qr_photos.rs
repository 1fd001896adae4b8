//! Photographs of ChainClass QR codes, read by the app's decoder and by zbar.
//!
//! The pictures are made here with ImageMagick from the code the desk prints
//! for a real certificate link: close-ups that are flat, rotated, in mild and
//! strong perspective, blurred, unevenly lit, saved as JPEG at quality
//! 60–85, and whole A4 pages 1,000–3,000 px wide with the code where the
//! print view puts it. Each is read as the verifier reads a chosen picture
//! (scaled so its longer side is at most 3,000 px, then
//! `app::qr::decode_rgba`, the worker's decoder) and by `zbarimg`
//! (Debian `zbar-tools`), the reference reader. ChainClass must read every
//! picture zbar reads. `cargo test -p app --test qr_photos -- --nocapture`
//! prints the table (`cargo xtask test` installs both programs). Native
//! only (runs programs); `cargo xtask test` runs it in its native step. The
//! pictures stay in `target/qr-photos/` with a manifest, for the browser
//! test that reads each one through the verifier page.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/desk_like.rs"]
mod desk_like;

/// The verify link the codes hold: a desk-issued certificate's compact link.
fn link() -> String {
    let doc = desk_like::desk_like(
        &credentials::templates::STEM_INTERNSHIP,
        credentials::ob3::LanguageMode::Bilingual,
        true,
    );
    credentials::share::verify_link(
        "https://school.example.edu.hk/chainclass/",
        &credentials::share::encode_compact(&doc),
    )
}

/// The code as a greyscale PGM, `scale` pixels a module, 4-module quiet zone.
fn code_pgm(text: &str, scale: usize, path: &Path) {
    let code = app::qr::code(text).unwrap();
    let (w, colors) = (code.width(), code.to_colors());
    let side = (w + 8) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (mx, my) = (i % w + 4, i / w + 4);
            for y in my * scale..(my + 1) * scale {
                for x in mx * scale..(mx + 1) * scale {
                    pixels[y * side + x] = 0;
                }
            }
        }
    }
    let mut out = format!("P5\n{side} {side}\n255\n").into_bytes();
    out.extend_from_slice(&pixels);
    std::fs::write(path, out).unwrap();
}

fn run(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// What the verifier reads from the picture: at most 3,000 px on the
/// longer side (as `platform::camera` scales it), greyscale, then the
/// worker's decoder.
fn chainclass_reads(picture: &Path, dir: &Path) -> Vec<String> {
    let pgm = dir.join(format!(
        "{}.scaled.pgm",
        picture.file_stem().unwrap_or_default().to_string_lossy()
    ));
    let ok = Command::new("convert")
        .arg(picture)
        .args([
            "-resize",
            "3000x3000>",
            "-colorspace",
            "Gray",
            "-depth",
            "8",
        ])
        .arg(format!("pgm:{}", pgm.display()))
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "convert could not read {}", picture.display());
    let bytes = std::fs::read(&pgm).unwrap();
    let _ = std::fs::remove_file(&pgm);
    // P5 header: magic, width, height, maxval, each followed by whitespace.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    at += 1;
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let rgba: Vec<u8> = bytes[at..at + w * h]
        .iter()
        .flat_map(|&g| [g, g, g, 255])
        .collect();
    app::qr::decode_rgba(&rgba, w, h)
}

/// The pictures: a name and the ImageMagick steps from the code (a PGM at
/// 8 px a module) to the photo.
fn scenes() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    // An A4 page at 300 dpi is 2480 × 3508 px; the print view's code is
    // about 4.5 cm wide (530 px) near the bottom right.
    let page = |width: &'static str, extra: Vec<&'static str>| {
        let mut steps = vec![
            "-resize",
            "530x530",
            "-background",
            "white",
            // The code, 240 px from the right edge and 300 px from the
            // bottom, on a white A4 page with a title and lines of text.
            "-gravity",
            "northwest",
            "-extent",
            "770x830",
            "-gravity",
            "southeast",
            "-extent",
            "2480x3508",
            "-fill",
            "black",
            "-draw",
            "rectangle 300,300 2180,420",
            "-draw",
            "rectangle 300,700 2000,740",
            "-draw",
            "rectangle 300,800 2100,840",
            "-draw",
            "rectangle 300,900 1700,940",
            "-draw",
            "rectangle 300,2800 1300,2840",
            "-resize",
            width,
        ];
        steps.extend(extra);
        steps
    };
    // The page at 2,000 px, tilted by `angle` degrees, blurred by `blur`,
    // saved as JPEG 75.
    let tilted_page = |angle: &'static str, blur: &'static str| {
        page(
            "2000x",
            vec![
                "-background",
                "white",
                "-rotate",
                angle,
                "-blur",
                blur,
                "-quality",
                "75",
            ],
        )
    };
    vec![
        ("flat close-up", "png", vec!["-resize", "1200x1200"]),
        (
            "flat, 4,000 px (scaled to 3,000)",
            "png",
            vec!["-resize", "4000x4000"],
        ),
        (
            "rotated 6°",
            "png",
            vec![
                "-resize",
                "1200x1200",
                "-background",
                "white",
                "-rotate",
                "6",
            ],
        ),
        (
            "rotated 35°",
            "png",
            vec![
                "-resize",
                "1200x1200",
                "-background",
                "white",
                "-rotate",
                "35",
            ],
        ),
        (
            "mild perspective",
            "png",
            vec![
                "-resize",
                "1200x1200",
                "-virtual-pixel",
                "white",
                "-distort",
                "Perspective",
                "0,0 60,40 1200,0 1150,10 0,1200 20,1180 1200,1200 1180,1150",
            ],
        ),
        (
            "strong perspective",
            "png",
            vec![
                "-resize",
                "1200x1200",
                "-virtual-pixel",
                "white",
                "-distort",
                "Perspective",
                "0,0 200,120 1200,0 1000,60 0,1200 40,1150 1200,1200 1180,1180",
            ],
        ),
        (
            "mild blur",
            "png",
            vec!["-resize", "1200x1200", "-blur", "0x2"],
        ),
        (
            "strong blur",
            "png",
            vec!["-resize", "1200x1200", "-blur", "0x4"],
        ),
        (
            "JPEG quality 60",
            "jpg",
            vec!["-resize", "1000x1000", "-quality", "60"],
        ),
        (
            "JPEG quality 85",
            "jpg",
            vec!["-resize", "1000x1000", "-quality", "85"],
        ),
        (
            "uneven light",
            "png",
            vec![
                "-resize",
                "1200x1200",
                "(",
                "-size",
                "1200x1200",
                "gradient:gray35-white",
                "-rotate",
                "90",
                ")",
                "-compose",
                "multiply",
                "-composite",
            ],
        ),
        (
            "phone photo: perspective, blur, light, JPEG 75",
            "jpg",
            vec![
                "-resize",
                "1400x1400",
                "-virtual-pixel",
                "white",
                "-distort",
                "Perspective",
                "0,0 80,50 1400,0 1330,20 0,1400 30,1370 1400,1400 1370,1320",
                "-blur",
                "0x1.5",
                "(",
                "-size",
                "1400x1400",
                "gradient:gray45-white",
                ")",
                "-compose",
                "multiply",
                "-composite",
                "-quality",
                "75",
            ],
        ),
        (
            "screenshot, 3 px a module, JPEG 70",
            "jpg",
            vec!["-scale", "37.5%", "-quality", "70"],
        ),
        (
            "A4 page, 1,000 px wide",
            "jpg",
            page("1000x", vec!["-quality", "80"]),
        ),
        (
            "A4 page, 2,000 px wide",
            "jpg",
            page("2000x", vec!["-quality", "80"]),
        ),
        (
            "A4 page, 3,000 px wide",
            "jpg",
            page("3000x", vec!["-quality", "80"]),
        ),
        (
            "A4 page, 2,000 px, tilted 5° and more blurred",
            "jpg",
            tilted_page("5", "0x1.4"),
        ),
        (
            "A4 page, 2,000 px, tilted −4° and blurred",
            "jpg",
            tilted_page("-4", "0x1.2"),
        ),
        (
            "A4 page, 2,000 px, tilted 4° and blurred",
            "jpg",
            tilted_page("4", "0x1.2"),
        ),
    ]
}

/// Pictures zbar reads and ChainClass does not yet, each with why. The
/// test fails if one of them starts to read (take it off the list) and
/// for any other picture zbar reads and ChainClass does not.
const KNOWN_MISSES: &[(&str, &str)] = &[(
    "A4 page, 2,000 px, tilted −4° and blurred",
    "the busiest part is found and rqrr finds the code's grid in it at five thresholds, \
     but every read fails its error correction: at ~4 px a module, rqrr samples all 93 \
     modules from one perspective fitted to the finder patterns and one alignment \
     pattern, and tilted and blurred the far modules drift a module off. zbar fits the \
     perspective cell by cell between all the alignment patterns. It is at the edge: the \
     verifier page in Chromium, whose JPEG decoding gives slightly different grey \
     levels than ImageMagick's, reads the same file (tests/e2e/qr-photos.spec.js).",
)];

/// Where the pictures and `manifest.json` (each picture's name, file and
/// who read it) are left for the browser test (`tests/e2e/qr-photos.spec.js`),
/// which feeds every picture to the verifier page: `target/qr-photos/`.
fn photos_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("qr-photos")
}

fn tool(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn chainclass_reads_every_photo_zbar_reads() {
    assert!(
        tool("convert") && tool("zbarimg"),
        "needs ImageMagick's convert and zbarimg (Debian imagemagick, zbar-tools; `cargo xtask test` installs them)"
    );
    let dir = photos_dir();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = link();
    let source = dir.join("code.pgm");
    code_pgm(&text, 8, &source);
    // Each picture is made and read on its own (two at a time: reading a
    // page is most of the test's time).
    let judge = |(name, ext, steps): (&'static str, &'static str, Vec<&'static str>)| {
        let file = format!("{}.{ext}", name.replace([' ', ',', ':', '°', '−'], "_"));
        let picture = dir.join(&file);
        let mut args: Vec<String> = vec![source.display().to_string()];
        args.extend(steps.iter().map(|s| (*s).to_owned()));
        args.push(picture.display().to_string());
        let made = Command::new("convert")
            .args(&args)
            .status()
            .is_ok_and(|s| s.success());
        assert!(made, "convert failed for {name}");
        let zbar = run("zbarimg", &["-q", "--raw", &picture.display().to_string()])
            .is_some_and(|out| out.lines().any(|l| l == text));
        let read = chainclass_reads(&picture, &dir).contains(&text);
        (name, file, zbar, read)
    };
    let all = scenes();
    let half = all.len().div_ceil(2);
    let mut rest = all;
    let second = rest.split_off(half);
    let rows: Vec<_> = std::thread::scope(|s| {
        let other = s.spawn(|| second.into_iter().map(judge).collect::<Vec<_>>());
        let mut rows: Vec<_> = rest.into_iter().map(judge).collect();
        rows.extend(other.join().unwrap());
        rows
    });
    let (mut ours, mut zbars, mut worse, mut manifest) = (0, 0, Vec::new(), Vec::new());
    println!("picture | zbar | ChainClass");
    for (name, file, zbar, read) in rows {
        println!(
            "{name} | {} | {}",
            if zbar { "read" } else { "—" },
            if read { "read" } else { "—" }
        );
        zbars += usize::from(zbar);
        ours += usize::from(read);
        let known = KNOWN_MISSES.iter().any(|(n, _)| *n == name);
        manifest.push(serde_json::json!({
            "name": name, "file": file, "zbar": zbar, "chainclass": read, "knownMiss": known,
        }));
        if zbar && !read && !known {
            worse.push(name);
        }
        assert!(
            !(known && read),
            "{name} reads now: take it off KNOWN_MISSES"
        );
    }
    println!(
        "read: zbar {zbars}, ChainClass {ours} of {}",
        scenes().len()
    );
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&serde_json::json!({ "text": text, "pictures": manifest }))
            .unwrap(),
    )
    .unwrap();
    assert!(
        worse.is_empty(),
        "zbar reads these and ChainClass does not: {worse:?}"
    );
}
