//! The Đông Sơn style bronze drum: lathe profile (shared with the Hậu cung panorama), mesh with
//! handles, and its textures (base colour with the tympanum star, bird and figure bands and
//! verdigris patina; occlusion-roughness-metallic; normal map from the relief height).

use super::noise::{fbm3, smoothstep, value3};
use glam::{Vec2, Vec3};
use std::f32::consts::{PI, TAU};

/// Height of the drum (top of the tympanum), metres.
pub const TOP_Y: f32 = 0.63;
/// Radius of the tympanum, metres (79 cm across).
pub const TYMPANUM_R: f32 = 0.395;
/// Underside of the overhanging rim.
pub const RIM_Y: f32 = 0.612;
/// Bronze wall thickness.
const WALL: f32 = 0.008;
/// Underside of the tympanum plate, inside.
const INNER_TOP_Y: f32 = 0.618;
/// Segments around the axis (a multiple of 8, so 0°, 45°, 90°… fall on vertex columns).
pub const SEGMENTS: usize = 96;
/// Texture size of the base colour and normal maps.
pub const TEX: usize = 1024;

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

/// Texture layout (in UV units, v down).
const TYMP_C: f32 = 0.375;
/// Radius of the tympanum disc in the texture atlas (UV units, centred at 0.375, 0.375).
pub const TYMPANUM_UV_R: f32 = 0.37;
const BODY_V0: f32 = 0.76;
const BODY_V1: f32 = 0.995;
const SIDE_U0: f32 = 0.76;
const SIDE_U1: f32 = 0.99;
const INNER_V0: f32 = 0.01;
const INNER_V1: f32 = 0.60;
const HANDLE_V0: f32 = 0.62;
const HANDLE_V1: f32 = 0.74;

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
fn strip_lengths(profile: &[Vec2]) -> (f32, f32, f32) {
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

// ---------------------------------------------------------------------------------------------
// Texture patterns. Heights in [0, 1]: 1 is raised relief (cast lines and figures).

/// Anti-aliased stroke of width `w` at distance `d`.
fn stroke(d: f32, w: f32, aa: f32) -> f32 {
    let w = w.max(aa * 1.5);
    1.0 - smoothstep(w * 0.5 - aa, w * 0.5 + aa, d)
}

fn seg(p: Vec2, a: Vec2, b: Vec2) -> f32 {
    let pa = p - a;
    let ba = b - a;
    let h = (pa.dot(ba) / ba.dot(ba).max(1e-12)).clamp(0.0, 1.0);
    (pa - ba * h).length()
}

/// Polyline distance.
fn poly(p: Vec2, pts: &[Vec2]) -> f32 {
    pts.windows(2)
        .map(|w| seg(p, w[0], w[1]))
        .fold(f32::INFINITY, f32::min)
}

/// Inside a convex or simple polygon (even-odd).
fn inside(p: Vec2, pts: &[Vec2]) -> bool {
    let mut c = false;
    let n = pts.len();
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (pts[i], pts[j]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            c = !c;
        }
        j = i;
    }
    c
}

/// Two thin lines at the edges of a band `[a, b]` (coordinate `x`).
fn band_edges(x: f32, a: f32, b: f32, aa: f32) -> f32 {
    stroke((x - a).abs(), 0.0016, aa).max(stroke((x - b).abs(), 0.0016, aa))
}

/// Ladder: short bars across a band, `spacing` apart along `s`.
fn ladder(s: f32, spacing: f32, aa: f32) -> f32 {
    let f = (s / spacing).rem_euclid(1.0) - 0.5;
    stroke(f.abs() * spacing, 0.0014, aa)
}

/// Circles with a centre dot, tangent lines joining them; `s` along the band, `t` across it
/// (0 at the band centre), `count` circles per `length`.
fn circles(s: f32, t: f32, length: f32, count: f32, radius: f32, aa: f32) -> f32 {
    let spacing = length / count;
    let f = ((s / spacing).rem_euclid(1.0) - 0.5) * spacing;
    let d = Vec2::new(f, t).length();
    let ring = stroke((d - radius).abs(), 0.0015, aa);
    let dot = stroke(d, radius * 0.6, aa);
    // Tangent lines between neighbours: from the top of one circle to the bottom of the next.
    let slope = (2.0 * radius) / spacing;
    let g = ((s / spacing + 0.5).rem_euclid(1.0) - 0.5) * spacing;
    let tangent = if d > radius * 1.05 {
        stroke(
            (t - g * slope).abs() / (1.0 + slope * slope).sqrt(),
            0.0013,
            aa,
        )
    } else {
        0.0
    };
    ring.max(dot).max(tangent)
}

