//! The overlay model of a visit: where each hotspot is on screen and whether it is hidden,
//! picking, what activating a hotspot does, hotspot labels and the catalog card, all in the
//! visit's language. The shells only lay these out (egui natively, DOM buttons on the web).

use super::{Action, Event, Visit, MARKER_RADIUS};
use crate::camera::{direction_from_yaw_pitch, Projection};
use crate::input::Camera;
use crate::model::{Hotspot, HotspotAction, HotspotKind, HotspotPlacement, SceneKind};
use crate::picking::{pick_direction, pick_surface};
use crate::ui_text;
use glam::{Vec2, Vec3};

/// Where a hotspot sits, as the overlay computes with it: a direction, or a model-space point
/// and its unit normal.
#[derive(Debug, Clone, Copy)]
pub(super) enum Spot {
    Direction { yaw: f32, pitch: f32 },
    Surface { position: Vec3, normal: Vec3 },
}

impl Spot {
    pub(super) fn of(h: &Hotspot) -> Spot {
        match h.placement {
            HotspotPlacement::Direction { yaw, pitch } => Spot::Direction { yaw, pitch },
            HotspotPlacement::Surface { position, normal } => Spot::Surface {
                position: Vec3::from(position),
                normal: HotspotPlacement::unit_normal(normal),
            },
        }
    }
}

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

/// A hotspot outside the view: an arrow at the edge of the view pointing towards it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeArrow {
    /// Index in the scene's hotspots.
    pub index: usize,
    /// Where the arrow sits, inside the view's edge (logical pixels).
    pub position: Vec2,
    /// Direction it points, radians on screen: 0 right, π/2 down.
    pub angle: f32,
    /// The side it sits on: `"left"`, `"right"`, `"top"` or `"bottom"`.
    pub side: &'static str,
}

/// Inset of edge arrows from the view's border (logical pixels).
const EDGE_INSET: f32 = 30.0;

/// Least distance between two edge arrows' centres (logical pixels): arrows of hotspots that
/// lie the same way are spread along the edge rather than drawn on top of each other.
pub const EDGE_SPACING: f32 = 48.0;

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

/// Captions of a card's recording in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct CardCaptions {
    /// Language code (`vi`).
    pub lang: String,
    /// WebVTT file relative to the tour folder.
    pub src: String,
    /// True for the visit's language (or the first, when the visit's has none): shown at start.
    pub default: bool,
}

/// A video or audio recording of a catalog record.
#[derive(Debug, Clone, PartialEq)]
pub struct CardMedia {
    /// `video` or `audio`.
    pub kind: crate::model::MediaKind,
    /// File relative to the tour folder.
    pub src: String,
    /// Image shown before a video plays.
    pub poster: Option<String>,
    /// Caption and credit (also the player's accessible name, with the record's title).
    pub caption: String,
    /// Captions per language, the visit's language first.
    pub captions: Vec<CardCaptions>,
    /// Transcript in the visit's language (empty: none).
    pub transcript: String,
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
    /// Video and audio recordings.
    pub media: Vec<CardMedia>,
}

/// A caption and a credit joined as a card shows them (`Caption — Credit`).
fn caption_line(caption: &str, credit: Option<&str>) -> String {
    [caption, credit.unwrap_or("")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" — ")
}

impl CardMedia {
    /// Recording `m` of a record, in `lang`.
    pub fn of(m: &crate::model::CatalogMedia, lang: &str) -> CardMedia {
        let mut captions: Vec<CardCaptions> = m
            .captions
            .iter()
            .map(|(l, src)| CardCaptions {
                lang: l.clone(),
                src: src.clone(),
                default: false,
            })
            .collect();
        // The visit's language first and shown; else the first written.
        if let Some(i) = captions.iter().position(|c| c.lang == lang) {
            let c = captions.remove(i);
            captions.insert(0, c);
        }
        if let Some(c) = captions.first_mut() {
            c.default = true;
        }
        let caption = m.caption.as_ref().map(|c| c.get(lang)).unwrap_or("");
        CardMedia {
            kind: m.kind(),
            src: m.src.clone(),
            poster: m.poster.clone(),
            caption: caption_line(caption, m.credit.as_deref()),
            captions,
            transcript: m
                .transcript
                .as_ref()
                .map(|t| t.get(lang).to_string())
                .unwrap_or_default(),
        }
    }
}

