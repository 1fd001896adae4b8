//! A small key-value store on IndexedDB, for everything that can grow (the
//! wallet, issued credentials, ledgers): values are JSON strings under
//! versioned keys in one object store.
//!
//! Like [`super::storage`], reads tell "nothing stored" apart from "stored but
//! unreadable", and nothing here ever deletes or overwrites on its own.
//!
//! [`update`] is the safe write for data that several tabs change: it reads
//! the stored value and writes what the caller makes of it inside one
//! `readwrite` transaction, so no other tab's write can fall between the
//! read and the write (IndexedDB runs overlapping `readwrite` transactions
//! on a store one after the other). The caller's function runs while the
//! transaction is open, so it must not await anything.

use std::fmt;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

const DB_NAME: &str = "chainclass";
const DB_VERSION: u32 = 1;
const STORE: &str = "kv";

/// Why IndexedDB could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdbError {
    /// The browser has no usable IndexedDB (private mode, disabled).
    Unavailable(String),
    /// A read or write failed (quota exceeded, aborted transaction).
    Failed(String),
    /// The stored value exists but is not text (written by something else).
    NotText {
        /// The key.
        key: String,
    },
}

impl fmt::Display for IdbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdbError::Unavailable(e) => write!(f, "IndexedDB is unavailable: {e}"),
            IdbError::Failed(e) => write!(f, "IndexedDB operation failed: {e}"),
            IdbError::NotText { key } => write!(f, "stored value {key:?} is not text"),
        }
    }
}

fn describe(v: &JsValue) -> String {
    if let Some(e) = v.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    if let Some(e) = v.dyn_ref::<web_sys::DomException>() {
        return e.message();
    }
    v.as_string().unwrap_or_else(|| format!("{v:?}"))
}

/// Resolves when an `IDBRequest` succeeds, with its result.
async fn request(req: &web_sys::IdbRequest) -> Result<JsValue, IdbError> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let err = Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = reject.call0(&JsValue::NULL);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(err.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(|_| {
        IdbError::Failed(
            req.error()
                .ok()
                .flatten()
                .map(|e| e.message())
                .unwrap_or_else(|| "request failed".into()),
        )
    })?;
    req.result().map_err(|e| IdbError::Failed(describe(&e)))
}

async fn open() -> Result<web_sys::IdbDatabase, IdbError> {
    let factory = web_sys::window()
        .ok_or_else(|| IdbError::Unavailable("no window".into()))?
        .indexed_db()
        .map_err(|e| IdbError::Unavailable(describe(&e)))?
        .ok_or_else(|| IdbError::Unavailable("no indexedDB".into()))?;
    let open = factory
        .open_with_u32(DB_NAME, DB_VERSION)
        .map_err(|e| IdbError::Unavailable(describe(&e)))?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let db = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<web_sys::IdbDatabase>().ok());
        if let Some(db) = db {
            if !db.object_store_names().contains(STORE) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let result = request(&open).await;
    open.set_onupgradeneeded(None);
    drop(upgrade);
    result?
        .dyn_into::<web_sys::IdbDatabase>()
        .map_err(|_| IdbError::Unavailable("open returned no database".into()))
}

fn store(
    db: &web_sys::IdbDatabase,
    mode: web_sys::IdbTransactionMode,
) -> Result<web_sys::IdbObjectStore, IdbError> {
    db.transaction_with_str_and_mode(STORE, mode)
        .and_then(|tx| tx.object_store(STORE))
        .map_err(|e| IdbError::Failed(describe(&e)))
}

/// Reads the text stored under `key`; `Ok(None)` when there is none.
pub async fn get(key: &str) -> Result<Option<String>, IdbError> {
    let db = open().await?;
    let req = store(&db, web_sys::IdbTransactionMode::Readonly)?
        .get(&JsValue::from_str(key))
        .map_err(|e| IdbError::Failed(describe(&e)))?;
    let value = request(&req).await;
    db.close();
    let value = value?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| IdbError::NotText {
            key: key.to_owned(),
        })
}

/// Stores `value` under `key`, replacing what was there.
pub async fn put(key: &str, value: &str) -> Result<(), IdbError> {
    let db = open().await?;
    let req = store(&db, web_sys::IdbTransactionMode::Readwrite)?
        .put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))
        .map_err(|e| IdbError::Failed(describe(&e)))?;
    let result = request(&req).await;
    db.close();
    result.map(|_| ())
}

/// What [`update`]'s function decided.
pub enum Update<T> {
    /// Store this text under the key, then give `T`.
    Write(String, T),
    /// Store nothing, give `T` (e.g. a refused change).
    Keep(T),
}

/// Resolves when `tx` has committed; fails if it aborted.
async fn committed(tx: &web_sys::IdbTransaction) -> Result<(), IdbError> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let reject2 = reject.clone();
        let abort = Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = reject.call0(&JsValue::NULL);
        });
        let err = Closure::once_into_js(move |_e: web_sys::Event| {
            let _ = reject2.call0(&JsValue::NULL);
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onabort(Some(abort.unchecked_ref()));
        tx.set_onerror(Some(err.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(|_| {
        IdbError::Failed(
            tx.error()
                .map(|e| e.message())
                .unwrap_or_else(|| "the transaction was aborted".into()),
        )
    })
}

/// Reads `key` and, in the same `readwrite` transaction, stores what
/// `change` makes of it (see the module docs). `change` gets the stored
/// text (`None` when there is none) and must not await. Returns its `T`
/// once the write (if any) has committed.
pub async fn update<T>(
    key: &str,
    change: impl FnOnce(Option<String>) -> Update<T>,
) -> Result<T, IdbError> {
    let db = open().await?;
    let result = update_in(&db, key, change).await;
    db.close();
    result
}

async fn update_in<T>(
    db: &web_sys::IdbDatabase,
    key: &str,
    change: impl FnOnce(Option<String>) -> Update<T>,
) -> Result<T, IdbError> {
    let tx = db
        .transaction_with_str_and_mode(STORE, web_sys::IdbTransactionMode::Readwrite)
        .map_err(|e| IdbError::Failed(describe(&e)))?;
    let store = tx
        .object_store(STORE)
        .map_err(|e| IdbError::Failed(describe(&e)))?;
    let req = store
        .get(&JsValue::from_str(key))
        .map_err(|e| IdbError::Failed(describe(&e)))?;
    let value = request(&req).await?;
    let current = if value.is_undefined() || value.is_null() {
        None
    } else {
        Some(value.as_string().ok_or_else(|| IdbError::NotText {
            key: key.to_owned(),
        })?)
    };
    // Still inside the success event's microtasks: the transaction is open.
    match change(current) {
        Update::Keep(out) => Ok(out),
        Update::Write(text, out) => {
            store
                .put_with_key(&JsValue::from_str(&text), &JsValue::from_str(key))
                .map_err(|e| IdbError::Failed(describe(&e)))?;
            committed(&tx).await?;
            Ok(out)
        }
    }
}

/// Removes `key` (only ever on the user's explicit request).
pub async fn delete(key: &str) -> Result<(), IdbError> {
    let db = open().await?;
    let req = store(&db, web_sys::IdbTransactionMode::Readwrite)?
        .delete(&JsValue::from_str(key))
        .map_err(|e| IdbError::Failed(describe(&e)))?;
    let result = request(&req).await;
    db.close();
    result.map(|_| ())
}
