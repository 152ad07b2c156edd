//! Hotspots: the clickable points of a scene, what they do ([`HotspotAction`]) and where they
//! sit ([`HotspotPlacement`]), as tagged kinds: a link always has its target, an info hotspot
//! its entry, and a hotspot is placed one way. The JSON form (format v1: flat optional fields
//! beside a `"kind"` tag) is [`HotspotJson`]; a scene turns it into a [`Hotspot`] knowing its
//! own kind, which decides the placement.

use super::{SceneKind, View};
use crate::text::LangText;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What a hotspot does when clicked: the `"kind"` tag of its JSON form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HotspotKind {
    /// Go to another scene.
    Link,
    /// Open a catalog entry.
    Info,
}

/// What a hotspot does, with what that needs.
#[derive(Debug, Clone, PartialEq)]
pub enum HotspotAction {
    /// Go to scene `target`, arriving at `view` (the target's own start view when absent).
    Link {
        /// The scene to go to.
        target: String,
        /// The view to arrive at.
        view: Option<View>,
    },
    /// Open catalog entry `entry`, flying to `view` (a close-up) when given.
    Info {
        /// Id of the catalog entry to open.
        entry: String,
        /// The view flown to when the card opens.
        view: Option<View>,
    },
}

/// Where a hotspot sits: a direction in a panorama, a point on a model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HotspotPlacement {
    /// Panorama hotspot: yaw and pitch in degrees.
    Direction { yaw: f32, pitch: f32 },
    /// Object hotspot: model-space point, and the surface normal there as written (see
    /// [`HotspotPlacement::surface`] for the unit normal).
    Surface {
        position: [f32; 3],
        normal: Option<[f32; 3]>,
    },
}

impl HotspotPlacement {
    /// The scene kind this placement belongs to.
    pub fn scene_kind(&self) -> SceneKind {
        match self {
            HotspotPlacement::Direction { .. } => SceneKind::Panorama,
            HotspotPlacement::Surface { .. } => SceneKind::Object,
        }
    }

    /// A panorama hotspot's yaw and pitch, degrees.
    pub fn direction(&self) -> Option<(f32, f32)> {
        match *self {
            HotspotPlacement::Direction { yaw, pitch } => Some((yaw, pitch)),
            HotspotPlacement::Surface { .. } => None,
        }
    }

    /// An object hotspot's point and unit normal (up when the normal is absent or zero).
    pub fn surface(&self) -> Option<(glam::Vec3, glam::Vec3)> {
        match *self {
            HotspotPlacement::Surface { position, normal } => {
                Some((glam::Vec3::from(position), Self::unit_normal(normal)))
            }
            HotspotPlacement::Direction { .. } => None,
        }
    }

    /// A surface hotspot's normal made unit length (up when absent or zero).
    pub fn unit_normal(normal: Option<[f32; 3]>) -> glam::Vec3 {
        normal
            .map(glam::Vec3::from)
            .and_then(|n| n.try_normalize())
            .unwrap_or(glam::Vec3::Y)
    }
}

/// A clickable point in a scene.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(into = "HotspotJson")]
pub struct Hotspot {
    /// Optional id (for the embedding API, guided tours and tests).
    pub id: Option<String>,
    /// Label shown beside the marker and read by screen readers.
    pub label: LangText,
    /// What it does.
    pub action: HotspotAction,
    /// Where it sits.
    pub placement: HotspotPlacement,
    /// A sound heard from where it sits (louder and to the side it is on as the view turns).
    pub sound: Option<super::Sound>,
    /// Fields this version does not know (and fields of another kind), kept as they are.
    pub extra: Map<String, Value>,
}

/// The JSON form of a hotspot (format v1), as written: what [`crate::validate`] checks, and
/// what a [`Hotspot`] is read from and written as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HotspotJson {
    /// Optional id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `link` or `info`.
    pub kind: HotspotKind,
    /// Label.
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
    /// Link: the view to arrive at. Info: the view flown to when the card opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<View>,
    /// Info: id of the catalog entry to open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    /// A looping sound heard from where the hotspot sits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sound: Option<super::Sound>,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Keeps a field that belongs to another kind in `extra`, so that it round-trips.
