//! `did:key` for Ed25519 (w3c-ccg did-key-spec v0.9): parsing with the spec's
//! error names, DID URL dereferencing of verification methods, and offline
//! resolution to a DID document.
//!
//! Only Ed25519 (`z6Mk…`, multicodec 0xed01) keys can be [`DidKey`]s: this
//! crate uses did:key for signing. A well-formed did:key of another type
//! (e.g. X25519 `z6LS…`) is refused with [`DidKeyError::NotEd25519`], whose
//! spec name is `invalidPublicKeyType`, as vc-di-eddsa requires verifiers to
//! reject any Multikey prefix other than 0xed01.

use crate::keys::{KeyError, PublicKey};
use crate::multibase::{self, MultibaseError};
use serde::Serialize;
use serde_json::{json, Value};
use std::fmt;

/// Why a DID or DID URL was refused. `code()` gives the did:key spec name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum DidKeyError {
    /// `invalidDid`: not a syntactically valid did:key.
    InvalidDid {
        /// The input.
        did: String,
        /// Which rule failed (stable machine key).
        rule: InvalidDidRule,
    },
    /// `methodNotSupported`: a DID, but not of method `key`.
    MethodNotSupported {
        /// The method found.
        method: String,
    },
    /// `invalidPublicKeyLength`: wrong number of key bytes for the multicodec.
    InvalidPublicKeyLength {
        /// Number of key bytes found.
        len: usize,
    },
    /// `invalidPublicKey`: 32 bytes that are not an Ed25519 point.
    InvalidPublicKey,
    /// `invalidPublicKeyType`: a key type other than Ed25519 (e.g. X25519).
    NotEd25519 {
        /// The multicodec code found.
        codec: u64,
    },
    /// `invalidDidUrl`: not a valid DID URL (bad path, query or fragment
    /// characters, or a verification method reference with a path/query).
    InvalidDidUrl {
        /// The input.
        url: String,
    },
    /// `notFound`: the DID URL names no verification method of this DID
    /// (for did:key the fragment must equal the key's multibase).
    VerificationMethodNotFound {
        /// The DID URL looked up.
        url: String,
    },
    /// `unsupportedPublicKeyType`: the requested `publicKeyFormat` is unknown.
    UnsupportedPublicKeyType {
        /// The format requested.
        format: String,
    },
    /// `invalidPublicKeyType`: the requested format is experimental and
    /// experimental types are not enabled.
    InvalidPublicKeyType {
        /// The format requested.
        format: String,
    },
}

/// Which syntax rule an `invalidDid` broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvalidDidRule {
    /// The scheme is not `did`.
    Scheme,
    /// The method name is empty or has characters other than `a-z0-9`.
    MethodName,
    /// The method-specific identifier has characters DID syntax forbids.
    Syntax,
    /// The version segment is not a positive integer.
    Version,
    /// The multibase value does not start with `z`.
    MultibaseHeader,
    /// The multibase value is not valid base58btc or its multicodec is bad.
    MultibaseValue,
}

impl DidKeyError {
    /// The did:key specification's error name (`invalidDid`, …).
    pub fn code(&self) -> &'static str {
        match self {
            DidKeyError::InvalidDid { .. } => "invalidDid",
            DidKeyError::MethodNotSupported { .. } => "methodNotSupported",
            DidKeyError::InvalidPublicKeyLength { .. } => "invalidPublicKeyLength",
            DidKeyError::InvalidPublicKey => "invalidPublicKey",
            DidKeyError::NotEd25519 { .. } | DidKeyError::InvalidPublicKeyType { .. } => {
                "invalidPublicKeyType"
            }
            DidKeyError::InvalidDidUrl { .. } => "invalidDidUrl",
            DidKeyError::VerificationMethodNotFound { .. } => "notFound",
            DidKeyError::UnsupportedPublicKeyType { .. } => "unsupportedPublicKeyType",
        }
    }
}

