//! A small CPU ray tracer for the demo panoramas: boxes (turned about Y), vertical cylinders,
//! ellipsoids and triangle meshes (with a BVH), grouped under bounding boxes; closest-hit and
//! any-hit queries plus signed distances for contact shading.

use glam::{Vec2, Vec3};
use std::sync::Arc;

/// A ray with its precomputed inverse direction.
#[derive(Debug, Clone, Copy)]
pub struct Ray {
    /// Origin.
    pub o: Vec3,
    /// Unit direction.
    pub d: Vec3,
    inv: Vec3,
}

impl Ray {
    /// A ray from `o` along the unit direction `d`.
    pub fn new(o: Vec3, d: Vec3) -> Self {
        let safe = |x: f32| {
            if x.abs() < 1e-12 {
                1e-12_f32.copysign(x)
            } else {
                x
            }
        };
        let inv = Vec3::new(1.0 / safe(d.x), 1.0 / safe(d.y), 1.0 / safe(d.z));
        Ray { o, d, inv }
    }

    /// The point at distance `t`.
    pub fn at(&self, t: f32) -> Vec3 {
        self.o + self.d * t
    }
}

/// What a ray hit.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    /// Distance along the ray.
    pub t: f32,
    /// Shading normal (not yet turned towards the ray).
    pub n: Vec3,
    /// Position in the object's own frame (box: centred, unturned; cylinder: from the base
    /// centre; others: world).
    pub local: Vec3,
    /// Texture coordinate (mesh: interpolated; cylinder: turn fraction and height).
    pub uv: Vec2,
    /// Material number, meaning given by the scene.
    pub mat: u16,
    /// Object number, unique in the scene.
    pub id: u32,
}

/// Axis-aligned bounds.
#[derive(Debug, Clone, Copy)]
pub struct Aabb {
    /// Smallest corner.
    pub min: Vec3,
    /// Largest corner.
    pub max: Vec3,
}

impl Aabb {
    /// Nothing.
    pub const EMPTY: Aabb = Aabb {
        min: Vec3::splat(f32::INFINITY),
        max: Vec3::splat(f32::NEG_INFINITY),
    };

    /// Grows to include `o`.
    pub fn union(self, o: Aabb) -> Aabb {
        Aabb {
            min: self.min.min(o.min),
            max: self.max.max(o.max),
        }
    }

    /// Entry and exit distances of the ray, if it passes within `[0, tmax]`.
    #[inline]
    pub fn slab(&self, r: &Ray, tmax: f32) -> Option<f32> {
        let t1 = (self.min - r.o) * r.inv;
        let t2 = (self.max - r.o) * r.inv;
        let tn = t1.min(t2).max_element().max(0.0);
        let tf = t1.max(t2).min_element().min(tmax);
        (tn <= tf).then_some(tn)
    }

    /// Distance from `p` to the box (0 inside).
    pub fn distance(&self, p: Vec3) -> f32 {
        let q = (self.min - p).max(p - self.max).max(Vec3::ZERO);
        q.length()
    }
}

/// A triangle mesh with per-vertex normals and texture coordinates, and its BVH.
pub struct Mesh {
    pos: Vec<Vec3>,
    nrm: Vec<Vec3>,
    uv: Vec<Vec2>,
    tris: Vec<[u32; 3]>,
    nodes: Vec<Node>,
    bounds: Aabb,
}

#[derive(Clone, Copy)]
struct Node {
    b: Aabb,
    /// Leaf: first triangle; inner: index of the left child (the right one follows it).
    first: u32,
    /// Triangles in a leaf, 0 for inner nodes.
    count: u32,
}

impl Mesh {
    /// Builds a mesh and its BVH. `tris` index into the vertex arrays.
    pub fn new(pos: Vec<Vec3>, nrm: Vec<Vec3>, uv: Vec<Vec2>, tris: Vec<[u32; 3]>) -> Self {
        let mut m = Mesh {
            pos,
            nrm,
            uv,
            tris,
            nodes: Vec::new(),
            bounds: Aabb::EMPTY,
        };
        let n = m.tris.len();
        let mut cent: Vec<(Vec3, [u32; 3])> = m
            .tris
            .iter()
            .map(|t| {
                let c = (m.pos[t[0] as usize] + m.pos[t[1] as usize] + m.pos[t[2] as usize]) / 3.0;
                (c, *t)
            })
            .collect();
        m.nodes.push(Node {
            b: Aabb::EMPTY,
            first: 0,
            count: n as u32,
        });
        m.build(0, &mut cent, 0, n);
        m.tris = cent.into_iter().map(|(_, t)| t).collect();
        m.bounds = m.nodes[0].b;
        m
    }

