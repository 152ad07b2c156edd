//! Derivatives of a huge scan (Voyager's idea): an object scene may list lighter versions of its
//! model (thumb, low, medium, high, written by `disan optimize`). The visit shows the thumb
//! first, then the best level that the device's texture limit and GPU memory budget allow and
//! that the object's size on screen can use. Platform-free: the shells only state the device.

use serde::{Deserialize, Serialize};

/// GPU bytes of one vertex as the renderer stores it (position, normal, tangent, two UV sets,
/// colour: 18 floats). The renderer's test checks that its vertex has this size.
pub const GPU_VERTEX_BYTES: u64 = 72;

/// GPU memory budget when the shell states none (a phone's).
pub const DEFAULT_GPU_BUDGET: u64 = 256 << 20;

/// How detailed a derivative is, lightest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Quality {
    /// Shown at once while the others load (under 200 KB).
    Thumb,
    /// Phones, small views.
    Low,
    /// Laptops.
    Medium,
    /// Large screens and close looks.
    High,
}

impl Quality {
    /// All, lightest first.
    pub const ALL: [Quality; 4] = [Quality::Thumb, Quality::Low, Quality::Medium, Quality::High];

    /// Its name in the tour file.
    pub fn name(self) -> &'static str {
        match self {
            Quality::Thumb => "thumb",
            Quality::Low => "low",
            Quality::Medium => "medium",
            Quality::High => "high",
        }
    }
}

/// One derivative of an object scene's model, as the tour lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Derivative {
    /// Its level.
    pub quality: Quality,
    /// glTF or GLB file, relative to the tour folder.
    pub model: String,
    /// Triangles.
    pub triangles: u64,
    /// Vertices.
    pub vertices: u64,
    /// Largest side of its largest texture, in pixels (0: untextured).
    #[serde(default)]
    pub texture: u32,
    /// GPU memory it takes once shown (buffers and mipmapped RGBA8 textures), in bytes.
    pub gpu_bytes: u64,
}

/// What the device allows, as the shell states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceLimits {
    /// Largest texture side.
    pub max_texture: u32,
    /// GPU memory a model may take, in bytes.
    pub gpu_budget: u64,
}

impl DeviceLimits {
    /// True when level `d` fits: its textures within the limit, its memory within the budget.
    pub fn fit(&self, d: &Derivative) -> bool {
        d.texture <= self.max_texture && d.gpu_bytes <= self.gpu_budget
    }
}

impl Default for DeviceLimits {
    fn default() -> Self {
        DeviceLimits {
            max_texture: 4096,
            gpu_budget: DEFAULT_GPU_BUDGET,
        }
    }
}

/// GPU bytes of a model of `vertices` vertices, `indices` indices and textures of
/// `texture_pixels` pixels in all (RGBA8 with mipmaps: 4 × 4/3 bytes a pixel).
pub fn estimate_gpu_bytes(vertices: u64, indices: u64, texture_pixels: u64) -> u64 {
    vertices * GPU_VERTEX_BYTES + indices * 4 + texture_pixels * 16 / 3
}

/// Triangles worth drawing per covered physical pixel: beyond this, a finer level adds nothing
/// that can be seen.
pub const TRIANGLES_PER_PIXEL: f64 = 1.0;

/// The level to show: the most detailed one that fits `limits` and whose triangles the object's
/// `coverage` (physical pixels it covers on screen) can use; the lightest fitting one when none
/// is needed. `None` when no level fits (the shell then keeps what it shows).
pub fn choose(levels: &[Derivative], limits: DeviceLimits, coverage: f64) -> Option<usize> {
    let mut order: Vec<usize> = (0..levels.len())
        .filter(|&i| limits.fit(&levels[i]))
        .collect();
    order.sort_by_key(|&i| (levels[i].quality, levels[i].triangles));
    let wanted = (coverage.max(0.0) * TRIANGLES_PER_PIXEL) as u64;
    let mut best = *order.first()?;
    for &i in &order {
        // A level is worth it while the one below it has fewer triangles than the view can use.
        if levels[best].triangles < wanted {
            best = i;
        }
    }
    Some(best)
}

/// The first level to show while the chosen one loads: the thumb (or the lightest fitting
/// level), when it is lighter than `chosen`.
pub fn first(levels: &[Derivative], limits: DeviceLimits, chosen: usize) -> usize {
    (0..levels.len())
        .filter(|&i| limits.fit(&levels[i]))
        .min_by_key(|&i| (levels[i].quality, levels[i].triangles))
        .filter(|&i| levels[i].quality < levels[chosen].quality)
        .unwrap_or(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(q: Quality, triangles: u64, texture: u32) -> Derivative {
        let vertices = triangles / 2;
        Derivative {
            quality: q,
            model: format!("{}.glb", q.name()),
            triangles,
            vertices,
            texture,
            gpu_bytes: estimate_gpu_bytes(vertices, triangles * 3, texture as u64 * texture as u64),
        }
    }

    fn levels() -> Vec<Derivative> {
        vec![
            level(Quality::High, 1_500_000, 8192),
            level(Quality::Thumb, 6_000, 256),
            level(Quality::Medium, 500_000, 2048),
            level(Quality::Low, 150_000, 1024),
        ]
    }

    #[test]
    fn the_texture_limit_and_the_budget_rule_out_levels() {
        let l = levels();
        let big = 4_000_000.0;
        let all = DeviceLimits {
            max_texture: 16384,
            gpu_budget: 4 << 30,
        };
        assert_eq!(l[choose(&l, all, big).unwrap()].quality, Quality::High);
        let phone = DeviceLimits {
            max_texture: 4096,
            gpu_budget: 256 << 20,
        };
        let c = choose(&l, phone, big).unwrap();
        assert_eq!(l[c].quality, Quality::Medium);
        assert!(l[c].gpu_bytes <= phone.gpu_budget && l[c].texture <= 4096);
        let tiny = DeviceLimits {
            max_texture: 4096,
            gpu_budget: 20 << 20,
        };
        assert_eq!(l[choose(&l, tiny, big).unwrap()].quality, Quality::Low);
        let none = DeviceLimits {
            max_texture: 128,
            gpu_budget: 1 << 30,
        };
        assert_eq!(choose(&l, none, big), None);
    }

    #[test]
    fn a_small_object_on_screen_takes_a_lighter_level() {
        let l = levels();
        let all = DeviceLimits {
            max_texture: 16384,
            gpu_budget: 4 << 30,
        };
        // 100 × 100 pixels: 10 000 triangles can show; low (150k) is the first that exceeds it.
        assert_eq!(l[choose(&l, all, 10_000.0).unwrap()].quality, Quality::Low);
        assert_eq!(l[choose(&l, all, 1.0).unwrap()].quality, Quality::Thumb);
        assert_eq!(
            l[choose(&l, all, 300_000.0).unwrap()].quality,
            Quality::Medium
        );
        assert_eq!(
            l[choose(&l, all, 600_000.0).unwrap()].quality,
            Quality::High
        );
        assert_eq!(l[first(&l, all, 0)].quality, Quality::Thumb);
        assert_eq!(first(&l, all, 1), 1);
    }
}
