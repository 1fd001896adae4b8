//! Accounts: Ed25519 key pairs made from a caller-supplied 32-byte seed,
//! their [`PublicKey`], the short [`Address`] derived from it, and
//! [`Signature`] checking with `verify_strict`.
//!
//! # How an address is derived
//!
//! ```text
//! address = first 20 bytes of SHA-256( "chainclass/address/v1" || public key (32 bytes) )
//! ```
//!
//! shown as 40 lower-case hex digits. The version string in front means a
//! future address scheme can never produce the same bytes by accident.

use core::fmt;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::hex::hex_newtype;

/// Domain-separation prefix hashed in front of the public key to make an
/// [`Address`].
pub const ADDRESS_DOMAIN: &[u8] = b"chainclass/address/v1";

/// Number of bytes in an [`Address`].
pub const ADDRESS_LEN: usize = 20;

/// An Ed25519 public key (32 bytes, compressed Edwards point).
///
/// The bytes are not checked when the value is made or parsed: a malformed
/// key is reported by [`PublicKey::verify`] as
/// [`SignatureError::MalformedPublicKey`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PublicKey([u8; 32]);

hex_newtype!(PublicKey, 32, "an Ed25519 public key as 64 hex digits");

/// An Ed25519 signature (64 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature([u8; 64]);

hex_newtype!(Signature, 64, "an Ed25519 signature as 128 hex digits");

/// An account's address: 20 bytes derived from its public key (see the
/// [module docs](self)).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address([u8; ADDRESS_LEN]);

hex_newtype!(Address, ADDRESS_LEN, "an address as 40 hex digits");

/// Why a signature was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// The public key bytes are not a valid Ed25519 point.
    MalformedPublicKey {
        /// The key that could not be decoded.
        key: PublicKey,
    },
    /// The signature does not match this message and key under
    /// `verify_strict` (wrong key, changed message, forged or non-canonical
    /// signature, or a weak key).
    Mismatch {
        /// The key the signature was checked against.
        key: PublicKey,
    },
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MalformedPublicKey { key } => {
                write!(f, "public key {key} is not a valid Ed25519 key")
            }
            Self::Mismatch { key } => write!(
                f,
                "signature does not match the message for public key {key}"
            ),
        }
    }
}

impl std::error::Error for SignatureError {}

impl PublicKey {
    /// Wraps 32 public-key bytes (not checked until [`verify`](Self::verify)).
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        PublicKey(bytes)
    }

    /// The 32 key bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The [`Address`] of this key.
    pub fn address(&self) -> Address {
        Address::from_public_key(self)
    }

    /// Decodes the point; fails for bytes that are not a curve point.
    pub fn to_verifying_key(&self) -> Result<VerifyingKey, SignatureError> {
        VerifyingKey::from_bytes(&self.0)
            .map_err(|_| SignatureError::MalformedPublicKey { key: *self })
    }

    /// Checks `signature` over `message` with ed25519-dalek's
    /// `verify_strict` (rejects non-canonical signatures and weak keys).
    pub fn verify(&self, message: &[u8], signature: &Signature) -> Result<(), SignatureError> {
        let key = self.to_verifying_key()?;
        verify_with(&key, self, message, signature)
    }
}

/// `verify_strict` with an already decoded key (lets validators cache the
/// point decompression per account).
pub(crate) fn verify_with(
    key: &VerifyingKey,
    public: &PublicKey,
    message: &[u8],
    signature: &Signature,
) -> Result<(), SignatureError> {
    let signature = ed25519_dalek::Signature::from_bytes(&signature.0);
    key.verify_strict(message, &signature)
        .map_err(|_| SignatureError::Mismatch { key: *public })
}

impl Signature {
    /// Wraps 64 signature bytes.
    pub const fn from_bytes(bytes: [u8; 64]) -> Self {
        Signature(bytes)
    }

    /// The 64 signature bytes.
    pub const fn as_bytes(&self) -> &[u8; 64] {
        &self.0
    }
}

impl Address {
    /// Wraps 20 address bytes.
    pub const fn from_bytes(bytes: [u8; ADDRESS_LEN]) -> Self {
        Address(bytes)
    }

    /// The 20 address bytes.
    pub const fn as_bytes(&self) -> &[u8; ADDRESS_LEN] {
        &self.0
    }

    /// Derives the address of a public key (see the [module docs](self)).
    pub fn from_public_key(key: &PublicKey) -> Self {
        let digest: [u8; 32] = Sha256::new()
            .chain_update(ADDRESS_DOMAIN)
            .chain_update(key.as_bytes())
            .finalize()
            .into();
        let mut bytes = [0u8; ADDRESS_LEN];
        for (slot, byte) in bytes.iter_mut().zip(digest) {
            *slot = byte;
        }
        Address(bytes)
    }

