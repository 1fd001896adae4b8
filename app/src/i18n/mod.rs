//! The user's language and every string the app shows, as typed tables.
//!
//! [`Tr`] is a struct with one field per string, and each language is one
//! `static` value of it, so a string missing in any language is a compile
//! error rather than a blank on a student's screen. Pages get the table for the
//! current language from [`crate::state::settings::use_tr`].

use serde::{Deserialize, Serialize};

pub mod learn;
pub mod teach;
pub mod verify;
pub mod wallet;

/// A language the app is translated into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Lang {
    /// English.
    #[default]
    #[serde(rename = "en")]
    En,
    /// Traditional Chinese as used in Hong Kong (繁體中文).
    #[serde(rename = "zh-HK")]
    ZhHk,
}

impl Lang {
    /// Every language, in the order the switcher shows them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhHk];

    /// The BCP 47 tag, used for `<html lang>` and in stored settings.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHk => "zh-HK",
        }
    }

    /// Parses a BCP 47 tag loosely: any `zh` variant maps to 繁體中文 (the
    /// only Chinese the app has), anything else to English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::ZhHk
        } else {
            Lang::En
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhHk => "繁體中文",
        }
    }

    /// The string table of this language.
    pub fn tr(self) -> &'static Tr {
        match self {
            Lang::En => &EN,
            Lang::ZhHk => &ZH_HK,
        }
    }
}

impl Tr {
    /// The lessons' strings.
    pub fn learn(&self) -> &'static learn::LearnTr {
        match self.lang {
            Lang::En => &learn::EN,
            Lang::ZhHk => &learn::ZH_HK,
        }
    }

    /// The teacher's desk's strings.
    pub fn teach(&self) -> &'static teach::TeachTr {
        match self.lang {
            Lang::En => &teach::EN,
            Lang::ZhHk => &teach::ZH_HK,
        }
    }

    /// The verifier's strings (also used by the wallet and the desk).
    pub fn verify(&self) -> &'static verify::VerifyTr {
        match self.lang {
            Lang::En => &verify::EN,
            Lang::ZhHk => &verify::ZH_HK,
        }
    }

    /// The wallet's strings.
    pub fn wallet(&self) -> &'static wallet::WalletTr {
        match self.lang {
            Lang::En => &wallet::EN,
            Lang::ZhHk => &wallet::ZH_HK,
        }
    }
}

/// Every user-visible string of the app: the shell's own, plus one table per
/// area (each area's table lives in its own module, owned with its pages).
#[allow(missing_docs)]
pub struct Tr {
    /// The language of this table; the areas' tables are reached through it
    /// (`t.learn()`), not stored here, so a page's wasm holds only the
    /// strings of the areas it shows.
    pub lang: Lang,
    pub app_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    /// A save the browser refused (quota, blocked).
    pub store_refused: &'static str,
    /// A save that found data it cannot read and left it alone.
    pub store_unreadable_now: &'static str,
    /// Technical detail (a `<details>` summary).
    pub technical_detail: &'static str,
    /// A download the browser did not allow.
    pub file_download_failed: &'static str,
    /// Shows stored text as found (recovery screen).
    pub show_stored_text: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_learn: &'static str,
    pub nav_teach: &'static str,
    pub nav_wallet: &'static str,
    pub nav_verify: &'static str,
    pub nav_about: &'static str,
    pub language_label: &'static str,
    pub footer_privacy: &'static str,
    // Home
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_learn_title: &'static str,
    pub home_learn_body: &'static str,
    pub home_teach_title: &'static str,
    pub home_teach_body: &'static str,
    pub home_wallet_title: &'static str,
    pub home_wallet_body: &'static str,
    pub home_verify_title: &'static str,
    pub home_verify_body: &'static str,
    pub open: &'static str,
    // Section pages
    pub learn_title: &'static str,
    pub learn_intro: &'static str,
    pub teach_title: &'static str,
    pub teach_intro: &'static str,
    pub wallet_title: &'static str,
    pub wallet_intro: &'static str,
    pub verify_title: &'static str,
    pub verify_intro: &'static str,
    pub not_ready: &'static str,
    // About
    pub about_title: &'static str,
    pub about_body: &'static str,
    pub about_privacy_title: &'static str,
    pub about_privacy_body: &'static str,
    pub about_standards_title: &'static str,
    pub about_standards_body: &'static str,
    // Not found
    pub not_found_title: &'static str,
    /// Shown for the instant it takes to open another part of the app.
    pub opening_page: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
    // Storage problems
    pub storage_unavailable: &'static str,
    /// A newer version of the app is downloaded and ready (offline copy).
    pub update_ready: &'static str,
    /// The button that switches to it.
    pub update_reload: &'static str,
}

