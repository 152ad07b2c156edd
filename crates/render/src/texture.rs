//! Texture upload: RGBA8 pixels (native) or browser-decoded ImageBitmaps (web), with mipmaps
//! generated on the GPU by a blit chain.

use crate::descriptors::{bind_group, sampler_entry, texture_entry};
use crate::shaders::Shader;
use disan_assets::RgbaImage;
use std::collections::HashMap;

/// Where a texture's pixels come from.
pub enum TextureSource {
    /// Decoded RGBA8 pixels.
    Rgba(RgbaImage),
    /// An image decoded by the browser.
    #[cfg(target_arch = "wasm32")]
    Bitmap(web_sys::ImageBitmap),
    /// A block-compressed texture with its mip chain (a KTX2 texture transcoded for this GPU).
    Compressed(disan_assets::CompressedImage),
}

impl TextureSource {
    /// Width and height in pixels.
    pub fn size(&self) -> (u32, u32) {
        match self {
            TextureSource::Rgba(i) => (i.width, i.height),
            #[cfg(target_arch = "wasm32")]
            TextureSource::Bitmap(b) => (b.width(), b.height()),
            TextureSource::Compressed(c) => (c.width, c.height),
        }
    }
}

/// Halves an image until both sides fit `limit` (box filter).
pub(crate) fn shrink_to(mut img: RgbaImage, limit: u32) -> RgbaImage {
    while img.width > limit || img.height > limit {
        let (w, h) = ((img.width / 2).max(1), (img.height / 2).max(1));
        let mut out = vec![0u8; (w * h * 4) as usize];
        for y in 0..h {
            for x in 0..w {
                for c in 0..4 {
                    let mut sum = 0u32;
                    for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                        let sx = (2 * x + dx).min(img.width - 1);
                        let sy = (2 * y + dy).min(img.height - 1);
                        sum += img.pixels[((sy * img.width + sx) * 4 + c) as usize] as u32;
                    }
                    out[((y * w + x) * 4 + c) as usize] = (sum / 4) as u8;
                }
            }
        }
        img = RgbaImage {
            width: w,
            height: h,
            pixels: out,
        };
    }
    img
}

/// Mip levels for a size.
pub fn mip_count(w: u32, h: u32) -> u32 {
    32 - w.max(h).max(1).leading_zeros()
}

/// Generates mip chains with a render pass per level (mipmap.wgsl), independent of any frame.
/// Bytes a texture takes on the GPU: every mip level and layer, times its samples (block
/// formats by their blocks). What `Renderer::gpu_memory` adds up.
pub fn texture_bytes(t: &wgpu::Texture) -> u64 {
    let size = t.size();
    let format = t.format();
    let (bw, bh) = format.block_dimensions();
    let block = format
        .block_copy_size(None)
        .or_else(|| format.block_copy_size(Some(wgpu::TextureAspect::DepthOnly)))
        .unwrap_or(4) as u64;
    let layers = size.depth_or_array_layers.max(1) as u64;
    let mut bytes = 0u64;
    for level in 0..t.mip_level_count() {
        let w = (size.width >> level).max(1).div_ceil(bw) as u64;
        let h = (size.height >> level).max(1).div_ceil(bh) as u64;
        bytes += w * h * block * layers;
    }
    bytes * t.sample_count().max(1) as u64
}

pub struct MipGen {
    layout: wgpu::BindGroupLayout,
    pipeline_layout: wgpu::PipelineLayout,
    /// Compiled when the first chain is made (after a panorama's first frame).
    module: std::sync::OnceLock<wgpu::ShaderModule>,
    sampler: wgpu::Sampler,
    pipelines: HashMap<wgpu::TextureFormat, wgpu::RenderPipeline>,
}

impl MipGen {
    /// Its own layout (group 0: source level + sampler) and shader; no per-frame state.
    pub fn new(device: &wgpu::Device) -> Self {
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("mip source"),
            entries: &[texture_entry(0), sampler_entry(1)],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("mip"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("mip"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        MipGen {
            layout,
            pipeline_layout,
            module: std::sync::OnceLock::new(),
            sampler,
            pipelines: HashMap::new(),
        }
    }

    fn pipeline(
        &mut self,
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
    ) -> wgpu::RenderPipeline {
        self.pipelines
            .entry(format)
            .or_insert_with(|| {
                crate::fullscreen::pipeline(
                    device,
                    "mip",
                    self.module.get_or_init(|| Shader::MIPMAP.module(device)),
                    &self.pipeline_layout,
                    "fs_main",
                    format,
                )
            })
            .clone()
    }

    /// Fills levels 1.. of `texture` from level 0.
    pub fn generate(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        texture: &wgpu::Texture,
    ) {
        let levels = texture.mip_level_count();
        if levels < 2 {
            return;
        }
        let format = texture.format();
        let pipeline = self.pipeline(device, format);
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("mips"),
        });
        let view = |level: u32| {
            texture.create_view(&wgpu::TextureViewDescriptor {
                base_mip_level: level,
                mip_level_count: Some(1),
                ..Default::default()
            })
        };
        for level in 1..levels {
            let src = view(level - 1);
            let dst = view(level);
            let group = bind_group(
                device,
                "mip",
                &self.layout,
                &[
                    wgpu::BindingResource::TextureView(&src),
                    wgpu::BindingResource::Sampler(&self.sampler),
                ],
            );
            crate::fullscreen::draw(&mut encoder, "mip level", &pipeline, &[&group], &dst);
        }
        queue.submit([encoder.finish()]);
    }
}

