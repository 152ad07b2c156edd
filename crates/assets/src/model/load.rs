//! Loading a model whole: its external files read through a closure (never the file system
//! here), buffers resolved and checked, the model built, and natively its images decoded in
//! parallel within the texture budget.

#[cfg(feature = "decode")]
use super::MAX_TEXTURE_BYTES;
use super::{build, Document, ModelData};
use crate::AssetError;

/// Reads the model's buffers through `read` and resolves them.
pub(super) fn read_buffers(
    doc: &Document,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<Vec<Vec<u8>>, AssetError> {
    let mut external = Vec::new();
    for (i, uri) in doc.needs().buffers.iter().enumerate() {
        external.push(match uri {
            Some(u) => read(u).map_err(|message| AssetError::Missing {
                file: doc.file.clone(),
                at: format!("buffers[{i}].uri"),
                uri: u.clone(),
                message,
            })?,
            None => Vec::new(),
        });
    }
    let buffers = doc.resolve_buffers(&external)?;
    doc.check_data(&buffers)?;
    Ok(buffers)
}

/// Loads a model completely, reading external files with `read` (paths relative to the model
/// file's folder, already percent-decoded). Returns the model and its encoded images (one per
/// glTF image, in file order).
pub fn load_with(
    bytes: &[u8],
    file: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<(ModelData, Vec<crate::EncodedImage>), AssetError> {
    let doc = Document::parse(bytes, file)?;
    let buffers = read_buffers(&doc, read)?;
    let images = doc.encoded_images(&buffers, read)?;
    let model = build::build(&doc, &buffers)?;
    Ok((model, images))
}

/// Like [`load_with`], but also decodes the images natively: one [`crate::RgbaImage`] per glTF
/// image. Every image's header is checked (size limits, readable format) before anything is
/// decoded; the images the materials use are decoded (in parallel), the unused ones become 1×1
/// white. An image that cannot be read fails the load with `images[i] (name): …`.
#[cfg(feature = "decode")]
pub fn load_and_decode(
    bytes: &[u8],
    file: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<(ModelData, Vec<crate::RgbaImage>), AssetError> {
    let (model, images) = load_and_decode_for(bytes, file, read, None)?;
    let images = images
        .into_iter()
        .map(|i| match i {
            crate::image::DecodedImage::Rgba(i) => i,
            // Not asked for: never made.
            crate::image::DecodedImage::Compressed(_) => crate::RgbaImage::solid([255; 4]),
        })
        .collect();
    Ok((model, images))
}

/// Like [`load_and_decode`], for a device that samples the block format `gpu`: KTX2 / Basis
/// Universal textures are transcoded to it, with their mip chains ([`crate::image::transcode_ktx2`];
/// RGBA8 where that does not suit them), instead of to RGBA8.
#[cfg(feature = "decode")]
pub fn load_and_decode_for(
    bytes: &[u8],
    file: &str,
    read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
    gpu: Option<crate::image::BlockFormat>,
) -> Result<(ModelData, Vec<crate::image::DecodedImage>), AssetError> {
    use crate::image::DecodedImage;
    let doc = Document::parse(bytes, file)?;
    let buffers = read_buffers(&doc, read)?;
    let images = doc.encoded_images(&buffers, read)?;
    let image_err = |i: usize, e: AssetError| {
        let message = match e {
            AssetError::Image { message, .. } => message,
            other => other.to_string(),
        };
        AssetError::Image {
            file: file.to_string(),
            message: format!("images[{i}] ({}): {message}", doc.image_label(i)),
        }
    };
    let mut sizes = Vec::with_capacity(images.len());
    for (i, img) in images.iter().enumerate() {
        sizes.push(crate::image::check_header(&img.bytes, file).map_err(|e| image_err(i, e))?);
    }
    let model = build::build(&doc, &buffers)?;
    let mut used = vec![false; images.len()];
    for m in &model.materials {
        for t in m.textures().into_iter().flatten() {
            if let Some(u) = used.get_mut(t.image) {
                *u = true;
            }
        }
    }
    let texture_bytes: u64 = sizes
        .iter()
        .zip(&used)
        .filter(|(_, u)| **u)
        .map(|((w, h), _)| *w as u64 * *h as u64 * 4)
        .sum();
    if texture_bytes > MAX_TEXTURE_BYTES {
        return Err(AssetError::Image {
            file: file.to_string(),
            message: format!(
                "the model's textures would take {} MB once decoded ({} images used), more than the {} MB budget",
                texture_bytes.div_ceil(1 << 20),
                used.iter().filter(|u| **u).count(),
                MAX_TEXTURE_BYTES >> 20
            ),
        });
    }
    let decode_one = |i: usize| -> Result<DecodedImage, AssetError> {
        if !used[i] {
            return Ok(DecodedImage::Rgba(crate::RgbaImage::solid([255; 4])));
        }
        // Blocks a decoder module made for this kind of GPU (`model::unpack`).
        if images[i].bytes.starts_with(b"DSNB") {
            let c =
                crate::image::decode_blocks(&images[i].bytes, file).map_err(|e| image_err(i, e))?;
            if gpu != Some(c.format) {
                let message = format!(
                    "images[{i}] ({}): {} blocks, which this GPU does not sample",
                    doc.image_label(i),
                    c.format.name()
                );
                return Err(AssetError::Image {
                    file: file.to_string(),
                    message,
                });
            }
            return Ok(DecodedImage::Compressed(c));
        }
        #[cfg(feature = "ktx2")]
        if let (Some(format), true) = (gpu, crate::image::is_ktx2(&images[i].bytes)) {
            if let Some(c) = crate::image::transcode_ktx2(&images[i].bytes, file, format)
                .map_err(|e| image_err(i, e))?
            {
                return Ok(DecodedImage::Compressed(c));
            }
        }
        #[cfg(not(feature = "ktx2"))]
        let _ = gpu;
        crate::image::decode(&images[i].bytes, file)
            .map(DecodedImage::Rgba)
            .map_err(|e| image_err(i, e))
    };
    let decoded = decode_all(images.len(), &decode_one)?;
    Ok((model, decoded))
}

/// Runs `f` for `0..n`, on several threads where there are any.
#[cfg(feature = "decode")]
fn decode_all<T: Send>(
    n: usize,
    f: &(dyn Fn(usize) -> Result<T, AssetError> + Sync),
) -> Result<Vec<T>, AssetError> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = std::thread::available_parallelism()
            .map(|t| t.get())
            .unwrap_or(1)
            .min(n);
        if threads > 1 {
            let next = std::sync::atomic::AtomicUsize::new(0);
            let mut results: Vec<(usize, Result<T, AssetError>)> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads)
                    .map(|_| {
                        s.spawn(|| {
                            let mut out = Vec::new();
                            loop {
                                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                if i >= n {
                                    break out;
                                }
                                out.push((i, f(i)));
                            }
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_default())
                    .collect()
            });
            results.sort_by_key(|(i, _)| *i);
            if results.len() == n {
                return results.into_iter().map(|(_, r)| r).collect();
            }
        }
    }
    (0..n).map(f).collect()
}
