//! The one recovery screen for stored data that cannot be read (the desk,
//! the wallet, each lesson; `state::stored`): the data is shown and offered
//! for download, and nothing is overwritten until the user explicitly starts
//! over. Also the one message for a save that did not reach storage.

use crate::platform::files;
use crate::state::settings::use_tr;
use crate::state::stored::SaveError;
use std::fmt::Debug;
use yew::prelude::*;

/// The wording of one recovery screen (from that area's string table).
#[derive(Clone, Copy, PartialEq)]
pub struct RecoveryText {
    /// Heading.
    pub title: &'static str,
    /// What happened and that nothing was changed.
    pub body: &'static str,
    /// Said when the data was saved by a newer version, if that is known.
    pub newer: Option<&'static str>,
    /// The download button.
    pub download: &'static str,
    /// The start-over button.
    pub reset: &'static str,
    /// The question before starting over.
    pub reset_confirm: &'static str,
}

/// Properties of [`Recovery`].
#[derive(Properties, PartialEq)]
pub struct RecoveryProps {
    /// The stored text, as found.
    pub raw: String,
    /// Name of the downloaded file.
    pub file_name: &'static str,
    /// The wording.
    pub text: RecoveryText,
    /// `data-testid` of the screen.
    pub testid: &'static str,
    /// Starts over (replaces the stored data), after confirmation.
    pub on_reset: Callback<()>,
}

/// Download first; start over only on an explicit, confirmed request.
#[component]
pub fn Recovery(props: &RecoveryProps) -> Html {
    let t = use_tr();
    let text = props.text;
    let confirm = use_state(|| false);
    let failed = use_state(|| false);
    let download = {
        let (raw, file_name, failed) = (props.raw.clone(), props.file_name, failed.clone());
        Callback::from(move |_| {
            failed.set(files::download_text(file_name, "application/json", &raw).is_err());
        })
    };
    let ask = {
        let c = confirm.clone();
        Callback::from(move |_| c.set(true))
    };
    let reset = props.on_reset.reform(|_: MouseEvent| ());
    html! {
        <div class="panel recovery" data-testid={props.testid} role="alert">
            <h2>{ text.title }</h2>
            <p>{ text.body }</p>
            if let Some(newer) = text.newer { <p>{ newer }</p> }
            <div class="row">
                <button type="button" class="primary" onclick={download} data-testid="recovery-download">{ text.download }</button>
                <button type="button" class="secondary" onclick={ask} data-testid="recovery-reset">{ text.reset }</button>
            </div>
            if *failed { <p class="message error">{ t.file_download_failed }</p> }
            if *confirm {
                <div class="message error">
                    <p>{ text.reset_confirm }</p>
                    <button type="button" class="danger" onclick={reset} data-testid="recovery-reset-yes">{ text.reset }</button>
                </div>
            }
            <details><summary>{ t.show_stored_text }</summary><pre>{ props.raw.chars().take(20_000).collect::<String>() }</pre></details>
        </div>
    }
}

/// Why the last save did not reach storage, in the user's words: `lead`
/// is the area's own sentence ("Your wallet could not be saved…").
pub fn save_problem<E: Debug>(
    t: &'static crate::i18n::Tr,
    lead: &'static str,
    error: Option<&SaveError<E>>,
) -> Html {
    let Some(error) = error else {
        return html! {};
    };
    let (said, detail) = match error {
        SaveError::Storage(e) => (t.store_refused, e.to_string()),
        SaveError::StoredUnreadable(e) => (t.store_unreadable_now, format!("{e:?}")),
    };
    html! {
        <div class="message error" role="alert" data-testid="save-problem">
            <p>{ lead }{ " " }{ said }</p>
            <details><summary>{ t.technical_detail }</summary><pre>{ detail }</pre></details>
        </div>
    }
}
