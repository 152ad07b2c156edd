//! Scene 2, "Hậu cung": inside the hall. Wooden floor, red lacquered columns, a dark beamed
//! ceiling, the gilded altar ahead (yaw 0), the bronze drum on a low stand at yaw 40°, lacquer
//! boards, lanterns, weapon racks; sunlight through the doors behind, warm candle light.

use super::drum;
use super::noise::{fbm3, hash2, smoothstep, value3};
use super::pano::Panorama;
use super::rt::{Hit, MeshBuilder, Ray, Scene, Shape};
use super::san_dinh::{glyphs, GlyphLine};
use glam::{Vec2, Vec3};
use std::f32::consts::PI;

/// Eye height above the floor.
pub const EYE: Vec3 = Vec3::new(0.0, 1.6, 0.0);

const M_FLOOR: u16 = 1;
const M_CEIL: u16 = 2;
const M_WALL: u16 = 3;
const M_COLUMN: u16 = 4;
const M_PLINTH: u16 = 5;
const M_BEAM: u16 = 6;
const M_GOLD: u16 = 7;
const M_LACQUER: u16 = 8;
const M_SHRINE: u16 = 9;
const M_BOARD: u16 = 10;
const M_COUPLET: u16 = 11;
const M_BRONZE: u16 = 12;
const M_FLAME: u16 = 13;
const M_LANTERN: u16 = 14;
const M_DRUM: u16 = 15;
const M_STAND: u16 = 16;
const M_DAIS: u16 = 17;
const M_FRUIT: u16 = 18;
const M_POLE: u16 = 19;
const M_ALTAR: u16 = 20;

const ROOM_X: f32 = 8.5;
const BACK_Z: f32 = -7.2;
const FRONT_Z: f32 = 6.4;
const CEIL_Y: f32 = 5.4;
const COL_X: [f32; 4] = [-5.6, -2.4, 2.4, 5.6];
const COL_Z: [f32; 3] = [-5.2, -1.4, 2.6];

/// The drum: yaw 40°, 2.9 m away, on a stand 0.24 m high.
const DRUM_YAW: f32 = 40.0;
const DRUM_DIST: f32 = 2.9;
const STAND_H: f32 = 0.24;

/// Hotspot targets (world positions).
pub struct Targets {
    /// The drum's body, on its axis at mid height.
    pub drum: Vec3,
    /// The altar.
    pub altar: Vec3,
    /// The door to the courtyard.
    pub door: Vec3,
}

/// The interior scene.
pub struct HauCung {
    scene: Scene,
    drum_tex: Vec<Vec3>,
    sun: Vec3,
    lights: Vec<(Vec3, Vec3, bool)>,
    /// Hotspot targets.
    pub targets: Targets,
}

fn drum_base() -> Vec3 {
    let a = DRUM_YAW.to_radians();
    Vec3::new(a.sin() * DRUM_DIST, STAND_H, -a.cos() * DRUM_DIST)
}