    fn tri_bounds(&self, t: &[u32; 3]) -> Aabb {
        let mut b = Aabb::EMPTY;
        for &i in t {
            let p = self.pos[i as usize];
            b = b.union(Aabb { min: p, max: p });
        }
        b
    }

    fn build(&mut self, node: usize, cent: &mut [(Vec3, [u32; 3])], lo: usize, hi: usize) {
        let mut b = Aabb::EMPTY;
        let mut cb = Aabb::EMPTY;
        for (c, t) in &cent[lo..hi] {
            b = b.union(self.tri_bounds(t));
            cb = cb.union(Aabb { min: *c, max: *c });
        }
        self.nodes[node].b = b;
        if hi - lo <= 4 {
            self.nodes[node].first = lo as u32;
            self.nodes[node].count = (hi - lo) as u32;
            return;
        }
        let ext = cb.max - cb.min;
        let axis = if ext.x >= ext.y && ext.x >= ext.z {
            0
        } else if ext.y >= ext.z {
            1
        } else {
            2
        };
        let mid = (lo + hi) / 2;
        cent[lo..hi].select_nth_unstable_by(mid - lo, |a, b| a.0[axis].total_cmp(&b.0[axis]));
        let left = self.nodes.len();
        let empty = Node {
            b: Aabb::EMPTY,
            first: 0,
            count: 0,
        };
        self.nodes.push(empty);
        self.nodes.push(empty);
        self.nodes[node].first = left as u32;
        self.nodes[node].count = 0;
        self.build(left, cent, lo, mid);
        self.build(left + 1, cent, mid, hi);
    }

    /// Closest hit: (t, triangle, barycentric u, v).
    fn intersect(&self, r: &Ray, tmax: f32, any: bool) -> Option<(f32, usize, f32, f32)> {
        let mut best: Option<(f32, usize, f32, f32)> = None;
        let mut tbest = tmax;
        let mut stack = [0u32; 64];
        let mut sp = 1;
        while sp > 0 {
            sp -= 1;
            let node = self.nodes[stack[sp] as usize];
            if node.b.slab(r, tbest).is_none() {
                continue;
            }
            if node.count > 0 {
                for i in node.first..node.first + node.count {
                    let t = self.tris[i as usize];
                    let p0 = self.pos[t[0] as usize];
                    let e1 = self.pos[t[1] as usize] - p0;
                    let e2 = self.pos[t[2] as usize] - p0;
                    let pv = r.d.cross(e2);
                    let det = e1.dot(pv);
                    if det.abs() < 1e-12 {
                        continue;
                    }
                    let inv = 1.0 / det;
                    let tv = r.o - p0;
                    let u = tv.dot(pv) * inv;
                    if !(0.0..=1.0).contains(&u) {
                        continue;
                    }
                    let qv = tv.cross(e1);
                    let v = r.d.dot(qv) * inv;
                    if v < 0.0 || u + v > 1.0 {
                        continue;
                    }
                    let th = e2.dot(qv) * inv;
                    if th > 1e-4 && th < tbest {
                        tbest = th;
                        best = Some((th, i as usize, u, v));
                        if any {
                            return best;
                        }
                    }
                }
            } else if sp + 2 <= stack.len() {
                stack[sp] = node.first;
                stack[sp + 1] = node.first + 1;
                sp += 2;
            }
        }
        best
    }

    fn hit(&self, r: &Ray, tmax: f32) -> Option<(f32, Vec3, Vec2)> {
        let (t, i, u, v) = self.intersect(r, tmax, false)?;
        let tri = self.tris[i];
        let w = 1.0 - u - v;
        let [a, b, c] = tri.map(|k| k as usize);
        let n = (self.nrm[a] * w + self.nrm[b] * u + self.nrm[c] * v).normalize_or(Vec3::Y);
        let uv = self.uv[a] * w + self.uv[b] * u + self.uv[c] * v;
        Some((t, n, uv))
    }
}

