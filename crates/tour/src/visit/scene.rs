//! Going to a scene: what it needs fetched (its picture or model, its light, the tiles of a
//! tiled panorama, the first level of an object with derivatives), and putting it on screen
//! once everything has arrived or failed, with the error it shows when its content failed.

use super::loading::{Arriving, Entering, Request, RequestId, Resource};
use super::stream::TileStream;
use super::{detail, Event, Shown, Visit, VisitError};
use crate::camera::{Bounds, OrbitCamera, PanoCamera};
use crate::input::{Camera, Navigator};
use crate::model::{Content, Orbit, PanoramaSource, Scene, View};
use crate::ui_text;
use glam::Vec3;

/// What entering a scene takes, worked out before anything is fetched.
#[derive(Default)]
struct Plan {
    /// What to fetch: (resource, file (`None`: the scene names none), priority), in order.
    wants: Vec<(Resource, Option<String>, u32)>,
    /// The environment that lights the scene (object scenes).
    environment: Option<String>,
    /// Tiled panoramas: what is loaded and drawn.
    stream: Option<TileStream>,
    /// Why the scene cannot show its content.
    failure: Option<String>,
    /// Objects with derivatives: the level shown first.
    level: Option<usize>,
}

impl Visit {
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
        let plan = self.plan(index);
        let scene_id = self.tour.scenes[index].id.clone();
        let mut a = Arriving {
            scene: index,
            view,
            waiting: Vec::new(),
            arrived: Vec::new(),
            model: None,
            environment: plan.environment,
            failure: plan.failure,
            environment_failed: None,
            stream: None,
            level: plan.level,
        };
        for (resource, path, priority) in plan.wants {
            match path {
                Some(path) => {
                    let rid = self.next_id;
                    self.next_id += 1;
                    a.waiting.push((rid, resource));
                    self.queue.push(Request {
                        id: rid,
                        scene: scene_id.clone(),
                        resource,
                        path,
                        priority,
                    });
                }
                None => {
                    a.failure = Some(format!("scene \"{scene_id}\" names no {}", resource.name()))
                }
            }
        }
        if let Some(mut st) = plan.stream {
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

    /// What entering scene `index` takes: the files its content needs (a tiled panorama's
    /// stream, an object's first level of detail) and the light of an object.
    fn plan(&self, index: usize) -> Plan {
        let scene = &self.tour.scenes[index];
        let mut plan = Plan::default();
        match &scene.content {
            Content::Panorama(p) if p.source.image().is_none() => {
                let pyramid = match &p.source {
                    PanoramaSource::Tiles(t) => crate::tiles::Pyramid::from_tiles(t),
                    PanoramaSource::Cube(c) => crate::tiles::Pyramid::from_faces(c),
                    PanoramaSource::Image { .. } => Err(String::new()),
                };
                match pyramid {
                    Ok(pyr) => {
                        let (bytes, layers) = self.tile_budget;
                        let screen = self.size.x * self.size.y * self.dpr * self.dpr;
                        plan.stream = Some(TileStream::new(pyr, &scene.id, bytes, layers, screen));
                        if let Some(preview) = p.source.tiles().and_then(|t| t.preview.clone()) {
                            plan.wants.push((Resource::Panorama, Some(preview), 0));
                        }
                    }
                    Err(e) => {
                        plan.failure = Some(format!("scene \"{}\": {e}", scene.id));
                    }
                }
            }
            Content::Panorama(p) => {
                let image = p.source.image().map(str::to_string);
                plan.wants.push((Resource::Panorama, image, 0))
            }
            Content::Object(o) if !o.derivatives.is_empty() => {
                // The thumb first; the level the device and view allow follows once it shows.
                let levels = &o.derivatives;
                match crate::derivatives::choose(levels, self.device, self.opening_coverage()) {
                    Some(best) => {
                        let first = crate::derivatives::first(levels, self.device, best);
                        plan.level = Some(first);
                        let model = levels[first].model.clone();
                        plan.wants.push((Resource::Model, Some(model), 0));
                    }
                    None if o.model.is_some() => {
                        plan.wants.push((Resource::Model, o.model.clone(), 0))
                    }
                    None => {
                        plan.failure = Some(format!(
                            "scene \"{}\": none of its derivatives fits this device (textures up to {} px, {} MB of GPU memory)",
                            scene.id,
                            self.device.max_texture,
                            self.device.gpu_budget >> 20
                        ));
                    }
                }
                self.light(scene, &mut plan);
            }
            Content::Object(o) => {
                plan.wants.push((Resource::Model, o.model.clone(), 0));
                self.light(scene, &mut plan);
            }
        }
        plan
    }

    /// The environment lighting an object scene, fetched after its model unless it already
    /// lights the renderer.
    fn light(&self, scene: &Scene, plan: &mut Plan) {
        if let Some(env) = self.tour.environment_of(scene) {
            plan.environment = Some(env.to_string());
            if self.environment.as_deref() != Some(env) {
                plan.wants
                    .push((Resource::Environment, Some(env.to_string()), 1));
            }
        }
    }

    /// Abandons the arriving scene: its requests are taken back or cancelled.
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

    /// A scene that entered with nothing to fetch (its file is not named), to be shown now.
    pub fn take_entry(&mut self) -> Option<Entering> {
        self.pending_entry.take()
    }

    /// Puts the arriving scene on screen (all its requests are answered).
    pub(super) fn try_enter(&mut self) -> Option<Entering> {
        let a = self.arriving.take()?;
        let scene = &self.tour.scenes[a.scene];
        let id = scene.id.clone();
        let mut entering = Entering {
            scene: id.clone(),
            resources: Vec::new(),
            neutral_environment: false,
            exposure: 1.0,
            environment_intensity: 1.0,
            key_light: 0.0,
            tiles: a.stream.as_ref().map(|st| st.setup),
            coverage: scene.panorama().and_then(|p| p.source.coverage()),
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
                let orbit = o.orbit.unwrap_or(Orbit::new(0.0, 15.0));
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
                if let Some(o) = scene.object() {
                    let default = if lit_by.is_some() {
                        crate::model::ObjectScene::DEFAULT_KEY_LIGHT
                    } else {
                        0.0
                    };
                    entering.key_light = o.key_light.unwrap_or(default);
                }
                self.environment = lit_by;
            }
        }
        if let Some(m) = a.failure.as_deref() {
            let message = self.failed_text(a.scene, m);
            self.error(message, m);
        }
        if let Some(m) = a.environment_failed.as_deref() {
            self.error(
                ui_text::text(&self.lang, "environment_failed").to_string(),
                m,
            );
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
        let scene = self.shown.as_ref().map_or(0, |s| s.scene);
        let text = self.failed_text(scene, message);
        if let Some(s) = &mut self.shown {
            s.error = Some(message.to_string());
            s.model = None;
            s.detail = None;
            if let Some(mut st) = s.stream.take() {
                self.cancelled.extend(st.cancel_all());
            }
        }
        self.error(text, message);
        self.dirty = true;
    }

    /// What scene `scene` says when its content failed with `message` (technical: the file and
    /// what its reader found), in the visit's language and in plain words: what could not be
    /// opened, and why ("Không mở được hiện vật này: tệp bị hỏng.").
    pub(super) fn failed_text(&self, scene: usize, message: &str) -> String {
        let what = match self.tour.scenes.get(scene).map(Scene::kind) {
            Some(crate::model::SceneKind::Object) => "object_failed",
            _ => "panorama_failed",
        };
        let lang = &self.lang;
        format!(
            "{}: {}.",
            ui_text::text(lang, what),
            ui_text::text(lang, failure_cause(message))
        )
    }

    /// Tells the shell that going somewhere failed: a scene the tour lacks, in plain words.
    pub(super) fn visit_error(&mut self, e: &VisitError) {
        let message = match e {
            VisitError::UnknownScene(id) => {
                format!("{} \"{id}\"", ui_text::text(&self.lang, "unknown_scene"))
            }
            _ => ui_text::text(&self.lang, "error").to_string(),
        };
        self.error(message, &e.to_string());
    }

    /// Tells the shell that something failed: `message` for the visitor, `detail` technical.
    pub(super) fn error(&mut self, message: String, detail: &str) {
        self.events.push(Event::Error {
            message,
            detail: detail.to_string(),
        });
    }

    /// Replaces the tour with an edited one (the studio's live preview). The scene on screen
    /// stays, at its view, when the new tour shows it the same way (the same picture or model,
    /// lit the same): its hotspots, titles and cards are the new tour's from the next frame.
    /// Otherwise it is entered again (at the same view when it is still of its kind), or the
    /// start scene when it is gone. A guided tour that plays stops; a card whose record is gone
    /// closes. Returns true when the scene on screen stayed.
    pub fn replace_tour(&mut self, tour: crate::model::Tour) -> Result<bool, VisitError> {
        let was = self
            .shown
            .as_ref()
            .map(|s| (self.tour.scenes[s.scene].clone(), s.error.is_none()));
        let old_env = was
            .as_ref()
            .and_then(|(sc, _)| self.tour.environment_of(sc).map(str::to_string));
        let arriving = self.arriving().map(str::to_string);
        let view = self.view();
        if let Some(a) = self.arriving.take() {
            self.cancel(a);
        }
        self.pending_entry = None;
        self.guide = None;
        self.hovered = None;
        self.tour = tour;
        if let Some(entry) = self.card.clone() {
            if self.tour.entry(&entry).is_none() {
                self.card = None;
            }
        }
        self.dirty = true;
        let Some((old, ok)) = was else {
            let id = self.start_scene(arriving.as_deref())?;
            self.go(&id, None)?;
            return Ok(false);
        };
        if let Some(index) = self.tour.scene_index(&old.id) {
            let new = &self.tour.scenes[index];
            if ok && same_look(&old, new) && old_env.as_deref() == self.tour.environment_of(new) {
                if let Some(s) = self.shown.as_mut() {
                    s.scene = index;
                }
                if let Some(id) = arriving.filter(|id| *id != old.id) {
                    if self.tour.scene(&id).is_some() {
                        self.go(&id, None)?;
                    }
                }
                return Ok(true);
            }
        }
        // Shown differently, or gone: entered again.
        self.cancel_detail();
        if let Some(st) = self.shown.as_mut().and_then(|s| s.stream.as_mut()) {
            let ids = st.cancel_all();
            self.cancelled.extend(ids);
        }
        self.shown = None;
        let kind = self.tour.scene(&old.id).map(|s| s.kind());
        let id = self.start_scene(Some(&old.id))?;
        let keep_view = kind == Some(old.kind()) && id == old.id;
        self.go(&id, view.filter(|_| keep_view))?;
        Ok(false)
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
        let s = self.shown.as_ref()?;
        Some(self.failed_text(s.scene, s.error.as_deref()?))
    }

    /// The technical account of [`Visit::scene_error`]: the file and what its reader found.
    pub fn scene_error_detail(&self) -> Option<&str> {
        self.shown.as_ref()?.error.as_deref()
    }
}

/// True when two versions of a scene look the same once entered: the same picture or model and
/// light (their views, titles and hotspots may differ: those are read live).
fn same_look(a: &Scene, b: &Scene) -> bool {
    let mut a = a.content.clone();
    let mut b = b.content.clone();
    for c in [&mut a, &mut b] {
        match c {
            Content::Panorama(p) => {
                p.view = None;
                p.north_offset = 0.0;
            }
            Content::Object(o) => o.orbit = Default::default(),
        }
    }
    a == b
}

/// Why a file failed, from its reader's message: the key of the plain words for it.
fn failure_cause(message: &str) -> &'static str {
    let m = message.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| m.contains(w));
    if has(&[
        "404",
        "not found",
        "no such file",
        "failed to fetch",
        "network",
        "http ",
    ]) {
        "cause.missing"
    } else if has(&[
        "too large",
        "too big",
        "exceeds",
        "budget",
        "limit",
        "larger than",
        "fits",
    ]) {
        "cause.too_big"
    } else {
        "cause.damaged"
    }
}

/// Bounds around an object scene's hotspots, to frame them when the model itself failed.
fn hotspot_bounds(scene: &Scene) -> Bounds {
    let pts: Vec<Vec3> = scene
        .hotspots
        .iter()
        .filter_map(|h| h.placement.surface().map(|(p, _)| p))
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
