//! The lessons: `#/learn` lists them with the student's progress, and
//! `#/learn/:lesson` shows one inside a common frame (title, short
//! explanation, "try this" tasks, done toggle, previous / next).
//!
//! Each lesson is its own submodule and runs on the real `ledger` crate.
//! Other areas link to a lesson with [`LessonId::route`] (the verifier links
//! a signature failure to [`LessonId::Keys`], an anchor failure to
//! [`LessonId::Merkle`] and tampering to [`LessonId::Chain`]).

mod block;
mod chain;
mod explain;
mod hash;
mod keys;
mod merkle;
pub mod miner;
mod network;
mod transactions;

use crate::i18n::learn::{LearnTr, LessonText};
use crate::pages::recovery::{Recovery, RecoveryText};
use crate::route::Route;
use crate::state::learn::{Progress, ProgressAction, ProgressContext};
use crate::state::settings::use_tr;
use crate::state::stored::{use_stored, StoredState};
use yew::prelude::*;
use yew_router::prelude::*;

/// Every lesson, in teaching order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LessonId {
    /// `#/learn/hash`: SHA-256 and the avalanche effect.
    Hash,
    /// `#/learn/block`: a block, its nonce, difficulty and mining.
    Block,
    /// `#/learn/chain`: linked blocks; tampering breaks everything after.
    Chain,
    /// `#/learn/keys`: Ed25519 keys, did:key, signing and verifying.
    Keys,
    /// `#/learn/transactions`: balances, signed transfers, mempool, coinbase.
    Transactions,
    /// `#/learn/merkle`: Merkle trees and inclusion proofs.
    Merkle,
    /// `#/learn/network`: peers, propagation, forks, 51 % attack, double spend.
    Network,
}

impl LessonId {
    /// Every lesson, in teaching order.
    pub const ALL: [LessonId; 7] = [
        LessonId::Hash,
        LessonId::Block,
        LessonId::Chain,
        LessonId::Keys,
        LessonId::Transactions,
        LessonId::Merkle,
        LessonId::Network,
    ];

    /// The URL slug (`#/learn/<slug>`), also the key of its progress flag.
    pub fn slug(self) -> &'static str {
        match self {
            LessonId::Hash => "hash",
            LessonId::Block => "block",
            LessonId::Chain => "chain",
            LessonId::Keys => "keys",
            LessonId::Transactions => "transactions",
            LessonId::Merkle => "merkle",
            LessonId::Network => "network",
        }
    }

    /// The lesson with this slug.
    pub fn from_slug(slug: &str) -> Option<Self> {
        LessonId::ALL.into_iter().find(|l| l.slug() == slug)
    }

    /// The lesson's route, for links from other pages.
    pub fn route(self) -> Route {
        Route::Lesson {
            lesson: self.slug().to_owned(),
        }
    }

    /// The lesson's title, explanation and tasks in the current language.
    pub fn text(self, l: &'static LearnTr) -> &'static LessonText {
        match self {
            LessonId::Hash => &l.hash,
            LessonId::Block => &l.block,
            LessonId::Chain => &l.chain,
            LessonId::Keys => &l.keys,
            LessonId::Transactions => &l.transactions,
            LessonId::Merkle => &l.merkle,
            LessonId::Network => &l.network,
        }
    }

    fn position(self) -> usize {
        LessonId::ALL
            .iter()
            .position(|l| *l == self)
            .unwrap_or_default()
    }

    fn previous(self) -> Option<LessonId> {
        LessonId::ALL.get(self.position().checked_sub(1)?).copied()
    }

    fn next(self) -> Option<LessonId> {
        LessonId::ALL
            .get(self.position().saturating_add(1))
            .copied()
    }
}

/// Fills `{name}` placeholders of a translated template, and picks the
/// word for a count: `{name|one|other}` is `one` when `name` is 1, else
/// `other` ("{depth} {depth|block|blocks}"; Chinese needs none).
pub(crate) fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
        let open = format!("{{{name}|");
        while let Some(start) = out.find(&open) {
            let Some(len) = out.get(start..).and_then(|r| r.find('}')) else {
                break;
            };
            let inner = out
                .get(start + open.len()..start + len)
                .unwrap_or_default()
                .to_owned();
            let word = match inner.split_once('|') {
                Some((one, _)) if value == "1" => one.to_owned(),
                Some((_, other)) => other.to_owned(),
                None => inner,
            };
            out.replace_range(start..=start + len, &word);
        }
    }
    out
}

/// A whole number with thin grouping (`65 536`), readable in both languages.
pub(crate) fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A pass / fail badge: colour plus an icon plus a word.
pub(crate) fn badge(ok: bool, text: &str) -> Html {
    html! {
        <span class={classes!("status", if ok { "pass" } else { "fail" })}>
            <span aria-hidden="true">{ if ok { "✓" } else { "✗" } }</span>
            { text.to_owned() }
        </span>
    }
}

