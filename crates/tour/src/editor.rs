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
    /// A scene made elsewhere (a tiled panorama, an optimized or imported model: the studio's
    /// server prepares them), as written in tour.json; its id is made unique. Returns it.
    AddScene {
        /// The scene's JSON.
        scene: Value,
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
    /// A field of the tour, its kiosk, a scene, a hotspot, a card, a guided tour or a step set
    /// to `value` as written in the files (`null` removes it). Only the format's fields.
    SetField {
        /// What is changed.
        at: Target,
        /// The field.
        field: String,
        /// Its value (`null`: removed).
        #[serde(default)]
        value: Value,
    },
    /// A text field (a language map) in one language; an empty text removes that language
    /// from the map (a title or label stays, empty, for the problems to flag).
    SetText {
        /// What is changed.
        at: Target,
        /// The field.
        field: String,
        /// Language code.
        lang: String,
        /// The text.
        text: String,
    },
    /// A new catalog card titled `title` (in the tour's first language), in the catalog file
    /// (made when the tour has none); returns its id.
    AddCard {
        /// The title.
        title: String,
    },
    /// A catalog card deleted (the info hotspots that open it stay, and are flagged).
    DeleteCard {
        /// Entry id.
        entry: String,
    },
    /// A step added at the end of guided tour `tour` (made, titled `title`, when the tour has
    /// none of that id): scene `scene` seen from `view`. Returns its index.
    AddStep {
        /// Guided tour id.
        tour: String,
        /// Scene id.
        scene: String,
        /// The view, as written in tour.json.
        #[serde(default)]
        view: Option<Value>,
        /// The guided tour's title, when it is made.
        #[serde(default)]
        title: Option<String>,
    },
    /// A step moved to position `to`.
    MoveStep {
        /// Guided tour id.
        tour: String,
        /// Its index.
        index: usize,
        /// New index.
        to: usize,
    },
    /// A step deleted.
    DeleteStep {
        /// Guided tour id.
        tour: String,
        /// Its index.
        index: usize,
    },
}

impl Edit {
    /// True when the edit changes the catalog.
    fn touches_catalog(&self) -> bool {
        matches!(
            self,
            Edit::AddCard { .. }
                | Edit::DeleteCard { .. }
                | Edit::SetField {
                    at: Target::Card { .. },
                    ..
                }
                | Edit::SetText {
                    at: Target::Card { .. },
                    ..
                }
        )
    }
}

/// What a [`Edit::SetField`] or [`Edit::SetText`] changes: the tour, its kiosk settings, a scene,
/// a hotspot, a catalog card (in the catalog file, or inline in the tour), a guided tour or one
/// of its steps.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// The tour itself.
    Tour,
    /// Its kiosk settings (made when first set, gone when emptied).
    Kiosk,
    /// A scene.
    Scene {
        /// Scene id.
        scene: String,
    },
    /// A hotspot of a scene.
    Hotspot {
        /// Scene id.
        scene: String,
        /// Index in the scene's hotspots.
        index: usize,
    },
    /// A catalog card.
    Card {
        /// Entry id.
        entry: String,
    },
    /// A guided tour.
    Guided {
        /// Guided tour id.
        tour: String,
    },
    /// A step of a guided tour.
    Step {
        /// Guided tour id.
        tour: String,
        /// Index in its steps.
        index: usize,
    },
}

impl Target {
    /// The fields an edit may set here (the format's, `docs/tour-format.md`); ids are not among
    /// them, since links name them.
    fn fields(&self) -> &'static [&'static str] {
        match self {
            Target::Tour => &["title", "description", "environment", "share_url"],
            Target::Kiosk => &[
                "idle_seconds",
                "attract",
                "autorotate",
                "scene_seconds",
                "language",
                "start_scene",
                "exit_keys",
                "inspection",
            ],
            Target::Scene { .. } => &[
                "title",
                "coverage",
                "view",
                "orbit",
                "north_offset",
                "fov_range",
                "environment",
                "environment_intensity",
                "key_light",
                "thumbnail",
                "ambient",
            ],
            Target::Hotspot { .. } => &["id", "kind", "label", "target", "entry", "view", "sound"],
            Target::Card { .. } => &[
                "title",
                "description",
                "inventory_number",
                "object_type",
                "period",
                "material",
                "dimensions",
                "place_of_origin",
                "heritage_designation",
                "current_location",
                "images",
                "media",
                "rights",
                "credits",
                "scene",
                "view",
            ],
            Target::Guided { .. } => &["title"],
            Target::Step { .. } => &[
                "title",
                "narration",
                "view",
                "hotspot",
                "audio",
                "captions",
                "duration",
            ],
        }
    }
}

