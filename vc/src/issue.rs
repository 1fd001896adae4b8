//! `vc issue`: issue a whole class from a programme template and a roster
//! CSV, optionally anchoring the batch's Merkle root on a class ledger.
//!
//! Writes into `--out DIR`: `row-<line>.json` (one signed credential per good
//! row, named by its roster line), `row-<line>.receipt.json` (its anchor
//! receipt, with `--ledger`), `errors.json` (every bad row: line, field,
//! reason) and `batch.json` (a summary). Exit code 1 if any row was bad.
//!
//! With `--ledger chain.json` the root is anchored by the key's own ledger
//! account (the Ed25519 key of the same seed) in a new block mined on the
//! chain's tip; the file is created (new genesis) if it does not exist.

use crate::status::State;
use crate::{hex, parse_time, read_json, system_now, write_file, Args, Fatal, Result};
use credentials::batch::{self, BatchTemplate, RowInputs};
use credentials::ob3::{BilingualText, IssuerProfile, LanguageMode};
use credentials::roster::{self, RosterLimits};
use credentials::status_list;
use credentials::{templates, DidKey, ProofOptions, SecretKey};
use ledger::{mine, Account, Amount, Chain, Genesis, Label, MineOutcome};
use serde_json::{json, Value};
use std::io::Read;

/// One row's randomness: the status index, the credential id and the salt.
struct Draw {
    index: u64,
    id: [u8; 16],
    salt: [u8; 16],
}

fn language(a: &Args) -> Result<LanguageMode> {
    match a.value("--lang").unwrap_or("bilingual") {
        "bilingual" => Ok(LanguageMode::Bilingual),
        "en" => Ok(LanguageMode::English),
        "zh" | "zh-hant" | "zh-Hant-HK" => Ok(LanguageMode::TraditionalChinese),
        other => Err(Fatal(format!("--lang {other:?}: bilingual, en or zh-hant"))),
    }
}

fn time_flag(a: &Args, flag: &str, default: &str) -> Result<String> {
    match a.value(flag) {
        Some(v) => {
            parse_time(flag, v)?;
            Ok(v.to_owned())
        }
        None => Ok(default.to_owned()),
    }
}

/// Appends a block holding `tx` to `chain`, mining it.
fn mine_block(chain: &mut Chain, tx: ledger::Transaction, miner: &Account, now: u64) -> Result<()> {
    let timestamp = now.max(chain.tip_timestamp().saturating_add(1));
    let candidate = chain
        .build_block(vec![tx], miner.address(), timestamp)
        .map_err(|e| Fatal(format!("the anchor block is invalid: {e}")))?;
    let mut start = 0u64;
    let nonce = loop {
        match mine(&candidate.header, start..start.saturating_add(1 << 20)) {
            MineOutcome::Found { nonce, .. } => break nonce,
            MineOutcome::NotFound { .. } if start < u64::MAX - (1 << 20) => start += 1 << 20,
            MineOutcome::NotFound { .. } => {
                return Err(Fatal("no nonce gives the block enough work".into()))
            }
        }
    };
    chain
        .append_at(candidate.with_nonce(nonce), now)
        .map_err(|e| Fatal(format!("the anchor block was refused: {e}")))
}

