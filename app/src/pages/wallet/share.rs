//! Sharing from the wallet: a credential (or a freshly signed presentation) as
//! a verify link, a QR code drawn in Rust, or a file. The link's DEFLATE is
//! the browser's (`platform::compress`), so this page has no compressor. A
//! presentation is signed with the holder key, opened first with the
//! student's passphrase when it is sealed.

use super::key::lock_error_text;
use crate::pages::bind;
use crate::platform::{clock, compress, files};
use crate::state::key_lock;
use crate::state::settings::use_tr;
use crate::state::wallet::StoredHolder;
use credentials::presentation::{sign_presentation, unsigned_presentation};
use credentials::DidKey;
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Share`].
#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// The document to share (a credential or a presentation).
    pub doc: Rc<Value>,
}

/// Link (with copy), QR code and file download for a document.
#[component]
pub fn Share(props: &ShareProps) -> Html {
    let t = use_tr();
    let w = t.wallet();
    let copied = use_state(|| None::<bool>);
    let link = use_state(|| None::<Rc<str>>);
    {
        let link = link.clone();
        use_effect_with(props.doc.clone(), move |doc| {
            link.set(None);
            // The compact form: shorter links, QR codes with fewer modules.
            let bytes = credentials::share::compact_bytes(doc);
            wasm_bindgen_futures::spawn_local(async move {
                let deflated = match compress::deflate_raw(&bytes).await {
                    Some(deflated) => deflated,
                    None => credentials::share::deflate_stored(&bytes),
                };
                let payload = credentials::share::compact_payload(&deflated);
                let url = credentials::share::verify_link(&files::app_base_url(), &payload);
                link.set(Some(url.into()));
            });
        });
    }
    let download = {
        let doc = props.doc.clone();
        Callback::from(move |_| {
            let text = serde_json::to_string_pretty(&*doc).unwrap_or_default();
            let _ = files::download_text("certificate.json", "application/ld+json", &text);
        })
    };
    let Some(link) = (*link).clone() else {
        return html! {
            <div class="share panel" data-testid="share-panel">
                <p class="hint">{ w.share_note }</p>
                <button type="button" class="secondary" onclick={download} data-testid="share-download">{ w.download_file }</button>
            </div>
        };
    };
    let link = link.to_string();
    let qr = crate::qr::svg(&link).ok();
    let copy = {
        let link = link.clone();
        let copied = copied.clone();
        Callback::from(move |_| {
            let (link, copied) = (link.clone(), copied.clone());
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(files::copy_text(&link).await));
            });
        })
    };
    html! {
        <div class="share panel" data-testid="share-panel">
            <p class="hint">{ w.share_note }</p>
            <label>{ w.share_link }</label>
            <input type="text" readonly=true class="mono" value={link.clone()} data-testid="share-link"
                aria-label={w.share_link_label} />
            <div class="row">
                <button type="button" class="secondary" onclick={copy}>{ w.copy_link }</button>
                <button type="button" class="secondary" onclick={download} data-testid="share-download">{ w.download_file }</button>
                <a class="button secondary" href={link} target="_blank" rel="noopener">{ t.verify().submit }</a>
            </div>
            { match *copied {
                Some(true) => html! { <p class="message ok">{ w.copied }</p> },
                Some(false) => html! { <p class="message error">{ w.copy_failed }</p> },
                None => html! {},
            } }
            if let Some(svg) = qr {
                <div class="qr-box" data-testid="share-qr">{ Html::from_html_unchecked(svg.into()) }</div>
            } else {
                <p class="note">{ w.qr_too_long }</p>
            }
        </div>
    }
}

/// Properties of [`Present`].
#[derive(Properties, PartialEq)]
pub struct PresentProps {
    /// The credential to present.
    pub credential: Rc<Value>,
    /// The holder key that signs.
    pub holder: Option<Rc<StoredHolder>>,
}

/// Signs a presentation of one credential for a verifier's challenge and domain.
#[component]
pub fn Present(props: &PresentProps) -> Html {
    let t = use_tr();
    let w = t.wallet();
    let challenge = use_state(String::new);
    let domain = use_state(String::new);
    let result = use_state(|| None::<Result<Rc<Value>, String>>);
    let passphrase = use_state(String::new);
    let busy = use_state(|| false);
    let locked = props.holder.as_ref().is_some_and(|h| h.is_locked());
    let create = {
        let (challenge, domain, result, passphrase, busy) = (
            challenge.clone(),
            domain.clone(),
            result.clone(),
            passphrase.clone(),
            busy.clone(),
        );
        let credential = props.credential.clone();
        let holder = props.holder.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(holder) = holder.clone() else {
                result.set(Some(Err(t.wallet().holder_title.to_owned())));
                return;
            };
            let (challenge, domain, result, passphrase, busy, credential) = (
                challenge.clone(),
                domain.clone(),
                result.clone(),
                passphrase.clone(),
                busy.clone(),
                credential.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                // A sealed key is opened with the passphrase typed here, and
                // stays open for the rest of this page's life.
                let key = match (&holder.sealed, holder.key()) {
                    (_, Some(key)) => Ok(key),
                    (Some(sealed), None) => key_lock::open_key(sealed, &passphrase)
                        .await
                        .inspect(|key| {
                            key_lock::remember(key);
                            passphrase.set(String::new());
                        })
                        .map_err(|e| lock_error_text(t.wallet(), e).to_owned()),
                    (None, None) => Err(t.wallet().key_damaged.to_owned()),
                };
                busy.set(false);
                let key = match key {
                    Ok(key) => key,
                    Err(e) => return result.set(Some(Err(e))),
                };
                let did = DidKey::from_public_key(key.public_key());
                let vp = unsigned_presentation(did.as_str(), vec![(*credential).clone()], None);
                let now = clock::now_rfc3339();
                result.set(Some(
                    sign_presentation(&vp, &key, challenge.trim(), domain.trim(), Some(&now))
                        .map(Rc::new)
                        .map_err(|e| format!("{e:?}")),
                ));
            });
        })
    };
    html! {
        <form class="panel present" onsubmit={create}>
            <h4>{ w.present_title }</h4>
            <p class="hint">{ w.present_body }</p>
            <div class="grid2">
                <div>
                    <label for="present-challenge">{ w.present_challenge_label }</label>
                    <input id="present-challenge" type="text" required=true data-testid="present-challenge"
                        value={(*challenge).clone()} oninput={bind(&challenge)} />
                </div>
                <div>
                    <label for="present-domain">{ w.present_domain_label }</label>
                    <input id="present-domain" type="text" required=true data-testid="present-domain"
                        value={(*domain).clone()} oninput={bind(&domain)} />
                </div>
            </div>
            if locked {
                <label for="present-passphrase">{ w.holder_unlock_label }</label>
                <input id="present-passphrase" type="password" autocomplete="current-password" required=true
                    data-testid="present-passphrase" value={(*passphrase).clone()} oninput={bind(&passphrase)} />
            }
            <button type="submit" class="primary" data-testid="present-create" disabled={*busy}>{ w.present_create }</button>
            { match &*result {
                Some(Ok(vp)) => html! {
                    <>
                        <p class="message ok" data-testid="present-done">{ w.present_done }</p>
                        <Share doc={vp.clone()} />
                    </>
                },
                Some(Err(e)) => html! { <p class="message error">{ w.present_failed }{ " " }{ e.clone() }</p> },
                None => html! {},
            } }
        </form>
    }
}
