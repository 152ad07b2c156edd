//! The inspection tools in the visit (object scenes only): the view mode, the raking light, the
//! section plane and measurements between picked surface points. One implementation for both
//! shells; they only show the state and pass clicks and drags here. Off on a kiosk unless its
//! tour enables them (`kiosk.inspection`).

use super::Visit;
use crate::input::Input;
use crate::inspect::{InspectFrame, InspectView, Inspection, Measurement, Raking, Section};
use glam::{Vec2, Vec3};

/// The tools' state in the scene on screen.
#[derive(Debug, Clone, Default)]
pub(super) struct Tools {
    inspection: Inspection,
    /// Measuring: the first point picked, waiting for the second.
    from: Option<Vec3>,
    /// Finished measurements (world points).
    done: Vec<(Vec3, Vec3)>,
    /// A click on the surface measures (instead of turning or activating).
    measuring: bool,
    /// Drags move the raking light instead of the camera; the pointer's last position while
    /// one is down.
    light_drag: bool,
    light_from: Option<(u64, Vec2)>,
}

impl Visit {
    /// True when the scene on screen is an object the tools can work on.
    pub fn inspectable(&self) -> bool {
        self.kiosk_allows_inspection()
            && self
                .shown
                .as_ref()
                .is_some_and(|s| s.model.is_some() && s.error.is_none())
    }

    /// The tools' state (defaults when there is no object on screen).
    pub fn inspection(&self) -> Inspection {
        self.shown
            .as_ref()
            .map(|s| s.tools.inspection)
            .unwrap_or_default()
    }

    /// What the renderer needs this frame.
    pub fn inspect_frame(&self) -> InspectFrame {
        match self
            .shown
            .as_ref()
            .and_then(|s| Some((s, s.model.as_ref()?)))
        {
            Some((s, (_, bounds))) => s.tools.inspection.frame(bounds),
            None => InspectFrame::default(),
        }
    }

    fn tools_mut(&mut self) -> Option<&mut Tools> {
        if !self.inspectable() {
            return None;
        }
        self.dirty = true;
        self.shown.as_mut().map(|s| &mut s.tools)
    }

    /// Shows the surface as it is, as clay, or as normals. False when the tools are off here.
    pub fn set_inspect_view(&mut self, view: InspectView) -> bool {
        self.tools_mut().map(|t| t.inspection.view = view).is_some()
    }

    /// The raking light on (`Some`, the environment dimmed) or off.
    pub fn set_raking(&mut self, raking: Option<Raking>) -> bool {
        self.tools_mut()
            .map(|t| t.inspection.raking = raking)
            .is_some()
    }

    /// Moves the raking light by a drag of `(dx, dy)` logical pixels (turning it on).
    pub fn drag_raking(&mut self, dx: f32, dy: f32) -> bool {
        self.tools_mut()
            .map(|t| {
                t.inspection
                    .raking
                    .get_or_insert_with(Raking::default)
                    .drag(dx, dy)
            })
            .is_some()
    }

    /// Drags move the raking light (turning it on) instead of the camera, or not.
    pub fn set_light_drag(&mut self, on: bool) -> bool {
        self.tools_mut()
            .map(|t| {
                t.light_drag = on;
                t.light_from = None;
                if on && t.inspection.raking.is_none() {
                    t.inspection.raking = Some(Raking::default());
                }
            })
            .is_some()
    }

    /// True while drags move the raking light.
    pub fn light_drag(&self) -> bool {
        self.inspectable() && self.shown.as_ref().is_some_and(|s| s.tools.light_drag)
    }

