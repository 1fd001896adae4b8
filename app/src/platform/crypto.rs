//! Passphrase encryption through the browser's own WebCrypto (no crypto
//! code in the wasm): PBKDF2-HMAC-SHA-256 stretches the passphrase into an
//! AES-256-GCM key, which seals the data with a random 96-bit nonce. Used
//! for the teacher's desk backup (`state/teach.rs`, the format and its
//! parameters are in ARCHITECTURE.md).
//!
//! The derived key is non-extractable and lives only for one call.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why sealing or opening failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CryptoError {
    /// The browser has no WebCrypto (an insecure page, an old browser).
    Unavailable,
    /// The passphrase is wrong, or the data was changed.
    WrongPassphraseOrDamaged,
}

fn set(o: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(key), value);
}

fn subtle() -> Result<web_sys::SubtleCrypto, CryptoError> {
    let crypto = web_sys::window()
        .ok_or(CryptoError::Unavailable)?
        .crypto()
        .map_err(|_| CryptoError::Unavailable)?;
    Ok(crypto.subtle())
}

async fn promise(p: Result<js_sys::Promise, JsValue>) -> Result<JsValue, ()> {
    JsFuture::from(p.map_err(|_| ())?).await.map_err(|_| ())
}

/// The AES-256-GCM key for `passphrase`, `salt` and `iterations`.
async fn derive(
    subtle: &web_sys::SubtleCrypto,
    passphrase: &str,
    salt: &[u8],
    iterations: u32,
) -> Result<web_sys::CryptoKey, CryptoError> {
    let raw = Uint8Array::from(passphrase.as_bytes());
    let pbkdf2 = Object::new();
    set(&pbkdf2, "name", &"PBKDF2".into());
    let usages = Array::of1(&"deriveKey".into());
    let base: web_sys::CryptoKey =
        promise(subtle.import_key_with_object("raw", &raw, &pbkdf2, false, &usages))
            .await
            .map_err(|()| CryptoError::Unavailable)?
            .unchecked_into();
    let params = Object::new();
    set(&params, "name", &"PBKDF2".into());
    set(&params, "hash", &"SHA-256".into());
    set(&params, "salt", &Uint8Array::from(salt));
    set(&params, "iterations", &f64::from(iterations).into());
    let aes = Object::new();
    set(&aes, "name", &"AES-GCM".into());
    set(&aes, "length", &256.into());
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let key =
        promise(subtle.derive_key_with_object_and_object(&params, &base, &aes, false, &usages))
            .await
            .map_err(|()| CryptoError::Unavailable)?;
    Ok(key.unchecked_into())
}

fn gcm(iv: &[u8], aad: &[u8]) -> Object {
    let o = Object::new();
    set(&o, "name", &"AES-GCM".into());
    set(&o, "iv", &Uint8Array::from(iv));
    set(&o, "additionalData", &Uint8Array::from(aad));
    o
}

/// Seals `plain` under `passphrase` (`aad` is bound to it unencrypted).
pub async fn seal(
    passphrase: &str,
    salt: &[u8],
    iterations: u32,
    iv: &[u8],
    aad: &[u8],
    plain: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let subtle = subtle()?;
    let key = derive(&subtle, passphrase, salt, iterations).await?;
    let out = promise(subtle.encrypt_with_object_and_u8_array(&gcm(iv, aad), &key, plain))
        .await
        .map_err(|()| CryptoError::Unavailable)?;
    Ok(Uint8Array::new(&out).to_vec())
}

/// Opens what [`seal`] made; a wrong passphrase or a changed byte fails.
pub async fn open(
    passphrase: &str,
    salt: &[u8],
    iterations: u32,
    iv: &[u8],
    aad: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let subtle = subtle()?;
    let key = derive(&subtle, passphrase, salt, iterations).await?;
    let out = promise(subtle.decrypt_with_object_and_u8_array(&gcm(iv, aad), &key, sealed))
        .await
        .map_err(|()| CryptoError::WrongPassphraseOrDamaged)?;
    Ok(Uint8Array::new(&out).to_vec())
}
