//! Images: encoded bytes as found in files, decoded RGBA8 pixels, header-only size reads.

#[cfg(feature = "decode")]
use crate::AssetError;

/// An image still encoded (PNG, JPEG…), with its MIME type when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedImage {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// MIME type (`image/png`, `image/jpeg`), if the container says.
    pub mime: Option<String>,
}

/// Decoded pixels: RGBA8, rows top to bottom, straight (not premultiplied) alpha.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbaImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 4` bytes.
    pub pixels: Vec<u8>,
}

impl RgbaImage {
    /// A 1×1 image of one colour.
    pub fn solid(rgba: [u8; 4]) -> Self {
        RgbaImage {
            width: 1,
            height: 1,
            pixels: rgba.to_vec(),
        }
    }
}

/// Largest side accepted for a decoded image (beyond any GPU's texture limit).
pub const MAX_IMAGE_SIDE: u32 = 16384;

/// Most pixels accepted for a decoded image (16384 × 8192, a 512 MiB RGBA8 buffer).
pub const MAX_IMAGE_PIXELS: u64 = 16384 * 8192;

/// True when an image of this size is an equirectangular panorama (2:1, one pixel of slack).
pub fn is_equirectangular(width: u32, height: u32) -> bool {
    height > 0 && (width as i64 - 2 * height as i64).abs() <= 1
}

/// An error text on one line (some decoders end theirs with a newline).
#[cfg(feature = "decode")]
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads only the header to get the size.
#[cfg(feature = "decode")]
pub fn dimensions(bytes: &[u8], file: &str) -> Result<(u32, u32), AssetError> {
    if bytes.starts_with(BLOCKS_MAGIC) {
        let c = decode_blocks(bytes, file)?;
        return Ok((c.width, c.height));
    }
    #[cfg(feature = "compressed")]
    if is_ktx2(bytes) {
        return basisu::Transcoder::new(bytes)
            .map(|t| t.base_dimensions())
            .map_err(|e| AssetError::Image {
                file: file.into(),
                message: format!("not a readable KTX2 / Basis Universal texture ({e:?})"),
            });
    }
    ::image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| AssetError::Image {
            file: file.into(),
            message: e.to_string(),
        })?
        .into_dimensions()
        .map_err(|e| AssetError::Image {
            file: file.into(),
            message: format!("not a readable image: {}", one_line(&e.to_string())),
        })
}

/// Reads the header and refuses sizes beyond [`MAX_IMAGE_SIDE`] or [`MAX_IMAGE_PIXELS`]; nothing
/// is decoded or allocated for the pixels.
#[cfg(feature = "decode")]
pub fn check_header(bytes: &[u8], file: &str) -> Result<(u32, u32), AssetError> {
    let (w, h) = dimensions(bytes, file)?;
    if w == 0 || h == 0 || w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE {
        return Err(AssetError::Image {
            file: file.into(),
            message: format!("image is {w}×{h}; sides must be 1..={MAX_IMAGE_SIDE} pixels"),
        });
    }
    if w as u64 * h as u64 > MAX_IMAGE_PIXELS {
        return Err(AssetError::Image {
            file: file.into(),
            message: format!("image is {w}×{h}, more than {MAX_IMAGE_PIXELS} pixels (16384×8192)"),
        });
    }
    if let Some(message) = data_problem(bytes, w, h) {
        return Err(AssetError::Image {
            file: file.into(),
            message,
        });
    }
    Ok((w, h))
}

/// Why an encoded image's data cannot hold the `width`×`height` pixels its header declares, from
/// its structure alone (markers, chunks, the first TIFF directory), before anything is decoded: a
/// few hundred bytes claiming 32000×16000 must not cost the gigabytes of pixels a decoder would
/// allocate and fill. `None` when the data is plausible, or the format is not one checked here.
///
/// - JPEG (Huffman-coded DCT): every 8×8 block of the largest component costs at least one bit
///   (its DC code), so the scans need at least blocks/8 bytes; a file that ends before its
///   end-of-image marker is truncated (decoders would fill the rest with grey).
/// - PNG: deflate expands at most 1032:1, so the IDAT chunks need at least 1/1032 of the rows.
/// - TIFF: the strips' or tiles' bytes (at most the file's) times the most the compression can
///   expand (none 1:1, PackBits 64:1, Deflate 1032:1, LZW 4096:1, JPEG one bit per 8×8 block,
///   CCITT G4 one bit per row); a compression the decoder does not read is refused here too.
pub fn data_problem(bytes: &[u8], width: u32, height: u32) -> Option<String> {
    png_too_short(bytes, width, height)
        .or_else(|| jpeg_problem(bytes, width, height))
        .or_else(|| tiff_problem(bytes, width, height))
}

