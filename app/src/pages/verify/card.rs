//! A readable card of what a credential says: issuer, programme, student,
//! dates, image — in the user's language when the credential carries it —
//! with the raw JSON one click away. Images are shown only when embedded as
//! `data:` URLs: ChainClass never fetches from other sites.

use crate::i18n::Lang;
use crate::state::settings::{use_lang, use_tr};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// Picks a display string from a VC text value: a plain string, a language
/// value object (`{"@value", "@language"}`), or an array of them (the one in
/// `lang` first, then English, then the first).
pub fn pick_text(value: &Value, lang: Lang) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("@value").and_then(Value::as_str).map(str::to_owned),
        Value::Array(items) => {
            let with_lang = |prefix: &str| {
                items.iter().find_map(|i| {
                    let l = i.get("@language").and_then(Value::as_str)?;
                    if l.to_ascii_lowercase().starts_with(prefix) {
                        i.get("@value").and_then(Value::as_str).map(str::to_owned)
                    } else {
                        None
                    }
                })
            };
            let wanted = match lang {
                Lang::En => "en",
                Lang::ZhHk => "zh",
            };
            with_lang(wanted)
                .or_else(|| with_lang("en"))
                .or_else(|| items.iter().find_map(|i| pick_text(i, lang)))
        }
        _ => None,
    }
}

/// The first credential subject (object or first of an array).
pub fn subject(doc: &Value) -> Option<&Value> {
    match doc.get("credentialSubject") {
        Some(Value::Array(a)) => a.first(),
        Some(s @ Value::Object(_)) => Some(s),
        _ => None,
    }
}

/// The student's name from an unhashed OB3 `IdentityObject` of type `name`.
pub fn plain_name(subject: &Value) -> Option<String> {
    subject
        .get("identifier")?
        .as_array()?
        .iter()
        .find(|i| {
            i.get("identityType").and_then(Value::as_str) == Some("name")
                && i.get("hashed").and_then(Value::as_bool) == Some(false)
        })
        .and_then(|i| i.get("identityHash").and_then(Value::as_str))
        .map(str::to_owned)
}

/// The student's name as a subject shows it: its `name`, else an unhashed
/// name identifier.
pub fn student_name(subject: &Value, lang: Lang) -> Option<String> {
    subject
        .get("name")
        .and_then(|n| pick_text(n, lang))
        .or_else(|| plain_name(subject))
}

/// The credential's title: the achievement's name, else the credential's.
pub fn title(doc: &Value, lang: Lang) -> Option<String> {
    subject(doc)
        .and_then(|s| s.get("achievement"))
        .and_then(|a| a.get("name"))
        .and_then(|n| pick_text(n, lang))
        .or_else(|| doc.get("name").and_then(|n| pick_text(n, lang)))
}

/// The issuer's display name, else its id.
pub fn issuer_name(doc: &Value, lang: Lang) -> Option<String> {
    match doc.get("issuer") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(o @ Value::Object(_)) => o
            .get("name")
            .and_then(|n| pick_text(n, lang))
            .or_else(|| o.get("id").and_then(Value::as_str).map(str::to_owned)),
        _ => None,
    }
}

fn data_image(v: Option<&Value>) -> Option<Result<String, ()>> {
    let id = match v? {
        Value::String(s) => s.clone(),
        o => o.get("id").and_then(Value::as_str)?.to_owned(),
    };
    Some(if id.starts_with("data:image/") {
        Ok(id)
    } else {
        Err(())
    })
}

/// How far the checks vouch for what a card shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Trust {
    /// Not said here (the checks are shown elsewhere on the page).
    #[default]
    Unknown,
    /// Every check passed.
    Confirmed,
    /// The issuer signed it, but it is not confirmed as in force (revoked,
    /// expired, or revocation not checked).
    SignedOnly,
    /// Not what an issuer is known to have signed: its claims are shown
    /// marked as such, never as facts.
    NotConfirmed,
}

/// Properties of [`Card`].
#[derive(Properties, PartialEq)]
pub struct CardProps {
    /// The credential document.
    pub doc: Rc<Value>,
    /// How far the checks vouch for it.
    #[prop_or_default]
    pub trust: Trust,
}

fn trust_id(trust: Trust) -> &'static str {
    match trust {
        Trust::Unknown => "unknown",
        Trust::Confirmed => "confirmed",
        Trust::SignedOnly => "signed",
        Trust::NotConfirmed => "not_confirmed",
    }
}