/// The two files a studio edits: the tour and its catalog file (`Null`: none yet).
#[derive(Debug, Clone, PartialEq)]
struct State {
    tour: Value,
    catalog: Value,
}

/// A tour being edited, with its catalog file.
#[derive(Debug, Clone)]
pub struct Editor {
    /// The text the editor opened, byte for byte.
    opened_text: String,
    /// The catalog file's text as opened (`None`: there was none).
    opened_catalog_text: Option<String>,
    /// Both files' JSON as opened.
    opened: State,
    doc: TourDocument,
    catalog: Value,
    /// Why the catalog file cannot be edited (it does not read as a catalog).
    catalog_error: Option<String>,
    undo: Vec<State>,
    redo: Vec<State>,
}

impl Editor {
    /// Opens a tour's text (`None`: a new tour titled `title`) and its catalog file's text, when
    /// it has one. A catalog that does not read is kept as it is on disk: cards cannot be
    /// edited, and the problems say why.
    pub fn open(
        text: Option<&str>,
        catalog: Option<&str>,
        title: &str,
    ) -> Result<Editor, TourError> {
        let (opened_text, doc) = match text {
            Some(t) => (
                t.to_string(),
                TourDocument::parse(t.as_bytes(), "tour.json")?,
            ),
            None => (String::new(), TourDocument::new(title)),
        };
        let (catalog_json, catalog_error) = match catalog {
            None => (Value::Null, None),
            Some(c) => match read_catalog(c) {
                Ok(v) => (v, None),
                Err(e) => (Value::Null, Some(e)),
            },
        };
        Ok(Editor {
            opened_text,
            opened_catalog_text: catalog.map(str::to_string),
            opened: State {
                tour: doc.json().clone(),
                catalog: catalog_json.clone(),
            },
            doc,
            catalog: catalog_json,
            catalog_error,
            undo: Vec::new(),
            redo: Vec::new(),
        })
    }

    /// The tour's JSON now.
    pub fn json(&self) -> &Value {
        self.doc.json()
    }

    /// The catalog file's JSON now (`Null`: none).
    pub fn catalog_json(&self) -> &Value {
        &self.catalog
    }

    /// The text to save: the opened text itself when the tour is as it was opened, else the
    /// edited document.
    pub fn text(&self) -> String {
        if !self.opened_text.is_empty() && *self.doc.json() == self.opened.tour {
            self.opened_text.clone()
        } else {
            self.doc.to_text()
        }
    }

    /// The catalog file's text to save (`None`: there is nothing to write: no catalog, or one
    /// that did not read and is left as it is): the opened text when unchanged.
    pub fn catalog_text(&self) -> Option<String> {
        if self.catalog.is_null() {
            return None;
        }
        match &self.opened_catalog_text {
            Some(t) if self.catalog == self.opened.catalog => Some(t.clone()),
            _ => {
                let mut text = serde_json::to_string_pretty(&self.catalog).unwrap_or_default();
                text.push('\n');
                Some(text)
            }
        }
    }

    /// What `disan validate` would say of the tour now, but for its files (the studio's server
    /// checks those): dead links, unknown catalog entries, missing translations' shapes, steps.
    pub fn problems(&self) -> Vec<String> {
        let text = self.doc.to_text();
        let mut tour = match crate::model::TourJson::parse(text.as_bytes(), "tour.json") {
            Ok(t) => t,
            Err(e) => return vec![e.to_string()],
        };
        let mut out = Vec::new();
        if let Some(e) = &self.catalog_error {
            out.push(e.clone());
        }
        if let Some(c) = self.catalog_text() {
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

    fn state(&self) -> State {
        State {
            tour: self.doc.json().clone(),
            catalog: self.catalog.clone(),
        }
    }

    fn restore(&mut self, s: State) -> State {
        let now = self.state();
        *self.doc.json_mut() = s.tour;
        self.catalog = s.catalog;
        now
    }

    /// Undoes the last edit; false when there is none.
    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(s) => {
                let now = self.restore(s);
                self.redo.push(now);
                true
            }
            None => false,
        }
    }