/// What the markers of a JPEG file say: its frame and how much entropy-coded data it has.
#[derive(Debug, Default)]
struct JpegLayout {
    /// Huffman-coded DCT frame (SOF0–SOF2): every block's DC costs at least one bit.
    huffman_dct: bool,
    /// Most 8×8 blocks of one component.
    max_blocks: u64,
    /// Bytes of entropy-coded data in all scans.
    scan_bytes: u64,
    /// The end-of-image marker follows the last scan.
    complete: bool,
}

/// Walks a JPEG's markers (`None` if it is not a JPEG). Entropy-coded data is skipped the way a
/// decoder does (`FF 00` stuffing, `RSTn`); a file that ends before `EOI` is `complete: false`.
fn jpeg_layout(bytes: &[u8]) -> Option<JpegLayout> {
    let mut out = JpegLayout::default();
    let rest = bytes.strip_prefix(&[0xFF, 0xD8])?;
    let be16 = |at: usize| -> Option<usize> {
        Some(u16::from_be_bytes([*rest.get(at)?, *rest.get(at + 1)?]) as usize)
    };
    let mut i = 0usize;
    while i < rest.len() {
        if rest[i] != 0xFF {
            i += 1; // stray byte between segments; decoders skip these too
            continue;
        }
        let Some(&m) = rest.get(i + 1) else { break };
        i += 2;
        match m {
            0xFF => i -= 1, // fill byte
            0xD9 => {
                out.complete = true;
                break;
            }
            0x01 | 0xD0..=0xD8 => {}
            _ => {
                let Some(len) = be16(i).filter(|l| *l >= 2) else {
                    break;
                };
                let Some(seg) = rest.get(i + 2..i + len) else {
                    break;
                };
                if matches!(m, 0xC0..=0xCF) && !matches!(m, 0xC4 | 0xC8 | 0xCC) {
                    out.huffman_dct = matches!(m, 0xC0..=0xC2);
                    out.max_blocks = sof_max_blocks(seg).unwrap_or(0);
                }
                i += len;
                if m == 0xDA {
                    // Entropy-coded data up to the next marker that is not stuffing or RSTn.
                    let start = i;
                    while i < rest.len() {
                        if rest[i] == 0xFF {
                            match rest.get(i + 1) {
                                Some(0x00 | 0xD0..=0xD7) => i += 2,
                                Some(_) => break,
                                None => i += 1,
                            }
                        } else {
                            i += 1;
                        }
                    }
                    out.scan_bytes += (i.min(rest.len()) - start) as u64;
                }
            }
        }
    }
    Some(out)
}

/// Most 8×8 blocks of one component, from a SOF segment (precision, height, width, components).
fn sof_max_blocks(seg: &[u8]) -> Option<u64> {
    let h = u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?]) as u64;
    let w = u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?]) as u64;
    let n = *seg.get(5)? as usize;
    let hv: Vec<(u64, u64)> = seg
        .get(6..6 + 3 * n)?
        .chunks_exact(3)
        .map(|c| ((c[1] >> 4) as u64, (c[1] & 15) as u64))
        .collect();
    let hmax = hv.iter().map(|c| c.0).max()?.max(1);
    let vmax = hv.iter().map(|c| c.1).max()?.max(1);
    hv.iter()
        .map(|(hc, vc)| {
            let cw = (w * hc).div_ceil(hmax);
            let ch = (h * vc).div_ceil(vmax);
            cw.div_ceil(8) * ch.div_ceil(8)
        })
        .max()
}

/// A JPEG that ends before its end-of-image marker (decoders may fill the rest with grey), or
/// whose scans are too short for its claimed size (a Huffman-coded block takes at least one bit),
/// is refused before the decoder allocates the full image.
fn jpeg_problem(bytes: &[u8], w: u32, h: u32) -> Option<String> {
    let j = jpeg_layout(bytes)?;
    if j.huffman_dct && j.scan_bytes * 8 < j.max_blocks {
        return Some(format!(
            "JPEG of {w}×{h} has only {} bytes of image data, too little for its size: its {} \
             8×8 blocks take at least one bit each: {} bytes (truncated, or a forged header?)",
            j.scan_bytes,
            j.max_blocks,
            j.max_blocks.div_ceil(8)
        ));
    }
    if !j.complete {
        return Some(format!(
            "JPEG of {w}×{h} is truncated: it ends before its end-of-image marker"
        ));
    }
    None
}

