//! Issuing a whole class at once: one signed Open Badge per good roster row,
//! a row-by-row error list, the batch's Merkle root for a `ledger` anchor
//! transaction, and — once the block is mined — one anchor receipt per
//! credential.
//!
//! ```text
//! roster::read ──► issue_batch ──► anchor_request ──► (app/CLI: anchor tx,
//!                   │                                  mine, append block)
//!                   └─ errors per row                ──► attach_receipts
//! ```
//!
//! The crate has no clock or RNG: credential ids, salts for the hashed
//! e-mail address / student number, and status-list entries (with indexes
//! from [`crate::status_list::StatusList::allocate_index`]) come from the
//! caller's `inputs` callback, once per student. The template is built and
//! checked once; each row only fills in the id, the recipient and the
//! status entry before signing. The student's name is written into the
//! credential only with [`BatchTemplate::include_name`] (an unhashed OB3
//! `name` identifier, for printed certificates); it always stays with the
//! teacher's records ([`IssuedCredential`]).
//!
//! Batch leaves and receipts are described in [`crate::anchor`]: leaf data =
//! `SHA-256(JCS(signed credential))`.

use crate::anchor::{Receipt, RECEIPT_TYPE, RECEIPT_VERSION};
use crate::di::ProofOptions;
use crate::di::{BuiltinRdfc, Cryptosuite, PreparedProof, RdfcHasher};
use crate::iri::is_url;
use crate::issue::{check_document, sign, IssueError};
use crate::keys::SecretKey;
use crate::ob3::{
    Achievement, CredentialDraft, HashedIdentifier, IdentityType, IssuerProfile, LanguageMode,
    Ob3Error, Recipient,
};
use crate::roster::{Field, Roster, RowError, RowProblem, Student};
use ledger::{Account, Amount, Chain, Hash, Label, LabelError, MerkleTree, Transaction};
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// What every credential of the batch shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchTemplate {
    /// The issuer (its `id` must be the signing key's did:key).
    pub issuer: IssuerProfile,
    /// The achievement (e.g. `templates::IT_INNOVATION_LAB.achievement()`).
    pub achievement: Achievement,
    /// `validFrom`.
    pub valid_from: String,
    /// `validUntil`, if the certificates expire.
    pub valid_until: Option<String>,
    /// `awardedDate`, if different from `validFrom`.
    pub awarded_date: Option<String>,
    /// Language of the texts.
    pub language: LanguageMode,
    /// Proof options (verification method, `created`).
    pub proof: ProofOptions,
    /// Put each student's name in their credential, as an unhashed OB3
    /// `IdentityObject` of type `name` (printed certificates show it; the
    /// e-mail and student number stay hashed).
    pub include_name: bool,
}

/// Per-student values the caller supplies (the crate has no RNG).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowInputs {
    /// The credential `id` (e.g. `urn:uuid:…` from [`uuid_urn`]).
    pub id: String,
    /// Salt for the hashed e-mail address / student number (non-empty when
    /// the student has one).
    pub salt: String,
    /// The `credentialStatus` entry, if any (one object for an Open Badge).
    pub credential_status: Option<Value>,
}

/// A signed credential of the batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssuedCredential {
    /// Line number of the student's roster row.
    pub row: usize,
    /// The student (for the teacher's list and printing).
    pub student: Student,
    /// The signed credential.
    pub credential: Value,
    /// `SHA-256(JCS(credential))`, the batch leaf data.
    pub target_hash: Hash,
    /// The anchor receipt, once attached.
    pub receipt: Option<Receipt>,
}

/// The outcome of a batch.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct BatchResult {
    /// Signed credentials, in roster order.
    pub issued: Vec<IssuedCredential>,
    /// Bad rows (from the roster and from issuing), in roster order.
    pub errors: Vec<RowError>,
}

/// Why nothing in the batch could be issued.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum BatchError {
    /// The template does not make a credential.
    Template {
        /// Why.
        error: Ob3Error,
    },
    /// The template's credential is refused (e.g. the key is not the
    /// issuer's).
    Refused {
        /// Why.
        error: IssueError,
    },
    /// No credential was issued, so there is nothing to anchor.
    EmptyBatch,
    /// The anchor label is not a ledger label.
    Label {
        /// Why.
        detail: String,
    },
    /// The chain holds no anchor of this batch's root.
    NotAnchored {
        /// The root.
        root: Hash,
    },
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::Template { error } => write!(f, "template: {error}"),
            BatchError::Refused { error } => write!(f, "refused: {error}"),
            BatchError::EmptyBatch => f.write_str("the batch is empty"),
            BatchError::Label { detail } => write!(f, "label: {detail}"),
            BatchError::NotAnchored { root } => write!(f, "root {root} is not anchored"),
        }
    }
}

impl std::error::Error for BatchError {}

/// `urn:uuid:` + a version-4 UUID made from 16 random bytes.
pub fn uuid_urn(random: [u8; 16]) -> String {
    let mut b = random;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let part = |r: std::ops::Range<usize>| hex.get(r).unwrap_or("");
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        part(0..8),
        part(8..12),
        part(12..16),
        part(16..20),
        part(20..32)
    )
}