/// A shape of the scene.
pub enum Shape {
    /// Box centred at `c` with half sizes `h`, turned by `yaw` (cos, sin) about Y.
    Box { c: Vec3, h: Vec3, cs: f32, sn: f32 },
    /// Vertical cylinder with base centre `c`, radius `r` and height `h`, capped.
    Cyl { c: Vec3, r: f32, h: f32 },
    /// Ellipsoid centred at `c` with radii `r` (before the yaw turn, as for boxes).
    Ell { c: Vec3, r: Vec3, cs: f32, sn: f32 },
    /// Triangle mesh in world space.
    Mesh(Arc<Mesh>),
}

impl Shape {
    /// Axis-aligned box at `c` with half sizes `h`.
    pub fn aabox(c: Vec3, h: Vec3) -> Shape {
        Shape::Box {
            c,
            h,
            cs: 1.0,
            sn: 0.0,
        }
    }

    /// Box from its smallest and largest corners.
    pub fn minmax(min: Vec3, max: Vec3) -> Shape {
        Shape::aabox((min + max) * 0.5, (max - min) * 0.5)
    }

    /// Box turned about Y by `yaw` radians (the box's local +X maps to (cos, 0, -sin)).
    pub fn turned(c: Vec3, h: Vec3, yaw: f32) -> Shape {
        Shape::Box {
            c,
            h,
            cs: yaw.cos(),
            sn: yaw.sin(),
        }
    }

    /// Sphere.
    pub fn sphere(c: Vec3, r: f32) -> Shape {
        Shape::ell(c, Vec3::splat(r), 0.0)
    }

    /// Ellipsoid turned about Y by `yaw` radians.
    pub fn ell(c: Vec3, r: Vec3, yaw: f32) -> Shape {
        Shape::Ell {
            c,
            r,
            cs: yaw.cos(),
            sn: yaw.sin(),
        }
    }

    fn bounds(&self) -> Aabb {
        match self {
            Shape::Box { c, h, cs, sn } => {
                let ex = h.x * cs.abs() + h.z * sn.abs();
                let ez = h.x * sn.abs() + h.z * cs.abs();
                let e = Vec3::new(ex, h.y, ez);
                Aabb {
                    min: *c - e,
                    max: *c + e,
                }
            }
            Shape::Cyl { c, r, h } => Aabb {
                min: *c - Vec3::new(*r, 0.0, *r),
                max: *c + Vec3::new(*r, *h, *r),
            },
            Shape::Ell { c, r, .. } => {
                let e = Vec3::new(r.x.max(r.z), r.y, r.x.max(r.z));
                Aabb {
                    min: *c - e,
                    max: *c + e,
                }
            }
            Shape::Mesh(m) => m.bounds,
        }
    }

    /// World to box-local rotation (inverse of the yaw turn).
    pub fn to_local(cs: f32, sn: f32, v: Vec3) -> Vec3 {
        Vec3::new(cs * v.x - sn * v.z, v.y, sn * v.x + cs * v.z)
    }

    /// Box-local to world rotation (the yaw turn).
    pub fn to_world(cs: f32, sn: f32, v: Vec3) -> Vec3 {
        Vec3::new(cs * v.x + sn * v.z, v.y, -sn * v.x + cs * v.z)
    }

