//! Equirectangular panorama rendering: one sample per pixel, then 2×2 extra samples where
//! neighbours differ (object edges, strong contrast), filmic tone mapping, JPEG output.
//!
//! Convention: column u in [0, 1) is yaw (u − 0.5)·360° (0 = image centre, positive to the
//! right), row v in [0, 1) is pitch (0.5 − v)·180°; direction (sin yaw cos pitch, sin pitch,
//! −cos yaw cos pitch).

use glam::Vec3;
use rayon::prelude::*;

/// A scene that can be sampled along view directions.
pub trait Panorama: Sync {
    /// Linear HDR colour seen along the unit direction `d`, and the number of what was hit
    /// (used to find edges to anti-alias).
    fn sample(&self, d: Vec3) -> (Vec3, u32);
    /// Exposure applied before tone mapping.
    fn exposure(&self) -> f32 {
        1.0
    }
}

/// The world direction of a yaw and pitch in radians.
pub fn direction(yaw: f32, pitch: f32) -> Vec3 {
    Vec3::new(
        yaw.sin() * pitch.cos(),
        pitch.sin(),
        -yaw.cos() * pitch.cos(),
    )
}

/// Yaw and pitch in degrees of the point `p` seen from `eye`.
pub fn yaw_pitch_deg(eye: Vec3, p: Vec3) -> (f32, f32) {
    let v = p - eye;
    let horiz = (v.x * v.x + v.z * v.z).sqrt();
    (v.x.atan2(-v.z).to_degrees(), v.y.atan2(horiz).to_degrees())
}

/// Narkowicz's ACES fit, then sRGB encoding; input linear, output in [0, 1].
fn tonemap(c: Vec3) -> Vec3 {
    let f = |x: f32| {
        let x = x.max(0.0);
        let y = (x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14);
        let y = y.clamp(0.0, 1.0);
        if y <= 0.003_130_8 {
            12.92 * y
        } else {
            1.055 * y.powf(1.0 / 2.4) - 0.055
        }
    };
    Vec3::new(f(c.x), f(c.y), f(c.z))
}

fn luma(c: Vec3) -> f32 {
    c.dot(Vec3::new(0.299, 0.587, 0.114))
}

/// Renders `scene` into a `width` × `width/2` sRGB image (RGB8, rows top to bottom).
pub fn render(scene: &dyn Panorama, width: usize) -> Vec<u8> {
    let height = width / 2;
    let exposure = scene.exposure();
    let shade = |x: f32, y: f32| -> (Vec3, u32) {
        let yaw = (x / width as f32 - 0.5) * std::f32::consts::TAU;
        let pitch = (0.5 - y / height as f32) * std::f32::consts::PI;
        let (c, id) = scene.sample(direction(yaw, pitch));
        (tonemap(c * exposure), id)
    };
    // Pass 1: pixel centres.
    let first: Vec<(Vec3, u32)> = (0..height)
        .into_par_iter()
        .flat_map_iter(|j| (0..width).map(move |i| shade(i as f32 + 0.5, j as f32 + 0.5)))
        .collect();
    // Pass 2: 2×2 supersampling where a neighbour differs.
    let out: Vec<Vec3> = (0..height)
        .into_par_iter()
        .flat_map_iter(|j| {
            let first = &first;
            (0..width).map(move |i| {
                let (c, id) = first[j * width + i];
                let mut edge = false;
                let neigh = [
                    (if i == 0 { width - 1 } else { i - 1 }, j),
                    (if i + 1 == width { 0 } else { i + 1 }, j),
                    (i, j.saturating_sub(1)),
                    (i, (j + 1).min(height - 1)),
                ];
                for (ni, nj) in neigh {
                    let (nc, nid) = first[nj * width + ni];
                    if nid != id || (luma(nc) - luma(c)).abs() > 0.08 {
                        edge = true;
                    }
                }
                if !edge {
                    return c;
                }
                let mut sum = Vec3::ZERO;
                for (dx, dy) in [(0.25, 0.125), (0.75, 0.375), (0.125, 0.625), (0.625, 0.875)] {
                    sum += shade(i as f32 + dx, j as f32 + dy).0;
                }
                (sum + c) / 5.0
            })
        })
        .collect();
    out.iter()
        .flat_map(|c| [c.x, c.y, c.z].map(|v| (v * 255.0 + 0.5).clamp(0.0, 255.0) as u8))
        .collect()
}
