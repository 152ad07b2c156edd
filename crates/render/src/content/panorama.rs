//! A panorama: equirectangular pieces and/or a cube tile cache.
//! - An equirectangular image (full or partial) is drawn by a full-screen pass per piece
//!   (panorama.wgsl): one piece normally; an image larger than the GPU allows is split into
//!   pieces that each fit ([`pieces`]), and each piece covers its own yaw/pitch rectangle.
//! - A tiled (or six-face) cube panorama keeps its tiles in a texture array, one tile a layer,
//!   and draws the tiles the visit core lists each frame (tiles.wgsl) over its preview.
//!
//! Outside what the pieces and tiles cover, the neutral fill (the pass's clear colour) shows.

use super::{Content, DrawContext, SceneContent, ScenePass};
use crate::context::GpuContext;
use crate::descriptors::{bind_group, Descriptors};
use crate::texture::{upload_level0, MipGen, TextureKind, TextureSource};
use crate::RenderError;
use bytemuck::{Pod, Zeroable};
use disan_tour::model::Coverage;
use disan_tour::tiles::TileDraw;

/// Neutral fill where a panorama has no picture (linear, a dark grey).
pub(crate) const FILL: wgpu::Color = wgpu::Color {
    r: 0.03,
    g: 0.03,
    b: 0.03,
    a: 1.0,
};

/// Bytes of one tile instance (tiles.wgsl `TileIn`).
pub(crate) const TILE_INSTANCE_SIZE: u64 = 32;

/// How an image of `width` × `height` is split so that no piece has a side over `limit`:
/// `(x, y, w, h)` rectangles, row by row, all of the same size but the last column and row.
pub fn pieces(width: u32, height: u32, limit: u32) -> Vec<[u32; 4]> {
    let limit = limit.max(1);
    let cols = width.div_ceil(limit).max(1);
    let rows = height.div_ceil(limit).max(1);
    let pw = width.div_ceil(cols);
    let ph = height.div_ceil(rows);
    let mut out = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            let (x, y) = (c * pw, r * ph);
            out.push([
                x,
                y,
                pw.min(width.saturating_sub(x)),
                ph.min(height.saturating_sub(y)),
            ]);
        }
    }
    out
}

/// `Piece` of panorama.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct PieceUniform {
    cover: [f32; 4],
    params: [f32; 4],
}

/// One piece on the GPU.
struct Piece {
    group: wgpu::BindGroup,
    texture: wgpu::Texture,
    uniform: wgpu::Buffer,
    params: PieceUniform,
    /// Levels 1.. are not made yet (the shader reads level 0 only: `params.w` = 0).
    pending_mips: bool,
}

/// The tile cache of a cube panorama.
struct TileCache {
    slots: u32,
    /// Layer side (0 until the first tile of a six-face cube arrives).
    side: u32,
    texture: Option<(wgpu::Texture, wgpu::BindGroup)>,
    instances: wgpu::Buffer,
    count: u32,
}

/// A panorama on the GPU.
pub(crate) struct PanoramaContent {
    pieces: Vec<Piece>,
    tiles: Option<TileCache>,
    /// No frame drawn yet (the mip chains wait for the first).
    first_frame: bool,
}

