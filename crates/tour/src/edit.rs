//! Editing a tour file in place, as the tools do (`disan tile --tour`, `disan thumbnails`, the
//! studio's edits in `crate::editor`): open `tour.json`, change a scene, write it back. What
//! the edit does not touch is kept as it was: unknown and custom fields (`x-…`, misspelt
//! ones), key order, the values' spelling (`30` stays `30`, not `30.0`). Only the layout of
//! the text changes: the file is written as two-space indented JSON, as every Disan tool
//! writes it.

use crate::model::Tour;
use crate::TourError;
use serde_json::{Map, Value};

/// What [`TourDocument::put_panorama_source`] did to the scene.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SceneChange {
    /// A new scene was added at the end of the list.
    Added,
    /// The scene existed: its picture source was replaced, everything else kept.
    Replaced,
}

/// The keys that name a panorama's picture: one of them is the source.
const SOURCE_KEYS: [&str; 4] = ["image", "coverage", "cube", "tiles"];

/// A tour file being edited: its JSON, kept whole.
#[derive(Debug, Clone, PartialEq)]
pub struct TourDocument {
    json: Value,
}

impl TourDocument {
    /// A new, empty tour (`{"version": 1, "title": …, "scenes": []}`).
    pub fn new(title: &str) -> TourDocument {
        let mut m = Map::new();
        m.insert("version".into(), Value::from(crate::model::FORMAT_VERSION));
        m.insert("title".into(), Value::from(title));
        m.insert("scenes".into(), Value::Array(Vec::new()));
        TourDocument {
            json: Value::Object(m),
        }
    }

    /// Reads a tour file (`file` names it in errors). It must read as a tour, so that an edit
    /// never starts from something Disan refuses; a UTF-8 byte-order mark is dropped.
    pub fn parse(bytes: &[u8], file: &str) -> Result<TourDocument, TourError> {
        Tour::from_json(bytes, file)?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let json: Value = serde_json::from_slice(bytes).map_err(|e| TourError::Parse {
            file: file.to_string(),
            path: "$".into(),
            message: e.to_string(),
        })?;
        Ok(TourDocument { json })
    }

    /// The tour as Disan reads it.
    pub fn tour(&self, file: &str) -> Result<Tour, TourError> {
        Tour::from_json(self.to_text().as_bytes(), file)
    }

    /// The JSON (for reading what no method covers).
    pub fn json(&self) -> &Value {
        &self.json
    }

    /// The JSON, to change (the studio's edits, `crate::editor`).
    pub(crate) fn json_mut(&mut self) -> &mut Value {
        &mut self.json
    }

