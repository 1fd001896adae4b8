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
///
/// A photograph is read in several ways until one finds a code: as it is
/// (`rqrr`'s own running-average threshold), with a threshold against the
/// mean of each pixel's neighbourhood (uneven light, glare), at half and a
/// quarter of the size (JPEG noise, blur, large modules) and, for a small
/// picture, at twice the size (a code of a few pixels a module); then, for
/// a code small in a large picture (a whole page), the part where a code
/// was seen, or else the part busiest with edges, cut out, doubled and read
/// at a sweep of thresholds. Each way costs more passes over the picture
/// only when the ones before found nothing.
pub fn decode_rgba(rgba: &[u8], width: usize, height: usize) -> Vec<String> {
    let Some(grey) = Grey::from_rgba(rgba, width, height) else {
        return Vec::new();
    };
    let at_half = || match grey.halved() {
        Some(half) => first_found(&[&|| half.decode(), &|| half.decode_local_mean(), &|| {
            half.halved().map(|q| q.decode()).unwrap_or_default()
        }]),
        None => Vec::new(),
    };
    let doubled = || {
        if width.max(height) <= 1000 {
            grey.doubled().decode()
        } else {
            Vec::new()
        }
    };
    first_found(&[
        &|| grey.decode(),
        &|| grey.decode_otsu(),
        &|| grey.decode_local_mean(),
        &at_half,
        &doubled,
        // A code that is small in a large picture (a whole page): where a
        // code was seen but not read, that part at twice the size.
        &|| grey.decode_zoomed(),
        // Last, where no code was even seen: the part of the picture
        // busiest with edges (a code among lines of print), at twice the
        // size, at one threshold after another.
        &|| grey.decode_busiest(),
    ])
}

/// What the first of `tries` that finds anything finds (the later ones
/// are not run).
fn first_found(tries: &[&dyn Fn() -> Vec<String>]) -> Vec<String> {
    tries
        .iter()
        .map(|t| t())
        .find(|found| !found.is_empty())
        .unwrap_or_default()
}

/// The texts of the codes `rqrr` finds in a prepared image.
macro_rules! grids {
    ($img:expr) => {
        $img.detect_grids()
            .into_iter()
            .filter_map(|g| g.decode().ok().map(|(_, text)| text))
            .collect()
    };
}
/// [`decode_rgba`] for a camera frame: only as it is and at half the size,
/// the ways that cost least (the next frame comes soon).
pub fn decode_frame(rgba: &[u8], width: usize, height: usize) -> Vec<String> {
    let Some(grey) = Grey::from_rgba(rgba, width, height) else {
        return Vec::new();
    };
    first_found(&[&|| grey.decode(), &|| {
        grey.halved().map(|h| h.decode()).unwrap_or_default()
    }])
}

/// A greyscale picture.
struct Grey {
    px: Vec<u8>,
    w: usize,
    h: usize,
}

impl Grey {
    /// None for an empty picture or fewer pixels than its size says.
    fn from_rgba(rgba: &[u8], w: usize, h: usize) -> Option<Grey> {
        if w == 0 || h == 0 || rgba.len() < w.saturating_mul(h).saturating_mul(4) {
            return None;
        }
        let px = rgba
            .chunks_exact(4)
            .take(w * h)
            .map(|p| match p {
                // ITU-R BT.601 luma, integer arithmetic.
                [r, g, b, _] => {
                    ((u32::from(*r) * 299 + u32::from(*g) * 587 + u32::from(*b) * 114) / 1000) as u8
                }
                _ => 255,
            })
            .collect();
        Some(Grey { px, w, h })
    }

    fn at(&self, x: usize, y: usize) -> u8 {
        self.px.get(y * self.w + x).copied().unwrap_or(255)
    }

    fn decode(&self) -> Vec<String> {
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(self.w, self.h, |x, y| self.at(x, y));
        grids!(img)
    }

