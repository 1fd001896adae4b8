//! The full desk backup: download the whole desk encrypted under a
//! passphrase, restore it on another computer (or over this desk, merged),
//! and when the last one was made. The format and the restore rules are in
//! `state/desk_backup.rs`.

use super::bind;
use crate::i18n::teach::TeachTr;
use crate::platform::{clock, files, random};
use crate::state::desk_backup::{self, BackupError, RestoreError, MIN_PASSPHRASE};
use crate::state::desk_merge::MergeConflict;
use crate::state::settings::use_tr;
use crate::state::teach::{Desk, DeskAction, DeskError, DeskHandle};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`DeskBackup`].
#[derive(Properties, PartialEq)]
pub struct DeskBackupProps {
    /// The desk.
    pub desk: Rc<Desk>,
    /// The desk reducer.
    pub state: DeskHandle,
}

#[derive(Clone, PartialEq)]
enum Msg {
    Ok(String),
    Err(String),
}

fn backup_error(tt: &'static TeachTr, e: &BackupError) -> String {
    match e {
        BackupError::WeakPassphrase => tt.backup_weak.replace("{n}", &MIN_PASSPHRASE.to_string()),
        BackupError::NotABackup | BackupError::Damaged(_) => tt.restore_not_backup.into(),
        BackupError::NewerVersion(_) => tt.restore_newer.into(),
        BackupError::WrongPassphrase => tt.restore_wrong.into(),
        BackupError::Unavailable => tt.backup_unavailable.into(),
    }
}