    /// Redoes the last undone edit; false when there is none.
    pub fn redo(&mut self) -> bool {
        match self.redo.pop() {
            Some(s) => {
                let now = self.restore(s);
                self.undo.push(now);
                true
            }
            None => false,
        }
    }

    /// Applies `edit`; on success it can be undone. Returns what it made, when it made
    /// something: a new scene's id, a new hotspot's or step's index, a new card's id.
    pub fn apply(&mut self, edit: Edit) -> Result<Option<Value>, TourError> {
        let mut next = self.state();
        if edit.touches_catalog() {
            if let Some(e) = &self.catalog_error {
                return refused(format!("the catalog cannot be edited: {e}"));
            }
        }
        let made = apply(&mut next, edit)?;
        // Checked as Disan reads them: an edit never leaves a tour or a catalog Disan refuses.
        let text = serde_json::to_string(&next.tour).map_err(|e| TourError::Edit(e.to_string()))?;
        crate::model::Tour::from_json(text.as_bytes(), "tour.json")
            .map_err(|e| TourError::Edit(e.to_string()))?;
        if !next.catalog.is_null() {
            let text =
                serde_json::to_string(&next.catalog).map_err(|e| TourError::Edit(e.to_string()))?;
            crate::model::Catalog::from_json(text.as_bytes(), "catalog.json")
                .map_err(|e| TourError::Edit(e.to_string()))?;
        }
        let before = self.restore(next);
        self.undo.push(before);
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(made)
    }
}

/// A catalog file's JSON, checked as Disan reads it; the error names the file.
fn read_catalog(text: &str) -> Result<Value, String> {
    crate::model::Catalog::from_json(text.as_bytes(), "catalog.json").map_err(|e| e.to_string())?;
    let bytes = text.as_bytes();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| format!("catalog.json: {e}"))
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

