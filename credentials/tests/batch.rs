//! Batch issuing from a class roster: 100 rows with one bad row, the Merkle
//! root anchored on a class ledger, a receipt per credential verified
//! against that ledger, and everything that must not verify: a tampered or
//! other ledger, another credential's receipt, a bent Merkle path, a
//! receipt pointing at the wrong block or transaction.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use credentials::anchor::{target_hash, verify_receipt, LedgerInput, Receipt, ReceiptError};
use credentials::batch::{
    anchor_request, attach_receipts, issue_batch, merkle_root_of, uuid_urn, BatchError,
    BatchResult, BatchTemplate, RowInputs,
};
use credentials::ob3::{BilingualText, IssuerProfile, LanguageMode};
use credentials::presentation::{sign_presentation, unsigned_presentation};
use credentials::roster::{self, RosterLimits, RowProblem};
use credentials::status_list::{entry, StatusList, StatusPurpose, MIN_ENTRIES};
use credentials::{
    templates, verify_credential_value, verify_presentation_value, CheckId, CheckStatus, DidKey,
    Instant, ProofOptions, SecretKey, VerifyOptions,
};
use ledger::{mine, Account, Amount, Chain, Genesis, Label, MineOutcome};
use serde_json::{json, Value};
use std::sync::Arc;

const SEED: [u8; 32] = [9u8; 32];

fn teacher() -> SecretKey {
    SecretKey::from_bytes(&SEED)
}

fn template() -> BatchTemplate {
    let did = DidKey::from_public_key(teacher().public_key());
    BatchTemplate {
        issuer: IssuerProfile {
            id: did.as_str().into(),
            name: BilingualText::new("Demo Secondary School", "示範中學"),
            url: Some("https://school.example.edu.hk".into()),
            email: None,
            image: None,
        },
        achievement: templates::STEM_INTERNSHIP.achievement(),
        valid_from: "2025-06-30T00:00:00+08:00".into(),
        valid_until: None,
        awarded_date: None,
        language: LanguageMode::Bilingual,
        include_name: false,
        proof: ProofOptions::assertion(did.verification_method_id())
            .with_created("2025-06-30T10:00:00+08:00"),
    }
}

/// 100 students; row 51 of the data (line 52) has a bad e-mail address.
fn roster_csv() -> String {
    let mut csv = String::from("姓名,English Name,電郵,學生編號\n");
    for i in 1..=100 {
        let email = if i == 51 {
            "not-an-email".to_owned()
        } else {
            format!("s{i:03}@school.example.edu.hk")
        };
        csv.push_str(&format!("學生{i},Student {i},{email},S{i:05}\n"));
    }
    csv
}

fn issue_class() -> BatchResult {
    let roster = roster::read(roster_csv().as_bytes(), None, &RosterLimits::default()).unwrap();
    let mut counter = 0u8;
    let result = issue_batch(&template(), &roster, &teacher(), &mut |_| {
        counter = counter.wrapping_add(1);
        RowInputs {
            id: uuid_urn([counter; 16]),
            salt: format!("salt-{counter}"),
            credential_status: None,
        }
    });
    result.unwrap()
}

fn genesis(name: &str) -> Genesis {
    Genesis {
        name: Label::new(name).unwrap(),
        timestamp: 1_750_000_000,
        difficulty: 4,
        reward: Amount::new(50),
        allocations: vec![],
    }
}

fn mined(chain: &mut Chain, txs: Vec<ledger::Transaction>, t: u64) {
    let miner = Account::from_seed(&[1; 32]);
    let candidate = chain.build_block(txs, miner.address(), t).unwrap();
    let MineOutcome::Found { nonce, .. } = mine(&candidate.header, 0..u64::MAX) else {
        unreachable!()
    };
    chain.append(candidate.with_nonce(nonce)).unwrap();
}

