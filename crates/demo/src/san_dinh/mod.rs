//! Scene 1, "Sân đình": the courtyard of a village communal house. The đình hall ahead (yaw 0),
//! the stele pavilion (nhà bia) at yaw −60°, the three-entrance gate (tam quan) behind, walls,
//! ceremonial pillars, trees, a brick-tiled courtyard, sky with sun and clouds.
//!
//! The scene is built in `build` (hall, stele pavilion, gate, walls, trees) and its surfaces
//! are patterned in `surfaces` (tiles, bricks, door panels, boards, the engraved stele).

mod build;
mod surfaces;

pub use surfaces::{glyphs, GlyphLine};

use super::noise::{fbm2, fbm3, smoothstep, value3};
use super::pano::Panorama;
use super::roof::Roof;
use super::rt::{Hit, Ray, Scene, GROUND_ID};
use glam::{Vec2, Vec3, Vec3Swizzles};
use std::f32::consts::PI;
use surfaces::{blocks, board, brick, door_panel, ground, roof_tiles, stele, tiles};

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

impl SanDinh {
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
