//! The verifier's state: what the user gave (text, options, extra files) and
//! the outcome of verifying it with the `credentials` crate.
//!
//! Verification runs at once on the page, except with a class ledger export:
//! importing a ledger re-validates every block (seconds for a big one) and
//! its code is a large part of the ledger crate, so that runs in the
//! verifier's worker (`verify-worker`, loaded only then). The state marks
//! the request (`checking`), the page sends [`worker_request`] through
//! `platform::worker`, the worker answers with [`answer_request`], and the
//! page hands [`read_answer`]'s outcome back as [`VerifyAction::Checked`].

use crate::platform::clock;
use credentials::anchor::LedgerInput;
use credentials::json::parse_strict;
use credentials::verify::{
    verify_credential, verify_credential_value, verify_presentation_value, VerifyOptions,
};
use credentials::Instant;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// The overall verdict shown at the top of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every check passed or does not apply.
    Valid,
    /// Verified, but some validation check could not be completed.
    Warning,
    /// Some check failed.
    Invalid,
}

impl Verdict {
    /// The stable `data-verdict` value.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Warning => "warning",
            Verdict::Invalid => "invalid",
        }
    }

    /// The icon shown beside it (never colour alone).
    pub fn icon(self) -> &'static str {
        match self {
            Verdict::Valid => "✓",
            Verdict::Warning => "!",
            Verdict::Invalid => "✗",
        }
    }
}

/// What was verified and the report (as the crate's JSON, which carries the
/// stable ids, statuses, codes and `reason` keys the wording is keyed on).
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The parsed document, when it parsed.
    pub doc: Option<Value>,
    /// The report: `{verified, valid, checks, credentials?}`.
    pub report: Value,
    /// Whether the document is a presentation.
    pub presentation: bool,
}

impl Outcome {
    /// The verdict over every check, including those of credentials inside a presentation.
    pub fn verdict(&self) -> Verdict {
        verdict_of(&self.report)
    }
}

/// The verdict of a report JSON (credential or presentation).
pub fn verdict_of(report: &Value) -> Verdict {
    let mut statuses = Vec::new();
    collect_statuses(report, &mut statuses);
    if statuses.iter().any(|s| s == "fail" || s == "not_run") {
        Verdict::Invalid
    } else if statuses.iter().any(|s| s == "couldnt_check") {
        Verdict::Warning
    } else if report.get("verified").and_then(Value::as_bool) == Some(true) {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

fn collect_statuses(report: &Value, out: &mut Vec<String>) {
    for check in report
        .get("checks")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(s) = check.get("status").and_then(Value::as_str) {
            out.push(s.to_owned());
        }
    }
    for inner in report
        .get("credentials")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_statuses(inner, out);
    }
}

/// Extra inputs a verifier may supply.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Extras {
    /// Expected presentation challenge.
    pub challenge: String,
    /// Expected presentation domain.
    pub domain: String,
    /// Status-list credentials supplied as files: (file name, document).
    pub status_lists: Vec<(String, Value)>,
    /// An anchor receipt supplied as a file.
    pub receipt: Option<(String, Value)>,
    /// A class ledger export supplied as a file.
    pub ledger: Option<(String, String)>,
}

/// Verifies `input` (a credential or a presentation) at the current time,
/// with the extras except the ledger export (see [`run_with_ledger`]).
pub fn run(input: &str, extras: &Extras) -> Outcome {
    run_with(input, &options(extras, None))
}

/// [`run`] with the ledger export imported: what the verifier's worker does.
pub fn run_with_ledger(input: &str, extras: &Extras) -> Outcome {
    let ledger = extras
        .ledger
        .as_ref()
        .map(|(_, text)| LedgerInput::import(text));
    run_with(input, &options(extras, ledger))
}

fn options(extras: &Extras, ledger: Option<LedgerInput>) -> VerifyOptions {
    let mut opts = VerifyOptions {
        now: Some(Instant::from_unix_millis(clock::now_millis() as i64)),
        ..Default::default()
    };
    let nonempty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    opts.challenge = nonempty(&extras.challenge);
    opts.domain = nonempty(&extras.domain);
    opts.status.status_list_credentials =
        extras.status_lists.iter().map(|(_, v)| v.clone()).collect();
    opts.anchor.receipt = extras.receipt.as_ref().map(|(_, v)| v.clone());
    opts.anchor.ledger = ledger;
    opts
}

/// Version of the messages between the verifier and its worker; a worker
/// left in the browser's cache by an older version answers with another
/// (its files have fixed names), which [`read_answer`] refuses.
const PROTOCOL: u64 = 1;