    /// Intersection: (t, normal, local position, uv).
    fn hit(&self, r: &Ray, tmax: f32) -> Option<(f32, Vec3, Vec3, Vec2)> {
        match self {
            Shape::Box { c, h, cs, sn } => {
                let o = Self::to_local(*cs, *sn, r.o - *c);
                let d = Self::to_local(*cs, *sn, r.d);
                let lr = Ray::new(o, d);
                let t1 = (-*h - o) * lr.inv;
                let t2 = (*h - o) * lr.inv;
                let tmin = t1.min(t2);
                let tmaxv = t1.max(t2);
                let tn = tmin.max_element();
                let tf = tmaxv.min_element();
                if tn > tf || tf < 1e-4 {
                    return None;
                }
                let (t, inside) = if tn > 1e-4 { (tn, false) } else { (tf, true) };
                if t >= tmax {
                    return None;
                }
                let lp = o + d * t;
                let q = lp / *h;
                let a = q.abs();
                let ln = if a.x >= a.y && a.x >= a.z {
                    Vec3::new(q.x.signum(), 0.0, 0.0)
                } else if a.y >= a.z {
                    Vec3::new(0.0, q.y.signum(), 0.0)
                } else {
                    Vec3::new(0.0, 0.0, q.z.signum())
                };
                let ln = if inside { -ln } else { ln };
                Some((t, Self::to_world(*cs, *sn, ln), lp, Vec2::ZERO))
            }
            Shape::Cyl { c, r: rad, h } => {
                let o = r.o - *c;
                let d = r.d;
                let mut best: Option<(f32, Vec3)> = None;
                let a = d.x * d.x + d.z * d.z;
                if a > 1e-12 {
                    let b = o.x * d.x + o.z * d.z;
                    let cc = o.x * o.x + o.z * o.z - rad * rad;
                    let disc = b * b - a * cc;
                    if disc >= 0.0 {
                        let s = disc.sqrt();
                        for t in [(-b - s) / a, (-b + s) / a] {
                            if t > 1e-4 && t < tmax {
                                let y = o.y + d.y * t;
                                if (0.0..=*h).contains(&y) {
                                    let p = o + d * t;
                                    best = Some((t, Vec3::new(p.x, 0.0, p.z) / *rad));
                                    break;
                                }
                            }
                        }
                    }
                }
                if d.y.abs() > 1e-12 {
                    for (y, ny) in [(0.0, -1.0), (*h, 1.0)] {
                        let t = (y - o.y) / d.y;
                        if t > 1e-4 && t < best.map_or(tmax, |b| b.0) {
                            let p = o + d * t;
                            if p.x * p.x + p.z * p.z <= rad * rad {
                                best = Some((t, Vec3::new(0.0, ny, 0.0)));
                            }
                        }
                    }
                }
                best.map(|(t, n)| {
                    let p = o + d * t;
                    let ang = p.x.atan2(p.z) / std::f32::consts::TAU + 0.5;
                    (t, n, p, Vec2::new(ang, p.y))
                })
            }
            Shape::Ell { c, r: rad, cs, sn } => {
                let o = Self::to_local(*cs, *sn, r.o - *c) / *rad;
                let d = Self::to_local(*cs, *sn, r.d) / *rad;
                let a = d.dot(d);
                let b = o.dot(d);
                let cc = o.dot(o) - 1.0;
                let disc = b * b - a * cc;
                if disc < 0.0 {
                    return None;
                }
                let s = disc.sqrt();
                let mut t = (-b - s) / a;
                if t <= 1e-4 {
                    t = (-b + s) / a;
                }
                if t <= 1e-4 || t >= tmax {
                    return None;
                }
                let lp = o + d * t;
                let n = Self::to_world(*cs, *sn, (lp / *rad).normalize_or(Vec3::Y));
                Some((t, n, lp * *rad, Vec2::ZERO))
            }
            Shape::Mesh(m) => m.hit(r, tmax).map(|(t, n, uv)| (t, n, r.at(t), uv)),
        }
    }

    fn occludes(&self, r: &Ray, tmax: f32) -> bool {
        match self {
            Shape::Mesh(m) => m.intersect(r, tmax, true).is_some(),
            _ => self.hit(r, tmax).is_some(),
        }
    }

    /// Signed distance (exact for boxes and cylinders, a bound for ellipsoids; meshes count as
    /// far away: they do not take part in contact shading).
    fn sdf(&self, p: Vec3) -> f32 {
        match self {
            Shape::Box { c, h, cs, sn } => {
                let q = Self::to_local(*cs, *sn, p - *c).abs() - *h;
                q.max(Vec3::ZERO).length() + q.max_element().min(0.0)
            }
            Shape::Cyl { c, r, h } => {
                let q = p - *c;
                let dr = Vec2::new(q.x, q.z).length() - r;
                let dy = (q.y - h * 0.5).abs() - h * 0.5;
                let v = Vec2::new(dr, dy);
                v.max(Vec2::ZERO).length() + v.max_element().min(0.0)
            }
            Shape::Ell { c, r, cs, sn } => {
                let q = Self::to_local(*cs, *sn, p - *c) / *r;
                (q.length() - 1.0) * r.min_element()
            }
            Shape::Mesh(_) => f32::INFINITY,
        }
    }
}

/// An object: a shape with a material.
pub struct Obj {
    /// Geometry.
    pub shape: Shape,
    /// Material number.
    pub mat: u16,
    /// Unique number.
    pub id: u32,
}

struct Group {
    b: Aabb,
    objs: Vec<Obj>,
}

