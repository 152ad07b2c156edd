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
}

impl ModelContent {
    /// Uploads `model`; `images[i]` is its decoded image `i` (`None` = unusable, drawn white).
    /// The pipelines its draws need are made now rather than on the first frame.
    pub(crate) fn new(
        ctx: &GpuContext,
        descriptors: &mut Descriptors,
        model: &ModelData,
        images: Vec<Option<TextureSource>>,
    ) -> ModelContent {
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
        for inst in &model.instances {
            descriptors.pipelines.mesh(&ctx.device, inst.key);
        }
        ModelContent { model }
    }

    /// Drawing order of the instances: opaque first, then blended back to front.
    fn order(&self, eye: Vec3) -> Vec<usize> {
        let instances = &self.model.instances;
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
        self.model.gpu_bytes()
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
        let model = &self.model;
        for i in self.order(cx.eye) {
            let inst = &model.instances[i];
            let Some(prim) = model.primitives.get(inst.primitive) else {
                continue;
            };
            pass.set_pipeline(cx.pipelines.mesh(cx.device, inst.key));
            pass.set_bind_group(1, &model.materials[inst.material], &[]);
            pass.set_bind_group(2, &inst.group, &[]);
            pass.set_vertex_buffer(0, prim.vertices.slice(..));
            pass.set_index_buffer(prim.indices.slice(..), wgpu::IndexFormat::Uint32);
            pass.draw_indexed(0..prim.index_count, 0, 0..1);
        }
    }
}