/// The message asking the worker to verify `input` with `extras`.
pub fn worker_request(input: &str, extras: &Extras) -> String {
    let files = |list: &[(String, Value)]| -> Value {
        list.iter()
            .map(|(name, v)| serde_json::json!([name, v]))
            .collect()
    };
    serde_json::json!({
        "protocol": PROTOCOL,
        "input": input,
        "challenge": extras.challenge,
        "domain": extras.domain,
        "statusLists": files(&extras.status_lists),
        "receipt": files(extras.receipt.as_slice()),
        "ledger": extras.ledger.as_ref().map(|(name, text)| serde_json::json!([name, text])),
    })
    .to_string()
}

/// The worker's side: verifies the request (ledger included) and answers
/// with the report. A request it cannot read gets `{"protocol", "refused"}`.
pub fn answer_request(request: &str) -> String {
    let Some((input, extras)) = read_request(request) else {
        return serde_json::json!({"protocol": PROTOCOL, "refused": true}).to_string();
    };
    let outcome = run_with_ledger(&input, &extras);
    serde_json::json!({
        "protocol": PROTOCOL,
        "report": outcome.report,
        "presentation": outcome.presentation,
    })
    .to_string()
}

fn read_request(request: &str) -> Option<(String, Extras)> {
    let v: Value = serde_json::from_str(request).ok()?;
    if v.get("protocol")?.as_u64()? != PROTOCOL {
        return None;
    }
    let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let files = |key: &str| -> Option<Vec<(String, Value)>> {
        v.get(key)?
            .as_array()?
            .iter()
            .map(|pair| match pair.as_array()?.as_slice() {
                [Value::String(name), doc] => Some((name.clone(), doc.clone())),
                _ => None,
            })
            .collect()
    };
    let ledger = match v.get("ledger")? {
        Value::Null => None,
        pair => match pair.as_array()?.as_slice() {
            [Value::String(name), Value::String(text)] => Some((name.clone(), text.clone())),
            _ => return None,
        },
    };
    let extras = Extras {
        challenge: text("challenge")?,
        domain: text("domain")?,
        status_lists: files("statusLists")?,
        receipt: files("receipt")?.into_iter().next(),
        ledger,
    };
    Some((text("input")?, extras))
}

/// Why the worker gave no outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerProblem {
    /// The worker could not start, or stopped (shown as
    /// [`InputProblem::LedgerCheckFailed`]).
    Failed,
    /// It answered in another protocol version (a stale cached worker).
    Outdated,
}

/// The page's side: the outcome of the worker's `answer` for `input`.
pub fn read_answer(input: &str, answer: &str) -> Result<Outcome, WorkerProblem> {
    let v: Value = serde_json::from_str(answer).map_err(|_| WorkerProblem::Failed)?;
    if v.get("protocol").and_then(Value::as_u64) != Some(PROTOCOL) {
        return Err(WorkerProblem::Outdated);
    }
    match (
        v.get("report"),
        v.get("presentation").and_then(Value::as_bool),
    ) {
        (Some(report @ Value::Object(_)), Some(presentation)) => Ok(Outcome {
            doc: parse_strict(input).ok(),
            report: report.clone(),
            presentation,
        }),
        _ => Err(WorkerProblem::Failed),
    }
}

/// Verifies `input` with explicit options.
pub fn run_with(input: &str, opts: &VerifyOptions) -> Outcome {
    match parse_strict(input) {
        Ok(doc) => {
            if is_presentation(&doc) {
                let report = verify_presentation_value(&doc, opts).to_json();
                Outcome {
                    doc: Some(doc),
                    report,
                    presentation: true,
                }
            } else {
                let report = verify_credential_value(&doc, opts).to_json();
                Outcome {
                    doc: Some(doc),
                    report,
                    presentation: false,
                }
            }
        }
        Err(_) => Outcome {
            doc: None,
            report: verify_credential(input, opts).to_json(),
            presentation: false,
        },
    }
}

/// Whether a document's `type` includes `VerifiablePresentation`.
pub fn is_presentation(doc: &Value) -> bool {
    match doc.get("type") {
        Some(Value::String(t)) => t == "VerifiablePresentation",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "VerifiablePresentation"),
        _ => false,
    }
}