/// English.
pub static EN: Tr = Tr {
    lang: Lang::En,
    app_name: "ChainClass",
    tagline: "Learn how blockchains and digital certificates work — right in your browser.",
    skip_to_content: "Skip to content",
    store_refused: "The browser refused to store it (its storage may be full or blocked). Your change is still in this tab: free some space, or download a copy to keep it.",
    store_unreadable_now: "What this browser holds now was saved by a newer version of ChainClass or is damaged, so nothing was overwritten. Reload the page to see it.",
    technical_detail: "Technical detail",
    file_download_failed: "The browser did not let ChainClass save the file.",
    show_stored_text: "Show the stored text",
    nav_label: "Main",
    nav_home: "Home",
    nav_learn: "Learn",
    nav_teach: "Teach",
    nav_wallet: "Wallet",
    nav_verify: "Verify",
    nav_about: "About",
    language_label: "Language",
    footer_privacy: "Everything you make stays in this browser until you export it. No accounts, no servers.",
    home_title: "Welcome to ChainClass",
    home_intro: "A classroom blockchain and a certificate issuer, wallet and verifier that run entirely in your browser, using the same cryptography and standards as the real thing.",
    home_learn_title: "Learn",
    home_learn_body: "Hash, mine, chain, sign and fork on a class ledger you can touch.",
    home_teach_title: "Teach",
    home_teach_body: "Issue signed programme certificates to a whole class from a roster.",
    home_wallet_title: "Wallet",
    home_wallet_body: "Keep your certificates and show them to anyone.",
    home_verify_title: "Verify",
    home_verify_body: "Check a certificate from a link, a file, pasted text or a QR code.",
    open: "Open",
    learn_title: "Blockchain lessons",
    learn_intro: "Short hands-on lessons on the class ledger. Each one runs on real SHA-256, real Ed25519 signatures and real proof of work.",
    teach_title: "Teacher's desk",
    teach_intro: "Set up your school as an issuer, choose a programme template, and sign certificates for one student or a whole class.",
    wallet_title: "Your wallet",
    wallet_intro: "Certificates you keep in this browser. Nothing leaves it unless you share or export it.",
    verify_title: "Verify a certificate",
    verify_intro: "Paste a certificate, open a file, follow a link or scan a QR code. ChainClass checks it here in your browser, step by step.",
    not_ready: "This part of ChainClass is still being built.",
    about_title: "About ChainClass",
    about_body: "ChainClass is a Web3 learning and credential sandbox for Hong Kong secondary schools. It is a set of static files: open it from a school web server, GitHub Pages or a USB stick.",
    about_privacy_title: "Your data stays with you",
    about_privacy_body: "ChainClass has no backend, no accounts and makes no requests to other websites. Keys, certificates and ledgers are stored only in this browser until you export them.",
    about_standards_title: "Real standards",
    about_standards_body: "Certificates follow the W3C Verifiable Credentials Data Model 2.0, Data Integrity eddsa-jcs-2022, did:key, 1EdTech Open Badges 3.0 and the Bitstring Status List, so they verify anywhere.",
    not_found_title: "Page not found",
    opening_page: "Opening…",
    not_found_body: "There is no page at this address. Check the link or start again from the home page.",
    back_home: "Back to the home page",
    storage_unavailable: "This browser does not let ChainClass save anything (private mode or storage turned off). You can keep working, but nothing will be remembered after you close the tab.",
    update_ready: "A new version of ChainClass is ready. It is used from the next time you open ChainClass, or now if you reload.",
    update_reload: "Reload now",
};