const PLACEHOLDER_ID: &str = "urn:uuid:00000000-0000-4000-8000-000000000000";

/// The template credential with a placeholder id and recipient, checked by
/// signing it once (key ↔ issuer ↔ verification method), and the proof
/// prepared for every row.
fn prepared(
    template: &BatchTemplate,
    key: &SecretKey,
) -> Result<(Value, PreparedProof), BatchError> {
    let draft = CredentialDraft {
        id: PLACEHOLDER_ID.into(),
        issuer: template.issuer.clone(),
        achievement: template.achievement.clone(),
        recipient: Recipient {
            did: Some(template.issuer.id.clone()),
            identifiers: Vec::new(),
        },
        valid_from: template.valid_from.clone(),
        valid_until: template.valid_until.clone(),
        awarded_date: template.awarded_date.clone(),
        language: template.language,
        credential_status: None,
    };
    let unsigned = draft
        .to_unsigned()
        .map_err(|error| BatchError::Template { error })?;
    // The check is of the key, issuer and verification method, the same for
    // every cryptosuite: done with eddsa-jcs-2022, which needs no JSON-LD.
    let check = ProofOptions {
        cryptosuite: Cryptosuite::EddsaJcs2022,
        ..template.proof.clone()
    };
    sign(&unsigned, key, &check).map_err(|error| BatchError::Refused { error })?;
    let proof = PreparedProof::new(unsigned.get("@context"), &template.proof).map_err(|error| {
        BatchError::Refused {
            error: IssueError::Proof { error },
        }
    })?;
    Ok((unsigned, proof))
}

/// The credential for one student from the prepared template.
fn fill(
    base: &Value,
    student: &Student,
    inputs: &RowInputs,
    include_name: bool,
) -> Result<Value, Ob3Error> {
    if !is_url(&inputs.id) {
        return Err(Ob3Error::InvalidUrl {
            field: "id".into(),
            value: inputs.id.clone(),
        });
    }
    let mut identifiers = Vec::new();
    if let Some(email) = &student.email {
        identifiers.push(HashedIdentifier::new(
            IdentityType::EmailAddress,
            email,
            &inputs.salt,
        )?);
    }
    if let Some(sid) = &student.student_id {
        identifiers.push(HashedIdentifier::new(
            IdentityType::StudentId,
            sid,
            &inputs.salt,
        )?);
    }
    let mut vc = base.clone();
    let Some(obj) = vc.as_object_mut() else {
        return Err(Ob3Error::NoRecipient);
    };
    obj.insert("id".into(), inputs.id.clone().into());
    if let Some(status) = &inputs.credential_status {
        obj.insert("credentialStatus".into(), status.clone());
    }
    let Some(subject) = obj
        .get_mut("credentialSubject")
        .and_then(Value::as_object_mut)
    else {
        return Err(Ob3Error::NoRecipient);
    };
    match &student.did {
        Some(did) => {
            if !is_url(did) {
                return Err(Ob3Error::InvalidUrl {
                    field: "recipient.did".into(),
                    value: did.clone(),
                });
            }
            subject.insert("id".into(), did.clone().into());
        }
        None => {
            subject.remove("id");
        }
    }
    if identifiers.is_empty() && student.did.is_none() {
        return Err(Ob3Error::NoRecipient);
    }
    let mut objects: Vec<Value> = Vec::with_capacity(identifiers.len() + 1);
    if include_name {
        let name = match &student.name_zh {
            Some(zh) if !zh.trim().is_empty() => format!("{} {}", student.name.trim(), zh.trim()),
            _ => student.name.trim().to_owned(),
        };
        objects.push(serde_json::json!({
            "type": "IdentityObject",
            "identityHash": name,
            "identityType": "name",
            "hashed": false
        }));
    }
    objects.extend(identifiers.iter().map(HashedIdentifier::to_value));
    if !objects.is_empty() {
        subject.insert("identifier".into(), Value::Array(objects));
    }
    Ok(vc)
}

/// Issues one credential per student of `roster` (see the module docs).
/// Roster errors are carried over; a row that cannot be issued becomes an
/// error too. Fails as a whole only if the template itself is refused.
pub fn issue_batch(
    template: &BatchTemplate,
    roster: &Roster,
    key: &SecretKey,
    inputs: &mut dyn FnMut(&Student) -> RowInputs,
) -> Result<BatchResult, BatchError> {
    issue_batch_with(template, roster, key, inputs, &mut BuiltinRdfc::default())
}

