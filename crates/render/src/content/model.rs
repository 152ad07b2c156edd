//! A glTF model (gpu_model.rs: buffers, materials, instances) lit by the key light and the
//! prepared environment: opaque draws first, then blended ones back to front (mesh.wgsl).

use super::{Content, DrawContext, SceneContent, ScenePass};
use crate::context::GpuContext;
use crate::descriptors::Descriptors;
use crate::frame::Lighting;
use crate::gpu_model::{GpuModel, ModelLayouts};
use crate::texture::TextureSource;
use disan_assets::ModelData;
use disan_tour::camera::Projection;
use glam::Vec3;

/// Background behind objects (linear).
pub(crate) const BACKGROUND: wgpu::Color = wgpu::Color {
    r: 0.045,
    g: 0.043,
    b: 0.042,
    a: 1.0,
};

/// A model on the GPU.
pub(crate) struct ModelContent {
    model: GpuModel,
    /// The coarser level this one replaces, drawn while they cross-fade, and when the fade
    /// started (`None`: at the next frame).
    previous: Option<(GpuModel, Option<f64>)>,
    /// Each primitive's triangle indices, kept for the wireframe view's edges.
    indices: Vec<Vec<u32>>,
    /// The wireframe view's edge lines per primitive (index buffer, count), made on first use.
    edges: Option<Vec<(wgpu::Buffer, u32)>>,
}

/// The unique edges of `indices` (triangles) as a line list.
fn edge_list(indices: &[u32]) -> Vec<u32> {
    let mut keys: Vec<u64> = indices
        .chunks_exact(3)
        .flat_map(|t| [(t[0], t[1]), (t[1], t[2]), (t[2], t[0])])
        .map(|(a, b)| ((a.min(b) as u64) << 32) | a.max(b) as u64)
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.iter()
        .flat_map(|k| [(k >> 32) as u32, *k as u32])
        .collect()
}

/// Makes the pipelines `model`'s draws need (those that drop fragments when `cuts`), into
/// every target an object is drawn into, before its first frame.
fn make_pipelines(
    model: &GpuModel,
    device: &wgpu::Device,
    descriptors: &mut Descriptors,
    cuts: bool,
) {
    let targets = descriptors.object_targets();
    for inst in &model.instances {
        for target in &targets {
            descriptors
                .pipelines
                .mesh(device, inst.key.cut(cuts), *target);
        }
    }
}

/// Length of the cross-fade between two levels of a model.
pub const LEVEL_FADE_SECONDS: f64 = 0.6;

impl ModelContent {
    /// Uploads `model`; `images[i]` is its decoded image `i` (`None` = unusable, drawn white).
    /// Its first frame makes the pipelines it draws with; the next ones the rest ([`Content::warm`]).
    pub(crate) fn new(
        ctx: &GpuContext,
        descriptors: &mut Descriptors,
        model: &ModelData,
        images: Vec<Option<TextureSource>>,
    ) -> ModelContent {
        let model_data = model;
        let model = GpuModel::new(
            &ctx.device,
            &ctx.queue,
            &mut descriptors.mips,
            ModelLayouts {
                material: &descriptors.layouts.material,
                draw: &descriptors.layouts.draw,
            },
            model,
            images,
        );
        ModelContent {
            model,
            previous: None,
            indices: model_data
                .primitives
                .iter()
                .map(|p| p.indices.clone())
                .collect(),
            edges: None,
        }
    }

    /// This level replaces `old` (a coarser level of the same object): both are drawn, dithered
    /// in complementary patterns, until the fade ends (with the pipelines that drop
    /// fragments, made now).
    pub(crate) fn fade_in_over(
        &mut self,
        ctx: &GpuContext,
        descriptors: &mut Descriptors,
        old: ModelContent,
    ) {
        let queue = &ctx.queue;
        make_pipelines(&self.model, &ctx.device, descriptors, true);
        let mut old = old.model;
        old.set_fade_side(queue, -1.0);
        self.previous = Some((old, None));
    }