/// How a texture is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextureKind {
    /// Colour data (sRGB-encoded), else linear data.
    pub srgb: bool,
    /// Generate a full mip chain.
    pub mipmaps: bool,
}

/// Uploads a texture, with a mip chain generated on the GPU when asked.
pub fn upload(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    mips: &mut MipGen,
    source: TextureSource,
    kind: TextureKind,
    label: &str,
) -> wgpu::Texture {
    let source = match source {
        TextureSource::Compressed(c) => {
            match upload_compressed(device, queue, &c, kind.srgb, label) {
                Some(t) => return t,
                None => TextureSource::Rgba(disan_assets::RgbaImage::solid([255; 4])),
            }
        }
        other => other,
    };
    let texture = upload_level0(device, queue, source, kind, label);
    mips.generate(device, queue, &texture);
    texture
}

/// Uploads a block-compressed texture with its mip levels (levels larger than the device's
/// limit are left out). `None` when the device cannot sample its format.
fn upload_compressed(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    c: &disan_assets::CompressedImage,
    srgb: bool,
    label: &str,
) -> Option<wgpu::Texture> {
    use disan_assets::BlockFormat;
    let format = match c.format {
        BlockFormat::Bc7 => wgpu::TextureFormat::Bc7RgbaUnorm,
        BlockFormat::Astc4x4 => wgpu::TextureFormat::Astc {
            block: wgpu::AstcBlock::B4x4,
            channel: wgpu::AstcChannel::Unorm,
        },
        BlockFormat::Etc2Rgba8 => wgpu::TextureFormat::Etc2Rgba8Unorm,
    };
    let format = if srgb {
        format.add_srgb_suffix()
    } else {
        format
    };
    let sampled = crate::context::BLOCK_FORMATS
        .iter()
        .any(|(f, feature)| *f == c.format && device.features().contains(*feature));
    if !sampled {
        return None;
    }
    let limit = device.limits().max_texture_dimension_2d;
    let skip =
        (0..c.levels.len()).find(|&l| (c.width >> l) <= limit && (c.height >> l) <= limit)?;
    let (w, h) = ((c.width >> skip).max(1), (c.height >> skip).max(1));
    // Each level's side must stay a multiple of the 4-pixel block for its top level.
    if w % 4 != 0 || h % 4 != 0 {
        return None;
    }
    let levels = &c.levels[skip..];
    let texture = device.create_texture(&wgpu::TextureDescriptor {
        label: Some(label),
        size: wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
        mip_level_count: levels.len() as u32,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
        view_formats: &[],
    });
    for (level, data) in levels.iter().enumerate() {
        let (lw, lh) = ((w >> level).max(1), (h >> level).max(1));
        let (bw, bh) = (lw.div_ceil(4), lh.div_ceil(4));
        if data.len() != (bw * bh * 16) as usize {
            return None;
        }
        queue.write_texture(
            wgpu::TexelCopyTextureInfo {
                texture: &texture,
                mip_level: level as u32,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            data,
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(bw * 16),
                rows_per_image: Some(bh),
            },
            wgpu::Extent3d {
                width: bw * 4,
                height: bh * 4,
                depth_or_array_layers: 1,
            },
        );
    }
    Some(texture)
}

