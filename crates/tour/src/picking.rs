//! Picking: panorama hotspots by direction, object hotspots by a ray against the mesh with
//! occlusion, and the ray-triangle test both use.

use crate::camera::{Projection, Ray};
use glam::{Vec2, Vec3};

/// Triangles in world space, for picking and occlusion.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriangleMesh {
    /// Vertex positions.
    pub positions: Vec<Vec3>,
    /// Three indices per triangle.
    pub indices: Vec<u32>,
}

/// Möller–Trumbore: distance along the ray to the triangle, if hit (both faces).
pub fn ray_triangle(ray: &Ray, a: Vec3, b: Vec3, c: Vec3) -> Option<f32> {
    let e1 = b - a;
    let e2 = c - a;
    let p = ray.dir.cross(e2);
    let det = e1.dot(p);
    if det.abs() < 1e-12 {
        return None;
    }
    let inv = 1.0 / det;
    let s = ray.origin - a;
    let u = s.dot(p) * inv;
    if !(0.0..=1.0).contains(&u) {
        return None;
    }
    let q = s.cross(e1);
    let v = ray.dir.dot(q) * inv;
    if v < 0.0 || u + v > 1.0 {
        return None;
    }
    let t = e2.dot(q) * inv;
    (t > 0.0).then_some(t)
}

impl TriangleMesh {
    /// Nearest hit distance along the ray.
    pub fn raycast(&self, ray: &Ray) -> Option<f32> {
        self.raycast_hit(ray).map(|h| h.0)
    }

    /// Nearest hit along the ray: its distance and the unit normal of the triangle hit, turned
    /// to face the ray's origin (the side the author clicked).
    pub fn raycast_hit(&self, ray: &Ray) -> Option<(f32, Vec3)> {
        let mut best: Option<(f32, [Vec3; 3])> = None;
        for tri in self.indices.chunks_exact(3) {
            let get = |i: u32| self.positions.get(i as usize).copied();
            let (Some(a), Some(b), Some(c)) = (get(tri[0]), get(tri[1]), get(tri[2])) else {
                continue;
            };
            if let Some(t) = ray_triangle(ray, a, b, c) {
                if best.is_none_or(|b| t < b.0) {
                    best = Some((t, [a, b, c]));
                }
            }
        }
        let (t, [a, b, c]) = best?;
        let n = (b - a).cross(c - a).normalize_or_zero();
        Some((t, if n.dot(ray.dir) > 0.0 { -n } else { n }))
    }

    /// True when something of the mesh lies between `eye` and `point` (the point is hidden).
    pub fn occludes(&self, eye: Vec3, point: Vec3, scale: f32) -> bool {
        let to = point - eye;
        let dist = to.length();
        if dist < 1e-9 {
            return false;
        }
        let ray = Ray {
            origin: eye,
            dir: to / dist,
        };
        // A small tolerance so the surface the hotspot sits on does not hide it.
        let eps = 1e-3 * scale.max(dist);
        matches!(self.raycast(&ray), Some(t) if t < dist - eps)
    }
}

/// Picks the panorama hotspot nearest to the ray's direction within `max_angle_deg`.
pub fn pick_direction(ray_dir: Vec3, hotspot_dirs: &[Vec3], max_angle_deg: f32) -> Option<usize> {
    let cos_max = max_angle_deg.to_radians().cos();
    hotspot_dirs
        .iter()
        .enumerate()
        .map(|(i, d)| (i, d.normalize_or_zero().dot(ray_dir.normalize_or_zero())))
        .filter(|(_, c)| *c >= cos_max)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// Picks the object hotspot under the pixel `click`: its marker must be within `radius_px` of
/// the click and not hidden behind the mesh. Nearest to the click wins.
pub fn pick_surface(
    projection: &Projection,
    click: Vec2,
    points: &[Vec3],
    mesh: &TriangleMesh,
    scale: f32,
    radius_px: f32,
) -> Option<usize> {
    points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let (px, _) = projection.project(*p)?;
            let d = (px - click).length();
            (d <= radius_px && !mesh.occludes(projection.eye, *p, scale)).then_some((i, d))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// A cube from -1 to 1 on each axis, 12 triangles (for tests here and in the visit core).
#[cfg(test)]
pub(crate) fn cube() -> TriangleMesh {
    let mut positions = Vec::new();
    for i in 0..8 {
        positions.push(Vec3::new(
            if i & 1 == 0 { -1.0 } else { 1.0 },
            if i & 2 == 0 { -1.0 } else { 1.0 },
            if i & 4 == 0 { -1.0 } else { 1.0 },
        ));
    }
    let faces = [
        [0, 1, 3, 2],
        [4, 6, 7, 5],
        [0, 4, 5, 1],
        [2, 3, 7, 6],
        [0, 2, 6, 4],
        [1, 5, 7, 3],
    ];
    let mut indices = Vec::new();
    for f in faces {
        indices.extend_from_slice(&[f[0], f[1], f[2], f[0], f[2], f[3]]);
    }
    TriangleMesh { positions, indices }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::camera::{direction_from_yaw_pitch, Bounds, OrbitCamera};

    #[test]
    fn ray_hits_cube_front() {
        let m = cube();
        let ray = Ray {
            origin: Vec3::new(0.2, 0.1, 5.0),
            dir: Vec3::NEG_Z,
        };
        let t = m.raycast(&ray).unwrap();
        assert!((t - 4.0).abs() < 1e-5);
        let miss = Ray {
            origin: Vec3::new(3.0, 0.0, 5.0),
            dir: Vec3::NEG_Z,
        };
        assert!(m.raycast(&miss).is_none());
    }

    #[test]
    fn direction_picking() {
        let dirs = [
            direction_from_yaw_pitch(0.0, 0.0),
            direction_from_yaw_pitch(40.0, 0.0),
        ];
        assert_eq!(
            pick_direction(direction_from_yaw_pitch(38.0, 1.0), &dirs, 5.0),
            Some(1)
        );
        assert_eq!(
            pick_direction(direction_from_yaw_pitch(20.0, 0.0), &dirs, 5.0),
            None
        );
    }

    #[test]
    fn hidden_hotspot_is_not_picked() {
        let m = cube();
        let b = Bounds {
            min: Vec3::splat(-1.0),
            max: Vec3::splat(1.0),
        };
        let cam = OrbitCamera::fit(b, 0.0, 0.0, Some(6.0), None);
        let p = cam.projection(400.0, 400.0);
        let front = Vec3::new(0.0, 0.0, 1.0);
        let back = Vec3::new(0.0, 0.0, -1.0);
        let centre = Vec2::new(200.0, 200.0);
        assert_eq!(
            pick_surface(&p, centre, &[back, front], &m, 1.0, 20.0),
            Some(1)
        );
        // Only the back one: it projects to the same pixel but is hidden by the cube.
        assert!(m.occludes(p.eye, back, 1.0));
        assert!(!m.occludes(p.eye, front, 1.0));
        assert_eq!(pick_surface(&p, centre, &[back], &m, 1.0, 20.0), None);
    }
}