    /// Drawing order of the instances: opaque first, then blended back to front.
    fn order(model: &GpuModel, eye: Vec3) -> Vec<usize> {
        let instances = &model.instances;
        let mut order: Vec<usize> = (0..instances.len()).collect();
        order.sort_by(|&a, &b| {
            let (ia, ib) = (&instances[a], &instances[b]);
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
}

impl Content for ModelContent {
    fn gpu_bytes(&self) -> u64 {
        let edges: u64 = self.edges.iter().flatten().map(|(b, _)| b.size()).sum();
        self.model.gpu_bytes() + self.previous.as_ref().map_or(0, |p| p.0.gpu_bytes()) + edges
    }

    fn inspect(&mut self, ctx: &crate::GpuContext, inspect: &disan_tour::inspect::InspectFrame) {
        use wgpu::util::DeviceExt;
        if inspect.view != disan_tour::inspect::InspectView::Wireframe || self.edges.is_some() {
            return;
        }
        let edges = self
            .indices
            .iter()
            .map(|ix| {
                let mut list = edge_list(ix);
                if list.is_empty() {
                    list = vec![0, 0];
                }
                let buffer = ctx
                    .device
                    .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                        label: Some("edges"),
                        contents: bytemuck::cast_slice(&list),
                        usage: wgpu::BufferUsages::INDEX,
                    });
                (buffer, list.len() as u32)
            })
            .collect();
        self.edges = Some(edges);
    }

    fn level_fade(&mut self, time: f64) -> f32 {
        let Some((_, start)) = &mut self.previous else {
            return 1.0;
        };
        let start = *start.get_or_insert(time);
        let t = ((time - start) / LEVEL_FADE_SECONDS).clamp(0.0, 1.0);
        if t >= 1.0 {
            // Done: the coarser level is freed.
            self.previous = None;
        }
        t as f32
    }

    fn finish(
        &mut self,
        _ctx: &crate::GpuContext,
        _mips: &mut crate::texture::MipGen,
        now: bool,
    ) -> bool {
        // A capture shows the finer level alone: the cross-fade is over.
        if now {
            self.previous = None;
        }
        false
    }

    fn warm(&self, device: &wgpu::Device, descriptors: &mut Descriptors) {
        make_pipelines(&self.model, device, descriptors, self.previous.is_some());
    }

    fn into_model(self: Box<Self>) -> Option<ModelContent> {
        Some(*self)
    }

    fn kind(&self) -> SceneContent {
        SceneContent::Object
    }

    fn scene_pass(&self) -> ScenePass {
        ScenePass {
            clear: BACKGROUND,
            depth: true,
        }
    }

    /// While the view moves an object is drawn with one sample straight into the output (no
    /// multisampled target, no resolve, no compose: on a phone or a software GPU, a quarter of
    /// the samples and one full-screen pass less); the frame at rest is multisampled.
    fn draws_direct(&self, moving: bool) -> bool {
        moving
    }

    fn lighting(&self, projection: &Projection) -> Lighting {
        // A warm key light from the upper front-left of the viewer, and a soft sky.
        let view_inv = projection.view.inverse();
        Lighting {
            direction: view_inv
                .transform_vector3(Vec3::new(-0.45, 0.75, 0.55))
                .normalize(),
            color: [1.0, 0.96, 0.9],
            sky: [0.55, 0.58, 0.62],
            ground: [0.22, 0.2, 0.18],
        }
    }

    fn draw(&self, pass: &mut wgpu::RenderPass<'_>, cx: &mut DrawContext<'_>) {
        let Some(environment) = cx.environment else {
            return;
        };
        pass.set_bind_group(3, environment, &[]);
        // Two levels cross-fading drop each other's pixels; so does the section plane.
        let cuts = cx.cuts || self.previous.is_some();
        let models = self.previous.iter().map(|p| &p.0).chain([&self.model]);
        for model in models {
            Self::draw_model(model, pass, cx, cuts);
        }
        if let (true, Some(edges)) = (cx.wireframe, &self.edges) {
            let key = crate::gpu_model::PipelineKey {
                lines: true,
                blend: false,
                double_sided: true,
                flip_winding: false,
                discards: true,
            };
            pass.set_pipeline(cx.pipelines.mesh(cx.device, key, cx.target));
            for inst in &self.model.instances {
                let (Some(prim), Some((buffer, count))) = (
                    self.model.primitives.get(inst.primitive),
                    edges.get(inst.primitive),
                ) else {
                    continue;
                };
                pass.set_bind_group(1, &self.model.materials[inst.material], &[]);
                pass.set_bind_group(2, &inst.group, &[]);
                pass.set_vertex_buffer(0, prim.vertices.slice(..));
                pass.set_index_buffer(buffer.slice(..), wgpu::IndexFormat::Uint32);
                pass.draw_indexed(0..*count, 0, 0..1);
            }
        }
    }
}

impl ModelContent {
    fn draw_model(
        model: &GpuModel,
        pass: &mut wgpu::RenderPass<'_>,
        cx: &mut DrawContext<'_>,
        cuts: bool,
    ) {
        for i in Self::order(model, cx.eye) {
            let inst = &model.instances[i];
            let Some(prim) = model.primitives.get(inst.primitive) else {
                continue;
            };
            pass.set_pipeline(cx.pipelines.mesh(cx.device, inst.key.cut(cuts), cx.target));
            pass.set_bind_group(1, &model.materials[inst.material], &[]);
            pass.set_bind_group(2, &inst.group, &[]);
            pass.set_vertex_buffer(0, prim.vertices.slice(..));
            pass.set_index_buffer(prim.indices.slice(..), wgpu::IndexFormat::Uint32);
            pass.draw_indexed(0..prim.index_count, 0, 0..1);
        }
    }
}
