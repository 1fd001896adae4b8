//! `#/teach`: the teacher's desk — school identity, programme templates,
//! issuing one certificate or a whole class, and the issued list with
//! revocation. Printable certificates live in [`print`].

mod batch;
mod identity;
mod issue_one;
mod issued;
pub mod print;
mod templates;

use crate::platform::files;
use crate::state::settings::use_tr;
use crate::state::teach::{use_desk, DeskAction, DeskState};
use yew::prelude::*;

/// The desk's sections.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Identity,
    Templates,
    Issue,
    Batch,
    Issued,
}

/// `#/teach`
#[component]
pub fn Teach() -> Html {
    let t = use_tr();
    let tt = t.teach();
    let (state, save_error) = use_desk();
    let tab = use_state(|| None::<Tab>);
    // Choose the first tab once the desk has loaded, then keep the user's choice.
    {
        let tab = tab.clone();
        let first = match &*state {
            DeskState::Ready { desk, .. } => {
                Some(if desk.issuer.as_ref().and_then(|i| i.did()).is_some() {
                    Tab::Issue
                } else {
                    Tab::Identity
                })
            }
            _ => None,
        };
        use_effect_with(first.is_some(), move |_| {
            if tab.is_none() {
                if let Some(first) = first {
                    tab.set(Some(first));
                }
            }
        });
    }
    let body = match &*state {
        DeskState::Loading => html! { <p class="note">{ tt.loading }</p> },
        DeskState::Unavailable(e) => html! {
            <p class="message error" role="alert">{ tt.unavailable }{ " " }<code>{ e.clone() }</code></p>
        },
        DeskState::Damaged { raw, .. } => {
            html! { <Recovery raw={raw.clone()} state={state.clone()} /> }
        }
        DeskState::Ready { desk, .. } => {
            let has_issuer = desk.issuer.as_ref().and_then(|i| i.did()).is_some();
            let current = (*tab).unwrap_or(if has_issuer {
                Tab::Issue
            } else {
                Tab::Identity
            });
            let tabs = [
                (Tab::Identity, tt.tab_identity, "identity"),
                (Tab::Templates, tt.tab_templates, "templates"),
                (Tab::Issue, tt.tab_issue, "issue"),
                (Tab::Batch, tt.tab_batch, "batch"),
                (Tab::Issued, tt.tab_issued, "issued"),
            ];
            html! {
                <>
                    <div class="tabs" role="tablist">
                        { for tabs.into_iter().map(|(which, label, id)| {
                            let tab = tab.clone();
                            html! {
                                <button type="button" role="tab" data-tab={id}
                                    aria-selected={(which == current).to_string()}
                                    class={classes!("tab", (which == current).then_some("active"))}
                                    onclick={Callback::from(move |_| tab.set(Some(which)))}>{ label }</button>
                            }
                        }) }
                    </div>
                    if let Some(e) = &*save_error {
                        <p class="message error" role="alert">{ tt.save_failed }{ " " }{ e.clone() }</p>
                    }
                    { match current {
                        Tab::Identity => html! { <identity::Identity desk={desk.clone()} state={state.clone()} /> },
                        Tab::Templates => html! { <templates::Templates desk={desk.clone()} state={state.clone()} /> },
                        Tab::Issue | Tab::Batch if !has_issuer => html! { <p class="message info">{ tt.need_identity }</p> },
                        Tab::Batch => html! { <batch::Batch desk={desk.clone()} state={state.clone()} /> },
                        Tab::Issue => html! { <issue_one::IssueOne desk={desk.clone()} state={state.clone()} /> },
                        Tab::Issued => html! { <issued::Issued desk={desk.clone()} state={state.clone()} /> },
                    } }
                </>
            }
        }
    };
    html! {
        <section class="page" data-page="teach">
            { super::intro("teach", t.teach_title, t.teach_intro) }
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RecoveryProps {
    raw: String,
    state: UseReducerHandle<DeskState>,
}

/// Unreadable stored desk: download first, reset only on explicit request.
#[component]
fn Recovery(props: &RecoveryProps) -> Html {
    let tt = use_tr().teach();
    let confirm = use_state(|| false);
    let download = {
        let raw = props.raw.clone();
        Callback::from(move |_| {
            let _ = files::download_text(
                "chainclass-teacher-unreadable.json",
                "application/json",
                &raw,
            );
        })
    };
    let ask = {
        let c = confirm.clone();
        Callback::from(move |_| c.set(true))
    };
    let reset = {
        let state = props.state.clone();
        Callback::from(move |_| state.dispatch(DeskAction::Reset))
    };
    html! {
        <div class="panel recovery" data-testid="teach-recovery" role="alert">
            <h2>{ tt.damaged_title }</h2>
            <p>{ tt.damaged_body }</p>
            <div class="row">
                <button type="button" class="primary" onclick={download}>{ tt.damaged_download }</button>
                <button type="button" class="secondary" onclick={ask}>{ tt.damaged_reset }</button>
            </div>
            if *confirm {
                <div class="message error">
                    <p>{ tt.damaged_reset_confirm }</p>
                    <button type="button" class="danger" onclick={reset}>{ tt.damaged_reset }</button>
                </div>
            }
        </div>
    }
}

/// The value of the input or textarea that fired an input event.
pub(crate) fn input_value(e: &InputEvent) -> String {
    use wasm_bindgen::JsCast;
    let target = e.target();
    if let Some(i) = target
        .clone()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        return i.value();
    }
    target
        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .map(|a| a.value())
        .unwrap_or_default()
}

/// A callback that stores an input's text in a state handle.
pub(crate) fn bind(h: &UseStateHandle<String>) -> Callback<InputEvent> {
    let h = h.clone();
    Callback::from(move |e: InputEvent| h.set(input_value(&e)))
}
