//! The web shell's engine: a wasm-bindgen `Engine` class driven by `web/disan.js` (see
//! docs/web-engine-api.md). The visit core decides; JS fetches what it asks for
//! (`take_requests`), decodes images in the browser and hands them back, lays out the overlay
//! and shows the events. Values cross the boundary as typed JS objects, never JSON strings.

use crate::app::{App, Event, Payload};
#[cfg(feature = "objects")]
use disan_assets::model::Document;
use disan_render::{wgpu, GpuContext, RenderTarget, TextureSource};
use disan_tour::input::{Input, Key, PointerButton};
use disan_tour::model::{Catalog, HotspotKind, Tour, View};
use disan_tour::validate::validate;
use disan_tour::visit::{RequestId, Resource};
use glam::Vec2;
#[cfg(feature = "objects")]
use std::collections::HashMap;
use wasm_bindgen::prelude::*;

fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn now() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// A plain JS object from key/value pairs.
fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// A path the tour names, normalised inside its folder, or null (none, or one that would leave
/// the folder: never fetched).
fn tour_path(path: Option<&str>) -> JsValue {
    match path.map(inside_tour) {
        Some(Ok(p)) => JsValue::from_str(&p),
        _ => JsValue::NULL,
    }
}

fn opt_str(s: Option<&str>) -> JsValue {
    s.map(JsValue::from_str).unwrap_or(JsValue::NULL)
}

fn kind_name(k: HotspotKind) -> &'static str {
    match k {
        HotspotKind::Link => "link",
        HotspotKind::Info => "info",
    }
}

/// A model being fetched: parsed once, its buffers resolved once.
#[cfg(feature = "objects")]
struct StagedModel {
    file: String,
    doc: Document,
    buffers: Option<Vec<Vec<u8>>>,
}

/// Why the panorama-only build refuses what only object scenes need.
#[cfg(not(feature = "objects"))]
const NO_OBJECTS: &str =
    "this build of the viewer has no 3D objects (the page should load the full build)";

/// One tour view on one canvas.
#[wasm_bindgen]
pub struct Engine {
    ctx: GpuContext,
    target: RenderTarget,
    app: Option<App>,
    backend: String,
    css: Vec2,
    dpr: f32,
    #[cfg(feature = "objects")]
    models: HashMap<RequestId, StagedModel>,
    tour_text: String,
    dynamic_resolution: bool,
    /// GPU memory a model may take, when the page states it (bytes).
    gpu_budget: Option<u64>,
}

/// An `ImageBitmap` or an `ImageData` (browser-decoded pixels) as a texture source.
fn image_source(value: JsValue) -> Option<TextureSource> {
    // A KTX2 texture the decoder module transcoded to this GPU's block format.
    if let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() {
        return match disan_assets::image::decode_blocks(&bytes.to_vec(), "model image") {
            Ok(c) => Some(TextureSource::Compressed(c)),
            Err(e) => {
                web_sys::console::error_1(&format!("[disan] {e}").into());
                None
            }
        };
    }
    if value.is_instance_of::<web_sys::ImageBitmap>() {
        return value
            .dyn_into::<web_sys::ImageBitmap>()
            .ok()
            .map(TextureSource::Bitmap);
    }
    let data = value.dyn_into::<web_sys::ImageData>().ok()?;
    Some(TextureSource::Rgba(disan_assets::RgbaImage {
        width: data.width(),
        height: data.height(),
        pixels: data.data().0,
    }))
}

#[cfg(feature = "objects")]
fn bytes_list(array: &js_sys::Array) -> Vec<Vec<u8>> {
    array
        .iter()
        .map(|v| js_sys::Uint8Array::new(&v).to_vec())
        .collect()
}

/// A request's path, normalised inside the tour folder, or why it is refused.
fn inside_tour(path: &str) -> Result<String, String> {
    disan_assets::path::normalize(path).map_err(|e| format!("refused path \"{path}\": {e}"))
}

fn id_of(id: f64) -> RequestId {
    id as RequestId
}

#[wasm_bindgen]
impl Engine {
    /// Creates the engine on `canvas` with `"webgpu"` or `"webgl2"`; rejects when that backend is
    /// unusable. `max_texture_side` lowers the GPU's texture limit (a test hook: behave like a
    /// phone that takes at most 4096-pixel textures).
    pub async fn create(
        canvas: web_sys::HtmlCanvasElement,
        backend: String,
        max_texture_side: Option<u32>,
    ) -> Result<Engine, JsError> {
        console_error_panic_hook::set_once();
        let backends = match backend.as_str() {
            "webgpu" => wgpu::Backends::BROWSER_WEBGPU,
            "webgl2" => wgpu::Backends::GL,
            other => {
                return Err(JsError::new(&format!(
                    "unknown backend \"{other}\" (use webgpu or webgl2)"
                )))
            }
        };
        let compiled = wgpu::Instance::enabled_backend_features();
        if !compiled.contains(backends) {
            return Err(JsError::new(&format!(
                "this package was not built for {backend}"
            )));
        }
        let (w, h) = (canvas.width().max(1), canvas.height().max(1));
        let instance = GpuContext::instance(Some(backends));
        let surface = instance
            .create_surface(wgpu::SurfaceTarget::Canvas(canvas.clone()))
            .map_err(err)?;
        let ctx = GpuContext::new_capped(instance, Some(&surface), max_texture_side)
            .await
            .map_err(err)?;
        // wgpu reports validation errors here; without a handler they would vanish on the web.
        ctx.device
            .on_uncaptured_error(std::sync::Arc::new(|e: wgpu::Error| {
                web_sys::console::error_1(&format!("[disan] GPU error: {e}").into());
            }));
        let target = RenderTarget::surface(&ctx, surface, w, h).map_err(err)?;
        Ok(Engine {
            ctx,
            target,
            app: None,
            backend,
            css: Vec2::new(w as f32, h as f32),
            dpr: 1.0,
            #[cfg(feature = "objects")]
            models: HashMap::new(),
            tour_text: String::new(),
            dynamic_resolution: true,
            gpu_budget: None,
        })
    }

