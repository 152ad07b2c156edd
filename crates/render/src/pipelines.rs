//! Render pipelines of the scene and compose passes: shader modules and pipeline layouts made
//! once, pipelines made when first needed and cached by what they draw into.

use crate::descriptors::{Layouts, DEPTH_FORMAT};
use crate::gpu_model::{PipelineKey, Vertex, VERTEX_ATTRIBUTES};
use crate::shaders::Shader;
use std::collections::HashMap;

/// What a scene pass draws into: pipelines drawn in it must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PassTarget {
    /// Colour format.
    pub format: wgpu::TextureFormat,
    /// MSAA samples.
    pub samples: u32,
    /// With a depth buffer (`DEPTH_FORMAT`).
    pub depth: bool,
}

impl PassTarget {
    /// A single-sampled target of `format` without depth.
    pub(crate) fn plain(format: wgpu::TextureFormat) -> PassTarget {
        PassTarget {
            format,
            samples: 1,
            depth: false,
        }
    }
}

/// A shader module and the pipeline layout its pipelines use. The module is compiled when its
/// first pipeline is made: a panorama tour never pays for the mesh shader, and the first frame
/// waits for nothing it does not draw.
struct Program {
    shader: Shader,
    module: std::sync::OnceLock<wgpu::ShaderModule>,
    layout: wgpu::PipelineLayout,
}

impl Program {
    fn new(device: &wgpu::Device, shader: Shader, groups: &[&wgpu::BindGroupLayout]) -> Program {
        let groups: Vec<Option<&wgpu::BindGroupLayout>> =
            groups.iter().copied().map(Some).collect();
        Program {
            shader,
            module: std::sync::OnceLock::new(),
            layout: device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some(shader.file()),
                bind_group_layouts: &groups,
                immediate_size: 0,
            }),
        }
    }

    /// The module, compiled on first use.
    fn module(&self, device: &wgpu::Device) -> &wgpu::ShaderModule {
        self.module.get_or_init(|| self.shader.module(device))
    }
}

/// The pipelines of a device.
pub(crate) struct Pipelines {
    panorama_program: Program,
    tiles_program: Program,
    marker_program: Program,
    /// Made on the first mesh pipeline (a tour of panoramas never reaches it, and its build
    /// carries no mesh shader), from the bind-group layouts kept for it.
    mesh_program: Option<Program>,
    mesh_groups: [wgpu::BindGroupLayout; 4],
    compose_program: Program,
    panorama: HashMap<wgpu::TextureFormat, wgpu::RenderPipeline>,
    tiles: HashMap<wgpu::TextureFormat, wgpu::RenderPipeline>,
    marker: HashMap<PassTarget, wgpu::RenderPipeline>,
    mesh: HashMap<(PipelineKey, PassTarget), wgpu::RenderPipeline>,
    compose: HashMap<wgpu::TextureFormat, wgpu::RenderPipeline>,
}

impl Pipelines {
    /// Shader modules and layouts; no pipeline yet.
    pub(crate) fn new(device: &wgpu::Device, layouts: &Layouts) -> Pipelines {
        Pipelines {
            panorama_program: Program::new(
                device,
                Shader::PANORAMA,
                &[&layouts.frame, &layouts.panorama],
            ),
            tiles_program: Program::new(device, Shader::TILES, &[&layouts.frame, &layouts.tiles]),
            marker_program: Program::new(device, Shader::MARKER, &[&layouts.frame]),
            mesh_program: None,
            mesh_groups: [
                layouts.frame.clone(),
                layouts.material.clone(),
                layouts.draw.clone(),
                layouts.environment.clone(),
            ],
            compose_program: Program::new(device, Shader::COMPOSE, &[&layouts.compose]),
            panorama: HashMap::new(),
            tiles: HashMap::new(),
            marker: HashMap::new(),
            mesh: HashMap::new(),
            compose: HashMap::new(),
        }
    }

    /// The panorama pipeline drawing into `format`.
    pub(crate) fn panorama(
        &mut self,
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
    ) -> &wgpu::RenderPipeline {
        fullscreen_cached(
            &mut self.panorama,
            device,
            "panorama",
            &self.panorama_program,
            format,
        )
    }

