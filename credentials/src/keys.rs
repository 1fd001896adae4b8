//! Ed25519 keys as Multikeys: [`PublicKey`] (`z6Mk…`, multicodec 0xed01) and
//! [`SecretKey`] (`z3u2…`, multicodec 0x8026), plus the Multikey key-file JSON
//! shape used by the W3C vectors and the `vc` tool.
//!
//! Key material always comes from the caller: this crate never generates
//! randomness. Secret keys import from the 32-byte seed form (W3C) and the
//! 64-byte seed‖public form (1EdTech, W3C test suites), and from the DCC seed
//! form (`z1A…`, identity multihash); they always export the 32-byte form.

use crate::multibase::{self, MultibaseError};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde::Serialize;
use serde_json::{json, Value};
use std::fmt;
use zeroize::Zeroize;

/// Why a key could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum KeyError {
    /// The multibase encoding is wrong.
    Multibase {
        /// The underlying problem.
        error: MultibaseError,
    },
    /// The multicodec prefix is not the one expected (e.g. an X25519 key
    /// where an Ed25519 key is needed).
    WrongMulticodec {
        /// The multicodec code found.
        found: u64,
        /// The multicodec code expected.
        expected: u64,
    },
    /// The key bytes have the wrong length for their multicodec.
    InvalidLength {
        /// Number of key bytes found.
        len: usize,
        /// Accepted lengths.
        expected: Vec<usize>,
    },
    /// 32 bytes that are not a valid compressed Edwards point.
    InvalidPublicKey,
    /// A 64-byte secret key whose second half is not the public key of its
    /// first half, or a key file whose `publicKeyMultibase` does not match.
    PublicKeyMismatch,
    /// A key-file JSON member is missing or not a string.
    MissingMember {
        /// The member name(s) looked for.
        name: String,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Multibase { error } => write!(f, "{error}"),
            KeyError::WrongMulticodec { found, expected } => {
                write!(f, "multicodec 0x{found:x}, expected 0x{expected:x}")
            }
            KeyError::InvalidLength { len, expected } => {
                write!(f, "key is {len} bytes, expected {expected:?}")
            }
            KeyError::InvalidPublicKey => f.write_str("not a valid Ed25519 public key"),
            KeyError::PublicKeyMismatch => {
                f.write_str("the public key does not belong to the secret key")
            }
            KeyError::MissingMember { name } => write!(f, "key file has no string {name}"),
        }
    }
}

impl std::error::Error for KeyError {}

impl From<MultibaseError> for KeyError {
    fn from(error: MultibaseError) -> Self {
        KeyError::Multibase { error }
    }
}

/// An Ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_multibase())
    }
}

impl PublicKey {
    /// The key from its 32 bytes; fails if they are not a point encoding.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, KeyError> {
        VerifyingKey::from_bytes(bytes)
            .map(PublicKey)
            .map_err(|_| KeyError::InvalidPublicKey)
    }

    /// The 32 raw key bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Multikey `publicKeyMultibase`: `z` + base58btc(0xed01 ‖ key).
    pub fn to_multibase(&self) -> String {
        let mut buf = [0u8; 34];
        let (head, tail) = buf.split_at_mut(2);
        head.copy_from_slice(&multibase::ED25519_PUB);
        tail.copy_from_slice(self.0.as_bytes());
        multibase::encode_base58btc(&buf)
    }

    /// Parses a Multikey `publicKeyMultibase`; only Ed25519 (0xed01) is accepted.
    pub fn from_multibase(s: &str) -> Result<Self, KeyError> {
        let bytes = multibase::decode_base58btc(s)?;
        let (code, key) = multibase::split_multicodec(&bytes)?;
        if code != multibase::CODE_ED25519_PUB {
            return Err(KeyError::WrongMulticodec {
                found: code,
                expected: multibase::CODE_ED25519_PUB,
            });
        }
        let key: &[u8; 32] = key.try_into().map_err(|_| KeyError::InvalidLength {
            len: key.len(),
            expected: vec![32],
        })?;
        PublicKey::from_bytes(key)
    }

    /// The X25519 key-agreement key derived through the Edwards→Montgomery
    /// map, as a Multikey (`z6LS…`, multicodec 0xec01).
    pub fn x25519_multibase(&self) -> String {
        let mont = self.0.to_montgomery().to_bytes();
        let mut buf = [0u8; 34];
        let (head, tail) = buf.split_at_mut(2);
        head.copy_from_slice(&multibase::X25519_PUB);
        tail.copy_from_slice(&mont);
        multibase::encode_base58btc(&buf)
    }

    /// Strict Ed25519 verification (`verify_strict`: rejects non-canonical
    /// and small-order encodings) of `signature` over `message`.
    pub fn verify_strict(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        let sig = ed25519_dalek::Signature::from_bytes(signature);
        self.0.verify_strict(message, &sig).is_ok()
    }
}

