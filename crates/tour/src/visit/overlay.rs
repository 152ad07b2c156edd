//! The overlay model of a visit: where each hotspot is on screen and whether it is hidden,
//! picking, what activating a hotspot does, hotspot labels and the catalog card, all in the
//! visit's language. The shells only lay these out (egui natively, DOM buttons on the web).

use super::{Action, Event, Visit, MARKER_RADIUS};
use crate::camera::direction_from_yaw_pitch;
use crate::input::Camera;
use crate::model::{HotspotKind, HotspotPlacement, SceneKind};
use crate::picking::{pick_direction, pick_surface};
use crate::ui_text;
use glam::{Vec2, Vec3};

/// A hotspot as placed on screen this frame (logical pixels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OverlayItem {
    /// Index in the scene's hotspots.
    pub index: usize,
    /// Screen position.
    pub position: Vec2,
    /// On screen and in front of the camera.
    pub visible: bool,
    /// Behind the object: drawn as a dashed ring, takes no clicks.
    pub hidden: bool,
}

/// A marker to draw (logical pixels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarkerView {
    /// Screen position.
    pub position: Vec2,
    /// A link (else an info hotspot).
    pub link: bool,
    /// Behind the object.
    pub hidden: bool,
    /// Under the pointer or its card is open.
    pub highlighted: bool,
}

/// The texts of a hotspot in the visit's language (they change only with the scene or language).
#[derive(Debug, Clone, PartialEq)]
pub struct HotspotLabel {
    /// Index in the scene's hotspots.
    pub index: usize,
    /// Its id, if any.
    pub id: Option<String>,
    /// `link` or `info`.
    pub kind: HotspotKind,
    /// The label shown beside the marker.
    pub label: String,
    /// What it does, for screen readers: "Go to <scene title>" or "Open the record".
    pub action: String,
}

/// A catalog field as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct CardField {
    /// Field name (`period`).
    pub name: &'static str,
    /// Its label in the visit's language.
    pub label: &'static str,
    /// Its value in the visit's language.
    pub value: String,
}

/// An image of a catalog record.
#[derive(Debug, Clone, PartialEq)]
pub struct CardImage {
    /// Path relative to the tour folder, a `data:` or an `https:` URL.
    pub src: String,
    /// Alternative text.
    pub alt: String,
    /// Caption and credit.
    pub caption: String,
}

/// The open catalog card, in the visit's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// Catalog entry id.
    pub entry: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Fields in display order (inventory number first).
    pub fields: Vec<CardField>,
    /// Images.
    pub images: Vec<CardImage>,
}

impl Visit {
    fn scene_shown(&self) -> Option<&crate::model::Scene> {
        self.shown.as_ref().map(|s| &self.tour.scenes[s.scene])
    }

    /// Hotspots of the scene on screen.
    pub fn hotspots(&self) -> &[crate::model::Hotspot] {
        self.scene_shown()
            .map(|s| s.hotspots.as_slice())
            .unwrap_or(&[])
    }

    /// Where each hotspot of the scene on screen is, and whether the object hides it.
    pub fn overlay(&self) -> Vec<OverlayItem> {
        let (Some(shown), Some(scene)) = (self.shown.as_ref(), self.scene_shown()) else {
            return Vec::new();
        };
        let p = self.projection();
        let margin = 40.0;
        let size = self.size;
        let on_screen = |v: Vec2| {
            v.x >= -margin && v.y >= -margin && v.x <= size.x + margin && v.y <= size.y + margin
        };
        let far = Vec2::splat(-1e4);
        scene
            .hotspots
            .iter()
            .enumerate()
            .map(|(index, h)| match h.placement(scene.kind()) {
                Some(HotspotPlacement::Direction { yaw, pitch }) => {
                    let pos = p.project_direction(direction_from_yaw_pitch(yaw, pitch));
                    OverlayItem {
                        index,
                        position: pos.unwrap_or(far),
                        visible: pos.is_some_and(on_screen),
                        hidden: false,
                    }
                }
                Some(HotspotPlacement::Surface { position, normal }) => {
                    let pos = p.project(position).map(|(v, _)| v);
                    let hidden = shown.model.as_ref().is_some_and(|(mesh, b)| {
                        // Lifted off the surface a little so the face it sits on does not hide it.
                        let lifted = position + normal * b.radius() * 0.004;
                        mesh.occludes(p.eye, lifted, b.radius())
                    });
                    OverlayItem {
                        index,
                        position: pos.unwrap_or(far),
                        visible: pos.is_some_and(on_screen),
                        hidden,
                    }
                }
                None => OverlayItem {
                    index,
                    position: far,
                    visible: false,
                    hidden: false,
                },
            })
            .collect()
    }

