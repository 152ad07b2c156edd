//! The visit core: the state machine of one visit of a tour, with no GPU, window or browser.
//! Both shells (native and web) drive it with input events and time; it answers with what to
//! fetch ([`Request`]s), what to draw ([`Visit::projection`], [`Visit::markers`]), what the
//! overlay shows ([`Visit::overlay`], [`Visit::hotspot_labels`], [`Visit::card`]) and what happened
//! ([`Event`]s). Which scene starts, going to a scene, what a hotspot does, the language and the
//! errors shown in a scene are decided here and nowhere else.

mod detail;
mod guide;
#[cfg(test)]
mod guide_tests;
mod loading;
mod overlay;
mod stream;
#[cfg(test)]
mod tests;
mod tools;

pub use detail::DetailStatus;
pub use guide::{device_view, GuideState, StepInfo, DEFAULT_AUTOROTATE_DELAY};
pub use loading::{Delivery, Entering, Request, RequestId, Resource};
pub use overlay::{
    Card, CardField, CardImage, HotspotLabel, MarkerView, OverlayItem, EDGE_SPACING,
};
pub use stream::{TileSetup, MAX_LOADING};

use crate::camera::{Bounds, OrbitCamera, PanoCamera, Projection};
use crate::input::{Camera, Input, Navigator};
use crate::model::{Content, HotspotKind, Orbit, Tour, View};
use crate::picking::TriangleMesh;
use crate::ui_text;
use glam::{Vec2, Vec3};
use loading::Arriving;
use stream::TileStream;

/// Marker radius in logical pixels.
pub const MARKER_RADIUS: f32 = 14.0;

/// Something that happened, for the shell to show or announce (drained by [`Visit::take_events`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A scene is now on screen (also when its content failed: see [`Visit::scene_error`]).
    SceneChanged {
        /// Id of the scene.
        scene: String,
    },
    /// A hotspot was activated (click, tap, keyboard).
    HotspotActivated {
        /// Scene it belongs to.
        scene: String,
        /// Its index in the scene.
        index: usize,
        /// Its id, if it has one.
        id: Option<String>,
        /// `link` or `info`.
        kind: HotspotKind,
        /// Link: the scene it goes to.
        target: Option<String>,
        /// Info: the catalog entry it opens.
        entry: Option<String>,
    },
    /// The catalog card of this entry opened.
    CardOpened {
        /// Catalog entry id.
        entry: String,
    },
    /// The card closed.
    CardClosed,
    /// The interface language changed.
    LanguageChanged {
        /// The new language.
        lang: String,
    },
    /// A guided tour step began (also when the visitor picked it).
    TourStep {
        /// The guided tour's id.
        tour: String,
        /// The step, from 0.
        step: usize,
        /// Steps in the tour.
        count: usize,
    },
    /// The guided tour paused (the visitor looked around, or pressed pause).
    TourPaused {
        /// The guided tour's id.
        tour: String,
        /// The step, from 0.
        step: usize,
    },
    /// The guided tour ended (its last step ran out, or the visitor left it).
    TourEnd {
        /// The guided tour's id.
        tour: String,
        /// True when every step was played to its end.
        completed: bool,
    },
    /// The kiosk went back to its start and plays its attract loop (`true`), or a touch stopped
    /// it (`false`).
    Attract {
        /// Whether the attract loop now runs.
        running: bool,
    },
    /// Something failed; `message` is in the visit's language and names the file.
    Error {
        /// What to tell the visitor.
        message: String,
    },
}

/// What activating a hotspot did.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Started going to a scene.
    Go {
        /// The scene.
        scene: String,
        /// The hotspot that was activated.
        hotspot: usize,
    },
    /// Opened a catalog entry.
    Open {
        /// The entry.
        entry: String,
        /// The hotspot that was activated.
        hotspot: usize,
    },
}

/// Errors of the visit's API (a request the tour cannot satisfy).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VisitError {
    /// No scene has this id.
    #[error("unknown scene \"{0}\"")]
    UnknownScene(String),
    /// The tour has no scene at all.
    #[error("the tour has no scenes")]
    NoScenes,
    /// No guided tour has this id.
    #[error("unknown guided tour \"{0}\"")]
    UnknownTour(String),
    /// The guided tour has fewer steps.
    #[error("guided tour \"{tour}\" has {count} steps, not {step}")]
    NoStep {
        /// The guided tour.
        tour: String,
        /// The step asked for, from 1.
        step: usize,
        /// Its steps.
        count: usize,
    },
}