/// Traditional Chinese (Hong Kong).
pub static ZH_HK: Tr = Tr {
    lang: Lang::ZhHk,
    app_name: "ChainClass 鏈課室",
    tagline: "在瀏覽器中學習區塊鏈和數碼證書如何運作。",
    skip_to_content: "跳至內容",
    store_refused: "瀏覽器拒絕儲存（儲存空間可能已滿或被封鎖）。你的改動仍在這個分頁內：請騰出空間，或下載一份副本保存。",
    store_unreadable_now: "這個瀏覽器現時保存的資料由較新版本的 ChainClass 儲存或已損壞，所以沒有覆寫任何內容。請重新載入頁面查看。",
    technical_detail: "技術資料",
    file_download_failed: "瀏覽器不允許 ChainClass 儲存檔案。",
    show_stored_text: "顯示已儲存的原文",
    nav_label: "主選單",
    nav_home: "主頁",
    nav_learn: "學習",
    nav_teach: "教師",
    nav_wallet: "錢包",
    nav_verify: "驗證",
    nav_about: "關於",
    language_label: "語言",
    footer_privacy: "你建立的一切都只會留在這個瀏覽器內，直至你自行匯出。無需帳戶，不經伺服器。",
    home_title: "歡迎來到 ChainClass 鏈課室",
    home_intro: "一條課堂區塊鏈，加上證書簽發、錢包和驗證工具，全部在你的瀏覽器內運行，並採用與真實系統相同的密碼學和標準。",
    home_learn_title: "學習",
    home_learn_body: "在可以親手操作的課堂帳本上體驗雜湊、挖礦、鏈結、數碼簽署和分叉。",
    home_teach_title: "教師",
    home_teach_body: "根據學生名單，為全班簽發已簽署的計劃證書。",
    home_wallet_title: "錢包",
    home_wallet_body: "保存你的證書，並可向任何人出示。",
    home_verify_title: "驗證",
    home_verify_body: "透過連結、檔案、貼上文字或二維碼檢查證書。",
    open: "開啟",
    learn_title: "區塊鏈課堂",
    learn_intro: "在課堂帳本上進行的簡短實作課。每一課都使用真正的 SHA-256、Ed25519 數碼簽署和工作量證明。",
    teach_title: "教師工作台",
    teach_intro: "把學校設定為簽發機構，選擇計劃範本，為一位學生或全班簽發證書。",
    wallet_title: "你的錢包",
    wallet_intro: "保存在這個瀏覽器內的證書。除非你分享或匯出，否則不會離開這裡。",
    verify_title: "驗證證書",
    verify_intro: "貼上證書、開啟檔案、使用連結或掃描二維碼。ChainClass 會在你的瀏覽器內逐步檢查。",
    not_ready: "ChainClass 的這部分仍在建設中。",
    about_title: "關於 ChainClass",
    about_body: "ChainClass 鏈課室是為香港中學而設的 Web3 學習及數碼證書沙盒。它只由靜態檔案組成，可放在學校網頁伺服器、GitHub Pages 或 USB 手指上開啟。",
    about_privacy_title: "你的資料由你保管",
    about_privacy_body: "ChainClass 沒有後端、沒有帳戶，也不會向其他網站發出任何請求。密鑰、證書和帳本只會儲存在這個瀏覽器內，直至你自行匯出。",
    about_standards_title: "真正的標準",
    about_standards_body: "證書遵從 W3C 可驗證憑證數據模型 2.0、Data Integrity eddsa-jcs-2022、did:key、1EdTech Open Badges 3.0 及位元串狀態列表，因此在任何地方都可以驗證。",
    not_found_title: "找不到頁面",
    opening_page: "正在開啟…",
    not_found_body: "這個網址沒有頁面。請檢查連結，或返回主頁重新開始。",
    back_home: "返回主頁",
    storage_unavailable: "這個瀏覽器不允許 ChainClass 儲存資料（私密瀏覽模式或已關閉儲存功能）。你仍可繼續使用，但關閉分頁後不會保留任何內容。",
    update_ready: "ChainClass 的新版本已準備好，下次開啟時會使用；立即重新載入亦可。",
    update_reload: "立即重新載入",
};

