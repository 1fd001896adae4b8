//! The benchmark workloads of `cargo xtask bench`, defined once and run
//! unchanged natively (the `webbench-native` runner) and in the browser (this
//! crate compiled to wasm32 with the app's release profile, behind the
//! `wasm-bindgen` exports in `wasm.rs`). The JavaScript peer in
//! `tests/bench/peer.mjs` rebuilds the same inputs and is checked against
//! these functions byte for byte by the smoke test.
//!
//! | workload | what one iteration does |
//! | --- | --- |
//! | `sign` | eddsa-jcs-2022 proof of the OB3 credential: JCS + SHA-256 (×2) + Ed25519 ([`Fixture::add_proof`]) |
//! | `sign_full` | the app's `credentials::sign`: VCDM conformance, then the same proof |
//! | `verify` | strict parse + Data Integrity proof check (did:key resolution, JCS, SHA-256, Ed25519 `verify_strict`) |
//! | `verify_full` | the verifier page's `verify_credential`: every check of the report |
//! | `hash_inputs` | the part of `sign` before Ed25519: proof config, JCS of it and of the document, SHA-256 of each |
//! | `ed25519_sign` | the part after: Ed25519 signature of the 64-byte hash data |
//! | `ed25519_verify` | `verify_strict` of that signature |
//! | `batch` | 1,000 roster rows through `credentials::batch`: OB3 document per row with a salted hashed e-mail, sign, leaf = SHA-256(JCS(signed)), Merkle root, anchor transaction |
//! | `rdfc_sign` | eddsa-rdfc-2022 proof of the same credential: JSON-LD expansion with the bundled contexts, RDFC-1.0 canonical N-Quads of the document and of the proof configuration, SHA-256 (×2), Ed25519 |
//! | `rdfc_verify` | strict parse + check of that proof (the same canonicalisation, `verify_strict`) |
//! | `rdfc_batch` | `batch` with eddsa-rdfc-2022 proofs (what the desk signs by default) |
//! | `mine` | [`MINE_CHUNK`] nonces of the real 100-byte header through `ledger::mine` (midstate) |
//! | `validate` | `ledger::validate_blocks` of a 10,000-block chain from scratch (every signature verified) |
//!
//! The crate is benchmark code, not the app: it may allocate freely and
//! reports problems as strings.

use credentials::batch::{anchor_request, issue_batch, BatchTemplate, RowInputs};
use credentials::ob3::{
    BilingualText, CredentialDraft, HashedIdentifier, IdentityType, IssuerProfile, LanguageMode,
    Recipient,
};
use credentials::roster::{Roster, Student};
use credentials::{di, jcs, DidKey, Instant, ProofOptions, SecretKey, VerifyOptions};
use ledger::{
    mine, Account, Allocation, Amount, Block, BlockHeader, Chain, Genesis, Hash, Label,
    MineOutcome, Transaction,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
mod wasm;

/// The issuer's (teacher's) key seed: signs every credential and the anchor.
pub const ISSUER_SEED: [u8; 32] = [7; 32];
/// The programme template every credential is built from.
pub const TEMPLATE: &str = "stem-internship";
/// `validFrom` of every credential.
pub const VALID_FROM: &str = "2025-09-01T00:00:00Z";
/// `awardedDate` of every credential.
pub const AWARDED: &str = "2025-08-29T00:00:00Z";
/// The proof's `created`.
pub const CREATED: &str = "2025-08-30T09:00:00Z";
/// The verifier's clock.
pub const VERIFY_AT: &str = "2026-01-01T00:00:00Z";
/// Rows in the batch workload.
pub const BATCH_ROWS: usize = 1000;
/// Label of the batch's anchor transaction.
pub const ANCHOR_LABEL: &str = "4C 2025 STEM internship";
/// Nonces hashed by one iteration of the mining workload.
pub const MINE_CHUNK: u64 = 10_000;
/// Blocks and transfers per block of the validation workload.
pub const CHAIN_BLOCKS: u64 = 10_000;
/// Transfers per block of the validation workload.
pub const CHAIN_TRANSFERS: u64 = 10;
/// Accounts that send the transfers.
pub const CHAIN_STUDENTS: usize = 40;

/// The recipient e-mail address of row `i` (row 0 is the single credential).
pub fn row_email(i: usize) -> String {
    format!("Student{i:04}@Student.Example.edu.hk")
}

/// The salt of row `i`. The app draws salts at random; fixed here so every
/// run, and the JavaScript peer, hash the same bytes.
pub fn row_salt(i: usize) -> String {
    format!("bench-salt-{i:04}")
}

/// The credential id of row `i`.
pub fn row_id(i: usize) -> String {
    format!("urn:uuid:0b1c6a52-8d0e-4d6f-9a57-{i:012}")
}

/// Everything the credential workloads need, built once outside the timing.
pub struct Fixture {
    /// The issuer's key.
    pub key: SecretKey,
    /// The issuer's did:key.
    pub did: DidKey,
    /// The proof options (assertion, fixed `created`).
    pub options: ProofOptions,
    /// The unsigned OB3 credential of row 0.
    pub unsigned: Value,
    /// The signed credential of row 0 as JSON text (what a verifier receives).
    pub signed_text: String,
    /// Verifier options at [`VERIFY_AT`].
    pub verify_options: VerifyOptions,
    /// The 64 bytes `sign` signs for row 0 (SHA-256 of the proof config ‖
    /// SHA-256 of the document).
    pub hash_data: [u8; 64],
    /// Their signature.
    pub signature: [u8; 64],
    /// The proof options with cryptosuite eddsa-rdfc-2022.
    pub rdfc_options: ProofOptions,
    /// Row 0 signed with eddsa-rdfc-2022, as JSON text.
    pub rdfc_signed_text: String,
    achievement: credentials::ob3::Achievement,
    account: Account,
    roster: Roster,
}

/// Result of one batch: what the JavaScript peer must reproduce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOutcome {
    /// SHA-256 of the JCS form of each signed credential.
    pub leaves: Vec<Hash>,
    /// Merkle root over the leaves (RFC 6962 style, `ledger::merkle`).
    pub root: Hash,
    /// The anchor transaction recording the root.
    pub anchor: Transaction,
}

