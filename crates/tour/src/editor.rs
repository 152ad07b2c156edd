//! The studio's edits of a tour, written once for every shell: typed [`Edit`]s applied to the
//! tour's JSON ([`TourDocument`]: unknown fields, key order and the spelling of numbers kept),
//! each one undoable (at least [`UNDO_DEPTH`] steps) and redoable. The text to save is the
//! opened text itself, byte for byte, as long as the edits have come back to where they started
//! (nothing edited, or everything undone); otherwise the document as Disan's tools write it.

use crate::edit::TourDocument;
use crate::TourError;
use serde::Deserialize;
use serde_json::{Map, Value};

/// How many edits can be undone.
pub const UNDO_DEPTH: usize = 500;

/// One change an author makes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Edit {
    /// The tour's title in one language.
    SetTourTitle {
        /// Language code.
        lang: String,
        /// The title.
        text: String,
    },
    /// A new panorama scene showing an equirectangular `image` (its id and title from the
    /// file's name unless given).
    AddPanorama {
        /// Image file, relative to the tour folder.
        image: String,
        /// Title (the file's name when absent).
        #[serde(default)]
        title: Option<String>,
    },
    /// A new object scene showing `model`.
    AddObject {
        /// glTF or GLB file, relative to the tour folder.
        model: String,
        /// Title (the file's name when absent).
        #[serde(default)]
        title: Option<String>,
    },
    /// A scene's title in one language.
    SetSceneTitle {
        /// Scene id.
        scene: String,
        /// Language code.
        lang: String,
        /// The title.
        text: String,
    },
    /// A scene moved to position `to` in the list.
    MoveScene {
        /// Scene id.
        scene: String,
        /// New index.
        to: usize,
    },
    /// A scene deleted, with the hotspots and guided steps that lead to it.
    DeleteScene {
        /// Scene id.
        scene: String,
    },
    /// The scene the tour starts with.
    SetStart {
        /// Scene id.
        scene: String,
    },
    /// A scene's initial view (a panorama's `view`, an object's `orbit`).
    SetInitialView {
        /// Scene id.
        scene: String,
        /// Yaw, degrees.
        yaw: f64,
        /// Pitch, degrees.
        pitch: f64,
        /// Field of view (panoramas) or distance (objects), when given.
        #[serde(default)]
        fov: Option<f64>,
    },
    /// A hotspot added to a scene, as written in tour.json (`kind`, `label`, `yaw`/`pitch` or
    /// `position`/`normal`, `target` or `entry`).
    AddHotspot {
        /// Scene id.
        scene: String,
        /// The hotspot's JSON.
        hotspot: Value,
    },
    /// A hotspot moved: a panorama's to `yaw`/`pitch`, an object's to `position`/`normal`.
    MoveHotspot {
        /// Scene id.
        scene: String,
        /// Index in the scene's hotspots.
        index: usize,
        /// The new placement's fields.
        placement: Map<String, Value>,
    },
    /// A hotspot's label in one language.
    SetHotspotLabel {
        /// Scene id.
        scene: String,
        /// Index in the scene's hotspots.
        index: usize,
        /// Language code.
        lang: String,
        /// The label.
        text: String,
    },
    /// A hotspot deleted.
    DeleteHotspot {
        /// Scene id.
        scene: String,
        /// Index in the scene's hotspots.
        index: usize,
    },
}

/// A tour being edited.
#[derive(Debug, Clone)]
pub struct Editor {
    /// The text the editor opened, byte for byte.
    opened_text: String,
    /// Its JSON.
    opened: Value,
    doc: TourDocument,
    undo: Vec<Value>,
    redo: Vec<Value>,
}

impl Editor {
    /// Opens a tour's text (`None`: a new tour titled `title`).
    pub fn open(text: Option<&str>, title: &str) -> Result<Editor, TourError> {
        let (opened_text, doc) = match text {
            Some(t) => (
                t.to_string(),
                TourDocument::parse(t.as_bytes(), "tour.json")?,
            ),
            None => {
                let d = TourDocument::new(title);
                (String::new(), d)
            }
        };
        Ok(Editor {
            opened_text,
            opened: doc.json().clone(),
            doc,
            undo: Vec::new(),
            redo: Vec::new(),
        })
    }

    /// The tour's JSON now.
    pub fn json(&self) -> &Value {
        self.doc.json()
    }