impl HauCung {
    /// Builds the interior; `drum_base_colour` is the drum's sRGB base colour texture.
    pub fn new(drum_base_colour: &[u8]) -> Self {
        let mut s = Scene::default();
        let bx = |s: &mut Scene, a: Vec3, b: Vec3, m: u16| {
            s.add(Shape::minmax(a.min(b), a.max(b)), m);
        };
        // Shell.
        bx(
            &mut s,
            Vec3::new(-ROOM_X, -0.2, BACK_Z),
            Vec3::new(ROOM_X, 0.0, FRONT_Z),
            M_FLOOR,
        );
        bx(
            &mut s,
            Vec3::new(-ROOM_X, CEIL_Y, BACK_Z),
            Vec3::new(ROOM_X, CEIL_Y + 0.2, FRONT_Z),
            M_CEIL,
        );
        bx(
            &mut s,
            Vec3::new(-ROOM_X, 0.0, BACK_Z - 0.2),
            Vec3::new(ROOM_X, CEIL_Y, BACK_Z),
            M_WALL,
        );
        for sx in [-1.0f32, 1.0] {
            bx(
                &mut s,
                Vec3::new(sx * ROOM_X, 0.0, BACK_Z),
                Vec3::new(sx * (ROOM_X + 0.2), CEIL_Y, FRONT_Z),
                M_WALL,
            );
        }
        // Front wall with three doors.
        let fz = (FRONT_Z, FRONT_Z + 0.2);
        for (x0, x1, y0) in [
            (-ROOM_X, -6.0, 0.0),
            (-3.6, -1.4, 0.0),
            (1.4, 3.6, 0.0),
            (6.0, ROOM_X, 0.0),
            (-6.0, -3.6, 3.0),
            (-1.4, 1.4, 3.2),
            (3.6, 6.0, 3.0),
        ] {
            bx(
                &mut s,
                Vec3::new(x0, y0, fz.0),
                Vec3::new(x1, CEIL_Y, fz.1),
                M_WALL,
            );
        }
        // Door leaves opened inwards.
        for (x, w) in [
            (-1.4, 1.0),
            (1.4, -1.0),
            (-6.0, 1.0),
            (-3.6, -1.0),
            (3.6, 1.0),
            (6.0, -1.0),
        ] {
            let x = x + w * 0.04;
            bx(
                &mut s,
                Vec3::new(x - 0.04, 0.02, FRONT_Z - 1.3),
                Vec3::new(x + 0.04, 3.0, FRONT_Z),
                M_WALL,
            );
        }
        s.group();

        // Columns and beams.
        for z in COL_Z {
            for x in COL_X {
                let r = if x.abs() < 3.0 { 0.26 } else { 0.22 };
                s.add(
                    Shape::Cyl {
                        c: Vec3::new(x, 0.0, z),
                        r: r + 0.1,
                        h: 0.14,
                    },
                    M_PLINTH,
                );
                s.add(
                    Shape::Cyl {
                        c: Vec3::new(x, 0.14, z),
                        r,
                        h: CEIL_Y - 0.14,
                    },
                    M_COLUMN,
                );
            }
            bx(
                &mut s,
                Vec3::new(-ROOM_X, 4.55, z - 0.17),
                Vec3::new(ROOM_X, 5.0, z + 0.17),
                M_BEAM,
            );
            s.group();
        }
        for x in COL_X {
            bx(
                &mut s,
                Vec3::new(x - 0.15, 5.0, BACK_Z),
                Vec3::new(x + 0.15, CEIL_Y, FRONT_Z),
                M_BEAM,
            );
        }
        // Couplet boards on the two columns flanking the altar.
        for x in [-2.4f32, 2.4] {
            let z = COL_Z[0] + 0.26;
            bx(
                &mut s,
                Vec3::new(x - 0.17, 1.0, z - 0.03),
                Vec3::new(x + 0.17, 4.3, z + 0.04),
                M_COUPLET,
            );
        }
        s.group();

        // Altar: dais, shrine (khám), table (hương án), board above.
        bx(
            &mut s,
            Vec3::new(-3.2, 0.0, BACK_Z),
            Vec3::new(3.2, 0.22, -4.9),
            M_DAIS,
        );
        bx(
            &mut s,
            Vec3::new(-1.05, 0.22, -7.15),
            Vec3::new(1.05, 2.9, -6.25),
            M_SHRINE,
        );
        bx(
            &mut s,
            Vec3::new(-1.25, 2.9, -7.2),
            Vec3::new(1.25, 3.15, -6.1),
            M_GOLD,
        );
        bx(
            &mut s,
            Vec3::new(-0.8, 3.15, -7.15),
            Vec3::new(0.8, 3.45, -6.3),
            M_GOLD,
        );
        bx(
            &mut s,
            Vec3::new(-1.4, 0.22, -6.05),
            Vec3::new(1.4, 1.15, -5.2),
            M_ALTAR,
        );
        bx(
            &mut s,
            Vec3::new(-1.5, 1.15, -6.1),
            Vec3::new(1.5, 1.22, -5.15),
            M_GOLD,
        );
        bx(
            &mut s,
            Vec3::new(-1.9, 3.55, BACK_Z),
            Vec3::new(1.9, 4.35, BACK_Z + 0.1),
            M_BOARD,
        );
        // Incense burner, candlesticks, fruit stands.
        let tz = -5.62;
        s.add(
            Shape::Cyl {
                c: Vec3::new(0.0, 1.22, tz),
                r: 0.12,
                h: 0.09,
            },
            M_BRONZE,
        );
        s.add(
            Shape::ell(Vec3::new(0.0, 1.43, tz), Vec3::new(0.21, 0.16, 0.21), 0.0),
            M_BRONZE,
        );
        s.add(Shape::sphere(Vec3::new(0.0, 1.62, tz), 0.08), M_BRONZE);
        for sx in [-1.0f32, 1.0] {
            let x = sx * 0.68;
            s.add(
                Shape::Cyl {
                    c: Vec3::new(x, 1.22, tz),
                    r: 0.09,
                    h: 0.05,
                },
                M_BRONZE,
            );
            s.add(
                Shape::Cyl {
                    c: Vec3::new(x, 1.22, tz),
                    r: 0.032,
                    h: 0.5,
                },
                M_BRONZE,
            );
            s.add(
                Shape::Cyl {
                    c: Vec3::new(x, 1.72, tz),
                    r: 0.065,
                    h: 0.035,
                },
                M_BRONZE,
            );
            s.add(
                Shape::Cyl {
                    c: Vec3::new(x, 1.755, tz),
                    r: 0.022,
                    h: 0.12,
                },
                M_LACQUER,
            );
            s.add(
                Shape::ell(Vec3::new(x, 1.92, tz), Vec3::new(0.018, 0.04, 0.018), 0.0),
                M_FLAME,
            );
            let fx = sx * 1.12;
            s.add(
                Shape::Cyl {
                    c: Vec3::new(fx, 1.22, tz),
                    r: 0.045,
                    h: 0.2,
                },
                M_LACQUER,
            );
            s.add(
                Shape::Cyl {
                    c: Vec3::new(fx, 1.42, tz),
                    r: 0.17,
                    h: 0.03,
                },
                M_GOLD,
            );
            for k in 0..4 {
                let a = k as f32 * PI / 2.0 + 0.4;
                s.add(
                    Shape::sphere(
                        Vec3::new(fx + a.cos() * 0.08, 1.5, tz + a.sin() * 0.08),
                        0.065,
                    ),
                    M_FRUIT,
                );
            }
            s.add(Shape::sphere(Vec3::new(fx, 1.6, tz), 0.065), M_FRUIT);
        }
        s.group();
        // Cranes standing on turtles (hạc chầu) either side of the altar.
        for sx in [-1.0f32, 1.0] {
            let x = sx * 2.05;
            let z = -5.5;
            s.add(
                Shape::ell(Vec3::new(x, 0.33, z), Vec3::new(0.28, 0.12, 0.36), 0.0),
                M_BRONZE,
            );
            s.add(Shape::sphere(Vec3::new(x, 0.32, z + 0.4), 0.08), M_BRONZE);
            for lx in [-0.06, 0.06] {
                s.add(
                    Shape::Cyl {
                        c: Vec3::new(x + lx, 0.4, z),
                        r: 0.022,
                        h: 0.72,
                    },
                    M_BRONZE,
                );
            }
            s.add(
                Shape::ell(
                    Vec3::new(x, 1.22, z - 0.02),
                    Vec3::new(0.15, 0.17, 0.27),
                    0.0,
                ),
                M_BRONZE,
            );
            let mut mb = MeshBuilder::default();
            let neck: Vec<Vec3> = (0..=16)
                .map(|k| {
                    let t = k as f32 / 16.0;
                    Vec3::new(
                        x,
                        1.3 + 0.85 * t,
                        z + 0.18 + 0.12 * (PI * t).sin() - 0.05 * t,
                    )
                })
                .collect();
            mb.tube(&neck, &|t| 0.045 - 0.015 * t, 8);
            let beak = [Vec3::new(x, 2.16, z + 0.15), Vec3::new(x, 2.13, z + 0.42)];
            mb.tube(&beak, &|t| 0.02 * (1.0 - 0.8 * t), 6);
            s.add(Shape::Mesh(mb.build()), M_BRONZE);
            s.add(Shape::sphere(Vec3::new(x, 2.16, z + 0.13), 0.055), M_BRONZE);
        }
        s.group();

        // Weapon racks (bát bửu) along the side walls.
        for sx in [-1.0f32, 1.0] {
            let x = sx * 7.7;
            bx(
                &mut s,
                Vec3::new(x - 0.2, 0.0, -4.6),
                Vec3::new(x + 0.2, 0.35, -2.4),
                M_LACQUER,
            );
            bx(
                &mut s,
                Vec3::new(x - 0.06, 1.5, -4.6),
                Vec3::new(x + 0.06, 1.6, -2.4),
                M_LACQUER,
            );
            for k in 0..8 {
                let z = -4.45 + k as f32 * 0.27;
                s.add(
                    Shape::Cyl {
                        c: Vec3::new(x, 0.35, z),
                        r: 0.022,
                        h: 1.8,
                    },
                    M_POLE,
                );
                let tip = Vec3::new(x, 2.3, z);
                let shape = match k % 3 {
                    0 => Shape::ell(tip, Vec3::new(0.03, 0.16, 0.09), 0.0),
                    1 => Shape::ell(tip, Vec3::new(0.03, 0.12, 0.12), 0.0),
                    _ => Shape::ell(tip, Vec3::new(0.05, 0.18, 0.05), 0.0),
                };
                s.add(shape, M_GOLD);
            }
            s.group();
        }

        // Lanterns hanging from the beams.
        let mut lights = Vec::new();
        for (x, z) in [(-4.0, -1.4), (4.0, -1.4), (-4.0, 2.6), (4.0, 2.6)] {
            let c = Vec3::new(x, 3.45, z);
            s.add(Shape::ell(c, Vec3::new(0.22, 0.3, 0.22), 0.0), M_LANTERN);
            s.add(
                Shape::Cyl {
                    c: c + Vec3::new(0.0, 0.26, 0.0),
                    r: 0.11,
                    h: 0.07,
                },
                M_GOLD,
            );
            s.add(
                Shape::Cyl {
                    c: c - Vec3::new(0.0, 0.33, 0.0),
                    r: 0.11,
                    h: 0.07,
                },
                M_GOLD,
            );
            s.add(
                Shape::Cyl {
                    c: c + Vec3::new(0.0, 0.33, 0.0),
                    r: 0.008,
                    h: 4.55 - 3.78,
                },
                M_POLE,
            );
            s.group();
            lights.push((c, Vec3::new(1.0, 0.35, 0.12) * 0.9, false));
        }
        // Candle light on the altar (with shadows), daylight bounced from the doors and windows.
        lights.push((
            Vec3::new(0.0, 2.0, -5.35),
            Vec3::new(1.0, 0.58, 0.25) * 2.6,
            true,
        ));
        lights.push((
            Vec3::new(0.0, 2.6, 4.6),
            Vec3::new(0.9, 0.85, 0.75) * 4.0,
            false,
        ));
        lights.push((
            Vec3::new(-4.8, 2.6, 4.6),
            Vec3::new(0.9, 0.85, 0.75) * 2.5,
            false,
        ));
        lights.push((
            Vec3::new(4.8, 2.6, 4.6),
            Vec3::new(0.9, 0.85, 0.75) * 2.5,
            false,
        ));
        lights.push((
            Vec3::new(-7.6, 1.9, 0.0),
            Vec3::new(0.8, 0.8, 0.78) * 1.5,
            false,
        ));
        lights.push((
            Vec3::new(7.6, 1.9, 0.0),
            Vec3::new(0.8, 0.8, 0.78) * 1.5,
            false,
        ));

        // The drum on its stand.
        let base = drum_base();
        let floor_pos = Vec3::new(base.x, 0.0, base.z);
        s.add(
            Shape::Cyl {
                c: floor_pos + Vec3::Y * 0.17,
                r: 0.46,
                h: STAND_H - 0.17,
            },
            M_STAND,
        );
        for k in 0..4 {
            let a = PI / 4.0 + k as f32 * PI / 2.0;
            s.add(
                Shape::Cyl {
                    c: floor_pos + Vec3::new(a.cos() * 0.36, 0.0, a.sin() * 0.36),
                    r: 0.045,
                    h: 0.17,
                },
                M_STAND,
            );
        }
        let mesh = drum::build_mesh();
        let yaw = -DRUM_YAW.to_radians();
        let (cs, sn) = (yaw.cos(), yaw.sin());
        let mut mb = MeshBuilder::default();
        for i in 0..mesh.pos.len() {
            mb.vertex(
                base + Shape::to_world(cs, sn, mesh.pos[i]),
                Shape::to_world(cs, sn, mesh.nrm[i]),
                mesh.uv[i],
            );
        }
        mb.tris = mesh.tris.clone();
        s.add(Shape::Mesh(mb.build()), M_DRUM);
        s.group();

        let sun = Vec3::new(0.3, 1.0, 0.8).normalize();
        let targets = Targets {
            drum: base + Vec3::Y * 0.36,
            altar: Vec3::new(0.0, 1.5, -6.0),
            door: Vec3::new(0.0, 1.5, FRONT_Z),
        };
        HauCung {
            scene: s,
            drum_tex: drum::linear_texture(drum_base_colour),
            sun,
            lights,
            targets,
        }
    }

