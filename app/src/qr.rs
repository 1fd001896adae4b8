//! QR codes drawn in Rust as SVG (no image crates, no network): used for
//! verify links on screen and on printed certificates.

use qrcode::{Color, EcLevel, QrCode};

/// The text does not fit in a QR code (more than about 2,900 bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLongForQr {
    /// Its length in bytes.
    pub len: usize,
}

/// The QR code of `text`: error correction level M (a code still reads with
/// about 15 % of it smudged, creased or in glare), or L when only L holds
/// it. The text is split into the most compact modes (a compact verify
/// link's payload is all alphanumeric).
pub fn code(text: &str) -> Result<QrCode, TooLongForQr> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L))
        .map_err(|_| TooLongForQr { len: text.len() })
}

/// An SVG drawing of [`code`]'s QR code for `text`, with a 4-module quiet
/// zone.
pub fn svg(text: &str) -> Result<String, TooLongForQr> {
    let code = code(text)?;
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut path = String::new();
    for (i, color) in colors.iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i % width + quiet, i / width + quiet);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" role="img" aria-label="QR code" class="qr"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
    ))
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn draws_a_code_with_finder_patterns() {
        let s = svg("https://school.example/chainclass/#/verify?vc=abc").unwrap();
        assert!(s.starts_with("<svg"));
        // The top-left finder pattern starts at the quiet-zone corner.
        assert!(s.contains("M4 4h1v1h-1z"));
    }

    #[test]
    fn refuses_text_that_cannot_fit() {
        assert_eq!(svg(&"x".repeat(4000)), Err(TooLongForQr { len: 4000 }));
    }
}

/// Decodes every QR code found in an RGBA image (as from a canvas), with the
/// pure-Rust `rqrr` decoder. Unreadable codes are skipped; no input panics.
pub fn decode_rgba(rgba: &[u8], width: usize, height: usize) -> Vec<String> {
    if width == 0 || height == 0 || rgba.len() < width.saturating_mul(height).saturating_mul(4) {
        return Vec::new();
    }
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        let i = (y * width + x) * 4;
        match rgba.get(i..i + 3) {
            // ITU-R BT.601 luma, integer arithmetic.
            Some([r, g, b]) => {
                ((u32::from(*r) * 299 + u32::from(*g) * 587 + u32::from(*b) * 114) / 1000) as u8
            }
            _ => 255,
        }
    });
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

