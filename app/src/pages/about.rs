//! `#/about`: what ChainClass is, its privacy promise and its standards.

use crate::state::settings::use_tr;
use yew::prelude::*;

/// `#/about`
#[component]
pub fn About() -> Html {
    let t = use_tr();
    html! {
        <section class="page" data-page="about">
            <h1>{ t.about_title }</h1>
            <p class="lead">{ t.about_body }</p>
            <h2>{ t.about_privacy_title }</h2>
            <p>{ t.about_privacy_body }</p>
            <h2>{ t.about_standards_title }</h2>
            <p>{ t.about_standards_body }</p>
        </section>
    }
}
