//! Ledger anchor receipts: proof that a signed credential was in a batch
//! whose Merkle root is recorded by an anchor transaction on the class
//! ledger (the Blockcerts idea on ChainClass's own chain), and the report's
//! `anchor` check.
//!
//! # What is hashed
//!
//! * `targetHash` = SHA-256 of the RFC 8785 (JCS) canonical form of the
//!   **signed** credential (with its `proof`), re-canonicalised from the
//!   parsed JSON, never the received bytes ([`target_hash`]).
//! * The batch's Merkle tree is the `ledger` crate's RFC 6962 tree over the
//!   32-byte target hashes: leaf = `SHA-256(0x00 ‖ targetHash)`, node =
//!   `SHA-256(0x01 ‖ left ‖ right)`, an odd node is carried up.
//! * The root is recorded by a `ledger` anchor transaction with a label.
//!
//! # The receipt
//!
//! Kept *beside* the signed credential (a separate file or record), never
//! inside it, so the credential stays a plain Open Badge:
//!
//! ```json
//! {
//!   "type": "ChainClassLedgerReceipt", "version": 1,
//!   "credentialId": "urn:uuid:…", "targetHash": "<hex>",
//!   "leafIndex": 3, "leafCount": 30,
//!   "path": [{"side": "right", "hash": "<hex>"}, …],
//!   "merkleRoot": "<hex>", "anchorTxId": "<hex>", "label": "4C 2025",
//!   "blockHash": "<hex>", "blockHeight": 12, "ledgerGenesis": "<hex>"
//! }
//! ```
//!
//! # Verifying ([`verify_receipt`])
//!
//! 1. the credential's target hash equals `targetHash`;
//! 2. the path leads from that leaf to `merkleRoot` (the path's shape is
//!    recomputed from `leafIndex`/`leafCount`);
//! 3. the ledger is the receipt's (same genesis) and validates (a `Chain`
//!    only exists when every block is valid; an export is re-validated on
//!    import);
//! 4. the block at `blockHeight` has hash `blockHash`;
//! 5. that block holds transaction `anchorTxId`, an anchor of `merkleRoot`
//!    with `label`.
//!
//! A mismatch in 1, 2, 4 or 5 is a `fail`; a malformed receipt, a missing,
//! invalid or other ledger, or a ledger that does not reach the block yet is
//! `couldnt_check`.

use crate::did_key::DidKey;
use crate::jcs;
use crate::report::{Check, CheckId, CheckStatus, Info};
use crate::verify::{controller_id, VerifyOptions};
use ledger::merkle::{leaf_hash, ProofStep};
use ledger::{Chain, Hash, MerkleProof, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;

/// The receipt's `type`.
pub const RECEIPT_TYPE: &str = "ChainClassLedgerReceipt";
/// The receipt format version.
pub const RECEIPT_VERSION: u32 = 1;
/// The longest Merkle path accepted (a tree of 2^64 leaves needs 64).
pub const MAX_PATH: usize = 64;

/// `SHA-256(JCS(credential))`: the batch leaf data of a signed credential.
pub fn target_hash(credential: &Value) -> Result<Hash, jcs::JcsError> {
    let bytes = jcs::to_vec(credential)?;
    Ok(Hash::from_bytes(Sha256::digest(&bytes).into()))
}

/// A ledger anchor receipt (see the module docs for the JSON form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Receipt {
    /// Always [`RECEIPT_TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// Always [`RECEIPT_VERSION`].
    pub version: u32,
    /// The credential's `id`, to find the receipt of a credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_id: Option<String>,
    /// `SHA-256(JCS(signed credential))`.
    pub target_hash: Hash,
    /// Position of the credential in the batch.
    pub leaf_index: u64,
    /// Credentials in the batch.
    pub leaf_count: u64,
    /// Sibling hashes from the leaf up.
    pub path: Vec<ProofStep>,
    /// The batch's Merkle root.
    pub merkle_root: Hash,
    /// Id of the anchor transaction.
    pub anchor_tx_id: Hash,
    /// The anchor's label.
    pub label: String,
    /// Hash of the block holding the anchor.
    pub block_hash: Hash,
    /// Height of that block.
    pub block_height: u64,
    /// Genesis hash of the class ledger.
    pub ledger_genesis: Hash,
}

impl Receipt {
    /// Reads a receipt from JSON, checking `type`, `version` and the path
    /// length.
    pub fn from_value(v: &Value) -> Result<Receipt, ReceiptError> {
        let malformed = |detail: String| ReceiptError::Malformed { detail };
        if let Some(path) = v.get("path").and_then(Value::as_array) {
            if path.len() > MAX_PATH {
                return Err(malformed(format!("path longer than {MAX_PATH}")));
            }
        }
        let r: Receipt = serde_json::from_value(v.clone()).map_err(|e| malformed(e.to_string()))?;
        if r.kind != RECEIPT_TYPE {
            return Err(malformed(format!("type is not {RECEIPT_TYPE}")));
        }
        if r.version != RECEIPT_VERSION {
            return Err(malformed(format!("version {} is not supported", r.version)));
        }
        Ok(r)
    }

