//! The crash screen. A panic in WebAssembly kills the whole page; if one ever
//! happens, this hook replaces the dead page with a readable bilingual message
//! and a reload link instead of leaving a frozen screen. The goal remains that
//! nothing panics: library code returns typed errors.
//!
//! A trap that is not a panic (an allocation the browser refuses, ending in
//! `RuntimeError: unreachable`) never reaches the panic hook: it surfaces as
//! an uncaught exception (`error` event) or a rejected promise
//! (`unhandledrejection`) on the window. Listeners for both show the same
//! screen for a `WebAssembly.RuntimeError`. They allocate nothing in Rust
//! (the heap may be what failed): the markup is a static string and the
//! error's message is handed from JavaScript to JavaScript.

use std::panic;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Installs the panic hook and the trap listeners. Call once, before
/// mounting the app.
pub fn install() {
    panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&message.as_str().into());
        show(&message);
    }));
    let Some(window) = web_sys::window() else {
        return;
    };
    for (event, field) in [("error", "error"), ("unhandledrejection", "reason")] {
        let on_event = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
            let error = js_sys::Reflect::get(&e, &JsValue::from_str(field)).unwrap_or_default();
            if error.is_instance_of::<js_sys::WebAssembly::RuntimeError>() {
                show_trap(&error);
            }
        });
        let _ = window.add_event_listener_with_callback(event, on_event.as_ref().unchecked_ref());
        // Lives as long as the page.
        on_event.forget();
    }
}

/// The crash screen for a trap, unless a panic already put one up (its
/// message says more than "unreachable").
fn show_trap(error: &JsValue) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(Some(_)) = document.query_selector("[data-testid=crash-screen]") {
        return;
    }
    let Some(body) = document.body() else {
        return;
    };
    body.set_inner_html(CRASH_HTML);
    if let Ok(Some(detail)) = body.query_selector("#crash-detail") {
        // `RuntimeError: unreachable`, made by JavaScript's toString.
        let text = error.unchecked_ref::<js_sys::Error>().to_string();
        let _ = js_sys::Reflect::set(&detail, &JsValue::from_str("textContent"), &text);
    }
}

/// Replaces the page body with the crash screen showing `message`.
pub fn show(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(body) = document.body() {
        show_in(&body, message);
    }
}

/// Replaces the content of `root` with the crash screen showing `message`.
pub fn show_in(root: &web_sys::Element, message: &str) {
    root.set_inner_html(CRASH_HTML);
    if let Ok(Some(detail)) = root.query_selector("#crash-detail") {
        // Text, not HTML: the message may contain anything.
        detail.set_text_content(Some(message));
    }
}

/// Static markup; no inline scripts or styles (the CSP forbids both). The
/// link navigates to the app's own index, which reloads it.
const CRASH_HTML: &str = r#"<main class="crash" role="alert" data-testid="crash-screen">
<h1>Something went wrong · 出現錯誤</h1>
<p>ChainClass stopped because of an internal error. Your saved data has not been changed.</p>
<p>ChainClass 因內部錯誤而停止。你已儲存的資料沒有被更改。</p>
<p><a class="button" href="./">Reload ChainClass · 重新載入</a></p>
<details><summary>Technical detail · 技術資料</summary><pre id="crash-detail"></pre></details>
</main>"#;
