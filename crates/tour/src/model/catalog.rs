//! The catalog (`catalog.json` or the tour's inline `catalog`): museum records that info
//! hotspots open.

use super::{parse_json, strip_bom, View};
use crate::text::LangText;
use crate::TourError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An image attached to a catalog entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogImage {
    /// Image file relative to the tour folder, or a URL.
    pub src: String,
    /// Caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<LangText>,
    /// Photographer / rights holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Whether a record's media is watched or listened to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// A film: played in the card with its poster before it starts.
    Video,
    /// A recording: a song, an interview, a gong performance heard.
    Audio,
}

/// A video or audio recording of a record (intangible heritage: a ritual, a song, a craft).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogMedia {
    /// Video or audio file relative to the tour folder.
    pub src: String,
    /// Video or audio; from the file's extension when absent ([`CatalogMedia::kind`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<MediaKind>,
    /// Image shown before a video plays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poster: Option<String>,
    /// Caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<LangText>,
    /// Who recorded it / rights holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    /// WebVTT captions (subtitles) per language, relative to the tour folder.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub captions: std::collections::BTreeMap<String, String>,
    /// What is said and heard, as text, for those who cannot hear it or play it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<LangText>,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CatalogMedia {
    /// Video or audio: as written, else audio for an audio-only extension (`.mp3`, `.m4a`,
    /// `.ogg`, `.oga`, `.opus`, `.wav`, `.flac`, `.aac`), video for anything else.
    pub fn kind(&self) -> MediaKind {
        if let Some(k) = self.kind {
            return k;
        }
        let ext = self
            .src
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "mp3" | "m4a" | "ogg" | "oga" | "opus" | "wav" | "flac" | "aac" => MediaKind::Audio,
            _ => MediaKind::Video,
        }
    }
}

/// A museum record: what an info hotspot opens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogEntry {
    /// Unique id, referred to by info hotspots.
    pub id: String,
    /// Name of the object or place.
    pub title: LangText,
    /// Longer text.
    #[serde(default)]
    pub description: LangText,
    /// Inventory (accession) number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory_number: Option<String>,
    /// Object type (drum, stele, statue, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<LangText>,
    /// Period or dating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<LangText>,
    /// Material and technique.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material: Option<LangText>,
    /// Dimensions, as written by the museum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimensions: Option<LangText>,
    /// Place of origin or find spot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_of_origin: Option<LangText>,
    /// Heritage designation (e.g. national treasure, decision number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heritage_designation: Option<LangText>,
    /// Where the object is kept now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_location: Option<LangText>,
    /// Images of the object.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<CatalogImage>,
    /// Video and audio recordings, shown after the images.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<CatalogMedia>,
    /// Rights statement or licence of the record and media.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<LangText>,
    /// Credits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<LangText>,
    /// Scene the record's `view` belongs to; any scene of the view's kind when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene: Option<String>,
    /// View flown to when the record's card opens in that scene (a close-up of the object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<View>,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CatalogEntry {
    /// A record with its id and title, and nothing else yet.
    pub fn new(id: impl Into<String>, title: LangText) -> CatalogEntry {
        CatalogEntry {
            id: id.into(),
            title,
            description: LangText::default(),
            inventory_number: None,
            object_type: None,
            period: None,
            material: None,
            dimensions: None,
            place_of_origin: None,
            heritage_designation: None,
            current_location: None,
            images: Vec::new(),
            media: Vec::new(),
            rights: None,
            credits: None,
            scene: None,
            view: None,
            extra: Map::new(),
        }
    }

    /// With a longer text.
    pub fn with_description(self, description: LangText) -> CatalogEntry {
        CatalogEntry {
            description,
            ..self
        }
    }

    /// The record's fields in display order, as (field name, text), skipping absent ones.
    pub fn fields(&self) -> Vec<(&'static str, &LangText)> {
        let mut out = Vec::new();
        let opt = [
            ("object_type", &self.object_type),
            ("period", &self.period),
            ("material", &self.material),
            ("dimensions", &self.dimensions),
            ("place_of_origin", &self.place_of_origin),
            ("heritage_designation", &self.heritage_designation),
            ("current_location", &self.current_location),
            ("rights", &self.rights),
            ("credits", &self.credits),
        ];
        for (name, value) in opt {
            if let Some(v) = value {
                out.push((name, v));
            }
        }
        out
    }
}

/// `catalog.json`: `{"version": 1, "entries": [...]}` or a bare array of entries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// Format version, `1`.
    #[serde(default = "super::one")]
    pub version: u32,
    /// The entries.
    pub entries: Vec<CatalogEntry>,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Catalog {
    /// Reads `catalog.json` bytes: an object with `entries` or a bare array.
    pub fn from_json(bytes: &[u8], file: &str) -> Result<Catalog, TourError> {
        let trimmed = strip_bom(bytes);
        let first = trimmed.iter().find(|b| !b.is_ascii_whitespace());
        if first == Some(&b'[') {
            let entries: Vec<CatalogEntry> = parse_json(trimmed, file)?;
            Ok(Catalog {
                version: 1,
                entries,
                extra: Map::new(),
            })
        } else {
            parse_json(trimmed, file)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_entry_has_only_id_and_title() {
        let e = CatalogEntry::new("bia", LangText::new([("vi", "Bia đá")]))
            .with_description(LangText::plain("Khắc năm 1700"));
        assert_eq!((e.id.as_str(), e.title.get("en")), ("bia", "Bia đá"));
        assert_eq!(e.description.get("vi"), "Khắc năm 1700");
        assert!(e.fields().is_empty() && e.images.is_empty() && e.extra.is_empty());
        assert_eq!(
            serde_json::to_value(&e).ok(),
            Some(serde_json::json!({
                "id": "bia", "title": {"vi": "Bia đá"}, "description": {"und": "Khắc năm 1700"}
            }))
        );
    }

    #[test]
    fn catalog_array_or_object_and_bom() {
        let a =
            Catalog::from_json(b"\xEF\xBB\xBF[{\"id\":\"x\",\"title\":\"X\"}]", "c.json").unwrap();
        let b = Catalog::from_json(
            br#"{"version":1,"entries":[{"id":"x","title":"X"}]}"#,
            "c.json",
        )
        .unwrap();
        assert_eq!(a.entries, b.entries);
    }
}