/// A problem with what the user supplied, before any verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputProblem {
    /// Nothing to verify.
    Empty,
    /// The file was larger than the cap.
    TooLarge,
    /// A PDF was given.
    Pdf,
    /// An image was given.
    Image,
    /// Binary, not text.
    NotText,
    /// The browser failed to read the file.
    ReadFailed,
    /// A verify link that does not decode.
    BadLink,
    /// A verify link that is longer, or inflates to more, than ChainClass
    /// reads (`credentials::share` limits).
    LinkTooLarge,
    /// An extra file (status list, receipt) that is not JSON.
    NotJsonFile,
    /// A scanned QR code that holds neither JSON nor a verify link.
    NotACredentialQr,
    /// The worker that checks ledger exports did not answer.
    LedgerCheckFailed,
    /// The worker that checks eddsa-rdfc-2022 and Ed25519Signature2020
    /// signatures did not answer.
    SignatureCheckFailed,
    /// The worker is from an older version of the app (cached): reload.
    LedgerCheckOutdated,
}

/// Turns pasted or scanned text — a certificate's JSON or a verify link
/// (`…#/verify?vc=…`) — into the certificate's JSON text.
pub fn certificate_text(input: &str) -> Result<String, InputProblem> {
    let input = input.trim();
    if input.is_empty() {
        return Err(InputProblem::Empty);
    }
    if input.starts_with('{') {
        return Ok(input.to_owned());
    }
    let query = input.split_once('?').map(|(_, q)| q).unwrap_or("");
    let payload = link_payload(query).ok_or(InputProblem::BadLink)?;
    credentials::share::decode_payload(&payload).map_err(link_problem)
}

/// What a verify link that does not decode is, for the user.
pub fn link_problem(e: credentials::share::ShareError) -> InputProblem {
    use credentials::share::ShareError;
    match e {
        ShareError::TooLarge | ShareError::TooLong { .. } => InputProblem::LinkTooLarge,
        _ => InputProblem::BadLink,
    }
}

/// The verifier page's state.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct VerifyState {
    /// The text in the input box.
    pub input: String,
    /// Options and extra files.
    pub extras: Extras,
    /// The last outcome.
    pub outcome: Option<Rc<Outcome>>,
    /// The last input problem (shown instead of, never beside, a stale outcome).
    pub problem: Option<InputProblem>,
    /// Whether the input came from a link.
    pub from_link: bool,
    /// The request the worker is verifying (with a ledger export), if any.
    pub checking: Option<u64>,
    /// How many worker requests were made (numbers them).
    pub requests: u64,
    /// How many times new input was taken (a link, file, scan, paste or
    /// Clear): what was said about older input is then stale.
    pub inputs: u64,
}

/// Changes to the verifier state.
#[derive(Clone, Debug, PartialEq)]
pub enum VerifyAction {
    /// The input box changed.
    SetInput(String),
    /// A link or file supplied text to verify right away.
    Load {
        /// The text.
        text: String,
        /// Whether it came from a link.
        from_link: bool,
    },
    /// Verify the current input.
    Verify,
    /// Show an input problem; the outcome is cleared, stored data untouched.
    Problem(InputProblem),
    /// Set the presentation challenge.
    SetChallenge(String),
    /// Set the presentation domain.
    SetDomain(String),
    /// Add a status-list file.
    AddStatusList(String, Value),
    /// Set the anchor receipt file.
    SetReceipt(String, Value),
    /// Set the ledger export file.
    SetLedger(String, String),
    /// The worker's outcome for a request.
    Checked {
        /// The request it answers ([`VerifyState::checking`]).
        request: u64,
        /// The outcome, or why there is none.
        result: Result<Outcome, WorkerProblem>,
    },
    /// Remove every extra file.
    ClearExtras,
    /// Empty everything.
    Clear,
}

impl Reducible for VerifyState {
    type Action = VerifyAction;

