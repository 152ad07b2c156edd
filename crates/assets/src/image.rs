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

/// True when an image of this size is an equirectangular panorama (2:1, one pixel of slack).
pub fn is_equirectangular(width: u32, height: u32) -> bool {
    height > 0 && (width as i64 - 2 * height as i64).abs() <= 1
}

/// Reads only the header to get the size.
#[cfg(feature = "decode")]
pub fn dimensions(bytes: &[u8], file: &str) -> Result<(u32, u32), AssetError> {
    ::image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| AssetError::Image {
            file: file.into(),
            message: e.to_string(),
        })?
        .into_dimensions()
        .map_err(|e| AssetError::Image {
            file: file.into(),
            message: format!("not a readable image: {e}"),
        })
}

/// Decodes PNG or JPEG to RGBA8, refusing absurd sizes before allocating.
#[cfg(feature = "decode")]
pub fn decode(bytes: &[u8], file: &str) -> Result<RgbaImage, AssetError> {
    let err = |message: String| AssetError::Image {
        file: file.into(),
        message,
    };
    let (w, h) = dimensions(bytes, file)?;
    if w == 0 || h == 0 || w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE {
        return Err(err(format!(
            "image is {w}×{h}; sides must be 1..={MAX_IMAGE_SIDE} pixels"
        )));
    }
    let img = ::image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| err(e.to_string()))?
        .decode()
        .map_err(|e| err(format!("cannot decode image: {e}")))?;
    let rgba = img.into_rgba8();
    Ok(RgbaImage {
        width: rgba.width(),
        height: rgba.height(),
        pixels: rgba.into_raw(),
    })
}
