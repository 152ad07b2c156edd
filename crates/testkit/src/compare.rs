//! Image comparison as the golden tests do it: the share of pixels off by more than
//! [`GOLDEN_THRESHOLD`] in a colour channel, the mean absolute difference per colour channel, and
//! a grey diff image; [`check_golden`] compares a render with its reference PNG and leaves
//! `<name>.actual.png` and `<name>.diff.png` beside it when they differ.

use std::path::Path;

/// A pixel whose largest colour-channel difference exceeds this (0..255) counts as differing.
pub const GOLDEN_THRESHOLD: u32 = 24;
/// Most pixels (share) a golden image may have differing.
pub const GOLDEN_MAX_BAD: f64 = 0.01;
/// Largest mean difference per colour channel a golden image may have.
pub const GOLDEN_MAX_MEAN: f64 = 3.0;

/// Two RGBA8 images compared (alpha is not compared).
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Share of pixels whose largest colour-channel difference exceeds [`GOLDEN_THRESHOLD`].
    pub bad: f64,
    /// Mean absolute difference per colour channel (0..255).
    pub mean: f64,
    /// RGBA8, one pixel per compared pixel: grey, 4× its largest channel difference.
    pub diff: Vec<u8>,
}

/// Compares two RGBA8 pixel buffers of the same size, pixel by pixel.
pub fn compare(a: &[u8], b: &[u8]) -> Comparison {
    let mut bad = 0usize;
    let mut sum = 0u64;
    let mut diff = Vec::with_capacity(a.len());
    for (pa, pb) in a.chunks_exact(4).zip(b.chunks_exact(4)) {
        let d = (0..3)
            .map(|c| (pa[c] as i32 - pb[c] as i32).unsigned_abs())
            .max()
            .unwrap_or(0);
        sum += (0..3)
            .map(|c| (pa[c] as i32 - pb[c] as i32).unsigned_abs() as u64)
            .sum::<u64>();
        if d > GOLDEN_THRESHOLD {
            bad += 1;
        }
        let v = (d * 4).min(255) as u8;
        diff.extend_from_slice(&[v, v, v, 255]);
    }
    let n = (a.len() / 4).max(1) as f64;
    Comparison {
        bad: bad as f64 / n,
        mean: sum as f64 / (n * 3.0),
        diff,
    }
}

/// Mean absolute difference of the bytes of `a` and `b`, over the shorter (any pixel layout,
/// every channel counted).
pub fn mean_difference(a: &[u8], b: &[u8]) -> f64 {
    let n = a.len().min(b.len());
    let d: u64 = a.iter().zip(b).map(|(x, y)| x.abs_diff(*y) as u64).sum();
    d as f64 / n as f64
}

/// Reads a PNG (or any image `image` reads) as RGBA8; the error names the file.
pub fn read_png(path: &Path) -> Result<image::RgbaImage, String> {
    image::open(path)
        .map(|i| i.into_rgba8())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes `width`×`height` RGBA8 `pixels` as a PNG at `path`.
pub fn save_png(path: &Path, width: u32, height: u32, pixels: &[u8]) -> Result<(), String> {
    let img = image::RgbaImage::from_raw(width, height, pixels.to_vec()).ok_or_else(|| {
        format!(
            "{}: {width}×{height} does not match the pixels",
            path.display()
        )
    })?;
    img.save(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Compares a `width`×`height` RGBA8 render with the reference PNG `reference`: at most
/// [`GOLDEN_MAX_BAD`] of its pixels off by more than [`GOLDEN_THRESHOLD`], a mean difference of at
/// most [`GOLDEN_MAX_MEAN`]. `report` sees the numbers of every comparison made. On failure
/// `<name>.actual.png` (the render) and `<name>.diff.png` are written beside the reference. With
/// `DISAN_UPDATE_GOLDEN` set, or when the reference is missing, the render is written as the
/// reference instead (a missing one is an error: look at it and commit it). `name` names the
/// image in messages.
pub fn check_golden(
    reference: &Path,
    name: &str,
    width: u32,
    height: u32,
    pixels: &[u8],
    report: impl FnOnce(&Comparison),
) -> Result<(), String> {
    let update = std::env::var_os("DISAN_UPDATE_GOLDEN").is_some();
    if update || !reference.exists() {
        save_png(reference, width, height, pixels)?;
        if !update {
            return Err(format!(
                "{} did not exist; wrote it — look at it and commit it",
                reference.display()
            ));
        }
        return Ok(());
    }
    let expected = read_png(reference)?;
    if (expected.width(), expected.height()) != (width, height) {
        return Err(format!(
            "{name}: reference is {}×{}, render is {width}×{height}",
            expected.width(),
            expected.height(),
        ));
    }
    let c = compare(pixels, expected.as_raw());
    report(&c);
    if c.bad > GOLDEN_MAX_BAD || c.mean > GOLDEN_MAX_MEAN {
        let diff = reference.with_extension("diff.png");
        save_png(
            &reference.with_extension("actual.png"),
            width,
            height,
            pixels,
        )?;
        save_png(&diff, width, height, &c.diff)?;
        return Err(format!(
            "{name}: {:.2}% of pixels differ, mean difference {:.2} (limits 1%, 3.0); see {}",
            c.bad * 100.0,
            c.mean,
            diff.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_counts_and_draws_the_difference() {
        let a = vec![100u8; 400];
        let mut b = a.clone();
        for p in b.chunks_exact_mut(4).take(10) {
            p[0] = 200;
        }
        b[43] = 0; // alpha is not compared
        let c = compare(&a, &b);
        assert!((c.bad - 0.1).abs() < 1e-9);
        assert!((c.mean - 1000.0 / 300.0).abs() < 1e-9);
        assert_eq!(&c.diff[..8], &[255, 255, 255, 255, 255, 255, 255, 255]);
        assert_eq!(&c.diff[40..44], &[0, 0, 0, 255]);
        let same = compare(&a, &a);
        assert_eq!((same.bad, same.mean), (0.0, 0.0));
        assert_eq!(mean_difference(&[0, 10, 20], &[10, 10, 0, 99]), 10.0);
    }

    #[test]
    fn golden_writes_actual_and_diff_on_failure() {
        let dir = std::env::temp_dir().join(format!("disan-testkit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let reference = dir.join("g.png");
        let grey = vec![100u8; 4 * 4 * 4];
        save_png(&reference, 4, 4, &grey).unwrap();
        let mut seen = None;
        check_golden(&reference, "g", 4, 4, &grey, |c| seen = Some(c.mean)).unwrap();
        assert_eq!(seen, Some(0.0));
        let e = check_golden(&reference, "g", 2, 8, &grey, |_| {}).unwrap_err();
        assert_eq!(e, "g: reference is 4×4, render is 2×8");
        let white = vec![255u8; 4 * 4 * 4];
        let e = check_golden(&reference, "g", 4, 4, &white, |_| {}).unwrap_err();
        assert!(
            e.starts_with("g: 100.00% of pixels differ, mean difference 155.00"),
            "{e}"
        );
        assert_eq!(
            read_png(&dir.join("g.actual.png")).unwrap().as_raw(),
            &white
        );
        let diff = read_png(&dir.join("g.diff.png")).unwrap();
        assert_eq!(diff.get_pixel(0, 0).0, [255, 255, 255, 255]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