    /// Reads a receipt from JSON text (strictly parsed).
    pub fn from_json(text: &str) -> Result<Receipt, ReceiptError> {
        let v = crate::json::parse_strict(text).map_err(|e| ReceiptError::Malformed {
            detail: e.to_string(),
        })?;
        Receipt::from_value(&v)
    }

    /// The receipt as JSON.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    fn proof(&self) -> MerkleProof {
        MerkleProof {
            leaf_index: self.leaf_index,
            leaf_count: self.leaf_count,
            siblings: self.path.clone(),
        }
    }
}

/// Why a receipt does not prove the anchor (see [`ReceiptError::status`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum ReceiptError {
    /// The receipt is not a ChainClass ledger receipt.
    Malformed {
        /// What is wrong (for developers).
        detail: String,
    },
    /// The credential is not the one the receipt is for (tampered, or
    /// another credential's receipt).
    CredentialHashMismatch {
        /// The credential's target hash.
        computed: Hash,
        /// The receipt's `targetHash`.
        receipt: Hash,
    },
    /// The path does not fit the claimed position.
    MerklePathInvalid {
        /// What is wrong.
        detail: String,
    },
    /// The path leads to another root.
    MerkleRootMismatch {
        /// The root the path leads to.
        computed: Hash,
        /// The receipt's `merkleRoot`.
        receipt: Hash,
    },
    /// No ledger was given.
    LedgerNotProvided,
    /// The ledger export does not import (tampered or damaged).
    LedgerInvalid {
        /// What is wrong (for developers).
        detail: String,
    },
    /// The ledger is another class's (another genesis).
    LedgerMismatch {
        /// The ledger's genesis hash.
        ledger_genesis: Hash,
        /// The receipt's.
        receipt_genesis: Hash,
    },
    /// The ledger has no block at that height yet.
    AnchorBlockMissing {
        /// The receipt's height.
        block_height: u64,
        /// The ledger's height.
        ledger_height: u64,
    },
    /// The block at that height is another block.
    AnchorBlockHashMismatch {
        /// The height.
        block_height: u64,
        /// The receipt's block hash.
        receipt: Hash,
        /// The ledger's.
        ledger: Hash,
    },
    /// The block does not hold the anchor transaction.
    AnchorTxMissing {
        /// The transaction id.
        anchor_tx_id: Hash,
        /// The block height.
        block_height: u64,
    },
    /// The transaction is not an anchor of this root with this label.
    AnchorMismatch {
        /// The transaction id.
        anchor_tx_id: Hash,
        /// The root it records (none if it is not an anchor).
        anchored_root: Option<Hash>,
        /// Its label.
        anchored_label: Option<String>,
    },
}

impl ReceiptError {
    /// `fail` when the receipt or credential contradicts the ledger,
    /// `couldnt_check` when the check cannot be completed.
    pub fn status(&self) -> CheckStatus {
        match self {
            ReceiptError::Malformed { .. }
            | ReceiptError::LedgerNotProvided
            | ReceiptError::LedgerInvalid { .. }
            | ReceiptError::LedgerMismatch { .. }
            | ReceiptError::AnchorBlockMissing { .. } => CheckStatus::CouldntCheck,
            _ => CheckStatus::Fail,
        }
    }
}

impl fmt::Display for ReceiptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiptError::Malformed { detail } => write!(f, "malformed receipt: {detail}"),
            ReceiptError::CredentialHashMismatch { .. } => {
                f.write_str("the credential is not the one the receipt is for")
            }
            ReceiptError::MerklePathInvalid { detail } => write!(f, "bad Merkle path: {detail}"),
            ReceiptError::MerkleRootMismatch { .. } => {
                f.write_str("the Merkle path does not lead to the receipt's root")
            }
            ReceiptError::LedgerNotProvided => f.write_str("no ledger given"),
            ReceiptError::LedgerInvalid { detail } => write!(f, "the ledger is invalid: {detail}"),
            ReceiptError::LedgerMismatch { .. } => {
                f.write_str("the receipt is for another class ledger")
            }
            ReceiptError::AnchorBlockMissing {
                block_height,
                ledger_height,
            } => write!(
                f,
                "the ledger has {ledger_height} blocks; the anchor is in block {block_height}"
            ),
            ReceiptError::AnchorBlockHashMismatch { block_height, .. } => {
                write!(f, "block {block_height} is not the receipt's block")
            }
            ReceiptError::AnchorTxMissing { block_height, .. } => {
                write!(
                    f,
                    "block {block_height} does not hold the anchor transaction"
                )
            }
            ReceiptError::AnchorMismatch { .. } => {
                f.write_str("the transaction does not anchor the receipt's root")
            }
        }
    }
}