    fn reduce(self: Rc<Self>, action: VerifyAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            VerifyAction::SetInput(text) => {
                s.input = text;
                s.from_link = false;
            }
            VerifyAction::Load { text, from_link } => {
                s.input = text;
                s.from_link = from_link;
                s.inputs = s.inputs.wrapping_add(1);
                s.verify();
            }
            VerifyAction::Verify => {
                s.inputs = s.inputs.wrapping_add(1);
                s.verify()
            }
            VerifyAction::Problem(p) => {
                s.problem = Some(p);
                s.outcome = None;
                s.checking = None;
            }
            VerifyAction::SetChallenge(c) => s.extras.challenge = c,
            VerifyAction::SetDomain(d) => s.extras.domain = d,
            VerifyAction::AddStatusList(name, v) => {
                s.extras.status_lists.push((name, v));
                s.reverify();
            }
            VerifyAction::SetReceipt(name, v) => {
                s.extras.receipt = Some((name, v));
                s.reverify();
            }
            VerifyAction::SetLedger(name, text) => {
                s.extras.ledger = Some((name, text));
                s.reverify();
            }
            VerifyAction::Checked { request, result } => {
                // An answer to an older request (the input or files changed
                // since) is dropped.
                if s.checking == Some(request) {
                    s.checking = None;
                    match result {
                        Ok(outcome) => s.outcome = Some(Rc::new(outcome)),
                        Err(WorkerProblem::Failed) => {
                            s.problem = Some(if s.extras.ledger.is_some() {
                                InputProblem::LedgerCheckFailed
                            } else {
                                InputProblem::SignatureCheckFailed
                            })
                        }
                        Err(WorkerProblem::Outdated) => {
                            s.problem = Some(InputProblem::LedgerCheckOutdated)
                        }
                    }
                }
            }
            VerifyAction::ClearExtras => {
                s.extras.status_lists.clear();
                s.extras.receipt = None;
                s.extras.ledger = None;
                s.reverify();
            }
            VerifyAction::Clear => {
                s = VerifyState {
                    requests: s.requests,
                    inputs: s.inputs.wrapping_add(1),
                    ..VerifyState::default()
                }
            }
        }
        Rc::new(s)
    }
}

impl VerifyState {
    fn verify(&mut self) {
        if self.input.trim().is_empty() {
            self.problem = Some(InputProblem::Empty);
            self.outcome = None;
            self.checking = None;
            return;
        }
        self.problem = None;
        // On the page unless a ledger export or a proof only the worker can
        // check (eddsa-rdfc-2022, Ed25519Signature2020) needs the worker.
        if self.extras.ledger.is_none() {
            let outcome = run(&self.input, &self.extras);
            if !needs_rdfc(&outcome.report) {
                self.outcome = Some(Rc::new(outcome));
                self.checking = None;
                return;
            }
        }
        self.outcome = None;
        self.requests = self.requests.saturating_add(1);
        self.checking = Some(self.requests);
    }

    fn reverify(&mut self) {
        if self.outcome.is_some() || self.checking.is_some() {
            self.verify();
        }
    }
}

/// Whether a proof of `report` (or of a credential in it) could not be
/// checked on the page because it is `eddsa-rdfc-2022` or the legacy
/// `Ed25519Signature2020`: the worker, which
/// carries the JSON-LD processor and its bundled contexts, checks those
/// (the pages stay small; the worker loads only when needed).
pub fn needs_rdfc(report: &Value) -> bool {
    match report {
        Value::Object(o) => {
            let unchecked_rdfc = o.get("id").and_then(Value::as_str) == Some("proof")
                && o.get("status").and_then(Value::as_str) == Some("couldnt_check")
                && o.get("detail").is_some_and(|d| {
                    let d = d.to_string();
                    d.contains("\"eddsa-rdfc-2022\"") || d.contains("\"Ed25519Signature2020\"")
                });
            unchecked_rdfc || o.values().any(needs_rdfc)
        }
        Value::Array(items) => items.iter().any(needs_rdfc),
        _ => false,
    }
}

/// How many status lists on the app's own site are fetched without asking;
/// more (a presentation of many certificates) wait for the user's go-ahead.
pub const AUTO_FETCH_LISTS: usize = 4;

/// The `statusListCredential` URLs of a credential (or of every credential
/// in a presentation) whose proof verified, without duplicates: nothing is
/// fetched for a certificate whose signature did not check out, or for a
/// document refused before its credentials were read (`report` has none).
pub fn status_list_urls(doc: &Value, report: &Value) -> Vec<String> {
    let proof_passed = |r: &Value| {
        r.get("checks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|c| {
                c.get("id").and_then(Value::as_str) == Some("proof")
                    && c.get("status").and_then(Value::as_str) == Some("pass")
            })
    };
    let mut urls: Vec<String> = Vec::new();
    let mut add_from = |cred: &Value| {
        let entries = match cred.get("credentialStatus") {
            Some(Value::Array(a)) => a.iter().collect::<Vec<_>>(),
            Some(o @ Value::Object(_)) => vec![o],
            _ => Vec::new(),
        };
        for e in entries {
            if let Some(u) = e.get("statusListCredential").and_then(Value::as_str) {
                if !urls.iter().any(|x| x == u) {
                    urls.push(u.to_owned());
                }
            }
        }
    };
    if is_presentation(doc) {
        let creds: Vec<&Value> = match doc.get("verifiableCredential") {
            Some(Value::Array(a)) => a.iter().collect(),
            Some(c) => vec![c],
            None => Vec::new(),
        };
        let reports = report
            .get("credentials")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        // The report lists the credentials in order, one each.
        for (cred, r) in creds.into_iter().zip(reports) {
            if proof_passed(r) {
                add_from(cred);
            }
        }
    } else if proof_passed(report) {
        add_from(doc);
    }
    urls
}