/// Most output bytes deflate can make of one input byte (a 258-byte match in about two bits).
const DEFLATE_MAX_RATIO: u64 = 1032;

/// A PNG's pixel data is deflate-compressed, which cannot shrink data more than 1032:1. A PNG whose
/// IDAT chunks are too small to hold its claimed size is refused here, before the decoder
/// allocates the full image (a 100-byte file must not cost 512 MiB).
fn png_too_short(bytes: &[u8], w: u32, h: u32) -> Option<String> {
    let rest = bytes.strip_prefix(b"\x89PNG\r\n\x1a\n")?;
    let be = |b: &[u8], at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
    };
    // IHDR: width, height, bit depth, colour type.
    let depth = *rest.get(16)? as u64;
    let samples = match rest.get(17)? {
        0 | 3 => 1,
        4 => 2,
        2 => 3,
        6 => 4,
        _ => return None,
    };
    let mut idat: u64 = 0;
    let mut at = 0usize;
    while let (Some(len), Some(kind)) = (be(rest, at), rest.get(at + 4..at + 8)) {
        if kind == b"IDAT" {
            // Only the bytes that are there: a truncated chunk claims more than it has.
            idat += (len as u64).min(rest.len().saturating_sub(at + 8) as u64);
        }
        at = at.checked_add(12 + len as usize)?;
    }
    let row = (w as u64 * samples * depth).div_ceil(8) + 1;
    let raw = row * h as u64;
    (raw > idat * DEFLATE_MAX_RATIO + 4096).then(|| {
        format!(
            "PNG of {w}×{h} has only {idat} bytes of compressed data, too little for its size: \
             its {raw} bytes of rows need at least {} (deflate expands at most \
             {DEFLATE_MAX_RATIO}:1; truncated, or a forged header?)",
            raw.saturating_sub(4096).div_ceil(DEFLATE_MAX_RATIO)
        )
    })
}

/// The first image file directory of a TIFF (classic or BigTIFF), read without allocating: the
/// fields that bound what its data can expand to.
struct TiffIfd<'a> {
    bytes: &'a [u8],
    little: bool,
    big: bool,
    /// Offset of the first entry.
    entries: usize,
    /// Number of entries (at most what the file holds).
    count: u64,
}