pub(super) fn keep<T: Serialize>(extra: &mut Map<String, Value>, name: &str, value: Option<T>) {
    if let Some(v) = value.and_then(|v| serde_json::to_value(v).ok()) {
        extra.insert(name.to_string(), v);
    }
}

/// Takes back a field kept in `extra` by [`keep`].
pub(super) fn take<T: serde::de::DeserializeOwned>(
    extra: &mut Map<String, Value>,
    name: &str,
) -> Option<T> {
    extra
        .remove(name)
        .and_then(|v| serde_json::from_value(v).ok())
}

impl HotspotJson {
    /// What keeps this from being a hotspot of a scene of `kind`: the fields the placement
    /// and the action need (the messages `disan validate` prints).
    pub fn shape_problems(&self, kind: SceneKind) -> Vec<&'static str> {
        let mut out = Vec::new();
        match kind {
            SceneKind::Panorama if self.yaw.is_none() || self.pitch.is_none() => {
                out.push("panorama hotspot needs \"yaw\" and \"pitch\"")
            }
            SceneKind::Object if self.position.is_none() => {
                out.push("object hotspot needs a model-space \"position\" (and a \"normal\")")
            }
            _ => {}
        }
        match self.kind {
            HotspotKind::Link if self.target.is_none() => {
                out.push("link hotspot needs a \"target\" scene")
            }
            HotspotKind::Info if self.entry.is_none() => {
                out.push("info hotspot needs an \"entry\" (a catalog id)")
            }
            _ => {}
        }
        out
    }

    /// The hotspot of a scene of `kind`: the placement that kind uses, the action its tag
    /// names; the fields of the other placement or action are kept in `extra`. Fails with
    /// [`HotspotJson::shape_problems`].
    pub fn into_hotspot(self, kind: SceneKind) -> Result<Hotspot, Vec<&'static str>> {
        let problems = self.shape_problems(kind);
        let mut extra = self.extra;
        let placement = match (kind, self.yaw, self.pitch, self.position) {
            (SceneKind::Panorama, Some(yaw), Some(pitch), _) => {
                keep(&mut extra, "position", self.position);
                keep(&mut extra, "normal", self.normal);
                HotspotPlacement::Direction { yaw, pitch }
            }
            (SceneKind::Object, _, _, Some(position)) => {
                keep(&mut extra, "yaw", self.yaw);
                keep(&mut extra, "pitch", self.pitch);
                HotspotPlacement::Surface {
                    position,
                    normal: self.normal,
                }
            }
            _ => return Err(problems),
        };
        let action = match (self.kind, self.target, self.entry) {
            (HotspotKind::Link, Some(target), entry) => {
                keep(&mut extra, "entry", entry);
                HotspotAction::Link {
                    target,
                    view: self.view,
                }
            }
            (HotspotKind::Info, target, Some(entry)) => {
                keep(&mut extra, "target", target);
                HotspotAction::Info {
                    entry,
                    view: self.view,
                }
            }
            _ => return Err(problems),
        };
        Ok(Hotspot {
            id: self.id,
            label: self.label,
            action,
            placement,
            sound: self.sound,
            extra,
        })
    }
}

