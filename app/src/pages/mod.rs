//! One module per page (or per area). Pages render state and dispatch actions;
//! they hold no logic of their own beyond presentation.

mod about;
mod home;
pub mod learn;
mod not_found;
pub mod teach;
pub mod verify;
pub mod wallet;

use crate::route::Route;
use yew::prelude::*;

/// Renders the page for `route`.
pub fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <home::Home /> },
        Route::Learn => html! { <learn::Learn /> },
        Route::Lesson { lesson } => html! { <learn::Lesson {lesson} /> },
        Route::Teach => html! { <teach::Teach /> },
        Route::Print { id } => html! { <teach::print::PrintOne {id} /> },
        Route::PrintBatch { batch, mode } => html! { <teach::print::PrintBatch {batch} {mode} /> },
        Route::Wallet => html! { <wallet::Wallet /> },
        Route::Verify => html! { <verify::Verify /> },
        Route::About => html! { <about::About /> },
        Route::NotFound => html! { <not_found::NotFound /> },
    }
}

/// A section page's heading and introduction.
pub fn intro(id: &'static str, title: &'static str, intro: &'static str) -> Html {
    html! {
        <>
            <h1>{ title }</h1>
            <p class="lead" data-intro={id}>{ intro }</p>
        </>
    }
}
