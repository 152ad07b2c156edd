//! Surface patterns of the Sân đình scene: brick-tiled courtyard, mortar-jointed blocks and
//! bricks, mũi hài roof tiles, door panels, lacquered boards with made-up Hán-Nôm characters
//! (shared with the Hậu cung scene) and the engraved stele.

use super::FRONT_Z;
use crate::noise::{fbm2, fbm3, hash2, smoothstep, value3};
use crate::rt::Hit;
use glam::{Vec2, Vec3, Vec3Swizzles};

/// Tiles of `size` metres with mortar lines, averaged out with the pixel footprint `fp`.
pub(super) fn tiles(q: Vec2, size: f32, base: Vec3, mortar: Vec3, fp: f32) -> Vec3 {
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

pub(super) fn ground(p: Vec3, fp: f32) -> Vec3 {
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
pub(super) fn blocks(p: Vec3, n: Vec3, w: f32, h: f32, fp: f32) -> f32 {
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

pub(super) fn brick(p: Vec3, n: Vec3, fp: f32) -> Vec3 {
    let j = blocks(p, n, 0.22, 0.065, fp);
    let tone = 0.8 + 0.4 * value3(p * 9.0, 71);
    Vec3::new(0.3, 0.09, 0.05) * tone * (0.55 + 0.45 * j)
}

/// Ngói mũi hài: overlapping tiles with pointed rounded ends, rows up the slope. `fp` is the
/// pixel footprint along the slope (stretched at grazing angles), `fu` across it.
pub(super) fn roof_tiles(uv: Vec2, p: Vec3, fp: f32, fu_px: f32) -> Vec3 {
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
pub(super) fn door_panel(l: Vec3, n: Vec3, fp: f32) -> Vec3 {
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
pub(super) fn board(hit: &Hit, bw: f32, bh: f32, fp: f32) -> Vec3 {
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
pub(super) fn stele(hit: &Hit, fp: f32) -> Vec3 {
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