impl PanoramaContent {
    /// An equirectangular image of `size` given as `parts` (each with its rectangle in the
    /// image), covering `coverage` of the sphere. Pieces must fit the GPU (see [`pieces`]).
    pub(crate) fn new(
        ctx: &GpuContext,
        descriptors: &mut Descriptors,
        parts: Vec<(TextureSource, [u32; 4])>,
        size: (u32, u32),
        coverage: Coverage,
    ) -> Result<PanoramaContent, RenderError> {
        let limit = ctx.max_texture_side();
        let (w, h) = (size.0.max(1) as f32, size.1.max(1) as f32);
        let single = parts.len() == 1;
        let mut pieces = Vec::new();
        for (image, [x, y, pw, ph]) in parts {
            let (iw, ih) = image.size();
            if iw > limit || ih > limit {
                return Err(RenderError::TooLarge {
                    width: iw,
                    height: ih,
                    limit,
                });
            }
            let haov = coverage.haov.to_radians();
            let vaov = coverage.vaov.to_radians();
            let cx = (x as f32 + pw as f32 / 2.0) / w;
            let cy = (y as f32 + ph as f32 / 2.0) / h;
            let uniform = PieceUniform {
                cover: [
                    coverage.h_offset.to_radians() + (cx - 0.5) * haov,
                    coverage.v_offset.to_radians() - (cy - 0.5) * vaov,
                    haov * pw as f32 / w,
                    vaov * ph as f32 / h,
                ],
                params: [
                    if single && coverage.haov >= 360.0 {
                        1.0
                    } else {
                        0.0
                    },
                    1.0 / iw.max(1) as f32,
                    1.0 / ih.max(1) as f32,
                    // Highest mip level read: 0 until the chain is made after the first frame.
                    0.0,
                ],
            };
            let buffer = ctx.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("panorama piece"),
                size: std::mem::size_of::<PieceUniform>() as u64,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            });
            ctx.queue
                .write_buffer(&buffer, 0, bytemuck::bytes_of(&uniform));
            let texture = upload_level0(
                &ctx.device,
                &ctx.queue,
                image,
                // Stored and filtered encoded, as panorama viewers do: the pass reads it without
                // an sRGB decode per texel (costly where the GPU is software) and writes it as it
                // is into a non-sRGB output (panorama_output in common.wgsl).
                TextureKind {
                    srgb: false,
                    mipmaps: true,
                },
                "panorama",
            );
            let view = texture.create_view(&Default::default());
            let group = bind_group(
                &ctx.device,
                "panorama",
                &descriptors.layouts.panorama,
                &[
                    wgpu::BindingResource::TextureView(&view),
                    wgpu::BindingResource::Sampler(&descriptors.panorama_sampler),
                    buffer.as_entire_binding(),
                ],
            );
            pieces.push(Piece {
                pending_mips: texture.mip_level_count() > 1,
                group,
                texture,
                uniform: buffer,
                params: uniform,
            });
        }
        Ok(PanoramaContent {
            pieces,
            tiles: None,
            first_frame: true,
        })
    }

    /// Adds a tile cache of `slots` layers of `side` pixels (0: sized by the first tile).
    pub(crate) fn with_tiles(
        mut self,
        ctx: &GpuContext,
        descriptors: &Descriptors,
        slots: u32,
        side: u32,
    ) -> PanoramaContent {
        // (One layer is kept for the spare that `create` may add.)
        let slots = slots.clamp(2, ctx.device.limits().max_texture_array_layers.max(3) - 1);
        let instances = ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("tile instances"),
            size: TILE_INSTANCE_SIZE * slots as u64,
            usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut cache = TileCache {
            slots,
            side: 0,
            texture: None,
            instances,
            count: 0,
        };
        if side > 0 {
            cache.create(ctx, descriptors, side);
        }
        self.tiles = Some(cache);
        self
    }

    /// Puts a decoded tile into `slot` of the tile cache.
    pub(crate) fn put_tile(
        &mut self,
        ctx: &GpuContext,
        descriptors: &Descriptors,
        slot: u32,
        image: TextureSource,
    ) -> Result<(), RenderError> {
        let Some(cache) = &mut self.tiles else {
            return Ok(());
        };
        let (w, h) = image.size();
        if cache.texture.is_none() {
            cache.create(ctx, descriptors, w.max(h));
        }
        let side = cache.side;
        if slot >= cache.slots {
            return Ok(());
        }
        let image = match image {
            TextureSource::Rgba(img) if img.width > side || img.height > side => {
                TextureSource::Rgba(crate::texture::shrink_to(img, side))
            }
            #[cfg(target_arch = "wasm32")]
            TextureSource::Bitmap(_) if w > side || h > side => {
                return Err(RenderError::TooLarge {
                    width: w,
                    height: h,
                    limit: side,
                })
            }
            other => other,
        };
        let Some((texture, _)) = &cache.texture else {
            return Ok(());
        };
        crate::texture::write_layer(&ctx.queue, texture, slot, image);
        Ok(())
    }
}