/// Issues the class, anchors the root in block 2 (after an empty block 1)
/// and adds two more blocks; returns the batch with receipts and the chain.
fn anchored_class() -> (BatchResult, Chain) {
    let mut batch = issue_class();
    let mut chain = Chain::new(genesis("4C Web3 2025")).unwrap();
    mined(&mut chain, vec![], 1_750_000_100);
    let account = Account::from_seed(&SEED);
    let request = anchor_request(&batch.issued, "4C STEM internship 2025").unwrap();
    let tx = request.transaction(
        &account,
        Amount::ZERO,
        chain.state().next_nonce(&account.address()),
    );
    mined(&mut chain, vec![tx], 1_750_000_200);
    mined(&mut chain, vec![], 1_750_000_300);
    mined(&mut chain, vec![], 1_750_000_400);
    let anchor = attach_receipts(&mut batch.issued, &chain).unwrap();
    assert_eq!(anchor.block_height, 2);
    (batch, chain)
}

fn now() -> Instant {
    Instant::parse_date_time_stamp("2025-09-01T00:00:00Z").unwrap()
}

fn anchor_opts(receipt: Option<&Receipt>, ledger: Option<LedgerInput>) -> VerifyOptions {
    let mut o = VerifyOptions::at(now());
    o.anchor.receipt = receipt.map(Receipt::to_value);
    o.anchor.ledger = ledger;
    o
}

fn anchor_check(credential: &Value, opts: &VerifyOptions) -> (CheckStatus, String) {
    let r = verify_credential_value(credential, opts);
    let c = r.check(CheckId::Anchor).unwrap();
    (c.status, c.reason().unwrap_or_default())
}

#[test]
fn a_class_of_100_with_one_bad_row() {
    let batch = issue_class();
    assert_eq!(batch.issued.len(), 99);
    assert_eq!(batch.errors.len(), 1);
    let e = &batch.errors[0];
    assert_eq!(e.row, 52);
    assert_eq!(
        e.problem,
        RowProblem::BadEmail {
            value: "not-an-email".into()
        }
    );
    assert_eq!(
        serde_json::to_value(e).unwrap(),
        json!({"row": 52, "field": "email", "reason": "bad_email", "value": "not-an-email"})
    );
    // Every good row is issued, in order, and verifies.
    let rows: Vec<usize> = batch.issued.iter().map(|c| c.row).collect();
    let expected: Vec<usize> = (2..=101).filter(|r| *r != 52).collect();
    assert_eq!(rows, expected);
    let opts = VerifyOptions::at(now());
    for c in &batch.issued {
        let r = verify_credential_value(&c.credential, &opts);
        assert!(r.valid, "row {}: {r:#?}", c.row);
        assert_eq!(c.target_hash, target_hash(&c.credential).unwrap());
    }
    // The name stays with the teacher; the e-mail address and student
    // number are hashed.
    let first = &batch.issued[0];
    assert_eq!(first.student.name, "Student 1");
    assert_eq!(first.student.name_zh.as_deref(), Some("學生1"));
    let text = first.credential.to_string();
    assert!(!text.contains("Student 1") && !text.contains("s001@") && !text.contains("S00001"));
    assert!(credentials::ob3::recipient_matches(
        &first.credential,
        &credentials::ob3::IdentityType::EmailAddress,
        "S001@school.example.edu.hk"
    ));
    assert!(credentials::ob3::recipient_matches(
        &first.credential,
        &credentials::ob3::IdentityType::StudentId,
        "S00001"
    ));
}

#[test]
fn batch_proofs_are_exactly_what_sign_makes() {
    let batch = issue_class();
    for c in batch.issued.iter().step_by(17) {
        let mut unsigned = c.credential.clone();
        unsigned.as_object_mut().unwrap().remove("proof");
        let signed = credentials::sign(&unsigned, &teacher(), &template().proof).unwrap();
        assert_eq!(signed, c.credential);
    }
}