impl fmt::Display for DidKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DidKeyError::InvalidDid { did, rule } => write!(f, "invalidDid ({rule:?}): {did}"),
            DidKeyError::MethodNotSupported { method } => {
                write!(f, "methodNotSupported: {method}")
            }
            DidKeyError::InvalidPublicKeyLength { len } => {
                write!(f, "invalidPublicKeyLength: {len} bytes")
            }
            DidKeyError::InvalidPublicKey => f.write_str("invalidPublicKey"),
            DidKeyError::NotEd25519 { codec } => {
                write!(
                    f,
                    "invalidPublicKeyType: multicodec 0x{codec:x} is not Ed25519"
                )
            }
            DidKeyError::InvalidDidUrl { url } => write!(f, "invalidDidUrl: {url}"),
            DidKeyError::VerificationMethodNotFound { url } => write!(f, "notFound: {url}"),
            DidKeyError::UnsupportedPublicKeyType { format } => {
                write!(f, "unsupportedPublicKeyType: {format}")
            }
            DidKeyError::InvalidPublicKeyType { format } => {
                write!(f, "invalidPublicKeyType: {format}")
            }
        }
    }
}

impl std::error::Error for DidKeyError {}

/// An Ed25519 `did:key`.
#[derive(Clone, PartialEq, Eq)]
pub struct DidKey {
    key: PublicKey,
    did: String,
}

impl fmt::Debug for DidKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DidKey({})", self.did)
    }
}

impl fmt::Display for DidKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.did)
    }
}

/// `idchar` of DID syntax, `%` handled separately.
fn is_idchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

/// RFC 3986 `pchar` minus `%` (handled by [`valid_pct`]).
fn is_pchar(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '-' | '.'
                | '_'
                | '~'
                | '!'
                | '$'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | '+'
                | ','
                | ';'
                | '='
                | ':'
                | '@'
        )
}

/// Checks every `%` in `s` is followed by two hex digits and all other
/// characters satisfy `ok`.
fn valid_pct(s: &str, ok: impl Fn(char) -> bool) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = |j: usize| b.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
        } else {
            if !c.is_ascii() || !ok(char::from(c)) {
                return false;
            }
            i += 1;
        }
    }
    true
}

impl DidKey {
    /// The did:key of `key`.
    pub fn from_public_key(key: PublicKey) -> Self {
        let did = format!("did:key:{}", key.to_multibase());
        DidKey { key, did }
    }