    /// Dark below one threshold for the whole picture, the one that best
    /// splits its histogram in two (Otsu's method), else four fifths of it. `rqrr`'s own threshold
    /// follows a running average, which next to a white margin sits so high
    /// that a blurred module's edge counts as dark: modules grow fat and
    /// the finder patterns stop looking like finder patterns. A printed
    /// code is two inks, so one threshold between them keeps its shape.
    fn decode_otsu(&self) -> Vec<String> {
        let mut histogram = [0u64; 256];
        for &p in &self.px {
            if let Some(n) = histogram.get_mut(usize::from(p)) {
                *n += 1;
            }
        }
        let total = self.px.len() as u64;
        let sum_all: u64 = histogram
            .iter()
            .enumerate()
            .map(|(v, n)| v as u64 * n)
            .sum();
        let (mut below, mut sum_below) = (0u64, 0u64);
        let (mut best, mut threshold) = (0f64, 128u8);
        for (v, n) in histogram.iter().enumerate() {
            below += n;
            sum_below += v as u64 * n;
            let above = total - below;
            if below == 0 || above == 0 {
                continue;
            }
            let mean_below = sum_below as f64 / below as f64;
            let mean_above = (sum_all - sum_below) as f64 / above as f64;
            let between = below as f64 * above as f64 * (mean_below - mean_above).powi(2);
            if between > best {
                best = between;
                threshold = v as u8;
            }
        }
        // Blur and JPEG spread ink into paper: when the split itself finds
        // nothing, a lower threshold gives the modules back their width.
        [threshold, (u16::from(threshold) * 4 / 5) as u8]
            .iter()
            .map(|&t| {
                let mut img = rqrr::PreparedImage::prepare_from_bitmap(self.w, self.h, |x, y| {
                    self.at(x, y) <= t
                });
                grids!(img)
            })
            .find(|found: &Vec<String>| !found.is_empty())
            .unwrap_or_default()
    }

    /// Dark where a pixel is darker than the mean of the square around it
    /// (a side of about an eighth of the picture) by a little: a local
    /// threshold that evens out light falling across the code.
    fn decode_local_mean(&self) -> Vec<String> {
        let (w, h) = (self.w, self.h);
        // The sums fit in u32 up to 16.8 million pixels; larger pictures
        // (which `platform::camera` never hands over) skip this way.
        if w.saturating_mul(h) > (u32::MAX / 255) as usize {
            return Vec::new();
        }
        // Sums over the picture, so any square's mean costs four lookups.
        // (u32: at most 255 × 16.8 million pixels, more than a picture
        // `platform::camera` hands over holds.)
        let mut sum = vec![0u32; (w + 1) * (h + 1)];
        for y in 0..h {
            let mut row = 0u32;
            for x in 0..w {
                row = row.saturating_add(u32::from(self.at(x, y)));
                let above = sum.get(y * (w + 1) + x + 1).copied().unwrap_or(0);
                if let Some(s) = sum.get_mut((y + 1) * (w + 1) + x + 1) {
                    *s = above.saturating_add(row);
                }
            }
        }
        let r = (w.min(h) / 16).max(4);
        let s = |x: usize, y: usize| sum.get(y * (w + 1) + x).copied().unwrap_or(0);
        let mut img = rqrr::PreparedImage::prepare_from_bitmap(w, h, |x, y| {
            let (x0, y0) = (x.saturating_sub(r), y.saturating_sub(r));
            let (x1, y1) = ((x + r + 1).min(w), (y + r + 1).min(h));
            let area = ((x1 - x0) * (y1 - y0)) as u64;
            let total = (u64::from(s(x1, y1)) + u64::from(s(x0, y0)))
                .saturating_sub(u64::from(s(x0, y1)) + u64::from(s(x1, y0)));
            // Dark: more than 7 % below the local mean.
            u64::from(self.at(x, y)) * 100 * area < total * 93
        });
        grids!(img)
    }

    /// The places where `rqrr` finds a code it cannot read, each cut out
    /// with a margin and read again at twice the size (at most four).
    fn decode_zoomed(&self) -> Vec<String> {
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(self.w, self.h, |x, y| self.at(x, y));
        let boxes: Vec<(usize, usize, usize, usize)> = img
            .detect_grids()
            .iter()
            .filter(|g| g.decode().is_err())
            .filter_map(|g| {
                let xs = g.bounds.iter().map(|p| p.x);
                let ys = g.bounds.iter().map(|p| p.y);
                let (x0, x1) = (xs.clone().min()?, xs.max()?);
                let (y0, y1) = (ys.clone().min()?, ys.max()?);
                let margin = ((x1 - x0).max(y1 - y0) / 8).max(8);
                let clamp = |v: i32, hi: usize| usize::try_from(v.max(0)).unwrap_or(0).min(hi);
                let (x0, y0) = (clamp(x0 - margin, self.w), clamp(y0 - margin, self.h));
                let (x1, y1) = (clamp(x1 + margin, self.w), clamp(y1 + margin, self.h));
                // Only a part small enough to double cheaply.
                (x1 > x0 + 32 && y1 > y0 + 32 && (x1 - x0) * (y1 - y0) <= 1 << 21)
                    .then_some((x0, y0, x1, y1))
            })
            .take(4)
            .collect();
        boxes
            .into_iter()
            .flat_map(|(x0, y0, x1, y1)| {
                let big = self.crop(x0, y0, x1, y1).doubled();
                first_found(&[&|| big.decode(), &|| big.decode_otsu(), &|| {
                    big.decode_local_mean()
                }])
            })
            .collect()
    }

