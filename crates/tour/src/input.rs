//! Platform-free input events and the navigation controller that turns them into camera motion,
//! clicks and double-clicks. winit and the DOM both translate into [`Input`].

use crate::camera::{wrap_degrees, OrbitCamera, PanoCamera};
use crate::model::View;
use glam::{Vec2, Vec3};
use std::collections::BTreeMap;

/// Which pointer button.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum PointerButton {
    /// Left mouse button, pen or a finger.
    Primary,
    /// Right mouse button.
    Secondary,
    /// Middle mouse button.
    Middle,
}

/// Keys that navigate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Key {
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// `+` / `=`: zoom in.
    ZoomIn,
    /// `-`: zoom out.
    ZoomOut,
    /// `0` / Home: back to the initial view.
    Reset,
}

/// One input event, in pixels with the origin at the top-left of the view.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Input {
    /// A pointer (mouse, finger, pen) went down.
    PointerDown {
        #[cfg_attr(test, ts(type = "number"))]
        id: u64,
        #[cfg_attr(test, ts(type = "[number, number]"))]
        pos: Vec2,
        button: PointerButton,
    },
    /// A pointer moved.
    PointerMove {
        #[cfg_attr(test, ts(type = "number"))]
        id: u64,
        #[cfg_attr(test, ts(type = "[number, number]"))]
        pos: Vec2,
    },
    /// A pointer went up.
    PointerUp {
        #[cfg_attr(test, ts(type = "number"))]
        id: u64,
        #[cfg_attr(test, ts(type = "[number, number]"))]
        pos: Vec2,
    },
    /// A pointer was cancelled (left the window, touch cancelled).
    PointerCancel {
        #[cfg_attr(test, ts(type = "number"))]
        id: u64,
    },
    /// Wheel or trackpad scroll, in pixels; positive `delta` scrolls down (zooms out).
    Wheel { delta: f32 },
    /// Pinch from a platform gesture: ratio of new to old finger distance.
    Pinch { scale: f32 },
    /// Double click / double tap.
    DoubleClick {
        #[cfg_attr(test, ts(type = "[number, number]"))]
        pos: Vec2,
    },
    /// A key.
    Key(Key),
}

/// What the controller wants the app to do after an event.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Response {
    /// The view changed: draw a frame.
    pub redraw: bool,
    /// A click (press and release without moving) at this position: pick a hotspot.
    pub click: Option<Vec2>,
}

/// The camera being navigated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Camera {
    /// Inside a panorama.
    Pano(PanoCamera),
    /// Around an object.
    Orbit(OrbitCamera),
}

impl Camera {
    /// This camera turned to a tour view (limits kept; what the view leaves out stays).
    pub fn with_view(mut self, v: &View) -> Camera {
        match &mut self {
            Camera::Pano(c) => {
                let fov = v.fov.unwrap_or(c.fov);
                *c = PanoCamera::new(v.yaw, v.pitch, fov, Some([c.fov_min, c.fov_max]));
            }
            Camera::Orbit(c) => {
                c.set(
                    v.yaw,
                    v.pitch,
                    v.distance.unwrap_or(c.distance),
                    v.target.map(Vec3::from).unwrap_or(c.target),
                );
                c.velocity = Vec2::ZERO;
            }
        }
        self
    }

    /// The camera's view, as a tour [`View`] (links, guided steps, `getView`).
    pub fn view(&self) -> View {
        match self {
            Camera::Pano(c) => View::new(c.yaw, c.pitch).with_fov(c.fov),
            Camera::Orbit(c) => View::new(c.yaw, c.pitch)
                .with_distance(c.distance)
                .with_target(c.target.to_array()),
        }
    }

    /// Turns the view `degrees` to the right around the vertical (auto-rotation).
    pub fn spin(&mut self, degrees: f32) {
        match self {
            Camera::Pano(c) => c.yaw = wrap_degrees(c.yaw + degrees),
            Camera::Orbit(c) => c.yaw = wrap_degrees(c.yaw - degrees),
        }
    }
}

