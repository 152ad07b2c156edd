//! A glTF model on the GPU: vertex/index buffers per primitive, a bind group per material and per instance.

use crate::texture::{upload, MipGen, TextureKind, TextureSource};
use bytemuck::{Pod, Zeroable};
use disan_assets::{AlphaMode, Material, ModelData, Sampler, TextureRef, Wrap};
use glam::{Mat4, Vec3};
use std::collections::HashMap;
use wgpu::util::DeviceExt;

/// Interleaved vertex: position, normal, tangent, uv0, uv1, colour.
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
pub struct Vertex {
    pub position: [f32; 3],
    pub normal: [f32; 3],
    pub tangent: [f32; 4],
    pub uv0: [f32; 2],
    pub uv1: [f32; 2],
    pub color: [f32; 4],
}

// The visit core estimates a derivative's GPU memory with this vertex size.
const _: () =
    assert!(std::mem::size_of::<Vertex>() as u64 == disan_tour::derivatives::GPU_VERTEX_BYTES);

pub const VERTEX_ATTRIBUTES: [wgpu::VertexAttribute; 6] = wgpu::vertex_attr_array![0 => Float32x3, 1 => Float32x3, 2 => Float32x4, 3 => Float32x2, 4 => Float32x2, 5 => Float32x4];

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct MaterialUniform {
    base_color: [f32; 4],
    mr: [f32; 4],
    emissive: [f32; 4],
    flags: [f32; 4],
    uv_sets: [[f32; 4]; 5],
    tr0: [[f32; 4]; 5],
    tr1: [[f32; 4]; 5],
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct DrawUniform {
    model: [[f32; 4]; 4],
    normal: [[f32; 4]; 4],
    /// x: side of a level cross-fade (mesh.wgsl `Draw.fade`).
    fade: [f32; 4],
}

/// Pipeline variant of a draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PipelineKey {
    /// The wireframe view's lines (`vs_wire`, `fs_wire`, a line list).
    pub lines: bool,
    pub blend: bool,
    pub double_sided: bool,
    pub flip_winding: bool,
    /// Fragments may be dropped (an alpha-masked material, the section plane, a level
    /// cross-fade): `fs_main`. Without: `fs_opaque`, which has no `discard` and so keeps the
    /// depth test before shading (a software rasterizer and tiled mobile GPUs shade only
    /// the visible surface).
    pub discards: bool,
}

impl PipelineKey {
    /// This draw's variant in a frame where fragments are dropped (`cuts`: the section plane,
    /// a level cross-fade) or not.
    pub fn cut(self, cuts: bool) -> PipelineKey {
        PipelineKey {
            discards: self.discards || cuts,
            ..self
        }
    }
}

pub struct GpuPrimitive {
    pub vertices: wgpu::Buffer,
    pub indices: wgpu::Buffer,
    pub index_count: u32,
}

pub struct GpuInstance {
    /// Its `Draw` uniform (rewritten when the model fades out).
    pub buffer: wgpu::Buffer,
    uniform: DrawUniform,
    pub primitive: usize,
    pub material: usize,
    pub group: wgpu::BindGroup,
    pub key: PipelineKey,
    pub center: Vec3,
}

/// The uploaded model.
pub struct GpuModel {
    pub primitives: Vec<GpuPrimitive>,
    pub materials: Vec<wgpu::BindGroup>,
    pub instances: Vec<GpuInstance>,
    _textures: Vec<wgpu::Texture>,
}

impl GpuModel {
    /// Marks every draw as the level going out (`side` -1) or coming in (1) of a cross-fade.
    pub fn set_fade_side(&mut self, queue: &wgpu::Queue, side: f32) {
        for inst in &mut self.instances {
            inst.uniform.fade[0] = side;
            queue.write_buffer(&inst.buffer, 0, bytemuck::bytes_of(&inst.uniform));
        }
    }

    /// GPU bytes of its vertex and index buffers and its textures.
    pub fn gpu_bytes(&self) -> u64 {
        let buffers: u64 = self
            .primitives
            .iter()
            .map(|p| p.vertices.size() + p.indices.size())
            .sum();
        let textures: u64 = self
            ._textures
            .iter()
            .map(crate::texture::texture_bytes)
            .sum();
        buffers + textures
    }
}

/// Layouts and shared objects needed to upload models.
pub struct ModelLayouts<'a> {
    pub material: &'a wgpu::BindGroupLayout,
    pub draw: &'a wgpu::BindGroupLayout,
}