impl Fixture {
    /// Builds the keys, options and the signed credential of row 0.
    pub fn new() -> Result<Fixture, String> {
        let key = SecretKey::from_bytes(&ISSUER_SEED);
        let did = DidKey::from_public_key(key.public_key());
        let options = proof_options(&did);
        let rdfc_options = ProofOptions {
            cryptosuite: di::Cryptosuite::EddsaRdfc2022,
            ..proof_options(&did)
        };
        let template = credentials::templates::by_key(TEMPLATE)
            .ok_or_else(|| format!("no template {TEMPLATE}"))?;
        let verify_options = VerifyOptions::at(
            Instant::parse_date_time_stamp(VERIFY_AT).map_err(|e| format!("{e:?}"))?,
        );
        let mut fixture = Fixture {
            key,
            did,
            options,
            unsigned: Value::Null,
            signed_text: String::new(),
            verify_options,
            hash_data: [0; 64],
            signature: [0; 64],
            rdfc_options,
            rdfc_signed_text: String::new(),
            achievement: template.achievement(),
            account: Account::from_seed(&ISSUER_SEED),
            roster: Roster {
                students: (0..BATCH_ROWS).map(student).collect(),
                errors: Vec::new(),
            },
        };
        fixture.unsigned = fixture.row_document(0)?;
        fixture.hash_data = fixture.hash_inputs()?;
        fixture.signature = fixture.ed25519_sign();
        let signed = fixture.sign_full()?;
        fixture.signed_text = serde_json::to_string(&signed).map_err(|e| e.to_string())?;
        if !fixture.verify_full() || !fixture.verify()? {
            return Err("the fixture credential does not verify".into());
        }
        let rdfc_signed = fixture.rdfc_sign()?;
        fixture.rdfc_signed_text =
            serde_json::to_string(&rdfc_signed).map_err(|e| e.to_string())?;
        if !fixture.rdfc_verify()? {
            return Err("the eddsa-rdfc-2022 fixture credential does not verify".into());
        }
        Ok(fixture)
    }

    /// `rdfc_sign`: JSON-LD + RDFC-1.0 + hash + sign (`add_proof` with
    /// eddsa-rdfc-2022).
    pub fn rdfc_sign(&self) -> Result<Value, String> {
        di::add_proof(&self.unsigned, &self.key, &self.rdfc_options).map_err(|e| format!("{e:?}"))
    }