    /// The first 8 hex digits, for compact display ("a1b2c3d4…").
    pub fn short(&self) -> String {
        crate::hex::encode(self.0.get(..4).unwrap_or(&[]))
    }
}

/// An account that can sign: an Ed25519 key pair plus its address.
///
/// Made from a 32-byte seed that the caller supplies (the crate has no
/// randomness of its own). The same seed always gives the same account. The
/// secret key is wiped from memory when the account is dropped.
///
/// ```
/// use ledger::Account;
///
/// let alice = Account::from_seed(&[1; 32]);
/// let sig = alice.sign(b"hello");
/// assert!(alice.public_key().verify(b"hello", &sig).is_ok());
/// assert!(alice.public_key().verify(b"hellO", &sig).is_err());
/// assert_eq!(alice.address(), alice.public_key().address());
/// ```
#[derive(Clone)]
pub struct Account {
    signing: SigningKey,
    public: PublicKey,
    address: Address,
}

impl Account {
    /// The account whose Ed25519 secret key is `seed` (RFC 8032 private key).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        let signing = SigningKey::from_bytes(seed);
        let public = PublicKey(signing.verifying_key().to_bytes());
        Account {
            signing,
            address: public.address(),
            public,
        }
    }

    /// The public key (shared with everyone).
    pub fn public_key(&self) -> PublicKey {
        self.public
    }

    /// The address coins are sent to.
    pub fn address(&self) -> Address {
        self.address
    }

    /// Signs `message` (deterministic Ed25519).
    pub fn sign(&self, message: &[u8]) -> Signature {
        Signature(self.signing.sign(message).to_bytes())
    }

    /// The 32-byte seed this account was made from, for the app to store.
    /// Treat it like a password.
    pub fn seed(&self) -> [u8; 32] {
        self.signing.to_bytes()
    }
}

impl fmt::Debug for Account {
    /// Shows the address only, never the secret key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Account({})", self.address)
    }
}

impl PartialEq for Account {
    fn eq(&self, other: &Self) -> bool {
        self.public == other.public
    }
}

impl Eq for Account {}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    // RFC 8032 section 7.1, TEST 1.
    const SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    const PUBLIC: &str = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    const SIG_EMPTY: &str = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    fn rfc_account() -> Account {
        let seed: [u8; 32] = crate::hex::decode(SEED).unwrap();
        Account::from_seed(&seed)
    }

    #[test]
    fn matches_rfc8032_test_1() {
        let account = rfc_account();
        assert_eq!(account.public_key().to_string(), PUBLIC);
        let sig = account.sign(b"");
        assert_eq!(sig.to_string(), SIG_EMPTY);
        assert_eq!(account.public_key().verify(b"", &sig), Ok(()));
        assert_eq!(crate::hex::encode(&account.seed()), SEED);
    }

    #[test]
    fn address_is_documented_derivation() {
        let account = rfc_account();
        let mut input = ADDRESS_DOMAIN.to_vec();
        input.extend_from_slice(account.public_key().as_bytes());
        let digest = crate::Hash::digest(&input);
        assert_eq!(account.address().as_bytes(), &digest.as_bytes()[..20]);
        assert_eq!(account.address().to_string().len(), 40);
        assert_eq!(
            account.address().to_string().parse::<Address>(),
            Ok(account.address())
        );
    }

    #[test]
    fn rejects_changed_message_other_key_and_bad_points() {
        let alice = Account::from_seed(&[1; 32]);
        let bob = Account::from_seed(&[2; 32]);
        let sig = alice.sign(b"pay bob 5");
        assert_eq!(
            bob.public_key().verify(b"pay bob 5", &sig),
            Err(SignatureError::Mismatch {
                key: bob.public_key()
            })
        );
        assert!(alice.public_key().verify(b"pay bob 6", &sig).is_err());

        // y = 2 is not the y-coordinate of any point on the curve.
        let mut bad = [0u8; 32];
        bad[0] = 2;
        let bad = PublicKey::from_bytes(bad);
        assert_eq!(
            bad.verify(b"x", &sig),
            Err(SignatureError::MalformedPublicKey { key: bad })
        );
    }

    #[test]
    fn strict_verification_rejects_the_identity_key() {
        // The identity point (y = 1) is a small-order "weak" key under which
        // the signature R = identity, S = 0 would pass lax verification for
        // every message.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let mut forged = [0u8; 64];
        forged[0] = 1;
        let key = PublicKey::from_bytes(identity);
        assert!(key
            .verify(b"anything", &Signature::from_bytes(forged))
            .is_err());
    }

    #[test]
    fn debug_hides_the_secret() {
        let account = Account::from_seed(&[7; 32]);
        let shown = format!("{account:?}");
        assert!(shown.contains(&account.address().to_string()));
        assert!(!shown.contains(&crate::hex::encode(&[7; 32])));
    }
}