    /// Dark below each of a sweep of thresholds in turn, until one reads.
    /// Blur, tilt and JPEG move the grey level that keeps a small module's
    /// shape away from any level a rule picks; the sweep costs a dozen
    /// passes, so it runs only on a cut-out part (see
    /// [`Grey::decode_busiest`]).
    fn decode_sweep(&self) -> Vec<String> {
        (40u8..=220)
            .step_by(15)
            .map(|t| {
                let mut img = rqrr::PreparedImage::prepare_from_bitmap(self.w, self.h, |x, y| {
                    self.at(x, y) <= t
                });
                grids!(img)
            })
            .find(|found: &Vec<String>| !found.is_empty())
            .unwrap_or_default()
    }

    /// The square of the picture busiest with edges, with a margin: the
    /// picture cut into blocks (64 along its longer side), each scored by
    /// how much the grey level changes between neighbouring pixels in it,
    /// then the blocks joined to the busiest one that score at least 30 %
    /// of it. A code's modules change at every other pixel; lines of print
    /// are sparser, paper and photos smoother. None when the region is not
    /// roughly square (a code seen from an angle stays within 2 : 1) or
    /// is too small to hold a code.
    fn busiest_region(&self) -> Option<(usize, usize, usize, usize)> {
        let b = (self.w.max(self.h) / 64).max(8);
        let (bw, bh) = (self.w / b, self.h / b);
        if bw < 3 || bh < 3 {
            return None;
        }
        let mut energy = vec![0u64; bw * bh];
        for y in 0..bh * b {
            for x in 0..bw * b {
                let p = i32::from(self.at(x, y));
                let dx = (i32::from(self.at((x + 1).min(self.w - 1), y)) - p).unsigned_abs();
                let dy = (i32::from(self.at(x, (y + 1).min(self.h - 1))) - p).unsigned_abs();
                if let Some(e) = energy.get_mut((y / b) * bw + x / b) {
                    *e += u64::from(dx + dy);
                }
            }
        }
        let max = energy.iter().copied().max()?;
        let start = energy.iter().position(|&e| e == max)?;
        if max == 0 {
            return None;
        }
        let busy = |i: usize| energy.get(i).is_some_and(|&e| e * 10 >= max * 3);
        let mut seen = vec![false; bw * bh];
        let mut stack = vec![start];
        let (mut x0, mut x1, mut y0, mut y1) = (bw, 0, bh, 0);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % bw, i / bw);
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
            let around = [
                (x > 0).then(|| i - 1),
                (x + 1 < bw).then_some(i + 1),
                (y > 0).then(|| i - bw),
                (y + 1 < bh).then_some(i + bw),
            ];
            for j in around.into_iter().flatten() {
                if busy(j) && !seen.get(j).copied().unwrap_or(true) {
                    if let Some(s) = seen.get_mut(j) {
                        *s = true;
                    }
                    stack.push(j);
                }
            }
        }
        let (cols, rows) = (x1 + 1 - x0, y1 + 1 - y0);
        if cols.max(rows) > 2 * cols.min(rows) || cols.min(rows) < 3 {
            return None;
        }
        // Two blocks of margin: the code's edge and its quiet zone.
        Some((
            x0.saturating_sub(2) * b,
            y0.saturating_sub(2) * b,
            ((x1 + 3) * b).min(self.w),
            ((y1 + 3) * b).min(self.h),
        ))
    }

    /// [`Grey::busiest_region`] cut out, doubled when small enough to
    /// double cheaply, and read as it is, with Otsu's threshold and at a
    /// sweep of thresholds.
    fn decode_busiest(&self) -> Vec<String> {
        let Some((x0, y0, x1, y1)) = self.busiest_region() else {
            return Vec::new();
        };
        let crop = self.crop(x0, y0, x1, y1);
        let part = if crop.w * crop.h <= 1 << 20 {
            crop.doubled()
        } else {
            crop
        };
        first_found(&[&|| part.decode(), &|| part.decode_otsu(), &|| {
            part.decode_sweep()
        }])
    }

    /// The part from (`x0`, `y0`) up to (`x1`, `y1`), exclusive.
    fn crop(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> Grey {
        Grey {
            px: (y0..y1)
                .flat_map(|y| (x0..x1).map(move |x| (x, y)))
                .map(|(x, y)| self.at(x, y))
                .collect(),
            w: x1.saturating_sub(x0),
            h: y1.saturating_sub(y0),
        }
    }

    /// Half the size, each pixel the mean of a 2 × 2 square (none for a
    /// picture too small to hold a code at half size).
    fn halved(&self) -> Option<Grey> {
        let (w, h) = (self.w / 2, self.h / 2);
        if w < 64 || h < 64 {
            return None;
        }
        let mut px = Vec::with_capacity(w * h);
        for y in 0..h {
            for x in 0..w {
                let sum: u32 = [(0, 0), (1, 0), (0, 1), (1, 1)]
                    .iter()
                    .map(|(dx, dy)| u32::from(self.at(2 * x + dx, 2 * y + dy)))
                    .sum();
                px.push((sum / 4) as u8);
            }
        }
        Some(Grey { px, w, h })
    }

    /// Twice the size, each new pixel between the old ones it falls among
    /// (bilinear), so edges stay where they were.
    fn doubled(&self) -> Grey {
        let (w, h) = (self.w * 2, self.h * 2);
        let mut px = Vec::with_capacity(w * h);
        for y in 0..h {
            let (y0, y1) = (y / 2, (y / 2 + y % 2).min(self.h - 1));
            for x in 0..w {
                let (x0, x1) = (x / 2, (x / 2 + x % 2).min(self.w - 1));
                let sum = u32::from(self.at(x0, y0))
                    + u32::from(self.at(x1, y0))
                    + u32::from(self.at(x0, y1))
                    + u32::from(self.at(x1, y1));
                px.push((sum / 4) as u8);
            }
        }
        Grey { px, w, h }
    }
}