/// Zig-zag lines across a band of half-height `hh`.
fn zigzag(s: f32, t: f32, period: f32, hh: f32, aa: f32) -> f32 {
    let f = (s / period).rem_euclid(1.0);
    let tri = (f * 2.0 - 1.0).abs() * 2.0 - 1.0; // -1..1
    let mut v: f32 = 0.0;
    for k in [-1.0, 0.0, 1.0] {
        let y = tri * hh * 0.55 + k * hh * 0.6;
        v = v.max(stroke((t - y).abs(), 0.0013, aa));
    }
    v
}

/// A dancer with a feathered head-dress; `p` in metres, feet at y = 0, facing +x.
fn dancer(p: Vec2, size: f32, aa: f32) -> f32 {
    let q = p / size;
    let a = aa / size;
    let mut d = seg(q, Vec2::new(0.0, 0.36), Vec2::new(0.02, 0.7)); // body
    d = d.min(seg(q, Vec2::new(0.0, 0.36), Vec2::new(-0.12, 0.0))); // legs
    d = d.min(seg(q, Vec2::new(0.0, 0.36), Vec2::new(0.14, 0.02)));
    d = d.min(poly(
        q,
        &[
            Vec2::new(-0.2, 0.5),
            Vec2::new(0.02, 0.62),
            Vec2::new(0.26, 0.72),
        ],
    )); // arms
    let head = (q - Vec2::new(0.04, 0.8)).length() - 0.08;
    let mut v = stroke(d, 0.07, a).max(stroke(head.max(0.0), 0.05, a));
    // Head-dress: feathers sweeping back.
    for k in 0..5 {
        let ang = 1.9 + 0.22 * k as f32;
        let tip =
            Vec2::new(0.04, 0.86) + Vec2::new(ang.cos(), ang.sin()) * (0.55 - 0.04 * k as f32);
        v = v.max(stroke(seg(q, Vec2::new(0.04, 0.86), tip), 0.035, a));
    }
    v
}

/// A stilt house with a saddle roof ending in bird heads; `p` in metres, ground at y = 0.
fn house(p: Vec2, size: f32, aa: f32) -> f32 {
    let q = p / size;
    let a = aa / size;
    let mut d = f32::INFINITY;
    for x in [-0.4, -0.14, 0.14, 0.4] {
        d = d.min(seg(q, Vec2::new(x, 0.0), Vec2::new(x, 0.32)));
    }
    d = d.min(seg(q, Vec2::new(-0.5, 0.32), Vec2::new(0.5, 0.32)));
    d = d.min(poly(
        q,
        &[
            Vec2::new(-0.42, 0.32),
            Vec2::new(-0.42, 0.55),
            Vec2::new(0.42, 0.55),
            Vec2::new(0.42, 0.32),
        ],
    ));
    // Saddle roof: two curves rising to upturned ends.
    let roof = |x: f32, lift: f32| 0.58 + lift + 0.45 * (x / 0.8).powi(4);
    let lower: Vec<Vec2> = (0..=16)
        .map(|i| {
            let x = -0.8 + 1.6 * i as f32 / 16.0;
            Vec2::new(x, roof(x, 0.0))
        })
        .collect();
    let upper: Vec<Vec2> = (0..=16)
        .map(|i| {
            let x = -0.7 + 1.4 * i as f32 / 16.0;
            Vec2::new(x, roof(x, 0.2))
        })
        .collect();
    d = d.min(poly(q, &lower)).min(poly(q, &upper));
    let mut v = stroke(d, 0.06, a);
    // Hatching between the roof curves.
    if q.x.abs() < 0.72 && q.y > roof(q.x, 0.0) && q.y < roof(q.x, 0.2) {
        let f = ((q.x + q.y) / 0.09).rem_euclid(1.0) - 0.5;
        v = v.max(0.7 * stroke(f.abs() * 0.09, 0.03, a));
    }
    // Bird heads at the roof ends.
    for sx in [-1.0f32, 1.0] {
        let h = (q - Vec2::new(0.86 * sx, 1.12)).length() - 0.05;
        v = v.max(stroke(h.max(0.0), 0.05, a));
        v = v.max(stroke(
            seg(q, Vec2::new(0.86 * sx, 1.12), Vec2::new(1.05 * sx, 1.1)),
            0.03,
            a,
        ));
    }
    v
}

