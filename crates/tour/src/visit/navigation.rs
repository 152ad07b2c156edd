//! Navigation and frames: the view's size, input events (drags turn the camera, a click
//! activates a hotspot or measures), the clock, the camera and its projection, and whether a
//! frame is wanted (frames are drawn on demand).

use super::{Action, Visit};
use crate::camera::{PanoCamera, Projection};
use crate::input::{Camera, Input};
use crate::model::View;
use glam::Vec2;

impl Visit {
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