    /// The cube tile pipeline drawing into `format` (single-sampled, no depth).
    pub(crate) fn tiles(
        &mut self,
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
    ) -> &wgpu::RenderPipeline {
        let program = &self.tiles_program;
        self.tiles.entry(format).or_insert_with(|| {
            let attrs = wgpu::vertex_attr_array![0 => Float32x4, 1 => Float32x4];
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some("tiles"),
                layout: Some(&program.layout),
                vertex: wgpu::VertexState {
                    module: program.module(device),
                    entry_point: Some("vs_main"),
                    compilation_options: Default::default(),
                    buffers: &[Some(wgpu::VertexBufferLayout {
                        array_stride: crate::content::panorama::TILE_INSTANCE_SIZE,
                        step_mode: wgpu::VertexStepMode::Instance,
                        attributes: &attrs,
                    })],
                },
                primitive: wgpu::PrimitiveState {
                    topology: wgpu::PrimitiveTopology::TriangleStrip,
                    cull_mode: None,
                    ..Default::default()
                },
                depth_stencil: None,
                multisample: Default::default(),
                fragment: Some(wgpu::FragmentState {
                    module: program.module(device),
                    entry_point: Some("fs_main"),
                    compilation_options: Default::default(),
                    targets: &[Some(wgpu::ColorTargetState {
                        format,
                        blend: None,
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                multiview_mask: None,
                cache: None,
            })
        })
    }

    /// The compose pipeline drawing into `format`.
    pub(crate) fn compose(
        &mut self,
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
    ) -> &wgpu::RenderPipeline {
        fullscreen_cached(
            &mut self.compose,
            device,
            "compose",
            &self.compose_program,
            format,
        )
    }

    /// The marker pipeline for a pass drawing into `target`.
    pub(crate) fn marker(
        &mut self,
        device: &wgpu::Device,
        target: PassTarget,
    ) -> &wgpu::RenderPipeline {
        let program = &self.marker_program;
        self.marker.entry(target).or_insert_with(|| {
            let attrs = wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32, 2 => Float32x3];
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some("marker"),
                layout: Some(&program.layout),
                vertex: wgpu::VertexState {
                    module: program.module(device),
                    entry_point: Some("vs_main"),
                    compilation_options: Default::default(),
                    buffers: &[Some(wgpu::VertexBufferLayout {
                        array_stride: crate::content::markers::INSTANCE_SIZE,
                        step_mode: wgpu::VertexStepMode::Instance,
                        attributes: &attrs,
                    })],
                },
                primitive: Default::default(),
                depth_stencil: target.depth.then(|| wgpu::DepthStencilState {
                    format: DEPTH_FORMAT,
                    depth_write_enabled: Some(false),
                    depth_compare: Some(wgpu::CompareFunction::Always),
                    stencil: Default::default(),
                    bias: Default::default(),
                }),
                multisample: wgpu::MultisampleState {
                    count: target.samples,
                    ..Default::default()
                },
                fragment: Some(wgpu::FragmentState {
                    module: program.module(device),
                    entry_point: Some("fs_main"),
                    compilation_options: Default::default(),
                    targets: &[Some(wgpu::ColorTargetState {
                        format: target.format,
                        blend: Some(wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING),
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                multiview_mask: None,
                cache: None,
            })
        })
    }

    /// The mesh pipeline of a draw variant drawing into `target` (with depth: the scene
    /// texture, multisampled, at rest; the output, one sample, while the view moves).
    pub(crate) fn mesh(
        &mut self,
        device: &wgpu::Device,
        key: PipelineKey,
        target: PassTarget,
    ) -> &wgpu::RenderPipeline {
        let groups = &self.mesh_groups;
        let program = self.mesh_program.get_or_insert_with(|| {
            let groups: Vec<&wgpu::BindGroupLayout> = groups.iter().collect();
            Program::new(device, Shader::MESH, &groups)
        });
        self.mesh.entry((key, target)).or_insert_with(|| {
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some("mesh"),
                layout: Some(&program.layout),
                vertex: wgpu::VertexState {
                    module: program.module(device),
                    entry_point: Some(if key.lines { "vs_wire" } else { "vs_main" }),
                    compilation_options: Default::default(),
                    buffers: &[Some(wgpu::VertexBufferLayout {
                        array_stride: std::mem::size_of::<Vertex>() as u64,
                        step_mode: wgpu::VertexStepMode::Vertex,
                        attributes: &VERTEX_ATTRIBUTES,
                    })],
                },
                primitive: wgpu::PrimitiveState {
                    topology: if key.lines {
                        wgpu::PrimitiveTopology::LineList
                    } else {
                        wgpu::PrimitiveTopology::TriangleList
                    },
                    front_face: if key.flip_winding {
                        wgpu::FrontFace::Cw
                    } else {
                        wgpu::FrontFace::Ccw
                    },
                    cull_mode: if key.double_sided || key.lines {
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
                    count: target.samples,
                    ..Default::default()
                },
                fragment: Some(wgpu::FragmentState {
                    module: program.module(device),
                    entry_point: Some(if key.lines {
                        "fs_wire"
                    } else if key.discards {
                        "fs_main"
                    } else {
                        "fs_opaque"
                    }),
                    compilation_options: Default::default(),
                    targets: &[Some(wgpu::ColorTargetState {
                        format: target.format,
                        blend: key.blend.then_some(wgpu::BlendState::ALPHA_BLENDING),
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                multiview_mask: None,
                cache: None,
            })
        })
    }
}

/// The full-screen pipeline of `program` drawing into `format`, made once and cached.
fn fullscreen_cached<'a>(
    cache: &'a mut HashMap<wgpu::TextureFormat, wgpu::RenderPipeline>,
    device: &wgpu::Device,
    label: &str,
    program: &Program,
    format: wgpu::TextureFormat,
) -> &'a wgpu::RenderPipeline {
    cache.entry(format).or_insert_with(|| {
        crate::fullscreen::pipeline(
            device,
            label,
            program.module(device),
            &program.layout,
            "fs_main",
            format,
        )
    })
}