impl<'a> TiffIfd<'a> {
    /// `None` when `bytes` is not a TIFF or its first directory lies outside the file.
    fn new(bytes: &'a [u8]) -> Option<TiffIfd<'a>> {
        let (little, big) = match bytes.get(..4)? {
            b"II*\0" => (true, false),
            b"MM\0*" => (false, false),
            b"II+\0" => (true, true),
            b"MM\0+" => (false, true),
            _ => return None,
        };
        let mut t = TiffIfd {
            bytes,
            little,
            big,
            entries: 0,
            count: 0,
        };
        let first = if big { t.uint(8, 8)? } else { t.uint(4, 4)? };
        let first = usize::try_from(first).ok()?;
        let (count, head) = if big {
            (t.uint(first, 8)?, 8)
        } else {
            (t.uint(first, 2)?, 2)
        };
        t.entries = first.checked_add(head)?;
        let room = bytes.len().saturating_sub(t.entries) / t.entry_size();
        t.count = count.min(room as u64);
        Some(t)
    }

    fn entry_size(&self) -> usize {
        if self.big {
            20
        } else {
            12
        }
    }

    /// An unsigned integer of `n` bytes (1, 2, 4 or 8) at `at`, in the file's byte order.
    fn uint(&self, at: usize, n: usize) -> Option<u64> {
        let b = self.bytes.get(at..at.checked_add(n)?)?;
        Some(b.iter().enumerate().fold(0u64, |v, (k, &x)| {
            let shift = if self.little { 8 * k } else { 8 * (n - 1 - k) };
            v | (x as u64) << shift
        }))
    }

    /// The values of `tag`: `f` is given each one that lies in the file (integer types only).
    fn values(&self, tag: u16, mut f: impl FnMut(u64)) -> bool {
        let size = self.entry_size();
        for e in 0..self.count as usize {
            let at = self.entries + e * size;
            if self.uint(at, 2) != Some(tag as u64) {
                continue;
            }
            let width = match self.uint(at + 2, 2) {
                Some(1) => 1,  // BYTE
                Some(3) => 2,  // SHORT
                Some(4) => 4,  // LONG
                Some(16) => 8, // LONG8
                _ => return false,
            };
            // The value count, then the value itself or the offset of the values.
            let inline = if self.big { 8 } else { 4 };
            let Some(count) = self.uint(at + 4, inline) else {
                return false;
            };
            let field = at + 4 + inline;
            let start = if count.saturating_mul(width as u64) <= inline as u64 {
                field
            } else {
                match self
                    .uint(field, inline)
                    .and_then(|o| usize::try_from(o).ok())
                {
                    Some(o) => o,
                    None => return false,
                }
            };
            let room = self.bytes.len().saturating_sub(start) / width;
            for k in 0..count.min(room as u64) as usize {
                if let Some(v) = self.uint(start + k * width, width) {
                    f(v);
                }
            }
            return true;
        }
        false
    }

    /// The first value of `tag`, if present.
    fn first(&self, tag: u16) -> Option<u64> {
        let mut out = None;
        self.values(tag, |v| {
            out.get_or_insert(v);
        });
        out
    }
}

/// A TIFF whose strips or tiles hold fewer bytes than its compression needs for its claimed size
/// (see [`data_problem`]), or whose compression the decoder does not read.
fn tiff_problem(bytes: &[u8], w: u32, h: u32) -> Option<String> {
    let ifd = TiffIfd::new(bytes)?;
    let mut data = 0u64;
    if !ifd.values(279, |v| data = data.saturating_add(v)) {
        ifd.values(325, |v| data = data.saturating_add(v));
    }
    // Strips may share bytes: no more data than the file holds.
    let data = data.min(bytes.len() as u64);
    let compression = ifd.first(259).unwrap_or(1);
    let samples = ifd.first(277).unwrap_or(1).max(1);
    let depth = ifd.first(258).unwrap_or(1).max(1);
    let pixels = w as u64 * h as u64;
    // Samples and depth are the file's word, up to 2^64: saturate rather than wrap.
    let raw = (w as u64)
        .saturating_mul(samples)
        .saturating_mul(depth)
        .div_ceil(8)
        .saturating_mul(h as u64);
    let (needed, why) = match compression {
        1 => (raw, "uncompressed".to_string()),
        32773 => (raw.div_ceil(64), "PackBits expands at most 64:1".into()),
        8 | 32946 => (
            raw.div_ceil(DEFLATE_MAX_RATIO),
            format!("Deflate expands at most {DEFLATE_MAX_RATIO}:1"),
        ),
        5 => (raw.div_ceil(4096), "LZW expands at most 4096:1".into()),
        7 => (
            pixels.div_ceil(64 * 8),
            "JPEG takes at least one bit per 8×8 block".into(),
        ),
        4 => (
            (h as u64).div_ceil(8),
            "CCITT G4 takes at least one bit per row".into(),
        ),
        other => {
            return Some(format!(
                "TIFF of {w}×{h} uses compression {other}, which is not read (none, LZW, \
                 Deflate, PackBits, JPEG and CCITT G4 are)"
            ))
        }
    };
    (data < needed).then(|| {
        format!(
            "TIFF of {w}×{h} has only {data} bytes of image data, too little for its size: \
             {why}, so its {raw} bytes of pixels need at least {needed} (truncated, or a \
             forged header?)"
        )
    })
}

/// Decodes PNG, JPEG or WebP to RGBA8, refusing absurd sizes (from the header) before allocating.
#[cfg(feature = "decode")]
pub fn decode(bytes: &[u8], file: &str) -> Result<RgbaImage, AssetError> {
    let err = |message: String| AssetError::Image {
        file: file.into(),
        message,
    };
    check_header(bytes, file)?;
    #[cfg(feature = "compressed")]
    if is_ktx2(bytes) {
        return decode_ktx2(bytes, file);
    }
    let mut limits = ::image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    // RGBA16 intermediate of the largest accepted image, plus the RGBA8 result.
    limits.max_alloc = Some(MAX_IMAGE_PIXELS * 12);
    let mut reader = ::image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| err(e.to_string()))?;
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| err(format!("cannot decode image: {}", one_line(&e.to_string()))))?;
    let rgba = img.into_rgba8();
    Ok(RgbaImage {
        width: rgba.width(),
        height: rgba.height(),
        pixels: rgba.into_raw(),
    })
}

