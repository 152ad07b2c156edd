//! The renderer of one output: keeps the current scene content and its hotspot markers, draws
//! them into the scene texture (or straight into the output when nothing needs the texture),
//! then composes that into the output, cross-fading from the previous scene.

use crate::content::empty::EmptyContent;
use crate::content::markers::Markers;
use crate::content::model::ModelContent;
use crate::content::panorama::{pieces as panorama_pieces, PanoramaContent};
use crate::content::{Content, DrawContext, SceneContent, ScenePass};
use crate::context::GpuContext;
use crate::descriptors::{Descriptors, SCENE_FORMAT};
use crate::frame::{FrameInput, FrameSettings, FrameUniform, FrameUniforms, Lighting};
use crate::ibl::{Environment, Ibl};
use crate::pipelines::PassTarget;
use crate::target::SceneTargets;
use crate::texture::TextureSource;
use crate::RenderError;
use disan_assets::ModelData;
#[cfg(not(target_arch = "wasm32"))]
use disan_assets::RgbaImage;
use disan_tour::model::Coverage;
use glam::Vec3;

/// A linear colour encoded to sRGB (a clear colour of a pass that writes encoded values).
fn srgb_encoded(c: wgpu::Color) -> wgpu::Color {
    let e = |v: f64| {
        if v <= 0.0031308 {
            v * 12.92
        } else {
            1.055 * v.powf(1.0 / 2.4) - 0.055
        }
    };
    wgpu::Color {
        r: e(c.r),
        g: e(c.g),
        b: e(c.b),
        a: c.a,
    }
}

/// Length of the cross-fade between scenes, seconds.
pub const FADE_SECONDS: f64 = 0.45;

/// Background before any scene was shown (linear): the objects' background.
const NOTHING_YET: wgpu::Color = crate::content::model::BACKGROUND;

/// Draws scenes. One per output (window, canvas or offscreen target).
pub struct Renderer {
    descriptors: Descriptors,
    frame: FrameUniforms,
    markers: Markers,
    /// Compose parameters: x fade, y encode to sRGB by hand.
    compose_params: wgpu::Buffer,
    /// Made on the first object (or environment): panoramas do not pay for it (it costs
    /// hundreds of milliseconds on a CPU renderer).
    ibl: Option<Ibl>,
    targets: Option<SceneTargets>,
    /// `None`: nothing shown yet.
    content: Option<Box<dyn Content>>,
    /// A fade is pending (starts at the next render) or running since this time.
    fade: Option<Option<f64>>,
    drawn_content: bool,
    /// The last frame was drawn by the moving pass with fewer samples than at rest.
    drew_reduced: bool,
    /// The content was shown and not drawn yet: its first frame, when nothing fades, is drawn
    /// like a moving one (sooner on screen; the next frame is the full one).
    first_look: bool,
    /// The content's pipelines for the other pass are still to be made (`Content::warm`),
    /// once, after its first frame.
    to_warm: bool,
    /// Per-pass GPU times, when asked for and the device has timestamp queries.
    timer: Option<crate::timing::PassTimer>,
    /// Exposure applied before tone mapping (lit materials).
    pub exposure: f32,
    /// Intensity of the image-based lighting.
    pub environment_intensity: f32,
    /// Intensity of the optional directional key light (0: image-based lighting only).
    pub key_light: f32,
    /// The inspection tools of an object scene (clay, normals, raking light, section plane),
    /// as the visit sets them (`Visit::inspect_frame`).
    pub inspect: disan_tour::inspect::InspectFrame,
}

/// GPU memory the renderer holds, in bytes, by role (`Renderer::gpu_memory`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GpuMemory {
    /// The scene on screen: panorama textures and tiles, or the model's buffers and textures.
    pub content: u64,
    /// The offscreen scene targets (scene, previous scene for the fade, MSAA colour, depth).
    pub targets: u64,
    /// Image-based lighting (made on the first object).
    pub environment: u64,
}

impl GpuMemory {
    /// Everything.
    pub fn total(&self) -> u64 {
        self.content + self.targets + self.environment
    }
}

