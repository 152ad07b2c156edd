//! The visit's timers: guided tours (play, pause, steps, resume to the step's view),
//! auto-rotation, and the kiosk's idle reset and attract loop. Both shells drive them through
//! [`Visit::update`] with their clock and show [`Visit::guide`] in their player.

use super::{Event, Visit, VisitError};
use crate::model::{Content, Kiosk, View};
use crate::text::pick;

/// Seconds auto-rotation waits after the visitor's last touch when the shell says nothing.
pub const DEFAULT_AUTOROTATE_DELAY: f32 = 3.0;

/// Degrees per second of auto-rotation turned on by the visitor without a speed (the toolbar's
/// button in both shells).
pub const DEFAULT_AUTOROTATE_SPEED: f32 = 5.0;

/// Seconds a scene that failed to load stays in a kiosk's attract loop before it is skipped.
const SKIP_FAILED_AFTER: f32 = 2.0;

/// The guided tour being played.
#[derive(Debug, Clone)]
pub(super) struct Guide {
    /// Index in the tour's `tours`.
    tour: usize,
    /// The step, from 0.
    step: usize,
    /// The step's timer runs.
    playing: bool,
    /// Seconds the step has been on screen while playing.
    elapsed: f32,
    /// The visitor looked around: resuming flies back to the step's view.
    away: bool,
    /// The step's card, opened once its scene is on screen.
    card: Option<String>,
    /// After the last step comes the first (the kiosk's attract loop).
    looping: bool,
}

impl Guide {
    /// Tour `tour` (an index) at `step`, the step's timer at 0.
    fn new(tour: usize, step: usize, playing: bool, looping: bool) -> Guide {
        Guide {
            tour,
            step,
            playing,
            elapsed: 0.0,
            away: false,
            card: None,
            looping,
        }
    }
}

/// Kiosk mode: what it returns to, and whether the attract loop runs.
#[derive(Debug, Clone)]
pub(super) struct KioskState {
    config: Kiosk,
    attracting: bool,
    /// When the attract rotation entered the scene on screen (clock seconds).
    scene_since: f64,
    /// The auto-rotation before the attract loop, given back when a touch stops it.
    saved_autorotate: Option<(f32, f32)>,
}

/// One step as the player's step list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepInfo {
    /// The step's title, else its scene's title, in the visit's language.
    pub title: String,
    /// The scene it shows.
    pub scene: String,
}

/// What the guided-tour player shows, in the visit's language.
#[derive(Debug, Clone, PartialEq)]
pub struct GuideState {
    /// The guided tour's id.
    pub tour: String,
    /// Its title.
    pub title: String,
    /// The step, from 0.
    pub step: usize,
    /// Steps in the tour.
    pub count: usize,
    /// The step's timer runs (false: paused, or a step that waits for the visitor).
    pub playing: bool,
    /// The visitor looked around during the step: "resume" returns to its view.
    pub away: bool,
    /// Seconds the step lasts; `None`: it waits for the visitor.
    pub duration: Option<f32>,
    /// Seconds of the step played.
    pub elapsed: f32,
    /// Narration text.
    pub narration: String,
    /// Narration audio, relative to the tour folder.
    pub audio: Option<String>,
    /// WebVTT captions of the audio, relative to the tour folder.
    pub captions: Option<String>,
    /// Every step, for the step list.
    pub steps: Vec<StepInfo>,
    /// The kiosk's attract loop plays it.
    pub attract: bool,
    /// The step's scene is on screen (loaded and entered): narration waits for it.
    pub shown: bool,
}

/// The gyroscope's state: the yaw between the phone's heading and the view's.
#[derive(Debug, Clone, Default)]
pub(super) struct Gyro {
    offset: Option<f32>,
}

