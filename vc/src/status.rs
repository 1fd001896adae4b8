//! `vc status-list create | revoke | suspend | reinstate`: keep a Bitstring
//! Status List in a private state file and write the signed, publishable
//! `BitstringStatusListCredential` after every change.
//!
//! The state file (`--state`) holds the list's URL and the issuer's view of
//! the list, including which indexes were given out (never publish it):
//! `{"type": "ChainClassStatusListState", "version": 1,
//! "statusListCredential": URL, "list": {…}}`. `vc issue --status-list STATE`
//! allocates indexes from it.

use crate::{parse_time, print_json, read_json, system_now, write_file, Args, Fatal, Result};
use credentials::status_list::{self, StatusList, StatusPurpose, MIN_ENTRIES};
use credentials::{Cryptosuite, DidKey, ProofOptions, SecretKey};
use serde_json::{json, Value};

const STATE_TYPE: &str = "ChainClassStatusListState";

/// A status list and the URL it is published at.
pub struct State {
    /// The list credential's `id`.
    pub url: String,
    /// The list.
    pub list: StatusList,
}

impl State {
    /// Reads a state file.
    pub fn load(path: &str) -> Result<State> {
        let v = read_json(path, "status-list state")?;
        if v.get("type").and_then(Value::as_str) != Some(STATE_TYPE)
            || v.get("version").and_then(Value::as_u64) != Some(1)
        {
            return Err(Fatal(format!(
                "{path} is not a {STATE_TYPE} version 1 file"
            )));
        }
        let url = v
            .get("statusListCredential")
            .and_then(Value::as_str)
            .ok_or_else(|| Fatal(format!("{path}: no statusListCredential")))?
            .to_owned();
        let list: StatusList = serde_json::from_value(v.get("list").cloned().unwrap_or_default())
            .map_err(|e| Fatal(format!("{path}: {e}")))?;
        Ok(State { url, list })
    }

    /// Writes the state file.
    pub fn save(&self, path: &str) -> Result<()> {
        let v = json!({
            "type": STATE_TYPE,
            "version": 1,
            "statusListCredential": self.url,
            "list": self.list,
        });
        let text = serde_json::to_string_pretty(&v).map_err(|e| Fatal(e.to_string()))?;
        write_file(path, text.as_bytes())
    }
}

fn key_of(a: &Args) -> Result<SecretKey> {
    let path = a
        .value("--key")
        .ok_or_else(|| Fatal("--key <key-file> is required".into()))?;
    SecretKey::from_key_file(&read_json(path, "key file")?)
        .map_err(|e| Fatal(format!("key file {path}: {e}")))
}

/// The `BitstringStatusListCredential` of `list` published at `url`,
/// signed by `key` (its did:key is the issuer) with `created` and
/// `cryptosuite`.
pub fn signed_list(
    url: &str,
    list: &StatusList,
    key: &SecretKey,
    valid_from: &str,
    valid_until: Option<&str>,
    created: String,
    cryptosuite: Cryptosuite,
) -> Result<Value> {
    let did = DidKey::from_public_key(key.public_key());
    let unsigned = status_list::list_credential(
        url,
        did.as_str(),
        list.purpose(),
        list,
        valid_from,
        valid_until,
    )
    .map_err(|e| Fatal(e.to_string()))?;
    let mut options = ProofOptions::assertion(did.verification_method_id()).with_created(created);
    options.cryptosuite = cryptosuite;
    credentials::sign(&unsigned, key, &options)
        .map_err(|e| Fatal(format!("the list credential was refused: {e}")))
}

/// Signs and writes the list credential of `state`.
fn publish(state: &State, key: &SecretKey, a: &Args) -> Result<Value> {
    let out = a
        .value("--out")
        .ok_or_else(|| Fatal("--out <list.json> is required".into()))?;
    let now = system_now()?.to_rfc3339_seconds();
    let valid_from = match a.value("--valid-from") {
        Some(v) => {
            parse_time("--valid-from", v)?;
            v.to_owned()
        }
        None => now.clone(),
    };
    if let Some(v) = a.value("--valid-until") {
        parse_time("--valid-until", v)?;
    }
    let signed = signed_list(
        &state.url,
        &state.list,
        key,
        &valid_from,
        a.value("--valid-until"),
        now,
        crate::cryptosuite_flag(a)?,
    )?;
    let text = serde_json::to_string_pretty(&signed).map_err(|e| Fatal(e.to_string()))?;
    write_file(out, text.as_bytes())?;
    Ok(signed)
}

const PUBLISH_FLAGS: [&str; 6] = [
    "--key",
    "--out",
    "--state",
    "--valid-from",
    "--valid-until",
    "--cryptosuite",
];

