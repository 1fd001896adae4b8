//! The root component: settings context, hash router, header navigation with
//! the language switch, and the page switch.

use crate::i18n::{Lang, Tr};
use crate::route::{Route, Section, NAV};
use crate::state::settings::{use_tr, Settings, SettingsAction, SettingsContext};
use yew::prelude::*;
use yew_router::prelude::*;

/// Which page of the app this is, and how it renders its routes.
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The page (`index.html`, `learn.html` or `teach.html`).
    pub section: Section,
    /// Its route switch (`pages::switch_core`, …): only the one passed here is
    /// linked into that page's wasm.
    pub switch: Callback<Route, Html>,
}

/// The whole app (one of its pages).
#[component]
pub fn App(props: &AppProps) -> Html {
    let settings = use_reducer(Settings::load);
    let storage_ok = use_state(|| true);
    {
        let storage_ok = storage_ok.clone();
        use_effect_with((*settings).clone(), move |s| {
            set_document_lang(s.lang);
            storage_ok.set(s.save().is_ok());
        });
    }
    html! {
        <ContextProvider<SettingsContext> context={settings}>
            <HashRouter>
                <Shell storage_ok={*storage_ok} section={props.section} switch={props.switch.clone()} />
            </HashRouter>
        </ContextProvider<SettingsContext>>
    }
}

fn set_document_lang(lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        // Cannot fail for a valid attribute name.
        let _ = root.set_attribute("lang", lang.tag());
    }
}

#[derive(Properties, PartialEq)]
struct ShellProps {
    storage_ok: bool,
    section: Section,
    switch: Callback<Route, Html>,
}

#[component]
fn Shell(props: &ShellProps) -> Html {
    let t = use_tr();
    // The offline copy: a newer build waiting to take over is announced here.
    let newer = use_state(|| false);
    {
        let newer = newer.clone();
        use_effect_with((), move |_| {
            crate::platform::offline::register(move || newer.set(true));
        });
    }
    html! {
        <>
            <a class="skip" href="#main" onclick={skip_to_main()}>{ t.skip_to_content }</a>
            <header class="top">
                <a class="brand" href={Route::Home.href_from(props.section)}>
                    <img src="favicon.svg" alt="" width="28" height="28" />
                    <span>{ t.app_name }</span>
                </a>
                <Nav section={props.section} />
                <LangSwitch />
            </header>
            if !props.storage_ok {
                <p class="banner warn" role="status">{ t.storage_unavailable }</p>
            }
            if *newer {
                <p class="banner info" role="status" data-testid="update-ready">
                    { t.update_ready }{ " " }
                    <button type="button" onclick={Callback::from(|_| crate::platform::offline::switch_to_newer())}>{ t.update_reload }</button>
                </p>
            }
            <main id="main" tabindex="-1">
                <Switch<Route> render={props.switch.clone()} />
            </main>
            <footer class="foot"><p>{ t.footer_privacy }</p></footer>
        </>
    }
}

/// The skip link must not change the hash (the router owns it): focus `main`.
fn skip_to_main() -> Callback<MouseEvent> {
    Callback::from(|e: MouseEvent| {
        e.prevent_default();
        if let Some(main) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("main"))
        {
            use wasm_bindgen::JsCast;
            if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = main.focus();
            }
        }
    })
}

fn nav_text(t: &'static Tr, route: &Route) -> &'static str {
    match route {
        Route::Home => t.nav_home,
        Route::Learn | Route::Lesson { .. } => t.nav_learn,
        Route::Teach | Route::Print { .. } | Route::PrintBatch { .. } => t.nav_teach,
        Route::Wallet => t.nav_wallet,
        Route::Verify => t.nav_verify,
        Route::About => t.nav_about,
        Route::NotFound => t.not_found_title,
    }
}

fn nav_id(route: &Route) -> &'static str {
    match route {
        Route::Home => "home",
        Route::Learn | Route::Lesson { .. } => "learn",
        Route::Teach | Route::Print { .. } | Route::PrintBatch { .. } => "teach",
        Route::Wallet => "wallet",
        Route::Verify => "verify",
        Route::About => "about",
        Route::NotFound => "not-found",
    }
}

#[derive(Properties, PartialEq)]
struct NavProps {
    section: Section,
}

/// Plain links (`href` = fragment, or another page plus fragment): a click on
/// a same-page link only changes the fragment, which the hash router follows.
#[component]
fn Nav(props: &NavProps) -> Html {
    let t = use_tr();
    let current = use_route::<Route>().unwrap_or(Route::Home);
    let current_id = nav_id(&current);
    html! {
        <nav aria-label={t.nav_label}>
            <ul>
                { for NAV.iter().map(|route| {
                    let id = nav_id(route);
                    let active = id == current_id;
                    html! {
                        <li>
                            <a
                                href={route.href_from(props.section)}
                                class={classes!("nav-link", active.then_some("active"))}
                            >
                                <span data-nav={id} aria-current={active.then_some("page")}>
                                    { nav_text(t, route) }
                                </span>
                            </a>
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}

#[component]
fn LangSwitch() -> Html {
    let settings = use_context::<SettingsContext>();
    let t = use_tr();
    let current = settings.as_ref().map(|s| s.lang).unwrap_or_default();
    html! {
        <div class="lang" role="group" aria-label={t.language_label}>
            { for Lang::ALL.iter().map(|&lang| {
                let onclick = settings.clone().map(|s| Callback::from(move |_| {
                    s.dispatch(SettingsAction::SetLang(lang))
                }));
                html! {
                    <button
                        type="button"
                        lang={lang.tag()}
                        data-lang={lang.tag()}
                        aria-pressed={(lang == current).to_string()}
                        {onclick}
                    >{ lang.native_name() }</button>
                }
            }) }
        </div>
    }
}