/// Yaw and pitch (degrees) a phone's back camera looks at, from a DeviceOrientation sample
/// (W3C: alpha about Z, beta about X, gamma about Y; the screen turned by `screen` degrees).
pub fn device_view(alpha: f32, beta: f32, gamma: f32, screen: f32) -> (f32, f32) {
    use glam::{EulerRot, Quat, Vec3};
    let q = Quat::from_euler(
        EulerRot::YXZ,
        alpha.to_radians(),
        beta.to_radians(),
        -gamma.to_radians(),
    );
    // The camera looks out of the back of the device, and the screen may be turned.
    let back = Quat::from_rotation_x(-std::f32::consts::FRAC_PI_2);
    let turned = Quat::from_rotation_z(-screen.to_radians());
    let forward = (q * back * turned) * Vec3::NEG_Z;
    crate::camera::yaw_pitch_from_direction(forward)
}

impl Visit {
    // --- Guided tours -------------------------------------------------------------------------

    /// Ids and titles (visit language) of the tour's guided tours.
    pub fn guided_tours(&self) -> Vec<(String, String)> {
        self.tour
            .tours
            .iter()
            .map(|t| (t.id.clone(), t.title.get(&self.lang).to_string()))
            .collect()
    }

    /// Starts guided tour `tour` at `step` (from 0), playing.
    pub fn play(&mut self, tour: &str, step: usize) -> Result<(), VisitError> {
        self.open_step(tour, step, true)
    }

    /// Shows step `step` (from 0) of guided tour `tour`, its timer running when `playing` (a
    /// shared link opens its step paused).
    pub fn open_step(&mut self, tour: &str, step: usize, playing: bool) -> Result<(), VisitError> {
        let index = self
            .tour
            .tours
            .iter()
            .position(|t| t.id == tour)
            .ok_or_else(|| VisitError::UnknownTour(tour.to_string()))?;
        let count = self.tour.tours[index].steps.len();
        if step >= count {
            return Err(VisitError::NoStep {
                tour: tour.to_string(),
                step: step + 1,
                count,
            });
        }
        self.stop_attract();
        if let Some(g) = &self.guide {
            if g.tour != index {
                self.exit_tour();
            }
        }
        self.guide = Some(Guide::new(index, step, playing, false));
        self.enter_step();
        Ok(())
    }

    /// Pauses the guided tour (its step stays on screen).
    pub fn pause(&mut self) {
        if let Some(g) = &mut self.guide {
            if g.playing {
                g.playing = false;
                let tour = self.tour.tours[g.tour].id.clone();
                self.events.push(Event::TourPaused { tour, step: g.step });
                self.dirty = true;
            }
        }
    }

    /// The visitor touched or scrolled the open card: a guided tour that plays pauses (the
    /// player shows it), so that it does not move on while they read. True when it paused.
    pub fn card_touched(&mut self) -> bool {
        let playing = self.guide.as_ref().is_some_and(|g| g.playing);
        if playing && self.card.is_some() {
            self.pause();
            return true;
        }
        false
    }

    /// Plays the guided tour on; a visitor who looked around is flown back to the step's view.
    pub fn resume(&mut self) {
        let Some(g) = &mut self.guide else {
            return;
        };
        g.playing = true;
        if std::mem::take(&mut g.away) {
            let step = &self.tour.tours[g.tour].steps[g.step];
            let (scene, view) = (
                step.scene.clone(),
                step.view.or_else(|| self.scene_view(&step.scene)),
            );
            if self.current() == Some(scene.as_str()) && self.arriving.is_none() {
                if let Some(v) = view {
                    self.set_view(&v, true);
                }
            } else if let Err(e) = self.go(&scene, view) {
                self.visit_error(&e);
            }
        }
        self.dirty = true;
    }

    /// The next step; after the last, the tour ends.
    pub fn next_step(&mut self) {
        let Some(g) = &mut self.guide else {
            return;
        };
        let count = self.tour.tours[g.tour].steps.len();
        if g.step + 1 < count {
            g.step += 1;
        } else if g.looping {
            g.step = 0;
        } else {
            self.end_tour(true);
            return;
        }
        self.enter_step();
    }

    /// The previous step (the first stays).
    pub fn prev_step(&mut self) {
        if let Some(g) = &mut self.guide {
            g.step = g.step.saturating_sub(1);
            self.enter_step();
        }
    }

