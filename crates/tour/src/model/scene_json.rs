//! The JSON form of a scene (format v1): the kind's own fields sit flat beside the common ones,
//! and a field that belongs to another kind is kept in `extra` so that it round-trips.

use super::{Content, Coverage, Hotspot, ObjectScene, Orbit, PanoramaScene, Scene, SceneKind};
use super::{TileSource, View};
use crate::text::LangText;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The JSON form of a scene (format v1): kind-specific fields flat beside the common ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct RawScene {
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
