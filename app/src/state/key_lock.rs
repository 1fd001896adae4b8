//! Signing keys at rest: the school's key (and a wallet's holder keys) are
//! stored only sealed under a passphrase the owner chooses, never as
//! readable text, and an unlocked key lives only in this tab's memory
//! ([`remember`], [`unlocked`]) until the tab closes or [`forget`].
//!
//! Sealing is the desk backup's: PBKDF2-HMAC-SHA-256 with
//! [`KEY_PBKDF2_ITERATIONS`] and a 128-bit random salt gives an AES-256-GCM
//! key; a 96-bit random nonce; the additional data names the format and the
//! public key, so a sealed key cannot be passed off as another's. The
//! browser's WebCrypto does the work (`platform/crypto.rs`). What this
//! protects against, and what it does not, is in ARCHITECTURE.md ("Keys at
//! rest").

use crate::platform::crypto::{self, CryptoError};
use crate::state::desk_backup::{Cipher, Kdf, MIN_PASSPHRASE};
use credentials::share::{base64url_decode, base64url_encode};
use credentials::{PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

/// PBKDF2 iterations for a sealed key (as for backups: OWASP's 2023 figure
/// for PBKDF2-HMAC-SHA-256; about half a second in Chromium on a
/// Chromebook-class CPU, once per tab).
pub const KEY_PBKDF2_ITERATIONS: u32 = 600_000;

/// The additional data's format tag.
const SEALED_FORMAT: &str = "chainclass-sealed-key/1";

/// A signing key sealed under a passphrase, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SealedKey {
    /// The key's public half (`z6Mk…`), readable: the DID is shown and
    /// merges compare keys without unlocking.
    pub public_key_multibase: String,
    /// How the sealing key is derived.
    pub kdf: Kdf,
    /// How the seed is sealed.
    pub cipher: Cipher,
    /// base64url of the sealed 32-byte seed and its tag.
    pub ciphertext: String,
}

/// Why a key could not be sealed or opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLockError {
    /// The passphrase is shorter than [`MIN_PASSPHRASE`].
    WeakPassphrase,
    /// A new passphrase and its repeat differ.
    PassphraseMismatch,
    /// The browser gave no randomness for the salt and nonce.
    NoRandomness,
    /// The passphrase is wrong (or the sealed key was changed).
    WrongPassphrase,
    /// The browser cannot encrypt (no WebCrypto).
    Unavailable,
    /// The stored sealed key is not one ChainClass made.
    Damaged,
}

fn aad(public: &str) -> Vec<u8> {
    format!("{SEALED_FORMAT}/{public}").into_bytes()
}

/// Whether `passphrase` is long enough to seal a key with.
pub fn passphrase_ok(passphrase: &str) -> bool {
    passphrase.chars().count() >= MIN_PASSPHRASE
}

/// Checks a new passphrase typed twice: long enough, and the same both
/// times.
pub fn check_new_passphrase(first: &str, again: &str) -> Result<(), KeyLockError> {
    if !passphrase_ok(first) {
        return Err(KeyLockError::WeakPassphrase);
    }
    if first != again {
        return Err(KeyLockError::PassphraseMismatch);
    }
    Ok(())
}

/// Seals `key` under `passphrase` with fresh randomness from the browser
/// and keeps it unlocked on this page: what creating, importing or sealing
/// a key does before the sealed key is stored.
pub async fn seal_and_remember(
    key: &SecretKey,
    passphrase: &str,
) -> Result<SealedKey, KeyLockError> {
    let random = crate::platform::random::bytes32().map_err(|_| KeyLockError::NoRandomness)?;
    let sealed = seal_key(key, passphrase, random).await?;
    remember(key);
    Ok(sealed)
}

/// Seals `key` under `passphrase`; `random` (32 bytes from the browser)
/// gives the salt and the nonce.
pub async fn seal_key(
    key: &SecretKey,
    passphrase: &str,
    random: [u8; 32],
) -> Result<SealedKey, KeyLockError> {
    if !passphrase_ok(passphrase) {
        return Err(KeyLockError::WeakPassphrase);
    }
    let (salt, rest) = random.split_at(16);
    let iv = rest.get(..12).ok_or(KeyLockError::Unavailable)?;
    let public = key.public_key().to_multibase();
    let sealed = crypto::seal(
        passphrase,
        salt,
        KEY_PBKDF2_ITERATIONS,
        iv,
        &aad(&public),
        &key.to_bytes(),
    )
    .await
    .map_err(|_| KeyLockError::Unavailable)?;
    Ok(SealedKey {
        public_key_multibase: public,
        kdf: Kdf {
            name: "PBKDF2".into(),
            hash: "SHA-256".into(),
            iterations: KEY_PBKDF2_ITERATIONS,
            salt: base64url_encode(salt),
        },
        cipher: Cipher {
            name: "AES-GCM".into(),
            iv: base64url_encode(iv),
        },
        ciphertext: base64url_encode(&sealed),
    })
}

