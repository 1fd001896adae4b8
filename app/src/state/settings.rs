//! User settings (the interface language), remembered across reloads in
//! `localStorage` under a versioned key.

use crate::i18n::{Lang, Tr};
use crate::platform::storage;
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use yew::prelude::*;

/// Storage key of the settings; bump the suffix when the format changes.
pub const STORAGE_KEY: &str = "chainclass.settings.v1";

/// The user's settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Settings {
    /// Interface language.
    pub lang: Lang,
}

/// Changes to the settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsAction {
    /// Switch the interface language.
    SetLang(Lang),
}

impl Reducible for Settings {
    type Action = SettingsAction;

    fn reduce(self: Rc<Self>, action: SettingsAction) -> Rc<Self> {
        match action {
            SettingsAction::SetLang(lang) if lang != self.lang => Rc::new(Settings { lang }),
            SettingsAction::SetLang(_) => self,
        }
    }
}

impl Settings {
    /// Loads stored settings; with none (or unreadable ones, which only hold a
    /// language choice) falls back to the browser's preferred language.
    pub fn load() -> Settings {
        match storage::load::<Settings>(STORAGE_KEY) {
            Ok(Some(settings)) => settings,
            _ => Settings {
                lang: browser_lang(),
            },
        }
    }

    /// Stores the settings. Failure (private mode) is not fatal: the app
    /// keeps working without remembering.
    pub fn save(&self) -> Result<(), storage::StorageError> {
        storage::save(STORAGE_KEY, self)
    }
}

fn browser_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .map(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

/// The settings context handed to every page.
pub type SettingsContext = UseReducerHandle<Settings>;

/// The current language (English outside a provider).
#[hook]
pub fn use_lang() -> Lang {
    use_context::<SettingsContext>()
        .map(|s| s.lang)
        .unwrap_or_default()
}

/// The string table of the current language.
#[hook]
pub fn use_tr() -> &'static Tr {
    use_lang().tr()
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn switching_language_changes_state_and_same_language_keeps_it() {
        let s = Rc::new(Settings { lang: Lang::En });
        let s2 = s.clone().reduce(SettingsAction::SetLang(Lang::ZhHk));
        assert_eq!(s2.lang, Lang::ZhHk);
        let s3 = s2.clone().reduce(SettingsAction::SetLang(Lang::ZhHk));
        assert!(Rc::ptr_eq(&s2, &s3));
    }

    #[test]
    fn stored_format_is_stable() {
        let json = serde_json::to_string(&Settings { lang: Lang::ZhHk }).unwrap();
        assert_eq!(json, r#"{"lang":"zh-HK"}"#);
        let back: Settings = serde_json::from_str(r#"{"lang":"en"}"#).unwrap();
        assert_eq!(back.lang, Lang::En);
    }
}
