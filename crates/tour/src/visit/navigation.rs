//! Navigation and frames: the view's size, input events (drags turn the camera, a click
//! activates a hotspot or measures), the clock, the camera and its projection, and whether a
//! frame is wanted (frames are drawn on demand).

use super::{Action, Visit};
use crate::camera::{PanoCamera, Projection};
use crate::input::{Camera, Input};
use crate::model::View;
use glam::{Mat4, Vec2, Vec3};

/// The parts of the view that the shell's panels cover, in logical pixels from each edge (a
/// card sheet at the bottom, a card beside the view, the guided-tour player). The camera frames
/// its subject in the rest, as a viewer of that size would (a lens shift: the picture still
/// fills the whole view, under the panels too).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Insets {
    /// From the top edge.
    pub top: f32,
    /// From the right edge.
    pub right: f32,
    /// From the bottom edge.
    pub bottom: f32,
    /// From the left edge.
    pub left: f32,
}

/// The least part of each side of the view left for the subject, however much is covered.
const LEAST_SHOWN: f32 = 0.3;
/// How fast the framing follows a panel that opens or closes (per second, exponential).
const INSET_RATE: f32 = 10.0;

impl Insets {
    fn sides(self) -> [f32; 4] {
        [self.top, self.right, self.bottom, self.left]
    }

    /// Each side finite and ≥ 0, and at least [`LEAST_SHOWN`] of the view left uncovered.
    fn within(self, size: Vec2) -> Insets {
        let c = |v: f32| if v.is_finite() { v.max(0.0) } else { 0.0 };
        let (mut i, room) = (
            Insets {
                top: c(self.top),
                right: c(self.right),
                bottom: c(self.bottom),
                left: c(self.left),
            },
            size * (1.0 - LEAST_SHOWN),
        );
        let fit = |a: &mut f32, b: &mut f32, room: f32| {
            let k = room / (*a + *b).max(room);
            (*a, *b) = (*a * k, *b * k);
        };
        fit(&mut i.left, &mut i.right, room.x);
        fit(&mut i.top, &mut i.bottom, room.y);
        i
    }
}

impl Visit {
    /// The parts of the view the shell's panels cover (see [`Insets`]); the framing moves there
    /// smoothly.
    pub fn set_insets(&mut self, insets: Insets) -> bool {
        if insets == self.insets {
            return false;
        }
        self.insets = insets;
        self.dirty = true;
        true
    }

    /// The insets the framing is at now (moving towards those last set).
    pub fn framing_insets(&self) -> Insets {
        self.insets_now
    }

    /// Moves the framing towards the insets set; true while it moves.
    fn ease_insets(&mut self, dt: f32) -> bool {
        let k = 1.0 - (-INSET_RATE * dt).exp();
        let (now, to) = (self.insets_now.sides(), self.insets.sides());
        let next: Vec<f32> = now
            .iter()
            .zip(to)
            .map(|(a, b)| {
                if (b - a).abs() < 0.5 {
                    b
                } else {
                    a + (b - a) * k
                }
            })
            .collect();
        let moved = next[..] != now[..];
        self.insets_now = Insets {
            top: next[0],
            right: next[1],
            bottom: next[2],
            left: next[3],
        };
        moved
    }

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
        match self.pick(click) {
            Some(i) => self.activate(i),
            // A tap beside the open card (not a drag) closes it, as a map's sheet does.
            None => {
                if self.card.is_some() {
                    self.close_card();
                }
                None
            }
        }
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
        if self.ease_insets(dt) {
            self.dirty = true;
        }
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

    /// True while the camera moves by itself (inertia, a flight, auto-rotation, the framing
    /// following a panel).
    pub fn animating(&self) -> bool {
        if self.insets_now != self.insets {
            return true;
        }
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

    /// Camera matrices for the view, in logical pixels: the camera frames the part the
    /// [`Insets`] leave, and the picture fills the whole view.
    pub fn projection(&self) -> Projection {
        let size = self.size;
        let i = self.insets_now.within(size);
        let shown = Vec2::new(size.x - i.left - i.right, size.y - i.top - i.bottom);
        let mut p = match self.camera() {
            Some(Camera::Pano(c)) => c.projection(shown.x, shown.y),
            Some(Camera::Orbit(c)) => c.projection(shown.x, shown.y),
            None => PanoCamera::default().projection(shown.x, shown.y),
        };
        if shown != size {
            // The shown part's clip space placed in the view's: scaled, then moved to its centre.
            let shift = Vec3::new(
                (i.left - i.right) / size.x,
                (i.bottom - i.top) / size.y,
                0.0,
            );
            let scale = Vec3::new(shown.x / size.x, shown.y / size.y, 1.0);
            p.proj = Mat4::from_translation(shift) * Mat4::from_scale(scale) * p.proj;
        }
        p.viewport = size;
        p
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
