//! The app loop shared by the native and web shells: current scene, navigation, hotspot overlay,
//! picking and scene changes. Platforms supply bytes/decoded images and draw the 2D UI.

use disan_assets::ModelData;
use disan_render::{
    Environment, FrameInput, GpuContext, Marker, MarkerKind, Renderer, TextureSource,
};
use disan_tour::camera::{direction_from_yaw_pitch, Bounds, OrbitCamera, PanoCamera, Projection};
use disan_tour::input::{Camera, Input, Navigator};
use disan_tour::model::{
    Content, Hotspot, HotspotKind, HotspotPlacement, SceneKind, Tour, View,
};
use disan_tour::picking::{pick_direction, pick_surface, TriangleMesh};
use glam::{Vec2, Vec3};

/// Marker radius in logical pixels.
pub const MARKER_RADIUS: f32 = 14.0;

/// What a platform must fetch to show a scene (paths relative to the tour folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetRequest {
    /// An equirectangular image.
    Panorama(String),
    /// A glTF/GLB model.
    Model(String),
}

/// What the platform should do after an input.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Go to a scene, arriving at a view.
    Go {
        scene: String,
        view: Option<View>,
        hotspot: usize,
    },
    /// Open a catalog entry.
    Open { entry: String, hotspot: usize },
}

/// A hotspot as placed on screen this frame (logical pixels).
#[derive(Debug, Clone, PartialEq)]
pub struct OverlayItem {
    /// Index in the scene's hotspots.
    pub index: usize,
    /// Screen position.
    pub position: Vec2,
    /// On screen and in front of the camera.
    pub visible: bool,
    /// Behind the object.
    pub hidden: bool,
}

struct Pending {
    scene: usize,
    view: Option<View>,
}

/// State of one running tour view.
pub struct App {
    /// The tour (catalog merged).
    pub tour: Tour,
    /// Current language.
    pub lang: String,
    /// Index of the scene on screen.
    pub current: Option<usize>,
    pending: Option<Pending>,
    /// Navigation of the current scene.
    pub nav: Option<Navigator>,
    mesh: Option<(TriangleMesh, Bounds)>,
    /// The renderer.
    pub renderer: Renderer,
    /// Logical size.
    pub size: Vec2,
    /// Physical pixels per logical pixel.
    pub dpr: f32,
    dirty: bool,
    /// Hotspot under the pointer.
    pub hovered: Option<usize>,
    /// Hotspot to highlight (focused card).
    pub selected: Option<usize>,
    /// Draw hotspot markers on the GPU (the web shell draws them as DOM buttons instead).
    pub draw_markers: bool,
    /// Environment image lighting objects now (`None`: the neutral studio).
    environment: Option<String>,
}

impl App {
    /// A new app for `tour`, with a renderer on `ctx`.
    pub fn new(ctx: &GpuContext, tour: Tour, width: f32, height: f32, dpr: f32) -> App {
        let lang = tour.default_language().to_string();
        App {
            tour,
            lang,
            current: None,
            pending: None,
            nav: None,
            mesh: None,
            renderer: Renderer::new(ctx),
            size: Vec2::new(width.max(1.0), height.max(1.0)),
            dpr: dpr.max(0.25),
            dirty: true,
            hovered: None,
            selected: None,
            draw_markers: true,
            environment: None,
        }
    }

    /// The environment image the pending scene needs and that is not loaded yet.
    pub fn pending_environment(&self) -> Option<String> {
        let p = self.pending.as_ref()?;
        let scene = &self.tour.scenes[p.scene];
        let env = self.tour.environment_of(scene)?;
        (self.environment.as_deref() != Some(env)).then(|| env.to_string())
    }

    /// The environment image `path` has arrived (decoded); lights objects from now on.
    pub fn environment_ready(&mut self, ctx: &GpuContext, path: &str, env: Environment) {
        self.renderer.set_environment(ctx, env);
        self.environment = Some(path.to_string());
    }

    /// Id of the scene on screen.
    pub fn current_id(&self) -> Option<&str> {
        self.current
            .and_then(|i| self.tour.scenes.get(i))
            .map(|s| s.id.as_str())
    }

