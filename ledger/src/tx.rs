//! Transactions: the [`Coinbase`] reward, signed [`Transfer`]s of coins, and
//! signed [`Anchor`]s that record a 32-byte Merkle root with a short
//! [`Label`]; their versioned binary encoding, ids and signatures.
//!
//! # Encoding (version 1)
//!
//! Every integer is big-endian and every field has a fixed width, except the
//! label, which is last and preceded by its length, so two different
//! transactions can never encode to the same bytes.
//!
//! ```text
//! "CCTX" (4 bytes) | version = 1 (1 byte) | kind (1 byte) | fields...
//!
//! kind 0, coinbase: to address (20) | amount u64 | height u64
//! kind 1, transfer: from public key (32) | to address (20) | amount u64 | fee u64 | nonce u64
//! kind 2, anchor:   from public key (32) | root (32) | fee u64 | nonce u64 | label length u8 | label UTF-8
//! ```
//!
//! These are the **signing bytes**: the sender signs them with Ed25519. The
//! full encoding of a signed transaction is the signing bytes followed by
//! the 64-byte signature; a coinbase has no signature. The transaction
//! **id** is `SHA-256(full encoding)`, and the leaves of a block's Merkle tree
//! are these ids.
//!
//! The signing bytes do not name a particular chain: a transfer signed for
//! one class chain is also valid on another chain where the sender has the
//! same next nonce and enough coins.

use core::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::keys::{Account, Address, PublicKey, Signature, SignatureError};
use crate::{Amount, Hash};

/// The four bytes every transaction encoding starts with.
pub const TX_MAGIC: [u8; 4] = *b"CCTX";
/// Version of the transaction encoding described in the [module docs](self).
pub const TX_ENCODING_VERSION: u8 = 1;
/// Longest anchor label, in bytes of UTF-8.
pub const MAX_LABEL_BYTES: usize = 64;

/// A short text attached to an [`Anchor`] (for example `"4C certificates
/// 2025"`): at most [`MAX_LABEL_BYTES`] bytes of UTF-8, no control characters.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Label(String);

/// Why a text cannot be a [`Label`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelError {
    /// The text is longer than [`MAX_LABEL_BYTES`] bytes.
    TooLong {
        /// Length of the text in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The text contains a control character (newline, tab, ...).
    ControlCharacter {
        /// Byte offset of the character.
        index: usize,
    },
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong { len, max } => {
                write!(f, "label is {len} bytes long, the limit is {max}")
            }
            Self::ControlCharacter { index } => {
                write!(f, "label has a control character at byte {index}")
            }
        }
    }
}

impl std::error::Error for LabelError {}

impl Label {
    /// Checks and wraps a label.
    pub fn new(text: impl Into<String>) -> Result<Self, LabelError> {
        let text = text.into();
        if text.len() > MAX_LABEL_BYTES {
            return Err(LabelError::TooLong {
                len: text.len(),
                max: MAX_LABEL_BYTES,
            });
        }
        if let Some((index, _)) = text.char_indices().find(|(_, c)| c.is_control()) {
            return Err(LabelError::ControlCharacter { index });
        }
        Ok(Label(text))
    }

    /// The label text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Label {
    type Error = LabelError;
    fn try_from(text: String) -> Result<Self, LabelError> {
        Label::new(text)
    }
}

impl TryFrom<&str> for Label {
    type Error = LabelError;
    fn try_from(text: &str) -> Result<Self, LabelError> {
        Label::new(text)
    }
}

impl From<Label> for String {
    fn from(label: Label) -> String {
        label.0
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// New coins paid to the miner of a block: the block reward plus the fees
/// of the block's transactions (it may claim less, never more).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coinbase {
    /// Who receives the coins.
    pub to: Address,
    /// How many coins.
    pub amount: Amount,
    /// Height of the block it belongs to (makes every coinbase id unique).
    pub height: u64,
}

/// "Send `amount` coins from `from` to `to`, paying `fee` to the miner."
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// The sender's public key (its address is derived from it).
    pub from: PublicKey,
    /// The recipient's address.
    pub to: Address,
    /// Coins the recipient gets.
    pub amount: Amount,
    /// Coins the miner gets.
    pub fee: Amount,
    /// The sender's transaction counter: 0 for its first transaction, then
    /// 1, 2, ... This is what stops a transfer being replayed.
    pub nonce: u64,
}

