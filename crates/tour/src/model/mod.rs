//! The tour format v1 (`tour.json`, `catalog.json`): serde types and lookups. See `docs/tour-format.md`.
//!
//! The types live by concept in the submodules (the scene and its content, hotspots, views,
//! the catalog, guided tours and the kiosk) and are all re-exported here:
//! `disan_tour::model::X` names each of them.

mod catalog;
mod guide;
mod hotspot;
mod scene;
mod scene_json;
mod view;

pub use catalog::{Catalog, CatalogEntry, CatalogImage, CatalogMedia, MediaKind};
pub use guide::{GuidedTour, Kiosk, TourStep};
pub use hotspot::{Hotspot, HotspotAction, HotspotJson, HotspotKind, HotspotPlacement};
pub use scene::{Content, ObjectScene, PanoramaScene, PanoramaSource, Scene, SceneKind, Sound};
pub use scene::{TileLevel, TileSource};
pub use scene_json::SceneJson;
pub use view::{Coverage, Orbit, View};

use crate::text::LangText;
use crate::TourError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The only tour format version this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// A tour as written in `tour.json`. Its scenes are checked [`Scene`]s; a [`TourJson`] holds
/// them as written instead ([`SceneJson`]), for `disan validate` to list every problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tour<S = Scene> {
    /// Always `"disan-tour"` when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Format version; `1`.
    pub version: u32,
    /// Optional identifier of the tour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Title shown in the page and window.
    #[serde(default)]
    pub title: LangText,
    /// Languages offered by the language switch, first is the default.
    #[serde(default = "default_languages")]
    pub languages: Vec<String>,
    /// Scene shown first; the first scene when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_scene: Option<String>,
    /// The scenes.
    pub scenes: Vec<S>,
    /// Catalog entries written inline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub catalog: Vec<CatalogEntry>,
    /// Catalog file, relative to the tour folder. `catalog.json` beside the tour is read when this is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_file: Option<String>,
    /// Default lighting environment of object scenes: an equirectangular image (a panorama of the
    /// tour, or an HDR); the neutral studio of Disan when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// Guided tours: named, ordered steps through panoramas and objects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tours: Vec<GuidedTour>,
    /// How a museum kiosk runs this tour (`disan kiosk`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kiosk: Option<Kiosk>,
    /// The web address where this tour is published (`https://…/tour/`): the native viewer's
    /// share button copies it with the view's link (`…#scene=…&yaw=…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_url: Option<String>,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A tour with its scenes as written, not yet checked: what [`crate::validate::validate_json`]
/// reads, so that a scene missing its picture and a link missing its target are both reported.
pub type TourJson = Tour<SceneJson>;

impl<S> Tour<S> {
    /// The same tour with each scene turned by `f` (the first failure stops it).
    pub fn map_scenes<T, E>(self, f: impl FnMut(S) -> Result<T, E>) -> Result<Tour<T>, E> {
        Ok(Tour {
            scenes: self.scenes.into_iter().map(f).collect::<Result<_, E>>()?,
            format: self.format,
            version: self.version,
            id: self.id,
            title: self.title,
            languages: self.languages,
            start_scene: self.start_scene,
            catalog: self.catalog,
            catalog_file: self.catalog_file,
            environment: self.environment,
            tours: self.tours,
            kiosk: self.kiosk,
            share_url: self.share_url,
            extra: self.extra,
        })
    }

    /// The catalog entry with this id.
    pub fn entry(&self, id: &str) -> Option<&CatalogEntry> {
        self.catalog.iter().find(|e| e.id == id)
    }

    /// Adds the entries of a separate catalog file to the inline ones.
    pub fn merge_catalog(&mut self, catalog: Catalog) {
        self.catalog.extend(catalog.entries);
    }

    /// The catalog file to read beside the tour: the named one, or `catalog.json`.
    pub fn catalog_path(&self) -> &str {
        self.catalog_file.as_deref().unwrap_or("catalog.json")
    }

    /// The guided tour with this id.
    pub fn guided(&self, id: &str) -> Option<&GuidedTour> {
        self.tours.iter().find(|t| t.id == id)
    }

    /// Default language: the first of `languages`, else Vietnamese.
    pub fn default_language(&self) -> &str {
        self.languages.first().map(String::as_str).unwrap_or("vi")
    }
}

impl From<Tour> for TourJson {
    fn from(t: Tour) -> TourJson {
        let written = t.map_scenes(|s| Ok::<_, std::convert::Infallible>(SceneJson::from(s)));
        match written {
            Ok(t) => t,
            Err(never) => match never {},
        }
    }
}

