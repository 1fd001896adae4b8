//! The lessons: `#/learn` lists them, `#/learn/:lesson` shows one.

use crate::state::settings::use_tr;
use yew::prelude::*;

/// `#/learn`
#[component]
pub fn Learn() -> Html {
    let t = use_tr();
    html! {
        <section class="page" data-page="learn">
            { super::intro("learn", t.learn_title, t.learn_intro) }
            <p class="note">{ t.not_ready }</p>
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
pub fn Lesson(_props: &LessonProps) -> Html {
    let t = use_tr();
    html! {
        <section class="page" data-page="lesson">
            { super::intro("learn", t.learn_title, t.learn_intro) }
            <p class="note">{ t.not_ready }</p>
        </section>
    }
}