/// Uploads a texture's level 0 only; with `kind.mipmaps` its other levels exist but are left
/// for [`MipGen::generate`] (a panorama shows its first frame before they are made).
pub fn upload_level0(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    source: TextureSource,
    kind: TextureKind,
    label: &str,
) -> wgpu::Texture {
    let TextureKind { srgb, mipmaps } = kind;
    let limit = device.limits().max_texture_dimension_2d;
    let source = match source {
        TextureSource::Rgba(img) if img.width > limit || img.height > limit => {
            TextureSource::Rgba(shrink_to(img, limit))
        }
        other => other,
    };
    let (w, h) = source.size();
    let (w, h) = (w.clamp(1, limit), h.clamp(1, limit));
    let format = if srgb {
        wgpu::TextureFormat::Rgba8UnormSrgb
    } else {
        wgpu::TextureFormat::Rgba8Unorm
    };
    let levels = if mipmaps { mip_count(w, h) } else { 1 };
    let texture = device.create_texture(&wgpu::TextureDescriptor {
        label: Some(label),
        size: wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
        mip_level_count: levels,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage: wgpu::TextureUsages::TEXTURE_BINDING
            | wgpu::TextureUsages::COPY_DST
            | wgpu::TextureUsages::RENDER_ATTACHMENT,
        view_formats: &[],
    });
    let size = wgpu::Extent3d {
        width: w,
        height: h,
        depth_or_array_layers: 1,
    };
    match source {
        TextureSource::Rgba(img) => {
            let expected = (img.width as usize) * (img.height as usize) * 4;
            let white;
            let (data, width) = if img.pixels.len() == expected && img.width == w && img.height == h
            {
                (&img.pixels, img.width)
            } else {
                white = vec![255u8; (w * h * 4) as usize];
                (&white, w)
            };
            queue.write_texture(
                wgpu::TexelCopyTextureInfo {
                    texture: &texture,
                    mip_level: 0,
                    origin: wgpu::Origin3d::ZERO,
                    aspect: wgpu::TextureAspect::All,
                },
                data,
                wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(width * 4),
                    rows_per_image: Some(h),
                },
                size,
            );
        }
        #[cfg(target_arch = "wasm32")]
        TextureSource::Bitmap(bitmap) => {
            queue.copy_external_image_to_texture(
                &wgpu::CopyExternalImageSourceInfo {
                    source: wgpu::ExternalImageSource::ImageBitmap(bitmap),
                    origin: wgpu::Origin2d::ZERO,
                    flip_y: false,
                },
                wgpu::CopyExternalImageDestInfo {
                    texture: &texture,
                    mip_level: 0,
                    origin: wgpu::Origin3d::ZERO,
                    aspect: wgpu::TextureAspect::All,
                    color_space: wgpu::PredefinedColorSpace::Srgb,
                    premultiplied_alpha: false,
                },
                size,
            );
        }
        // Block-compressed sources go through `upload` (their own levels); here they stay the
        // texture's white.
        TextureSource::Compressed(_) => {}
    }
    texture
}

/// The `[x, y, w, h]` rectangle of an image (clamped to it).
pub(crate) fn crop(img: &RgbaImage, [x, y, w, h]: [u32; 4]) -> RgbaImage {
    let x = x.min(img.width);
    let y = y.min(img.height);
    let w = w.min(img.width - x);
    let h = h.min(img.height - y);
    let mut pixels = Vec::with_capacity((w * h * 4) as usize);
    for row in y..y + h {
        let start = ((row * img.width + x) * 4) as usize;
        let end = start + (w * 4) as usize;
        if let Some(line) = img.pixels.get(start..end) {
            pixels.extend_from_slice(line);
        }
    }
    RgbaImage {
        width: w,
        height: h,
        pixels,
    }
}

/// Writes `source` into layer `layer` of a texture array, at its top-left corner (no mips).
pub(crate) fn write_layer(
    queue: &wgpu::Queue,
    texture: &wgpu::Texture,
    layer: u32,
    source: TextureSource,
) {
    let (w, h) = source.size();
    let size = wgpu::Extent3d {
        width: w.min(texture.width()),
        height: h.min(texture.height()),
        depth_or_array_layers: 1,
    };
    let origin = wgpu::Origin3d {
        x: 0,
        y: 0,
        z: layer,
    };
    match source {
        TextureSource::Rgba(img) => {
            if img.pixels.len() != (img.width as usize) * (img.height as usize) * 4 {
                return;
            }
            queue.write_texture(
                wgpu::TexelCopyTextureInfo {
                    texture,
                    mip_level: 0,
                    origin,
                    aspect: wgpu::TextureAspect::All,
                },
                &img.pixels,
                wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(img.width * 4),
                    rows_per_image: Some(img.height),
                },
                size,
            );
        }
        #[cfg(target_arch = "wasm32")]
        TextureSource::Bitmap(bitmap) => {
            queue.copy_external_image_to_texture(
                &wgpu::CopyExternalImageSourceInfo {
                    source: wgpu::ExternalImageSource::ImageBitmap(bitmap),
                    origin: wgpu::Origin2d::ZERO,
                    flip_y: false,
                },
                wgpu::CopyExternalImageDestInfo {
                    texture,
                    mip_level: 0,
                    origin,
                    aspect: wgpu::TextureAspect::All,
                    color_space: wgpu::PredefinedColorSpace::Srgb,
                    premultiplied_alpha: false,
                },
                size,
            );
        }
        // Tiles are never block-compressed.
        TextureSource::Compressed(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mips_and_shrink() {
        assert_eq!(mip_count(1, 1), 1);
        assert_eq!(mip_count(4096, 2048), 13);
        assert_eq!(mip_count(5, 3), 3);
        let img = RgbaImage {
            width: 8,
            height: 4,
            pixels: vec![200; 8 * 4 * 4],
        };
        let s = shrink_to(img, 4);
        assert_eq!((s.width, s.height), (4, 2));
        assert!(s.pixels.iter().all(|p| *p == 200));
    }
}
