//! The web shell's engine: a wasm-bindgen `Engine` class driven by `web/disan.js` (see
//! docs/web-engine-api.md). The visit core decides; JS fetches what it asks for
//! (`take_requests`), decodes images in the browser and hands them back, lays out the overlay
//! and shows the events. Values cross the boundary as typed JS objects, never JSON strings.
//!
//! This module holds the `Engine` itself: its construction on a canvas (GPU start), the tour,
//! the visit's set-up, sizes and the frame loop. The rest of its methods are grouped by role:
//! `load` (the loading protocol: requests, images, models), `input` (pointer, keys, sensors),
//! `ui` (the overlay, hotspots, card, events, views), `guide` (guided tours, auto-rotation,
//! kiosk), `inspect` (inspection tools, levels of detail, GPU memory), and `js` (the helpers
//! that build and read JS values).

mod guide;
mod input;
mod inspect;
mod js;
mod load;
mod protocol;
mod ui;

pub use load::first_requests;

use crate::app::App;
use disan_render::{wgpu, GpuContext, RenderTarget};
use disan_tour::model::{Catalog, Tour, View};
use glam::Vec2;
use js::err;
#[cfg(feature = "objects")]
use std::collections::HashMap;
use wasm_bindgen::prelude::*;

/// The visit's clock: seconds.
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
    css: Vec2,
    dpr: f32,
    #[cfg(feature = "objects")]
    models: HashMap<disan_tour::visit::RequestId, load::StagedModel>,
    tour_text: String,
    dynamic_resolution: bool,
    /// GPU memory a model may take, when the page states it (bytes).
    gpu_budget: Option<u64>,
}

/// The app of the loaded tour, or the error of an engine without one.
fn loaded(app: &mut Option<App>) -> Result<&mut App, JsError> {
    app.as_mut()
        .ok_or_else(|| JsError::new("no tour is loaded"))
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

    /// Replaces the tour on screen with an edited one (the studio's live preview) and its
    /// catalog file's text, when it has one: the scene on screen stays, at its view, unless
    /// its picture or model changed (see `Visit::replace_tour`). True when it stayed.
    pub fn update_tour(
        &mut self,
        text: &str,
        catalog: Option<String>,
        file: &str,
    ) -> Result<bool, JsError> {
        let mut tour = Tour::from_json(text.as_bytes(), file).map_err(err)?;
        if let Some(c) = catalog {
            tour.merge_catalog(Catalog::from_json(c.as_bytes(), "catalog.json").map_err(err)?);
        }
        let stayed = self.act(|app| app.visit.replace_tour(tour).map_err(err))?;
        self.tour_text = text.to_string();
        Ok(stayed)
    }

    /// Merges a catalog.json.
    pub fn add_catalog(&mut self, text: &str, file: &str) -> Result<(), JsError> {
        let c = Catalog::from_json(text.as_bytes(), file).map_err(err)?;
        self.app_mut()?.visit.merge_catalog(c);
        Ok(())
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

    /// The block-compressed format KTX2 textures should be transcoded to for this GPU (`"bc7"`,
    /// `"astc"`, `"etc2"`), or null (RGBA8): the decoder module's `unpack` takes it.
    pub fn block_format(&self) -> Option<String> {
        self.ctx.block_format().map(|f| f.name().to_string())
    }

    /// The GPU's largest texture side (after any `max_texture_side` cap).
    pub fn max_texture_side(&self) -> u32 {
        self.ctx.max_texture_side()
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
        // A view that just stopped keeps its reduced frame a moment before the full one.
        if app.rest_pending(t) {
            return true;
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

    /// Lets a moving view be drawn at a smaller size when frames are slow (on by default).
    pub fn set_dynamic_resolution(&mut self, on: bool) {
        self.dynamic_resolution = on;
        if let Some(app) = &mut self.app {
            app.scale.set_enabled(on);
        }
    }

    /// Times each render pass on the GPU (timestamp queries) from now on, or stops; false when
    /// this device cannot (WebGL2, a browser without `timestamp-query`) or nothing is shown yet.
    pub fn set_gpu_timing(&mut self, on: bool) -> bool {
        let ctx = &self.ctx;
        self.app
            .as_mut()
            .is_some_and(|a| a.renderer.set_pass_timing(ctx, on))
    }

    /// The mean GPU milliseconds of each pass since the last call: `{pass: {ms, frames}}`
    /// (`scene`, `compose`, `direct`; empty when not timing).
    pub fn gpu_timings(&mut self) -> JsValue {
        let times = self
            .app
            .as_mut()
            .map(|a| a.renderer.take_pass_timings())
            .unwrap_or_default();
        let pairs: Vec<(&str, JsValue)> = times
            .iter()
            .map(|t| {
                (
                    t.pass,
                    js::object(&[
                        ("ms", JsValue::from_f64(t.ms)),
                        ("frames", JsValue::from_f64(f64::from(t.frames))),
                    ]),
                )
            })
            .collect();
        js::object(&pairs)
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

    /// `"webgpu"` or `"webgl2"`.
    pub fn backend(&self) -> String {
        self.backend.clone()
    }
}

impl Engine {
    fn app(&self) -> Result<&App, JsError> {
        self.app
            .as_ref()
            .ok_or_else(|| JsError::new("no tour is loaded"))
    }

    fn app_mut(&mut self) -> Result<&mut App, JsError> {
        loaded(&mut self.app)
    }

    /// Runs `f` on the loaded tour's app (an error when none is loaded), then gives the
    /// renderer a scene that entered without fetching (`App::poll`) and makes the pipelines
    /// the scene arriving draws with (their shaders compile while its images download).
    fn act<T>(&mut self, f: impl FnOnce(&mut App) -> Result<T, JsError>) -> Result<T, JsError> {
        let app = loaded(&mut self.app)?;
        let out = f(app)?;
        app.poll(&self.ctx);
        app.prepare(&self.ctx, self.target.format());
        Ok(out)
    }

    /// The device's limits for models, with the page's budget when it stated one.
    fn model_limits(&self) -> disan_tour::derivatives::DeviceLimits {
        let mut limits = disan_render::Renderer::model_limits(&self.ctx);
        if let Some(b) = self.gpu_budget {
            limits.gpu_budget = b;
        }
        limits
    }
}
