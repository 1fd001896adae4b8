//! The `vc` command-line tool (thin shell over the `credentials` crate):
//! `keygen`, `did`, `sign`, `verify`, batch `issue`, `status-list` and the
//! local VC-API endpoint `serve`.
//!
//! Exit codes: `verify` exits 0 when the document is valid, 1 when it is not
//! (a file that is not JSON is a verification failure with a report), 2 on a
//! usage or I/O error. `sign` exits 0 with the signed document on stdout, 1
//! when the document is refused (the reason as JSON on stderr), 2 on a usage
//! or I/O error. `issue` exits 1 if any roster row was bad. Nothing here
//! panics on input: every error becomes a message and an exit code.

mod hosted;
mod http;
mod issue;
mod serve;
mod status;

use credentials::anchor::LedgerInput;
use credentials::did_key::{DidKey, ResolveOptions};
use credentials::json::{self, JsonLimits};
use credentials::{vcdm, Instant, ProofOptions, PublicKey, SecretKey, VerifyOptions};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "\
vc — ChainClass verifiable credentials (eddsa-rdfc-2022, eddsa-jcs-2022, did:key)

USAGE:
  vc keygen
      Print a new Ed25519 Multikey key file (did:key) as JSON.
  vc did <key-file | did:key:… | z6Mk…> [--format <Multikey|Ed25519VerificationKey2020|JsonWebKey2020>]
         [--no-key-agreement]
      Print the did:key DID document.
  vc sign <document.json | -> --key <key-file> [--verification-method <vm>]
          [--created <dateTimeStamp>] [--expires <dateTimeStamp>]
          [--challenge <c> --domain <d>] [--proof-purpose <purpose>]
          [--proof-id <url>] [--previous-proof <id>]...
          [--cryptosuite eddsa-rdfc-2022|eddsa-jcs-2022]
      Check the document (VCDM 2.0, Open Badges 3.0) and print it with an
      eddsa-rdfc-2022 proof added (JSON-LD with the bundled contexts, then
      RDFC-1.0: what the DCC verifier and the Learner Credential Wallet
      accept), or with --cryptosuite eddsa-jcs-2022 an eddsa-jcs-2022 one. The key file holds secretKeyMultibase or
      privateKeyMultibase (32- or 64-byte form). The verification method
      defaults to the key's did:key#key, created to now, the purpose to
      authentication for presentations (or with --challenge) and to
      assertionMethod otherwise.
  vc verify <document.json | -> [--now <dateTimeStamp>] [--challenge <c>] [--domain <d>]
            [--status-list <list.json>]... [--ledger <chain.json>] [--receipt <receipt.json>]
            [--require-anchor]
      Verify a credential or presentation and print the report as JSON:
      {\"verified\", \"valid\", \"checks\": [{\"id\", \"status\", \"code\", \"detail\"}]}
      (presentations add \"credentials\"). --now defaults to the system clock.
      Status lists (BitstringStatusListCredentials) are matched by id; the
      receipt is checked against the ledger export.
  vc issue --template <key> --roster <roster.csv> --key <key-file> --out <dir>
           [--ledger <chain.json>] [--label <text>] [--issuer-name <name>]
           [--issuer-url <url>] [--valid-from <ts>] [--valid-until <ts>] [--created <ts>]
           [--lang bilingual|en|zh-hant] [--status-list <state.json>] [--difficulty <bits>]
           [--include-name] [--cryptosuite eddsa-rdfc-2022|eddsa-jcs-2022]
      Issue one signed Open Badge per good roster row (templates:
      it-innovation-lab, stem-internship, knowing-more-about-it, custom) into
      <dir>/row-<line>.json, the bad rows into <dir>/errors.json, a summary
      into <dir>/batch.json. With --ledger, anchor the batch's Merkle root in
      a new block of the class ledger (created if missing) and write
      <dir>/row-<line>.receipt.json. With --status-list, give each credential
      an entry in that list. The roster needs a name column and an e-mail,
      student number or DID column (English or Chinese headers). E-mail
      addresses and student numbers are hashed; --include-name also writes
      the student's name (unhashed) for printed certificates.
  vc status-list create --purpose revocation|suspension --id <url> --key <key-file>
                        --state <state.json> --out <list.json> [--entries <n>]
                        [--valid-from <ts>] [--valid-until <ts>] [--force]
                        [--cryptosuite eddsa-rdfc-2022|eddsa-jcs-2022]
  vc status-list revoke|suspend|reinstate --state <state.json> --key <key-file>
                        --out <list.json> (--index <n> | --credential <vc.json>)
                        [--valid-from <ts>] [--valid-until <ts>]
      Keep a Bitstring Status List (the state file is private: it records the
      indexes given out) and write the signed list credential to publish at
      <url>. Revocation is permanent; suspension can be reinstated.
  vc serve --key <key-file> [--listen 127.0.0.1:8787] [--allow-remote]
           [--max-body <bytes>] [--max-requests <n>] [--status-list <list.json>]...
           [--ledger <chain.json>] [--status-dir <dir>] [--public-url <url>]
           [--no-status] [--cryptosuite eddsa-rdfc-2022|eddsa-jcs-2022]
      A local VC-API endpoint for the W3C test suites: POST /credentials/issue,
      /credentials/verify, /presentations/verify, /credentials/status (revoke,
      suspend, reinstate by credentialId), GET /status/<list> (the signed
      list credentials it hosts; POST .../publish re-signs), and did:key
      resolution at GET /1.0/identifiers/<did>. Every issued credential gets
      a revocation entry (or the statusPurpose asked for in
      options.credentialStatus) unless it has a credentialStatus or
      --no-status is given; the lists are kept in <dir>/status-lists.json,
      replaced atomically (in memory without --status-dir), and published
      under --public-url (default http://<listen address>). Loopback only unless
      --allow-remote; bodies up to 1 MiB by default, answers up to 4 MiB (or
      twice --max-body), else 413. Serves 16 clients at once (503 with
      Retry-After when 32 more are waiting); a client has 3 s to send the
      request head, 10 s for the whole request and 5 s to read the answer.
      --max-requests <n> stops after n requests were taken (for tests).
      Credentials and lists are signed with --cryptosuite (default
      eddsa-rdfc-2022); an issue request's options.cryptosuite overrides it.
      sign, issue and status-list sign with eddsa-rdfc-2022 unless given
      --cryptosuite eddsa-jcs-2022.

EXIT CODES: verify: 0 valid, 1 not valid; sign: 0 signed, 1 refused;
issue: 0 all rows issued, 1 some rows bad; 2 usage or I/O error.
";

/// A usage or I/O error (exit 2).
#[derive(Debug)]
pub(crate) struct Fatal(pub(crate) String);

pub(crate) type Result<T> = std::result::Result<T, Fatal>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => ExitCode::from(code),
        Err(Fatal(message)) => {
            eprintln!("vc: {message}");
            eprintln!("Run `vc help` for usage.");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<u8> {
    let Some((command, rest)) = args.split_first() else {
        print!("{USAGE}");
        return Err(Fatal("no command given".into()));
    };
    match command.as_str() {
        "keygen" => keygen(rest),
        "did" => did(rest),
        "sign" => sign(rest),
        "verify" => verify(rest),
        "issue" => issue::command(rest),
        "status-list" => status::command(rest),
        "serve" => serve(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(0)
        }
        other => Err(Fatal(format!("unknown command {other:?}"))),
    }
}

/// Parsed command line: positional arguments and `--flag value` options.
pub(crate) struct Args {
    pub(crate) positional: Vec<String>,
    options: Vec<(String, Option<String>)>,
}

impl Args {
    /// `with_value`: flags that take a value; `switches`: flags that do not.
    pub(crate) fn parse(args: &[String], with_value: &[&str], switches: &[&str]) -> Result<Args> {
        let mut positional = Vec::new();
        let mut options = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a == "-" || !a.starts_with("--") {
                positional.push(a.clone());
            } else if with_value.contains(&a.as_str()) {
                let v = it
                    .next()
                    .ok_or_else(|| Fatal(format!("{a} needs a value")))?;
                options.push((a.clone(), Some(v.clone())));
            } else if switches.contains(&a.as_str()) {
                options.push((a.clone(), None));
            } else {
                return Err(Fatal(format!("unknown option {a:?}")));
            }
        }
        Ok(Args {
            positional,
            options,
        })
    }

    pub(crate) fn value(&self, flag: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(f, _)| f == flag)
            .and_then(|(_, v)| v.as_deref())
    }

    pub(crate) fn values(&self, flag: &str) -> Vec<String> {
        self.options
            .iter()
            .filter(|(f, _)| f == flag)
            .filter_map(|(_, v)| v.clone())
            .collect()
    }

    pub(crate) fn has(&self, flag: &str) -> bool {
        self.options.iter().any(|(f, _)| f == flag)
    }

    pub(crate) fn one_positional(&self, what: &str) -> Result<&str> {
        match self.positional.as_slice() {
            [one] => Ok(one),
            [] => Err(Fatal(format!("missing {what}"))),
            _ => Err(Fatal(format!(
                "expected one {what}, got {}",
                self.positional.len()
            ))),
        }
    }
}

pub(crate) fn read_input(path: &str) -> Result<Vec<u8>> {
    let limits = JsonLimits::default();
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin()
            .take(limits.max_bytes as u64 + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(limits.max_bytes as u64 + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| Fatal(format!("cannot read {path}: {e}")))?;
    Ok(bytes)
}

pub(crate) fn read_json(path: &str, what: &str) -> Result<Value> {
    let bytes = read_input(path)?;
    json::parse_strict_bytes(&bytes, &JsonLimits::default())
        .map_err(|e| Fatal(format!("{what} {path} is not valid JSON: {e}")))
}

pub(crate) fn print_json(v: &Value) -> Result<()> {
    let text = serde_json::to_string_pretty(v).map_err(|e| Fatal(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").map_err(|e| Fatal(format!("cannot write output: {e}")))
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a
/// reader never sees half a file.
/// Writes `path` so that a crash leaves the old content or the new, never
/// a torn file (status-list state, issued credentials, lists to publish).
pub(crate) fn write_file(path: &str, bytes: &[u8]) -> Result<()> {
    hosted::replace_durably(std::path::Path::new(path), bytes)
        .map_err(|e| Fatal(format!("cannot write {path}: {e}")))
}

/// Random bytes from the operating system.
pub(crate) struct Urandom(std::fs::File);

impl Urandom {
    pub(crate) fn open() -> Result<Urandom> {
        std::fs::File::open("/dev/urandom")
            .map(Urandom)
            .map_err(|e| Fatal(format!("cannot open /dev/urandom: {e}")))
    }

    /// `N` random bytes, or an error: never a zero fallback.
    pub(crate) fn bytes<const N: usize>(&mut self) -> Result<[u8; N]> {
        use std::io::Read;
        let mut b = [0u8; N];
        self.0
            .read_exact(&mut b)
            .map_err(|e| Fatal(format!("no randomness from /dev/urandom: {e}")))?;
        Ok(b)
    }
}

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn system_now() -> Result<Instant> {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| Fatal(format!("system clock before 1970: {e}")))?;
    let secs = i64::try_from(d.as_secs()).map_err(|_| Fatal("system clock out of range".into()))?;
    Ok(Instant::from_unix(secs, d.subsec_nanos()))
}

pub(crate) fn parse_time(flag: &str, value: &str) -> Result<Instant> {
    Instant::parse_date_time_stamp(value)
        .map_err(|e| Fatal(format!("{flag} {value:?}: {e} (e.g. 2024-09-01T08:00:00Z)")))
}

fn keygen(args: &[String]) -> Result<u8> {
    let a = Args::parse(args, &[], &[])?;
    if !a.positional.is_empty() {
        return Err(Fatal("keygen takes no arguments".into()));
    }
    let mut seed = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut seed))
        .map_err(|e| Fatal(format!("cannot read /dev/urandom: {e}")))?;
    let key = SecretKey::from_bytes(&seed);
    seed.fill(0);
    print_json(&key.to_key_file())?;
    Ok(0)
}

fn did(args: &[String]) -> Result<u8> {
    let a = Args::parse(args, &["--format"], &["--no-key-agreement"])?;
    let input = a.one_positional("key file, did:key or publicKeyMultibase")?;
    let did = if input.starts_with("did:key:") {
        DidKey::parse(input).map_err(|e| Fatal(format!("{input}: {} ({e})", e.code())))?
    } else if input.starts_with("z6Mk") {
        let key = PublicKey::from_multibase(input).map_err(|e| Fatal(format!("{input}: {e}")))?;
        DidKey::from_public_key(key)
    } else {
        let file = read_json(input, "key file")?;
        let public = match file.get("publicKeyMultibase").and_then(Value::as_str) {
            Some(mb)
                if file.get("secretKeyMultibase").is_none()
                    && file.get("privateKeyMultibase").is_none() =>
            {
                PublicKey::from_multibase(mb).map_err(|e| Fatal(format!("{input}: {e}")))?
            }
            _ => SecretKey::from_key_file(&file)
                .map_err(|e| Fatal(format!("{input}: {e}")))?
                .public_key(),
        };
        DidKey::from_public_key(public)
    };
    let options = ResolveOptions {
        public_key_format: a.value("--format").unwrap_or("Multikey").to_owned(),
        enable_experimental_public_key_types: false,
        enable_encryption_key_derivation: !a.has("--no-key-agreement"),
    };
    let doc = did
        .resolve(&options)
        .map_err(|e| Fatal(format!("{}: {e}", e.code())))?;
    print_json(&doc)?;
    Ok(0)
}

/// `--cryptosuite`: eddsa-rdfc-2022 (the default: what the ecosystem's
/// wallets and verifiers accept) or eddsa-jcs-2022.
pub(crate) fn cryptosuite_flag(a: &Args) -> Result<credentials::Cryptosuite> {
    match a.value("--cryptosuite") {
        None => Ok(credentials::Cryptosuite::EddsaRdfc2022),
        Some(name) => credentials::Cryptosuite::parse(name).ok_or_else(|| {
            Fatal(format!(
                "--cryptosuite {name:?}: eddsa-rdfc-2022 (default) or eddsa-jcs-2022"
            ))
        }),
    }
}

fn sign(args: &[String]) -> Result<u8> {
    let a = Args::parse(
        args,
        &[
            "--key",
            "--verification-method",
            "--created",
            "--expires",
            "--challenge",
            "--domain",
            "--proof-purpose",
            "--proof-id",
            "--previous-proof",
            "--cryptosuite",
        ],
        &[],
    )?;
    let input = a.one_positional("document")?;
    let key_path = a
        .value("--key")
        .ok_or_else(|| Fatal("--key <key-file> is required".into()))?;
    let key = SecretKey::from_key_file(&read_json(key_path, "key file")?)
        .map_err(|e| Fatal(format!("key file {key_path}: {e}")))?;
    let bytes = read_input(input)?;
    let document = match json::parse_strict_bytes(&bytes, &JsonLimits::default()) {
        Ok(d) => d,
        Err(error) => {
            eprintln!(
                "{}",
                json!({"error": {"code": "PARSING_ERROR", "detail": error}})
            );
            return Ok(1);
        }
    };
    let (challenge, domain) = (a.value("--challenge"), a.value("--domain"));
    let default_purpose =
        if vcdm::is_presentation(&document) || challenge.is_some() || domain.is_some() {
            "authentication"
        } else {
            "assertionMethod"
        };
    let created = match a.value("--created") {
        Some(c) => {
            parse_time("--created", c)?;
            c.to_owned()
        }
        None => system_now()?.to_rfc3339_seconds(),
    };
    if let Some(e) = a.value("--expires") {
        parse_time("--expires", e)?;
    }
    let options = ProofOptions {
        verification_method: a
            .value("--verification-method")
            .map(str::to_owned)
            .unwrap_or_else(|| DidKey::from_public_key(key.public_key()).verification_method_id()),
        proof_purpose: a
            .value("--proof-purpose")
            .unwrap_or(default_purpose)
            .to_owned(),
        created: Some(created),
        expires: a.value("--expires").map(str::to_owned),
        challenge: challenge.map(str::to_owned),
        domain: domain.map(str::to_owned),
        id: a.value("--proof-id").map(str::to_owned),
        previous_proof: a.values("--previous-proof"),
        nonce: None,
        cryptosuite: cryptosuite_flag(&a)?,
    };
    match credentials::sign(&document, &key, &options) {
        Ok(signed) => {
            print_json(&signed)?;
            Ok(0)
        }
        Err(error) => {
            eprintln!("vc: not signed: {error}");
            eprintln!(
                "{}",
                json!({"error": {"code": error.code(), "detail": error}})
            );
            Ok(1)
        }
    }
}

fn verify(args: &[String]) -> Result<u8> {
    let a = Args::parse(
        args,
        &[
            "--now",
            "--challenge",
            "--domain",
            "--status-list",
            "--ledger",
            "--receipt",
        ],
        &["--require-anchor"],
    )?;
    let input = a.one_positional("document")?;
    let now = match a.value("--now") {
        Some(n) => parse_time("--now", n)?,
        None => system_now()?,
    };
    let mut opts = VerifyOptions {
        challenge: a.value("--challenge").map(str::to_owned),
        domain: a.value("--domain").map(str::to_owned),
        ..VerifyOptions::at(now)
    };
    for path in a.values("--status-list") {
        opts.status
            .status_list_credentials
            .push(read_json(&path, "status list")?);
    }
    if let Some(path) = a.value("--receipt") {
        opts.anchor.receipt = Some(read_json(path, "receipt")?);
    }
    if let Some(path) = a.value("--ledger") {
        opts.anchor.ledger = Some(read_ledger(path)?);
    }
    opts.anchor.required = a.has("--require-anchor");
    let bytes = read_input(input)?;
    // Serialised from the report types, so members keep their documented
    // order: verified, valid, checks [id, status, code, detail].
    let (report, valid) = match json::parse_strict_bytes(&bytes, &opts.limits) {
        Ok(doc) if vcdm::is_presentation(&doc) => {
            let r = credentials::verify_presentation_value(&doc, &opts);
            (serde_json::to_string_pretty(&r), r.valid)
        }
        Ok(doc) => {
            let r = credentials::verify_credential_value(&doc, &opts);
            (serde_json::to_string_pretty(&r), r.valid)
        }
        // Not JSON (or not UTF-8, or too large): a failed report, not an error.
        Err(_) => {
            let r = credentials::verify_credential_bytes(&bytes, &opts);
            (serde_json::to_string_pretty(&r), r.valid)
        }
    };
    let report = report.map_err(|e| Fatal(format!("cannot serialise the report: {e}")))?;
    writeln!(std::io::stdout().lock(), "{report}")
        .map_err(|e| Fatal(format!("cannot write output: {e}")))?;
    Ok(if valid { 0 } else { 1 })
}

/// Reads and imports a ledger export (bounded by the ledger's import limit);
/// a refused export makes anchor checks say why (`ledger_invalid`).
fn read_ledger(path: &str) -> Result<LedgerInput> {
    Ok(LedgerInput::import(&read_ledger_text(path)?))
}

fn read_ledger_text(path: &str) -> Result<String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(ledger::MAX_IMPORT_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| Fatal(format!("cannot read {path}: {e}")))?;
    String::from_utf8(bytes).map_err(|_| Fatal(format!("ledger {path} is not UTF-8 text")))
}

fn serve(args: &[String]) -> Result<u8> {
    let a = Args::parse(
        args,
        &[
            "--key",
            "--listen",
            "--max-body",
            "--max-requests",
            "--status-list",
            "--ledger",
            "--status-dir",
            "--public-url",
            "--cryptosuite",
        ],
        &["--allow-remote", "--no-status"],
    )?;
    if !a.positional.is_empty() {
        return Err(Fatal("serve takes no positional arguments".into()));
    }
    let key_path = a
        .value("--key")
        .ok_or_else(|| Fatal("--key <key-file> is required".into()))?;
    let key = SecretKey::from_key_file(&read_json(key_path, "key file")?)
        .map_err(|e| Fatal(format!("key file {key_path}: {e}")))?;
    let listen_text = a.value("--listen").unwrap_or("127.0.0.1:8787");
    let listen: std::net::SocketAddr = listen_text.parse().map_err(|_| {
        Fatal(format!(
            "--listen {listen_text:?} is not an IP address and port"
        ))
    })?;
    let number = |flag: &str| -> Result<Option<u64>> {
        a.value(flag)
            .map(|v| {
                v.parse::<u64>()
                    .map_err(|_| Fatal(format!("{flag} {v:?} is not a number")))
            })
            .transpose()
    };
    let max_body = number("--max-body")?.unwrap_or(1024 * 1024);
    let mut status_lists = Vec::new();
    for path in a.values("--status-list") {
        status_lists.push(read_json(&path, "status list")?);
    }
    let ledger = match a.value("--ledger") {
        Some(path) => {
            let chain = ledger::chain_from_json(&read_ledger_text(path)?)
                .map_err(|e| Fatal(format!("ledger {path}: {e}")))?;
            Some(LedgerInput::Chain(std::sync::Arc::new(chain)))
        }
        None => None,
    };
    let config = serve::Config {
        listen,
        allow_remote: a.has("--allow-remote"),
        key,
        max_body: usize::try_from(max_body).unwrap_or(usize::MAX),
        max_requests: number("--max-requests")?,
        status_lists,
        ledger,
        host_status: !a.has("--no-status"),
        status_dir: a.value("--status-dir").map(std::path::PathBuf::from),
        public_url: a.value("--public-url").map(str::to_owned),
        cryptosuite: cryptosuite_flag(&a)?,
        status: std::sync::OnceLock::new(),
    };
    serve::run(&config).map_err(Fatal)?;
    Ok(0)
}
