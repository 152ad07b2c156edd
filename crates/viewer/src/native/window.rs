//! The native window: winit 0.30 `ApplicationHandler`, wgpu surface, egui overlay (hotspot labels,
//! catalog card, language switch, loading and error messages). It drives the visit core: input
//! goes in, requests go to the loader's worker threads, events come out.

use super::loader::{Done, Loader};
use super::{demo_tour_path, load_tour, single_model_tour, TourSource};
use crate::app::{App, Event};
use anyhow::{anyhow, Result};
use disan_render::{wgpu, GpuContext, RenderTarget};
use disan_tour::input::{Input, Key, PointerButton};
use disan_tour::ui_text::text;
use disan_tour::Tour;
use glam::Vec2;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use winit::application::ApplicationHandler;
use winit::event::{ElementState, MouseButton, MouseScrollDelta, TouchPhase, WindowEvent};
use winit::event_loop::{ActiveEventLoop, EventLoop, EventLoopProxy};
use winit::keyboard::{Key as WKey, NamedKey};
use winit::window::{Fullscreen, Window, WindowId};

const FONT_REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/NotoSans-Regular.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/NotoSans-Bold.ttf");

/// Events from worker threads.
pub enum UserEvent {
    /// A request of the visit was fulfilled (or failed).
    Loaded(Done),
}

struct Gfx {
    window: Arc<Window>,
    ctx: GpuContext,
    target: RenderTarget,
    egui_ctx: egui::Context,
    egui_state: egui_winit::State,
    egui_renderer: egui_wgpu::Renderer,
}

struct Viewer {
    path: Option<PathBuf>,
    fullscreen: bool,
    lang: Option<String>,
    proxy: EventLoopProxy<UserEvent>,
    gfx: Option<Gfx>,
    app: Option<App>,
    loader: Option<Loader>,
    /// Tour that failed to load, or the last error reported by the visit.
    error: Option<String>,
    cursor: Vec2,
    last_click: Option<(Instant, Vec2)>,
    start: Instant,
    last_frame: Instant,
    frames: u64,
    /// `DISAN_FRAME_COUNT_FILE`: the number of frames drawn is written there after each frame
    /// (the idle test counts them).
    frame_count_file: Option<PathBuf>,
}

/// Opens the viewer window on a tour folder, a tour.json or a model (the demo when `None`).
pub fn run(path: Option<PathBuf>, fullscreen: bool, lang: Option<String>) -> Result<()> {
    let event_loop = EventLoop::<UserEvent>::with_user_event().build()?;
    let proxy = event_loop.create_proxy();
    let mut viewer = Viewer {
        path,
        fullscreen,
        lang,
        proxy,
        gfx: None,
        app: None,
        loader: None,
        error: None,
        cursor: Vec2::ZERO,
        last_click: None,
        start: Instant::now(),
        last_frame: Instant::now(),
        frames: 0,
        frame_count_file: std::env::var_os("DISAN_FRAME_COUNT_FILE").map(PathBuf::from),
    };
    event_loop.run_app(&mut viewer)?;
    Ok(())
}

fn open_tour(path: &Option<PathBuf>) -> Result<(TourSource, Tour)> {
    let p = path.clone().unwrap_or_else(demo_tour_path);
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("gltf" | "glb")) {
        single_model_tour(&p)
    } else {
        let src = TourSource::locate(&p);
        let tour = load_tour(&src)?;
        Ok((src, tour))
    }
}

impl Viewer {
    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    fn request_redraw(&self) {
        if let Some(g) = &self.gfx {
            g.window.request_redraw();
        }
    }

    /// After anything that may have changed the visit: hands its requests to the loader,
    /// cancels what it no longer wants and shows what happened. True when a frame is wanted.
    fn pump(&mut self) -> bool {
        let (Some(app), Some(gfx)) = (&mut self.app, &self.gfx) else {
            return false;
        };
        app.poll(&gfx.ctx);
        let cancelled = app.visit.take_cancelled();
        app.forget(&cancelled);
        let requests = app.visit.take_requests();
        if let Some(loader) = &self.loader {
            loader.cancel(&cancelled);
            loader.submit(requests);
        }
        for e in app.visit.take_events() {
            match e {
                Event::Error { message } => self.error = Some(message),
                Event::SceneChanged { .. } if app.visit.scene_error().is_none() => {
                    self.error = None;
                }
                _ => {}
            }
        }
        app.visit.needs_frame()
    }