/// Marks the current lesson done (inside a lesson page).
#[hook]
pub(crate) fn use_mark_done(id: LessonId) -> Callback<()> {
    let progress = use_context::<ProgressContext>();
    Callback::from(move |()| {
        if let Some(p) = &progress {
            p.dispatch(ProgressAction::Mark(id.slug().to_owned(), true));
        }
    })
}

/// `#/learn`
#[component]
pub fn Learn() -> Html {
    let t = use_tr();
    let l = t.learn();
    let progress = use_stored::<Progress>();
    let flags = progress.value().map(|p| (**p).clone()).unwrap_or_default();
    let done = LessonId::ALL
        .iter()
        .filter(|id| flags.is_done(id.slug()))
        .count();
    let on_reset = {
        let progress = progress.clone();
        Callback::from(move |()| progress.dispatch(ProgressAction::Reset))
    };
    html! {
        <section class="page" data-page="learn">
            { super::intro("learn", t.learn_title, t.learn_intro) }
            { recovery(l, &progress, "chainclass-learn-progress.json", "recovery") }
            <p class="progress-summary" data-testid="progress-summary">
                { fill(l.progress_summary, &[("done", done.to_string()), ("total", LessonId::ALL.len().to_string())]) }
            </p>
            <progress
                max={LessonId::ALL.len().to_string()}
                value={done.to_string()}
                aria-label={l.progress_label}
            />
            <ol class="cards lesson-list">
                { for LessonId::ALL.iter().enumerate().map(|(i, id)| {
                    let text = id.text(l);
                    let is_done = flags.is_done(id.slug());
                    html! {
                        <li class="card lesson-card" data-lesson={id.slug()} data-done={is_done.to_string()}>
                            <p class="lesson-number">{ fill(l.lesson_number, &[("n", (i + 1).to_string())]) }</p>
                            <h2>
                                <Link<Route> to={id.route()}>{ text.title }</Link<Route>>
                            </h2>
                            <p>{ text.summary }</p>
                            if is_done {
                                <p class="status pass"><span aria-hidden="true">{ "✓" }</span>{ l.done }</p>
                            } else {
                                <p class="status not_run"><span aria-hidden="true">{ "○" }</span>{ l.not_done }</p>
                            }
                        </li>
                    }
                }) }
            </ol>
            if done > 0 {
                <ConfirmButton
                    label={l.reset_progress}
                    question={l.reset_progress_question}
                    confirm={l.reset_confirm}
                    cancel={l.cancel}
                    on_confirm={on_reset}
                />
            }
        </section>
    }
}

/// Properties of [`Lesson`].
#[derive(Properties, PartialEq)]
pub struct LessonProps {
    /// The lesson slug from the URL.
    pub lesson: String,
}

/// `#/learn/:lesson`
#[component]
pub fn Lesson(props: &LessonProps) -> Html {
    let t = use_tr();
    let progress = use_stored::<Progress>();
    let Some(id) = LessonId::from_slug(&props.lesson) else {
        return html! {
            <section class="page" data-page="lesson" data-lesson="unknown">
                <h1>{ t.learn().unknown_lesson_title }</h1>
                <p>{ t.learn().unknown_lesson_body }</p>
                <Link<Route> classes="button" to={Route::Learn}>{ t.learn().all_lessons }</Link<Route>>
            </section>
        };
    };
    let body = match id {
        LessonId::Hash => html! { <hash::HashLesson /> },
        LessonId::Block => html! { <block::BlockLesson /> },
        LessonId::Chain => html! { <chain::ChainLessonPage /> },
        LessonId::Keys => html! { <keys::KeysLesson /> },
        LessonId::Transactions => html! { <transactions::TransactionsLesson /> },
        LessonId::Merkle => html! { <merkle::MerkleLesson /> },
        LessonId::Network => html! { <network::NetworkLesson /> },
    };
    html! {
        <ContextProvider<ProgressContext> context={progress}>
            <LessonFrame {id}>{ body }</LessonFrame>
        </ContextProvider<ProgressContext>>
    }
}

#[derive(Properties, PartialEq)]
struct FrameProps {
    id: LessonId,
    children: Html,
}