/// The scene on screen.
#[derive(Debug, Clone)]
struct Shown {
    scene: usize,
    nav: Navigator,
    /// Object scenes: the model's triangles (picking, occlusion) and bounds.
    model: Option<(TriangleMesh, Bounds)>,
    /// The scene's content failed: this message is shown in the scene.
    error: Option<String>,
    /// Tiled panoramas: what is loaded and drawn.
    stream: Option<TileStream>,
    /// Object scenes: the inspection tools and measurements (gone with the scene).
    tools: tools::Tools,
    /// Object scenes with derivatives: the level shown and the finer one loading.
    detail: Option<detail::Detail>,
}

/// One visit of a tour.
#[derive(Debug, Clone)]
pub struct Visit {
    tour: Tour,
    lang: String,
    size: Vec2,
    shown: Option<Shown>,
    arriving: Option<Arriving>,
    queue: Vec<Request>,
    cancelled: Vec<RequestId>,
    next_id: RequestId,
    /// Environment lighting objects now, as far as the core knows (`None`: the neutral studio).
    environment: Option<String>,
    hovered: Option<usize>,
    card: Option<String>,
    events: Vec<Event>,
    dirty: bool,
    /// A scene that entered without fetching anything, until the shell takes it.
    pending_entry: Option<Entering>,
    /// Physical pixels per logical pixel (tile levels are chosen for physical pixels).
    dpr: f32,
    /// Bytes the renderer may spend on a tile cache, and its most layers.
    tile_budget: (u64, u32),
    /// The shell's clock at the last update (seconds).
    now: Option<f64>,
    /// The clock when the visitor last touched anything.
    last_touch: f64,
    /// Auto-rotation, degrees per second (negative: to the left), and the seconds it waits
    /// after the last touch.
    autorotate: Option<(f32, f32)>,
    /// The guided tour being played.
    guide: Option<guide::Guide>,
    /// Kiosk mode: idle reset and attract loop.
    kiosk: Option<guide::KioskState>,
    /// The gyroscope steers the view.
    gyro: Option<guide::Gyro>,
    /// What the device allows a model to take (derivatives are chosen by it).
    device: crate::derivatives::DeviceLimits,
}

/// Tile cache bytes when the shell says nothing (a phone-sized budget).
pub const DEFAULT_TILE_BUDGET: u64 = 128 << 20;

impl Visit {
    /// A visit of `tour` (catalog merged) in a view of `width` × `height` logical pixels.
    pub fn new(tour: Tour, width: f32, height: f32) -> Visit {
        let lang = tour.default_language().to_string();
        Visit {
            tour,
            lang,
            size: Vec2::new(width.max(1.0), height.max(1.0)),
            shown: None,
            arriving: None,
            queue: Vec::new(),
            cancelled: Vec::new(),
            next_id: 1,
            environment: None,
            hovered: None,
            card: None,
            events: Vec::new(),
            dirty: true,
            pending_entry: None,
            dpr: 1.0,
            tile_budget: (DEFAULT_TILE_BUDGET, 256),
            now: None,
            last_touch: 0.0,
            autorotate: None,
            guide: None,
            kiosk: None,
            gyro: None,
            device: Default::default(),
        }
    }

    /// Physical pixels per logical pixel.
    pub fn set_pixel_ratio(&mut self, dpr: f32) {
        self.dpr = dpr.max(0.25);
    }

    /// The renderer's tile cache budget: bytes, and the most texture array layers. Applies to
    /// tiled scenes entered from now on.
    pub fn set_tile_budget(&mut self, bytes: u64, max_layers: u32) {
        self.tile_budget = (bytes.max(1 << 20), max_layers.max(6));
    }

    /// The tour.
    pub fn tour(&self) -> &Tour {
        &self.tour
    }

