//! Scene 1, "Sân đình": the courtyard of a village communal house. The đình hall ahead (yaw 0),
//! the stele pavilion (nhà bia) at yaw −60°, the three-entrance gate (tam quan) behind, walls,
//! ceremonial pillars, trees, a brick-tiled courtyard, sky with sun and clouds.

use super::noise::{fbm2, fbm3, hash2, smoothstep, value3};
use super::pano::Panorama;
use super::roof::Roof;
use super::rt::{Hit, Ray, Scene, Shape, GROUND_ID};
use glam::{Vec2, Vec3, Vec3Swizzles};
use std::f32::consts::PI;

/// Eye height above the courtyard.
pub const EYE: Vec3 = Vec3::new(0.0, 1.6, 0.0);

const M_GROUND: u16 = 1;
const M_STONE: u16 = 2;
const M_COLUMN: u16 = 3;
const M_PLINTH: u16 = 4;
const M_DOOR: u16 = 5;
const M_ROOF: u16 = 6;
const M_RIDGE: u16 = 7;
const M_PLASTER: u16 = 8;
const M_BRICK: u16 = 9;
const M_STELE: u16 = 10;
const M_LEAF: u16 = 11;
const M_TRUNK: u16 = 12;
const M_BOARD: u16 = 13;
const M_GOLD: u16 = 14;
const M_DARK: u16 = 15;
const M_PALM: u16 = 16;
const M_WALLCAP: u16 = 17;
const M_BEAM: u16 = 18;
const M_LAMP: u16 = 19;
const M_PLATFORM: u16 = 20;
const M_SLAB: u16 = 21;
const M_BOARD2: u16 = 22;
const M_LACQUER: u16 = 23;
const M_GILT: u16 = 24;

/// Where the hall's platform is, and its parts (metres).
const PLAT_TOP: f32 = 0.55;
const FRONT_Z: f32 = -11.1;
const DOOR_Z: f32 = -13.7;
const BACK_Z: f32 = -18.9;
/// Centre of the hall roof.
const HALL_Z: f32 = -15.3;
const COL_X: [f32; 8] = [-11.2, -8.0, -4.8, -1.6, 1.6, 4.8, 8.0, 11.2];

/// The stele pavilion: yaw −60°, 9.5 m away.
const STELE_YAW: f32 = -60.0;
const STELE_DIST: f32 = 9.5;
/// Centre height of the stele slab above the ground.
const STELE_MID: f32 = 1.40;

/// Where the hotspots point (world positions), computed from the geometry.
pub struct Targets {
    /// Centre of the open hall door.
    pub door: Vec3,
    /// Centre of the stele.
    pub stele: Vec3,
    /// A point on the front slope of the hall roof.
    pub hall: Vec3,
}

/// The courtyard scene.
pub struct SanDinh {
    scene: Scene,
    roofs: Vec<Roof>,
    sun: Vec3,
    /// Hotspot targets.
    pub targets: Targets,
}

fn stele_centre() -> Vec3 {
    let a = STELE_YAW.to_radians();
    Vec3::new(a.sin() * STELE_DIST, 0.0, -a.cos() * STELE_DIST)
}

fn column(s: &mut Scene, x: f32, y0: f32, z: f32, r: f32, h: f32) {
    s.add(
        Shape::Cyl {
            c: Vec3::new(x, y0, z),
            r: r + 0.09,
            h: 0.12,
        },
        M_PLINTH,
    );
    s.add(
        Shape::Cyl {
            c: Vec3::new(x, y0 + 0.12, z),
            r,
            h: h - 0.12,
        },
        M_COLUMN,
    );
}

fn tree(s: &mut Scene, base: Vec3, trunk_h: f32, crown: f32, seed: u32) {
    s.add(
        Shape::Cyl {
            c: base,
            r: 0.08 + crown * 0.07,
            h: trunk_h + crown * 0.5,
        },
        M_TRUNK,
    );
    let n = 7 + (seed % 4) as usize;
    for k in 0..n {
        let h = |i: u32| hash2(seed as i32, (k as i32) * 7 + i as i32, 77);
        let ang = h(0) * 2.0 * PI;
        let rad = crown * (0.25 + 0.45 * h(1));
        let c = base
            + Vec3::new(
                ang.cos() * rad,
                trunk_h + crown * (0.35 + 0.55 * h(2)),
                ang.sin() * rad,
            );
        let r = crown * (0.45 + 0.3 * h(3));
        s.add(Shape::ell(c, Vec3::new(r, r * 0.8, r), 0.0), M_LEAF);
    }
    s.group();
}

fn areca(s: &mut Scene, base: Vec3, h: f32) {
    s.add(
        Shape::Cyl {
            c: base,
            r: 0.11,
            h,
        },
        M_PALM,
    );
    for k in 0..7 {
        let a = k as f32 / 7.0 * 2.0 * PI;
        let dir = Vec3::new(a.cos(), 0.0, a.sin());
        s.add(
            Shape::ell(
                base + Vec3::new(0.0, h - 0.25, 0.0) + dir * 1.1,
                Vec3::new(1.3, 0.22, 0.32),
                -a,
            ),
            M_LEAF,
        );
    }
    s.add(Shape::sphere(base + Vec3::Y * (h + 0.1), 0.45), M_LEAF);
    s.group();
}

