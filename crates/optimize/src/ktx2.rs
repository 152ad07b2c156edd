//! Textures as KTX2 with Basis Universal data (`KHR_texture_basisu`). The Basis Universal
//! encoder (C++, through the basis-universal crate) compresses the image with its mip chain to a
//! `.basis` file; this module rewraps that file's slices as a KTX2 container: ETC1S with its
//! codebooks as BasisLZ global data, or UASTC with each level Zstandard-compressed.

use basis_universal::{BasisTextureFormat, ColorSpace, Compressor, CompressorParams};
use disan_assets::RgbaImage;

/// Which Basis Universal codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// ETC1S: small files (about 1–2 bits a pixel), softer detail.
    Etc1s,
    /// UASTC: near-BC7 quality, 8 bits a pixel before Zstandard (no rate-distortion pass: it
    /// would halve the encoding speed for about a third less after Zstandard).
    Uastc,
}

/// What a texture holds, which sets its colour space and metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Colour (base colour, emissive): sRGB, perceptual metric, mips filtered in linear light.
    Color,
    /// Data (metallic-roughness, occlusion): linear.
    Data,
    /// A normal map: linear, no selector RDO (basisu's `-normal_map`).
    Normal,
}

/// Supercompression schemes.
const SS_BASISLZ: u32 = 1;
const SS_ZSTD: u32 = 2;
/// DFD colour models and channels.
const MODEL_ETC1S: u8 = 163;
const MODEL_UASTC: u8 = 166;
const CHANNEL_ETC1S_RGB: u8 = 0;
const CHANNEL_ETC1S_AAA: u8 = 15;
const CHANNEL_UASTC_RGB: u8 = 0;
const CHANNEL_UASTC_RGBA: u8 = 3;
/// ETC1S quality (1–255): basisu's default (192 took a quarter longer and wrote 2.6 times the
/// bytes on a noisy 2K card).
const ETC1S_QUALITY: u32 = 128;

/// Compresses `img` (sides at most 16384) to a KTX2 file with its whole mip chain.
pub fn encode(img: &RgbaImage, codec: Codec, role: Role) -> Result<Vec<u8>, String> {
    if img.width == 0 || img.height == 0 || img.width > 16384 || img.height > 16384 {
        return Err(format!(
            "a {}×{} texture cannot be Basis Universal encoded",
            img.width, img.height
        ));
    }
    if img.pixels.len() != img.width as usize * img.height as usize * 4 {
        return Err("texture pixels do not match its size".into());
    }
    let mut params = CompressorParams::new();
    params.set_basis_format(match codec {
        Codec::Etc1s => BasisTextureFormat::ETC1S,
        Codec::Uastc => BasisTextureFormat::UASTC4x4,
    });
    match role {
        Role::Color => params.set_color_space(ColorSpace::Srgb),
        Role::Data => params.set_color_space(ColorSpace::Linear),
        Role::Normal => params.tune_for_normal_maps(),
    }
    match codec {
        Codec::Etc1s => params.set_etc1s_quality_level(ETC1S_QUALITY),
        Codec::Uastc => params.set_rdo_uastc(None),
    }
    params.set_generate_mipmaps(true);
    params.set_mipmap_smallest_dimension(1);
    params.set_print_status_to_stdout(false);
    params
        .source_image_mut(0)
        .init(&img.pixels, img.width, img.height, 4);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get() as u32);
    let mut compressor = Compressor::new(threads);
    // SAFETY: the parameters are in the ranges the encoder documents (checked above and by the
    // setters), and the one source image was initialised from `img.pixels`, whose length matches
    // its size.
    let basis = unsafe {
        if !compressor.init(&params) {
            return Err("the Basis Universal encoder refused its parameters".into());
        }
        compressor
            .process()
            .map_err(|e| format!("Basis Universal encoding failed ({e:?})"))?;
        compressor.basis_file()
    };
    basis_to_ktx2(basis, role == Role::Color)
}

/// One slice of a `.basis` file.
struct Slice {
    level: u32,
    alpha: bool,
    data: std::ops::Range<usize>,
}

