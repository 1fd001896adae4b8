//! When this browser last fetched each status list: so that, offline, the
//! verifier can say how old the last check was ("this browser last fetched
//! it on 5 Dec 2026") instead of only that it failed. Only the address and
//! the time are kept (never the list, never which certificate was checked),
//! in `localStorage`, at most [`MAX_LISTS`] addresses (the oldest dropped).

use std::collections::BTreeMap;

/// The `localStorage` key.
pub const KEY: &str = "chainclass.status-fetched.v1";

/// The most addresses remembered.
pub const MAX_LISTS: usize = 200;

/// The longest address remembered (longer ones are not noted).
const MAX_URL: usize = 2048;

/// Status-list address → RFC 3339 time of its last successful fetch.
pub type Seen = BTreeMap<String, String>;

/// `seen` with `url` fetched at `now` (RFC 3339, UTC: such times sort as
/// text), keeping the [`MAX_LISTS`] most recent.
pub fn noted(mut seen: Seen, url: &str, now: &str) -> Seen {
    if url.len() > MAX_URL {
        return seen;
    }
    seen.insert(url.to_owned(), now.to_owned());
    while seen.len() > MAX_LISTS {
        let oldest = seen
            .iter()
            .min_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)))
            .map(|(u, _)| u.clone());
        match oldest {
            Some(u) => {
                seen.remove(&u);
            }
            None => break,
        }
    }
    seen
}

/// Notes that `url` was fetched at `now` (RFC 3339; the page reads the
/// clock). Nothing happens when storage is unavailable or what is stored
/// cannot be read: it is only a hint.
pub fn remember(url: &str, now: &str) {
    let seen: Seen = crate::platform::storage::load(KEY)
        .ok()
        .flatten()
        .unwrap_or_default();
    let _ = crate::platform::storage::save(KEY, &noted(seen, url, now));
}

/// When `url` was last fetched by this browser, if it was.
pub fn last_fetched(url: &str) -> Option<String> {
    crate::platform::storage::load::<Seen>(KEY)
        .ok()
        .flatten()?
        .remove(url)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn keeps_the_latest_time_and_at_most_max_lists_addresses() {
        let mut seen = Seen::new();
        for i in 0..MAX_LISTS + 5 {
            seen = noted(
                seen,
                &format!("https://s.example/status/{i:04}.json"),
                &format!("2026-12-{:02}T00:00:{:02}Z", 1 + i / 60, i % 60),
            );
        }
        assert_eq!(seen.len(), MAX_LISTS);
        // The five oldest went.
        assert!(!seen.contains_key("https://s.example/status/0004.json"));
        assert!(seen.contains_key("https://s.example/status/0005.json"));
        // A new fetch of a remembered list moves its time on.
        let seen = noted(
            seen,
            "https://s.example/status/0005.json",
            "2026-12-31T00:00:00Z",
        );
        assert_eq!(
            seen.get("https://s.example/status/0005.json")
                .map(String::as_str),
            Some("2026-12-31T00:00:00Z")
        );
        assert_eq!(seen.len(), MAX_LISTS);
        // An address too long to be a list is not kept.
        let long = format!("https://s.example/{}", "a".repeat(MAX_URL));
        assert!(!noted(seen, &long, "2026-12-31T00:00:00Z").contains_key(&long));
    }
}
