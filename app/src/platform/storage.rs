//! Small settings in `localStorage`, under versioned keys.
//!
//! Reads distinguish "nothing stored" from "stored but unreadable", so a
//! damaged or newer-version value is never silently replaced by a default:
//! the caller decides (and shows a recovery screen for user data).

use serde::{de::DeserializeOwned, Serialize};
use std::fmt;

/// Why a stored value could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// The browser has no usable `localStorage` (private mode, disabled).
    Unavailable,
    /// The value exists but is not what this version of the app can read.
    Unreadable {
        /// The storage key.
        key: String,
        /// The raw stored text, kept so the user can download it.
        raw: String,
        /// The parser's complaint.
        reason: String,
    },
    /// The browser refused to store the value (quota exceeded).
    WriteRefused {
        /// The storage key.
        key: String,
    },
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::Unavailable => f.write_str("browser storage is unavailable"),
            StorageError::Unreadable { key, reason, .. } => {
                write!(f, "stored value {key:?} cannot be read: {reason}")
            }
            StorageError::WriteRefused { key } => write!(f, "the browser refused to store {key:?}"),
        }
    }
}

fn local() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(StorageError::Unavailable)
}

/// Reads and parses a JSON value. `Ok(None)` when nothing is stored.
pub fn load<T: DeserializeOwned>(key: &str) -> Result<Option<T>, StorageError> {
    let raw = match local()?.get_item(key) {
        Ok(Some(raw)) => raw,
        Ok(None) => return Ok(None),
        Err(_) => return Err(StorageError::Unavailable),
    };
    serde_json::from_str(&raw)
        .map(Some)
        .map_err(|e| StorageError::Unreadable {
            key: key.to_owned(),
            raw,
            reason: e.to_string(),
        })
}

/// Serialises and stores a JSON value.
pub fn save<T: Serialize>(key: &str, value: &T) -> Result<(), StorageError> {
    let text = serde_json::to_string(value).map_err(|_| StorageError::WriteRefused {
        key: key.to_owned(),
    })?;
    local()?
        .set_item(key, &text)
        .map_err(|_| StorageError::WriteRefused {
            key: key.to_owned(),
        })
}

/// The raw text stored under `key`, if any (and if `localStorage` works).
pub fn load_text(key: &str) -> Option<String> {
    local().ok()?.get_item(key).ok().flatten()
}
