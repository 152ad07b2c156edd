//! The per-frame input of the renderer and the `Frame` uniforms (frame.wgsl, group 0 of the scene
//! passes) made from it: camera, viewport, time, exposure, lights.

use crate::content::markers::Marker;
use bytemuck::{Pod, Zeroable};
use disan_tour::camera::Projection;
use glam::{Mat4, Vec3};

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
    /// Cube tiles to draw (tiled panoramas), coarse levels first.
    pub tiles: &'a [disan_tour::tiles::TileDraw],
    /// The view moves (a drag, inertia, a guided move): an object may then be drawn by the
    /// cheaper moving pass (one sample, straight into a plain output, no compose); the frame
    /// at rest is drawn in full ([`crate::Renderer::drew_reduced`] says when one is owed).
    pub moving: bool,
}

/// The lights a scene content asks for (linear colours).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Lighting {
    /// Direction towards the key light, world space.
    pub direction: Vec3,
    /// Colour of the key light.
    pub color: [f32; 3],
    /// Ambient colour of the upper hemisphere.
    pub sky: [f32; 3],
    /// Ambient colour of the lower hemisphere.
    pub ground: [f32; 3],
}

impl Lighting {
    /// Plain white light from above (contents that are not lit).
    pub(crate) const NEUTRAL: Lighting = Lighting {
        direction: Vec3::Y,
        color: [1.0; 3],
        sky: [0.5; 3],
        ground: [0.5; 3],
    };
}

/// The settings of a renderer that reach the uniforms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FrameSettings {
    /// Exposure before tone mapping.
    pub exposure: f32,
    /// Image-based lighting intensity.
    pub environment_intensity: f32,
    /// Key light intensity.
    pub key_light: f32,
    /// Drawn straight into a non-sRGB output: passes encode to sRGB by hand.
    pub encode_srgb: bool,
    /// The inspection tools (object scenes).
    pub inspect: disan_tour::inspect::InspectFrame,
    /// Progress of a cross-fade between two levels of a model (1: none running).
    pub level_fade: f32,
}

/// Strength of the raking light, and what is left of the environment while it rakes.
const RAKING_LIGHT: f32 = 3.0;
const RAKING_ENVIRONMENT: f32 = 0.12;

/// `Frame` of frame.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
pub(crate) struct FrameUniform {
    view_proj: [[f32; 4]; 4],
    inv_view_proj: [[f32; 4]; 4],
    camera_pos: [f32; 4],
    viewport: [f32; 4],
    light_dir: [f32; 4],
    light_color: [f32; 4],
    ambient_sky: [f32; 4],
    ambient_ground: [f32; 4],
    env: [f32; 4],
    inspect: [f32; 4],
    section: [f32; 4],
}

impl FrameUniform {
    /// The uniforms of a frame of `width` × `height` pixels.
    pub(crate) fn new(
        input: &FrameInput,
        (width, height): (u32, u32),
        lighting: Lighting,
        settings: FrameSettings,
    ) -> FrameUniform {
        let p = &input.projection;
        let vp = p.view_proj();
        let Lighting {
            direction: d,
            color,
            sky,
            ground,
        } = lighting;
        use disan_tour::inspect::InspectView;
        let ins = settings.inspect;
        // The raking light replaces the key light; the environment is dimmed under it.
        let (d, color, key, env) = match ins.light {
            Some(l) => (
                l,
                [1.0; 3],
                RAKING_LIGHT,
                settings.environment_intensity * RAKING_ENVIRONMENT,
            ),
            None => (d, color, settings.key_light, settings.environment_intensity),
        };
        let mode = match ins.view {
            InspectView::Normal => 0.0,
            InspectView::Clay => 1.0,
            InspectView::Normals => 2.0,
            InspectView::Wireframe => 3.0,
        };
        FrameUniform {
            view_proj: vp.to_cols_array_2d(),
            inv_view_proj: Mat4::inverse(&vp).to_cols_array_2d(),
            camera_pos: p.eye.extend(1.0).into(),
            viewport: [
                width as f32,
                height as f32,
                input.time as f32,
                settings.exposure,
            ],
            light_dir: [d.x, d.y, d.z, key],
            light_color: [color[0], color[1], color[2], 1.0],
            ambient_sky: [sky[0], sky[1], sky[2], 1.0],
            ambient_ground: [ground[0], ground[1], ground[2], 1.0],
            env: [
                env,
                crate::ibl::SPEC_LEVELS as f32,
                if settings.encode_srgb { 1.0 } else { 0.0 },
                settings.level_fade,
            ],
            inspect: [
                mode,
                if ins.light.is_some() { 1.0 } else { 0.0 },
                if ins.plane.is_some() { 1.0 } else { 0.0 },
                0.0,
            ],
            section: ins.plane.map_or([0.0; 4], |p| p.to_array()),
        }
    }
}

/// The `Frame` uniform buffer and its group, with the last frame written (for snapshots).
pub(crate) struct FrameUniforms {
    buffer: wgpu::Buffer,
    /// Group 0 of the scene passes.
    pub group: wgpu::BindGroup,
    last: Option<(FrameUniform, Vec3)>,
}

impl FrameUniforms {
    /// The buffer and its group.
    pub(crate) fn new(device: &wgpu::Device, layout: &wgpu::BindGroupLayout) -> FrameUniforms {
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("frame"),
            size: std::mem::size_of::<FrameUniform>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let group =
            crate::descriptors::bind_group(device, "frame", layout, &[buffer.as_entire_binding()]);
        FrameUniforms {
            buffer,
            group,
            last: None,
        }
    }

    /// Writes the uniforms of a frame seen from `eye`.
    pub(crate) fn write(&mut self, queue: &wgpu::Queue, frame: FrameUniform, eye: Vec3) {
        queue.write_buffer(&self.buffer, 0, bytemuck::bytes_of(&frame));
        self.last = Some((frame, eye));
    }

    /// Writes the last frame's uniforms again, for the scene texture (no sRGB encoding by
    /// hand), and returns where it was seen from.
    pub(crate) fn rewrite_last_for_scene(&self, queue: &wgpu::Queue) -> Vec3 {
        let Some((mut frame, eye)) = self.last else {
            return Vec3::ZERO;
        };
        frame.env[2] = 0.0;
        queue.write_buffer(&self.buffer, 0, bytemuck::bytes_of(&frame));
        eye
    }
}
