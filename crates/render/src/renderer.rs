//! The renderer: draws the current scene (panorama or object) and its hotspot markers into a
//! scene texture, then composes it (cross-fading from the previous scene) into any target view.

use crate::context::GpuContext;
use crate::gpu_model::{GpuModel, ModelLayouts, PipelineKey, Vertex, VERTEX_ATTRIBUTES};
use crate::ibl::{Environment, Ibl};
use crate::texture::{upload, MipGen, TextureKind, TextureSource};
use crate::RenderError;
use bytemuck::{Pod, Zeroable};
use disan_assets::ModelData;
#[cfg(not(target_arch = "wasm32"))]
use disan_assets::RgbaImage;
use disan_tour::camera::Projection;
use glam::{Mat4, Vec2, Vec3};
use std::collections::HashMap;

/// Length of the cross-fade between scenes, seconds.
pub const FADE_SECONDS: f64 = 0.45;

const COMMON: &str = include_str!("../../../shaders/common.wgsl");
const PANORAMA: &str = include_str!("../../../shaders/panorama.wgsl");
const MESH: &str = include_str!("../../../shaders/mesh.wgsl");
const MARKER: &str = include_str!("../../../shaders/marker.wgsl");
const COMPOSE: &str = include_str!("../../../shaders/compose.wgsl");
const MIPMAP: &str = include_str!("../../../shaders/mipmap.wgsl");
const IBL: &str = include_str!("../../../shaders/ibl.wgsl");

const SCENE_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8UnormSrgb;
const DEPTH_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Depth24Plus;
/// Background behind objects (linear).
const OBJECT_BACKGROUND: wgpu::Color = wgpu::Color {
    r: 0.045,
    g: 0.043,
    b: 0.042,
    a: 1.0,
};

/// What a hotspot does, for its marker style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// Opens a catalog card.
    Info,
    /// Goes to another scene.
    Link,
}

/// A hotspot marker to draw, in pixels of the output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Marker {
    /// Centre, pixels from the top-left.
    pub position: Vec2,
    /// Kind.
    pub kind: MarkerKind,
    /// Behind the object: drawn as a faint dashed ring.
    pub hidden: bool,
    /// Under the pointer or focused.
    pub highlighted: bool,
}

/// What the scene shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SceneContent {
    /// Nothing yet.
    Empty,
    /// A panorama.
    Panorama,
    /// A model.
    Object,
}

/// Per-frame input.
pub struct FrameInput<'a> {
    /// Camera matrices and viewport (in output pixels).
    pub projection: Projection,
    /// Markers to draw.
    pub markers: &'a [Marker],
    /// Time in seconds (any monotonic origin), for fades.
    pub time: f64,
    /// Marker radius in output pixels.
    pub marker_radius: f32,
}

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

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct FrameUniform {
    view_proj: [[f32; 4]; 4],
    inv_view_proj: [[f32; 4]; 4],
    camera_pos: [f32; 4],
    viewport: [f32; 4],
    light_dir: [f32; 4],
    light_color: [f32; 4],
    ambient_sky: [f32; 4],
    ambient_ground: [f32; 4],
    env: [f32; 4],
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct MarkerInstance {
    center: [f32; 2],
    radius: f32,
    style: [f32; 3],
}

struct SceneTargets {
    width: u32,
    height: u32,
    color: wgpu::Texture,
    color_view: wgpu::TextureView,
    previous: wgpu::Texture,
    msaa_view: Option<wgpu::TextureView>,
    depth_view: wgpu::TextureView,
    compose_group: wgpu::BindGroup,
}

enum Content {
    Empty,
    Panorama {
        group: wgpu::BindGroup,
        _texture: wgpu::Texture,
    },
    Object(Box<GpuModel>),
}

fn bgl_entry(
    binding: u32,
    ty: wgpu::BindingType,
    visibility: wgpu::ShaderStages,
) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility,
        ty,
        count: None,
    }
}

fn tex_entry(binding: u32) -> wgpu::BindGroupLayoutEntry {
    bgl_entry(
        binding,
        wgpu::BindingType::Texture {
            sample_type: wgpu::TextureSampleType::Float { filterable: true },
            view_dimension: wgpu::TextureViewDimension::D2,
            multisampled: false,
        },
        wgpu::ShaderStages::FRAGMENT,
    )
}