    /// Parses `did:key[:version]:z…` (a DID, not a DID URL).
    pub fn parse(did: &str) -> Result<Self, DidKeyError> {
        let invalid = |rule| DidKeyError::InvalidDid {
            did: did.to_owned(),
            rule,
        };
        let rest = did
            .strip_prefix("did:")
            .ok_or_else(|| invalid(InvalidDidRule::Scheme))?;
        let (method, msid) = rest
            .split_once(':')
            .ok_or_else(|| invalid(InvalidDidRule::Syntax))?;
        if method.is_empty()
            || !method
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            return Err(invalid(InvalidDidRule::MethodName));
        }
        if method != "key" {
            return Err(DidKeyError::MethodNotSupported {
                method: method.to_owned(),
            });
        }
        // method-specific-id = *( *idchar ":" ) 1*idchar
        if msid.is_empty() || msid.ends_with(':') || !valid_pct(msid, |c| is_idchar(c) || c == ':')
        {
            return Err(invalid(InvalidDidRule::Syntax));
        }
        let mb = match msid.split_once(':') {
            None => msid,
            Some((version, mb)) => {
                let positive = !version.is_empty()
                    && version.chars().all(|c| c.is_ascii_digit())
                    && version.chars().any(|c| c != '0');
                if !positive || mb.contains(':') {
                    return Err(invalid(InvalidDidRule::Version));
                }
                mb
            }
        };
        if !mb.starts_with('z') {
            return Err(invalid(InvalidDidRule::MultibaseHeader));
        }
        let bytes = multibase::decode_base58btc(mb)
            .map_err(|_: MultibaseError| invalid(InvalidDidRule::MultibaseValue))?;
        let (codec, raw) = multibase::split_multicodec(&bytes)
            .map_err(|_| invalid(InvalidDidRule::MultibaseValue))?;
        match codec {
            multibase::CODE_ED25519_PUB => {
                let raw: &[u8; 32] = raw
                    .try_into()
                    .map_err(|_| DidKeyError::InvalidPublicKeyLength { len: raw.len() })?;
                let key = PublicKey::from_bytes(raw).map_err(|_| DidKeyError::InvalidPublicKey)?;
                // Canonical form: the version segment (always 1) is dropped.
                // base58btc has one encoding per byte string, so `mb` is
                // already the key's multibase: no need to re-encode it.
                Ok(DidKey {
                    key,
                    did: format!("did:key:{mb}"),
                })
            }
            multibase::CODE_X25519_PUB if raw.len() != 32 => {
                Err(DidKeyError::InvalidPublicKeyLength { len: raw.len() })
            }
            codec => Err(DidKeyError::NotEd25519 { codec }),
        }
    }

    /// The DID string `did:key:z6Mk…`.
    pub fn as_str(&self) -> &str {
        &self.did
    }

    /// The Ed25519 public key.
    pub fn public_key(&self) -> PublicKey {
        self.key
    }

    /// The multibase value (`z6Mk…`).
    pub fn multibase(&self) -> &str {
        self.did.get("did:key:".len()..).unwrap_or_default()
    }

    /// `did:key:X#X`, the id of the key's verification method.
    pub fn verification_method_id(&self) -> String {
        format!("{}#{}", self.did, self.multibase())
    }

    /// Resolves the DID offline to its DID document.
    pub fn resolve(&self, options: &ResolveOptions) -> Result<Value, DidKeyError> {
        let format = options.public_key_format.as_str();
        let experimental = match format {
            "Multikey" | "JsonWebKey2020" | "Ed25519VerificationKey2020" => false,
            "Ed25519VerificationKey2018" => true,
            other => {
                return Err(DidKeyError::UnsupportedPublicKeyType {
                    format: other.to_owned(),
                })
            }
        };
        if experimental && !options.enable_experimental_public_key_types {
            return Err(DidKeyError::InvalidPublicKeyType {
                format: format.to_owned(),
            });
        }
        let did = self.did.as_str();
        let mb = self.multibase();
        let vm_id = self.verification_method_id();
        let x_mb = self.key.x25519_multibase();
        let x_id = format!("{did}#{x_mb}");
        let (context, vm, ka): (Value, Value, Value) = match format {
            "Multikey" => (
                json!(["https://www.w3.org/ns/did/v1.1"]),
                json!({"id": vm_id, "type": "Multikey", "controller": did, "publicKeyMultibase": mb}),
                json!({"id": x_id, "type": "Multikey", "controller": did, "publicKeyMultibase": x_mb}),
            ),
            "Ed25519VerificationKey2020" => (
                json!([
                    "https://www.w3.org/ns/did/v1",
                    "https://w3id.org/security/suites/ed25519-2020/v1",
                    "https://w3id.org/security/suites/x25519-2020/v1"
                ]),
                json!({"id": vm_id, "type": "Ed25519VerificationKey2020", "controller": did, "publicKeyMultibase": mb}),
                json!({"id": x_id, "type": "X25519KeyAgreementKey2020", "controller": did, "publicKeyMultibase": x_mb}),
            ),
            "JsonWebKey2020" => {
                let x_raw = multibase::decode_base58btc(&x_mb).unwrap_or_default();
                (
                    json!([
                        "https://www.w3.org/ns/did/v1",
                        "https://w3id.org/security/suites/jws-2020/v1"
                    ]),
                    json!({"id": vm_id, "type": "JsonWebKey2020", "controller": did,
                        "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": base64url(&self.key.to_bytes())}}),
                    json!({"id": x_id, "type": "JsonWebKey2020", "controller": did,
                        "publicKeyJwk": {"kty": "OKP", "crv": "X25519", "x": base64url(x_raw.get(2..).unwrap_or_default())}}),
                )
            }
            _ => {
                // Ed25519VerificationKey2018 (legacy did-method-key layout).
                let x_raw = multibase::decode_base58btc(&x_mb).unwrap_or_default();
                // publicKeyBase58: plain base58btc (no multibase header).
                let plain = |b: &[u8]| multibase::encode_base58btc(b).split_off(1);
                let ed = plain(&self.key.to_bytes());
                let x = plain(x_raw.get(2..).unwrap_or_default());
                let mut doc = json!({
                    "@context": [
                        "https://www.w3.org/ns/did/v1",
                        "https://w3id.org/security/suites/ed25519-2018/v1",
                        "https://w3id.org/security/suites/x25519-2019/v1"
                    ],
                    "id": did,
                    "verificationMethod": [
                        {"id": vm_id, "type": "Ed25519VerificationKey2018", "controller": did, "publicKeyBase58": ed}
                    ],
                    "assertionMethod": [vm_id],
                    "authentication": [vm_id],
                    "capabilityInvocation": [vm_id],
                    "capabilityDelegation": [vm_id],
                });
                if options.enable_encryption_key_derivation {
                    if let Some(Value::Array(vms)) = doc.get_mut("verificationMethod") {
                        vms.push(json!({"id": x_id, "type": "X25519KeyAgreementKey2019", "controller": did, "publicKeyBase58": x}));
                    }
                    if let Some(obj) = doc.as_object_mut() {
                        obj.insert("keyAgreement".into(), json!([x_id]));
                    }
                }
                return Ok(doc);
            }
        };
        let mut doc = json!({
            "@context": context,
            "id": did,
            "verificationMethod": [vm],
            "authentication": [vm_id],
            "assertionMethod": [vm_id],
            "capabilityDelegation": [vm_id],
            "capabilityInvocation": [vm_id],
        });
        if options.enable_encryption_key_derivation {
            if let Some(obj) = doc.as_object_mut() {
                obj.insert("keyAgreement".into(), json!([ka]));
            }
        }
        Ok(doc)
    }

    /// The key's verification method as a Multikey object.
    pub fn verification_method(&self) -> Multikey {
        Multikey {
            id: self.verification_method_id(),
            controller: self.did.clone(),
            public_key_multibase: self.multibase().to_owned(),
        }
    }
}

