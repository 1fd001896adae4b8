//! Fetching a document by URL — used only for status lists, and only from
//! the app's own origin unless the user has agreed to contact another site.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// Not a valid http(s) URL.
    BadUrl,
    /// The network failed or the browser blocked it (CORS, offline).
    Network,
    /// The server answered with this status.
    Status(u16),
    /// Larger than allowed.
    TooLarge,
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

/// Fetches `url` as text (no credentials sent), refusing bodies above `max` bytes.
pub async fn fetch_text(url: &str, max: usize) -> Result<String, FetchError> {
    origin_of(url).ok_or(FetchError::BadUrl)?;
    let window = web_sys::window().ok_or(FetchError::Network)?;
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_credentials(web_sys::RequestCredentials::Omit);
    let request =
        web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| FetchError::BadUrl)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| FetchError::Network)?
        .dyn_into()
        .map_err(|_| FetchError::Network)?;
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(|_| FetchError::Network)?)
        .await
        .map_err(|_| FetchError::Network)?;
    let bytes = js_sys::Uint8Array::new(&buffer);
    if bytes.length() as usize > max {
        return Err(FetchError::TooLarge);
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| FetchError::Network)
}
