//! The glue both shells share: the visit core ([`disan_tour::visit::Visit`]) and the renderer.
//! The shell fetches what the visit asks for and hands the decoded [`Payload`]s here; this keeps
//! them until their scene can enter, then gives them to the renderer in the visit's order.

#[cfg(feature = "objects")]
use disan_assets::ModelData;
#[cfg(feature = "objects")]
use disan_render::Environment;
use disan_render::{FrameInput, GpuContext, Marker, MarkerKind, Renderer, TextureSource};
use disan_tour::model::{SceneKind, Tour};
use disan_tour::scale::RenderScale;
use disan_tour::visit::{Delivery, Entering, RequestId, Resource, Visit};
use std::collections::HashMap;

pub use disan_tour::visit::{Action, Event, Request, MARKER_RADIUS};

/// A fetched and decoded resource, ready for the GPU.
pub enum Payload {
    /// An equirectangular panorama.
    Panorama(TextureSource),
    /// An equirectangular panorama of `size`, in pieces that fit the GPU (`[x, y, w, h]` each).
    PanoramaPieces(Vec<(TextureSource, [u32; 4])>, (u32, u32)),
    /// A tile of a cube panorama (or a face of a six-face cube).
    Tile(TextureSource),
    /// A model and its decoded images.
    #[cfg(feature = "objects")]
    Model(Box<ModelData>, Vec<Option<TextureSource>>),
    /// An environment image lighting objects.
    #[cfg(feature = "objects")]
    Environment(Environment),
}

/// One running tour view: the visit and its renderer.
pub struct App {
    /// The visit core: scenes, navigation, overlay, language.
    pub visit: Visit,
    /// The renderer.
    pub renderer: Renderer,
    /// Physical pixels per logical pixel.
    pub dpr: f32,
    /// Draw hotspot markers on the GPU (the web shell draws them as DOM buttons instead).
    pub draw_markers: bool,
    /// Render scale while the view moves (the shell that can draw at a smaller size turns it on).
    pub scale: RenderScale,
    /// The scale of the frame being drawn (1 = the full physical size).
    frame_scale: f32,
    /// The scene and view (the visit's, unscaled) of the last frame drawn (a change means the
    /// view is moving).
    last_view: Option<(Option<String>, glam::Mat4)>,
    /// When the last moving frame was drawn (seconds, the shell's clock).
    moved_at: Option<f64>,
    /// The frame on screen is a reduced one (smaller, or fewer samples): one at rest is owed.
    reduced_shown: bool,
    staged: HashMap<RequestId, Payload>,
}

/// Seconds a view that moved must stay still before its frame at rest (full size,
/// multisampled) is drawn: a finger or a mouse that pauses for a frame in the middle of a drag
/// does not make a slow device draw its costliest frame between two cheap ones.
pub const REST_DELAY: f64 = 0.2;

/// Whether the frame at rest should wait: the frame on screen is reduced, the view has not
/// moved since, and it moved less than [`REST_DELAY`] before `time`.
fn rest_waits(reduced_shown: bool, moving: bool, moved_at: Option<f64>, time: f64) -> bool {
    reduced_shown && !moving && moved_at.is_some_and(|t| (0.0..REST_DELAY).contains(&(time - t)))
}

impl App {
    /// A new app for `tour`, with a renderer on `ctx`, in a view of `width` × `height` logical pixels.
    pub fn new(ctx: &GpuContext, tour: Tour, width: f32, height: f32, dpr: f32) -> App {
        let mut visit = Visit::new(tour, width, height);
        visit.set_pixel_ratio(dpr);
        let (bytes, layers) = Renderer::tile_budget(ctx);
        visit.set_tile_budget(bytes, layers);
        visit.set_device_limits(Renderer::model_limits(ctx));
        App {
            visit,
            renderer: Renderer::new(ctx),
            dpr: dpr.max(0.25),
            draw_markers: true,
            scale: RenderScale::disabled(),
            frame_scale: 1.0,
            last_view: None,
            moved_at: None,
            reduced_shown: false,
            staged: HashMap::new(),
        }
    }

    /// The tour.
    pub fn tour(&self) -> &Tour {
        self.visit.tour()
    }

    /// Makes ready what drawing the scene being entered needs into `format`, before its files
    /// arrive (its pipelines: their shaders then compile while the files download).
    pub fn prepare(&mut self, ctx: &GpuContext, format: wgpu_view::TextureFormat) {
        let scene = self.visit.arriving().or(self.visit.current());
        let tour = self.visit.tour();
        if scene
            .and_then(|id| tour.scene(id))
            .is_some_and(|s| s.kind() == SceneKind::Panorama)
        {
            self.renderer.prepare_panorama(&ctx.device, format);
        }
    }