/// A camera moving to a view by itself (a hotspot's close-up, a guided step): eased in and
/// out, interrupted by any input.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Flight {
    from: Camera,
    to: Camera,
    elapsed: f32,
    duration: f32,
}

/// Seconds a flight takes: 0.35 s, plus 0.5 s for every 90° of the largest turn (or doubling
/// of the zoom), at most 2 s.
pub fn flight_seconds(from: &Camera, to: &Camera) -> f32 {
    let turn = |a: f32, b: f32| wrap_degrees(b - a).abs();
    let degrees = match (from, to) {
        (Camera::Pano(a), Camera::Pano(b)) => turn(a.yaw, b.yaw)
            .max((b.pitch - a.pitch).abs())
            .max(90.0 * (b.fov / a.fov).log2().abs()),
        (Camera::Orbit(a), Camera::Orbit(b)) => turn(a.yaw, b.yaw)
            .max((b.pitch - a.pitch).abs())
            .max(90.0 * (b.distance / a.distance.max(1e-6)).log2().abs())
            .max(90.0 * (b.target - a.target).length() / a.bounds.radius()),
        _ => 0.0,
    };
    if !degrees.is_finite() || degrees < 0.01 {
        return 0.0;
    }
    (0.35 + degrees / 90.0 * 0.5).min(2.0)
}

fn ease(t: f32) -> f32 {
    let t = t.clamp(0.0, 1.0);
    if t < 0.5 {
        4.0 * t * t * t
    } else {
        1.0 - (-2.0 * t + 2.0).powi(3) / 2.0
    }
}

fn blend(from: &Camera, to: &Camera, k: f32) -> Camera {
    let angle = |a: f32, b: f32| a + wrap_degrees(b - a) * k;
    let lerp = |a: f32, b: f32| a + (b - a) * k;
    match (from, to) {
        (Camera::Pano(a), Camera::Pano(b)) => {
            let mut c = *b;
            c.yaw = wrap_degrees(angle(a.yaw, b.yaw));
            c.pitch = lerp(a.pitch, b.pitch);
            c.fov = lerp(a.fov, b.fov);
            Camera::Pano(c)
        }
        (Camera::Orbit(a), Camera::Orbit(b)) => {
            let mut c = *b;
            c.yaw = wrap_degrees(angle(a.yaw, b.yaw));
            c.pitch = lerp(a.pitch, b.pitch);
            // Zoom at a steady rate: the distance moves on a log scale.
            c.distance =
                (a.distance.max(1e-6).ln() * (1.0 - k) + b.distance.max(1e-6).ln() * k).exp();
            c.target = a.target.lerp(b.target, k);
            Camera::Orbit(c)
        }
        _ => *to,
    }
}

#[derive(Debug, Clone, Copy)]
struct Pointer {
    pos: Vec2,
    start: Vec2,
    button: PointerButton,
}

/// Pixels a pointer may move and still count as a click.
pub const CLICK_SLOP: f32 = 6.0;

/// Turns input into camera motion for one viewport.
#[derive(Debug, Clone)]
pub struct Navigator {
    /// The camera.
    pub camera: Camera,
    /// Viewport height in pixels (drag speed depends on it).
    pub height: f32,
    pointers: BTreeMap<u64, Pointer>,
    /// Recent drag velocity in pixels per second, for inertia.
    drag_velocity: Vec2,
    last_move_time: f64,
    initial: Camera,
    moved: bool,
    flight: Option<Flight>,
}

impl Navigator {
    /// A navigator for `camera` in a viewport `height` pixels high.
    pub fn new(camera: Camera, height: f32) -> Self {
        Navigator {
            camera,
            height,
            pointers: BTreeMap::new(),
            drag_velocity: Vec2::ZERO,
            last_move_time: 0.0,
            initial: camera,
            moved: false,
            flight: None,
        }
    }

