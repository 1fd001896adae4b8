//! Ready-made Open Badges 3.0 achievement templates for Hong Kong IT-education
//! programmes, kept as data: IT Innovation Lab in Secondary Schools
//! (中學IT創新實驗室計劃), STEM Internship Scheme (創科實習計劃), Knowing More
//! About IT (「知多啲IT」計劃), and a Custom template whose texts the teacher
//! replaces.
//!
//! The texts state only what the certificate attests (participation /
//! completion under the named programme); they make no claim about who runs
//! or funds the programme. Achievement ids are stable URNs so the app can
//! recognise a template in any credential and show its own localised copy.

use crate::ob3::{Achievement, BilingualText};

/// A text in English and Traditional Chinese, as static data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaticText {
    /// English.
    pub en: &'static str,
    /// 繁體中文.
    pub zh_hant: &'static str,
}

impl StaticText {
    /// As an owned [`BilingualText`].
    pub fn to_text(&self) -> BilingualText {
        BilingualText::new(self.en, self.zh_hant)
    }
}

/// A programme template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// Stable key (`it-innovation-lab`, …).
    pub key: &'static str,
    /// Stable Achievement id written into credentials.
    pub achievement_id: &'static str,
    /// OB3 `achievementType`.
    pub achievement_type: &'static str,
    /// Programme / achievement name.
    pub name: StaticText,
    /// What the certificate attests.
    pub description: StaticText,
    /// `criteria.narrative`.
    pub criteria: StaticText,
    /// True for the Custom template (texts are placeholders to replace).
    pub custom: bool,
}

impl Template {
    /// The template as an [`Achievement`] (no image; the app may add one).
    pub fn achievement(&self) -> Achievement {
        Achievement {
            id: self.achievement_id.to_owned(),
            achievement_type: Some(self.achievement_type.to_owned()),
            name: self.name.to_text(),
            description: self.description.to_text(),
            criteria: self.criteria.to_text(),
            criteria_id: None,
            image: None,
        }
    }
}

/// IT Innovation Lab in Secondary Schools / 中學IT創新實驗室計劃.
pub const IT_INNOVATION_LAB: Template = Template {
    key: "it-innovation-lab",
    achievement_id: "urn:chainclass:achievement:it-innovation-lab",
    achievement_type: "CertificateOfCompletion",
    name: StaticText {
        en: "IT Innovation Lab in Secondary Schools",
        zh_hant: "中學IT創新實驗室計劃",
    },
    description: StaticText {
        en: "Awarded for taking part in the school's IT-related extra-curricular activities under the IT Innovation Lab in Secondary Schools Programme.",
        zh_hant: "表揚持有人參與學校於「中學IT創新實驗室計劃」下舉辦的資訊科技課外活動。",
    },
    criteria: StaticText {
        en: "Completed the activities and project work set by the school for this programme.",
        zh_hant: "完成學校為本計劃訂定的活動及專題習作。",
    },
    custom: false,
};

/// STEM Internship Scheme / 創科實習計劃.
pub const STEM_INTERNSHIP: Template = Template {
    key: "stem-internship",
    achievement_id: "urn:chainclass:achievement:stem-internship",
    achievement_type: "CertificateOfCompletion",
    name: StaticText {
        en: "STEM Internship Scheme",
        zh_hant: "創科實習計劃",
    },
    description: StaticText {
        en: "Awarded for completing an internship under the STEM Internship Scheme.",
        zh_hant: "表揚持有人完成「創科實習計劃」下的實習。",
    },
    criteria: StaticText {
        en: "Completed the internship period and the tasks agreed with the host organisation.",
        zh_hant: "完成實習期及與實習機構議定的工作。",
    },
    custom: false,
};

/// Knowing More About IT / 「知多啲IT」計劃.
pub const KNOWING_MORE_ABOUT_IT: Template = Template {
    key: "knowing-more-about-it",
    achievement_id: "urn:chainclass:achievement:knowing-more-about-it",
    achievement_type: "CertificateOfCompletion",
    name: StaticText {
        en: "Knowing More About IT",
        zh_hant: "「知多啲IT」計劃",
    },
    description: StaticText {
        en: "Awarded for taking part in IT learning activities under the Knowing More About IT Programme.",
        zh_hant: "表揚持有人參與「知多啲IT」計劃下的資訊科技學習活動。",
    },
    criteria: StaticText {
        en: "Took part in the programme's activities as required by the school.",
        zh_hant: "按學校要求參與本計劃的活動。",
    },
    custom: false,
};

/// Custom certificate: placeholder texts the teacher replaces.
pub const CUSTOM: Template = Template {
    key: "custom",
    achievement_id: "urn:chainclass:achievement:custom",
    achievement_type: "Achievement",
    name: StaticText {
        en: "Certificate of Achievement",
        zh_hant: "嘉許證書",
    },
    description: StaticText {
        en: "Awarded by the school in recognition of the holder's achievement.",
        zh_hant: "學校頒發此證書，以表揚持有人的成就。",
    },
    criteria: StaticText {
        en: "Met the criteria set by the issuing teacher.",
        zh_hant: "達到頒發老師訂定的準則。",
    },
    custom: true,
};

/// All templates, in the order the app lists them.
pub const ALL: [Template; 4] = [
    IT_INNOVATION_LAB,
    STEM_INTERNSHIP,
    KNOWING_MORE_ABOUT_IT,
    CUSTOM,
];

/// The template with `key`, if any.
pub fn by_key(key: &str) -> Option<&'static Template> {
    ALL.iter().find(|t| t.key == key)
}

/// The template whose Achievement id is `id` (to recognise a ChainClass
/// certificate and show the template's localised texts).
pub fn by_achievement_id(id: &str) -> Option<&'static Template> {
    ALL.iter().find(|t| t.achievement_id == id)
}
