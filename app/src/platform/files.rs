//! Files and the clipboard: reading a picked or dropped file as text (with a
//! size cap and a sniff for PDFs and images), downloading text as a file,
//! and copying text.

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The largest file read as a certificate, wallet backup or ledger (bytes).
pub const MAX_TEXT_FILE: f64 = 1024.0 * 1024.0;

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// Larger than the cap.
    TooLarge {
        /// Its size in bytes.
        size: u64,
    },
    /// A PDF (people drop the printed certificate instead of its JSON).
    Pdf,
    /// An image (PNG, JPEG, GIF, WebP).
    Image,
    /// Binary or not UTF-8.
    NotText,
    /// The browser failed to read it.
    ReadFailed,
}

/// Reads a file as UTF-8 text (a leading BOM removed), refusing files above `max` bytes.
pub async fn read_text(file: &web_sys::File, max: f64) -> Result<String, FileError> {
    let size = file.size();
    if size > max {
        return Err(FileError::TooLarge { size: size as u64 });
    }
    let bytes = read_bytes(file).await?;
    if bytes.starts_with(b"%PDF") {
        return Err(FileError::Pdf);
    }
    if is_image(&bytes) {
        return Err(FileError::Image);
    }
    let text = String::from_utf8(bytes).map_err(|_| FileError::NotText)?;
    if text.contains('\0') {
        return Err(FileError::NotText);
    }
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned())
}

/// Reads a file's bytes.
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, FileError> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| FileError::ReadFailed)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x89, b'P', b'N', b'G'])
        || bytes.starts_with(&[0xff, 0xd8, 0xff])
        || bytes.starts_with(b"GIF8")
        || (bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"))
}

/// The files of an `<input type=file>` change event.
pub fn files_of_input(e: &web_sys::Event) -> Vec<web_sys::File> {
    let list = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files());
    file_list(list)
}

/// The files of a drop event.
pub fn files_of_drop(e: &web_sys::DragEvent) -> Vec<web_sys::File> {
    file_list(e.data_transfer().and_then(|d| d.files()))
}

fn file_list(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Clears an `<input type=file>` so picking the same file again fires `change`.
pub fn reset_input(e: &web_sys::Event) {
    if let Some(input) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.set_value("");
    }
}

/// Offers `text` to the user as a file download named `filename`.
pub fn download_text(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "cannot create the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "cannot create a download link".to_string())?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "cannot create a link")?
        .dyn_into()
        .map_err(|_| "cannot create a link")?;
    a.set_href(&url);
    a.set_download(filename);
    a.set_class_name("no-print");
    if let Some(body) = document.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Copies text to the clipboard; resolves to whether the browser allowed it.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.is_ok()
}

/// The app's own address without the fragment (for building share links):
/// the folder the app is served from, so a link made on `teach.html` opens
/// the verifier on `index.html`.
pub fn app_base_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| base_of(&href))
        .unwrap_or_default()
}

/// `href` without its fragment and query, and without a trailing `*.html`
/// page name (`https://s.example/cc/teach.html#/teach` → `https://s.example/cc/`).
pub fn base_of(href: &str) -> String {
    let end = href.find(['#', '?']).unwrap_or(href.len());
    let base = href.get(..end).unwrap_or(href);
    match base.rsplit_once('/') {
        Some((folder, page)) if page.ends_with(".html") => format!("{folder}/"),
        _ => base.to_string(),
    }
}

/// When the page was opened without a fragment, gives it `fragment` in place
/// (no new history entry) before the router reads it.
pub fn default_fragment(fragment: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if window.location().hash().unwrap_or_default().is_empty() {
        if let Ok(history) = window.history() {
            // Failing leaves the page on its default route: the home page.
            let _ =
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(fragment));
        }
    }
}

/// Replaces the current history entry with `page` (relative to the app's
/// folder) and the current fragment: how one part of the app hands a route
/// to the page that renders it.
pub fn open_page(page: &str) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return;
    };
    let hash = location.hash().unwrap_or_default();
    // A failure leaves the user on the "Opening…" line with the nav intact.
    let _ = location.replace(&format!("{page}{hash}"));
}

/// A `data:` URL for `bytes` (standard base64, as data URLs require).
pub fn data_url(mime: &str, bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4 + mime.len() + 13);
    out.push_str("data:");
    out.push_str(mime);
    out.push_str(";base64,");
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let idx = ((n >> (18 - 6 * i)) & 63) as usize;
                out.push(char::from(ALPHABET.get(idx).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The picture type of `bytes` for a logo (`image/png`, `image/jpeg` or
/// `image/svg+xml`), judged by content, not by file name.
pub fn logo_mime(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        return Some("image/png");
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Some("image/jpeg");
    }
    let head = String::from_utf8_lossy(bytes.get(..bytes.len().min(1024)).unwrap_or(&[]))
        .to_ascii_lowercase();
    if head.contains("<svg") {
        return Some("image/svg+xml");
    }
    None
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn the_base_url_is_the_app_folder_on_every_page() {
        for (href, base) in [
            ("https://s.example/cc/#/verify", "https://s.example/cc/"),
            (
                "https://s.example/cc/teach.html#/teach",
                "https://s.example/cc/",
            ),
            (
                "https://s.example/cc/learn.html?x=1#/learn/hash",
                "https://s.example/cc/",
            ),
            ("https://s.example/cc/index.html", "https://s.example/cc/"),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/"),
            ("https://s.example/cc", "https://s.example/cc"),
        ] {
            assert_eq!(base_of(href), base, "{href}");
        }
    }

    #[test]
    fn data_urls_use_padded_standard_base64() {
        assert_eq!(
            data_url("text/plain", b"foobar"),
            "data:text/plain;base64,Zm9vYmFy"
        );
        assert_eq!(
            data_url("text/plain", b"fooba"),
            "data:text/plain;base64,Zm9vYmE="
        );
        assert_eq!(
            data_url("text/plain", b"foob"),
            "data:text/plain;base64,Zm9vYg=="
        );
        assert_eq!(data_url("x/y", &[0xfb, 0xff]), "data:x/y;base64,+/8=");
    }

    #[test]
    fn logos_are_recognised_by_content() {
        assert_eq!(logo_mime(&[0x89, b'P', b'N', b'G', 0]), Some("image/png"));
        assert_eq!(
            logo_mime(b"<?xml version='1.0'?><svg xmlns=''/>"),
            Some("image/svg+xml")
        );
        assert_eq!(logo_mime(b"%PDF-1.4"), None);
        assert_eq!(logo_mime(b""), None);
    }
}