impl Renderer {
    /// What the renderer holds on the GPU now. A kiosk that changes scenes for days must keep
    /// this flat (the soak test); a panorama's content is its pixels × 4 × 4/3 (the mip chain).
    pub fn gpu_memory(&self) -> GpuMemory {
        GpuMemory {
            content: self.content.as_ref().map_or(0, |c| c.gpu_bytes()),
            targets: self.targets.as_ref().map_or(0, |t| t.bytes),
            environment: self.ibl.as_ref().map_or(0, |i| i.gpu_bytes()),
        }
    }

    /// Creates pipelines and shared resources.
    pub fn new(ctx: &GpuContext) -> Renderer {
        let device = &ctx.device;
        let descriptors = Descriptors::new(ctx);
        let frame = FrameUniforms::new(device, &descriptors.layouts.frame);
        let compose_params = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("compose"),
            size: 16,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        Renderer {
            markers: Markers::new(device),
            descriptors,
            frame,
            compose_params,
            ibl: None,
            targets: None,
            content: None,
            fade: None,
            drawn_content: false,
            drew_reduced: false,
            first_look: false,
            to_warm: false,
            timer: None,
            exposure: 1.0,
            environment_intensity: 1.0,
            key_light: 0.0,
            inspect: Default::default(),
        }
    }

    /// Lights objects with this environment (the neutral studio by default).
    pub fn set_environment(&mut self, ctx: &GpuContext, env: Environment) {
        let mips = &mut self.descriptors.mips;
        match &mut self.ibl {
            Some(ibl) => ibl.set(&ctx.device, &ctx.queue, mips, env),
            None => {
                let mut ibl = Ibl::new(ctx, mips, &self.descriptors.layouts.environment);
                ibl.set(&ctx.device, &ctx.queue, mips, env);
                self.ibl = Some(ibl);
            }
        }
    }

    /// MSAA sample count used for objects.
    pub fn samples(&self) -> u32 {
        self.descriptors.samples
    }

    /// What is shown.
    pub fn content(&self) -> SceneContent {
        self.content
            .as_ref()
            .map_or(SceneContent::Empty, |c| c.kind())
    }

    /// Makes the pipelines that a panorama drawn into `format` needs, before its images arrive:
    /// their shaders compile while the images download and decode, not in the first frame.
    /// (The first panorama is drawn straight into a non-sRGB output; otherwise into the scene
    /// texture.)
    pub fn prepare_panorama(&mut self, device: &wgpu::Device, format: wgpu::TextureFormat) {
        let format = if format.is_srgb() {
            SCENE_FORMAT
        } else {
            format
        };
        let pipelines = &mut self.descriptors.pipelines;
        pipelines.panorama(device, format);
        pipelines.tiles(device, format);
    }

    /// True once a frame with content (including the empty scene of [`Renderer::show_empty`])
    /// has been drawn.
    pub fn has_drawn_content(&self) -> bool {
        self.drawn_content
    }

    /// Times each pass on the GPU from now on (`on`), or stops. False when the device has no
    /// timestamp queries (WebGL2, some drivers): nothing is timed.
    pub fn set_pass_timing(&mut self, ctx: &GpuContext, on: bool) -> bool {
        if !on {
            self.timer = None;
        } else if self.timer.is_none() {
            self.timer = crate::timing::PassTimer::new(&ctx.device, &ctx.queue);
        }
        self.timer.is_some()
    }

    /// The mean GPU time of each pass since the last call (empty when not timing, or before a
    /// timed frame was read back).
    pub fn take_pass_timings(&mut self) -> Vec<crate::PassTime> {
        self.timer.as_mut().map_or_else(Vec::new, |t| t.take())
    }

    /// True when the last frame was drawn by the moving pass with fewer samples than a frame at
    /// rest ([`FrameInput::moving`]): the shell owes the view a frame at rest once it stops.
    pub fn drew_reduced(&self) -> bool {
        self.drew_reduced
    }

    /// The frame bind-group layout (group 0 of the scene passes), for callers adding passes.
    pub fn frame_layout(&self) -> &wgpu::BindGroupLayout {
        &self.descriptors.layouts.frame
    }

