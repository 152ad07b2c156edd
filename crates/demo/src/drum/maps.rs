//! The drum's texture maps: base colour (bronze, relief and verdigris patina),
//! occlusion-roughness-metallic and the normal map from the relief height, plus lookups of the
//! base colour for the ray tracer.

use super::geometry::{outer_profile, radius_at, strip_lengths};
use super::patterns::{body_height, handle_height, tympanum_height};
use super::{
    BODY_V0, BODY_V1, HANDLE_V0, HANDLE_V1, INNER_V0, INNER_V1, RIM_Y, SIDE_U0, SIDE_U1, TEX,
    TOP_Y, TYMPANUM_R, TYMPANUM_UV_R, TYMP_C,
};
use crate::noise::{fbm3, smoothstep, value3};
use glam::{Vec2, Vec3};
use std::f32::consts::TAU;

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
