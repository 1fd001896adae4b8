//! The bodies of the `credentials` fuzz targets, shared by the cargo-fuzz
//! binaries (`fuzz_targets/`) and by the stable-toolchain corpus test
//! (`credentials/tests/fuzz_corpus.rs`, which includes this file), so the
//! committed corpus and every past crash run in the normal test suite too.
//!
//! Each function must return normally for every input: any panic, overflow
//! or runaway allocation is a bug.

use credentials::anchor::{target_hash, verify_receipt, Receipt};
use credentials::gzip;
use credentials::json::{self, JsonLimits};
use credentials::roster::{self, ColumnMap, RosterLimits};
use credentials::share::base64url_encode;
use credentials::status_list::{self, Bitstring, StatusList, StatusPurpose};
use credentials::{Instant, VerifyOptions};
use ledger::{Account, Amount, Chain, Genesis, Label, MerkleTree, Transaction};
use serde_json::{json, Value};
use std::sync::OnceLock;

fn now() -> Instant {
    Instant::from_unix(1_750_000_000, 0)
}

/// `verify` on arbitrary bytes: as a credential and as a presentation.
pub fn verify(data: &[u8]) {
    let opts = VerifyOptions::at(now());
    let report = credentials::verify_credential_bytes(data, &opts);
    let _ = report.to_json();
    let report = credentials::verify_presentation_bytes(data, &opts);
    let _ = report.to_json();
}

/// Status-list decoding: raw GZIP, `encodedList` text, the same bytes as a
/// `u`-prefixed base64url payload, the issuer's stored form and entries.
pub fn status_list(data: &[u8]) {
    let _ = gzip::decompress(data, 1 << 20);
    let as_payload = format!("u{}", base64url_encode(data));
    lookups(Bitstring::decode(&as_payload).ok());
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    lookups(Bitstring::decode(text).ok());
    if let Ok(mut list) = StatusList::decode(StatusPurpose::Suspension, text) {
        let n = list.len();
        let _ = list.get(n.saturating_sub(1));
        let _ = list.allocate_index(u64::from(n as u32).wrapping_mul(0x9e37_79b9));
        let _ = list.clear(0);
        let _ = list.encode();
    }
    if let Ok(list) = serde_json::from_str::<StatusList>(text) {
        let _ = serde_json::to_value(&list);
    }
    if let Ok(v) = json::parse_strict(text) {
        let _ = status_list::check_entry(&v);
    }
}

fn lookups(bits: Option<Bitstring>) {
    let Some(bits) = bits else { return };
    for size in [1u32, 2, 3, 8, 32, 33] {
        let entries = bits.entries(size);
        for index in [
            0,
            1,
            entries / 2,
            entries.saturating_sub(1),
            entries,
            u64::MAX,
        ] {
            let _ = bits.value(index, size);
        }
    }
}

/// Roster CSV parsing: the guessed column map and one taken from the data.
pub fn roster(data: &[u8]) {
    let limits = RosterLimits {
        max_bytes: 256 * 1024,
        max_rows: 2000,
        max_columns: 32,
        max_field_chars: 512,
    };
    let Ok(csv) = roster::parse_csv(data, &limits) else {
        return;
    };
    let guessed = ColumnMap::guess(&csv.header);
    let _ = roster::validate(&csv, &guessed);
    let pick = |i: usize| data.get(i).map(|b| usize::from(*b % 8));
    let explicit = ColumnMap {
        name: pick(0),
        name_zh: pick(1),
        email: pick(2),
        student_id: pick(3),
        did: pick(4),
    };
    if let Ok(r) = roster::validate(&csv, &explicit) {
        let _ = serde_json::to_value(&r);
    }
}

/// A small anchored batch: three credentials, their Merkle root anchored in
/// block 1 of a difficulty-0 chain, and each credential's receipt.
pub struct ReceiptFixture {
    /// The batch's credentials.
    pub credentials: Vec<Value>,
    /// Their receipts, in order.
    pub receipts: Vec<Value>,
    /// The chain holding the anchor.
    pub chain: Chain,
}

/// The shared [`ReceiptFixture`] (`None` only if the ledger refused it).
pub fn receipt_fixture() -> Option<&'static ReceiptFixture> {
    static FIXTURE: OnceLock<Option<ReceiptFixture>> = OnceLock::new();
    FIXTURE.get_or_init(build_fixture).as_ref()
}

fn build_fixture() -> Option<ReceiptFixture> {
    let credentials: Vec<Value> = (0..3)
        .map(|i| json!({"id": format!("urn:uuid:00000000-0000-4000-8000-00000000000{i}"), "n": i}))
        .collect();
    let hashes: Vec<[u8; 32]> = credentials
        .iter()
        .filter_map(|c| target_hash(c).ok())
        .map(|h| h.to_bytes())
        .collect();
    let tree = MerkleTree::from_leaves(&hashes);
    let teacher = Account::from_seed(&[9; 32]);
    let genesis = Genesis {
        name: Label::new("fuzz").ok()?,
        timestamp: 0,
        difficulty: 0,
        reward: Amount::new(50),
        allocations: Vec::new(),
    };
    let label = Label::new("batch").ok()?;
    let tx = Transaction::anchor(&teacher, tree.root(), label, Amount::ZERO, 0);
    let tx_id = tx.id();
    let mut chain = Chain::new(genesis).ok()?;
    let block = chain.build_block(vec![tx], teacher.address(), 1).ok()?;
    chain.append(block).ok()?;
    let block_hash = chain.tip_hash();
    let receipts = (0..credentials.len())
        .filter_map(|i| {
            let proof = tree.proof(i)?;
            let hash = hashes.get(i)?;
            Some(json!({
                "type": "ChainClassLedgerReceipt",
                "version": 1,
                "credentialId": credentials.get(i)?.get("id"),
                "targetHash": ledger::Hash::from_bytes(*hash),
                "leafIndex": proof.leaf_index,
                "leafCount": proof.leaf_count,
                "path": proof.siblings,
                "merkleRoot": tree.root(),
                "anchorTxId": tx_id,
                "label": "batch",
                "blockHash": block_hash,
                "blockHeight": 1,
                "ledgerGenesis": chain.genesis_hash(),
            }))
        })
        .collect();
    Some(ReceiptFixture {
        credentials,
        receipts,
        chain,
    })
}

/// Receipt parsing, then verification of the parsed receipt for every
/// credential of the fixture batch.
pub fn receipt(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = JsonLimits::default();
    let Ok(value) = json::parse_strict_with(text, &limits) else {
        return;
    };
    let Ok(receipt) = Receipt::from_value(&value) else {
        return;
    };
    let _ = receipt.to_value();
    let Some(fixture) = receipt_fixture() else {
        return;
    };
    for credential in &fixture.credentials {
        let _ = verify_receipt(credential, &receipt, &fixture.chain);
    }
}