    /// Request `id` has arrived, decoded: shown when its scene can enter (a tile of the scene
    /// on screen: at once), dropped when stale.
    pub fn deliver(&mut self, ctx: &GpuContext, id: RequestId, payload: Payload) {
        let slot = self.visit.requested(id).and_then(Resource::slot);
        let delivery = match &payload {
            #[cfg(feature = "objects")]
            Payload::Model(model, _) => {
                if !self.visit.is_wanted(id) {
                    return;
                }
                self.visit
                    .model_loaded(id, model.triangle_mesh(), model.bounds)
            }
            _ => self.visit.loaded(id),
        };
        match delivery {
            Delivery::Stale => {}
            Delivery::Show => {
                if let (Some(slot), Payload::Tile(image)) = (slot, payload) {
                    if let Err(e) = self.renderer.put_tile(ctx, slot, image) {
                        log::warn!("tile: {e}");
                    }
                }
            }
            Delivery::Wait => {
                self.staged.insert(id, payload);
            }
            #[cfg(feature = "objects")]
            Delivery::Swap => {
                if let Payload::Model(model, images) = payload {
                    self.renderer.swap_model(ctx, &model, images);
                }
            }
            #[cfg(not(feature = "objects"))]
            Delivery::Swap => {}
            Delivery::Enter(e) => {
                self.staged.insert(id, payload);
                self.enter(ctx, e);
            }
        }
    }

    /// Request `id` failed; `message` names the file and what is wrong.
    pub fn fail(&mut self, ctx: &GpuContext, id: RequestId, message: &str) {
        if let Delivery::Enter(e) = self.visit.failed(id, message) {
            self.enter(ctx, e);
        }
    }

    /// Shows a scene that entered without fetching (call after `go`/`start`).
    pub fn poll(&mut self, ctx: &GpuContext) {
        if let Some(e) = self.visit.take_entry() {
            self.enter(ctx, e);
        }
    }

    /// Stops keeping payloads of requests the visit no longer wants.
    pub fn forget(&mut self, ids: &[RequestId]) {
        for id in ids {
            self.staged.remove(id);
        }
    }

    fn enter(&mut self, ctx: &GpuContext, e: Entering) {
        let payloads: Vec<(Resource, Payload)> = e
            .resources
            .iter()
            .filter_map(|(id, r)| self.staged.remove(id).map(|p| (*r, p)))
            .collect();
        // Anything else staged belonged to scenes that are gone.
        self.staged.clear();
        if e.failed {
            self.renderer.show_empty(ctx);
            return;
        }
        self.renderer.exposure = e.exposure;
        self.renderer.environment_intensity = e.environment_intensity;
        self.renderer.key_light = e.key_light;
        #[cfg(feature = "objects")]
        if e.neutral_environment {
            self.renderer.set_environment(ctx, Environment::neutral());
        }
        let mut shown = Ok(());
        let mut tiles = Vec::new();
        let mut preview = None;
        for (resource, payload) in payloads {
            match payload {
                #[cfg(feature = "objects")]
                Payload::Environment(env) => self.renderer.set_environment(ctx, env),
                Payload::Panorama(image) if e.tiles.is_some() => preview = Some(image),
                Payload::Panorama(image) => {
                    shown = self.renderer.show_panorama(ctx, image, e.coverage);
                }
                Payload::PanoramaPieces(parts, size) => {
                    shown = self
                        .renderer
                        .show_panorama_pieces(ctx, parts, size, e.coverage);
                }
                #[cfg(feature = "objects")]
                Payload::Model(model, images) => {
                    self.renderer.show_model(ctx, &model, images);
                }
                Payload::Tile(image) => {
                    if let Some(slot) = resource.slot() {
                        tiles.push((slot, image));
                    }
                }
            }
            if shown.is_err() {
                break;
            }
        }
        if let (Some(setup), Ok(())) = (e.tiles, &shown) {
            shown = self
                .renderer
                .show_tiled(ctx, preview, setup.slots, setup.side);
            for (slot, image) in tiles {
                if shown.is_err() {
                    break;
                }
                shown = self.renderer.put_tile(ctx, slot, image);
            }
        }
        if let Err(err) = shown {
            self.visit.show_failed(&err.to_string());
            self.renderer.show_empty(ctx);
        }
    }

    /// Sets the logical size and pixel ratio.
    pub fn resize(&mut self, width: f32, height: f32, dpr: f32) {
        self.dpr = dpr.max(0.25);
        self.visit.set_pixel_ratio(self.dpr);
        self.visit.resize(width, height);
    }

    /// The scale of the next frame drawn at `time` (seconds), from 1 (the full physical size)
    /// down to [`disan_tour::scale::MIN_SCALE`] while the view moves and the device is slow; the
    /// shell sizes its output by it before [`App::render`]. Call once per frame.
    pub fn next_frame_scale(&mut self, time: f64) -> f32 {
        let moving = self.view_moves();
        self.frame_scale = self.scale.frame(time, moving);
        self.frame_scale
    }

