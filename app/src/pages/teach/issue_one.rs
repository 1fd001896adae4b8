//! Issue one certificate: form → preview as the student will see it → sign →
//! download, link, QR code or print.

use super::bind;
use crate::i18n::{teach::TeachTr, Lang};
use crate::jobs;
use crate::pages::select_value;
use crate::pages::verify::Card;
use crate::pages::wallet::Share;
use crate::platform::{clock, random};
use crate::route::Route;
use crate::state::desk_issue::{draft, issue_one, IdentifyBy, IssueProblem, StudentInput};
use crate::state::settings::{use_lang, use_tr};
use crate::state::stored;
use crate::state::teach::{Desk, DeskAction, DeskHandle, StatusChoice};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;
use yew_router::prelude::*;

/// Properties of [`IssueOne`].
#[derive(Properties, PartialEq)]
pub struct IssueOneProps {
    /// The desk.
    pub desk: Rc<Desk>,
    /// The desk reducer.
    pub state: DeskHandle,
}

/// The sentence for an issuing problem.
pub fn problem_text(tt: &'static TeachTr, p: &IssueProblem) -> String {
    match p {
        IssueProblem::NoIssuer => tt.need_identity.into(),
        IssueProblem::Locked => tt.key_locked_short.into(),
        IssueProblem::NoTemplate => tt.programme.into(),
        IssueProblem::NoName => tt.err_name.into(),
        IssueProblem::BadEmail => tt.err_email.into(),
        IssueProblem::NoStudentId => tt.err_student_id.into(),
        IssueProblem::BadDid => tt.err_did.into(),
        IssueProblem::BadDates => tt.err_dates.into(),
        IssueProblem::NoRandomness => tt.no_randomness.into(),
        IssueProblem::Desk(e) => super::desk_error_text(tt, e),
        IssueProblem::Refused(_) => format!("{} {}", tt.err_issue, tt.err_refused),
    }
}

use crate::state::desk_issue::day_to_stamp;

/// A radio button for the status entry choice.
pub fn status_radio(
    status: &UseStateHandle<StatusChoice>,
    value: StatusChoice,
    label: &'static str,
    id: &'static str,
) -> Html {
    let status = status.clone();
    // One group per form: the id without its last part ("status-none" →
    // "status", "batch-status-none" → "batch-status"), so arrow keys and
    // screen readers see the three choices together.
    let group = id.rsplit_once('-').map_or(id, |(group, _)| group);
    html! {
        <label class="radio"><input type="radio" name={group} data-testid={id}
            checked={*status == value} onchange={Callback::from(move |_| status.set(value))} />{ " " }{ label }</label>
    }
}