    fn app(&self) -> Result<&App, JsError> {
        self.app
            .as_ref()
            .ok_or_else(|| JsError::new("no tour is loaded"))
    }

    fn app_mut(&mut self) -> Result<&mut App, JsError> {
        self.app
            .as_mut()
            .ok_or_else(|| JsError::new("no tour is loaded"))
    }

    /// Parses tour.json text; throws the parse error with file and JSON path.
    pub fn load_tour(&mut self, text: &str, file: &str) -> Result<(), JsError> {
        let tour = Tour::from_json(text.as_bytes(), file).map_err(err)?;
        let mut app = App::new(&self.ctx, tour, self.css.x, self.css.y, self.dpr);
        // Markers are DOM buttons on the web (focusable, labelled), not GPU discs.
        app.draw_markers = false;
        // A moving view may be drawn smaller when frames are slow (the canvas's drawing buffer
        // shrinks, the browser stretches it); the view at rest is always sharp.
        app.scale.set_enabled(self.dynamic_resolution);
        app.visit.set_device_limits(self.model_limits());
        self.app = Some(app);
        self.tour_text = text.to_string();
        Ok(())
    }

    /// Merges a catalog.json.
    pub fn add_catalog(&mut self, text: &str, file: &str) -> Result<(), JsError> {
        let c = Catalog::from_json(text.as_bytes(), file).map_err(err)?;
        self.app_mut()?.visit.merge_catalog(c);
        Ok(())
    }

    /// Structural problems of the tour (`file: $.path: problem`).
    pub fn problems(&self) -> Result<Vec<String>, JsError> {
        let r = validate(self.app()?.tour(), "tour.json");
        Ok(r.problems.iter().map(|p| p.to_string()).collect())
    }

    /// The `tour.json` text as loaded (for embedders and tools such as the peer benchmark; the
    /// viewer itself does not need it). Kept as given: serialising the model would cost the
    /// bundle its serde code.
    pub fn tour_json(&self) -> Result<String, JsError> {
        self.app()?;
        Ok(self.tour_text.clone())
    }

    /// Languages the tour offers, the default first.
    pub fn languages(&self) -> Result<Vec<String>, JsError> {
        Ok(self.app()?.tour().languages.clone())
    }

    /// The visit's language.
    pub fn language(&self) -> String {
        self.app
            .as_ref()
            .map(|a| a.visit.language().to_string())
            .unwrap_or_default()
    }

    /// Switches the language of labels, card, titles and messages.
    pub fn set_language(&mut self, lang: &str) -> Result<(), JsError> {
        self.app_mut()?.visit.set_language(lang);
        Ok(())
    }

    /// Title of the tour in the visit's language.
    pub fn tour_title(&self) -> String {
        self.app
            .as_ref()
            .map(|a| a.visit.tour_title())
            .unwrap_or_default()
    }

    /// Title of the scene on screen in the visit's language.
    pub fn scene_title(&self) -> String {
        self.app
            .as_ref()
            .map(|a| a.visit.scene_title())
            .unwrap_or_default()
    }

    /// Whether the tour has a scene with this id.
    pub fn has_scene(&self, id: &str) -> bool {
        self.app
            .as_ref()
            .is_some_and(|a| a.tour().scene(id).is_some())
    }

    /// Starts the visit at `wanted` (a shared link) if the tour has it, else at its start scene;
    /// returns the scene's id.
    pub fn start(&mut self, wanted: Option<String>) -> Result<String, JsError> {
        // The first scene's shaders compile while its images are fetched.
        self.act(|app| app.visit.start(wanted.as_deref(), None).map_err(err))
    }

    /// Goes to scene `id`, arriving at the view given (any of yaw, pitch, fov, distance).
    pub fn go(
        &mut self,
        id: &str,
        yaw: Option<f32>,
        pitch: Option<f32>,
        fov: Option<f32>,
        distance: Option<f32>,
    ) -> Result<(), JsError> {
        let view = (yaw.is_some() || pitch.is_some()).then(|| View {
            yaw: yaw.unwrap_or(0.0),
            pitch: pitch.unwrap_or(0.0),
            fov,
            distance,
            target: None,
        });
        self.act(|app| app.visit.go(id, view).map_err(err))
    }

    /// New requests, most urgent first: `{id, scene, resource: "panorama"|"model"|"environment",
    /// path, priority}`. Paths are normalised inside the tour folder; a path that would leave it
    /// fails its request here and is never fetched.
    pub fn take_requests(&mut self) -> js_sys::Array {
        let out = js_sys::Array::new();
        let ctx = &self.ctx;
        if let Some(app) = &mut self.app {
            for r in app.visit.take_requests() {
                let path = match inside_tour(&r.path) {
                    Ok(p) => p,
                    Err(e) => {
                        app.fail(ctx, r.id, &e);
                        continue;
                    }
                };
                // The panorama-only build refuses what only object scenes need, here, once: the
                // loader is never asked for it.
                #[cfg(not(feature = "objects"))]
                if matches!(r.resource, Resource::Model | Resource::Environment) {
                    app.fail(ctx, r.id, &format!("{path}: {NO_OBJECTS}"));
                    continue;
                }
                out.push(&object(&[
                    ("id", JsValue::from_f64(r.id as f64)),
                    ("scene", JsValue::from_str(&r.scene)),
                    ("resource", JsValue::from_str(r.resource.name())),
                    ("path", JsValue::from_str(&path)),
                    ("priority", JsValue::from_f64(r.priority as f64)),
                ]));
            }
        }
        out
    }

