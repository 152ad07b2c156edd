//! Cameras: a panorama camera (yaw/pitch/fov) and an orbit camera around an object, with
//! inertia, limits, projection and screen-to-ray math. Y is up, the camera looks down -Z at yaw 0.

use glam::{Mat3, Mat4, Vec2, Vec3, Vec4Swizzles};

/// Direction for a panorama yaw/pitch in degrees (yaw 0 = image centre, positive to the right).
pub fn direction_from_yaw_pitch(yaw_deg: f32, pitch_deg: f32) -> Vec3 {
    let (y, p) = (yaw_deg.to_radians(), pitch_deg.to_radians());
    Vec3::new(y.sin() * p.cos(), p.sin(), -y.cos() * p.cos())
}

/// Yaw and pitch in degrees of a direction (inverse of [`direction_from_yaw_pitch`]).
pub fn yaw_pitch_from_direction(d: Vec3) -> (f32, f32) {
    let d = d.normalize_or(Vec3::NEG_Z);
    (
        d.x.atan2(-d.z).to_degrees(),
        d.y.clamp(-1.0, 1.0).asin().to_degrees(),
    )
}

/// Wraps an angle in degrees to (-180, 180].
pub fn wrap_degrees(a: f32) -> f32 {
    let w = (a + 180.0).rem_euclid(360.0) - 180.0;
    if w <= -180.0 {
        w + 360.0
    } else {
        w
    }
}

/// A camera's matrices and viewport, enough to project points and cast rays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    /// World to view.
    pub view: Mat4,
    /// View to clip (wgpu depth range 0..1).
    pub proj: Mat4,
    /// Camera position in world space.
    pub eye: Vec3,
    /// Viewport size in pixels.
    pub viewport: Vec2,
}

/// A ray in world space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ray {
    /// Start point.
    pub origin: Vec3,
    /// Unit direction.
    pub dir: Vec3,
}

impl Projection {
    /// Projection times view.
    pub fn view_proj(&self) -> Mat4 {
        self.proj * self.view
    }

    /// Pixel position (origin top-left) and clip depth of a world point; `None` behind the camera.
    pub fn project(&self, p: Vec3) -> Option<(Vec2, f32)> {
        let clip = self.view_proj() * p.extend(1.0);
        if clip.w <= 1e-6 {
            return None;
        }
        let ndc = clip.xyz() / clip.w;
        let px = Vec2::new(
            (ndc.x + 1.0) * 0.5 * self.viewport.x,
            (1.0 - ndc.y) * 0.5 * self.viewport.y,
        );
        Some((px, ndc.z))
    }

    /// Pixel position of a direction at infinity (panoramas); `None` behind the camera.
    pub fn project_direction(&self, d: Vec3) -> Option<Vec2> {
        let v = self.view.transform_vector3(d);
        let clip = self.proj * v.extend(0.0);
        if clip.w <= 1e-6 {
            return None;
        }
        let ndc = clip.xy() / clip.w;
        Some(Vec2::new(
            (ndc.x + 1.0) * 0.5 * self.viewport.x,
            (1.0 - ndc.y) * 0.5 * self.viewport.y,
        ))
    }

    /// The ray through a pixel (origin top-left).
    pub fn ray(&self, px: Vec2) -> Ray {
        let ndc = Vec2::new(
            2.0 * px.x / self.viewport.x - 1.0,
            1.0 - 2.0 * px.y / self.viewport.y,
        );
        let inv = self.view_proj().inverse();
        let near = inv.project_point3(ndc.extend(0.0));
        let far = inv.project_point3(ndc.extend(1.0));
        let dir = (far - near).normalize_or(Vec3::NEG_Z);
        Ray {
            origin: self.eye,
            dir,
        }
    }
}

/// Exponential decay of inertial velocity, per second.
const INERTIA_DECAY: f32 = 4.0;
/// Velocities below this (degrees per second) stop.
const INERTIA_STOP: f32 = 0.5;

/// Camera inside a panorama.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PanoCamera {
    /// Degrees, 0 = image centre, positive to the right.
    pub yaw: f32,
    /// Degrees, positive up.
    pub pitch: f32,
    /// Vertical field of view, degrees.
    pub fov: f32,
    /// Smallest field of view (most zoomed in).
    pub fov_min: f32,
    /// Largest field of view.
    pub fov_max: f32,
    /// Angular velocity (degrees per second) left by a drag, for inertia.
    pub velocity: Vec2,
}

impl Default for PanoCamera {
    fn default() -> Self {
        PanoCamera {
            yaw: 0.0,
            pitch: 0.0,
            fov: 75.0,
            fov_min: 30.0,
            fov_max: 100.0,
            velocity: Vec2::ZERO,
        }
    }
}