    /// Hotspots of the scene on screen.
    pub fn hotspots(&self) -> &[Hotspot] {
        self.current
            .and_then(|i| self.tour.scenes.get(i))
            .map(|s| s.hotspots.as_slice())
            .unwrap_or(&[])
    }

    /// Starts going to scene `id`; returns what to fetch. The old scene stays until then.
    pub fn begin_scene(&mut self, id: &str, view: Option<View>) -> Result<AssetRequest, String> {
        let index = self
            .tour
            .scene_index(id)
            .ok_or_else(|| format!("unknown scene \"{id}\""))?;
        let scene = &self.tour.scenes[index];
        let req = match &scene.content {
            Content::Panorama(p) => AssetRequest::Panorama(
                p.image
                    .clone()
                    .ok_or_else(|| format!("scene \"{id}\" has no image"))?,
            ),
            Content::Object(o) => AssetRequest::Model(
                o.model
                    .clone()
                    .ok_or_else(|| format!("scene \"{id}\" has no model"))?,
            ),
        };
        self.pending = Some(Pending { scene: index, view });
        Ok(req)
    }

    fn take_pending(&mut self, id: &str) -> Result<(usize, Option<View>), String> {
        match self.pending.take() {
            Some(p) if self.tour.scenes[p.scene].id == id => Ok((p.scene, p.view)),
            other => {
                self.pending = other;
                Err(format!(
                    "scene \"{id}\" was not requested (or another was requested since)"
                ))
            }
        }
    }

    /// The panorama of the pending scene has arrived.
    pub fn panorama_ready(
        &mut self,
        ctx: &GpuContext,
        id: &str,
        image: TextureSource,
    ) -> Result<(), String> {
        let (index, view) = self.take_pending(id)?;
        self.renderer
            .show_panorama(ctx, image)
            .map_err(|e| e.to_string())?;
        let scene = &self.tour.scenes[index];
        let pano = scene.panorama().cloned().unwrap_or_default();
        let base = pano.view.unwrap_or_default();
        let v = view.unwrap_or(base);
        let cam = PanoCamera::new(
            v.yaw,
            v.pitch,
            v.fov.or(base.fov).unwrap_or(75.0),
            pano.fov_range,
        );
        self.nav = Some(Navigator::new(Camera::Pano(cam), self.size.y));
        self.mesh = None;
        self.enter(index);
        Ok(())
    }

    /// The model of the pending scene has arrived (`images` decoded by the platform).
    pub fn model_ready(
        &mut self,
        ctx: &GpuContext,
        id: &str,
        model: &ModelData,
        images: Vec<Option<TextureSource>>,
    ) -> Result<(), String> {
        let (index, view) = self.take_pending(id)?;
        let scene = &self.tour.scenes[index];
        if self.tour.environment_of(scene).is_none() && self.environment.is_some() {
            self.renderer.set_environment(ctx, Environment::neutral());
            self.environment = None;
        }
        let obj = scene.object().cloned().unwrap_or_default();
        self.renderer.exposure = obj.exposure.unwrap_or(1.0);
        self.renderer.environment_intensity = obj.environment_intensity.unwrap_or(1.0);
        self.renderer.show_model(ctx, model, images);
        let orbit = obj.orbit.unwrap_or(disan_tour::model::Orbit {
            yaw: 25.0,
            pitch: 15.0,
            distance: None,
            target: None,
        });
        let (yaw, pitch, distance) = match view {
            Some(v) => (v.yaw, v.pitch, v.distance.or(orbit.distance)),
            None => (orbit.yaw, orbit.pitch, orbit.distance),
        };
        let cam = OrbitCamera::fit(
            model.bounds,
            yaw,
            pitch,
            distance,
            orbit.target.map(Vec3::from),
        );
        self.nav = Some(Navigator::new(Camera::Orbit(cam), self.size.y));
        self.mesh = Some((model.triangle_mesh(), model.bounds));
        self.enter(index);
        Ok(())
    }

    /// Gives up on the pending scene (its assets failed): the current one stays.
    pub fn cancel_pending(&mut self) {
        self.pending = None;
    }

    fn enter(&mut self, index: usize) {
        self.current = Some(index);
        self.hovered = None;
        self.selected = None;
        self.dirty = true;
    }