/// The issue-one form.
#[component]
pub fn IssueOne(props: &IssueOneProps) -> Html {
    let tt = use_tr().teach();
    let lang = use_lang();
    let choices = props.desk.template_choices();
    let template = use_state(|| choices.first().map(|c| c.key.clone()).unwrap_or_default());
    let name = use_state(String::new);
    let show_name = use_state(|| true);
    let by = use_state(IdentifyBy::default);
    let ident = use_state(String::new);
    let from = use_state(|| clock::now_rfc3339().get(..10).unwrap_or("").to_owned());
    let until = use_state(String::new);
    let status = use_state(StatusChoice::default);
    let preview = use_state(|| None::<Result<Rc<Value>, IssueProblem>>);
    let signed = use_state(|| None::<Result<Rc<Value>, IssueProblem>>);
    let signing = use_state(|| false);
    // After Preview and after Sign, the part to look at next may be below
    // the fold: bring it into view.
    use_effect_with(
        (
            matches!(*preview, Some(Ok(_))),
            matches!(*signed, Some(Ok(_))),
        ),
        |&(previewed, done)| {
            if done {
                crate::platform::view::scroll_into_view("[data-testid=issue-done]");
            } else if previewed {
                crate::platform::view::scroll_into_view("[data-testid=issue-preview-panel]");
            }
        },
    );

    let build = {
        let desk = props.desk.clone();
        let (template, name, show_name, by, ident, from, until) = (
            template.clone(),
            name.clone(),
            show_name.clone(),
            by.clone(),
            ident.clone(),
            from.clone(),
            until.clone(),
        );
        move || -> Result<Value, IssueProblem> {
            let issuer = desk.issuer.as_ref().ok_or(IssueProblem::NoIssuer)?;
            let tpl = desk.template(&template).ok_or(IssueProblem::NoTemplate)?;
            let valid_from = day_to_stamp(&from, false).ok_or(IssueProblem::BadDates)?;
            let valid_until = if until.trim().is_empty() {
                None
            } else {
                Some(day_to_stamp(&until, true).ok_or(IssueProblem::BadDates)?)
            };
            let student = StudentInput {
                name: (*name).clone(),
                show_name: *show_name,
                by: *by,
                identifier: (*ident).clone(),
            };
            let seed = random::bytes32().map_err(|_| IssueProblem::NoRandomness)?;
            draft(
                issuer,
                &tpl,
                &student,
                &valid_from,
                valid_until.as_deref(),
                None,
                &seed,
            )
        }
    };
    let onpreview = {
        let (build, preview, signed) = (build.clone(), preview.clone(), signed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            signed.set(None);
            preview.set(Some(build().map(Rc::new)));
        })
    };
    let onsign = {
        let (desk, state, preview, signed, template, name, status) = (
            props.desk.clone(),
            props.state.clone(),
            preview.clone(),
            signed.clone(),
            template.clone(),
            name.clone(),
            status.clone(),
        );
        let (signing, by, ident) = (signing.clone(), by.clone(), ident.clone());
        Callback::from(move |_| {
            let Some(Ok(unsigned)) = (*preview).clone() else {
                return;
            };
            if *signing {
                return;
            }
            // Time and randomness are read once: the signing may run twice
            // (see `jobs::with_rdfc`) and must sign the same certificate.
            let (at, seed) = (stored::now(), random::bytes32());
            let (desk, state, preview, signed, signing) = (
                desk.clone(),
                state.clone(),
                preview.clone(),
                signed.clone(),
                signing.clone(),
            );
            let (template, name, status) = ((*template).clone(), (*name).clone(), *status);
            // The e-mail, kept in this browser for the class's mail merge.
            let email = (*by == IdentifyBy::Email).then(|| (*ident).clone());
            signing.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = match seed {
                    Err(_) => Err(IssueProblem::NoRandomness),
                    Ok(seed) => {
                        let mut r = [0u8; 8];
                        r.copy_from_slice(seed.get(..8).unwrap_or(&[0; 8]));
                        jobs::with_rdfc(|rdfc| {
                            issue_one(
                                &desk,
                                &unsigned,
                                status,
                                &template,
                                &name,
                                email.as_deref(),
                                at,
                                u64::from_le_bytes(r),
                                rdfc,
                            )
                        })
                        .await
                    }
                };
                let result = result.map(|(new_desk, vc)| {
                    state.dispatch(DeskAction::Replace {
                        from: desk.clone(),
                        to: Box::new(new_desk),
                    });
                    Rc::new(vc)
                });
                signing.set(false);
                signed.set(Some(result));
                preview.set(None);
            });
        })
    };
    let ident_label = match *by {
        IdentifyBy::Email => tt.email,
        IdentifyBy::StudentId => tt.student_id,
        IdentifyBy::Did => tt.holder_did,
    };
    let by_radio = |value: IdentifyBy, label: &'static str, id: &'static str| {
        let by = by.clone();
        html! {
            <label class="radio"><input type="radio" name="identify-by" data-testid={id} checked={*by == value}
                onchange={Callback::from(move |_| by.set(value))} />{ " " }{ label }</label>
        }
    };
    html! {
        <div>
            <form class="panel" onsubmit={onpreview}>
                <h2>{ tt.issue_title }</h2>
                <label for="issue-template">{ tt.programme }</label>
                <select id="issue-template" data-testid="issue-template"
                    onchange={{ let template = template.clone(); Callback::from(move |e: Event| template.set(select_value(&e))) }}>
                    { for choices.iter().map(|c| html! {
                        <option value={c.key.clone()} selected={*template == c.key}>
                            { if lang == Lang::ZhHk && !c.name_zh.is_empty() { c.name_zh.clone() } else { c.name_en.clone() } }
                        </option>
                    }) }
                </select>
                <label for="issue-name">{ tt.student_name }</label>
                <input id="issue-name" type="text" data-testid="issue-name" value={(*name).clone()} oninput={bind(&name)} />
                <label class="radio"><input type="checkbox" checked={*show_name}
                    onchange={{ let s = show_name.clone(); Callback::from(move |_| s.set(!*s)) }} />{ " " }{ tt.show_name }</label>
                <fieldset>
                    <legend>{ tt.identify_by }</legend>
                    { by_radio(IdentifyBy::Email, tt.by_email, "by-email") }
                    { by_radio(IdentifyBy::StudentId, tt.by_student_id, "by-student-id") }
                    { by_radio(IdentifyBy::Did, tt.by_did, "by-did") }
                </fieldset>
                <label for="issue-ident">{ ident_label }</label>
                <input id="issue-ident" type="text" data-testid="issue-ident" value={(*ident).clone()} oninput={bind(&ident)} />
                <fieldset>
                    <legend>{ tt.status_choice }</legend>
                    { status_radio(&status, StatusChoice::Revocation, tt.status_revocation, "status-revocation") }
                    { status_radio(&status, StatusChoice::Suspension, tt.status_suspension, "status-suspension") }
                    { status_radio(&status, StatusChoice::None, tt.status_none, "status-none") }
                </fieldset>
                <div class="grid2">
                    <div>
                        <label for="issue-from">{ tt.valid_from }</label>
                        <input id="issue-from" type="date" data-testid="issue-from" value={(*from).clone()} oninput={bind(&from)} />
                    </div>
                    <div>
                        <label for="issue-until">{ tt.valid_until }</label>
                        <input id="issue-until" type="date" data-testid="issue-until" value={(*until).clone()} oninput={bind(&until)} />
                    </div>
                </div>
                <p><button type="submit" class="primary" data-testid="issue-preview">{ tt.preview }</button></p>
            </form>
            { match &*preview {
                Some(Ok(doc)) => html! {
                    <div class="panel" data-testid="issue-preview-panel">
                        <p>{ tt.preview_title }</p>
                        <Card doc={doc.clone()} />
                        <button type="button" class="primary" onclick={onsign} disabled={*signing} data-testid="issue-sign">{ tt.sign }</button>
                    </div>
                },
                Some(Err(p)) => html! { <p class="message error" role="alert" data-testid="issue-problem">{ problem_text(tt, p) }</p> },
                None => html! {},
            } }
            { match &*signed {
                Some(Ok(vc)) => {
                    let id = vc.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
                    html! {
                        <div class="panel" data-testid="issue-done">
                            <p class="message ok">{ tt.signed }</p>
                            <Share doc={vc.clone()} />
                            <Link<Route> classes="button secondary" to={Route::Print { id }}>{ tt.print }</Link<Route>>
                        </div>
                    }
                }
                Some(Err(p)) => html! { <p class="message error" role="alert">{ problem_text(tt, p) }</p> },
                None => html! {},
            } }
        </div>
    }
}
