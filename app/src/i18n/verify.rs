//! Strings of The verifier (`#/verify`), in every language.

/// Every user-visible string of this area.
#[allow(missing_docs)]
pub struct VerifyTr {
    pub placeholder: &'static str,
}

/// English.
pub static EN: VerifyTr = VerifyTr { placeholder: "" };

/// Traditional Chinese (Hong Kong).
pub static ZH_HK: VerifyTr = VerifyTr { placeholder: "" };
