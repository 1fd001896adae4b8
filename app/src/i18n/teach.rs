//! Strings of The teacher's desk (`#/teach`), in every language.

/// Every user-visible string of this area.
#[allow(missing_docs)]
pub struct TeachTr {
    pub placeholder: &'static str,
}

/// English.
pub static EN: TeachTr = TeachTr { placeholder: "" };

/// Traditional Chinese (Hong Kong).
pub static ZH_HK: TeachTr = TeachTr { placeholder: "" };
