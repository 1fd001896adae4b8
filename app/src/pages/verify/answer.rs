//! The answer a verification leads with: a large verdict word with an icon
//! and colour (never colour alone), and one or two plain sentences — who the
//! certificate was issued to, by whom and when (only when the signature
//! verified), and what the verdict means. The checks follow it.

use super::card::{issuer_name, student_name, subject};
use crate::i18n::verify::VerifyTr;
use crate::i18n::{format_date, Lang};
use crate::state::answer::{Answer, StatusGap};
use crate::state::settings::{use_lang, use_tr};
use serde_json::Value;
use std::rc::Rc;
use yew::prelude::*;

/// Who, by whom and when, as the document says (for a signed document,
/// what the issuer signed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// The student's name, if the certificate shows one.
    pub name: Option<String>,
    /// The issuer's name (else its id).
    pub issuer: Option<String>,
    /// When it was issued (`validFrom`, else `awardedDate`), as written.
    pub date: Option<String>,
}

impl Facts {
    /// The facts of a credential.
    pub fn of(doc: &Value, lang: Lang) -> Facts {
        let subj = subject(doc);
        Facts {
            name: subj.and_then(|s| student_name(s, lang)),
            issuer: issuer_name(doc, lang),
            date: doc
                .get("validFrom")
                .or_else(|| doc.get("issuanceDate"))
                .or_else(|| subj.and_then(|s| s.get("awardedDate")))
                .and_then(Value::as_str)
                .map(str::to_owned),
        }
    }

    /// "Issued to {name} by {issuer} on {date}." with what is known.
    pub fn sentence(&self, v: &VerifyTr, lang: Lang) -> Option<String> {
        let issuer = self.issuer.as_deref()?;
        let date = self.date.as_deref().map(|d| format_date(d, lang));
        let template = match (&self.name, &date) {
            (Some(_), Some(_)) => v.says_issued_to,
            (Some(_), None) => v.says_issued_to_undated,
            (None, Some(_)) => v.says_issued,
            (None, None) => v.says_issued_undated,
        };
        Some(
            template
                .replace("{name}", self.name.as_deref().unwrap_or(""))
                .replace("{issuer}", issuer)
                .replace("{date}", date.as_deref().unwrap_or("")),
        )
    }
}

/// The verdict word and what it means, for `answer`.
pub fn words(
    v: &'static VerifyTr,
    answer: &Answer,
    fetching: bool,
    lang: Lang,
) -> (&'static str, String) {
    let check = |id: &str| super::report::check_name(v, id).to_owned();
    match answer {
        Answer::Authentic => (v.answer_authentic, v.says_authentic.to_owned()),
        Answer::Revoked => (v.answer_revoked, v.says_revoked.to_owned()),
        Answer::Suspended => (v.answer_suspended, v.says_suspended.to_owned()),
        Answer::Tampered => (v.answer_tampered, v.says_tampered.to_owned()),
        Answer::Unsigned => (v.answer_unsigned, v.says_unsigned.to_owned()),
        Answer::NotForThisCheck => (
            v.answer_not_for_this_check,
            v.says_not_for_this_check.to_owned(),
        ),
        Answer::WrongSigner => (v.answer_wrong_signer, v.says_wrong_signer.to_owned()),
        Answer::Expired { on } => (
            v.answer_expired,
            v.says_expired.replace("{date}", &format_date(on, lang)),
        ),
        Answer::NotYetValid { from } => (
            v.answer_not_yet_valid,
            v.says_not_yet_valid
                .replace("{date}", &format_date(from, lang)),
        ),
        Answer::Unreadable => (v.answer_unreadable, v.says_unreadable.to_owned()),
        Answer::Invalid { check: id } => (
            v.answer_invalid,
            v.says_invalid.replace("{check}", &check(id)),
        ),
        Answer::SignatureUnchecked => (
            v.answer_signature_unchecked,
            v.says_signature_unchecked.to_owned(),
        ),
        Answer::StatusUnchecked { why } => {
            if fetching && *why == StatusGap::NotLoaded {
                (v.answer_status_checking, v.says_status_checking.to_owned())
            } else {
                let says = match why {
                    StatusGap::NotLoaded => v.says_status_not_loaded,
                    StatusGap::ListOutOfDate => v.says_status_out_of_date,
                    StatusGap::ListUnusable => v.says_status_unusable,
                };
                (v.answer_status_unchecked, says.to_owned())
            }
        }
        Answer::Unconfirmed { check: id } => (
            v.answer_unconfirmed,
            v.says_unconfirmed.replace("{check}", &check(id)),
        ),
    }
}

