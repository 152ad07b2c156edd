//! Hotspots: the clickable points of a scene, what they do ([`HotspotKind`]) and where they
//! sit ([`HotspotPlacement`]).

use super::{SceneKind, View};
use crate::text::LangText;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
    /// A hotspot of `kind` and nothing else yet: no id, label, placement, target or entry.
    pub fn new(kind: HotspotKind) -> Hotspot {
        Hotspot {
            id: None,
            kind,
            label: LangText::default(),
            yaw: None,
            pitch: None,
            position: None,
            normal: None,
            target: None,
            view: None,
            entry: None,
            extra: Map::new(),
        }
    }

    /// A panorama hotspot at `yaw`, `pitch` (degrees) that goes to scene `target`.
    pub fn link(yaw: f32, pitch: f32, target: impl Into<String>) -> Hotspot {
        Hotspot {
            target: Some(target.into()),
            ..Hotspot::new(HotspotKind::Link).at(yaw, pitch)
        }
    }

    /// A panorama hotspot at `yaw`, `pitch` (degrees) that opens catalog entry `entry`.
    pub fn info(yaw: f32, pitch: f32, entry: impl Into<String>) -> Hotspot {
        Hotspot {
            entry: Some(entry.into()),
            ..Hotspot::new(HotspotKind::Info).at(yaw, pitch)
        }
    }

    /// Placed in a panorama: towards `yaw`, `pitch`, degrees.
    pub fn at(self, yaw: f32, pitch: f32) -> Hotspot {
        Hotspot {
            yaw: Some(yaw),
            pitch: Some(pitch),
            ..self
        }
    }

    /// Placed on a model: at `position`, facing `normal` (model space).
    pub fn on(self, position: [f32; 3], normal: [f32; 3]) -> Hotspot {
        Hotspot {
            position: Some(position),
            normal: Some(normal),
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
    pub fn with_view(self, view: View) -> Hotspot {
        Hotspot {
            view: Some(view),
            ..self
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_and_info_are_placed_panorama_hotspots() {
        let l = Hotspot::link(20.0, -5.0, "trong")
            .with_id("to-drum")
            .with_label(LangText::plain("Trống"))
            .with_view(View::new(0.0, 10.0));
        assert_eq!(l.kind, HotspotKind::Link);
        assert_eq!(
            (l.id.as_deref(), l.target.as_deref()),
            (Some("to-drum"), Some("trong"))
        );
        assert_eq!(l.entry, None);
        assert_eq!(
            l.placement(SceneKind::Panorama),
            Some(HotspotPlacement::Direction {
                yaw: 20.0,
                pitch: -5.0
            })
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
            (i.kind, i.entry.as_deref(), i.target.as_deref()),
            (HotspotKind::Info, Some("bia"), None)
        );
        assert!(i.label.is_empty() && i.placement(SceneKind::Object).is_none());

        let on = Hotspot::new(HotspotKind::Info).on([0.0, 1.0, 0.0], [0.0, 2.0, 0.0]);
        assert_eq!((on.yaw, on.pitch), (None, None));
        assert_eq!(
            on.placement(SceneKind::Object),
            Some(HotspotPlacement::Surface {
                position: glam::Vec3::Y,
                normal: glam::Vec3::Y
            })
        );
    }
}
