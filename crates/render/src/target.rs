//! Per-output state: where a frame goes (`RenderTarget`: window surface or offscreen texture),
//! the acquired surface texture of one frame (`SurfaceFrame`), and the scene textures a renderer
//! draws into before composing (colour, MSAA, depth, and the previous scene for cross-fades).

use crate::context::GpuContext;
use crate::descriptors::{bind_group, Descriptors, DEPTH_FORMAT, SCENE_FORMAT};
use crate::RenderError;
#[cfg(not(target_arch = "wasm32"))]
use disan_assets::RgbaImage;

/// Where a frame goes: a window surface or an offscreen texture (tests, `disan render`).
pub enum RenderTarget {
    /// A window or canvas surface.
    Surface {
        /// The surface.
        surface: wgpu::Surface<'static>,
        /// Its configuration.
        config: wgpu::SurfaceConfiguration,
    },
    /// An offscreen texture that can be read back.
    Texture {
        /// The texture (`Rgba8UnormSrgb`, COPY_SRC).
        texture: wgpu::Texture,
    },
}

impl RenderTarget {
    /// An offscreen target of this size.
    pub fn texture(ctx: &GpuContext, width: u32, height: u32) -> RenderTarget {
        let texture = ctx.device.create_texture(&wgpu::TextureDescriptor {
            label: Some("offscreen target"),
            size: wgpu::Extent3d {
                width: width.max(1),
                height: height.max(1),
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: SCENE_FORMAT,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        RenderTarget::Texture { texture }
    }

    /// A surface target configured for `width` × `height`.
    pub fn surface(
        ctx: &GpuContext,
        surface: wgpu::Surface<'static>,
        width: u32,
        height: u32,
    ) -> Result<RenderTarget, RenderError> {
        let caps = surface.get_capabilities(&ctx.adapter);
        // A plain (non-sRGB) format: compose.wgsl encodes to sRGB itself, and egui, drawn on top
        // natively, expects a gamma-space target.
        let format = caps
            .formats
            .iter()
            .copied()
            .find(|f| {
                matches!(
                    f,
                    wgpu::TextureFormat::Rgba8Unorm | wgpu::TextureFormat::Bgra8Unorm
                )
            })
            .or_else(|| caps.formats.first().copied())
            .ok_or_else(|| RenderError::Surface("the surface offers no formats".into()))?;
        let config = wgpu::SurfaceConfiguration {
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
            format,
            color_space: Default::default(),
            width: width.max(1),
            height: height.max(1),
            present_mode: wgpu::PresentMode::AutoVsync,
            desired_maximum_frame_latency: 2,
            alpha_mode: caps
                .alpha_modes
                .first()
                .copied()
                .unwrap_or(wgpu::CompositeAlphaMode::Auto),
            view_formats: vec![],
        };
        surface.configure(&ctx.device, &config);
        Ok(RenderTarget::Surface { surface, config })
    }

    /// Output format.
    pub fn format(&self) -> wgpu::TextureFormat {
        match self {
            RenderTarget::Surface { config, .. } => config.format,
            RenderTarget::Texture { texture } => texture.format(),
        }
    }

    /// Size in pixels.
    pub fn size(&self) -> (u32, u32) {
        match self {
            RenderTarget::Surface { config, .. } => (config.width, config.height),
            RenderTarget::Texture { texture } => (texture.width(), texture.height()),
        }
    }

    /// Resizes (reconfigures the surface).
    pub fn resize(&mut self, ctx: &GpuContext, width: u32, height: u32) {
        match self {
            RenderTarget::Surface { surface, config } => {
                config.width = width.max(1);
                config.height = height.max(1);
                surface.configure(&ctx.device, config);
            }
            RenderTarget::Texture { texture } => {
                if texture.width() != width || texture.height() != height {
                    *self = RenderTarget::texture(ctx, width, height);
                }
            }
        }
    }

    /// Acquires the surface's texture for this frame, ready to draw into and then
    /// [`SurfaceFrame::present`]. An outdated or lost surface is reconfigured (same size) and
    /// asked once more; a suboptimal texture is used as it is. `None`: nothing to draw into this
    /// time (timed out, occluded, still outdated, a validation error, or a texture target): skip
    /// the frame and draw again later.
    pub fn acquire(&mut self, ctx: &GpuContext) -> Option<SurfaceFrame> {
        let RenderTarget::Surface { surface, config } = self else {
            return None;
        };
        for attempt in 0..2 {
            match surface.get_current_texture() {
                wgpu::CurrentSurfaceTexture::Success(texture)
                | wgpu::CurrentSurfaceTexture::Suboptimal(texture) => {
                    let view = texture.texture.create_view(&Default::default());
                    return Some(SurfaceFrame {
                        texture,
                        view,
                        format: config.format,
                    });
                }
                wgpu::CurrentSurfaceTexture::Outdated | wgpu::CurrentSurfaceTexture::Lost
                    if attempt == 0 =>
                {
                    surface.configure(&ctx.device, config);
                }
                other => {
                    log::debug!("no surface texture this frame: {}", surface_status(&other));
                    return None;
                }
            }
        }
        None
    }

    /// Reads the texture target back as RGBA8 (native only).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn read_back(&self, ctx: &GpuContext) -> Result<RgbaImage, RenderError> {
        let RenderTarget::Texture { texture } = self else {
            return Err(RenderError::Capture(
                "only texture targets can be read back".into(),
            ));
        };
        let (w, h) = (texture.width(), texture.height());
        let row = (w * 4).div_ceil(256) * 256;
        let buffer = ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback"),
            size: (row * h) as u64,
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        encoder.copy_texture_to_buffer(
            texture.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer: &buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(row),
                    rows_per_image: Some(h),
                },
            },
            wgpu::Extent3d {
                width: w,
                height: h,
                depth_or_array_layers: 1,
            },
        );
        ctx.queue.submit([encoder.finish()]);
        let slice = buffer.slice(..);
        let (tx, rx) = std::sync::mpsc::channel();
        slice.map_async(wgpu::MapMode::Read, move |r| {
            let _ = tx.send(r);
        });
        ctx.device
            .poll(wgpu::PollType::Wait {
                submission_index: None,
                timeout: None,
            })
            .map_err(|e| RenderError::Capture(e.to_string()))?;
        rx.recv()
            .map_err(|e| RenderError::Capture(e.to_string()))?
            .map_err(|e| RenderError::Capture(e.to_string()))?;
        let data = slice
            .get_mapped_range()
            .map_err(|e| RenderError::Capture(e.to_string()))?;
        let mut pixels = Vec::with_capacity((w * h * 4) as usize);
        for y in 0..h {
            let start = (y * row) as usize;
            pixels.extend_from_slice(&data[start..start + (w * 4) as usize]);
        }
        drop(data);
        buffer.unmap();
        Ok(RgbaImage {
            width: w,
            height: h,
            pixels,
        })
    }
}

