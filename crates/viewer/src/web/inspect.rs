//! The inspection tools of an object scene (views, raking light, section, measurements), the
//! levels of a huge scan (derivatives) and the GPU memory the renderer holds.

use super::js::{numbers, object};
use super::Engine;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Engine {
    /// The inspection tools of the object on screen: `{inspectable, view, raking, light_drag,
    /// section: {axis, position, flip} | null, measuring, measurements: [{text, a: [x, y] | null,
    /// b: [x, y] | null}], pending: [x, y] | null}` (positions in CSS pixels, `null` when behind
    /// the camera).
    pub fn inspection(&self) -> JsValue {
        use disan_tour::inspect::{format_length, Axis};
        let Some(app) = &self.app else {
            return JsValue::NULL;
        };
        let v = &app.visit;
        let i = v.inspection();
        let pt = |p: glam::Vec3| match v.project_point(p) {
            Some(q) => numbers([q.x as f64, q.y as f64]).into(),
            None => JsValue::NULL,
        };
        let (list, pending) = v.measurements();
        let ms = js_sys::Array::new();
        for m in &list {
            ms.push(&object(&[
                ("text", JsValue::from_str(&format_length(m.metres))),
                ("a", pt(m.a)),
                ("b", pt(m.b)),
            ]));
        }
        let section = i.section.map_or(JsValue::NULL, |s| {
            let axis = match s.axis {
                Axis::X => "x",
                Axis::Y => "y",
                Axis::Z => "z",
            };
            object(&[
                ("axis", JsValue::from_str(axis)),
                ("position", JsValue::from_f64(s.position as f64)),
                ("flip", JsValue::from_bool(s.flip)),
            ])
        });
        object(&[
            ("inspectable", JsValue::from_bool(v.inspectable())),
            ("view", JsValue::from_str(i.view.name())),
            ("raking", JsValue::from_bool(i.raking.is_some())),
            ("light_drag", JsValue::from_bool(v.light_drag())),
            ("section", section),
            ("measuring", JsValue::from_bool(v.measuring())),
            ("measurements", ms.into()),
            ("pending", pending.map_or(JsValue::NULL, pt)),
        ])
    }

    /// Sets one inspection tool: `view` (`"normal"`, `"clay"`, `"normals"`), `raking`,
    /// `light_drag`, `measuring` (booleans), `section` (`null` or `{axis, position, flip}`),
    /// `remove` (a measurement's index), `reset_light`, `reset`. False when the tools are off here
    /// (not an object, or a kiosk without them).
    pub fn inspect(&mut self, what: &str, value: JsValue) -> Result<bool, JsError> {
        use disan_tour::inspect::{Axis, InspectView, Raking, Section};
        let Some(app) = &mut self.app else {
            return Ok(false);
        };
        let v = &mut app.visit;
        let get = |k: &str| js_sys::Reflect::get(&value, &JsValue::from_str(k)).ok();
        let done = match what {
            "view" => {
                let name = value.as_string().unwrap_or_default();
                let view = InspectView::parse(&name)
                    .ok_or_else(|| JsError::new(&format!("unknown view \"{name}\"")))?;
                v.set_inspect_view(view)
            }
            "raking" => v.set_raking(value.is_truthy().then(Raking::default)),
            "light_drag" => v.set_light_drag(value.is_truthy()),
            "reset_light" => v.reset_light(),
            "measuring" => v.set_measuring(value.is_truthy()),
            "remove" => v.remove_measurement(value.as_f64().unwrap_or(-1.0) as usize),
            "section" if value.is_null() || value.is_undefined() => v.set_section(None),
            "section" => {
                let axis = get("axis")
                    .and_then(|a| a.as_string())
                    .and_then(|a| Axis::parse(&a))
                    .ok_or_else(|| JsError::new("section.axis must be \"x\", \"y\" or \"z\""))?;
                let position = get("position").and_then(|p| p.as_f64()).unwrap_or(0.5) as f32;
                let flip = get("flip").is_some_and(|f| f.is_truthy());
                v.set_section(Some(Section {
                    axis,
                    position: position.clamp(0.0, 1.0),
                    flip,
                }))
            }
            "reset" => {
                v.reset_inspection();
                v.inspectable()
            }
            other => {
                return Err(JsError::new(&format!(
                    "unknown inspection tool \"{other}\""
                )))
            }
        };
        if done {
            v.touch();
        }
        Ok(done)
    }

    /// The object on screen when its scene lists derivatives: `{shown, loading, wanted}` (each
    /// `{quality, model, triangles, texture, gpu_bytes}` or null), `limits: {max_texture,
    /// gpu_budget}`, and `gpu_bytes` the renderer holds for the scene now; null otherwise.
    pub fn detail(&self) -> JsValue {
        let Some(app) = &self.app else {
            return JsValue::NULL;
        };
        let Some(d) = app.visit.detail() else {
            return JsValue::NULL;
        };
        let level = |l: Option<&disan_tour::derivatives::Derivative>| match l {
            Some(l) => object(&[
                ("quality", JsValue::from_str(l.quality.name())),
                ("model", JsValue::from_str(&l.model)),
                ("triangles", JsValue::from_f64(l.triangles as f64)),
                ("texture", JsValue::from_f64(l.texture as f64)),
                ("gpu_bytes", JsValue::from_f64(l.gpu_bytes as f64)),
            ]),
            None => JsValue::NULL,
        };
        let limits = app.visit.device_limits();
        object(&[
            ("shown", level(Some(&d.shown))),
            ("loading", level(d.loading.as_ref())),
            ("wanted", level(d.wanted.as_ref())),
            (
                "limits",
                object(&[
                    ("max_texture", JsValue::from_f64(limits.max_texture as f64)),
                    ("gpu_budget", JsValue::from_f64(limits.gpu_budget as f64)),
                ]),
            ),
            (
                "gpu_bytes",
                JsValue::from_f64(app.renderer.gpu_memory().content as f64),
            ),
        ])
    }

    /// GPU memory the renderer holds now, in bytes: `{content, targets, environment, total}`
    /// (the scene's textures and buffers; the offscreen targets; image-based lighting).
    pub fn gpu_memory(&self) -> JsValue {
        let m = self
            .app
            .as_ref()
            .map(|a| a.renderer.gpu_memory())
            .unwrap_or_default();
        object(&[
            ("content", JsValue::from_f64(m.content as f64)),
            ("targets", JsValue::from_f64(m.targets as f64)),
            ("environment", JsValue::from_f64(m.environment as f64)),
            ("total", JsValue::from_f64(m.total() as f64)),
        ])
    }
}