    /// True while the frame at rest after a move waits ([`REST_DELAY`]): the shell draws
    /// nothing at `time` (the reduced frame stays on screen) and asks again next frame.
    pub fn rest_pending(&self, time: f64) -> bool {
        rest_waits(self.reduced_shown, self.view_moves(), self.moved_at, time)
    }

    /// The view moves: the same scene seen from another view than the last frame drawn.
    fn view_moves(&self) -> bool {
        self.moved_from(self.visit.projection().view_proj())
    }

    /// Whether `view_proj` (the visit's view now) differs from the last frame's in the same
    /// scene.
    fn moved_from(&self, view_proj: glam::Mat4) -> bool {
        self.last_view
            .as_ref()
            .is_some_and(|(scene, vp)| scene.as_deref() == self.visit.current() && *vp != view_proj)
    }

    /// Markers for the renderer, in physical pixels.
    pub fn markers(&self) -> Vec<Marker> {
        if !self.draw_markers {
            return Vec::new();
        }
        let px = self.dpr * self.frame_scale;
        self.visit
            .markers()
            .into_iter()
            .map(|m| Marker {
                position: m.position * px,
                kind: if m.link {
                    MarkerKind::Link
                } else {
                    MarkerKind::Info
                },
                hidden: m.hidden,
                highlighted: m.highlighted,
            })
            .collect()
    }

    fn frame_input(&mut self) -> (disan_tour::Projection, Vec<Marker>) {
        self.visit.refresh_tiles();
        self.visit.refresh_detail();
        self.renderer.inspect = self.visit.inspect_frame();
        let mut projection = self.visit.projection();
        projection.viewport *= self.dpr * self.frame_scale;
        (projection, self.markers())
    }

    /// Draws a frame into `output` (physical size = logical × dpr). Returns true while more
    /// frames are needed (a cross-fade, inertia).
    pub fn render(
        &mut self,
        ctx: &GpuContext,
        output: &wgpu_view::TextureView,
        format: wgpu_view::TextureFormat,
        time: f64,
    ) -> bool {
        // The view as the visit sees it (before the frame's pixel scale): compared with the
        // last frame's to tell a moving view, whatever size either frame was drawn at.
        let view_proj = self.visit.projection().view_proj();
        let moving = self.moved_from(view_proj);
        let (projection, markers) = self.frame_input();
        let input = FrameInput {
            projection,
            markers: &markers,
            time,
            marker_radius: MARKER_RADIUS * self.dpr * self.frame_scale,
            tiles: self.visit.tile_draws(),
            moving,
        };
        let more = self.renderer.render(ctx, output, format, &input);
        // The scene's id is copied only when it changes (not every frame).
        match &mut self.last_view {
            Some((scene, vp)) if scene.as_deref() == self.visit.current() => *vp = view_proj,
            last => *last = Some((self.visit.current().map(str::to_string), view_proj)),
        }
        // A frame drawn small or with fewer samples while moving: the next one, once the view
        // rests, is sharp.
        let sharp_next = self.frame_scale < 1.0 || self.renderer.drew_reduced();
        self.reduced_shown = sharp_next;
        if moving {
            self.moved_at = Some(time);
        }
        self.visit.frame_drawn(more || sharp_next)
    }

    /// Renders the current view offscreen and reads it back (`disan render`, tests).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn capture(
        &mut self,
        ctx: &GpuContext,
        time: f64,
    ) -> Result<disan_assets::RgbaImage, disan_render::RenderError> {
        let (projection, markers) = self.frame_input();
        let input = FrameInput {
            projection,
            markers: &markers,
            time,
            marker_radius: MARKER_RADIUS * self.dpr,
            tiles: self.visit.tile_draws(),
            moving: false,
        };
        self.renderer.capture(ctx, &input)
    }
}

/// Re-export of the wgpu types the shells need, without a direct wgpu dependency.
pub mod wgpu_view {
    pub use disan_render::wgpu::{TextureFormat, TextureView};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_at_rest_waits_for_the_view_to_stay_still() {
        // Reduced frame on screen, the view moved 50 ms ago and not since: wait.
        assert!(rest_waits(true, false, Some(1.0), 1.05));
        // Still for longer than the delay: draw it now.
        assert!(!rest_waits(true, false, Some(1.0), 1.01 + REST_DELAY));
        // Moving again: a moving frame is drawn, nothing waits.
        assert!(!rest_waits(true, true, Some(1.0), 1.05));
        // A scene's first (reduced) frame: it never moved, the full frame comes next.
        assert!(!rest_waits(true, false, None, 1.05));
        // Nothing owed.
        assert!(!rest_waits(false, false, Some(1.0), 1.05));
        // A clock that went back says nothing about stillness.
        assert!(!rest_waits(true, false, Some(1.0), 0.5));
    }
}
