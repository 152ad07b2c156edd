//! Device-wide objects shared by every output: bind-group layouts, samplers, the pipelines and
//! their caches, the mipmap generator, the MSAA sample count and the scene formats.

use crate::context::GpuContext;
use crate::pipelines::{PassTarget, Pipelines};
use crate::texture::MipGen;

/// Format of the scene textures (linear colour, hardware sRGB encoding).
pub(crate) const SCENE_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8UnormSrgb;
/// Format of the depth buffer of object scenes.
pub(crate) const DEPTH_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Depth24Plus;

/// A filterable 2D float texture read by the fragment stage.
pub(crate) fn texture_entry(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Texture {
            sample_type: wgpu::TextureSampleType::Float { filterable: true },
            view_dimension: wgpu::TextureViewDimension::D2,
            multisampled: false,
        },
        count: None,
    }
}

/// A filterable 2D array float texture read by the fragment stage.
pub(crate) fn texture_array_entry(binding: u32) -> wgpu::BindGroupLayoutEntry {
    let mut e = texture_entry(binding);
    e.ty = wgpu::BindingType::Texture {
        sample_type: wgpu::TextureSampleType::Float { filterable: true },
        view_dimension: wgpu::TextureViewDimension::D2Array,
        multisampled: false,
    };
    e
}

/// A filtering sampler read by the fragment stage.
pub(crate) fn sampler_entry(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
        count: None,
    }
}

/// A uniform buffer.
pub(crate) fn uniform_entry(
    binding: u32,
    visibility: wgpu::ShaderStages,
) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

/// A bind group of texture views and samplers (and buffers) numbered from 0, in order.
pub(crate) fn bind_group(
    device: &wgpu::Device,
    label: &str,
    layout: &wgpu::BindGroupLayout,
    resources: &[wgpu::BindingResource],
) -> wgpu::BindGroup {
    let entries: Vec<wgpu::BindGroupEntry> = resources
        .iter()
        .enumerate()
        .map(|(i, resource)| wgpu::BindGroupEntry {
            binding: i as u32,
            resource: resource.clone(),
        })
        .collect();
    device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some(label),
        layout,
        entries: &entries,
    })
}

/// The bind-group layouts of the scene and compose passes (shaders/README.md).
pub(crate) struct Layouts {
    /// Group 0 of the scene passes: the `Frame` uniforms.
    pub frame: wgpu::BindGroupLayout,
    /// Group 1 of the panorama pass: texture + sampler + piece uniforms.
    pub panorama: wgpu::BindGroupLayout,
    /// Group 1 of the tiles pass: the tile cache (texture array) + sampler.
    pub tiles: wgpu::BindGroupLayout,
    /// Group 1 of the mesh pass: material uniforms + 5 textures and samplers.
    pub material: wgpu::BindGroupLayout,
    /// Group 2 of the mesh pass: per-draw uniforms.
    pub draw: wgpu::BindGroupLayout,
    /// Group 3 of the mesh pass: the prepared environment.
    pub environment: wgpu::BindGroupLayout,
    /// Group 0 of the compose pass: current and previous scene, sampler, parameters.
    pub compose: wgpu::BindGroupLayout,
}

impl Layouts {
    fn new(device: &wgpu::Device) -> Layouts {
        let layout = |label: &str, entries: &[wgpu::BindGroupLayoutEntry]| {
            device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                label: Some(label),
                entries,
            })
        };
        let vf = wgpu::ShaderStages::VERTEX | wgpu::ShaderStages::FRAGMENT;
        let mut material = vec![uniform_entry(0, wgpu::ShaderStages::FRAGMENT)];
        for i in 0..5 {
            material.push(texture_entry(1 + 2 * i));
            material.push(sampler_entry(2 + 2 * i));
        }
        Layouts {
            frame: layout("frame", &[uniform_entry(0, vf)]),
            panorama: layout(
                "panorama",
                &[
                    texture_entry(0),
                    sampler_entry(1),
                    uniform_entry(2, wgpu::ShaderStages::FRAGMENT),
                ],
            ),
            tiles: layout("tiles", &[texture_array_entry(0), sampler_entry(1)]),
            material: layout("material", &material),
            draw: layout(
                "draw",
                &[uniform_entry(0, wgpu::ShaderStages::VERTEX_FRAGMENT)],
            ),
            environment: layout(
                "environment",
                &[
                    texture_entry(0),
                    texture_entry(1),
                    texture_entry(2),
                    sampler_entry(3),
                ],
            ),
            compose: layout(
                "compose",
                &[
                    texture_entry(0),
                    texture_entry(1),
                    sampler_entry(2),
                    uniform_entry(3, wgpu::ShaderStages::FRAGMENT),
                ],
            ),
        }
    }
}

/// Everything a renderer shares with any output, made once per device.
pub(crate) struct Descriptors {
    /// Bind-group layouts.
    pub layouts: Layouts,
    /// Pipelines (made when first needed) and their caches.
    pub pipelines: Pipelines,
    /// Mipmap generation for uploaded textures.
    pub mips: MipGen,
    /// Panorama sampler: repeats around, clamps at the poles, trilinear.
    pub panorama_sampler: wgpu::Sampler,
    /// Compose sampler: bilinear, no mips.
    pub compose_sampler: wgpu::Sampler,
    /// Tile sampler: bilinear, clamped, no mips.
    pub tile_sampler: wgpu::Sampler,
    /// MSAA sample count of object scenes at rest (4 where supported, else 1).
    pub samples: u32,
    /// The plain (non-sRGB) output that objects are drawn straight into while the view moves,
    /// once a frame went to one: the pipelines of a model are made for it too when it arrives.
    pub moving_output: Option<wgpu::TextureFormat>,
}

impl Descriptors {
    /// Layouts, samplers, shader modules and the mipmap generator of `ctx`'s device.
    pub(crate) fn new(ctx: &GpuContext) -> Descriptors {
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
        let layouts = Layouts::new(device);
        let pipelines = Pipelines::new(device, &layouts);
        let panorama_sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("panorama"),
            address_mode_u: wgpu::AddressMode::Repeat,
            address_mode_v: wgpu::AddressMode::ClampToEdge,
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            mipmap_filter: wgpu::MipmapFilterMode::Linear,
            anisotropy_clamp: 1,
            ..Default::default()
        });
        let compose_sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("compose"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        let tile_sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("tiles"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        Descriptors {
            tile_sampler,
            mips: MipGen::new(device),
            layouts,
            pipelines,
            panorama_sampler,
            compose_sampler,
            samples,
            moving_output: None,
        }
    }

    /// What an object's draws go into: the multisampled scene texture at rest, and the output
    /// while the view moves (when a frame told which).
    pub(crate) fn object_targets(&self) -> Vec<PassTarget> {
        let rest = PassTarget {
            format: SCENE_FORMAT,
            samples: self.samples,
            depth: true,
        };
        let moving = self.moving_output.map(|format| PassTarget {
            format,
            samples: 1,
            depth: true,
        });
        std::iter::once(rest).chain(moving).collect()
    }
}
