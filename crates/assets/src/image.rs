//! Images: encoded bytes as found in files, decoded RGBA8 pixels, header-only size reads (and in
//! data.rs, whether the data can hold the size a header declares).

mod data;
#[cfg(feature = "ktx2")]
mod ktx2;

#[cfg(feature = "decode")]
use crate::AssetError;

pub use data::data_problem;

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
    #[cfg(feature = "ktx2")]
    if is_ktx2(bytes) {
        return ktx2::Ktx2::open(bytes)
            .map(|t| t.dimensions())
            .map_err(|message| AssetError::Image {
                file: file.into(),
                message,
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

/// Decodes PNG, JPEG or WebP to RGBA8, refusing absurd sizes (from the header) before allocating.
#[cfg(feature = "decode")]
pub fn decode(bytes: &[u8], file: &str) -> Result<RgbaImage, AssetError> {
    let err = |message: String| AssetError::Image {
        file: file.into(),
        message,
    };
    check_header(bytes, file)?;
    #[cfg(feature = "ktx2")]
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
/// or it has no mip chain (RGBA8 gets one made on the GPU).
#[cfg(feature = "ktx2")]
pub fn transcode_ktx2(
    bytes: &[u8],
    file: &str,
    format: BlockFormat,
) -> Result<Option<CompressedImage>, crate::AssetError> {
    let t = open_ktx2(bytes, file)?;
    let (width, height) = t.dimensions();
    let levels = t.levels();
    let full_chain = 32 - width.max(height).max(1).leading_zeros();
    if width % 4 != 0 || height % 4 != 0 || levels < full_chain {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(levels as usize);
    for level in 0..full_chain {
        let data = t
            .transcode(level, ktx2::Target::Blocks(format))
            .map_err(|message| crate::AssetError::Image {
                file: file.into(),
                message: format!("{message} to {format:?}"),
            })?;
        out.push(data);
    }
    Ok(Some(CompressedImage {
        format,
        width,
        height,
        levels: out,
    }))
}

/// A KTX2 / Basis Universal texture opened for transcoding, its size refused beyond
/// [`MAX_IMAGE_SIDE`] or [`MAX_IMAGE_PIXELS`] before any level is decoded.
#[cfg(feature = "ktx2")]
fn open_ktx2<'a>(bytes: &'a [u8], file: &str) -> Result<ktx2::Ktx2<'a>, crate::AssetError> {
    let err = |message: String| crate::AssetError::Image {
        file: file.into(),
        message,
    };
    let t = ktx2::Ktx2::open(bytes).map_err(err)?;
    let (w, h) = t.dimensions();
    if w == 0 || h == 0 || w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE {
        return Err(err(format!(
            "image is {w}×{h}; sides must be 1..={MAX_IMAGE_SIDE} pixels"
        )));
    }
    if w as u64 * h as u64 > MAX_IMAGE_PIXELS {
        return Err(err(format!(
            "image is {w}×{h}, more than {MAX_IMAGE_PIXELS} pixels (16384×8192)"
        )));
    }
    Ok(t)
}

/// True for a KTX2 container (`KHR_texture_basisu` images).
pub fn is_ktx2(bytes: &[u8]) -> bool {
    bytes.starts_with(&KTX2_MAGIC)
}

/// A KTX2 texture with Basis Universal data (ETC1S or UASTC), transcoded to RGBA8: its first
/// mip level, first layer and face; the other levels are transcoded too, to refuse a damaged
/// one. Sizes are checked (`check_header`) before this runs.
#[cfg(feature = "ktx2")]
pub fn decode_ktx2(bytes: &[u8], file: &str) -> Result<crate::RgbaImage, crate::AssetError> {
    let err = |message: String| crate::AssetError::Image {
        file: file.into(),
        message,
    };
    let t = open_ktx2(bytes, file)?;
    let (width, height) = t.dimensions();
    let pixels = t.transcode(0, ktx2::Target::Rgba).map_err(err)?;
    // Every further mip level must transcode too: the GPU path (`transcode_ktx2`) uploads them
    // all, so a damaged level is refused here as well (validate and render agree).
    for level in 1..t.levels() {
        t.transcode(level, ktx2::Target::Rgba).map_err(err)?;
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
    use disan_testkit::png_header;

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