/// [`issue_batch`] with eddsa-rdfc-2022 hashing done by `rdfc`.
pub fn issue_batch_with(
    template: &BatchTemplate,
    roster: &Roster,
    key: &SecretKey,
    inputs: &mut dyn FnMut(&Student) -> RowInputs,
    rdfc: &mut dyn RdfcHasher,
) -> Result<BatchResult, BatchError> {
    let (base, proof) = prepared(template, key)?;
    let mut result = BatchResult {
        issued: Vec::with_capacity(roster.students.len()),
        errors: roster.errors.clone(),
    };
    for student in &roster.students {
        let row_inputs = inputs(student);
        let error = |field, problem| RowError {
            row: student.row,
            field,
            problem,
        };
        let unsigned = match fill(&base, student, &row_inputs, template.include_name) {
            Ok(v) => v,
            Err(e) => {
                let field = match &e {
                    Ob3Error::InvalidUrl { field, .. } if field == "recipient.did" => {
                        Some(Field::Did)
                    }
                    _ => None,
                };
                result
                    .errors
                    .push(error(field, RowProblem::CredentialNotBuilt { error: e }));
                continue;
            }
        };
        // The same checks as `sign`; the key, issuer and verification
        // method were checked once on the template.
        let mut credential = unsigned;
        let signed = check_document(&credential, false).and_then(|()| {
            proof
                .sign_in_place(&mut credential, key, &template.proof, rdfc)
                .map_err(IssueError::from)
        });
        match signed {
            Ok(hash) => result.issued.push(IssuedCredential {
                row: student.row,
                student: student.clone(),
                credential,
                target_hash: Hash::from_bytes(hash),
                receipt: None,
            }),
            Err(e) => result
                .errors
                .push(error(None, RowProblem::CredentialRefused { error: e })),
        }
    }
    result.errors.sort_by_key(|e| e.row);
    Ok(result)
}

/// The batch's Merkle tree (leaves: the target hashes, in order).
pub fn merkle_tree_of(issued: &[IssuedCredential]) -> MerkleTree {
    let leaves: Vec<[u8; 32]> = issued.iter().map(|c| c.target_hash.to_bytes()).collect();
    MerkleTree::from_leaves(&leaves)
}

/// The batch's Merkle root.
pub fn merkle_root_of(issued: &[IssuedCredential]) -> Hash {
    merkle_tree_of(issued).root()
}

/// What the ledger's anchor transaction records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnchorRequest {
    /// The batch root.
    pub root: Hash,
    /// The label (at most 64 bytes, no control characters).
    pub label: Label,
}

impl AnchorRequest {
    /// The signed anchor transaction (the caller's ledger account, fee and
    /// next nonce).
    pub fn transaction(&self, account: &Account, fee: Amount, nonce: u64) -> Transaction {
        Transaction::anchor(account, self.root, self.label.clone(), fee, nonce)
    }
}

/// The anchor transaction's input for `issued` with `label`.
pub fn anchor_request(
    issued: &[IssuedCredential],
    label: &str,
) -> Result<AnchorRequest, BatchError> {
    if issued.is_empty() {
        return Err(BatchError::EmptyBatch);
    }
    let label = Label::new(label).map_err(|e: LabelError| BatchError::Label {
        detail: e.to_string(),
    })?;
    Ok(AnchorRequest {
        root: merkle_root_of(issued),
        label,
    })
}

/// Where a batch root is anchored (serialised with the receipt's camelCase
/// names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockAnchor {
    /// The ledger's genesis hash.
    pub ledger_genesis: Hash,
    /// The block's hash.
    pub block_hash: Hash,
    /// The block's height.
    pub block_height: u64,
    /// The anchor transaction's id.
    pub anchor_tx_id: Hash,
    /// The anchor's label.
    pub label: String,
}

/// Finds the anchor of `root` in `chain`.
pub fn locate_anchor(chain: &Chain, root: &Hash) -> Option<BlockAnchor> {
    let record = chain.state().anchor(root)?;
    let block = chain.block(record.height)?;
    Some(BlockAnchor {
        ledger_genesis: chain.genesis_hash(),
        block_hash: block.hash(),
        block_height: record.height,
        anchor_tx_id: record.tx,
        label: record.label.as_str().to_owned(),
    })
}

/// One receipt per credential of `issued` for the batch anchored at
/// `anchor`, in order.
pub fn receipts(issued: &[IssuedCredential], anchor: &BlockAnchor) -> Vec<Receipt> {
    let tree = merkle_tree_of(issued);
    let root = tree.root();
    issued
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let proof = tree.proof(i)?;
            Some(Receipt {
                kind: RECEIPT_TYPE.into(),
                version: RECEIPT_VERSION,
                credential_id: c
                    .credential
                    .get("id")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                target_hash: c.target_hash,
                leaf_index: proof.leaf_index,
                leaf_count: proof.leaf_count,
                path: proof.siblings,
                merkle_root: root,
                anchor_tx_id: anchor.anchor_tx_id,
                label: anchor.label.clone(),
                block_hash: anchor.block_hash,
                block_height: anchor.block_height,
                ledger_genesis: anchor.ledger_genesis,
            })
        })
        .collect()
}

/// Finds the batch's anchor in `chain` and sets every credential's receipt.
pub fn attach_receipts(
    issued: &mut [IssuedCredential],
    chain: &Chain,
) -> Result<BlockAnchor, BatchError> {
    let root = merkle_root_of(issued);
    let anchor = locate_anchor(chain, &root).ok_or(BatchError::NotAnchored { root })?;
    let all = receipts(issued, &anchor);
    for (c, r) in issued.iter_mut().zip(all) {
        c.receipt = Some(r);
    }
    Ok(anchor)
}
