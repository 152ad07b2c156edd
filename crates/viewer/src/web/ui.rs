//! What the page lays out: the visit's events, the hotspots and their overlay positions, edge
//! arrows and compass, the catalog card, the scene list, the scene's error and the view.

use super::js::{event, kind_name, object, opt_str, tour_path};
use super::Engine;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Engine {
    /// What happened since the last call: `{type: "scenechange", scene}`, `{type: "hotspotclick",
    /// scene, index, hotspot, kind, target, entry}`, `{type: "cardopen", entry}`, `{type: "cardclose"}`,
    /// `{type: "language", lang}`, `{type: "error", message}`.
    pub fn take_events(&mut self) -> js_sys::Array {
        let out = js_sys::Array::new();
        let Some(app) = &mut self.app else {
            return out;
        };
        for e in app.visit.take_events() {
            out.push(&event(e));
        }
        out
    }

    /// The hotspots of the scene on screen, in the visit's language (they change only with the
    /// scene or the language): `[{index, id, kind, label, action, target, entry}]`.
    pub fn hotspots(&self) -> js_sys::Array {
        let out = js_sys::Array::new();
        let Some(app) = &self.app else {
            return out;
        };
        let hs = app.visit.hotspots();
        for l in app.visit.hotspot_labels() {
            let h = &hs[l.index];
            out.push(&object(&[
                ("index", JsValue::from_f64(l.index as f64)),
                ("id", opt_str(l.id.as_deref())),
                ("kind", kind_name(l.kind).into()),
                ("label", JsValue::from_str(&l.label)),
                ("action", JsValue::from_str(&l.action)),
                ("target", opt_str(h.target())),
                ("entry", opt_str(h.entry())),
            ]));
        }
        out
    }

    /// Where the hotspots are this frame: `[x, y, flags]` per hotspot, in CSS pixels; flags:
    /// 1 on screen, 2 hidden behind the object, 4 under the pointer.
    pub fn overlay(&self) -> Vec<f32> {
        let Some(app) = &self.app else {
            return Vec::new();
        };
        let hovered = app.visit.hovered();
        app.visit
            .overlay()
            .iter()
            .flat_map(|o| {
                let flags = u8::from(o.visible)
                    | (u8::from(o.hidden) << 1)
                    | (u8::from(hovered == Some(o.index)) << 2);
                [o.position.x, o.position.y, flags as f32]
            })
            .collect()
    }

    /// Arrows towards the hotspots outside the view: `[index, x, y, angle]` per arrow (logical
    /// pixels; radians on screen, 0 right, π/2 down), nearest first.
    pub fn edge_arrows(&self) -> Vec<f32> {
        let Some(app) = &self.app else {
            return Vec::new();
        };
        app.visit
            .edge_arrows()
            .iter()
            .flat_map(|a| [a.index as f32, a.position.x, a.position.y, a.angle])
            .collect()
    }

    /// For screen readers: the hotspots outside the view and where they are.
    pub fn offscreen_summary(&self) -> String {
        self.app
            .as_ref()
            .map(|a| a.visit.offscreen_summary())
            .unwrap_or_default()
    }

    /// Panoramas: the view's compass bearing, degrees clockwise from north; undefined on objects.
    pub fn heading(&self) -> Option<f32> {
        self.app.as_ref().and_then(|a| a.visit.heading())
    }

    /// The open catalog card in the visit's language, or null: `{entry, title, description,
    /// fields: [{name, label, value}], images: [{src, alt, caption}], media: [{kind: "video" |
    /// "audio", src, poster | null, caption, transcript, captions: [{lang, src, default}]}]}`.
    /// Media paths are inside the tour folder (a path that is not is left out).
    pub fn card(&self) -> JsValue {
        let Some(card) = self.app.as_ref().and_then(|a| a.visit.card()) else {
            return JsValue::NULL;
        };
        let fields = js_sys::Array::new();
        for f in &card.fields {
            fields.push(&object(&[
                ("name", f.name.into()),
                ("label", f.label.into()),
                ("value", JsValue::from_str(&f.value)),
            ]));
        }
        let images = js_sys::Array::new();
        for i in &card.images {
            // Photos in the tour folder (or on the web, or data: URIs), never above it.
            let web = disan_assets::path::is_web_url(&i.src) || i.src.starts_with("data:");
            let src = if web {
                i.src.clone()
            } else {
                match disan_assets::path::normalize(&i.src) {
                    Ok(p) => p,
                    Err(_) => continue,
                }
            };
            images.push(&object(&[
                ("src", JsValue::from_str(&src)),
                ("alt", JsValue::from_str(&i.alt)),
                ("caption", JsValue::from_str(&i.caption)),
            ]));
        }
        let inside = |p: &str| super::js::inside_tour(p).ok();
        let media = js_sys::Array::new();
        for m in &card.media {
            let Some(src) = inside(&m.src) else { continue };
            let captions = js_sys::Array::new();
            for c in &m.captions {
                if let Some(src) = inside(&c.src) {
                    captions.push(&object(&[
                        ("lang", JsValue::from_str(&c.lang)),
                        ("src", JsValue::from_str(&src)),
                        ("default", c.default.into()),
                    ]));
                }
            }
            let kind = match m.kind {
                disan_tour::model::MediaKind::Video => "video",
                disan_tour::model::MediaKind::Audio => "audio",
            };
            media.push(&object(&[
                ("kind", kind.into()),
                ("src", JsValue::from_str(&src)),
                (
                    "poster",
                    m.poster
                        .as_deref()
                        .and_then(inside)
                        .map_or(JsValue::NULL, |p| JsValue::from_str(&p)),
                ),
                ("caption", JsValue::from_str(&m.caption)),
                ("transcript", JsValue::from_str(&m.transcript)),
                ("captions", captions.into()),
            ]));
        }
        object(&[
            ("entry", JsValue::from_str(&card.entry)),
            ("title", JsValue::from_str(&card.title)),
            ("description", JsValue::from_str(&card.description)),
            ("fields", fields.into()),
            ("images", images.into()),
            ("media", media.into()),
        ])
    }

    /// The error shown in the scene on screen (its content failed), in the visit's language.
    pub fn scene_error(&self) -> Option<String> {
        self.app.as_ref().and_then(|a| a.visit.scene_error())
    }

    /// Id of the scene the tour starts at (where "back to the start" goes).
    pub fn start_scene(&self) -> Option<String> {
        let a = self.app.as_ref()?;
        a.visit.tour().start().map(|s| s.id.clone())
    }

    /// The technical account of `scene_error()`: the file and what its reader found.
    pub fn scene_error_detail(&self) -> Option<String> {
        let a = self.app.as_ref()?;
        a.visit.scene_error_detail().map(str::to_string)
    }

    /// Id of the scene on screen, or null.
    pub fn current_scene(&self) -> Option<String> {
        self.app
            .as_ref()
            .and_then(|a| a.visit.current())
            .map(str::to_string)
    }

    /// The scenes for a scene list: `[{id, title, kind, thumbnail}]` in the visit's language
    /// (`thumbnail`: a path in the tour folder, or null).
    pub fn scenes(&self) -> js_sys::Array {
        let out = js_sys::Array::new();
        if let Some(app) = &self.app {
            let lang = app.visit.language();
            for s in &app.visit.tour().scenes {
                let kind = match s.kind() {
                    disan_tour::SceneKind::Panorama => "panorama",
                    disan_tour::SceneKind::Object => "object",
                };
                let thumb = tour_path(s.thumbnail.as_deref());
                out.push(&object(&[
                    ("id", JsValue::from_str(&s.id)),
                    ("title", JsValue::from_str(s.title.get(lang))),
                    ("kind", kind.into()),
                    ("thumbnail", thumb),
                ]));
            }
        }
        out
    }

    /// Where a hotspot clicked at (`x`, `y`) (CSS pixels in the view) would sit: `{yaw,
    /// pitch}` in a panorama, `{position: [x, y, z], normal: [x, y, z]}` on an object (null
    /// when the click misses the model). The studio places hotspots with it.
    pub fn point_at(&self, x: f32, y: f32) -> JsValue {
        use disan_tour::model::HotspotPlacement;
        let Some(p) = self
            .app
            .as_ref()
            .and_then(|a| a.visit.point_at(glam::Vec2::new(x, y)))
        else {
            return JsValue::NULL;
        };
        let triple = |v: [f32; 3]| {
            let a = js_sys::Array::new();
            for c in v {
                a.push(&JsValue::from_f64(c as f64));
            }
            JsValue::from(a)
        };
        match p {
            HotspotPlacement::Direction { yaw, pitch } => object(&[
                ("yaw", JsValue::from_f64(yaw as f64)),
                ("pitch", JsValue::from_f64(pitch as f64)),
            ]),
            HotspotPlacement::Surface { position, normal } => object(&[
                ("position", triple(position)),
                ("normal", triple(normal.unwrap_or([0.0, 1.0, 0.0]))),
            ]),
        }
    }

    /// The current view: `{yaw, pitch, fov?, distance?}`, or null.
    pub fn view(&self) -> JsValue {
        let Some(v) = self.app.as_ref().and_then(|a| a.visit.view()) else {
            return JsValue::NULL;
        };
        let mut pairs = vec![
            ("yaw", JsValue::from_f64(v.yaw as f64)),
            ("pitch", JsValue::from_f64(v.pitch as f64)),
        ];
        if let Some(f) = v.fov {
            pairs.push(("fov", JsValue::from_f64(f as f64)));
        }
        if let Some(d) = v.distance {
            pairs.push(("distance", JsValue::from_f64(d as f64)));
        }
        object(&pairs)
    }

    /// Turns the view of the scene on screen (any of yaw, pitch, fov, distance given; the rest
    /// kept), flying there when `animate`. False when no scene is on screen.
    pub fn set_view(
        &mut self,
        yaw: Option<f32>,
        pitch: Option<f32>,
        fov: Option<f32>,
        distance: Option<f32>,
        animate: bool,
    ) -> bool {
        let Some(app) = &mut self.app else {
            return false;
        };
        let Some(mut v) = app.visit.view() else {
            return false;
        };
        v.yaw = yaw.filter(|x| x.is_finite()).unwrap_or(v.yaw);
        v.pitch = pitch.filter(|x| x.is_finite()).unwrap_or(v.pitch);
        v.fov = fov.filter(|x| x.is_finite()).or(v.fov);
        v.distance = distance.filter(|x| x.is_finite()).or(v.distance);
        app.visit.set_view(&v, animate)
    }
}