    /// Goes to step `step` (from 0) of the tour being played.
    pub fn goto_step(&mut self, step: usize) -> Result<(), VisitError> {
        let Some(g) = &self.guide else {
            return Ok(());
        };
        let (id, playing) = (self.tour.tours[g.tour].id.clone(), g.playing);
        self.open_step(&id, step, playing)
    }

    /// Leaves the guided tour; the view stays where it is.
    pub fn exit_tour(&mut self) {
        self.end_tour(false);
    }

    fn end_tour(&mut self, completed: bool) {
        if let Some(g) = self.guide.take() {
            self.events.push(Event::TourEnd {
                tour: self.tour.tours[g.tour].id.clone(),
                completed,
            });
            self.dirty = true;
        }
    }

    /// The player's state, or `None` when no guided tour is on.
    pub fn guide(&self) -> Option<GuideState> {
        let g = self.guide.as_ref()?;
        let t = &self.tour.tours[g.tour];
        let step = &t.steps[g.step];
        let lang = self.lang.as_str();
        let scene_title = |id: &str| {
            self.tour
                .scene(id)
                .map(|s| s.title.get(lang).to_string())
                .unwrap_or_else(|| id.to_string())
        };
        Some(GuideState {
            tour: t.id.clone(),
            title: t.title.get(lang).to_string(),
            step: g.step,
            count: t.steps.len(),
            playing: g.playing,
            away: g.away,
            duration: self.step_duration(),
            elapsed: g.elapsed,
            narration: step.narration.get(lang).to_string(),
            audio: pick(&step.audio, lang).map(str::to_string),
            captions: pick(&step.captions, lang).map(str::to_string),
            steps: t
                .steps
                .iter()
                .map(|s| StepInfo {
                    title: if s.title.is_empty() {
                        scene_title(&s.scene)
                    } else {
                        s.title.get(lang).to_string()
                    },
                    scene: s.scene.clone(),
                })
                .collect(),
            attract: g.looping,
            shown: self.step_shown(),
        })
    }

    /// The view a scene opens with, as written in the tour (`view` or `orbit`).
    fn scene_view(&self, id: &str) -> Option<View> {
        match &self.tour.scene(id)?.content {
            Content::Panorama(p) => p.view,
            Content::Object(o) => o.orbit.map(|o| View {
                yaw: o.yaw,
                pitch: o.pitch,
                fov: None,
                distance: o.distance,
                target: o.target,
            }),
        }
    }

    /// Shows the guide's step: flies there in the scene on screen, else goes to its scene.
    fn enter_step(&mut self) {
        let Some(g) = &mut self.guide else {
            return;
        };
        let t = &self.tour.tours[g.tour];
        let step = t.steps[g.step].clone();
        let (tour, index, count) = (t.id.clone(), g.step, t.steps.len());
        g.elapsed = 0.0;
        g.away = false;
        g.card = step.hotspot.as_ref().and_then(|h| {
            let scene = self.tour.scene(&step.scene)?;
            scene
                .hotspots
                .iter()
                .find(|x| x.id.as_deref() == Some(h.as_str()))
                .and_then(|x| x.entry().map(str::to_string))
        });
        self.close_card();
        let view = step.view.or_else(|| self.scene_view(&step.scene));
        self.events.push(Event::TourStep {
            tour,
            step: index,
            count,
        });
        let here = self.current() == Some(step.scene.as_str())
            && self.arriving.is_none()
            && self.scene_error().is_none();
        if here {
            if let Some(v) = view {
                self.set_view(&v, true);
            }
        } else if let Err(e) = self.go(&step.scene, view) {
            self.visit_error(&e);
        }
        self.dirty = true;
    }

