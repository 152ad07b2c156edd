//! Geometry of the drum: the outer wall's lathe profile (shared with the Hậu cung panorama),
//! points on it, and the mesh (body, tympanum, inside, handles) with normals, tangents and UVs.

use super::{
    BODY_V0, BODY_V1, HANDLE_V0, HANDLE_V1, INNER_TOP_Y, INNER_V0, INNER_V1, RIM_Y, SEGMENTS,
    SIDE_U0, SIDE_U1, TOP_Y, TYMPANUM_R, TYMPANUM_UV_R, TYMP_C, WALL,
};
use glam::{Vec2, Vec3};
use std::f32::consts::{PI, TAU};

/// Control points (radius, height) of the outer wall, foot to neck.
const OUTER: [(f32, f32); 17] = [
    (0.372, 0.000),
    (0.364, 0.022),
    (0.348, 0.065),
    (0.335, 0.115),
    (0.327, 0.165),
    (0.323, 0.205),
    (0.322, 0.250),
    (0.322, 0.300),
    (0.325, 0.355),
    (0.333, 0.395),
    (0.347, 0.435),
    (0.362, 0.478),
    (0.372, 0.518),
    (0.375, 0.553),
    (0.372, 0.583),
    (0.366, 0.602),
    (0.362, RIM_Y),
];

/// The outer wall sampled densely: (radius, height) points, foot first, evenly in arc length.
pub fn outer_profile() -> Vec<Vec2> {
    let pts: Vec<Vec2> = OUTER.iter().map(|&(r, y)| Vec2::new(r, y)).collect();
    let mut dense = Vec::new();
    let n = pts.len();
    for i in 0..n - 1 {
        let p0 = pts[i.saturating_sub(1)];
        let p1 = pts[i];
        let p2 = pts[i + 1];
        let p3 = pts[(i + 2).min(n - 1)];
        for k in 0..16 {
            let t = k as f32 / 16.0;
            let t2 = t * t;
            let t3 = t2 * t;
            let p = 0.5
                * ((2.0 * p1)
                    + (-p0 + p2) * t
                    + (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3) * t2
                    + (-p0 + 3.0 * p1 - 3.0 * p2 + p3) * t3);
            dense.push(p);
        }
    }
    dense.push(pts[n - 1]);
    // Resample evenly by arc length.
    let mut acc = vec![0.0];
    for w in dense.windows(2) {
        acc.push(acc[acc.len() - 1] + (w[1] - w[0]).length());
    }
    let total = acc[acc.len() - 1];
    let count = 56;
    let mut out = Vec::with_capacity(count + 1);
    let mut j = 0;
    for k in 0..=count {
        let s = total * k as f32 / count as f32;
        while j + 2 < acc.len() && acc[j + 1] < s {
            j += 1;
        }
        let f = ((s - acc[j]) / (acc[j + 1] - acc[j]).max(1e-9)).clamp(0.0, 1.0);
        out.push(dense[j].lerp(dense[j + 1], f));
    }
    out
}

/// Outer radius at height `y` (linear between profile samples, as the mesh is), and the
/// outward profile normal (radial, vertical).
pub fn radius_at(profile: &[Vec2], y: f32) -> (f32, Vec2) {
    for w in profile.windows(2) {
        let (a, b) = (w[0], w[1]);
        if y >= a.y && y <= b.y && b.y > a.y {
            let f = (y - a.y) / (b.y - a.y);
            let d = b - a;
            return (a.x + d.x * f, Vec2::new(d.y, -d.x).normalize_or(Vec2::X));
        }
    }
    (profile[profile.len() - 1].x, Vec2::X)
}

/// A point on the outer wall at height `y` and angle `phi` (radians, 0 = +Z, π/2 = +X), and its
/// outward normal. `phi` must be a multiple of 2π/[`SEGMENTS`] for the point to lie exactly on
/// the mesh.
pub fn surface_point(profile: &[Vec2], y: f32, phi: f32) -> (Vec3, Vec3) {
    let (r, n) = radius_at(profile, y);
    let (s, c) = phi.sin_cos();
    (
        Vec3::new(r * s, y, r * c),
        Vec3::new(n.x * s, n.y, n.x * c).normalize_or(Vec3::Z),
    )
}