#[component]
fn LessonFrame(props: &FrameProps) -> Html {
    let t = use_tr();
    let l = t.learn();
    let id = props.id;
    let text = id.text(l);
    let progress = use_context::<ProgressContext>();
    let done = progress
        .as_ref()
        .and_then(|p| p.value().map(|v| v.is_done(id.slug())))
        .unwrap_or(false);
    let toggle = progress.clone().map(|p| {
        Callback::from(move |_| p.dispatch(ProgressAction::Mark(id.slug().to_owned(), !done)))
    });
    let heading = format!("tasks-{}", id.slug());
    html! {
        <section class="page lesson" data-page="lesson" data-lesson={id.slug()}>
            <p class="crumbs">
                <Link<Route> to={Route::Learn}>{ "← " }{ l.all_lessons }</Link<Route>>
            </p>
            <h1>{ text.title }</h1>
            { for text.intro.iter().map(|p| html! { <p class="lead">{ *p }</p> }) }
            <aside class="panel try" aria-labelledby={heading.clone()}>
                <h2 id={heading}>{ l.try_this }</h2>
                <ol>{ for text.tasks.iter().map(|task| html! { <li>{ *task }</li> }) }</ol>
            </aside>
            { props.children.clone() }
            <footer class="lesson-foot row">
                <button
                    type="button"
                    class={if done { "secondary done-toggle" } else { "primary done-toggle" }}
                    aria-pressed={done.to_string()}
                    onclick={toggle}
                >
                    if done {
                        <span aria-hidden="true">{ "✓ " }</span>{ l.done }
                    } else {
                        { l.mark_done }
                    }
                </button>
                <span class="spacer"></span>
                if let Some(prev) = id.previous() {
                    <Link<Route> classes="button secondary" to={prev.route()}>
                        { "← " }{ prev.text(l).title }
                    </Link<Route>>
                }
                if let Some(next) = id.next() {
                    <Link<Route> classes="button secondary" to={next.route()}>
                        { next.text(l).title }{ " →" }
                    </Link<Route>>
                } else {
                    <Link<Route> classes="button secondary" to={Route::Learn}>
                        { l.all_lessons }{ " →" }
                    </Link<Route>>
                }
            </footer>
        </section>
    }
}

/// The recovery screen for a lesson's stored data that cannot be read
/// (`pages::recovery`, the one for every area), or nothing.
pub(crate) fn recovery<R: crate::state::stored::Record>(
    l: &'static LearnTr,
    state: &crate::state::stored::StoredHandle<R>,
    file_name: &'static str,
    testid: &'static str,
) -> Html {
    let StoredState::Damaged { raw, .. } = &**state else {
        return html! {};
    };
    let text = RecoveryText {
        title: l.stored_unreadable_title,
        body: l.stored_unreadable_body,
        newer: None,
        download: l.stored_download,
        reset: l.stored_reset,
        reset_confirm: l.stored_reset_question,
    };
    let state = state.clone();
    html! {
        <Recovery raw={raw.clone()} {file_name} {text} {testid}
            on_reset={Callback::from(move |()| state.reset())} />
    }
}

/// Properties of [`ConfirmButton`].
#[derive(Properties, PartialEq)]
pub(crate) struct ConfirmProps {
    /// The button's text.
    pub label: AttrValue,
    /// The question asked before doing it.
    pub question: AttrValue,
    /// Text of the "yes" button.
    pub confirm: AttrValue,
    /// Text of the "no" button.
    pub cancel: AttrValue,
    /// What happens on "yes".
    pub on_confirm: Callback<()>,
}

/// A destructive button that asks first, in the page (no `confirm()` dialog).
#[component]
pub(crate) fn ConfirmButton(props: &ConfirmProps) -> Html {
    let asking = use_state(|| false);
    if *asking {
        let yes = {
            let asking = asking.clone();
            let on_confirm = props.on_confirm.clone();
            Callback::from(move |_| {
                asking.set(false);
                on_confirm.emit(());
            })
        };
        let no = {
            let asking = asking.clone();
            Callback::from(move |_| asking.set(false))
        };
        html! {
            <span class="confirm row" role="group" aria-label={props.question.clone()}>
                <span>{ props.question.clone() }</span>
                <button type="button" class="danger" onclick={yes}>{ props.confirm.clone() }</button>
                <button type="button" class="secondary" onclick={no}>{ props.cancel.clone() }</button>
            </span>
        }
    } else {
        let ask = Callback::from(move |_| asking.set(true));
        html! {
            <button type="button" class="secondary reset" onclick={ask}>{ props.label.clone() }</button>
        }
    }
}

/// The "this browser cannot save" note for lessons kept only in memory.
pub(crate) fn no_storage_note(l: &'static LearnTr) -> Html {
    html! { <p class="message info" role="status">{ l.no_storage }</p> }
}

/// Reads an `<input>`'s value from an event.
pub(crate) fn input_value(e: &Event) -> Option<String> {
    use wasm_bindgen::JsCast;
    let target = e.target()?;
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some(input.value());
    }
    if let Some(area) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        return Some(area.value());
    }
    target
        .dyn_ref::<web_sys::HtmlSelectElement>()
        .map(|select| select.value())
}
