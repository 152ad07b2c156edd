//! The header, read before anything is decoded: the format, the size limits, data enough for the
//! size it declares, the coverage (given, from Photo Sphere XMP, or the full sphere of a 2:1
//! image) and the bytes the decoder may allocate.

use crate::coverage::{check_coverage, full_width, Place};
use crate::{Coverage, GPano, Layout, TileError, MAX_PIXELS, MAX_SIDE};
use image::{ImageDecoder, ImageReader};
use std::io::Cursor;

/// Reads the header only and checks the size limits and the shape (2:1, or placed by Photo
/// Sphere XMP); returns the size.
pub fn probe(bytes: &[u8]) -> Result<(u32, u32), TileError> {
    let p = probe_decoder(bytes, None)?;
    Ok((p.width, p.height))
}

/// Reads the header only and checks the size limits and the coverage: `coverage`, else the
/// file's Photo Sphere XMP, else the full sphere for a 2:1 image. Returns the size and the
/// coverage used.
pub fn probe_with(
    bytes: &[u8],
    coverage: Option<Coverage>,
) -> Result<(u32, u32, Coverage), TileError> {
    let p = probe_decoder(bytes, coverage)?;
    Ok((p.width, p.height, p.coverage))
}

/// Reads the header only and checks the size limits, not the shape; returns the size (to
/// complete a coverage from the image's aspect before [`Panorama::decode_with`](crate::Panorama::decode_with)).
pub fn image_size(bytes: &[u8]) -> Result<(u32, u32), TileError> {
    let (w, h, _) = header(bytes)?;
    Ok((w, h))
}

pub(crate) fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, TileError> {
    let mut r = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| TileError::Unreadable(e.to_string()))?;
    // BigTIFF (what a TIFF over 4 GB must be): the TIFF decoder reads it, `image` does not
    // recognise its signature.
    if r.format().is_none() && (bytes.starts_with(b"II+\0") || bytes.starts_with(b"MM\0+")) {
        r.set_format(image::ImageFormat::Tiff);
    }
    if r.format().is_none() {
        return Err(TileError::Unreadable(
            "unknown format (JPEG, PNG and TIFF are read)".into(),
        ));
    }
    Ok(r)
}

/// The header's size within the limits, its data plausible for that size, and the bytes the
/// decoder may allocate: the image in its own pixel format and the decoder's working memory.
fn header(bytes: &[u8]) -> Result<(u32, u32, u64), TileError> {
    let mut r = reader(bytes)?;
    let tiff = r.format() == Some(image::ImageFormat::Tiff);
    // Header parsing allocates little; the pixel buffer is refused before it exists.
    r.no_limits();
    let dec = r
        .into_decoder()
        .map_err(|e| TileError::Unreadable(e.to_string()))?;
    let (width, height) = dec.dimensions();
    if width > MAX_SIDE || height > MAX_SIDE || width as u64 * height as u64 > MAX_PIXELS {
        return Err(TileError::TooLarge { width, height });
    }
    // What the file expands to, checked against the data it has: a few hundred bytes claiming
    // 32000×16000 are refused here, not after the decoder has allocated and filled 1.5 GB.
    if let Some(message) = disan_assets::image::data_problem(bytes, width, height) {
        return Err(TileError::TooLittleData(message));
    }
    let pixels = width as u64 * height as u64;
    let native = dec.total_bytes();
    let alloc = if tiff {
        // The TIFF decoder fills a buffer of its own (in the file's colour type: CMYK has four
        // samples where the result has three) and copies it into the image, and reads each strip
        // or tile's compressed bytes and directory values (at most the file) on the side.
        let own = dec.color_type().bytes_per_pixel() as u64;
        let file = (dec.original_color_type().bits_per_pixel() as u64).div_ceil(8);
        native + pixels * own.max(file) + bytes.len() as u64 + (1 << 20)
    } else {
        native.max(3 * pixels)
    };
    Ok((width, height, alloc))
}

/// What the header checks found.
pub(crate) struct Probe {
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// Bytes the decoder may allocate (the image and its working memory).
    pub(crate) alloc: u64,
    pub(crate) coverage: Coverage,
    pub(crate) gpano: Option<GPano>,
}

/// Size checks, the coverage (given, from XMP, or the full sphere of a 2:1 image), the size of
/// the full panorama it makes, then the bytes the decoder needs.
pub(crate) fn probe_decoder(bytes: &[u8], coverage: Option<Coverage>) -> Result<Probe, TileError> {
    let (width, height, alloc) = header(bytes)?;
    let gpano = GPano::from_bytes(bytes);
    let two_to_one = height > 0 && (width as f64 / height as f64 - 2.0).abs() <= 0.02;
    let coverage = match coverage {
        Some(c) => c,
        None => match gpano.as_ref().and_then(GPano::coverage) {
            Some(c) if check_coverage(&c).is_ok() => c,
            _ if two_to_one => Coverage::default(),
            _ => return Err(TileError::NotEquirectangular { width, height }),
        },
    };
    check_coverage(&coverage)?;
    if height == 0 || width == 0 {
        return Err(TileError::TooSmall { width, height });
    }
    let fw = full_width(width, &coverage);
    if !Place::new(&coverage, width, height).identity {
        let fh = fw as u64 / 2;
        if fw > MAX_SIDE || fw as u64 * fh > MAX_PIXELS {
            return Err(TileError::Coverage(format!(
                "the image is {width}×{height} over {}°×{}°: as a full panorama it would be \
                 {fw}×{fh}, over the tiler's {} megapixels (0.5 gigapixel) and {MAX_SIDE} pixels \
                 a side (its cube faces grow with it); check the coverage or scale the image down",
                coverage.haov,
                coverage.vaov,
                MAX_PIXELS / 1_000_000
            )));
        }
    }
    if Layout::new(fw, 16).cube_resolution == 0 {
        return Err(TileError::TooSmall { width, height });
    }
    Ok(Probe {
        width,
        height,
        alloc,
        coverage,
        gpano,
    })
}
