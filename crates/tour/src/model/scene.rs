//! A scene of a tour: what every kind has, its [`Content`] (a panorama and its picture source,
//! or an object), and the tile pyramid a panorama can stream. The JSON form is in
//! `scene_json.rs`.

use super::scene_json::SceneJson;
use super::{Coverage, Hotspot, Orbit, View};
use crate::text::LangText;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The two kinds of scene.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SceneKind {
    /// A 360° equirectangular image seen from its centre.
    Panorama,
    /// A glTF model turned in the hands.
    Object,
}

/// One scene of a tour: what every kind has (id, title, hotspots), and its kind with the
/// kind's own fields. In JSON the kind is the `"kind"` tag and its fields sit beside the common
/// ones (format v1); adding a kind is adding a variant of [`Content`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SceneJson", into = "SceneJson")]
pub struct Scene {
    /// Unique id, used by links and URLs.
    pub id: String,
    /// Title of the scene.
    pub title: LangText,
    /// The kind of scene and its own fields.
    pub content: Content,
    /// Hotspots of this scene.
    pub hotspots: Vec<Hotspot>,
    /// A small picture of the scene for the scene list (`disan thumbnails` makes them).
    pub thumbnail: Option<String>,
    /// The sound of the place, looped while the scene is on screen.
    pub ambient: Option<Sound>,
    /// Fields this version does not know (and fields of another kind), kept as they are.
    pub extra: Map<String, Value>,
}

/// A looping sound: a scene's ambient track (the bells of a pagoda, a market, a waterfall) or a
/// hotspot's placed sound (a gong heard from where it hangs), faded in when the scene comes and
/// out when it goes, muted by the visitor's sound control.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sound {
    /// Audio file relative to the tour folder (MP3, Ogg Vorbis or WAV play everywhere).
    pub src: String,
    /// Loudness from 0 (silent) to 1 (as recorded); 0.5 when absent.
    #[serde(default = "half")]
    pub volume: f32,
}

fn half() -> f32 {
    0.5
}

/// The kinds of scene, with their own fields.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // a few hundred bytes a scene; boxing buys nothing
pub enum Content {
    /// A 360° equirectangular image seen from its centre.
    Panorama(PanoramaScene),
    /// A glTF model turned in the hands.
    Object(ObjectScene),
}

/// The fields of a panorama scene: its picture's one [`PanoramaSource`], and how it is seen.
#[derive(Debug, Clone, PartialEq)]
pub struct PanoramaScene {
    /// Where the picture comes from.
    pub source: PanoramaSource,
    /// Initial view.
    pub view: Option<View>,
    /// Yaw (degrees) of geographic north in the image, for a compass.
    pub north_offset: f32,
    /// Smallest and largest vertical field of view, degrees.
    pub fov_range: Option<[f32; 2]>,
}

/// Where a panorama's picture comes from: one of an equirectangular image, six cube faces or a
/// tile pyramid (in JSON, the one of `image`, `cube` and `tiles` that is present).
#[derive(Debug, Clone, PartialEq)]
pub enum PanoramaSource {
    /// An equirectangular image, relative to the tour folder (2:1 unless `coverage` says
    /// otherwise).
    Image {
        /// The file.
        image: String,
        /// What part of the sphere it covers (a partial panorama); the full sphere when absent.
        coverage: Option<Coverage>,
    },
    /// Six cube faces: front, right, back, left, up, down.
    Cube(Vec<String>),
    /// A cube tile pyramid (multiresolution), streamed where the visitor looks.
    Tiles(TileSource),
}

impl PanoramaSource {
    /// The equirectangular image, if that is the source.
    pub fn image(&self) -> Option<&str> {
        match self {
            PanoramaSource::Image { image, .. } => Some(image),
            _ => None,
        }
    }

    /// The part of the sphere the picture covers, when it is a partial equirectangular image.
    pub fn coverage(&self) -> Option<Coverage> {
        match self {
            PanoramaSource::Image { coverage, .. } => *coverage,
            _ => None,
        }
    }

    /// The cube faces, if that is the source.
    pub fn cube(&self) -> Option<&[String]> {
        match self {
            PanoramaSource::Cube(faces) => Some(faces),
            _ => None,
        }
    }