    /// Flies the camera to `view` (eased, [`flight_seconds`] long); at once when `animate` is
    /// false or the view is already there. Any input stops the flight where it is.
    pub fn fly_to(&mut self, view: &View, animate: bool) {
        self.stop_inertia();
        let to = self.camera.with_view(view);
        let duration = if animate {
            flight_seconds(&self.camera, &to)
        } else {
            0.0
        };
        if duration <= 0.0 {
            self.camera = to;
            self.flight = None;
        } else {
            self.flight = Some(Flight {
                from: self.camera,
                to,
                elapsed: 0.0,
                duration,
            });
        }
    }

    /// True while the camera flies to a view.
    pub fn flying(&self) -> bool {
        self.flight.is_some()
    }

    /// True while any pointer is down.
    pub fn dragging(&self) -> bool {
        !self.pointers.is_empty()
    }

    fn drag(&mut self, delta: Vec2, button: PointerButton) {
        match &mut self.camera {
            Camera::Pano(c) => c.drag(delta, self.height),
            Camera::Orbit(c) => match button {
                PointerButton::Primary => c.drag(delta, self.height),
                _ => c.pan(delta, self.height),
            },
        }
    }

    fn zoom(&mut self, factor: f32) {
        match &mut self.camera {
            Camera::Pano(c) => c.zoom(factor),
            Camera::Orbit(c) => c.zoom(factor),
        }
    }

    /// Handles one event at time `now` (seconds, any monotonic origin).
    pub fn handle(&mut self, input: Input, now: f64) -> Response {
        let mut resp = Response::default();
        if !matches!(input, Input::PointerMove { .. } | Input::PointerUp { .. }) {
            // The visitor takes the camera back: a flight stops where it is.
            self.flight = None;
        }
        match input {
            Input::PointerDown { id, pos, button } => {
                self.pointers.insert(
                    id,
                    Pointer {
                        pos,
                        start: pos,
                        button,
                    },
                );
                self.stop_inertia();
                self.drag_velocity = Vec2::ZERO;
                self.last_move_time = now;
                self.moved = false;
            }
            Input::PointerMove { id, pos } => {
                let count = self.pointers.len();
                let Some(p) = self.pointers.get(&id).copied() else {
                    return resp;
                };
                if count == 1 {
                    let delta = pos - p.pos;
                    if (pos - p.start).length() > CLICK_SLOP {
                        self.moved = true;
                    }
                    if self.moved {
                        self.drag(delta, p.button);
                        let dt = (now - self.last_move_time).max(1e-3) as f32;
                        let v = delta / dt;
                        self.drag_velocity = self.drag_velocity * 0.3 + v * 0.7;
                        self.last_move_time = now;
                        resp.redraw = true;
                    }
                } else if count >= 2 {
                    // Two fingers: pinch to zoom and move together to pan (objects).
                    let others: Vec<Pointer> = self
                        .pointers
                        .iter()
                        .filter(|(k, _)| **k != id)
                        .map(|(_, v)| *v)
                        .collect();
                    let o = others[0];
                    let old_d = (p.pos - o.pos).length().max(1.0);
                    let new_d = (pos - o.pos).length().max(1.0);
                    self.zoom(old_d / new_d);
                    let mid_delta = (pos - p.pos) * 0.5;
                    if let Camera::Orbit(c) = &mut self.camera {
                        c.pan(mid_delta, self.height);
                    }
                    self.moved = true;
                    resp.redraw = true;
                }
                if let Some(p) = self.pointers.get_mut(&id) {
                    p.pos = pos;
                }
            }
            Input::PointerUp { id, pos } => {
                let count = self.pointers.len();
                if let Some(p) = self.pointers.remove(&id) {
                    if count == 1 && !self.moved && (pos - p.start).length() <= CLICK_SLOP {
                        if p.button == PointerButton::Primary {
                            resp.click = Some(pos);
                        }
                    } else if count == 1
                        && now - self.last_move_time < 0.1
                        && p.button == PointerButton::Primary
                    {
                        resp.redraw |= self.start_inertia();
                    }
                }
            }
            Input::PointerCancel { id } => {
                self.pointers.remove(&id);
            }
            Input::Wheel { delta } => {
                self.zoom((delta * 0.0015).clamp(-0.5, 0.5).exp());
                resp.redraw = true;
            }
            Input::Pinch { scale } => {
                if scale > 0.0 && scale.is_finite() {
                    self.zoom(1.0 / scale);
                    resp.redraw = true;
                }
            }
            Input::DoubleClick { .. } => {
                if let Camera::Orbit(c) = &mut self.camera {
                    c.reset();
                    resp.redraw = true;
                }
            }
            Input::Key(k) => {
                let step = 5.0;
                match (&mut self.camera, k) {
                    (_, Key::ZoomIn) => self.zoom(0.9),
                    (_, Key::ZoomOut) => self.zoom(1.0 / 0.9),
                    (Camera::Orbit(c), Key::Reset) => c.reset(),
                    (cam @ Camera::Pano(_), Key::Reset) => *cam = self.initial,
                    (Camera::Pano(c), k) => turn_pano(c, k, step),
                    (Camera::Orbit(c), k) => {
                        let (y, p) = key_delta(k, step);
                        c.turn(-y, p);
                    }
                }
                resp.redraw = true;
            }
        }
        resp
    }