    /// Ids of requests no longer wanted (abort their fetches).
    pub fn take_cancelled(&mut self) -> Vec<f64> {
        let Some(app) = &mut self.app else {
            return Vec::new();
        };
        let ids = app.visit.take_cancelled();
        app.forget(&ids);
        #[cfg(feature = "objects")]
        for id in &ids {
            self.models.remove(id);
        }
        ids.into_iter().map(|i| i as f64).collect()
    }

    /// True while request `id` is still wanted.
    pub fn is_wanted(&self, id: f64) -> bool {
        self.app
            .as_ref()
            .is_some_and(|a| a.visit.is_wanted(id_of(id)))
    }

    /// The decoded image of request `id` (a panorama or an environment): `ImageBitmap` or `ImageData`.
    pub fn deliver_image(&mut self, id: f64, image: JsValue) -> Result<(), JsError> {
        let source = image_source(image)
            .ok_or_else(|| JsError::new("deliver_image expects an ImageBitmap or ImageData"))?;
        let ctx = &self.ctx;
        let app = self
            .app
            .as_mut()
            .ok_or_else(|| JsError::new("no tour is loaded"))?;
        let id = id_of(id);
        let payload = match app.visit.requested(id) {
            #[cfg(feature = "objects")]
            Some(Resource::Environment) => {
                Payload::Environment(disan_render::Environment::Image(source, 1.0))
            }
            Some(Resource::Tile { .. }) => Payload::Tile(source),
            _ => Payload::Panorama(source),
        };
        app.deliver(ctx, id, payload);
        Ok(())
    }

    /// How a decoded panorama of `width` × `height` must be cut for this GPU: `[[x, y, w, h]]`,
    /// one rectangle when it fits. Cut it (`createImageBitmap(image, x, y, w, h)`) and hand the
    /// pieces to [`Engine::deliver_pieces`] when there are several.
    pub fn panorama_pieces(&self, width: u32, height: u32) -> js_sys::Array {
        let out = js_sys::Array::new();
        for r in disan_render::panorama_pieces(width, height, self.ctx.max_texture_side()) {
            let a = js_sys::Array::new();
            for v in r {
                a.push(&JsValue::from_f64(v as f64));
            }
            out.push(&a);
        }
        out
    }

    /// The pieces of panorama request `id` (of `width` × `height`), in the order of
    /// [`Engine::panorama_pieces`].
    pub fn deliver_pieces(
        &mut self,
        id: f64,
        images: js_sys::Array,
        width: u32,
        height: u32,
    ) -> Result<(), JsError> {
        let rects = disan_render::panorama_pieces(width, height, self.ctx.max_texture_side());
        if images.length() as usize != rects.len() {
            return Err(JsError::new(&format!(
                "deliver_pieces: {} pieces given, {} expected",
                images.length(),
                rects.len()
            )));
        }
        let mut parts = Vec::new();
        for (img, rect) in images.iter().zip(rects) {
            let source = image_source(img)
                .ok_or_else(|| JsError::new("deliver_pieces expects ImageBitmaps or ImageData"))?;
            parts.push((source, rect));
        }
        let ctx = &self.ctx;
        let app = self
            .app
            .as_mut()
            .ok_or_else(|| JsError::new("no tour is loaded"))?;
        app.deliver(
            ctx,
            id_of(id),
            Payload::PanoramaPieces(parts, (width, height)),
        );
        Ok(())
    }

    /// Tiled panoramas: `{ready, loading}` tile counts of the scene on screen, else null.
    pub fn tile_status(&self) -> JsValue {
        match self.app.as_ref().and_then(|a| a.visit.tile_status()) {
            Some((ready, loading)) => object(&[
                ("ready", JsValue::from_f64(ready as f64)),
                ("loading", JsValue::from_f64(loading as f64)),
            ]),
            None => JsValue::NULL,
        }
    }

    /// The block-compressed format KTX2 textures should be transcoded to for this GPU (`"bc7"`,
    /// `"astc"`, `"etc2"`), or null (RGBA8): the decoder module's `unpack` takes it.
    pub fn block_format(&self) -> Option<String> {
        self.ctx.block_format().map(|f| f.name().to_string())
    }

    /// The GPU's largest texture side (after any `max_texture_side` cap).
    pub fn max_texture_side(&self) -> u32 {
        self.ctx.max_texture_side()
    }

    /// Request `id` failed (`message` names the file).
    pub fn fail(&mut self, id: f64, message: &str) {
        let ctx = &self.ctx;
        #[cfg(feature = "objects")]
        self.models.remove(&id_of(id));
        if let Some(app) = &mut self.app {
            app.fail(ctx, id_of(id), message);
        }
    }