/// A long-beaked bird (chim Lạc) seen from above, flying towards +x; `p` in metres.
fn bird(p: Vec2, size: f32, aa: f32) -> f32 {
    let q = p / size;
    let a = aa / size;
    // Body ellipse.
    let e = Vec2::new(q.x / 0.36, q.y / 0.085);
    let body = (e.length() - 1.0) * 0.085;
    let mut v = stroke(body.max(0.0), 0.03, a);
    let head = (q - Vec2::new(0.42, 0.0)).length() - 0.075;
    v = v.max(stroke(head.max(0.0), 0.03, a));
    v = v.max(stroke(
        seg(q, Vec2::new(0.48, 0.0), Vec2::new(0.98, -0.045)),
        0.035,
        a,
    )); // beak
    v = v.max(stroke(
        poly(
            q,
            &[
                Vec2::new(0.4, 0.07),
                Vec2::new(0.3, 0.2),
                Vec2::new(0.12, 0.27),
            ],
        ),
        0.025,
        a,
    )); // crest
    for sy in [-1.0f32, 1.0] {
        let wing = [
            Vec2::new(0.15, 0.05 * sy),
            Vec2::new(-0.15, 0.62 * sy),
            Vec2::new(-0.34, 0.6 * sy),
            Vec2::new(-0.12, 0.05 * sy),
        ];
        let mut outline = wing.to_vec();
        outline.push(wing[0]);
        v = v.max(stroke(poly(q, &outline), 0.03, a));
        if inside(q, &wing) {
            let f = ((q.x * 0.8 + q.y.abs() * 0.6) / 0.07).rem_euclid(1.0) - 0.5;
            v = v.max(0.75 * stroke(f.abs() * 0.07, 0.022, a));
        }
    }
    for k in -1..=1 {
        let tip = Vec2::new(-0.82, 0.16 * k as f32);
        v = v.max(stroke(seg(q, Vec2::new(-0.3, 0.0), tip), 0.03, a));
    }
    v
}

/// A boat with feathered oarsmen, for the shoulder frieze; `p` in metres, keel at y = 0.
fn boat(p: Vec2, size: f32, aa: f32) -> f32 {
    let q = p / size;
    let a = aa / size;
    let hull = |x: f32| 0.08 + 0.5 * (x / 1.0).powi(6);
    let keel: Vec<Vec2> = (0..=20)
        .map(|i| {
            let x = -1.0 + 2.0 * i as f32 / 20.0;
            Vec2::new(x, 0.5 * (x / 1.0).powi(6))
        })
        .collect();
    let deck: Vec<Vec2> = keel
        .iter()
        .map(|k| Vec2::new(k.x * 0.96, hull(k.x * 0.96)))
        .collect();
    let mut v = stroke(poly(q, &keel), 0.04, a).max(stroke(poly(q, &deck), 0.04, a));
    if q.x.abs() < 0.95 && q.y > 0.5 * q.x.powi(6) && q.y < hull(q.x) {
        v = v.max(0.6);
    }
    // Bird-head prow and stern.
    for sx in [-1.0f32, 1.0] {
        let h = (q - Vec2::new(1.02 * sx, 0.62)).length() - 0.05;
        v = v.max(stroke(h.max(0.0), 0.04, a));
    }
    for k in 0..4 {
        let x = -0.54 + 0.36 * k as f32;
        v = v.max(dancer(q - Vec2::new(x, 0.1), 0.42, a));
    }
    v
}