fn load_or_create_chain(
    path: &str,
    label: &str,
    difficulty: u32,
    now: u64,
) -> Result<(Chain, bool)> {
    match std::fs::read_to_string(path) {
        Ok(text) => ledger::chain_from_json(&text)
            .map(|c| (c, false))
            .map_err(|e| Fatal(format!("ledger {path}: {e}"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let name: String = label.chars().take(32).collect();
            let genesis = Genesis {
                name: Label::new(name).map_err(|e| Fatal(format!("--label: {e}")))?,
                timestamp: now,
                difficulty,
                reward: Amount::new(50),
                allocations: Vec::new(),
            };
            Chain::new(genesis)
                .map(|c| (c, true))
                .map_err(|e| Fatal(format!("cannot start a ledger: {e}")))
        }
        Err(e) => Err(Fatal(format!("cannot read {path}: {e}"))),
    }
}

/// `vc issue …`.
pub fn command(args: &[String]) -> Result<u8> {
    let a = Args::parse(
        args,
        &[
            "--template",
            "--roster",
            "--key",
            "--out",
            "--ledger",
            "--label",
            "--issuer-name",
            "--issuer-url",
            "--valid-from",
            "--valid-until",
            "--created",
            "--lang",
            "--status-list",
            "--difficulty",
            "--cryptosuite",
        ],
        &["--include-name"],
    )?;
    if !a.positional.is_empty() {
        return Err(Fatal("issue takes no positional arguments".into()));
    }
    let need = |flag: &str, what: &str| {
        a.value(flag)
            .ok_or_else(|| Fatal(format!("{flag} <{what}> is required")))
    };
    let template_key = need("--template", "template")?;
    let template = templates::by_key(template_key).ok_or_else(|| {
        let keys: Vec<&str> = templates::ALL.iter().map(|t| t.key).collect();
        Fatal(format!(
            "unknown template {template_key:?} (one of {})",
            keys.join(", ")
        ))
    })?;
    let roster_path = need("--roster", "roster.csv")?;
    let key_path = need("--key", "key-file")?;
    let out = need("--out", "directory")?;
    let key = SecretKey::from_key_file(&read_json(key_path, "key file")?)
        .map_err(|e| Fatal(format!("key file {key_path}: {e}")))?;
    let now = system_now()?;
    let now_text = now.to_rfc3339_seconds();
    let valid_from = time_flag(&a, "--valid-from", &now_text)?;
    let created = time_flag(&a, "--created", &now_text)?;
    let valid_until = match a.value("--valid-until") {
        Some(v) => Some(time_flag(&a, "--valid-until", v)?),
        None => None,
    };
    let did = DidKey::from_public_key(key.public_key());
    let spec = BatchTemplate {
        issuer: IssuerProfile {
            id: did.as_str().into(),
            name: BilingualText::en(a.value("--issuer-name").unwrap_or("ChainClass")),
            url: a.value("--issuer-url").map(str::to_owned),
            email: None,
            image: None,
        },
        achievement: template.achievement(),
        valid_from,
        valid_until,
        awarded_date: None,
        language: language(&a)?,
        include_name: a.has("--include-name"),
        proof: ProofOptions {
            cryptosuite: crate::cryptosuite_flag(&a)?,
            ..ProofOptions::assertion(did.verification_method_id()).with_created(created)
        },
    };

    let limits = RosterLimits::default();
    let mut bytes = Vec::new();
    std::fs::File::open(roster_path)
        .and_then(|f| f.take(limits.max_bytes as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| Fatal(format!("cannot read {roster_path}: {e}")))?;
    std::fs::create_dir_all(out).map_err(|e| Fatal(format!("cannot create {out}: {e}")))?;
    let out_path = |name: &str| {
        std::path::Path::new(out)
            .join(name)
            .to_string_lossy()
            .into_owned()
    };

    let roster = match roster::read(&bytes, None, &limits) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("vc: {roster_path}: {e}");
            let errors = json!([{ "row": null, "field": null, "file": e }]);
            write_file(&out_path("errors.json"), pretty(&errors)?.as_bytes())?;
            return Ok(1);
        }
    };

    if a.values("--status-list").len() > 1 {
        return Err(Fatal(
            "one --status-list only: an Open Badge carries at most one status entry".into(),
        ));
    }
    let mut status = match a.value("--status-list") {
        Some(path) => {
            let state = State::load(path)?;
            let free = state.list.len() - state.list.allocated();
            if free < roster.students.len() as u64 {
                return Err(Fatal(format!("{path} has only {free} free indexes")));
            }
            Some((path.to_owned(), state))
        }
        None => None,
    };
    // Every row's randomness is drawn before anything is signed: without
    // randomness nothing is issued.
    let mut random = crate::Urandom::open()?;
    let mut draws = Vec::with_capacity(roster.students.len());
    for _ in &roster.students {
        draws.push(Draw {
            index: u64::from_le_bytes(random.bytes::<8>()?),
            id: random.bytes::<16>()?,
            salt: random.bytes::<16>()?,
        });
    }
    let mut draws = draws.into_iter();
    let mut status_failed = false;
    let mut short_of_draws = false;
    let mut result = batch::issue_batch(&spec, &roster, &key, &mut |_| {
        // One draw per row, made above; running out refuses the batch.
        let Some(draw) = draws.next() else {
            short_of_draws = true;
            return RowInputs {
                id: String::new(),
                salt: String::new(),
                credential_status: None,
            };
        };
        let credential_status =
            status
                .as_mut()
                .and_then(|(_, state)| match state.list.allocate_index(draw.index) {
                    Ok(index) => Some(status_list::entry(&state.url, state.list.purpose(), index)),
                    Err(_) => {
                        status_failed = true;
                        None
                    }
                });
        RowInputs {
            id: batch::uuid_urn(draw.id),
            salt: hex(&draw.salt),
            credential_status,
        }
    })
    .map_err(|e| Fatal(format!("nothing issued: {e}")))?;
    if status_failed {
        return Err(Fatal("the status list ran out of indexes".into()));
    }
    if short_of_draws {
        return Err(Fatal("nothing issued: randomness ran out".into()));
    }

    let mut anchor_summary = Value::Null;
    if let (Some(ledger_path), false) = (a.value("--ledger"), result.issued.is_empty()) {
        let label = a
            .value("--label")
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{} {}", template.key, now_text.get(..10).unwrap_or("")));
        let difficulty = match a.value("--difficulty") {
            Some(d) => d
                .parse()
                .map_err(|_| Fatal(format!("--difficulty {d:?} is not a number")))?,
            None => 12,
        };
        let unix = u64::try_from(now.unix_seconds).unwrap_or(0);
        let (mut chain, created) = load_or_create_chain(ledger_path, &label, difficulty, unix)?;
        if created {
            eprintln!("vc: starting a new class ledger in {ledger_path}");
        }
        let request = batch::anchor_request(&result.issued, &label)
            .map_err(|e| Fatal(format!("cannot anchor: {e}")))?;
        let account = Account::from_seed(&key.to_bytes());
        let tx = request.transaction(
            &account,
            Amount::ZERO,
            chain.state().next_nonce(&account.address()),
        );
        mine_block(&mut chain, tx, &account, unix)?;
        let anchor = batch::attach_receipts(&mut result.issued, &chain)
            .map_err(|e| Fatal(format!("cannot make receipts: {e}")))?;
        write_file(ledger_path, ledger::chain_to_json_pretty(&chain).as_bytes())?;
        anchor_summary = json!(anchor);
    }

    let mut files = Vec::new();
    for c in &result.issued {
        let name = format!("row-{}.json", c.row);
        write_file(&out_path(&name), pretty(&c.credential)?.as_bytes())?;
        let receipt = match &c.receipt {
            Some(r) => {
                let rname = format!("row-{}.receipt.json", c.row);
                write_file(&out_path(&rname), pretty(&r.to_value())?.as_bytes())?;
                Some(rname)
            }
            None => None,
        };
        files.push(json!({
            "row": c.row,
            "name": c.student.name,
            "credential": name,
            "id": c.credential.get("id"),
            "receipt": receipt,
            "credentialStatus": c.credential.get("credentialStatus"),
        }));
    }
    write_file(
        &out_path("errors.json"),
        pretty(&json!(result.errors))?.as_bytes(),
    )?;
    let summary = json!({
        "issued": files,
        "errors": result.errors.len(),
        "merkleRoot": (!result.issued.is_empty()).then(|| batch::merkle_root_of(&result.issued)),
        "anchor": anchor_summary,
    });
    write_file(&out_path("batch.json"), pretty(&summary)?.as_bytes())?;
    if let Some((path, state)) = &status {
        state.save(path)?;
    }
    for e in &result.errors {
        let v = json!(e);
        eprintln!(
            "vc: line {}: {}{}",
            e.row,
            v.get("field")
                .and_then(Value::as_str)
                .map(|f| format!("{f}: "))
                .unwrap_or_default(),
            v.get("reason").and_then(Value::as_str).unwrap_or("")
        );
    }
    eprintln!(
        "vc: issued {} credential(s) into {out}; {} bad row(s)",
        result.issued.len(),
        result.errors.len()
    );
    Ok(if result.errors.is_empty() { 0 } else { 1 })
}

fn pretty(v: &Value) -> Result<String> {
    serde_json::to_string_pretty(v).map_err(|e| Fatal(e.to_string()))
}