impl TileCache {
    fn create(&mut self, ctx: &GpuContext, descriptors: &Descriptors, side: u32) {
        let side = side.clamp(1, ctx.max_texture_side());
        // wgpu's GL backend takes a square texture whose layers are a multiple of six for a
        // cube map (array), which WebGL2 cannot bind as a 2D array: one spare layer avoids it.
        let layers = if self.slots.is_multiple_of(6) {
            self.slots + 1
        } else {
            self.slots
        };
        let texture = ctx.device.create_texture(&wgpu::TextureDescriptor {
            label: Some("tile cache"),
            size: wgpu::Extent3d {
                width: side,
                height: side,
                depth_or_array_layers: layers,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            // Encoded values, filtered as they are (like the equirectangular pieces).
            format: wgpu::TextureFormat::Rgba8Unorm,
            usage: wgpu::TextureUsages::TEXTURE_BINDING
                | wgpu::TextureUsages::COPY_DST
                | wgpu::TextureUsages::RENDER_ATTACHMENT,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor {
            dimension: Some(wgpu::TextureViewDimension::D2Array),
            ..Default::default()
        });
        let group = bind_group(
            &ctx.device,
            "tiles",
            &descriptors.layouts.tiles,
            &[
                wgpu::BindingResource::TextureView(&view),
                wgpu::BindingResource::Sampler(&descriptors.tile_sampler),
            ],
        );
        self.side = side;
        self.texture = Some((texture, group));
    }
}

impl Content for PanoramaContent {
    fn gpu_bytes(&self) -> u64 {
        let pieces: u64 = self
            .pieces
            .iter()
            .map(|p| crate::texture::texture_bytes(&p.texture) + p.uniform.size())
            .sum();
        let tiles = self.tiles.as_ref().map_or(0, |t| {
            t.instances.size()
                + t.texture
                    .as_ref()
                    .map_or(0, |(tex, _)| crate::texture::texture_bytes(tex))
        });
        pieces + tiles
    }

    fn kind(&self) -> SceneContent {
        SceneContent::Panorama
    }

    fn scene_pass(&self) -> ScenePass {
        ScenePass {
            clear: FILL,
            depth: false,
        }
    }

    fn draws_direct(&self, _moving: bool) -> bool {
        true
    }

    fn as_panorama_mut(&mut self) -> Option<&mut PanoramaContent> {
        Some(self)
    }

    fn finish(&mut self, ctx: &GpuContext, mips: &mut MipGen, now: bool) -> bool {
        let pending = self.pieces.iter().any(|p| p.pending_mips);
        if !pending {
            return false;
        }
        if self.first_frame && !now {
            // The first frame shows level 0 at once; the chain is made before the next.
            self.first_frame = false;
            return true;
        }
        for p in self.pieces.iter_mut().filter(|p| p.pending_mips) {
            mips.generate(&ctx.device, &ctx.queue, &p.texture);
            p.params.params[3] = (p.texture.mip_level_count() - 1) as f32;
            ctx.queue
                .write_buffer(&p.uniform, 0, bytemuck::bytes_of(&p.params));
            p.pending_mips = false;
        }
        false
    }

    fn prepare(&mut self, queue: &wgpu::Queue, tiles: &[TileDraw]) {
        let Some(cache) = &mut self.tiles else { return };
        let mut data: Vec<f32> = Vec::with_capacity(tiles.len() * 8);
        for t in tiles.iter().take(cache.slots as usize) {
            if t.slot >= cache.slots {
                continue;
            }
            data.extend_from_slice(&t.rect);
            data.extend_from_slice(&[t.extent[0], t.extent[1], t.slot as f32, t.face as f32]);
        }
        cache.count = (data.len() / 8) as u32;
        if !data.is_empty() {
            queue.write_buffer(&cache.instances, 0, bytemuck::cast_slice(&data));
        }
    }

    fn draw(&self, pass: &mut wgpu::RenderPass<'_>, cx: &mut DrawContext<'_>) {
        if !self.pieces.is_empty() {
            pass.set_pipeline(cx.pipelines.panorama(cx.device, cx.target.format));
            for p in &self.pieces {
                pass.set_bind_group(1, &p.group, &[]);
                pass.draw(0..3, 0..1);
            }
        }
        if let Some(cache) = &self.tiles {
            if let (Some((_, group)), true) = (&cache.texture, cache.count > 0) {
                pass.set_pipeline(cx.pipelines.tiles(cx.device, cx.target.format));
                pass.set_bind_group(1, group, &[]);
                pass.set_vertex_buffer(0, cache.instances.slice(..));
                pass.draw(0..4, 0..cache.count);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pieces;

    #[test]
    fn pieces_fit_the_limit_and_cover_the_image() {
        assert_eq!(pieces(4096, 2048, 8192), vec![[0, 0, 4096, 2048]]);
        let p = pieces(20000, 10000, 8192);
        assert_eq!(p.len(), 3 * 2);
        assert!(p.iter().all(|r| r[2] <= 8192 && r[3] <= 8192));
        let area: u64 = p.iter().map(|r| r[2] as u64 * r[3] as u64).sum();
        assert_eq!(area, 20000 * 10000);
        assert_eq!(pieces(8192, 4096, 4096).len(), 2);
    }
}
