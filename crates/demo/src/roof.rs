//! Hip roofs of Vietnamese temple buildings as triangle meshes: a sagging (concave) profile,
//! corners curling up and out (đao cong), hip and ridge beams; plus the analytic sky
//! visibility under a roof used for ambient light.

use super::rt::{MeshBuilder, Scene, Shape};
use glam::{Vec2, Vec3};

/// A hip roof. Local frame: x along the ridge, z across, turned by `yaw` about Y.
#[derive(Debug, Clone, Copy)]
pub struct Roof {
    /// Centre, at eave height.
    pub c: Vec3,
    /// Half length at the eave (along the ridge).
    pub hw: f32,
    /// Half depth at the eave; `hw − hd` is the half length of the ridge.
    pub hd: f32,
    /// Ridge height above the eave.
    pub rise: f32,
    /// Yaw in radians (local +z faces (sin, 0, cos)).
    pub yaw: f32,
    /// How far the corners curl up.
    pub lift: f32,
    /// How far the corners reach out.
    pub flare: f32,
    /// Thickness of the roof slab.
    pub thick: f32,
    /// Concavity of the slopes, 0 straight.
    pub sag: f32,
}

impl Roof {
    fn rot(&self) -> (f32, f32) {
        (self.yaw.cos(), self.yaw.sin())
    }

    /// Height above the eave at level `q` (0 ridge, 1 eave).
    fn profile(&self, q: f32) -> f32 {
        let f = q * (1.0 - self.sag) + self.sag * (1.0 - (1.0 - q) * (1.0 - q));
        self.rise * (1.0 - f)
    }

    /// Level (0 at the ridge, 1 at the eave) of a local point.
    fn level(&self, lx: f32, lz: f32) -> f32 {
        (lz.abs().max(lx.abs() - (self.hw - self.hd)) / self.hd).max(0.0)
    }

    /// Top of the roof above a world point (ignoring the corner curl), if it is under the roof.
    pub fn top_y(&self, x: f32, z: f32) -> Option<f32> {
        let (cs, sn) = self.rot();
        let l = Shape::to_local(cs, sn, Vec3::new(x, 0.0, z) - self.c);
        let q = self.level(l.x, l.z);
        (q <= 1.0).then(|| self.c.y + self.profile(q))
    }

    /// Local point on face `face` (0 front +z, 1 right +x, 2 back, 3 left) at level `q` and
    /// fraction `s` along the edge; returns the point and (u, v) = (along the eave, up the slope).
    fn point(&self, face: usize, q: f32, s: f32) -> (Vec3, Vec2) {
        let a = self.hw - self.hd + q * self.hd;
        let b = q * self.hd;
        let (start, end) = match face {
            0 => (Vec2::new(-a, b), Vec2::new(a, b)),
            1 => (Vec2::new(a, b), Vec2::new(a, -b)),
            2 => (Vec2::new(a, -b), Vec2::new(-a, -b)),
            _ => (Vec2::new(-a, -b), Vec2::new(-a, b)),
        };
        let p = start.lerp(end, s);
        let edge = (end - start).length();
        let e = s.min(1.0 - s) * edge;
        let corner = if s < 0.5 { start } else { end };
        let reach = 0.45 * self.hd + 0.6;
        let w = (1.0 - e / reach).max(0.0).powi(2);
        let rq = q.powi(3);
        let diag =
            Vec2::new(corner.x.signum(), corner.y.signum()) * std::f32::consts::FRAC_1_SQRT_2;
        let p = p + diag * (self.flare * w * rq);
        let y = self.profile(q) + self.lift * w * rq;
        let u = match face {
            0 | 2 => p.x,
            _ => p.y,
        };
        let slope = (self.hd * self.hd + self.rise * self.rise).sqrt();
        (Vec3::new(p.x, y, p.y), Vec2::new(u, (1.0 - q) * slope))
    }

    fn world(&self, l: Vec3) -> Vec3 {
        let (cs, sn) = self.rot();
        self.c + Shape::to_world(cs, sn, l)
    }

