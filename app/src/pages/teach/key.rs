//! The school key's lock: unlocking a sealed key in this tab, sealing a key
//! an older ChainClass stored readable, and the passphrase pair asked for
//! when a key is created or imported. The sealing itself is
//! `state::key_lock`.

use super::bind;
use crate::i18n::teach::TeachTr;
use crate::state::key_lock::{self, KeyLockError};
use crate::state::settings::use_tr;
use crate::state::teach::{Desk, DeskAction, DeskHandle};
use credentials::SecretKey;
use std::rc::Rc;
use yew::prelude::*;

/// What the teacher is told when a key could not be sealed or opened.
pub fn lock_error_text(tt: &'static TeachTr, e: KeyLockError) -> &'static str {
    match e {
        KeyLockError::WeakPassphrase => tt.key_passphrase_short,
        KeyLockError::PassphraseMismatch => tt.key_passphrase_mismatch,
        KeyLockError::NoRandomness => tt.no_randomness,
        KeyLockError::WrongPassphrase => tt.key_unlock_wrong,
        KeyLockError::Unavailable => tt.key_no_crypto,
        KeyLockError::Damaged => tt.key_damaged,
    }
}

/// Seals `key` under `passphrase` (with fresh randomness), keeps it
/// unlocked in this tab, and stores the sealed key (`imported`: from a key
/// file, see `DeskAction::ImportKey`); `busy` is set while the browser
/// works.
pub async fn seal_and_store(
    tt: &'static TeachTr,
    state: &DeskHandle,
    busy: &UseStateHandle<bool>,
    key: &SecretKey,
    passphrase: &str,
    imported: bool,
) -> Result<(), &'static str> {
    busy.set(true);
    let sealed = key_lock::seal_and_remember(key, passphrase).await;
    busy.set(false);
    let sealed = sealed.map_err(|e| lock_error_text(tt, e))?;
    state.dispatch(if imported {
        DeskAction::ImportKey(sealed)
    } else {
        DeskAction::SetKey(sealed)
    });
    Ok(())
}

/// Checks a new passphrase typed twice, in the teacher's words.
pub fn check_pair(tt: &'static TeachTr, first: &str, again: &str) -> Result<(), &'static str> {
    key_lock::check_new_passphrase(first, again).map_err(|e| lock_error_text(tt, e))
}

/// Properties of [`PassphrasePair`].
#[derive(Properties, PartialEq)]
pub struct PassphrasePairProps {
    /// The first field.
    pub first: UseStateHandle<String>,
    /// The repeat.
    pub again: UseStateHandle<String>,
}

/// The two passphrase fields for a new or imported key.
#[component]
pub fn PassphrasePair(props: &PassphrasePairProps) -> Html {
    let tt = use_tr().teach();
    html! {
        <>
            <label for="key-passphrase">{ tt.key_passphrase }</label>
            <input id="key-passphrase" type="password" autocomplete="new-password" data-testid="key-passphrase"
                value={(*props.first).clone()} oninput={bind(&props.first)} />
            <label for="key-passphrase-again">{ tt.key_passphrase_again }</label>
            <input id="key-passphrase-again" type="password" autocomplete="new-password" data-testid="key-passphrase-again"
                value={(*props.again).clone()} oninput={bind(&props.again)} />
            <p class="hint">{ tt.key_passphrase_hint }</p>
        </>
    }
}

/// Properties of [`KeyLock`].
#[derive(Properties, PartialEq)]
pub struct KeyLockProps {
    /// The desk.
    pub desk: Rc<Desk>,
    /// The desk reducer.
    pub state: DeskHandle,
    /// Called once the key was unlocked (the page re-renders: the unlocked
    /// key is not desk state).
    pub on_change: Callback<()>,
}

/// The banner above every tab while the school key is locked in this tab
/// (unlock it) or stored readable (seal it).
#[component]
pub fn KeyLock(props: &KeyLockProps) -> Html {
    let tt = use_tr().teach();
    let passphrase = use_state(String::new);
    let again = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<&'static str>);
    let Some(issuer) = props.desk.issuer.clone() else {
        return html! {};
    };
    if issuer.is_locked() {
        let onsubmit = {
            let (passphrase, busy, error, on_change) = (
                passphrase.clone(),
                busy.clone(),
                error.clone(),
                props.on_change.clone(),
            );
            let sealed = issuer.sealed_key.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let Some(sealed) = sealed.clone() else {
                    return;
                };
                let (passphrase, busy, error, on_change) = (
                    passphrase.clone(),
                    busy.clone(),
                    error.clone(),
                    on_change.clone(),
                );
                busy.set(true);
                wasm_bindgen_futures::spawn_local(async move {
                    let opened = key_lock::open_key(&sealed, &passphrase).await;
                    busy.set(false);
                    match opened {
                        Ok(key) => {
                            key_lock::remember(&key);
                            passphrase.set(String::new());
                            error.set(None);
                            on_change.emit(());
                        }
                        Err(e) => error.set(Some(lock_error_text(tt, e))),
                    }
                });
            })
        };
        return html! {
            <form class="message info key-lock" data-testid="key-locked" {onsubmit}>
                <p>{ tt.key_locked }</p>
                <label for="unlock-passphrase">{ tt.key_unlock_label }</label>
                <div class="row">
                    <input id="unlock-passphrase" type="password" autocomplete="current-password"
                        data-testid="unlock-passphrase" value={(*passphrase).clone()} oninput={bind(&passphrase)} />
                    <button type="submit" class="primary" data-testid="unlock" disabled={*busy}>{ tt.key_unlock }</button>
                </div>
                if *busy {
                    <p class="hint">{ tt.key_working }</p>
                }
                if let Some(e) = *error {
                    <p class="message error" role="alert" data-testid="unlock-error">{ e }</p>
                }
            </form>
        };
    }
    if issuer.key_is_readable() {
        let onsubmit = {
            let (passphrase, again, busy, error, state) = (
                passphrase.clone(),
                again.clone(),
                busy.clone(),
                error.clone(),
                props.state.clone(),
            );
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                if let Err(e) = check_pair(tt, &passphrase, &again) {
                    return error.set(Some(e));
                }
                let Some(key) = issuer.key() else {
                    return error.set(Some(tt.key_damaged));
                };
                let (passphrase, busy, error, state) = (
                    passphrase.clone(),
                    busy.clone(),
                    error.clone(),
                    state.clone(),
                );
                wasm_bindgen_futures::spawn_local(async move {
                    let done = seal_and_store(tt, &state, &busy, &key, &passphrase, false).await;
                    error.set(done.err());
                });
            })
        };
        return html! {
            <form class="message error key-lock" data-testid="key-readable" {onsubmit}>
                <p>{ tt.key_readable }</p>
                <PassphrasePair first={passphrase.clone()} again={again.clone()} />
                <button type="submit" class="primary" data-testid="seal-key" disabled={*busy}>{ tt.key_seal }</button>
                if *busy {
                    <p class="hint">{ tt.key_working }</p>
                }
                if let Some(e) = *error {
                    <p class="message error" role="alert">{ e }</p>
                }
            </form>
        };
    }
    html! {}
}