impl TourJson {
    /// Reads `tour.json` bytes as written, without checking the scenes (see [`TourJson`]).
    pub fn parse(bytes: &[u8], file: &str) -> Result<TourJson, TourError> {
        parse_json(bytes, file)
    }

    /// The checked tour, or the first scene problem (`$.scenes[i]…` and what is wrong).
    pub fn into_tour(self, file: &str) -> Result<Tour, TourError> {
        let mut i = 0;
        self.map_scenes(|s| {
            let r = Scene::try_from(s).map_err(|message| TourError::Parse {
                file: file.to_string(),
                path: format!("$.scenes[{i}]"),
                message,
            });
            i += 1;
            r
        })
    }
}

fn default_languages() -> Vec<String> {
    vec!["vi".into(), "en".into()]
}

fn one() -> u32 {
    1
}

/// Strips a UTF-8 byte-order mark, which some editors write.
fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Parses JSON into `T`, reporting the file, the JSON path (natively; the line and column on the
/// web) and the message on failure.
pub fn parse_json<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    file: &str,
) -> Result<T, TourError> {
    let mut de = serde_json::Deserializer::from_slice(strip_bom(bytes));
    deserialize(&mut de).map_err(|(path, inner)| TourError::Parse {
        file: file.to_string(),
        path: if path == "." {
            "$".into()
        } else {
            format!("$.{path}")
        },
        message: if inner.is_syntax() || inner.is_eof() {
            format!("invalid JSON: {inner}")
        } else {
            inner.to_string()
        },
    })
}

/// Natively, the JSON path of what is wrong (`scenes[2].hotspots[0].yaw`) comes with the error.
#[cfg(not(target_arch = "wasm32"))]
fn deserialize<'de, T: serde::Deserialize<'de>>(
    de: &mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>,
) -> Result<T, (String, serde_json::Error)> {
    serde_path_to_error::deserialize(de).map_err(|e| (e.path().to_string(), e.into_inner()))
}

/// On the web, serde_path_to_error would cost the engine about 17 KB gzip: the error names the
/// line and column instead (the published tour was validated, with paths, by `disan validate`).
#[cfg(target_arch = "wasm32")]
fn deserialize<'de, T: serde::Deserialize<'de>>(
    de: &mut serde_json::Deserializer<serde_json::de::SliceRead<'de>>,
) -> Result<T, (String, serde_json::Error)> {
    T::deserialize(de).map_err(|e| (".".to_string(), e))
}

impl Tour {
    /// An empty tour (format v1, Vietnamese and English) titled `title`: add its scenes, and
    /// the rest with struct update syntax (`Tour { scenes, ..Tour::new(title) }`).
    pub fn new(title: LangText) -> Tour {
        Tour {
            format: Some("disan-tour".into()),
            version: FORMAT_VERSION,
            id: None,
            title,
            languages: default_languages(),
            start_scene: None,
            scenes: Vec::new(),
            catalog: Vec::new(),
            catalog_file: None,
            environment: None,
            tours: Vec::new(),
            kiosk: None,
            share_url: None,
            extra: Map::new(),
        }
    }

    /// Reads `tour.json` bytes; `file` names the file in error messages.
    pub fn from_json(bytes: &[u8], file: &str) -> Result<Tour, TourError> {
        parse_json(bytes, file)
    }

    /// The scene with this id.
    pub fn scene(&self, id: &str) -> Option<&Scene> {
        self.scenes.iter().find(|s| s.id == id)
    }

    /// Index of the scene with this id.
    pub fn scene_index(&self, id: &str) -> Option<usize> {
        self.scenes.iter().position(|s| s.id == id)
    }

    /// The scene shown first.
    pub fn start(&self) -> Option<&Scene> {
        match &self.start_scene {
            Some(id) => self.scene(id),
            None => self.scenes.first(),
        }
    }

