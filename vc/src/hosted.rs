//! The status lists `vc serve` hosts: a revocation and a suspension
//! Bitstring Status List, an entry allocated from one of them for every
//! credential it issues, the signed `BitstringStatusListCredential`s served
//! at their URLs, and the VC-API status update (revoke, suspend, reinstate).
//!
//! The state (lists, which credential holds which index, the last signed
//! list credentials) lives in one JSON file under `--status-dir`, replaced
//! atomically after every change and before the change is answered: the
//! new file is written beside the old one, flushed to disk, renamed over it,
//! and the directory flushed, so a crash leaves the old state or the new,
//! never a torn file and never a lost revocation. Without `--status-dir` the
//! lists live in memory (tests, demonstrations) and the list URLs carry a
//! random name, so a restarted server never republishes a list at an
//! address where certificates expect their old bits.
//!
//! A revocation is permanent: clearing a revocation bit is refused.

use crate::{hex, Fatal, Result};
use credentials::status_list::{self, StatusList, StatusPurpose, MIN_ENTRIES};
use credentials::{Cryptosuite, Instant, SecretKey};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

const STATE_TYPE: &str = "ChainClassHostedStatusLists";
const STATE_FILE: &str = "status-lists.json";

/// One hosted list.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Hosted {
    /// The list credential's `id` (its URL).
    url: String,
    /// The bits and the allocated indexes.
    list: StatusList,
    /// The last signed list credential.
    signed: Option<Value>,
}

/// Everything kept.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct State {
    #[serde(rename = "type")]
    kind: String,
    version: u32,
    revocation: Option<Hosted>,
    suspension: Option<Hosted>,
    /// Credential id → the (purpose, index) entries it was given.
    entries: BTreeMap<String, Vec<(String, u64)>>,
}

/// Why a status request was refused (a 4xx answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusRefusal {
    /// No credential issued here has that id.
    UnknownCredential,
    /// The credential has no entry of that purpose.
    NoEntry,
    /// `statusPurpose` is not `revocation` or `suspension`.
    UnknownPurpose,
    /// A revocation cannot be undone.
    RevocationIsPermanent,
    /// No list of that name.
    UnknownList,
}

/// The hosted lists and where they are kept.
pub struct Service {
    /// What the lists are signed with (`vc serve --cryptosuite`).
    pub cryptosuite: Cryptosuite,
    base_url: String,
    dir: Option<PathBuf>,
    state: State,
}

/// Replaces `path` with `bytes` so that a crash leaves the old or the new
/// content: write a temporary file beside it, flush it, rename it over
/// `path`, flush the directory.
pub fn replace_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

impl Service {
    /// Loads the state under `dir` (or starts empty), for lists published
    /// under `base_url` (`http://host:port`, no trailing slash).
    pub fn open(base_url: &str, dir: Option<&Path>) -> Result<Service> {
        let state = match dir {
            Some(d) => {
                std::fs::create_dir_all(d)
                    .map_err(|e| Fatal(format!("cannot create {}: {e}", d.display())))?;
                match std::fs::read(d.join(STATE_FILE)) {
                    Ok(bytes) => {
                        let s: State = serde_json::from_slice(&bytes).map_err(|e| {
                            Fatal(format!("{}: not a status-list state: {e}", d.display()))
                        })?;
                        if s.kind != STATE_TYPE || s.version != 1 {
                            return Err(Fatal(format!(
                                "{}: not a {STATE_TYPE} version 1 file",
                                d.join(STATE_FILE).display()
                            )));
                        }
                        s
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => State::default(),
                    Err(e) => return Err(Fatal(format!("cannot read the status state: {e}"))),
                }
            }
            None => State::default(),
        };
        Ok(Service {
            cryptosuite: Cryptosuite::EddsaRdfc2022,
            base_url: base_url.trim_end_matches('/').to_owned(),
            dir: dir.map(Path::to_path_buf),
            state: State {
                kind: STATE_TYPE.into(),
                version: 1,
                ..state
            },
        })
    }

    fn save(&self) -> Result<()> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        let text = serde_json::to_vec_pretty(&self.state).map_err(|e| Fatal(e.to_string()))?;
        replace_durably(&dir.join(STATE_FILE), &text)
            .map_err(|e| Fatal(format!("cannot store the status lists: {e}")))
    }

