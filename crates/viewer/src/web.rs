//! The web engine: a wasm-bindgen `Engine` class driven by `web/disan.js` (see docs/web-engine-api.md).
//! JS fetches files and decodes images with `createImageBitmap`; this side renders and navigates.

use crate::app::{Action, App, AssetRequest};
use disan_assets::model::Document;
use disan_render::{wgpu, GpuContext, RenderTarget, TextureSource};
use disan_tour::input::{Input, Key, PointerButton};
use disan_tour::model::{Catalog, HotspotKind, Tour, View};
use disan_tour::validate::validate;
use glam::Vec2;
use serde_json::json;
use wasm_bindgen::prelude::*;

fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn now() -> f64 {
    js_sys::Date::now() / 1000.0
}

/// One tour view on one canvas.
#[wasm_bindgen]
pub struct Engine {
    ctx: GpuContext,
    target: RenderTarget,
    app: Option<App>,
    backend: String,
    last_time: Option<f64>,
    css: Vec2,
    dpr: f32,
}

/// An `ImageBitmap` or an `ImageData` (browser-decoded pixels) as a texture source.
fn image_source(value: JsValue) -> Option<TextureSource> {
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

fn bytes_list(array: &js_sys::Array) -> Vec<Vec<u8>> {
    array
        .iter()
        .map(|v| js_sys::Uint8Array::new(&v).to_vec())
        .collect()
}

#[wasm_bindgen]
impl Engine {
    /// Creates the engine on `canvas` with `"webgpu"` or `"webgl2"`; rejects when that backend is unusable.
    pub async fn create(
        canvas: web_sys::HtmlCanvasElement,
        backend: String,
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
        let ctx = GpuContext::new(instance, Some(&surface))
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
            last_time: None,
            css: Vec2::new(w as f32, h as f32),
            dpr: 1.0,
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
        self.app = Some(app);
        Ok(())
    }

    /// Merges a catalog.json.
    pub fn add_catalog(&mut self, text: &str, file: &str) -> Result<(), JsError> {
        let c = Catalog::from_json(text.as_bytes(), file).map_err(err)?;
        self.app_mut()?.tour.merge_catalog(c);
        Ok(())
    }

    /// JSON array of structural problems.
    pub fn problems(&self) -> Result<String, JsError> {
        let r = validate(&self.app()?.tour, "tour.json");
        Ok(json!(r.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>()).to_string())
    }

    /// The tour with its catalog merged, as JSON.
    pub fn tour_json(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.app()?.tour).map_err(err)
    }

    /// Id of the first scene.
    pub fn start_scene(&self) -> Result<String, JsError> {
        self.app()?
            .tour
            .start()
            .map(|s| s.id.clone())
            .ok_or_else(|| JsError::new("the tour has no scenes"))
    }

    /// Starts switching to a scene; returns what to fetch.
    pub fn begin_scene(&mut self, id: &str, view_json: &str) -> Result<String, JsError> {
        let view: Option<View> = if view_json.trim().is_empty() {
            None
        } else {
            Some(serde_json::from_str(view_json).map_err(err)?)
        };
        let req = self
            .app_mut()?
            .begin_scene(id, view)
            .map_err(|e| JsError::new(&e))?;
        Ok(match req {
            AssetRequest::Panorama(p) => json!({"kind": "panorama", "image": p}),
            AssetRequest::Model(m) => json!({"kind": "object", "model": m}),
        }
        .to_string())
    }

    /// Gives the decoded panorama of the pending scene (`ImageBitmap` or `ImageData`).
    pub fn set_panorama(&mut self, id: &str, image: JsValue) -> Result<(), JsError> {
        let source = image_source(image)
            .ok_or_else(|| JsError::new("set_panorama expects an ImageBitmap or ImageData"))?;
        let app = self
            .app
            .as_mut()
            .ok_or_else(|| JsError::new("no tour is loaded"))?;
        app.panorama_ready(&self.ctx, id, source)
            .map_err(|e| JsError::new(&e))
    }

    /// What a glTF/GLB needs from outside, as JSON.
    pub fn model_needs(&self, bytes: &[u8]) -> Result<String, JsError> {
        let doc = Document::parse(bytes, "model").map_err(err)?;
        let n = doc.needs();
        Ok(json!({
            "buffers": n.buffers,
            "images": n.images.iter().map(|(uri, mime)| json!({"uri": uri, "mime": mime})).collect::<Vec<_>>(),
        })
        .to_string())
    }

    /// Encoded bytes of embedded image `index`.
    pub fn model_embedded_image(
        &self,
        bytes: &[u8],
        buffers: js_sys::Array,
        index: usize,
    ) -> Result<Vec<u8>, JsError> {
        let doc = Document::parse(bytes, "model").map_err(err)?;
        let buffers = doc.resolve_buffers(&bytes_list(&buffers)).map_err(err)?;
        doc.embedded_image(&buffers, index)
            .map_err(err)?
            .map(|i| i.bytes)
            .ok_or_else(|| JsError::new(&format!("images[{index}] is not embedded")))
    }

    /// Gives the model of the pending scene.
    pub fn set_model(
        &mut self,
        id: &str,
        bytes: &[u8],
        buffers: js_sys::Array,
        images: js_sys::Array,
    ) -> Result<(), JsError> {
        let file = self
            .app()?
            .tour
            .scene(id)
            .and_then(|s| s.object()?.model.clone())
            .unwrap_or_else(|| "model".into());
        let result = (|| {
            let doc = Document::parse(bytes, &file).map_err(err)?;
            let buffers = doc.resolve_buffers(&bytes_list(&buffers)).map_err(err)?;
            doc.build(&buffers).map_err(err)
        })();
        let app = self
            .app
            .as_mut()
            .ok_or_else(|| JsError::new("no tour is loaded"))?;
        let model = match result {
            Ok(m) => m,
            Err(e) => {
                app.cancel_pending();
                return Err(e);
            }
        };
        let textures = images.iter().map(image_source).collect();
        app.model_ready(&self.ctx, id, &model, textures)
            .map_err(|e| JsError::new(&e))
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
        let dt = self
            .last_time
            .map(|l| (t - l) as f32)
            .unwrap_or(0.0)
            .clamp(0.0, 0.1);
        self.last_time = Some(t);
        let Some(app) = &mut self.app else {
            return false;
        };
        if !app.update(dt) {
            return false;
        }
        let RenderTarget::Surface { surface, config } = &self.target else {
            return false;
        };
        let frame = match surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(f)
            | wgpu::CurrentSurfaceTexture::Suboptimal(f) => f,
            _ => {
                let (w, h) = (config.width, config.height);
                self.target.resize(&self.ctx, w, h);
                return true;
            }
        };
        let format = config.format;
        let view = frame.texture.create_view(&Default::default());
        let more = app.render(&self.ctx, &view, format, t);
        self.ctx.queue.present(frame);
        more
    }

    /// True once a frame with a scene's content has been drawn.
    pub fn has_content(&self) -> bool {
        self.app
            .as_ref()
            .is_some_and(|a| a.renderer.has_drawn_content())
    }

    /// Id of the scene on screen.
    pub fn current_scene(&self) -> String {
        self.app
            .as_ref()
            .and_then(|a| a.current_id())
            .unwrap_or("")
            .to_string()
    }

    /// Hotspots of the current scene with their screen positions, as JSON.
    pub fn overlay(&self) -> String {
        let Some(app) = &self.app else {
            return "[]".into();
        };
        let hs = app.hotspots();
        let items: Vec<_> = app
            .overlay()
            .iter()
            .map(|o| {
                let h = &hs[o.index];
                json!({
                    "index": o.index,
                    "id": h.id,
                    "kind": if h.kind == HotspotKind::Link { "link" } else { "info" },
                    "label": h.label,
                    "target": h.target,
                    "entry": h.entry,
                    "x": o.position.x,
                    "y": o.position.y,
                    "visible": o.visible,
                    "hidden": o.hidden,
                })
            })
            .collect();
        serde_json::Value::Array(items).to_string()
    }

    fn feed(&mut self, input: Input) -> Option<Action> {
        self.app.as_mut()?.input(input, now())
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

    /// Pointer released; the index of a clicked hotspot, or -1.
    pub fn pointer_up(&mut self, id: f64, x: f32, y: f32) -> i32 {
        match self.feed(Input::PointerUp {
            id: id as u64,
            pos: Vec2::new(x, y),
        }) {
            Some(Action::Go { hotspot, .. }) | Some(Action::Open { hotspot, .. }) => hotspot as i32,
            None => -1,
        }
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

    /// A navigation key; true when handled.
    pub fn key(&mut self, name: &str) -> bool {
        let k = match name {
            "ArrowLeft" => Key::Left,
            "ArrowRight" => Key::Right,
            "ArrowUp" => Key::Up,
            "ArrowDown" => Key::Down,
            "+" | "=" => Key::ZoomIn,
            "-" => Key::ZoomOut,
            "0" | "Home" => Key::Reset,
            _ => return false,
        };
        self.feed(Input::Key(k));
        true
    }

    /// A catalog entry as JSON, or "".
    pub fn entry_json(&self, id: &str) -> String {
        self.app
            .as_ref()
            .and_then(|a| a.tour.entry(id))
            .and_then(|e| serde_json::to_string(e).ok())
            .unwrap_or_default()
    }

    /// The current view as JSON.
    pub fn view_json(&self) -> String {
        self.app
            .as_ref()
            .and_then(|a| a.view())
            .and_then(|v| serde_json::to_string(&v).ok())
            .unwrap_or_default()
    }

    /// `"webgpu"` or `"webgl2"`.
    pub fn backend(&self) -> String {
        self.backend.clone()
    }
}
