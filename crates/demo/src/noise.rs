//! Tiny deterministic hash-based noise (value noise, fBm) for the demo generators: fixed seeds,
//! no random number crate, identical output on every run.

use glam::{Vec2, Vec3};

/// A 32-bit integer hash with good avalanche (lowbias32).
pub fn hash_u32(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x7feb_352d);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846c_a68b);
    x ^= x >> 16;
    x
}

/// Hash of a 2D lattice point and a seed, in [0, 1).
pub fn hash2(x: i32, y: i32, seed: u32) -> f32 {
    let h = hash_u32(
        (x as u32)
            .wrapping_mul(0x8da6_b343)
            .wrapping_add((y as u32).wrapping_mul(0xd816_3841))
            .wrapping_add(seed.wrapping_mul(0xcb1a_b31f)),
    );
    (h >> 8) as f32 / (1u32 << 24) as f32
}

/// Hash of a 3D lattice point and a seed, in [0, 1).
pub fn hash3(x: i32, y: i32, z: i32, seed: u32) -> f32 {
    let h = hash_u32(
        (x as u32)
            .wrapping_mul(0x8da6_b343)
            .wrapping_add((y as u32).wrapping_mul(0xd816_3841))
            .wrapping_add((z as u32).wrapping_mul(0xcb1a_b31f))
            .wrapping_add(seed.wrapping_mul(0x1656_67b1)),
    );
    (h >> 8) as f32 / (1u32 << 24) as f32
}

fn smooth(t: f32) -> f32 {
    t * t * (3.0 - 2.0 * t)
}

fn lerp(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

/// Smooth value noise in [0, 1] on a unit lattice.
pub fn value2(p: Vec2, seed: u32) -> f32 {
    let (fx, fy) = (p.x.floor(), p.y.floor());
    let (ix, iy) = (fx as i32, fy as i32);
    let (tx, ty) = (smooth(p.x - fx), smooth(p.y - fy));
    let a = hash2(ix, iy, seed);
    let b = hash2(ix + 1, iy, seed);
    let c = hash2(ix, iy + 1, seed);
    let d = hash2(ix + 1, iy + 1, seed);
    lerp(lerp(a, b, tx), lerp(c, d, tx), ty)
}

/// Smooth value noise in [0, 1] on a unit lattice, 3D.
pub fn value3(p: Vec3, seed: u32) -> f32 {
    let f = p.floor();
    let (ix, iy, iz) = (f.x as i32, f.y as i32, f.z as i32);
    let t = p - f;
    let (tx, ty, tz) = (smooth(t.x), smooth(t.y), smooth(t.z));
    let h = |dx: i32, dy: i32, dz: i32| hash3(ix + dx, iy + dy, iz + dz, seed);
    let x00 = lerp(h(0, 0, 0), h(1, 0, 0), tx);
    let x10 = lerp(h(0, 1, 0), h(1, 1, 0), tx);
    let x01 = lerp(h(0, 0, 1), h(1, 0, 1), tx);
    let x11 = lerp(h(0, 1, 1), h(1, 1, 1), tx);
    lerp(lerp(x00, x10, ty), lerp(x01, x11, ty), tz)
}

/// Fractal sum of `octaves` layers of [`value2`], normalised to [0, 1].
pub fn fbm2(p: Vec2, octaves: u32, seed: u32) -> f32 {
    let (mut sum, mut amp, mut norm, mut q) = (0.0, 1.0, 0.0, p);
    for o in 0..octaves {
        sum += amp * value2(q, seed.wrapping_add(o * 7919));
        norm += amp;
        amp *= 0.5;
        q = Vec2::new(q.x * 2.03 + 0.37 * q.y, q.y * 2.03 - 0.37 * q.x) + Vec2::splat(17.1);
    }
    sum / norm
}

/// Fractal sum of `octaves` layers of [`value3`], normalised to [0, 1].
pub fn fbm3(p: Vec3, octaves: u32, seed: u32) -> f32 {
    let (mut sum, mut amp, mut norm, mut q) = (0.0, 1.0, 0.0, p);
    for o in 0..octaves {
        sum += amp * value3(q, seed.wrapping_add(o * 7919));
        norm += amp;
        amp *= 0.5;
        q = q * 2.02 + Vec3::new(11.3, 5.7, 23.9);
    }
    sum / norm
}

/// Hermite step between `a` and `b`.
pub fn smoothstep(a: f32, b: f32, x: f32) -> f32 {
    let t = ((x - a) / (b - a)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_is_deterministic_and_bounded() {
        for i in 0..1000 {
            let p = Vec3::new(i as f32 * 0.37, i as f32 * -0.11, i as f32 * 0.05);
            let a = fbm3(p, 4, 3);
            assert_eq!(a, fbm3(p, 4, 3));
            assert!((0.0..=1.0).contains(&a));
            let b = value2(p.truncate(), 9);
            assert!((0.0..=1.0).contains(&b));
        }
    }
}