    /// Shows a panorama (equirectangular image covering `coverage` of the sphere; the full
    /// sphere, or what its shape says when it is not 2:1, when `None`), cross-fading from what
    /// was shown. An image larger than the GPU allows is split into pieces that fit (decoded
    /// pixels only: a browser-decoded image must come in pieces, [`Renderer::show_panorama_pieces`]).
    pub fn show_panorama(
        &mut self,
        ctx: &GpuContext,
        image: TextureSource,
        coverage: Option<Coverage>,
    ) -> Result<(), RenderError> {
        let size = image.size();
        let rects = panorama_pieces(size.0, size.1, ctx.max_texture_side());
        let parts = match image {
            TextureSource::Rgba(img) if rects.len() > 1 => rects
                .iter()
                .map(|r| (TextureSource::Rgba(crate::texture::crop(&img, *r)), *r))
                .collect(),
            other => vec![(other, [0, 0, size.0, size.1])],
        };
        self.show_panorama_pieces(ctx, parts, size, coverage)
    }

    /// Shows a panorama of `size` given as pieces, each with its `[x, y, w, h]` in the image
    /// (as [`panorama_pieces`] splits it for this GPU).
    pub fn show_panorama_pieces(
        &mut self,
        ctx: &GpuContext,
        parts: Vec<(TextureSource, [u32; 4])>,
        size: (u32, u32),
        coverage: Option<Coverage>,
    ) -> Result<(), RenderError> {
        let coverage = coverage.unwrap_or_else(|| Coverage::from_aspect(size.0, size.1));
        let content = PanoramaContent::new(ctx, &mut self.descriptors, parts, size, coverage)?;
        self.show(ctx, Box::new(content));
        Ok(())
    }

    /// Shows a cube panorama whose tiles arrive one by one ([`Renderer::put_tile`]), over its
    /// equirectangular `preview` when it has one: a tile cache of `slots` layers of `side`
    /// pixels (0: the side of the first tile).
    pub fn show_tiled(
        &mut self,
        ctx: &GpuContext,
        preview: Option<TextureSource>,
        slots: u32,
        side: u32,
    ) -> Result<(), RenderError> {
        let content = match preview {
            Some(p) => {
                let size = p.size();
                let rects = panorama_pieces(size.0, size.1, ctx.max_texture_side());
                let parts = match p {
                    TextureSource::Rgba(img) if rects.len() > 1 => rects
                        .iter()
                        .map(|r| (TextureSource::Rgba(crate::texture::crop(&img, *r)), *r))
                        .collect(),
                    other => vec![(other, [0, 0, size.0, size.1])],
                };
                PanoramaContent::new(ctx, &mut self.descriptors, parts, size, Coverage::default())?
            }
            None => PanoramaContent::new(
                ctx,
                &mut self.descriptors,
                Vec::new(),
                (1, 1),
                Coverage::default(),
            )?,
        };
        let content = content.with_tiles(ctx, &self.descriptors, slots, side);
        self.show(ctx, Box::new(content));
        Ok(())
    }

    /// Puts a tile of the tiled panorama on screen into cache slot `slot`.
    pub fn put_tile(
        &mut self,
        ctx: &GpuContext,
        slot: u32,
        image: TextureSource,
    ) -> Result<(), RenderError> {
        let descriptors = &self.descriptors;
        match self.content.as_mut().and_then(|c| c.as_panorama_mut()) {
            Some(p) => p.put_tile(ctx, descriptors, slot, image),
            None => Ok(()),
        }
    }

    /// Bytes a tile cache may use on this device, and its most layers: larger where the GPU
    /// takes larger textures (a phone's 4096 gives 128 MiB, 8192 gives 256 MiB, more 512 MiB).
    pub fn tile_budget(ctx: &GpuContext) -> (u64, u32) {
        let side = ctx.max_texture_side();
        let bytes: u64 = if side >= 16384 {
            512 << 20
        } else if side >= 8192 {
            256 << 20
        } else {
            128 << 20
        };
        (bytes, ctx.device.limits().max_texture_array_layers)
    }

    /// What a model may take on this device: the GPU's texture limit, and a GPU memory budget
    /// that grows with it (a phone's 4096 gives 256 MiB, 8192 gives 512 MiB, more 1 GiB), as
    /// [`Renderer::tile_budget`] does for panoramas. The visit chooses derivatives by it.
    pub fn model_limits(ctx: &GpuContext) -> disan_tour::derivatives::DeviceLimits {
        let side = ctx.max_texture_side();
        let gpu_budget: u64 = if side >= 16384 {
            1 << 30
        } else if side >= 8192 {
            512 << 20
        } else {
            256 << 20
        };
        disan_tour::derivatives::DeviceLimits {
            max_texture: side,
            gpu_budget,
        }
    }