    /// Daylight seen through the doors: the bright courtyard.
    fn outside(&self, d: Vec3) -> Vec3 {
        if d.y > 0.08 {
            Vec3::new(0.75, 0.85, 1.0) * 2.2
        } else {
            Vec3::new(1.1, 0.7, 0.5) * (1.6 + 2.0 * d.y.max(0.0))
        }
    }

    /// Albedo, glossiness (0..1), emission.
    fn material(&self, hit: &Hit, p: Vec3, n: Vec3, fp: f32) -> (Vec3, f32, Vec3) {
        let none = Vec3::ZERO;
        let gold = Vec3::new(0.6, 0.38, 0.1);
        let red = Vec3::new(0.3, 0.018, 0.01);
        match hit.mat {
            M_FLOOR => {
                // Planks along z, 0.24 m wide, staggered ends.
                let w = 0.24;
                let k = (p.x / w).floor();
                let fu = ((p.x / w).rem_euclid(1.0) - 0.5).abs();
                let len = 2.4;
                let off = hash2(k as i32, 0, 5) * len;
                let fz = (((p.z + off) / len).rem_euclid(1.0) - 0.5).abs();
                let aa = (fp / w).max(1e-3);
                let seam = smoothstep(0.5 - 0.02 - aa, 0.5 - 0.02 + aa, fu).max(smoothstep(
                    0.5 - 0.004 - aa * w / len,
                    0.5,
                    fz,
                ));
                let far = smoothstep(0.1, 0.4, aa);
                let seam = seam + (0.08 - seam) * far;
                let tone = hash2(k as i32, ((p.z + off) / len).floor() as i32, 9);
                let grain = fbm3(Vec3::new(p.x * 30.0, 0.0, p.z * 2.0), 3, 4);
                let c = Vec3::new(0.11, 0.05, 0.025) * (0.75 + 0.35 * tone + 0.3 * grain);
                (c * (1.0 - 0.6 * seam), 0.38 * (1.0 - seam), none)
            }
            M_CEIL => {
                let f = ((p.x / 0.3).rem_euclid(1.0) - 0.5).abs();
                let c = Vec3::new(0.07, 0.035, 0.02) * (0.7 + 0.3 * smoothstep(0.35, 0.5, f));
                (c, 0.0, none)
            }
            M_WALL => {
                // Dark wooden panels; lattice windows on the side walls let daylight through.
                let (u, v) = if n.x.abs() > 0.5 {
                    (p.z, p.y)
                } else {
                    (p.x, p.y)
                };
                let panel = ((u / 1.2).rem_euclid(1.0) - 0.5).abs();
                let mut c = Vec3::new(0.1, 0.045, 0.025)
                    * (0.8 + 0.3 * value3(Vec3::new(u * 20.0, v, 0.0), 2));
                c *= 0.8 + 0.2 * smoothstep(0.44, 0.47, panel);
                let window = n.x.abs() > 0.5
                    && p.x.abs() > ROOM_X - 0.01
                    && (1.0..2.7).contains(&v)
                    && ((-4.2..-1.6).contains(&u) || (0.6..3.2).contains(&u));
                if window {
                    let lu = ((u / 0.16).rem_euclid(1.0) - 0.5).abs();
                    let lv = ((v / 0.16).rem_euclid(1.0) - 0.5).abs();
                    let bar = smoothstep(0.3, 0.36, lu.max(lv));
                    let far = smoothstep(0.01, 0.04, fp);
                    let open = (1.0 - bar) + (0.45 - (1.0 - bar)) * far;
                    return (c, 0.0, Vec3::new(1.0, 0.95, 0.85) * 2.0 * open);
                }
                (c, 0.05, none)
            }
            M_COLUMN => {
                let grain = value3(Vec3::new(p.x * 12.0, p.y * 0.6, p.z * 12.0), 3);
                let mut c = Vec3::new(0.34, 0.025, 0.012) * (0.85 + 0.25 * grain);
                // Gilded bands near the top.
                if (3.9..4.05).contains(&p.y) || (4.25..4.3).contains(&p.y) {
                    c = gold;
                }
                (c, 0.75, none)
            }
            M_PLINTH => (
                Vec3::splat(0.17) * (0.8 + 0.3 * fbm3(p * 6.0, 3, 9)),
                0.1,
                none,
            ),
            M_BEAM => {
                let c = Vec3::new(0.09, 0.04, 0.022)
                    * (0.8 + 0.3 * value3(p * Vec3::new(2.0, 20.0, 2.0), 4));
                (c, 0.2, none)
            }
            M_GOLD => {
                let g = fbm3(p * 25.0, 3, 17);
                (gold * (0.7 + 0.5 * g), 0.9, none)
            }
            M_LACQUER => (red * 0.9, 0.8, none),
            M_SHRINE => {
                let l = hit.local;
                if n.z < 0.5 {
                    return (gold * 0.8, 0.85, none);
                }
                // Gilded frame, carved lattice of gold over red in the panels.
                let (u, v) = (l.x, l.y);
                let frame = (1.05 - u.abs()).min(1.34 - v.abs());
                if frame < 0.1 || (u.abs() < 0.05) {
                    return (gold, 0.9, none);
                }
                // Diamond lattice of gilded carving with rosettes, a medallion in each leaf.
                let k = 7.0;
                let a = ((u + v) * k).rem_euclid(1.0) - 0.5;
                let b = ((u - v) * k).rem_euclid(1.0) - 0.5;
                let line = a.abs().min(b.abs());
                let rosette = Vec2::new(a, b).length();
                let leaf_c = Vec2::new(u.abs() - 0.52, v - 0.2).length();
                let aa = (fp * k).max(0.02);
                let mut g = 1.0 - smoothstep(0.06 - aa, 0.06 + aa, line);
                g = g.max(1.0 - smoothstep(0.16 - aa, 0.16 + aa, rosette));
                g = g.max(1.0 - smoothstep(0.02, 0.04, (leaf_c - 0.3).abs()));
                if leaf_c < 0.26 {
                    g = 0.85;
                }
                let far = smoothstep(0.015, 0.04, fp);
                let g = g + (0.45 - g) * far;
                (red.lerp(gold, g), 0.85, none)
            }
            M_ALTAR => {
                let l = hit.local;
                if n.z < 0.5 {
                    return (red, 0.8, none);
                }
                let (u, v) = (l.x, l.y);
                let frame = (1.4 - u.abs()).min(0.465 - v.abs());
                let panel = ((u / 0.7).rem_euclid(1.0) - 0.5).abs();
                if frame < 0.06 || panel > 0.46 {
                    return (gold, 0.9, none);
                }
                // Carved scrolls: gold ridges of a wavy pattern.
                let q = Vec2::new(u, v) * 11.0;
                let wave =
                    (q.x + 0.9 * (q.y * 1.7).sin()).sin() * (q.y * 2.2 + 0.6 * q.x.sin()).cos();
                let aa = (fp * 11.0).max(0.05);
                let g = 1.0 - smoothstep(0.12 - aa, 0.12 + aa, wave.abs());
                let far = smoothstep(0.015, 0.04, fp);
                let g = g + (0.35 - g) * far;
                (red.lerp(gold, g * 0.9), 0.8, none)
            }
            M_BOARD | M_COUPLET => {
                let l = hit.local;
                let (base, bw, bh) = if hit.mat == M_BOARD {
                    (red, 1.9, 0.4)
                } else {
                    (Vec3::new(0.02, 0.015, 0.012), 0.17, 1.65)
                };
                if n.z < 0.5 {
                    return (base, 0.8, none);
                }
                let (u, v) = (l.x, l.y);
                if (bw - u.abs()).min(bh - v.abs()) < 0.05 {
                    return (gold, 0.9, none);
                }
                let line = if hit.mat == M_BOARD {
                    GlyphLine {
                        count: 4,
                        w: bw - 0.14,
                        h: bh - 0.1,
                        seed: 23,
                        vertical: false,
                    }
                } else {
                    GlyphLine {
                        count: 7,
                        w: bw - 0.05,
                        h: bh - 0.1,
                        seed: 29 + (p.x > 0.0) as u32,
                        vertical: true,
                    }
                };
                let text = glyphs(u, v, line, fp);
                (if text { gold } else { base }, 0.85, none)
            }
            M_BRONZE => {
                let pat = smoothstep(0.55, 0.75, fbm3(p * 12.0, 4, 8));
                let c = Vec3::new(0.32, 0.2, 0.08).lerp(Vec3::new(0.1, 0.18, 0.13), pat * 0.6);
                (c, 0.7, none)
            }
            M_FLAME => (Vec3::ONE, 0.0, Vec3::new(6.0, 3.0, 0.8)),
            M_LANTERN => {
                let rib = ((hit.local.x.atan2(hit.local.z) * 8.0 / PI).rem_euclid(1.0) - 0.5).abs();
                let glow = Vec3::new(0.9, 0.13, 0.035) * (0.6 + 0.4 * smoothstep(0.1, 0.4, rib));
                (Vec3::new(0.4, 0.03, 0.02), 0.2, glow)
            }
            M_DRUM => {
                let c = drum::sample_linear(&self.drum_tex, hit.uv);
                (c * 0.9, 0.75, none)
            }
            M_STAND => (Vec3::new(0.08, 0.035, 0.02), 0.5, none),
            M_DAIS => (Vec3::new(0.12, 0.05, 0.03), 0.4, none),
            M_FRUIT => {
                let h = hash2((p.x * 40.0) as i32, (p.z * 40.0) as i32, 3);
                let c = if h > 0.5 {
                    Vec3::new(0.6, 0.25, 0.02)
                } else {
                    Vec3::new(0.25, 0.4, 0.04)
                };
                (c, 0.4, none)
            }
            M_POLE => (Vec3::new(0.25, 0.02, 0.01), 0.5, none),
            _ => (Vec3::splat(0.5), 0.0, none),
        }
    }