/// A class signed with eddsa-rdfc-2022: every row is what `sign` makes and
/// verifies; without a JSON-LD processor every row is refused, none is
/// signed some other way.
#[cfg(feature = "rdfc")]
#[test]
fn an_rdfc_class_is_exactly_what_sign_makes() {
    use credentials::batch::issue_batch_with;
    let mut tpl = template();
    tpl.proof.cryptosuite = credentials::Cryptosuite::EddsaRdfc2022;
    let csv = roster_csv();
    let roster = roster::read(csv.as_bytes(), None, &RosterLimits::default()).unwrap();
    let part = roster::Roster {
        students: roster.students.iter().take(5).cloned().collect(),
        errors: Vec::new(),
    };
    let mut n = 0u8;
    let mut inputs = |_: &roster::Student| {
        n += 1;
        RowInputs {
            id: uuid_urn([n; 16]),
            salt: format!("salt-{n}"),
            credential_status: None,
        }
    };
    let batch = issue_batch(&tpl, &part, &teacher(), &mut inputs).unwrap();
    assert_eq!(batch.issued.len(), 5);
    for c in &batch.issued {
        assert_eq!(c.credential["proof"]["cryptosuite"], "eddsa-rdfc-2022");
        assert!(c.credential["proof"].get("@context").is_none());
        let mut unsigned = c.credential.clone();
        unsigned.as_object_mut().unwrap().remove("proof");
        let signed = credentials::sign(&unsigned, &teacher(), &tpl.proof).unwrap();
        assert_eq!(signed, c.credential);
        assert_eq!(c.target_hash, target_hash(&c.credential).unwrap());
        let report = verify_credential_value(&c.credential, &VerifyOptions::at(now()));
        assert!(report.verified, "{report:?}");
    }
    let refused = issue_batch_with(
        &tpl,
        &part,
        &teacher(),
        &mut inputs,
        &mut credentials::NoRdfc,
    )
    .unwrap();
    assert!(refused.issued.is_empty());
    assert_eq!(refused.errors.len(), 5);
}