    /// Shows a model; `images[i]` is its decoded image `i` (`None` = unusable, drawn white).
    pub fn show_model(
        &mut self,
        ctx: &GpuContext,
        model: &ModelData,
        images: Vec<Option<TextureSource>>,
    ) {
        if self.ibl.is_none() {
            let layout = &self.descriptors.layouts.environment;
            self.ibl = Some(Ibl::new(ctx, &mut self.descriptors.mips, layout));
        }
        let content = ModelContent::new(ctx, &mut self.descriptors, model, images);
        self.show(ctx, Box::new(content));
    }

    /// Replaces the model shown by a finer level of the same object (its scene lists
    /// derivatives): both are drawn, dithered in complementary patterns, for
    /// [`crate::content::model::LEVEL_FADE_SECONDS`], so the detail sharpens without a pop or a
    /// blank frame, even while the camera moves. Anything else shown: like [`Renderer::show_model`].
    pub fn swap_model(
        &mut self,
        ctx: &GpuContext,
        model: &ModelData,
        images: Vec<Option<TextureSource>>,
    ) {
        if self.content() != SceneContent::Object {
            return self.show_model(ctx, model, images);
        }
        let mut content = ModelContent::new(ctx, &mut self.descriptors, model, images);
        if let Some(old) = self.content.take().and_then(|c| c.into_model()) {
            content.fade_in_over(ctx, &mut self.descriptors, old);
        }
        self.content = Some(Box::new(content));
        self.to_warm = true;
    }

    /// Shows nothing: a plain dark neutral background, cross-fading from what was shown (a
    /// scene whose asset failed to load; the shell draws the message over it). Markers passed
    /// to [`Renderer::render`] are still drawn. [`Renderer::content`] is then
    /// [`SceneContent::Empty`], and [`Renderer::has_drawn_content`] true once it was drawn.
    pub fn show_empty(&mut self, ctx: &GpuContext) {
        self.show(ctx, Box::new(EmptyContent));
    }

    /// Replaces the content, the old one fading out from its last look.
    fn show(&mut self, ctx: &GpuContext, content: Box<dyn Content>) {
        self.begin_transition(ctx);
        self.content = Some(content);
        self.first_look = true;
        self.to_warm = true;
    }