impl SanDinh {
    /// Builds the courtyard.
    pub fn new() -> Self {
        let mut s = Scene::default();
        s.ground = Some(M_GROUND);
        let mut roofs = Vec::new();

        // --- The đình hall -------------------------------------------------------------------
        let hall_roof = Roof {
            c: Vec3::new(0.0, 3.3, HALL_Z),
            hw: 13.4,
            hd: 5.0,
            rise: 4.3,
            yaw: 0.0,
            lift: 1.1,
            flare: 0.9,
            thick: 0.3,
            sag: 0.45,
        };
        s.add(
            Shape::minmax(
                Vec3::new(-12.0, 0.0, BACK_Z - 0.8),
                Vec3::new(12.0, PLAT_TOP, FRONT_Z),
            ),
            M_PLATFORM,
        );
        s.add(
            Shape::minmax(
                Vec3::new(-4.6, 0.0, FRONT_Z),
                Vec3::new(4.6, 0.37, FRONT_Z + 0.35),
            ),
            M_STONE,
        );
        s.add(
            Shape::minmax(
                Vec3::new(-4.6, 0.0, FRONT_Z),
                Vec3::new(4.6, 0.18, FRONT_Z + 0.7),
            ),
            M_STONE,
        );
        s.group();
        let rows = [
            (FRONT_Z - 0.6, 0.17),
            (DOOR_Z, 0.22),
            (DOOR_Z - 3.0, 0.26),
            (BACK_Z, 0.2),
        ];
        for (z, r) in rows {
            for x in COL_X {
                let top = hall_roof
                    .top_y(x, z)
                    .map_or(3.5, |y| y - hall_roof.thick - 0.02);
                column(&mut s, x, PLAT_TOP, z, r, top - PLAT_TOP);
            }
            s.group();
        }
        // Eave beam and tie beams of the front row.
        s.add(
            Shape::minmax(
                Vec3::new(-11.4, 3.3, FRONT_Z - 0.72),
                Vec3::new(11.4, 3.62, FRONT_Z - 0.48),
            ),
            M_BEAM,
        );
        // Facade: closed door panels in every bay but the middle one, which stands open.
        for i in 0..7 {
            let (x0, x1) = (COL_X[i] + 0.2, COL_X[i + 1] - 0.2);
            if i == 3 {
                continue;
            }
            s.add(
                Shape::minmax(
                    Vec3::new(x0, PLAT_TOP, DOOR_Z - 0.05),
                    Vec3::new(x1, 4.4, DOOR_Z + 0.05),
                ),
                M_DOOR,
            );
        }
        // Middle bay: transom above the opening, the two leaves opened inwards, a board.
        s.add(
            Shape::minmax(
                Vec3::new(-1.42, 2.95, DOOR_Z - 0.05),
                Vec3::new(1.42, 4.4, DOOR_Z + 0.05),
            ),
            M_DOOR,
        );
        for sx in [-1.0f32, 1.0] {
            s.add(
                Shape::minmax(
                    Vec3::new(sx * 1.36 - 0.04, PLAT_TOP + 0.05, DOOR_Z - 1.38),
                    Vec3::new(sx * 1.36 + 0.04, 2.93, DOOR_Z - 0.06),
                ),
                M_DOOR,
            );
        }
        s.add(
            Shape::minmax(
                Vec3::new(-1.2, 3.02, DOOR_Z + 0.05),
                Vec3::new(1.2, 3.65, DOOR_Z + 0.11),
            ),
            M_BOARD,
        );
        // Inside: back wall, side walls, an altar glimpsed through the door, a hanging lamp.
        s.add(
            Shape::minmax(
                Vec3::new(-11.2, PLAT_TOP, BACK_Z - 0.1),
                Vec3::new(11.2, 5.5, BACK_Z + 0.1),
            ),
            M_DARK,
        );
        for sx in [-1.0f32, 1.0] {
            s.add(
                Shape::minmax(
                    Vec3::new(sx * 11.2 - 0.1, PLAT_TOP, BACK_Z),
                    Vec3::new(sx * 11.2 + 0.1, 4.4, DOOR_Z),
                ),
                M_DOOR,
            );
        }
        s.add(
            Shape::minmax(
                Vec3::new(-1.3, PLAT_TOP, BACK_Z + 0.1),
                Vec3::new(1.3, 1.5, BACK_Z + 1.0),
            ),
            M_LACQUER,
        );
        s.add(
            Shape::minmax(
                Vec3::new(-0.55, 1.5, BACK_Z + 0.1),
                Vec3::new(0.55, 2.7, BACK_Z + 0.6),
            ),
            M_GILT,
        );
        s.add(
            Shape::sphere(Vec3::new(0.0, 3.4, DOOR_Z - 2.2), 0.22),
            M_LAMP,
        );
        s.group();
        hall_roof.add(&mut s, M_ROOF, M_RIDGE);
        // Ridge ornament: a moon disc with two dragons climbing towards it.
        let ridge_y = hall_roof.c.y + hall_roof.rise + 0.35;
        s.add(
            Shape::ell(
                Vec3::new(0.0, ridge_y + 0.5, HALL_Z),
                Vec3::new(0.42, 0.42, 0.08),
                0.0,
            ),
            M_GOLD,
        );
        {
            let mut mb = super::rt::MeshBuilder::default();
            for sx in [-1.0f32, 1.0] {
                let path: Vec<Vec3> = (0..=30)
                    .map(|k| {
                        let t = k as f32 / 30.0;
                        Vec3::new(
                            sx * (0.55 + 2.6 * t),
                            ridge_y + 0.15 + 0.55 * (1.0 - t) + 0.2 * (t * 9.0).sin(),
                            HALL_Z,
                        )
                    })
                    .collect();
                mb.tube(&path, &|t| 0.12 * (1.0 - 0.5 * t), 8);
            }
            s.add(Shape::Mesh(mb.build()), M_RIDGE);
        }
        s.group();
        roofs.push(hall_roof);

        // --- Stele pavilion (nhà bia) --------------------------------------------------------
        let sc = stele_centre();
        let yaw = -STELE_YAW.to_radians(); // local +z towards the viewer
        let (cs, sn) = (yaw.cos(), yaw.sin());
        let at = |l: Vec3| sc + Shape::to_world(cs, sn, l);
        s.add(
            Shape::turned(
                at(Vec3::new(0.0, 0.15, 0.0)),
                Vec3::new(1.65, 0.15, 1.65),
                yaw,
            ),
            M_STONE,
        );
        for (px, pz) in [(-1.2, -1.2), (1.2, -1.2), (-1.2, 1.2), (1.2, 1.2)] {
            s.add(
                Shape::turned(at(Vec3::new(px, 1.5, pz)), Vec3::new(0.16, 1.2, 0.16), yaw),
                M_BRICK,
            );
        }
        // Turtle carrying the stele.
        s.add(
            Shape::ell(
                at(Vec3::new(0.0, 0.42, 0.0)),
                Vec3::new(0.55, 0.26, 0.72),
                yaw,
            ),
            M_STELE,
        );
        s.add(Shape::sphere(at(Vec3::new(0.0, 0.42, 0.78)), 0.14), M_STELE);
        for (lx, lz) in [(-0.45, 0.45), (0.45, 0.45), (-0.45, -0.45), (0.45, -0.45)] {
            s.add(Shape::sphere(at(Vec3::new(lx, 0.34, lz)), 0.12), M_STELE);
        }
        s.add(
            Shape::turned(
                at(Vec3::new(0.0, STELE_MID, 0.0)),
                Vec3::new(0.45, 0.78, 0.1),
                yaw,
            ),
            M_SLAB,
        );
        s.add(
            Shape::turned(
                at(Vec3::new(0.0, 2.26, 0.0)),
                Vec3::new(0.52, 0.08, 0.15),
                yaw,
            ),
            M_STELE,
        );
        s.group();
        let stele_roof = Roof {
            c: at(Vec3::new(0.0, 2.62, 0.0)),
            hw: 1.9,
            hd: 1.9,
            rise: 1.25,
            yaw,
            lift: 0.45,
            flare: 0.35,
            thick: 0.14,
            sag: 0.35,
        };
        stele_roof.add(&mut s, M_ROOF, M_RIDGE);
        s.add(
            Shape::sphere(at(Vec3::new(0.0, 2.62 + 1.25 + 0.2, 0.0)), 0.16),
            M_PLASTER,
        );
        s.group();
        roofs.push(stele_roof);

        // --- Gate (tam quan) behind the viewer --------------------------------------------------
        let gz = 13.0;
        for sx in [-1.0f32, 1.0] {
            s.add(
                Shape::minmax(
                    Vec3::new(sx * 1.75 - 0.35, 0.0, gz - 0.4),
                    Vec3::new(sx * 1.75 + 0.35, 3.95, gz + 0.4),
                ),
                M_PLASTER,
            );
            // Side openings: walls either side, a lintel above.
            let (a, b) = (sx * 2.1, sx * 2.5);
            s.add(
                Shape::minmax(
                    Vec3::new(a.min(b), 0.0, gz - 0.25),
                    Vec3::new(a.max(b), 2.95, gz + 0.25),
                ),
                M_PLASTER,
            );
            let (a, b) = (sx * 3.95, sx * 4.3);
            s.add(
                Shape::minmax(
                    Vec3::new(a.min(b), 0.0, gz - 0.25),
                    Vec3::new(a.max(b), 2.95, gz + 0.25),
                ),
                M_PLASTER,
            );
            let (a, b) = (sx * 2.1, sx * 4.3);
            s.add(
                Shape::minmax(
                    Vec3::new(a.min(b), 2.3, gz - 0.25),
                    Vec3::new(a.max(b), 2.95, gz + 0.25),
                ),
                M_PLASTER,
            );
            s.add(
                Shape::minmax(
                    Vec3::new(sx * 4.6 - 0.3, 0.0, gz - 0.32),
                    Vec3::new(sx * 4.6 + 0.3, 3.25, gz + 0.32),
                ),
                M_PLASTER,
            );
            // Door leaves of the middle entrance, opened outwards.
            s.add(
                Shape::minmax(
                    Vec3::new(sx * 1.36 - 0.04, 0.02, gz + 0.42),
                    Vec3::new(sx * 1.36 + 0.04, 3.0, gz + 1.75),
                ),
                M_DOOR,
            );
        }
        s.add(
            Shape::minmax(
                Vec3::new(-1.4, 3.05, gz - 0.3),
                Vec3::new(1.4, 3.95, gz + 0.3),
            ),
            M_PLASTER,
        );
        s.add(
            Shape::minmax(
                Vec3::new(-1.05, 3.2, gz - 0.36),
                Vec3::new(1.05, 3.78, gz - 0.3),
            ),
            M_BOARD2,
        );
        s.group();
        let gate_roof = Roof {
            c: Vec3::new(0.0, 3.95, gz),
            hw: 2.75,
            hd: 1.35,
            rise: 1.35,
            yaw: 0.0,
            lift: 0.55,
            flare: 0.4,
            thick: 0.18,
            sag: 0.4,
        };
        gate_roof.add(&mut s, M_ROOF, M_RIDGE);
        roofs.push(gate_roof);
        for sx in [-1.0f32, 1.0] {
            let r = Roof {
                c: Vec3::new(sx * 3.3, 2.95, gz),
                hw: 1.55,
                hd: 0.95,
                rise: 0.85,
                yaw: 0.0,
                lift: 0.32,
                flare: 0.25,
                thick: 0.14,
                sag: 0.4,
            };
            r.add(&mut s, M_ROOF, M_RIDGE);
            roofs.push(r);
        }
        // Walls round the courtyard, with a tiled cap.
        let wall = |s: &mut Scene, min: Vec3, max: Vec3| {
            s.add(Shape::minmax(min, max), M_PLASTER);
            s.add(
                Shape::minmax(
                    Vec3::new(min.x - 0.1, max.y, min.z - 0.1),
                    Vec3::new(max.x + 0.1, max.y + 0.14, max.z + 0.1),
                ),
                M_WALLCAP,
            );
        };
        for sx in [-1.0f32, 1.0] {
            let (a, b) = (sx * 4.9, sx * 16.0);
            wall(
                &mut s,
                Vec3::new(a.min(b), 0.0, gz - 0.15),
                Vec3::new(a.max(b), 1.9, gz + 0.15),
            );
            s.group();
            wall(
                &mut s,
                Vec3::new(sx * 16.0 - 0.15, 0.0, -23.0),
                Vec3::new(sx * 16.0 + 0.15, 1.9, gz + 0.15),
            );
            s.group();
        }
        // Ceremonial pillars (trụ biểu) by the gate.
        for sx in [-1.0f32, 1.0] {
            let x = sx * 6.6;
            let z = 10.6;
            s.add(
                Shape::minmax(
                    Vec3::new(x - 0.34, 0.0, z - 0.34),
                    Vec3::new(x + 0.34, 5.0, z + 0.34),
                ),
                M_PLASTER,
            );
            s.add(
                Shape::minmax(
                    Vec3::new(x - 0.44, 5.0, z - 0.44),
                    Vec3::new(x + 0.44, 5.16, z + 0.44),
                ),
                M_WALLCAP,
            );
            s.add(
                Shape::minmax(
                    Vec3::new(x - 0.27, 5.16, z - 0.27),
                    Vec3::new(x + 0.27, 5.75, z + 0.27),
                ),
                M_PLASTER,
            );
            s.add(
                Shape::minmax(
                    Vec3::new(x - 0.4, 5.75, z - 0.4),
                    Vec3::new(x + 0.4, 5.85, z + 0.4),
                ),
                M_WALLCAP,
            );
            s.add(Shape::sphere(Vec3::new(x, 6.1, z), 0.24), M_PLASTER);
            s.group();
        }

        // --- Trees -----------------------------------------------------------------------------
        tree(&mut s, Vec3::new(-11.8, 0.0, 7.5), 2.4, 2.0, 3);
        tree(&mut s, Vec3::new(11.8, 0.0, 7.0), 2.2, 1.9, 8);
        tree(&mut s, Vec3::new(13.5, 0.0, -5.0), 2.0, 1.5, 12);
        // The old banyan tree outside the west wall.
        s.add(
            Shape::Cyl {
                c: Vec3::new(-21.0, 0.0, -3.0),
                r: 1.0,
                h: 6.5,
            },
            M_TRUNK,
        );
        for k in 0..34 {
            let h = |i: i32| hash2(k, i, 5);
            let a = h(0) * 2.0 * PI;
            let rad = 1.0 + 7.5 * h(1).sqrt();
            let c = Vec3::new(
                -21.0 + a.cos() * rad,
                6.0 + 5.5 * h(2) - 0.25 * rad,
                -3.0 + a.sin() * rad,
            );
            let r = 1.6 + 1.4 * h(3);
            s.add(Shape::ell(c, Vec3::new(r, r * 0.75, r), 0.0), M_LEAF);
        }
        s.group();
        // A ring of village trees and areca palms beyond the walls.
        for k in 0..40 {
            let h = |i: i32| hash2(k, i, 99);
            let a = (k as f32 + 0.6 * h(0)) / 40.0 * 2.0 * PI;
            let dist = 28.0 + 20.0 * h(1);
            let base = Vec3::new(a.sin() * dist, 0.0, -a.cos() * dist);
            if k % 3 == 1 {
                areca(&mut s, base, 8.0 + 4.0 * h(2));
            } else {
                tree(
                    &mut s,
                    base,
                    2.5 + 3.0 * h(2),
                    3.2 + 2.8 * h(3),
                    100 + k as u32,
                );
            }
        }

        let sun_yaw = 140f32.to_radians();
        let sun_pitch = 38f32.to_radians();
        let sun = super::pano::direction(sun_yaw, sun_pitch);

        // Hotspot targets.
        let door = Vec3::new(0.0, PLAT_TOP + 1.2, DOOR_Z);
        let stele = sc + Vec3::Y * STELE_MID;
        let hx = -6.0;
        let hz = FRONT_Z - 0.7;
        let hall = Vec3::new(hx, roofs[0].top_y(hx, hz).unwrap_or(4.5), hz);
        SanDinh {
            scene: s,
            roofs,
            sun,
            targets: Targets { door, stele, hall },
        }
    }