    /// The text to save: the opened text itself when the tour is as it was opened, else the
    /// edited document.
    pub fn text(&self) -> String {
        if !self.opened_text.is_empty() && *self.doc.json() == self.opened {
            self.opened_text.clone()
        } else {
            self.doc.to_text()
        }
    }

    /// What `disan validate` would say of the tour now, but for its files (the studio's server
    /// checks those): dead links, unknown catalog entries, shapes, steps. `catalog` is the
    /// text of the tour's catalog file, when it has one.
    pub fn problems(&self, catalog: Option<&str>) -> Vec<String> {
        let text = self.doc.to_text();
        let mut tour = match crate::model::TourJson::parse(text.as_bytes(), "tour.json") {
            Ok(t) => t,
            Err(e) => return vec![e.to_string()],
        };
        let mut out = Vec::new();
        if let Some(c) = catalog {
            match crate::model::Catalog::from_json(c.as_bytes(), tour.catalog_path()) {
                Ok(c) => tour.merge_catalog(c),
                Err(e) => out.push(e.to_string()),
            }
        }
        let report = crate::validate::validate_json(&tour, "tour.json");
        out.extend(report.problems.iter().map(ToString::to_string));
        out
    }

    /// True when something can be undone / redone.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// True when something can be redone.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Undoes the last edit; false when there is none.
    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(v) => {
                let now = std::mem::replace(self.doc.json_mut(), v);
                self.redo.push(now);
                true
            }
            None => false,
        }
    }

    /// Redoes the last undone edit; false when there is none.
    pub fn redo(&mut self) -> bool {
        match self.redo.pop() {
            Some(v) => {
                let now = std::mem::replace(self.doc.json_mut(), v);
                self.undo.push(now);
                true
            }
            None => false,
        }
    }

    /// Applies `edit`; on success it can be undone. Returns what it made, when it made
    /// something: a new scene's id, a new hotspot's index.
    pub fn apply(&mut self, edit: Edit) -> Result<Option<Value>, TourError> {
        let mut json = self.doc.json().clone();
        let made = apply(&mut json, edit)?;
        // Checked as Disan reads it: an edit never leaves a tour Disan refuses.
        let text = serde_json::to_string(&json).map_err(|e| TourError::Edit(e.to_string()))?;
        crate::model::Tour::from_json(text.as_bytes(), "tour.json")
            .map_err(|e| TourError::Edit(e.to_string()))?;
        let before = std::mem::replace(self.doc.json_mut(), json);
        self.undo.push(before);
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(made)
    }
}

fn refused<T>(message: impl Into<String>) -> Result<T, TourError> {
    Err(TourError::Edit(message.into()))
}

fn scenes(json: &mut Value) -> Result<&mut Vec<Value>, TourError> {
    let root = json
        .as_object_mut()
        .ok_or_else(|| TourError::Edit("the tour is not an object".into()))?;
    root.entry("scenes")
        .or_insert_with(|| Value::Array(Vec::new()))
        .as_array_mut()
        .ok_or_else(|| TourError::Edit("\"scenes\" is not a list".into()))
}

fn scene<'a>(json: &'a mut Value, id: &str) -> Result<&'a mut Map<String, Value>, TourError> {
    scenes(json)?
        .iter_mut()
        .find(|s| s.get("id").and_then(Value::as_str) == Some(id))
        .and_then(Value::as_object_mut)
        .ok_or_else(|| TourError::Edit(format!("no scene \"{id}\"")))
}

fn hotspots<'a>(json: &'a mut Value, id: &str) -> Result<&'a mut Vec<Value>, TourError> {
    scene(json, id)?
        .entry("hotspots")
        .or_insert_with(|| Value::Array(Vec::new()))
        .as_array_mut()
        .ok_or_else(|| TourError::Edit(format!("scene \"{id}\": \"hotspots\" is not a list")))
}

/// Sets `lang`'s text in a text field that is a plain string (one language: the tour's first)
/// or an object of languages.
fn set_text(field: &mut Value, lang: &str, text: &str, first_lang: &str) {
    match field {
        Value::Object(m) => {
            m.insert(lang.to_string(), Value::from(text));
        }
        Value::String(s) if lang == first_lang || s.is_empty() => *field = Value::from(text),
        Value::String(s) => {
            let mut m = Map::new();
            m.insert(first_lang.to_string(), Value::from(s.clone()));
            m.insert(lang.to_string(), Value::from(text));
            *field = Value::Object(m);
        }
        _ => *field = Value::from(text),
    }
}