/// "Record this Merkle root on the chain." Used to anchor a batch of
/// certificates: anyone can later check that a certificate was in the batch
/// with a Merkle proof against this root.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    /// The signer's public key (the teacher or school).
    pub from: PublicKey,
    /// The 32-byte root being recorded.
    pub root: Hash,
    /// A short description.
    pub label: Label,
    /// Coins the miner gets.
    pub fee: Amount,
    /// The signer's transaction counter (shared with its transfers).
    pub nonce: u64,
}

/// A transaction body with the sender's signature over its signing bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signed<T> {
    /// What was signed.
    pub body: T,
    /// Ed25519 signature over the body's signing bytes.
    pub signature: Signature,
}

/// Any transaction that can appear in a block.
///
/// ```
/// use ledger::{Account, Amount, Transaction};
///
/// let alice = Account::from_seed(&[1; 32]);
/// let bob = Account::from_seed(&[2; 32]);
/// let tx = Transaction::transfer(&alice, bob.address(), Amount::new(5), Amount::new(1), 0);
/// assert!(tx.verify_signature().is_ok());
/// assert_eq!(tx.sender(), Some(alice.address()));
/// assert_eq!(tx.signing_bytes().len(), 82);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Transaction {
    /// The block reward (first transaction of a block, at most one).
    Coinbase(Coinbase),
    /// A signed transfer of coins.
    Transfer(Signed<Transfer>),
    /// A signed record of a Merkle root.
    Anchor(Signed<Anchor>),
}

/// The kind of a transaction, as a plain tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TxKind {
    /// [`Transaction::Coinbase`].
    Coinbase,
    /// [`Transaction::Transfer`].
    Transfer,
    /// [`Transaction::Anchor`].
    Anchor,
}

impl TxKind {
    /// The kind byte in the encoding.
    pub const fn code(self) -> u8 {
        match self {
            TxKind::Coinbase => 0,
            TxKind::Transfer => 1,
            TxKind::Anchor => 2,
        }
    }
}

fn header(kind: TxKind, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity);
    out.extend_from_slice(&TX_MAGIC);
    out.push(TX_ENCODING_VERSION);
    out.push(kind.code());
    out
}

impl Coinbase {
    /// The encoding (see the [module docs](self)); 42 bytes.
    pub fn signing_bytes(&self) -> Vec<u8> {
        let mut out = header(TxKind::Coinbase, 42);
        out.extend_from_slice(self.to.as_bytes());
        out.extend_from_slice(&self.amount.coins().to_be_bytes());
        out.extend_from_slice(&self.height.to_be_bytes());
        out
    }
}

impl Transfer {
    /// The bytes the sender signs (see the [module docs](self)); 82 bytes.
    pub fn signing_bytes(&self) -> Vec<u8> {
        let mut out = header(TxKind::Transfer, 82 + 64);
        out.extend_from_slice(self.from.as_bytes());
        out.extend_from_slice(self.to.as_bytes());
        out.extend_from_slice(&self.amount.coins().to_be_bytes());
        out.extend_from_slice(&self.fee.coins().to_be_bytes());
        out.extend_from_slice(&self.nonce.to_be_bytes());
        out
    }

    /// Signs the transfer. The signature is only valid if `account` is the
    /// owner of `self.from`.
    pub fn sign(self, account: &Account) -> Signed<Transfer> {
        let signature = account.sign(&self.signing_bytes());
        Signed {
            body: self,
            signature,
        }
    }
}

impl Anchor {
    /// The bytes the signer signs (see the [module docs](self)).
    pub fn signing_bytes(&self) -> Vec<u8> {
        let label = self.label.as_str().as_bytes();
        let mut out = header(TxKind::Anchor, 87 + label.len() + 64);
        out.extend_from_slice(self.from.as_bytes());
        out.extend_from_slice(self.root.as_bytes());
        out.extend_from_slice(&self.fee.coins().to_be_bytes());
        out.extend_from_slice(&self.nonce.to_be_bytes());
        // A `Label` is at most 64 bytes, so its length fits in one byte.
        out.push(u8::try_from(label.len()).unwrap_or(u8::MAX));
        out.extend_from_slice(label);
        out
    }

