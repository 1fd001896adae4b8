//! The school identity: create or import the signing key, the public profile
//! (bilingual name, website, logo, status-list address) and the key backup.

use super::bind;
use super::key::{check_pair, seal_and_store, PassphrasePair};
use crate::platform::{files, random};
use crate::state::key_lock;
use crate::state::settings::use_tr;
use crate::state::teach::{Desk, DeskAction, DeskHandle, IssuerSetup, MAX_LOGO};
use credentials::SecretKey;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Identity`].
#[derive(Properties, PartialEq)]
pub struct IdentityProps {
    /// The desk.
    pub desk: Rc<Desk>,
    /// The desk reducer.
    pub state: DeskHandle,
    /// Called when the key was locked in this tab (the page re-renders).
    pub on_lock: Callback<()>,
}

#[derive(Clone, PartialEq)]
enum Msg {
    Ok(&'static str),
    Err(&'static str),
}

fn is_web_url(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > 8
        && !s.chars().any(char::is_whitespace)
}

/// The identity and profile panel.
#[component]
pub fn Identity(props: &IdentityProps) -> Html {
    let tt = use_tr().teach();
    let current = props.desk.issuer.clone().unwrap_or_default();
    let name_en = use_state(|| current.name_en.clone());
    let name_zh = use_state(|| current.name_zh.clone());
    let url = use_state(|| current.url.clone());
    let status_url = use_state(|| current.status_base_url.clone());
    let logo = use_state(|| current.logo.clone());
    let sign_jcs = use_state(|| current.sign_jcs);
    let msg = use_state(|| None::<Msg>);
    let key_msg = use_state(|| None::<Msg>);
    let passphrase = use_state(String::new);
    let again = use_state(String::new);
    let busy = use_state(|| false);
    let did = current.did().map(|d| d.as_str().to_owned());

    // A new or imported key is sealed under the passphrase before it is
    // stored: the desk never holds it readable.
    let create = {
        let (state, key_msg, passphrase, again, busy) = (
            props.state.clone(),
            key_msg.clone(),
            passphrase.clone(),
            again.clone(),
            busy.clone(),
        );
        Callback::from(move |_| {
            if let Err(e) = check_pair(tt, &passphrase, &again) {
                return key_msg.set(Some(Msg::Err(e)));
            }
            let Ok(seed) = random::bytes32() else {
                return key_msg.set(Some(Msg::Err(tt.no_randomness)));
            };
            let key = SecretKey::from_bytes(&seed);
            let (state, key_msg, passphrase, busy) = (
                state.clone(),
                key_msg.clone(),
                passphrase.clone(),
                busy.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let done = seal_and_store(tt, &state, &busy, &key, &passphrase, false).await;
                key_msg.set(done.err().map(Msg::Err));
            });
        })
    };
    let import = {
        let (state, key_msg, passphrase, again, busy) = (
            props.state.clone(),
            key_msg.clone(),
            passphrase.clone(),
            again.clone(),
            busy.clone(),
        );
        Callback::from(move |e: Event| {
            let file = files::files_of_input(&e).into_iter().next();
            files::reset_input(&e);
            let Some(file) = file else {
                return;
            };
            let (state, key_msg, passphrase, again, busy) = (
                state.clone(),
                key_msg.clone(),
                passphrase.clone(),
                again.clone(),
                busy.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let key = match files::read_text(&file, 64.0 * 1024.0).await {
                    Ok(text) => credentials::json::parse_strict(&text)
                        .ok()
                        .and_then(|v| SecretKey::from_key_file(&v).ok()),
                    Err(_) => None,
                };
                let Some(key) = key else {
                    return key_msg.set(Some(Msg::Err(tt.id_import_bad)));
                };
                if let Err(e) = check_pair(tt, &passphrase, &again) {
                    return key_msg.set(Some(Msg::Err(e)));
                }
                let done = seal_and_store(tt, &state, &busy, &key, &passphrase, true).await;
                key_msg.set(Some(match done {
                    // Only the key: earlier certificates' revocations are not here.
                    Ok(()) => Msg::Ok(tt.key_only_warning),
                    Err(e) => Msg::Err(e),
                }));
            });
        })
    };
    let lock = {
        let on_lock = props.on_lock.clone();
        Callback::from(move |_| {
            key_lock::forget();
            on_lock.emit(());
        })
    };
    let unlocked = current.key().is_some();
    let backup = {
        let current = current.clone();
        Callback::from(move |_| {
            if let Some(key) = current.key() {
                let mut file = key.to_key_file();
                if let Some(obj) = file.as_object_mut() {
                    obj.insert("warning".into(), tt.key_warning.into());
                }
                let text = serde_json::to_string_pretty(&file).unwrap_or_default();
                let _ = files::download_text("school-signing-key.json", "application/json", &text);
            }
        })
    };
    let onlogo = {
        let (logo, msg) = (logo.clone(), msg.clone());
        Callback::from(move |e: Event| {
            if let Some(file) = files::files_of_input(&e).into_iter().next() {
                let (logo, msg) = (logo.clone(), msg.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if file.size() > MAX_LOGO {
                        return msg.set(Some(Msg::Err(tt.logo_too_large)));
                    }
                    match files::read_bytes(&file).await {
                        Ok(bytes) => match files::logo_mime(&bytes) {
                            Some(mime) => {
                                logo.set(Some(files::data_url(mime, &bytes)));
                                msg.set(None);
                            }
                            None => msg.set(Some(Msg::Err(tt.logo_bad))),
                        },
                        Err(_) => msg.set(Some(Msg::Err(tt.logo_bad))),
                    }
                });
            }
            files::reset_input(&e);
        })
    };
    let remove_logo = {
        let logo = logo.clone();
        Callback::from(move |_| logo.set(None))
    };
    let save = {
        let (state, msg) = (props.state.clone(), msg.clone());
        let (name_en, name_zh, url, status_url, logo, sign_jcs) = (
            name_en.clone(),
            name_zh.clone(),
            url.clone(),
            status_url.clone(),
            logo.clone(),
            sign_jcs.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if name_en.trim().is_empty() {
                return msg.set(Some(Msg::Err(tt.profile_needs_name)));
            }
            for u in [&*url, &*status_url] {
                if !u.trim().is_empty() && !is_web_url(u) {
                    return msg.set(Some(Msg::Err(tt.profile_bad_url)));
                }
            }
            state.dispatch(DeskAction::SetProfile(IssuerSetup {
                secret_key_multibase: String::new(),
                sealed_key: None,
                name_en: name_en.trim().to_owned(),
                name_zh: name_zh.trim().to_owned(),
                url: url.trim().to_owned(),
                logo: (*logo).clone(),
                status_base_url: status_url.trim().to_owned(),
                // Kept from the stored profile by `DeskAction::SetProfile`.
                history_unknown: false,
                sign_jcs: *sign_jcs,
            }));
            msg.set(Some(Msg::Ok(tt.profile_saved)));
        })
    };

    html! {
        <div class="grid2">
            <div class="panel">
                <h2>{ tt.id_title }</h2>
                <p class="hint">{ tt.id_body }</p>
                if let Some(did) = did {
                    <label>{ tt.id_did }</label>
                    <p><code class="mono" data-testid="issuer-did">{ did }</code></p>
                    if unlocked {
                        <div class="row">
                            <button type="button" class="secondary" onclick={backup} data-testid="key-backup">{ tt.key_backup }</button>
                            if current.sealed_key.is_some() {
                                <button type="button" class="secondary" onclick={lock} data-testid="key-lock">{ tt.key_lock }</button>
                            }
                        </div>
                        <p class="message info">{ tt.key_warning }</p>
                    } else {
                        <p class="hint">{ tt.key_locked_short }</p>
                    }
                } else {
                    <PassphrasePair first={passphrase.clone()} again={again.clone()} />
                    <div class="row">
                        <button type="button" class="primary" onclick={create} data-testid="create-issuer" disabled={*busy}>{ tt.id_create }</button>
                        <label class="button secondary file-button">
                            { tt.id_import }
                            <input type="file" accept=".json,application/json" data-testid="import-key" onchange={import} disabled={*busy} />
                        </label>
                    </div>
                    if *busy {
                        <p class="hint">{ tt.key_working }</p>
                    }
                }
                { match &*key_msg {
                    Some(Msg::Ok(m)) => html! { <p class="message ok" data-testid="key-msg">{ *m }</p> },
                    Some(Msg::Err(m)) => html! { <p class="message error" role="alert" data-testid="key-msg">{ *m }</p> },
                    None => html! {},
                } }
            </div>
            <form class="panel" onsubmit={save}>
                <label for="school-en">{ tt.name_en }</label>
                <input id="school-en" type="text" data-testid="school-name-en" value={(*name_en).clone()} oninput={bind(&name_en)} />
                <label for="school-zh">{ tt.name_zh }</label>
                <input id="school-zh" type="text" data-testid="school-name-zh" value={(*name_zh).clone()} oninput={bind(&name_zh)} />
                <label for="school-url">{ tt.school_url }</label>
                <input id="school-url" type="url" value={(*url).clone()} oninput={bind(&url)} />
                <label for="status-url">{ tt.status_url }</label>
                <input id="status-url" type="url" data-testid="status-url" value={(*status_url).clone()} oninput={bind(&status_url)} />
                <label for="school-logo">{ tt.logo }</label>
                <div class="row">
                    <input id="school-logo" type="file" accept="image/png,image/jpeg,image/svg+xml" data-testid="school-logo" onchange={onlogo} />
                    if let Some(src) = &*logo {
                        <img class="logo-preview" src={src.clone()} alt="" />
                        <button type="button" class="secondary" onclick={remove_logo}>{ tt.logo_remove }</button>
                    }
                </div>
                <fieldset class="choices">
                    <legend>{ tt.suite_label }</legend>
                    <label class="radio"><input type="radio" name="cryptosuite" data-testid="suite-rdfc" checked={!*sign_jcs}
                        onchange={{ let s = sign_jcs.clone(); Callback::from(move |_| s.set(false)) }} />{ " " }{ tt.suite_rdfc }</label>
                    <label class="radio"><input type="radio" name="cryptosuite" data-testid="suite-jcs" checked={*sign_jcs}
                        onchange={{ let s = sign_jcs.clone(); Callback::from(move |_| s.set(true)) }} />{ " " }{ tt.suite_jcs }</label>
                </fieldset>
                <p><button type="submit" class="primary" data-testid="save-profile">{ tt.save_profile }</button></p>
                { match &*msg {
                    Some(Msg::Ok(m)) => html! { <p class="message ok" data-testid="profile-msg">{ *m }</p> },
                    Some(Msg::Err(m)) => html! { <p class="message error" role="alert" data-testid="profile-msg">{ *m }</p> },
                    None => html! {},
                } }
            </form>
        </div>
    }
}