    /// The lighting environment of a scene: its own, else the tour's.
    pub fn environment_of<'a>(&'a self, scene: &'a Scene) -> Option<&'a str> {
        scene
            .object()?
            .environment
            .as_deref()
            .or(self.environment.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOUR: &str = r#"{
      "version": 1, "title": {"vi": "Đình làng", "en": "Village hall"},
      "start_scene": "san",
      "scenes": [
        {"id": "san", "kind": "panorama", "image": "san.jpg", "view": {"yaw": 10, "pitch": 0, "fov": 80},
         "hotspots": [
           {"kind": "link", "yaw": 20, "pitch": -5, "target": "trong", "label": {"vi": "Trống"}},
           {"kind": "info", "yaw": -20, "pitch": 0, "entry": "bia", "label": "Bia", "x-museum-code": 7}
         ]},
        {"id": "trong", "kind": "object", "model": "drum.glb", "orbit": {"yaw": 30, "pitch": 15},
         "hotspots": [{"kind": "info", "position": [0, 1, 0], "normal": [0, 2, 0], "entry": "bia", "label": "Mặt trống"}]}
      ],
      "catalog": [{"id": "bia", "title": {"vi": "Bia đá"}, "rights": "CC BY 4.0", "acquisition": {"year": 1962}}],
      "x-extra": true
    }"#;

    #[test]
    fn parses_and_keeps_unknown_fields() {
        let tour = Tour::from_json(TOUR.as_bytes(), "tour.json").unwrap();
        assert_eq!(tour.scenes.len(), 2);
        assert_eq!(tour.start().unwrap().id, "san");
        assert_eq!(tour.extra.get("x-extra"), Some(&Value::Bool(true)));
        let entry = tour.entry("bia").unwrap();
        assert_eq!(entry.extra["acquisition"]["year"], 1962);
        assert_eq!(tour.scenes[0].hotspots[1].extra["x-museum-code"], 7);
        // Round trip keeps them too.
        let again = serde_json::to_string(&tour).unwrap();
        let back = Tour::from_json(again.as_bytes(), "again.json").unwrap();
        assert_eq!(back, tour);
    }

    #[test]
    fn placement_normalises_normals() {
        let tour = Tour::from_json(TOUR.as_bytes(), "tour.json").unwrap();
        let h = &tour.scenes[1].hotspots[0];
        let (_, normal) = h.placement.surface().unwrap();
        assert!((normal.length() - 1.0).abs() < 1e-6);
        assert!(tour.scenes[0].hotspots[0].placement.surface().is_none());
    }

    #[test]
    fn a_scene_its_kind_cannot_show_is_refused_with_its_path() {
        for (scene, expected) in [
            (
                r#"{"id":"a","kind":"panorama","hotspots":[]}"#,
                "t.json: $.scenes[1]: image: panorama scene needs an \"image\"",
            ),
            (
                r#"{"id":"a","kind":"panorama","image":"a.jpg","cube":["f"]}"#,
                "t.json: $.scenes[1]: image: give one of",
            ),
            (
                r#"{"id":"a","kind":"panorama","cube":["f"],"coverage":{"haov":90,"vaov":45}}"#,
                "t.json: $.scenes[1]: coverage: \"coverage\" applies",
            ),
            (
                r#"{"id":"a","kind":"object","model":"m.glb","hotspots":[{"kind":"info","yaw":1,"pitch":2,"entry":"e"}]}"#,
                "t.json: $.scenes[1]: hotspots[0]: object hotspot needs",
            ),
        ] {
            let json = format!(
                r#"{{"version":1,"scenes":[{{"id":"b","kind":"panorama","image":"b.jpg"}},{scene}]}}"#
            );
            let err = Tour::from_json(json.as_bytes(), "t.json")
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(expected), "{err}");
            // As written, it reads; checking it gives the same problem.
            let written = TourJson::parse(json.as_bytes(), "t.json").unwrap();
            assert_eq!(written.scenes.len(), 2);
            let err = written.into_tour("t.json").unwrap_err().to_string();
            assert!(err.starts_with(expected), "{err}");
        }
    }

    #[test]
    fn parse_error_names_file_and_path() {
        let bad = r#"{"version": 1, "scenes": [{"id": "a", "kind": "panorama", "view": {"yaw": "east"}}]}"#;
        let err = Tour::from_json(bad.as_bytes(), "tour.json")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("tour.json: $.scenes[0].view.yaw:"), "{err}");
        let err = Tour::from_json(b"{\"version\": 1,", "t.json")
            .unwrap_err()
            .to_string();
        assert!(err.contains("invalid JSON"), "{err}");
        let err = Tour::from_json(
            br#"{"version":1,"scenes":[{"id":"a","kind":"video"}]}"#,
            "t.json",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("$.scenes[0].kind") && err.contains("video"),
            "{err}"
        );
    }

    #[test]
    fn new_tour_is_an_empty_v1_tour() {
        let mut tour = Tour::new(LangText::new([("vi", "Đình làng"), ("en", "Village hall")]));
        assert_eq!(
            (tour.format.as_deref(), tour.version),
            (Some("disan-tour"), 1)
        );
        assert_eq!(tour.languages, ["vi", "en"]);
        assert!(tour.scenes.is_empty() && tour.start().is_none());
        tour.scenes.push(Scene::new(
            "san",
            LangText::default(),
            PanoramaScene::from_image("san.jpg"),
        ));
        let json = serde_json::to_string(&tour).unwrap();
        assert_eq!(Tour::from_json(json.as_bytes(), "t.json").unwrap(), tour);
        assert!(
            !json.contains("catalog") && !json.contains("tours"),
            "{json}"
        );
    }
}