/// The KTX2 file identifier («KTX 20»\r\n\x1A\n).
pub const KTX2_MAGIC: [u8; 12] = [
    0xAB, 0x4B, 0x54, 0x58, 0x20, 0x32, 0x30, 0xBB, 0x0D, 0x0A, 0x1A, 0x0A,
];

/// A GPU block-compressed format (4×4 blocks of 16 bytes) that KTX2 / Basis Universal textures
/// can be transcoded to instead of RGBA8: a quarter of the GPU memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockFormat {
    /// BC7 (desktop GPUs).
    Bc7,
    /// ASTC 4×4 LDR (phones, Apple GPUs).
    Astc4x4,
    /// ETC2 RGBA8 (OpenGL ES 3 phones).
    Etc2Rgba8,
}

impl BlockFormat {
    /// `bc7`, `astc`, `etc2` (the web engine's `block_format()`).
    pub fn name(self) -> &'static str {
        match self {
            BlockFormat::Bc7 => "bc7",
            BlockFormat::Astc4x4 => "astc",
            BlockFormat::Etc2Rgba8 => "etc2",
        }
    }

    /// From [`BlockFormat::name`].
    pub fn parse(s: &str) -> Option<BlockFormat> {
        Some(match s {
            "bc7" => BlockFormat::Bc7,
            "astc" => BlockFormat::Astc4x4,
            "etc2" => BlockFormat::Etc2Rgba8,
            _ => return None,
        })
    }

    fn code(self) -> u8 {
        match self {
            BlockFormat::Bc7 => 1,
            BlockFormat::Astc4x4 => 2,
            BlockFormat::Etc2Rgba8 => 3,
        }
    }
}

/// MIME type of a [`CompressedImage`] written by [`encode_blocks`]: what the web's decoder
/// module puts in a plain GLB in place of a KTX2 texture when the GPU samples a block format,
/// so that the engine uploads the blocks without a Basis Universal transcoder of its own.
pub const BLOCKS_MIME: &str = "image/x-disan-blocks";

const BLOCKS_MAGIC: &[u8; 4] = b"DSNB";

/// A [`CompressedImage`] as bytes: `DSNB`, format, width, height, level count, then each level's
/// length and blocks (little-endian u32s).
pub fn encode_blocks(c: &CompressedImage) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + c.levels.iter().map(|l| l.len() + 4).sum::<usize>());
    out.extend_from_slice(BLOCKS_MAGIC);
    out.extend_from_slice(&[c.format.code(), 0, 0, 0]);
    for v in [c.width, c.height, c.levels.len() as u32] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for l in &c.levels {
        out.extend_from_slice(&(l.len() as u32).to_le_bytes());
        out.extend_from_slice(l);
    }
    out
}

/// Reads what [`encode_blocks`] wrote; every size is checked against the data.
pub fn decode_blocks(bytes: &[u8], file: &str) -> Result<CompressedImage, crate::AssetError> {
    let bad = |m: &str| crate::AssetError::Image {
        file: file.into(),
        message: format!("not a block-compressed image: {m}"),
    };
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    if !bytes.starts_with(BLOCKS_MAGIC) {
        return Err(bad("no DSNB header"));
    }
    let format = [
        BlockFormat::Bc7,
        BlockFormat::Astc4x4,
        BlockFormat::Etc2Rgba8,
    ]
    .into_iter()
    .find(|f| Some(&f.code()) == bytes.get(4))
    .ok_or_else(|| bad("unknown format"))?;
    let (Some(width), Some(height), Some(count)) = (u32_at(8), u32_at(12), u32_at(16)) else {
        return Err(bad("truncated header"));
    };
    if width == 0 || height == 0 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(bad("bad size"));
    }
    if width % 4 != 0 || height % 4 != 0 || count == 0 || count > 16 {
        return Err(bad("bad size or level count"));
    }
    let mut at = 20usize;
    let mut levels = Vec::with_capacity(count as usize);
    for level in 0..count {
        let (w, h) = ((width >> level).max(1), (height >> level).max(1));
        let want = (w.div_ceil(4) * h.div_ceil(4) * 16) as usize;
        let len = u32_at(at).ok_or_else(|| bad("truncated"))? as usize;
        if len != want {
            return Err(bad(&format!("level {level} has {len} bytes, not {want}")));
        }
        let data = bytes
            .get(at + 4..at + 4 + len)
            .ok_or_else(|| bad("truncated"))?;
        levels.push(data.to_vec());
        at += 4 + len;
    }
    Ok(CompressedImage {
        format,
        width,
        height,
        levels,
    })
}

