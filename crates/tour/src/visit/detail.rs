//! Levels of detail of the object on screen when its scene lists derivatives
//! ([`crate::derivatives`]): which level the scene opens with (the thumb), which one it wants
//! next (the best the device and the object's size on screen allow), and the request that
//! fetches it. The shell swaps the finer level in with a cross-fade ([`super::Delivery::Swap`]).

use super::loading::{Request, RequestId, Resource};
use super::Visit;
use crate::derivatives::{self, Derivative};
use glam::Vec3;

/// The levels of the object on screen.
#[derive(Debug, Clone, Default)]
pub(crate) struct Detail {
    /// The level shown (index into the scene's `derivatives`).
    pub shown: usize,
    /// The finer level being fetched.
    pub loading: Option<(RequestId, usize)>,
    /// Levels that failed to load (not asked for again).
    pub failed: Vec<usize>,
}

/// What the visit shows of an object with derivatives (the web API and tests read it).
#[derive(Debug, Clone, PartialEq)]
pub struct DetailStatus {
    /// The level on screen.
    pub shown: Derivative,
    /// The finer level being fetched.
    pub loading: Option<Derivative>,
    /// The level the device and the view allow now.
    pub wanted: Option<Derivative>,
}

impl Visit {
    /// What the device allows models to take: texture side and GPU memory. Applies to object
    /// scenes with derivatives entered from now on, and to the levels they fetch next.
    pub fn set_device_limits(&mut self, limits: derivatives::DeviceLimits) {
        self.device = derivatives::DeviceLimits {
            max_texture: limits.max_texture.max(1),
            gpu_budget: limits.gpu_budget.max(1 << 20),
        };
    }

    /// The device limits in use.
    pub fn device_limits(&self) -> derivatives::DeviceLimits {
        self.device
    }

    /// Physical pixels an object is expected to cover when its scene opens: it is framed to fill
    /// the view's narrower side, and a relic covers about half of that square.
    pub(crate) fn opening_coverage(&self) -> f64 {
        let side = (self.size.x.min(self.size.y) * self.dpr) as f64;
        0.5 * side * side
    }

    /// Physical pixels the object on screen covers now: half the disc its bounding sphere
    /// projects to, at most the view.
    fn coverage(&self) -> Option<f64> {
        let shown = self.shown.as_ref()?;
        let (_, bounds) = shown.model.as_ref()?;
        let mut proj = self.projection();
        proj.viewport *= self.dpr;
        let centre = bounds.center();
        let radius = bounds.radius();
        let up = proj
            .view
            .inverse()
            .transform_vector3(Vec3::Y)
            .normalize_or_zero();
        let screen = (proj.viewport.x * proj.viewport.y) as f64;
        let (a, b) = match (proj.project(centre), proj.project(centre + up * radius)) {
            (Some(a), Some(b)) => (a.0, b.0),
            // The camera is inside the sphere: the object fills the view.
            _ => return Some(screen),
        };
        let r = a.distance(b) as f64;
        Some((0.5 * std::f64::consts::PI * r * r).min(screen))
    }

    /// Object scenes with derivatives: asks for a finer level when the device and the view now
    /// allow one (after the visitor zoomed in, or once the thumb is shown). Call once per frame;
    /// the request comes out of [`Visit::take_requests`].
    pub fn refresh_detail(&mut self) {
        let Some(coverage) = self.coverage() else {
            return;
        };
        let device = self.device;
        let Some(shown) = self.shown.as_mut() else {
            return;
        };
        let scene = &self.tour.scenes[shown.scene];
        let (Some(detail), Some(object)) = (shown.detail.as_mut(), scene.object()) else {
            return;
        };
        if detail.loading.is_some() {
            return;
        }
        let levels = &object.derivatives;
        // Both levels are on the GPU while they cross-fade: the budget holds them together.
        let device = derivatives::DeviceLimits {
            gpu_budget: device
                .gpu_budget
                .saturating_sub(levels.get(detail.shown).map_or(0, |l| l.gpu_bytes)),
            ..device
        };
        let Some(best) = derivatives::choose(levels, device, coverage) else {
            return;
        };
        let finer = |i: usize| levels[i].quality > levels[detail.shown].quality;
        if !finer(best) || detail.failed.contains(&best) {
            return;
        }
        let id = self.next_id;
        self.next_id += 1;
        detail.loading = Some((id, best));
        self.queue.push(Request {
            id,
            scene: scene.id.clone(),
            resource: Resource::Model,
            path: levels[best].model.clone(),
            priority: 2,
        });
    }

    /// The finer level being fetched for the scene on screen, if `id` is its request.
    pub(crate) fn detail_request(&self, id: RequestId) -> Option<usize> {
        let (rid, level) = self.shown.as_ref()?.detail.as_ref()?.loading?;
        (rid == id).then_some(level)
    }

    /// Stops fetching a finer level of the scene being left.
    pub(crate) fn cancel_detail(&mut self) {
        if let Some(d) = self.shown.as_mut().and_then(|s| s.detail.as_mut()) {
            if let Some((id, _)) = d.loading.take() {
                self.queue.retain(|r| r.id != id);
                self.cancelled.push(id);
            }
        }
    }

    /// Object scenes with derivatives: the level shown, the one loading, the one wanted now.
    pub fn detail(&self) -> Option<DetailStatus> {
        let shown = self.shown.as_ref()?;
        let d = shown.detail.as_ref()?;
        let levels = &self.tour.scenes[shown.scene].object()?.derivatives;
        let wanted = self
            .coverage()
            .and_then(|c| derivatives::choose(levels, self.device, c));
        Some(DetailStatus {
            shown: levels.get(d.shown)?.clone(),
            loading: d.loading.and_then(|(_, l)| levels.get(l).cloned()),
            wanted: wanted.and_then(|w| levels.get(w).cloned()),
        })
    }
}
