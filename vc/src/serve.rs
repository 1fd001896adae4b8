//! `vc serve`: a local VC-API endpoint for the W3C interoperability suites
//! (request/response shapes of `vectors/test-suite-checklist.md` §0).
//!
//! * `POST /credentials/issue` `{"credential", "options"}` → `201
//!   {"verifiableCredential"}`. The issuer is the `--key`'s did:key; a
//!   credential whose `issuer` (or `issuer.id`) is another, that already
//!   has a `proof`, or that is not a conforming VCDM 2.0 or VC 1.1
//!   credential (or Open Badge) is refused with `400` and nothing is signed.
//!   A VC 1.1 credential is signed as drafted, without a status entry (the
//!   status-list vocabulary is VC 2.0's); ChainClass's own issuing (the
//!   desk, `vc issue`) issues VC 2.0 only. `options.created` (a
//!   dateTimeStamp) is used if given, else the current time.
//! * `POST /credentials/verify` `{"verifiableCredential", "options":
//!   {"challenge", "domain"}}` and `POST /presentations/verify`
//!   `{"verifiablePresentation", "options": {"challenge", "domain"}}` →
//!   `{"verified", "checks", "warnings", "errors", "report"}`: `200` when the
//!   document verified and no check failed, else `400` (`couldnt_check`
//!   results are warnings). The status lists and ledger given on the command
//!   line are used.
//! * Anything malformed (not JSON, a missing member, too large, no
//!   `Content-Length`) is a `4xx` with an RFC 9457 problem-details body.
//! * An answer larger than [`response_limit`] ([`MAX_RESPONSE`], or twice
//!   `--max-body` if that is more) is not sent: the client gets `413`
//!   `urn:chainclass:problem:response-too-large` instead (a small request can
//!   ask for a huge report, e.g. a presentation of thousands of empty
//!   credentials).
//!
//! Concurrency: one request per connection. The accept loop only accepts and
//! hands each connection to a bounded queue ([`QUEUE`]) feeding [`WORKERS`]
//! handler threads; it never reads, writes or waits on a client (at most
//! [`HANDOFF_WAIT`] for an idle handler to wake and take from a full
//! queue). When every handler is busy and the queue is full, the
//! connection goes to one rejecting thread that answers
//! `503` with `Retry-After` (and if that thread's own queue is full, the
//! connection is closed unanswered). Every handler's time on one connection
//! is bounded by the deadlines of `http.rs`, so a slow or stalled client
//! holds one handler for seconds and delays nobody else while handlers are
//! free. Loopback only unless `--allow-remote`; `--max-requests N` (tests)
//! stops accepting after N connections were handed to the handlers (`503`s
//! do not count) and returns once those are answered.

use crate::hosted::{self, StatusRefusal};
use crate::http::{self, HttpError, Request, Response};
use credentials::anchor::LedgerInput;
use credentials::did_key::{self, ResolveOptions};
use credentials::json::{self, JsonLimits};
use credentials::report::{Check, CheckStatus};
use credentials::{
    vcdm, Cryptosuite, DidKey, Instant, ProofOptions, SecretKey, StatusPurpose, VerifyOptions,
};
use serde_json::{json, Value};
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// Handler threads: how many clients are served at once.
pub const WORKERS: usize = 16;
/// Accepted connections waiting for a handler; past this, `503`.
pub const QUEUE: usize = 32;
/// Connections waiting for their `503`; past this, closed unanswered.
pub const REJECT_QUEUE: usize = 64;
/// The `Retry-After` of a `503`, in seconds.
pub const RETRY_AFTER_SECS: u32 = 1;
/// The drain after a `503` (short: the rejecting thread serves everyone
/// turned away).
pub const REJECT_LINGER: Duration = Duration::from_millis(200);
/// Largest response body sent (unless twice `--max-body` is more; see
/// [`response_limit`]).
pub const MAX_RESPONSE: usize = 4 * 1024 * 1024;
/// Stack of a handler thread: the main thread's usual 8 MiB, which the
/// handlers replace (verification recurses over nested JSON).
const WORKER_STACK: usize = 8 * 1024 * 1024;
/// Longest the accept loop waits for an idle handler to take from a full
/// queue (a burst can fill it before the idle handlers wake) before it turns
/// the connection away; it does not wait at all when every handler is busy.
pub const HANDOFF_WAIT: Duration = Duration::from_millis(20);
/// Pause after a failed `accept` (e.g. out of file descriptors), so the loop
/// does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(20);