    /// Seconds the guide's step lasts (`None`: waits for the visitor).
    fn step_duration(&self) -> Option<f32> {
        let g = self.guide.as_ref()?;
        let step = &self.tour.tours[g.tour].steps[g.step];
        let kiosk = self.kiosk.as_ref().map(|k| k.config.scene_seconds);
        let mut d = step.duration.or(if g.looping { kiosk } else { None })?;
        if g.looping && self.scene_error().is_some() {
            d = d.min(SKIP_FAILED_AFTER);
        }
        Some(d)
    }

    /// True when the guide's step is on screen (its scene entered, nothing else arriving).
    /// False on a kiosk whose tour does not offer the inspection tools.
    pub(super) fn kiosk_allows_inspection(&self) -> bool {
        self.kiosk.as_ref().is_none_or(|k| k.config.inspection)
    }

    fn step_shown(&self) -> bool {
        self.guide.as_ref().is_some_and(|g| {
            self.arriving.is_none()
                && self.current() == Some(self.tour.tours[g.tour].steps[g.step].scene.as_str())
        })
    }

    // --- Compass ------------------------------------------------------------------------------

    /// Panoramas: the compass bearing of the view, degrees clockwise from geographic north (the
    /// scene's `north_offset` is the yaw where north lies). `None` for objects.
    pub fn heading(&self) -> Option<f32> {
        let shown = self.shown.as_ref()?;
        let pano = self.tour.scenes[shown.scene].panorama()?;
        match shown.nav.camera {
            crate::input::Camera::Pano(c) => {
                Some(crate::camera::wrap_degrees(c.yaw - pano.north_offset).rem_euclid(360.0))
            }
            crate::input::Camera::Orbit(_) => None,
        }
    }

    /// Turns a panorama's view to face north (the compass pressed).
    pub fn face_north(&mut self) -> bool {
        let north = match self.shown.as_ref() {
            Some(s) => match self.tour.scenes[s.scene].panorama() {
                Some(p) => p.north_offset,
                None => return false,
            },
            None => return false,
        };
        let Some(mut v) = self.view() else {
            return false;
        };
        v.yaw = north;
        self.set_view(&v, true)
    }

    // --- Gyroscope ----------------------------------------------------------------------------

    /// Looking around by turning the phone (panoramas): on or off. Off by default; the page
    /// asks the browser's permission on a press before it turns it on.
    pub fn set_gyro(&mut self, on: bool) {
        self.gyro = on.then_some(Gyro::default());
        self.dirty = true;
    }

    /// True while the gyroscope steers the view.
    pub fn gyro(&self) -> bool {
        self.gyro.is_some()
    }

    /// A device orientation sample (DeviceOrientationEvent: `alpha`, `beta`, `gamma` in degrees;
    /// `screen` the screen's orientation angle). The first sample after the gyroscope is turned on
    /// (or after a drag) keeps the view where it is; from then on the view turns as the phone
    /// does. Pitch follows gravity.
    pub fn device_orientation(&mut self, alpha: f32, beta: f32, gamma: f32, screen: f32) {
        let Some(g) = &mut self.gyro else {
            return;
        };
        if ![alpha, beta, gamma, screen].iter().all(|x| x.is_finite()) {
            return;
        }
        let Some(shown) = &mut self.shown else {
            return;
        };
        if shown.nav.dragging() {
            g.offset = None;
            return;
        }
        let crate::input::Camera::Pano(c) = shown.nav.camera else {
            return;
        };
        let (yaw, pitch) = device_view(alpha, beta, gamma, screen);
        let offset = *g.offset.get_or_insert(c.yaw - yaw);
        let view = View {
            yaw: yaw + offset,
            pitch,
            fov: Some(c.fov),
            ..View::default()
        };
        shown.nav.fly_to(&view, false);
        self.dirty = true;
    }

    // --- Auto-rotation ------------------------------------------------------------------------

    /// Turns the view by itself at `speed` degrees per second (negative: to the left) once
    /// `delay` seconds passed without a touch; `None` stops it.
    pub fn set_autorotate(&mut self, speed: Option<f32>, delay: f32) {
        self.autorotate = speed.filter(|s| s.is_finite() && *s != 0.0).map(|s| {
            (
                s,
                if delay.is_finite() {
                    delay.max(0.0)
                } else {
                    0.0
                },
            )
        });
        self.dirty = true;
    }

