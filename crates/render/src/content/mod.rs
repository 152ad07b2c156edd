//! What a scene shows, behind one trait: each kind of content (panorama, model, the empty error
//! scene) is a module implementing [`Content`]; the renderer draws whichever is current into the
//! scene pass it asks for, then the hotspot markers (`markers.rs`) over it. A new kind of scene
//! is a new module here and a `Renderer::show_*` that builds it.

pub(crate) mod empty;
pub(crate) mod markers;
pub(crate) mod model;
pub(crate) mod panorama;

use crate::frame::Lighting;
use crate::pipelines::{PassTarget, Pipelines};
use disan_tour::camera::Projection;
use glam::Vec3;

/// What the scene shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SceneContent {
    /// Nothing: no scene yet, or the empty scene shown when a scene's asset failed to load
    /// (`Renderer::show_empty`).
    Empty,
    /// A panorama.
    Panorama,
    /// A model.
    Object,
}

/// How a content's scene pass is set up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ScenePass {
    /// Background (linear).
    pub clear: wgpu::Color,
    /// With depth, multisampled (the renderer's sample count); else one sample, no depth.
    pub depth: bool,
}

/// What a content draws with.
pub(crate) struct DrawContext<'a> {
    /// The device, for pipelines made when first needed.
    pub device: &'a wgpu::Device,
    /// The pipelines and their caches.
    pub pipelines: &'a mut Pipelines,
    /// What the pass draws into: pipelines must match it.
    pub target: PassTarget,
    /// The prepared environment (group 3 of the mesh pass), once any model was shown.
    pub environment: Option<&'a wgpu::BindGroup>,
    /// Camera position (sorting of blended draws).
    pub eye: Vec3,
    /// The wireframe view is on (models draw their edges over the clay surface).
    pub wireframe: bool,
    /// The section plane cuts the model (its draws may drop fragments).
    pub cuts: bool,
}

/// A kind of scene content, uploaded and ready to draw.
pub(crate) trait Content {
    /// Which kind it is, for the shells.
    fn kind(&self) -> SceneContent;

    /// GPU bytes of its textures and buffers.
    fn gpu_bytes(&self) -> u64;

    /// The scene pass it is drawn in.
    fn scene_pass(&self) -> ScenePass;

    /// The lights of a frame seen through `projection`.
    fn lighting(&self, _projection: &Projection) -> Lighting {
        Lighting::NEUTRAL
    }

    /// Can be drawn straight into a non-sRGB output when no fade runs (one single-sampled
    /// pass, with depth when [`ScenePass::depth`], no scene texture, no compose): its passes
    /// then encode to sRGB by hand (`frame.env.z`). `moving`: the view moves (a frame that
    /// may be cheaper than the one at rest).
    fn draws_direct(&self, _moving: bool) -> bool {
        false
    }

    /// Makes the pipelines its draws need in every pass it may be drawn in (a model: at rest
    /// and while moving), so that none is compiled in the middle of an interaction.
    fn warm(&self, _device: &wgpu::Device, _descriptors: &mut crate::descriptors::Descriptors) {}

    /// The panorama, when this content is one (tiles are put into it as they arrive).
    fn as_panorama_mut(&mut self) -> Option<&mut panorama::PanoramaContent> {
        None
    }

    /// Work left for after the first frame (a panorama's mip chain: its first frame needs only
    /// level 0), done before the second frame, or at once when `now` (a capture must show the
    /// content at rest). True while a frame is still needed for it.
    fn finish(
        &mut self,
        _ctx: &crate::GpuContext,
        _mips: &mut crate::texture::MipGen,
        _now: bool,
    ) -> bool {
        false
    }

    /// Before a frame: takes the frame's cube tiles (tiled panoramas only).
    fn prepare(&mut self, _queue: &wgpu::Queue, _tiles: &[disan_tour::tiles::TileDraw]) {}

    /// Before a frame: makes what the inspection tools need (a model's edge lines for the
    /// wireframe view, the first time it is asked for).
    fn inspect(&mut self, _ctx: &crate::GpuContext, _inspect: &disan_tour::inspect::InspectFrame) {}

    /// Progress of a cross-fade between two levels of a model at `time` (1: none running).
    fn level_fade(&mut self, _time: f64) -> f32 {
        1.0
    }

    /// The model, when this content is one (a finer level takes its place).
    fn into_model(self: Box<Self>) -> Option<model::ModelContent> {
        None
    }

    /// Draws into `pass`, whose group 0 (the frame uniforms) is already set.
    fn draw(&self, pass: &mut wgpu::RenderPass<'_>, cx: &mut DrawContext<'_>);
}