/// The parts [`open_key`] needs, checked without the passphrase: known
/// algorithms, a bounded iteration count (a stored value cannot make the
/// browser spin), and a well-formed public key.
fn parts(sealed: &SealedKey) -> Result<Parts, KeyLockError> {
    let known = sealed.kdf.name == "PBKDF2"
        && sealed.kdf.hash == "SHA-256"
        && sealed.cipher.name == "AES-GCM"
        && (1..=KEY_PBKDF2_ITERATIONS.saturating_mul(10)).contains(&sealed.kdf.iterations)
        && PublicKey::from_multibase(&sealed.public_key_multibase).is_ok();
    if !known {
        return Err(KeyLockError::Damaged);
    }
    let bytes = |s: &str| base64url_decode(s).map_err(|_| KeyLockError::Damaged);
    Ok(Parts {
        salt: bytes(&sealed.kdf.salt)?,
        iv: bytes(&sealed.cipher.iv)?,
        ciphertext: bytes(&sealed.ciphertext)?,
    })
}

/// A sealed key's bytes, decoded.
#[derive(Debug, PartialEq)]
struct Parts {
    salt: Vec<u8>,
    iv: Vec<u8>,
    ciphertext: Vec<u8>,
}

/// Opens `sealed` with `passphrase`; the key must be the one its public
/// half names.
pub async fn open_key(sealed: &SealedKey, passphrase: &str) -> Result<SecretKey, KeyLockError> {
    let Parts {
        salt,
        iv,
        ciphertext,
    } = parts(sealed)?;
    let plain = crypto::open(
        passphrase,
        &salt,
        sealed.kdf.iterations,
        &iv,
        &aad(&sealed.public_key_multibase),
        &ciphertext,
    )
    .await
    .map_err(|e| match e {
        CryptoError::Unavailable => KeyLockError::Unavailable,
        CryptoError::WrongPassphraseOrDamaged => KeyLockError::WrongPassphrase,
    })?;
    let seed: [u8; 32] = plain.try_into().map_err(|_| KeyLockError::Damaged)?;
    let key = SecretKey::from_bytes(&seed);
    if key.public_key().to_multibase() != sealed.public_key_multibase {
        return Err(KeyLockError::Damaged);
    }
    Ok(key)
}

thread_local! {
    /// The keys unlocked in this tab.
    static UNLOCKED: RefCell<Vec<SecretKey>> = const { RefCell::new(Vec::new()) };
}

/// Keeps `key` unlocked for the rest of this tab's life.
pub fn remember(key: &SecretKey) {
    let public = key.public_key().to_multibase();
    UNLOCKED.with(|keys| {
        let mut keys = keys.borrow_mut();
        if !keys.iter().any(|k| k.public_key().to_multibase() == public) {
            keys.push(key.clone());
        }
    });
}

/// The unlocked key whose public half is `public_multibase`, if any.
pub fn unlocked(public_multibase: &str) -> Option<SecretKey> {
    UNLOCKED.with(|keys| {
        keys.borrow()
            .iter()
            .find(|k| k.public_key().to_multibase() == public_multibase)
            .cloned()
    })
}

/// Locks every key again (the "Lock" button; a test between steps).
pub fn forget() {
    UNLOCKED.with(|keys| keys.borrow_mut().clear());
}

/// The key of a record that keeps it `sealed`, or (stored by an older
/// ChainClass) `readable` as a secret Multikey: the unlocked key, or the
/// readable one, if this page can sign with it.
pub fn key_of(sealed: Option<&SealedKey>, readable: &str) -> Option<SecretKey> {
    match sealed {
        Some(sealed) => unlocked(&sealed.public_key_multibase),
        None => SecretKey::from_multibase(readable).ok(),
    }
}

/// The public half (`z6Mk…`) of such a record's key, locked or not.
pub fn public_of(sealed: Option<&SealedKey>, readable: &str) -> Option<String> {
    match sealed {
        Some(sealed) => Some(sealed.public_key_multibase.clone()),
        None => SecretKey::from_multibase(readable)
            .ok()
            .map(|k| k.public_key().to_multibase()),
    }
}