    /// The scene a visit opens with: `wanted` (a shared link, `--scene`) when the tour has it,
    /// else the tour's start scene, else its first.
    pub fn start_scene(&self, wanted: Option<&str>) -> Result<String, VisitError> {
        if let Some(id) = wanted.filter(|id| self.tour.scene(id).is_some()) {
            return Ok(id.to_string());
        }
        self.tour
            .start()
            .or(self.tour.scenes.first())
            .map(|s| s.id.clone())
            .ok_or(VisitError::NoScenes)
    }

    /// Starts the visit at [`Visit::start_scene`].
    pub fn start(
        &mut self,
        wanted: Option<&str>,
        view: Option<View>,
    ) -> Result<String, VisitError> {
        let id = self.start_scene(wanted)?;
        self.go(&id, view)?;
        Ok(id)
    }

    // --- Scenes and loading -------------------------------------------------------------------

    /// Goes to scene `id`, arriving at `view` (the scene's own view when `None`). The scene on
    /// screen stays until the new one's resources are in; a scene still arriving is abandoned
    /// (its requests are cancelled). Going to the scene on screen just turns to `view`.
    pub fn go(&mut self, id: &str, view: Option<View>) -> Result<(), VisitError> {
        let index = self
            .tour
            .scene_index(id)
            .ok_or_else(|| VisitError::UnknownScene(id.to_string()))?;
        if let Some(a) = self.arriving.take() {
            if a.scene == index {
                self.arriving = Some(Arriving { view, ..a });
                return Ok(());
            }
            self.cancel(a);
        }
        if let Some(shown) = &mut self.shown {
            if shown.scene == index && shown.error.is_none() {
                if let Some(v) = view {
                    shown.nav.fly_to(&v, true);
                    self.dirty = true;
                }
                return Ok(());
            }
        }
        // Tiles and finer levels of the scene being left are not fetched any more.
        self.cancel_detail();
        if let Some(st) = self.shown.as_mut().and_then(|s| s.stream.as_mut()) {
            let ids = st.cancel_all();
            self.cancelled.extend(ids);
        }
        let scene = &self.tour.scenes[index];
        let mut wants: Vec<(Resource, Option<String>, u32)> = Vec::new();
        let mut environment = None;
        let mut stream = None;
        let mut failure = None;
        let mut level = None;
        match &scene.content {
            Content::Panorama(p) if p.tiles.is_some() || p.cube.is_some() => {
                let pyramid = match (&p.tiles, &p.cube) {
                    (Some(t), _) => crate::tiles::Pyramid::from_tiles(t),
                    (None, Some(c)) => crate::tiles::Pyramid::from_faces(c),
                    _ => Err(String::new()),
                };
                match pyramid {
                    Ok(pyr) => {
                        let (bytes, layers) = self.tile_budget;
                        let screen = self.size.x * self.size.y * self.dpr * self.dpr;
                        stream = Some(TileStream::new(pyr, &scene.id, bytes, layers, screen));
                        if let Some(preview) = p.tiles.as_ref().and_then(|t| t.preview.clone()) {
                            wants.push((Resource::Panorama, Some(preview), 0));
                        }
                    }
                    Err(e) => {
                        failure = Some(format!("scene \"{}\": {e}", scene.id));
                    }
                }
            }
            Content::Panorama(p) => wants.push((Resource::Panorama, p.image.clone(), 0)),
            Content::Object(o) if !o.derivatives.is_empty() => {
                // The thumb first; the level the device and view allow follows once it shows.
                let levels = &o.derivatives;
                match crate::derivatives::choose(levels, self.device, self.opening_coverage()) {
                    Some(best) => {
                        let first = crate::derivatives::first(levels, self.device, best);
                        level = Some(first);
                        wants.push((Resource::Model, Some(levels[first].model.clone()), 0));
                    }
                    None if o.model.is_some() => wants.push((Resource::Model, o.model.clone(), 0)),
                    None => {
                        failure = Some(format!(
                            "scene \"{}\": none of its derivatives fits this device (textures up to {} px, {} MB of GPU memory)",
                            scene.id,
                            self.device.max_texture,
                            self.device.gpu_budget >> 20
                        ));
                    }
                }
                if let Some(env) = self.tour.environment_of(scene) {
                    environment = Some(env.to_string());
                    if self.environment.as_deref() != Some(env) {
                        wants.push((Resource::Environment, Some(env.to_string()), 1));
                    }
                }
            }
            Content::Object(o) => {
                wants.push((Resource::Model, o.model.clone(), 0));
                if let Some(env) = self.tour.environment_of(scene) {
                    environment = Some(env.to_string());
                    if self.environment.as_deref() != Some(env) {
                        wants.push((Resource::Environment, Some(env.to_string()), 1));
                    }
                }
            }
        }
        let mut a = Arriving {
            scene: index,
            view,
            waiting: Vec::new(),
            arrived: Vec::new(),
            model: None,
            environment,
            failure,
            environment_failed: None,
            stream: None,
            level,
        };
        for (resource, path, priority) in wants {
            match path {
                Some(path) => {
                    let rid = self.next_id;
                    self.next_id += 1;
                    a.waiting.push((rid, resource));
                    self.queue.push(Request {
                        id: rid,
                        scene: scene.id.clone(),
                        resource,
                        path,
                        priority,
                    });
                }
                None => {
                    a.failure = Some(format!(
                        "scene \"{}\" names no {}",
                        scene.id,
                        resource.name()
                    ))
                }
            }
        }
        if let Some(mut st) = stream {
            // The coarsest level covers the sphere: without a preview the scene waits for it.
            let base = st.base_requests(&mut self.next_id, 1);
            if a.waiting.is_empty() {
                a.waiting.extend(base.iter().map(|r| (r.id, r.resource)));
            }
            self.queue.extend(base);
            a.stream = Some(st);
        }
        self.arriving = Some(a);
        if self.arriving.as_ref().is_some_and(|a| a.waiting.is_empty()) {
            // Nothing to fetch (a scene without its file): it enters at once, with its error.
            if let Some(e) = self.try_enter() {
                self.pending_entry = Some(e);
            }
        }
        Ok(())
    }