impl PanoCamera {
    /// A camera looking at yaw/pitch with a field of view, clamped to the limits.
    pub fn new(yaw: f32, pitch: f32, fov: f32, fov_range: Option<[f32; 2]>) -> Self {
        let mut c = PanoCamera::default();
        if let Some([lo, hi]) = fov_range {
            c.fov_min = lo;
            c.fov_max = hi;
        }
        c.yaw = yaw;
        c.pitch = pitch;
        c.fov = fov;
        c.clamp();
        c
    }

    fn clamp(&mut self) {
        self.fov = self.fov.clamp(self.fov_min, self.fov_max);
        self.pitch = self.pitch.clamp(-90.0, 90.0);
        self.yaw = wrap_degrees(self.yaw);
    }

    /// Rotation from camera space to world space.
    pub fn rotation(&self) -> Mat3 {
        Mat3::from_rotation_y(-self.yaw.to_radians())
            * Mat3::from_rotation_x(self.pitch.to_radians())
    }

    /// Unit view direction.
    pub fn forward(&self) -> Vec3 {
        direction_from_yaw_pitch(self.yaw, self.pitch)
    }

    /// Matrices for a viewport of `width` × `height` pixels.
    pub fn projection(&self, width: f32, height: f32) -> Projection {
        let aspect = (width / height.max(1.0)).max(1e-3);
        Projection {
            view: Mat4::from_mat3(self.rotation().transpose()),
            proj: Mat4::perspective_rh(self.fov.to_radians(), aspect, 0.1, 100.0),
            eye: Vec3::ZERO,
            viewport: Vec2::new(width, height),
        }
    }

    /// Degrees turned per pixel dragged at this zoom.
    pub fn degrees_per_pixel(&self, height: f32) -> f32 {
        self.fov / height.max(1.0)
    }

    /// Drag by a pixel delta: the image follows the pointer.
    pub fn drag(&mut self, delta: Vec2, height: f32) {
        let k = self.degrees_per_pixel(height);
        self.yaw -= delta.x * k;
        self.pitch += delta.y * k;
        self.clamp();
    }

    /// Turn by degrees (arrow keys).
    pub fn turn(&mut self, dyaw: f32, dpitch: f32) {
        self.yaw += dyaw;
        self.pitch += dpitch;
        self.clamp();
    }

    /// Multiply the field of view (zoom out when `factor` > 1).
    pub fn zoom(&mut self, factor: f32) {
        if factor.is_finite() && factor > 0.0 {
            self.fov *= factor;
            self.clamp();
        }
    }

    /// Advances inertia by `dt` seconds; true while still moving.
    pub fn update(&mut self, dt: f32) -> bool {
        if self.velocity.length() < INERTIA_STOP {
            self.velocity = Vec2::ZERO;
            return false;
        }
        self.yaw += self.velocity.x * dt;
        self.pitch += self.velocity.y * dt;
        self.clamp();
        self.velocity *= (-INERTIA_DECAY * dt).exp();
        true
    }
}

/// Bounds of a model: centre and radius of its bounding sphere.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Minimum corner.
    pub min: Vec3,
    /// Maximum corner.
    pub max: Vec3,
}

impl Bounds {
    /// Centre of the box.
    pub fn center(&self) -> Vec3 {
        (self.min + self.max) * 0.5
    }
    /// Radius of the sphere around the box.
    pub fn radius(&self) -> f32 {
        ((self.max - self.min).length() * 0.5).max(1e-4)
    }
}

/// Camera orbiting an object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrbitCamera {
    /// Point looked at.
    pub target: Vec3,
    /// Degrees around +Y; 0 puts the eye on +Z.
    pub yaw: f32,
    /// Degrees above the horizon.
    pub pitch: f32,
    /// Distance from eye to target.
    pub distance: f32,
    /// Vertical field of view, degrees.
    pub fov: f32,
    /// Model bounds the limits are computed from.
    pub bounds: Bounds,
    /// Angular velocity (degrees per second) for inertia.
    pub velocity: Vec2,
    home: (Vec3, f32, f32, f32),
}

impl OrbitCamera {
    /// Orbit fitted to `bounds` (the sphere around the box fills the view); `distance` and
    /// `target` override the fit.
    pub fn fit(
        bounds: Bounds,
        yaw: f32,
        pitch: f32,
        distance: Option<f32>,
        target: Option<Vec3>,
    ) -> Self {
        Self::fit_sphere(bounds, bounds.radius(), yaw, pitch, distance, target)
    }