/// A sealed key naming `seed`'s public key, with placeholder sealed bytes
/// (for tests of what is stored and merged; nothing opens it).
#[cfg(test)]
pub fn placeholder_sealed(seed: u8) -> SealedKey {
    SealedKey {
        public_key_multibase: SecretKey::from_bytes(&[seed; 32])
            .public_key()
            .to_multibase(),
        kdf: Kdf {
            name: "PBKDF2".into(),
            hash: "SHA-256".into(),
            iterations: KEY_PBKDF2_ITERATIONS,
            salt: base64url_encode(&[1; 16]),
        },
        cipher: Cipher {
            name: "AES-GCM".into(),
            iv: base64url_encode(&[2; 12]),
        },
        ciphertext: base64url_encode(&[3; 48]),
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn sealed() -> SealedKey {
        placeholder_sealed(5)
    }

    #[test]
    fn stored_parameters_are_checked_before_any_work() {
        assert!(parts(&sealed()).is_ok());
        let mut spin = sealed();
        spin.kdf.iterations = u32::MAX;
        assert_eq!(parts(&spin), Err(KeyLockError::Damaged));
        let mut other = sealed();
        other.kdf.hash = "SHA-1".into();
        assert_eq!(parts(&other), Err(KeyLockError::Damaged));
        let mut bad = sealed();
        bad.public_key_multibase = "z6Mk-not-a-key".into();
        assert_eq!(parts(&bad), Err(KeyLockError::Damaged));
        // Unknown fields are refused, so nothing rides along unnoticed.
        let mut v = serde_json::to_value(sealed()).unwrap();
        v["secretKeyMultibase"] = "z3u2".into();
        assert!(serde_json::from_value::<SealedKey>(v).is_err());
    }

    #[test]
    fn the_keyring_holds_each_key_once_until_forgotten() {
        forget();
        let a = SecretKey::from_bytes(&[7; 32]);
        let public = a.public_key().to_multibase();
        assert!(unlocked(&public).is_none());
        remember(&a);
        remember(&a);
        assert_eq!(unlocked(&public).map(|k| k.to_bytes()), Some(a.to_bytes()));
        UNLOCKED.with(|k| assert_eq!(k.borrow().len(), 1));
        forget();
        assert!(unlocked(&public).is_none());
    }

    /// Real WebCrypto: only in the browser.
    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen_test::wasm_bindgen_test]
    async fn a_sealed_key_opens_with_its_passphrase_only_and_as_itself_only() {
        let key = SecretKey::from_bytes(&[9; 32]);
        let pass = "a long passphrase";
        let sealed = seal_key(&key, pass, [4; 32]).await.unwrap();
        assert_eq!(sealed.public_key_multibase, key.public_key().to_multibase());
        let stored = serde_json::to_string(&sealed).unwrap();
        assert!(!stored.contains(&key.to_multibase()));
        assert!(!stored.contains(&base64url_encode(&key.to_bytes())));
        let opened = open_key(&sealed, pass).await.unwrap();
        assert_eq!(opened.to_bytes(), key.to_bytes());
        assert_eq!(
            open_key(&sealed, "another long passphrase").await.err(),
            Some(KeyLockError::WrongPassphrase)
        );
        // Named as another key: the associated data no longer matches.
        let mut swapped = sealed.clone();
        swapped.public_key_multibase = SecretKey::from_bytes(&[8; 32]).public_key().to_multibase();
        assert_eq!(
            open_key(&swapped, pass).await.err(),
            Some(KeyLockError::WrongPassphrase)
        );
        assert_eq!(
            seal_key(&key, "short", [4; 32]).await.err(),
            Some(KeyLockError::WeakPassphrase)
        );
    }

    #[test]
    fn passphrases_shorter_than_the_minimum_are_refused() {
        assert!(!passphrase_ok("short"));
        assert!(passphrase_ok("long enough pass"));
        assert_eq!(
            check_new_passphrase("short", "short"),
            Err(KeyLockError::WeakPassphrase)
        );
        assert_eq!(
            check_new_passphrase("long enough pass", "long enough pas"),
            Err(KeyLockError::PassphraseMismatch)
        );
        assert_eq!(
            check_new_passphrase("long enough pass", "long enough pass"),
            Ok(())
        );
    }
}