    fn cancel(&mut self, a: Arriving) {
        let mut ids: Vec<RequestId> = a.waiting.iter().map(|w| w.0).collect();
        if let Some(mut st) = a.stream {
            ids.extend(st.cancel_all());
        }
        ids.sort_unstable();
        ids.dedup();
        self.queue.retain(|r| !ids.contains(&r.id));
        self.cancelled.extend(ids);
    }

    /// New requests, most urgent first; each is returned once.
    pub fn take_requests(&mut self) -> Vec<Request> {
        let mut out = std::mem::take(&mut self.queue);
        out.sort_by_key(|r| r.priority);
        out
    }

    /// Requests handed out earlier that are no longer wanted: stop fetching them if you can.
    pub fn take_cancelled(&mut self) -> Vec<RequestId> {
        std::mem::take(&mut self.cancelled)
    }

    /// True while request `id` is still wanted (check before expensive work on its result).
    pub fn is_wanted(&self, id: RequestId) -> bool {
        self.requested(id).is_some()
    }

    /// What request `id` asks for, while it is wanted.
    pub fn requested(&self, id: RequestId) -> Option<Resource> {
        if self.detail_request(id).is_some() {
            return Some(Resource::Model);
        }
        if let Some(a) = &self.arriving {
            if let Some(w) = a.waiting.iter().find(|w| w.0 == id) {
                return Some(w.1);
            }
        }
        let streams = [
            self.arriving.as_ref().and_then(|a| a.stream.as_ref()),
            self.shown.as_ref().and_then(|s| s.stream.as_ref()),
        ];
        streams.into_iter().flatten().find_map(|st| {
            let key = st.loading_key(id)?;
            let slot = st.slot_of_key(key)?;
            Some(Resource::Tile {
                face: key.face,
                level: key.level,
                x: key.x,
                y: key.y,
                slot,
            })
        })
    }

    /// Adds the entries of a separate catalog file (`catalog.json`) to the tour's.
    pub fn merge_catalog(&mut self, catalog: crate::model::Catalog) {
        self.tour.merge_catalog(catalog);
    }

    /// A scene that entered with nothing to fetch (its file is not named), to be shown now.
    pub fn take_entry(&mut self) -> Option<Entering> {
        self.pending_entry.take()
    }

    /// Request `id` (an image: panorama or environment) has arrived and is decoded.
    pub fn loaded(&mut self, id: RequestId) -> Delivery {
        self.answer(id, None, None)
    }

