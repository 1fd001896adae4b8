//! The body of the app's fuzz target, shared by the cargo-fuzz binary
//! (`fuzz_targets/read_qr.rs`) and the stable-toolchain corpus test
//! (`app/tests/qr_fuzz_corpus.rs`, which includes this file), so the
//! committed seeds and every past crash run in the normal test suite too.
//!
//! It must return normally for every input: a panic here is a trap in the
//! verifier's worker, which stops the QR reader.

/// The widest and tallest picture the target builds. The verifier scales
/// pictures to at most 1,600 px before reading them; the fuzzer needs
/// small ones to be fast, and the geometry it reaches does not depend on
/// size.
pub const MAX_SIDE: usize = 1024;

/// The picture an input describes: its first byte is the width less one
/// (1 to 256 pixels), each following byte one grey pixel, row by row; the
/// height is as many whole rows as there are (at most [`MAX_SIDE`]).
/// Returns the RGBA pixels, width and height.
pub fn picture(data: &[u8]) -> Option<(Vec<u8>, usize, usize)> {
    let (&first, grey) = data.split_first()?;
    let width = usize::from(first) + 1;
    let height = (grey.len() / width).min(MAX_SIDE);
    let mut rgba = Vec::with_capacity(width * height * 4);
    for &g in grey.iter().take(width * height) {
        rgba.extend_from_slice(&[g, g, g, 255]);
    }
    Some((rgba, width, height))
}

/// `app::qr::decode_rgba` on the picture an input describes, and on the
/// same pixels read with the rows and columns swapped (a transposed
/// picture reaches the corner-finding code from other directions).
pub fn read_qr(data: &[u8]) {
    let Some((rgba, width, height)) = picture(data) else {
        return;
    };
    let _ = app::qr::decode_rgba(&rgba, width, height);
    if width > 1 && height > 1 {
        let mut turned = vec![0u8; rgba.len()];
        for y in 0..height {
            for x in 0..width {
                let (from, to) = ((y * width + x) * 4, (x * height + y) * 4);
                turned[to..to + 4].copy_from_slice(&rgba[from..from + 4]);
            }
        }
        let _ = app::qr::decode_rgba(&turned, height, width);
    }
}
