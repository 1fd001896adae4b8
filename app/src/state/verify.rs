//! The verifier's state: what the user gave (text, options, extra files) and
//! the outcome of verifying it with the `credentials` crate.

use crate::platform::clock;
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

/// Verifies `input` (a credential or a presentation) at the current time.
pub fn run(input: &str, extras: &Extras) -> Outcome {
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
    opts.anchor.ledger = extras
        .ledger
        .as_ref()
        .map(|(_, text)| credentials::anchor::LedgerInput::Export(text.as_str().into()));
    run_with(input, &opts)
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
    /// An extra file (status list, receipt) that is not JSON.
    NotJsonFile,
    /// A scanned QR code that holds neither JSON nor a verify link.
    NotACredentialQr,
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
    credentials::share::decode_payload(&payload).map_err(|_| InputProblem::BadLink)
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
                s.verify();
            }
            VerifyAction::Verify => s.verify(),
            VerifyAction::Problem(p) => {
                s.problem = Some(p);
                s.outcome = None;
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
            VerifyAction::ClearExtras => {
                s.extras.status_lists.clear();
                s.extras.receipt = None;
                s.extras.ledger = None;
                s.reverify();
            }
            VerifyAction::Clear => s = VerifyState::default(),
        }
        Rc::new(s)
    }
}

impl VerifyState {
    fn verify(&mut self) {
        if self.input.trim().is_empty() {
            self.problem = Some(InputProblem::Empty);
            self.outcome = None;
            return;
        }
        self.problem = None;
        self.outcome = Some(Rc::new(run(&self.input, &self.extras)));
    }

    fn reverify(&mut self) {
        if self.outcome.is_some() {
            self.verify();
        }
    }
}

/// The `statusListCredential` URLs a credential (or every credential in a
/// presentation) points at, without duplicates.
pub fn status_list_urls(doc: &Value) -> Vec<String> {
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
        match doc.get("verifiableCredential") {
            Some(Value::Array(a)) => a.iter().for_each(&mut add_from),
            Some(c) => add_from(c),
            None => {}
        }
    } else {
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
    fn status_list_urls_are_collected_once() {
        let doc = json!({"credentialStatus": [
            {"statusListCredential": "https://a.example/list/1"},
            {"statusListCredential": "https://a.example/list/1"},
            {"statusListCredential": "https://b.example/s"}
        ]});
        assert_eq!(
            status_list_urls(&doc),
            ["https://a.example/list/1", "https://b.example/s"]
        );
        let vp = json!({"type": ["VerifiablePresentation"], "verifiableCredential": [
            {"credentialStatus": {"statusListCredential": "https://c.example/x"}}
        ]});
        assert_eq!(status_list_urls(&vp), ["https://c.example/x"]);
        assert!(status_list_urls(&json!({})).is_empty());
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

    #[test]
    fn empty_input_is_a_problem_not_a_report() {
        let s = Rc::new(VerifyState::default()).reduce(VerifyAction::Verify);
        assert_eq!(s.problem, Some(InputProblem::Empty));
        assert!(s.outcome.is_none());
    }
}
