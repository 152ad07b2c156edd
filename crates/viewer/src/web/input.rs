//! The visitor's input on the canvas: pointers, wheel, double click and navigation keys, the
//! gyroscope, and the page's own controls touched (idle timers); all fed to the visit core.

use super::{now, Engine};
use disan_tour::input::{Input, Key, PointerButton};
use glam::Vec2;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Engine {
    /// Pointer pressed (`button` 0 primary, 1 middle, 2 secondary).
    pub fn pointer_down(&mut self, id: f64, x: f32, y: f32, button: u32) {
        let button = match button {
            1 => PointerButton::Middle,
            2 => PointerButton::Secondary,
            _ => PointerButton::Primary,
        };
        self.feed(Input::PointerDown {
            id: id as u64,
            pos: Vec2::new(x, y),
            button,
        });
    }

    /// Pointer moved.
    pub fn pointer_move(&mut self, id: f64, x: f32, y: f32) {
        self.feed(Input::PointerMove {
            id: id as u64,
            pos: Vec2::new(x, y),
        });
    }

    /// Pointer released (a click activates the hotspot under it: see `take_events`).
    pub fn pointer_up(&mut self, id: f64, x: f32, y: f32) {
        self.feed(Input::PointerUp {
            id: id as u64,
            pos: Vec2::new(x, y),
        });
    }

    /// Pointer cancelled.
    pub fn pointer_cancel(&mut self, id: f64) {
        self.feed(Input::PointerCancel { id: id as u64 });
    }

    /// Wheel, pixels; positive zooms out.
    pub fn wheel(&mut self, delta_y: f32) {
        self.feed(Input::Wheel { delta: delta_y });
    }

    /// Double click: resets an object view.
    pub fn double_click(&mut self, x: f32, y: f32) {
        self.feed(Input::DoubleClick {
            pos: Vec2::new(x, y),
        });
    }

    /// A navigation key (`ArrowLeft`, `+`, `0`, …); true when handled.
    pub fn key(&mut self, name: &str) -> bool {
        let k = match name {
            "ArrowLeft" => Key::Left,
            "ArrowRight" => Key::Right,
            "ArrowUp" => Key::Up,
            "ArrowDown" => Key::Down,
            "+" | "=" => Key::ZoomIn,
            "-" | "_" => Key::ZoomOut,
            "0" | "Home" => Key::Reset,
            _ => return false,
        };
        self.feed(Input::Key(k));
        true
    }

    /// A DeviceOrientation sample: alpha, beta, gamma (degrees) and the screen's angle.
    pub fn device_orientation(&mut self, alpha: f32, beta: f32, gamma: f32, screen: f32) {
        if let Some(app) = &mut self.app {
            app.visit.device_orientation(alpha, beta, gamma, screen);
        }
    }
}

impl Engine {
    /// Hands `input` to the visit, stamped with its clock, then gives the renderer what it let in.
    fn feed(&mut self, input: Input) {
        let ctx = &self.ctx;
        if let Some(app) = &mut self.app {
            app.visit.input(input, now());
            app.poll(ctx);
        }
    }
}