fn sampler_entry(binding: u32) -> wgpu::BindGroupLayoutEntry {
    bgl_entry(
        binding,
        wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
        wgpu::ShaderStages::FRAGMENT,
    )
}

fn uniform_entry(binding: u32, visibility: wgpu::ShaderStages) -> wgpu::BindGroupLayoutEntry {
    bgl_entry(
        binding,
        wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        visibility,
    )
}

fn marker_pipeline(
    device: &wgpu::Device,
    module: &wgpu::ShaderModule,
    layout: &wgpu::PipelineLayout,
    format: wgpu::TextureFormat,
    samples: u32,
    depth: bool,
) -> wgpu::RenderPipeline {
    let attrs = wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32, 2 => Float32x3];
    device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some("marker"),
        layout: Some(layout),
        vertex: wgpu::VertexState {
            module,
            entry_point: Some("vs_main"),
            compilation_options: Default::default(),
            buffers: &[Some(wgpu::VertexBufferLayout {
                array_stride: std::mem::size_of::<MarkerInstance>() as u64,
                step_mode: wgpu::VertexStepMode::Instance,
                attributes: &attrs,
            })],
        },
        primitive: Default::default(),
        depth_stencil: depth.then(|| wgpu::DepthStencilState {
            format: DEPTH_FORMAT,
            depth_write_enabled: Some(false),
            depth_compare: Some(wgpu::CompareFunction::Always),
            stencil: Default::default(),
            bias: Default::default(),
        }),
        multisample: wgpu::MultisampleState {
            count: samples,
            ..Default::default()
        },
        fragment: Some(wgpu::FragmentState {
            module,
            entry_point: Some("fs_main"),
            compilation_options: Default::default(),
            targets: &[Some(wgpu::ColorTargetState {
                format,
                blend: Some(wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING),
                write_mask: wgpu::ColorWrites::ALL,
            })],
        }),
        multiview_mask: None,
        cache: None,
    })
}

/// Draws scenes. One per output (window, canvas or offscreen target).
pub struct Renderer {
    frame_buffer: wgpu::Buffer,
    frame_group: wgpu::BindGroup,
    frame_layout: wgpu::BindGroupLayout,
    pano_layout: wgpu::BindGroupLayout,
    /// Offscreen (scene texture) pipelines, made when first needed: a panorama seen without
    /// fades only ever uses the direct ones.
    pano_pipeline: Option<wgpu::RenderPipeline>,
    pano_module: wgpu::ShaderModule,
    pano_pl: wgpu::PipelineLayout,
    marker_module: wgpu::ShaderModule,
    marker_pl: wgpu::PipelineLayout,
    direct: HashMap<wgpu::TextureFormat, (wgpu::RenderPipeline, wgpu::RenderPipeline)>,
    marker_count: u32,
    last_frame: Option<FrameUniform>,
    last_eye: Vec3,
    pano_sampler: wgpu::Sampler,
    material_layout: wgpu::BindGroupLayout,
    draw_layout: wgpu::BindGroupLayout,
    mesh_layout: wgpu::PipelineLayout,
    mesh_module: wgpu::ShaderModule,
    mesh_pipelines: HashMap<PipelineKey, wgpu::RenderPipeline>,
    marker_pipeline_pano: Option<wgpu::RenderPipeline>,
    marker_pipeline_object: Option<wgpu::RenderPipeline>,
    marker_buffer: wgpu::Buffer,
    marker_capacity: usize,
    compose_layout: wgpu::BindGroupLayout,
    compose_pipeline_layout: wgpu::PipelineLayout,
    compose_module: wgpu::ShaderModule,
    compose_pipelines: HashMap<wgpu::TextureFormat, wgpu::RenderPipeline>,
    compose_buffer: wgpu::Buffer,
    compose_sampler: wgpu::Sampler,
    mips: MipGen,
    ibl: Option<Ibl>,
    ibl_layout: wgpu::BindGroupLayout,
    /// Exposure applied before tone mapping (lit materials).
    pub exposure: f32,
    /// Intensity of the image-based lighting.
    pub environment_intensity: f32,
    /// Intensity of the optional directional key light (0: image-based lighting only).
    pub key_light: f32,
    samples: u32,
    targets: Option<SceneTargets>,
    content: Content,
    /// A fade is pending (starts at the next render) or running since this time.
    fade: Option<Option<f64>>,
    drawn_content: bool,
}