    fn slot(&mut self, purpose: StatusPurpose) -> &mut Option<Hosted> {
        match purpose {
            StatusPurpose::Suspension => &mut self.state.suspension,
            _ => &mut self.state.revocation,
        }
    }

    fn sign(
        hosted: &mut Hosted,
        key: &SecretKey,
        now: Instant,
        cryptosuite: Cryptosuite,
    ) -> Result<()> {
        let stamp = now.to_rfc3339_seconds();
        hosted.signed = Some(crate::status::signed_list(
            &hosted.url,
            &hosted.list,
            key,
            &stamp,
            None,
            stamp.clone(),
            cryptosuite,
        )?);
        Ok(())
    }

    /// Gives `credential_id` (if any) a fresh entry of `purpose`, re-signs
    /// that list and stores the state; returns the `credentialStatus` entry.
    pub fn allocate(
        &mut self,
        purpose: StatusPurpose,
        credential_id: Option<&str>,
        key: &SecretKey,
        now: Instant,
    ) -> Result<Value> {
        let suite = self.cryptosuite;
        let mut urandom = crate::Urandom::open()?;
        let name_tail = hex(&urandom.bytes::<6>()?);
        let random = u64::from_le_bytes(urandom.bytes::<8>()?);
        let base = self.base_url.clone();
        let slot = self.slot(purpose);
        if slot.is_none() {
            *slot = Some(Hosted {
                url: format!("{base}/status/{}-{name_tail}", purpose.as_str()),
                list: StatusList::new(purpose, MIN_ENTRIES).map_err(|e| Fatal(e.to_string()))?,
                signed: None,
            });
        }
        let hosted = slot
            .as_mut()
            .ok_or_else(|| Fatal("no status list".into()))?;
        let index = hosted
            .list
            .allocate_index(random)
            .map_err(|e| Fatal(format!("the {} list is full: {e}", purpose.as_str())))?;
        let entry = status_list::entry(&hosted.url, purpose, index);
        Self::sign(hosted, key, now, suite)?;
        if let Some(id) = credential_id {
            self.state
                .entries
                .entry(id.to_owned())
                .or_default()
                .push((purpose.as_str().to_owned(), index));
        }
        self.save()?;
        Ok(entry)
    }

    /// Sets (`true`: revoke or suspend) or clears (`false`: reinstate a
    /// suspension) the `purpose` bit of `credential_id`, re-signs and stores.
    pub fn set(
        &mut self,
        credential_id: &str,
        purpose: &str,
        on: bool,
        key: &SecretKey,
        now: Instant,
    ) -> Result<std::result::Result<(), StatusRefusal>> {
        let suite = self.cryptosuite;
        let Some(purpose) = StatusPurpose::parse(purpose)
            .filter(|p| matches!(p, StatusPurpose::Revocation | StatusPurpose::Suspension))
        else {
            return Ok(Err(StatusRefusal::UnknownPurpose));
        };
        let Some(entries) = self.state.entries.get(credential_id) else {
            return Ok(Err(StatusRefusal::UnknownCredential));
        };
        let Some(index) = entries
            .iter()
            .find(|(p, _)| p == purpose.as_str())
            .map(|(_, i)| *i)
        else {
            return Ok(Err(StatusRefusal::NoEntry));
        };
        if purpose == StatusPurpose::Revocation && !on {
            return Ok(Err(StatusRefusal::RevocationIsPermanent));
        }
        let Some(hosted) = self.slot(purpose).as_mut() else {
            return Ok(Err(StatusRefusal::NoEntry));
        };
        let result = if on {
            hosted.list.set(index)
        } else {
            hosted.list.clear(index)
        };
        result.map_err(|e| Fatal(e.to_string()))?;
        Self::sign(hosted, key, now, suite)?;
        self.save()?;
        Ok(Ok(()))
    }

    fn by_path(&mut self, path: &str) -> Option<&mut Hosted> {
        let url = format!("{}{path}", self.base_url);
        [&mut self.state.revocation, &mut self.state.suspension]
            .into_iter()
            .flatten()
            .find(|h| h.url == url || h.url.ends_with(path))
    }

    /// The signed list credential served at `path` (`/status/…`).
    pub fn list_at(&mut self, path: &str, key: &SecretKey, now: Instant) -> Result<Option<Value>> {
        let suite = self.cryptosuite;
        let Some(hosted) = self.by_path(path) else {
            return Ok(None);
        };
        if hosted.signed.is_none() {
            Self::sign(hosted, key, now, suite)?;
        }
        let signed = hosted.signed.clone();
        Ok(signed)
    }