impl Card {
    /// The card of catalog record `e` in `lang` (what the viewer shows, and the published
    /// site's pages of its records).
    pub fn of(e: &crate::model::CatalogEntry, lang: &str) -> Card {
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
                let joined = caption_line(caption, img.credit.as_deref());
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
        let media = e.media.iter().map(|m| CardMedia::of(m, lang)).collect();
        Card {
            entry: e.id.clone(),
            title,
            description: e.description.get(lang).to_string(),
            fields,
            images,
            media,
        }
    }
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

    /// Where a hotspot placed at `placement` lands on screen, if in front of the camera, and
    /// whether that is in the view (a marker's margin included).
    fn screen_position(&self, p: &Projection, placement: Spot) -> (Option<Vec2>, bool) {
        let margin = 40.0;
        let size = self.size;
        let pos = match placement {
            Spot::Direction { yaw, pitch } => {
                p.project_direction(direction_from_yaw_pitch(yaw, pitch))
            }
            Spot::Surface { position, .. } => p.project(position).map(|(v, _)| v),
        };
        let visible = pos.is_some_and(|v| {
            v.x >= -margin && v.y >= -margin && v.x <= size.x + margin && v.y <= size.y + margin
        });
        (pos, visible)
    }

    /// Where each hotspot of the scene on screen is, and whether the object hides it.
    pub fn overlay(&self) -> Vec<OverlayItem> {
        let (Some(shown), Some(scene)) = (self.shown.as_ref(), self.scene_shown()) else {
            return Vec::new();
        };
        let p = self.projection();
        let far = Vec2::splat(-1e4);
        scene
            .hotspots
            .iter()
            .enumerate()
            .map(|(index, h)| {
                let placement = Spot::of(h);
                let (pos, visible) = self.screen_position(&p, placement);
                let hidden = match placement {
                    Spot::Surface { position, normal } => {
                        shown.model.as_ref().is_some_and(|(mesh, b)| {
                            // Lifted off the surface a little so the face it sits on does not
                            // hide it.
                            let lifted = position + normal * b.radius() * 0.004;
                            mesh.occludes(p.eye, lifted, b.radius())
                        })
                    }
                    Spot::Direction { .. } => false,
                };
                OverlayItem {
                    index,
                    position: pos.unwrap_or(far),
                    visible,
                    hidden,
                }
            })
            .collect()
    }