/// What the server needs.
pub struct Config {
    /// Listen address.
    pub listen: SocketAddr,
    /// Whether a non-loopback address is allowed.
    pub allow_remote: bool,
    /// The issuer key.
    pub key: SecretKey,
    /// Largest request body.
    pub max_body: usize,
    /// Stop after this many requests.
    pub max_requests: Option<u64>,
    /// Status-list credentials for verification.
    pub status_lists: Vec<Value>,
    /// The class ledger for anchor checks.
    pub ledger: Option<LedgerInput>,
    /// Host status lists and give every issued credential an entry
    /// (`hosted`); off with `--no-status`.
    pub host_status: bool,
    /// Where the hosted lists are kept (`--status-dir`); in memory without.
    pub status_dir: Option<std::path::PathBuf>,
    /// The URL the server is reached at (`--public-url`), for the lists'
    /// addresses; `http://` + the bound address without.
    pub public_url: Option<String>,
    /// What credentials and lists are signed with, unless an issue request
    /// asks for another (`options.cryptosuite`).
    pub cryptosuite: Cryptosuite,
    /// The hosted lists, opened once the address is known.
    pub status: std::sync::OnceLock<Mutex<hosted::Service>>,
}

fn problem(status: u16, slug: &str, title: &str, detail: &str) -> Response {
    let body = json!({
        "type": format!("urn:chainclass:problem:{slug}"),
        "title": title,
        "status": status,
        "detail": detail,
    });
    Response {
        status,
        content_type: "application/problem+json",
        body: body.to_string().into_bytes(),
        retry_after: None,
    }
}

fn json_response(status: u16, body: &Value) -> Response {
    Response {
        status,
        content_type: "application/json",
        body: body.to_string().into_bytes(),
        retry_after: None,
    }
}

fn from_http_error(e: &HttpError) -> Response {
    problem(e.status, e.slug, http::reason_phrase(e.status), &e.detail)
}

fn now() -> Instant {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Instant::from_unix(i64::try_from(d.as_secs()).unwrap_or(0), d.subsec_nanos())
}

fn controller(v: Option<&Value>) -> Option<&str> {
    match v? {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("id").and_then(Value::as_str),
        _ => None,
    }
}

/// Parses the body as a JSON object, or answers 400/415.
fn body_object(req: &Request, max_body: usize) -> Result<Value, Response> {
    if let Some(ct) = req.header("content-type") {
        let mime = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !(mime == "application/json" || mime.ends_with("+json")) {
            return Err(problem(
                415,
                "unsupported-media-type",
                "Unsupported Media Type",
                "send application/json",
            ));
        }
    }
    let limits = JsonLimits {
        max_bytes: max_body,
        ..JsonLimits::default()
    };
    let v = json::parse_strict_bytes(&req.body, &limits)
        .map_err(|e| problem(400, "malformed-json", "Malformed JSON", &e.to_string()))?;
    if !v.is_object() {
        return Err(problem(
            400,
            "malformed-request",
            "Malformed request",
            "the body must be a JSON object",
        ));
    }
    Ok(v)
}