/// Arc length of the outer profile from the foot up to each sample.
fn arc_lengths(profile: &[Vec2]) -> Vec<f32> {
    let mut acc = vec![0.0];
    for w in profile.windows(2) {
        acc.push(acc[acc.len() - 1] + (w[1] - w[0]).length());
    }
    acc
}

/// Lengths of the body strip: rim side, rim underside, outer wall.
pub(super) fn strip_lengths(profile: &[Vec2]) -> (f32, f32, f32) {
    let wall = arc_lengths(profile).last().copied().unwrap_or(0.0);
    let neck = profile.last().map_or(0.36, |p| p.x);
    (TOP_Y - RIM_Y, TYMPANUM_R - neck, wall)
}

/// Drum mesh: positions, normals, tangents (xyz, handedness), UVs and triangles, model space
/// (Y up, foot on y = 0, centred on the axis, front towards +Z).
#[derive(Default)]
pub struct DrumMesh {
    pub pos: Vec<Vec3>,
    pub nrm: Vec<Vec3>,
    pub tan: Vec<[f32; 4]>,
    pub uv: Vec<Vec2>,
    pub tris: Vec<[u32; 3]>,
}

impl DrumMesh {
    fn vertex(&mut self, p: Vec3, n: Vec3, uv: Vec2) -> u32 {
        self.pos.push(p);
        self.nrm.push(n.normalize_or(Vec3::Y));
        self.uv.push(uv);
        self.tan.push([1.0, 0.0, 0.0, 1.0]);
        (self.pos.len() - 1) as u32
    }

    /// A surface of revolution over `rings` (radius, height, normal (radial, y), uv-v), with
    /// `uv_u(phi)` mapping. Quads wind counter-clockwise seen from the side the normals face.
    fn lathe(
        &mut self,
        rings: &[(Vec2, Vec2, f32)],
        map: &dyn Fn(f32, Vec2, f32) -> Vec2,
        flip: bool,
    ) {
        let cols = SEGMENTS + 1;
        let base = self.pos.len() as u32;
        for &(p, n, v) in rings {
            for j in 0..cols {
                let phi = TAU * j as f32 / SEGMENTS as f32;
                let (s, c) = phi.sin_cos();
                let pos = Vec3::new(p.x * s, p.y, p.x * c);
                let nrm = Vec3::new(n.x * s, n.y, n.x * c);
                self.vertex(pos, nrm, map(phi, p, v));
            }
        }
        for i in 0..rings.len() - 1 {
            for j in 0..SEGMENTS {
                let a = base + (i * cols + j) as u32;
                let b = a + 1;
                let c = a + cols as u32;
                let d = c + 1;
                // Profile upwards and angle increasing (to the right seen from outside): CCW is a-b-d.
                if flip {
                    self.tris.push([a, d, b]);
                    self.tris.push([a, c, d]);
                } else {
                    self.tris.push([a, b, d]);
                    self.tris.push([a, d, c]);
                }
            }
        }
    }

    /// Per-vertex tangents along +u with the glTF handedness (bitangent towards −v, the top of
    /// the image).
    fn compute_tangents(&mut self) {
        let n = self.pos.len();
        let mut tan = vec![Vec3::ZERO; n];
        let mut bit = vec![Vec3::ZERO; n];
        for t in &self.tris {
            let [a, b, c] = t.map(|i| i as usize);
            let (e1, e2) = (self.pos[b] - self.pos[a], self.pos[c] - self.pos[a]);
            let (d1, d2) = (self.uv[b] - self.uv[a], self.uv[c] - self.uv[a]);
            let det = d1.x * d2.y - d2.x * d1.y;
            if det.abs() < 1e-14 {
                continue;
            }
            let r = 1.0 / det;
            let tu = (e1 * d2.y - e2 * d1.y) * r;
            let tv = (e2 * d1.x - e1 * d2.x) * r;
            for i in [a, b, c] {
                tan[i] += tu;
                bit[i] += tv;
            }
        }
        for i in 0..n {
            let nr = self.nrm[i];
            let t = (tan[i] - nr * nr.dot(tan[i]))
                .try_normalize()
                .unwrap_or_else(|| nr.any_orthonormal_vector());
            // glTF: bitangent = cross(N, T) * w points to decreasing v.
            let w = if nr.cross(t).dot(-bit[i]) < 0.0 {
                -1.0
            } else {
                1.0
            };
            self.tan[i] = [t.x, t.y, t.z, w];
        }
    }
}

