//! Assembly of the Sân đình scene: the đình hall on its platform (columns, facade, interior,
//! ridge ornament), the stele pavilion, the gate, the walls and pillars, the trees, and the
//! hotspot targets.

use super::{
    SanDinh, Targets, BACK_Z, COL_X, DOOR_Z, FRONT_Z, HALL_Z, M_BEAM, M_BOARD, M_BOARD2, M_BRICK,
    M_COLUMN, M_DARK, M_DOOR, M_GILT, M_GOLD, M_GROUND, M_LACQUER, M_LAMP, M_LEAF, M_PALM,
    M_PLASTER, M_PLATFORM, M_PLINTH, M_RIDGE, M_ROOF, M_SLAB, M_STELE, M_STONE, M_TRUNK, M_WALLCAP,
    PLAT_TOP, STELE_DIST, STELE_MID, STELE_YAW,
};
use crate::noise::hash2;
use crate::roof::Roof;
use crate::rt::{Scene, Shape};
use glam::Vec3;
use std::f32::consts::PI;

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
            let mut mb = crate::rt::MeshBuilder::default();
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
        let sun = crate::pano::direction(sun_yaw, sun_pitch);

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
}
