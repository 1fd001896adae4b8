//! The crash screen. A panic in WebAssembly kills the whole page; if one ever
//! happens, this hook replaces the dead page with a readable bilingual message
//! and a reload link instead of leaving a frozen screen. The goal remains that
//! nothing panics: library code returns typed errors.

use std::panic;

/// Installs the panic hook. Call once, before mounting the app.
pub fn install() {
    panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&message.as_str().into());
        show(&message);
    }));
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