fn shader(device: &wgpu::Device, label: &str, source: &str) -> wgpu::ShaderModule {
    device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(label),
        source: wgpu::ShaderSource::Wgsl(format!("{COMMON}\n{source}").into()),
    })
}

impl Renderer {
    /// Creates pipelines and shared resources.
    pub fn new(ctx: &GpuContext) -> Renderer {
        let device = &ctx.device;
        let samples = {
            let color = ctx.adapter.get_texture_format_features(SCENE_FORMAT);
            let depth = ctx.adapter.get_texture_format_features(DEPTH_FORMAT);
            if color.flags.sample_count_supported(4) && depth.flags.sample_count_supported(4) {
                4
            } else {
                1
            }
        };
        let vf = wgpu::ShaderStages::VERTEX | wgpu::ShaderStages::FRAGMENT;
        let frame_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("frame"),
            entries: &[uniform_entry(0, vf)],
        });
        let frame_buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("frame"),
            size: std::mem::size_of::<FrameUniform>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let frame_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("frame"),
            layout: &frame_layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: frame_buffer.as_entire_binding(),
            }],
        });

        let mips = MipGen::new(device, &frame_layout, &format!("{COMMON}\n{MIPMAP}"));
        // The environment (image-based lighting) is prepared on the first object: panoramas do
        // not pay for it (it costs hundreds of milliseconds on a CPU renderer).
        let ibl_layout = Ibl::layout(device);

        // Panorama.
        let pano_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("panorama"),
            entries: &[tex_entry(0), sampler_entry(1)],
        });
        let pano_module = shader(device, "panorama.wgsl", PANORAMA);
        let pano_pl = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("panorama"),
            bind_group_layouts: &[Some(&frame_layout), Some(&pano_layout)],
            immediate_size: 0,
        });
        let pano_sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("panorama"),
            address_mode_u: wgpu::AddressMode::Repeat,
            address_mode_v: wgpu::AddressMode::ClampToEdge,
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            mipmap_filter: wgpu::MipmapFilterMode::Linear,
            anisotropy_clamp: 1,
            ..Default::default()
        });

        // Meshes.
        let mut material_entries = vec![uniform_entry(0, wgpu::ShaderStages::FRAGMENT)];
        for i in 0..5 {
            material_entries.push(tex_entry(1 + 2 * i));
            material_entries.push(sampler_entry(2 + 2 * i));
        }
        let material_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("material"),
            entries: &material_entries,
        });
        let draw_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("draw"),
            entries: &[uniform_entry(0, wgpu::ShaderStages::VERTEX)],
        });
        let mesh_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("mesh"),
            bind_group_layouts: &[
                Some(&frame_layout),
                Some(&material_layout),
                Some(&draw_layout),
                Some(&ibl_layout),
            ],
            immediate_size: 0,
        });
        let mesh_module = shader(device, "mesh.wgsl", MESH);

        // Markers.
        let marker_module = shader(device, "marker.wgsl", MARKER);
        let marker_pl = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("marker"),
            bind_group_layouts: &[Some(&frame_layout)],
            immediate_size: 0,
        });
        let marker_capacity = 64;
        let marker_buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("markers"),
            size: (marker_capacity * std::mem::size_of::<MarkerInstance>()) as u64,
            usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });

        // Compose.
        let compose_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("compose"),
            entries: &[
                tex_entry(0),
                tex_entry(1),
                sampler_entry(2),
                uniform_entry(3, wgpu::ShaderStages::FRAGMENT),
            ],
        });
        let compose_pipeline_layout =
            device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some("compose"),
                bind_group_layouts: &[Some(&frame_layout), Some(&compose_layout)],
                immediate_size: 0,
            });
        let compose_module = shader(device, "compose.wgsl", COMPOSE);
        let compose_buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("compose"),
            size: 16,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let compose_sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("compose"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });

        Renderer {
            frame_buffer,
            frame_group,
            frame_layout,
            pano_layout,
            pano_pipeline: None,
            pano_module,
            pano_pl,
            marker_module,
            marker_pl,
            direct: HashMap::new(),
            marker_count: 0,
            last_frame: None,
            last_eye: Vec3::ZERO,
            pano_sampler,
            material_layout,
            draw_layout,
            mesh_layout,
            mesh_module,
            mesh_pipelines: HashMap::new(),
            marker_pipeline_pano: None,
            marker_pipeline_object: None,
            marker_buffer,
            marker_capacity,
            compose_layout,
            compose_pipeline_layout,
            compose_module,
            compose_pipelines: HashMap::new(),
            compose_buffer,
            compose_sampler,
            mips,
            ibl: None,
            ibl_layout,
            exposure: 1.0,
            environment_intensity: 1.0,
            key_light: 0.0,
            samples,
            targets: None,
            content: Content::Empty,
            fade: None,
            drawn_content: false,
        }
    }

    /// Lights objects with this environment (the neutral studio by default).
    pub fn set_environment(&mut self, ctx: &GpuContext, env: Environment) {
        match &mut self.ibl {
            Some(ibl) => ibl.set(
                &ctx.device,
                &ctx.queue,
                &mut self.mips,
                &self.frame_group,
                env,
            ),
            None => {
                let mut ibl = self.new_ibl(ctx);
                ibl.set(
                    &ctx.device,
                    &ctx.queue,
                    &mut self.mips,
                    &self.frame_group,
                    env,
                );
                self.ibl = Some(ibl);
            }
        }
    }

    fn new_ibl(&mut self, ctx: &GpuContext) -> Ibl {
        Ibl::new(
            ctx,
            &mut self.mips,
            &self.frame_layout,
            &self.frame_group,
            &self.ibl_layout,
            &format!("{COMMON}\n{IBL}"),
        )
    }

    /// MSAA sample count used for objects.
    pub fn samples(&self) -> u32 {
        self.samples
    }

    /// What is shown.
    pub fn content(&self) -> SceneContent {
        match self.content {
            Content::Empty => SceneContent::Empty,
            Content::Panorama { .. } => SceneContent::Panorama,
            Content::Object(_) => SceneContent::Object,
        }
    }

    /// True once a frame with content has been drawn.
    pub fn has_drawn_content(&self) -> bool {
        self.drawn_content
    }

    /// Before the content changes: draws the old scene once more, as it was last shown, into
    /// the "previous" texture that the cross-fade starts from.
    fn begin_transition(&mut self, ctx: &GpuContext) {
        if matches!(self.content, Content::Empty) || !self.drawn_content || self.targets.is_none() {
            return;
        }
        if let Some(mut frame) = self.last_frame {
            frame.env[2] = 0.0; // the scene texture is sRGB: no encoding by hand
            ctx.queue
                .write_buffer(&self.frame_buffer, 0, bytemuck::bytes_of(&frame));
        }
        let order = self.object_order(self.last_eye);
        let mut encoder = ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("snapshot"),
            });
        self.ensure_offscreen_pipelines(&ctx.device);
        self.encode_offscreen(&mut encoder, &order, self.marker_count);
        if let Some(t) = &self.targets {
            encoder.copy_texture_to_texture(
                t.color.as_image_copy(),
                t.previous.as_image_copy(),
                t.color.size(),
            );
        }
        ctx.queue.submit([encoder.finish()]);
        self.fade = Some(None);
    }

    /// Makes the offscreen pipelines the current content needs.
    fn ensure_offscreen_pipelines(&mut self, device: &wgpu::Device) {
        match self.content {
            Content::Panorama { .. } => {
                if self.pano_pipeline.is_none() {
                    self.pano_pipeline = Some(crate::fullscreen::pipeline(
                        device,
                        "panorama",
                        &self.pano_module,
                        &self.pano_pl,
                        "fs_main",
                        SCENE_FORMAT,
                    ));
                }
                if self.marker_pipeline_pano.is_none() {
                    self.marker_pipeline_pano = Some(marker_pipeline(
                        device,
                        &self.marker_module,
                        &self.marker_pl,
                        SCENE_FORMAT,
                        1,
                        false,
                    ));
                }
            }
            Content::Object(_) => {
                if self.marker_pipeline_object.is_none() {
                    self.marker_pipeline_object = Some(marker_pipeline(
                        device,
                        &self.marker_module,
                        &self.marker_pl,
                        SCENE_FORMAT,
                        self.samples,
                        true,
                    ));
                }
            }
            Content::Empty => {}
        }
    }

    /// Panorama and marker pipelines drawing straight into an output format.
    fn direct_pipelines(
        &mut self,
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
    ) -> (wgpu::RenderPipeline, wgpu::RenderPipeline) {
        if let Some(p) = self.direct.get(&format) {
            return p.clone();
        }
        let p = (
            crate::fullscreen::pipeline(
                device,
                "panorama",
                &self.pano_module,
                &self.pano_pl,
                "fs_main",
                format,
            ),
            marker_pipeline(
                device,
                &self.marker_module,
                &self.marker_pl,
                format,
                1,
                false,
            ),
        );
        self.direct.insert(format, p.clone());
        p
    }

    /// Shows a panorama (equirectangular image), cross-fading from what was shown.
    pub fn show_panorama(
        &mut self,
        ctx: &GpuContext,
        image: TextureSource,
    ) -> Result<(), RenderError> {
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
            &mut self.mips,
            &self.frame_group,
            image,
            TextureKind {
                srgb: true,
                mipmaps: true,
            },
            "panorama",
        );
        let view = texture.create_view(&Default::default());
        let group = ctx.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("panorama"),
            layout: &self.pano_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(&view),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::Sampler(&self.pano_sampler),
                },
            ],
        });
        self.begin_transition(ctx);
        self.content = Content::Panorama {
            group,
            _texture: texture,
        };
        Ok(())
    }

    /// Shows a model; `images[i]` is its decoded image `i` (`None` = unusable, drawn white).
    pub fn show_model(
        &mut self,
        ctx: &GpuContext,
        model: &ModelData,
        images: Vec<Option<TextureSource>>,
    ) {
        if self.ibl.is_none() {
            let ibl = self.new_ibl(ctx);
            self.ibl = Some(ibl);
        }
        let gpu = GpuModel::new(
            &ctx.device,
            &ctx.queue,
            &mut self.mips,
            ModelLayouts {
                material: &self.material_layout,
                draw: &self.draw_layout,
                frame_group: &self.frame_group,
            },
            model,
            images,
        );
        for inst in &gpu.instances {
            self.mesh_pipeline(&ctx.device, inst.key);
        }
        self.begin_transition(ctx);
        self.content = Content::Object(Box::new(gpu));
    }

    fn mesh_pipeline(&mut self, device: &wgpu::Device, key: PipelineKey) -> wgpu::RenderPipeline {
        let samples = self.samples;
        let layout = &self.mesh_layout;
        let module = &self.mesh_module;
        self.mesh_pipelines
            .entry(key)
            .or_insert_with(|| {
                device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                    label: Some("mesh"),
                    layout: Some(layout),
                    vertex: wgpu::VertexState {
                        module,
                        entry_point: Some("vs_main"),
                        compilation_options: Default::default(),
                        buffers: &[Some(wgpu::VertexBufferLayout {
                            array_stride: std::mem::size_of::<Vertex>() as u64,
                            step_mode: wgpu::VertexStepMode::Vertex,
                            attributes: &VERTEX_ATTRIBUTES,
                        })],
                    },
                    primitive: wgpu::PrimitiveState {
                        topology: wgpu::PrimitiveTopology::TriangleList,
                        front_face: if key.flip_winding {
                            wgpu::FrontFace::Cw
                        } else {
                            wgpu::FrontFace::Ccw
                        },
                        cull_mode: if key.double_sided {
                            None
                        } else {
                            Some(wgpu::Face::Back)
                        },
                        ..Default::default()
                    },
                    depth_stencil: Some(wgpu::DepthStencilState {
                        format: DEPTH_FORMAT,
                        depth_write_enabled: Some(!key.blend),
                        depth_compare: Some(wgpu::CompareFunction::LessEqual),
                        stencil: Default::default(),
                        bias: Default::default(),
                    }),
                    multisample: wgpu::MultisampleState {
                        count: samples,
                        ..Default::default()
                    },
                    fragment: Some(wgpu::FragmentState {
                        module,
                        entry_point: Some("fs_main"),
                        compilation_options: Default::default(),
                        targets: &[Some(wgpu::ColorTargetState {
                            format: SCENE_FORMAT,
                            blend: key.blend.then_some(wgpu::BlendState::ALPHA_BLENDING),
                            write_mask: wgpu::ColorWrites::ALL,
                        })],
                    }),
                    multiview_mask: None,
                    cache: None,
                })
            })
            .clone()
    }

    fn compose_pipeline(
        &mut self,
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
    ) -> wgpu::RenderPipeline {
        let layout = &self.compose_pipeline_layout;
        let module = &self.compose_module;
        self.compose_pipelines
            .entry(format)
            .or_insert_with(|| {
                crate::fullscreen::pipeline(device, "compose", module, layout, "fs_main", format)
            })
            .clone()
    }

    fn ensure_targets(&mut self, device: &wgpu::Device, width: u32, height: u32) {
        if self
            .targets
            .as_ref()
            .is_some_and(|t| t.width == width && t.height == height)
        {
            return;
        }
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
        let msaa_view = (self.samples > 1).then(|| {
            make(
                "scene msaa",
                SCENE_FORMAT,
                self.samples,
                U::RENDER_ATTACHMENT,
            )
            .create_view(&Default::default())
        });
        let depth_view = make("depth", DEPTH_FORMAT, self.samples, U::RENDER_ATTACHMENT)
            .create_view(&Default::default());
        let color_view = color.create_view(&Default::default());
        let prev_view = previous.create_view(&Default::default());
        let compose_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("compose"),
            layout: &self.compose_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(&color_view),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(&prev_view),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: wgpu::BindingResource::Sampler(&self.compose_sampler),
                },
                wgpu::BindGroupEntry {
                    binding: 3,
                    resource: self.compose_buffer.as_entire_binding(),
                },
            ],
        });
        // A fade in progress cannot survive a resize: its snapshot is gone.
        self.fade = None;
        self.targets = Some(SceneTargets {
            width,
            height,
            color,
            color_view,
            previous,
            msaa_view,
            depth_view,
            compose_group,
        });
    }

    /// Encodes the scene (content + markers) into the offscreen scene texture.
    fn encode_offscreen(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        object_draws: &[usize],
        marker_count: u32,
    ) {
        let Some(targets) = &self.targets else { return };
        match &self.content {
            Content::Empty => {
                let _ = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                    label: Some("empty"),
                    color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                        view: &targets.color_view,
                        depth_slice: None,
                        resolve_target: None,
                        ops: wgpu::Operations {
                            load: wgpu::LoadOp::Clear(OBJECT_BACKGROUND),
                            store: wgpu::StoreOp::Store,
                        },
                    })],
                    ..Default::default()
                });
            }
            Content::Panorama { group, .. } => {
                let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                    label: Some("panorama"),
                    color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                        view: &targets.color_view,
                        depth_slice: None,
                        resolve_target: None,
                        ops: wgpu::Operations {
                            load: wgpu::LoadOp::Clear(wgpu::Color::BLACK),
                            store: wgpu::StoreOp::Store,
                        },
                    })],
                    ..Default::default()
                });
                let Some(pipeline) = &self.pano_pipeline else {
                    return;
                };
                pass.set_pipeline(pipeline);
                pass.set_bind_group(0, &self.frame_group, &[]);
                pass.set_bind_group(1, group, &[]);
                pass.draw(0..3, 0..1);
                if marker_count > 0 {
                    let Some(pipeline) = &self.marker_pipeline_pano else {
                        return;
                    };
                    pass.set_pipeline(pipeline);
                    pass.set_vertex_buffer(0, self.marker_buffer.slice(..));
                    pass.draw(0..6, 0..marker_count);
                }
            }
            Content::Object(model) => {
                let (view, resolve) = match &targets.msaa_view {
                    Some(m) => (m, Some(&targets.color_view)),
                    None => (&targets.color_view, None),
                };
                let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                    label: Some("object"),
                    color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                        view,
                        depth_slice: None,
                        resolve_target: resolve,
                        ops: wgpu::Operations {
                            load: wgpu::LoadOp::Clear(OBJECT_BACKGROUND),
                            store: if resolve.is_some() {
                                wgpu::StoreOp::Discard
                            } else {
                                wgpu::StoreOp::Store
                            },
                        },
                    })],
                    depth_stencil_attachment: Some(wgpu::RenderPassDepthStencilAttachment {
                        view: &targets.depth_view,
                        depth_ops: Some(wgpu::Operations {
                            load: wgpu::LoadOp::Clear(1.0),
                            store: wgpu::StoreOp::Discard,
                        }),
                        stencil_ops: None,
                    }),
                    ..Default::default()
                });
                pass.set_bind_group(0, &self.frame_group, &[]);
                if let Some(ibl) = &self.ibl {
                    pass.set_bind_group(3, &ibl.group, &[]);
                }
                for &i in object_draws {
                    let inst = &model.instances[i];
                    let (Some(pipeline), Some(prim)) = (
                        self.mesh_pipelines.get(&inst.key),
                        model.primitives.get(inst.primitive),
                    ) else {
                        continue;
                    };
                    pass.set_pipeline(pipeline);
                    pass.set_bind_group(1, &model.materials[inst.material], &[]);
                    pass.set_bind_group(2, &inst.group, &[]);
                    pass.set_vertex_buffer(0, prim.vertices.slice(..));
                    pass.set_index_buffer(prim.indices.slice(..), wgpu::IndexFormat::Uint32);
                    pass.draw_indexed(0..prim.index_count, 0, 0..1);
                }
                if marker_count > 0 {
                    let Some(pipeline) = &self.marker_pipeline_object else {
                        return;
                    };
                    pass.set_pipeline(pipeline);
                    pass.set_vertex_buffer(0, self.marker_buffer.slice(..));
                    pass.draw(0..6, 0..marker_count);
                }
            }
        }
    }

    /// Drawing order of an object's instances: opaque first, then blended back to front.
    fn object_order(&self, eye: Vec3) -> Vec<usize> {
        let Content::Object(model) = &self.content else {
            return Vec::new();
        };
        let mut order: Vec<usize> = (0..model.instances.len()).collect();
        order.sort_by(|&a, &b| {
            let (ia, ib) = (&model.instances[a], &model.instances[b]);
            ia.key.blend.cmp(&ib.key.blend).then_with(|| {
                if ia.key.blend {
                    let da = (ia.center - eye).length_squared();
                    let db = (ib.center - eye).length_squared();
                    db.total_cmp(&da)
                } else {
                    std::cmp::Ordering::Equal
                }
            })
        });
        order
    }

    /// Draws a frame into `output` (of `format`, sized like the projection's viewport).
    /// Returns true while more frames are needed (a fade is running).
    pub fn render(
        &mut self,
        ctx: &GpuContext,
        output: &wgpu::TextureView,
        format: wgpu::TextureFormat,
        input: &FrameInput,
    ) -> bool {
        let device = &ctx.device;
        let width = (input.projection.viewport.x.round() as u32).max(1);
        let height = (input.projection.viewport.y.round() as u32).max(1);
        self.ensure_targets(device, width, height);
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("frame"),
        });

        // The snapshot of the old scene was taken by begin_transition; the fade starts now.
        let mut fade_t = 1.0f64;
        if let Some(start) = self.fade {
            let start = start.unwrap_or(input.time);
            self.fade = Some(Some(start));
            fade_t = ((input.time - start) / FADE_SECONDS).clamp(0.0, 1.0);
            if fade_t >= 1.0 {
                self.fade = None;
            }
        }
        let direct = self.fade.is_none()
            && matches!(self.content, Content::Panorama { .. })
            && !format.is_srgb();
        let p = &input.projection;
        let vp = p.view_proj();
        let (light_dir, light_color, sky, ground) = match self.content {
            Content::Object(_) => {
                // A warm key light from the upper front-left of the viewer, and a soft sky.
                let view_inv = p.view.inverse();
                let dir = view_inv
                    .transform_vector3(Vec3::new(-0.45, 0.75, 0.55))
                    .normalize();
                (dir, [1.0, 0.96, 0.9], [0.55, 0.58, 0.62], [0.22, 0.2, 0.18])
            }
            _ => (Vec3::Y, [1.0; 3], [0.5; 3], [0.5; 3]),
        };
        let frame = FrameUniform {
            view_proj: vp.to_cols_array_2d(),
            inv_view_proj: Mat4::inverse(&vp).to_cols_array_2d(),
            camera_pos: p.eye.extend(1.0).into(),
            viewport: [
                width as f32,
                height as f32,
                input.time as f32,
                self.exposure,
            ],
            light_dir: [light_dir.x, light_dir.y, light_dir.z, self.key_light],
            light_color: [light_color[0], light_color[1], light_color[2], 1.0],
            ambient_sky: [sky[0], sky[1], sky[2], 1.0],
            ambient_ground: [ground[0], ground[1], ground[2], 1.0],
            env: [
                self.environment_intensity,
                crate::ibl::SPEC_LEVELS as f32,
                if direct { 1.0 } else { 0.0 },
                0.0,
            ],
        };
        ctx.queue
            .write_buffer(&self.frame_buffer, 0, bytemuck::bytes_of(&frame));
        self.last_frame = Some(frame);
        self.last_eye = p.eye;

        // Markers.
        let instances: Vec<MarkerInstance> = input
            .markers
            .iter()
            .map(|m| MarkerInstance {
                center: m.position.into(),
                radius: input.marker_radius * if m.highlighted { 1.15 } else { 1.0 },
                style: [
                    if m.kind == MarkerKind::Link { 1.0 } else { 0.0 },
                    m.hidden as u32 as f32,
                    m.highlighted as u32 as f32,
                ],
            })
            .collect();
        if instances.len() > self.marker_capacity {
            self.marker_capacity = instances.len().next_power_of_two();
            self.marker_buffer = device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("markers"),
                size: (self.marker_capacity * std::mem::size_of::<MarkerInstance>()) as u64,
                usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            });
        }
        if !instances.is_empty() {
            ctx.queue
                .write_buffer(&self.marker_buffer, 0, bytemuck::cast_slice(&instances));
        }
        let marker_count = instances.len() as u32;
        self.marker_count = marker_count;

        // Mesh pipelines needed this frame (created before borrowing targets).
        let object_draws = self.object_order(p.eye);
        if let Content::Object(model) = &self.content {
            let keys: Vec<PipelineKey> = object_draws
                .iter()
                .map(|&i| model.instances[i].key)
                .collect();
            for k in keys {
                self.mesh_pipeline(device, k);
            }
        }
        let compose_pipeline = self.compose_pipeline(device, format);
        let direct_pipelines = direct.then(|| self.direct_pipelines(device, format));
        if !direct {
            self.ensure_offscreen_pipelines(device);
        }
        if self.targets.is_none() {
            return false;
        }
        if let (Some((pano, marker)), Content::Panorama { group, .. }) =
            (&direct_pipelines, &self.content)
        {
            // No fade running: the panorama goes straight to the output, one full-screen pass.
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("panorama (direct)"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: output,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(wgpu::Color::BLACK),
                        store: wgpu::StoreOp::Store,
                    },
                })],
                ..Default::default()
            });
            pass.set_pipeline(pano);
            pass.set_bind_group(0, &self.frame_group, &[]);
            pass.set_bind_group(1, group, &[]);
            pass.draw(0..3, 0..1);
            if marker_count > 0 {
                pass.set_pipeline(marker);
                pass.set_vertex_buffer(0, self.marker_buffer.slice(..));
                pass.draw(0..6, 0..marker_count);
            }
            drop(pass);
            ctx.queue.submit([encoder.finish()]);
            self.drawn_content = true;
            return false;
        }
        let Some(targets) = &self.targets else {
            return false;
        };

        self.encode_offscreen(&mut encoder, &object_draws, marker_count);

        let params = [
            fade_t as f32,
            if format.is_srgb() { 0.0 } else { 1.0 },
            0.0,
            0.0,
        ];
        ctx.queue
            .write_buffer(&self.compose_buffer, 0, bytemuck::cast_slice(&params));
        crate::fullscreen::draw(
            &mut encoder,
            "compose",
            &compose_pipeline,
            &self.frame_group,
            &targets.compose_group,
            output,
        );
        ctx.queue.submit([encoder.finish()]);
        if !matches!(self.content, Content::Empty) {
            self.drawn_content = true;
        }
        self.fade.is_some()
    }

    /// Renders one frame into an offscreen target and reads it back (native).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn capture(
        &mut self,
        ctx: &GpuContext,
        input: &FrameInput,
    ) -> Result<RgbaImage, RenderError> {
        let w = input.projection.viewport.x.round().max(1.0) as u32;
        let h = input.projection.viewport.y.round().max(1.0) as u32;
        let target = RenderTarget::texture(ctx, w, h);
        let RenderTarget::Texture { texture } = &target else {
            unreachable!("texture target")
        };
        let view = texture.create_view(&Default::default());
        self.render(ctx, &view, target.format(), input);
        target.read_back(ctx)
    }

    /// The frame bind-group layout (group 0), for callers adding passes.
    pub fn frame_layout(&self) -> &wgpu::BindGroupLayout {
        &self.frame_layout
    }
}