/// The credential card.
#[component]
pub fn Card(props: &CardProps) -> Html {
    let t = use_tr();
    let lang = use_lang();
    let v = t.verify();
    let doc = &*props.doc;
    let subj = subject(doc);
    let achievement = subj.and_then(|s| s.get("achievement"));
    let name = title(doc, lang).unwrap_or_else(|| v.card_untitled.to_owned());
    let description = achievement
        .and_then(|a| a.get("description"))
        .or_else(|| doc.get("description"))
        .and_then(|d| pick_text(d, lang));
    let criteria = achievement
        .and_then(|a| a.get("criteria"))
        .and_then(|c| c.get("narrative"))
        .and_then(|n| pick_text(n, lang));
    let recipient = subj.and_then(|s| {
        student_name(s, lang).or_else(|| s.get("id").and_then(Value::as_str).map(str::to_owned))
    });
    let hashed = subj.map(|s| s.get("identifier").is_some()).unwrap_or(false);
    let image = data_image(achievement.and_then(|a| a.get("image")))
        .or_else(|| data_image(doc.get("image")));
    // Dates as the reader writes them; the raw JSON keeps the exact value.
    let date = |k: &str| {
        doc.get(k)
            .and_then(Value::as_str)
            .map(|d| crate::i18n::format_date(d, lang))
    };
    let awarded = subj
        .and_then(|s| s.get("awardedDate"))
        .or_else(|| doc.get("awardedDate"))
        .and_then(Value::as_str)
        .map(|d| crate::i18n::format_date(d, lang));
    let raw = serde_json::to_string_pretty(doc).unwrap_or_default();
    html! {
        <article class={classes!("cert-card", (props.trust == Trust::NotConfirmed).then_some("unconfirmed"))}
            data-testid="credential-card" data-trust={trust_id(props.trust)}>
            <p class="cert-note">{ match props.trust {
                Trust::Unknown => v.card_unverified_note,
                Trust::Confirmed => v.card_confirmed_note,
                Trust::SignedOnly => v.card_signed_note,
                Trust::NotConfirmed => v.card_unconfirmed_note,
            } }</p>
            <div class="cert-top">
                if let Some(Ok(src)) = &image {
                    <img class="cert-image" src={src.clone()} alt="" />
                }
                <div>
                    <h2 class="cert-title">{ name }</h2>
                    if let Some(d) = description { <p>{ d }</p> }
                </div>
            </div>
            if let Some(Err(())) = image {
                <p class="note">{ v.card_image_blocked }</p>
            }
            <dl class="cert-facts">
                if let Some(i) = issuer_name(doc, lang) {
                    <dt>{ v.card_issuer }</dt><dd>{ i }</dd>
                }
                if let Some(r) = recipient {
                    <dt>{ v.card_recipient }</dt><dd class="mono">{ r }</dd>
                } else if hashed {
                    <dt>{ v.card_recipient }</dt><dd>{ v.card_recipient_hashed }</dd>
                }
                if let Some(c) = criteria {
                    <dt>{ v.card_criteria }</dt><dd>{ c }</dd>
                }
                if let Some(a) = awarded {
                    <dt>{ v.card_awarded }</dt><dd>{ a }</dd>
                }
                if let Some(f) = date("validFrom") {
                    <dt>{ v.card_valid_from }</dt><dd>{ f }</dd>
                }
                if let Some(u) = date("validUntil") {
                    <dt>{ v.card_valid_until }</dt><dd>{ u }</dd>
                }
            </dl>
            <details class="raw-json">
                <summary>{ v.card_raw_json }</summary>
                <pre data-testid="raw-json">{ raw }</pre>
            </details>
        </article>
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use serde_json::json;

    #[test]
    fn picks_the_users_language_then_english() {
        let v = json!([
            {"@value": "STEM Internship Scheme", "@language": "en"},
            {"@value": "創科實習計劃", "@language": "zh-Hant-HK"}
        ]);
        assert_eq!(pick_text(&v, Lang::ZhHk).as_deref(), Some("創科實習計劃"));
        assert_eq!(
            pick_text(&v, Lang::En).as_deref(),
            Some("STEM Internship Scheme")
        );
        assert_eq!(
            pick_text(&json!("plain"), Lang::ZhHk).as_deref(),
            Some("plain")
        );
        assert_eq!(
            pick_text(&json!({"@value": "x"}), Lang::En).as_deref(),
            Some("x")
        );
        assert_eq!(pick_text(&json!(3), Lang::En), None);
    }

    #[test]
    fn the_plain_name_identifier_is_the_students_name() {
        let s = json!({"identifier": [
            {"identityType": "emailAddress", "hashed": true, "identityHash": "sha256$00"},
            {"identityType": "name", "hashed": false, "identityHash": "Chan Tai Man"}
        ]});
        assert_eq!(plain_name(&s).as_deref(), Some("Chan Tai Man"));
        let hashed_only = json!({"identifier": [{"identityType": "name", "hashed": true, "identityHash": "sha256$00"}]});
        assert_eq!(plain_name(&hashed_only), None);
    }

    #[test]
    fn only_embedded_images_are_shown() {
        assert_eq!(
            data_image(Some(&json!({"id": "data:image/png;base64,AA"}))),
            Some(Ok("data:image/png;base64,AA".into()))
        );
        assert_eq!(
            data_image(Some(&json!("https://example.org/x.png"))),
            Some(Err(()))
        );
        assert_eq!(data_image(None), None);
    }
}