    /// Markers to draw (logical pixels): visible hotspots, the hidden ones as such.
    pub fn markers(&self) -> Vec<MarkerView> {
        let hs = self.hotspots();
        self.overlay()
            .into_iter()
            .filter(|o| o.visible)
            .map(|o| MarkerView {
                position: o.position,
                link: hs[o.index].kind == HotspotKind::Link,
                hidden: o.hidden,
                highlighted: self.hovered == Some(o.index)
                    || (self.card.is_some() && self.card == hs[o.index].entry),
            })
            .collect()
    }

    /// The hotspot under a logical pixel. A hotspot hidden behind the object is never picked,
    /// so it cannot take a click meant for a visible one.
    pub fn pick(&self, at: Vec2) -> Option<usize> {
        let shown = self.shown.as_ref()?;
        let scene = self.scene_shown()?;
        let p = self.projection();
        let radius = MARKER_RADIUS + 6.0;
        match scene.kind() {
            SceneKind::Panorama => {
                let ray = p.ray(at);
                let dirs: Vec<(usize, Vec3)> = scene
                    .hotspots
                    .iter()
                    .enumerate()
                    .filter_map(|(i, h)| match h.placement(SceneKind::Panorama) {
                        Some(HotspotPlacement::Direction { yaw, pitch }) => {
                            Some((i, direction_from_yaw_pitch(yaw, pitch)))
                        }
                        _ => None,
                    })
                    .collect();
                let fov = match shown.nav.camera {
                    Camera::Pano(c) => c.fov,
                    Camera::Orbit(_) => 75.0,
                };
                let max_angle = radius * fov / self.size.y;
                let only: Vec<Vec3> = dirs.iter().map(|d| d.1).collect();
                pick_direction(ray.dir, &only, max_angle).map(|k| dirs[k].0)
            }
            SceneKind::Object => {
                let pts: Vec<(usize, Vec3)> = scene
                    .hotspots
                    .iter()
                    .enumerate()
                    .filter_map(|(i, h)| match h.placement(SceneKind::Object) {
                        Some(HotspotPlacement::Surface { position, normal }) => {
                            let lift = shown.model.as_ref().map_or(0.0, |m| m.1.radius() * 0.004);
                            Some((i, position + normal * lift))
                        }
                        _ => None,
                    })
                    .collect();
                let only: Vec<Vec3> = pts.iter().map(|d| d.1).collect();
                let empty = crate::picking::TriangleMesh::default();
                let (mesh, scale) = match &shown.model {
                    Some((m, b)) => (m, b.radius()),
                    None => (&empty, 1.0),
                };
                pick_surface(&p, at, &only, mesh, scale, radius).map(|k| pts[k].0)
            }
        }
    }

    /// Activates hotspot `i` of the scene on screen (click, tap, keyboard): a link goes to its
    /// scene (at its view), an info hotspot opens its catalog card. A hotspot hidden behind the
    /// object does nothing.
    pub fn activate(&mut self, i: usize) -> Option<Action> {
        let scene_id = self.current()?.to_string();
        let h = self.hotspots().get(i)?.clone();
        if self.overlay().get(i).is_some_and(|o| o.hidden) {
            return None;
        }
        self.events.push(Event::HotspotActivated {
            scene: scene_id.clone(),
            index: i,
            id: h.id.clone(),
            kind: h.kind,
            target: h.target.clone(),
            entry: h.entry.clone(),
        });
        match h.kind {
            HotspotKind::Link => {
                let target = h.target?;
                if let Err(e) = self.go(&target, h.view) {
                    self.events.push(Event::Error {
                        message: e.to_string(),
                    });
                    return None;
                }
                Some(Action::Go {
                    scene: target,
                    hotspot: i,
                })
            }
            HotspotKind::Info => {
                let entry = h.entry?;
                let opened = self.open_card(&entry);
                // A close-up: the hotspot's own view, else the record's view of this scene.
                let view = h.view.or_else(|| {
                    let e = self.tour.entry(&entry)?;
                    let here = e.scene.as_deref().is_none_or(|s| s == scene_id);
                    e.view.filter(|_| here)
                });
                if let (true, Some(v)) = (opened, view) {
                    self.set_view(&v, true);
                }
                opened.then_some(Action::Open { entry, hotspot: i })
            }
        }
    }