    /// Orbit at the distance where a sphere of `radius` around the target fills the narrower
    /// side of the view with a 5 % margin (a model's vertices, as `<model-viewer>` frames it);
    /// `bounds` still set the limits. `distance` and `target` override the fit.
    pub fn fit_sphere(
        bounds: Bounds,
        radius: f32,
        yaw: f32,
        pitch: f32,
        distance: Option<f32>,
        target: Option<Vec3>,
    ) -> Self {
        let fov = 45.0_f32;
        let fit = radius.max(1e-4) / (fov.to_radians() * 0.5).sin() * 1.05;
        let mut c = OrbitCamera {
            target: target.unwrap_or(bounds.center()),
            yaw,
            pitch,
            distance: distance.unwrap_or(fit),
            fov,
            bounds,
            velocity: Vec2::ZERO,
            home: (Vec3::ZERO, 0.0, 0.0, 0.0),
        };
        c.clamp();
        c.home = (c.target, c.yaw, c.pitch, c.distance);
        c
    }

    /// Closest and farthest allowed distance.
    pub fn distance_limits(&self) -> (f32, f32) {
        let r = self.bounds.radius();
        (r * 0.6, r * 8.0)
    }

    fn clamp(&mut self) {
        self.pitch = self.pitch.clamp(-85.0, 85.0);
        self.yaw = wrap_degrees(self.yaw);
        let (lo, hi) = self.distance_limits();
        self.distance = self.distance.clamp(lo, hi);
        // Keep the target inside the bounds so the relic never leaves the view.
        let c = self.bounds.center();
        let r = self.bounds.radius();
        let off = self.target - c;
        if off.length() > r {
            self.target = c + off.normalize() * r;
        }
    }

    /// Eye position.
    pub fn eye(&self) -> Vec3 {
        let (y, p) = (self.yaw.to_radians(), self.pitch.to_radians());
        self.target + self.distance * Vec3::new(y.sin() * p.cos(), p.sin(), y.cos() * p.cos())
    }

    /// Matrices for a viewport of `width` × `height` pixels.
    pub fn projection(&self, width: f32, height: f32) -> Projection {
        let aspect = (width / height.max(1.0)).max(1e-3);
        let eye = self.eye();
        let r = self.bounds.radius();
        let reach = (eye - self.bounds.center()).length();
        let near = (reach - 2.0 * r).max(reach * 0.01).max(1e-4);
        let far = reach + 2.0 * r;
        Projection {
            view: Mat4::look_at_rh(eye, self.target, Vec3::Y),
            proj: Mat4::perspective_rh(self.vertical_fov(aspect).to_radians(), aspect, near, far),
            eye,
            viewport: Vec2::new(width, height),
        }
    }

    /// The vertical field of view (degrees) for a viewport of this aspect: `fov` applies to the
    /// narrower side, so the fitted object stays whole on a phone in portrait too.
    pub fn vertical_fov(&self, aspect: f32) -> f32 {
        if aspect >= 1.0 {
            return self.fov;
        }
        let half = (self.fov.to_radians() * 0.5).tan() / aspect.max(1e-3);
        (2.0 * half.atan()).to_degrees()
    }

    /// Orbit by a pixel drag.
    pub fn drag(&mut self, delta: Vec2, height: f32) {
        let k = 180.0 / height.max(1.0);
        self.yaw -= delta.x * k;
        self.pitch += delta.y * k;
        self.clamp();
    }

    /// Orbit by degrees.
    pub fn turn(&mut self, dyaw: f32, dpitch: f32) {
        self.yaw += dyaw;
        self.pitch += dpitch;
        self.clamp();
    }

    /// Move the target in the view plane by a pixel drag.
    pub fn pan(&mut self, delta: Vec2, height: f32) {
        let world_per_px =
            2.0 * self.distance * (self.fov.to_radians() * 0.5).tan() / height.max(1.0);
        let fwd = (self.target - self.eye()).normalize_or(Vec3::NEG_Z);
        let right = fwd.cross(Vec3::Y).normalize_or(Vec3::X);
        let up = right.cross(fwd);
        self.target += (-delta.x * right + delta.y * up) * world_per_px;
        self.clamp();
    }

    /// Multiply the distance (zoom out when `factor` > 1).
    pub fn zoom(&mut self, factor: f32) {
        if factor.is_finite() && factor > 0.0 {
            self.distance *= factor;
            self.clamp();
        }
    }

    /// Looks at `target` from `yaw`/`pitch` at `distance`, within the limits.
    pub fn set(&mut self, yaw: f32, pitch: f32, distance: f32, target: Vec3) {
        self.yaw = yaw;
        self.pitch = pitch;
        if distance.is_finite() && distance > 0.0 {
            self.distance = distance;
        }
        if target.is_finite() {
            self.target = target;
        }
        self.clamp();
    }

    /// The target the orbit was fitted around.
    pub fn home_target(&self) -> Vec3 {
        self.home.0
    }

    /// Back to the fitted view.
    pub fn reset(&mut self) {
        (self.target, self.yaw, self.pitch, self.distance) = self.home;
        self.velocity = Vec2::ZERO;
    }

