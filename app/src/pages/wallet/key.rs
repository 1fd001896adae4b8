//! The wallet's holder key panel: making the key (sealed under a passphrase
//! the student chooses, `state::key_lock`), sealing a key an older wallet
//! kept readable, and showing the DID. Unlocking happens where the key is
//! used, in the presentation form (`share.rs`).

use crate::i18n::wallet::WalletTr;
use crate::pages::bind;
use crate::platform::random;
use crate::state::key_lock::{self, KeyLockError};
use crate::state::settings::use_tr;
use crate::state::wallet::{Wallet, WalletAction, WalletHandle};
use credentials::SecretKey;
use std::rc::Rc;
use yew::prelude::*;

/// What the student is told when a key could not be sealed or opened.
pub fn lock_error_text(w: &'static WalletTr, e: KeyLockError) -> &'static str {
    match e {
        KeyLockError::WeakPassphrase => w.passphrase_short,
        KeyLockError::PassphraseMismatch => w.passphrase_mismatch,
        KeyLockError::NoRandomness => w.no_randomness,
        KeyLockError::WrongPassphrase => w.holder_unlock_wrong,
        KeyLockError::Unavailable => w.key_no_crypto,
        KeyLockError::Damaged => w.key_damaged,
    }
}

/// Properties of [`HolderKey`].
#[derive(Properties, PartialEq)]
pub struct HolderKeyProps {
    /// The wallet.
    pub wallet: Rc<Wallet>,
    /// The wallet reducer.
    pub state: WalletHandle,
}

/// The holder key panel.
#[component]
pub fn HolderKey(props: &HolderKeyProps) -> Html {
    let w = use_tr().wallet();
    let first = use_state(String::new);
    let again = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<&'static str>);
    let holder = props.wallet.holder().cloned();
    let readable = holder.as_ref().is_some_and(|h| h.key_is_readable());

    // Creates a key (no holder yet) or seals the readable one.
    let onsubmit = {
        let (first, again, busy, error, state) = (
            first.clone(),
            again.clone(),
            busy.clone(),
            error.clone(),
            props.state.clone(),
        );
        let existing = holder.as_ref().and_then(|h| h.key());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Err(e) = key_lock::check_new_passphrase(&first, &again) {
                return error.set(Some(lock_error_text(w, e)));
            }
            let key = match &existing {
                Some(k) => k.clone(),
                None => match random::bytes32() {
                    Ok(seed) => SecretKey::from_bytes(&seed),
                    Err(_) => return error.set(Some(w.no_randomness)),
                },
            };
            let (first, busy, error, state) =
                (first.clone(), busy.clone(), error.clone(), state.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let sealed = key_lock::seal_and_remember(&key, &first).await;
                busy.set(false);
                match sealed {
                    Ok(sealed) => {
                        error.set(None);
                        state.dispatch(WalletAction::SealHolder(sealed));
                    }
                    Err(e) => error.set(Some(lock_error_text(w, e))),
                }
            });
        })
    };
    let did = holder
        .as_ref()
        .and_then(|h| h.did())
        .map(|d| d.as_str().to_owned());
    html! {
        <div class="panel">
            <h2>{ w.holder_title }</h2>
            <p class="hint">{ w.holder_body }</p>
            if let Some(did) = did.clone() {
                <p><code class="mono" data-testid="holder-did">{ did }</code></p>
            }
            if did.is_none() || readable {
                <form {onsubmit} data-testid={if readable { "holder-readable" } else { "holder-new" }}>
                    if readable {
                        <p class="message error">{ w.holder_readable }</p>
                    }
                    <label for="holder-passphrase">{ w.holder_passphrase }</label>
                    <input id="holder-passphrase" type="password" autocomplete="new-password" data-testid="holder-passphrase"
                        value={(*first).clone()} oninput={bind(&first)} />
                    <label for="holder-passphrase-again">{ w.holder_passphrase_again }</label>
                    <input id="holder-passphrase-again" type="password" autocomplete="new-password" data-testid="holder-passphrase-again"
                        value={(*again).clone()} oninput={bind(&again)} />
                    <p class="hint">{ w.holder_passphrase_hint }</p>
                    if readable {
                        <button type="submit" class="primary" data-testid="seal-holder" disabled={*busy}>{ w.holder_seal }</button>
                    } else {
                        <button type="submit" class="primary" data-testid="create-holder" disabled={*busy}>{ w.holder_create }</button>
                    }
                    if *busy {
                        <p class="hint">{ w.key_working }</p>
                    }
                    if let Some(e) = *error {
                        <p class="message error" role="alert" data-testid="holder-error">{ e }</p>
                    }
                </form>
            }
        </div>
    }
}
