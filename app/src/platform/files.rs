//! Files the user saves or opens: [`download_text`] saves a text as a file
//! (a `Blob`, an object URL and a temporary `<a download>` click), and
//! [`read_text`] reads a `File` the user picked, refusing anything larger than
//! a cap before reading it. Nothing here touches the network.

use std::fmt;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a file could not be saved or read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// The browser refused to create the download (no document, blocked).
    Unavailable(String),
    /// The picked file is larger than the caller's cap; it was not read.
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The cap in bytes.
        max: u64,
    },
    /// The file could not be read as UTF-8 text.
    Unreadable(String),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Unavailable(e) => write!(f, "cannot save a file here: {e}"),
            FileError::TooLarge { size, max } => {
                write!(f, "the file is {size} bytes, at most {max} are accepted")
            }
            FileError::Unreadable(e) => write!(f, "the file cannot be read as text: {e}"),
        }
    }
}

fn describe(v: &JsValue) -> String {
    if let Some(e) = v.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    v.as_string().unwrap_or_else(|| format!("{v:?}"))
}

/// Offers `text` to the user as a download named `filename` with MIME type
/// `mime` (for example `application/json`).
pub fn download_text(filename: &str, mime: &str, text: &str) -> Result<(), FileError> {
    let unavailable = |e: JsValue| FileError::Unavailable(describe(&e));
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| FileError::Unavailable("no document".into()))?;
    let body = document
        .body()
        .ok_or_else(|| FileError::Unavailable("no body".into()))?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(unavailable)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(unavailable)?;
    let anchor = document
        .create_element("a")
        .map_err(unavailable)?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| FileError::Unavailable("no anchor element".into()))?;
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.set_class_name("visually-hidden");
    body.append_child(&anchor).map_err(unavailable)?;
    anchor.click();
    let _ = body.remove_child(&anchor);
    // The download has started from the URL; release it a little later.
    yew::platform::spawn_local(async move {
        yew::platform::time::sleep(std::time::Duration::from_secs(10)).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    Ok(())
}

/// Reads a picked file as UTF-8 text, refusing files over `max_bytes`
/// without reading them.
pub async fn read_text(file: &web_sys::File, max_bytes: u64) -> Result<String, FileError> {
    let size = file.size();
    let size = if size.is_finite() && size > 0.0 {
        size as u64
    } else {
        0
    };
    if size > max_bytes {
        return Err(FileError::TooLarge {
            size,
            max: max_bytes,
        });
    }
    let text = JsFuture::from(file.text())
        .await
        .map_err(|e| FileError::Unreadable(describe(&e)))?;
    text.as_string()
        .ok_or_else(|| FileError::Unreadable("not text".into()))
}

/// The first file chosen in an `<input type="file">`, if any.
pub fn picked_file(input: &web_sys::HtmlInputElement) -> Option<web_sys::File> {
    input.files().and_then(|files| files.get(0))
}
