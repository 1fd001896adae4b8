//! ChainClass's verifiable credentials: issue, hold, present and verify.
//!
//! A pure library (no IO, no clock, no RNG: `now` and key material are
//! parameters) that builds natively and for `wasm32-unknown-unknown`.
//!
//! | module | owns |
//! |---|---|
//! | [`json`] | strict I-JSON parsing (duplicates, lone surrogates, unsafe integers, size/depth bounds) |
//! | [`limits`] | the budgets of a verification (proofs, credentials, status entries, …), counted before the work |
//! | [`jcs`] | RFC 8785 canonicalisation (wraps `serde_json_canonicalizer`) |
//! | [`multibase`] | base58btc multibase and multicodec prefixes |
//! | [`keys`] | Ed25519 [`PublicKey`] / [`SecretKey`] as Multikeys, key files |
//! | [`did_key`] | [`DidKey`]: parsing with the spec's errors, resolution |
//! | [`time`] | XMLSCHEMA11-2 dateTimeStamp → comparable [`Instant`] |
//! | [`iri`] | "MUST be a URL" syntax |
//! | [`di`] | Data Integrity `eddsa-jcs-2022` create/verify, proof sets and chains |
//! | [`vcdm`] | VC Data Model 2.0 (and VC 1.1 for verifying) conformance |
//! | [`ob3`], [`templates`] | Open Badges 3.0 builder, recipient hash, profile check, HK programme templates |
//! | [`issue`] | [`sign`]: conformance-checked signing |
//! | [`presentation`] | holder presentations (`authentication`, challenge, domain) |
//! | [`verify`], [`report`] | [`verify_credential`], [`verify_presentation`] → ordered check report |
//! | [`error`] | specification error codes |
//! | [`share`] | `#/verify?vc=` link payloads: compact (table + DEFLATE + base 43, for QR alphanumeric mode) and plain (DEFLATE + base64url) |
//! | [`share_table`] | the frozen table of strings compact links refer to |
//! | [`gzip`] | bounded GZIP (RFC 1952) over raw DEFLATE, CRC-32 |
//! | [`status_list`] | Bitstring Status List: [`StatusList`], list credential, entry, `status` check |
//! | [`roster`] | class roster CSV: parsing, [`ColumnMap`], per-row checks |
//! | [`batch`] | batch issuing, Merkle root, anchor transaction input, receipts |
//! | [`anchor`] | ledger anchor [`Receipt`]s, [`verify_receipt`], `anchor` check |
//!
//! `eddsa-rdfc-2022` (and other RDF-canonicalised suites) need JSON-LD RDF
//! canonicalisation, which is out of scope: such proofs are reported as
//! `couldnt_check` (unsupported cryptosuite), never as tampered.
//!
//! # Revocation, class batches and anchoring: the calls the app makes
//!
//! Status lists (the app keeps each [`StatusList`] in storage through its
//! serde form, and publishes the signed list credential on its own origin):
//!
//! ```text
//! StatusList::new(StatusPurpose::Revocation | Suspension, entries ≥ 131_072) -> Result<StatusList, StatusListError>
//! list.allocate_index(random: u64) -> Result<u64, _>      // a free index, uniform, from caller randomness
//! list.set(i) / list.clear(i) / list.get(i) -> Result<…>  // clear refuses on a revocation list
//! list.encode() -> String ("u…");  StatusList::decode(purpose, &str) -> Result<StatusList, _>
//! status_list::entry(list_credential_id, purpose, index) -> Value          // for credentialStatus
//! status_list::list_credential(id, issuer, purpose, &list, valid_from, valid_until)
//!     -> Result<Value, StatusListError>                                       // unsigned; then sign()
//! ```
//!
//! Rosters and batches:
//!
//! ```text
//! roster::parse_csv(&bytes, &RosterLimits) -> Result<Csv, CsvError>      // NotUtf8 { likely_encoding: Big5, .. }
//! ColumnMap::guess(&csv.header) -> ColumnMap;  map.check(columns) -> Result<(), MapError>
//! roster::validate(&csv, &map) -> Result<Roster { students, errors: Vec<RowError> }, MapError>
//! roster::read(&bytes, Option<&ColumnMap>, &RosterLimits) -> Result<Roster, RosterError>
//! batch::issue_batch(&BatchTemplate, &Roster, &SecretKey, &mut |&Student| -> RowInputs { id, salt, credential_status })
//!     -> Result<BatchResult { issued: Vec<IssuedCredential { row, student, credential, target_hash, receipt }>,
//!                             errors: Vec<RowError { row, field, problem }> }, BatchError>
//! batch::merkle_root_of(&issued) -> Hash;  batch::anchor_request(&issued, label) -> Result<AnchorRequest { root, label }, _>
//! request.transaction(&ledger_account, fee, nonce) -> ledger::Transaction   // then build_block, mine, append
//! batch::attach_receipts(&mut issued, &chain) -> Result<BlockAnchor, _>      // or locate_anchor + receipts
//! ```
//!
//! Verifying ([`VerifyOptions`]):
//!
//! ```text
//! opts.status.status_list_credentials: Vec<Value>     // lists the app has; matched by id
//! opts.anchor = AnchorInput { receipt: Option<Value>, ledger: Option<LedgerInput::{Chain(Arc<Chain>), Refused{detail}}>  // LedgerInput::import(json), required }
//! verify_receipt(&credential, &Receipt, &Chain) -> Result<AnchorProof, ReceiptError>
//! ```
//!
//! The `status` check reports `pass` (`not_revoked`), `fail` (`revoked`,
//! `suspended`, `malformed_status_entry`) or `couldnt_check`
//! (`status_list_not_provided` with the URLs, `status_list_proof_not_verified`,
//! `status_list_issuer_mismatch`, `status_list_expired`,
//! `status_list_purpose_mismatch`, …); the `anchor` check `pass` (`anchored`),
//! `fail` (the receipt contradicts the credential or the ledger) or
//! `couldnt_check` (no, another, an invalid or a too-short ledger; a
//! malformed receipt). Batch leaf = `SHA-256(JCS(signed credential))`; see
//! [`anchor`].

pub mod anchor;
pub mod batch;
pub mod di;
pub mod did_key;
pub mod error;
pub mod gzip;
pub mod iri;
pub mod issue;
pub mod jcs;
pub mod json;
#[cfg(feature = "rdfc")]
pub mod jsonld;
pub mod keys;
pub mod limits;
pub mod multibase;
pub mod ob3;
pub mod presentation;
pub mod rdfc;
pub mod related;
pub mod report;
pub mod roster;
pub mod share;
pub mod share_table;
pub mod status_list;
pub mod templates;
pub mod time;
pub mod vcdm;
pub mod verify;

pub use anchor::{verify_receipt, LedgerInput, Receipt, ReceiptError};
pub use di::{BuiltinRdfc, Cryptosuite, NoRdfc, ProofOptions, RdfcHasher};
pub use did_key::DidKey;
pub use error::ErrorCode;
pub use issue::{sign, sign_as, sign_with, IssueError};
pub use keys::{PublicKey, SecretKey};
pub use report::{
    Check, CheckId, CheckStatus, Detail, Info, PresentationReport, VerificationReport,
};
pub use roster::{ColumnMap, Roster, RowError, Student};
pub use status_list::{StatusList, StatusPurpose};
pub use time::Instant;
pub use verify::{
    verify_credential, verify_credential_bytes, verify_credential_value, verify_presentation,
    verify_presentation_bytes, verify_presentation_value, AnchorInput, StatusInput, VerifyOptions,
};