fn issue(config: &Config, body: &Value) -> Response {
    let bad = |slug: &str, detail: &str| problem(400, slug, "Credential not issued", detail);
    let Some(credential) = body.get("credential") else {
        return bad("missing-credential", "the body has no \"credential\"");
    };
    if !credential.is_object() {
        return bad("malformed-credential", "\"credential\" must be an object");
    }
    if credential.get("proof").is_some() {
        return bad("already-secured", "the credential already has a proof");
    }
    let did = DidKey::from_public_key(config.key.public_key());
    match controller(credential.get("issuer")) {
        Some(issuer) if issuer == did.as_str() => {}
        Some(issuer) => {
            return bad(
                "issuer-mismatch",
                &format!(
                    "issuer {issuer} is not this endpoint's issuer {}",
                    did.as_str()
                ),
            )
        }
        None => {
            return bad(
                "missing-issuer",
                &format!("set issuer (or issuer.id) to {}", did.as_str()),
            )
        }
    }
    let options = body.get("options").cloned().unwrap_or(Value::Null);
    if !(options.is_null() || options.is_object()) {
        return bad("malformed-options", "\"options\" must be an object");
    }
    let created = match options.get("created") {
        None => now().to_rfc3339_seconds(),
        Some(Value::String(c)) if Instant::parse_date_time_stamp(c).is_ok() => c.clone(),
        Some(_) => {
            return bad(
                "malformed-options",
                "options.created must be a dateTimeStamp",
            )
        }
    };
    let cryptosuite = match options.get("cryptosuite") {
        None => config.cryptosuite,
        Some(Value::String(name)) => match Cryptosuite::parse(name) {
            Some(c) => c,
            None => {
                return bad(
                    "unsupported-cryptosuite",
                    "options.cryptosuite must be eddsa-rdfc-2022 or eddsa-jcs-2022",
                )
            }
        },
        Some(_) => return bad("malformed-options", "options.cryptosuite must be a string"),
    };
    let proof = ProofOptions {
        cryptosuite,
        ..ProofOptions::assertion(did.verification_method_id()).with_created(created)
    };
    let mut credential = credential.clone();
    let first_context = match credential.get("@context") {
        Some(Value::Array(items)) => items.first(),
        other => other,
    };
    let vc11 = first_context.and_then(Value::as_str) == Some(vcdm::CONTEXT_V1);
    if let Some(service) = config.status.get().filter(|_| !vc11) {
        if credential.get("credentialStatus").is_none() {
            let purposes = match options.get("credentialStatus") {
                None => vec!["revocation".to_owned()],
                Some(v) => match hosted::purposes_of(Some(v)) {
                    Some(p) if !p.is_empty() => p,
                    _ => {
                        return bad(
                            "malformed-options",
                            "options.credentialStatus must name a statusPurpose",
                        )
                    }
                },
            };
            let id = credential
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let mut entries = Vec::new();
            let mut service = service.lock().unwrap_or_else(PoisonError::into_inner);
            for purpose in purposes {
                let Some(p) = StatusPurpose::parse(&purpose)
                    .filter(|p| matches!(p, StatusPurpose::Revocation | StatusPurpose::Suspension))
                else {
                    return bad(
                        "unsupported-status-purpose",
                        "statusPurpose must be revocation or suspension",
                    );
                };
                match service.allocate(p, id.as_deref(), &config.key, now()) {
                    Ok(entry) => entries.push(entry),
                    Err(e) => return problem(500, "status-list", "Credential not issued", &e.0),
                }
            }
            if let Some(obj) = credential.as_object_mut() {
                obj.insert("credentialStatus".into(), hosted::status_value(entries));
            }
        }
    }
    let signed = credentials::sign_as(
        &credential,
        &config.key,
        &proof,
        &mut credentials::BuiltinRdfc::default(),
        vcdm::Role::SigningService,
    );
    match signed {
        Ok(signed) => json_response(201, &json!({ "verifiableCredential": signed })),
        Err(e) => {
            let body = json!({
                "type": format!("https://w3id.org/security#{}", json!(e.code()).as_str().unwrap_or("")),
                "title": "Credential not issued",
                "status": 400,
                "detail": e.to_string(),
                "errors": [e],
            });
            Response {
                status: 400,
                content_type: "application/problem+json",
                body: body.to_string().into_bytes(),
                retry_after: None,
            }
        }
    }
}