/// A block-compressed texture with its mip chain (level 0 first).
#[derive(Debug, Clone, PartialEq)]
pub struct CompressedImage {
    /// Its format.
    pub format: BlockFormat,
    /// Width of level 0 in pixels (a multiple of 4).
    pub width: u32,
    /// Height of level 0 in pixels (a multiple of 4).
    pub height: u32,
    /// Each level's blocks, rows top to bottom.
    pub levels: Vec<Vec<u8>>,
}

/// An image as decoded for the GPU: RGBA8, or block-compressed.
#[derive(Debug, Clone, PartialEq)]
pub enum DecodedImage {
    /// RGBA8 pixels.
    Rgba(crate::RgbaImage),
    /// A KTX2 texture transcoded to a block format the device samples.
    Compressed(CompressedImage),
}

/// A KTX2 / Basis Universal texture transcoded, with all its mip levels, to `format`; `None`
/// when it is not suited and RGBA8 should be used instead: its sides are not multiples of 4, it
/// has no mip chain (RGBA8 gets one made on the GPU), or its codec cannot reach `format`.
#[cfg(feature = "compressed")]
pub fn transcode_ktx2(
    bytes: &[u8],
    file: &str,
    format: BlockFormat,
) -> Result<Option<CompressedImage>, crate::AssetError> {
    let t = basisu::Transcoder::new(bytes).map_err(|e| crate::AssetError::Image {
        file: file.into(),
        message: format!("not a readable KTX2 / Basis Universal texture ({e:?})"),
    })?;
    let (width, height) = t.base_dimensions();
    let levels = t.level_count();
    let full_chain = 32 - width.max(height).max(1).leading_zeros();
    let target = match format {
        BlockFormat::Bc7 => basisu::TargetFormat::Bc7Rgba,
        BlockFormat::Astc4x4 => basisu::TargetFormat::Astc4x4Rgba,
        BlockFormat::Etc2Rgba8 => basisu::TargetFormat::Etc2Rgba,
    };
    if width % 4 != 0 || height % 4 != 0 || levels < full_chain || !t.supports(target) {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(levels as usize);
    for level in 0..full_chain {
        let data = t
            .transcode(level, target, basisu::DecodeFlags::NONE)
            .map_err(|e| crate::AssetError::Image {
                file: file.into(),
                message: format!("level {level} does not transcode to {format:?} ({e:?})"),
            })?;
        let (w, h) = ((width >> level).max(1), (height >> level).max(1));
        if data.len() != (w.div_ceil(4) * h.div_ceil(4) * 16) as usize {
            return Ok(None);
        }
        out.push(data);
    }
    Ok(Some(CompressedImage {
        format,
        width,
        height,
        levels: out,
    }))
}

/// True for a KTX2 container (`KHR_texture_basisu` images).
pub fn is_ktx2(bytes: &[u8]) -> bool {
    bytes.starts_with(&KTX2_MAGIC)
}

/// A KTX2 texture with Basis Universal data (ETC1S or UASTC), transcoded to RGBA8: its first
/// mip level, first layer and face. Sizes are checked (`check_header`) before this runs.
#[cfg(feature = "compressed")]
pub fn decode_ktx2(bytes: &[u8], file: &str) -> Result<crate::RgbaImage, crate::AssetError> {
    let err = |message: String| crate::AssetError::Image {
        file: file.into(),
        message,
    };
    let t = basisu::Transcoder::new(bytes).map_err(|e| {
        err(format!(
            "not a readable KTX2 / Basis Universal texture ({e:?})"
        ))
    })?;
    let (width, height) = t.base_dimensions();
    let pixels = t
        .transcode(0, basisu::TargetFormat::Rgba32, basisu::DecodeFlags::NONE)
        .map_err(|e| {
            err(format!(
                "the Basis Universal texture does not transcode ({e:?})"
            ))
        })?;
    if pixels.len() != width as usize * height as usize * 4 {
        return Err(err(format!(
            "the texture transcoded to {} bytes, not {width}×{height} RGBA",
            pixels.len()
        )));
    }
    Ok(crate::RgbaImage {
        width,
        height,
        pixels,
    })
}

/// Decoded linear HDR pixels: RGB f32, rows top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct HdrImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 3` floats.
    pub rgb: Vec<f32>,
}