fn create(args: &[String]) -> Result<u8> {
    let mut flags = PUBLISH_FLAGS.to_vec();
    flags.extend(["--purpose", "--id", "--entries"]);
    let a = Args::parse(args, &flags, &["--force"])?;
    if !a.positional.is_empty() {
        return Err(Fatal(
            "status-list create takes no positional arguments".into(),
        ));
    }
    let purpose = a
        .value("--purpose")
        .and_then(StatusPurpose::parse)
        .ok_or_else(|| Fatal("--purpose revocation|suspension is required".into()))?;
    let url = a
        .value("--id")
        .ok_or_else(|| Fatal("--id <URL where the list will be published> is required".into()))?;
    let state_path = a
        .value("--state")
        .ok_or_else(|| Fatal("--state <state.json> is required".into()))?;
    if std::path::Path::new(state_path).exists() && !a.has("--force") {
        return Err(Fatal(format!(
            "{state_path} exists: it may hold given-out indexes (use --force to replace it)"
        )));
    }
    let entries = match a.value("--entries") {
        Some(n) => n
            .parse::<u64>()
            .map_err(|_| Fatal(format!("--entries {n:?} is not a number")))?,
        None => MIN_ENTRIES,
    };
    let key = key_of(&a)?;
    let list = StatusList::new(purpose, entries).map_err(|e| Fatal(e.to_string()))?;
    let state = State {
        url: url.to_owned(),
        list,
    };
    publish(&state, &key, &a)?;
    state.save(state_path)?;
    print_json(&json!({
        "statusListCredential": state.url,
        "purpose": purpose,
        "entries": state.list.len(),
    }))?;
    Ok(0)
}

/// The index to change: `--index N`, or the entry of `--credential FILE`
/// that points at this list.
fn index_of(a: &Args, state: &State) -> Result<u64> {
    if let Some(i) = a.value("--index") {
        return i
            .parse()
            .map_err(|_| Fatal(format!("--index {i:?} is not a number")));
    }
    let path = a
        .value("--credential")
        .ok_or_else(|| Fatal("--index N or --credential <credential.json> is required".into()))?;
    let vc = read_json(path, "credential")?;
    let entries: Vec<Value> = match vc.get("credentialStatus") {
        Some(Value::Array(a)) => a.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    };
    entries
        .iter()
        .filter_map(|e| status_list::check_entry(e).ok())
        .find(|e| e.list_url == state.url && e.purpose == state.list.purpose().as_str())
        .map(|e| e.index)
        .ok_or_else(|| {
            Fatal(format!(
                "{path} has no {} entry in {}",
                state.list.purpose(),
                state.url
            ))
        })
}

fn change(args: &[String], action: &str) -> Result<u8> {
    let mut flags = PUBLISH_FLAGS.to_vec();
    flags.extend(["--index", "--credential"]);
    let a = Args::parse(args, &flags, &[])?;
    if !a.positional.is_empty() {
        return Err(Fatal(format!(
            "status-list {action} takes no positional arguments"
        )));
    }
    let state_path = a
        .value("--state")
        .ok_or_else(|| Fatal("--state <state.json> is required".into()))?;
    let mut state = State::load(state_path)?;
    let needed = if action == "revoke" {
        StatusPurpose::Revocation
    } else {
        StatusPurpose::Suspension
    };
    if state.list.purpose() != needed {
        return Err(Fatal(format!(
            "{state_path} is a {} list; {action} needs a {needed} list",
            state.list.purpose()
        )));
    }
    let key = key_of(&a)?;
    let index = index_of(&a, &state)?;
    let was = state.list.get(index).map_err(|e| Fatal(e.to_string()))?;
    match action {
        "reinstate" => state.list.clear(index),
        _ => state.list.set(index),
    }
    .map_err(|e| Fatal(e.to_string()))?;
    publish(&state, &key, &a)?;
    state.save(state_path)?;
    print_json(&json!({
        "statusListCredential": state.url,
        "purpose": state.list.purpose(),
        "index": index,
        "was": was,
        "now": state.list.get(index).unwrap_or(false),
    }))?;
    Ok(0)
}

/// `vc status-list <subcommand> …`.
pub fn command(args: &[String]) -> Result<u8> {
    match args.split_first() {
        Some((sub, rest)) if sub == "create" => create(rest),
        Some((sub, rest)) if matches!(sub.as_str(), "revoke" | "suspend" | "reinstate") => {
            change(rest, sub)
        }
        Some((sub, _)) => Err(Fatal(format!("unknown status-list command {sub:?}"))),
        None => Err(Fatal(
            "status-list needs create, revoke, suspend or reinstate".into(),
        )),
    }
}
