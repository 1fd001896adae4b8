//! Strings of The wallet (`#/wallet`), in every language.

/// Every user-visible string of this area.
#[allow(missing_docs)]
pub struct WalletTr {
    pub placeholder: &'static str,
}

/// English.
pub static EN: WalletTr = WalletTr { placeholder: "" };

/// Traditional Chinese (Hong Kong).
pub static ZH_HK: WalletTr = WalletTr { placeholder: "" };