/// `one` when `n` is 1, else `many`, with `{n}` replaced by `n`: the
/// language's own forms ("1 list", "2 lists"; Chinese gives the same text
/// twice).
pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 { one } else { many }.replace("{n}", &n.to_string())
}

/// A date as its reader writes it: `5 Dec 2026`, `2026年12月5日`. `value`
/// is an XML Schema date or dateTime as credentials carry it
/// (`2026-12-05T00:00:00Z`); the calendar date is the one written (no time
/// zone is applied). Anything else is returned as written.
pub fn format_date(value: &str, lang: Lang) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let date = value.get(..10).unwrap_or("");
    let parts: Vec<&str> = date.split('-').collect();
    let rest_ok = value
        .get(10..)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('T'));
    let parsed = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 && rest_ok => {
            match (y.parse::<u32>(), m.parse::<usize>(), d.parse::<u32>()) {
                (Ok(y), Ok(m), Ok(d)) if (1..=12).contains(&m) && (1..=31).contains(&d) => {
                    Some((y, m, d))
                }
                _ => None,
            }
        }
        _ => None,
    };
    let month = parsed.and_then(|(_, m, _)| MONTHS.get(m.wrapping_sub(1)));
    match (parsed, month, lang) {
        (Some((y, _, d)), Some(month), Lang::En) => format!("{d} {month} {y}"),
        (Some((y, m, d)), Some(_), Lang::ZhHk) => format!("{y}年{m}月{d}日"),
        _ => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn any_chinese_tag_selects_traditional_chinese() {
        for tag in ["zh-HK", "zh-TW", "zh-Hant", "zh", "ZH-hk", " zh-CN "] {
            assert_eq!(Lang::from_tag(tag), Lang::ZhHk, "{tag}");
        }
        for tag in ["en", "en-GB", "fr", "", "z"] {
            assert_eq!(Lang::from_tag(tag), Lang::En, "{tag}");
        }
    }

    #[test]
    fn tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), lang);
        }
    }

    #[test]
    fn dates_read_as_dates_in_each_language() {
        assert_eq!(format_date("2026-12-05T00:00:00Z", Lang::En), "5 Dec 2026");
        assert_eq!(
            format_date("2026-12-05T00:00:00Z", Lang::ZhHk),
            "2026年12月5日"
        );
        assert_eq!(format_date("2027-01-31", Lang::En), "31 Jan 2027");
        assert_eq!(
            format_date("2027-01-31T23:59:59+08:00", Lang::ZhHk),
            "2027年1月31日"
        );
        for odd in [
            "",
            "2026",
            "2026-13-01",
            "2026-12-00",
            "2026-12-05x",
            "12/05/2026",
            "２０２６-12-05",
        ] {
            assert_eq!(format_date(odd, Lang::En), odd, "{odd}");
        }
    }

    #[test]
    fn the_two_tables_differ_where_the_user_reads_them() {
        assert_ne!(EN.nav_verify, ZH_HK.nav_verify);
        assert_ne!(EN.home_title, ZH_HK.home_title);
    }
}