    /// What happened since the last call: `{type: "scenechange", scene}`, `{type: "hotspotclick",
    /// scene, index, hotspot, kind, target, entry}`, `{type: "cardopen", entry}`, `{type: "cardclose"}`,
    /// `{type: "language", lang}`, `{type: "error", message}`.
    pub fn take_events(&mut self) -> js_sys::Array {
        let out = js_sys::Array::new();
        let Some(app) = &mut self.app else {
            return out;
        };
        for e in app.visit.take_events() {
            let v = match e {
                Event::SceneChanged { scene } => object(&[
                    ("type", "scenechange".into()),
                    ("scene", JsValue::from_str(&scene)),
                ]),
                Event::HotspotActivated {
                    scene,
                    index,
                    id,
                    kind,
                    target,
                    entry,
                } => object(&[
                    ("type", "hotspotclick".into()),
                    ("scene", JsValue::from_str(&scene)),
                    ("index", JsValue::from_f64(index as f64)),
                    ("hotspot", opt_str(id.as_deref())),
                    ("kind", kind_name(kind).into()),
                    ("target", opt_str(target.as_deref())),
                    ("entry", opt_str(entry.as_deref())),
                ]),
                Event::CardOpened { entry } => object(&[
                    ("type", "cardopen".into()),
                    ("entry", JsValue::from_str(&entry)),
                ]),
                Event::CardClosed => object(&[("type", "cardclose".into())]),
                Event::LanguageChanged { lang } => object(&[
                    ("type", "language".into()),
                    ("lang", JsValue::from_str(&lang)),
                ]),
                Event::Error { message } => object(&[
                    ("type", "error".into()),
                    ("message", JsValue::from_str(&message)),
                ]),
                Event::TourStep { tour, step, count } => object(&[
                    ("type", "tourstep".into()),
                    ("tour", JsValue::from_str(&tour)),
                    ("step", JsValue::from_f64(step as f64)),
                    ("count", JsValue::from_f64(count as f64)),
                ]),
                Event::TourPaused { tour, step } => object(&[
                    ("type", "tourpause".into()),
                    ("tour", JsValue::from_str(&tour)),
                    ("step", JsValue::from_f64(step as f64)),
                ]),
                Event::TourEnd { tour, completed } => object(&[
                    ("type", "tourend".into()),
                    ("tour", JsValue::from_str(&tour)),
                    ("completed", JsValue::from_bool(completed)),
                ]),
                Event::Attract { running } => object(&[
                    ("type", "attract".into()),
                    ("running", JsValue::from_bool(running)),
                ]),
            };
            out.push(&v);
        }
        out
    }

    // --- Guided tours, auto-rotation, views and links (the visit core decides; JS shows) -----

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

    /// Turns the view towards hotspot `index` (its edge arrow pressed).
    pub fn look_at_hotspot(&mut self, index: usize) -> bool {
        self.app
            .as_mut()
            .is_some_and(|a| a.visit.look_at_hotspot(index))
    }

    /// Panoramas: the view's compass bearing, degrees clockwise from north; undefined on objects.
    pub fn heading(&self) -> Option<f32> {
        self.app.as_ref().and_then(|a| a.visit.heading())
    }

    /// Turns a panorama to face north (the compass pressed).
    pub fn face_north(&mut self) -> bool {
        self.app.as_mut().is_some_and(|a| a.visit.face_north())
    }

    /// The inspection tools of the object on screen: `{inspectable, view, raking, light_drag,
    /// section: {axis, position, flip} | null, measuring, measurements: [{text, a: [x, y] | null,
    /// b: [x, y] | null}], pending: [x, y] | null}` (positions in CSS pixels, `null` when behind
    /// the camera).
    pub fn inspection(&self) -> JsValue {
        use disan_tour::inspect::{format_length, Axis};
        let Some(app) = &self.app else {
            return JsValue::NULL;
        };
        let v = &app.visit;
        let i = v.inspection();
        let pt = |p: glam::Vec3| match v.project_point(p) {
            Some(q) => {
                let a = js_sys::Array::new();
                a.push(&JsValue::from_f64(q.x as f64));
                a.push(&JsValue::from_f64(q.y as f64));
                a.into()
            }
            None => JsValue::NULL,
        };
        let (list, pending) = v.measurements();
        let ms = js_sys::Array::new();
        for m in &list {
            ms.push(&object(&[
                ("text", JsValue::from_str(&format_length(m.metres))),
                ("a", pt(m.a)),
                ("b", pt(m.b)),
            ]));
        }
        let section = i.section.map_or(JsValue::NULL, |s| {
            let axis = match s.axis {
                Axis::X => "x",
                Axis::Y => "y",
                Axis::Z => "z",
            };
            object(&[
                ("axis", JsValue::from_str(axis)),
                ("position", JsValue::from_f64(s.position as f64)),
                ("flip", JsValue::from_bool(s.flip)),
            ])
        });
        object(&[
            ("inspectable", JsValue::from_bool(v.inspectable())),
            ("view", JsValue::from_str(i.view.name())),
            ("raking", JsValue::from_bool(i.raking.is_some())),
            ("light_drag", JsValue::from_bool(v.light_drag())),
            ("section", section),
            ("measuring", JsValue::from_bool(v.measuring())),
            ("measurements", ms.into()),
            ("pending", pending.map_or(JsValue::NULL, pt)),
        ])
    }