    /// The text to write: two-space indented JSON and a final newline.
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.json).unwrap_or_default();
        text.push('\n');
        text
    }

    fn scenes_mut(&mut self) -> Result<&mut Vec<Value>, TourError> {
        self.json
            .get_mut("scenes")
            .and_then(Value::as_array_mut)
            .ok_or_else(|| TourError::Parse {
                file: String::new(),
                path: "$.scenes".into(),
                message: "is not a list".into(),
            })
    }

    fn scene_mut(&mut self, id: &str) -> Option<&mut Map<String, Value>> {
        self.json
            .get_mut("scenes")?
            .as_array_mut()?
            .iter_mut()
            .find(|s| s.get("id").and_then(Value::as_str) == Some(id))?
            .as_object_mut()
    }

    /// Gives the panorama scene `id` the picture source `key` = `source` (`"tiles"` with a tile
    /// pyramid, `"image"` with a file…) and, when known, its `north_offset`. An existing scene
    /// keeps its title, view, hotspots and every other field; its old source is replaced in
    /// place (same position among its keys). A scene that does not exist is added at the end
    /// with `title`. An object scene of that id is refused.
    pub fn put_panorama_source(
        &mut self,
        id: &str,
        title: &str,
        key: &str,
        source: Value,
        north_offset: Option<Value>,
    ) -> Result<SceneChange, TourError> {
        let refused = |message: String| TourError::Parse {
            file: String::new(),
            path: format!("$.scenes[id={id}]"),
            message,
        };
        if !SOURCE_KEYS.contains(&key) {
            return Err(refused(format!("\"{key}\" is not a panorama source")));
        }
        let kind = self
            .json
            .get("scenes")
            .and_then(Value::as_array)
            .and_then(|s| {
                s.iter()
                    .find(|s| s.get("id").and_then(Value::as_str) == Some(id))
            })
            .and_then(|s| s.get("kind"))
            .and_then(Value::as_str)
            .map(|k| k == "panorama");
        if kind == Some(false) {
            return Err(refused(format!(
                "scene \"{id}\" is an object scene, not a panorama"
            )));
        }
        if let Some(old) = self.scene_mut(id) {
            let mut kept = Map::new();
            for (k, v) in std::mem::take(old) {
                if SOURCE_KEYS.contains(&k.as_str()) {
                    if !kept.contains_key(key) {
                        kept.insert(key.to_string(), source.clone());
                    }
                } else {
                    kept.insert(k, v);
                }
            }
            if !kept.contains_key(key) {
                kept.insert(key.to_string(), source);
            }
            if let Some(n) = north_offset {
                kept.insert("north_offset".into(), n);
            }
            *old = kept;
            return Ok(SceneChange::Replaced);
        }
        let mut scene = Map::new();
        scene.insert("id".into(), Value::from(id));
        scene.insert("kind".into(), Value::from("panorama"));
        scene.insert("title".into(), Value::from(title));
        scene.insert(key.into(), source);
        if let Some(n) = north_offset {
            scene.insert("north_offset".into(), n);
        }
        self.scenes_mut()?.push(Value::Object(scene));
        Ok(SceneChange::Added)
    }

    /// Names `rel` as the thumbnail of scene `id`; false when there is no such scene.
    pub fn set_thumbnail(&mut self, id: &str, rel: &str) -> bool {
        match self.scene_mut(id) {
            Some(s) => {
                s.insert("thumbnail".into(), Value::from(rel));
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &str = r#"{
  "version": 1,
  "title": {"vi": "Đình", "en": "Hall"},
  "x-museum": {"code": 7},
  "scenes": [
    {"id": "gate", "kind": "panorama", "image": "gate.jpg", "x-note": "kept", "imgae": "typo.jpg",
     "hotspots": [{"kind": "link", "yaw": 10, "pitch": 0, "target": "yard", "label": "Yard"}]},
    {"id": "yard", "kind": "panorama", "image": "old-yard.jpg", "view": {"yaw": 30, "pitch": 5},
     "hotspots": [{"kind": "link", "yaw": -10, "pitch": 0, "target": "gate", "label": "Gate"}]},
    {"id": "drum", "kind": "object", "model": "drum.glb"}
  ]
}"#;

    fn tiles() -> Value {
        serde_json::json!({"path": "t/%l/%s%y_%x.jpg", "tile_size": 64, "cube_resolution": 80,
            "max_level": 2, "preview": "t/preview.jpg"})
    }

    #[test]
    fn a_new_scene_is_added_and_nothing_else_changes() {
        let mut doc = TourDocument::parse(ORIGINAL.as_bytes(), "tour.json").unwrap();
        let change = doc
            .put_panorama_source("court", "Court", "tiles", tiles(), Some(Value::from(12.5)))
            .unwrap();
        assert_eq!(change, SceneChange::Added);
        let before: Value = serde_json::from_str(ORIGINAL).unwrap();
        let after: Value = serde_json::from_str(&doc.to_text()).unwrap();
        for k in ["x-museum", "title", "version"] {
            assert_eq!(after[k], before[k], "{k}");
        }
        for i in 0..3 {
            assert_eq!(after["scenes"][i], before["scenes"][i]);
        }
        assert_eq!(after["scenes"][3]["tiles"], tiles());
        assert_eq!(after["scenes"][3]["north_offset"], 12.5);
        // Numbers keep their spelling; the result reads as a tour.
        assert!(doc.to_text().contains("\"yaw\": 10,"), "{}", doc.to_text());
        let tour = doc.tour("tour.json").unwrap();
        assert_eq!(tour.scenes.len(), 4);
    }

    #[test]
    fn an_existing_scene_keeps_all_but_its_source() {
        let mut doc = TourDocument::parse(ORIGINAL.as_bytes(), "tour.json").unwrap();
        let change = doc
            .put_panorama_source("yard", "ignored", "tiles", tiles(), None)
            .unwrap();
        assert_eq!(change, SceneChange::Replaced);
        let yard = &doc.json()["scenes"][1];
        assert!(yard.get("image").is_none());
        assert_eq!(yard["tiles"], tiles());
        assert_eq!(yard["view"]["yaw"], 30);
        assert_eq!(yard["hotspots"][0]["target"], "gate");
        // The source takes the old one's place among the keys.
        let keys: Vec<&str> = yard
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["id", "kind", "tiles", "view", "hotspots"]);
        // Unknown fields of other scenes, misspelt ones included, are kept.
        assert_eq!(doc.json()["scenes"][0]["imgae"], "typo.jpg");
    }

    #[test]
    fn object_scenes_unknown_sources_and_broken_tours_are_refused() {
        let mut doc = TourDocument::parse(ORIGINAL.as_bytes(), "tour.json").unwrap();
        let before = doc.clone();
        assert!(doc
            .put_panorama_source("drum", "x", "tiles", tiles(), None)
            .is_err());
        assert!(doc
            .put_panorama_source("new", "x", "model", tiles(), None)
            .is_err());
        assert_eq!(doc, before);
        assert!(TourDocument::parse(b"{\"scenes\": 3}", "tour.json").is_err());
        assert!(TourDocument::parse(b"not json", "tour.json").is_err());
    }

    #[test]
    fn thumbnails_and_new_tours() {
        let mut doc = TourDocument::parse(ORIGINAL.as_bytes(), "tour.json").unwrap();
        assert!(doc.set_thumbnail("gate", "thumbs/gate.jpg"));
        assert!(!doc.set_thumbnail("nope", "thumbs/nope.jpg"));
        assert_eq!(doc.json()["scenes"][0]["thumbnail"], "thumbs/gate.jpg");
        let mut new = TourDocument::new("Hall");
        new.put_panorama_source("hall", "Hall", "image", Value::from("hall.jpg"), None)
            .unwrap();
        let tour = new.tour("tour.json").unwrap();
        assert_eq!(tour.scenes[0].id, "hall");
    }
}
