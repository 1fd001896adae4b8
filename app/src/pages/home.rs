//! The landing page: what ChainClass is, and a card for each part.

use crate::route::{Route, Section};
use crate::state::settings::use_tr;
use yew::prelude::*;

/// `#/`
#[component]
pub fn Home() -> Html {
    let t = use_tr();
    let cards = [
        (Route::Learn, t.home_learn_title, t.home_learn_body),
        (Route::Teach, t.home_teach_title, t.home_teach_body),
        (Route::Wallet, t.home_wallet_title, t.home_wallet_body),
        (Route::Verify, t.home_verify_title, t.home_verify_body),
    ];
    html! {
        <section class="page" data-page="home">
            <h1>{ t.home_title }</h1>
            <p class="lead">{ t.home_intro }</p>
            <div class="cards">
                { for cards.into_iter().map(|(route, title, body)| html! {
                    <article class="card">
                        <h2>{ title }</h2>
                        <p>{ body }</p>
                        <a class="button" href={route.href_from(Section::Core)}>{ t.open }</a>
                    </article>
                }) }
            </div>
        </section>
    }
}
