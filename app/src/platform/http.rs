//! Fetching a document by URL — used only for status lists (the verifier's
//! check, the desk's publishing checklist), and only from the app's own
//! origin unless the user has agreed to contact another site.
//!
//! Redirects are refused (`redirect: "error"`), so a URL the user agreed to
//! (or a same-origin one) cannot send the request elsewhere. The body is
//! read as a stream and the read stops as soon as it passes the limit (a
//! `Content-Length` above it stops it before the first byte), so a large
//! answer is never held whole.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// Not a valid http(s) URL.
    BadUrl,
    /// The network failed or the browser blocked it (CORS, a redirect).
    Network,
    /// The device is offline (the browser says so), so nothing was asked.
    Offline,
    /// The server answered with this status.
    Status(u16),
    /// Larger than allowed.
    TooLarge,
    /// The body is not UTF-8 text.
    NotText,
}

/// The origin (`scheme://host:port`) of a URL, if it is http(s).
pub fn origin_of(url: &str) -> Option<String> {
    let parsed = web_sys::Url::new(url).ok()?;
    matches!(parsed.protocol().as_str(), "https:" | "http:").then(|| parsed.origin())
}

/// Whether `url` is on the app's own origin.
pub fn is_same_origin(url: &str) -> bool {
    let own = web_sys::window().and_then(|w| w.location().origin().ok());
    own.is_some() && origin_of(url) == own
}

/// Fetches `url` as text (no credentials sent, no redirects followed),
/// refusing bodies above `max` bytes without reading past them.
pub async fn fetch_text(url: &str, max: usize) -> Result<String, FetchError> {
    origin_of(url).ok_or(FetchError::BadUrl)?;
    let window = web_sys::window().ok_or(FetchError::Network)?;
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_credentials(web_sys::RequestCredentials::Omit);
    init.set_redirect(web_sys::RequestRedirect::Error);
    // Asked of the server every time (a copy in the browser's cache is
    // used only if the server says it is still current): a list changes
    // when a certificate is revoked, and must be seen at once.
    init.set_cache(web_sys::RequestCache::NoCache);
    let request =
        web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| FetchError::BadUrl)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| {
            if window.navigator().on_line() {
                FetchError::Network
            } else {
                FetchError::Offline
            }
        })?
        .dyn_into()
        .map_err(|_| FetchError::Network)?;
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    let declared = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|n| n.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(FetchError::TooLarge);
    }
    let Some(body) = response.body() else {
        return Ok(String::new());
    };
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| FetchError::Network)?;
        let done = js_sys::Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        let value: js_sys::Uint8Array = js_sys::Reflect::get(&chunk, &"value".into())
            .map_err(|_| FetchError::Network)?
            .dyn_into()
            .map_err(|_| FetchError::Network)?;
        if bytes.len().saturating_add(value.length() as usize) > max {
            let _ = reader.cancel();
            return Err(FetchError::TooLarge);
        }
        bytes.extend(value.to_vec());
    }
    String::from_utf8(bytes).map_err(|_| FetchError::NotText)
}