/// A Multikey verification method (Controlled Identifiers 1.0 §2.2.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Multikey {
    /// `did:key:X#X`.
    pub id: String,
    /// The DID that controls the key.
    pub controller: String,
    /// `z6Mk…`.
    #[serde(rename = "publicKeyMultibase")]
    pub public_key_multibase: String,
}

impl Multikey {
    /// The JSON form `{id, type: "Multikey", controller, publicKeyMultibase}`.
    pub fn to_value(&self) -> Value {
        json!({
            "id": self.id,
            "type": "Multikey",
            "controller": self.controller,
            "publicKeyMultibase": self.public_key_multibase,
        })
    }
}

/// did:key resolution options (did-key-spec §3.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveOptions {
    /// `Multikey` (default), `Ed25519VerificationKey2020`, `JsonWebKey2020`,
    /// or the experimental `Ed25519VerificationKey2018`.
    pub public_key_format: String,
    /// Allow experimental formats.
    pub enable_experimental_public_key_types: bool,
    /// Add the derived X25519 `keyAgreement` key (default true).
    pub enable_encryption_key_derivation: bool,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions {
            public_key_format: "Multikey".into(),
            enable_experimental_public_key_types: false,
            enable_encryption_key_derivation: true,
        }
    }
}

/// An answer of the DID Resolution HTTP(S) binding: the status code and
/// the resolution (or dereferencing) result.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResolution {
    /// 200, or the error's status (400, 404, 406, 501).
    pub status: u16,
    /// `{"@context", "didDocument", "didDocumentMetadata",
    /// "didResolutionMetadata" | "didDereferencingMetadata"}`.
    pub body: Value,
}

/// The media type of [`HttpResolution::body`].
pub const RESOLUTION_MEDIA_TYPE: &str =
    "application/ld+json;profile=\"https://w3id.org/did-resolution\"";

fn status_of(e: &DidKeyError) -> u16 {
    match e {
        DidKeyError::MethodNotSupported { .. } => 501,
        DidKeyError::VerificationMethodNotFound { .. } => 404,
        DidKeyError::UnsupportedPublicKeyType { .. } => 406,
        _ => 400,
    }
}

/// Resolves a did:key DID, or dereferences a did:key DID URL (one with a
/// path, query or fragment), as the DID Resolution HTTP(S) binding answers:
/// a DID gives its DID document and `didResolutionMetadata`; a DID URL
/// with a fragment gives the verification method it names (in
/// `didDocument`) and `didDereferencingMetadata`. Errors carry the did:key
/// specification's names (`invalidDid`, `methodNotSupported`, …) in the
/// metadata's `error`, with an empty `didDocument`.
pub fn resolve_http(input: &str, options: &ResolveOptions) -> HttpResolution {
    let is_url = input.contains(['/', '?', '#']);
    let meta_key = if is_url {
        "didDereferencingMetadata"
    } else {
        "didResolutionMetadata"
    };
    let answer = |status: u16, document: Value, meta: Value| HttpResolution {
        status,
        body: json!({
            "@context": "https://w3id.org/did-resolution/v1",
            "didDocument": document,
            "didDocumentMetadata": {},
            meta_key: meta,
        }),
    };
    let failed = |e: DidKeyError| {
        answer(
            status_of(&e),
            json!({}),
            json!({"error": e.code(), "errorMessage": e.to_string()}),
        )
    };
    let ok_meta = json!({"contentType": "application/did+ld+json"});
    if !is_url {
        return match DidKey::parse(input).and_then(|did| did.resolve(options)) {
            Ok(document) => answer(200, document, ok_meta),
            Err(e) => failed(e),
        };
    }
    let url = match parse_did_url(input) {
        Ok(url) => url,
        Err(e) => return failed(e),
    };
    let document = match url.did.resolve(options) {
        Ok(document) => document,
        Err(e) => return failed(e),
    };
    if url.path.is_some() || url.query.is_some() {
        return failed(DidKeyError::InvalidDidUrl {
            url: input.to_owned(),
        });
    }
    let Some(fragment) = url.fragment else {
        return answer(200, document, ok_meta);
    };
    let id = format!("{}#{fragment}", url.did.as_str());
    let found = ["verificationMethod", "keyAgreement"]
        .iter()
        .filter_map(|k| document.get(*k).and_then(Value::as_array))
        .flatten()
        .find(|vm| vm.get("id").and_then(Value::as_str) == Some(id.as_str()))
        .cloned();
    match found {
        Some(vm) => answer(200, vm, ok_meta),
        None => failed(DidKeyError::VerificationMethodNotFound {
            url: input.to_owned(),
        }),
    }
}

