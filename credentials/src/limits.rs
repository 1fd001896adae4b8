//! The budgets of a verification: how much of one document ChainClass
//! checks at once. Each is counted on the parsed document *before* any work
//! proportional to it is spent (canonicalisation, signature checks, status
//! lists), so a short share link cannot make the verifier clone, hash or
//! render without bound.
//!
//! The limits are far above what an issuer writes (a ChainClass certificate
//! has one proof, at most two status entries, no related resources; a
//! student's presentation holds a handful of certificates) and low enough
//! that the worst input allowed by every limit at once is verified within
//! seconds in a browser: the JSON itself is bounded by
//! [`crate::json::JsonLimits`] (1 MiB, depth 64), and the work per document
//! is then linear in its size times a small constant.
//!
//! A document over a budget fails the `format` check with
//! [`crate::report::Info::OverBudget`] (which budget, how many, the limit);
//! nothing after it runs. [`crate::di::verify_proofs`] enforces the proof
//! budgets itself too, for callers that skip the report (status lists).

use crate::error::ErrorCode;
use serde::Serialize;
use serde_json::{Map, Value};

/// Proofs on one document (a proof set or chain).
pub const MAX_PROOFS: usize = 32;
/// Ids in one proof's `previousProof` (they must also be distinct).
pub const MAX_PREVIOUS_PROOFS: usize = MAX_PROOFS;
/// Credentials embedded in one presentation.
pub const MAX_PRESENTATION_CREDENTIALS: usize = 64;
/// Entries in one credential's `credentialStatus`.
pub const MAX_STATUS_ENTRIES: usize = 16;
/// Distinct `statusListCredential` URLs named by one credential.
pub const MAX_STATUS_LISTS: usize = 4;
/// Entries in one `relatedResource` list.
pub const MAX_RELATED_RESOURCES: usize = 128;

/// Violations listed in one report check (the rest are counted): a
/// document may break one rule in each of thousands of items.
pub const MAX_REPORTED_VIOLATIONS: usize = 20;

/// The first [`MAX_REPORTED_VIOLATIONS`] of `all`, and how many were left
/// out.
pub fn first_reported<T>(mut all: Vec<T>) -> (Vec<T>, usize) {
    let omitted = all.len().saturating_sub(MAX_REPORTED_VIOLATIONS);
    all.truncate(MAX_REPORTED_VIOLATIONS);
    (all, omitted)
}

/// What a budget counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Budget {
    /// Proofs on one document ([`MAX_PROOFS`]).
    Proofs,
    /// Ids in one `previousProof` ([`MAX_PREVIOUS_PROOFS`]).
    PreviousProofs,
    /// Credentials in one presentation ([`MAX_PRESENTATION_CREDENTIALS`]).
    Credentials,
    /// Status entries of one credential ([`MAX_STATUS_ENTRIES`]).
    StatusEntries,
    /// Distinct status lists of one credential ([`MAX_STATUS_LISTS`]).
    StatusLists,
    /// Related resources of one document ([`MAX_RELATED_RESOURCES`]).
    RelatedResources,
}

impl Budget {
    /// The limit in force.
    pub fn limit(self) -> usize {
        match self {
            Budget::Proofs => MAX_PROOFS,
            Budget::PreviousProofs => MAX_PREVIOUS_PROOFS,
            Budget::Credentials => MAX_PRESENTATION_CREDENTIALS,
            Budget::StatusEntries => MAX_STATUS_ENTRIES,
            Budget::StatusLists => MAX_STATUS_LISTS,
            Budget::RelatedResources => MAX_RELATED_RESOURCES,
        }
    }

    /// The specification code reported with it: proofs are a Data
    /// Integrity `PROOF_VERIFICATION_ERROR` (the proof set does not meet the
    /// verifier's expectations), status entries a Bitstring Status List
    /// `STATUS_VERIFICATION_ERROR`, the rest a VCDM `MALFORMED_VALUE_ERROR`.
    pub fn code(self) -> ErrorCode {
        match self {
            Budget::Proofs | Budget::PreviousProofs => ErrorCode::ProofVerificationError,
            Budget::StatusEntries | Budget::StatusLists => ErrorCode::StatusVerificationError,
            Budget::Credentials | Budget::RelatedResources => ErrorCode::MalformedValueError,
        }
    }
}