    /// Sets the logical size and pixel ratio.
    pub fn resize(&mut self, width: f32, height: f32, dpr: f32) {
        self.size = Vec2::new(width.max(1.0), height.max(1.0));
        self.dpr = dpr.max(0.25);
        if let Some(n) = &mut self.nav {
            n.height = self.size.y;
        }
        self.dirty = true;
    }

    /// Asks for a frame.
    pub fn request_redraw(&mut self) {
        self.dirty = true;
    }

    /// Camera matrices in logical pixels.
    pub fn projection(&self) -> Projection {
        match self.nav.as_ref().map(|n| n.camera) {
            Some(Camera::Pano(c)) => c.projection(self.size.x, self.size.y),
            Some(Camera::Orbit(c)) => c.projection(self.size.x, self.size.y),
            None => PanoCamera::default().projection(self.size.x, self.size.y),
        }
    }

    /// Where each hotspot of the current scene is on screen.
    pub fn overlay(&self) -> Vec<OverlayItem> {
        let Some(index) = self.current else {
            return Vec::new();
        };
        let scene = &self.tour.scenes[index];
        let p = self.projection();
        let margin = 40.0;
        let on_screen = |v: Vec2| {
            v.x >= -margin
                && v.y >= -margin
                && v.x <= self.size.x + margin
                && v.y <= self.size.y + margin
        };
        scene
            .hotspots
            .iter()
            .enumerate()
            .map(|(i, h)| match h.placement(scene.kind()) {
                Some(HotspotPlacement::Direction { yaw, pitch }) => {
                    let pos = p.project_direction(direction_from_yaw_pitch(yaw, pitch));
                    OverlayItem {
                        index: i,
                        position: pos.unwrap_or(Vec2::splat(-1e4)),
                        visible: pos.is_some_and(on_screen),
                        hidden: false,
                    }
                }
                Some(HotspotPlacement::Surface { position, normal }) => {
                    let world = position;
                    let pos = p.project(world).map(|(v, _)| v);
                    let hidden = match &self.mesh {
                        Some((mesh, b)) => {
                            // Lift the point off the surface a little so the face it sits on does not hide it.
                            let lifted = world + normal * b.radius() * 0.004;
                            mesh.occludes(p.eye, lifted, b.radius())
                        }
                        None => false,
                    };
                    OverlayItem {
                        index: i,
                        position: pos.unwrap_or(Vec2::splat(-1e4)),
                        visible: pos.is_some_and(on_screen),
                        hidden,
                    }
                }
                None => OverlayItem {
                    index: i,
                    position: Vec2::splat(-1e4),
                    visible: false,
                    hidden: false,
                },
            })
            .collect()
    }