/// A parsed did:key DID URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DidKeyUrl {
    /// The DID.
    pub did: DidKey,
    /// Path (with its leading `/`), if any.
    pub path: Option<String>,
    /// Query (without `?`), if any.
    pub query: Option<String>,
    /// Fragment (without `#`), if any.
    pub fragment: Option<String>,
}

/// Parses a did:key DID URL (`did:key:z…[/path][?query][#fragment]`).
pub fn parse_did_url(url: &str) -> Result<DidKeyUrl, DidKeyError> {
    let bad = || DidKeyError::InvalidDidUrl {
        url: url.to_owned(),
    };
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (url, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (did, path) = match rest.find('/') {
        Some(i) => (rest.get(..i).unwrap_or_default(), rest.get(i..)),
        None => (rest, None),
    };
    let frag_ok = |s: &str| valid_pct(s, |c| is_pchar(c) || c == '/' || c == '?');
    if path.is_some_and(|p| !valid_pct(p, |c| is_pchar(c) || c == '/'))
        || query.is_some_and(|q| !frag_ok(q))
        || fragment.is_some_and(|f| !frag_ok(f))
    {
        return Err(bad());
    }
    let did = DidKey::parse(did)?;
    Ok(DidKeyUrl {
        did,
        path: path.map(str::to_owned),
        query: query.map(str::to_owned),
        fragment: fragment.map(str::to_owned),
    })
}

/// Dereferences a proof's `verificationMethod` to its Ed25519 key. It must be
/// exactly `did:key:X#X` (no path or query; the fragment equal to `X`).
pub fn resolve_verification_method(url: &str) -> Result<PublicKey, DidKeyError> {
    let parsed = parse_did_url(url)?;
    if parsed.path.is_some() || parsed.query.is_some() {
        return Err(DidKeyError::InvalidDidUrl {
            url: url.to_owned(),
        });
    }
    if parsed.fragment.as_deref() != Some(parsed.did.multibase()) {
        return Err(DidKeyError::VerificationMethodNotFound {
            url: url.to_owned(),
        });
    }
    Ok(parsed.did.public_key())
}

impl From<KeyError> for DidKeyError {
    fn from(e: KeyError) -> Self {
        match e {
            KeyError::InvalidLength { len, .. } => DidKeyError::InvalidPublicKeyLength { len },
            KeyError::WrongMulticodec { found, .. } => DidKeyError::NotEd25519 { codec: found },
            _ => DidKeyError::InvalidPublicKey,
        }
    }
}

/// Unpadded base64url (RFC 4648 §5), for JWK `x`.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let sym = |i: u32| char::from(ALPHABET.get((i & 63) as usize).copied().unwrap_or(b'A'));
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        if chunk.len() > 1 {
            out.push(sym(n >> 6));
        }
        if chunk.len() > 2 {
            out.push(sym(n));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn base64url_rfc4648_samples() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"foob"), "Zm9vYg");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn version_one_is_accepted_and_dropped() {
        let plain = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
        let versioned = "did:key:1:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
        assert_eq!(DidKey::parse(versioned).unwrap().as_str(), plain);
        assert!(matches!(
            DidKey::parse("did:key:0:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"),
            Err(DidKeyError::InvalidDid {
                rule: InvalidDidRule::Version,
                ..
            })
        ));
    }
}