impl From<Hotspot> for HotspotJson {
    fn from(h: Hotspot) -> HotspotJson {
        let mut extra = h.extra;
        let (kind, target, entry, view) = match h.action {
            HotspotAction::Link { target, view } => (
                HotspotKind::Link,
                Some(target),
                take(&mut extra, "entry"),
                view,
            ),
            HotspotAction::Info { entry, view } => (
                HotspotKind::Info,
                take(&mut extra, "target"),
                Some(entry),
                view,
            ),
        };
        let (yaw, pitch, position, normal) = match h.placement {
            HotspotPlacement::Direction { yaw, pitch } => (
                Some(yaw),
                Some(pitch),
                take(&mut extra, "position"),
                take(&mut extra, "normal"),
            ),
            HotspotPlacement::Surface { position, normal } => (
                take(&mut extra, "yaw"),
                take(&mut extra, "pitch"),
                Some(position),
                normal,
            ),
        };
        HotspotJson {
            id: h.id,
            kind,
            label: h.label,
            yaw,
            pitch,
            position,
            normal,
            target,
            view,
            entry,
            sound: h.sound,
            extra,
        }
    }
}

impl Hotspot {
    /// A hotspot that does `action` at `placement`, with no id, label or unknown fields yet.
    pub fn new(action: HotspotAction, placement: HotspotPlacement) -> Hotspot {
        Hotspot {
            id: None,
            label: LangText::default(),
            action,
            placement,
            sound: None,
            extra: Map::new(),
        }
    }

    /// A panorama hotspot at `yaw`, `pitch` (degrees) that goes to scene `target`.
    pub fn link(yaw: f32, pitch: f32, target: impl Into<String>) -> Hotspot {
        Hotspot::new(
            HotspotAction::Link {
                target: target.into(),
                view: None,
            },
            HotspotPlacement::Direction { yaw, pitch },
        )
    }

    /// A panorama hotspot at `yaw`, `pitch` (degrees) that opens catalog entry `entry`.
    pub fn info(yaw: f32, pitch: f32, entry: impl Into<String>) -> Hotspot {
        Hotspot::new(
            HotspotAction::Info {
                entry: entry.into(),
                view: None,
            },
            HotspotPlacement::Direction { yaw, pitch },
        )
    }

    /// Placed in a panorama: towards `yaw`, `pitch`, degrees.
    pub fn at(self, yaw: f32, pitch: f32) -> Hotspot {
        Hotspot {
            placement: HotspotPlacement::Direction { yaw, pitch },
            ..self
        }
    }

    /// Placed on a model instead: at `position`, facing `normal` (model space).
    pub fn on(self, position: [f32; 3], normal: [f32; 3]) -> Hotspot {
        Hotspot {
            placement: HotspotPlacement::Surface {
                position,
                normal: Some(normal),
            },
            ..self
        }
    }

    /// With an id (for the embedding API, guided tours and tests).
    pub fn with_id(self, id: impl Into<String>) -> Hotspot {
        Hotspot {
            id: Some(id.into()),
            ..self
        }
    }

    /// With the label shown beside the marker.
    pub fn with_label(self, label: LangText) -> Hotspot {
        Hotspot { label, ..self }
    }

    /// With the view flown to: a link's arrival, an info hotspot's close-up.
    pub fn with_view(mut self, v: View) -> Hotspot {
        match &mut self.action {
            HotspotAction::Link { view, .. } | HotspotAction::Info { view, .. } => *view = Some(v),
        }
        self
    }

    /// `link` or `info`.
    pub fn kind(&self) -> HotspotKind {
        match self.action {
            HotspotAction::Link { .. } => HotspotKind::Link,
            HotspotAction::Info { .. } => HotspotKind::Info,
        }
    }

    /// A link's target scene.
    pub fn target(&self) -> Option<&str> {
        match &self.action {
            HotspotAction::Link { target, .. } => Some(target),
            HotspotAction::Info { .. } => None,
        }
    }

    /// An info hotspot's catalog entry.
    pub fn entry(&self) -> Option<&str> {
        match &self.action {
            HotspotAction::Info { entry, .. } => Some(entry),
            HotspotAction::Link { .. } => None,
        }
    }

