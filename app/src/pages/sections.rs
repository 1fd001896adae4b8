//! The section pages (learn, teach, wallet, verify) as they stand before their
//! features land: a title and an introduction in the user's language.

use crate::state::settings::use_tr;
use yew::prelude::*;

fn section(id: &'static str, title: &'static str, intro: &'static str, note: &'static str) -> Html {
    html! {
        <section class="page" data-page={id}>
            <h1>{ title }</h1>
            <p class="lead">{ intro }</p>
            <p class="note">{ note }</p>
        </section>
    }
}

/// `#/learn`
#[component]
pub fn Learn() -> Html {
    let t = use_tr();
    section("learn", t.learn_title, t.learn_intro, t.not_ready)
}

/// Properties of [`Lesson`].
#[derive(Properties, PartialEq)]
pub struct LessonProps {
    /// The lesson slug from the URL.
    pub lesson: String,
}

/// `#/learn/:lesson`
#[component]
pub fn Lesson(_props: &LessonProps) -> Html {
    let t = use_tr();
    section("lesson", t.learn_title, t.learn_intro, t.not_ready)
}

/// `#/teach`
#[component]
pub fn Teach() -> Html {
    let t = use_tr();
    section("teach", t.teach_title, t.teach_intro, t.not_ready)
}

/// `#/wallet`
#[component]
pub fn Wallet() -> Html {
    let t = use_tr();
    section("wallet", t.wallet_title, t.wallet_intro, t.not_ready)
}

/// `#/verify`
#[component]
pub fn Verify() -> Html {
    let t = use_tr();
    section("verify", t.verify_title, t.verify_intro, t.not_ready)
}
