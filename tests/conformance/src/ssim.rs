//! SSIM (Wang, Bovik, Sheikh, Simoncelli 2004): an 11×11 Gaussian window with σ = 1.5,
//! K1 = 0.01, K2 = 0.03, L = 255, over the windows that fit in the image ("valid"). A [`Plane`]
//! keeps its local means and variances, so scoring one image against many only filters the
//! products.

/// Side of the Gaussian window.
pub const WINDOW: usize = 11;
/// Standard deviation of the window, pixels.
pub const SIGMA: f32 = 1.5;
const RADIUS: usize = WINDOW / 2;
const K1: f32 = 0.01;
const K2: f32 = 0.03;
const L: f32 = 255.0;

/// Luma of a gamma-encoded sRGB colour (0..255), Rec. 601 weights as in Wang et al.'s code.
pub fn luma(r: u8, g: u8, b: u8) -> f32 {
    0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32
}

fn kernel() -> [f32; WINDOW] {
    let mut k = [0.0; WINDOW];
    for (i, v) in k.iter_mut().enumerate() {
        let d = i as f32 - RADIUS as f32;
        *v = (-(d * d) / (2.0 * SIGMA * SIGMA)).exp();
    }
    let sum: f32 = k.iter().sum();
    k.map(|v| v / sum)
}

/// Separable "valid" Gaussian filter of a `width` × `height` plane (both at least [`WINDOW`]).
fn blur(plane: &[f32], width: usize, height: usize) -> Vec<f32> {
    let k = kernel();
    let ow = width - 2 * RADIUS;
    let oh = height - 2 * RADIUS;
    let mut horizontal = vec![0.0f32; ow * height];
    for (src, dst) in plane
        .chunks_exact(width)
        .zip(horizontal.chunks_exact_mut(ow))
    {
        for (x, d) in dst.iter_mut().enumerate() {
            let win = &src[x..x + WINDOW];
            let mut acc = 0.0;
            for i in 0..WINDOW {
                acc += k[i] * win[i];
            }
            *d = acc;
        }
    }
    let mut out = vec![0.0f32; ow * oh];
    for (i, w) in k.iter().enumerate() {
        let rows = horizontal[i * ow..].chunks_exact(ow);
        for (src, dst) in rows.zip(out.chunks_exact_mut(ow)) {
            for (d, s) in dst.iter_mut().zip(src) {
                *d += w * s;
            }
        }
    }
    out
}

/// One channel of an image (values 0..255) with its local means and variances.
#[derive(Debug, Clone, PartialEq)]
pub struct Plane {
    width: usize,
    height: usize,
    values: Vec<f32>,
    mean: Vec<f32>,
    variance: Vec<f32>,
    /// The value of every pixel when they are all equal (a flat frame needs no product filter).
    constant: Option<f32>,
}

impl Plane {
    /// A `width` × `height` plane; `None` when it is smaller than one window or `values` does not
    /// match the size.
    pub fn new(values: Vec<f32>, width: usize, height: usize) -> Option<Plane> {
        if width < WINDOW || height < WINDOW || values.len() != width * height {
            return None;
        }
        let first = values[0];
        let constant = values.iter().all(|&v| v == first).then_some(first);
        let mean = blur(&values, width, height);
        let squares: Vec<f32> = values.iter().map(|v| v * v).collect();
        let variance = blur(&squares, width, height)
            .iter()
            .zip(&mean)
            .map(|(e, m)| e - m * m)
            .collect();
        Some(Plane {
            width,
            height,
            values,
            mean,
            variance,
            constant,
        })
    }
}

/// Per-window SSIM values. The value at `(x, y)` belongs to the window centred on pixel
/// `(x + 5, y + 5)` of the images.
#[derive(Debug, Clone, PartialEq)]
pub struct SsimMap {
    /// Windows per row (`image width - 10`).
    pub width: usize,
    /// Windows per column (`image height - 10`).
    pub height: usize,
    /// SSIM of each window, row-major.
    pub values: Vec<f32>,
}

impl SsimMap {
    /// Mean over every window (the usual "mean SSIM").
    pub fn mean(&self) -> f64 {
        if self.values.is_empty() {
            return 0.0;
        }
        self.values.iter().map(|&v| v as f64).sum::<f64>() / self.values.len() as f64
    }

    /// Mean over the windows whose centre pixel is set in `mask` (image-sized, row-major);
    /// `None` when no window is.
    pub fn masked_mean(&self, mask: &[bool]) -> Option<f64> {
        let image_width = self.width + 2 * RADIUS;
        let (mut sum, mut n) = (0.0f64, 0usize);
        for (y, row) in self.values.chunks_exact(self.width.max(1)).enumerate() {
            let start = (y + RADIUS) * image_width + RADIUS;
            let Some(m) = mask.get(start..start + self.width) else {
                continue;
            };
            for (v, _) in row.iter().zip(m).filter(|(_, m)| **m) {
                sum += *v as f64;
                n += 1;
            }
        }
        (n > 0).then(|| sum / n as f64)
    }
}