/// Most bytes a decoded HDR image may take (RGB f32, 12 bytes a pixel): 512 MiB, the `image`
/// crate's default allocation limit (an 8192×4096 environment fits, 16384×8192 does not).
pub const MAX_HDR_BYTES: u64 = 512 << 20;

/// Decodes a Radiance `.hdr` image to linear RGB f32, refusing sizes beyond [`MAX_IMAGE_SIDE`]
/// or [`MAX_HDR_BYTES`] from the header before allocating, and a file that ends early.
#[cfg(feature = "decode")]
pub fn decode_hdr(bytes: &[u8], file: &str) -> Result<HdrImage, AssetError> {
    use ::image::ImageDecoder as _;
    let err = |message: String| AssetError::Image {
        file: file.into(),
        message,
    };
    let decoder =
        ::image::codecs::hdr::HdrDecoder::new(std::io::Cursor::new(bytes)).map_err(|e| {
            err(format!(
                "not a readable HDR image: {}",
                one_line(&e.to_string())
            ))
        })?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 || w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE {
        return Err(err(format!(
            "HDR image is {w}×{h}; sides must be 1..={MAX_IMAGE_SIDE} pixels"
        )));
    }
    if w as u64 * h as u64 * 12 > MAX_HDR_BYTES {
        return Err(err(format!(
            "HDR image is {w}×{h}, more than the {} MB a decoded HDR image may take",
            MAX_HDR_BYTES >> 20
        )));
    }
    let img = ::image::DynamicImage::from_decoder(decoder)
        .map_err(|e| {
            err(format!(
                "cannot decode HDR image: {}",
                one_line(&e.to_string())
            ))
        })?
        .into_rgb32f();
    Ok(HdrImage {
        width: w,
        height: h,
        rgb: img.into_raw(),
    })
}

#[cfg(all(test, feature = "decode"))]
mod tests {
    use super::*;

    /// A PNG that claims `w`×`h` in its header (with correct CRCs) and has no pixel data.
    pub(crate) fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut ihdr = w.to_be_bytes().to_vec();
        ihdr.extend(h.to_be_bytes());
        ihdr.extend([8, 6, 0, 0, 0]); // 8-bit RGBA
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [(&b"IHDR"[..], &ihdr[..]), (b"IDAT", &[]), (b"IEND", &[])] {
            out.extend((data.len() as u32).to_be_bytes());
            let mut body = kind.to_vec();
            body.extend(data);
            out.extend(&body);
            out.extend(crc32(&body).to_be_bytes());
        }
        out
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    #[test]
    fn huge_headers_are_refused_before_decoding() {
        let png = png_header(100_000, 100_000);
        assert_eq!(dimensions(&png, "x.png").unwrap(), (100_000, 100_000));
        let e = decode(&png, "x.png").unwrap_err().to_string();
        assert!(e.contains("100000×100000"), "{e}");
        // Within the side limit but over the pixel cap.
        let e = decode(&png_header(16384, 16384), "x.png")
            .unwrap_err()
            .to_string();
        assert!(e.contains("pixels"), "{e}");
        // At the cap the header passes the size limits, but a tiny file cannot hold that many
        // pixels: refused before the decoder allocates 512 MiB.
        let e = check_header(&png_header(16384, 8192), "x.png")
            .unwrap_err()
            .to_string();
        assert!(e.contains("too little"), "{e}");
        assert!(check_header(&png_header(16, 16), "x.png").is_ok());
        assert!(decode(&png_header(16, 16), "x.png").is_err());
    }
}

#[cfg(test)]
mod data_tests {
    use super::*;