    /// Signs the anchor. The signature is only valid if `account` is the
    /// owner of `self.from`.
    pub fn sign(self, account: &Account) -> Signed<Anchor> {
        let signature = account.sign(&self.signing_bytes());
        Signed {
            body: self,
            signature,
        }
    }
}

impl Transaction {
    /// A transfer from `from` to `to`, signed by `from`.
    pub fn transfer(from: &Account, to: Address, amount: Amount, fee: Amount, nonce: u64) -> Self {
        Transaction::Transfer(
            Transfer {
                from: from.public_key(),
                to,
                amount,
                fee,
                nonce,
            }
            .sign(from),
        )
    }

    /// An anchor of `root` with `label`, signed by `from`.
    pub fn anchor(from: &Account, root: Hash, label: Label, fee: Amount, nonce: u64) -> Self {
        Transaction::Anchor(
            Anchor {
                from: from.public_key(),
                root,
                label,
                fee,
                nonce,
            }
            .sign(from),
        )
    }

    /// A coinbase paying `amount` to `to` in the block at `height`.
    pub fn coinbase(to: Address, amount: Amount, height: u64) -> Self {
        Transaction::Coinbase(Coinbase { to, amount, height })
    }

    /// Which kind of transaction this is.
    pub fn kind(&self) -> TxKind {
        match self {
            Transaction::Coinbase(_) => TxKind::Coinbase,
            Transaction::Transfer(_) => TxKind::Transfer,
            Transaction::Anchor(_) => TxKind::Anchor,
        }
    }

    /// The versioned signing bytes (see the [module docs](self)).
    pub fn signing_bytes(&self) -> Vec<u8> {
        match self {
            Transaction::Coinbase(coinbase) => coinbase.signing_bytes(),
            Transaction::Transfer(signed) => signed.body.signing_bytes(),
            Transaction::Anchor(signed) => signed.body.signing_bytes(),
        }
    }