    /// `rdfc_verify`: strict parse, then the eddsa-rdfc-2022 proof.
    pub fn rdfc_verify(&self) -> Result<bool, String> {
        proofs_verify(&self.rdfc_signed_text)
    }

    /// The unsigned OB3 credential of roster row `i`: the template's
    /// achievement, the school as issuer, a salted hashed e-mail recipient.
    pub fn row_document(&self, i: usize) -> Result<Value, String> {
        let identifier =
            HashedIdentifier::new(IdentityType::EmailAddress, &row_email(i), &row_salt(i))
                .map_err(|e| format!("{e:?}"))?;
        CredentialDraft {
            id: row_id(i),
            issuer: self.issuer(),
            achievement: self.achievement.clone(),
            recipient: Recipient {
                did: None,
                identifiers: vec![identifier],
            },
            valid_from: VALID_FROM.into(),
            valid_until: None,
            awarded_date: Some(AWARDED.into()),
            language: LanguageMode::Bilingual,
            credential_status: None,
        }
        .to_unsigned()
        .map_err(|e| format!("{e:?}"))
    }

    /// `sign`: canonicalise + hash + sign (Data Integrity `add_proof`).
    pub fn add_proof(&self) -> Result<Value, String> {
        di::add_proof(&self.unsigned, &self.key, &self.options).map_err(|e| format!("{e:?}"))
    }

    /// `hash_inputs`: canonicalise and hash (`sign` without Ed25519).
    pub fn hash_inputs(&self) -> Result<[u8; 64], String> {
        let (_config, inputs) = di::proof_config_and_inputs(&self.unsigned, &self.options)
            .map_err(|e| format!("{e:?}"))?;
        Ok(inputs.hash_data())
    }

    /// `ed25519_sign`: the signature of the hash data.
    pub fn ed25519_sign(&self) -> [u8; 64] {
        self.key.sign(&self.hash_data)
    }

    /// `ed25519_verify`: `verify_strict` of that signature.
    pub fn ed25519_verify(&self) -> bool {
        self.key
            .public_key()
            .verify_strict(&self.hash_data, &self.signature)
    }

    /// `sign_full`: what the app calls (conformance checks, then `add_proof`).
    pub fn sign_full(&self) -> Result<Value, String> {
        credentials::sign(&self.unsigned, &self.key, &self.options).map_err(|e| format!("{e:?}"))
    }

    /// `verify`: strict parse, then every Data Integrity proof.
    pub fn verify(&self) -> Result<bool, String> {
        proofs_verify(&self.signed_text)
    }

    /// `verify_full`: the verifier's whole report; true when `valid`.
    pub fn verify_full(&self) -> bool {
        credentials::verify_credential(&self.signed_text, &self.verify_options).valid
    }

    /// The issuer of every credential.
    fn issuer(&self) -> IssuerProfile {
        IssuerProfile {
            id: self.did.as_str().to_owned(),
            name: BilingualText::new("Harbour View Secondary School", "海景中學"),
            url: Some("https://school.example.edu.hk/".into()),
            email: None,
            image: None,
        }
    }

    /// `batch`: issues the first `rows` roster rows with `credentials::batch`
    /// and anchors their Merkle root.
    pub fn batch(&self, rows: usize) -> Result<BatchOutcome, String> {
        self.batch_signed(rows, &self.options)
    }

    /// `rdfc_batch`: `batch` with eddsa-rdfc-2022 proofs.
    pub fn rdfc_batch(&self, rows: usize) -> Result<BatchOutcome, String> {
        self.batch_signed(rows, &self.rdfc_options)
    }

    fn batch_signed(&self, rows: usize, proof: &ProofOptions) -> Result<BatchOutcome, String> {
        let template = BatchTemplate {
            issuer: self.issuer(),
            achievement: self.achievement.clone(),
            valid_from: VALID_FROM.into(),
            valid_until: None,
            awarded_date: Some(AWARDED.into()),
            language: LanguageMode::Bilingual,
            proof: proof.clone(),
            include_name: false,
        };
        let roster = Roster {
            students: self.roster.students.iter().take(rows).cloned().collect(),
            errors: Vec::new(),
        };
        let mut inputs = |s: &Student| RowInputs {
            id: row_id(s.row),
            salt: row_salt(s.row),
            credential_status: None,
        };
        let result =
            issue_batch(&template, &roster, &self.key, &mut inputs).map_err(|e| e.to_string())?;
        if let Some(e) = result.errors.first() {
            return Err(format!("row {}: {:?}", e.row, e.problem));
        }
        let request = anchor_request(&result.issued, ANCHOR_LABEL).map_err(|e| e.to_string())?;
        Ok(BatchOutcome {
            leaves: result.issued.iter().map(|c| c.target_hash).collect(),
            root: request.root,
            anchor: request.transaction(&self.account, Amount::ZERO, 0),
        })
    }
}