    fn shade(&self, ray: &Ray, depth: u32) -> (Vec3, u32) {
        let d = ray.d;
        let Some(hit) = self.scene.trace(ray, 200.0) else {
            return (self.outside(d), u32::MAX);
        };
        let p = ray.at(hit.t);
        let n = if hit.n.dot(d) > 0.0 { -hit.n } else { hit.n };
        let pix = 2.0 * PI / 4096.0;
        let fp = hit.t * pix / n.dot(-d).max(0.08);
        let (albedo, gloss, emit) = self.material(&hit, p, n, fp);
        let origin = p + n * 0.003;

        // Sunlight through the doors.
        let mut light = Vec3::ZERO;
        let lit = n.dot(self.sun);
        if lit > 0.0 && !self.scene.occluded(&Ray::new(origin, self.sun), 100.0) {
            light += Vec3::new(1.0, 0.9, 0.72) * 3.0 * lit;
        }
        let mut spec = Vec3::ZERO;
        for &(lp, col, shadowed) in &self.lights {
            let to = lp - p;
            let dist2 = to.length_squared();
            let l = to / dist2.sqrt();
            let ndl = n.dot(l);
            if ndl <= 0.0 {
                continue;
            }
            if shadowed
                && self
                    .scene
                    .occluded(&Ray::new(origin, l), dist2.sqrt() - 0.1)
            {
                continue;
            }
            let e = col / (1.0 + dist2 * 0.6);
            light += e * ndl;
            if gloss > 0.0 {
                let h = (l - d).normalize_or(n);
                spec += e * gloss * n.dot(h).max(0.0).powf(40.0 * gloss + 8.0) * 0.6;
            }
        }
        let ao = self.scene.contact_ao(p, n, 0.8, 0.8);
        let ambient = Vec3::new(0.11, 0.075, 0.05) * ao * (0.7 + 0.3 * n.y.abs());
        let metal = matches!(hit.mat, M_GOLD | M_BRONZE | M_DRUM);
        let mut c = if metal {
            albedo * (light * 0.45 + ambient * 1.5) + spec * albedo * 3.0
        } else {
            albedo * (light + ambient) + spec * 0.5
        };
        c += emit;
        // Reflections on the polished floor and lacquer.
        if depth == 0 && gloss > 0.3 && (hit.mat == M_FLOOR || metal || hit.mat == M_COLUMN) {
            let r = d - 2.0 * d.dot(n) * n;
            let cos = n.dot(-d).clamp(0.0, 1.0);
            let fresnel = 0.04 + 0.96 * (1.0 - cos).powi(5);
            let k = match hit.mat {
                M_DRUM => 0.12 * (albedo.x / (albedo.y + 1e-3)).clamp(0.0, 1.5),
                _ if metal => 0.3,
                _ => fresnel * gloss,
            };
            if k > 0.01 {
                let (rc, _) = self.shade(&Ray::new(origin, r), 1);
                let tint = if metal { albedo * 2.0 } else { Vec3::ONE };
                c += rc * tint * k;
            }
        }
        // Faint incense haze.
        let haze = 1.0 - (-hit.t / 60.0).exp();
        (c.lerp(Vec3::new(0.09, 0.06, 0.04), haze), hit.id)
    }
}

impl Panorama for HauCung {
    fn sample(&self, d: Vec3) -> (Vec3, u32) {
        self.shade(&Ray::new(EYE, d), 0)
    }

    fn exposure(&self) -> f32 {
        1.15
    }
}