/// A `.basis` file (one image with its mip levels) rewrapped as KTX2.
fn basis_to_ktx2(basis: &[u8], srgb: bool) -> Result<Vec<u8>, String> {
    let bad = |what: &str| format!("the encoder's .basis output is unreadable ({what})");
    let le = |at: usize, n: usize| -> Result<usize, String> {
        let b = basis.get(at..at + n).ok_or_else(|| bad("truncated"))?;
        Ok(b.iter().rev().fold(0usize, |v, &x| (v << 8) | x as usize))
    };
    if le(0, 2)? != ((b'B' as usize) << 8 | b's' as usize) {
        return Err(bad("signature"));
    }
    let total_slices = le(14, 3)?;
    let uastc = match le(20, 1)? {
        0 => false,
        1 => true,
        _ => return Err(bad("texture format")),
    };
    let has_alpha = le(21, 2)? & 4 != 0;
    let range = |ofs: usize, len: usize| -> Result<std::ops::Range<usize>, String> {
        let end = ofs.checked_add(len).ok_or_else(|| bad("offset"))?;
        basis.get(ofs..end).ok_or_else(|| bad("offset"))?;
        Ok(ofs..end)
    };
    let slices_at = le(65, 4)?;
    let mut slices = Vec::with_capacity(total_slices);
    let (mut width, mut height) = (0u32, 0u32);
    for i in 0..total_slices {
        let at = slices_at + i * 23;
        if le(at, 3)? != 0 {
            return Err(bad("more than one image"));
        }
        let level = le(at + 3, 1)? as u32;
        if level == 0 {
            width = le(at + 5, 2)? as u32;
            height = le(at + 7, 2)? as u32;
        }
        slices.push(Slice {
            level,
            alpha: le(at + 4, 1)? & 1 != 0,
            data: range(le(at + 13, 4)?, le(at + 17, 4)?)?,
        });
    }
    let levels = slices.iter().map(|s| s.level + 1).max().unwrap_or(0) as usize;
    if levels == 0 || width == 0 || height == 0 {
        return Err(bad("no slices"));
    }
    // Each level's bytes: its colour slice, then its alpha slice (ETC1S).
    let mut level_data: Vec<Vec<u8>> = vec![Vec::new(); levels];
    // ETC1S image descriptors: flags, colour offset and length, alpha offset and length.
    let mut image_descs = vec![[0u32; 5]; levels];
    for s in &slices {
        let data = &mut level_data[s.level as usize];
        let desc = &mut image_descs[s.level as usize];
        let (ofs, len) = (data.len() as u32, s.data.len() as u32);
        if s.alpha {
            (desc[3], desc[4]) = (ofs, len);
        } else {
            (desc[1], desc[2]) = (ofs, len);
        }
        data.extend_from_slice(&basis[s.data.clone()]);
    }

    let (scheme, dfd, sgd, uncompressed) = if uastc {
        let channel = if has_alpha {
            CHANNEL_UASTC_RGBA
        } else {
            CHANNEL_UASTC_RGB
        };
        let dfd = dfd(MODEL_UASTC, srgb, &[(0, 127, channel)]);
        let raw: Vec<u64> = level_data.iter().map(|d| d.len() as u64).collect();
        for d in &mut level_data {
            *d = ruzstd::encoding::compress_to_vec(
                &d[..],
                ruzstd::encoding::CompressionLevel::Fastest,
            );
        }
        (SS_ZSTD, dfd, Vec::new(), raw)
    } else {
        let mut samples = vec![(0u16, 63u8, CHANNEL_ETC1S_RGB)];
        if has_alpha {
            samples.push((64, 63, CHANNEL_ETC1S_AAA));
        }
        let dfd = dfd(MODEL_ETC1S, srgb, &samples);
        let endpoints = range(le(41, 4)?, le(45, 3)?)?;
        let selectors = range(le(50, 4)?, le(54, 3)?)?;
        let tables = range(le(57, 4)?, le(61, 4)?)?;
        let mut sgd = Vec::new();
        sgd.extend_from_slice(&(le(39, 2)? as u16).to_le_bytes());
        sgd.extend_from_slice(&(le(48, 2)? as u16).to_le_bytes());
        for len in [endpoints.len(), selectors.len(), tables.len(), 0] {
            sgd.extend_from_slice(&(len as u32).to_le_bytes());
        }
        for desc in &image_descs {
            for v in desc {
                sgd.extend_from_slice(&v.to_le_bytes());
            }
        }
        for r in [endpoints, selectors, tables] {
            sgd.extend_from_slice(&basis[r]);
        }
        (SS_BASISLZ, dfd, sgd, vec![0; levels])
    };

    let mut kvd = Vec::new();
    let entry = b"KTXwriter\0disan optimize (Basis Universal 1.16)\0";
    kvd.extend_from_slice(&(entry.len() as u32).to_le_bytes());
    kvd.extend_from_slice(entry);
    while !kvd.len().is_multiple_of(4) {
        kvd.push(0);
    }

    let index_len = levels * 24;
    let dfd_at = 80 + index_len;
    let kvd_at = dfd_at + dfd.len();
    let mut out = vec![0u8; kvd_at];
    out.extend_from_slice(&kvd);
    let mut sgd_at = 0;
    if !sgd.is_empty() {
        while !out.len().is_multiple_of(8) {
            out.push(0);
        }
        sgd_at = out.len();
        out.extend_from_slice(&sgd);
    }
    // Levels, smallest first (supercompressed: no alignment).
    let mut index = vec![(0u64, 0u64, 0u64); levels];
    for level in (0..levels).rev() {
        index[level] = (
            out.len() as u64,
            level_data[level].len() as u64,
            uncompressed[level],
        );
        out.extend_from_slice(&level_data[level]);
    }
    let header: [u32; 13] = [
        0, // vkFormat: VK_FORMAT_UNDEFINED (Basis Universal)
        1, // typeSize
        width,
        height,
        0, // pixelDepth
        0, // layerCount
        1, // faceCount
        levels as u32,
        scheme,
        dfd_at as u32,
        dfd.len() as u32,
        kvd_at as u32,
        kvd.len() as u32,
    ];
    out[..12].copy_from_slice(&disan_assets::image::KTX2_MAGIC);
    for (k, v) in header.iter().enumerate() {
        out[12 + k * 4..16 + k * 4].copy_from_slice(&v.to_le_bytes());
    }
    out[64..72].copy_from_slice(&(sgd_at as u64).to_le_bytes());
    out[72..80].copy_from_slice(&(sgd.len() as u64).to_le_bytes());
    for (k, (ofs, len, raw)) in index.iter().enumerate() {
        let at = 80 + k * 24;
        out[at..at + 8].copy_from_slice(&ofs.to_le_bytes());
        out[at + 8..at + 16].copy_from_slice(&len.to_le_bytes());
        out[at + 16..at + 24].copy_from_slice(&raw.to_le_bytes());
    }
    out[dfd_at..kvd_at].copy_from_slice(&dfd);
    Ok(out)
}