impl std::error::Error for ReceiptError {}

/// What a verified receipt proves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnchorProof {
    /// The block height.
    pub block_height: u64,
    /// The block hash.
    pub block_hash: Hash,
    /// The block's timestamp (seconds, as the ledger records it): the batch
    /// existed then.
    pub block_timestamp: u64,
    /// Blocks from the anchor's block to the tip, counting it (1 = tip).
    pub confirmations: u64,
    /// The anchor transaction.
    pub anchor_tx_id: Hash,
    /// The batch root.
    pub merkle_root: Hash,
    /// The anchor's label.
    pub label: String,
    /// The anchor signer's Ed25519 public key (hex).
    pub anchor_signer: String,
    /// Whether that key is the credential issuer's did:key.
    pub signed_by_issuer: bool,
}

/// Checks the credential side (1–2 in the module docs).
fn check_leaf(credential: &Value, receipt: &Receipt) -> Result<(), ReceiptError> {
    let computed = target_hash(credential).map_err(|e| ReceiptError::Malformed {
        detail: e.to_string(),
    })?;
    if computed != receipt.target_hash {
        return Err(ReceiptError::CredentialHashMismatch {
            computed,
            receipt: receipt.target_hash,
        });
    }
    let root = receipt
        .proof()
        .root_from_leaf_hash(&leaf_hash(computed.as_bytes()))
        .map_err(|e| ReceiptError::MerklePathInvalid {
            detail: e.to_string(),
        })?;
    if root != receipt.merkle_root {
        return Err(ReceiptError::MerkleRootMismatch {
            computed: root,
            receipt: receipt.merkle_root,
        });
    }
    Ok(())
}

/// Verifies `receipt` for `credential` against `chain` (see the module docs).
pub fn verify_receipt(
    credential: &Value,
    receipt: &Receipt,
    chain: &Chain,
) -> Result<AnchorProof, ReceiptError> {
    check_leaf(credential, receipt)?;
    if chain.genesis_hash() != receipt.ledger_genesis {
        return Err(ReceiptError::LedgerMismatch {
            ledger_genesis: chain.genesis_hash(),
            receipt_genesis: receipt.ledger_genesis,
        });
    }
    let Some(block) = chain.block(receipt.block_height) else {
        return Err(ReceiptError::AnchorBlockMissing {
            block_height: receipt.block_height,
            ledger_height: chain.height(),
        });
    };
    let hash = block.hash();
    if hash != receipt.block_hash {
        return Err(ReceiptError::AnchorBlockHashMismatch {
            block_height: receipt.block_height,
            receipt: receipt.block_hash,
            ledger: hash,
        });
    }
    let Some(tx) = block
        .transactions
        .iter()
        .find(|tx| tx.id() == receipt.anchor_tx_id)
    else {
        return Err(ReceiptError::AnchorTxMissing {
            anchor_tx_id: receipt.anchor_tx_id,
            block_height: receipt.block_height,
        });
    };
    let Transaction::Anchor(anchor) = tx else {
        return Err(ReceiptError::AnchorMismatch {
            anchor_tx_id: receipt.anchor_tx_id,
            anchored_root: None,
            anchored_label: None,
        });
    };
    if anchor.body.root != receipt.merkle_root || anchor.body.label.as_str() != receipt.label {
        return Err(ReceiptError::AnchorMismatch {
            anchor_tx_id: receipt.anchor_tx_id,
            anchored_root: Some(anchor.body.root),
            anchored_label: Some(anchor.body.label.as_str().to_owned()),
        });
    }
    let signer = anchor.body.from;
    let issuer_key = controller_id(credential.get("issuer"))
        .and_then(|i| DidKey::parse(i).ok())
        .map(|d| d.public_key().to_bytes());
    Ok(AnchorProof {
        block_height: receipt.block_height,
        block_hash: hash,
        block_timestamp: block.header.timestamp,
        confirmations: chain
            .height()
            .saturating_sub(receipt.block_height)
            .saturating_add(1),
        anchor_tx_id: receipt.anchor_tx_id,
        merkle_root: receipt.merkle_root,
        label: receipt.label.clone(),
        anchor_signer: signer
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        signed_by_issuer: issuer_key.is_some_and(|k| &k == signer.as_bytes()),
    })
}

/// The class ledger a verifier checks anchors against.
///
/// Verification never imports a ledger itself: the caller does, with
/// [`LedgerInput::import`], once for any number of credentials. This keeps
/// the importer (JSON decoding and re-validation of the whole chain, the
/// largest part of `ledger`) out of programs that verify without a ledger:
/// the web verifier imports ledgers in a worker.
#[derive(Debug, Clone, PartialEq)]
pub enum LedgerInput {
    /// An imported (hence valid) chain.
    Chain(Arc<Chain>),
    /// A ledger export that was refused on import; anchor checks against it
    /// report `ledger_invalid` with this detail.
    Refused {
        /// Why the import refused it (`ledger::ImportError`'s message).
        detail: String,
    },
}

