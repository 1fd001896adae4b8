//! One module per page. Pages render state and dispatch actions; they hold no
//! logic of their own beyond presentation.

mod about;
mod home;
mod not_found;
mod sections;

use crate::route::Route;
use yew::prelude::*;

/// Renders the page for `route`.
pub fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <home::Home /> },
        Route::Learn => html! { <sections::Learn /> },
        Route::Lesson { lesson } => html! { <sections::Lesson {lesson} /> },
        Route::Teach => html! { <sections::Teach /> },
        Route::Wallet => html! { <sections::Wallet /> },
        Route::Verify => html! { <sections::Verify /> },
        Route::About => html! { <about::About /> },
        Route::NotFound => html! { <not_found::NotFound /> },
    }
}