    /// Request `id` (a model) has arrived: its triangles and bounds, for picking and framing.
    pub fn model_loaded(&mut self, id: RequestId, mesh: TriangleMesh, bounds: Bounds) -> Delivery {
        self.answer(id, Some((mesh, bounds)), None)
    }

    /// Request `id` failed with `message` (which names the file). A failed panorama or model is
    /// shown as the scene's error; a failed environment only falls back to the neutral studio.
    pub fn failed(&mut self, id: RequestId, message: &str) -> Delivery {
        self.answer(id, None, Some(message.to_string()))
    }

    fn answer(
        &mut self,
        id: RequestId,
        model: Option<(TriangleMesh, Bounds)>,
        failure: Option<String>,
    ) -> Delivery {
        // A finer level of the object on screen.
        if let Some(level) = self.detail_request(id) {
            let Some(shown) = self.shown.as_mut() else {
                return Delivery::Stale;
            };
            let Some(d) = shown.detail.as_mut() else {
                return Delivery::Stale;
            };
            d.loading = None;
            return match (failure, model) {
                (None, Some(m)) => {
                    d.shown = level;
                    shown.model = Some(m);
                    self.dirty = true;
                    Delivery::Swap
                }
                _ => {
                    // The level shown stays (a lighter view of the same object, not an error
                    // worth interrupting the visit); this one is not asked for again.
                    d.failed.push(level);
                    Delivery::Stale
                }
            };
        }
        // A tile of the scene on screen.
        if let Some(st) = self.shown.as_mut().and_then(|s| s.stream.as_mut()) {
            if st.loading_key(id).is_some() {
                return match failure {
                    None => {
                        st.arrived(id);
                        self.dirty = true;
                        Delivery::Show
                    }
                    Some(m) => {
                        st.failed(id);
                        if !std::mem::replace(&mut st.reported, true) {
                            let text = self.failed_text(&m);
                            self.events.push(Event::Error { message: text });
                        }
                        Delivery::Stale
                    }
                };
            }
        }
        let Some(a) = self.arriving.as_mut() else {
            return Delivery::Stale;
        };
        let Some(k) = a.waiting.iter().position(|w| w.0 == id) else {
            // A tile of the arriving scene it does not wait for: kept until it enters.
            let Some(st) = a.stream.as_mut() else {
                return Delivery::Stale;
            };
            let Some(key) = st.loading_key(id) else {
                return Delivery::Stale;
            };
            let slot = st.slot_of_key(key).unwrap_or(0);
            if failure.is_none() {
                st.arrived(id);
                a.arrived.push((
                    id,
                    Resource::Tile {
                        face: key.face,
                        level: key.level,
                        x: key.x,
                        y: key.y,
                        slot,
                    },
                ));
                return Delivery::Wait;
            }
            st.failed(id);
            return Delivery::Stale;
        };
        let (rid, resource) = a.waiting.remove(k);
        if let Some(st) = a.stream.as_mut() {
            if failure.is_none() {
                st.arrived(rid);
            } else if st.failed(rid).is_some() {
                // A base tile failed: the scene still enters (that face shows the fill).
                if !a.waiting.is_empty() {
                    return Delivery::Wait;
                }
                return match self.try_enter() {
                    Some(e) => Delivery::Enter(e),
                    None => Delivery::Wait,
                };
            }
        }
        match failure {
            Some(m) if resource == Resource::Environment => a.environment_failed = Some(m),
            Some(m) => {
                if a.failure.is_none() {
                    a.failure = Some(m);
                }
            }
            None => {
                if model.is_some() {
                    a.model = model;
                }
                a.arrived.push((rid, resource));
            }
        }
        if !a.waiting.is_empty() {
            return Delivery::Wait;
        }
        match self.try_enter() {
            Some(e) => Delivery::Enter(e),
            None => Delivery::Wait,
        }
    }

