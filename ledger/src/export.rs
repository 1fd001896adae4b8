//! Import and export of a whole chain as versioned JSON.
//!
//! ```text
//! {
//!   "format": "chainclass-ledger",
//!   "version": 1,
//!   "genesis": { "name": ..., "timestamp": ..., "difficulty": ..., "reward": ..., "allocations": [...] },
//!   "blocks": [ { "header": {...}, "transactions": [...] }, ... ]
//! }
//! ```
//!
//! Hashes, keys, addresses and signatures are hex strings; amounts, heights
//! and timestamps are JSON numbers. Nothing derived (block hashes, state) is
//! stored: importing recomputes and re-validates everything, so a file can
//! only be accepted if every block is valid. Unknown fields are refused.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::chain::{Chain, ChainError, Genesis};
use crate::Block;

/// The `"format"` value of an export.
pub const FORMAT_NAME: &str = "chainclass-ledger";
/// The `"version"` this crate writes and reads.
pub const FORMAT_VERSION: u64 = 1;
/// Largest JSON text [`chain_from_json`] accepts, in bytes (64 MiB).
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

#[derive(Serialize)]
struct ExportDocument<'a> {
    format: &'static str,
    version: u64,
    genesis: &'a Genesis,
    blocks: &'a [Block],
}

/// Only the envelope, read first so a wrong file gets a clear error.
#[derive(Deserialize)]
struct Envelope {
    format: String,
    version: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportDocument {
    format: String,
    version: u64,
    genesis: Genesis,
    blocks: Vec<Block>,
}

/// What kind of JSON problem stopped an import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonProblem {
    /// Not valid JSON text.
    Syntax,
    /// Valid JSON, but a field is missing, unknown or has the wrong type or
    /// value (for example a hash with 63 digits).
    Data,
    /// The text ends in the middle of a value.
    UnexpectedEnd,
}

/// Why [`chain_from_json`] refused its input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// The text is longer than [`MAX_IMPORT_BYTES`].
    TooLarge {
        /// Length of the text in bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// The JSON could not be read.
    Json {
        /// What kind of problem.
        problem: JsonProblem,
        /// Line of the problem (from 1).
        line: usize,
        /// Column of the problem (from 1).
        column: usize,
        /// The parser's description, in English, for developers.
        detail: String,
    },
    /// `"format"` is not [`FORMAT_NAME`]: this is some other file.
    WrongFormat {
        /// The format found (at most 64 characters of it).
        found: String,
    },
    /// `"version"` is not [`FORMAT_VERSION`].
    UnsupportedVersion {
        /// The version found.
        found: u64,
    },
    /// The JSON is well formed but the chain breaks a rule.
    Invalid(ChainError),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge { size, max } => {
                write!(f, "file is {size} bytes, the limit is {max}")
            }
            Self::Json {
                problem,
                line,
                column,
                detail,
            } => write!(
                f,
                "JSON problem ({problem:?}) at line {line}, column {column}: {detail}"
            ),
            Self::WrongFormat { found } => {
                write!(f, "this is a {found:?} file, not a {FORMAT_NAME:?} file")
            }
            Self::UnsupportedVersion { found } => write!(
                f,
                "format version {found} is not supported (only {FORMAT_VERSION})"
            ),
            Self::Invalid(error) => write!(f, "the chain is invalid: {error}"),
        }
    }
}

impl std::error::Error for ImportError {}

impl From<serde_json::Error> for ImportError {
    fn from(error: serde_json::Error) -> Self {
        let problem = match error.classify() {
            serde_json::error::Category::Eof => JsonProblem::UnexpectedEnd,
            serde_json::error::Category::Data => JsonProblem::Data,
            serde_json::error::Category::Syntax | serde_json::error::Category::Io => {
                JsonProblem::Syntax
            }
        };
        ImportError::Json {
            problem,
            line: error.line(),
            column: error.column(),
            detail: error.to_string(),
        }
    }
}

/// The chain as JSON (see the [module docs](self)).
///
/// ```
/// use ledger::{chain_from_json, chain_to_json, Amount, Chain, Genesis, Label};
///
/// let chain = Chain::new(Genesis {
///     name: Label::new("4C").unwrap(), timestamp: 0, difficulty: 0,
///     reward: Amount::new(50), allocations: vec![],
/// }).unwrap();
/// let json = chain_to_json(&chain);
/// assert!(json.starts_with(r#"{"format":"chainclass-ledger","version":1,"#));
/// assert_eq!(chain_from_json(&json).unwrap(), chain);
/// ```
pub fn chain_to_json(chain: &Chain) -> String {
    // Every type in the document serialises to plain JSON (string keys,
    // finite numbers), so this cannot fail; an empty string (which
    // `chain_from_json` refuses) stands in for the impossible error.
    serde_json::to_string(&document(chain)).unwrap_or_default()
}

/// [`chain_to_json`], indented for people to read.
pub fn chain_to_json_pretty(chain: &Chain) -> String {
    serde_json::to_string_pretty(&document(chain)).unwrap_or_default()
}

fn document(chain: &Chain) -> ExportDocument<'_> {
    ExportDocument {
        format: FORMAT_NAME,
        version: FORMAT_VERSION,
        genesis: chain.genesis(),
        blocks: chain.blocks(),
    }
}

/// Reads a chain exported by [`chain_to_json`], checking the size, the
/// envelope, the JSON shape and then every block, in that order.
pub fn chain_from_json(json: &str) -> Result<Chain, ImportError> {
    if json.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            size: json.len(),
            max: MAX_IMPORT_BYTES,
        });
    }
    // One parse on the happy path; only a failed parse reads the envelope
    // again, so that "this is another kind of file" wins over the detail.
    match serde_json::from_str::<ImportDocument>(json) {
        Ok(document) => {
            check_envelope(&document.format, document.version)?;
            Chain::from_blocks(document.genesis, document.blocks).map_err(ImportError::Invalid)
        }
        Err(error) => {
            if let Ok(envelope) = serde_json::from_str::<Envelope>(json) {
                check_envelope(&envelope.format, envelope.version)?;
            }
            Err(error.into())
        }
    }
}

fn check_envelope(format: &str, version: u64) -> Result<(), ImportError> {
    if format != FORMAT_NAME {
        return Err(ImportError::WrongFormat {
            found: format.chars().take(64).collect(),
        });
    }
    if version != FORMAT_VERSION {
        return Err(ImportError::UnsupportedVersion { found: version });
    }
    Ok(())
}