    fn sky(&self, d: Vec3) -> Vec3 {
        let h = d.y.max(0.0);
        let zenith = Vec3::new(0.10, 0.26, 0.70);
        let horizon = Vec3::new(0.62, 0.72, 0.85);
        let mut c = horizon.lerp(zenith, h.powf(0.45));
        let sc = d.dot(self.sun).max(0.0);
        c += Vec3::new(1.0, 0.8, 0.55) * (0.25 * sc.powi(6) + 0.8 * sc.powi(200));
        if sc > 0.99994 {
            c += Vec3::splat(40.0);
        }
        // Clouds on a plane 1200 m up.
        if d.y > 0.01 {
            let p = Vec2::new(d.x, d.z) * (1200.0 / d.y);
            let dens = fbm2(p / 650.0 + Vec2::new(3.0, 7.0), 5, 2024);
            let cover = smoothstep(0.5, 0.72, dens) * smoothstep(0.02, 0.18, d.y);
            let thick = smoothstep(0.55, 0.85, dens);
            let lit = Vec3::new(1.25, 1.2, 1.15) * (1.0 - 0.35 * thick)
                + Vec3::new(0.3, 0.25, 0.2) * sc.powi(4);
            c = c.lerp(lit, cover * 0.9);
        }
        c
    }