    fn stop_inertia(&mut self) {
        match &mut self.camera {
            Camera::Pano(c) => c.velocity = Vec2::ZERO,
            Camera::Orbit(c) => c.velocity = Vec2::ZERO,
        }
    }

    fn start_inertia(&mut self) -> bool {
        let v = self.drag_velocity;
        match &mut self.camera {
            Camera::Pano(c) => {
                let k = c.degrees_per_pixel(self.height);
                c.velocity = Vec2::new(-v.x * k, v.y * k);
            }
            Camera::Orbit(c) => {
                let k = 180.0 / self.height.max(1.0);
                c.velocity = Vec2::new(-v.x * k, v.y * k);
            }
        }
        v.length() > 1.0
    }

    /// Advances inertia; true while the camera still moves (keep drawing).
    pub fn update(&mut self, dt: f32) -> bool {
        if self.dragging() {
            return false;
        }
        if let Some(f) = &mut self.flight {
            f.elapsed += dt;
            let k = ease(f.elapsed / f.duration);
            self.camera = blend(&f.from, &f.to, k);
            if f.elapsed >= f.duration {
                self.camera = f.to;
                self.flight = None;
            }
            return true;
        }
        match &mut self.camera {
            Camera::Pano(c) => c.update(dt),
            Camera::Orbit(c) => c.update(dt),
        }
    }
}

fn key_delta(k: Key, step: f32) -> (f32, f32) {
    match k {
        Key::Left => (-step, 0.0),
        Key::Right => (step, 0.0),
        Key::Up => (0.0, step),
        Key::Down => (0.0, -step),
        _ => (0.0, 0.0),
    }
}