    /// Advances inertia by `dt` seconds; true while still moving.
    pub fn update(&mut self, dt: f32) -> bool {
        if self.velocity.length() < INERTIA_STOP {
            self.velocity = Vec2::ZERO;
            return false;
        }
        self.yaw += self.velocity.x * dt;
        self.pitch += self.velocity.y * dt;
        self.clamp();
        self.velocity *= (-INERTIA_DECAY * dt).exp();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-3
    }

    #[test]
    fn yaw_pitch_round_trip() {
        for (y, p) in [(0.0, 0.0), (90.0, 10.0), (-135.0, -45.0), (179.0, 80.0)] {
            let d = direction_from_yaw_pitch(y, p);
            let (y2, p2) = yaw_pitch_from_direction(d);
            assert!(close(y, y2) && close(p, p2), "{y},{p} -> {y2},{p2}");
        }
        assert!(direction_from_yaw_pitch(90.0, 0.0).abs_diff_eq(Vec3::X, 1e-6));
    }

    #[test]
    fn wrap() {
        assert!(close(wrap_degrees(190.0), -170.0));
        assert!(close(wrap_degrees(-180.0), 180.0));
        assert!(close(wrap_degrees(720.0), 0.0));
    }

    #[test]
    fn pano_forward_projects_to_centre_and_ray_round_trips() {
        let cam = PanoCamera::new(30.0, 20.0, 90.0, None);
        let p = cam.projection(800.0, 600.0);
        let c = p.project_direction(cam.forward()).unwrap();
        assert!(c.abs_diff_eq(Vec2::new(400.0, 300.0), 1e-2), "{c}");
        let px = Vec2::new(123.0, 456.0);
        let ray = p.ray(px);
        let back = p.project_direction(ray.dir).unwrap();
        assert!(back.abs_diff_eq(px, 1e-2), "{back}");
        // A direction to the right of the view lands right of the centre.
        let right = direction_from_yaw_pitch(50.0, 20.0);
        assert!(p.project_direction(right).unwrap().x > 400.0);
        // Behind the camera: nothing.
        assert!(p.project_direction(-cam.forward()).is_none());
    }

    #[test]
    fn pano_limits_and_inertia() {
        let mut cam = PanoCamera::new(0.0, 0.0, 75.0, Some([40.0, 90.0]));
        cam.zoom(10.0);
        assert_eq!(cam.fov, 90.0);
        cam.zoom(0.01);
        assert_eq!(cam.fov, 40.0);
        cam.turn(0.0, 500.0);
        assert_eq!(cam.pitch, 90.0);
        // Dragging right turns the view left.
        let mut cam = PanoCamera::default();
        cam.drag(Vec2::new(100.0, 0.0), 600.0);
        assert!(cam.yaw < 0.0);
        cam.velocity = Vec2::new(60.0, 0.0);
        let before = cam.yaw;
        let mut steps = 0;
        while cam.update(1.0 / 60.0) {
            steps += 1;
            assert!(steps < 10_000, "inertia never stops");
        }
        assert!(cam.yaw > before && steps > 10);
    }

    #[test]
    fn orbit_fits_limits_and_resets() {
        let b = Bounds {
            min: Vec3::splat(-1.0),
            max: Vec3::splat(1.0),
        };
        let mut cam = OrbitCamera::fit(b, 0.0, 0.0, None, None);
        assert!(cam.eye().z > 0.0 && close(cam.eye().x, 0.0));
        let p = cam.projection(400.0, 400.0);
        // The whole bounding sphere fits in view.
        for corner in [
            Vec3::splat(1.0),
            Vec3::splat(-1.0),
            Vec3::new(1.0, -1.0, 1.0),
        ] {
            let (px, z) = p.project(corner).unwrap();
            assert!(
                (0.0..=400.0).contains(&px.x) && (0.0..=400.0).contains(&px.y),
                "{px}"
            );
            assert!((0.0..=1.0).contains(&z));
        }
        // A phone in portrait: the object fits the narrower (horizontal) side too.
        let p = cam.projection(360.0, 740.0);
        for corner in [Vec3::new(1.0, 0.0, 1.0), Vec3::new(-1.0, 0.0, 1.0)] {
            let (px, _) = p.project(corner).unwrap();
            assert!((0.0..=360.0).contains(&px.x), "cropped at the side: {px}");
        }
        let home = cam;
        cam.zoom(1000.0);
        assert_eq!(cam.distance, cam.distance_limits().1);
        cam.pan(Vec2::new(1e6, 1e6), 400.0);
        assert!((cam.target - b.center()).length() <= b.radius() + 1e-4);
        cam.turn(10.0, 200.0);
        assert_eq!(cam.pitch, 85.0);
        cam.reset();
        assert_eq!(cam.eye(), home.eye());
    }
}