    /// Before the content changes: draws the old scene once more, as it was last shown, into
    /// the "previous" texture that the cross-fade starts from.
    fn begin_transition(&mut self, ctx: &GpuContext) {
        if self.content.is_none() || !self.drawn_content || self.targets.is_none() {
            return;
        }
        let eye = self.frame.rewrite_last_for_scene(&ctx.queue);
        let mut encoder = ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("snapshot"),
            });
        self.encode_scene(&ctx.device, &mut encoder, eye, None);
        if let Some(t) = &self.targets {
            t.keep_as_previous(&mut encoder);
        }
        ctx.queue.submit([encoder.finish()]);
        self.fade = Some(None);
    }

    /// Scene textures of the output's size.
    fn ensure_targets(&mut self, device: &wgpu::Device, width: u32, height: u32) {
        if self
            .targets
            .as_ref()
            .is_some_and(|t| t.width == width && t.height == height)
        {
            return;
        }
        // A fade in progress cannot survive a resize: its snapshot is gone.
        self.fade = None;
        self.targets = Some(SceneTargets::new(
            device,
            &self.descriptors,
            &self.compose_params,
            width,
            height,
        ));
    }

    /// How the content's scene pass is set up (nothing shown yet: a clear, no depth).
    fn scene_pass(&self) -> ScenePass {
        self.content.as_ref().map_or(
            ScenePass {
                clear: NOTHING_YET,
                depth: false,
            },
            |c| c.scene_pass(),
        )
    }

    /// Encodes the scene (content + markers) into the scene texture.
    fn encode_scene(
        &mut self,
        device: &wgpu::Device,
        encoder: &mut wgpu::CommandEncoder,
        eye: Vec3,
        stamp: Option<&crate::timing::Stamp>,
    ) {
        let Some(targets) = &self.targets else { return };
        let setup = self.scene_pass();
        let (view, resolve) = match (&targets.msaa_view, setup.depth) {
            (Some(msaa), true) => (msaa, Some(&targets.color_view)),
            _ => (&targets.color_view, None),
        };
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("scene"),
            color_attachments: &[Some(color_attachment(view, resolve, setup.clear))],
            depth_stencil_attachment: setup.depth.then_some(
                wgpu::RenderPassDepthStencilAttachment {
                    view: &targets.depth_view,
                    depth_ops: Some(wgpu::Operations {
                        load: wgpu::LoadOp::Clear(1.0),
                        store: wgpu::StoreOp::Discard,
                    }),
                    stencil_ops: None,
                },
            ),
            timestamp_writes: stamp.map(|s| s.writes()),
            ..Default::default()
        });
        let target = PassTarget {
            format: SCENE_FORMAT,
            samples: if setup.depth {
                self.descriptors.samples
            } else {
                1
            },
            depth: setup.depth,
        };
        self.draw_content(device, &mut pass, target, eye);
    }

    /// Draws the content, then the markers, into `pass` (drawing into `target`). Nothing yet:
    /// nothing (the pass only clears).
    fn draw_content(
        &mut self,
        device: &wgpu::Device,
        pass: &mut wgpu::RenderPass<'_>,
        target: PassTarget,
        eye: Vec3,
    ) {
        let Some(content) = &self.content else { return };
        pass.set_bind_group(0, &self.frame.group, &[]);
        let wireframe = self.inspect.view == disan_tour::inspect::InspectView::Wireframe;
        let mut cx = DrawContext {
            wireframe,
            device,
            pipelines: &mut self.descriptors.pipelines,
            target,
            environment: self.ibl.as_ref().map(|i| &i.group),
            eye,
            cuts: self.inspect.plane.is_some(),
        };
        content.draw(pass, &mut cx);
        self.markers.draw(pass, &mut cx);
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
        if self.content.is_none() && self.fade.is_none() {
            // Nothing to show yet (the first scene is still loading): a cleared output, without
            // the offscreen targets and the compose pipeline that a first frame does not need.
            let clear = if format.is_srgb() {
                NOTHING_YET
            } else {
                srgb_encoded(NOTHING_YET)
            };
            let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("nothing yet"),
            });
            drop(encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("clear"),
                color_attachments: &[Some(color_attachment(output, None, clear))],
                ..Default::default()
            }));
            ctx.queue.submit([encoder.finish()]);
            return false;
        }
        let width = (input.projection.viewport.x.round() as u32).max(1);
        let height = (input.projection.viewport.y.round() as u32).max(1);
        self.ensure_targets(device, width, height);

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
        if !format.is_srgb() {
            self.descriptors.moving_output = Some(format);
        }
        // The first frame of a scene (when no fade runs) is drawn as cheaply as a moving one:
        // on screen sooner, sharp from the next frame on.
        let first_look = std::mem::take(&mut self.first_look);
        let moving = input.moving || first_look;
        // Past a scene's first frame: the pipelines of the other pass (at rest or moving) are
        // made now, once, not when the visitor first turns the object.
        if !first_look && std::mem::take(&mut self.to_warm) {
            if let Some(c) = &self.content {
                c.warm(device, &mut self.descriptors);
            }
        }
        let direct = self.fade.is_none()
            && self
                .content
                .as_ref()
                .is_some_and(|c| c.draws_direct(moving))
            && !format.is_srgb();
        self.drew_reduced = false;
        let p = &input.projection;
        let lighting = self
            .content
            .as_ref()
            .map_or(Lighting::NEUTRAL, |c| c.lighting(p));
        let level_fade = self
            .content
            .as_mut()
            .map_or(1.0, |c| c.level_fade(input.time));
        let settings = FrameSettings {
            level_fade,
            exposure: self.exposure,
            environment_intensity: self.environment_intensity,
            key_light: self.key_light,
            encode_srgb: direct,
            inspect: self.inspect,
        };
        let uniform = FrameUniform::new(input, (width, height), lighting, settings);
        self.frame.write(&ctx.queue, uniform, p.eye);
        self.markers.update(device, &ctx.queue, input);
        let mut unfinished = level_fade < 1.0;
        if let Some(c) = self.content.as_mut() {
            c.inspect(ctx, &self.inspect);
            unfinished |= c.finish(ctx, &mut self.descriptors.mips, false);
            c.prepare(&ctx.queue, input.tiles);
        }

        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("frame"),
        });
        let timed = self.timer.as_mut().is_some_and(|t| t.begin());
        let mut stamp = |pass| {
            self.timer
                .as_mut()
                .filter(|_| timed)
                .and_then(|t| t.pass(pass))
        };
        if direct {
            let stamp = stamp("direct");
            // No fade running: the content goes straight to the output, one single-sampled
            // pass (its clear colour encoded by hand, like everything drawn in it), with depth
            // for an object.
            let setup = self.scene_pass();
            let depth = match (setup.depth, self.targets.as_mut()) {
                (true, Some(t)) => Some(t.single_depth(device)),
                _ => None,
            };
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("scene (direct)"),
                color_attachments: &[Some(color_attachment(
                    output,
                    None,
                    srgb_encoded(setup.clear),
                ))],
                depth_stencil_attachment: depth.as_ref().map(|view| {
                    wgpu::RenderPassDepthStencilAttachment {
                        view,
                        depth_ops: Some(wgpu::Operations {
                            load: wgpu::LoadOp::Clear(1.0),
                            store: wgpu::StoreOp::Discard,
                        }),
                        stencil_ops: None,
                    }
                }),
                timestamp_writes: stamp.as_ref().map(|s| s.writes()),
                ..Default::default()
            });
            let target = PassTarget {
                depth: depth.is_some(),
                ..PassTarget::plain(format)
            };
            self.draw_content(device, &mut pass, target, p.eye);
            drop(pass);
            self.drew_reduced = depth.is_some() && self.descriptors.samples > 1;
            self.submit(ctx, encoder);
            self.drawn_content = true;
            return unfinished;
        }

        let (scene_stamp, compose_stamp) = (stamp("scene"), stamp("compose"));
        self.encode_scene(device, &mut encoder, p.eye, scene_stamp.as_ref());
        let params = [
            fade_t as f32,
            if format.is_srgb() { 0.0 } else { 1.0 },
            0.0,
            0.0,
        ];
        ctx.queue
            .write_buffer(&self.compose_params, 0, bytemuck::cast_slice(&params));
        let Some(targets) = &self.targets else {
            return false;
        };
        let compose = self.descriptors.pipelines.compose(device, format);
        crate::fullscreen::draw_timed(
            &mut encoder,
            "compose",
            compose,
            &[&targets.compose_group],
            output,
            compose_stamp.as_ref(),
        );
        self.submit(ctx, encoder);
        if self.content.is_some() {
            self.drawn_content = true;
        }
        self.fade.is_some() || unfinished
    }

    /// Submits a frame's commands, with the copy of its pass times when it was timed.
    fn submit(&mut self, ctx: &GpuContext, mut encoder: wgpu::CommandEncoder) {
        if let Some(t) = &mut self.timer {
            t.resolve(&mut encoder);
        }
        ctx.queue.submit([encoder.finish()]);
        if let Some(t) = &mut self.timer {
            t.submitted();
        }
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
        let target = crate::RenderTarget::texture(ctx, w, h);
        let crate::RenderTarget::Texture { texture } = &target else {
            return Err(RenderError::Capture("not a texture target".into()));
        };
        let view = texture.create_view(&Default::default());
        // A capture shows the content at rest: whatever waits for a first frame is done now.
        if let Some(c) = self.content.as_mut() {
            c.finish(ctx, &mut self.descriptors.mips, true);
        }
        self.render(ctx, &view, target.format(), input);
        target.read_back(ctx)
    }
}

/// A colour attachment cleared to `clear`; a multisampled one resolves into `resolve` and is
/// not kept.
fn color_attachment<'a>(
    view: &'a wgpu::TextureView,
    resolve: Option<&'a wgpu::TextureView>,
    clear: wgpu::Color,
) -> wgpu::RenderPassColorAttachment<'a> {
    wgpu::RenderPassColorAttachment {
        view,
        depth_slice: None,
        resolve_target: resolve,
        ops: wgpu::Operations {
            load: wgpu::LoadOp::Clear(clear),
            store: if resolve.is_some() {
                wgpu::StoreOp::Discard
            } else {
                wgpu::StoreOp::Store
            },
        },
    }
}