#[test]
fn rows_the_issuer_refuses_are_errors_too() {
    let roster = roster::read(
        b"name,email,did\nA,a@school.hk,\nB,,did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\nC,c@school.hk,\n",
        None,
        &RosterLimits::default(),
    )
    .unwrap();
    let mut row = 0;
    let result = issue_batch(&template(), &roster, &teacher(), &mut |s| {
        row += 1;
        RowInputs {
            id: if s.name == "C" {
                "not a url".into()
            } else {
                uuid_urn([row; 16])
            },
            salt: "pepper".into(),
            credential_status: (s.name == "A").then(|| json!({"type": "BitstringStatusListEntry"})),
        }
    })
    .unwrap();
    let issued: Vec<&str> = result
        .issued
        .iter()
        .map(|c| c.student.name.as_str())
        .collect();
    assert_eq!(issued, ["B"]);
    // B has only a DID: it is the subject id.
    assert_eq!(
        result.issued[0].credential["credentialSubject"]["id"],
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    );
    let reasons: Vec<(usize, String)> = result
        .errors
        .iter()
        .map(|e| {
            let v = serde_json::to_value(e).unwrap();
            (e.row, v["reason"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        reasons,
        [
            (2, "credential_refused".to_owned()),
            (4, "credential_not_built".to_owned())
        ]
    );
}

#[test]
fn a_template_the_key_cannot_sign_fails_the_whole_batch() {
    let roster = roster::read(
        b"name,email\nA,a@school.hk\n",
        None,
        &RosterLimits::default(),
    )
    .unwrap();
    let other = SecretKey::from_bytes(&[3u8; 32]);
    let err = issue_batch(&template(), &roster, &other, &mut |_| RowInputs::default());
    assert!(matches!(err, Err(BatchError::Refused { .. })), "{err:?}");
}

#[test]
fn status_entries_from_the_caller() {
    let mut list = StatusList::new(StatusPurpose::Revocation, MIN_ENTRIES).unwrap();
    let roster = roster::read(
        b"name,email\nA,a@school.hk\nB,b@school.hk\n",
        None,
        &RosterLimits::default(),
    )
    .unwrap();
    let mut r = 0u64;
    let result = issue_batch(&template(), &roster, &teacher(), &mut |_| {
        r += 1;
        let index = list
            .allocate_index(r.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .unwrap();
        RowInputs {
            id: uuid_urn([r as u8; 16]),
            salt: "s".into(),
            credential_status: Some(entry(
                "https://school.example.edu.hk/status/1",
                StatusPurpose::Revocation,
                index,
            )),
        }
    })
    .unwrap();
    assert_eq!(result.issued.len(), 2);
    assert_eq!(list.allocated(), 2);
    let a = &result.issued[0].credential["credentialStatus"]["statusListIndex"];
    let b = &result.issued[1].credential["credentialStatus"]["statusListIndex"];
    assert_ne!(a, b);
}

#[test]
fn receipts_verify_against_the_ledger() {
    let (batch, chain) = anchored_class();
    let root = merkle_root_of(&batch.issued);
    let ledger = LedgerInput::Chain(Arc::new(chain.clone()));
    for c in &batch.issued {
        let receipt = c.receipt.as_ref().unwrap();
        assert_eq!(receipt.merkle_root, root);
        let proof = verify_receipt(&c.credential, receipt, &chain).unwrap();
        assert_eq!(proof.block_height, 2);
        assert_eq!(proof.block_timestamp, 1_750_000_200);
        assert_eq!(proof.confirmations, 3);
        assert!(proof.signed_by_issuer);
        let opts = anchor_opts(Some(receipt), Some(ledger.clone()));
        let r = verify_credential_value(&c.credential, &opts);
        assert!(r.valid, "{r:#?}");
        assert_eq!(r.status(CheckId::Anchor), Some(CheckStatus::Pass));
    }
    // The receipt's JSON form.
    let v = batch.issued[7].receipt.as_ref().unwrap().to_value();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "anchorTxId",
            "blockHash",
            "blockHeight",
            "credentialId",
            "label",
            "leafCount",
            "leafIndex",
            "ledgerGenesis",
            "merkleRoot",
            "path",
            "targetHash",
            "type",
            "version"
        ]
    );
    assert_eq!(v["type"], "ChainClassLedgerReceipt");
    assert_eq!(v["leafIndex"], 7);
    assert_eq!(v["leafCount"], 99);
    assert_eq!(
        Receipt::from_value(&v).unwrap(),
        *batch.issued[7].receipt.as_ref().unwrap()
    );
    // An export verifies the same way.
    let export = LedgerInput::import(&ledger::chain_to_json(&chain));
    let c = &batch.issued[98];
    assert_eq!(
        anchor_check(
            &c.credential,
            &anchor_opts(c.receipt.as_ref(), Some(export))
        ),
        (CheckStatus::Pass, "anchored".into())
    );
}

#[test]
fn a_tampered_or_other_ledger_does_not_confirm_the_anchor() {
    let (batch, chain) = anchored_class();
    let c = &batch.issued[3];
    let receipt = c.receipt.as_ref().unwrap();
    let json = ledger::chain_to_json(&chain);

    // Someone edits the anchored root in the export: the ledger no longer
    // validates, so it proves nothing.
    let root = receipt.merkle_root.to_string();
    assert!(json.contains(&root));
    let forged_root = "00".repeat(32);
    let tampered = json.replace(&root, &forged_root);
    let opts = anchor_opts(Some(receipt), Some(LedgerInput::import(&tampered)));
    assert_eq!(
        anchor_check(&c.credential, &opts),
        (CheckStatus::CouldntCheck, "ledger_invalid".into())
    );
    // Timestamps edited: same.
    let retimed = json.replace("1750000200", "1750000201");
    let opts = anchor_opts(Some(receipt), Some(LedgerInput::import(&retimed)));
    assert_eq!(anchor_check(&c.credential, &opts).1, "ledger_invalid");

    // Another class's ledger.
    let mut other = Chain::new(genesis("4D Web3 2025")).unwrap();
    mined(&mut other, vec![], 1_750_000_100);
    mined(&mut other, vec![], 1_750_000_200);
    let opts = anchor_opts(Some(receipt), Some(LedgerInput::Chain(Arc::new(other))));
    assert_eq!(
        anchor_check(&c.credential, &opts),
        (CheckStatus::CouldntCheck, "ledger_mismatch".into())
    );

    // An older copy of the class ledger, before the anchor was mined.
    let short = Chain::from_blocks(genesis("4C Web3 2025"), chain.blocks()[..1].to_vec()).unwrap();
    assert_eq!(
        verify_receipt(&c.credential, receipt, &short),
        Err(ReceiptError::AnchorBlockMissing {
            block_height: 2,
            ledger_height: 1
        })
    );

    // No ledger at all.
    assert_eq!(
        anchor_check(&c.credential, &anchor_opts(Some(receipt), None)),
        (CheckStatus::CouldntCheck, "ledger_not_provided".into())
    );
}

#[test]
fn receipts_that_do_not_fit_fail() {
    let (batch, chain) = anchored_class();
    let ledger = || Some(LedgerInput::Chain(Arc::new(chain.clone())));
    let (a, b) = (&batch.issued[0], &batch.issued[1]);
    let ra = a.receipt.clone().unwrap();

    // Another credential's receipt.
    assert_eq!(
        anchor_check(&b.credential, &anchor_opts(Some(&ra), ledger())),
        (CheckStatus::Fail, "receipt_credential_mismatch".into())
    );
    // A bent path.
    let mut bent = ra.clone();
    bent.path[0].hash = bent.path[1].hash;
    assert_eq!(
        anchor_check(&a.credential, &anchor_opts(Some(&bent), ledger())),
        (CheckStatus::Fail, "merkle_root_mismatch".into())
    );
    let mut moved = ra.clone();
    moved.leaf_index = 1;
    assert_eq!(
        anchor_check(&a.credential, &anchor_opts(Some(&moved), ledger())),
        (CheckStatus::Fail, "merkle_path_invalid".into())
    );
    // The wrong block.
    let mut block = ra.clone();
    block.block_hash = chain.block(3).unwrap().hash();
    assert_eq!(
        anchor_check(&a.credential, &anchor_opts(Some(&block), ledger())),
        (CheckStatus::Fail, "anchor_block_hash_mismatch".into())
    );
    let mut height = ra.clone();
    height.block_height = 3;
    height.block_hash = chain.block(3).unwrap().hash();
    assert_eq!(
        anchor_check(&a.credential, &anchor_opts(Some(&height), ledger())),
        (CheckStatus::Fail, "anchor_tx_missing".into())
    );
    // The coinbase of the right block is not an anchor.
    let mut tx = ra.clone();
    tx.anchor_tx_id = chain.block(2).unwrap().transactions[0].id();
    assert_eq!(
        anchor_check(&a.credential, &anchor_opts(Some(&tx), ledger())),
        (CheckStatus::Fail, "anchor_mismatch".into())
    );
    let mut label = ra.clone();
    label.label = "another label".into();
    assert_eq!(
        anchor_check(&a.credential, &anchor_opts(Some(&label), ledger())),
        (CheckStatus::Fail, "anchor_mismatch".into())
    );
    // Malformed receipts cannot be checked.
    let mut bad = ra.to_value();
    bad["type"] = "MerkleProof2019".into();
    let mut opts = anchor_opts(None, ledger());
    opts.anchor.receipt = Some(bad);
    assert_eq!(
        anchor_check(&a.credential, &opts),
        (CheckStatus::CouldntCheck, "receipt_malformed".into())
    );
    // A tampered credential never reaches the anchor check.
    let mut tampered = a.credential.clone();
    tampered["validFrom"] = "2020-01-01T00:00:00Z".into();
    let r = verify_credential_value(&tampered, &anchor_opts(Some(&ra), ledger()));
    assert_eq!(r.status(CheckId::Anchor), Some(CheckStatus::NotRun));
    // Required but absent.
    let mut opts = VerifyOptions::at(now());
    opts.anchor.required = true;
    assert_eq!(
        anchor_check(&a.credential, &opts),
        (
            CheckStatus::CouldntCheck,
            "anchor_receipt_not_provided".into()
        )
    );
}

#[test]
fn in_a_presentation_the_receipt_applies_to_its_own_credential() {
    let (batch, chain) = anchored_class();
    let holder = SecretKey::from_bytes(&[44u8; 32]);
    let holder_did = DidKey::from_public_key(holder.public_key());
    let vp = unsigned_presentation(
        holder_did.as_str(),
        vec![
            batch.issued[0].credential.clone(),
            batch.issued[1].credential.clone(),
        ],
        None,
    );
    let vp = sign_presentation(
        &vp,
        &holder,
        "nonce-1",
        "verifier.example",
        Some("2025-09-01T00:00:00Z"),
    )
    .unwrap();
    let mut opts = anchor_opts(
        batch.issued[1].receipt.as_ref(),
        Some(LedgerInput::import(&ledger::chain_to_json(&chain))),
    );
    opts.challenge = Some("nonce-1".into());
    opts.domain = Some("verifier.example".into());
    let r = verify_presentation_value(&vp, &opts);
    assert!(r.valid, "{r:#?}");
    assert_eq!(
        r.credentials[0].status(CheckId::Anchor),
        Some(CheckStatus::NotApplicable)
    );
    assert_eq!(
        r.credentials[1].status(CheckId::Anchor),
        Some(CheckStatus::Pass)
    );
}

#[test]
fn nothing_to_anchor_and_bad_labels() {
    assert_eq!(anchor_request(&[], "x"), Err(BatchError::EmptyBatch));
    let batch = issue_class();
    assert!(matches!(
        anchor_request(&batch.issued, &"長".repeat(30)),
        Err(BatchError::Label { .. })
    ));
    let mut unanchored = batch.issued.clone();
    let chain = Chain::new(genesis("4C")).unwrap();
    assert!(matches!(
        attach_receipts(&mut unanchored, &chain),
        Err(BatchError::NotAnchored { .. })
    ));
}

#[test]
fn names_go_in_only_when_asked_and_still_verify() {
    let roster = roster::read(
        "name,name_zh,email\nChan Tai Man,陳大文,chan@school.example.edu.hk\n".as_bytes(),
        None,
        &RosterLimits::default(),
    )
    .unwrap();
    let inputs = |_: &roster::Student| RowInputs {
        id: uuid_urn([3; 16]),
        salt: "salt".into(),
        credential_status: None,
    };
    let plain = issue_batch(&template(), &roster, &teacher(), &mut inputs.clone()).unwrap();
    let ids = &plain.issued[0].credential["credentialSubject"]["identifier"];
    assert_eq!(ids.as_array().unwrap().len(), 1);
    assert!(!plain.issued[0]
        .credential
        .to_string()
        .contains("Chan Tai Man"));

    let mut named_template = template();
    named_template.include_name = true;
    let named = issue_batch(&named_template, &roster, &teacher(), &mut inputs.clone()).unwrap();
    let cred = &named.issued[0].credential;
    let name = &cred["credentialSubject"]["identifier"][0];
    assert_eq!(name["identityType"], "name");
    assert_eq!(name["hashed"], false);
    assert_eq!(name["identityHash"], "Chan Tai Man 陳大文");
    assert_eq!(cred["credentialSubject"]["identifier"][1]["hashed"], true);
    let report = verify_credential_value(
        cred,
        &VerifyOptions::at(Instant::from_unix(1_760_000_000, 0)),
    );
    assert!(report.valid, "{:?}", report.checks);
    assert_eq!(report.status(CheckId::Profile), Some(CheckStatus::Pass));
}