/// A document over one of the budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OverBudget {
    /// Which budget.
    pub budget: Budget,
    /// How many the document has.
    pub found: usize,
    /// The limit ([`Budget::limit`]).
    pub limit: usize,
}

fn within(budget: Budget, found: usize) -> Result<(), OverBudget> {
    if found > budget.limit() {
        Err(OverBudget {
            budget,
            found,
            limit: budget.limit(),
        })
    } else {
        Ok(())
    }
}

/// How many items a one-or-many member holds (absent: 0).
fn count(v: Option<&Value>) -> usize {
    match v {
        None => 0,
        Some(Value::Array(items)) => items.len(),
        Some(_) => 1,
    }
}

fn items(v: Option<&Value>) -> &[Value] {
    match v {
        Some(Value::Array(items)) => items,
        Some(one) => std::slice::from_ref(one),
        None => &[],
    }
}

/// Checks every budget of one credential or presentation. Costs one pass
/// over the members it counts, whatever their length (a list longer than
/// its limit is refused by its length alone).
pub fn check_document(doc: &Map<String, Value>) -> Result<(), OverBudget> {
    within(Budget::Proofs, count(doc.get("proof")))?;
    for proof in items(doc.get("proof")) {
        within(Budget::PreviousProofs, count(proof.get("previousProof")))?;
    }
    within(Budget::Credentials, count(doc.get("verifiableCredential")))?;
    within(Budget::RelatedResources, count(doc.get("relatedResource")))?;
    within(Budget::StatusEntries, count(doc.get("credentialStatus")))?;
    let mut lists: Vec<&str> = Vec::new();
    for entry in items(doc.get("credentialStatus")) {
        if let Some(url) = entry.get("statusListCredential").and_then(Value::as_str) {
            if !lists.contains(&url) {
                lists.push(url);
            }
        }
    }
    within(Budget::StatusLists, lists.len())
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use serde_json::json;

    fn over(doc: Value) -> Option<(Budget, usize)> {
        check_document(doc.as_object().unwrap())
            .err()
            .map(|e| (e.budget, e.found))
    }

    #[test]
    fn each_budget_is_counted_at_its_limit_and_one_past_it() {
        let list = |n: usize, item: Value| Value::Array(vec![item; n]);
        let cases: [(Budget, &str, Value); 4] = [
            (
                Budget::Proofs,
                "proof",
                json!({"type": "DataIntegrityProof"}),
            ),
            (Budget::Credentials, "verifiableCredential", json!({})),
            (Budget::RelatedResources, "relatedResource", json!({})),
            (Budget::StatusEntries, "credentialStatus", json!({})),
        ];
        for (budget, member, item) in cases {
            let at = budget.limit();
            assert_eq!(over(json!({ member: list(at, item.clone()) })), None);
            assert_eq!(
                over(json!({ member: list(at + 1, item) })),
                Some((budget, at + 1))
            );
        }
        let ids = |n: usize| Value::Array((0..n).map(|i| json!(format!("urn:p:{i}"))).collect());
        assert_eq!(over(json!({"proof": {"previousProof": ids(32)}})), None);
        assert_eq!(
            over(json!({"proof": [{}, {"previousProof": ids(33)}]})),
            Some((Budget::PreviousProofs, 33))
        );
        let entry =
            |i: usize| json!({"statusListCredential": format!("https://s.example/{}", i % 5)});
        let status = |n: usize| Value::Array((0..n).map(entry).collect());
        assert_eq!(over(json!({"credentialStatus": status(4)})), None);
        assert_eq!(
            over(json!({"credentialStatus": status(5)})),
            Some((Budget::StatusLists, 5))
        );
        // Many entries on the same few lists count once per list.
        let same: Vec<Value> = (0..16).map(|i| entry(i % 2)).collect();
        assert_eq!(over(json!({"credentialStatus": same})), None);
    }

    #[test]
    fn single_values_count_as_one() {
        assert_eq!(over(json!({"proof": {}, "credentialStatus": {}})), None);
        assert_eq!(
            over(json!({"verifiableCredential": "not even an object"})),
            None
        );
    }
}