/// A data format descriptor: one basic block of 4×4 texel blocks in `model`, BT.709 primaries,
/// sRGB or linear transfer, with `samples` (bit offset, bit length − 1, channel).
fn dfd(model: u8, srgb: bool, samples: &[(u16, u8, u8)]) -> Vec<u8> {
    let block = 24 + 16 * samples.len();
    let mut d = Vec::with_capacity(4 + block);
    d.extend_from_slice(&((4 + block) as u32).to_le_bytes());
    d.extend_from_slice(&0u32.to_le_bytes()); // vendor Khronos, descriptor type basic
    d.extend_from_slice(&2u16.to_le_bytes()); // version 1.3
    d.extend_from_slice(&(block as u16).to_le_bytes());
    d.extend_from_slice(&[model, 1, if srgb { 2 } else { 1 }, 0]);
    d.extend_from_slice(&[3, 3, 0, 0]); // 4×4 texel blocks
    d.extend_from_slice(&[0; 8]); // bytesPlane: 0 when supercompressed
    for &(offset, length, channel) in samples {
        d.extend_from_slice(&offset.to_le_bytes());
        d.extend_from_slice(&[length, channel]);
        d.extend_from_slice(&[0; 4]); // sample position
        d.extend_from_slice(&0u32.to_le_bytes());
        d.extend_from_slice(&u32::MAX.to_le_bytes());
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A test card: gradients, fine stripes and, when `alpha`, a transparent half.
    fn card(w: u32, h: u32, alpha: bool) -> RgbaImage {
        let mut pixels = Vec::with_capacity((w * h * 4) as usize);
        for y in 0..h {
            for x in 0..w {
                let stripe = if (x / 4 + y / 8) % 2 == 0 { 40 } else { 0 };
                pixels.extend([
                    (x * 255 / w) as u8,
                    (y * 255 / h) as u8,
                    (128 + stripe) as u8,
                    if alpha && x >= w / 2 { 0 } else { 255 },
                ]);
            }
        }
        RgbaImage {
            width: w,
            height: h,
            pixels,
        }
    }

    fn mean_error(a: &RgbaImage, b: &RgbaImage) -> f64 {
        let sum: u64 = a
            .pixels
            .iter()
            .zip(&b.pixels)
            .map(|(x, y)| x.abs_diff(*y) as u64)
            .sum();
        sum as f64 / a.pixels.len() as f64
    }

    /// Both codecs write KTX2 that Disan's own reader takes: it transcodes back to the card
    /// (RGBA8 and, with the whole mip chain, to BC7), alpha kept.
    #[test]
    fn ktx2_round_trips_through_the_reader() {
        for codec in [Codec::Etc1s, Codec::Uastc] {
            for alpha in [false, true] {
                let src = card(96, 64, alpha);
                let ktx2 = encode(&src, codec, Role::Color).unwrap();
                assert!(disan_assets::image::is_ktx2(&ktx2));
                let back = disan_assets::image::decode_ktx2(&ktx2, "card.ktx2").unwrap();
                assert_eq!((back.width, back.height), (96, 64));
                let err = mean_error(&src, &back);
                assert!(err < 6.0, "{codec:?} alpha {alpha}: mean error {err}");
                let right_alpha = back.pixels[(10 * 96 + 80) * 4 + 3];
                assert_eq!(right_alpha, if alpha { 0 } else { 255 }, "{codec:?}");
                let bc7 = disan_assets::image::transcode_ktx2(
                    &ktx2,
                    "card.ktx2",
                    disan_assets::image::BlockFormat::Bc7,
                )
                .unwrap()
                .expect("a full mip chain that transcodes to BC7");
                assert_eq!(bc7.levels.len(), 7);
                assert_eq!(bc7.levels[0].len(), 24 * 16 * 16);
            }
        }
    }

    /// UASTC levels are Zstandard-compressed and ETC1S is far smaller than raw pixels.
    #[test]
    fn ktx2_is_compressed() {
        let src = card(256, 256, false);
        let etc1s = encode(&src, Codec::Etc1s, Role::Color).unwrap();
        let uastc = encode(&src, Codec::Uastc, Role::Color).unwrap();
        let scheme = |b: &[u8]| u32::from_le_bytes([b[44], b[45], b[46], b[47]]);
        assert_eq!(scheme(&etc1s), SS_BASISLZ);
        assert_eq!(scheme(&uastc), SS_ZSTD);
        // Plain UASTC would be 1 byte a pixel (with mips, 4/3 of that).
        assert!(uastc.len() < 256 * 256, "UASTC {} bytes", uastc.len());
        assert!(etc1s.len() < uastc.len(), "ETC1S {} bytes", etc1s.len());
    }

    #[test]
    fn a_texture_beyond_the_encoder_is_refused() {
        let img = RgbaImage {
            width: 0,
            height: 4,
            pixels: Vec::new(),
        };
        assert!(encode(&img, Codec::Etc1s, Role::Color).is_err());
    }
}