    /// Arrows at the edge of the view towards the hotspots outside it (panoramas, and points of
    /// an object out of the frame), nearest the view's centre first.
    pub fn edge_arrows(&self) -> Vec<EdgeArrow> {
        let Some(scene) = self.scene_shown() else {
            return Vec::new();
        };
        let p = self.projection();
        let size = self.size;
        let centre = size * 0.5;
        let mut out: Vec<(f32, EdgeArrow)> = Vec::new();
        // Only where each hotspot lands: no occlusion test, unlike `overlay`.
        for (index, h) in scene.hotspots.iter().enumerate() {
            let placement = Spot::of(h);
            if self.screen_position(&p, placement).1 {
                continue;
            }
            // The hotspot in camera space: x right, y up, z towards the viewer.
            let v = match placement {
                Spot::Direction { yaw, pitch } => p
                    .view
                    .transform_vector3(direction_from_yaw_pitch(yaw, pitch)),
                Spot::Surface { position, .. } => p.view.transform_point3(position),
            };
            // Behind the visitor: left or right, the shorter way round (a turn, not a look up).
            let mut d = if v.z > 0.0 {
                Vec2::new(if v.x < 0.0 { -1.0 } else { 1.0 }, 0.0)
            } else {
                Vec2::new(v.x, -v.y)
            };
            if d.length() < 1e-4 {
                d = Vec2::X;
            }
            let d = d.normalize();
            // Along d from the centre to the inset rectangle.
            let half = (centre - Vec2::splat(EDGE_INSET)).max(Vec2::splat(1.0));
            let tx = if d.x.abs() > 1e-6 {
                half.x / d.x.abs()
            } else {
                f32::INFINITY
            };
            let ty = if d.y.abs() > 1e-6 {
                half.y / d.y.abs()
            } else {
                f32::INFINITY
            };
            let position = centre + d * tx.min(ty);
            let side = if tx <= ty {
                if d.x < 0.0 {
                    "left"
                } else {
                    "right"
                }
            } else if d.y < 0.0 {
                "top"
            } else {
                "bottom"
            };
            // How far round the visitor must turn: the angle off the view axis.
            let off = v
                .normalize_or_zero()
                .dot(Vec3::NEG_Z)
                .clamp(-1.0, 1.0)
                .acos();
            out.push((
                off,
                EdgeArrow {
                    index,
                    position,
                    angle: d.y.atan2(d.x),
                    side,
                },
            ));
        }
        out.sort_by(|a, b| a.0.total_cmp(&b.0));
        // The nearest keeps its place; each other one moves along its edge to the nearest free
        // slot (alternately one way and the other), staying inside the inset rectangle.
        let (lo, hi) = (
            Vec2::splat(EDGE_INSET),
            (size - Vec2::splat(EDGE_INSET)).max(Vec2::splat(EDGE_INSET)),
        );
        let mut placed: Vec<Vec2> = Vec::with_capacity(out.len());
        for (_, a) in &mut out {
            let along = if matches!(a.side, "left" | "right") {
                Vec2::Y
            } else {
                Vec2::X
            };
            let free = |p: Vec2| placed.iter().all(|q| q.distance(p) >= EDGE_SPACING - 0.5);
            let mut spot = a.position;
            for k in 0..(2 * placed.len() + 1) {
                let n = k.div_ceil(2) as f32;
                let sign = if k % 2 == 1 { 1.0 } else { -1.0 };
                let p = (a.position + along * (sign * n * EDGE_SPACING)).clamp(lo, hi);
                if free(p) {
                    spot = p;
                    break;
                }
            }
            a.position = spot;
            placed.push(spot);
        }
        out.into_iter().map(|x| x.1).collect()
    }

    /// For screen readers: the hotspots outside the view and where they are ("Bia đá, to the
    /// left; …"), in the visit's language; empty when every hotspot is in view.
    pub fn offscreen_summary(&self) -> String {
        let labels = self.hotspot_labels();
        let arrows = self.edge_arrows();
        if arrows.is_empty() {
            return String::new();
        }
        let items: Vec<String> = arrows
            .iter()
            .filter_map(|a| {
                let l = labels.get(a.index)?;
                Some(format!(
                    "{}, {}",
                    l.label,
                    ui_text::text(&self.lang, &format!("side.{}", a.side))
                ))
            })
            .collect();
        format!(
            "{} {}",
            ui_text::text(&self.lang, "offscreen"),
            items.join("; ")
        )
    }

    /// Turns the view towards hotspot `i` (an edge arrow pressed): a panorama centres it, an
    /// object turns to face it. False when there is no such hotspot.
    pub fn look_at_hotspot(&mut self, i: usize) -> bool {
        let Some(scene) = self.scene_shown() else {
            return false;
        };
        let Some(placement) = scene.hotspots.get(i).map(Spot::of) else {
            return false;
        };
        let Some(mut view) = self.view() else {
            return false;
        };
        match placement {
            Spot::Direction { yaw, pitch } => {
                view.yaw = yaw;
                view.pitch = pitch;
            }
            Spot::Surface { position, normal } => {
                // The eye on the side the surface faces, looking at the model's centre.
                let target = view.target.map(Vec3::from).unwrap_or(Vec3::ZERO);
                let out = (position - target).normalize_or(normal) * 0.5 + normal * 0.5;
                // The orbit's eye sits at (sin yaw · cos pitch, sin pitch, cos yaw · cos pitch).
                let e = out.normalize_or(normal);
                view.yaw = e.x.atan2(e.z).to_degrees();
                view.pitch = e.y.clamp(-1.0, 1.0).asin().to_degrees().clamp(-85.0, 85.0);
            }
        }
        self.set_view(&view, true)
    }

