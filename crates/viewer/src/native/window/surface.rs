//! The window's drawing side: the GPU surface and context, egui (fonts, winit state, wgpu
//! renderer), and drawing a frame (the interface pass, the visit's frame, egui on top).

use super::{UserEvent, Viewer};
use crate::native::files::FileKind;
use anyhow::{anyhow, Result};
use disan_render::{wgpu, GpuContext, RenderTarget};
use std::sync::Arc;
use std::time::Instant;
use winit::dpi::PhysicalSize;
use winit::event_loop::{ActiveEventLoop, EventLoopProxy};
use winit::window::{Fullscreen, Window};

const FONT_REGULAR: &[u8] = include_bytes!("../../../../../assets/fonts/NotoSans-Regular.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../../../../assets/fonts/NotoSans-Bold.ttf");

pub(super) struct Gfx {
    pub(super) window: Arc<Window>,
    pub(super) ctx: GpuContext,
    pub(super) target: RenderTarget,
    pub(super) egui_ctx: egui::Context,
    pub(super) egui_state: egui_winit::State,
    pub(super) egui_renderer: egui_wgpu::Renderer,
}

impl Gfx {
    /// A GPU context drawing to `window` (of `size`) and egui over it, with AccessKit; the window
    /// is shown once the accessibility adapter exists. The kiosk's controls are larger.
    pub(super) fn new(
        event_loop: &ActiveEventLoop,
        window: Arc<Window>,
        size: PhysicalSize<u32>,
        kiosk: bool,
        proxy: EventLoopProxy<UserEvent>,
    ) -> Result<Gfx> {
        // Vulkan/Metal/DX12 first; OpenGL only when none of them can draw to this window.
        let setup = |backends: wgpu::Backends| -> Result<(GpuContext, RenderTarget)> {
            let instance = GpuContext::instance(Some(backends));
            let surface = instance
                .create_surface(window.clone())
                .map_err(|e| anyhow!("cannot create a surface: {e}"))?;
            let ctx = pollster::block_on(GpuContext::new(instance, Some(&surface)))?;
            let target = RenderTarget::surface(&ctx, surface, size.width, size.height)?;
            Ok((ctx, target))
        };
        let setup = setup(wgpu::Backends::PRIMARY).or_else(|_| setup(wgpu::Backends::GL));
        let (ctx, target) = setup?;
        let egui_ctx = egui::Context::default();
        let mut fonts = egui::FontDefinitions::default();
        fonts.font_data.insert(
            "noto".into(),
            Arc::new(egui::FontData::from_static(FONT_REGULAR)),
        );
        fonts.font_data.insert(
            "noto-bold".into(),
            Arc::new(egui::FontData::from_static(FONT_BOLD)),
        );
        if let Some(list) = fonts.families.get_mut(&egui::FontFamily::Proportional) {
            list.insert(0, "noto".into());
        }
        egui_ctx.set_fonts(fonts);
        egui_ctx.set_visuals(egui::Visuals::dark());
        if kiosk {
            // Touch first: every control half as large again (44 px targets and more).
            egui_ctx.set_zoom_factor(1.5);
        }
        let egui_state = egui_winit::State::new(
            egui_ctx.clone(),
            egui::ViewportId::ROOT,
            &window,
            Some(window.scale_factor() as f32),
            None,
            Some(ctx.max_texture_side() as usize),
        );
        let mut egui_state = egui_state;
        egui_state.init_accesskit(event_loop, &window, proxy);
        window.set_visible(true);
        let egui_renderer = egui_wgpu::Renderer::new(
            &ctx.device,
            target.format(),
            egui_wgpu::RendererOptions::default(),
        );
        Ok(Gfx {
            window,
            ctx,
            target,
            egui_ctx,
            egui_state,
            egui_renderer,
        })
    }
}

