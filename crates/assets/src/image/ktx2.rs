//! KTX2 / Basis Universal textures as `KHR_texture_basisu` allows them (ETC1S or UASTC LDR, the
//! first layer and face of each level), transcoded to RGBA8 or to the block formats a GPU
//! samples (BC7, ASTC 4×4, ETC2). The `basisu` crate's container parser and per-target
//! converters do the work; the dispatch is ours and names only these four targets, so a build
//! carries their conversion tables and not the crate's others (PVRTC, ATC, BC1, HDR and XUASTC
//! sources…): the web's KTX2 decoder module weighs what a tour's textures need.

use super::BlockFormat;
use basisu::basislz::etc1s::Etc1sTranscoder;
use basisu::ktx2::{BasisFormat, Ktx2Header};

/// What a level is transcoded to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// RGBA8 pixels, the level's width × height.
    Rgba,
    /// 16-byte blocks of 4×4 pixels.
    Blocks(BlockFormat),
}

/// The ETC1S (BasisLZ) global data: codebooks and per-image slice positions.
struct Etc1s {
    codec: Etc1sTranscoder,
    /// Per image (level-major, then layer, then face): RGB and alpha slice offset and length
    /// within the level's data.
    images: Vec<[usize; 4]>,
}

/// An opened KTX2 texture.
pub(crate) struct Ktx2<'a> {
    data: &'a [u8],
    header: Ktx2Header,
    etc1s: Option<Etc1s>,
}

fn u16_at(d: &[u8], at: usize) -> Option<u32> {
    Some(u16::from_le_bytes(range(d, at, 2)?.try_into().ok()?) as u32)
}

fn u32_at(d: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(range(d, at, 4)?.try_into().ok()?) as usize)
}

/// Images a level holds: layers × faces (each at least 1), `None` past `usize`.
fn images_per_level(h: &Ktx2Header) -> Option<usize> {
    (h.layer_count.max(1) as usize).checked_mul(h.face_count.max(1) as usize)
}

/// `data[at..at + len]`, checked.
fn range(data: &[u8], at: usize, len: usize) -> Option<&[u8]> {
    data.get(at..at.checked_add(len)?)
}