/// The proof options of every workload: assertion by the issuer's did:key,
/// fixed `created`.
fn proof_options(did: &DidKey) -> ProofOptions {
    ProofOptions::assertion(did.verification_method_id()).with_created(CREATED)
}

/// Strict parse of a signed credential, then every Data Integrity proof.
fn proofs_verify(text: &str) -> Result<bool, String> {
    let doc = credentials::json::parse_strict(text).map_err(|e| e.to_string())?;
    let expect = di::ProofExpectations {
        proof_purpose: "assertionMethod",
        challenge: None,
        domain: None,
        known_keys: &[],
        now: None,
    };
    Ok(di::verify_proofs(&doc, &expect).verified())
}

/// Roster row `i` (its `row` is `i`, so ids and salts follow the index).
fn student(i: usize) -> Student {
    Student {
        row: i,
        name: format!("Student {i}"),
        name_zh: None,
        email: Some(row_email(i)),
        student_id: None,
        did: None,
    }
}

/// The header the mining workload hashes (the ledger's own mining bench
/// header): difficulty 64 is never met, so every nonce is hashed and checked.
pub fn mining_header() -> BlockHeader {
    BlockHeader {
        version: 1,
        height: 42,
        previous: Hash::digest(b"parent"),
        merkle_root: Hash::digest(b"transactions"),
        timestamp: 1_700_000_000,
        difficulty: 64,
        nonce: 0,
    }
}

/// `mine`: hashes `count` nonces from `start`; returns how many were tried.
pub fn mine_chunk(header: &BlockHeader, start: u64, count: u64) -> Result<u64, String> {
    match mine(header, start..start + count) {
        MineOutcome::NotFound { tried } => Ok(tried),
        MineOutcome::Found { nonce, .. } => Err(format!("difficulty 64 met at nonce {nonce}")),
    }
}

/// The validation workload's chain: a genesis and its blocks, kept without
/// a [`Chain`] so that loading it verifies nothing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChainFixture {
    /// The genesis.
    pub genesis: Genesis,
    /// Blocks 1..=n.
    pub blocks: Vec<Block>,
}

impl ChainFixture {
    /// A valid chain of `blocks` blocks at difficulty 0, each with a coinbase
    /// and `transfers` signed transfers between [`CHAIN_STUDENTS`] students
    /// (the chain of the ledger's own validation bench).
    pub fn build(blocks: u64, transfers: u64) -> Result<ChainFixture, String> {
        let students: Vec<Account> = (0..CHAIN_STUDENTS)
            .map(|i| Account::from_seed(&[u8::try_from(i + 1).unwrap_or(u8::MAX); 32]))
            .collect();
        let genesis = Genesis {
            name: Label::new("benchmark class").map_err(|e| format!("{e:?}"))?,
            timestamp: 1_700_000_000,
            difficulty: 0,
            reward: Amount::new(50),
            allocations: students
                .iter()
                .map(|s| Allocation {
                    address: s.address(),
                    amount: Amount::new(1_000_000_000),
                })
                .collect(),
        };
        let mut chain = Chain::new(genesis).map_err(|e| format!("{e:?}"))?;
        let mut nonces = vec![0u64; CHAIN_STUDENTS];
        let mut next = 0usize;
        for height in 1..=blocks {
            let mut txs = Vec::new();
            for _ in 0..transfers {
                let from = next % CHAIN_STUDENTS;
                let to = (next * 7 + 3) % CHAIN_STUDENTS;
                next += 1;
                let (Some(sender), Some(receiver), Some(nonce)) =
                    (students.get(from), students.get(to), nonces.get_mut(from))
                else {
                    return Err("student index out of range".into());
                };
                txs.push(Transaction::transfer(
                    sender,
                    receiver.address(),
                    Amount::new(1 + (next as u64 % 5)),
                    Amount::new(1),
                    *nonce,
                ));
                *nonce += 1;
            }
            let miner = students.first().ok_or("no students")?.address();
            let block = chain
                .build_block(txs, miner, 1_700_000_000 + height)
                .map_err(|e| format!("{e:?}"))?;
            chain.append(block).map_err(|e| format!("{e:?}"))?;
        }
        Ok(ChainFixture {
            genesis: chain.genesis().clone(),
            blocks: chain.blocks().to_vec(),
        })
    }