    /// Re-signs the list at `path` now (`POST …/publish`).
    pub fn publish(
        &mut self,
        path: &str,
        key: &SecretKey,
        now: Instant,
    ) -> Result<std::result::Result<(), StatusRefusal>> {
        let suite = self.cryptosuite;
        let Some(hosted) = self.by_path(path) else {
            return Ok(Err(StatusRefusal::UnknownList));
        };
        Self::sign(hosted, key, now, suite)?;
        self.save()?;
        Ok(Ok(()))
    }

    /// Every signed list credential (for verifying what was issued here).
    pub fn signed_lists(&self) -> Vec<Value> {
        [&self.state.revocation, &self.state.suspension]
            .into_iter()
            .flatten()
            .filter_map(|h| h.signed.clone())
            .collect()
    }
}

/// A `credentialStatus` request of an issue or update body: one object or a
/// list of them, each naming a `statusPurpose`.
pub fn purposes_of(v: Option<&Value>) -> Option<Vec<String>> {
    let items: Vec<&Value> = match v? {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .map(|i| {
            i.get("statusPurpose")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect()
}

/// The entries for the credential (one object, or a list of them).
pub fn status_value(mut entries: Vec<Value>) -> Value {
    if entries.len() == 1 {
        entries.pop().unwrap_or(Value::Null)
    } else {
        json!(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretKey {
        SecretKey::from_bytes(&[5; 32])
    }

    fn now() -> Instant {
        Instant::from_unix(1_800_000_000, 0)
    }

    #[test]
    fn a_revocation_survives_a_restart_and_cannot_be_undone() {
        let dir = std::env::temp_dir().join(format!("vc-hosted-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut s = Service::open("http://127.0.0.1:1", Some(&dir)).unwrap();
        let entry = s
            .allocate(StatusPurpose::Revocation, Some("urn:a"), &key(), now())
            .unwrap();
        let path = entry["statusListCredential"]
            .as_str()
            .unwrap()
            .trim_start_matches("http://127.0.0.1:1")
            .to_owned();
        assert_eq!(
            s.set("urn:a", "revocation", true, &key(), now()).unwrap(),
            Ok(())
        );
        // Restart: the bit and the record are there.
        let mut again = Service::open("http://127.0.0.1:1", Some(&dir)).unwrap();
        let index: u64 = entry["statusListIndex"].as_str().unwrap().parse().unwrap();
        let list = again.list_at(&path, &key(), now()).unwrap().unwrap();
        let bits = StatusList::decode(
            StatusPurpose::Revocation,
            list["credentialSubject"]["encodedList"].as_str().unwrap(),
        )
        .unwrap();
        assert!(bits.get(index).unwrap(), "revoked after the restart");
        assert_eq!(
            again
                .set("urn:a", "revocation", false, &key(), now())
                .unwrap(),
            Err(StatusRefusal::RevocationIsPermanent)
        );
        assert_eq!(
            again
                .set("urn:b", "revocation", true, &key(), now())
                .unwrap(),
            Err(StatusRefusal::UnknownCredential)
        );
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, [STATE_FILE]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_suspension_is_lifted_and_the_list_says_so() {
        let mut s = Service::open("http://h", None).unwrap();
        let entry = s
            .allocate(StatusPurpose::Suspension, Some("urn:s"), &key(), now())
            .unwrap();
        let path = entry["statusListCredential"]
            .as_str()
            .unwrap()
            .trim_start_matches("http://h")
            .to_owned();
        let index: u64 = entry["statusListIndex"].as_str().unwrap().parse().unwrap();
        let bit = |s: &mut Service| {
            let list = s.list_at(&path, &key(), now()).unwrap().unwrap();
            StatusList::decode(
                StatusPurpose::Suspension,
                list["credentialSubject"]["encodedList"].as_str().unwrap(),
            )
            .unwrap()
            .get(index)
            .unwrap()
        };
        assert!(!bit(&mut s));
        s.set("urn:s", "suspension", true, &key(), now())
            .unwrap()
            .unwrap();
        assert!(bit(&mut s));
        s.set("urn:s", "suspension", false, &key(), now())
            .unwrap()
            .unwrap();
        assert!(!bit(&mut s));
        assert_eq!(
            s.publish("/status/nope", &key(), now()).unwrap(),
            Err(StatusRefusal::UnknownList)
        );
    }
}