/// An Ed25519 secret key (seed). Zeroised on drop; `Debug` never prints it.
#[derive(Clone)]
pub struct SecretKey(SigningKey);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey(public: {})", self.public_key().to_multibase())
    }
}

impl SecretKey {
    /// The key from its 32-byte seed (caller-supplied randomness).
    pub fn from_bytes(seed: &[u8; 32]) -> Self {
        SecretKey(SigningKey::from_bytes(seed))
    }

    /// The 32-byte seed. Handle with care.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// Imports a secret Multikey: `z` + base58btc(0x8026 ‖ 32-byte seed) or
    /// (0x8026 ‖ seed ‖ public), or the DCC seed form (0x00 0x20 ‖ seed).
    pub fn from_multibase(s: &str) -> Result<Self, KeyError> {
        let bytes = multibase::decode_base58btc(s)?;
        let (code, rest) = multibase::split_multicodec(&bytes)?;
        match code {
            multibase::CODE_ED25519_PRIV => Self::from_raw(rest),
            multibase::CODE_IDENTITY => match rest.split_first() {
                Some((32, seed)) => Self::from_raw(seed).and_then(|k| {
                    if seed.len() == 32 {
                        Ok(k)
                    } else {
                        Err(KeyError::InvalidLength {
                            len: seed.len(),
                            expected: vec![32],
                        })
                    }
                }),
                _ => Err(KeyError::InvalidLength {
                    len: rest.len(),
                    expected: vec![33],
                }),
            },
            found => Err(KeyError::WrongMulticodec {
                found,
                expected: multibase::CODE_ED25519_PRIV,
            }),
        }
    }

    fn from_raw(raw: &[u8]) -> Result<Self, KeyError> {
        if let Ok(seed) = <&[u8; 32]>::try_from(raw) {
            return Ok(Self::from_bytes(seed));
        }
        if let Ok(pair) = <&[u8; 64]>::try_from(raw) {
            return SigningKey::from_keypair_bytes(pair)
                .map(SecretKey)
                .map_err(|_| KeyError::PublicKeyMismatch);
        }
        Err(KeyError::InvalidLength {
            len: raw.len(),
            expected: vec![32, 64],
        })
    }

    /// Exports the W3C 32-byte form: `z` + base58btc(0x8026 ‖ seed) (`z3u2…`).
    pub fn to_multibase(&self) -> String {
        let mut buf = [0u8; 34];
        let (head, tail) = buf.split_at_mut(2);
        head.copy_from_slice(&multibase::ED25519_PRIV);
        tail.copy_from_slice(self.0.as_bytes());
        let s = multibase::encode_base58btc(&buf);
        buf.zeroize();
        s
    }

    /// Pure Ed25519 (RFC 8032) signature over `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }

    /// Imports a Multikey key file: `{"publicKeyMultibase"?, "secretKeyMultibase"
    /// | "privateKeyMultibase", …}` (the shape of the W3C `keyPair.json` and the
    /// test suites' `defaultKey.json`). A present `publicKeyMultibase` must
    /// belong to the secret key.
    pub fn from_key_file(json: &Value) -> Result<Self, KeyError> {
        let secret = ["secretKeyMultibase", "privateKeyMultibase"]
            .iter()
            .find_map(|k| json.get(k).and_then(Value::as_str))
            .ok_or_else(|| KeyError::MissingMember {
                name: "secretKeyMultibase or privateKeyMultibase".into(),
            })?;
        let key = SecretKey::from_multibase(secret)?;
        if let Some(public) = json.get("publicKeyMultibase") {
            let public = public.as_str().ok_or_else(|| KeyError::MissingMember {
                name: "publicKeyMultibase".into(),
            })?;
            if PublicKey::from_multibase(public)? != key.public_key() {
                return Err(KeyError::PublicKeyMismatch);
            }
        }
        Ok(key)
    }

    /// Exports a Multikey key file for the key's did:key: `{id, type:
    /// "Multikey", controller, publicKeyMultibase, secretKeyMultibase}`.
    pub fn to_key_file(&self) -> Value {
        let public = self.public_key();
        let did = crate::did_key::DidKey::from_public_key(public);
        json!({
            "@context": "https://w3id.org/security/multikey/v1",
            "id": did.verification_method_id(),
            "type": "Multikey",
            "controller": did.as_str(),
            "publicKeyMultibase": public.to_multibase(),
            "secretKeyMultibase": self.to_multibase(),
        })
    }
}
