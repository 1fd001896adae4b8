//! Every error the ledger can give a lesson, as a sentence in the student's
//! language: each variant of `TxError`, `MempoolError`, `BlockError`,
//! `GenesisError`, `ImportError`, `SignatureError`, `ParseHexError`,
//! `LabelError` and Merkle `ProofError`, with its numbers filled in.
//! Nothing here shows `Debug` output.

use super::{fill, group};
use crate::i18n::learn::LearnTr;
use crate::platform::files::FileError;
use ledger::merkle::{ProofError, Side};
use ledger::{
    Address, BlockError, ChainError, GenesisError, ImportError, JsonProblem, LabelError,
    MempoolError, ParseHexError, SignatureError, TxError,
};

/// How an address is shown (a class member's name, or its short hex).
pub type Names<'a> = &'a dyn Fn(&Address) -> String;

/// The short form of an address when no name is known.
pub fn short_address(address: &Address) -> String {
    format!("{}…", address.short())
}

/// A transaction rule that was broken.
pub fn tx_error(l: &LearnTr, error: &TxError, name: Names<'_>) -> String {
    match error {
        TxError::BadSignature { account, error } => fill(
            l.err_bad_signature,
            &[
                ("account", name(account)),
                ("reason", signature_error(l, error)),
            ],
        ),
        TxError::Overspend {
            account,
            balance,
            needed,
        } => fill(
            l.err_overspend,
            &[
                ("account", name(account)),
                ("balance", group(balance.coins())),
                ("needed", group(needed.coins())),
            ],
        ),
        TxError::NonceReplayed {
            account,
            expected,
            found,
        } => fill(
            l.err_nonce_replayed,
            &[
                ("account", name(account)),
                ("expected", expected.to_string()),
                ("found", found.to_string()),
            ],
        ),
        TxError::NonceTooHigh {
            account,
            expected,
            found,
        } => fill(
            l.err_nonce_too_high,
            &[
                ("account", name(account)),
                ("expected", expected.to_string()),
                ("found", found.to_string()),
            ],
        ),
        TxError::AmountOverflow { account } => {
            fill(l.err_amount_overflow, &[("account", name(account))])
        }
        TxError::BalanceOverflow { account } => {
            fill(l.err_balance_overflow, &[("account", name(account))])
        }
        TxError::NonceExhausted { account } => {
            fill(l.err_nonce_exhausted, &[("account", name(account))])
        }
        TxError::UnexpectedCoinbase => l.err_unexpected_coinbase.to_owned(),
    }
}

/// Why the mempool refused a transaction.
pub fn mempool_error(l: &LearnTr, error: &MempoolError, name: Names<'_>) -> String {
    match error {
        MempoolError::Coinbase => l.err_mempool_coinbase.to_owned(),
        MempoolError::Duplicate { .. } => l.err_mempool_duplicate.to_owned(),
        MempoolError::Full { capacity } => {
            fill(l.err_mempool_full, &[("capacity", group(*capacity as u64))])
        }
        MempoolError::Invalid { error, .. } => tx_error(l, error, name),
    }
}

/// The first 8 hex digits of a hash, as the lessons show it.
fn short(hash: &ledger::Hash) -> String {
    hash.short()
}

/// Why a block breaks a rule.
pub fn block_error(l: &LearnTr, error: &BlockError, name: Names<'_>) -> String {
    match error {
        BlockError::UnsupportedVersion { found } => {
            fill(l.err_block_version, &[("found", found.to_string())])
        }
        BlockError::WrongHeight { expected, found } => fill(
            l.err_block_height,
            &[
                ("expected", expected.to_string()),
                ("found", found.to_string()),
            ],
        ),
        BlockError::WrongPreviousHash { expected, found } => fill(
            l.err_block_previous,
            &[("expected", short(expected)), ("found", short(found))],
        ),
        BlockError::WrongMerkleRoot { computed, found } => fill(
            l.err_block_merkle,
            &[("computed", short(computed)), ("found", short(found))],
        ),
        BlockError::DifficultyTooLow { minimum, found } => fill(
            l.err_block_difficulty_low,
            &[
                ("minimum", minimum.to_string()),
                ("found", found.to_string()),
            ],
        ),
        BlockError::DifficultyTooHigh { maximum, found } => fill(
            l.err_block_difficulty_high,
            &[
                ("maximum", maximum.to_string()),
                ("found", found.to_string()),
            ],
        ),
        BlockError::NotEnoughWork {
            required, found, ..
        } => fill(
            l.err_block_work,
            &[
                ("required", required.to_string()),
                ("found", found.to_string()),
            ],
        ),
        BlockError::TimestampNotAfterParent { parent, found } => fill(
            l.err_block_time_order,
            &[("parent", parent.to_string()), ("found", found.to_string())],
        ),
        BlockError::TimestampTooFarAhead {
            found, max_drift, ..
        } => fill(
            l.err_block_time_future,
            &[
                ("found", found.to_string()),
                ("drift", max_drift.to_string()),
            ],
        ),
        BlockError::TooManyTransactions { count, max } => fill(
            l.err_block_too_many,
            &[("count", group(*count as u64)), ("max", group(*max as u64))],
        ),
        BlockError::DuplicateTransaction { first, second, .. } => fill(
            l.err_block_duplicate_tx,
            &[("first", first.to_string()), ("second", second.to_string())],
        ),
        BlockError::CoinbaseNotFirst { index } => fill(
            l.err_block_coinbase_not_first,
            &[("index", index.to_string())],
        ),
        BlockError::CoinbaseWrongHeight { expected, found } => fill(
            l.err_block_coinbase_height,
            &[
                ("expected", expected.to_string()),
                ("found", found.to_string()),
            ],
        ),
        BlockError::CoinbaseTooLarge { claimed, allowed } => fill(
            l.err_block_coinbase_large,
            &[
                ("claimed", group(claimed.coins())),
                ("allowed", group(allowed.coins())),
            ],
        ),
        BlockError::CoinbaseOverflow => l.err_block_coinbase_overflow.to_owned(),
        BlockError::InvalidTransaction { index, error, .. } => fill(
            l.err_block_tx,
            &[
                ("index", index.to_string()),
                ("reason", tx_error(l, error, name)),
            ],
        ),
    }
}