    /// Auto-rotation speed, degrees per second, when on.
    pub fn autorotate(&self) -> Option<f32> {
        self.autorotate.map(|a| a.0)
    }

    /// True while auto-rotation turns the view (on, its delay over, nobody dragging, no
    /// flight, no guided step playing).
    pub(super) fn rotating(&self) -> bool {
        let Some((_, delay)) = self.autorotate else {
            return false;
        };
        let Some(shown) = &self.shown else {
            return false;
        };
        let idle = self.now.unwrap_or(0.0) - self.last_touch;
        let guided = self.guide.as_ref().is_some_and(|g| !g.looping);
        idle >= delay as f64
            && !shown.nav.dragging()
            && !shown.nav.flying()
            && !guided
            && shown.error.is_none()
    }

    // --- Kiosk --------------------------------------------------------------------------------

    /// Kiosk mode with `config` (idle reset, attract loop), or `None` for a normal visit.
    pub fn set_kiosk(&mut self, config: Option<Kiosk>) {
        self.stop_attract();
        self.kiosk = config.map(|config| KioskState {
            config,
            attracting: false,
            scene_since: 0.0,
            saved_autorotate: None,
        });
    }

    /// True while the kiosk's attract loop runs.
    pub fn attracting(&self) -> bool {
        self.kiosk.as_ref().is_some_and(|k| k.attracting)
    }

    /// The visitor did something in the shell's own controls (a button, the player): the idle
    /// timer starts again and the attract loop stops; the guided tour plays on.
    pub fn touch(&mut self) {
        let now = self.now.unwrap_or(0.0);
        self.touched(now, false);
    }

    /// A touch at `now`; `takes_view` when it moves the camera (pauses a playing guided tour).
    pub(super) fn touched(&mut self, now: f64, takes_view: bool) {
        self.last_touch = self.last_touch.max(now);
        if self.attracting() {
            self.stop_attract();
            return;
        }
        if takes_view {
            if let Some(g) = &mut self.guide {
                g.away = true;
            }
            self.pause();
        }
    }

    fn start_attract(&mut self, now: f64) {
        let Some(k) = &self.kiosk else {
            return;
        };
        let config = k.config.clone();
        self.exit_tour();
        self.close_card();
        let lang = config
            .language
            .clone()
            .unwrap_or_else(|| self.tour.default_language().to_string());
        self.set_language(&lang);
        let start = config
            .start_scene
            .as_deref()
            .or(self.tour.start_scene.as_deref());
        let saved = self.autorotate;
        let attract_tour = config
            .attract
            .as_deref()
            .and_then(|id| self.tour.tours.iter().position(|t| t.id == id))
            .filter(|i| !self.tour.tours[*i].steps.is_empty());
        match attract_tour {
            Some(index) => {
                self.guide = Some(Guide::new(index, 0, true, true));
                self.enter_step();
            }
            None => {
                if let Ok(id) = self.start_scene(start) {
                    let view = self.scene_view(&id);
                    if self.go(&id, view).is_err() {
                        return;
                    }
                }
                self.autorotate = Some((config.autorotate, 0.0));
            }
        }
        if let Some(k) = &mut self.kiosk {
            k.attracting = true;
            k.scene_since = now;
            k.saved_autorotate = saved;
        }
        self.events.push(Event::Attract { running: true });
        self.dirty = true;
    }

    fn stop_attract(&mut self) {
        let Some(k) = &mut self.kiosk else {
            return;
        };
        if !std::mem::take(&mut k.attracting) {
            return;
        }
        self.autorotate = k.saved_autorotate.take();
        if self.guide.as_ref().is_some_and(|g| g.looping) {
            self.end_tour(false);
        }
        self.events.push(Event::Attract { running: false });
        self.dirty = true;
    }

    // --- The clock ----------------------------------------------------------------------------