    /// The tile pyramid, if that is the source.
    pub fn tiles(&self) -> Option<&TileSource> {
        match self {
            PanoramaSource::Tiles(t) => Some(t),
            _ => None,
        }
    }
}

/// A cube tile pyramid. Files are named by `path` with `%s` (face letter), `%l` (level number),
/// `%x`/`%y` (column/row; krpano's `%h`/`%v` too). Levels are given explicitly (`levels`,
/// coarsest first) or as Pannellum's `cube_resolution` + `max_level` + `tile_size`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TileSource {
    /// File template, relative to the tour folder.
    pub path: String,
    /// The letters `%s` stands for: front, right, back, left, up, down.
    #[serde(default = "default_faces")]
    pub faces: String,
    /// Tile side in pixels (levels may override).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tile_size: Option<u32>,
    /// Pannellum: face side at the finest level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cube_resolution: Option<u32>,
    /// Pannellum: number of levels (level `max_level` is the finest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_level: Option<u32>,
    /// Explicit levels, coarsest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<TileLevel>,
    /// The number `%l` stands for at the coarsest level (1 by default).
    #[serde(default = "super::one")]
    pub first_level: u32,
    /// The number of the first column and row (0 by default; krpano counts from 1).
    #[serde(default)]
    pub first_index: u32,
    /// A small equirectangular image shown until the tiles arrive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn default_faces() -> String {
    "frblud".to_string()
}
impl Default for TileSource {
    fn default() -> Self {
        TileSource {
            path: String::new(),
            faces: default_faces(),
            tile_size: None,
            cube_resolution: None,
            max_level: None,
            levels: Vec::new(),
            first_level: 1,
            first_index: 0,
            preview: None,
            extra: Map::new(),
        }
    }
}

/// One level of a [`TileSource`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TileLevel {
    /// Face side in pixels.
    pub size: u32,
    /// Tile side in pixels (the source's `tile_size` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tile_size: Option<u32>,
    /// File template of this level (the source's `path` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// The fields of an object scene.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectScene {
    /// glTF or GLB file, relative to the tour folder.
    pub model: Option<String>,
    /// Initial orbit.
    pub orbit: Option<Orbit>,
    /// Lighting environment (equirectangular image, e.g. the panorama the object stands in);
    /// the tour's `environment`, else the neutral studio, when absent.
    pub environment: Option<String>,
    /// Brightness of the environment light (1 by default).
    pub environment_intensity: Option<f32>,
    /// Strength of a soft light from beside the viewer's eye, which follows the camera (like
    /// 3DHOP's and Voyager's default lights): whichever side is turned to the visitor is lit,
    /// even where the environment is dark (the top of a relic under a dark ceiling). When
    /// absent: [`ObjectScene::DEFAULT_KEY_LIGHT`] under a panorama's light, none under the
    /// neutral studio (already even).
    pub key_light: Option<f32>,
    /// Exposure before tone mapping (1 by default).
    pub exposure: Option<f32>,
    /// Metres per model unit, for measurements (glTF says 1; a scan saved in millimetres says
    /// 0.001).
    pub metres_per_unit: Option<f32>,
    /// Lighter versions of the model (`disan optimize`): the visit shows the best one the
    /// device allows, the thumb first ([`crate::derivatives`]).
    pub derivatives: Vec<crate::derivatives::Derivative>,
}

impl Scene {
    /// The kind of this scene.
    pub fn kind(&self) -> SceneKind {
        match self.content {
            Content::Panorama(_) => SceneKind::Panorama,
            Content::Object(_) => SceneKind::Object,
        }
    }

    /// The panorama fields, if this is a panorama.
    pub fn panorama(&self) -> Option<&PanoramaScene> {
        match &self.content {
            Content::Panorama(p) => Some(p),
            _ => None,
        }
    }

    /// The object fields, if this is an object scene.
    pub fn object(&self) -> Option<&ObjectScene> {
        match &self.content {
            Content::Object(o) => Some(o),
            _ => None,
        }
    }
}