    /// Markers to draw (logical pixels): visible hotspots, the hidden ones as such.
    pub fn markers(&self) -> Vec<MarkerView> {
        let hs = self.hotspots();
        self.overlay()
            .into_iter()
            .filter(|o| o.visible)
            .map(|o| MarkerView {
                position: o.position,
                link: hs[o.index].kind() == HotspotKind::Link,
                hidden: o.hidden,
                highlighted: self.hovered == Some(o.index)
                    || (self.card.is_some() && self.card.as_deref() == hs[o.index].entry()),
            })
            .collect()
    }

    /// Where a hotspot clicked at logical pixel `at` would sit: in a panorama the direction
    /// there, on an object the surface point and its normal (through the model's triangles,
    /// as picking sees them). `None` when the click misses the model, or nothing is on screen.
    pub fn point_at(&self, at: Vec2) -> Option<HotspotPlacement> {
        let shown = self.shown.as_ref()?;
        let ray = self.projection().ray(at);
        match self.scene_shown()?.kind() {
            SceneKind::Panorama => {
                let (yaw, pitch) = crate::camera::yaw_pitch_from_direction(ray.dir);
                Some(HotspotPlacement::Direction { yaw, pitch })
            }
            SceneKind::Object => {
                let (mesh, _) = shown.model.as_ref()?;
                let (t, n) = mesh.raycast_hit(&ray)?;
                let p = ray.origin + ray.dir * t;
                Some(HotspotPlacement::Surface {
                    position: p.to_array(),
                    normal: Some(n.to_array()),
                })
            }
        }
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
                    .filter_map(|(i, h)| match Spot::of(h) {
                        Spot::Direction { yaw, pitch } => {
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
                    .filter_map(|(i, h)| match Spot::of(h) {
                        Spot::Surface { position, normal } => {
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
            kind: h.kind(),
            target: h.target().map(str::to_string),
            entry: h.entry().map(str::to_string),
        });
        match h.action {
            HotspotAction::Link { target, view } => {
                if let Err(e) = self.go(&target, view) {
                    self.visit_error(&e);
                    return None;
                }
                Some(Action::Go {
                    scene: target,
                    hotspot: i,
                })
            }
            HotspotAction::Info { entry, view } => {
                let opened = self.open_card(&entry);
                // A close-up: the hotspot's own view, else the record's view of this scene.
                let view = view.or_else(|| {
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
            let message = ui_text::text(&self.lang, "no_entry").to_string();
            self.error(message, &format!("catalog: no entry \"{entry}\""));
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
        Some(Card::of(e, &self.lang))
    }

    /// The labels of the scene's hotspots in the visit's language.
    pub fn hotspot_labels(&self) -> Vec<HotspotLabel> {
        let lang = self.lang.as_str();
        self.hotspots()
            .iter()
            .enumerate()
            .map(|(index, h)| {
                let action = match &h.action {
                    HotspotAction::Link { target, .. } => {
                        let title = self
                            .tour
                            .scene(target)
                            .map(|s| s.title.get(lang))
                            .filter(|t| !t.is_empty())
                            .unwrap_or(target);
                        format!("{} {title}", ui_text::text(lang, "go"))
                    }
                    HotspotAction::Info { .. } => ui_text::text(lang, "info").to_string(),
                };
                HotspotLabel {
                    index,
                    id: h.id.clone(),
                    kind: h.kind(),
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
