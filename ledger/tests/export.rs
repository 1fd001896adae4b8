//! Integration tests of JSON export and import: a checked-in classroom chain
//! imports with the expected balances and re-exports byte for byte, and
//! every kind of bad input is refused with its own error.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use common::account;
use ledger::{
    chain_from_json, chain_to_json, chain_to_json_pretty, Amount, BlockError, ChainError, Hash,
    ImportError, JsonProblem, MAX_IMPORT_BYTES,
};

/// Three blocks: alice pays bob, the teacher anchors a root, two transfers.
const FIXTURE: &str = include_str!("data/classroom_chain.json");

fn json_problem(result: Result<ledger::Chain, ImportError>) -> JsonProblem {
    match result {
        Err(ImportError::Json { problem, .. }) => problem,
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

#[test]
fn the_fixture_imports_with_the_expected_state() {
    let chain = chain_from_json(FIXTURE).unwrap();
    let (alice, bob, miner, teacher) = (account(1), account(2), account(3), account(9));
    assert_eq!(chain.height(), 3);
    let state = chain.state();
    assert_eq!(state.balance(&alice.address()), Amount::new(62));
    assert_eq!(state.balance(&bob.address()), Amount::new(25));
    assert_eq!(state.balance(&teacher.address()), Amount::new(19));
    assert_eq!(state.balance(&miner.address()), Amount::new(164));
    // 120 at the start, 154 minted by coinbases, 4 paid in fees.
    assert_eq!(state.total_supply(), 270);
    let anchor = state.anchor(&Hash::digest(b"4C certificates")).unwrap();
    assert_eq!(anchor.height, 2);
    assert_eq!(anchor.label.as_str(), "4C 2025");
}

#[test]
fn export_is_stable_and_lossless() {
    let chain = chain_from_json(FIXTURE).unwrap();
    assert_eq!(chain_to_json_pretty(&chain) + "\n", FIXTURE);
    let compact = chain_to_json(&chain);
    let again = chain_from_json(&compact).unwrap();
    assert_eq!(again, chain);
    assert_eq!(again.state(), chain.state());
    assert_eq!(chain_to_json(&again), compact);
}

#[test]
fn too_large_input_is_refused_before_parsing() {
    let huge = " ".repeat(MAX_IMPORT_BYTES + 1);
    assert_eq!(
        chain_from_json(&huge).map(|_| ()),
        Err(ImportError::TooLarge {
            size: MAX_IMPORT_BYTES + 1,
            max: MAX_IMPORT_BYTES
        })
    );
}

#[test]
fn broken_json_reports_where() {
    match chain_from_json("{\n  \"format\": ") {
        Err(ImportError::Json {
            problem,
            line,
            column,
            ..
        }) => {
            assert_eq!(problem, JsonProblem::UnexpectedEnd);
            assert_eq!(line, 2);
            assert!(column > 0);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        json_problem(chain_from_json("nonsense")),
        JsonProblem::Syntax
    );
    assert_eq!(
        json_problem(chain_from_json("")),
        JsonProblem::UnexpectedEnd
    );
}

#[test]
fn another_kind_of_file_is_named() {
    let other = FIXTURE.replacen("chainclass-ledger", "open-badge", 1);
    assert_eq!(
        chain_from_json(&other).map(|_| ()),
        Err(ImportError::WrongFormat {
            found: "open-badge".into()
        })
    );
    let newer = FIXTURE.replacen("\"version\": 1,", "\"version\": 2,", 1);
    assert_eq!(
        chain_from_json(&newer).map(|_| ()),
        Err(ImportError::UnsupportedVersion { found: 2 })
    );
    // A future version with other fields still gets the version error.
    assert_eq!(
        chain_from_json(r#"{"format":"chainclass-ledger","version":7,"pages":[]}"#).map(|_| ()),
        Err(ImportError::UnsupportedVersion { found: 7 })
    );
}

#[test]
fn shape_errors_are_data_problems() {
    let cases = [
        // unknown field
        FIXTURE.replacen("\"difficulty\": 8,", "\"difficulty\": 8, \"bonus\": 1,", 1),
        // bad hex in an address
        FIXTURE.replacen("451dbdf0", "451dbdfz", 1),
        // negative amount
        FIXTURE.replacen("\"amount\": 100", "\"amount\": -100", 1),
        // a label over 64 bytes
        FIXTURE.replacen("test class", &"x".repeat(65), 1),
        // missing blocks
        FIXTURE.replacen("\"blocks\"", "\"blokcs\"", 1),
        // an unknown field inside a signed transaction
        FIXTURE.replacen("\"signature\":", "\"memo\": \"hi\", \"signature\":", 1),
        // a transaction kind that does not exist
        FIXTURE.replacen("\"type\": \"transfer\"", "\"type\": \"gift\"", 1),
    ];
    for (i, case) in cases.iter().enumerate() {
        assert_ne!(case, FIXTURE, "case {i} did not change anything");
        assert_eq!(
            json_problem(chain_from_json(case)),
            JsonProblem::Data,
            "case {i}"
        );
    }
}

#[test]
fn an_edited_block_is_refused_with_its_height() {
    // Bob received 30 in block 1; make it 31.
    let edited = FIXTURE.replacen("\"amount\": 30,", "\"amount\": 31,", 1);
    assert_ne!(edited, FIXTURE);
    match chain_from_json(&edited) {
        Err(ImportError::Invalid(ChainError::Block {
            height: 1,
            error: BlockError::WrongMerkleRoot { .. },
        })) => {}
        other => panic!("unexpected {other:?}"),
    }
    // Giving alice more starting coins breaks the link to the genesis.
    let richer = FIXTURE.replacen("\"amount\": 100", "\"amount\": 1000", 1);
    match chain_from_json(&richer) {
        Err(ImportError::Invalid(ChainError::Block {
            height: 1,
            error: BlockError::WrongPreviousHash { .. },
        })) => {}
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn errors_explain_themselves() {
    let error = chain_from_json("[]").unwrap_err();
    assert!(error.to_string().contains("line 1"), "{error}");
    let error = ImportError::UnsupportedVersion { found: 9 };
    assert!(error.to_string().contains('9'));
}