/// The backup and restore panel.
#[component]
pub fn DeskBackup(props: &DeskBackupProps) -> Html {
    let tt = use_tr().teach();
    let pass = use_state(String::new);
    let pass2 = use_state(String::new);
    let restore_pass = use_state(String::new);
    let file_text = use_state(|| None::<(String, String)>);
    let msg = use_state(|| None::<Msg>);
    let busy = use_state(|| false);

    let download = {
        let (desk, state, pass, pass2, msg, busy) = (
            props.desk.clone(),
            props.state.clone(),
            pass.clone(),
            pass2.clone(),
            msg.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *pass != *pass2 {
                return msg.set(Some(Msg::Err(tt.backup_mismatch.into())));
            }
            let Ok(random) = random::bytes32() else {
                return msg.set(Some(Msg::Err(tt.no_randomness.into())));
            };
            let (desk, state, passphrase, msg, busy) = (
                desk.clone(),
                state.clone(),
                (*pass).clone(),
                msg.clone(),
                busy.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let now = clock::now_rfc3339();
                let result = desk_backup::make_backup(&desk, &passphrase, &now, random).await;
                busy.set(false);
                match result {
                    Ok(text) => {
                        let name = format!(
                            "chainclass-desk-backup-{}.json",
                            now.get(..10).unwrap_or("x")
                        );
                        match files::download_text(&name, "application/json", &text) {
                            Ok(()) => {
                                state.dispatch(DeskAction::BackedUp(now));
                                msg.set(Some(Msg::Ok(tt.backup_done.into())));
                            }
                            Err(e) => msg.set(Some(Msg::Err(e))),
                        }
                    }
                    Err(e) => msg.set(Some(Msg::Err(backup_error(tt, &e)))),
                }
            });
        })
    };
    let choose = {
        let (file_text, msg) = (file_text.clone(), msg.clone());
        Callback::from(move |e: Event| {
            if let Some(file) = files::files_of_input(&e).into_iter().next() {
                let (file_text, msg) = (file_text.clone(), msg.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match files::read_text(&file, 32.0 * 1024.0 * 1024.0).await {
                        Ok(text) => match desk_backup::read_header(&text) {
                            Ok(_) => {
                                msg.set(None);
                                file_text.set(Some((file.name(), text)));
                            }
                            Err(e) => msg.set(Some(Msg::Err(backup_error(tt, &e)))),
                        },
                        Err(_) => msg.set(Some(Msg::Err(tt.restore_not_backup.into()))),
                    }
                });
            }
        })
    };
    let restore = {
        let (desk, state, restore_pass, file_text, msg, busy) = (
            props.desk.clone(),
            props.state.clone(),
            restore_pass.clone(),
            file_text.clone(),
            msg.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some((_, text)) = (*file_text).clone() else {
                return msg.set(Some(Msg::Err(tt.restore_choose.into())));
            };
            let (desk, state, passphrase, msg, busy) = (
                desk.clone(),
                state.clone(),
                (*restore_pass).clone(),
                msg.clone(),
                busy.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let opened = desk_backup::open_backup(&text, &passphrase).await;
                busy.set(false);
                let restored = match opened {
                    Ok(d) => d,
                    Err(e) => return msg.set(Some(Msg::Err(backup_error(tt, &e)))),
                };
                match desk_backup::restore_into(&desk, &restored) {
                    Err(RestoreError::Sign(e)) => {
                        let text = match e {
                            DeskError::Refused(_) | DeskError::NoEntry => {
                                tt.restore_not_backup.to_owned()
                            }
                            e => super::desk_error_text(tt, &e),
                        };
                        msg.set(Some(Msg::Err(text)));
                    }
                    Ok(to) => {
                        let count = to.issued.len();
                        state.dispatch(DeskAction::Replace {
                            from: desk.clone(),
                            to: Box::new(to),
                        });
                        msg.set(Some(Msg::Ok(
                            tt.restore_done.replace("{n}", &count.to_string()),
                        )));
                    }
                    Err(RestoreError::Conflict(MergeConflict::KeyChanged)) => {
                        msg.set(Some(Msg::Err(tt.restore_other_school.into())))
                    }
                    Err(_) => msg.set(Some(Msg::Err(tt.conflict_record.into()))),
                }
            });
        })
    };
    let last = match &props.desk.last_backup {
        Some(at) => tt.backup_last.replace(
            "{at}",
            at.get(..16).unwrap_or(at).replace('T', " ").as_str(),
        ),
        None => tt.backup_never.to_owned(),
    };
    html! {
        <div class="panel" data-testid="desk-backup-panel">
            <h2>{ tt.backup_title }</h2>
            <p class="hint">{ tt.backup_intro }</p>
            <p data-testid="backup-last">{ last }</p>
            if desk_backup::backup_due(&props.desk) {
                <p class="message info" data-testid="backup-due">{ tt.backup_reminder }</p>
            }
            if props.desk.issuer.is_some() {
            <form onsubmit={download}>
                <label for="backup-pass">{ tt.backup_pass }</label>
                <input id="backup-pass" type="password" autocomplete="new-password" data-testid="backup-pass"
                    value={(*pass).clone()} oninput={bind(&pass)} />
                <label for="backup-pass2">{ tt.backup_pass2 }</label>
                <input id="backup-pass2" type="password" autocomplete="new-password" data-testid="backup-pass2"
                    value={(*pass2).clone()} oninput={bind(&pass2)} />
                <p><button type="submit" class="primary" disabled={*busy} data-testid="desk-backup">{ tt.backup_button }</button></p>
            </form>
            }
            <h3>{ tt.restore_title }</h3>
            <form onsubmit={restore}>
                <label class="button secondary file-button">
                    { tt.restore_file }
                    <input type="file" accept=".json,application/json" data-testid="restore-file" onchange={choose} />
                </label>
                if let Some((name, _)) = &*file_text {
                    <p class="hint" data-testid="restore-file-name">{ name.clone() }</p>
                }
                <label for="restore-pass">{ tt.restore_pass }</label>
                <input id="restore-pass" type="password" autocomplete="current-password" data-testid="restore-pass"
                    value={(*restore_pass).clone()} oninput={bind(&restore_pass)} />
                <p><button type="submit" class="secondary" disabled={*busy} data-testid="desk-restore">{ tt.restore_button }</button></p>
            </form>
            { match &*msg {
                Some(Msg::Ok(m)) => html! { <p class="message ok" role="status" data-testid="backup-msg">{ m.clone() }</p> },
                Some(Msg::Err(m)) => html! { <p class="message error" role="alert" data-testid="backup-msg">{ m.clone() }</p> },
                None => html! {},
            } }
        </div>
    }
}