/// Relief height of the tympanum at radius `r` (metres) and angle `th`.
fn tympanum_height(r: f32, th: f32, aa: f32) -> f32 {
    let rn = r / TYMPANUM_R;
    let s_at = |rad: f32| th * rad; // arc length at a band's radius
    let mut h: f32 = 0.0;
    // Bands as fractions of the radius.
    let b = |x: f32| x * TYMPANUM_R;
    if rn < 0.105 {
        // 14-ray star with feather hatching between the rays.
        let sector = TAU / 14.0;
        let f = (th / sector).rem_euclid(1.0) - 0.5; // -0.5..0.5, 0 at a ray
        let half = 0.5 * (1.0 - rn / 0.105);
        let ray = if f.abs() < half { 1.0 } else { 0.0 };
        let edge = ((f.abs() - half) * sector * r).abs();
        h = h.max(ray).max(stroke(edge, 0.0012, aa));
        if ray < 0.5 {
            let g = ((r * (f * sector).cos()) / 0.0045).rem_euclid(1.0) - 0.5;
            h = h.max(0.55 * stroke(g.abs() * 0.0045, 0.0013, aa));
        }
        h = h.max(stroke((r - b(0.018)).max(0.0), 0.002, aa));
    }
    let band = |lo: f32, hi: f32| rn >= lo && rn < hi;
    h = h.max(band_edges(r, b(0.105), b(0.115), aa));
    if band(0.115, 0.165) {
        let mid = b(0.14);
        h = h.max(circles(s_at(mid), r - mid, TAU * mid, 20.0, b(0.018), aa));
    }
    h = h.max(band_edges(r, b(0.165), b(0.175), aa));
    if band(0.175, 0.215) {
        h = h.max(ladder(s_at(b(0.195)), 0.004, aa));
    }
    h = h.max(band_edges(r, b(0.215), b(0.225), aa));
    if band(0.225, 0.40) {
        // Eight groups: a stilt house and three dancers, moving counter-clockwise.
        let lo = b(0.23);
        let mid = b(0.31);
        let sector = TAU / 8.0;
        let f = (th / sector).rem_euclid(1.0) * sector; // angle within the group
        let s = f * mid;
        let y = r - lo;
        let len = sector * mid;
        let mut v = house(Vec2::new(s - len * 0.32, y), 0.028, aa);
        for k in 0..3 {
            v = v.max(dancer(
                Vec2::new(s - len * (0.62 + 0.14 * k as f32), y),
                0.04,
                aa,
            ));
        }
        h = h.max(v);
    }
    h = h.max(band_edges(r, b(0.40), b(0.41), aa));
    if band(0.41, 0.46) {
        let mid = b(0.435);
        h = h.max(circles(s_at(mid), r - mid, TAU * mid, 54.0, b(0.016), aa));
    }
    h = h.max(band_edges(r, b(0.46), b(0.47), aa));
    if band(0.47, 0.66) {
        let mid = b(0.565);
        let sector = TAU / 18.0;
        let f = ((th / sector).rem_euclid(1.0) - 0.5) * sector;
        h = h.max(bird(Vec2::new(f * mid, r - mid), 0.042, aa));
    }
    h = h.max(band_edges(r, b(0.66), b(0.67), aa));
    if band(0.67, 0.72) {
        let mid = b(0.695);
        let len = TAU * mid;
        h = h.max(zigzag(s_at(mid), r - mid, len / 90.0, b(0.025), aa));
    }
    h = h.max(band_edges(r, b(0.72), b(0.73), aa));
    if band(0.73, 0.78) {
        let mid = b(0.755);
        h = h.max(circles(s_at(mid), r - mid, TAU * mid, 96.0, b(0.016), aa));
    }
    h = h.max(band_edges(r, b(0.78), b(0.79), aa));
    if band(0.79, 0.83) {
        h = h.max(ladder(s_at(b(0.81)), 0.0045, aa));
    }
    h = h.max(band_edges(r, b(0.83), b(0.84), aa));
    h
}