/// The tour's first language (Vietnamese unless it says).
fn first_lang(json: &Value) -> String {
    json.get("languages")
        .and_then(Value::as_array)
        .and_then(|l| l.first())
        .and_then(Value::as_str)
        .unwrap_or("vi")
        .to_string()
}

/// A scene id made from a file's name, unique in the tour: `panos/Sân đình.jpg` -> `san-dinh`.
pub fn id_from_file(file: &str, taken: &[String]) -> String {
    let mut id = String::new();
    for c in crate::text::fold_diacritics(stem(file)).chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    let id = if id.is_empty() {
        "scene".to_string()
    } else {
        id
    };
    if !taken.contains(&id) {
        return id;
    }
    (2..)
        .map(|n| format!("{id}-{n}"))
        .find(|c| !taken.contains(c))
        .unwrap_or(id)
}

/// A title made from a file's name: `panos/san-dinh_2.jpg` -> `san dinh 2`.
fn title_from_file(file: &str) -> String {
    stem(file).replace(['-', '_'], " ").trim().to_string()
}

/// A file's name without its folder and extension: `panos/san-dinh.jpg` -> `san-dinh`.
fn stem(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

fn ids(json: &mut Value) -> Result<Vec<String>, TourError> {
    Ok(scenes(json)?
        .iter()
        .filter_map(|s| s.get("id").and_then(Value::as_str).map(str::to_string))
        .collect())
}

fn apply(json: &mut Value, edit: Edit) -> Result<Option<Value>, TourError> {
    let lang0 = first_lang(json);
    match edit {
        Edit::SetTourTitle { lang, text } => {
            let root = json
                .as_object_mut()
                .ok_or_else(|| TourError::Edit("the tour is not an object".into()))?;
            let field = root.entry("title").or_insert(Value::from(""));
            set_text(field, &lang, &text, &lang0);
        }
        Edit::AddPanorama { image, title }
        | Edit::AddObject {
            model: image,
            title,
        } if image.trim().is_empty() => {
            let _ = title;
            return refused("a scene needs a file");
        }
        Edit::AddPanorama { image, title } => {
            return add_scene(json, "panorama", "image", image, title);
        }
        Edit::AddObject { model, title } => {
            return add_scene(json, "object", "model", model, title);
        }
        Edit::SetSceneTitle {
            scene: id,
            lang,
            text,
        } => {
            let s = scene(json, &id)?;
            let field = s.entry("title").or_insert(Value::from(""));
            set_text(field, &lang, &text, &lang0);
        }
        Edit::MoveScene { scene: id, to } => {
            let list = scenes(json)?;
            let from = list
                .iter()
                .position(|s| s.get("id").and_then(Value::as_str) == Some(id.as_str()))
                .ok_or_else(|| TourError::Edit(format!("no scene \"{id}\"")))?;
            let s = list.remove(from);
            list.insert(to.min(list.len()), s);
        }
        Edit::DeleteScene { scene: id } => {
            let list = scenes(json)?;
            let before = list.len();
            list.retain(|s| s.get("id").and_then(Value::as_str) != Some(id.as_str()));
            if list.len() == before {
                return refused(format!("no scene \"{id}\""));
            }
            // What leads to it goes with it: link hotspots, guided steps, the start.
            for s in list.iter_mut() {
                if let Some(h) = s.get_mut("hotspots").and_then(Value::as_array_mut) {
                    h.retain(|h| h.get("target").and_then(Value::as_str) != Some(id.as_str()));
                }
            }
            if let Some(root) = json.as_object_mut() {
                if root.get("start_scene").and_then(Value::as_str) == Some(id.as_str()) {
                    root.remove("start_scene");
                }
                if let Some(tours) = root.get_mut("tours").and_then(Value::as_array_mut) {
                    for t in tours {
                        if let Some(steps) = t.get_mut("steps").and_then(Value::as_array_mut) {
                            steps.retain(|s| {
                                s.get("scene").and_then(Value::as_str) != Some(id.as_str())
                            });
                        }
                    }
                }
            }
        }
        Edit::SetStart { scene: id } => {
            scene(json, &id)?;
            if let Some(root) = json.as_object_mut() {
                root.insert("start_scene".into(), Value::from(id));
            }
        }
        Edit::SetInitialView {
            scene: id,
            yaw,
            pitch,
            fov,
        } => {
            let s = scene(json, &id)?;
            let object = s.get("kind").and_then(Value::as_str) == Some("object");
            let key = if object { "orbit" } else { "view" };
            let view = s.entry(key).or_insert_with(|| Value::Object(Map::new()));
            let Some(v) = view.as_object_mut() else {
                return refused(format!("scene \"{id}\": \"{key}\" is not an object"));
            };
            v.insert("yaw".into(), number(yaw));
            v.insert("pitch".into(), number(pitch));
            if let Some(f) = fov {
                v.insert(if object { "distance" } else { "fov" }.into(), number(f));
            }
        }
        Edit::AddHotspot { scene: id, hotspot } => {
            if !hotspot.is_object() {
                return refused("a hotspot is a JSON object");
            }
            let list = hotspots(json, &id)?;
            list.push(hotspot);
            return Ok(Some(Value::from(list.len() - 1)));
        }
        Edit::MoveHotspot {
            scene: id,
            index,
            placement,
        } => {
            let h = hotspot(json, &id, index)?;
            for (k, v) in placement {
                if !matches!(k.as_str(), "yaw" | "pitch" | "position" | "normal") {
                    return refused(format!("\"{k}\" is not part of a hotspot's placement"));
                }
                h.insert(k, v);
            }
        }
        Edit::SetHotspotLabel {
            scene: id,
            index,
            lang,
            text,
        } => {
            let h = hotspot(json, &id, index)?;
            let field = h.entry("label").or_insert(Value::from(""));
            set_text(field, &lang, &text, &lang0);
        }
        Edit::DeleteHotspot { scene: id, index } => {
            let list = hotspots(json, &id)?;
            if index >= list.len() {
                return refused(format!("scene \"{id}\" has no hotspot {index}"));
            }
            list.remove(index);
        }
    }
    Ok(None)
}

/// A new scene of `kind` showing `file` (its `key`), named from the file unless `title` is given;
/// returns its id.
fn add_scene(
    json: &mut Value,
    kind: &str,
    key: &str,
    file: String,
    title: Option<String>,
) -> Result<Option<Value>, TourError> {
    let id = id_from_file(&file, &ids(json)?);
    let mut s = Map::new();
    s.insert("id".into(), Value::from(id.clone()));
    s.insert("kind".into(), Value::from(kind));
    let title = title.unwrap_or_else(|| title_from_file(&file));
    s.insert("title".into(), Value::from(title));
    s.insert(key.into(), Value::from(file));
    s.insert("hotspots".into(), Value::Array(Vec::new()));
    scenes(json)?.push(Value::Object(s));
    Ok(Some(Value::from(id)))
}

fn hotspot<'a>(
    json: &'a mut Value,
    id: &str,
    index: usize,
) -> Result<&'a mut Map<String, Value>, TourError> {
    hotspots(json, id)?
        .get_mut(index)
        .and_then(Value::as_object_mut)
        .ok_or_else(|| TourError::Edit(format!("scene \"{id}\" has no hotspot {index}")))
}