fn verify_options(config: &Config, body: &Value) -> Result<VerifyOptions, Response> {
    let options = body.get("options").cloned().unwrap_or(Value::Null);
    if !(options.is_null() || options.is_object()) {
        return Err(problem(
            400,
            "malformed-options",
            "Malformed request",
            "\"options\" must be an object",
        ));
    }
    let text = |k: &str| -> Result<Option<String>, Response> {
        match options.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(problem(
                400,
                "malformed-options",
                "Malformed request",
                &format!("options.{k} must be a string"),
            )),
        }
    };
    let mut opts = VerifyOptions::at(now());
    opts.challenge = text("challenge")?;
    opts.domain = text("domain")?;
    opts.status.status_list_credentials = config.status_lists.clone();
    if let Some(service) = config.status.get() {
        let service = service.lock().unwrap_or_else(PoisonError::into_inner);
        opts.status
            .status_list_credentials
            .extend(service.signed_lists());
    }
    opts.anchor.ledger = config.ledger.clone();
    Ok(opts)
}

fn summarise(checks: &[Check], report: Value, verified: bool) -> Response {
    let mut passed = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for c in checks {
        let entry = || {
            let mut e = json!(c);
            if let (Some(code), Some(o)) = (c.code, e.as_object_mut()) {
                o.insert(
                    "type".into(),
                    format!(
                        "https://w3id.org/security#{}",
                        json!(code).as_str().unwrap_or("")
                    )
                    .into(),
                );
            }
            e
        };
        match c.status {
            CheckStatus::Pass => passed.push(json!(c.id)),
            CheckStatus::Fail => errors.push(entry()),
            CheckStatus::CouldntCheck => warnings.push(entry()),
            CheckStatus::NotRun | CheckStatus::NotApplicable => {}
        }
    }
    let ok = verified && errors.is_empty();
    json_response(
        if ok { 200 } else { 400 },
        &json!({
            "verified": ok,
            "checks": passed,
            "warnings": warnings,
            "errors": errors,
            "report": report,
        }),
    )
}