    /// The full encoding: signing bytes, then the signature if there is one.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = self.signing_bytes();
        if let Some(signature) = self.signature() {
            out.extend_from_slice(signature.as_bytes());
        }
        out
    }

    /// The transaction id: `SHA-256(encode())`.
    pub fn id(&self) -> Hash {
        let mut hasher = Sha256::new();
        hasher.update(self.signing_bytes());
        if let Some(signature) = self.signature() {
            hasher.update(signature.as_bytes());
        }
        Hash::from_hasher(hasher)
    }

    /// The signature, if this kind is signed.
    pub fn signature(&self) -> Option<&Signature> {
        match self {
            Transaction::Coinbase(_) => None,
            Transaction::Transfer(signed) => Some(&signed.signature),
            Transaction::Anchor(signed) => Some(&signed.signature),
        }
    }

    /// The signer's public key, if this kind is signed.
    pub fn signer(&self) -> Option<PublicKey> {
        match self {
            Transaction::Coinbase(_) => None,
            Transaction::Transfer(signed) => Some(signed.body.from),
            Transaction::Anchor(signed) => Some(signed.body.from),
        }
    }

    /// The sending account's address (`None` for a coinbase).
    pub fn sender(&self) -> Option<Address> {
        self.signer().map(|key| key.address())
    }

    /// The sender's nonce (`None` for a coinbase).
    pub fn nonce(&self) -> Option<u64> {
        match self {
            Transaction::Coinbase(_) => None,
            Transaction::Transfer(signed) => Some(signed.body.nonce),
            Transaction::Anchor(signed) => Some(signed.body.nonce),
        }
    }

    /// The fee paid to the miner (zero for a coinbase).
    pub fn fee(&self) -> Amount {
        match self {
            Transaction::Coinbase(_) => Amount::ZERO,
            Transaction::Transfer(signed) => signed.body.fee,
            Transaction::Anchor(signed) => signed.body.fee,
        }
    }

    /// Checks the signature with `verify_strict`. A coinbase has none and
    /// always passes.
    pub fn verify_signature(&self) -> Result<(), SignatureError> {
        match (self.signer(), self.signature()) {
            (Some(key), Some(signature)) => key.verify(&self.signing_bytes(), signature),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn alice() -> Account {
        Account::from_seed(&[1; 32])
    }

    #[test]
    fn transfer_layout_is_as_documented() {
        let bob = Account::from_seed(&[2; 32]);
        let tx = Transfer {
            from: alice().public_key(),
            to: bob.address(),
            amount: Amount::new(0x0102),
            fee: Amount::new(3),
            nonce: 7,
        };
        let bytes = tx.signing_bytes();
        assert_eq!(bytes.len(), 82);
        assert_eq!(&bytes[..6], b"CCTX\x01\x01");
        assert_eq!(&bytes[6..38], alice().public_key().as_bytes());
        assert_eq!(&bytes[38..58], bob.address().as_bytes());
        assert_eq!(&bytes[58..66], &[0, 0, 0, 0, 0, 0, 1, 2]);
        assert_eq!(&bytes[66..74], &3u64.to_be_bytes());
        assert_eq!(&bytes[74..82], &7u64.to_be_bytes());
    }

    #[test]
    fn anchor_layout_ends_with_length_prefixed_label() {
        let tx = Anchor {
            from: alice().public_key(),
            root: Hash::digest(b"batch"),
            label: Label::new("4C").unwrap(),
            fee: Amount::ZERO,
            nonce: 0,
        };
        let bytes = tx.signing_bytes();
        assert_eq!(bytes.len(), 87 + 2);
        assert_eq!(bytes[5], 2);
        assert_eq!(&bytes[38..70], Hash::digest(b"batch").as_bytes());
        assert_eq!(&bytes[86..], b"\x024C");
    }

    #[test]
    fn id_covers_the_signature() {
        let bob = Account::from_seed(&[2; 32]);
        let tx = Transaction::transfer(&alice(), bob.address(), Amount::new(1), Amount::ZERO, 0);
        let mut expected = tx.signing_bytes();
        expected.extend_from_slice(tx.signature().unwrap().as_bytes());
        assert_eq!(tx.encode(), expected);
        assert_eq!(tx.id(), Hash::digest(&expected));

        let Transaction::Transfer(mut signed) = tx.clone() else {
            unreachable!()
        };
        signed.signature = Signature::from_bytes([0; 64]);
        assert_ne!(Transaction::Transfer(signed).id(), tx.id());
    }

    #[test]
    fn labels_are_bounded_and_printable() {
        assert!(Label::new("a".repeat(64)).is_ok());
        assert_eq!(
            Label::new("a".repeat(65)),
            Err(LabelError::TooLong { len: 65, max: 64 })
        );
        assert_eq!(
            Label::new("ab\ncd"),
            Err(LabelError::ControlCharacter { index: 2 })
        );
        // Traditional Chinese is fine (3 bytes per character).
        assert!(Label::new("中四甲班證書").is_ok());
        assert!(serde_json::from_str::<Label>(&format!("\"{}\"", "x".repeat(65))).is_err());
    }

    #[test]
    fn signature_over_other_body_fails() {
        let bob = Account::from_seed(&[2; 32]);
        let tx = Transaction::transfer(&alice(), bob.address(), Amount::new(1), Amount::ZERO, 0);
        let Transaction::Transfer(mut signed) = tx else {
            unreachable!()
        };
        signed.body.amount = Amount::new(1000);
        assert_eq!(
            Transaction::Transfer(signed).verify_signature(),
            Err(SignatureError::Mismatch {
                key: alice().public_key()
            })
        );
    }

    #[test]
    fn json_shape_is_tagged() {
        let tx = Transaction::coinbase(alice().address(), Amount::new(50), 1);
        let json = serde_json::to_string(&tx).unwrap();
        assert_eq!(
            json,
            format!(
                "{{\"type\":\"coinbase\",\"to\":\"{}\",\"amount\":50,\"height\":1}}",
                alice().address()
            )
        );
        assert_eq!(serde_json::from_str::<Transaction>(&json).unwrap(), tx);
    }
}
