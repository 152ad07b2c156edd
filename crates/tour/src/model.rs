//! The tour format v1 (`tour.json`, `catalog.json`): serde types and lookups. See `docs/tour-format.md`.

use crate::text::LangText;
use crate::TourError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The only tour format version this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// A tour as written in `tour.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tour {
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
    pub scenes: Vec<Scene>,
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

fn default_languages() -> Vec<String> {
    vec!["vi".into(), "en".into()]
}

/// The two kinds of scene.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SceneKind {
    /// A 360° equirectangular image seen from its centre.
    Panorama,
    /// A glTF model turned in the hands.
    Object,
}

/// A view into a panorama (degrees) or an arrival orbit on an object.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct View {
    /// Degrees, 0 = centre of the image, positive to the right.
    #[serde(default)]
    pub yaw: f32,
    /// Degrees, positive up, within ±90.
    #[serde(default)]
    pub pitch: f32,
    /// Vertical field of view in degrees (panoramas).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fov: Option<f32>,
    /// Distance from the target in model units (objects); auto-fit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<f32>,
    /// Point looked at in model space (objects); the scene's orbit target when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<[f32; 3]>,
}

/// Initial orbit of an object scene.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Orbit {
    /// Degrees around the vertical axis, 0 = looking at the model's front (+Z towards the viewer).
    #[serde(default)]
    pub yaw: f32,
    /// Degrees above the horizon.
    #[serde(default)]
    pub pitch: f32,
    /// Distance from the target in model units; fitted to the model's bounds when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<f32>,
    /// Point looked at, in model space; the centre of the bounds when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<[f32; 3]>,
}

/// One scene of a tour: what every kind has (id, title, hotspots), and its kind with the
/// kind's own fields. In JSON the kind is the `"kind"` tag and its fields sit beside the common
/// ones (format v1); adding a kind is adding a variant of [`Content`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "RawScene", into = "RawScene")]
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
    /// Fields this version does not know (and fields of another kind), kept as they are.
    pub extra: Map<String, Value>,
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

/// The fields of a panorama scene. The picture comes from one source: an equirectangular
/// `image` (full or partial, see `coverage`), six `cube` faces, or a `tiles` pyramid.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PanoramaScene {
    /// Equirectangular image, relative to the tour folder (2:1 unless `coverage` says otherwise).
    pub image: Option<String>,
    /// What part of the sphere `image` covers (a partial panorama); the full sphere when absent.
    pub coverage: Option<Coverage>,
    /// Six cube faces: front, right, back, left, up, down.
    pub cube: Option<Vec<String>>,
    /// A cube tile pyramid (multiresolution), streamed where the visitor looks.
    pub tiles: Option<TileSource>,
    /// Initial view.
    pub view: Option<View>,
    /// Yaw (degrees) of geographic north in the image, for a compass.
    pub north_offset: f32,
    /// Smallest and largest vertical field of view, degrees.
    pub fov_range: Option<[f32; 2]>,
}

/// The part of the sphere a partial equirectangular image covers (Pannellum's `haov`, `vaov`,
/// `vOffset`, and the yaw of the image centre). The rest is a neutral fill, never stretched.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// Horizontal angle of view, degrees (0 < haov <= 360).
    #[serde(default = "full_haov")]
    pub haov: f32,
    /// Vertical angle of view, degrees (0 < vaov <= 180).
    #[serde(default = "full_vaov")]
    pub vaov: f32,
    /// Pitch of the image centre, degrees.
    #[serde(default)]
    pub v_offset: f32,
    /// Yaw of the image centre, degrees.
    #[serde(default)]
    pub h_offset: f32,
}

fn full_haov() -> f32 {
    360.0
}
fn full_vaov() -> f32 {
    180.0
}

impl Default for Coverage {
    fn default() -> Self {
        Coverage {
            haov: 360.0,
            vaov: 180.0,
            v_offset: 0.0,
            h_offset: 0.0,
        }
    }
}