fn verify_credential(config: &Config, body: &Value) -> Response {
    let Some(vc) = body.get("verifiableCredential") else {
        return problem(
            400,
            "missing-credential",
            "Malformed request",
            "the body has no \"verifiableCredential\"",
        );
    };
    let opts = match verify_options(config, body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    if vcdm::is_presentation(vc) {
        return problem(
            400,
            "not-a-credential",
            "Malformed request",
            "use /presentations/verify for presentations",
        );
    }
    let r = credentials::verify_credential_value(vc, &opts);
    summarise(&r.checks, r.to_json(), r.verified)
}

fn verify_presentation(config: &Config, body: &Value) -> Response {
    let Some(vp) = body.get("verifiablePresentation") else {
        return problem(
            400,
            "missing-presentation",
            "Malformed request",
            "the body has no \"verifiablePresentation\"",
        );
    };
    let opts = match verify_options(config, body) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let r = credentials::verify_presentation_value(vp, &opts);
    // Inner credentials' failures count too.
    let mut checks = r.checks.clone();
    for inner in &r.credentials {
        checks.extend(inner.checks.iter().cloned());
    }
    summarise(&checks, r.to_json(), r.verified)
}

/// `GET /1.0/identifiers/{did or DID URL}`: did:key resolution (the DID
/// Resolution HTTP(S) binding, as the did:key test suite calls it), offline.
/// Options come from the query: `publicKeyFormat`,
/// `enableExperimentalPublicKeyTypes`, `enableEncryptionKeyDerivation`.
fn resolve_did(req: &Request, encoded: &str) -> Response {
    let Some(input) = http::percent_decode(encoded, false) else {
        return problem(
            400,
            "malformed-request",
            "Bad Request",
            "bad percent-encoding",
        );
    };
    let mut options = ResolveOptions::default();
    for (name, value) in http::query_pairs(req.query.as_deref()) {
        match name.as_str() {
            "publicKeyFormat" => options.public_key_format = value,
            "enableExperimentalPublicKeyTypes" => {
                options.enable_experimental_public_key_types = value == "true"
            }
            "enableEncryptionKeyDerivation" => {
                options.enable_encryption_key_derivation = value != "false"
            }
            _ => {}
        }
    }
    let answer = did_key::resolve_http(&input, &options);
    Response {
        status: answer.status,
        content_type: did_key::RESOLUTION_MEDIA_TYPE,
        body: answer.body.to_string().into_bytes(),
        retry_after: None,
    }
}

/// `POST /credentials/status` (VC-API update status): `{"credentialId",
/// "credentialStatus": {"statusPurpose", "status"?}}` (or a list of them);
/// `status` true (the default) revokes or suspends, false lifts a
/// suspension.
fn update_status(config: &Config, body: &Value) -> Response {
    let bad = |slug: &str, detail: &str| problem(400, slug, "Status not changed", detail);
    let Some(service) = config.status.get() else {
        return problem(
            404,
            "not-found",
            "Not Found",
            "status lists are off (--no-status)",
        );
    };
    let Some(id) = body.get("credentialId").and_then(Value::as_str) else {
        return bad("missing-credential-id", "the body has no \"credentialId\"");
    };
    let items: Vec<&Value> = match body.get("credentialStatus") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => {
            return bad(
                "missing-credential-status",
                "the body has no \"credentialStatus\"",
            )
        }
    };
    let mut service = service.lock().unwrap_or_else(PoisonError::into_inner);
    for item in items {
        let Some(purpose) = item.get("statusPurpose").and_then(Value::as_str) else {
            return bad(
                "missing-status-purpose",
                "credentialStatus needs a statusPurpose",
            );
        };
        let on = match item.get("status") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s == "1" || s == "true" => true,
            Some(Value::String(s)) if s == "0" || s == "false" => false,
            Some(_) => return bad("malformed-status", "status must be true or false"),
        };
        match service.set(id, purpose, on, &config.key, now()) {
            Ok(Ok(())) => {}
            Ok(Err(StatusRefusal::UnknownCredential)) => {
                return problem(
                    404,
                    "unknown-credential",
                    "Status not changed",
                    "no credential with that id was issued here",
                )
            }
            Ok(Err(StatusRefusal::RevocationIsPermanent)) => {
                return bad("revocation-is-permanent", "a revocation cannot be undone")
            }
            Ok(Err(StatusRefusal::NoEntry)) => {
                return bad(
                    "no-entry",
                    "the credential has no entry of that statusPurpose",
                )
            }
            Ok(Err(_)) => {
                return bad(
                    "unsupported-status-purpose",
                    "statusPurpose must be revocation or suspension",
                )
            }
            Err(e) => return problem(500, "status-list", "Status not changed", &e.0),
        }
    }
    json_response(200, &json!({ "credentialId": id }))
}

/// `GET /status/{name}` (the signed list) and `POST /status/{name}/publish`.
fn status_list(config: &Config, req: &Request) -> Response {
    let Some(service) = config.status.get() else {
        return problem(404, "not-found", "Not Found", "no such endpoint");
    };
    let mut service = service.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(path) = req.path.strip_suffix("/publish") {
        if req.method != "POST" {
            return problem(405, "method-not-allowed", "Method Not Allowed", "use POST");
        }
        return match service.publish(path, &config.key, now()) {
            Ok(Ok(())) => Response {
                status: 204,
                content_type: "application/json",
                body: Vec::new(),
                retry_after: None,
            },
            Ok(Err(_)) => problem(404, "not-found", "Not Found", "no such status list"),
            Err(e) => problem(500, "status-list", "Not published", &e.0),
        };
    }
    if req.method != "GET" {
        return problem(405, "method-not-allowed", "Method Not Allowed", "use GET");
    }
    match service.list_at(&req.path, &config.key, now()) {
        Ok(Some(list)) => Response {
            status: 200,
            content_type: "application/vc+ld+json",
            body: list.to_string().into_bytes(),
            retry_after: None,
        },
        Ok(None) => problem(404, "not-found", "Not Found", "no such status list"),
        Err(e) => problem(500, "status-list", "Not available", &e.0),
    }
}