/// Makes the file paths of a scene written in folder `prefix` (a one-scene tour that `disan
/// tile`, `disan optimize` or `disan import` wrote there) relative to the tour folder above it:
/// its picture, model, cube faces, tiles, derivatives and thumbnail. URLs are left alone.
pub fn rebase_scene(scene: &mut Value, prefix: &str) {
    let prefix = prefix.trim_end_matches('/');
    let fix = |v: &mut Value| {
        if let Some(p) = v.as_str() {
            if !p.contains("://") && !p.starts_with('/') {
                *v = Value::from(format!("{prefix}/{p}"));
            }
        }
    };
    let Some(s) = scene.as_object_mut() else {
        return;
    };
    for k in ["image", "model", "thumbnail"] {
        if let Some(v) = s.get_mut(k) {
            fix(v);
        }
    }
    if let Some(faces) = s.get_mut("cube").and_then(Value::as_array_mut) {
        faces.iter_mut().for_each(fix);
    }
    if let Some(t) = s.get_mut("tiles").and_then(Value::as_object_mut) {
        for k in ["path", "preview"] {
            if let Some(v) = t.get_mut(k) {
                fix(v);
            }
        }
        if let Some(levels) = t.get_mut("levels").and_then(Value::as_array_mut) {
            for l in levels {
                if let Some(v) = l.get_mut("path") {
                    fix(v);
                }
            }
        }
    }
    if let Some(d) = s.get_mut("derivatives").and_then(Value::as_array_mut) {
        for l in d {
            if let Some(v) = l.get_mut("model") {
                fix(v);
            }
        }
    }
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

fn apply(state: &mut State, edit: Edit) -> Result<Option<Value>, TourError> {
    let lang0 = first_lang(&state.tour);
    match edit {
        Edit::SetField { at, field, value } => {
            if !at.fields().contains(&field.as_str()) {
                return refused(format!("\"{field}\" cannot be set here"));
            }
            let m = target_mut(state, &at)?;
            if value.is_null() {
                m.remove(&field);
            } else {
                m.insert(field, value);
            }
            drop_empty_kiosk(&mut state.tour);
            return Ok(None);
        }
        Edit::SetText {
            at,
            field,
            lang,
            text,
        } => {
            if !at.fields().contains(&field.as_str()) {
                return refused(format!("\"{field}\" cannot be set here"));
            }
            let m = target_mut(state, &at)?;
            set_text_field(m, &field, &lang, &text, &lang0);
            return Ok(None);
        }
        Edit::AddCard { title } => {
            let taken = card_ids(state);
            let id = id_from_file(&title, &taken);
            let list = card_list_for_new(&mut state.catalog)?;
            let mut m = Map::new();
            m.insert("id".into(), Value::from(id.clone()));
            m.insert("title".into(), Value::from(title));
            list.push(Value::Object(m));
            return Ok(Some(Value::from(id)));
        }
        Edit::DeleteCard { entry } => {
            let mut gone = false;
            for list in card_lists(state) {
                let before = list.len();
                list.retain(|c| c.get("id").and_then(Value::as_str) != Some(entry.as_str()));
                gone |= list.len() != before;
            }
            if !gone {
                return refused(format!("no catalog card \"{entry}\""));
            }
            return Ok(None);
        }
        Edit::AddStep {
            tour,
            scene: id,
            view,
            title,
        } => {
            scene(&mut state.tour, &id)?;
            let root = state
                .tour
                .as_object_mut()
                .ok_or_else(|| TourError::Edit("the tour is not an object".into()))?;
            let tours = root
                .entry("tours")
                .or_insert_with(|| Value::Array(Vec::new()))
                .as_array_mut()
                .ok_or_else(|| TourError::Edit("\"tours\" is not a list".into()))?;
            if !tours
                .iter()
                .any(|g| g.get("id").and_then(Value::as_str) == Some(tour.as_str()))
            {
                let mut g = Map::new();
                g.insert("id".into(), Value::from(tour.clone()));
                g.insert("title".into(), Value::from(title.unwrap_or(tour.clone())));
                g.insert("steps".into(), Value::Array(Vec::new()));
                tours.push(Value::Object(g));
            }
            let list = steps(&mut state.tour, &tour)?;
            let mut st = Map::new();
            st.insert("scene".into(), Value::from(id));
            if let Some(v) = view {
                st.insert("view".into(), rounded(v));
            }
            list.push(Value::Object(st));
            return Ok(Some(Value::from(list.len() - 1)));
        }
        Edit::MoveStep { tour, index, to } => {
            let list = steps(&mut state.tour, &tour)?;
            if index >= list.len() {
                return refused(format!("guided tour \"{tour}\" has no step {index}"));
            }
            let st = list.remove(index);
            list.insert(to.min(list.len()), st);
            return Ok(None);
        }
        Edit::DeleteStep { tour, index } => {
            let list = steps(&mut state.tour, &tour)?;
            if index >= list.len() {
                return refused(format!("guided tour \"{tour}\" has no step {index}"));
            }
            list.remove(index);
            return Ok(None);
        }
        _ => {}
    }
    let json = &mut state.tour;
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
        Edit::AddScene { scene: s } => {
            let Value::Object(mut s) = s else {
                return refused("a scene is a JSON object");
            };
            let taken = ids(json)?;
            let want = s
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("scene")
                .to_string();
            let id = id_from_file(&want, &taken);
            s.insert("id".into(), Value::from(id.clone()));
            scenes(json)?.push(Value::Object(s));
            return Ok(Some(Value::from(id)));
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
        Edit::SetField { .. }
        | Edit::SetText { .. }
        | Edit::AddCard { .. }
        | Edit::DeleteCard { .. }
        | Edit::AddStep { .. }
        | Edit::MoveStep { .. }
        | Edit::DeleteStep { .. } => {}
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

/// The object a [`Target`] names.
fn target_mut<'a>(
    state: &'a mut State,
    at: &Target,
) -> Result<&'a mut Map<String, Value>, TourError> {
    match at {
        Target::Tour => state
            .tour
            .as_object_mut()
            .ok_or_else(|| TourError::Edit("the tour is not an object".into())),
        Target::Kiosk => state
            .tour
            .as_object_mut()
            .ok_or_else(|| TourError::Edit("the tour is not an object".into()))?
            .entry("kiosk")
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .ok_or_else(|| TourError::Edit("\"kiosk\" is not an object".into())),
        Target::Scene { scene: id } => scene(&mut state.tour, id),
        Target::Hotspot { scene: id, index } => hotspot(&mut state.tour, id, *index),
        Target::Card { entry } => card_lists(state)
            .into_iter()
            .flat_map(|l| l.iter_mut())
            .find(|c| c.get("id").and_then(Value::as_str) == Some(entry.as_str()))
            .and_then(Value::as_object_mut)
            .ok_or_else(|| TourError::Edit(format!("no catalog card \"{entry}\""))),
        Target::Guided { tour } => guided(&mut state.tour, tour),
        Target::Step { tour, index } => steps(&mut state.tour, tour)?
            .get_mut(*index)
            .and_then(Value::as_object_mut)
            .ok_or_else(|| TourError::Edit(format!("guided tour \"{tour}\" has no step {index}"))),
    }
}

/// An empty `kiosk` object is dropped (the tour runs as it did without one).
fn drop_empty_kiosk(tour: &mut Value) {
    if let Some(root) = tour.as_object_mut() {
        if root
            .get("kiosk")
            .and_then(Value::as_object)
            .is_some_and(Map::is_empty)
        {
            root.remove("kiosk");
        }
    }
}

/// Sets `lang`'s text of field `key`: `audio` and `captions` are always maps of files (an
/// empty text removes the language, and the map when it empties); other fields as
/// [`set_text`], an empty text removing a language from a map that has others.
fn set_text_field(m: &mut Map<String, Value>, key: &str, lang: &str, text: &str, lang0: &str) {
    if matches!(key, "audio" | "captions") {
        let field = m.entry(key).or_insert_with(|| Value::Object(Map::new()));
        if !field.is_object() {
            *field = Value::Object(Map::new());
        }
        if let Some(map) = field.as_object_mut() {
            if text.is_empty() {
                map.remove(lang);
            } else {
                map.insert(lang.into(), Value::from(text));
            }
            if map.is_empty() {
                m.remove(key);
            }
        }
        return;
    }
    if text.is_empty() {
        match m.get_mut(key) {
            None => return,
            Some(Value::Object(map)) if map.len() > 1 || !map.contains_key(lang) => {
                map.remove(lang);
                return;
            }
            _ if !matches!(key, "title" | "label") => {
                m.remove(key);
                return;
            }
            _ => {}
        }
    }
    let field = m.entry(key).or_insert(Value::from(""));
    set_text(field, lang, text, lang0);
}

/// The lists of catalog cards: inline in the tour, then the catalog file's.
fn card_lists(state: &mut State) -> Vec<&mut Vec<Value>> {
    let mut out = Vec::new();
    if let Some(l) = state.tour.get_mut("catalog").and_then(Value::as_array_mut) {
        out.push(l);
    }
    match &mut state.catalog {
        Value::Array(l) => out.push(l),
        Value::Object(m) => {
            if let Some(l) = m.get_mut("entries").and_then(Value::as_array_mut) {
                out.push(l);
            }
        }
        _ => {}
    }
    out
}

/// Every card's id.
fn card_ids(state: &mut State) -> Vec<String> {
    card_lists(state)
        .into_iter()
        .flat_map(|l| l.iter())
        .filter_map(|c| c.get("id").and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// The catalog file's list of cards, the file made (`{"version": 1, "entries": []}`) when the
/// tour has none.
fn card_list_for_new(catalog: &mut Value) -> Result<&mut Vec<Value>, TourError> {
    if catalog.is_null() {
        let mut m = Map::new();
        m.insert("version".into(), Value::from(1));
        m.insert("entries".into(), Value::Array(Vec::new()));
        *catalog = Value::Object(m);
    }
    match catalog {
        Value::Array(l) => Ok(l),
        Value::Object(m) => m
            .entry("entries")
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .ok_or_else(|| TourError::Edit("the catalog's \"entries\" is not a list".into())),
        _ => refused("the catalog is not a list or an object"),
    }
}

fn guided<'a>(json: &'a mut Value, id: &str) -> Result<&'a mut Map<String, Value>, TourError> {
    json.get_mut("tours")
        .and_then(Value::as_array_mut)
        .and_then(|t| {
            t.iter_mut()
                .find(|g| g.get("id").and_then(Value::as_str) == Some(id))
        })
        .and_then(Value::as_object_mut)
        .ok_or_else(|| TourError::Edit(format!("no guided tour \"{id}\"")))
}

fn steps<'a>(json: &'a mut Value, id: &str) -> Result<&'a mut Vec<Value>, TourError> {
    guided(json, id)?
        .entry("steps")
        .or_insert_with(|| Value::Array(Vec::new()))
        .as_array_mut()
        .ok_or_else(|| TourError::Edit(format!("guided tour \"{id}\": \"steps\" is not a list")))
}

