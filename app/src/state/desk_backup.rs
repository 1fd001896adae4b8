//! The teacher's desk as one encrypted backup file, and restoring one.
//!
//! The file holds the whole desk (school key, profile, templates, every
//! issued record, both status lists with their allocated positions and
//! bits, the class ledger), sealed under a passphrase the teacher chooses:
//! PBKDF2-HMAC-SHA-256 with [`PBKDF2_ITERATIONS`] iterations and a 128-bit
//! random salt gives an AES-256-GCM key; a 96-bit random nonce; the file's
//! header (format, version, school) is the additional data, so it cannot be
//! swapped onto another backup. The browser's WebCrypto does the work
//! (`platform/crypto.rs`).
//!
//! Restoring ([`restore_into`]) on an empty desk gives exactly the backed-up
//! desk. Over a desk that already has work, the two are merged as two tabs'
//! desks are ([`crate::state::desk_merge`], from an empty base): records are
//! a union and a revocation in either is kept, so restoring an older backup
//! never un-revokes anything; a backup of another school key is refused.

use crate::platform::crypto::{self, CryptoError};
use crate::state::desk_merge::{self, MergeConflict, Merged};
use crate::state::teach::{Desk, DeskError, DeskTextError};
use credentials::share::{base64url_decode, base64url_encode};
use serde::{Deserialize, Serialize};

/// The `format` tag of a backup file.
pub const BACKUP_FORMAT: &str = "chainclass-desk-backup";
/// The backup format version.
pub const BACKUP_VERSION: u32 = 1;
/// PBKDF2 iterations (OWASP's 2023 figure for PBKDF2-HMAC-SHA-256).
pub const PBKDF2_ITERATIONS: u32 = 600_000;
/// Shortest passphrase accepted (characters).
pub const MIN_PASSPHRASE: usize = 10;

/// Key derivation parameters, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Kdf {
    /// Always `PBKDF2`.
    pub name: String,
    /// Always `SHA-256`.
    pub hash: String,
    /// Iterations.
    pub iterations: u32,
    /// base64url salt (16 bytes).
    pub salt: String,
}

/// Cipher parameters, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Cipher {
    /// Always `AES-GCM`.
    pub name: String,
    /// base64url nonce (12 bytes).
    pub iv: String,
}

/// A backup file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackupFile {
    /// [`BACKUP_FORMAT`].
    pub format: String,
    /// [`BACKUP_VERSION`].
    pub version: u32,
    /// When it was made.
    pub created_at: String,
    /// The school's did:key (readable, so the teacher can tell files apart).
    pub school: String,
    /// How the key is derived.
    pub kdf: Kdf,
    /// How the desk is sealed.
    pub cipher: Cipher,
    /// base64url of the sealed desk text.
    pub ciphertext: String,
}

/// Why a backup could not be made or read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackupError {
    /// The passphrase is shorter than [`MIN_PASSPHRASE`].
    WeakPassphrase,
    /// The file is not a ChainClass desk backup.
    NotABackup,
    /// Made by a newer ChainClass.
    NewerVersion(u32),
    /// The passphrase is wrong or the file was changed.
    WrongPassphrase,
    /// The browser cannot encrypt (no WebCrypto).
    Unavailable,
    /// Opened, but the desk inside cannot be read.
    Damaged(DeskTextError),
}

fn header(school: &str) -> Vec<u8> {
    format!("{BACKUP_FORMAT}/{BACKUP_VERSION}/{school}").into_bytes()
}

/// Seals `desk` under `passphrase`. `random` (32 bytes from the browser)
/// gives the salt and the nonce; `now` is the time written in the file.
pub async fn make_backup(
    desk: &Desk,
    passphrase: &str,
    now: &str,
    random: [u8; 32],
) -> Result<String, BackupError> {
    if passphrase.chars().count() < MIN_PASSPHRASE {
        return Err(BackupError::WeakPassphrase);
    }
    let (salt, rest) = random.split_at(16);
    let iv = rest.get(..12).ok_or(BackupError::Unavailable)?;
    let school = desk
        .issuer
        .as_ref()
        .and_then(|i| i.did())
        .map(|d| d.as_str().to_owned())
        .unwrap_or_default();
    let sealed = crypto::seal(
        passphrase,
        salt,
        PBKDF2_ITERATIONS,
        iv,
        &header(&school),
        desk.to_text().as_bytes(),
    )
    .await
    .map_err(|_| BackupError::Unavailable)?;
    let file = BackupFile {
        format: BACKUP_FORMAT.into(),
        version: BACKUP_VERSION,
        created_at: now.into(),
        school,
        kdf: Kdf {
            name: "PBKDF2".into(),
            hash: "SHA-256".into(),
            iterations: PBKDF2_ITERATIONS,
            salt: base64url_encode(salt),
        },
        cipher: Cipher {
            name: "AES-GCM".into(),
            iv: base64url_encode(iv),
        },
        ciphertext: base64url_encode(&sealed),
    };
    serde_json::to_string_pretty(&file).map_err(|_| BackupError::Unavailable)
}