    fn sky_visibility(&self, p: Vec3) -> f32 {
        self.roofs.iter().map(|r| r.sky_visibility(p)).product()
    }

    /// Albedo and specular strength of a surface; may bend the normal.
    fn material(&self, hit: &Hit, p: Vec3, n: &mut Vec3, fp: f32, fp0: f32) -> (Vec3, f32, Vec3) {
        let none = Vec3::ZERO;
        match hit.mat {
            M_GROUND => (ground(p, fp), 0.0, none),
            M_STONE => {
                let g = 0.2 + 0.08 * fbm3(p * 3.0, 3, 5);
                let block = blocks(p, *n, 0.6, 0.3, fp);
                (
                    Vec3::new(g, g * 0.98, g * 0.93) * (0.75 + 0.25 * block),
                    0.02,
                    none,
                )
            }
            M_PLATFORM => {
                if n.y > 0.5 {
                    (
                        tiles(
                            p.xz(),
                            0.4,
                            Vec3::new(0.26, 0.1, 0.06),
                            Vec3::new(0.1, 0.095, 0.08),
                            fp,
                        ),
                        0.0,
                        none,
                    )
                } else {
                    let g = 0.17 + 0.08 * fbm3(p * 2.0, 3, 15);
                    let block = blocks(p, *n, 0.8, 0.275, fp);
                    (
                        Vec3::new(g * 1.05, g, g * 0.9) * (0.7 + 0.3 * block),
                        0.02,
                        none,
                    )
                }
            }
            M_COLUMN => {
                let grain = fbm3(Vec3::new(p.x * 40.0, p.y * 1.5, p.z * 40.0), 3, 7);
                let c = Vec3::new(0.2, 0.055, 0.032) * (0.8 + 0.4 * grain);
                (c, 0.25, none)
            }
            M_PLINTH => (
                Vec3::splat(0.2) * (0.8 + 0.3 * fbm3(p * 6.0, 3, 9)),
                0.02,
                none,
            ),
            M_BEAM => (Vec3::new(0.09, 0.04, 0.025), 0.1, none),
            M_DOOR => (door_panel(hit.local, *n, fp), 0.1, none),
            M_ROOF => (roof_tiles(hit.uv, p, fp, fp0), 0.03, none),
            M_RIDGE => {
                let m = fbm3(p * 1.5, 3, 31);
                (Vec3::new(0.42, 0.40, 0.36) * (0.55 + 0.45 * m), 0.0, none)
            }
            M_WALLCAP => (
                Vec3::new(0.16, 0.09, 0.06) * (0.7 + 0.4 * fbm3(p * 3.0, 3, 4)),
                0.0,
                none,
            ),
            M_PLASTER => {
                let base = Vec3::new(0.66, 0.47, 0.18);
                let streak = fbm3(Vec3::new(p.x * 1.5, p.y * 0.35, p.z * 1.5), 4, 13);
                let grime =
                    smoothstep(0.45, 0.75, streak) * 0.55 + smoothstep(0.6, 0.0, p.y) * 0.35;
                let c = base.lerp(Vec3::new(0.16, 0.15, 0.1), grime.min(0.85));
                (c * (0.9 + 0.2 * value3(p * 8.0, 3)), 0.0, none)
            }
            M_BRICK => (brick(p, *n, fp), 0.0, none),
            M_STELE => {
                let c = Vec3::new(0.2, 0.205, 0.21) * (0.8 + 0.3 * fbm3(p * 5.0, 4, 33));
                (c, 0.05, none)
            }
            M_SLAB => (stele(hit, fp), 0.05, none),
            M_LEAF => {
                let q = p * 2.2;
                let g = fbm3(q, 4, 21);
                *n = (*n
                    + 0.7
                        * Vec3::new(
                            value3(q * 2.0, 1) - 0.5,
                            value3(q * 2.0, 2) - 0.5,
                            value3(q * 2.0, 3) - 0.5,
                        ))
                .normalize_or(*n);
                let c = Vec3::new(0.035, 0.085, 0.022).lerp(Vec3::new(0.09, 0.16, 0.03), g);
                (c * (0.6 + 0.6 * smoothstep(0.3, 0.7, g)), 0.02, none)
            }
            M_TRUNK => (
                Vec3::new(0.09, 0.075, 0.06)
                    * (0.7 + 0.5 * fbm3(p * Vec3::new(8.0, 1.0, 8.0), 3, 3)),
                0.0,
                none,
            ),
            M_PALM => {
                let ring = ((p.y * 9.0).rem_euclid(1.0) - 0.5).abs();
                (Vec3::new(0.22, 0.21, 0.18) * (0.75 + 0.3 * ring), 0.0, none)
            }
            M_BOARD => (board(hit, 1.2, 0.315, fp), 0.4, none),
            M_BOARD2 => (board(hit, 1.05, 0.29, fp), 0.4, none),
            M_LACQUER => (Vec3::new(0.25, 0.018, 0.01), 0.4, none),
            M_GOLD => (
                Vec3::new(0.55, 0.36, 0.09),
                0.6,
                Vec3::new(0.05, 0.03, 0.01),
            ),
            M_GILT => (Vec3::new(0.3, 0.18, 0.05), 0.5, none),
            M_DARK => (Vec3::new(0.05, 0.03, 0.02), 0.0, none),
            M_LAMP => (Vec3::new(0.5, 0.1, 0.05), 0.0, Vec3::new(2.5, 0.9, 0.3)),
            _ => (Vec3::splat(0.5), 0.0, none),
        }
    }
}

