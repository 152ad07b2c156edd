//! Image-based lighting: an equirectangular environment turned into GGX-prefiltered specular
//! mips, a diffuse irradiance map and the split-sum BRDF table, all on the GPU (ibl.wgsl).
//! Also the neutral default environment, generated here so that no asset is needed.

use crate::descriptors::{sampler_entry, texture_entry, uniform_entry};
use crate::shaders::Shader;
use crate::texture::{upload, MipGen, TextureKind, TextureSource};
use bytemuck::{Pod, Zeroable};
use half::f16;
use wgpu::util::DeviceExt;

/// Size of the prefiltered specular map (level 0) and its number of roughness levels.
const SPEC_WIDTH: u32 = 256;
/// Number of specular levels (roughness 0 to 1).
pub const SPEC_LEVELS: u32 = 6;
const IRRADIANCE_WIDTH: u32 = 64;
const BRDF_SIZE: u32 = 64;

/// An environment to light objects with.
pub enum Environment {
    /// Linear HDR radiance, RGB, rows top to bottom, 2:1.
    Hdr {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// `width * height * 3` linear values.
        rgb: Vec<f32>,
    },
    /// An ordinary (sRGB) image, e.g. a tour panorama, scaled by an intensity.
    Image(TextureSource, f32),
}

impl Environment {
    /// The neutral default: a grey studio with soft area lights above and around.
    pub fn neutral() -> Environment {
        let (w, h) = (256u32, 128u32);
        let mut rgb = Vec::with_capacity((w * h * 3) as usize);
        // (yaw, pitch, half width, half height) in degrees, intensity.
        let lights = [
            ((-45.0f32, 35.0f32, 28.0f32, 16.0f32), 9.0f32),
            ((70.0, 20.0, 22.0, 14.0), 4.0),
            ((175.0, 30.0, 26.0, 14.0), 5.0),
            ((0.0, 85.0, 180.0, 6.0), 3.0),
        ];
        for y in 0..h {
            let pitch = (0.5 - (y as f32 + 0.5) / h as f32) * 180.0;
            for x in 0..w {
                let yaw = ((x as f32 + 0.5) / w as f32 - 0.5) * 360.0;
                // Soft room: bright ceiling, mid walls, darker floor.
                let t = (pitch / 90.0).clamp(-1.0, 1.0);
                let mut v = 0.55 + 0.35 * t;
                for ((ly, lp, hw, hh), k) in lights {
                    let dy = {
                        let d = (yaw - ly).rem_euclid(360.0);
                        d.min(360.0 - d)
                    };
                    let dp = (pitch - lp).abs();
                    let soft = |d: f32, half: f32| {
                        (1.0 - ((d - half) / 4.0).clamp(0.0, 1.0))
                            * if d <= half + 4.0 { 1.0 } else { 0.0 }
                    };
                    v += k * soft(dy, hw) * soft(dp, hh);
                }
                rgb.extend_from_slice(&[v, v, v]);
            }
        }
        Environment::Hdr {
            width: w,
            height: h,
            rgb,
        }
    }
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct Params {
    a: [f32; 4],
    b: [f32; 4],
}

/// The IBL resources of a renderer.
pub struct Ibl {
    /// Group 3 layout of the mesh pipeline.
    pub layout: wgpu::BindGroupLayout,
    /// Group 3 of the current environment.
    pub group: wgpu::BindGroup,
    src_layout: wgpu::BindGroupLayout,
    prefilter: wgpu::RenderPipeline,
    irradiance: wgpu::RenderPipeline,
    sampler: wgpu::Sampler,
    brdf_view: wgpu::TextureView,
    format: wgpu::TextureFormat,
    _textures: Vec<wgpu::Texture>,
}

impl Ibl {
    /// GPU bytes of its textures (the BRDF table, the environment's cube maps).
    pub fn gpu_bytes(&self) -> u64 {
        self._textures
            .iter()
            .map(crate::texture::texture_bytes)
            .sum()
    }