fn surface_status(status: &wgpu::CurrentSurfaceTexture) -> &'static str {
    match status {
        wgpu::CurrentSurfaceTexture::Success(_) => "success",
        wgpu::CurrentSurfaceTexture::Suboptimal(_) => "suboptimal",
        wgpu::CurrentSurfaceTexture::Timeout => "timeout",
        wgpu::CurrentSurfaceTexture::Occluded => "occluded",
        wgpu::CurrentSurfaceTexture::Outdated => "outdated",
        wgpu::CurrentSurfaceTexture::Lost => "lost",
        wgpu::CurrentSurfaceTexture::Validation => "validation error",
    }
}

/// A window surface's texture for one frame: draw into `view` (of `format`), then present.
pub struct SurfaceFrame {
    texture: wgpu::SurfaceTexture,
    /// A view of the whole texture.
    pub view: wgpu::TextureView,
    /// The surface's format.
    pub format: wgpu::TextureFormat,
}

impl SurfaceFrame {
    /// The surface texture (for callers that need more than the view).
    pub fn texture(&self) -> &wgpu::Texture {
        &self.texture.texture
    }

    /// Shows the frame (after the commands drawing it were submitted).
    pub fn present(self, ctx: &GpuContext) {
        ctx.queue.present(self.texture);
    }
}