impl Scene {
    /// A scene showing `content` (a [`PanoramaScene`] or an [`ObjectScene`]), with no hotspots,
    /// thumbnail or unknown fields.
    pub fn new(id: impl Into<String>, title: LangText, content: impl Into<Content>) -> Scene {
        Scene {
            id: id.into(),
            title,
            content: content.into(),
            hotspots: Vec::new(),
            thumbnail: None,
            ambient: None,
            extra: Map::new(),
        }
    }

    /// With these hotspots.
    pub fn with_hotspots(self, hotspots: Vec<Hotspot>) -> Scene {
        Scene { hotspots, ..self }
    }
}

impl From<PanoramaScene> for Content {
    fn from(p: PanoramaScene) -> Content {
        Content::Panorama(p)
    }
}

impl From<ObjectScene> for Content {
    fn from(o: ObjectScene) -> Content {
        Content::Object(o)
    }
}

impl PanoramaScene {
    /// The picture of `source`, seen from the default view.
    pub fn new(source: PanoramaSource) -> PanoramaScene {
        PanoramaScene {
            source,
            view: None,
            north_offset: 0.0,
            fov_range: None,
        }
    }

    /// A full-sphere equirectangular `image` (relative to the tour folder), seen from the
    /// default view.
    pub fn from_image(image: impl Into<String>) -> PanoramaScene {
        PanoramaScene::new(PanoramaSource::Image {
            image: image.into(),
            coverage: None,
        })
    }

    /// Six cube faces: front, right, back, left, up, down.
    pub fn from_cube(faces: Vec<String>) -> PanoramaScene {
        PanoramaScene::new(PanoramaSource::Cube(faces))
    }

    /// A cube tile pyramid.
    pub fn from_tiles(tiles: TileSource) -> PanoramaScene {
        PanoramaScene::new(PanoramaSource::Tiles(tiles))
    }
}

impl ObjectScene {
    /// The key light of an object lit by a panorama, when the scene does not say.
    pub const DEFAULT_KEY_LIGHT: f32 = 0.8;

    /// The glTF or GLB `model` (relative to the tour folder), with the default orbit and light.
    pub fn from_model(model: impl Into<String>) -> ObjectScene {
        ObjectScene {
            model: Some(model.into()),
            ..ObjectScene::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_fill_the_common_fields() {
        let s = Scene::new(
            "san",
            LangText::plain("Sân"),
            PanoramaScene::from_image("san.jpg"),
        );
        assert_eq!((s.id.as_str(), s.kind()), ("san", SceneKind::Panorama));
        assert_eq!(s.title.get("vi"), "Sân");
        assert_eq!(s.panorama().and_then(|p| p.source.image()), Some("san.jpg"));
        assert!(s.hotspots.is_empty() && s.thumbnail.is_none() && s.extra.is_empty());
        let json = serde_json::to_value(&s).ok();
        assert_eq!(
            json,
            Some(serde_json::json!({
                "id": "san", "kind": "panorama", "title": {"und": "Sân"}, "image": "san.jpg",
                "north_offset": 0.0, "hotspots": []
            }))
        );

        let o = Scene::new(
            "trong",
            LangText::default(),
            ObjectScene::from_model("drum.glb"),
        )
        .with_hotspots(vec![
            Hotspot::info(0.0, 0.0, "bia").on([0.0; 3], [0.0, 1.0, 0.0])
        ]);
        assert_eq!(o.kind(), SceneKind::Object);
        assert_eq!(
            o.object().and_then(|o| o.model.as_deref()),
            Some("drum.glb")
        );
        assert_eq!(o.hotspots.len(), 1);

        let faces: Vec<String> = "frblud".chars().map(|c| format!("{c}.jpg")).collect();
        assert_eq!(
            PanoramaScene::from_cube(faces.clone()).source,
            PanoramaSource::Cube(faces)
        );
        let tiles = TileSource {
            path: "t/%l/%s%y_%x.jpg".into(),
            ..TileSource::default()
        };
        let p = PanoramaScene::from_tiles(tiles.clone());
        assert_eq!(p.source.tiles(), Some(&tiles));
        assert_eq!((p.source.image(), p.source.cube()), (None, None));
    }
}