    /// Pipelines, the BRDF table and the neutral environment.
    pub fn new(ctx: &crate::GpuContext, mips: &mut MipGen, layout: &wgpu::BindGroupLayout) -> Ibl {
        let (device, queue, adapter) = (&ctx.device, &ctx.queue, &ctx.adapter);
        // Half floats where they can be drawn into (WebGL2 needs EXT_color_buffer_float),
        // else 8-bit (the environment then clips at 1).
        let half = wgpu::TextureFormat::Rgba16Float;
        let f = adapter.get_texture_format_features(half);
        let format = if f
            .allowed_usages
            .contains(wgpu::TextureUsages::RENDER_ATTACHMENT)
            && f.flags
                .contains(wgpu::TextureFormatFeatureFlags::FILTERABLE)
        {
            half
        } else {
            wgpu::TextureFormat::Rgba8Unorm
        };
        let layout = layout.clone();
        let src_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("ibl source"),
            entries: &[
                texture_entry(0),
                sampler_entry(1),
                uniform_entry(2, wgpu::ShaderStages::FRAGMENT),
            ],
        });
        let module = Shader::IBL.module(device);
        let pl = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("ibl"),
            bind_group_layouts: &[Some(&src_layout)],
            immediate_size: 0,
        });
        let pipeline = |entry: &str, target| {
            crate::fullscreen::pipeline(device, entry, &module, &pl, entry, target)
        };
        let prefilter = pipeline("fs_prefilter", format);
        let irradiance = pipeline("fs_irradiance", format);
        let brdf = pipeline("fs_brdf", format);
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("ibl"),
            address_mode_u: wgpu::AddressMode::Repeat,
            address_mode_v: wgpu::AddressMode::ClampToEdge,
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            mipmap_filter: wgpu::MipmapFilterMode::Linear,
            ..Default::default()
        });
        // The BRDF table, once.
        let brdf_tex = device.create_texture(&wgpu::TextureDescriptor {
            label: Some("brdf lut"),
            size: wgpu::Extent3d {
                width: BRDF_SIZE,
                height: BRDF_SIZE,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::TEXTURE_BINDING,
            view_formats: &[],
        });
        let brdf_view = brdf_tex.create_view(&Default::default());
        // A dummy source for the BRDF pass (it reads no texture).
        let dummy = upload(
            device,
            queue,
            mips,
            TextureSource::Rgba(disan_assets::RgbaImage::solid([0; 4])),
            TextureKind {
                srgb: false,
                mipmaps: false,
            },
            "dummy",
        );
        let dummy_view = dummy.create_view(&Default::default());
        let params = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("ibl params"),
            contents: bytemuck::bytes_of(&Params {
                a: [0.0; 4],
                b: [0.0; 4],
            }),
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("brdf"),
            layout: &src_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(&dummy_view),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::Sampler(&sampler),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: params.as_entire_binding(),
                },
            ],
        });
        let mut encoder = device.create_command_encoder(&Default::default());
        crate::fullscreen::draw(&mut encoder, "ibl", &brdf, &[&group], &brdf_view);
        queue.submit([encoder.finish()]);

        // Placeholder group until the neutral environment is set below.
        let mut ibl = Ibl {
            group: device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("environment"),
                layout: &layout,
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: wgpu::BindingResource::TextureView(&brdf_view),
                    },
                    wgpu::BindGroupEntry {
                        binding: 1,
                        resource: wgpu::BindingResource::TextureView(&brdf_view),
                    },
                    wgpu::BindGroupEntry {
                        binding: 2,
                        resource: wgpu::BindingResource::TextureView(&brdf_view),
                    },
                    wgpu::BindGroupEntry {
                        binding: 3,
                        resource: wgpu::BindingResource::Sampler(&sampler),
                    },
                ],
            }),
            layout,
            src_layout,
            prefilter,
            irradiance,
            sampler,
            brdf_view,
            format,
            _textures: vec![brdf_tex],
        };
        ibl.set(device, queue, mips, Environment::neutral());
        ibl
    }

    /// Replaces the environment.
    pub fn set(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        mips: &mut MipGen,
        env: Environment,
    ) {
        let (source, intensity) = match env {
            Environment::Hdr { width, height, rgb } => {
                let mut data: Vec<f16> = Vec::with_capacity((width * height * 4) as usize);
                for px in rgb.chunks_exact(3) {
                    data.extend(px.iter().map(|v| f16::from_f32(v.clamp(0.0, 65000.0))));
                    data.push(f16::ONE);
                }
                let hdr_ok = self.format == wgpu::TextureFormat::Rgba16Float;
                let levels = crate::texture::mip_count(width, height);
                let tex = device.create_texture(&wgpu::TextureDescriptor {
                    label: Some("environment source"),
                    size: wgpu::Extent3d {
                        width,
                        height,
                        depth_or_array_layers: 1,
                    },
                    mip_level_count: if hdr_ok { levels } else { 1 },
                    sample_count: 1,
                    dimension: wgpu::TextureDimension::D2,
                    format: wgpu::TextureFormat::Rgba16Float,
                    usage: if hdr_ok {
                        wgpu::TextureUsages::TEXTURE_BINDING
                            | wgpu::TextureUsages::COPY_DST
                            | wgpu::TextureUsages::RENDER_ATTACHMENT
                    } else {
                        wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST
                    },
                    view_formats: &[],
                });
                queue.write_texture(
                    tex.as_image_copy(),
                    bytemuck::cast_slice(&data),
                    wgpu::TexelCopyBufferLayout {
                        offset: 0,
                        bytes_per_row: Some(width * 8),
                        rows_per_image: Some(height),
                    },
                    wgpu::Extent3d {
                        width,
                        height,
                        depth_or_array_layers: 1,
                    },
                );
                if hdr_ok {
                    mips.generate(device, queue, &tex);
                }
                (tex, 1.0)
            }
            Environment::Image(src, k) => (
                upload(
                    device,
                    queue,
                    mips,
                    src,
                    TextureKind {
                        srgb: true,
                        mipmaps: true,
                    },
                    "environment source",
                ),
                k,
            ),
        };
        let src_levels = source.mip_level_count();
        let src_width = source.width();
        let src_view = source.create_view(&Default::default());
        // Irradiance reads a mip of at most 64 texels across.
        let mut irr_level = 0;
        while irr_level + 1 < src_levels && (src_width >> irr_level) > 64 {
            irr_level += 1;
        }
        let (iw, ih) = (
            (src_width >> irr_level).max(1),
            (source.height() >> irr_level).max(1),
        );

        let make = |label: &str, w: u32, levels: u32| {
            device.create_texture(&wgpu::TextureDescriptor {
                label: Some(label),
                size: wgpu::Extent3d {
                    width: w,
                    height: w / 2,
                    depth_or_array_layers: 1,
                },
                mip_level_count: levels,
                sample_count: 1,
                dimension: wgpu::TextureDimension::D2,
                format: self.format,
                usage: wgpu::TextureUsages::RENDER_ATTACHMENT
                    | wgpu::TextureUsages::TEXTURE_BINDING,
                view_formats: &[],
            })
        };
        let spec = make("environment specular", SPEC_WIDTH, SPEC_LEVELS);
        let irr = make("environment irradiance", IRRADIANCE_WIDTH, 1);
        let mut encoder = device.create_command_encoder(&Default::default());
        let mut buffers = Vec::new();
        let mut pass_group = |p: Params| {
            let buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("ibl params"),
                contents: bytemuck::bytes_of(&p),
                usage: wgpu::BufferUsages::UNIFORM,
            });
            let g = device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("ibl source"),
                layout: &self.src_layout,
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: wgpu::BindingResource::TextureView(&src_view),
                    },
                    wgpu::BindGroupEntry {
                        binding: 1,
                        resource: wgpu::BindingResource::Sampler(&self.sampler),
                    },
                    wgpu::BindGroupEntry {
                        binding: 2,
                        resource: buffer.as_entire_binding(),
                    },
                ],
            });
            buffers.push(buffer);
            g
        };
        for level in 0..SPEC_LEVELS {
            let roughness = level as f32 / (SPEC_LEVELS - 1) as f32;
            let g = pass_group(Params {
                a: [roughness, src_levels as f32, src_width as f32, intensity],
                b: [0.0; 4],
            });
            let view = spec.create_view(&wgpu::TextureViewDescriptor {
                base_mip_level: level,
                mip_level_count: Some(1),
                ..Default::default()
            });
            crate::fullscreen::draw(&mut encoder, "ibl", &self.prefilter, &[&g], &view);
        }
        let g = pass_group(Params {
            a: [0.0, 0.0, 0.0, intensity],
            b: [irr_level as f32, iw as f32, ih as f32, 0.0],
        });
        crate::fullscreen::draw(
            &mut encoder,
            "ibl",
            &self.irradiance,
            &[&g],
            &irr.create_view(&Default::default()),
        );
        queue.submit([encoder.finish()]);

        let spec_view = spec.create_view(&Default::default());
        let irr_view = irr.create_view(&Default::default());
        self.group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("environment"),
            layout: &self.layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(&spec_view),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(&irr_view),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: wgpu::BindingResource::TextureView(&self.brdf_view),
                },
                wgpu::BindGroupEntry {
                    binding: 3,
                    resource: wgpu::BindingResource::Sampler(&self.sampler),
                },
            ],
        });
        let brdf = self._textures.swap_remove(0);
        self._textures = vec![brdf, spec, irr, source];
    }
}