    /// Point along the hip line from the ridge (t = 0) to past the eave (t up to 1.15).
    fn hip(&self, corner: usize, t: f32) -> Vec3 {
        let (face, s) = match corner {
            0 => (0, 0.0),
            1 => (0, 1.0),
            2 => (2, 0.0),
            _ => (2, 1.0),
        };
        let (p, _) = self.point(face, t.min(1.0), s);
        if t <= 1.0 {
            p
        } else {
            let (p0, _) = self.point(face, 0.98, s);
            let dir = (p - p0).normalize_or(Vec3::Y);
            let k = (t - 1.0) / 0.15;
            let out = Vec3::new(dir.x, 0.0, dir.z).normalize_or(Vec3::X);
            p + out * (0.5 * k * self.hd * 0.15) + Vec3::Y * (self.lift * 0.9 * k * k + 0.05 * k)
        }
    }

    /// Adds the roof to the scene: tiles (`tile` material, mesh uv = (along eave, up slope)),
    /// ridges (`ridge` material). Closes a group.
    pub fn add(&self, scene: &mut Scene, tile: u16, ridge: u16) {
        let mut top = MeshBuilder::default();
        let nq = 22;
        for face in 0..4 {
            let ns = if face % 2 == 0 { 40 } else { 16 };
            for dy in [0.0, -self.thick] {
                top.grid(nq + 1, ns + 1, |i, j| {
                    let (p, uv) = self.point(face, i as f32 / nq as f32, j as f32 / ns as f32);
                    (self.world(p + Vec3::Y * dy), Vec3::ZERO, uv)
                });
            }
            // Eave edge strip.
            top.grid(2, ns + 1, |i, j| {
                let (p, uv) = self.point(face, 1.0, j as f32 / ns as f32);
                (
                    self.world(p - Vec3::Y * (self.thick * i as f32)),
                    Vec3::ZERO,
                    uv,
                )
            });
        }
        scene.add(Shape::Mesh(top.build()), tile);

        let mut rb = MeshBuilder::default();
        let r = (0.05 + 0.02 * self.hd).min(0.16);
        for corner in 0..4 {
            let path: Vec<Vec3> = (0..=26)
                .map(|k| self.world(self.hip(corner, 1.15 * k as f32 / 26.0) + Vec3::Y * r * 0.6))
                .collect();
            rb.tube(&path, &|s| r * (1.0 - 0.6 * s * s), 8);
        }
        let half_ridge = self.hw - self.hd;
        if half_ridge > 0.05 {
            let y = self.rise + r * 0.8;
            // Ridge with ends curling up (kìm).
            let mut path = Vec::new();
            for k in 0..=8 {
                let t = k as f32 / 8.0;
                path.push(Vec3::new(
                    -half_ridge - 0.5 * (1.0 - t),
                    y + 0.6 * (1.0 - t).powi(2),
                    0.0,
                ));
            }
            for k in 1..=8 {
                let t = k as f32 / 8.0;
                path.push(Vec3::new(-half_ridge + 2.0 * half_ridge * t, y, 0.0));
            }
            for k in 1..=8 {
                let t = k as f32 / 8.0;
                path.push(Vec3::new(half_ridge + 0.5 * t, y + 0.6 * t * t, 0.0));
            }
            let path: Vec<Vec3> = path.into_iter().map(|p| self.world(p)).collect();
            let rr = r * 1.6;
            rb.tube(&path, &|_| rr, 10);
        }
        scene.add(Shape::Mesh(rb.build()), ridge);
        scene.group();
    }

    /// Sky visibility (0..1) at a point under or near the roof: a straight-edge overhang model,
    /// half the sky lost right under the eave, all of it deep inside.
    pub fn sky_visibility(&self, p: Vec3) -> f32 {
        let (cs, sn) = self.rot();
        let l = Shape::to_local(cs, sn, p - self.c);
        let h = -l.y; // below the eave
        let qx = l.x.abs() - self.hw;
        let qz = l.z.abs() - self.hd;
        let sd = if qx > 0.0 || qz > 0.0 {
            Vec2::new(qx.max(0.0), qz.max(0.0)).length()
        } else {
            qx.max(qz)
        };
        if sd < 0.0 {
            let h = h.max(0.25);
            0.5 * h * h / (h * h + sd * sd)
        } else if h <= 0.0 {
            1.0
        } else {
            1.0 - 0.5 * h * h / (h * h + sd * sd)
        }
    }
}
