//! Language maps (`{"vi": "…", "en": "…"}`) used for every human-readable text in a tour.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Text in several languages. Vietnamese (`vi`) comes first; a plain JSON string is accepted
/// and stored as language-neutral text under the key `und`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "TextRepr", into = "BTreeMap<String, String>")]
pub struct LangText(pub BTreeMap<String, String>);

#[derive(Deserialize)]
#[serde(untagged)]
enum TextRepr {
    Plain(String),
    Map(BTreeMap<String, String>),
}

impl From<TextRepr> for LangText {
    fn from(r: TextRepr) -> Self {
        match r {
            TextRepr::Plain(s) => LangText::plain(s),
            TextRepr::Map(m) => LangText(m),
        }
    }
}

impl From<LangText> for BTreeMap<String, String> {
    fn from(t: LangText) -> Self {
        t.0
    }
}

/// Languages tried, in order, when the wanted one is missing.
pub const FALLBACK_ORDER: [&str; 3] = ["vi", "en", "und"];

/// The entry of a language map in `lang`, else Vietnamese, else English, else any language.
pub fn pick<'a>(map: &'a BTreeMap<String, String>, lang: &str) -> Option<&'a str> {
    map.get(lang)
        .or_else(|| FALLBACK_ORDER.iter().find_map(|l| map.get(*l)))
        .or_else(|| map.values().next())
        .map(String::as_str)
}

impl LangText {
    /// Builds a text from `(language, text)` pairs.
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        LangText(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    /// A language-neutral text (under `und`), as a plain JSON string reads.
    pub fn plain(text: impl Into<String>) -> Self {
        LangText(BTreeMap::from([("und".to_string(), text.into())]))
    }

    /// The text in `lang`, else Vietnamese, else English, else any language; `""` when empty.
    pub fn get(&self, lang: &str) -> &str {
        pick(&self.0, lang).unwrap_or("")
    }

    /// True when no language has any text.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(|v| v.trim().is_empty())
    }

    /// Languages present.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

/// `text` without its accents (`Sân đình` -> `San dinh`): decomposed, the combining marks
/// dropped, `đ`/`Đ` made `d`/`D` (they do not decompose).
pub fn fold_diacritics(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_string_and_map() {
        let t: LangText = serde_json::from_str(r#""Trống đồng""#).unwrap();
        assert_eq!(t.get("en"), "Trống đồng");
        let t: LangText =
            serde_json::from_str(r#"{"vi":"Trống đồng","en":"Bronze drum"}"#).unwrap();
        assert_eq!(t.get("en"), "Bronze drum");
        assert_eq!(t.get("fr"), "Trống đồng", "falls back to Vietnamese first");
        assert!(!t.is_empty());
        assert!(LangText::default().is_empty());
    }

    #[test]
    fn plain_is_a_plain_json_string() {
        let read: LangText = serde_json::from_str(r#""Trống đồng""#).unwrap();
        assert_eq!(LangText::plain("Trống đồng"), read);
        assert_eq!(
            LangText::plain("Bia").languages().collect::<Vec<_>>(),
            ["und"]
        );
        assert_eq!(
            serde_json::to_string(&LangText::plain("Bia"))
                .ok()
                .as_deref(),
            Some(r#"{"und":"Bia"}"#)
        );
    }
}
