//! A verification report on screen: the overall verdict, then every check in
//! order with a status word and icon (never colour alone), a plain sentence in
//! the user's language, expandable technical detail, and for failures a link
//! to the lesson that explains them. Shared by the verifier, the wallet and the
//! teacher's desk. Wording is keyed on the report's stable `id`, `status` and
//! `detail.reason`; the `credentials` crate supplies no prose.

use crate::i18n::verify::VerifyTr;
use crate::route::Route;
use crate::state::settings::use_tr;
use crate::state::verify::{verdict_of, Verdict};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;
use yew_router::prelude::*;

/// How many of a presentation's credentials are shown before "Show all".
pub const FIRST_SHOWN: usize = 5;

/// Properties of [`Report`].
#[derive(Properties, PartialEq)]
pub struct ReportProps {
    /// The report JSON (`{verified, valid, checks, credentials?}`).
    pub report: Rc<Value>,
    /// Whether it is a presentation's report.
    #[prop_or_default]
    pub presentation: bool,
    /// Whether to lead with the verdict (off where the page leads with its
    /// own headline, `super::answer::Headline`).
    #[prop_or(true)]
    pub verdict: bool,
}

/// The verdict and the list of checks.
#[component]
pub fn Report(props: &ReportProps) -> Html {
    let t = use_tr();
    let v = t.verify();
    let verdict = verdict_of(&props.report);
    let (title, body) = match verdict {
        Verdict::Valid => (v.verdict_valid, v.verdict_valid_body),
        Verdict::Warning => (v.verdict_warning, v.verdict_warning_body),
        Verdict::Invalid => (v.verdict_invalid, v.verdict_invalid_body),
    };
    let inner = props
        .report
        .get("credentials")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let show_all = use_state(|| false);
    let shown = if *show_all { inner.len() } else { FIRST_SHOWN };
    let count = inner.len();
    html! {
        <div class="report" data-testid="report">
            if props.verdict {
                <div class={classes!("verdict", verdict.id())} data-verdict={verdict.id()} role="status">
                    <span class="verdict-icon" aria-hidden="true">{ verdict.icon() }</span>
                    <div>
                        <strong class="verdict-title">{ title }</strong>
                        <p>{ body }</p>
                    </div>
                </div>
            }
            if props.presentation {
                <h3>{ v.presentation_heading }</h3>
            }
            <Checks report={props.report.clone()} />
            if !inner.is_empty() {
                <h3>{ v.credentials_inside }</h3>
                { for inner.into_iter().take(shown).enumerate().map(|(i, r)| html! {
                    <div class="inner-report" data-inner-credential={i.to_string()}>
                        <Checks report={Rc::new(r)} />
                    </div>
                }) }
                if count > shown {
                    <button type="button" class="secondary" data-testid="show-all-reports"
                        onclick={{ let show_all = show_all.clone(); Callback::from(move |_| show_all.set(true)) }}>
                        { v.show_all_credentials.replace("{n}", &count.to_string()) }
                    </button>
                }
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ChecksProps {
    report: Rc<Value>,
}

#[component]
fn Checks(props: &ChecksProps) -> Html {
    let t = use_tr();
    let checks = props
        .report
        .get("checks")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    html! {
        <ol class="checks">
            { for checks.iter().map(|c| check_row(t.verify(), c)) }
        </ol>
    }
}

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn check_row(v: &'static VerifyTr, check: &Value) -> Html {
    let id = str_at(check, "id").to_owned();
    let status = str_at(check, "status").to_owned();
    let (word, icon) = match status.as_str() {
        "pass" => (v.st_pass, "✓"),
        "fail" => (v.st_fail, "✗"),
        "couldnt_check" => (v.st_couldnt_check, "?"),
        "not_run" => (v.st_not_run, "–"),
        _ => (v.st_not_applicable, "○"),
    };
    let (sentence, bullets) = explain(v, &id, &status, check);
    let code = check.get("code").and_then(Value::as_str).map(str::to_owned);
    let detail = check
        .get("detail")
        .filter(|d| !d.is_null())
        .map(|d| serde_json::to_string_pretty(d).unwrap_or_default());
    let lessons = lesson_links(v, &id, &status);
    html! {
        <li class={classes!("check", status.clone())} data-check-id={id.clone()} data-check-status={status.clone()}>
            <div class="check-head">
                <span class={classes!("status", status.clone())}>
                    <span aria-hidden="true">{ icon }</span>{ " " }{ word }
                </span>
                <strong>{ check_name(v, &id) }</strong>
            </div>
            <p class="check-text">{ sentence }</p>
            if !bullets.is_empty() {
                <ul class="check-bullets">{ for bullets.iter().map(|b| html! { <li><code>{ b }</code></li> }) }</ul>
            }
            if !lessons.is_empty() {
                <p class="check-lessons">
                    { for lessons.into_iter().map(|(route, text)| html! {
                        <Link<Route> to={route} classes="lesson-link">{ "→ " }{ text }</Link<Route>>
                    }) }
                </p>
            }
            if code.is_some() || detail.is_some() {
                <details class="check-detail">
                    <summary>{ v.technical_detail }</summary>
                    if let Some(code) = code {
                        <p>{ v.error_code }{ ": " }<code>{ code }</code></p>
                    }
                    if let Some(detail) = detail {
                        <pre>{ detail }</pre>
                    }
                </details>
            }
        </li>
    }
}

/// The display name of a check id.
pub fn check_name(v: &'static VerifyTr, id: &str) -> &'static str {
    match id {
        "format" => v.chk_format,
        "proof" => v.chk_proof,
        "issuer_key" => v.chk_issuer_key,
        "holder_key" => v.chk_holder_key,
        "status" => v.chk_status,
        "validity" => v.chk_validity,
        "profile" => v.chk_profile,
        "anchor" => v.chk_anchor,
        _ => "?",
    }
}

fn reason(check: &Value) -> &str {
    check
        .get("detail")
        .and_then(|d| d.get("reason"))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// A violation or problem as a short technical line: `reason (path)`.
fn violation_line(x: &Value) -> String {
    let reason = str_at(x, "reason").replace('_', " ");
    let mut extra = Vec::new();
    for key in [
        "path", "property", "term", "expected", "found", "value", "name",
    ] {
        if let Some(val) = x.get(key) {
            if !val.is_null() {
                let shown = match val {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let shown: String = shown.chars().take(120).collect();
                extra.push(format!("{key}: {shown}"));
            }
        }
    }
    if extra.is_empty() {
        reason
    } else {
        format!("{reason} ({})", extra.join(", "))
    }
}

fn explain(v: &'static VerifyTr, id: &str, status: &str, check: &Value) -> (String, Vec<String>) {
    let r = reason(check);
    let code = str_at(check, "code");
    let detail = check.get("detail").cloned().unwrap_or(Value::Null);
    let violations = |key: &str| -> Vec<String> {
        let mut lines: Vec<String> = detail
            .get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().map(violation_line).collect())
            .unwrap_or_default();
        // The report lists the first few; it counts the rest.
        if let Some(n) = detail.get("omitted").and_then(Value::as_u64) {
            lines.push(v.more_violations.replace("{n}", &n.to_string()));
        }
        lines
    };
    let one = |s: &str| (s.to_owned(), Vec::new());
    if status == "not_run" {
        return one(v.not_run);
    }
    match (id, status) {
        ("format", "pass") => one(v.format_pass),
        ("format", _) if r == "over_budget" => {
            let n = |k: &str| {
                detail
                    .get(k)
                    .and_then(Value::as_u64)
                    .unwrap_or(0)
                    .to_string()
            };
            let what = match str_at(&detail, "budget") {
                "proofs" => v.budget_proofs,
                "previous_proofs" => v.budget_previous_proofs,
                "credentials" => v.budget_credentials,
                "status_entries" => v.budget_status_entries,
                "status_lists" => v.budget_status_lists,
                _ => v.budget_related_resources,
            };
            one(&v
                .over_budget
                .replace("{what}", what)
                .replace("{found}", &n("found"))
                .replace("{limit}", &n("limit")))
        }
        ("format", _) if r == "unsafe_integer" => (
            v.format_unsafe_integer.to_owned(),
            vec![violation_line(&detail)],
        ),
        ("format", _) if code == "PARSING_ERROR" || !r.is_empty() && r != "not_conforming" => {
            let line = if detail.is_null() {
                Vec::new()
            } else {
                vec![violation_line(&detail)]
            };
            (v.format_parse_fail.to_owned(), line)
        }
        ("format", _) => (v.format_malformed.to_owned(), violations("violations")),
        ("proof", "pass") => (
            v.proof_pass.to_owned(),
            // Each signature method, with what its canonicalisation does.
            detail
                .get("cryptosuites")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|suite| {
                    let how = match suite {
                        "eddsa-rdfc-2022" | "Ed25519Signature2020" => v.canon_rdf,
                        "eddsa-jcs-2022" => v.canon_jcs,
                        _ => "",
                    };
                    format!("{suite}: {how}")
                        .trim_end_matches([':', ' '])
                        .to_owned()
                })
                .collect(),
        ),
        ("proof", "couldnt_check") if r == "unknown_context" => one(&v
            .proof_unknown_context
            .replace("{url}", find_str(&detail, "url").unwrap_or("?"))),
        ("proof", "couldnt_check") => (
            v.proof_unsupported.to_owned(),
            vec![violation_line(&detail)],
        ),
        ("proof", _) if code == "CRYPTOGRAPHIC_SECURITY_ERROR" || r == "signature_mismatch" => {
            one(v.proof_crypto_fail)
        }
        ("proof", _) if r == "expired" => (
            v.validity_proof_expired.to_owned(),
            vec![violation_line(&detail)],
        ),
        ("proof", _) => (v.proof_problem.to_owned(), vec![violation_line(&detail)]),
        ("issuer_key", "pass") => one(v.key_pass),
        ("issuer_key", "fail") => one(v.key_fail),
        ("issuer_key", _) => one(v.key_couldnt),
        ("holder_key", "pass") => one(v.holder_key_pass),
        ("holder_key", "fail") => one(v.holder_key_fail),
        ("holder_key", _) => one(v.holder_key_couldnt),
        ("status", "pass") => one(v.status_pass),
        ("status", "fail") if r.contains("revoked") => one(v.status_revoked),
        ("status", "fail") if r.contains("suspended") => one(v.status_suspended),
        ("status", "fail") => (v.status_fail.to_owned(), vec![violation_line(&detail)]),
        ("status", "couldnt_check") => one(v.status_couldnt),
        ("status", _) => one(v.status_na),
        ("validity", "pass") => one(v.validity_pass),
        ("validity", "fail") => {
            let s = match r {
                "expired" => v.validity_expired,
                "not_yet_valid" => v.validity_not_yet,
                _ => v.validity_fail,
            };
            (s.to_owned(), vec![violation_line(&detail)])
        }
        ("validity", _) => one(v.validity_couldnt),
        ("profile", "pass") => one(v.profile_pass),
        ("profile", "fail") => (v.profile_fail.to_owned(), violations("violations")),
        ("profile", _) => one(v.profile_na),
        ("anchor", "pass") => one(v.anchor_pass),
        ("anchor", "fail") => one(v.anchor_fail),
        ("anchor", "couldnt_check") => one(v.anchor_couldnt),
        ("anchor", _) => one(v.anchor_na),
        _ => (String::new(), Vec::new()),
    }
}

fn lesson(slug: &str) -> Route {
    Route::Lesson {
        lesson: slug.to_owned(),
    }
}

fn lesson_links(v: &'static VerifyTr, id: &str, status: &str) -> Vec<(Route, &'static str)> {
    if status != "fail" {
        return Vec::new();
    }
    match id {
        "proof" | "issuer_key" | "holder_key" => vec![
            (lesson("keys"), v.learn_signature),
            (lesson("chain"), v.learn_tamper),
        ],
        "anchor" => vec![(lesson("merkle"), v.learn_merkle)],
        _ => Vec::new(),
    }
}

/// The first string under `key` anywhere in `v`.
fn find_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    match v {
        Value::Object(o) => o
            .get(key)
            .and_then(Value::as_str)
            .or_else(|| o.values().find_map(|x| find_str(x, key))),
        Value::Array(a) => a.iter().find_map(|x| find_str(x, key)),
        _ => None,
    }
}