fn turn_pano(c: &mut PanoCamera, k: Key, step: f32) {
    let (y, p) = key_delta(k, step);
    c.turn(y, p);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn down(id: u64, x: f32, y: f32) -> Input {
        Input::PointerDown {
            id,
            pos: Vec2::new(x, y),
            button: PointerButton::Primary,
        }
    }
    fn mv(id: u64, x: f32, y: f32) -> Input {
        Input::PointerMove {
            id,
            pos: Vec2::new(x, y),
        }
    }
    fn up(id: u64, x: f32, y: f32) -> Input {
        Input::PointerUp {
            id,
            pos: Vec2::new(x, y),
        }
    }

    #[test]
    fn click_versus_drag() {
        let mut n = Navigator::new(Camera::Pano(PanoCamera::default()), 600.0);
        n.handle(down(1, 100.0, 100.0), 0.0);
        n.handle(mv(1, 102.0, 101.0), 0.01);
        let r = n.handle(up(1, 102.0, 101.0), 0.02);
        assert_eq!(r.click, Some(Vec2::new(102.0, 101.0)));
        n.handle(down(1, 100.0, 100.0), 1.0);
        let r = n.handle(mv(1, 200.0, 100.0), 1.02);
        assert!(r.redraw);
        let r = n.handle(up(1, 200.0, 100.0), 1.03);
        assert_eq!(r.click, None);
        // Fast release leaves inertia.
        assert!(n.update(1.0 / 60.0));
    }

    #[test]
    fn pinch_zooms_in() {
        let mut n = Navigator::new(Camera::Pano(PanoCamera::default()), 600.0);
        let before = match n.camera {
            Camera::Pano(c) => c.fov,
            _ => unreachable!(),
        };
        n.handle(down(1, 100.0, 300.0), 0.0);
        n.handle(down(2, 200.0, 300.0), 0.0);
        n.handle(mv(2, 300.0, 300.0), 0.05);
        let after = match n.camera {
            Camera::Pano(c) => c.fov,
            _ => unreachable!(),
        };
        assert!(after < before, "{after} !< {before}");
    }

    #[test]
    fn flight_eases_to_the_view_the_short_way_and_stops_on_input() {
        let mut n = Navigator::new(Camera::Pano(PanoCamera::new(170.0, 0.0, 75.0, None)), 600.0);
        let to = View {
            yaw: -170.0,
            pitch: 10.0,
            fov: Some(50.0),
            ..View::default()
        };
        n.fly_to(&to, true);
        assert!(n.flying());
        let mut yaws = Vec::new();
        let mut t = 0.0;
        while n.update(1.0 / 60.0) {
            t += 1.0 / 60.0;
            if let Camera::Pano(c) = n.camera {
                yaws.push(c.yaw);
            }
            assert!(t < 3.0, "the flight never ends");
        }
        // Across ±180° (20°), not back through 0 (340°): every yaw stays beyond ±170.
        assert!(yaws.iter().all(|y| y.abs() >= 169.9), "{yaws:?}");
        // Eased: the first and last steps are smaller than the middle ones.
        let steps: Vec<f32> = yaws
            .windows(2)
            .map(|w| wrap_degrees(w[1] - w[0]).abs())
            .collect();
        let mid = steps[steps.len() / 2];
        assert!(
            steps[0] < mid * 0.5 && steps[steps.len() - 2] < mid * 0.5,
            "{steps:?}"
        );
        match n.camera {
            Camera::Pano(c) => {
                assert!((c.yaw + 170.0).abs() < 1e-3 && (c.pitch - 10.0).abs() < 1e-3);
                assert!((c.fov - 50.0).abs() < 1e-3);
            }
            _ => unreachable!(),
        }
        // Longer turns take longer, up to 2 s.
        let a = Camera::Pano(PanoCamera::default());
        let b = a.with_view(&View {
            yaw: 30.0,
            ..View::default()
        });
        let c = a.with_view(&View {
            yaw: 150.0,
            ..View::default()
        });
        assert!(flight_seconds(&a, &b) < flight_seconds(&a, &c));
        assert!(flight_seconds(&a, &c) <= 2.0 && flight_seconds(&a, &a) == 0.0);
        // A press stops it where it is.
        n.fly_to(&View::default(), true);
        n.update(0.2);
        n.handle(down(1, 10.0, 10.0), 5.0);
        assert!(!n.flying());
        let here = n.camera;
        n.handle(up(1, 10.0, 10.0), 5.1);
        n.update(0.2);
        assert_eq!(n.camera, here);
    }

    #[test]
    fn keys_and_wheel() {
        let mut n = Navigator::new(Camera::Pano(PanoCamera::default()), 600.0);
        n.handle(Input::Key(Key::Right), 0.0);
        n.handle(Input::Wheel { delta: 100.0 }, 0.0);
        match n.camera {
            Camera::Pano(c) => {
                assert!(c.yaw > 0.0);
                assert!(c.fov > 75.0);
            }
            _ => unreachable!(),
        }
        n.handle(Input::Key(Key::Reset), 0.0);
        assert_eq!(n.camera, Camera::Pano(PanoCamera::default()));
    }
}