    /// Reads a chain written by [`ChainFixture::to_json`] (no validation).
    pub fn from_json(json: &str) -> Result<ChainFixture, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    /// The JSON the browser page loads.
    pub fn to_json(&self) -> Result<String, String> {
        serde_json::to_string(self).map_err(|e| e.to_string())
    }

    /// `validate`: every rule and every signature, from scratch.
    pub fn validate(&self) -> bool {
        ledger::validate_blocks(&self.genesis, &self.blocks).is_valid()
    }

    /// Transactions in the chain (coinbases included).
    pub fn transactions(&self) -> usize {
        self.blocks.iter().map(|b| b.transactions.len()).sum()
    }
}

/// How one workload is measured, identical for native, wasm and JavaScript:
/// an untimed warm-up run (when `warm_up`), then `runs` runs; each run
/// repeats the workload until at least `min_run_ms` have passed (at least
/// once, at most `max_iterations` times) and yields one ops/s figure; the
/// reported figure is the median over the runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Plan {
    /// Workload id.
    pub id: &'static str,
    /// Timed runs.
    pub runs: u32,
    /// Shortest run, in milliseconds.
    pub min_run_ms: f64,
    /// Most iterations in one run.
    pub max_iterations: u32,
    /// Whether an untimed run comes first (lets the JavaScript JIT settle).
    pub warm_up: bool,
    /// Operations one iteration stands for (nonces for `mine`, else 1).
    pub ops_per_iteration: u64,
    /// What one operation is.
    pub unit: &'static str,
}

/// The full benchmark plan.
pub const PLAN: [Plan; 13] = [
    plan("sign", 11, 300.0, 100_000, true, 1, "credential"),
    plan("hash_inputs", 11, 300.0, 100_000, true, 1, "credential"),
    plan("ed25519_sign", 11, 300.0, 100_000, true, 1, "signature"),
    plan("ed25519_verify", 11, 300.0, 100_000, true, 1, "signature"),
    plan("sign_full", 11, 300.0, 100_000, true, 1, "credential"),
    plan("verify", 11, 300.0, 100_000, true, 1, "credential"),
    plan("verify_full", 11, 300.0, 100_000, true, 1, "credential"),
    plan("batch", 5, 0.0, 1, true, 1, "batch of 1,000"),
    plan("rdfc_sign", 11, 300.0, 100_000, true, 1, "credential"),
    plan("rdfc_verify", 11, 300.0, 100_000, true, 1, "credential"),
    plan("rdfc_batch", 5, 0.0, 1, true, 1, "batch of 1,000"),
    plan("mine", 11, 300.0, 100_000, true, MINE_CHUNK, "hash"),
    plan("validate", 3, 0.0, 1, false, 1, "chain of 10,000 blocks"),
];

