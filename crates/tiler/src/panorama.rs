//! A decoded equirectangular panorama (full or partial) and what is made of it pixel by pixel:
//! a cube face (each face pixel sampling the image bilinearly in linear light), the preview.

use crate::coverage::Place;
use crate::header::{probe_decoder, reader, Probe};
use crate::linear::{downsample, Linear};
use crate::{peak_memory_bound_with, Coverage, GPano, Layout, TileError, TileOptions, FILL};
use image::{DynamicImage, Limits};
use rayon::prelude::*;
use std::f64::consts::{PI, TAU};

/// A decoded equirectangular panorama (full or partial), kept as RGB8.
pub struct Panorama {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
    coverage: Coverage,
    place: Place,
    gpano: Option<GPano>,
}

impl Panorama {
    /// [`Panorama::decode_with`] without a coverage: the file's Photo Sphere XMP places it, else
    /// it must be a 2:1 full-sphere panorama.
    pub fn decode(bytes: &[u8]) -> Result<Panorama, TileError> {
        Panorama::decode_with(bytes, None)
    }

    /// Checks the header ([`probe_with`](crate::probe_with)), then decodes with the decoder limited to the image's
    /// own decoded size (a TIFF's: twice that, and its compressed strips), and converts to RGB8.
    /// `coverage` places a partial image on the sphere; when `None`, the file's Photo Sphere
    /// (GPano) XMP does, else the image must be 2:1.
    pub fn decode_with(bytes: &[u8], coverage: Option<Coverage>) -> Result<Panorama, TileError> {
        let Probe {
            width,
            height,
            alloc,
            coverage,
            gpano,
        } = probe_decoder(bytes, coverage)?;
        let mut r = reader(bytes)?;
        // Exactly this image (at most 0.5 gigapixel, checked above) and what its decoder needs;
        // not the `image` crate's default 512 MiB, which would refuse the tiler's own maximum.
        let mut limits = Limits::no_limits();
        limits.max_image_width = Some(width);
        limits.max_image_height = Some(height);
        limits.max_alloc = Some(alloc);
        r.limits(limits);
        let img = r.decode().map_err(|e| TileError::Decode(e.to_string()))?;
        let rgb = match img {
            DynamicImage::ImageRgb8(i) => i.into_raw(),
            other => other.into_rgb8().into_raw(),
        };
        Ok(Panorama {
            width,
            height,
            rgb,
            place: Place::new(&coverage, width, height),
            coverage,
            gpano,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The part of the sphere the image covers (the full sphere for a 2:1 panorama).
    pub fn coverage(&self) -> Coverage {
        self.coverage
    }

    /// The file's Photo Sphere XMP, if it has one (its heading gives the tour's
    /// `north_offset`).
    pub fn gpano(&self) -> Option<&GPano> {
        self.gpano.as_ref()
    }

    /// The width the panorama would have over the full circle (its own for a full one).
    pub fn full_width(&self) -> u32 {
        self.place.full_width
    }

    /// The pyramid layout these options give for this panorama.
    pub fn layout(&self, opts: &TileOptions) -> Layout {
        Layout::new(self.place.full_width, opts.tile_size)
    }

    /// Peak memory of tiling this panorama ([`peak_memory_bound_with`]).
    pub fn peak_memory_bound(&self, opts: &TileOptions) -> u64 {
        peak_memory_bound_with(self.width, self.height, &self.coverage, opts.tile_size)
    }
    /// Face `fi` (index into [`FACES`](crate::FACES)) at `n`×`n`, sRGB RGB8; [`FILL`] where the image does
    /// not reach.
    pub(crate) fn face(&self, fi: usize, n: usize, lin: &Linear) -> Vec<u8> {
        let mut out = vec![0u8; n * n * 3];
        out.par_chunks_mut(n * 3).enumerate().for_each(|(b, row)| {
            let t = 2.0 * (b as f64 + 0.5) / n as f64 - 1.0;
            for (a, px) in row.chunks_exact_mut(3).enumerate() {
                let s = 2.0 * (a as f64 + 0.5) / n as f64 - 1.0;
                let (x, y, z) = direction(fi, s, t);
                let yaw = x.atan2(z);
                let pitch = y.atan2(x.hypot(z));
                match self.sample(lin, yaw, pitch) {
                    Some(c) => {
                        px[0] = lin.encode(c[0]);
                        px[1] = lin.encode(c[1]);
                        px[2] = lin.encode(c[2]);
                    }
                    None => px.copy_from_slice(&FILL),
                }
            }
        });
        out
    }

    /// The preview (RGB8, width, height): the whole sphere, 2:1. A full panorama at yaw 0 is
    /// downsampled; any other is scaled to its place (wrapping at the ±180° seam) on the fill.
    pub(crate) fn preview(&self, lin: &Linear) -> (Vec<u8>, u32, u32) {
        let (w, h) = (self.width as usize, self.height as usize);
        let (pw, ph) = self.place.preview_size();
        if self.place.identity {
            let out = downsample(&self.rgb, w, h, pw as usize, ph as usize, lin);
            return (out, pw, ph);
        }
        let mut out = FILL.repeat(pw as usize * ph as usize);
        let (x0, y0, dw, dh) = self.place.preview_rect(pw, ph);
        let piece = downsample(&self.rgb, w, h, dw, dh, lin);
        for (j, row) in piece.chunks_exact(dw * 3).enumerate() {
            let line = (y0 + j) * pw as usize;
            for (i, px) in row.chunks_exact(3).enumerate() {
                let x = (x0 + i as i64).rem_euclid(pw as i64) as usize;
                out[(line + x) * 3..(line + x) * 3 + 3].copy_from_slice(px);
            }
        }
        (out, pw, ph)
    }

    /// Bilinear sample of the image at (yaw, pitch) in radians, linear light; `None` outside
    /// the covered area. Wraps at the left and right edges only when the image spans the full
    /// circle; otherwise, like the top and bottom, they clamp.
    fn sample(&self, lin: &Linear, yaw: f64, pitch: f64) -> Option<[f32; 3]> {
        let p = &self.place;
        let (w, h) = (self.width as usize, self.height as usize);
        let src = &self.rgb;
        let dp = pitch - p.v_offset;
        if dp.abs() > p.vaov / 2.0 {
            return None;
        }
        let mut dy = yaw - p.h_offset;
        if dy > PI {
            dy -= TAU;
        } else if dy < -PI {
            dy += TAU;
        }
        let v = (0.5 - dp / p.vaov) * h as f64 - 0.5;
        let vf = v.floor();
        let fy = (v - vf) as f32;
        let (x0, x1, fx) = if p.wrap {
            let u = (dy / TAU + 0.5) * w as f64 - 0.5;
            let uf = u.floor();
            let x0 = (uf as i64).rem_euclid(w as i64) as usize;
            (x0, (x0 + 1) % w, (u - uf) as f32)
        } else {
            if dy.abs() > p.haov / 2.0 {
                return None;
            }
            let u = (dy / p.haov + 0.5) * w as f64 - 0.5;
            let uf = u.floor();
            let last = w as i64 - 1;
            (
                (uf as i64).clamp(0, last) as usize,
                (uf as i64 + 1).clamp(0, last) as usize,
                (u - uf) as f32,
            )
        };
        let y0 = (vf as i64).clamp(0, h as i64 - 1) as usize;
        let y1 = (vf as i64 + 1).clamp(0, h as i64 - 1) as usize;
        let (r0, r1) = (y0 * w, y1 * w);
        let mut out = [0f32; 3];
        for (c, o) in out.iter_mut().enumerate() {
            let p = |i: usize| lin.to_lin[src[i * 3 + c] as usize];
            let top = p(r0 + x0) * (1.0 - fx) + p(r0 + x1) * fx;
            let bottom = p(r1 + x0) * (1.0 - fx) + p(r1 + x1) * fx;
            *o = top * (1.0 - fy) + bottom * fy;
        }
        Some(out)
    }
}

/// The view direction (x right, y up, z forward) through face point (s, t), both in -1..1,
/// s to the right and t down the face image.
pub fn direction(face: usize, s: f64, t: f64) -> (f64, f64, f64) {
    match face {
        0 => (s, -t, 1.0),   // front: yaw 0
        1 => (1.0, -t, -s),  // right: yaw +90°
        2 => (-s, -t, -1.0), // back: yaw 180°
        3 => (-1.0, -t, s),  // left: yaw -90°
        4 => (s, 1.0, t),    // up: top edge toward the back
        _ => (s, -1.0, -t),  // down: top edge toward the front
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{image_size, probe_with, tile_to_vec_with};
    use std::io::Cursor;

    /// A `w`×`h` PNG: red grows to the right, green downwards, blue 200.
    fn gradient(w: u32, h: u32) -> (image::RgbImage, Vec<u8>) {
        let img = image::RgbImage::from_fn(w, h, |i, j| {
            image::Rgb([
                (i * 255 / (w - 1).max(1)) as u8,
                (j * 255 / (h - 1).max(1)) as u8,
                200,
            ])
        });
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        (img, png)
    }

    /// The full circle, 72° high, centred on the horizon.
    fn band() -> Coverage {
        Coverage {
            haov: 360.0,
            vaov: 72.0,
            v_offset: 0.0,
            h_offset: 0.0,
        }
    }

    /// (yaw, pitch) in degrees of face pixel (a, b) of an n×n face.
    fn angles(face: usize, a: usize, b: usize, n: usize) -> (f64, f64) {
        let s = 2.0 * (a as f64 + 0.5) / n as f64 - 1.0;
        let t = 2.0 * (b as f64 + 0.5) / n as f64 - 1.0;
        let (x, y, z) = direction(face, s, t);
        (x.atan2(z).to_degrees(), y.atan2(x.hypot(z)).to_degrees())
    }

    fn near(got: &[u8], want: &[u8], tol: i32) -> bool {
        got.iter()
            .zip(want)
            .all(|(&g, &w)| (g as i32 - w as i32).abs() <= tol)
    }

    fn pixel(rgb: &[u8], w: usize, x: usize, y: usize) -> &[u8] {
        &rgb[(y * w + x) * 3..(y * w + x) * 3 + 3]
    }

    #[test]
    fn partial_band_is_placed_with_fill_around() {
        let (src, png) = gradient(1000, 400);
        let pano = Panorama::decode_with(&png, Some(band())).unwrap();
        // The cube follows the full width: 1000·360/360 = 1000 → 8·⌊1000/π/8⌋ = 312.
        let opts = TileOptions {
            tile_size: 128,
            quality: 95,
        };
        let layout = pano.layout(&opts);
        assert_eq!((layout.cube_resolution, layout.max_level), (312, 3));
        let lin = Linear::new();
        let n = 312;

        // Inside: the front face's centre looks at yaw 0.18°, pitch −0.18°: source column
        // (0.18/360 + 0.5)·1000 − 0.5 ≈ 500, row (0.5 + 0.18/72)·400 − 0.5 ≈ 200.5.
        let front = pano.face(0, n, &lin);
        let (yaw, pitch) = angles(0, 156, 156, n);
        let u = ((yaw / 360.0 + 0.5) * 1000.0 - 0.5).round() as u32;
        let v = ((0.5 - pitch / 72.0) * 400.0 - 0.5).round() as u32;
        let want = src.get_pixel(u, v).0;
        let got = pixel(&front, n, 156, 156);
        assert!(near(got, &want, 2), "inside: got {got:?}, want {want:?}");
        // Outside: the top row of the front face looks 45° up, above the band's 36°.
        assert_eq!(pixel(&front, n, 156, 0), FILL);
        assert_eq!(pixel(&front, n, 156, n - 1), FILL);

        // The up face lies above 35.26° (its corners) and mostly above 36°: fill wherever it
        // looks above the band; only its four corners dip into it.
        for (fi, face) in [(4, pano.face(4, n, &lin)), (5, pano.face(5, n, &lin))] {
            let mut picture = 0;
            for b in 0..n {
                for a in 0..n {
                    let (_, pitch) = angles(fi, a, b, n);
                    let px = pixel(&face, n, a, b);
                    if pitch.abs() > 36.0 {
                        assert_eq!(px, FILL, "face {fi} ({a}, {b}) at pitch {pitch}");
                    } else {
                        picture += 1;
                        let corner = a.min(n - 1 - a) < 12 && b.min(n - 1 - b) < 12;
                        assert!(corner, "face {fi} ({a}, {b}) at pitch {pitch}");
                    }
                }
            }
            assert!(
                picture < n * n / 200,
                "face {fi}: {picture} pixels of picture"
            );
        }

        // Through the whole pipeline (JPEG): the centre tile of the up face is all fill, the
        // front face's centre the source colour, its top rows fill.
        let files = tile_to_vec_with(&png, Some(band()), &opts).unwrap();
        let get = |name: &str| {
            let bytes = &files.iter().find(|(p, _)| p == name).unwrap().1;
            image::load_from_memory(bytes).unwrap().to_rgb8()
        };
        let up = get("3/u1_1.jpg");
        assert!(
            up.pixels().all(|p| near(&p.0, &FILL, 1)),
            "the up face's centre tile is fill"
        );
        let tile = get("3/f1_1.jpg");
        let got = tile.get_pixel(156 - 128, 156 - 128).0;
        assert!(near(&got, &want, 4), "inside: got {got:?}, want {want:?}");
        let top = get("3/f0_1.jpg");
        assert!(near(&top.get_pixel(28, 3).0, &FILL, 1));
        // The fallback up face (level 3, 312 ≤ 1024) is fill away from its corners.
        let fallback = get("fallback/u.jpg");
        assert_eq!(fallback.dimensions(), (312, 312));
        assert!(near(&fallback.get_pixel(156, 156).0, &FILL, 1));

        // The preview is the whole sphere, 1000×500: the band fills rows 150..350.
        let preview = get("preview.jpg");
        assert_eq!(preview.dimensions(), (1000, 500));
        assert!(near(&preview.get_pixel(500, 100).0, &FILL, 1));
        assert!(near(
            &preview.get_pixel(500, 250).0,
            &src.get_pixel(500, 200).0,
            4
        ));
        let (raw, pw, ph) = pano.preview(&lin);
        assert_eq!((pw, ph), (1000, 500));
        assert_eq!(pixel(&raw, 1000, 10, 149), FILL);
        assert_eq!(pixel(&raw, 1000, 10, 350), FILL);
        assert_ne!(pixel(&raw, 1000, 10, 150), FILL);
        assert_ne!(pixel(&raw, 1000, 10, 349), FILL);

        // Deterministic like a full panorama.
        assert!(files == tile_to_vec_with(&png, Some(band()), &opts).unwrap());
    }

    #[test]
    fn partial_image_clamps_at_its_edges_and_wraps_in_the_preview() {
        // 200×100 over 90°×45°: left half black, right half white. A wrap at the right edge
        // would mix in the black left column.
        let img = image::RgbImage::from_fn(200, 100, |i, _| {
            if i < 100 {
                image::Rgb([0, 0, 0])
            } else {
                image::Rgb([255, 255, 255])
            }
        });
        let mut png = Vec::new();
        img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let cov = Coverage {
            haov: 90.0,
            vaov: 45.0,
            v_offset: 0.0,
            h_offset: 0.0,
        };
        let pano = Panorama::decode_with(&png, Some(cov)).unwrap();
        // 200·360/90 = 800 wide over the full circle → 8·⌊800/π/8⌋ = 248.
        assert_eq!(pano.full_width(), 800);
        let n = 248;
        let lin = Linear::new();
        let front = pano.face(0, n, &lin);
        // Column 247 looks at yaw 44.88°: source column 199.24, between the last column and
        // (clamped) itself.
        let (yaw, _) = angles(0, 247, 124, n);
        assert!(yaw > 44.8 && yaw < 45.0, "{yaw}");
        assert_eq!(pixel(&front, n, 247, 124), [255, 255, 255]);
        assert_eq!(pixel(&front, n, 0, 124), [0, 0, 0]);
        // The right face looks past 45°: fill.
        let right = pano.face(1, n, &lin);
        assert_eq!(pixel(&right, n, 0, 124), FILL);

        // Centred on the seam (yaw 180°), the preview holds it at both of its ends.
        let back = Coverage {
            h_offset: 180.0,
            ..cov
        };
        let pano = Panorama::decode_with(&png, Some(back)).unwrap();
        let (raw, pw, ph) = pano.preview(&lin);
        assert_eq!((pw, ph), (800, 400));
        // Columns 700..800 hold the black half, 0..100 the white half; the middle is fill.
        assert_eq!(pixel(&raw, 800, 750, 200), [0, 0, 0]);
        assert_eq!(pixel(&raw, 800, 50, 200), [255, 255, 255]);
        assert_eq!(pixel(&raw, 800, 400, 200), FILL);
        assert_eq!(pixel(&raw, 800, 750, 100), FILL);
        // And the back face's centre (yaw 180°) sees it, the front's does not.
        assert_ne!(pixel(&pano.face(2, n, &lin), n, 124, 124), FILL);
        assert_eq!(pixel(&pano.face(0, n, &lin), n, 124, 124), FILL);
    }

    /// `jpeg` with an APP1 XMP segment after its start-of-image marker.
    fn with_xmp(jpeg: &[u8], xmp: &str) -> Vec<u8> {
        let header = b"http://ns.adobe.com/xap/1.0/\0";
        let len = (2 + header.len() + xmp.len()) as u16;
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(header);
        out.extend_from_slice(xmp.as_bytes());
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn coverage_from_xmp_else_a_clear_refusal() {
        let (img, png) = gradient(1000, 400);
        let err = Panorama::decode(&png).err().unwrap();
        assert!(matches!(err, TileError::NotEquirectangular { .. }), "{err}");
        let text = err.to_string();
        assert!(text.contains("--haov") && text.contains("--vaov"), "{text}");

        let mut jpeg = Vec::new();
        img.write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        // Rows 150..350 of a 1000×500 full panorama: 360° × 72° about the horizon.
        let xmp = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description
            xmlns:GPano="http://ns.google.com/photos/1.0/panorama/"
            GPano:ProjectionType="equirectangular" GPano:PoseHeadingDegrees="30"
            GPano:FullPanoWidthPixels="1000" GPano:FullPanoHeightPixels="500"
            GPano:CroppedAreaImageWidthPixels="1000" GPano:CroppedAreaImageHeightPixels="200"
            GPano:CroppedAreaLeftPixels="0" GPano:CroppedAreaTopPixels="150"/>
            </rdf:RDF></x:xmpmeta>"#;
        let tagged = with_xmp(&jpeg, xmp);
        let pano = Panorama::decode(&tagged).unwrap();
        assert_eq!(pano.coverage(), band());
        assert_eq!(pano.gpano().and_then(GPano::north_offset), Some(-30.0));
        assert_eq!(probe_with(&tagged, None).unwrap(), (1000, 400, band()));
        // A coverage given wins over the XMP.
        let other = Coverage {
            vaov: 90.0,
            ..band()
        };
        assert_eq!(
            Panorama::decode_with(&tagged, Some(other))
                .unwrap()
                .coverage(),
            other
        );
        assert_eq!(image_size(&png).unwrap(), (1000, 400));
    }

    #[test]
    fn bad_coverages_are_refused_before_decoding() {
        let (_, png) = gradient(100, 50);
        for c in [
            Coverage {
                haov: 0.0,
                ..Coverage::default()
            },
            Coverage {
                vaov: 200.0,
                ..Coverage::default()
            },
            Coverage {
                vaov: 90.0,
                v_offset: 60.0,
                ..Coverage::default()
            },
            Coverage {
                h_offset: f32::NAN,
                ..Coverage::default()
            },
        ] {
            let err = Panorama::decode_with(&png, Some(c)).err().unwrap();
            assert!(matches!(err, TileError::Coverage(_)), "{c:?}: {err}");
        }
        // 100 pixels over 0.01° would be a 3.6-million-pixel-wide panorama.
        let tiny = Coverage {
            haov: 0.01,
            vaov: 0.01,
            ..Coverage::default()
        };
        let err = Panorama::decode_with(&png, Some(tiny)).err().unwrap();
        assert!(
            matches!(err, TileError::Coverage(ref m) if m.contains("3600000")),
            "{err}"
        );
    }
}
