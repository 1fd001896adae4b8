//! Raw DEFLATE with the browser's own compressor (`CompressionStream`,
//! format `deflate-raw`), so the wallet page carries no compressor of its
//! own for share links. Where the browser has none, the caller falls back to
//! uncompressed stored blocks (`credentials::share::deflate_stored`).

use js_sys::{Array, Function, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// `bytes` compressed as raw DEFLATE (RFC 1951) by the browser, or `None`
/// when it cannot (no `CompressionStream`, or no `deflate-raw` format).
pub async fn deflate_raw(bytes: &[u8]) -> Option<Vec<u8>> {
    let global = js_sys::global();
    let get = |target: &JsValue, name: &str| Reflect::get(target, &JsValue::from_str(name)).ok();
    let compressor: Function = get(&global, "CompressionStream")?.dyn_into().ok()?;
    let stream =
        Reflect::construct(&compressor, &Array::of1(&JsValue::from_str("deflate-raw"))).ok()?;
    let blob =
        web_sys::Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(bytes))).ok()?;
    let readable = get(&blob, "stream")?
        .dyn_into::<Function>()
        .ok()?
        .call0(&blob)
        .ok()?;
    let compressed = get(&readable, "pipeThrough")?
        .dyn_into::<Function>()
        .ok()?
        .call1(&readable, &stream)
        .ok()?;
    let response: Function = get(&global, "Response")?.dyn_into().ok()?;
    let response: web_sys::Response = Reflect::construct(&response, &Array::of1(&compressed))
        .ok()?
        .dyn_into()
        .ok()?;
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    async fn the_browsers_deflate_decodes_as_a_share_link() {
        let json = r#"{"name":"STEM Internship Scheme 創科實習計劃","achievement":"Data literacy, Data literacy, Data literacy"}"#;
        let compressed = deflate_raw(json.as_bytes()).await.unwrap_or_default();
        assert!(!compressed.is_empty(), "Chromium has deflate-raw");
        assert!(compressed.len() < json.len(), "it compresses");
        let payload = credentials::share::base64url_encode(&compressed);
        assert_eq!(
            credentials::share::decode_payload(&payload).as_deref(),
            Ok(json)
        );
        // Empty input is a valid (empty) stream too.
        let empty = deflate_raw(b"").await.unwrap_or_default();
        assert!(!empty.is_empty(), "an empty stream still has a final block");
        assert_eq!(
            credentials::share::decode_payload(&credentials::share::base64url_encode(&empty))
                .as_deref(),
            Ok("")
        );
    }
}