    /// Opens the catalog card of `entry`; false (and an error event) when there is no such entry.
    pub fn open_card(&mut self, entry: &str) -> bool {
        if self.tour.entry(entry).is_none() {
            self.events.push(Event::Error {
                message: format!("catalog: no entry \"{entry}\""),
            });
            return false;
        }
        self.card = Some(entry.to_string());
        self.events.push(Event::CardOpened {
            entry: entry.to_string(),
        });
        self.dirty = true;
        true
    }

    /// Closes the card, if one is open.
    pub fn close_card(&mut self) {
        if self.card.take().is_some() {
            self.events.push(Event::CardClosed);
            self.dirty = true;
        }
    }

    /// The open card, in the visit's language.
    pub fn card(&self) -> Option<Card> {
        let e = self.tour.entry(self.card.as_deref()?)?;
        let lang = self.lang.as_str();
        let mut fields = Vec::new();
        if let Some(n) = &e.inventory_number {
            fields.push(CardField {
                name: "inventory_number",
                label: ui_text::field_label("inventory_number", lang),
                value: n.clone(),
            });
        }
        for (name, value) in e.fields() {
            let value = value.get(lang).to_string();
            if !value.is_empty() {
                fields.push(CardField {
                    name,
                    label: ui_text::field_label(name, lang),
                    value,
                });
            }
        }
        let title = e.title.get(lang).to_string();
        let images = e
            .images
            .iter()
            .map(|img| {
                let caption = img.caption.as_ref().map(|c| c.get(lang)).unwrap_or("");
                let joined = [caption, img.credit.as_deref().unwrap_or("")]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" — ");
                CardImage {
                    src: img.src.clone(),
                    alt: if caption.is_empty() {
                        title.clone()
                    } else {
                        caption.to_string()
                    },
                    caption: joined,
                }
            })
            .collect();
        Some(Card {
            entry: e.id.clone(),
            title,
            description: e.description.get(lang).to_string(),
            fields,
            images,
        })
    }

    /// The labels of the scene's hotspots in the visit's language.
    pub fn hotspot_labels(&self) -> Vec<HotspotLabel> {
        let lang = self.lang.as_str();
        self.hotspots()
            .iter()
            .enumerate()
            .map(|(index, h)| {
                let action = match h.kind {
                    HotspotKind::Link => {
                        let target = h.target.as_deref().unwrap_or("");
                        let title = self
                            .tour
                            .scene(target)
                            .map(|s| s.title.get(lang))
                            .filter(|t| !t.is_empty())
                            .unwrap_or(target);
                        format!("{} {title}", ui_text::text(lang, "go"))
                    }
                    HotspotKind::Info => ui_text::text(lang, "info").to_string(),
                };
                HotspotLabel {
                    index,
                    id: h.id.clone(),
                    kind: h.kind,
                    label: h.label.get(lang).to_string(),
                    action,
                }
            })
            .collect()
    }

    /// Title of the scene on screen, in the visit's language.
    pub fn scene_title(&self) -> String {
        self.scene_shown()
            .map(|s| s.title.get(&self.lang).to_string())
            .unwrap_or_default()
    }

    /// Title of the tour, in the visit's language.
    pub fn tour_title(&self) -> String {
        self.tour.title.get(&self.lang).to_string()
    }

    /// The hotspot under the pointer.
    pub fn hovered(&self) -> Option<usize> {
        self.hovered
    }

    /// The catalog entry whose card is open.
    pub fn open_entry(&self) -> Option<&str> {
        self.card.as_deref()
    }
}