/// A scene: groups of objects under bounding boxes, and an optional ground plane at y = 0.
#[derive(Default)]
pub struct Scene {
    groups: Vec<Group>,
    open: Vec<Obj>,
    next_id: u32,
    /// Material of the ground plane y = 0, if there is one.
    pub ground: Option<u16>,
}

/// Object number of the ground plane.
pub const GROUND_ID: u32 = u32::MAX - 1;

impl Scene {
    /// Adds a shape to the group being built; returns its object number.
    pub fn add(&mut self, shape: Shape, mat: u16) -> u32 {
        self.next_id += 1;
        let id = self.next_id;
        self.open.push(Obj { shape, mat, id });
        id
    }

    /// Closes the group being built (objects added since the last call).
    pub fn group(&mut self) {
        if self.open.is_empty() {
            return;
        }
        let objs = std::mem::take(&mut self.open);
        let b = objs
            .iter()
            .fold(Aabb::EMPTY, |b, o| b.union(o.shape.bounds()));
        self.groups.push(Group { b, objs });
    }

    /// Closest hit within `tmax`.
    pub fn trace(&self, r: &Ray, tmax: f32) -> Option<Hit> {
        let mut best: Option<Hit> = None;
        let mut tb = tmax;
        if let Some(mat) = self.ground {
            if r.d.y < -1e-6 {
                let t = -r.o.y / r.d.y;
                if t > 1e-4 && t < tb {
                    tb = t;
                    let p = r.at(t);
                    best = Some(Hit {
                        t,
                        n: Vec3::Y,
                        local: p,
                        uv: Vec2::new(p.x, p.z),
                        mat,
                        id: GROUND_ID,
                    });
                }
            }
        }
        for g in &self.groups {
            if g.b.slab(r, tb).is_none() {
                continue;
            }
            for o in &g.objs {
                if let Some((t, n, local, uv)) = o.shape.hit(r, tb) {
                    tb = t;
                    best = Some(Hit {
                        t,
                        n,
                        local,
                        uv,
                        mat: o.mat,
                        id: o.id,
                    });
                }
            }
        }
        best
    }

    /// True when anything lies on the ray within `tmax` (the ground plane included).
    pub fn occluded(&self, r: &Ray, tmax: f32) -> bool {
        if self.ground.is_some() && r.d.y < -1e-6 {
            let t = -r.o.y / r.d.y;
            if t > 1e-4 && t < tmax {
                return true;
            }
        }
        self.groups.iter().any(|g| {
            g.b.slab(r, tmax).is_some() && g.objs.iter().any(|o| o.shape.occludes(r, tmax))
        })
    }

    /// Distance from `p` to the nearest non-mesh object (and the ground), up to `cap`.
    pub fn sdf(&self, p: Vec3, cap: f32) -> f32 {
        let mut d = cap;
        if self.ground.is_some() {
            d = d.min(p.y);
        }
        for g in &self.groups {
            if g.b.distance(p) >= d {
                continue;
            }
            for o in &g.objs {
                d = d.min(o.shape.sdf(p));
            }
        }
        d
    }

    /// Contact occlusion at a surface point: 1 open, towards 0 in creases and near objects.
    pub fn contact_ao(&self, p: Vec3, n: Vec3, reach: f32, strength: f32) -> f32 {
        let mut occ = 0.0;
        let mut w = 1.0;
        for i in 1..=4 {
            let delta = reach * i as f32 / 4.0;
            let d = self.sdf(p + n * delta, delta);
            occ += w * (delta - d.max(0.0)) / reach;
            w *= 0.6;
        }
        (1.0 - strength * occ).clamp(0.0, 1.0)
    }
}

/// Builder for triangle meshes.
#[derive(Default)]
pub struct MeshBuilder {
    /// Positions.
    pub pos: Vec<Vec3>,
    /// Normals.
    pub nrm: Vec<Vec3>,
    /// Texture coordinates.
    pub uv: Vec<Vec2>,
    /// Triangles.
    pub tris: Vec<[u32; 3]>,
}

impl MeshBuilder {
    /// Adds a vertex, returning its index.
    pub fn vertex(&mut self, p: Vec3, n: Vec3, uv: Vec2) -> u32 {
        self.pos.push(p);
        self.nrm.push(n);
        self.uv.push(uv);
        (self.pos.len() - 1) as u32
    }