    /// The hotspot under a logical pixel, honouring occlusion.
    pub fn pick(&self, at: Vec2) -> Option<usize> {
        let index = self.current?;
        let scene = &self.tour.scenes[index];
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
                let fov = match self.nav.as_ref().map(|n| n.camera) {
                    Some(Camera::Pano(c)) => c.fov,
                    _ => 75.0,
                };
                let max_angle = radius * fov / self.size.y;
                let only: Vec<Vec3> = dirs.iter().map(|d| d.1).collect();
                pick_direction(ray.dir, &only, max_angle).map(|k| dirs[k].0)
            }
            SceneKind::Object => {
                let (mesh, bounds) = self.mesh.as_ref()?;
                let pts: Vec<(usize, Vec3)> = scene
                    .hotspots
                    .iter()
                    .enumerate()
                    .filter_map(|(i, h)| match h.placement(SceneKind::Object) {
                        Some(HotspotPlacement::Surface { position, normal }) => {
                            Some((i, position + normal * bounds.radius() * 0.004))
                        }
                        _ => None,
                    })
                    .collect();
                let only: Vec<Vec3> = pts.iter().map(|d| d.1).collect();
                pick_surface(&p, at, &only, mesh, bounds.radius(), radius).map(|k| pts[k].0)
            }
        }
    }

    /// What activating hotspot `i` of the current scene does.
    pub fn activate(&self, i: usize) -> Option<Action> {
        let h = self.hotspots().get(i)?;
        match h.kind {
            HotspotKind::Link => Some(Action::Go {
                scene: h.target.clone()?,
                view: h.view,
                hotspot: i,
            }),
            HotspotKind::Info => Some(Action::Open {
                entry: h.entry.clone()?,
                hotspot: i,
            }),
        }
    }

    /// Feeds an input event (logical pixels); returns an action when a hotspot was clicked.
    pub fn input(&mut self, input: Input, now: f64) -> Option<Action> {
        if let Input::PointerMove { pos, .. } = input {
            if !self.nav.as_ref().is_some_and(Navigator::dragging) {
                let h = self.pick(pos);
                if h != self.hovered {
                    self.hovered = h;
                    self.dirty = true;
                }
            }
        }
        let nav = self.nav.as_mut()?;
        let resp = nav.handle(input, now);
        if resp.redraw {
            self.dirty = true;
        }
        let click = resp.click?;
        let i = self.pick(click)?;
        self.activate(i)
    }

    /// Advances inertia; true when a frame should be drawn.
    pub fn update(&mut self, dt: f32) -> bool {
        if let Some(n) = &mut self.nav {
            if n.update(dt) {
                self.dirty = true;
            }
        }
        self.dirty
    }

    /// True when a frame is wanted.
    pub fn needs_frame(&self) -> bool {
        self.dirty
    }

    /// Markers for the renderer, in physical pixels.
    pub fn markers(&self) -> Vec<Marker> {
        if !self.draw_markers {
            return Vec::new();
        }
        let hs = self.hotspots();
        self.overlay()
            .into_iter()
            .filter(|o| o.visible)
            .map(|o| Marker {
                position: o.position * self.dpr,
                kind: if hs[o.index].kind == HotspotKind::Link {
                    MarkerKind::Link
                } else {
                    MarkerKind::Info
                },
                hidden: o.hidden,
                highlighted: self.hovered == Some(o.index) || self.selected == Some(o.index),
            })
            .collect()
    }

    /// Draws a frame into `output` (physical size = logical × dpr). Returns true while more
    /// frames are needed (a cross-fade).
    pub fn render(
        &mut self,
        ctx: &GpuContext,
        output: &wgpu_view::TextureView,
        format: wgpu_view::TextureFormat,
        time: f64,
    ) -> bool {
        let (projection, markers) = self.frame_view();
        let input = FrameInput {
            projection,
            markers: &markers,
            time,
            marker_radius: MARKER_RADIUS * self.dpr,
        };
        let more = self.renderer.render(ctx, output, format, &input) || self.animating();
        self.dirty = more;
        more
    }

    /// Renders the current view offscreen and reads it back (`disan render`, tests).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn capture(
        &mut self,
        ctx: &GpuContext,
        time: f64,
    ) -> Result<disan_assets::RgbaImage, disan_render::RenderError> {
        let (projection, markers) = self.frame_view();
        let input = FrameInput {
            projection,
            markers: &markers,
            time,
            marker_radius: MARKER_RADIUS * self.dpr,
        };
        self.renderer.capture(ctx, &input)
    }

    /// Camera matrices and markers in physical pixels.
    fn frame_view(&self) -> (Projection, Vec<Marker>) {
        let mut projection = self.projection();
        projection.viewport *= self.dpr;
        (projection, self.markers())
    }

    /// True while the camera still moves by inertia.
    pub fn animating(&self) -> bool {
        match self.nav.as_ref().map(|n| n.camera) {
            Some(Camera::Pano(c)) => c.velocity != Vec2::ZERO,
            Some(Camera::Orbit(c)) => c.velocity != Vec2::ZERO,
            None => false,
        }
    }

    /// The view of the current scene, as a tour `View`.
    pub fn view(&self) -> Option<View> {
        match self.nav.as_ref()?.camera {
            Camera::Pano(c) => Some(View {
                yaw: c.yaw,
                pitch: c.pitch,
                fov: Some(c.fov),
                distance: None,
            }),
            Camera::Orbit(c) => Some(View {
                yaw: c.yaw,
                pitch: c.pitch,
                fov: None,
                distance: Some(c.distance),
            }),
        }
    }
}

/// Re-export of the wgpu types the shells need, without a direct wgpu dependency.
pub mod wgpu_view {
    pub use disan_render::wgpu::{TextureFormat, TextureView};
}