/// Relief height of the body at angle `phi` and distance `s` (metres) down from the top of
/// the rim; `neck_s` is where the outer wall starts, `wall` its length.
fn body_height(phi: f32, s: f32, neck_s: f32, wall: f32, aa: f32) -> f32 {
    let r_ref = 0.36;
    let x = phi * r_ref; // arc length
    let len = TAU * r_ref;
    let d = s - neck_s; // down the outer wall from the neck
    let mut h: f32 = 0.0;
    if d < 0.0 {
        return 0.0;
    }
    let edges = [
        0.012, 0.016, 0.034, 0.038, 0.052, 0.056, 0.15, 0.154, 0.168, 0.172,
    ];
    for e in edges {
        h = h.max(stroke((d - e).abs(), 0.0016, aa));
    }
    if d > 0.016 && d < 0.034 {
        h = h.max(circles(x, d - 0.025, len, 90.0, 0.0055, aa));
    }
    if d > 0.038 && d < 0.052 {
        h = h.max(ladder(x, 0.007, aa));
    }
    if d > 0.056 && d < 0.15 {
        // Six boats.
        let sector = len / 6.0;
        let f = ((x / sector).rem_euclid(1.0) - 0.5) * sector;
        h = h.max(boat(Vec2::new(f, 0.142 - d), 0.12, aa));
    }
    if d > 0.154 && d < 0.168 {
        h = h.max(ladder(x, 0.007, aa));
    }
    // Waist: eight panels of two warriors between vertical ladder bands.
    let w0 = 0.19;
    let w1 = 0.36;
    for e in [w0 - 0.004, w0, w1, w1 + 0.004] {
        h = h.max(stroke((d - e).abs(), 0.0016, aa));
    }
    if d > w0 && d < w1 {
        let sector = len / 8.0;
        let f = (x / sector).rem_euclid(1.0) * sector;
        if f < 0.03 {
            h = h.max(ladder(d, 0.006, aa));
            h = h
                .max(stroke(f.abs(), 0.0016, aa))
                .max(stroke((f - 0.03).abs(), 0.0016, aa));
        } else {
            let cx = 0.03 + (sector - 0.03) * 0.5;
            for k in [-1.0, 0.0, 1.0] {
                let p = Vec2::new(f - cx - k * 0.07, w1 - 0.012 - d);
                h = h.max(dancer(p, 0.1, aa));
            }
        }
    }
    if d > w1 + 0.004 && d < w1 + 0.03 {
        h = h.max(zigzag(x, d - (w1 + 0.017), len / 110.0, 0.011, aa));
    }
    h = h.max(stroke((d - (w1 + 0.034)).abs(), 0.0016, aa));
    // The foot stays plain; a thin line just above the rim of the foot.
    h = h.max(stroke((d - (wall - 0.02)).abs(), 0.0016, aa));
    h
}

/// Braided pattern of a handle band.
fn handle_height(u: f32, v: f32) -> f32 {
    let f = ((u * 4.0 + v * 30.0).rem_euclid(1.0) - 0.5).abs();
    let g = ((u * 4.0 - v * 30.0).rem_euclid(1.0) - 0.5).abs();
    (1.0 - smoothstep(0.18, 0.3, f.min(g))) * 0.8
}

/// The generated textures (RGB8, rows top to bottom).
pub struct DrumTextures {
    /// Base colour, sRGB, `TEX` square.
    pub base: Vec<u8>,
    /// Occlusion (R), roughness (G), metallic (B), linear, `TEX` square.
    pub orm: Vec<u8>,
    /// Tangent-space normal map, `TEX / 2` square.
    pub normal: Vec<u8>,
}

/// Which part of the drum a texel belongs to, and its 3D position (for seamless noise).
enum Region {
    Tympanum { r: f32, th: f32 },
    Body { phi: f32, s: f32 },
    Inner,
    Handle { u: f32, v: f32 },
    Spare,
}

fn region(u: f32, v: f32) -> Region {
    let dx = u - TYMP_C;
    let dz = v - TYMP_C;
    let dr = (dx * dx + dz * dz).sqrt();
    if dr <= TYMPANUM_UV_R + 0.004 {
        let r = dr / TYMPANUM_UV_R * TYMPANUM_R;
        // u = +x, v = +z; angle measured from +Z towards +X like the lathe.
        return Region::Tympanum {
            r,
            th: dx.atan2(dz),
        };
    }
    if v >= BODY_V0 - 0.004 {
        return Region::Body {
            phi: u * TAU,
            s: ((v - BODY_V0) / (BODY_V1 - BODY_V0)).max(0.0),
        };
    }
    if u >= SIDE_U0 - 0.004 {
        if v >= HANDLE_V0 - 0.004 {
            return Region::Handle {
                u: (u - SIDE_U0) / (SIDE_U1 - SIDE_U0),
                v: (v - HANDLE_V0) / (HANDLE_V1 - HANDLE_V0),
            };
        }
        return Region::Inner;
    }
    Region::Spare
}