    /// Puts the arriving scene on screen (all its requests are answered).
    fn try_enter(&mut self) -> Option<Entering> {
        let a = self.arriving.take()?;
        let scene = &self.tour.scenes[a.scene];
        let id = scene.id.clone();
        let mut entering = Entering {
            scene: id.clone(),
            resources: Vec::new(),
            neutral_environment: false,
            exposure: 1.0,
            environment_intensity: 1.0,
            tiles: a.stream.as_ref().map(|st| st.setup),
            coverage: scene.panorama().and_then(|p| p.coverage),
            failed: a.failure.is_some(),
        };
        let nav = match &scene.content {
            Content::Panorama(p) => {
                let base = p.view.unwrap_or_default();
                let v = a.view.unwrap_or(base);
                let fov = v.fov.or(base.fov).unwrap_or(75.0);
                Navigator::new(
                    Camera::Pano(PanoCamera::new(v.yaw, v.pitch, fov, p.fov_range)),
                    self.size.y,
                )
            }
            Content::Object(o) => {
                entering.exposure = o.exposure.unwrap_or(1.0);
                entering.environment_intensity = o.environment_intensity.unwrap_or(1.0);
                // Without an orbit: the front, seen from a little above, like <model-viewer>'s
                // default camera (azimuth 0°, polar 75°).
                let orbit = o.orbit.unwrap_or(Orbit {
                    yaw: 0.0,
                    pitch: 15.0,
                    distance: None,
                    target: None,
                });
                let (yaw, pitch, distance) = match a.view {
                    Some(v) => (v.yaw, v.pitch, v.distance.or(orbit.distance)),
                    None => (orbit.yaw, orbit.pitch, orbit.distance),
                };
                let target = orbit.target.map(Vec3::from);
                // Framed by the model's vertices (the sphere around its box is larger: a round
                // relic would fill half the view).
                let (bounds, radius) = match &a.model {
                    Some((mesh, b)) if a.failure.is_none() => {
                        let centre = target.unwrap_or(b.center());
                        let r = mesh
                            .positions
                            .iter()
                            .map(|p| p.distance(centre))
                            .fold(0.0f32, f32::max);
                        (*b, if r > 0.0 { r } else { b.radius() })
                    }
                    _ => {
                        let b = hotspot_bounds(scene);
                        (b, b.radius())
                    }
                };
                let cam = OrbitCamera::fit_sphere(bounds, radius, yaw, pitch, distance, target);
                Navigator::new(Camera::Orbit(cam), self.size.y)
            }
        };
        if a.failure.is_none() {
            // The environment first, so the model is lit by it from its first frame.
            let mut res = a.arrived.clone();
            res.sort_by_key(|r| r.1 != Resource::Environment);
            entering.resources = res;
            if scene.object().is_some() {
                let lit_by = if a.environment_failed.is_some() {
                    None
                } else {
                    a.environment.clone()
                };
                entering.neutral_environment = lit_by.is_none() && self.environment.is_some();
                self.environment = lit_by;
            }
        }
        let error = a.failure.as_deref().map(|m| self.failed_text(m));
        for m in [&error, &a.environment_failed].into_iter().flatten() {
            self.events.push(Event::Error { message: m.clone() });
        }
        self.shown = Some(Shown {
            scene: a.scene,
            nav,
            model: if a.failure.is_none() { a.model } else { None },
            error: a.failure,
            stream: a.stream,
            tools: Default::default(),
            detail: a
                .level
                .filter(|_| !entering.failed)
                .map(|shown| detail::Detail {
                    shown,
                    ..Default::default()
                }),
        });
        self.hovered = None;
        if self.card.take().is_some() {
            self.events.push(Event::CardClosed);
        }
        self.dirty = true;
        self.events.push(Event::SceneChanged { scene: id });
        Some(entering)
    }

    /// The renderer could not show the entered scene (e.g. an image over the GPU's limit):
    /// the scene shows `message` instead.
    pub fn show_failed(&mut self, message: &str) {
        let text = self.failed_text(message);
        if let Some(s) = &mut self.shown {
            s.error = Some(message.to_string());
            s.model = None;
            s.detail = None;
            if let Some(mut st) = s.stream.take() {
                self.cancelled.extend(st.cancel_all());
            }
        }
        self.events.push(Event::Error { message: text });
        self.dirty = true;
    }

    /// Tiled panoramas: works out what the current view draws and needs, and queues its tile
    /// requests (fetch them after the frame). Call once before drawing each frame.
    pub fn refresh_tiles(&mut self) {
        let mut proj = self.projection();
        proj.viewport *= self.dpr;
        let Some(st) = self.shown.as_mut().and_then(|s| s.stream.as_mut()) else {
            return;
        };
        let (requests, cancelled) = st.refresh(&proj, &mut self.next_id);
        self.queue.extend(requests);
        self.cancelled.extend(cancelled);
    }