/// Tiles of `size` metres with mortar lines, averaged out with the pixel footprint `fp`.
fn tiles(q: Vec2, size: f32, base: Vec3, mortar: Vec3, fp: f32) -> Vec3 {
    let g = q / size;
    let cell = g.floor();
    let f = g - cell;
    let d = (f - Vec2::splat(0.5)).abs().max_element(); // 0.5 at the joints
    let mortar_w = 0.012 / size;
    let aa = (fp / size).max(1e-4);
    let line = smoothstep(0.5 - mortar_w - aa, 0.5 - mortar_w + aa, d);
    let avg = 4.0 * mortar_w;
    let far = smoothstep(0.15, 0.6, aa);
    let line = line + (avg - line) * far;
    let var = hash2(cell.x as i32, cell.y as i32, 17);
    let tone = 0.8 + 0.4 * (var + (0.5 - var) * far);
    let stain = fbm2(q * 0.8, 4, 8);
    let grime = smoothstep(0.45, 0.8, fbm2(q * 0.23 + Vec2::splat(9.0), 4, 18));
    let c = base * tone * (0.7 + 0.5 * stain);
    let c = c.lerp(Vec3::new(0.07, 0.06, 0.045), grime * 0.5);
    c.lerp(mortar, line.clamp(0.0, 1.0))
}