impl Coverage {
    /// The angles a `width` × `height` image covers if its pixels are square in angle and it
    /// spans the full circle when wider than 2:1 (a cropped-top-and-bottom panorama).
    pub fn from_aspect(width: u32, height: u32) -> Coverage {
        let aspect = width as f32 / height.max(1) as f32;
        if aspect >= 2.0 {
            Coverage {
                vaov: 360.0 / aspect,
                ..Coverage::default()
            }
        } else {
            Coverage {
                haov: 180.0 * aspect,
                ..Coverage::default()
            }
        }
    }

    /// True for the full sphere.
    pub fn is_full(&self) -> bool {
        self.haov >= 360.0 && self.vaov >= 180.0 && self.v_offset == 0.0
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
    #[serde(default = "one")]
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

/// The JSON form of a scene (format v1): kind-specific fields flat beside the common ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RawScene {
    id: String,
    kind: SceneKind,
    #[serde(default)]
    title: LangText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    coverage: Option<Coverage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cube: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tiles: Option<TileSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    view: Option<View>,
    #[serde(default)]
    north_offset: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fov_range: Option<[f32; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    orbit: Option<Orbit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    environment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    environment_intensity: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exposure: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metres_per_unit: Option<f32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    derivatives: Vec<crate::derivatives::Derivative>,
    #[serde(default)]
    hotspots: Vec<Hotspot>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    thumbnail: Option<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

/// Keeps a field that belongs to another kind in `extra`, so it round-trips and validation can name it.
fn keep<T: Serialize>(extra: &mut Map<String, Value>, name: &str, value: Option<T>) {
    if let Some(v) = value.and_then(|v| serde_json::to_value(v).ok()) {
        extra.insert(name.to_string(), v);
    }
}

impl From<RawScene> for Scene {
    fn from(r: RawScene) -> Scene {
        let mut extra = r.extra;
        let content = match r.kind {
            SceneKind::Panorama => {
                keep(&mut extra, "model", r.model);
                keep(&mut extra, "orbit", r.orbit);
                keep(&mut extra, "environment", r.environment);
                keep(&mut extra, "environment_intensity", r.environment_intensity);
                keep(&mut extra, "exposure", r.exposure);
                keep(&mut extra, "metres_per_unit", r.metres_per_unit);
                if !r.derivatives.is_empty() {
                    keep(&mut extra, "derivatives", Some(r.derivatives));
                }
                Content::Panorama(PanoramaScene {
                    image: r.image,
                    coverage: r.coverage,
                    cube: r.cube,
                    tiles: r.tiles,
                    view: r.view,
                    north_offset: r.north_offset,
                    fov_range: r.fov_range,
                })
            }
            SceneKind::Object => {
                keep(&mut extra, "image", r.image);
                keep(&mut extra, "coverage", r.coverage);
                keep(&mut extra, "cube", r.cube);
                keep(&mut extra, "tiles", r.tiles);
                keep(&mut extra, "view", r.view);
                keep(&mut extra, "fov_range", r.fov_range);
                if r.north_offset != 0.0 {
                    keep(&mut extra, "north_offset", Some(r.north_offset));
                }
                Content::Object(ObjectScene {
                    model: r.model,
                    orbit: r.orbit,
                    environment: r.environment,
                    environment_intensity: r.environment_intensity,
                    exposure: r.exposure,
                    metres_per_unit: r.metres_per_unit,
                    derivatives: r.derivatives,
                })
            }
        };
        Scene {
            id: r.id,
            title: r.title,
            content,
            hotspots: r.hotspots,
            thumbnail: r.thumbnail,
            extra,
        }
    }
}

impl From<Scene> for RawScene {
    fn from(s: Scene) -> RawScene {
        let mut r = RawScene {
            id: s.id,
            kind: SceneKind::Panorama,
            title: s.title,
            image: None,
            coverage: None,
            cube: None,
            tiles: None,
            view: None,
            north_offset: 0.0,
            fov_range: None,
            model: None,
            orbit: None,
            environment: None,
            environment_intensity: None,
            exposure: None,
            metres_per_unit: None,
            derivatives: Vec::new(),
            hotspots: s.hotspots,
            thumbnail: s.thumbnail,
            extra: Map::new(),
        };
        match s.content {
            Content::Panorama(p) => {
                r.image = p.image;
                r.coverage = p.coverage;
                r.cube = p.cube;
                r.tiles = p.tiles;
                r.view = p.view;
                r.north_offset = p.north_offset;
                r.fov_range = p.fov_range;
            }
            Content::Object(o) => {
                r.kind = SceneKind::Object;
                r.model = o.model;
                r.orbit = o.orbit;
                r.environment = o.environment;
                r.environment_intensity = o.environment_intensity;
                r.exposure = o.exposure;
                r.metres_per_unit = o.metres_per_unit;
                r.derivatives = o.derivatives;
            }
        }
        // Fields of another kind kept in `extra` go back where they were read from.
        let mut extra = s.extra;
        fn take<T: serde::de::DeserializeOwned>(
            e: &mut Map<String, Value>,
            name: &str,
        ) -> Option<T> {
            e.remove(name).and_then(|v| serde_json::from_value(v).ok())
        }
        r.image = r.image.take().or_else(|| take(&mut extra, "image"));
        r.coverage = r.coverage.take().or_else(|| take(&mut extra, "coverage"));
        r.cube = r.cube.take().or_else(|| take(&mut extra, "cube"));
        r.tiles = r.tiles.take().or_else(|| take(&mut extra, "tiles"));
        r.view = r.view.take().or_else(|| take(&mut extra, "view"));
        r.fov_range = r.fov_range.take().or_else(|| take(&mut extra, "fov_range"));
        if let Some(n) = take(&mut extra, "north_offset") {
            r.north_offset = n;
        }
        r.model = r.model.take().or_else(|| take(&mut extra, "model"));
        r.orbit = r.orbit.take().or_else(|| take(&mut extra, "orbit"));
        r.environment = r
            .environment
            .take()
            .or_else(|| take(&mut extra, "environment"));
        r.environment_intensity = r
            .environment_intensity
            .take()
            .or_else(|| take(&mut extra, "environment_intensity"));
        r.exposure = r.exposure.take().or_else(|| take(&mut extra, "exposure"));
        r.metres_per_unit = r
            .metres_per_unit
            .take()
            .or_else(|| take(&mut extra, "metres_per_unit"));
        if r.derivatives.is_empty() {
            r.derivatives = take(&mut extra, "derivatives").unwrap_or_default();
        }
        r.extra = extra;
        r
    }
}

/// A guided tour: named, ordered steps, each showing a scene from a view with narration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuidedTour {
    /// Unique id, used by links (`#step=<id>/<n>`) and the API.
    pub id: String,
    /// Name shown in the player and the tour list.
    #[serde(default)]
    pub title: LangText,
    /// The steps, in order.
    pub steps: Vec<TourStep>,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One step of a guided tour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TourStep {
    /// Scene shown (entered with the usual cross-fade when it is another scene).
    pub scene: String,
    /// View flown to; the scene's own view when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<View>,
    /// Id of an info hotspot of the scene whose card opens during the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotspot: Option<String>,
    /// Short title of the step (the step list); the scene's title when empty.
    #[serde(default)]
    pub title: LangText,
    /// Narration text, per language.
    #[serde(default)]
    pub narration: LangText,
    /// Narration audio file per language, relative to the tour folder.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub audio: std::collections::BTreeMap<String, String>,
    /// WebVTT captions of the audio, per language.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub captions: std::collections::BTreeMap<String, String>,
    /// Seconds the step lasts once its scene is on screen; it waits for the visitor when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f32>,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// How a kiosk runs the tour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kiosk {
    /// Seconds without a touch before the kiosk returns to its start and plays the attract loop.
    #[serde(default = "default_idle_seconds")]
    pub idle_seconds: f32,
    /// Guided tour played in a loop while nobody touches the kiosk; when absent the kiosk turns
    /// slowly through the scenes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attract: Option<String>,
    /// Degrees per second of the attract rotation.
    #[serde(default = "default_kiosk_rotation")]
    pub autorotate: f32,
    /// Seconds each scene is shown by the attract rotation.
    #[serde(default = "default_scene_seconds")]
    pub scene_seconds: f32,
    /// Language the kiosk returns to; the tour's first language when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Scene the kiosk returns to; the tour's start scene when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_scene: Option<String>,
    /// The key chord that leaves the kiosk (native), e.g. `"Ctrl+Alt+Q"`.
    #[serde(default = "default_exit_keys")]
    pub exit_keys: String,
    /// The inspection tools (measure, raking light, clay, section) are offered on the kiosk.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inspection: bool,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn default_idle_seconds() -> f32 {
    90.0
}
fn default_kiosk_rotation() -> f32 {
    4.0
}
fn default_scene_seconds() -> f32 {
    30.0
}
fn default_exit_keys() -> String {
    "Ctrl+Alt+Q".into()
}

impl Default for Kiosk {
    fn default() -> Self {
        Kiosk {
            idle_seconds: default_idle_seconds(),
            attract: None,
            autorotate: default_kiosk_rotation(),
            scene_seconds: default_scene_seconds(),
            language: None,
            start_scene: None,
            exit_keys: default_exit_keys(),
            inspection: false,
            extra: Map::new(),
        }
    }
}

/// What a hotspot does when clicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HotspotKind {
    /// Go to another scene.
    Link,
    /// Open a catalog entry.
    Info,
}

/// A clickable point in a scene.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hotspot {
    /// Optional id (for the embedding API and tests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `link` or `info`.
    pub kind: HotspotKind,
    /// Label shown beside the marker and read by screen readers.
    #[serde(default)]
    pub label: LangText,
    /// Panorama: direction, degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yaw: Option<f32>,
    /// Panorama: direction, degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pitch: Option<f32>,
    /// Object: point on the model, model space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<[f32; 3]>,
    /// Object: surface normal at that point, model space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normal: Option<[f32; 3]>,
    /// Link: the scene to go to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Link: the view to arrive at. Info: the view flown to when the card opens (a close-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<View>,
    /// Info: id of the catalog entry to open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Where a hotspot sits, once its kind-specific fields are known to be present.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HotspotPlacement {
    /// Panorama hotspot: yaw and pitch in degrees.
    Direction { yaw: f32, pitch: f32 },
    /// Object hotspot: model-space point and normal.
    Surface {
        position: glam::Vec3,
        normal: glam::Vec3,
    },
}

impl Hotspot {
    /// The placement matching the scene kind, if the needed fields are present.
    pub fn placement(&self, kind: SceneKind) -> Option<HotspotPlacement> {
        match kind {
            SceneKind::Panorama => Some(HotspotPlacement::Direction {
                yaw: self.yaw?,
                pitch: self.pitch?,
            }),
            SceneKind::Object => {
                let position = glam::Vec3::from(self.position?);
                let normal = self
                    .normal
                    .map(glam::Vec3::from)
                    .and_then(|n| n.try_normalize())
                    .unwrap_or(glam::Vec3::Y);
                Some(HotspotPlacement::Surface { position, normal })
            }
        }
    }
}

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
    #[serde(default = "one")]
    pub version: u32,
    /// The entries.
    pub entries: Vec<CatalogEntry>,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn one() -> u32 {
    1
}

/// Strips a UTF-8 byte-order mark, which some editors write.
fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Parses JSON into `T`, reporting the file, the JSON path and the message on failure.
pub fn parse_json<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    file: &str,
) -> Result<T, TourError> {
    let mut de = serde_json::Deserializer::from_slice(strip_bom(bytes));
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        TourError::Parse {
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
        }
    })
}

impl Tour {
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

    /// The lighting environment of a scene: its own, else the tour's.
    pub fn environment_of<'a>(&'a self, scene: &'a Scene) -> Option<&'a str> {
        scene
            .object()?
            .environment
            .as_deref()
            .or(self.environment.as_deref())
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
        match h.placement(SceneKind::Object).unwrap() {
            HotspotPlacement::Surface { normal, .. } => {
                assert!((normal.length() - 1.0).abs() < 1e-6)
            }
            other => panic!("wrong placement {other:?}"),
        }
        assert!(tour.scenes[0].hotspots[0]
            .placement(SceneKind::Object)
            .is_none());
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