/// Reads a backup file's header (no passphrase needed).
pub fn read_header(text: &str) -> Result<BackupFile, BackupError> {
    let value = credentials::json::parse_strict(text).map_err(|_| BackupError::NotABackup)?;
    if value.get("format").and_then(|f| f.as_str()) != Some(BACKUP_FORMAT) {
        return Err(BackupError::NotABackup);
    }
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v > u64::from(BACKUP_VERSION) => {
            return Err(BackupError::NewerVersion(
                u32::try_from(v).unwrap_or(u32::MAX),
            ))
        }
        _ => {}
    }
    let file: BackupFile = serde_json::from_value(value).map_err(|_| BackupError::NotABackup)?;
    let known = file.kdf.name == "PBKDF2"
        && file.kdf.hash == "SHA-256"
        && file.cipher.name == "AES-GCM"
        // A file cannot make the browser spin: at most 10× the default.
        && (1..=PBKDF2_ITERATIONS.saturating_mul(10)).contains(&file.kdf.iterations);
    if !known {
        return Err(BackupError::NotABackup);
    }
    Ok(file)
}

/// Opens a backup file with `passphrase`.
pub async fn open_backup(text: &str, passphrase: &str) -> Result<Desk, BackupError> {
    let file = read_header(text)?;
    let bytes = |s: &str| base64url_decode(s).map_err(|_| BackupError::NotABackup);
    let plain = crypto::open(
        passphrase,
        &bytes(&file.kdf.salt)?,
        file.kdf.iterations,
        &bytes(&file.cipher.iv)?,
        &header(&file.school),
        &bytes(&file.ciphertext)?,
    )
    .await
    .map_err(|e| match e {
        CryptoError::Unavailable => BackupError::Unavailable,
        CryptoError::WrongPassphraseOrDamaged => BackupError::WrongPassphrase,
    })?;
    let text = String::from_utf8(plain).map_err(|_| BackupError::WrongPassphrase)?;
    Desk::from_text(&text).map_err(BackupError::Damaged)
}

/// Whether a desk holds anything a restore could lose.
fn is_empty(d: &Desk) -> bool {
    d.issuer.is_none()
        && d.templates.is_empty()
        && d.issued.is_empty()
        && d.status_lists.revocation.is_none()
        && d.status_lists.suspension.is_none()
        && d.ledger.is_none()
}

/// Why a backup could not be restored over the desk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RestoreError {
    /// The two cannot be merged (another school's key, a record that
    /// differs).
    Conflict(MergeConflict),
    /// A merged status list would show a published revocation as not
    /// revoked.
    Sign(DeskError),
}

/// The desk after restoring `restored` over `current` (see the module
/// docs). The lists whose merged bits are new are left for the desk's page
/// to sign ([`Desk::lists_to_sign`]).
pub fn restore_into(current: &Desk, restored: &Desk) -> Result<Desk, RestoreError> {
    let merged = merge_backup(current, restored).map_err(RestoreError::Conflict)?;
    for &purpose in &merged.resign {
        merged
            .desk
            .check_unrevokes_nothing(purpose)
            .map_err(RestoreError::Sign)?;
    }
    Ok(merged.desk)
}

fn merge_backup(current: &Desk, restored: &Desk) -> Result<Merged, MergeConflict> {
    if is_empty(current) {
        return Ok(Merged {
            desk: Desk {
                revision: current.revision,
                ..restored.clone()
            },
            resign: Vec::new(),
        });
    }
    // The merge keeps the later `last_backup` of the two.
    let mut merged = desk_merge::merge(&Desk::default(), current, restored)?;
    merged.desk.revision = current.revision;
    Ok(merged)
}

