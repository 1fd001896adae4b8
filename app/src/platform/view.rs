//! Bringing a part of the page into view: after a long step (signing a
//! class, one certificate) its result may start below the fold, and a
//! teacher who does not scroll thinks nothing happened.

/// Scrolls the first element matching the CSS `selector` into view (the
/// browser's own smooth-or-not choice); nothing when there is none.
pub fn scroll_into_view(selector: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
    {
        el.scroll_into_view();
    }
}