    /// Pointer input while drags move the light: taken here (true) instead of turning the view.
    pub(super) fn light_drag_input(&mut self, input: &Input) -> bool {
        if !self.light_drag() {
            return false;
        }
        let Some(t) = self.shown.as_mut().map(|s| &mut s.tools) else {
            return false;
        };
        match *input {
            Input::PointerDown { id, pos, .. } => t.light_from = Some((id, pos)),
            Input::PointerMove { id, pos } => {
                if let Some((from_id, from)) = t.light_from {
                    if from_id == id {
                        let d = pos - from;
                        t.light_from = Some((id, pos));
                        t.inspection
                            .raking
                            .get_or_insert_with(Raking::default)
                            .drag(d.x, d.y);
                        self.dirty = true;
                    }
                }
            }
            Input::PointerUp { .. } | Input::PointerCancel { .. } => t.light_from = None,
            _ => return false,
        }
        true
    }

    /// The section plane on (`Some`) or off.
    pub fn set_section(&mut self, section: Option<Section>) -> bool {
        self.tools_mut()
            .map(|t| t.inspection.section = section)
            .is_some()
    }

    /// The raking light back where it starts (still on).
    pub fn reset_light(&mut self) -> bool {
        self.tools_mut()
            .map(|t| t.inspection.raking = Some(Raking::default()))
            .is_some()
    }

    /// Everything back as the scene opened: no light, no section, no measurements.
    pub fn reset_inspection(&mut self) {
        if let Some(t) = self.tools_mut() {
            *t = Tools::default();
        }
    }

    /// Measuring mode: clicks on the surface pick points instead of turning the object.
    pub fn set_measuring(&mut self, on: bool) -> bool {
        self.tools_mut()
            .map(|t| {
                t.measuring = on;
                t.from = None;
            })
            .is_some()
    }

    /// True while clicks measure.
    pub fn measuring(&self) -> bool {
        self.inspectable() && self.shown.as_ref().is_some_and(|s| s.tools.measuring)
    }

    /// Where world point `p` appears in the view (logical pixels), if in front of the camera.
    pub fn project_point(&self, p: Vec3) -> Option<Vec2> {
        self.projection().project(p).map(|(px, _)| px)
    }

    /// The surface point under `px` (logical pixels), if the model is there.
    pub fn surface_at(&self, px: Vec2) -> Option<Vec3> {
        let (mesh, _) = self.shown.as_ref()?.model.as_ref()?;
        let ray = self.projection().ray(px);
        mesh.raycast(&ray).map(|t| ray.origin + ray.dir * t)
    }

    /// A measuring click at `px`: the first picks a point, the second ends the measurement.
    /// Returns the point picked (`None`: the click missed the model, or the tools are off).
    pub fn measure_at(&mut self, px: Vec2) -> Option<Vec3> {
        let p = self.surface_at(px)?;
        let t = self.tools_mut()?;
        match t.from.take() {
            None => t.from = Some(p),
            Some(a) => t.done.push((a, p)),
        }
        Some(p)
    }

    /// Metres per model unit of the object on screen (1 unless its scene says otherwise).
    fn metres_per_unit(&self) -> f32 {
        self.shown
            .as_ref()
            .and_then(|s| self.tour.scenes.get(s.scene))
            .and_then(|s| match &s.content {
                crate::model::Content::Object(o) => o.metres_per_unit,
                _ => None,
            })
            .filter(|m| *m > 0.0 && m.is_finite())
            .unwrap_or(1.0)
    }

    /// The finished measurements, and the first point of one under way.
    pub fn measurements(&self) -> (Vec<Measurement>, Option<Vec3>) {
        let Some(s) = &self.shown else {
            return (Vec::new(), None);
        };
        let k = self.metres_per_unit();
        let list = s
            .tools
            .done
            .iter()
            .map(|&(a, b)| Measurement {
                a,
                b,
                metres: a.distance(b) * k,
            })
            .collect();
        (list, s.tools.from)
    }

    /// Removes measurement `i` (from 0); false when there is none.
    pub fn remove_measurement(&mut self, i: usize) -> bool {
        match self.tools_mut() {
            Some(t) if i < t.done.len() => {
                t.done.remove(i);
                true
            }
            _ => false,
        }
    }
}
