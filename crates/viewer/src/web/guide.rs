//! Guided tours, auto-rotation and the kiosk: the visit core runs the player and the timers;
//! the page shows `guide()`, sends presses and wakes when `wake_in()` says something is due.

use super::js::{err, inside_tour, object, tour_path};
use super::Engine;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Engine {
    /// The guided tours: `[{id, title}]` in the visit's language.
    pub fn guided_tours(&self) -> js_sys::Array {
        let out = js_sys::Array::new();
        if let Some(app) = &self.app {
            for (id, title) in app.visit.guided_tours() {
                out.push(&object(&[
                    ("id", JsValue::from_str(&id)),
                    ("title", JsValue::from_str(&title)),
                ]));
            }
        }
        out
    }

    /// Shows step `step` (from 0) of guided tour `tour`, playing or paused.
    pub fn open_step(&mut self, tour: &str, step: u32, playing: bool) -> Result<(), JsError> {
        self.act(|app| {
            app.visit
                .open_step(tour, step as usize, playing)
                .map_err(err)
        })
    }

    /// The player's state, or null: `{tour, title, step, count, playing, away, duration,
    /// elapsed, narration, audio, captions, steps: [{title, scene}], attract, shown}` (`shown`: the
    /// step's scene is on screen; narration waits for it).
    pub fn guide(&self) -> JsValue {
        let Some(g) = self.app.as_ref().and_then(|a| a.visit.guide()) else {
            return JsValue::NULL;
        };
        let steps = js_sys::Array::new();
        for s in &g.steps {
            steps.push(&object(&[
                ("title", JsValue::from_str(&s.title)),
                ("scene", JsValue::from_str(&s.scene)),
            ]));
        }
        let path = |p: &Option<String>| tour_path(p.as_deref());
        object(&[
            ("tour", JsValue::from_str(&g.tour)),
            ("title", JsValue::from_str(&g.title)),
            ("step", JsValue::from_f64(g.step as f64)),
            ("count", JsValue::from_f64(g.count as f64)),
            ("playing", JsValue::from_bool(g.playing)),
            ("away", JsValue::from_bool(g.away)),
            (
                "duration",
                g.duration
                    .map_or(JsValue::NULL, |d| JsValue::from_f64(d as f64)),
            ),
            ("elapsed", JsValue::from_f64(g.elapsed as f64)),
            ("narration", JsValue::from_str(&g.narration)),
            ("audio", path(&g.audio)),
            ("captions", path(&g.captions)),
            ("steps", steps.into()),
            ("attract", JsValue::from_bool(g.attract)),
            ("shown", JsValue::from_bool(g.shown)),
        ])
    }

    /// Degrees per second of auto-rotation turned on without a speed (the toolbar's button).
    pub fn default_autorotate_speed(&self) -> f32 {
        disan_tour::visit::DEFAULT_AUTOROTATE_SPEED
    }

    /// Auto-rotation speed when on.
    pub fn autorotate(&self) -> Option<f32> {
        self.app.as_ref().and_then(|a| a.visit.autorotate())
    }

    /// Kiosk mode as the tour's `kiosk` section says (its defaults when it has none): back to
    /// the start after the idle time, then the attract loop until a touch.
    pub fn set_kiosk(&mut self, on: bool) {
        if let Some(app) = &mut self.app {
            let config = on.then(|| app.visit.tour().kiosk.clone().unwrap_or_default());
            app.visit.set_kiosk(config);
        }
    }

    /// Seconds until the visit has something to do by itself (auto-rotation starting, a guided
    /// step ending, the kiosk's idle reset); undefined when nothing is due.
    pub fn wake_in(&self) -> Option<f64> {
        self.app.as_ref().and_then(|a| a.visit.wake_in())
    }
}

#[wasm_bindgen]
impl Engine {
    /// The visit's sound: `{on, any, ambient: {src, volume} | null}` — `on` the visitor's sound
    /// control, `any` whether the tour has any sound to control, `ambient` the track of the scene
    /// on screen (a path inside the tour folder; null while muted or in a scene without one).
    pub fn sound(&self) -> JsValue {
        let Some(app) = &self.app else {
            return JsValue::NULL;
        };
        let visit = &app.visit;
        let any = visit.has_sound();
        let ambient = visit
            .ambient()
            .and_then(|a| Some((inside_tour(&a.src).ok()?, a.volume)))
            .map_or(JsValue::NULL, |(src, volume)| {
                object(&[("src", JsValue::from_str(&src)), ("volume", volume.into())])
            });
        object(&[
            ("on", visit.sound_on().into()),
            ("any", any.into()),
            ("ambient", ambient),
        ])
    }

    /// The sounds of the scene's hotspots where the listener hears them now (Web Audio's
    /// listener space: x right, y up, looking down -z): `[{hotspot, src, volume, position:
    /// [x, y, z]}]`, paths inside the tour folder; none while muted.
    pub fn placed_sounds(&self) -> js_sys::Array {
        let out = js_sys::Array::new();
        let Some(app) = &self.app else { return out };
        for s in app.visit.placed_sounds() {
            let Ok(src) = inside_tour(&s.src) else {
                continue;
            };
            out.push(&object(&[
                ("hotspot", (s.hotspot as u32).into()),
                ("src", JsValue::from_str(&src)),
                ("volume", s.volume.into()),
                (
                    "position",
                    super::js::numbers(s.position.map(f64::from)).into(),
                ),
            ]));
        }
        out
    }
}