fn body_uv(phi: f32, s: f32, total: f32) -> Vec2 {
    Vec2::new(phi / TAU, BODY_V0 + (BODY_V1 - BODY_V0) * (s / total))
}

fn tymp_uv(x: f32, z: f32) -> Vec2 {
    Vec2::new(
        TYMP_C + TYMPANUM_UV_R * x / TYMPANUM_R,
        TYMP_C + TYMPANUM_UV_R * z / TYMPANUM_R,
    )
}

/// Angles (radians) of the four pairs of handles.
pub fn handle_angles() -> [f32; 8] {
    let mut out = [0.0; 8];
    for k in 0..4 {
        let c = PI / 4.0 + k as f32 * PI / 2.0;
        out[2 * k] = c - 0.14;
        out[2 * k + 1] = c + 0.14;
    }
    out
}

/// Builds the drum mesh.
pub fn build_mesh() -> DrumMesh {
    let prof = outer_profile();
    let acc = arc_lengths(&prof);
    let (side, under, wall) = strip_lengths(&prof);
    let total = side + under + wall;
    let neck = prof[prof.len() - 1].x;
    let mut m = DrumMesh::default();

    // Outer wall, foot to neck. Normals from the profile.
    let rings: Vec<(Vec2, Vec2, f32)> = prof
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let a = prof[i.saturating_sub(1)];
            let b = prof[(i + 1).min(prof.len() - 1)];
            let d = b - a;
            let n = Vec2::new(d.y, -d.x).normalize_or(Vec2::X);
            (*p, n, side + under + (wall - acc[i]))
        })
        .collect();
    m.lathe(&rings, &|phi, _, s| body_uv(phi, s, total), false);

    // Rim underside (facing down), neck outwards to the tympanum edge.
    let rings = [
        (Vec2::new(TYMPANUM_R, RIM_Y), Vec2::NEG_Y, side),
        (Vec2::new(neck, RIM_Y), Vec2::NEG_Y, side + under),
    ];
    m.lathe(&rings, &|phi, _, s| body_uv(phi, s, total), true);
    // Rim side (facing out), bottom to top.
    let rings = [
        (Vec2::new(TYMPANUM_R, RIM_Y), Vec2::X, side),
        (Vec2::new(TYMPANUM_R, TOP_Y), Vec2::X, 0.0),
    ];
    m.lathe(&rings, &|phi, _, s| body_uv(phi, s, total), false);
    // Tympanum (facing up), rim inwards so that "upwards" along the ring order points inwards.
    let rings: Vec<(Vec2, Vec2, f32)> = (0..=8)
        .map(|k| {
            let r = TYMPANUM_R * (1.0 - k as f32 / 8.0);
            (Vec2::new(r, TOP_Y), Vec2::Y, 0.0)
        })
        .collect();
    m.lathe(
        &rings,
        &|phi, p, _| tymp_uv(p.x * phi.sin(), p.x * phi.cos()),
        false,
    );

    // Inside: the bottom ring, the inner wall and the underside of the tympanum.
    let inner = |y: f32| radius_at(&prof, y.min(RIM_Y)).0 - WALL;
    let inner_uv = |phi: f32, y: f32| {
        Vec2::new(
            SIDE_U0 + (SIDE_U1 - SIDE_U0) * phi / TAU,
            INNER_V0 + (INNER_V1 - INNER_V0) * (1.0 - y / TOP_Y),
        )
    };
    let rings = [
        (Vec2::new(inner(0.0), 0.0), Vec2::NEG_Y, 0.0),
        (Vec2::new(prof[0].x, 0.0), Vec2::NEG_Y, 0.0),
    ];
    m.lathe(&rings, &|phi, p, _| inner_uv(phi, p.y), false);
    let mut rings: Vec<(Vec2, Vec2, f32)> = Vec::new();
    let steps = 28;
    for k in 0..=steps {
        let y = INNER_TOP_Y * k as f32 / steps as f32;
        let (r, n) = radius_at(&prof, y.min(RIM_Y));
        rings.push((Vec2::new(r - WALL, y), -n, 0.0));
    }
    m.lathe(&rings, &|phi, p, _| inner_uv(phi, p.y), true);
    let top_r = inner(INNER_TOP_Y);
    let rings: Vec<(Vec2, Vec2, f32)> = (0..=3)
        .map(|k| {
            let r = top_r * (1.0 - k as f32 / 3.0);
            (Vec2::new(r, INNER_TOP_Y), Vec2::NEG_Y, 0.0)
        })
        .collect();
    m.lathe(&rings, &|phi, p, _| inner_uv(phi, p.y), true);

    // Handles: flat braided bands looping out from the shoulder to the waist.
    let (y_top, y_bot) = (0.47, 0.375);
    let path_n = 20;
    let ring_n = 10;
    for &phi in &handle_angles() {
        let (sn, cs) = phi.sin_cos();
        let radial = Vec3::new(sn, 0.0, cs);
        let tangent = Vec3::new(cs, 0.0, -sn);
        let centre = |t: f32| {
            let y = y_top + (y_bot - y_top) * t;
            // sin(π) is a hair below zero in f32, and a negative base to a fractional power is NaN.
            let bulge = 0.042 * (PI * t).sin().max(0.0).powf(0.6);
            let r = radius_at(&prof, y).0 - 0.007 + bulge;
            radial * r + Vec3::Y * y
        };
        let base = m.pos.len() as u32;
        for i in 0..=path_n {
            let t = i as f32 / path_n as f32;
            let c = centre(t);
            let fwd = (centre((t + 0.01).min(1.0)) - centre((t - 0.01).max(0.0)))
                .normalize_or(Vec3::NEG_Y);
            let side_n = fwd.cross(tangent).normalize_or(radial); // outward-ish
            for k in 0..=ring_n {
                let a = TAU * k as f32 / ring_n as f32;
                let (sa, ca) = a.sin_cos();
                let off = tangent * (0.016 * ca) + side_n * (0.005 * sa);
                let n = (tangent * (ca / 0.016) + side_n * (sa / 0.005)).normalize_or(side_n);
                let uv = Vec2::new(
                    SIDE_U0 + (SIDE_U1 - SIDE_U0) * k as f32 / ring_n as f32,
                    HANDLE_V0 + (HANDLE_V1 - HANDLE_V0) * t,
                );
                m.vertex(c + off, n, uv);
            }
        }
        let cols = ring_n + 1;
        for i in 0..path_n {
            for k in 0..ring_n {
                let a = base + (i * cols + k) as u32;
                let b = a + 1;
                let c = a + cols as u32;
                let d = c + 1;
                // Orient by checking the geometric normal against the vertex normal.
                let (pa, pb, pc) = (m.pos[a as usize], m.pos[b as usize], m.pos[c as usize]);
                if (pb - pa).cross(pc - pa).dot(m.nrm[a as usize]) > 0.0 {
                    m.tris.push([a, b, c]);
                    m.tris.push([b, d, c]);
                } else {
                    m.tris.push([a, c, b]);
                    m.tris.push([b, c, d]);
                }
            }
        }
    }
    m.compute_tangents();
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_matches_the_ngoc_lu_proportions() {
        let prof = outer_profile();
        assert!((prof[0].y).abs() < 1e-6);
        assert!((prof[prof.len() - 1].y - RIM_Y).abs() < 1e-6);
        assert!(prof.iter().all(|p| p.x < TYMPANUM_R));
        let (r, n) = radius_at(&prof, 0.3);
        assert!((r - 0.322).abs() < 0.003 && n.x > 0.99);
    }

    #[test]
    fn mesh_is_consistent() {
        let m = build_mesh();
        assert!(m.pos.len() < 65536);
        assert!(m
            .tris
            .iter()
            .all(|t| t.iter().all(|&i| (i as usize) < m.pos.len())));
        let top = m.pos.iter().map(|p| p.y).fold(0.0, f32::max);
        assert!((top - TOP_Y).abs() < 1e-5);
    }
}