    /// Sets one inspection tool: `view` (`"normal"`, `"clay"`, `"normals"`), `raking`,
    /// `light_drag`, `measuring` (booleans), `section` (`null` or `{axis, position, flip}`),
    /// `remove` (a measurement's index), `reset_light`, `reset`. False when the tools are off here
    /// (not an object, or a kiosk without them).
    pub fn inspect(&mut self, what: &str, value: JsValue) -> Result<bool, JsError> {
        use disan_tour::inspect::{Axis, InspectView, Raking, Section};
        let Some(app) = &mut self.app else {
            return Ok(false);
        };
        let v = &mut app.visit;
        let get = |k: &str| js_sys::Reflect::get(&value, &JsValue::from_str(k)).ok();
        let done = match what {
            "view" => {
                let name = value.as_string().unwrap_or_default();
                let view = InspectView::parse(&name)
                    .ok_or_else(|| JsError::new(&format!("unknown view \"{name}\"")))?;
                v.set_inspect_view(view)
            }
            "raking" => v.set_raking(value.is_truthy().then(Raking::default)),
            "light_drag" => v.set_light_drag(value.is_truthy()),
            "reset_light" => v.reset_light(),
            "measuring" => v.set_measuring(value.is_truthy()),
            "remove" => v.remove_measurement(value.as_f64().unwrap_or(-1.0) as usize),
            "section" if value.is_null() || value.is_undefined() => v.set_section(None),
            "section" => {
                let axis = get("axis")
                    .and_then(|a| a.as_string())
                    .and_then(|a| Axis::parse(&a))
                    .ok_or_else(|| JsError::new("section.axis must be \"x\", \"y\" or \"z\""))?;
                let position = get("position").and_then(|p| p.as_f64()).unwrap_or(0.5) as f32;
                let flip = get("flip").is_some_and(|f| f.is_truthy());
                v.set_section(Some(Section {
                    axis,
                    position: position.clamp(0.0, 1.0),
                    flip,
                }))
            }
            "reset" => {
                v.reset_inspection();
                v.inspectable()
            }
            other => {
                return Err(JsError::new(&format!(
                    "unknown inspection tool \"{other}\""
                )))
            }
        };
        if done {
            v.touch();
        }
        Ok(done)
    }

    /// The gyroscope steers the view (the page asked the browser's permission first).
    pub fn set_gyro(&mut self, on: bool) {
        if let Some(app) = &mut self.app {
            app.visit.set_gyro(on);
        }
    }