/// Why a genesis is invalid.
pub fn genesis_error(l: &LearnTr, error: &GenesisError) -> String {
    match error {
        GenesisError::DuplicateAllocation { address } => fill(
            l.err_genesis_duplicate,
            &[("address", short_address(address))],
        ),
        GenesisError::SupplyOverflow => l.err_genesis_supply.to_owned(),
        GenesisError::TooManyAllocations { count, max } => fill(
            l.err_genesis_too_many,
            &[("count", group(*count as u64)), ("max", group(*max as u64))],
        ),
        GenesisError::DifficultyTooHigh { maximum, found } => fill(
            l.err_genesis_difficulty,
            &[
                ("maximum", maximum.to_string()),
                ("found", found.to_string()),
            ],
        ),
    }
}

/// Why a whole chain is invalid.
pub fn chain_error(l: &LearnTr, error: &ChainError, name: Names<'_>) -> String {
    match error {
        ChainError::Genesis(e) => fill(l.err_chain_genesis, &[("reason", genesis_error(l, e))]),
        ChainError::Block { height, error } => fill(
            l.err_chain_block,
            &[
                ("height", height.to_string()),
                ("reason", block_error(l, error, name)),
            ],
        ),
    }
}

/// Why a chain file was refused.
pub fn import_error(l: &LearnTr, error: &ImportError, name: Names<'_>) -> String {
    match error {
        ImportError::TooLarge { size, max } => fill(
            l.err_import_too_large,
            &[("size", group(*size as u64)), ("max", group(*max as u64))],
        ),
        ImportError::Json {
            problem,
            line,
            column,
            ..
        } => {
            let template = match problem {
                JsonProblem::Syntax => l.err_import_syntax,
                JsonProblem::Data => l.err_import_data,
                JsonProblem::UnexpectedEnd => l.err_import_eof,
            };
            fill(
                template,
                &[("line", line.to_string()), ("column", column.to_string())],
            )
        }
        ImportError::WrongFormat { found } => {
            fill(l.err_import_format, &[("found", found.clone())])
        }
        ImportError::UnsupportedVersion { found } => {
            fill(l.err_import_version, &[("found", found.to_string())])
        }
        ImportError::Invalid(e) => {
            fill(l.err_import_invalid, &[("reason", chain_error(l, e, name))])
        }
    }
}

/// Why a picked file could not be read; `max` is the size cap in bytes.
pub fn file_error(l: &LearnTr, error: &FileError, max: f64) -> String {
    match error {
        FileError::TooLarge { size } => fill(
            l.err_import_too_large,
            &[("size", group(*size)), ("max", group(max as u64))],
        ),
        FileError::Pdf => l.err_file_pdf.to_owned(),
        FileError::Image => l.err_file_image.to_owned(),
        FileError::NotText | FileError::ReadFailed => l.err_file_unreadable.to_owned(),
    }
}

/// Why a signature was not accepted.
pub fn signature_error(l: &LearnTr, error: &SignatureError) -> String {
    match error {
        SignatureError::MalformedPublicKey { .. } => l.err_sig_malformed.to_owned(),
        SignatureError::Mismatch { .. } => l.err_sig_mismatch.to_owned(),
    }
}

/// Why a text is not a hex value of the right length.
pub fn hex_error(l: &LearnTr, error: &ParseHexError) -> String {
    match error {
        ParseHexError::WrongLength { expected, found } => fill(
            l.err_hex_length,
            &[
                ("expected", expected.to_string()),
                ("found", found.to_string()),
            ],
        ),
        ParseHexError::InvalidCharacter { index, character } => fill(
            l.err_hex_char,
            &[
                ("character", character.to_string()),
                ("position", index.saturating_add(1).to_string()),
            ],
        ),
    }
}

/// Why a text cannot be a block message (anchor label).
pub fn label_error(l: &LearnTr, error: &LabelError) -> String {
    match error {
        LabelError::TooLong { len, max } => fill(
            l.err_label_long,
            &[("len", len.to_string()), ("max", max.to_string())],
        ),
        LabelError::ControlCharacter { .. } => l.err_label_control.to_owned(),
    }
}

/// The side of a Merkle sibling, in words.
pub fn side(l: &LearnTr, side: Side) -> &'static str {
    match side {
        Side::Left => l.merkle_side_left,
        Side::Right => l.merkle_side_right,
    }
}

/// Why an inclusion proof did not verify.
pub fn proof_error(l: &LearnTr, error: &ProofError) -> String {
    match error {
        ProofError::IndexOutOfRange { index, count } => fill(
            l.err_proof_range,
            &[
                ("index", index.saturating_add(1).to_string()),
                ("count", count.to_string()),
            ],
        ),
        ProofError::WrongLength { expected, found } => fill(
            l.err_proof_length,
            &[
                ("expected", expected.to_string()),
                ("found", found.to_string()),
            ],
        ),
        ProofError::WrongSide { step, .. } => fill(
            l.err_proof_side,
            &[("step", step.saturating_add(1).to_string())],
        ),
        ProofError::RootMismatch { computed, expected } => fill(
            l.err_proof_root,
            &[("computed", short(computed)), ("expected", short(expected))],
        ),
    }
}