/// The `vc` parameter of the route's query string (`?vc=…`), if any.
pub fn link_payload(query: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("vc="))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use serde_json::json;

    #[test]
    fn verdict_prefers_failure_then_warning() {
        let ok = json!({"verified": true, "valid": true, "checks": [{"status": "pass"}, {"status": "not_applicable"}]});
        assert_eq!(verdict_of(&ok), Verdict::Valid);
        let warn = json!({"verified": true, "valid": false, "checks": [{"status": "pass"}, {"status": "couldnt_check"}]});
        assert_eq!(verdict_of(&warn), Verdict::Warning);
        let bad = json!({"verified": false, "checks": [{"status": "fail"}, {"status": "not_run"}]});
        assert_eq!(verdict_of(&bad), Verdict::Invalid);
        let vp = json!({"verified": true, "checks": [{"status": "pass"}], "credentials": [{"checks": [{"status": "fail"}]}]});
        assert_eq!(verdict_of(&vp), Verdict::Invalid);
    }

    #[test]
    fn status_list_urls_are_collected_once_for_verified_credentials_only() {
        let doc = json!({"credentialStatus": [
            {"statusListCredential": "https://a.example/list/1"},
            {"statusListCredential": "https://a.example/list/1"},
            {"statusListCredential": "https://b.example/s"}
        ]});
        let passed = json!({"checks": [{"id": "format", "status": "pass"}, {"id": "proof", "status": "pass"}]});
        let failed = json!({"checks": [{"id": "format", "status": "pass"}, {"id": "proof", "status": "fail"}]});
        assert_eq!(
            status_list_urls(&doc, &passed),
            ["https://a.example/list/1", "https://b.example/s"]
        );
        assert!(status_list_urls(&doc, &failed).is_empty());
        let vp = json!({"type": ["VerifiablePresentation"], "verifiableCredential": [
            {"credentialStatus": {"statusListCredential": "https://c.example/x"}},
            {"credentialStatus": {"statusListCredential": "https://d.example/forged"}},
            {"credentialStatus": {"statusListCredential": "https://e.example/unreported"}}
        ]});
        let report = json!({"checks": [], "credentials": [passed, failed]});
        assert_eq!(status_list_urls(&vp, &report), ["https://c.example/x"]);
        // Refused before its credentials were read: nothing to fetch.
        assert!(status_list_urls(&vp, &json!({"checks": []})).is_empty());
        assert!(status_list_urls(&json!({}), &json!({})).is_empty());
    }

    #[test]
    fn link_payload_is_read_from_the_query() {
        assert_eq!(link_payload("?vc=abc_-1").as_deref(), Some("abc_-1"));
        assert_eq!(link_payload("?x=1&vc=zz").as_deref(), Some("zz"));
        assert_eq!(link_payload("?x=1"), None);
        assert_eq!(link_payload(""), None);
    }

    #[test]
    fn certificate_text_accepts_json_and_links() {
        assert_eq!(certificate_text(" {\"a\":1} ").unwrap(), "{\"a\":1}");
        let payload = credentials::share::encode_payload("{\"b\":2}");
        let link = format!("https://x.example/cc/#/verify?vc={payload}");
        assert_eq!(certificate_text(&link).unwrap(), "{\"b\":2}");
        assert_eq!(certificate_text("hello"), Err(InputProblem::BadLink));
        assert_eq!(certificate_text(""), Err(InputProblem::Empty));
    }

    const W3C: &str = include_str!("../../../tests/fixtures/w3c-eddsa-jcs-2022-signed.json");

    #[test]
    fn the_worker_gives_the_report_a_direct_run_gives() {
        let extras = Extras {
            challenge: "c-1".into(),
            domain: String::new(),
            status_lists: vec![("list.json".into(), json!({"id": "urn:x"}))],
            receipt: Some((
                "receipt.json".into(),
                json!({"type": "ChainClassLedgerReceipt"}),
            )),
            ledger: Some(("ledger.json".into(), "not a ledger".into())),
        };
        for input in [W3C, "{\"type\": [\"VerifiablePresentation\"]}", "not json"] {
            let answer = answer_request(&worker_request(input, &extras));
            assert_eq!(
                read_answer(input, &answer),
                Ok(run_with_ledger(input, &extras))
            );
        }
        // The request carries every extra the worker needs.
        assert_eq!(
            read_request(&worker_request(W3C, &extras)),
            Some((W3C.to_owned(), extras))
        );
    }

    /// A well-formed one-credential receipt for the W3C credential (its
    /// anchor is then looked up in the ledger).
    fn receipt() -> Value {
        let doc: Value = serde_json::from_str(W3C).unwrap();
        let target = credentials::anchor::target_hash(&doc).unwrap();
        let root = ledger::MerkleTree::from_leaves(&[target.as_bytes()]).root();
        let zero = "00".repeat(32);
        json!({
            "type": credentials::anchor::RECEIPT_TYPE,
            "version": credentials::anchor::RECEIPT_VERSION,
            "targetHash": target.to_string(), "leafIndex": 0, "leafCount": 1, "path": [],
            "merkleRoot": root.to_string(), "anchorTxId": zero, "label": "4C",
            "blockHash": zero, "blockHeight": 1, "ledgerGenesis": zero,
        })
    }

    #[test]
    fn only_the_worker_imports_the_ledger() {
        let ledger = Extras {
            receipt: Some(("receipt.json".into(), receipt())),
            ledger: Some(("ledger.json".into(), "{\"format\": 1}".into())),
            ..Extras::default()
        };
        let anchor = |o: &Outcome| {
            o.report["checks"]
                .as_array()
                .and_then(|c| c.iter().find(|c| c["id"] == "anchor"))
                .cloned()
        };
        // A refused export is reported by the worker's run…
        let worker = run_with_ledger(W3C, &ledger);
        assert!(
            worker.report.to_string().contains("ledger_invalid"),
            "{:?}",
            anchor(&worker)
        );
        // …and never looked at by the page's.
        let page = run(W3C, &ledger);
        assert!(
            page.report.to_string().contains("ledger_not_provided"),
            "{:?}",
            anchor(&page)
        );
    }

    #[test]
    fn bad_or_outdated_answers_are_problems_not_reports() {
        assert_eq!(read_answer(W3C, "garbage"), Err(WorkerProblem::Failed));
        assert_eq!(
            read_answer(W3C, "{\"protocol\": 0}"),
            Err(WorkerProblem::Outdated)
        );
        assert_eq!(
            read_answer(W3C, &format!("{{\"protocol\": {PROTOCOL}, \"report\": 3}}")),
            Err(WorkerProblem::Failed)
        );
        let refused = answer_request("{\"protocol\": 99}");
        assert_eq!(read_answer(W3C, &refused), Err(WorkerProblem::Failed));
    }

    #[test]
    fn a_ledger_makes_a_request_and_only_its_answer_counts() {
        let s = Rc::new(VerifyState::default())
            .reduce(VerifyAction::SetLedger("l.json".into(), "{}".into()))
            .reduce(VerifyAction::SetInput(W3C.into()))
            .reduce(VerifyAction::Verify);
        assert_eq!((s.checking, s.outcome.is_none()), (Some(1), true));
        let again = s.clone().reduce(VerifyAction::Verify);
        assert_eq!(again.checking, Some(2));
        let outcome = run(W3C, &Extras::default());
        // The answer to the first request is stale.
        let stale = again.clone().reduce(VerifyAction::Checked {
            request: 1,
            result: Ok(outcome.clone()),
        });
        assert_eq!((stale.checking, stale.outcome.is_none()), (Some(2), true));
        let done = again.clone().reduce(VerifyAction::Checked {
            request: 2,
            result: Ok(outcome.clone()),
        });
        assert_eq!(done.checking, None);
        assert_eq!(done.outcome.as_deref(), Some(&outcome));
        let failed = again.reduce(VerifyAction::Checked {
            request: 2,
            result: Err(WorkerProblem::Failed),
        });
        assert_eq!(failed.problem, Some(InputProblem::LedgerCheckFailed));
        assert!(failed.outcome.is_none());
    }

    #[test]
    fn empty_input_is_a_problem_not_a_report() {
        let s = Rc::new(VerifyState::default()).reduce(VerifyAction::Verify);
        assert_eq!(s.problem, Some(InputProblem::Empty));
        assert!(s.outcome.is_none());
    }
}