/// The smoke plan: one iteration of everything, no warm-up.
pub fn smoke_plan() -> Vec<Plan> {
    PLAN.iter()
        .map(|p| Plan {
            runs: 1,
            min_run_ms: 0.0,
            max_iterations: 1,
            warm_up: false,
            ..*p
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
const fn plan(
    id: &'static str,
    runs: u32,
    min_run_ms: f64,
    max_iterations: u32,
    warm_up: bool,
    ops_per_iteration: u64,
    unit: &'static str,
) -> Plan {
    Plan {
        id,
        runs,
        min_run_ms,
        max_iterations,
        warm_up,
        ops_per_iteration,
        unit,
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The values the JavaScript peer must reproduce, as JSON (see `check` in
/// `tests/bench/bench.mjs`).
pub fn reference_json(fixture: &Fixture, batch_rows: usize) -> Result<String, String> {
    let signed = fixture.add_proof()?;
    let proof_value = signed
        .pointer("/proof/proofValue")
        .and_then(Value::as_str)
        .ok_or("no proofValue")?
        .to_owned();
    let batch = fixture.batch(batch_rows)?;
    let rdfc_batch = fixture.rdfc_batch(batch_rows)?;
    let rdfc_proof_value = fixture
        .rdfc_sign()?
        .pointer("/proof/proofValue")
        .and_then(Value::as_str)
        .ok_or("no rdfc proofValue")?
        .to_owned();
    let last = batch_rows.saturating_sub(1);
    let header = mining_header();
    let reference = serde_json::json!({
        "issuerSeedHex": hex(&ISSUER_SEED),
        "did": fixture.did.as_str(),
        "verificationMethod": fixture.did.verification_method_id(),
        "created": CREATED,
        "unsigned": fixture.unsigned,
        "signedText": fixture.signed_text,
        "proofValue": proof_value,
        "hashDataHex": hex(&fixture.hash_data),
        "signatureHex": hex(&fixture.signature),
        "rowEmails": [row_email(0), row_email(last)],
        "rowSalts": [row_salt(0), row_salt(last)],
        "rowIds": [row_id(0), row_id(last)],
        "lastRowJcs": jcs::to_string(&fixture.row_document(last)?).map_err(|e| e.message)?,
        "batchRows": batch_rows,
        "batchLeaf0": batch.leaves.first().map(|h| h.to_string()),
        "batchRoot": batch.root.to_string(),
        "anchorLabel": ANCHOR_LABEL,
        "anchorSigningBytesHex": hex(&batch.anchor.signing_bytes()),
        "anchorSignatureHex": batch.anchor.signature().map(|s| hex(s.as_bytes())),
        "headerHex": hex(&header.encode()),
        "headerHashNonce7": ledger::HeaderHasher::new(&header).hash_with_nonce(7).to_string(),
        "mineChunk": MINE_CHUNK,
        "rdfcSignedText": fixture.rdfc_signed_text,
        "rdfcProofValue": rdfc_proof_value,
        "rdfcBatchRoot": rdfc_batch.root.to_string(),
        // The JavaScript peer's document loader serves exactly these.
        "contexts": credentials::jsonld::CONTEXTS
            .iter()
            .map(|(url, text)| (url.to_string(), Value::String(text.to_string())))
            .collect::<serde_json::Map<String, Value>>(),
    });
    serde_json::to_string(&reference).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_workloads_run_and_agree_with_themselves() {
        let f = Fixture::new().unwrap();
        assert!(f.verify().unwrap());
        assert!(f.verify_full());
        assert_eq!(
            f.add_proof().unwrap(),
            serde_json::from_str::<Value>(&f.signed_text).unwrap()
        );
        let b = f.batch(3).unwrap();
        assert_eq!(b.leaves.len(), 3);
        assert!(b.anchor.verify_signature().is_ok());
        assert_eq!(mine_chunk(&mining_header(), 0, 100).unwrap(), 100);
        let chain = ChainFixture::build(3, 2).unwrap();
        let again = ChainFixture::from_json(&chain.to_json().unwrap()).unwrap();
        assert!(again.validate());
        assert_eq!(again.transactions(), 9);
        assert!(reference_json(&f, 3).unwrap().contains("batchRoot"));
        // eddsa-rdfc-2022: the signed text is what rdfc_sign gives, it
        // verifies, a changed claim does not, and the batch is signed with it.
        assert_eq!(
            f.rdfc_sign().unwrap(),
            serde_json::from_str::<Value>(&f.rdfc_signed_text).unwrap()
        );
        assert!(f.rdfc_verify().unwrap());
        let tampered = f.rdfc_signed_text.replace(&row_id(0), &row_id(1));
        assert!(!proofs_verify(&tampered).unwrap());
        let b = f.rdfc_batch(2).unwrap();
        assert_eq!(b.leaves.len(), 2);
        assert_ne!(b.root, f.batch(2).unwrap().root);
    }

    #[test]
    fn the_batch_api_issues_the_row_documents() {
        let f = Fixture::new().unwrap();
        let leaves: Vec<Hash> = (0..5)
            .map(|i| {
                let signed =
                    credentials::sign(&f.row_document(i).unwrap(), &f.key, &f.options).unwrap();
                Hash::digest(jcs::to_vec(&signed).unwrap())
            })
            .collect();
        let batch = f.batch(5).unwrap();
        assert_eq!(batch.leaves, leaves);
        assert_eq!(
            batch.root,
            ledger::merkle::MerkleTree::from_leaves(&leaves).root()
        );
    }
}
