//! Light: sRGB ↔ linear tables (a 256-entry table in, a 65 536-entry table of the exact sRGB
//! curve out) and the box filter that scales in linear light.

use rayon::prelude::*;

/// Box-filters `src` (sw×sh RGB8, sRGB) to dw×dh in linear light: each output pixel averages
/// the source pixels whose index maps into it (exactly 2×2 when the side halves).
pub(crate) fn downsample(
    src: &[u8],
    sw: usize,
    sh: usize,
    dw: usize,
    dh: usize,
    lin: &Linear,
) -> Vec<u8> {
    let mut out = vec![0u8; dw * dh * 3];
    let span = |i: usize, s: usize, d: usize| {
        let a = i * s / d;
        let b = ((i + 1) * s / d).max(a + 1).min(s);
        (a, b)
    };
    out.par_chunks_mut(dw * 3).enumerate().for_each(|(j, row)| {
        let (y0, y1) = span(j, sh, dh);
        for (i, px) in row.chunks_exact_mut(3).enumerate() {
            let (x0, x1) = span(i, sw, dw);
            let mut sum = [0f32; 3];
            for y in y0..y1 {
                let line = &src[(y * sw + x0) * 3..(y * sw + x1) * 3];
                for p in line.chunks_exact(3) {
                    sum[0] += lin.to_lin[p[0] as usize];
                    sum[1] += lin.to_lin[p[1] as usize];
                    sum[2] += lin.to_lin[p[2] as usize];
                }
            }
            let k = 1.0 / ((y1 - y0) * (x1 - x0)) as f32;
            px[0] = lin.encode(sum[0] * k);
            px[1] = lin.encode(sum[1] * k);
            px[2] = lin.encode(sum[2] * k);
        }
    });
    out
}

/// sRGB ↔ linear tables.
pub(crate) struct Linear {
    pub(crate) to_lin: [f32; 256],
    from_lin: Vec<u8>,
}

const ENCODE_STEPS: usize = 65_536;

impl Linear {
    pub(crate) fn new() -> Linear {
        let mut to_lin = [0f32; 256];
        for (i, v) in to_lin.iter_mut().enumerate() {
            let c = i as f64 / 255.0;
            *v = if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            } as f32;
        }
        let from_lin = (0..ENCODE_STEPS)
            .map(|i| {
                let l = i as f64 / (ENCODE_STEPS - 1) as f64;
                let c = if l <= 0.003_130_8 {
                    l * 12.92
                } else {
                    1.055 * l.powf(1.0 / 2.4) - 0.055
                };
                (c * 255.0).round().clamp(0.0, 255.0) as u8
            })
            .collect();
        Linear { to_lin, from_lin }
    }

    pub(crate) fn encode(&self, l: f32) -> u8 {
        let i = (l.clamp(0.0, 1.0) * (ENCODE_STEPS - 1) as f32 + 0.5) as usize;
        self.from_lin[i.min(ENCODE_STEPS - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srgb_round_trips() {
        let lin = Linear::new();
        for i in 0..256 {
            assert_eq!(lin.encode(lin.to_lin[i]) as usize, i);
        }
    }
}