/// The scene textures of one output size: the scene is drawn here, then composed into the
/// output (cross-fading from `previous`).
pub(crate) struct SceneTargets {
    /// Size in pixels.
    pub width: u32,
    /// Size in pixels.
    pub height: u32,
    /// The resolved scene (`SCENE_FORMAT`).
    pub color: wgpu::Texture,
    /// View of `color`.
    pub color_view: wgpu::TextureView,
    /// The previous scene, as last shown, for the cross-fade.
    pub previous: wgpu::Texture,
    /// Multisampled colour of object scenes (when MSAA is on).
    pub msaa_view: Option<wgpu::TextureView>,
    /// Depth of object scenes (multisampled like `msaa_view`).
    pub depth_view: wgpu::TextureView,
    /// Single-sampled depth of the frames an object is drawn while it turns (straight into the
    /// output, one sample): made on the first such frame (`depth_view` itself without MSAA).
    moving_depth: Option<wgpu::TextureView>,
    /// Group 0 of the compose pass: current and previous scene, sampler, parameters.
    pub compose_group: wgpu::BindGroup,
    /// GPU bytes of these textures.
    pub bytes: u64,
}

impl SceneTargets {
    /// Textures of `width` × `height`; `compose_params` is the compose pass's uniform buffer.
    pub(crate) fn new(
        device: &wgpu::Device,
        descriptors: &Descriptors,
        compose_params: &wgpu::Buffer,
        width: u32,
        height: u32,
    ) -> SceneTargets {
        let size = wgpu::Extent3d {
            width,
            height,
            depth_or_array_layers: 1,
        };
        let make = |label: &str, format, samples, usage| {
            device.create_texture(&wgpu::TextureDescriptor {
                label: Some(label),
                size,
                mip_level_count: 1,
                sample_count: samples,
                dimension: wgpu::TextureDimension::D2,
                format,
                usage,
                view_formats: &[],
            })
        };
        use wgpu::TextureUsages as U;
        let samples = descriptors.samples;
        let color = make(
            "scene",
            SCENE_FORMAT,
            1,
            U::RENDER_ATTACHMENT | U::TEXTURE_BINDING | U::COPY_SRC,
        );
        let previous = make(
            "previous scene",
            SCENE_FORMAT,
            1,
            U::TEXTURE_BINDING | U::COPY_DST,
        );
        let msaa =
            (samples > 1).then(|| make("scene msaa", SCENE_FORMAT, samples, U::RENDER_ATTACHMENT));
        let depth = make("depth", DEPTH_FORMAT, samples, U::RENDER_ATTACHMENT);
        let bytes = [Some(&color), Some(&previous), msaa.as_ref(), Some(&depth)]
            .into_iter()
            .flatten()
            .map(crate::texture::texture_bytes)
            .sum();
        let msaa_view = msaa.map(|t| t.create_view(&Default::default()));
        let depth_view = depth.create_view(&Default::default());
        let color_view = color.create_view(&Default::default());
        let prev_view = previous.create_view(&Default::default());
        let compose_group = bind_group(
            device,
            "compose",
            &descriptors.layouts.compose,
            &[
                wgpu::BindingResource::TextureView(&color_view),
                wgpu::BindingResource::TextureView(&prev_view),
                wgpu::BindingResource::Sampler(&descriptors.compose_sampler),
                compose_params.as_entire_binding(),
            ],
        );
        SceneTargets {
            width,
            height,
            color,
            color_view,
            previous,
            msaa_view,
            depth_view,
            moving_depth: None,
            compose_group,
            bytes,
        }
    }

    /// The depth of a single-sampled pass of this size (made on first use, counted in `bytes`).
    pub(crate) fn single_depth(&mut self, device: &wgpu::Device) -> wgpu::TextureView {
        if self.msaa_view.is_none() {
            return self.depth_view.clone();
        }
        if let Some(view) = &self.moving_depth {
            return view.clone();
        }
        let texture = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("depth (moving)"),
            size: wgpu::Extent3d {
                width: self.width,
                height: self.height,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: DEPTH_FORMAT,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
            view_formats: &[],
        });
        self.bytes += crate::texture::texture_bytes(&texture);
        let view = texture.create_view(&Default::default());
        self.moving_depth = Some(view.clone());
        view
    }

    /// Copies the scene into `previous`, where the next cross-fade starts from.
    pub(crate) fn keep_as_previous(&self, encoder: &mut wgpu::CommandEncoder) {
        encoder.copy_texture_to_texture(
            self.color.as_image_copy(),
            self.previous.as_image_copy(),
            self.color.size(),
        );
    }
}