/// SSIM map of two planes; `None` when their sizes differ.
pub fn ssim_map(a: &Plane, b: &Plane) -> Option<SsimMap> {
    if (a.width, a.height) != (b.width, b.height) {
        return None;
    }
    // The local mean of a·b; when one image is flat it is that value times the other's mean.
    let e_ab = match (a.constant, b.constant) {
        (Some(c), _) => b.mean.iter().map(|m| c * m).collect(),
        (_, Some(c)) => a.mean.iter().map(|m| c * m).collect(),
        _ => {
            let products: Vec<f32> = a.values.iter().zip(&b.values).map(|(x, y)| x * y).collect();
            blur(&products, a.width, a.height)
        }
    };
    let c1 = (K1 * L) * (K1 * L);
    let c2 = (K2 * L) * (K2 * L);
    let values = (0..e_ab.len())
        .map(|i| {
            let (ma, mb) = (a.mean[i], b.mean[i]);
            let cov = e_ab[i] - ma * mb;
            ((2.0 * ma * mb + c1) * (2.0 * cov + c2))
                / ((ma * ma + mb * mb + c1) * (a.variance[i] + b.variance[i] + c2))
        })
        .collect();
    Some(SsimMap {
        width: a.width - 2 * RADIUS,
        height: a.height - 2 * RADIUS,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(w: usize, h: usize) -> Vec<f32> {
        (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                (((x / 4 + y / 3) % 2) as f32 * 180.0) + 30.0
            })
            .collect()
    }

    fn map(a: Vec<f32>, b: Vec<f32>, w: usize, h: usize) -> SsimMap {
        let a = Plane::new(a, w, h).unwrap();
        let b = Plane::new(b, w, h).unwrap();
        ssim_map(&a, &b).unwrap()
    }

    #[test]
    fn identical_images_score_one() {
        let a = pattern(40, 30);
        let m = map(a.clone(), a, 40, 30);
        assert_eq!((m.width, m.height), (30, 20));
        assert!((m.mean() - 1.0).abs() < 1e-4);
    }

    #[test]
    fn black_and_inverted_images_score_low() {
        let a = pattern(40, 30);
        let black = vec![0.0; a.len()];
        let inverted: Vec<f32> = a.iter().map(|v| 255.0 - v).collect();
        assert!(map(a.clone(), black, 40, 30).mean() < 0.05);
        assert!(map(a, inverted, 40, 30).mean() < 0.0);
    }

    #[test]
    fn brightness_shift_costs_less_than_losing_structure() {
        let a = pattern(40, 30);
        let brighter: Vec<f32> = a.iter().map(|v| v + 20.0).collect();
        let flat = vec![120.0; a.len()];
        let s_bright = map(a.clone(), brighter, 40, 30).mean();
        let s_flat = map(a, flat, 40, 30).mean();
        assert!(s_bright > 0.9 && s_flat < 0.1, "{s_bright} {s_flat}");
    }

    #[test]
    fn matches_a_direct_computation() {
        // One 11×11 window: SSIM from the Gaussian-weighted statistics computed directly.
        let a = pattern(11, 11);
        let b: Vec<f32> = a
            .iter()
            .enumerate()
            .map(|(i, v)| v * 0.7 + (i % 7) as f32)
            .collect();
        let k = kernel();
        let w = |i: usize| k[i % 11] * k[i / 11];
        let mean = |p: &[f32]| (0..121).map(|i| w(i) * p[i]).sum::<f32>();
        let (ma, mb) = (mean(&a), mean(&b));
        let va = (0..121).map(|i| w(i) * (a[i] - ma).powi(2)).sum::<f32>();
        let vb = (0..121).map(|i| w(i) * (b[i] - mb).powi(2)).sum::<f32>();
        let cov = (0..121)
            .map(|i| w(i) * (a[i] - ma) * (b[i] - mb))
            .sum::<f32>();
        let (c1, c2) = ((0.01f32 * 255.0).powi(2), (0.03f32 * 255.0).powi(2));
        let want =
            ((2.0 * ma * mb + c1) * (2.0 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
        let got = map(a, b, 11, 11);
        assert_eq!(got.values.len(), 1);
        assert!(
            (got.values[0] - want).abs() < 1e-3,
            "{} {want}",
            got.values[0]
        );
    }

    #[test]
    fn flat_images_take_the_short_cut_with_the_same_result() {
        let a = pattern(30, 20);
        let flat = vec![77.0; a.len()];
        let mut almost = flat.clone();
        almost[0] = 77.0 + 1e-3; // not flat: the full computation
        let short = map(a.clone(), flat, 30, 20);
        let full = map(a, almost, 30, 20);
        assert!((short.mean() - full.mean()).abs() < 1e-4);
    }

    #[test]
    fn masked_mean_counts_window_centres() {
        let a = pattern(20, 20);
        let mut b = a.clone();
        // Change the bottom-right corner only.
        for y in 15..20 {
            for x in 15..20 {
                b[y * 20 + x] = 0.0;
            }
        }
        let m = map(a, b, 20, 20);
        let mut top_left = vec![false; 400];
        top_left[5 * 20 + 5] = true;
        assert!((m.masked_mean(&top_left).unwrap() - 1.0).abs() < 1e-4);
        assert!(m.masked_mean(&[false; 400]).is_none());
        assert!(m.mean() < 1.0);
    }

    #[test]
    fn too_small_or_mismatched_is_none() {
        assert!(Plane::new(vec![0.0; 100], 10, 10).is_none());
        assert!(Plane::new(vec![0.0; 143], 12, 12).is_none());
        let a = Plane::new(vec![0.0; 144], 12, 12).unwrap();
        let b = Plane::new(vec![0.0; 156], 12, 13).unwrap();
        assert!(ssim_map(&a, &b).is_none());
    }
}
