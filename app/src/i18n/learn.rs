//! Strings of Lessons (`#/learn`, `#/learn/*`), in every language.

/// Every user-visible string of this area.
#[allow(missing_docs)]
pub struct LearnTr {
    pub placeholder: &'static str,
}

/// English.
pub static EN: LearnTr = LearnTr { placeholder: "" };

/// Traditional Chinese (Hong Kong).
pub static ZH_HK: LearnTr = LearnTr { placeholder: "" };