fn ground(p: Vec3, fp: f32) -> Vec3 {
    let inside = p.x.abs() < 16.0 && p.z > FRONT_Z && p.z < 13.0;
    if inside {
        if p.x.abs() < 0.9 && p.z > FRONT_Z + 0.7 && p.z < 12.6 {
            // Bluestone path from the gate to the hall.
            let q = Vec2::new(p.x + 0.9, p.z);
            let c = tiles(
                q * Vec2::new(0.5, 0.75),
                0.3,
                Vec3::new(0.1, 0.104, 0.108),
                Vec3::new(0.04, 0.042, 0.04),
                fp * 0.6,
            );
            return c;
        }
        let c = tiles(
            p.xz(),
            0.3,
            Vec3::new(0.19, 0.078, 0.05),
            Vec3::new(0.07, 0.07, 0.05),
            fp,
        );
        // Worn and moss-darkened near the walls.
        let moss = smoothstep(14.0, 16.0, p.x.abs()) + smoothstep(11.0, 13.0, p.z);
        return c.lerp(Vec3::new(0.08, 0.09, 0.04), (moss * 0.6).min(0.6));
    }
    let g = fbm2(p.xz() * 0.3, 4, 61);
    let grass = Vec3::new(0.05, 0.09, 0.025).lerp(Vec3::new(0.12, 0.12, 0.05), g);
    grass * (0.7 + 0.5 * fbm2(p.xz() * 2.0, 3, 62))
}

/// Mortar-jointed blocks on the faces of a box (world coordinates).
fn blocks(p: Vec3, n: Vec3, w: f32, h: f32, fp: f32) -> f32 {
    let u = if n.x.abs() > 0.5 { p.z } else { p.x };
    let (v, u) = if n.y.abs() > 0.5 {
        (p.z, p.x)
    } else {
        (p.y, u)
    };
    let row = (v / h).floor();
    let uu = u / w + 0.5 * (row as i32 & 1) as f32;
    let fu = (uu.rem_euclid(1.0) - 0.5).abs() * w;
    let fv = ((v / h).rem_euclid(1.0) - 0.5).abs() * h;
    let aa = fp.max(1e-4);
    let joint = smoothstep(0.5 * w - 0.012 - aa, 0.5 * w - 0.012 + aa, fu).max(smoothstep(
        0.5 * h - 0.012 - aa,
        0.5 * h - 0.012 + aa,
        fv,
    ));
    let far = smoothstep(0.05, 0.2, aa);
    1.0 - (joint + (0.1 - joint) * far)
}

fn brick(p: Vec3, n: Vec3, fp: f32) -> Vec3 {
    let j = blocks(p, n, 0.22, 0.065, fp);
    let tone = 0.8 + 0.4 * value3(p * 9.0, 71);
    Vec3::new(0.3, 0.09, 0.05) * tone * (0.55 + 0.45 * j)
}

/// Ngói mũi hài: overlapping tiles with pointed rounded ends, rows up the slope. `fp` is the
/// pixel footprint along the slope (stretched at grazing angles), `fu` across it.
fn roof_tiles(uv: Vec2, p: Vec3, fp: f32, fu_px: f32) -> Vec3 {
    let row_h = 0.13;
    let col_w = 0.17;
    let row = (uv.y / row_h).floor();
    let fv = (uv.y / row_h).rem_euclid(1.0);
    let shift = if (row as i32) & 1 == 1 { 0.5 } else { 0.0 };
    let cu = uv.x / col_w + shift;
    let col = cu.floor();
    let fu = cu.rem_euclid(1.0) - 0.5;
    let edge = 0.45 * (2.0 * fu.abs()).powf(1.6);
    let aa = (fp / row_h).max(1e-3);
    let under = 1.0 - smoothstep(edge - aa, edge + aa, fv); // seeing the tile below
    let far = smoothstep(0.1, 0.5, aa);
    let shade = 0.55 + 0.45 * (1.0 - under) * (0.85 + 0.15 * fv);
    let shade = shade + (0.8 - shade) * far;
    // Seen from afar the rows merge, but the ribs running down the slope stay.
    let ucol = uv.x / col_w;
    let rib_aa = (fu_px / col_w).max(1e-3);
    let rib = ((ucol.rem_euclid(1.0)) - 0.5).abs();
    let gap = smoothstep(0.5 - 0.12 - rib_aa, 0.5 - 0.12 + rib_aa, rib);
    let rib_far = smoothstep(0.15, 0.6, rib_aa);
    let gap = gap + (0.24 - gap) * rib_far;
    let shade = shade * (1.0 - 0.45 * gap * far);
    let var = hash2(col as i32, row as i32, 3);
    let var = var + (0.5 - var) * far;
    let colvar = hash2(ucol.floor() as i32, 0, 4);
    let var =
        var * (1.0 - far) + (0.3 + 0.4 * colvar) * far * (1.0 - rib_far) + 0.5 * far * rib_far;
    let base = Vec3::new(0.11, 0.058, 0.04).lerp(Vec3::new(0.065, 0.052, 0.046), var);
    let moss = smoothstep(0.55, 0.8, fbm3(p * 0.6, 4, 41));
    let soot = fbm3(p * 2.5, 3, 42);
    base.lerp(Vec3::new(0.05, 0.055, 0.035), moss * 0.45) * shade * (0.7 + 0.45 * soot)
}