    /// The clock at the last [`Visit::update`] (seconds), 0 before the first.
    pub fn time(&self) -> f64 {
        self.now.unwrap_or(0.0)
    }

    /// Runs the timers up to `now`; `dt` is the frame's step for motion (clamped), `elapsed` the
    /// real seconds since the last update (a shell woken by [`Visit::wake_in`] jumps ahead).
    pub(super) fn run_timers(&mut self, now: f64, dt: f32, elapsed: f64) {
        let idle = now - self.last_touch;
        // The kiosk: back to the start after its idle time; the attract rotation moves on.
        if let Some(k) = &self.kiosk {
            if !k.attracting && idle >= k.config.idle_seconds as f64 {
                self.start_attract(now);
            } else if self.attract_rotation_due(now).is_some_and(|d| d <= 0.0)
                && self.arriving.is_none()
            {
                let next = self
                    .shown
                    .as_ref()
                    .map_or(0, |s| (s.scene + 1) % self.tour.scenes.len().max(1));
                if let Some(scene) = self.tour.scenes.get(next) {
                    let (id, view) = (scene.id.clone(), self.scene_view(&scene.id));
                    let _ = self.go(&id, view);
                }
                if let Some(k) = &mut self.kiosk {
                    k.scene_since = now;
                }
            }
        }
        // The guided step: its card once the scene is on screen, then its timer.
        if self.step_shown() {
            if let Some(entry) = self.guide.as_mut().and_then(|g| g.card.take()) {
                self.open_card(&entry);
            }
            let flying = self.shown.as_ref().is_some_and(|s| s.nav.flying());
            let duration = self.step_duration();
            if let Some(g) = &mut self.guide {
                if g.playing && !flying {
                    g.elapsed += elapsed as f32;
                    if duration.is_some_and(|d| g.elapsed >= d) {
                        self.next_step();
                    }
                }
            }
        }
        // Auto-rotation.
        if self.rotating() {
            let speed = self.autorotate.map_or(0.0, |a| a.0);
            if let Some(s) = &mut self.shown {
                s.nav.camera.spin(speed * dt);
                self.dirty = true;
            }
        }
    }

    /// The kiosk's attract rotation (no attract tour): seconds until it moves to the next scene
    /// (negative when overdue); a scene that failed to load is skipped after 2 s.
    fn attract_rotation_due(&self, now: f64) -> Option<f64> {
        let k = self.kiosk.as_ref().filter(|k| k.attracting)?;
        if self.guide.is_some() {
            return None;
        }
        let mut shown_for = k.config.scene_seconds as f64;
        if self.scene_error().is_some() {
            shown_for = shown_for.min(SKIP_FAILED_AFTER as f64);
        }
        Some(shown_for - (now - k.scene_since))
    }

    /// Seconds until a timer is due while no frame is wanted (auto-rotation starting, a guided
    /// step ending, the kiosk's idle reset or attract rotation): the shell wakes then and calls
    /// [`Visit::update`]. `None`: nothing is due.
    pub fn wake_in(&self) -> Option<f64> {
        let now = self.now?;
        if self.dirty || self.animating() {
            return Some(0.0);
        }
        let idle = now - self.last_touch;
        let mut due: Vec<f64> = Vec::new();
        // Auto-rotation still waiting for its delay (once past it, `rotating` draws frames, or
        // nothing turns: a scene that failed).
        if let Some((_, delay)) = self.autorotate {
            if self.shown.is_some() && idle < delay as f64 {
                due.push(delay as f64 - idle);
            }
        }
        if let (Some(g), Some(d)) = (&self.guide, self.step_duration()) {
            if g.playing && self.step_shown() {
                due.push((d - g.elapsed) as f64);
            }
        }
        if let Some(k) = &self.kiosk {
            if !k.attracting {
                due.push(k.config.idle_seconds as f64 - idle);
            } else if let Some(d) = self.attract_rotation_due(now) {
                due.push(d);
            }
        }
        due.into_iter().reduce(f64::min).map(|d| d.max(0.0))
    }
}