/// A number as a tour writes it: rounded to 1/100 of a degree, whole numbers without `.0`.
fn number(v: f64) -> Value {
    let r = (v * 100.0).round() / 100.0;
    if r.fract() == 0.0 && r.abs() < 1e15 {
        Value::from(r as i64)
    } else {
        Value::from(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEMO: &str = include_str!("../../../assets/demo/tour.json");

    fn edit(json: &str) -> Edit {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn nothing_edited_or_everything_undone_gives_the_opened_bytes() {
        // A hand-written layout, a byte-order mark kept in the text the caller holds.
        let text = "{ \"version\":1,\"scenes\":[{\"id\":\"a\",\"kind\":\"panorama\",\"image\":\"a.jpg\",\"x-z\":1}]}";
        let mut ed = Editor::open(Some(text), "").unwrap();
        assert_eq!(ed.text(), text);
        ed.apply(edit(
            r#"{"type":"set_scene_title","scene":"a","lang":"vi","text":"Sân"}"#,
        ))
        .unwrap();
        ed.apply(edit(
            r#"{"type":"add_panorama","image":"panos/Hậu cung.jpg"}"#,
        ))
        .unwrap();
        assert_ne!(ed.text(), text);
        assert!(ed.text().contains("\"x-z\": 1"), "unknown fields kept");
        while ed.undo() {}
        assert_eq!(ed.text(), text);
        assert!(ed.redo() && ed.redo() && !ed.redo());
        assert_eq!(ed.json()["scenes"][1]["id"], "hau-cung");
        assert_eq!(ed.json()["scenes"][1]["title"], "Hậu cung");
        let demo = Editor::open(Some(DEMO), "").unwrap();
        assert_eq!(demo.text(), DEMO);
    }

    #[test]
    fn a_hundred_edits_undo_to_the_start() {
        let mut ed = Editor::open(Some(DEMO), "").unwrap();
        for i in 0..150 {
            ed.apply(Edit::SetInitialView {
                scene: "san-dinh".into(),
                yaw: f64::from(i),
                pitch: 1.5,
                fov: Some(70.0),
            })
            .unwrap();
        }
        assert_eq!(ed.json()["scenes"][0]["view"]["yaw"], 149);
        let mut n = 0;
        while ed.undo() {
            n += 1;
        }
        assert_eq!(n, 150);
        assert_eq!(ed.text(), DEMO);
    }

    #[test]
    fn scenes_hotspots_and_languages() {
        let mut ed = Editor::open(None, "Đình").unwrap();
        let a = ed
            .apply(edit(
                r#"{"type":"add_panorama","image":"panos/Sân đình.jpg"}"#,
            ))
            .unwrap();
        let b = ed
            .apply(edit(
                r#"{"type":"add_panorama","image":"panos/sân-đình.jpg","title":"Sân 2"}"#,
            ))
            .unwrap();
        let c = ed
            .apply(edit(r#"{"type":"add_object","model":"models/trống.glb"}"#))
            .unwrap();
        assert_eq!(
            [a, b, c].map(|v| v.unwrap().as_str().unwrap().to_string()),
            ["san-dinh", "san-dinh-2", "trong"]
        );
        ed.apply(edit(r#"{"type":"add_hotspot","scene":"san-dinh","hotspot":{"kind":"link","yaw":10,"pitch":-2,"target":"trong","label":"Trống"}}"#)).unwrap();
        ed.apply(edit(r#"{"type":"set_hotspot_label","scene":"san-dinh","index":0,"lang":"en","text":"Drum"}"#)).unwrap();
        assert_eq!(
            ed.json()["scenes"][0]["hotspots"][0]["label"],
            serde_json::json!({"vi": "Trống", "en": "Drum"})
        );
        ed.apply(edit(r#"{"type":"move_hotspot","scene":"san-dinh","index":0,"placement":{"yaw":-20.5,"pitch":3}}"#)).unwrap();
        assert_eq!(ed.json()["scenes"][0]["hotspots"][0]["yaw"], -20.5);
        // An edit that would leave a tour Disan refuses changes nothing.
        let before = ed.json().clone();
        let e = ed
            .apply(edit(r#"{"type":"add_hotspot","scene":"trong","hotspot":{"kind":"info","yaw":1,"pitch":2,"entry":"x","label":"y"}}"#))
            .unwrap_err();
        assert!(e.to_string().contains("position"), "{e}");
        assert!(ed
            .apply(edit(
                r#"{"type":"move_hotspot","scene":"san-dinh","index":0,"placement":{"target":"x"}}"#
            ))
            .is_err());
        assert_eq!(ed.json(), &before);
        // Deleting a scene takes the links to it, the steps in it and the start with it.
        ed.apply(edit(r#"{"type":"set_start","scene":"trong"}"#))
            .unwrap();
        ed.apply(edit(r#"{"type":"delete_scene","scene":"trong"}"#))
            .unwrap();
        assert_eq!(ed.json()["scenes"][0]["hotspots"], serde_json::json!([]));
        assert!(ed.json().get("start_scene").is_none());
        ed.apply(edit(r#"{"type":"move_scene","scene":"san-dinh-2","to":0}"#))
            .unwrap();
        assert_eq!(ed.json()["scenes"][0]["id"], "san-dinh-2");
        ed.apply(edit(
            r#"{"type":"set_tour_title","lang":"en","text":"Hall"}"#,
        ))
        .unwrap();
        assert_eq!(
            ed.json()["title"],
            serde_json::json!({"vi": "Đình", "en": "Hall"})
        );
        crate::model::Tour::from_json(ed.text().as_bytes(), "tour.json").unwrap();
        // Problems as `disan validate` words them, a dead link among them.
        assert_eq!(ed.problems(None), Vec::<String>::new());
        ed.apply(edit(r#"{"type":"add_hotspot","scene":"san-dinh","hotspot":{"kind":"link","yaw":1,"pitch":2,"target":"nowhere","label":"x"}}"#)).unwrap();
        let p = ed.problems(None);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("unknown scene \"nowhere\""), "{p:?}");
    }
}