    /// A classic TIFF directory of `entries` (tag, type, values), values past four bytes stored
    /// after it; no pixel data.
    fn tiff(big_endian: bool, entries: &[(u16, u16, &[u32])]) -> Vec<u8> {
        let u16b = |v: u16| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let u32b = |v: u32| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut out = if big_endian { b"MM\0*" } else { b"II*\0" }.to_vec();
        out.extend(u32b(8));
        out.extend(u16b(entries.len() as u16));
        let mut extra = Vec::new();
        let after = 8 + 2 + 12 * entries.len() + 4;
        for &(tag, kind, values) in entries {
            let size = if kind == 3 { 2 } else { 4 };
            let mut bytes = Vec::new();
            for &v in values {
                if kind == 3 {
                    bytes.extend(u16b(v as u16));
                } else {
                    bytes.extend(u32b(v));
                }
            }
            out.extend(u16b(tag));
            out.extend(u16b(kind));
            out.extend(u32b(values.len() as u32));
            if values.len() * size <= 4 {
                bytes.resize(4, 0);
                out.extend(bytes);
            } else {
                out.extend(u32b((after + extra.len()) as u32));
                extra.extend(bytes);
            }
        }
        out.extend(u32b(0));
        out.extend(extra);
        out
    }

    /// An 8-bit RGB TIFF of `w`×`h` with `compression` and strips of `counts` bytes, followed
    /// by as many bytes as the strips claim, or `data` bytes when given.
    fn rgb(
        be: bool,
        w: u32,
        h: u32,
        compression: u32,
        counts: &[u32],
        data: Option<u32>,
    ) -> Vec<u8> {
        let mut out = tiff(
            be,
            &[
                (256, 4, &[w]),
                (257, 4, &[h]),
                (258, 3, &[8, 8, 8]),
                (259, 3, &[compression]),
                (277, 3, &[3]),
                (279, 4, counts),
            ],
        );
        let data = data.unwrap_or(counts.iter().sum());
        out.resize(out.len() + data as usize, 0);
        out
    }

    #[test]
    fn tiff_data_is_checked_against_its_compression() {
        for be in [false, true] {
            // 1000×500 RGB8 is 1.5 MB: LZW needs at least 367 bytes of it.
            let e = data_problem(&rgb(be, 1000, 500, 5, &[100, 100], None), 1000, 500).unwrap();
            assert!(e.contains("1000×500") && e.contains("LZW"), "{e}");
            assert_eq!(
                data_problem(&rgb(be, 1000, 500, 5, &[200, 200], None), 1000, 500),
                None
            );
            // Deflate 1032:1, PackBits 64:1.
            assert!(data_problem(&rgb(be, 1000, 500, 8, &[1000], None), 1000, 500).is_some());
            assert!(data_problem(&rgb(be, 1000, 500, 8, &[1500], None), 1000, 500).is_none());
            assert!(data_problem(&rgb(be, 1000, 500, 32773, &[20000], None), 1000, 500).is_some());
            // Uncompressed strips that claim the bytes but share them: no more than the file.
            let e = data_problem(
                &rgb(be, 1000, 500, 1, &[500_000; 3], Some(500_000)),
                1000,
                500,
            )
            .unwrap();
            assert!(e.contains("uncompressed"), "{e}");
            // JPEG: one bit per 8×8 block (1024×512: 1024 bytes).
            let e = data_problem(&rgb(be, 1024, 512, 7, &[100], None), 1024, 512).unwrap();
            assert!(e.contains("8×8 block"), "{e}");
            assert!(data_problem(&rgb(be, 1024, 512, 7, &[1024], None), 1024, 512).is_none());
            // CCITT G4: one bit per row.
            let g4 = tiff(
                be,
                &[
                    (256, 4, &[1728]),
                    (257, 4, &[2000]),
                    (259, 3, &[4]),
                    (279, 4, &[10]),
                ],
            );
            let e = data_problem(&g4, 1728, 2000).unwrap();
            assert!(e.contains("one bit per row"), "{e}");
            // Absurd samples and depth saturate instead of overflowing.
            let huge = tiff(
                be,
                &[
                    (258, 4, &[u32::MAX]),
                    (277, 4, &[u32::MAX]),
                    (279, 4, &[10]),
                ],
            );
            assert!(data_problem(&huge, 65535, 65535).is_some());
            // A compression the decoder does not read.
            let e = data_problem(&rgb(be, 64, 32, 50000, &[100], None), 64, 32).unwrap();
            assert!(e.contains("compression 50000"), "{e}");
        }
        // Not a TIFF, or a directory outside the file: nothing to say.
        assert_eq!(data_problem(b"II*\0\xff\xff\xff\x7f", 10, 10), None);
        assert_eq!(data_problem(b"GIF89a", 10, 10), None);
    }
}