impl LedgerInput {
    /// Imports a ledger export (`chain_to_json`), re-validating every block.
    pub fn import(json: &str) -> LedgerInput {
        match ledger::chain_from_json(json) {
            Ok(chain) => LedgerInput::Chain(Arc::new(chain)),
            Err(e) => LedgerInput::Refused {
                detail: e.to_string(),
            },
        }
    }

    /// The chain, or why the export was refused.
    pub fn chain(&self) -> Result<Arc<Chain>, ReceiptError> {
        match self {
            LedgerInput::Chain(c) => Ok(Arc::clone(c)),
            LedgerInput::Refused { detail } => Err(ReceiptError::LedgerInvalid {
                detail: detail.clone(),
            }),
        }
    }
}

/// Whether `receipt` is meant for `credential`: same `credentialId`, or
/// (without one) the same target hash.
pub(crate) fn receipt_is_for(receipt: &Value, credential: &Value) -> bool {
    match (
        receipt.get("credentialId").and_then(Value::as_str),
        credential.get("id").and_then(Value::as_str),
    ) {
        (Some(r), Some(c)) => r == c,
        (Some(_), None) => false,
        (None, _) => {
            let claimed = receipt.get("targetHash").and_then(Value::as_str);
            let computed = target_hash(credential).ok().map(|h| h.to_string());
            claimed.is_some() && claimed.map(str::to_ascii_lowercase) == computed
        }
    }
}

fn info_of(e: ReceiptError) -> Info {
    match e {
        ReceiptError::Malformed { detail } => Info::ReceiptMalformed { detail },
        ReceiptError::CredentialHashMismatch { computed, receipt } => {
            Info::ReceiptCredentialMismatch { computed, receipt }
        }
        ReceiptError::MerklePathInvalid { detail } => Info::MerklePathInvalid { detail },
        ReceiptError::MerkleRootMismatch { computed, receipt } => {
            Info::MerkleRootMismatch { computed, receipt }
        }
        ReceiptError::LedgerNotProvided => Info::LedgerNotProvided,
        ReceiptError::LedgerInvalid { detail } => Info::LedgerInvalid { detail },
        ReceiptError::LedgerMismatch {
            ledger_genesis,
            receipt_genesis,
        } => Info::LedgerMismatch {
            ledger_genesis,
            receipt_genesis,
        },
        ReceiptError::AnchorBlockMissing {
            block_height,
            ledger_height,
        } => Info::AnchorBlockMissing {
            block_height,
            ledger_height,
        },
        ReceiptError::AnchorBlockHashMismatch {
            block_height,
            receipt,
            ledger,
        } => Info::AnchorBlockHashMismatch {
            block_height,
            receipt,
            ledger,
        },
        ReceiptError::AnchorTxMissing {
            anchor_tx_id,
            block_height,
        } => Info::AnchorTxMissing {
            anchor_tx_id,
            block_height,
        },
        ReceiptError::AnchorMismatch {
            anchor_tx_id,
            anchored_root,
            anchored_label,
        } => Info::AnchorMismatch {
            anchor_tx_id,
            anchored_root,
            anchored_label,
        },
    }
}

/// The report's `anchor` check for a verified credential `doc`.
pub(crate) fn anchor_check(doc: &Value, opts: &VerifyOptions) -> Check {
    let Some(raw) = &opts.anchor.receipt else {
        return if opts.anchor.required {
            Check::info(
                CheckId::Anchor,
                CheckStatus::CouldntCheck,
                None,
                Info::AnchorReceiptNotProvided,
            )
        } else {
            Check::info(
                CheckId::Anchor,
                CheckStatus::NotApplicable,
                None,
                Info::NoAnchorReceipt,
            )
        };
    };
    let result = Receipt::from_value(raw).and_then(|receipt| {
        check_leaf(doc, &receipt)?;
        let chain = opts
            .anchor
            .ledger
            .as_ref()
            .ok_or(ReceiptError::LedgerNotProvided)?
            .chain()?;
        verify_receipt(doc, &receipt, &chain)
    });
    match result {
        Ok(p) => Check::info(
            CheckId::Anchor,
            CheckStatus::Pass,
            None,
            Info::Anchored(Box::new(p)),
        ),
        Err(e) => {
            let code = match &e {
                ReceiptError::Malformed { .. } => Some(crate::ErrorCode::MalformedValueError),
                _ => None,
            };
            Check::info(CheckId::Anchor, e.status(), code, info_of(e))
        }
    }
}
