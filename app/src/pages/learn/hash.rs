//! `#/learn/hash`: the SHA-256 of whatever the student types, live, and a
//! second text to compare: the 256 bits of both hashes side by side with
//! every flipped bit marked (the avalanche effect).

use super::{fill, input_value, use_mark_done, LessonId};
use crate::state::settings::use_tr;
use ledger::Hash;
use yew::prelude::*;

/// The bits of a hash, most significant first.
fn bits(hash: &Hash) -> impl Iterator<Item = bool> + '_ {
    hash.as_bytes()
        .iter()
        .flat_map(|byte| (0..8).rev().map(move |i| (byte >> i) & 1 == 1))
}

/// Do two texts differ in exactly one character (same length)?
fn one_character_apart(a: &str, b: &str) -> bool {
    a.chars().count() == b.chars().count()
        && a.chars().zip(b.chars()).filter(|(x, y)| x != y).count() == 1
}

#[component]
pub fn HashLesson() -> Html {
    let t = use_tr();
    let l = t.learn();
    let mark_done = use_mark_done(LessonId::Hash);
    let text_a = use_state(|| "ChainClass".to_owned());
    let text_b = use_state(|| "Chainclass".to_owned());
    let hash_a = Hash::digest(text_a.as_bytes());
    let hash_b = Hash::digest(text_b.as_bytes());

    let on_a = {
        let text_a = text_a.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                text_a.set(v);
            }
        })
    };
    let on_b = {
        let text_b = text_b.clone();
        let text_a = text_a.clone();
        let mark_done = mark_done.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                if one_character_apart(&text_a, &v) {
                    mark_done.emit(());
                }
                text_b.set(v);
            }
        })
    };
    let copy = {
        let text_b = text_b.clone();
        let text_a = text_a.clone();
        Callback::from(move |_| text_b.set((*text_a).clone()))
    };

    let flipped = bits(&hash_a)
        .zip(bits(&hash_b))
        .filter(|(a, b)| a != b)
        .count();
    let hex_a = hash_a.to_string();
    let hex_b = hash_b.to_string();
    let hex_changed = hex_a
        .chars()
        .zip(hex_b.chars())
        .filter(|(a, b)| a != b)
        .count();
    let percent = flipped * 100 / 256;

    html! {
        <div class="lesson-body hash-lesson">
            <div class="panel">
                <h2>{ l.hash_a_heading }</h2>
                <label for="hash-text-a">{ l.hash_a_label }</label>
                <textarea
                    id="hash-text-a"
                    class="short"
                    data-testid="text-a"
                    value={(*text_a).clone()}
                    oninput={on_a}
                    spellcheck="false"
                />
                <p class="muted">{ fill(l.hash_bytes, &[("n", text_a.len().to_string())]) }</p>
                <p class="hash-label">{ l.hash_result }</p>
                <code class="hash" data-testid="hash-a" aria-live="polite">{ hex_a.clone() }</code>
            </div>

            <div class="panel">
                <h2>{ l.hash_b_heading }</h2>
                <p>{ l.hash_b_explain }</p>
                <label for="hash-text-b">{ l.hash_b_label }</label>
                <textarea
                    id="hash-text-b"
                    class="short"
                    data-testid="text-b"
                    value={(*text_b).clone()}
                    oninput={on_b}
                    spellcheck="false"
                />
                <div class="row">
                    <button type="button" class="secondary" onclick={copy}>{ l.hash_copy }</button>
                </div>
                <p class="hash-label">{ l.hash_result }</p>
                <code class="hash" data-testid="hash-b">
                    { for hex_a.chars().zip(hex_b.chars()).map(|(a, b)| {
                        if a == b {
                            html! { <span>{ b }</span> }
                        } else {
                            html! { <span class="diff">{ b }</span> }
                        }
                    }) }
                </code>
                <p class="avalanche" data-testid="avalanche" aria-live="polite">
                    if *text_a == *text_b {
                        { l.hash_same }
                    } else {
                        <strong>{ fill(l.hash_flipped, &[
                            ("bits", flipped.to_string()),
                            ("percent", percent.to_string()),
                            ("hex", hex_changed.to_string()),
                        ]) }</strong>
                    }
                </p>
                <p class="muted">{ l.hash_grid_legend }</p>
                <div class="bit-grid" aria-hidden="true">
                    { for bits(&hash_a).zip(bits(&hash_b)).map(|(a, b)| {
                        let digit = if b { "1" } else { "0" };
                        if a == b {
                            html! { <span class="bit">{ digit }</span> }
                        } else {
                            html! { <span class="bit flip">{ digit }</span> }
                        }
                    }) }
                </div>
            </div>
            <div class="panel explain">
                <h2>{ l.hash_why_heading }</h2>
                <ul>
                    { for l.hash_facts.iter().map(|f| html! { <li>{ *f }</li> }) }
                </ul>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn bits_are_most_significant_first() {
        let h = Hash::digest(b"abc"); // ba = 1011_1010
        let first: Vec<bool> = bits(&h).take(8).collect();
        assert_eq!(first, [true, false, true, true, true, false, true, false]);
        assert_eq!(bits(&h).count(), 256);
    }

    #[test]
    fn one_character_edits() {
        assert!(one_character_apart("abc", "abd"));
        assert!(!one_character_apart("abc", "abc"));
        assert!(!one_character_apart("abc", "abcd"));
        assert!(one_character_apart("區塊", "區決"));
    }
}