impl Viewer {
    pub(super) fn redraw(&mut self) {
        let Some(gfx) = self.gfx.take() else { return };
        let now = self.now();
        self.last_frame = Instant::now();
        if let Some(app) = &mut self.app {
            app.visit.update(now);
        }
        let raw = {
            let mut g = gfx;
            let raw = g.egui_state.take_egui_input(&g.window);
            self.gfx = Some(g);
            raw
        };
        let egui_ctx = self.gfx.as_ref().map(|g| g.egui_ctx.clone());
        let Some(egui_ctx) = egui_ctx else { return };
        let mut full = egui_ctx.run_pass(raw, |ctx| self.ui(ctx));
        // What the interface did (a hotspot, the card, the language); the frame below shows it.
        self.pump();
        // The guided step's narration follows the player (files read from the tour folder).
        if let (Some(app), Some(src)) = (&self.app, &self.source) {
            let guide = app.visit.guide();
            let read = |p: &str| {
                src.read_kind(p, FileKind::guess(p))
                    .map_err(|e| format!("{p}: {}", e.reason()))
            };
            if let Some(msg) = self.narration.sync(guide.as_ref(), &read, &mut self.audio) {
                self.error = Some(msg);
            }
            // The scene's ambient sound, lowered under the narration.
            let card = app.visit.card();
            self.card_audio
                .keep_only(card.as_ref().map(|c| c.entry.as_str()));
            let ducked = self.narration.running() || self.card_audio.any_playing();
            let want = app.visit.ambient();
            if let Some(msg) = self
                .ambient
                .sync(want.as_ref(), ducked, &read, &mut self.audio)
            {
                self.error = Some(msg);
            }
            let placed = app.visit.placed_sounds();
            if let Some(msg) = self.ambient.place(&placed, ducked, &read, &mut self.audio) {
                self.error = Some(msg);
            }
        }
        if std::mem::take(&mut self.toggle_fullscreen) {
            if let Some(g) = &self.gfx {
                let fs = g.window.fullscreen().is_some();
                g.window
                    .set_fullscreen((!fs).then_some(Fullscreen::Borderless(None)));
            }
        }
        let Some(gfx) = &mut self.gfx else { return };
        gfx.egui_state
            .handle_platform_output(&gfx.window, full.platform_output);
        // Texture updates are applied whether or not this frame reaches the screen.
        for (id, deltas) in &full.textures_delta.set {
            for delta in deltas {
                gfx.egui_renderer
                    .update_texture(&gfx.ctx.device, &gfx.ctx.queue, *id, delta);
            }
        }
        for id in &full.textures_delta.free {
            gfx.egui_renderer.free_texture(id);
        }
        full.textures_delta.clear();
        // No frame (occluded, timed out): the next event that changes the view asks again.
        let Some(frame) = gfx.target.acquire(&gfx.ctx) else {
            return;
        };
        let (format, view) = (frame.format, &frame.view);
        let (width, height) = gfx.target.size();
        let mut more = false;
        match &mut self.app {
            Some(app) => more = app.render(&gfx.ctx, view, format, now),
            None => {
                let mut enc = gfx.ctx.device.create_command_encoder(&Default::default());
                let _ = enc.begin_render_pass(&wgpu::RenderPassDescriptor {
                    color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                        view,
                        depth_slice: None,
                        resolve_target: None,
                        ops: wgpu::Operations {
                            load: wgpu::LoadOp::Clear(wgpu::Color {
                                r: 0.05,
                                g: 0.05,
                                b: 0.05,
                                a: 1.0,
                            }),
                            store: wgpu::StoreOp::Store,
                        },
                    })],
                    ..Default::default()
                });
                gfx.ctx.queue.submit([enc.finish()]);
            }
        }
        // egui on top.
        let ppp = full.pixels_per_point;
        let jobs = gfx.egui_ctx.tessellate(full.shapes, ppp);
        let screen = egui_wgpu::ScreenDescriptor {
            size_in_pixels: [width, height],
            pixels_per_point: ppp,
        };
        let mut enc = gfx.ctx.device.create_command_encoder(&Default::default());
        let cmds = gfx.egui_renderer.update_buffers(
            &gfx.ctx.device,
            &gfx.ctx.queue,
            &mut enc,
            &jobs,
            &screen,
        );
        {
            let mut pass = enc
                .begin_render_pass(&wgpu::RenderPassDescriptor {
                    label: Some("egui"),
                    color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                        view,
                        depth_slice: None,
                        resolve_target: None,
                        ops: wgpu::Operations {
                            load: wgpu::LoadOp::Load,
                            store: wgpu::StoreOp::Store,
                        },
                    })],
                    ..Default::default()
                })
                .forget_lifetime();
            gfx.egui_renderer.render(&mut pass, &jobs, &screen);
        }
        gfx.ctx.queue.submit(cmds.into_iter().chain([enc.finish()]));
        gfx.window.pre_present_notify();
        frame.present(&gfx.ctx);
        self.frames += 1;
        if let Some(p) = &self.frame_count_file {
            let _ = std::fs::write(p, self.frames.to_string());
        }
        let egui_wants = full
            .viewport_output
            .values()
            .any(|v| v.repaint_delay.is_zero());
        // A tiled panorama asks for the tiles this view needs while it draws: fetch them now.
        let more = more || egui_wants;
        self.pump();
        if more || self.app.as_ref().is_some_and(|a| a.visit.needs_frame()) {
            self.request_redraw();
        }
    }
}