#[cfg(test)]
mod decode_tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    /// Renders a code to RGBA at `scale` pixels per module.
    fn render(text: &str, scale: usize, level: EcLevel) -> (Vec<u8>, usize) {
        let code = QrCode::with_error_correction_level(text.as_bytes(), level).unwrap();
        let w = code.width();
        let colors = code.to_colors();
        let size = (w + 8) * scale;
        let mut rgba = vec![255u8; size * size * 4];
        for (i, c) in colors.iter().enumerate() {
            if *c == Color::Dark {
                let (mx, my) = (i % w + 4, i / w + 4);
                for y in my * scale..(my + 1) * scale {
                    for x in mx * scale..(mx + 1) * scale {
                        let p = (y * size + x) * 4;
                        rgba[p..p + 3].copy_from_slice(&[0, 0, 0]);
                    }
                }
            }
        }
        (rgba, size)
    }

    #[test]
    fn decodes_what_it_encodes_including_a_long_verify_link() {
        let link = format!(
            "https://school.example/chainclass/#/verify?vc={}",
            "Ab-_".repeat(300)
        );
        for text in ["hello", link.as_str()] {
            let (rgba, size) = render(text, 4, EcLevel::L);
            assert_eq!(decode_rgba(&rgba, size, size), vec![text.to_string()]);
        }
    }

    /// The next number of a xorshift64 sequence (deterministic test damage).
    fn next(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    /// Paints `n` small squares black or white at pseudo-random places.
    fn smudge(rgba: &mut [u8], size: usize, n: usize, seed: &mut u64) {
        for _ in 0..n {
            let r = next(seed);
            let (x, y) = (
                (r % size as u64) as usize,
                ((r >> 20) % size as u64) as usize,
            );
            let ink = if (r >> 40) & 1 == 0 { 0 } else { 255 };
            for yy in y..(y + 3).min(size) {
                for xx in x..(x + 3).min(size) {
                    let p = (yy * size + xx) * 4;
                    rgba[p..p + 3].copy_from_slice(&[ink, ink, ink]);
                }
            }
        }
    }

    #[test]
    fn a_smudged_code_still_reads_and_damage_never_breaks_the_reader() {
        // Level H codes correct up to 30 % of their codewords (Reed-Solomon
        // over GF(256), vendor/rqrr/src/gf.rs): a few smudges are repaired.
        let text = "https://school.example/chainclass/#/verify?vc=abc";
        let scale = 4;
        let (clean, size) = render(text, scale, EcLevel::H);
        let w = size / scale - 8;
        // Smudges on the data area only (the finder patterns must stay).
        let mut smudged = clean.clone();
        let data_area = |p: usize| {
            let (x, y) = ((p / 4) % size / scale, (p / 4) / size / scale);
            (13..w + 4 - 9).contains(&x) && (13..w + 4 - 9).contains(&y)
        };
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut flipped = 0;
        while flipped < 6 {
            let p = (next(&mut seed) as usize % (size * size)) * 4;
            if data_area(p) {
                let v = if smudged[p] == 0 { 255 } else { 0 };
                let (x, y) = (
                    (p / 4) % size / scale * scale,
                    (p / 4) / size / scale * scale,
                );
                for yy in y..y + scale {
                    for xx in x..x + scale {
                        let q = (yy * size + xx) * 4;
                        smudged[q..q + 3].copy_from_slice(&[v, v, v]);
                    }
                }
                flipped += 1;
            }
        }
        assert_ne!(smudged, clean);
        assert_eq!(decode_rgba(&smudged, size, size), vec![text.to_string()]);
        // Heavier damage: whatever comes out, the reader returns (a panic in
        // wasm would take the page down).
        for round in 0..40 {
            let mut img = clean.clone();
            smudge(&mut img, size, 20 + round * 10, &mut seed);
            let read = decode_rgba(&img, size, size);
            assert!(read.iter().all(|t| t == text), "{read:?}");
        }
    }

    #[test]
    fn noise_and_bad_sizes_decode_to_nothing() {
        assert!(decode_rgba(&[], 0, 0).is_empty());
        assert!(decode_rgba(&[0; 10], 100, 100).is_empty());
        let noise: Vec<u8> = (0..64 * 64 * 4).map(|i| ((i * 7919) % 251) as u8).collect();
        assert!(decode_rgba(&noise, 64, 64).is_empty());
    }

    /// A certificate as the desk issues it: a programme, an e-mail hashed
    /// with a salt, optionally the student's name, a revocation entry on the
    /// school's site, an Ed25519 proof.
    fn desk_like(
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

    fn version(code: &QrCode) -> i16 {
        match code.version() {
            qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
        }
    }

    /// The QR version of every built-in programme's verify link, with and
    /// without the student's name, in each language mode: the compact
    /// links fit version 20 at level M (the plain ones needed up to 30 at
    /// L). `cargo test -p app --lib qr:: -- --nocapture` prints the table.
    #[test]
    fn printed_verify_links_fit_version_20_at_level_m() {
        use credentials::ob3::LanguageMode;
        let base = "https://school.example.edu.hk/chainclass/";
        println!(
            "programme | language | name | plain link: chars, QR (L) | compact link: chars, QR (M)"
        );
        for t in credentials::templates::ALL.iter().filter(|t| !t.custom) {
            for mode in [
                LanguageMode::Bilingual,
                LanguageMode::English,
                LanguageMode::TraditionalChinese,
            ] {
                for name in [false, true] {
                    let doc = desk_like(t, mode, name);
                    let plain = credentials::share::verify_link(
                        base,
                        &credentials::share::encode_value(&doc),
                    );
                    let compact = credentials::share::verify_link(
                        base,
                        &credentials::share::encode_compact(&doc),
                    );
                    let old =
                        QrCode::with_error_correction_level(plain.as_bytes(), EcLevel::L).unwrap();
                    let new = code(&compact).unwrap();
                    assert_eq!(new.error_correction_level(), EcLevel::M, "{}", t.key);
                    println!(
                        "{} | {mode:?} | {name} | {}, v{} | {}, v{}",
                        t.key,
                        plain.len(),
                        version(&old),
                        compact.len(),
                        version(&new)
                    );
                    assert!(
                        version(&new) <= 20,
                        "{} {mode:?} name={name}: version {}",
                        t.key,
                        version(&new)
                    );
                    // And it reads back to the same certificate.
                    let payload = compact.split("vc=").nth(1).unwrap();
                    let back: serde_json::Value =
                        serde_json::from_str(&credentials::share::decode_payload(payload).unwrap())
                            .unwrap();
                    assert_eq!(back, doc);
                }
            }
        }
    }
}
