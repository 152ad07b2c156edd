//! A panorama: an equirectangular image, mipmapped, drawn by one full-screen pass
//! (panorama.wgsl) that looks each pixel's view direction up in it.

use super::{Content, DrawContext, SceneContent, ScenePass};
use crate::context::GpuContext;
use crate::descriptors::{bind_group, Descriptors};
use crate::texture::{upload, TextureKind, TextureSource};
use crate::RenderError;

/// A panorama on the GPU.
pub(crate) struct PanoramaContent {
    group: wgpu::BindGroup,
    _texture: wgpu::Texture,
}

impl PanoramaContent {
    /// Uploads `image` (sRGB, with mipmaps). On the web, images larger than the GPU allows are
    /// refused (natively they are halved until they fit).
    pub(crate) fn new(
        ctx: &GpuContext,
        descriptors: &mut Descriptors,
        image: TextureSource,
    ) -> Result<PanoramaContent, RenderError> {
        let (w, h) = image.size();
        let limit = ctx.max_texture_side();
        if cfg!(target_arch = "wasm32") && (w > limit || h > limit) {
            return Err(RenderError::TooLarge {
                width: w,
                height: h,
                limit,
            });
        }
        let texture = upload(
            &ctx.device,
            &ctx.queue,
            &mut descriptors.mips,
            image,
            TextureKind {
                srgb: true,
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
            ],
        );
        Ok(PanoramaContent {
            group,
            _texture: texture,
        })
    }
}

impl Content for PanoramaContent {
    fn kind(&self) -> SceneContent {
        SceneContent::Panorama
    }

    fn scene_pass(&self) -> ScenePass {
        ScenePass {
            clear: wgpu::Color::BLACK,
            depth: false,
        }
    }

    fn draws_direct(&self) -> bool {
        true
    }

    fn draw(&self, pass: &mut wgpu::RenderPass<'_>, cx: &mut DrawContext<'_>) {
        pass.set_pipeline(cx.pipelines.panorama(cx.device, cx.target.format));
        pass.set_bind_group(1, &self.group, &[]);
        pass.draw(0..3, 0..1);
    }
}
