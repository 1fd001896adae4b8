//! `#/learn/keys`: make an Ed25519 key pair from the browser's secure random
//! numbers, see its public key, `did:key` and class-ledger address, sign a
//! message, and check a signature — which fails as soon as one character of
//! the message, the signature or the key changes.
//!
//! The `did:key` comes from the `credentials` crate
//! (`did:key:z` + base58btc(0xed 0x01 ‖ public key)), the same function the
//! certificates use, so the identity shown here is the one a teacher signs
//! certificates with.

use super::explain;
use super::{badge, fill, input_value, use_mark_done, LessonId};
use crate::platform::random;
use crate::state::settings::use_tr;
use ledger::{Account, PublicKey, Signature};
use yew::prelude::*;

/// The `did:key` of an Ed25519 public key, if its bytes are a valid key.
pub fn did_key(key: &PublicKey) -> Option<String> {
    let key = credentials::keys::PublicKey::from_bytes(key.as_bytes()).ok()?;
    Some(
        credentials::DidKey::from_public_key(key)
            .as_str()
            .to_owned(),
    )
}

/// The outcome of checking a signature, in the student's words.
enum Check {
    Valid,
    Invalid(String),
}

#[component]
pub fn KeysLesson() -> Html {
    let t = use_tr();
    let l = t.learn();
    let mark_done = use_mark_done(LessonId::Keys);
    // A key pair is ready on arrival, so there is something to look at.
    let account = use_state(|| random::bytes32().ok().map(|seed| Account::from_seed(&seed)));
    let show_secret = use_state(|| false);
    let random_failed = use_state(|| false);
    let message = use_state(|| l.keys_default_message.to_owned());
    let signed = use_state(|| None::<(String, Signature)>);
    let check_message = use_state(String::new);
    let check_signature = use_state(String::new);
    let check_key = use_state(String::new);

    let generate = {
        let account = account.clone();
        let random_failed = random_failed.clone();
        let signed = signed.clone();
        let show_secret = show_secret.clone();
        Callback::from(move |_| match random::bytes32() {
            Ok(seed) => {
                account.set(Some(Account::from_seed(&seed)));
                signed.set(None);
                show_secret.set(false);
                random_failed.set(false);
            }
            Err(_) => random_failed.set(true),
        })
    };
    let on_message = {
        let message = message.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                message.set(v);
            }
        })
    };
    let sign = {
        let account = account.clone();
        let message = message.clone();
        let signed = signed.clone();
        let check_message = check_message.clone();
        let check_signature = check_signature.clone();
        let check_key = check_key.clone();
        Callback::from(move |_| {
            let Some(account) = (*account).clone() else {
                return;
            };
            let signature = account.sign(message.as_bytes());
            check_message.set((*message).clone());
            check_signature.set(signature.to_string());
            check_key.set(account.public_key().to_string());
            signed.set(Some(((*message).clone(), signature)));
        })
    };
    let setter = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                handle.set(v);
            }
        })
    };
    let someone_else = {
        let check_key = check_key.clone();
        let random_failed = random_failed.clone();
        Callback::from(move |_| match random::bytes32() {
            Ok(seed) => check_key.set(Account::from_seed(&seed).public_key().to_string()),
            Err(_) => random_failed.set(true),
        })
    };
    let toggle_secret = {
        let show_secret = show_secret.clone();
        Callback::from(move |_| show_secret.set(!*show_secret))
    };

    // Check whatever is in the three boxes.
    let check = signed.as_ref().map(|_| {
        let key = check_key.trim().parse::<PublicKey>();
        let signature = check_signature.trim().parse::<Signature>();
        match (key, signature) {
            (Err(e), _) => Check::Invalid(fill(
                l.keys_key_problem,
                &[("reason", explain::hex_error(l, &e))],
            )),
            (_, Err(e)) => Check::Invalid(fill(
                l.keys_signature_problem,
                &[("reason", explain::hex_error(l, &e))],
            )),
            (Ok(key), Ok(signature)) => match key.verify(check_message.as_bytes(), &signature) {
                Ok(()) => Check::Valid,
                Err(e) => Check::Invalid(explain::signature_error(l, &e)),
            },
        }
    });
    {
        // Seeing a changed message fail is the point of the lesson.
        let failed_after_change = matches!(check, Some(Check::Invalid(_)))
            && signed
                .as_ref()
                .is_some_and(|(text, _)| *text != *check_message);
        use_effect_with(failed_after_change, move |failed| {
            if *failed {
                mark_done.emit(());
            }
        });
    }

    html! {
        <div class="lesson-body keys-lesson">
            <div class="panel">
                <h2>{ l.keys_pair_heading }</h2>
                <button type="button" class="primary" onclick={generate} data-testid="generate">
                    { if account.is_some() { l.keys_generate_again } else { l.keys_generate } }
                </button>
                if *random_failed {
                    <p class="message error" role="alert">{ l.keys_random_failed }</p>
                }
                if let Some(account) = (*account).clone() {
                    <dl class="fields wide" data-testid="key-pair">
                        <dt>{ l.keys_secret_label }</dt>
                        <dd>
                            if *show_secret {
                                <code class="secret">{ ledger::Hash::from_bytes(account.seed()).to_string() }</code>
                            } else {
                                <code aria-label={l.keys_secret_hidden}>{ String::from("•").repeat(32) }</code>
                            }
                            <button type="button" class="secondary small" aria-pressed={show_secret.to_string()}
                                onclick={toggle_secret}>{ l.keys_show_secret }</button>
                            <p class="muted">{ l.keys_secret_note }</p>
                        </dd>
                        <dt>{ l.keys_public_label }</dt>
                        <dd><code data-testid="public-key">{ account.public_key().to_string() }</code></dd>
                        <dt>{ l.keys_did_label }</dt>
                        <dd>
                            <code data-testid="did-key">{ did_key(&account.public_key()).unwrap_or_else(|| "—".into()) }</code>
                            <p class="muted">{ l.keys_did_note }</p>
                        </dd>
                        <dt>{ l.keys_address_label }</dt>
                        <dd>
                            <code>{ account.address().to_string() }</code>
                            <p class="muted">{ l.keys_address_note }</p>
                        </dd>
                    </dl>
                }
            </div>

            if account.is_some() {
                <div class="panel">
                    <h2>{ l.keys_sign_heading }</h2>
                    <label for="sign-message">{ l.keys_message_label }</label>
                    <textarea id="sign-message" class="short" value={(*message).clone()} oninput={on_message} />
                    <button type="button" class="primary" onclick={sign} data-testid="sign">{ l.keys_sign }</button>
                    if let Some((_, signature)) = (*signed).clone() {
                        <p class="hash-label">{ l.keys_signature_label }</p>
                        <code class="hash" data-testid="signature">{ signature.to_string() }</code>
                    }
                </div>
            }

            if signed.is_some() {
                <div class="panel">
                    <h2>{ l.keys_verify_heading }</h2>
                    <p>{ l.keys_verify_intro }</p>
                    <label for="check-message">{ l.keys_check_message_label }</label>
                    <textarea id="check-message" class="short" data-testid="check-message"
                        value={(*check_message).clone()} oninput={setter(&check_message)} />
                    <label for="check-signature">{ l.keys_signature_label }</label>
                    <input id="check-signature" type="text" class="mono" spellcheck="false"
                        value={(*check_signature).clone()} oninput={setter(&check_signature)} />
                    <label for="check-key">{ l.keys_public_label }</label>
                    <input id="check-key" type="text" class="mono" spellcheck="false"
                        value={(*check_key).clone()} oninput={setter(&check_key)} />
                    <div class="row">
                        <button type="button" class="secondary" onclick={someone_else}>{ l.keys_other_key }</button>
                    </div>
                    <p class="sig-verdict" role="status" aria-live="polite" data-testid="verdict">
                        { match &check {
                            Some(Check::Valid) => badge(true, l.keys_valid),
                            Some(Check::Invalid(reason)) => html! {
                                <>
                                    { badge(false, l.keys_invalid) }
                                    <span class="reason">{ " " }{ reason.clone() }</span>
                                </>
                            },
                            None => html! {},
                        } }
                    </p>
                </div>
            }
            <div class="panel explain">
                <h2>{ l.keys_why_heading }</h2>
                <ul>{ for l.keys_facts.iter().map(|f| html! { <li>{ *f }</li> }) }</ul>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn did_key_is_z6mk_base58() {
        // RFC 8032 test 1: secret 9d61…7f60 has public key d75a…511a.
        let key: PublicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
            .parse()
            .unwrap();
        assert_eq!(
            did_key(&key).unwrap(),
            "did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw"
        );
    }
}
