//! QR codes drawn in Rust as SVG (no image crates, no network): used for
//! verify links on screen and on printed certificates.

use qrcode::{Color, EcLevel, QrCode};

/// The text does not fit in a QR code (more than about 2,900 bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLongForQr {
    /// Its length in bytes.
    pub len: usize,
}

/// An SVG drawing of a QR code holding `text`, with a 4-module quiet zone.
/// Uses error correction level L to fit whole credentials in verify links.
pub fn svg(text: &str) -> Result<String, TooLongForQr> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L)
        .map_err(|_| TooLongForQr { len: text.len() })?;
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