    /// The tiles to draw this frame (after [`Visit::refresh_tiles`]), coarse levels first.
    pub fn tile_draws(&self) -> &[crate::tiles::TileDraw] {
        match self.shown.as_ref().and_then(|s| s.stream.as_ref()) {
            Some(st) => st.draws(),
            None => &[],
        }
    }

    /// Tiled panoramas: (tiles in the cache, tile requests in flight); `None` otherwise.
    pub fn tile_status(&self) -> Option<(usize, usize)> {
        let st = self.shown.as_ref()?.stream.as_ref()?;
        Some((st.ready_count(), st.loading.len()))
    }

    /// What a scene whose content failed with `message` says, in the visit's language.
    fn failed_text(&self, message: &str) -> String {
        format!("{}: {message}", ui_text::text(&self.lang, "scene_failed"))
    }

    /// Id of the scene on screen.
    pub fn current(&self) -> Option<&str> {
        let s = self.shown.as_ref()?;
        Some(self.tour.scenes[s.scene].id.as_str())
    }

    /// Id of the scene being fetched, if any.
    pub fn arriving(&self) -> Option<&str> {
        let a = self.arriving.as_ref()?;
        Some(self.tour.scenes[a.scene].id.as_str())
    }

    /// The error shown in the scene on screen (its content failed), in the visit's language.
    pub fn scene_error(&self) -> Option<String> {
        let e = self.shown.as_ref()?.error.as_deref()?;
        Some(self.failed_text(e))
    }

    /// Events since the last call.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// How many things the core holds for the shell right now: requests not taken, ids to
    /// cancel, events not drained, resources of the scene arriving, tile requests in flight.
    /// A kiosk that runs for days must keep this flat (the soak test).
    pub fn footprint(&self) -> usize {
        let arriving = self
            .arriving
            .as_ref()
            .map_or(0, |a| a.waiting.len() + a.arrived.len());
        let tiles = |s: Option<&TileStream>| s.map_or(0, |s| s.loading.len());
        self.queue.len()
            + self.cancelled.len()
            + self.events.len()
            + arriving
            + tiles(self.shown.as_ref().and_then(|s| s.stream.as_ref()))
            + tiles(self.arriving.as_ref().and_then(|a| a.stream.as_ref()))
            + self
                .shown
                .as_ref()
                .and_then(|s| s.detail.as_ref())
                .map_or(0, |d| usize::from(d.loading.is_some()))
    }

    // --- Language -----------------------------------------------------------------------------

    /// The visit's language.
    pub fn language(&self) -> &str {
        &self.lang
    }

    /// Switches the language of texts, labels, the card and messages.
    pub fn set_language(&mut self, lang: &str) {
        if lang.is_empty() || lang == self.lang {
            return;
        }
        self.lang = lang.to_string();
        self.events.push(Event::LanguageChanged {
            lang: self.lang.clone(),
        });
        self.dirty = true;
    }