/// Wooden door panels (bức bàn): stiles and rails, lattice in the upper part.
fn door_panel(l: Vec3, n: Vec3, fp: f32) -> Vec3 {
    let wood = Vec3::new(0.1, 0.05, 0.03);
    if n.y.abs() > 0.5 {
        return wood * 0.8;
    }
    let u = if n.x.abs() > 0.5 { l.z } else { l.x };
    let v = l.y;
    let aa = fp.max(1e-3);
    let panel_w = 0.72;
    let fu = ((u / panel_w).rem_euclid(1.0) - 0.5).abs() * panel_w;
    let stile = smoothstep(0.5 * panel_w - 0.06 - aa, 0.5 * panel_w - 0.06 + aa, fu);
    let mut c = wood * (0.85 + 0.15 * value3(Vec3::new(u * 30.0, v * 2.0, 0.0), 5));
    let rails = [-1.3, -0.3, 0.9];
    let mut rail: f32 = 0.0;
    for r in rails {
        rail = rail.max(1.0 - smoothstep(0.05 - aa, 0.05 + aa, (v - r).abs()));
    }
    if v > 0.9 {
        // Lattice: thin vertical bars with dark gaps.
        let fb = ((u / 0.07).rem_euclid(1.0) - 0.5).abs();
        let gap = smoothstep(0.25, 0.32, fb);
        let far = smoothstep(0.02, 0.06, aa);
        let gap = gap + (0.35 - gap) * far;
        c = c.lerp(Vec3::new(0.01, 0.006, 0.004), gap * 0.9);
    } else if v < -0.3 {
        // Raised panels.
        c *= 0.85;
    }
    c.lerp(wood * 1.25, stile.max(rail))
}

/// Red lacquer board (half sizes `bw` × `bh`) with a gold border and gold characters.
fn board(hit: &Hit, bw: f32, bh: f32, fp: f32) -> Vec3 {
    let red = Vec3::new(0.32, 0.02, 0.012);
    let gold = Vec3::new(0.62, 0.4, 0.1);
    let l = hit.local;
    // Boards face ±z (courtyard) in this scene.
    if hit.n.z.abs() < 0.5 {
        return red;
    }
    let (u, v) = (l.x, l.y);
    let border = (bw - u.abs()).min(bh - v.abs());
    if border < 0.045 {
        return gold;
    }
    let line = GlyphLine {
        count: 4,
        w: bw - 0.1,
        h: bh - 0.08,
        seed: 11,
        vertical: false,
    };
    if glyphs(u, v, line, fp) {
        gold
    } else {
        red
    }
}

fn seg_dist(p: Vec2, a: Vec2, b: Vec2) -> f32 {
    let pa = p - a;
    let ba = b - a;
    let h = (pa.dot(ba) / ba.dot(ba).max(1e-12)).clamp(0.0, 1.0);
    (pa - ba * h).length()
}

/// One made-up Hán-Nôm style character in [-1, 1]² (y up): a few horizontal, vertical and
/// falling strokes and small boxes on a coarse grid, chosen by hash.
fn glyph(p: Vec2, k: i32, seed: u32, sw: f32) -> bool {
    let h = |i: i32, j: i32| hash2(k * 97 + i, j, seed);
    let q = |x: f32| (x * 4.0).round() / 4.0; // snap to quarters
    let n = 6 + (h(0, 0) * 5.0) as i32;
    // Two components side by side or stacked, like a radical and a phonetic.
    let split = h(0, 1);
    for i in 1..=n {
        let (mut c0, mut c1) = (Vec2::splat(-1.0), Vec2::splat(1.0));
        if split < 0.45 {
            if i % 2 == 0 {
                c1.x = -0.35;
            } else {
                c0.x = -0.2;
            }
        } else if split < 0.8 {
            if i % 2 == 0 {
                c0.y = 0.15;
            } else {
                c1.y = 0.0;
            }
        }
        let at = |a: f32, b: f32| c0 + (c1 - c0) * Vec2::new(a, b);
        let kind = (h(i, 2) * 6.0) as i32;
        let (a, b) = (q(h(i, 3)), q(h(i, 4)));
        let len = 0.5 + 0.5 * h(i, 5);
        let d = match kind {
            0 | 1 => {
                let y = 0.1 + 0.8 * b;
                let x0 = 0.1 * a;
                seg_dist(p, at(x0, y), at((x0 + len).min(0.95), y))
            }
            2 | 3 => {
                let x = 0.1 + 0.8 * a;
                let y0 = 0.1 * b;
                seg_dist(p, at(x, (y0 + len).min(0.95)), at(x, y0))
            }
            4 => {
                // A small box (口).
                let c = at(0.3 + 0.4 * a, 0.3 + 0.4 * b);
                let r = (c1 - c0) * 0.18;
                let e = (p - c).abs() - r;
                e.max_element().abs().min(e.x.max(e.y).abs())
            }
            _ => {
                let top = at(0.3 + 0.4 * a, 0.85);
                let dir = if h(i, 6) > 0.5 { 1.0 } else { -1.0 };
                seg_dist(p, top, top + Vec2::new(dir * 0.45, -0.9) * (c1 - c0) * 0.5)
            }
        };
        if d < sw {
            return true;
        }
    }
    false
}

/// A line of made-up characters on a board of half size `w` × `h`: `count` of them across (or
/// down, when `vertical`), drawn with `seed`.
#[derive(Debug, Clone, Copy)]
pub struct GlyphLine {
    pub count: i32,
    pub w: f32,
    pub h: f32,
    pub seed: u32,
    pub vertical: bool,
}

/// True where the line of characters `g` is inked at (`u`, `v`), for a pixel footprint `fp`.
pub fn glyphs(u: f32, v: f32, g: GlyphLine, fp: f32) -> bool {
    let GlyphLine {
        count,
        w,
        h,
        seed,
        vertical,
    } = g;
    if u.abs() > w || v.abs() > h {
        return false;
    }
    let (along, across, len, thick) = if vertical {
        (h - v, u, 2.0 * h, 2.0 * w)
    } else {
        (u + w, v, 2.0 * w, 2.0 * h)
    };
    let cell = len / count as f32;
    let k = (along / cell).floor() as i32;
    let ca = along / cell - k as f32 - 0.5;
    let size = cell.min(thick) * 0.42;
    let x = if vertical {
        across / size
    } else {
        ca * cell / size
    };
    let y = if vertical {
        -ca * cell / size
    } else {
        across / size
    };
    if x.abs() > 1.0 || y.abs() > 1.0 {
        return false;
    }
    let sw = (0.085f32).max(0.6 * fp / size);
    glyph(Vec2::new(x, y), k, seed, sw)
}