/// A view captured from the screen, its angles rounded as a tour writes them (1/100 degree);
/// distances and points, in model units of any scale, keep what the screen gave.
fn rounded(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| match (k.as_str(), &v) {
                    ("yaw" | "pitch" | "fov", Value::Number(n)) => {
                        let r = n.as_f64().map_or(v.clone(), number);
                        (k, r)
                    }
                    _ => (k, v),
                })
                .collect(),
        ),
        other => other,
    }
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
        let mut ed = Editor::open(Some(text), None, "").unwrap();
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
        let demo = Editor::open(Some(DEMO), None, "").unwrap();
        assert_eq!(demo.text(), DEMO);
    }

    #[test]
    fn the_tour_description_per_language_for_the_published_page() {
        let mut ed = Editor::open(Some(DEMO), None, "").unwrap();
        ed.apply(edit(
            r#"{"type":"set_text","at":{"kind":"tour"},"field":"description","lang":"vi","text":"Đình làng thế kỷ 18."}"#,
        ))
        .unwrap();
        // In the first language a new text is a plain string, as a title is.
        let d = &ed.json()["description"];
        assert!(
            d == "Đình làng thế kỷ 18." || d["vi"] == "Đình làng thế kỷ 18.",
            "{d}"
        );
        assert!(ed
            .apply(edit(
                r#"{"type":"set_text","at":{"kind":"tour"},"field":"subtitle","lang":"vi","text":"x"}"#,
            ))
            .is_err());
        while ed.undo() {}
        assert_eq!(ed.text(), DEMO);
    }

    #[test]
    fn a_hundred_edits_undo_to_the_start() {
        let mut ed = Editor::open(Some(DEMO), None, "").unwrap();
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
        let mut ed = Editor::open(None, None, "Đình").unwrap();
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
        assert_eq!(ed.problems(), Vec::<String>::new());
        ed.apply(edit(r#"{"type":"add_hotspot","scene":"san-dinh","hotspot":{"kind":"link","yaw":1,"pitch":2,"target":"nowhere","label":"x"}}"#)).unwrap();
        let p = ed.problems();
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("unknown scene \"nowhere\""), "{p:?}");
    }

    #[test]
    fn cards_steps_kiosk_and_fields() {
        let mut ed = Editor::open(None, None, "Đình").unwrap();
        ed.apply(edit(r#"{"type":"add_panorama","image":"panos/san.jpg"}"#))
            .unwrap();
        ed.apply(edit(r#"{"type":"add_object","model":"models/trong.glb"}"#))
            .unwrap();
        assert_eq!(ed.catalog_text(), None, "no catalog until a card is made");
        let card = ed
            .apply(edit(r#"{"type":"add_card","title":"Trống đồng"}"#))
            .unwrap()
            .unwrap();
        assert_eq!(card, "trong-dong");
        let at = r#"{"kind":"card","entry":"trong-dong"}"#;
        ed.apply(edit(&format!(
            r#"{{"type":"set_text","at":{at},"field":"title","lang":"en","text":"Bronze drum"}}"#
        )))
        .unwrap();
        ed.apply(edit(&format!(
            r#"{{"type":"set_text","at":{at},"field":"material","lang":"vi","text":"Đồng"}}"#
        )))
        .unwrap();
        ed.apply(edit(&format!(
            r#"{{"type":"set_field","at":{at},"field":"inventory_number","value":"BT.1"}}"#
        )))
        .unwrap();
        ed.apply(edit(&format!(r#"{{"type":"set_field","at":{at},"field":"images","value":[{{"src":"photos/a.jpg","credit":"B"}}]}}"#))).unwrap();
        // Fields outside the format, and ids, are refused.
        assert!(ed
            .apply(edit(&format!(
                r#"{{"type":"set_field","at":{at},"field":"id","value":"x"}}"#
            )))
            .is_err());
        let c = ed.catalog_text().unwrap();
        let cat: Value = serde_json::from_str(&c).unwrap();
        assert_eq!(
            cat["entries"][0]["title"],
            serde_json::json!({"vi": "Trống đồng", "en": "Bronze drum"})
        );
        assert_eq!(cat["entries"][0]["material"], "Đồng");
        crate::model::Catalog::from_json(c.as_bytes(), "catalog.json").unwrap();
        // Clearing a text removes it; a title stays for the problems to flag.
        ed.apply(edit(&format!(
            r#"{{"type":"set_text","at":{at},"field":"material","lang":"vi","text":""}}"#
        )))
        .unwrap();
        assert!(ed.catalog_json()["entries"][0].get("material").is_none());
        // An info hotspot on the object opens it; a step records the view.
        ed.apply(edit(r#"{"type":"add_hotspot","scene":"trong","hotspot":{"kind":"info","position":[0,0.5,0.1],"normal":[0,0,1],"entry":"trong-dong","label":"Trống"}}"#)).unwrap();
        for (scene, yaw) in [("san", 10.123), ("trong", 35.0), ("san", -20.0)] {
            ed.apply(edit(&format!(r#"{{"type":"add_step","tour":"tham-quan","title":"Tham quan","scene":"{scene}","view":{{"yaw":{yaw},"pitch":1,"distance":0.123456}}}}"#))).unwrap();
        }
        let step = r#"{"kind":"step","tour":"tham-quan","index":1}"#;
        ed.apply(edit(&format!(
            r#"{{"type":"set_text","at":{step},"field":"narration","lang":"en","text":"The drum"}}"#
        )))
        .unwrap();
        ed.apply(edit(&format!(
            r#"{{"type":"set_text","at":{step},"field":"audio","lang":"vi","text":"audio/a.mp3"}}"#
        )))
        .unwrap();
        ed.apply(edit(&format!(
            r#"{{"type":"set_field","at":{step},"field":"duration","value":8}}"#
        )))
        .unwrap();
        ed.apply(edit(
            r#"{"type":"move_step","tour":"tham-quan","index":2,"to":0}"#,
        ))
        .unwrap();
        let g = &ed.json()["tours"][0];
        assert_eq!(g["steps"][0]["view"]["yaw"], -20);
        assert_eq!(g["steps"][1]["view"]["yaw"], 10.12);
        assert_eq!(g["steps"][1]["view"]["distance"], 0.123456);
        assert_eq!(
            g["steps"][2]["audio"],
            serde_json::json!({"vi": "audio/a.mp3"})
        );
        assert!(ed
            .apply(edit(
                r#"{"type":"add_step","tour":"tham-quan","scene":"nowhere"}"#
            ))
            .is_err());
        // Kiosk settings: made when first set, gone when emptied.
        let k = r#"{"kind":"kiosk"}"#;
        ed.apply(edit(&format!(
            r#"{{"type":"set_field","at":{k},"field":"idle_seconds","value":60}}"#
        )))
        .unwrap();
        ed.apply(edit(&format!(
            r#"{{"type":"set_field","at":{k},"field":"attract","value":"tham-quan"}}"#
        )))
        .unwrap();
        assert_eq!(ed.json()["kiosk"]["idle_seconds"], 60);
        assert!(
            ed.apply(edit(&format!(
                r#"{{"type":"set_field","at":{k},"field":"idle_seconds","value":"soon"}}"#
            )))
            .is_err(),
            "a kiosk Disan refuses"
        );
        for f in ["idle_seconds", "attract"] {
            ed.apply(edit(&format!(
                r#"{{"type":"set_field","at":{k},"field":"{f}","value":null}}"#
            )))
            .unwrap();
        }
        assert!(ed.json().get("kiosk").is_none());
        ed.apply(edit(r#"{"type":"set_field","at":{"kind":"scene","scene":"san"},"field":"north_offset","value":12.5}"#)).unwrap();
        ed.apply(edit(r#"{"type":"set_field","at":{"kind":"scene","scene":"trong"},"field":"environment","value":"panos/san.jpg"}"#)).unwrap();
        assert_eq!(ed.problems(), Vec::<String>::new());
        // Deleting the card leaves the hotspot, flagged; undo brings both files back.
        ed.apply(edit(r#"{"type":"delete_card","entry":"trong-dong"}"#))
            .unwrap();
        assert!(
            ed.problems().iter().any(|p| p.contains("trong-dong")),
            "{:?}",
            ed.problems()
        );
        while ed.undo() {}
        assert_eq!(ed.catalog_text(), None);
        assert!(ed.json().get("tours").is_none());
    }

    #[test]
    fn an_opened_catalog_is_given_back_or_left_alone() {
        let catalog = "[ {\"id\":\"a\", \"title\":\"A\", \"x-k\": true} ]";
        let mut ed = Editor::open(Some(DEMO), Some(catalog), "").unwrap();
        assert_eq!(ed.catalog_text().as_deref(), Some(catalog));
        ed.apply(edit(r#"{"type":"set_text","at":{"kind":"card","entry":"a"},"field":"title","lang":"en","text":"Ay"}"#)).unwrap();
        let text = ed.catalog_text().unwrap();
        assert!(
            text.contains("\"x-k\": true") && text.contains("Ay"),
            "{text}"
        );
        ed.undo();
        assert_eq!(ed.catalog_text().as_deref(), Some(catalog));
        // A catalog that does not read: cards cannot be edited, the tour can, the file stays.
        let mut ed = Editor::open(Some(DEMO), Some("{ not json"), "").unwrap();
        assert!(ed
            .apply(edit(r#"{"type":"add_card","title":"x"}"#))
            .is_err());
        assert_eq!(ed.catalog_text(), None);
        assert!(
            ed.problems().iter().any(|p| p.contains("catalog.json")),
            "{:?}",
            ed.problems()
        );
        ed.apply(edit(r#"{"type":"set_tour_title","lang":"en","text":"x"}"#))
            .unwrap();
    }

    #[test]
    fn a_scene_made_in_a_subfolder_is_added_with_its_paths_from_the_tour() {
        let mut ed = Editor::open(Some(DEMO), None, "").unwrap();
        let mut scene = serde_json::json!({"id": "san-dinh", "kind": "panorama", "title": "Big",
            "tiles": {"path": "%l/%s/%y_%x.jpg", "preview": "preview.jpg", "tile_size": 512, "cube_resolution": 4096, "max_level": 4},
            "thumbnail": "https://example.org/t.jpg"});
        rebase_scene(&mut scene, "tiles/big/");
        assert_eq!(scene["tiles"]["path"], "tiles/big/%l/%s/%y_%x.jpg");
        assert_eq!(scene["tiles"]["preview"], "tiles/big/preview.jpg");
        assert_eq!(scene["thumbnail"], "https://example.org/t.jpg");
        let id = ed.apply(Edit::AddScene { scene }).unwrap().unwrap();
        assert_eq!(id, "san-dinh-2", "the id is made unique");
        let mut model = serde_json::json!({"id": "scan", "kind": "object",
            "derivatives": [{"quality": "thumb", "model": "scan-thumb.glb", "triangles": 10, "vertices": 8, "texture": 256, "gpu_bytes": 200},
                            {"quality": "high", "model": "scan-high.glb", "triangles": 1000, "vertices": 600, "texture": 2048, "gpu_bytes": 20000}]});
        rebase_scene(&mut model, "models/scan");
        assert_eq!(
            model["derivatives"][1]["model"],
            "models/scan/scan-high.glb"
        );
        ed.apply(Edit::AddScene { scene: model }).unwrap();
        assert!(
            ed.apply(Edit::AddScene {
                scene: serde_json::json!({"id": "x", "kind": "panorama"})
            })
            .is_err(),
            "a panorama without a picture is refused"
        );
    }
}
