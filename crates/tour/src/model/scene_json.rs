//! The JSON form of a scene (format v1): the kind's own fields sit flat beside the common ones,
//! and a field that belongs to another kind is kept in `extra` so that it round-trips. What
//! keeps a written scene from being a [`Scene`] (no picture source, two of them, a hotspot
//! without its target) is listed once, by [`SceneJson::shape_problems`].

use super::hotspot::{keep, take};
use super::{Content, Coverage, HotspotJson, ObjectScene, Orbit, PanoramaScene, PanoramaSource};
use super::{Scene, SceneKind, TileSource, View};
use crate::text::LangText;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The JSON form of a scene (format v1), as written: kind-specific fields flat beside the
/// common ones. It is what [`crate::validate`] checks, and what a [`Scene`] is read from and
/// written as. The fields are those of [`Scene`], [`PanoramaScene`] and [`ObjectScene`].
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneJson {
    pub id: String,
    pub kind: SceneKind,
    #[serde(default)]
    pub title: LangText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cube: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiles: Option<TileSource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<View>,
    #[serde(default)]
    pub north_offset: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fov_range: Option<[f32; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orbit: Option<Orbit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment_intensity: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_light: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metres_per_unit: Option<f32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub derivatives: Vec<crate::derivatives::Derivative>,
    #[serde(default)]
    pub hotspots: Vec<HotspotJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambient: Option<super::Sound>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl SceneJson {
    /// What keeps this from being a [`Scene`]: each problem's path below the scene (`.image`,
    /// `.hotspots[2]`) and message (the ones `disan validate` prints).
    pub fn shape_problems(&self) -> Vec<(String, &'static str)> {
        let mut out = self.own_shape_problems();
        for (j, h) in self.hotspots.iter().enumerate() {
            for message in h.shape_problems(self.kind) {
                out.push((format!(".hotspots[{j}]"), message));
            }
        }
        out
    }

    /// [`SceneJson::shape_problems`] less those of its hotspots.
    fn own_shape_problems(&self) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        if self.kind == SceneKind::Panorama {
            let sources = [
                self.image.is_some(),
                self.cube.is_some(),
                self.tiles.is_some(),
            ];
            match sources.iter().filter(|b| **b).count() {
                0 => out.push((
                    ".image".to_string(),
                    "panorama scene needs an \"image\" (or \"cube\" faces, or \"tiles\")",
                )),
                1 => {}
                _ => out.push((
                    ".image".to_string(),
                    "give one of \"image\", \"cube\" and \"tiles\", not several",
                )),
            }
            if self.coverage.is_some() && self.image.is_none() {
                out.push((
                    ".coverage".to_string(),
                    "\"coverage\" applies to an equirectangular \"image\" only",
                ));
            }
        }
        out
    }

    /// The panorama's one picture source, when it has exactly one.
    fn source(&mut self) -> Option<PanoramaSource> {
        match (self.image.take(), self.cube.take(), self.tiles.take()) {
            (Some(image), None, None) => Some(PanoramaSource::Image {
                image,
                coverage: self.coverage.take(),
            }),
            (None, Some(faces), None) if self.coverage.is_none() => {
                Some(PanoramaSource::Cube(faces))
            }
            (None, None, Some(tiles)) if self.coverage.is_none() => {
                Some(PanoramaSource::Tiles(tiles))
            }
            _ => None,
        }
    }
}

impl TryFrom<SceneJson> for Scene {
    type Error = String;

    /// Fails with the first of [`SceneJson::shape_problems`] (`disan validate` lists them all).
    fn try_from(mut r: SceneJson) -> Result<Scene, String> {
        if let Some((path, message)) = r.own_shape_problems().into_iter().next() {
            return Err(format!("{}: {message}", &path[1..]));
        }
        let kind = r.kind;
        // Each hotspot's shape is checked once, as it is converted.
        let hotspots = std::mem::take(&mut r.hotspots)
            .into_iter()
            .enumerate()
            .map(|(j, h)| {
                h.into_hotspot(kind)
                    .map_err(|p| format!("hotspots[{j}]: {}", p.join("; ")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let source = match kind {
            SceneKind::Panorama => Some(r.source().ok_or("no picture source")?),
            SceneKind::Object => None,
        };
        let mut extra = r.extra;
        let content = match (r.kind, source) {
            (SceneKind::Panorama, Some(source)) => {
                keep(&mut extra, "model", r.model);
                keep(&mut extra, "orbit", r.orbit);
                keep(&mut extra, "environment", r.environment);
                keep(&mut extra, "environment_intensity", r.environment_intensity);
                keep(&mut extra, "key_light", r.key_light);
                keep(&mut extra, "exposure", r.exposure);
                keep(&mut extra, "metres_per_unit", r.metres_per_unit);
                if !r.derivatives.is_empty() {
                    keep(&mut extra, "derivatives", Some(r.derivatives));
                }
                Content::Panorama(PanoramaScene {
                    source,
                    view: r.view,
                    north_offset: r.north_offset,
                    fov_range: r.fov_range,
                })
            }
            _ => {
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
                    key_light: r.key_light,
                    exposure: r.exposure,
                    metres_per_unit: r.metres_per_unit,
                    derivatives: r.derivatives,
                })
            }
        };
        Ok(Scene {
            id: r.id,
            title: r.title,
            content,
            hotspots,
            thumbnail: r.thumbnail,
            ambient: r.ambient,
            extra,
        })
    }
}

impl From<Scene> for SceneJson {
    fn from(s: Scene) -> SceneJson {
        let mut r = SceneJson {
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
            key_light: None,
            exposure: None,
            metres_per_unit: None,
            derivatives: Vec::new(),
            hotspots: s.hotspots.into_iter().map(HotspotJson::from).collect(),
            thumbnail: s.thumbnail,
            ambient: s.ambient,
            extra: Map::new(),
        };
        match s.content {
            Content::Panorama(p) => {
                match p.source {
                    PanoramaSource::Image { image, coverage } => {
                        r.image = Some(image);
                        r.coverage = coverage;
                    }
                    PanoramaSource::Cube(faces) => r.cube = Some(faces),
                    PanoramaSource::Tiles(tiles) => r.tiles = Some(tiles),
                }
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
                r.key_light = o.key_light;
                r.exposure = o.exposure;
                r.metres_per_unit = o.metres_per_unit;
                r.derivatives = o.derivatives;
            }
        }
        // Fields of another kind kept in `extra` go back where they were read from.
        let mut extra = s.extra;
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
        r.key_light = r.key_light.take().or_else(|| take(&mut extra, "key_light"));
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