/// Whether something was issued or revoked after the last backup (or
/// there never was one while there is work to lose).
pub fn backup_due(desk: &Desk) -> bool {
    let Some(last) = &desk.last_backup else {
        return !desk.issued.is_empty();
    };
    desk.issued.iter().any(|r| {
        r.issued_at > *last
            || r.revoked.as_ref().is_some_and(|n| n.at > *last)
            || r.suspended.as_ref().is_some_and(|n| n.at > *last)
    })
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::state::teach::{IssuedRecord, IssuerSetup, StatusNote};
    use credentials::SecretKey;
    use serde_json::json;

    fn record(id: &str, at: &str) -> IssuedRecord {
        IssuedRecord {
            id: id.into(),
            email: None,
            issued_at: at.into(),
            template: "t".into(),
            student: id.into(),
            batch: None,
            credential: json!({"id": id}),
            receipt: None,
            revocation_index: None,
            suspension_index: None,
            revoked: None,
            suspended: None,
            reinstated: None,
        }
    }

    fn school(seed: u8) -> Option<IssuerSetup> {
        Some(IssuerSetup {
            secret_key_multibase: SecretKey::from_bytes(&[seed; 32]).to_multibase(),
            ..Default::default()
        })
    }

    #[test]
    fn a_restore_on_a_new_computer_is_exact() {
        let backed_up = Desk {
            issuer: school(3),
            issued: vec![record("urn:a", "2026-12-01T00:00:00Z")],
            revision: 9,
            ..Desk::default()
        };
        let fresh = Desk::default();
        let restored = merge_backup(&fresh, &backed_up).unwrap().desk;
        assert_eq!(
            restored,
            Desk {
                revision: 0,
                ..backed_up
            }
        );
    }

    #[test]
    fn an_older_backup_never_unrevokes_and_loses_nothing() {
        let old = Desk {
            issuer: school(3),
            issued: vec![record("urn:a", "2026-12-01T00:00:00Z")],
            ..Desk::default()
        };
        let mut now = old.clone();
        now.issued[0].revoked = Some(StatusNote {
            at: "2026-12-03T00:00:00Z".into(),
            reason: "r".into(),
        });
        now.issued.push(record("urn:b", "2026-12-04T00:00:00Z"));
        let merged = merge_backup(&now, &old).unwrap().desk;
        assert_eq!(merged.issued.len(), 2);
        assert!(merged.issued[0].revoked.is_some());
        assert_eq!(merged.issuer, now.issuer);
    }

    #[test]
    fn an_older_backup_never_suspends_again_what_was_reinstated() {
        let note = |at: &str| StatusNote {
            at: at.into(),
            reason: "r".into(),
        };
        let mut old = Desk {
            issuer: school(3),
            issued: vec![record("urn:a", "2026-12-01T00:00:00Z")],
            ..Desk::default()
        };
        old.issued[0].suspended = Some(note("2026-12-02T00:00:00Z"));
        let mut now = old.clone();
        now.issued[0].suspended = None;
        now.issued[0].reinstated = Some(note("2026-12-03T00:00:00Z"));
        let merged = merge_backup(&now, &old).unwrap().desk;
        assert_eq!(merged.issued[0].suspended, None);
        // A backup that suspended it again later does suspend it.
        let mut later = now.clone();
        later.issued[0].suspended = Some(note("2026-12-04T00:00:00Z"));
        let merged = merge_backup(&now, &later).unwrap().desk;
        assert_eq!(merged.issued[0].suspended, later.issued[0].suspended);
    }

    #[test]
    fn a_backup_of_another_school_is_refused() {
        let mine = Desk {
            issuer: school(3),
            ..Desk::default()
        };
        let other = Desk {
            issuer: school(4),
            ..Desk::default()
        };
        assert_eq!(
            restore_into(&mine, &other),
            Err(RestoreError::Conflict(MergeConflict::KeyChanged))
        );
    }

    #[test]
    fn headers_are_checked_before_any_work() {
        assert_eq!(read_header("{}"), Err(BackupError::NotABackup));
        assert_eq!(
            read_header(r#"{"format":"chainclass-desk-backup","version":2}"#),
            Err(BackupError::NewerVersion(2))
        );
        let file = json!({
            "format": BACKUP_FORMAT, "version": 1, "createdAt": "x", "school": "",
            "kdf": {"name": "PBKDF2", "hash": "SHA-256", "iterations": 1_000_000_000u64, "salt": ""},
            "cipher": {"name": "AES-GCM", "iv": ""}, "ciphertext": ""
        });
        assert_eq!(read_header(&file.to_string()), Err(BackupError::NotABackup));
    }

    #[test]
    fn a_reminder_is_due_after_issuing_or_revoking() {
        let mut d = Desk::default();
        assert!(!backup_due(&d));
        d.issued.push(record("urn:a", "2026-12-01T00:00:00Z"));
        assert!(backup_due(&d));
        d.last_backup = Some("2026-12-02T00:00:00Z".into());
        assert!(!backup_due(&d));
        d.issued[0].revoked = Some(StatusNote {
            at: "2026-12-03T00:00:00Z".into(),
            reason: "r".into(),
        });
        assert!(backup_due(&d));
    }
}