fn address(w: Wrap) -> wgpu::AddressMode {
    match w {
        Wrap::Repeat => wgpu::AddressMode::Repeat,
        Wrap::Clamp => wgpu::AddressMode::ClampToEdge,
        Wrap::Mirror => wgpu::AddressMode::MirrorRepeat,
    }
}

fn make_sampler(device: &wgpu::Device, s: &Sampler) -> wgpu::Sampler {
    let filter = |linear: bool| {
        if linear {
            wgpu::FilterMode::Linear
        } else {
            wgpu::FilterMode::Nearest
        }
    };
    let mip = if s.mipmaps && s.min_linear {
        wgpu::MipmapFilterMode::Linear
    } else {
        wgpu::MipmapFilterMode::Nearest
    };
    device.create_sampler(&wgpu::SamplerDescriptor {
        label: Some("material"),
        address_mode_u: address(s.wrap_u),
        address_mode_v: address(s.wrap_v),
        mag_filter: filter(s.mag_linear),
        min_filter: filter(s.min_linear),
        mipmap_filter: mip,
        lod_max_clamp: if s.mipmaps { 32.0 } else { 0.0 },
        // Anisotropic filtering stays off: lavapipe mis-samples with it, and goldens must match.
        anisotropy_clamp: 1,
        ..Default::default()
    })
}