    /// Adds a grid of `rows` × `cols` vertices (row-major, as returned by `f(i, j)`) with
    /// triangles between them; normals are computed from the grid when `f` gives a zero normal.
    pub fn grid(
        &mut self,
        rows: usize,
        cols: usize,
        f: impl Fn(usize, usize) -> (Vec3, Vec3, Vec2),
    ) {
        let base = self.pos.len() as u32;
        let pts: Vec<(Vec3, Vec3, Vec2)> = (0..rows)
            .flat_map(|i| (0..cols).map(move |j| (i, j)))
            .map(|(i, j)| f(i, j))
            .collect();
        for (k, (p, n, uv)) in pts.iter().enumerate() {
            let (i, j) = (k / cols, k % cols);
            let n = if n.length_squared() > 0.0 {
                *n
            } else {
                let at = |i: usize, j: usize| pts[i * cols + j].0;
                let du = at(i, (j + 1).min(cols - 1)) - at(i, j.saturating_sub(1));
                let dv = at((i + 1).min(rows - 1), j) - at(i.saturating_sub(1), j);
                du.cross(dv).normalize_or(Vec3::Y)
            };
            self.vertex(*p, n, *uv);
        }
        for i in 0..rows - 1 {
            for j in 0..cols - 1 {
                let a = base + (i * cols + j) as u32;
                let b = a + 1;
                let c = a + cols as u32;
                let d = c + 1;
                self.tris.push([a, c, b]);
                self.tris.push([b, c, d]);
            }
        }
    }

    /// A round tube of `radius` along `path` (open ends); `uv` is (around, along in metres).
    pub fn tube(&mut self, path: &[Vec3], radius: &dyn Fn(f32) -> f32, sides: usize) {
        let n = path.len();
        if n < 2 {
            return;
        }
        let mut along = 0.0;
        let rows: Vec<(Vec3, Vec3, Vec3, f32)> = (0..n)
            .map(|i| {
                let fwd =
                    (path[(i + 1).min(n - 1)] - path[i.saturating_sub(1)]).normalize_or(Vec3::Y);
                let up = if fwd.y.abs() > 0.9 { Vec3::X } else { Vec3::Y };
                let a = fwd.cross(up).normalize_or(Vec3::X);
                let b = a.cross(fwd).normalize_or(Vec3::Y);
                if i > 0 {
                    along += (path[i] - path[i - 1]).length();
                }
                (a, b, path[i], along)
            })
            .collect();
        let total = along.max(1e-6);
        self.grid(n, sides + 1, |i, j| {
            let (a, b, c, s) = rows[i];
            let ang = std::f32::consts::TAU * j as f32 / sides as f32;
            let dir = a * ang.cos() + b * ang.sin();
            (
                c + dir * radius(s / total),
                dir,
                Vec2::new(j as f32 / sides as f32, s),
            )
        });
    }

    /// Finishes into a ray-traceable mesh.
    pub fn build(self) -> Arc<Mesh> {
        Arc::new(Mesh::new(self.pos, self.nrm, self.uv, self.tris))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_hit_where_expected() {
        let mut s = Scene::default();
        s.add(Shape::aabox(Vec3::new(0.0, 1.0, -5.0), Vec3::ONE), 1);
        s.add(
            Shape::Cyl {
                c: Vec3::new(3.0, 0.0, -5.0),
                r: 0.5,
                h: 2.0,
            },
            2,
        );
        s.group();
        let r = Ray::new(Vec3::new(0.0, 1.0, 0.0), Vec3::NEG_Z);
        let h = s.trace(&r, 100.0).expect("box hit");
        assert!((h.t - 4.0).abs() < 1e-4 && h.mat == 1 && h.n.z > 0.9);
        let r = Ray::new(Vec3::new(3.0, 1.0, 0.0), Vec3::NEG_Z);
        let h = s.trace(&r, 100.0).expect("cylinder hit");
        assert!((h.t - 4.5).abs() < 1e-4 && h.mat == 2);
        let mut b = MeshBuilder::default();
        b.grid(2, 2, |i, j| {
            (
                Vec3::new(j as f32 - 0.5, i as f32 - 0.5, -2.0),
                Vec3::ZERO,
                Vec2::ZERO,
            )
        });
        s.add(Shape::Mesh(b.build()), 3);
        s.group();
        let r = Ray::new(Vec3::ZERO, Vec3::NEG_Z);
        let h = s.trace(&r, 100.0).expect("mesh hit");
        assert!((h.t - 2.0).abs() < 1e-4 && h.mat == 3);
    }
}
