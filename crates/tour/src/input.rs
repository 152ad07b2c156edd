//! Platform-free input events and the navigation controller that turns them into camera motion,
//! clicks and double-clicks. winit and the DOM both translate into [`Input`].

use crate::camera::{OrbitCamera, PanoCamera};
use glam::Vec2;
use std::collections::BTreeMap;

/// Which pointer button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointerButton {
    /// Left mouse button, pen or a finger.
    Primary,
    /// Right mouse button.
    Secondary,
    /// Middle mouse button.
    Middle,
}

/// Keys that navigate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Input {
    /// A pointer (mouse, finger, pen) went down.
    PointerDown {
        id: u64,
        pos: Vec2,
        button: PointerButton,
    },
    /// A pointer moved.
    PointerMove { id: u64, pos: Vec2 },
    /// A pointer went up.
    PointerUp { id: u64, pos: Vec2 },
    /// A pointer was cancelled (left the window, touch cancelled).
    PointerCancel { id: u64 },
    /// Wheel or trackpad scroll, in pixels; positive `delta` scrolls down (zooms out).
    Wheel { delta: f32 },
    /// Pinch from a platform gesture: ratio of new to old finger distance.
    Pinch { scale: f32 },
    /// Double click / double tap.
    DoubleClick { pos: Vec2 },
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
        }
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