impl GpuModel {
    /// Uploads `model`; `images[i]` is the decoded image `i` (missing or broken ones become white).
    pub fn new(
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        mips: &mut MipGen,
        layouts: ModelLayouts,
        model: &ModelData,
        images: Vec<Option<TextureSource>>,
    ) -> GpuModel {
        let mut textures = Vec::new();
        let mut image_views: Vec<Option<wgpu::TextureView>> = Vec::new();
        for (i, img) in images.into_iter().enumerate().take(model.image_count) {
            match img {
                Some(src) => {
                    let srgb = model.image_is_srgb.get(i).copied().unwrap_or(false);
                    let t = upload(
                        device,
                        queue,
                        mips,
                        src,
                        TextureKind {
                            srgb,
                            mipmaps: true,
                        },
                        "model image",
                    );
                    image_views.push(Some(t.create_view(&Default::default())));
                    textures.push(t);
                }
                None => image_views.push(None),
            }
        }
        let solid =
            |rgba: [u8; 4], srgb: bool, textures: &mut Vec<wgpu::Texture>, mips: &mut MipGen| {
                let t = upload(
                    device,
                    queue,
                    mips,
                    TextureSource::Rgba(disan_assets::RgbaImage::solid(rgba)),
                    TextureKind {
                        srgb,
                        mipmaps: false,
                    },
                    "default",
                );
                let v = t.create_view(&Default::default());
                textures.push(t);
                v
            };
        let white_srgb = solid([255; 4], true, &mut textures, mips);
        let white = solid([255; 4], false, &mut textures, mips);
        let flat_normal = solid([128, 128, 255, 255], false, &mut textures, mips);

        let mut samplers: HashMap<Sampler, wgpu::Sampler> = HashMap::new();
        let default_material = Material::default();
        let mut materials = Vec::new();
        let all_materials: Vec<&Material> = model
            .materials
            .iter()
            .chain(std::iter::once(&default_material))
            .collect();
        for m in &all_materials {
            let slots: [(Option<TextureRef>, &wgpu::TextureView); 5] = [
                (m.base_color_texture, &white_srgb),
                (m.metallic_roughness_texture, &white),
                (m.normal_texture, &flat_normal),
                (m.occlusion_texture, &white),
                (m.emissive_texture, &white_srgb),
            ];
            let mut u = MaterialUniform {
                base_color: m.base_color.into(),
                mr: [
                    m.metallic,
                    m.roughness,
                    m.normal_scale,
                    if m.occlusion_texture.is_some() {
                        m.occlusion_strength
                    } else {
                        0.0
                    },
                ],
                emissive: [
                    m.emissive.x,
                    m.emissive.y,
                    m.emissive.z,
                    if m.alpha_mode == AlphaMode::Mask {
                        m.alpha_cutoff
                    } else {
                        -1.0
                    },
                ],
                flags: [
                    m.unlit as u32 as f32,
                    (m.normal_texture
                        .is_some_and(|t| image_views.get(t.image).is_some_and(Option::is_some)))
                        as u32 as f32,
                    m.double_sided as u32 as f32,
                    0.0,
                ],
                uv_sets: [[0.0; 4]; 5],
                tr0: [[1.0, 0.0, 0.0, 0.0]; 5],
                tr1: [[0.0, 1.0, 0.0, 0.0]; 5],
            };
            let mut views = Vec::new();
            let mut smps = Vec::new();
            for (i, (tref, fallback)) in slots.iter().enumerate() {
                let view = tref
                    .and_then(|t| image_views.get(t.image).and_then(|v| v.as_ref()))
                    .unwrap_or(fallback);
                let sampler_key = tref.map(|t| t.sampler).unwrap_or_default();
                if let Some(t) = tref {
                    u.uv_sets[i][0] = t.tex_coord.min(1) as f32;
                    u.tr0[i] = [t.transform[0][0], t.transform[0][1], t.transform[0][2], 0.0];
                    u.tr1[i] = [t.transform[1][0], t.transform[1][1], t.transform[1][2], 0.0];
                }
                samplers
                    .entry(sampler_key)
                    .or_insert_with(|| make_sampler(device, &sampler_key));
                views.push(view.clone());
                smps.push(sampler_key);
            }
            let buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("material"),
                contents: bytemuck::bytes_of(&u),
                usage: wgpu::BufferUsages::UNIFORM,
            });
            let mut entries = vec![wgpu::BindGroupEntry {
                binding: 0,
                resource: buffer.as_entire_binding(),
            }];
            for i in 0..5 {
                entries.push(wgpu::BindGroupEntry {
                    binding: 1 + 2 * i as u32,
                    resource: wgpu::BindingResource::TextureView(&views[i]),
                });
                entries.push(wgpu::BindGroupEntry {
                    binding: 2 + 2 * i as u32,
                    resource: wgpu::BindingResource::Sampler(&samplers[&smps[i]]),
                });
            }
            materials.push(device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("material"),
                layout: layouts.material,
                entries: &entries,
            }));
        }

        let primitives = model
            .primitives
            .iter()
            .map(|p| {
                let vertices: Vec<Vertex> = (0..p.positions.len())
                    .map(|i| Vertex {
                        position: p.positions[i],
                        normal: p.normals.get(i).copied().unwrap_or([0.0, 1.0, 0.0]),
                        tangent: p.tangents.get(i).copied().unwrap_or([1.0, 0.0, 0.0, 1.0]),
                        uv0: p.uv0.get(i).copied().unwrap_or_default(),
                        uv1: p.uv1.get(i).copied().unwrap_or_default(),
                        color: p.colors.get(i).copied().unwrap_or([1.0; 4]),
                    })
                    .collect();
                let indices = if p.indices.is_empty() {
                    vec![0u32; 3]
                } else {
                    p.indices.clone()
                };
                GpuPrimitive {
                    vertices: device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                        label: Some("vertices"),
                        contents: bytemuck::cast_slice(&vertices),
                        usage: wgpu::BufferUsages::VERTEX,
                    }),
                    indices: device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                        label: Some("indices"),
                        contents: bytemuck::cast_slice(&indices),
                        usage: wgpu::BufferUsages::INDEX,
                    }),
                    index_count: p.indices.len() as u32,
                }
            })
            .collect();

        let default_index = all_materials.len() - 1;
        let instances = model
            .instances
            .iter()
            .filter_map(|inst| {
                let prim = model.primitives.get(inst.primitive)?;
                let material = prim
                    .material
                    .filter(|m| *m < model.materials.len())
                    .unwrap_or(default_index);
                let m = all_materials[material];
                let normal = inst.world.inverse().transpose();
                let u = DrawUniform {
                    model: inst.world.to_cols_array_2d(),
                    normal: normal.to_cols_array_2d(),
                    fade: [1.0, 0.0, 0.0, 0.0],
                };
                let buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                    label: Some("draw"),
                    contents: bytemuck::bytes_of(&u),
                    usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                });
                let group = device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: Some("draw"),
                    layout: layouts.draw,
                    entries: &[wgpu::BindGroupEntry {
                        binding: 0,
                        resource: buffer.as_entire_binding(),
                    }],
                });
                let (mut lo, mut hi) = (Vec3::splat(f32::MAX), Vec3::splat(f32::MIN));
                for v in &prim.positions {
                    let w = inst.world.transform_point3(Vec3::from(*v));
                    lo = lo.min(w);
                    hi = hi.max(w);
                }
                Some(GpuInstance {
                    buffer,
                    uniform: u,
                    primitive: inst.primitive,
                    material,
                    group,
                    key: PipelineKey {
                        lines: false,
                        blend: m.alpha_mode == AlphaMode::Blend,
                        double_sided: m.double_sided,
                        flip_winding: Mat4::determinant(&inst.world) < 0.0,
                        discards: m.alpha_mode == AlphaMode::Mask,
                    },
                    center: (lo + hi) * 0.5,
                })
            })
            .collect();
        GpuModel {
            primitives,
            materials,
            instances,
            _textures: textures,
        }
    }
}