/// The stele: grey stone, the front engraved with columns of characters under a title band.
fn stele(hit: &Hit, fp: f32) -> Vec3 {
    let stone = Vec3::new(0.2, 0.205, 0.21) * (0.8 + 0.3 * fbm3(hit.local * 5.0, 4, 33));
    let l = hit.local;
    // Only the slab's front (local +z, half sizes 0.45 × 0.78) carries text.
    let on_front = l.z > 0.099;
    if !on_front {
        return stone;
    }
    let (u, v) = (l.x, l.y);
    let margin = (0.45 - u.abs()).min(0.78 - v.abs());
    if margin < 0.05 {
        // Carved border.
        let f = ((u + v) * 40.0).sin() * 0.5 + 0.5;
        return stone * (0.8 + 0.2 * f);
    }
    if v > 0.5 {
        // Title band with a round medallion.
        let r = Vec2::new(u, v - 0.62).length();
        if r < 0.1 {
            return stone * 0.7;
        }
        return stone * 0.9;
    }
    let far = smoothstep(0.004, 0.012, fp);
    // Columns of small characters, read top to bottom.
    let col_w = 0.068;
    let row_h = 0.068;
    let cx = ((u + 0.374) / col_w).floor();
    let cy = ((0.46 - v) / row_h).floor();
    if !(0.0..11.0).contains(&cx) || !(0.0..17.0).contains(&cy) {
        return stone;
    }
    let fu = ((u + 0.374) / col_w).rem_euclid(1.0) - 0.5;
    let fv = ((0.46 - v) / row_h).rem_euclid(1.0) - 0.5;
    let ink = if fu.abs() < 0.35 && fv.abs() < 0.35 {
        let cell = hash2(
            cx as i32 * 4 + (fu * 4.0 + 2.0) as i32,
            cy as i32 * 4 + (fv * 4.0 + 2.0) as i32,
            9,
        );
        if cell > 0.45 {
            1.0
        } else {
            0.0
        }
    } else {
        0.0
    };
    // From afar the characters merge into blocks of uneven density.
    let density = 0.25 + 0.3 * hash2(cx as i32, cy as i32, 10);
    let block = if fu.abs() < 0.4 && fv.abs() < 0.4 {
        density
    } else {
        0.0
    };
    let ink = ink + (block - ink) * far;
    stone * (1.0 - 0.45 * ink)
}

impl Panorama for SanDinh {
    fn sample(&self, d: Vec3) -> (Vec3, u32) {
        let ray = Ray::new(EYE, d);
        let Some(hit) = self.scene.trace(&ray, 2000.0) else {
            return (self.sky(d), u32::MAX);
        };
        let p = ray.at(hit.t);
        let mut n = if hit.n.dot(d) > 0.0 { -hit.n } else { hit.n };
        // Footprint of a pixel on the surface (4096 columns), stretched at grazing angles.
        let pix = 2.0 * PI / 4096.0;
        let fp0 = hit.t * pix;
        let fp = fp0 / n.dot(-d).max(0.08);
        let (albedo, spec, emit) = self.material(&hit, p, &mut n, fp, fp0);

        let lit = n.dot(self.sun).max(0.0);
        let origin = p + n * 0.003;
        let shadow = if lit > 0.0 && !self.scene.occluded(&Ray::new(origin, self.sun), 500.0) {
            1.0
        } else {
            0.0
        };
        let sun_col = Vec3::new(1.0, 0.9, 0.76) * 3.3;
        let sky_col = Vec3::new(0.36, 0.48, 0.7);
        let bounce = Vec3::new(0.42, 0.3, 0.22) * 0.75;
        let vis = self.sky_visibility(p);
        let ao = if hit.t < 60.0 {
            self.scene.contact_ao(p, n, 0.5, 0.9)
        } else {
            1.0
        };
        // Sky light through what the roofs leave open; light bounced off the sunny courtyard,
        // which also reaches under the eaves.
        let ambient = (sky_col * (0.55 + 0.45 * n.y) * vis + bounce * (0.5 - 0.45 * n.y)) * ao;
        // Warm light inside the hall, from lamps and candles.
        let inside = p.z < DOOR_Z && p.z > BACK_Z - 0.2 && p.x.abs() < 11.0 && p.y > 0.3;
        let interior = if inside {
            let lamp = Vec3::new(0.0, 3.4, DOOR_Z - 2.2);
            let to = lamp - p;
            let dist2 = to.length_squared();
            Vec3::new(1.0, 0.55, 0.22)
                * (0.7 * n.dot(to.normalize_or(Vec3::Y)).max(0.0) / (1.0 + dist2 * 0.25) + 0.02)
        } else {
            Vec3::ZERO
        };
        let mut c = albedo * (sun_col * lit * shadow + ambient + interior) + emit;
        if spec > 0.0 && shadow > 0.0 {
            let hv = (self.sun - d).normalize_or(Vec3::Y);
            c += sun_col * spec * 0.25 * n.dot(hv).max(0.0).powf(60.0);
        }
        // Sky reflection on glossy lacquer.
        if spec > 0.2 {
            let r = d - 2.0 * d.dot(n) * n;
            c += sky_col * spec * 0.08 * vis * r.y.max(0.0);
        }
        // Aerial perspective.
        let fog = 1.0 - (-hit.t / 420.0).exp();
        let c = c.lerp(Vec3::new(0.55, 0.63, 0.75), fog);
        let id = if hit.id == GROUND_ID {
            GROUND_ID
        } else {
            hit.id
        };
        (c, id)
    }

    fn exposure(&self) -> f32 {
        0.85
    }
}