    /// [`Viewer::pump`], then a frame if one is wanted (outside of drawing a frame).
    fn pump_and_redraw(&mut self) {
        if self.pump() {
            self.request_redraw();
        }
    }

    fn input(&mut self, input: Input) {
        let now = self.now();
        let Some(app) = &mut self.app else { return };
        app.visit.input(input, now);
        self.pump_and_redraw();
    }

    fn scale(&self) -> f32 {
        self.gfx
            .as_ref()
            .map(|g| g.window.scale_factor() as f32)
            .unwrap_or(1.0)
    }

    fn ui(&mut self, ctx: &egui::Context) {
        let lang = self
            .app
            .as_ref()
            .map(|a| a.visit.language().to_string())
            .unwrap_or_else(|| "vi".into());
        // Top bar: tour and scene titles, language switch.
        egui::Area::new(egui::Id::unique("topbar"))
            .fixed_pos(egui::pos2(12.0, 12.0))
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        if let Some(app) = &mut self.app {
                            ui.strong(app.visit.tour_title());
                            let title = app.visit.scene_title();
                            if !title.is_empty() {
                                ui.label("·");
                                ui.label(title);
                            }
                            ui.separator();
                            let langs = app.tour().languages.clone();
                            for l in langs {
                                if ui
                                    .selectable_label(app.visit.language() == l, l.to_uppercase())
                                    .clicked()
                                {
                                    app.visit.set_language(&l);
                                }
                            }
                        } else {
                            ui.strong("Disan");
                        }
                    });
                });
            });
        let arriving = self.app.as_ref().and_then(|a| {
            let id = a.visit.arriving()?;
            let t = a.tour().scene(id)?.title.get(&lang).to_string();
            Some(if t.is_empty() { id.to_string() } else { t })
        });
        if let Some(scene) = &arriving {
            egui::Area::new(egui::Id::unique("loading"))
                .anchor(egui::Align2::CENTER_BOTTOM, [0.0, -24.0])
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.label(format!("{} {scene}", text(&lang, "loading")));
                        });
                    });
                });
        }
        if let Some(err) = self.error.clone() {
            egui::Area::new(egui::Id::unique("error"))
                .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style())
                        .fill(egui::Color32::from_rgb(70, 20, 20))
                        .show(ui, |ui| {
                            ui.set_max_width(560.0);
                            ui.heading(text(&lang, "error"));
                            ui.label(egui::RichText::new(&err).color(egui::Color32::WHITE));
                            if self.app.is_some() && ui.button(text(&lang, "close")).clicked() {
                                self.error = None;
                            }
                        });
                });
        }
        let Some(app) = &mut self.app else { return };
        // The error of a scene whose content failed, in the scene itself.
        if let (Some(msg), None) = (app.visit.scene_error(), &self.error) {
            egui::Area::new(egui::Id::unique("scene-error"))
                .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_max_width(560.0);
                        ui.label(egui::RichText::new(msg).color(egui::Color32::WHITE));
                    });
                });
        }
        // Hotspot labels beside the markers.
        let labels = app.visit.hotspot_labels();
        let mut activate = None;
        for item in app.visit.overlay() {
            if !item.visible {
                continue;
            }
            let Some(h) = labels.get(item.index) else {
                continue;
            };
            let pos = egui::pos2(
                item.position.x + crate::app::MARKER_RADIUS + 6.0,
                item.position.y - 12.0,
            );
            egui::Area::new(egui::Id::unique(("hotspot", item.index)))
                .fixed_pos(pos)
                .interactable(true)
                .show(ctx, |ui| {
                    let mut label = h.label.clone();
                    if item.hidden {
                        label = format!("{label} ({})", text(&lang, "hidden"));
                    }
                    let mut rich = egui::RichText::new(label);
                    if item.hidden {
                        rich = rich.color(egui::Color32::from_gray(170));
                    }
                    let b = ui.add(
                        egui::Button::new(rich)
                            .wrap_mode(egui::TextWrapMode::Extend)
                            .corner_radius(10.0),
                    );
                    if b.clicked() && !item.hidden {
                        activate = Some(item.index);
                    }
                    b.on_hover_text(&h.action);
                });
        }
        if let Some(i) = activate {
            app.visit.activate(i);
        }
        // Catalog card.
        if let Some(card) = app.visit.card() {
            let mut open = true;
            egui::Window::new(card.title.clone())
                .id(egui::Id::unique("card"))
                .open(&mut open)
                .default_width(380.0)
                .anchor(egui::Align2::RIGHT_TOP, [-12.0, 12.0])
                .collapsible(false)
                .show(ctx, |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(ctx.content_rect().height() - 120.0)
                        .show(ui, |ui| {
                            ui.label(&card.description);
                            ui.add_space(8.0);
                            egui::Grid::new("fields")
                                .num_columns(2)
                                .spacing([12.0, 6.0])
                                .show(ui, |ui| {
                                    for f in &card.fields {
                                        ui.strong(f.label);
                                        ui.add(egui::Label::new(&f.value).wrap());
                                        ui.end_row();
                                    }
                                });
                        });
                });
            if !open {
                app.visit.close_card();
            }
        }
    }

    fn redraw(&mut self) {
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

impl ApplicationHandler<UserEvent> for Viewer {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.gfx.is_some() {
            return;
        }
        let attrs = Window::default_attributes()
            .with_title("Disan")
            .with_inner_size(winit::dpi::LogicalSize::new(1280.0, 760.0))
            .with_fullscreen(self.fullscreen.then_some(Fullscreen::Borderless(None)));
        let window = match event_loop.create_window(attrs) {
            Ok(w) => Arc::new(w),
            Err(e) => {
                eprintln!("error: cannot open a window: {e}");
                event_loop.exit();
                return;
            }
        };
        let size = window.inner_size();
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
        let (ctx, target) = match setup {
            Ok(x) => x,
            Err(e) => {
                eprintln!("error: {e:#}");
                event_loop.exit();
                return;
            }
        };
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
        let egui_state = egui_winit::State::new(
            egui_ctx.clone(),
            egui::ViewportId::ROOT,
            &window,
            Some(window.scale_factor() as f32),
            None,
            Some(ctx.max_texture_side() as usize),
        );
        let egui_renderer = egui_wgpu::Renderer::new(
            &ctx.device,
            target.format(),
            egui_wgpu::RendererOptions::default(),
        );
        let scale = window.scale_factor() as f32;
        let mut start = None;
        match open_tour(&self.path) {
            Ok((src, tour)) => {
                let title = tour.title.get(tour.default_language()).to_string();
                window.set_title(&if title.is_empty() {
                    "Disan".to_string()
                } else {
                    format!("{title} — Disan")
                });
                let mut app = App::new(
                    &ctx,
                    tour,
                    size.width as f32 / scale,
                    size.height as f32 / scale,
                    scale,
                );
                if let Some(l) = &self.lang {
                    app.visit.set_language(l);
                }
                start = Some(app.visit.start(None, None).map_err(|e| e.to_string()));
                self.app = Some(app);
                let proxy = self.proxy.clone();
                self.loader = Some(Loader::new(src, decode_threads(), move |done| {
                    let _ = proxy.send_event(UserEvent::Loaded(done));
                }));
            }
            Err(e) => self.error = Some(format!("{e:#}")),
        }
        self.gfx = Some(Gfx {
            window: window.clone(),
            ctx,
            target,
            egui_ctx,
            egui_state,
            egui_renderer,
        });
        if let Some(Err(e)) = start {
            self.error = Some(e);
        }
        self.pump();
        window.request_redraw();
    }

    fn user_event(&mut self, _event_loop: &ActiveEventLoop, event: UserEvent) {
        match event {
            UserEvent::Loaded((id, result)) => {
                let (Some(app), Some(gfx)) = (&mut self.app, &self.gfx) else {
                    return;
                };
                match result {
                    Ok(payload) => app.deliver(&gfx.ctx, id, payload),
                    Err(e) => app.fail(&gfx.ctx, id, &e),
                }
                self.pump_and_redraw();
            }
        }
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        let consumed = match &mut self.gfx {
            Some(g) => {
                let r = g.egui_state.on_window_event(&g.window, &event);
                // egui asks to repaint after every redraw: honouring that would draw forever.
                // The frame itself decides whether another one is needed (end of `redraw`).
                if r.repaint && !matches!(event, WindowEvent::RedrawRequested) {
                    g.window.request_redraw();
                }
                r.consumed
            }
            None => false,
        };
        let scale = self.scale();
        match event {
            WindowEvent::CloseRequested => event_loop.exit(),
            WindowEvent::Resized(size) => {
                if let Some(g) = &mut self.gfx {
                    g.target
                        .resize(&g.ctx, size.width.max(1), size.height.max(1));
                }
                if let Some(app) = &mut self.app {
                    app.resize(size.width as f32 / scale, size.height as f32 / scale, scale);
                }
                self.request_redraw();
            }
            WindowEvent::ScaleFactorChanged { .. } => self.request_redraw(),
            WindowEvent::RedrawRequested => self.redraw(),
            WindowEvent::CursorMoved { position, .. } => {
                self.cursor = Vec2::new(position.x as f32, position.y as f32) / scale;
                if !consumed {
                    self.input(Input::PointerMove {
                        id: 0,
                        pos: self.cursor,
                    });
                }
            }
            WindowEvent::CursorLeft { .. } => self.input(Input::PointerCancel { id: 0 }),
            WindowEvent::MouseInput { state, button, .. } => {
                let button = match button {
                    MouseButton::Left => PointerButton::Primary,
                    MouseButton::Right => PointerButton::Secondary,
                    MouseButton::Middle => PointerButton::Middle,
                    _ => return,
                };
                match state {
                    ElementState::Pressed if !consumed => {
                        let now = Instant::now();
                        if button == PointerButton::Primary {
                            if let Some((t, p)) = self.last_click {
                                if now - t < std::time::Duration::from_millis(350)
                                    && (p - self.cursor).length() < 6.0
                                {
                                    self.input(Input::DoubleClick { pos: self.cursor });
                                }
                            }
                            self.last_click = Some((now, self.cursor));
                        }
                        self.input(Input::PointerDown {
                            id: 0,
                            pos: self.cursor,
                            button,
                        });
                    }
                    ElementState::Released => self.input(Input::PointerUp {
                        id: 0,
                        pos: self.cursor,
                    }),
                    _ => {}
                }
            }
            WindowEvent::MouseWheel { delta, .. } if !consumed => {
                let dy = match delta {
                    MouseScrollDelta::LineDelta(_, y) => -y * 60.0,
                    MouseScrollDelta::PixelDelta(p) => -p.y as f32,
                };
                self.input(Input::Wheel { delta: dy });
            }
            WindowEvent::PinchGesture { delta, .. } if !consumed => self.input(Input::Pinch {
                scale: 1.0 + delta as f32,
            }),
            WindowEvent::Touch(t) if !consumed => {
                let id = t.id + 1;
                let pos = Vec2::new(t.location.x as f32, t.location.y as f32) / scale;
                self.input(match t.phase {
                    TouchPhase::Started => Input::PointerDown {
                        id,
                        pos,
                        button: PointerButton::Primary,
                    },
                    TouchPhase::Moved => Input::PointerMove { id, pos },
                    TouchPhase::Ended => Input::PointerUp { id, pos },
                    TouchPhase::Cancelled => Input::PointerCancel { id },
                });
            }
            WindowEvent::KeyboardInput { event, .. }
                if !consumed && event.state == ElementState::Pressed =>
            {
                let key = match &event.logical_key {
                    WKey::Named(NamedKey::ArrowLeft) => Some(Key::Left),
                    WKey::Named(NamedKey::ArrowRight) => Some(Key::Right),
                    WKey::Named(NamedKey::ArrowUp) => Some(Key::Up),
                    WKey::Named(NamedKey::ArrowDown) => Some(Key::Down),
                    WKey::Named(NamedKey::Home) => Some(Key::Reset),
                    WKey::Named(NamedKey::Escape) => {
                        if let Some(app) = &mut self.app {
                            app.visit.close_card();
                        }
                        self.pump_and_redraw();
                        None
                    }
                    WKey::Named(NamedKey::F11) => {
                        if let Some(g) = &self.gfx {
                            let fs = g.window.fullscreen().is_some();
                            g.window
                                .set_fullscreen((!fs).then_some(Fullscreen::Borderless(None)));
                        }
                        None
                    }
                    WKey::Character(c) => match c.as_str() {
                        "+" | "=" => Some(Key::ZoomIn),
                        "-" | "_" => Some(Key::ZoomOut),
                        "0" => Some(Key::Reset),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(k) = key {
                    self.input(Input::Key(k));
                }
            }
            _ => {}
        }
    }
}

/// Threads decoding what the visit asks for (tiles arrive many at a time): the machine's cores,
/// at least 2 and at most 6 (the window and the GPU need some too).
fn decode_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 6))
}
