//! Pixels for the QR reader: from an image file (any format the browser can
//! decode) and from the camera. Uses the browser's `BarcodeDetector` when it
//! exists (ChromeOS, Android) and otherwise hands RGBA pixels to the pure-Rust
//! decoder in `crate::qr`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Largest side an image is scaled down to before decoding: a photo of a
/// whole A4 page keeps about 4 pixels a module of its printed code (at
/// 1,600 px it kept 2, too few to read), and the pixels stay under 40 MB.
const MAX_SIDE: f64 = 3000.0;

/// Why no pixels could be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraError {
    /// The file is not an image the browser can decode.
    NotAnImage,
    /// No camera, or the browser has no camera API.
    NoCamera,
    /// The user (or a policy) refused camera access.
    Denied,
    /// Something else in the browser failed.
    Failed,
}

fn document() -> Result<web_sys::Document, CameraError> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or(CameraError::Failed)
}

fn canvas_pixels(
    draw: impl FnOnce(&web_sys::CanvasRenderingContext2d, f64, f64) -> Result<(), JsValue>,
    width: f64,
    height: f64,
) -> Result<(Vec<u8>, usize, usize), CameraError> {
    let scale = (MAX_SIDE / width.max(height)).min(1.0);
    let (w, h) = (
        (width * scale).round().max(1.0),
        (height * scale).round().max(1.0),
    );
    let canvas: web_sys::HtmlCanvasElement = document()?
        .create_element("canvas")
        .map_err(|_| CameraError::Failed)?
        .dyn_into()
        .map_err(|_| CameraError::Failed)?;
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or(CameraError::Failed)?;
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, w, h);
    draw(&ctx, w, h).map_err(|_| CameraError::Failed)?;
    let data = ctx
        .get_image_data(0.0, 0.0, w, h)
        .map_err(|_| CameraError::Failed)?;
    Ok((data.data().0, w as usize, h as usize))
}

/// RGBA pixels of an image file, scaled so its longer side is at most 3,000 px.
pub async fn file_pixels(file: &web_sys::File) -> Result<(Vec<u8>, usize, usize), CameraError> {
    let window = web_sys::window().ok_or(CameraError::Failed)?;
    let promise = window
        .create_image_bitmap_with_blob(file)
        .map_err(|_| CameraError::NotAnImage)?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(promise)
        .await
        .map_err(|_| CameraError::NotAnImage)?
        .dyn_into()
        .map_err(|_| CameraError::NotAnImage)?;
    let (bw, bh) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let result = canvas_pixels(
        |ctx, w, h| ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w, h),
        bw,
        bh,
    );
    bitmap.close();
    result
}

/// Starts the (rear, where there is one) camera into `video`.
pub async fn start(video: &web_sys::HtmlVideoElement) -> Result<web_sys::MediaStream, CameraError> {
    let devices = web_sys::window()
        .ok_or(CameraError::NoCamera)?
        .navigator()
        .media_devices()
        .map_err(|_| CameraError::NoCamera)?;
    let constraints = web_sys::MediaStreamConstraints::new();
    let video_constraints = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &video_constraints,
        &"facingMode".into(),
        &"environment".into(),
    );
    constraints.set_video(&video_constraints);
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|_| CameraError::NoCamera)?;
    let stream: web_sys::MediaStream = JsFuture::from(promise)
        .await
        .map_err(|e| {
            let name = e
                .dyn_ref::<web_sys::DomException>()
                .map(|d| d.name())
                .unwrap_or_default();
            if name == "NotAllowedError" || name == "SecurityError" {
                CameraError::Denied
            } else {
                CameraError::NoCamera
            }
        })?
        .dyn_into()
        .map_err(|_| CameraError::Failed)?;
    video.set_src_object(Some(&stream));
    video.set_muted(true);
    let _ = video.set_attribute("playsinline", "");
    if let Ok(p) = video.play() {
        let _ = JsFuture::from(p).await;
    }
    Ok(stream)
}

/// Stops every track of a camera stream.
pub fn stop(stream: &web_sys::MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// The current video frame as RGBA pixels.
pub fn frame_pixels(video: &web_sys::HtmlVideoElement) -> Option<(Vec<u8>, usize, usize)> {
    let (w, h) = (
        f64::from(video.video_width()),
        f64::from(video.video_height()),
    );
    if w < 1.0 || h < 1.0 {
        return None;
    }
    canvas_pixels(
        |ctx, dw, dh| ctx.draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, dw, dh),
        w,
        h,
    )
    .ok()
}

/// Whether the browser has its own `BarcodeDetector` (else QR codes are read
/// by the pure-Rust decoder in the verifier's worker).
pub fn has_barcode_detector() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::has(&w, &"BarcodeDetector".into()).ok())
        .unwrap_or(false)
}

/// Texts of QR codes the browser's own `BarcodeDetector` finds in `source`,
/// or `None` when the browser has no such detector.
pub async fn browser_detect(source: &JsValue) -> Option<Vec<String>> {
    let window = web_sys::window()?;
    let ctor = js_sys::Reflect::get(&window, &"BarcodeDetector".into()).ok()?;
    let ctor: js_sys::Function = ctor.dyn_into().ok()?;
    let options = js_sys::Object::new();
    let formats = js_sys::Array::of1(&"qr_code".into());
    let _ = js_sys::Reflect::set(&options, &"formats".into(), &formats);
    let detector = js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(&options)).ok()?;
    let detect: js_sys::Function = js_sys::Reflect::get(&detector, &"detect".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: js_sys::Promise = detect.call1(&detector, source).ok()?.dyn_into().ok()?;
    let found = JsFuture::from(promise).await.ok()?;
    let found: js_sys::Array = found.dyn_into().ok()?;
    Some(
        found
            .iter()
            .filter_map(|b| {
                js_sys::Reflect::get(&b, &"rawValue".into())
                    .ok()?
                    .as_string()
            })
            .collect(),
    )
}