    /// A DeviceOrientation sample: alpha, beta, gamma (degrees) and the screen's angle.
    pub fn device_orientation(&mut self, alpha: f32, beta: f32, gamma: f32, screen: f32) {
        if let Some(app) = &mut self.app {
            app.visit.device_orientation(alpha, beta, gamma, screen);
        }
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

    /// Kiosk mode as the tour's `kiosk` section says (its defaults when it has none): back to
    /// the start after the idle time, then the attract loop until a touch.
    pub fn set_kiosk(&mut self, on: bool) {
        if let Some(app) = &mut self.app {
            let config = on.then(|| app.visit.tour().kiosk.clone().unwrap_or_default());
            app.visit.set_kiosk(config);
        }
    }

    /// The guided tours: `[{id, title}]` in the visit's language.
    pub fn guided_tours(&self) -> js_sys::Array {
        let out = js_sys::Array::new();
        if let Some(app) = &self.app {
            for (id, title) in app.visit.guided_tours() {
                out.push(&object(&[
                    ("id", JsValue::from_str(&id)),
                    ("title", JsValue::from_str(&title)),
                ]));
            }
        }
        out
    }

    /// Shows step `step` (from 0) of guided tour `tour`, playing or paused.
    pub fn open_step(&mut self, tour: &str, step: u32, playing: bool) -> Result<(), JsError> {
        self.act(|app| {
            app.visit
                .open_step(tour, step as usize, playing)
                .map_err(err)
        })
    }

    /// The guided-tour player's controls: `"pause"`, `"resume"`, `"next"`, `"prev"`, `"exit"`.
    pub fn guide_control(&mut self, what: &str) -> Result<(), JsError> {
        self.act(|app| {
            match what {
                "pause" => app.visit.pause(),
                "resume" => app.visit.resume(),
                "next" => app.visit.next_step(),
                "prev" => app.visit.prev_step(),
                "exit" => app.visit.exit_tour(),
                other => return Err(JsError::new(&format!("unknown control \"{other}\""))),
            }
            app.visit.touch();
            Ok(())
        })
    }

    /// The player's state, or null: `{tour, title, step, count, playing, away, duration,
    /// elapsed, narration, audio, captions, steps: [{title, scene}], attract, shown}` (`shown`: the
    /// step's scene is on screen; narration waits for it).
    pub fn guide(&self) -> JsValue {
        let Some(g) = self.app.as_ref().and_then(|a| a.visit.guide()) else {
            return JsValue::NULL;
        };
        let steps = js_sys::Array::new();
        for s in &g.steps {
            steps.push(&object(&[
                ("title", JsValue::from_str(&s.title)),
                ("scene", JsValue::from_str(&s.scene)),
            ]));
        }
        let path = |p: &Option<String>| tour_path(p.as_deref());
        object(&[
            ("tour", JsValue::from_str(&g.tour)),
            ("title", JsValue::from_str(&g.title)),
            ("step", JsValue::from_f64(g.step as f64)),
            ("count", JsValue::from_f64(g.count as f64)),
            ("playing", JsValue::from_bool(g.playing)),
            ("away", JsValue::from_bool(g.away)),
            (
                "duration",
                g.duration
                    .map_or(JsValue::NULL, |d| JsValue::from_f64(d as f64)),
            ),
            ("elapsed", JsValue::from_f64(g.elapsed as f64)),
            ("narration", JsValue::from_str(&g.narration)),
            ("audio", path(&g.audio)),
            ("captions", path(&g.captions)),
            ("steps", steps.into()),
            ("attract", JsValue::from_bool(g.attract)),
            ("shown", JsValue::from_bool(g.shown)),
        ])
    }

    /// Auto-rotation at `speed` degrees per second after `delay` seconds without a touch
    /// (3 s when not given); `undefined` stops it.
    pub fn set_autorotate(&mut self, speed: Option<f32>, delay: Option<f32>) {
        if let Some(app) = &mut self.app {
            app.visit.set_autorotate(
                speed,
                delay.unwrap_or(disan_tour::visit::DEFAULT_AUTOROTATE_DELAY),
            );
        }
    }

    /// Auto-rotation speed when on.
    pub fn autorotate(&self) -> Option<f32> {
        self.app.as_ref().and_then(|a| a.visit.autorotate())
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

    /// The address fragment of what is on screen (scene, view, guided step), without `#`.
    pub fn link(&self) -> String {
        self.app
            .as_ref()
            .map(|a| a.visit.link().to_fragment())
            .unwrap_or_default()
    }

    /// Starts the visit at a shared link (`scene=…&yaw=…&step=…`; the tour's start when it
    /// names nothing the tour has). Returns the scene.
    pub fn start_link(&mut self, fragment: &str) -> Result<String, JsError> {
        self.act(|app| {
            app.visit
                .open_link(&disan_tour::Link::parse(fragment))
                .map_err(err)
        })
    }

    /// Seconds until the visit has something to do by itself (auto-rotation starting, a guided
    /// step ending, the kiosk's idle reset); undefined when nothing is due.
    pub fn wake_in(&self) -> Option<f64> {
        self.app.as_ref().and_then(|a| a.visit.wake_in())
    }

    /// The visitor used a control of the page (not the canvas): idle timers start again.
    pub fn touch(&mut self) {
        if let Some(app) = &mut self.app {
            app.visit.touch();
        }
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
                ("target", opt_str(h.target.as_deref())),
                ("entry", opt_str(h.entry.as_deref())),
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

    /// Activates hotspot `index` (a DOM button, the keyboard); false when it does nothing.
    pub fn activate(&mut self, index: usize) -> bool {
        let ctx = &self.ctx;
        let Some(app) = &mut self.app else {
            return false;
        };
        let done = app.visit.activate(index).is_some();
        app.poll(ctx);
        done
    }

    /// The open catalog card in the visit's language, or null: `{entry, title, description,
    /// fields: [{name, label, value}], images: [{src, alt, caption}]}`.
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
        object(&[
            ("entry", JsValue::from_str(&card.entry)),
            ("title", JsValue::from_str(&card.title)),
            ("description", JsValue::from_str(&card.description)),
            ("fields", fields.into()),
            ("images", images.into()),
        ])
    }

    /// Closes the card.
    pub fn close_card(&mut self) {
        if let Some(app) = &mut self.app {
            app.visit.close_card();
        }
    }

    /// The error shown in the scene on screen (its content failed), in the visit's language.
    pub fn scene_error(&self) -> Option<String> {
        self.app.as_ref().and_then(|a| a.visit.scene_error())
    }

    /// Canvas CSS size and device pixel ratio.
    pub fn resize(&mut self, width: f32, height: f32, dpr: f32) {
        self.css = Vec2::new(width.max(1.0), height.max(1.0));
        self.dpr = dpr.max(0.25);
        let (pw, ph) = (
            (self.css.x * self.dpr).round() as u32,
            (self.css.y * self.dpr).round() as u32,
        );
        self.target.resize(&self.ctx, pw.max(1), ph.max(1));
        if let Some(app) = &mut self.app {
            app.resize(self.css.x, self.css.y, self.dpr);
        }
    }

    /// Draws if anything changed; true while more frames are needed.
    pub fn frame(&mut self, time_ms: f64) -> bool {
        let t = time_ms / 1000.0;
        let Some(app) = &mut self.app else {
            return false;
        };
        // The visit's clock is the one its input is stamped with.
        if !app.visit.update(now()) {
            return false;
        }
        let scale = app.next_frame_scale(t);
        let size = (
            ((self.css.x * self.dpr * scale).round() as u32).max(1),
            ((self.css.y * self.dpr * scale).round() as u32).max(1),
        );
        if self.target.size() != size {
            self.target.resize(&self.ctx, size.0, size.1);
        }
        let Some(frame) = self.target.acquire(&self.ctx) else {
            return true;
        };
        let more = app.render(&self.ctx, &frame.view, frame.format, t);
        frame.present(&self.ctx);
        more
    }

    /// Limits the GPU memory a model may take to `megabytes` (a phone's budget; by default it
    /// grows with the GPU's texture limit). Objects with derivatives then show the best level
    /// that fits.
    pub fn set_gpu_budget(&mut self, megabytes: u32) {
        self.gpu_budget = Some((megabytes as u64) << 20);
        let limits = self.model_limits();
        if let Some(app) = &mut self.app {
            app.visit.set_device_limits(limits);
        }
    }

    /// The device's limits for models, with the page's budget when it stated one.
    fn model_limits(&self) -> disan_tour::derivatives::DeviceLimits {
        let mut limits = disan_render::Renderer::model_limits(&self.ctx);
        if let Some(b) = self.gpu_budget {
            limits.gpu_budget = b;
        }
        limits
    }

    /// The object on screen when its scene lists derivatives: `{shown, loading, wanted}` (each
    /// `{quality, model, triangles, texture, gpu_bytes}` or null), `limits: {max_texture,
    /// gpu_budget}`, and `gpu_bytes` the renderer holds for the scene now; null otherwise.
    pub fn detail(&self) -> JsValue {
        let Some(app) = &self.app else {
            return JsValue::NULL;
        };
        let Some(d) = app.visit.detail() else {
            return JsValue::NULL;
        };
        let level = |l: Option<&disan_tour::derivatives::Derivative>| match l {
            Some(l) => object(&[
                ("quality", JsValue::from_str(l.quality.name())),
                ("model", JsValue::from_str(&l.model)),
                ("triangles", JsValue::from_f64(l.triangles as f64)),
                ("texture", JsValue::from_f64(l.texture as f64)),
                ("gpu_bytes", JsValue::from_f64(l.gpu_bytes as f64)),
            ]),
            None => JsValue::NULL,
        };
        let limits = app.visit.device_limits();
        object(&[
            ("shown", level(Some(&d.shown))),
            ("loading", level(d.loading.as_ref())),
            ("wanted", level(d.wanted.as_ref())),
            (
                "limits",
                object(&[
                    ("max_texture", JsValue::from_f64(limits.max_texture as f64)),
                    ("gpu_budget", JsValue::from_f64(limits.gpu_budget as f64)),
                ]),
            ),
            (
                "gpu_bytes",
                JsValue::from_f64(app.renderer.gpu_memory().content as f64),
            ),
        ])
    }

    /// GPU memory the renderer holds now, in bytes: `{content, targets, environment, total}`
    /// (the scene's textures and buffers; the offscreen targets; image-based lighting).
    pub fn gpu_memory(&self) -> JsValue {
        let m = self
            .app
            .as_ref()
            .map(|a| a.renderer.gpu_memory())
            .unwrap_or_default();
        object(&[
            ("content", JsValue::from_f64(m.content as f64)),
            ("targets", JsValue::from_f64(m.targets as f64)),
            ("environment", JsValue::from_f64(m.environment as f64)),
            ("total", JsValue::from_f64(m.total() as f64)),
        ])
    }

    /// Lets a moving view be drawn at a smaller size when frames are slow (on by default).
    pub fn set_dynamic_resolution(&mut self, on: bool) {
        self.dynamic_resolution = on;
        if let Some(app) = &mut self.app {
            app.scale.set_enabled(on);
        }
    }

    /// The scale a moving view is drawn at now (1 = full size).
    pub fn render_scale(&self) -> f32 {
        self.app.as_ref().map_or(1.0, |a| a.scale.moving_scale())
    }

    /// True when this build shows object scenes (glTF models); false in the panorama-only build.
    pub fn has_objects(&self) -> bool {
        cfg!(feature = "objects")
    }

    /// True once a frame with a scene's content has been drawn.
    pub fn has_content(&self) -> bool {
        self.app
            .as_ref()
            .is_some_and(|a| a.renderer.has_drawn_content())
    }

    /// Id of the scene on screen, or null.
    pub fn current_scene(&self) -> Option<String> {
        self.app
            .as_ref()
            .and_then(|a| a.visit.current())
            .map(str::to_string)
    }

    /// Pointer pressed (`button` 0 primary, 1 middle, 2 secondary).
    pub fn pointer_down(&mut self, id: f64, x: f32, y: f32, button: u32) {
        let button = match button {
            1 => PointerButton::Middle,
            2 => PointerButton::Secondary,
            _ => PointerButton::Primary,
        };
        self.feed(Input::PointerDown {
            id: id as u64,
            pos: Vec2::new(x, y),
            button,
        });
    }

    /// Pointer moved.
    pub fn pointer_move(&mut self, id: f64, x: f32, y: f32) {
        self.feed(Input::PointerMove {
            id: id as u64,
            pos: Vec2::new(x, y),
        });
    }

    /// Pointer released (a click activates the hotspot under it: see `take_events`).
    pub fn pointer_up(&mut self, id: f64, x: f32, y: f32) {
        self.feed(Input::PointerUp {
            id: id as u64,
            pos: Vec2::new(x, y),
        });
    }

    /// Pointer cancelled.
    pub fn pointer_cancel(&mut self, id: f64) {
        self.feed(Input::PointerCancel { id: id as u64 });
    }

    /// Wheel, pixels; positive zooms out.
    pub fn wheel(&mut self, delta_y: f32) {
        self.feed(Input::Wheel { delta: delta_y });
    }

    /// Double click: resets an object view.
    pub fn double_click(&mut self, x: f32, y: f32) {
        self.feed(Input::DoubleClick {
            pos: Vec2::new(x, y),
        });
    }

    /// A navigation key (`ArrowLeft`, `+`, `0`, …); true when handled.
    pub fn key(&mut self, name: &str) -> bool {
        let k = match name {
            "ArrowLeft" => Key::Left,
            "ArrowRight" => Key::Right,
            "ArrowUp" => Key::Up,
            "ArrowDown" => Key::Down,
            "+" | "=" => Key::ZoomIn,
            "-" | "_" => Key::ZoomOut,
            "0" | "Home" => Key::Reset,
            _ => return false,
        };
        self.feed(Input::Key(k));
        true
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

    /// `"webgpu"` or `"webgl2"`.
    pub fn backend(&self) -> String {
        self.backend.clone()
    }
}

impl Engine {
    /// Runs `f` on the loaded tour's app (an error when none is loaded), then gives the
    /// renderer a scene that entered without fetching (`App::poll`) and makes the pipelines
    /// the scene arriving draws with (their shaders compile while its images download).
    fn act<T>(&mut self, f: impl FnOnce(&mut App) -> Result<T, JsError>) -> Result<T, JsError> {
        let app = self
            .app
            .as_mut()
            .ok_or_else(|| JsError::new("no tour is loaded"))?;
        let out = f(app)?;
        app.poll(&self.ctx);
        app.prepare(&self.ctx, self.target.format());
        Ok(out)
    }

    fn feed(&mut self, input: Input) {
        let ctx = &self.ctx;
        if let Some(app) = &mut self.app {
            app.visit.input(input, now());
            app.poll(ctx);
        }
    }
}

/// What the visit of `tour_text` fetches first when it opens at `wanted` (a shared link):
/// `[{resource, path}]`. Lets the page start downloading the first scene while the GPU starts,
/// without deciding anything itself.
/// Object scenes: glTF models (only in the builds with the `objects` feature; a tour without
/// object scenes is served by the smaller build without them).
#[cfg(feature = "objects")]
#[wasm_bindgen]
impl Engine {
    /// The bytes of model request `id` (at `path` in the tour) have arrived: parses them once
    /// and says what else it needs: `{buffers: [path | null], images: [{path | null, mime | null}]}`
    /// (paths relative to the tour file, checked to stay inside the tour folder; `null`: embedded),
    /// or `{decoders: true}` when the model is compressed (Draco, meshopt, KTX2): the page then
    /// calls again with the plain model that the decoder module makes of it.
    pub fn model_needs(&mut self, id: f64, path: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
        let file = path;
        // Compressed geometry or textures: the page makes the model plain with the decoder
        // module (`disan_decoders`, loaded only now) and hands the result back here.
        if disan_assets::model::needs_decoders(bytes) {
            return Ok(object(&[("decoders", JsValue::TRUE)]));
        }
        let doc = Document::parse(bytes, file).map_err(err)?;
        let n = doc.needs();
        let inside = |uri: &Option<String>| -> Result<JsValue, JsError> {
            match uri {
                None => Ok(JsValue::NULL),
                Some(u) => disan_assets::path::join(path, u)
                    .map(|p| JsValue::from_str(&p))
                    .map_err(|e| JsError::new(&format!("{file}: refused path \"{u}\": {e}"))),
            }
        };
        let buffers = js_sys::Array::new();
        for b in &n.buffers {
            buffers.push(&inside(b)?);
        }
        let images = js_sys::Array::new();
        for (uri, mime) in &n.images {
            images.push(&object(&[
                ("path", inside(uri)?),
                ("mime", opt_str(mime.as_deref())),
            ]));
        }
        self.models.insert(
            id_of(id),
            StagedModel {
                file: file.to_string(),
                doc,
                buffers: None,
            },
        );
        Ok(object(&[
            ("buffers", buffers.into()),
            ("images", images.into()),
        ]))
    }

    /// The external buffers of model request `id` (empty arrays for the GLB's own); returns
    /// the encoded bytes of each embedded image (`null` for images with a URI).
    pub fn model_buffers(
        &mut self,
        id: f64,
        buffers: js_sys::Array,
    ) -> Result<js_sys::Array, JsError> {
        let staged = self
            .models
            .get_mut(&id_of(id))
            .ok_or_else(|| JsError::new("model_buffers: no such model request"))?;
        let resolved = staged
            .doc
            .resolve_buffers(&bytes_list(&buffers))
            .map_err(err)?;
        let out = js_sys::Array::new();
        for i in 0..staged.doc.needs().images.len() {
            match staged.doc.embedded_image(&resolved, i).map_err(err)? {
                Some(img) => out.push(&js_sys::Uint8Array::from(img.bytes.as_slice())),
                None => out.push(&JsValue::NULL),
            };
        }
        staged.buffers = Some(resolved);
        Ok(out)
    }

    /// The decoded images of model request `id` (in the order of `model_needs`): builds the
    /// model and hands it to the visit.
    pub fn deliver_model(&mut self, id: f64, images: js_sys::Array) -> Result<(), JsError> {
        let rid = id_of(id);
        let staged = self
            .models
            .remove(&rid)
            .ok_or_else(|| JsError::new("deliver_model: no such model request"))?;
        let ctx = &self.ctx;
        let app = self
            .app
            .as_mut()
            .ok_or_else(|| JsError::new("no tour is loaded"))?;
        let built = staged
            .buffers
            .as_ref()
            .ok_or("deliver_model before model_buffers")
            .map_err(|e| e.to_string())
            .and_then(|b| staged.doc.build(b).map_err(|e| e.to_string()));
        match built {
            Ok(model) => {
                let textures = images.iter().map(image_source).collect();
                app.deliver(ctx, rid, Payload::Model(Box::new(model), textures));
            }
            Err(e) => {
                let msg = if e.contains(&staged.file) {
                    e
                } else {
                    format!("{}: {e}", staged.file)
                };
                app.fail(ctx, rid, &msg);
            }
        }
        Ok(())
    }
}

#[wasm_bindgen]
pub fn first_requests(tour_text: &str, link: &str) -> js_sys::Array {
    let out = js_sys::Array::new();
    let Ok(tour) = Tour::from_json(tour_text.as_bytes(), "tour.json") else {
        return out;
    };
    let mut visit = disan_tour::visit::Visit::new(tour, 1.0, 1.0);
    if visit.open_link(&disan_tour::Link::parse(link)).is_ok() {
        // Only what the engine would hand out itself: nothing above the tour folder.
        for r in visit.take_requests() {
            if let Ok(path) = inside_tour(&r.path) {
                out.push(&object(&[
                    ("resource", JsValue::from_str(r.resource.name())),
                    ("path", JsValue::from_str(&path)),
                ]));
            }
        }
    }
    out
}