/// Properties of [`Headline`].
#[derive(Properties, PartialEq)]
pub struct HeadlineProps {
    /// The answer.
    pub answer: Answer,
    /// The verified document (a credential; `None` for a presentation or
    /// what did not parse).
    pub doc: Option<Rc<Value>>,
    /// Whether a status list it needs is being fetched.
    #[prop_or_default]
    pub fetching: bool,
    /// A presentation checked without a challenge: its freshness is unknown.
    #[prop_or_default]
    pub freshness_unchecked: bool,
}

/// The headline of a verification.
#[component]
pub fn Headline(props: &HeadlineProps) -> Html {
    let t = use_tr();
    let lang = use_lang();
    let v = t.verify();
    let answer = &props.answer;
    let verdict = answer.verdict();
    let (word, meaning) = words(v, answer, props.fetching, lang);
    // Who and by whom, only as the issuer signed it.
    let facts = props
        .doc
        .as_ref()
        .filter(|_| answer.vouched())
        .and_then(|d| Facts::of(d, lang).sentence(v, lang));
    html! {
        <div class={classes!("answer", "verdict", verdict.id())} data-testid="answer"
            data-verdict={verdict.id()} data-answer={answer.id()} role="status">
            <span class="verdict-icon" aria-hidden="true">{ verdict.icon() }</span>
            <div>
                <strong class="answer-word">{ word }</strong>
                if let Some(facts) = facts {
                    <p class="answer-facts" data-testid="answer-facts">{ facts }</p>
                }
                <p>{ meaning }</p>
                if props.freshness_unchecked {
                    <p class="answer-note" data-testid="freshness-unchecked">{ v.freshness_unchecked }</p>
                }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::i18n::verify::{EN, ZH_HK};
    use serde_json::json;

    #[test]
    fn the_facts_sentence_names_the_student_the_issuer_and_the_date() {
        let doc = json!({
            "issuer": {"id": "did:key:z6Mk", "name": [
                {"@value": "Harbour View Secondary School", "@language": "en"},
                {"@value": "海景中學", "@language": "zh-Hant"}
            ]},
            "validFrom": "2026-12-05T00:00:00Z",
            "credentialSubject": {"identifier": [
                {"identityType": "name", "hashed": false, "identityHash": "CHAN Tai Man 陳大文"}
            ]}
        });
        assert_eq!(
            Facts::of(&doc, Lang::En).sentence(&EN, Lang::En).as_deref(),
            Some("Issued to CHAN Tai Man 陳大文 by Harbour View Secondary School on 5 Dec 2026.")
        );
        assert_eq!(
            Facts::of(&doc, Lang::ZhHk)
                .sentence(&ZH_HK, Lang::ZhHk)
                .as_deref(),
            Some("由海景中學於2026年12月5日頒發給CHAN Tai Man 陳大文。")
        );
        // No name (a hashed recipient), no date, no issuer.
        let plain = json!({"issuer": "did:key:z6Mk", "credentialSubject": {"id": "did:example:1"}});
        assert_eq!(
            Facts::of(&plain, Lang::En)
                .sentence(&EN, Lang::En)
                .as_deref(),
            Some("Issued by did:key:z6Mk.")
        );
        assert_eq!(
            Facts::of(&json!({}), Lang::En).sentence(&EN, Lang::En),
            None
        );
    }

    #[test]
    fn every_answer_has_words_in_both_languages() {
        let all = [
            Answer::Authentic,
            Answer::Revoked,
            Answer::Suspended,
            Answer::Tampered,
            Answer::Unsigned,
            Answer::NotForThisCheck,
            Answer::WrongSigner,
            Answer::Expired {
                on: "2026-12-31T23:59:59Z".into(),
            },
            Answer::NotYetValid {
                from: "2027-01-01".into(),
            },
            Answer::Unreadable,
            Answer::Invalid {
                check: "profile".into(),
            },
            Answer::SignatureUnchecked,
            Answer::StatusUnchecked {
                why: StatusGap::NotLoaded,
            },
            Answer::StatusUnchecked {
                why: StatusGap::ListOutOfDate,
            },
            Answer::StatusUnchecked {
                why: StatusGap::ListUnusable,
            },
            Answer::Unconfirmed {
                check: "anchor".into(),
            },
        ];
        for (v, lang) in [(&EN, Lang::En), (&ZH_HK, Lang::ZhHk)] {
            let mut seen = std::collections::HashSet::new();
            for a in &all {
                let (word, meaning) = words(v, a, false, lang);
                assert!(!word.is_empty() && !meaning.is_empty(), "{a:?}");
                assert!(!meaning.contains('{'), "unfilled placeholder: {meaning}");
                assert!(
                    seen.insert(meaning.clone()),
                    "two answers read alike: {meaning}"
                );
            }
        }
        let (_, expired) = words(&EN, &all[7], false, Lang::En);
        assert!(expired.contains("31 Dec 2026"), "{expired}");
        let (word, _) = words(&EN, &all[12], true, Lang::En);
        assert_eq!(word, EN.answer_status_checking);
    }
}