// A certificate as the desk issues it (shared with `tests/qr_photos.rs`).
#[cfg(test)]
#[path = "../tests/support/desk_like.rs"]
mod desk_like;

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
    fn the_busiest_part_of_a_page_is_its_code() {
        // A code at 3 px a module, placed low and right on a white page
        // with solid bars of "print" above it.
        let (code, side) = render(
            "https://school.example/chainclass/#/verify?vc=C1.ABC",
            3,
            EcLevel::M,
        );
        let (w, h) = (900, 1200);
        let mut page = vec![255u8; w * h * 4];
        let (cx, cy) = (600, 850);
        for y in 0..side {
            let row = &code[y * side * 4..(y + 1) * side * 4];
            page[((cy + y) * w + cx) * 4..((cy + y) * w + cx + side) * 4].copy_from_slice(row);
        }
        for (y0, x1) in [(100, 800), (250, 700), (300, 760), (350, 500)] {
            for y in y0..y0 + 20 {
                page[(y * w + 100) * 4..(y * w + x1) * 4].fill(0);
            }
        }
        let grey = Grey::from_rgba(&page, w, h).unwrap();
        let (x0, y0, x1, y1) = grey.busiest_region().unwrap();
        assert!(
            x0 <= cx && y0 <= cy && x1 >= cx + side && y1 >= cy + side,
            "{x0},{y0}..{x1},{y1}"
        );
        assert!((x1 - x0) * (y1 - y0) < w * h / 4, "{x0},{y0}..{x1},{y1}");
        // Nothing busy, or too thin to hold a code: no part to cut out.
        let white = Grey::from_rgba(&vec![255u8; 400 * 400 * 4], 400, 400).unwrap();
        assert_eq!(white.busiest_region(), None);
        let strip = Grey::from_rgba(&vec![0u8; 3000 * 9 * 4], 3000, 9).unwrap();
        assert_eq!(strip.busiest_region(), None);
        assert!(strip.decode_busiest().is_empty());
    }

    #[test]
    fn noise_and_bad_sizes_decode_to_nothing() {
        assert!(decode_rgba(&[], 0, 0).is_empty());
        assert!(decode_rgba(&[0; 10], 100, 100).is_empty());
        let noise: Vec<u8> = (0..64 * 64 * 4).map(|i| ((i * 7919) % 251) as u8).collect();
        assert!(decode_rgba(&noise, 64, 64).is_empty());
    }

    use super::desk_like::desk_like;

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