/// Answers one parsed request.
pub fn route(config: &Config, req: &Request) -> Response {
    if req.path.starts_with("/status/") {
        return status_list(config, req);
    }
    if let Some(encoded) = req.path.strip_prefix("/1.0/identifiers/") {
        if req.method != "GET" {
            return problem(405, "method-not-allowed", "Method Not Allowed", "use GET");
        }
        return resolve_did(req, encoded);
    }
    let handler: fn(&Config, &Value) -> Response = match req.path.as_str() {
        "/credentials/issue" => issue,
        "/credentials/verify" => verify_credential,
        "/presentations/verify" => verify_presentation,
        "/credentials/status" => update_status,
        _ => {
            return problem(404, "not-found", "Not Found", "no such endpoint");
        }
    };
    if req.method != "POST" {
        return problem(405, "method-not-allowed", "Method Not Allowed", "use POST");
    }
    match body_object(req, config.max_body) {
        Ok(body) => handler(config, &body),
        Err(r) => r,
    }
}

/// The largest response body `vc serve` sends: [`MAX_RESPONSE`], or twice
/// the largest request body if that is more (an issued credential is about
/// as large as the request that asked for it).
pub fn response_limit(max_body: usize) -> usize {
    MAX_RESPONSE.max(max_body.saturating_mul(2))
}

/// `response`, or a `413` problem if its body is over `limit`.
fn capped(response: Response, limit: usize) -> Response {
    if response.body.len() <= limit {
        return response;
    }
    problem(
        413,
        "response-too-large",
        "Content Too Large",
        &format!(
            "the answer would be {} bytes; at most {limit} are sent (send fewer credentials)",
            response.body.len()
        ),
    )
}

fn internal_error() -> Response {
    problem(
        500,
        "internal-error",
        "Internal Server Error",
        "the request failed",
    )
}

/// Reads, answers and closes one connection (on a handler thread).
fn serve_connection(config: &Config, mut stream: TcpStream) {
    let response = match http::read_request(&mut stream, config.max_body) {
        Ok(req) => catch_unwind(AssertUnwindSafe(|| route(config, &req)))
            .unwrap_or_else(|_| internal_error()),
        Err(e) => from_http_error(&e),
    };
    let response = capped(response, response_limit(config.max_body));
    let _ = http::write_response(&mut stream, &response, http::LINGER);
}

/// The work queue's receiving end, shared by the handlers, and how many of
/// them are waiting on it.
struct Queue {
    receiver: Mutex<Receiver<TcpStream>>,
    idle: AtomicUsize,
}

/// A handler thread: serves connections from the queue until it is closed.
fn worker(config: &Config, queue: &Queue) {
    loop {
        queue.idle.fetch_add(1, Ordering::SeqCst);
        // The lock is held only while waiting for the next connection.
        let next = queue
            .receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        queue.idle.fetch_sub(1, Ordering::SeqCst);
        let Ok(stream) = next else { return };
        // A panic costs one connection (closed unanswered), not the thread.
        let _ = catch_unwind(AssertUnwindSafe(|| serve_connection(config, stream)));
    }
}

/// The rejecting thread: answers `503` to connections no handler could take.
fn rejecter(queue: Receiver<TcpStream>) {
    let mut busy = problem(
        503,
        "overloaded",
        "Service Unavailable",
        "every handler is busy; try again shortly",
    );
    busy.retry_after = Some(RETRY_AFTER_SECS);
    for mut stream in queue {
        let _ = catch_unwind(AssertUnwindSafe(|| {
            http::write_response(&mut stream, &busy, REJECT_LINGER)
        }));
    }
}