fn srgb(c: Vec3) -> [u8; 3] {
    let f = |x: f32| {
        let x = x.clamp(0.0, 1.0);
        let y = if x <= 0.003_130_8 {
            12.92 * x
        } else {
            1.055 * x.powf(1.0 / 2.4) - 0.055
        };
        (y * 255.0 + 0.5) as u8
    };
    [f(c.x), f(c.y), f(c.z)]
}

fn lin(r: u8, g: u8, b: u8) -> Vec3 {
    let f = |c: u8| {
        let x = c as f32 / 255.0;
        if x <= 0.04045 {
            x / 12.92
        } else {
            ((x + 0.055) / 1.055).powf(2.4)
        }
    };
    Vec3::new(f(r), f(g), f(b))
}

/// Generates the drum's textures.
pub fn textures() -> DrumTextures {
    use rayon::prelude::*;
    let prof = outer_profile();
    let (side, under, wall) = strip_lengths(&prof);
    let total = side + under + wall;
    let texel = 1.0 / TEX as f32;
    // Per texel: (height, 3D position for noise, inside surface?).
    let cells: Vec<(f32, Vec3, bool)> = (0..TEX * TEX)
        .into_par_iter()
        .map(|k| {
            let (i, j) = (k % TEX, k / TEX);
            let (u, v) = ((i as f32 + 0.5) * texel, (j as f32 + 0.5) * texel);
            match region(u, v) {
                Region::Tympanum { r, th } => {
                    let aa = texel / TYMPANUM_UV_R * TYMPANUM_R * 0.8;
                    let p = Vec3::new(r * th.sin(), TOP_Y, r * th.cos());
                    (tympanum_height(r, th, aa), p, false)
                }
                Region::Body { phi, s } => {
                    let s = s * total;
                    let aa = texel * total / (BODY_V1 - BODY_V0) * 0.8;
                    let y = if s < side + under {
                        TOP_Y - s.min(side)
                    } else {
                        RIM_Y - (s - side - under) / wall * RIM_Y
                    };
                    let r = radius_at(&prof, y.min(RIM_Y)).0;
                    let p = Vec3::new(r * phi.sin(), y, r * phi.cos());
                    (body_height(phi, s, side + under, wall, aa), p, false)
                }
                Region::Inner => {
                    let phi = (u - SIDE_U0) / (SIDE_U1 - SIDE_U0) * TAU;
                    let y = (1.0 - (v - INNER_V0) / (INNER_V1 - INNER_V0)) * TOP_Y;
                    (0.0, Vec3::new(0.35 * phi.sin(), y, 0.35 * phi.cos()), true)
                }
                Region::Handle { u, v } => (
                    handle_height(u, v),
                    Vec3::new(u * 0.1, 0.4 + v * 0.1, 0.4),
                    false,
                ),
                Region::Spare => (0.0, Vec3::new(u, v, 2.0), false),
            }
        })
        .collect();

    let bronze_hi = lin(182, 136, 78);
    let bronze_mid = lin(116, 82, 46);
    let bronze_lo = lin(62, 44, 28);
    let earth = lin(84, 66, 44);
    let verd_a = lin(92, 146, 112);
    let verd_b = lin(48, 92, 74);
    let texels: Vec<([u8; 3], [u8; 3])> = cells
        .par_iter()
        .map(|&(h, p, inner)| {
            if p.z >= 2.0 {
                // Unused part of the atlas: flat, so that it costs nothing.
                return (srgb(bronze_mid), [200, 120, 220]);
            }
            let n1 = fbm3(p * 11.0, 5, 11);
            let n2 = fbm3(p * 34.0 + Vec3::splat(3.0), 4, 23);
            let n3 = value3(p * 45.0, 41);
            // Patina gathers in the recesses and in blotches; worn high points are polished.
            let mut pat = smoothstep(0.6, 0.72, n1 + 0.1 * (1.0 - h));
            pat = pat.max(smoothstep(0.68, 0.76, n2) * 0.7);
            if inner {
                pat = pat.max(0.35);
            }
            let worn = h * (0.55 + 0.45 * smoothstep(0.35, 0.65, n2));
            let body = bronze_lo.lerp(bronze_mid, 0.25 + 0.6 * n1);
            let metal = body.lerp(bronze_hi, worn) * (0.94 + 0.12 * n3);
            let metal = metal.lerp(earth, smoothstep(0.5, 0.75, n2) * 0.35 * (1.0 - h));
            let verd = verd_b.lerp(verd_a, n2) * (0.9 + 0.2 * n3);
            let mut c = metal.lerp(verd, pat * (1.0 - 0.6 * worn));
            if inner {
                c *= 0.6;
            }
            let rough = 0.4 + 0.08 * n2 - 0.12 * worn + pat * 0.45;
            let metallic = 0.92 * (1.0 - pat);
            let occl = 0.7 + 0.3 * h;
            let orm = [
                (occl * 255.0 + 0.5) as u8,
                (rough.clamp(0.0, 1.0) * 255.0 + 0.5) as u8,
                (metallic.clamp(0.0, 1.0) * 255.0 + 0.5) as u8,
            ];
            (srgb(c), orm)
        })
        .collect();
    let base: Vec<u8> = texels.iter().flat_map(|t| t.0).collect();
    let orm: Vec<u8> = texels.iter().flat_map(|t| t.1).collect();
    // Normal map from the relief height, at half resolution (the tympanum and the body strip
    // are unmirrored: x = +u, y = −v).
    let half = TEX / 2;
    let heights: Vec<f32> = (0..half * half)
        .map(|k| {
            let (i, j) = (k % half * 2, k / half * 2);
            let at = |x: usize, y: usize| cells[y * TEX + x].0;
            0.25 * (at(i, j) + at(i + 1, j) + at(i, j + 1) + at(i + 1, j + 1))
        })
        .collect();
    let strength = 1.6;
    let body_row = (BODY_V0 * half as f32) as isize;
    let at = |i: isize, j: isize| {
        let j = j.clamp(0, half as isize - 1);
        // Only the body strip wraps around; elsewhere the atlas edge is clamped.
        let i = if j >= body_row {
            i.rem_euclid(half as isize)
        } else {
            i.clamp(0, half as isize - 1)
        };
        heights[j as usize * half + i as usize]
    };
    let normal: Vec<u8> = (0..half * half)
        .flat_map(|k| {
            let (i, j) = ((k % half) as isize, (k / half) as isize);
            let du = (at(i + 1, j) - at(i - 1, j)) * 0.5;
            let dv = (at(i, j + 1) - at(i, j - 1)) * 0.5;
            let n = Vec3::new(-strength * du, strength * dv, 1.0).normalize();
            [n.x, n.y, n.z].map(|c| ((c * 0.5 + 0.5) * 255.0).round() as u8)
        })
        .collect();
    DrumTextures { base, orm, normal }
}

/// Bilinear lookup in an sRGB RGB8 texture, returning linear colour (for the ray tracer).
pub fn sample_linear(tex: &[Vec3], uv: Vec2) -> Vec3 {
    let x = (uv.x * TEX as f32 - 0.5).rem_euclid(TEX as f32);
    let y = (uv.y * TEX as f32 - 0.5).clamp(0.0, TEX as f32 - 1.0);
    let (x0, y0) = (x.floor() as usize % TEX, y.floor() as usize);
    let (x1, y1) = ((x0 + 1) % TEX, (y0 + 1).min(TEX - 1));
    let (fx, fy) = (x.fract(), y.fract());
    let g = |i: usize, j: usize| tex[j * TEX + i];
    g(x0, y0)
        .lerp(g(x1, y0), fx)
        .lerp(g(x0, y1).lerp(g(x1, y1), fx), fy)
}

/// The base colour as linear floats.
pub fn linear_texture(base: &[u8]) -> Vec<Vec3> {
    base.chunks_exact(3)
        .map(|c| lin(c[0], c[1], c[2]))
        .collect()
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