impl<'a> Ktx2<'a> {
    /// Parses the container and, for ETC1S, its global data (KTX2 §3.12: a 20-byte header, one
    /// 20-byte image description per image, then the endpoint and selector codebooks and the
    /// Huffman tables).
    pub(crate) fn open(data: &'a [u8]) -> Result<Ktx2<'a>, String> {
        let header =
            Ktx2Header::parse(data).ok_or("not a readable KTX2 / Basis Universal texture")?;
        let etc1s = match header.format {
            BasisFormat::Uastc => None,
            BasisFormat::Etc1s => Some(
                Self::etc1s(data, &header)
                    .ok_or("its ETC1S (BasisLZ) global data is damaged")?,
            ),
            other => {
                return Err(format!(
                    "its Basis Universal format {other:?} is not one KHR_texture_basisu allows (ETC1S or UASTC)"
                ))
            }
        };
        if header.levels.is_empty() {
            return Err("it has no mip level".into());
        }
        Ok(Ktx2 {
            data,
            header,
            etc1s,
        })
    }

    fn etc1s(data: &[u8], h: &Ktx2Header) -> Option<Etc1s> {
        let sgd = usize::try_from(h.sgd_byte_offset).ok()?;
        let endpoints = u16_at(data, sgd)?;
        let selectors = u16_at(data, sgd + 2)?;
        let e_len = u32_at(data, sgd + 4)?;
        let s_len = u32_at(data, sgd + 8)?;
        let t_len = u32_at(data, sgd + 12)?;
        let count = h.levels.len().checked_mul(images_per_level(h)?)?;
        let descs = sgd.checked_add(20)?;
        // Each description is read from the file: a count the file cannot hold fails below.
        let mut images = Vec::with_capacity(count.min(1 << 16));
        for i in 0..count {
            let d = descs.checked_add(i.checked_mul(20)?)?;
            images.push([
                u32_at(data, d + 4)?,
                u32_at(data, d + 8)?,
                u32_at(data, d + 12)?,
                u32_at(data, d + 16)?,
            ]);
        }
        let e = descs.checked_add(count.checked_mul(20)?)?;
        let s = e.checked_add(e_len)?;
        let t = s.checked_add(s_len)?;
        let mut codec = Etc1sTranscoder::new();
        let ok = codec.decode_palettes(
            endpoints,
            range(data, e, e_len)?,
            selectors,
            range(data, s, s_len)?,
        ) && codec.decode_tables(range(data, t, t_len)?);
        ok.then_some(Etc1s { codec, images })
    }

    /// Width and height of level 0.
    pub(crate) fn dimensions(&self) -> (u32, u32) {
        (self.header.width, self.header.height)
    }

    /// Mip levels in the file.
    pub(crate) fn levels(&self) -> u32 {
        self.header.levels.len() as u32
    }

    /// Level `level`'s first layer and face transcoded to `target`.
    pub(crate) fn transcode(&self, level: u32, target: Target) -> Result<Vec<u8>, String> {
        let damaged = || format!("level {level} does not transcode (damaged or cut short)");
        let l = self
            .header
            .levels
            .get(level as usize)
            .ok_or_else(|| format!("there is no level {level}"))?;
        let (w, h) = (
            (self.header.width >> level).max(1),
            (self.header.height >> level).max(1),
        );
        let (bx, by) = (w.div_ceil(4), h.div_ceil(4));
        let blocks = bx as usize * by as usize;
        let mut out = vec![
            0u8;
            match target {
                Target::Rgba => w as usize * h as usize * 4,
                Target::Blocks(_) => blocks * 16,
            }
        ];
        let start = usize::try_from(l.byte_offset).map_err(|_| damaged())?;
        let len = usize::try_from(l.byte_length).map_err(|_| damaged())?;
        let level_data = range(self.data, start, len).ok_or_else(damaged)?;
        let done = match &self.etc1s {
            Some(e) => {
                let [rgb_at, rgb_len, alpha_at, alpha_len] = *e
                    .images
                    .get(
                        images_per_level(&self.header)
                            .and_then(|n| n.checked_mul(level as usize))
                            .ok_or_else(damaged)?,
                    )
                    .ok_or_else(damaged)?;
                let rgb = range(level_data, rgb_at, rgb_len).ok_or_else(damaged)?;
                let alpha = match self.header.has_alpha {
                    true => Some(range(level_data, alpha_at, alpha_len).ok_or_else(damaged)?),
                    false => None,
                };
                let t = &e.codec;
                match (target, alpha) {
                    (Target::Rgba, Some(a)) => {
                        t.transcode_image_rgba32(rgb, a, bx, by, w, h, None, &mut out)
                    }
                    (Target::Rgba, None) => {
                        t.transcode_slice_rgba32(rgb, bx, by, w, h, None, &mut out)
                    }
                    (Target::Blocks(BlockFormat::Bc7), Some(a)) => {
                        t.transcode_image_bc7_rgba(rgb, a, bx, by, true, None, &mut out)
                    }
                    (Target::Blocks(BlockFormat::Bc7), None) => {
                        t.transcode_slice_bc7(rgb, bx, by, true, None, &mut out)
                    }
                    (Target::Blocks(BlockFormat::Astc4x4), Some(a)) => {
                        t.transcode_image_astc_rgba(rgb, a, bx, by, None, &mut out)
                    }
                    (Target::Blocks(BlockFormat::Astc4x4), None) => {
                        t.transcode_slice_astc(rgb, bx, by, None, &mut out)
                    }
                    (Target::Blocks(BlockFormat::Etc2Rgba8), Some(a)) => {
                        t.transcode_image_etc2_rgba(rgb, a, bx, by, None, &mut out)
                    }
                    (Target::Blocks(BlockFormat::Etc2Rgba8), None) => {
                        t.transcode_slice_etc2_rgba_opaque(rgb, bx, by, None, &mut out)
                    }
                }
            }
            None => {
                let image =
                    self.uastc_image(level_data, l.uncompressed_byte_length, blocks * 16)?;
                uastc(&image, bx, w, h, target, &mut out)
            }
        };
        done.ok_or_else(damaged)?;
        Ok(out)
    }

    /// The first image of a UASTC level (`size` bytes of 16-byte blocks), inflated first when the
    /// file is Zstandard-supercompressed; only those bytes are decompressed.
    fn uastc_image(&self, level: &[u8], uncompressed: u64, size: usize) -> Result<Vec<u8>, String> {
        let short =
            || format!("a UASTC level holds fewer than the {size} bytes of its first image");
        match self.header.supercompression {
            0 => Ok(level.get(..size).ok_or_else(short)?.to_vec()),
            2 => {
                use ruzstd::io::Read;
                if uncompressed < size as u64 {
                    return Err(short());
                }
                let mut z = ruzstd::decoding::StreamingDecoder::new(level)
                    .map_err(|e| format!("its Zstandard data does not decode ({e})"))?;
                let mut image = vec![0u8; size];
                z.read_exact(&mut image)
                    .map_err(|e| format!("its Zstandard data does not decode ({e})"))?;
                Ok(image)
            }
            s => Err(format!("unknown supercompression scheme {s}")),
        }
    }
}

/// A UASTC image (`bx` blocks a row) to `target`, into `out` (sized for it).
fn uastc(image: &[u8], bx: u32, w: u32, h: u32, target: Target, out: &mut [u8]) -> Option<()> {
    use basisu::etc::uastc_to_etc2::transcode_uastc_to_etc2_rgba;
    use basisu::uastc::astc_pack::transcode_uastc_to_astc;
    use basisu::uastc::bc7::transcode_uastc_to_bc7;
    use basisu::uastc::unpack::unpack_uastc;
    for (b, block) in image.chunks_exact(16).enumerate() {
        let src: &[u8; 16] = block.try_into().ok()?;
        let encoded = match target {
            Target::Blocks(BlockFormat::Bc7) => transcode_uastc_to_bc7(src)?,
            Target::Blocks(BlockFormat::Astc4x4) => transcode_uastc_to_astc(src)?,
            Target::Blocks(BlockFormat::Etc2Rgba8) => transcode_uastc_to_etc2_rgba(src)?,
            Target::Rgba => {
                let px = unpack_uastc(src, false)?;
                let (x0, y0) = ((b as u32 % bx) * 4, (b as u32 / bx) * 4);
                for y in 0..4.min(h.saturating_sub(y0)) {
                    for x in 0..4.min(w.saturating_sub(x0)) {
                        let c = px[(y * 4 + x) as usize];
                        let o = ((y0 + y) * w + x0 + x) as usize * 4;
                        out.get_mut(o..o + 4)?
                            .copy_from_slice(&[c.r(), c.g(), c.b(), c.a()]);
                    }
                }
                continue;
            }
        };
        out.get_mut(b * 16..b * 16 + 16)?.copy_from_slice(&encoded);
    }
    Some(())
}