    /// The view flown to: a link's arrival, an info hotspot's close-up.
    pub fn view(&self) -> Option<&View> {
        match &self.action {
            HotspotAction::Link { view, .. } | HotspotAction::Info { view, .. } => view.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(v: Value) -> HotspotJson {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn link_and_info_are_placed_panorama_hotspots() {
        let l = Hotspot::link(20.0, -5.0, "trong")
            .with_id("to-drum")
            .with_label(LangText::plain("Trống"))
            .with_view(View::new(0.0, 10.0));
        assert_eq!(l.kind(), HotspotKind::Link);
        assert_eq!(
            (l.id.as_deref(), l.target()),
            (Some("to-drum"), Some("trong"))
        );
        assert_eq!((l.entry(), l.view()), (None, Some(&View::new(0.0, 10.0))));
        assert_eq!(
            l.placement,
            HotspotPlacement::Direction {
                yaw: 20.0,
                pitch: -5.0
            }
        );
        assert_eq!(
            serde_json::to_value(&l).ok(),
            Some(serde_json::json!({
                "id": "to-drum", "kind": "link", "label": {"und": "Trống"}, "yaw": 20.0,
                "pitch": -5.0, "target": "trong", "view": {"yaw": 0.0, "pitch": 10.0}
            }))
        );

        let i = Hotspot::info(-20.0, 0.0, "bia");
        assert_eq!(
            (i.kind(), i.entry(), i.target()),
            (HotspotKind::Info, Some("bia"), None)
        );
        assert!(i.label.is_empty() && i.placement.surface().is_none());

        let on = Hotspot::info(0.0, 0.0, "bia").on([0.0, 1.0, 0.0], [0.0, 2.0, 0.0]);
        assert_eq!(on.placement.scene_kind(), SceneKind::Object);
        assert_eq!(on.placement.surface(), Some((glam::Vec3::Y, glam::Vec3::Y)));
    }

    #[test]
    fn the_scene_kind_decides_the_placement_and_the_rest_round_trips() {
        // Both placements written: a panorama uses yaw/pitch and keeps position/normal, an
        // object the other way round; an entry on a link is kept too.
        let both = serde_json::json!({
            "kind": "link", "label": {}, "yaw": 10.0, "pitch": 5.0, "position": [1.0, 2.0, 3.0],
            "normal": [0.0, 0.0, 0.0], "target": "b", "entry": "e", "x-note": 1
        });
        let p = json(both.clone())
            .into_hotspot(SceneKind::Panorama)
            .unwrap();
        assert_eq!(
            p.placement,
            HotspotPlacement::Direction {
                yaw: 10.0,
                pitch: 5.0
            }
        );
        assert_eq!((p.target(), p.entry()), (Some("b"), None));
        assert_eq!(p.extra.len(), 4, "{:?}", p.extra);
        assert_eq!(serde_json::to_value(&p).ok(), Some(both.clone()));

        let o = json(both.clone()).into_hotspot(SceneKind::Object).unwrap();
        assert_eq!(
            o.placement.surface(),
            Some((glam::Vec3::new(1.0, 2.0, 3.0), glam::Vec3::Y)),
            "a zero normal means up"
        );
        assert_eq!(serde_json::to_value(&o).ok(), Some(both));
    }

    #[test]
    fn a_hotspot_missing_what_its_kind_needs_is_refused() {
        let h = json(serde_json::json!({"kind": "link", "position": [0, 0, 0]}));
        assert_eq!(
            h.clone().into_hotspot(SceneKind::Panorama).err(),
            Some(vec![
                "panorama hotspot needs \"yaw\" and \"pitch\"",
                "link hotspot needs a \"target\" scene"
            ])
        );
        assert_eq!(
            h.into_hotspot(SceneKind::Object).err(),
            Some(vec!["link hotspot needs a \"target\" scene"])
        );
        let i = json(serde_json::json!({"kind": "info", "yaw": 0, "pitch": 0, "target": "a"}));
        assert_eq!(
            i.into_hotspot(SceneKind::Panorama).err(),
            Some(vec!["info hotspot needs an \"entry\" (a catalog id)"])
        );
    }
}