    /// An interface string in the visit's language.
    pub fn text(&self, key: &str) -> &'static str {
        ui_text::text(&self.lang, key)
    }

    // --- Navigation and frames ----------------------------------------------------------------

    /// Sets the view's logical size.
    pub fn resize(&mut self, width: f32, height: f32) {
        self.size = Vec2::new(width.max(1.0), height.max(1.0));
        if let Some(s) = &mut self.shown {
            s.nav.height = self.size.y;
        }
        self.dirty = true;
    }

    /// The view's logical size.
    pub fn size(&self) -> Vec2 {
        self.size
    }

    /// Feeds an input event (logical pixels, `now` in seconds on the clock given to
    /// [`Visit::update`]); a click on a hotspot activates it.
    pub fn input(&mut self, input: Input, now: f64) -> Option<Action> {
        let dragging = self.shown.as_ref().is_some_and(|s| s.nav.dragging());
        if !matches!(input, Input::PointerMove { .. }) || dragging {
            self.touched(now, !matches!(input, Input::PointerUp { .. }));
        }
        if let Input::PointerMove { pos, .. } = input {
            if !self.shown.as_ref().is_some_and(|s| s.nav.dragging()) {
                let h = self.pick(pos);
                if h != self.hovered {
                    self.hovered = h;
                    self.dirty = true;
                }
            }
        }
        // Moving the raking light: drags go to the light, not the camera.
        if self.light_drag_input(&input) {
            return None;
        }
        let shown = self.shown.as_mut()?;
        let resp = shown.nav.handle(input, now);
        if resp.redraw {
            self.dirty = true;
        }
        let click = resp.click?;
        // Measuring: a click on the surface picks a point instead of a hotspot.
        if self.measuring() {
            self.measure_at(click);
            return None;
        }
        let i = self.pick(click)?;
        self.activate(i)
    }

    /// Advances the visit to `now` (seconds on the shell's clock, the one given to
    /// [`Visit::input`]): inertia, flights, auto-rotation, guided steps and the kiosk's idle
    /// timer. True when a frame should be drawn.
    pub fn update(&mut self, now: f64) -> bool {
        let elapsed = self.now.map_or(0.0, |t| (now - t).max(0.0));
        let dt = (elapsed as f32).min(0.1);
        if self.now.is_none() {
            self.last_touch = now;
        }
        self.now = Some(now);
        self.run_timers(now, dt, elapsed);
        if let Some(s) = &mut self.shown {
            if s.nav.update(dt) {
                self.dirty = true;
            }
        }
        self.dirty
    }

    /// True when a frame is wanted.
    pub fn needs_frame(&self) -> bool {
        self.dirty
    }

    /// Asks for a frame.
    pub fn request_redraw(&mut self) {
        self.dirty = true;
    }

    /// A frame was drawn; `more` when the renderer wants another (a cross-fade runs).
    /// Returns true while frames are still needed.
    pub fn frame_drawn(&mut self, more: bool) -> bool {
        self.dirty = more || self.animating();
        self.dirty
    }

    /// True while the camera moves by itself (inertia, a flight, auto-rotation).
    pub fn animating(&self) -> bool {
        let Some(shown) = &self.shown else {
            return false;
        };
        shown.nav.flying()
            || self.rotating()
            || match shown.nav.camera {
                Camera::Pano(c) => c.velocity != Vec2::ZERO,
                Camera::Orbit(c) => c.velocity != Vec2::ZERO,
            }
    }

    /// The camera of the scene on screen.
    pub fn camera(&self) -> Option<Camera> {
        self.shown.as_ref().map(|s| s.nav.camera)
    }

    /// Camera matrices for the view, in logical pixels.
    pub fn projection(&self) -> Projection {
        match self.camera() {
            Some(Camera::Pano(c)) => c.projection(self.size.x, self.size.y),
            Some(Camera::Orbit(c)) => c.projection(self.size.x, self.size.y),
            None => PanoCamera::default().projection(self.size.x, self.size.y),
        }
    }

    /// The current view, as a tour `View` (for links and `#scene=` addresses).
    pub fn view(&self) -> Option<View> {
        self.camera().map(|c| c.view())
    }

    /// Turns the view of the scene on screen to `view`, flying there when `animate` (eased, the
    /// duration scaled by the angle); false when no scene is on screen.
    pub fn set_view(&mut self, view: &View, animate: bool) -> bool {
        let Some(shown) = &mut self.shown else {
            return false;
        };
        shown.nav.fly_to(view, animate);
        self.dirty = true;
        true
    }
}

/// Bounds around an object scene's hotspots, to frame them when the model itself failed.
fn hotspot_bounds(scene: &crate::model::Scene) -> Bounds {
    let pts: Vec<Vec3> = scene
        .hotspots
        .iter()
        .filter_map(|h| h.position.map(Vec3::from))
        .filter(|p| p.is_finite())
        .collect();
    let (mut min, mut max) = (Vec3::splat(-0.5), Vec3::splat(0.5));
    if let Some(first) = pts.first() {
        (min, max) = (*first, *first);
        for p in &pts {
            min = min.min(*p);
            max = max.max(*p);
        }
        let pad = Vec3::splat(((max - min).length() * 0.1).max(0.05));
        (min, max) = (min - pad, max + pad);
    }
    Bounds { min, max }
}