/// Accepts connections and hands them out, never touching a client itself,
/// until `max_requests` connections went to the handlers. Returns when the
/// handlers are gone too (an error) or the limit is reached; dropping the
/// listener then refuses further connections.
fn accept_loop(
    listener: TcpListener,
    max_requests: Option<u64>,
    work: SyncSender<TcpStream>,
    idle: &AtomicUsize,
    reject: SyncSender<TcpStream>,
) -> Result<(), String> {
    let mut dispatched = 0u64;
    while max_requests.is_none_or(|max| dispatched < max) {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(_) => {
                std::thread::sleep(ACCEPT_BACKOFF);
                continue;
            }
        };
        match hand_off(&work, idle, stream) {
            Ok(()) => dispatched += 1,
            // If the rejecting thread is behind too, dropping closes it.
            Err(TrySendError::Full(stream)) => drop(reject.try_send(stream)),
            Err(TrySendError::Disconnected(_)) => {
                return Err("the request handlers stopped".into());
            }
        }
    }
    Ok(())
}

/// Queues `stream` for a handler. A full queue is retried for at most
/// [`HANDOFF_WAIT`], and only while some handler is idle (about to take from
/// it); with every handler busy it fails at once.
fn hand_off(
    work: &SyncSender<TcpStream>,
    idle: &AtomicUsize,
    stream: TcpStream,
) -> Result<(), TrySendError<TcpStream>> {
    let give_up = std::time::Instant::now() + HANDOFF_WAIT;
    let mut stream = stream;
    loop {
        match work.try_send(stream) {
            Err(TrySendError::Full(s))
                if idle.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < give_up =>
            {
                stream = s;
                std::thread::sleep(Duration::from_millis(1));
            }
            other => return other,
        }
    }
}

/// Runs the server until `max_requests` (or forever).
pub fn run(config: &Config) -> Result<(), String> {
    if !config.listen.ip().is_loopback() && !config.allow_remote {
        return Err(format!(
            "{} is not a loopback address: add --allow-remote to listen on it",
            config.listen
        ));
    }
    let listener = TcpListener::bind(config.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot read the local address: {e}"))?;
    if config.host_status {
        let base = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{local}"));
        let mut service =
            hosted::Service::open(&base, config.status_dir.as_deref()).map_err(|e| e.0)?;
        service.cryptosuite = config.cryptosuite;
        let _ = config.status.set(Mutex::new(service));
    }
    let (work, work_queue) = mpsc::sync_channel::<TcpStream>(QUEUE);
    let (reject, reject_queue) = mpsc::sync_channel::<TcpStream>(REJECT_QUEUE);
    let work_queue = Queue {
        receiver: Mutex::new(work_queue),
        idle: AtomicUsize::new(0),
    };
    // Scoped threads borrow the config; the scope ends when the accept loop
    // has returned (dropping both senders) and every thread has finished
    // the connections it was given.
    std::thread::scope(|s| {
        for i in 0..WORKERS {
            let work_queue = &work_queue;
            std::thread::Builder::new()
                .name(format!("vc-serve-{i}"))
                .stack_size(WORKER_STACK)
                .spawn_scoped(s, move || worker(config, work_queue))
                .map_err(|e| format!("cannot start a request handler: {e}"))?;
        }
        std::thread::Builder::new()
            .name("vc-serve-reject".into())
            .spawn_scoped(s, move || rejecter(reject_queue))
            .map_err(|e| format!("cannot start a request handler: {e}"))?;
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "vc serve: listening on http://{local}");
            let _ = out.flush();
        }
        accept_loop(
            listener,
            config.max_requests,
            work,
            &work_queue.idle,
            reject,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_over_the_limit_become_413() {
        assert_eq!(response_limit(1024), MAX_RESPONSE);
        assert_eq!(response_limit(10 << 20), 20 << 20);
        assert_eq!(response_limit(usize::MAX), usize::MAX);
        let answer = |n: usize| json_response(200, &Value::String("x".repeat(n)));
        let small = capped(answer(10), 100);
        assert_eq!(small.status, 200);
        let big = capped(answer(200), 100);
        assert_eq!(
            (big.status, big.content_type),
            (413, "application/problem+json")
        );
        let problem: Value = serde_json::from_slice(&big.body).unwrap_or(Value::Null);
        assert_eq!(problem["type"], "urn:chainclass:problem:response-too-large");
        assert!(big.body.len() <= 300);
    }
}
