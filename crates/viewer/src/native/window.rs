//! The native window: winit 0.30 `ApplicationHandler`, wgpu surface, egui overlay (hotspot labels,
//! catalog card, language switch, loading and error messages, the guided-tour player and the
//! view controls), and kiosk mode. It drives the visit core: input goes in, requests go to the
//! loader's worker threads, events come out; the core's timers wake the loop (`wake_in`).

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
use winit::event::{
    ElementState, MouseButton, MouseScrollDelta, StartCause, TouchPhase, WindowEvent,
};
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop, EventLoopProxy};
use winit::keyboard::{Key as WKey, ModifiersState, NamedKey};
use winit::window::{Fullscreen, Window, WindowId};

const FONT_REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/NotoSans-Regular.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/NotoSans-Bold.ttf");

/// Events from worker threads and the accessibility adapter.
pub enum UserEvent {
    /// A request of the visit was fulfilled (or failed).
    Loaded(Done),
    /// A screen reader asked for the interface's tree, or for an action on it (AccessKit).
    Access(egui_winit::accesskit_winit::Event),
}

impl From<egui_winit::accesskit_winit::Event> for UserEvent {
    fn from(e: egui_winit::accesskit_winit::Event) -> Self {
        UserEvent::Access(e)
    }
}

/// How long the share button's message stays (seconds).
const SHARE_TOAST: f32 = 6.0;

struct Gfx {
    window: Arc<Window>,
    ctx: GpuContext,
    target: RenderTarget,
    egui_ctx: egui::Context,
    egui_state: egui_winit::State,
    egui_renderer: egui_wgpu::Renderer,
}

/// How the window opens (`disan view`, `disan kiosk`).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Tour folder, tour.json or model; the demo tour when `None`.
    pub path: Option<PathBuf>,
    /// Start full-screen.
    pub fullscreen: bool,
    /// Interface language.
    pub lang: Option<String>,
    /// Kiosk mode: no chrome, large targets, idle reset and attract loop, exit by key chord.
    pub kiosk: bool,
    /// Kiosk idle seconds (overrides the tour's).
    pub idle: Option<f32>,
    /// Auto-rotation, degrees per second.
    pub autorotate: Option<f32>,
    /// A shared link to open (`scene=…&yaw=…`, `step=<tour>/<n>`).
    pub link: Option<String>,
    /// A guided tour to play from its first step.
    pub tour: Option<String>,
}

/// A key chord such as `Ctrl+Alt+Q` (the kiosk's way out).
#[derive(Debug, Clone, PartialEq)]
struct Chord {
    modifiers: ModifiersState,
    key: String,
}

impl Chord {
    fn parse(text: &str) -> Option<Chord> {
        let mut modifiers = ModifiersState::empty();
        let mut key = None;
        for part in text.split('+').map(str::trim).filter(|p| !p.is_empty()) {
            match part.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => modifiers |= ModifiersState::CONTROL,
                "alt" | "option" => modifiers |= ModifiersState::ALT,
                "shift" => modifiers |= ModifiersState::SHIFT,
                "super" | "meta" | "cmd" | "win" => modifiers |= ModifiersState::SUPER,
                k => key = Some(k.to_string()),
            }
        }
        Some(Chord {
            modifiers,
            key: key?,
        })
    }

    fn matches(&self, modifiers: ModifiersState, key: &WKey) -> bool {
        let name = match key {
            WKey::Character(c) => c.to_lowercase(),
            WKey::Named(n) => format!("{n:?}").to_ascii_lowercase(),
            _ => return false,
        };
        modifiers == self.modifiers && name == self.key
    }
}

struct Viewer {
    path: Option<PathBuf>,
    fullscreen: bool,
    lang: Option<String>,
    opts: Options,
    modifiers: ModifiersState,
    /// The kiosk's way out.
    exit_chord: Option<Chord>,
    /// Auto-rotation the visitor switched on (degrees per second; 0 = off).
    rotation: f32,
    /// `DISAN_EVENT_LOG`: every event of the visit is appended there, one per line (tests).
    event_log: Option<PathBuf>,
    /// The visitor has dragged or pressed a key: the first-use hint is gone.
    hinted: bool,
    /// The full-screen button was pressed (applied after the interface pass).
    toggle_fullscreen: bool,
    /// The tour's folder (narration files are read from it).
    source: Option<TourSource>,
    /// The guided step's audio and captions.
    narration: super::narration::Narration,
    /// What screen readers were last told of the hotspots outside the view.
    spoken: String,
    /// The inspection tools' panel is open.
    inspect_open: bool,
    /// What the share button copied, and when (its message shows a while).
    shared: Option<(String, Instant)>,
    /// Scene-list thumbnails, loaded on first use (`None`: the file failed).
    thumbs: std::collections::HashMap<String, Option<egui::TextureHandle>>,
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
pub fn run(opts: Options) -> Result<()> {
    let event_loop = EventLoop::<UserEvent>::with_user_event().build()?;
    let proxy = event_loop.create_proxy();
    let mut viewer = Viewer {
        path: opts.path.clone(),
        fullscreen: opts.fullscreen,
        lang: opts.lang.clone(),
        rotation: opts.autorotate.unwrap_or(0.0),
        opts,
        modifiers: ModifiersState::empty(),
        exit_chord: None,
        event_log: std::env::var_os("DISAN_EVENT_LOG").map(PathBuf::from),
        hinted: false,
        toggle_fullscreen: false,
        source: None,
        narration: Default::default(),
        thumbs: Default::default(),
        shared: None,
        spoken: String::new(),
        inspect_open: false,
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
            if let Some(log) = &self.event_log {
                use std::io::Write;
                if let Ok(mut f) = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(log)
                {
                    let _ = writeln!(f, "{e:?}");
                }
            }
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
        self.controls_ui(ctx, &lang, &labels);
    }

    /// The view controls (bottom right), the compass, arrows towards hotspots outside the view,
    /// and the guided-tour player (bottom left).
    fn controls_ui(
        &mut self,
        ctx: &egui::Context,
        lang: &str,
        labels: &[disan_tour::visit::HotspotLabel],
    ) {
        let Some(app) = &mut self.app else { return };
        let mut touched = false;
        // Arrows at the edge of the view towards hotspots outside it.
        let mut look = None;
        for a in app.visit.edge_arrows() {
            let size = 40.0;
            egui::Area::new(egui::Id::unique(("edge", a.index)))
                .fixed_pos(egui::pos2(
                    a.position.x - size / 2.0,
                    a.position.y - size / 2.0,
                ))
                .show(ctx, |ui| {
                    let (rect, resp) =
                        ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::click());
                    let p = ui.painter();
                    let c = rect.center();
                    let fill = if resp.hovered() { 220 } else { 150 };
                    p.circle_filled(c, size / 2.0, egui::Color32::from_black_alpha(fill));
                    let d = egui::vec2(a.angle.cos(), a.angle.sin());
                    let n = egui::vec2(-d.y, d.x);
                    let stroke = egui::Stroke::new(3.0, egui::Color32::WHITE);
                    p.line_segment([c - d * 10.0, c + d * 10.0], stroke);
                    p.line_segment([c + d * 10.0, c + d * 3.0 + n * 6.0], stroke);
                    p.line_segment([c + d * 10.0, c + d * 3.0 - n * 6.0], stroke);
                    let label = labels.get(a.index).map_or("", |l| l.label.as_str());
                    if resp
                        .on_hover_text(format!("{} {label}", text(lang, "look_at")))
                        .clicked()
                    {
                        look = Some(a.index);
                    }
                });
        }
        if let Some(i) = look {
            app.visit.look_at_hotspot(i);
            touched = true;
        }
        // The compass of a panorama: the view's bearing; pressed, it faces north.
        if let Some(heading) = app.visit.heading() {
            egui::Area::new(egui::Id::unique("compass"))
                .anchor(egui::Align2::LEFT_TOP, [12.0, 64.0])
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        let label = format!("N {:.0}°", heading.round() % 360.0);
                        if ui
                            .button(label)
                            .on_hover_text(text(lang, "compass"))
                            .clicked()
                        {
                            app.visit.face_north();
                            touched = true;
                        }
                    });
                });
        }
        egui::Area::new(egui::Id::unique("controls"))
            .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -12.0])
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        let tours = app.visit.guided_tours();
                        if !tours.is_empty() {
                            ui.menu_button(text(lang, "guided"), |ui| {
                                for (id, title) in tours {
                                    if ui
                                        .button(if title.is_empty() { &id } else { &title })
                                        .clicked()
                                    {
                                        let _ = app.visit.play(&id, 0);
                                        touched = true;
                                        ui.close();
                                    }
                                }
                            });
                        }
                        if app.tour().scenes.len() > 1 {
                            ui.menu_button(text(lang, "scenes"), |ui| {
                                let scenes: Vec<(String, String, Option<String>)> = app
                                    .tour()
                                    .scenes
                                    .iter()
                                    .map(|s| {
                                        (
                                            s.id.clone(),
                                            s.title.get(lang).to_string(),
                                            s.thumbnail.clone(),
                                        )
                                    })
                                    .collect();
                                for (id, title, thumb) in scenes {
                                    let here = app.visit.current() == Some(id.as_str());
                                    let name = if title.is_empty() { id.clone() } else { title };
                                    // Its thumbnail, read and decoded the first time the list opens.
                                    let tex = thumb.and_then(|rel| {
                                        self.thumbs
                                            .entry(rel.clone())
                                            .or_insert_with(|| {
                                                let src = self.source.as_ref()?;
                                                let bytes = src
                                                    .read_kind(&rel, super::files::FileKind::Image)
                                                    .ok()?;
                                                let img = disan_assets::image::decode(&bytes, &rel)
                                                    .ok()?;
                                                let c = egui::ColorImage::from_rgba_unmultiplied(
                                                    [img.width as usize, img.height as usize],
                                                    &img.pixels,
                                                );
                                                Some(ui.ctx().load_texture(
                                                    rel.clone(),
                                                    c,
                                                    egui::TextureOptions::LINEAR,
                                                ))
                                            })
                                            .clone()
                                    });
                                    let clicked = match &tex {
                                        Some(t) => ui
                                            .add(
                                                egui::Button::image_and_text(
                                                    egui::Image::new(t)
                                                        .fit_to_exact_size(egui::vec2(96.0, 54.0)),
                                                    name,
                                                )
                                                .selected(here),
                                            )
                                            .clicked(),
                                        None => ui.selectable_label(here, name).clicked(),
                                    };
                                    if clicked {
                                        let _ = app.visit.go(&id, None);
                                        touched = true;
                                        ui.close();
                                    }
                                }
                            });
                        }
                        if app.visit.inspectable() {
                            // A panel that stays open while the tools are set.
                            if ui
                                .selectable_label(self.inspect_open, text(lang, "inspect"))
                                .clicked()
                            {
                                self.inspect_open = !self.inspect_open;
                            }
                        }
                        let on = app.visit.autorotate().is_some() && !app.visit.attracting();
                        if ui
                            .selectable_label(on, text(lang, "autorotate"))
                            .on_hover_text(text(lang, "autorotate"))
                            .clicked()
                        {
                            self.rotation = if on {
                                0.0
                            } else {
                                self.opts.autorotate.unwrap_or(5.0)
                            };
                            app.visit.set_autorotate(
                                (self.rotation != 0.0).then_some(self.rotation),
                                disan_tour::visit::DEFAULT_AUTOROTATE_DELAY,
                            );
                            touched = true;
                        }
                        if ui
                            .button("  -  ")
                            .on_hover_text(text(lang, "zoom_out"))
                            .clicked()
                        {
                            app.visit.input(Input::Key(Key::ZoomOut), app.visit.time());
                        }
                        if ui
                            .button("  +  ")
                            .on_hover_text(text(lang, "zoom_in"))
                            .clicked()
                        {
                            app.visit.input(Input::Key(Key::ZoomIn), app.visit.time());
                        }
                        if !self.opts.kiosk && ui.button(text(lang, "fullscreen")).clicked() {
                            self.toggle_fullscreen = true;
                        }
                        // Share: the view's link on the clipboard (not on a kiosk: the visitor
                        // would have nowhere to paste it).
                        if !self.opts.kiosk && ui.button(text(lang, "share")).clicked() {
                            let link = app.visit.link().to_fragment();
                            let copied = super::share_text(
                                app.tour().share_url.as_deref(),
                                self.path.as_deref(),
                                &link,
                            );
                            ui.ctx().copy_text(copied.clone());
                            self.shared = Some((copied, Instant::now()));
                            touched = true;
                        }
                    });
                });
            });
        // The guided-tour player.
        if let Some(g) = app.visit.guide() {
            let mut action: Option<&str> = None;
            let mut goto = None;
            egui::Area::new(egui::Id::unique("player"))
                .anchor(egui::Align2::LEFT_BOTTOM, [12.0, -12.0])
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_max_width(420.0);
                        ui.horizontal(|ui| {
                            ui.strong(if g.title.is_empty() {
                                text(lang, "guided")
                            } else {
                                &g.title
                            });
                            let n = text(lang, "step_of")
                                .replace("{n}", &(g.step + 1).to_string())
                                .replace("{count}", &g.count.to_string());
                            ui.label(n);
                            if ui
                                .button("×")
                                .on_hover_text(text(lang, "exit_tour"))
                                .clicked()
                            {
                                action = Some("exit");
                            }
                        });
                        if !g.narration.is_empty() {
                            ui.add(egui::Label::new(&g.narration).wrap());
                        } else if g.duration.is_none() && !g.attract {
                            ui.label(text(lang, "waits"));
                        }
                        // The narration's captions, timed by its audio.
                        if self.narration.has_captions() {
                            let cue = self.narration.caption();
                            ui.add(
                                egui::Label::new(
                                    egui::RichText::new(cue)
                                        .italics()
                                        .color(egui::Color32::from_rgb(255, 236, 160)),
                                )
                                .wrap(),
                            );
                        }
                        if let Some(d) = g.duration {
                            ui.add(
                                egui::ProgressBar::new((g.elapsed / d).clamp(0.0, 1.0))
                                    .desired_height(4.0),
                            );
                        }
                        ui.horizontal(|ui| {
                            if ui
                                .add_enabled(g.step > 0, egui::Button::new(text(lang, "prev")))
                                .on_hover_text(text(lang, "prev"))
                                .clicked()
                            {
                                action = Some("prev");
                            }
                            // Noto Sans has no media symbols: the buttons say what they do.
                            let (label, what) = if g.playing {
                                (text(lang, "pause"), "pause")
                            } else if g.away {
                                (text(lang, "resume"), "resume")
                            } else {
                                (text(lang, "play"), "resume")
                            };
                            if ui.button(label).clicked() {
                                action = Some(what);
                            }
                            if ui.button(text(lang, "next")).clicked() {
                                action = Some("next");
                            }
                            ui.menu_button(text(lang, "steps"), |ui| {
                                for (i, st) in g.steps.iter().enumerate() {
                                    if ui
                                        .selectable_label(
                                            i == g.step,
                                            format!("{}. {}", i + 1, st.title),
                                        )
                                        .clicked()
                                    {
                                        goto = Some(i);
                                        ui.close();
                                    }
                                }
                            });
                        });
                    });
                });
            match action {
                Some("pause") => app.visit.pause(),
                Some("resume") => app.visit.resume(),
                Some("next") => app.visit.next_step(),
                Some("prev") => app.visit.prev_step(),
                Some("exit") => app.visit.exit_tour(),
                _ => {}
            }
            if let Some(i) = goto {
                let _ = app.visit.goto_step(i);
            }
            touched |= action.is_some() || goto.is_some();
        }
        // The first-use hint, until the visitor first drags or presses a key (not while a
        // guided tour shows the way).
        if !self.hinted && app.visit.guide().is_none() && app.visit.time() < 10.0 {
            egui::Area::new(egui::Id::unique("hint"))
                .anchor(egui::Align2::CENTER_CENTER, [0.0, 120.0])
                .interactable(false)
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.strong(text(lang, "first_hint"));
                    });
                });
        }
        if self.inspect_open && app.visit.inspectable() {
            egui::Area::new(egui::Id::unique("inspect"))
                .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -64.0])
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_max_width(300.0);
                        touched |= inspect_menu(ui, &mut app.visit, lang);
                    });
                });
        }
        // Measurements on the relic: a line between the two points and the length.
        draw_measurements(ctx, &app.visit);
        // What the share button copied, for a while (selectable: the link may be typed out).
        if let Some((copied, at)) = &self.shared {
            if at.elapsed().as_secs_f32() < SHARE_TOAST {
                egui::Area::new(egui::Id::unique("shared"))
                    .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -64.0])
                    .show(ctx, |ui| {
                        egui::Frame::popup(ui.style()).show(ui, |ui| {
                            ui.set_max_width(520.0);
                            ui.strong(text(lang, "copied"));
                            ui.add(egui::Label::new(copied.as_str()).wrap());
                        });
                    });
            } else {
                self.shared = None;
            }
        }
        // Screen readers hear where the hotspots outside the view are, once the view rests.
        if !app.visit.needs_frame() {
            self.spoken = app.visit.offscreen_summary();
        }
        announce(ctx, "offscreen", &self.spoken);
        if touched {
            app.visit.touch();
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
        // The guided step's narration follows the player (files read from the tour folder).
        if let (Some(app), Some(src)) = (&self.app, &self.source) {
            let guide = app.visit.guide();
            let read = |p: &str| {
                src.read_kind(p, super::files::FileKind::Buffer)
                    .map_err(|e| format!("{p}: {}", e.reason()))
            };
            if let Some(msg) = self.narration.sync(guide.as_ref(), &read) {
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

impl ApplicationHandler<UserEvent> for Viewer {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.gfx.is_some() {
            return;
        }
        let attrs = Window::default_attributes()
            .with_title("Disan")
            .with_inner_size(winit::dpi::LogicalSize::new(1280.0, 760.0))
            .with_fullscreen(self.fullscreen.then_some(Fullscreen::Borderless(None)))
            .with_decorations(!self.opts.kiosk)
            // Shown once the accessibility adapter exists (AccessKit needs it created first).
            .with_visible(false);
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
        if self.opts.kiosk {
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
        egui_state.init_accesskit(event_loop, &window, self.proxy.clone());
        window.set_visible(true);
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
                let link = disan_tour::Link::parse(self.opts.link.as_deref().unwrap_or(""));
                start = Some(app.visit.open_link(&link).map_err(|e| e.to_string()));
                self.source = Some(src.clone());
                if self.opts.kiosk {
                    let mut k = app.tour().kiosk.clone().unwrap_or_default();
                    if let Some(idle) = self.opts.idle.filter(|s| *s > 0.0) {
                        k.idle_seconds = idle;
                    }
                    self.exit_chord =
                        Chord::parse(&k.exit_keys).or_else(|| Chord::parse("Ctrl+Alt+Q"));
                    app.visit.set_kiosk(Some(k));
                }
                if self.rotation != 0.0 {
                    app.visit.set_autorotate(
                        Some(self.rotation),
                        disan_tour::visit::DEFAULT_AUTOROTATE_DELAY,
                    );
                }
                if let Some(t) = &self.opts.tour {
                    if let Err(e) = app.visit.play(t, 0) {
                        self.error = Some(e.to_string());
                    }
                }
                self.app = Some(app);
                let proxy = self.proxy.clone();
                self.loader = Some(Loader::new(
                    src,
                    ctx.block_format(),
                    decode_threads(),
                    move |done| {
                        let _ = proxy.send_event(UserEvent::Loaded(done));
                    },
                ));
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

    fn new_events(&mut self, _event_loop: &ActiveEventLoop, cause: StartCause) {
        // A timer of the visit is due (auto-rotation, a guided step, the kiosk's reset).
        if let StartCause::ResumeTimeReached { .. } = cause {
            self.request_redraw();
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        let mut wake = self.app.as_ref().and_then(|a| a.visit.wake_in());
        // A guided step's progress bar moves once a second while it plays.
        let playing = self
            .app
            .as_ref()
            .and_then(|a| a.visit.guide())
            .is_some_and(|g| g.playing && g.duration.is_some());
        if playing {
            wake = wake.map(|s| s.min(1.0));
        }
        // Captions change while the narration plays, even in a step that waits.
        if self.narration.running() {
            wake = Some(wake.map_or(0.5, |s| s.min(0.5)));
        }
        // The share button's message goes when its time is up.
        if let Some((_, at)) = &self.shared {
            let left = (SHARE_TOAST as f64 - at.elapsed().as_secs_f64()).max(0.01);
            wake = Some(wake.map_or(left, |s| s.min(left)));
        }
        match wake {
            Some(s) if s > 0.0 => event_loop.set_control_flow(ControlFlow::WaitUntil(
                Instant::now() + std::time::Duration::from_secs_f64(s),
            )),
            _ => event_loop.set_control_flow(ControlFlow::Wait),
        }
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
            UserEvent::Access(e) => {
                use egui_winit::accesskit_winit::WindowEvent as A;
                let Some(gfx) = &mut self.gfx else { return };
                match e.window_event {
                    A::InitialTreeRequested => gfx.egui_ctx.enable_accesskit(),
                    A::ActionRequested(request) => {
                        gfx.egui_state.on_accesskit_action_request(request);
                    }
                    A::AccessibilityDeactivated => gfx.egui_ctx.disable_accesskit(),
                }
                gfx.window.request_redraw();
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
        // Any press, even on a control, is the visitor at the kiosk: the idle timer restarts.
        let pressed = matches!(
            event,
            WindowEvent::MouseInput {
                state: ElementState::Pressed,
                ..
            } | WindowEvent::Touch(winit::event::Touch {
                phase: TouchPhase::Started,
                ..
            }) | WindowEvent::KeyboardInput { .. }
                | WindowEvent::MouseWheel { .. }
        );
        if pressed {
            if let Some(app) = &mut self.app {
                app.visit.touch();
            }
            if !consumed {
                self.hinted = true;
            }
        }
        match event {
            // A kiosk is left only by its key chord.
            WindowEvent::CloseRequested if self.opts.kiosk => {}
            WindowEvent::CloseRequested => event_loop.exit(),
            WindowEvent::ModifiersChanged(m) => self.modifiers = m.state(),
            WindowEvent::KeyboardInput { ref event, .. }
                if event.state == ElementState::Pressed
                    && self
                        .exit_chord
                        .as_ref()
                        .is_some_and(|c| c.matches(self.modifiers, &event.logical_key)) =>
            {
                event_loop.exit();
            }
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
                    WKey::Named(NamedKey::F11) if !self.opts.kiosk => {
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
/// The inspection tools of an object scene (the visit keeps their state): view, raking light,
/// section plane, measuring. Returns true when something was changed.
fn inspect_menu(ui: &mut egui::Ui, visit: &mut disan_tour::visit::Visit, lang: &str) -> bool {
    use disan_tour::inspect::{format_length, Axis, InspectView, Raking, Section};
    let ins = visit.inspection();
    let mut changed = false;
    ui.horizontal(|ui| {
        for (v, key) in [
            (InspectView::Normal, "view.normal"),
            (InspectView::Clay, "view.clay"),
            (InspectView::Normals, "view.normals"),
            (InspectView::Wireframe, "view.wireframe"),
        ] {
            if ui
                .selectable_label(ins.view == v, text(lang, key))
                .clicked()
            {
                changed |= visit.set_inspect_view(v);
            }
        }
    });
    ui.separator();
    let mut raking = ins.raking.is_some();
    if ui.checkbox(&mut raking, text(lang, "raking")).changed() {
        changed |= visit.set_raking(raking.then(Raking::default));
        if !raking {
            visit.set_light_drag(false);
        }
    }
    if raking {
        ui.horizontal(|ui| {
            let mut drag = visit.light_drag();
            if ui.checkbox(&mut drag, text(lang, "move_light")).changed() {
                changed |= visit.set_light_drag(drag);
            }
            if ui.button(text(lang, "reset_light")).clicked() {
                changed |= visit.reset_light();
            }
        });
    }
    ui.separator();
    let mut cut = ins.section.is_some();
    if ui.checkbox(&mut cut, text(lang, "section")).changed() {
        changed |= visit.set_section(cut.then_some(Section {
            axis: Axis::Y,
            position: 0.5,
            flip: false,
        }));
    }
    if let Some(mut sec) = ins.section {
        let before = sec;
        ui.horizontal(|ui| {
            for (a, name) in [(Axis::X, "X"), (Axis::Y, "Y"), (Axis::Z, "Z")] {
                if ui.selectable_label(sec.axis == a, name).clicked() {
                    sec.axis = a;
                }
            }
            ui.checkbox(&mut sec.flip, "⇄");
        });
        ui.add(egui::Slider::new(&mut sec.position, 0.0..=1.0).show_value(false));
        if sec != before {
            changed |= visit.set_section(Some(sec));
        }
    }
    ui.separator();
    let mut measuring = visit.measuring();
    if ui.checkbox(&mut measuring, text(lang, "measure")).changed() {
        changed |= visit.set_measuring(measuring);
    }
    if measuring {
        ui.label(egui::RichText::new(text(lang, "measure_hint")).weak());
    }
    let (list, _) = visit.measurements();
    let mut remove = None;
    for (i, m) in list.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(format!("{}. {}", i + 1, format_length(m.metres)));
            if ui.small_button(text(lang, "remove")).clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(i) = remove {
        changed |= visit.remove_measurement(i);
    }
    if ins.view != InspectView::Normal
        || ins.raking.is_some()
        || ins.section.is_some()
        || !list.is_empty()
    {
        ui.separator();
        if ui.button(text(lang, "reset_tools")).clicked() {
            visit.reset_inspection();
            changed = true;
        }
    }
    changed
}

/// Each measurement as a line between its points with its length, and the first point of one
/// under way, over the view.
fn draw_measurements(ctx: &egui::Context, visit: &disan_tour::visit::Visit) {
    let (list, pending) = visit.measurements();
    if list.is_empty() && pending.is_none() {
        return;
    }
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Background,
        egui::Id::unique("measurements"),
    ));
    let pos = |p: glam::Vec3| visit.project_point(p).map(|v| egui::pos2(v.x, v.y));
    let yellow = egui::Color32::from_rgb(255, 214, 64);
    for m in &list {
        let (Some(a), Some(b)) = (pos(m.a), pos(m.b)) else {
            continue;
        };
        painter.line_segment(
            [a, b],
            egui::Stroke::new(4.0, egui::Color32::from_black_alpha(160)),
        );
        painter.line_segment([a, b], egui::Stroke::new(2.0, yellow));
        for p in [a, b] {
            painter.circle_filled(p, 4.0, yellow);
        }
        let mid = a + (b - a) * 0.5;
        let label = disan_tour::inspect::format_length(m.metres);
        let galley = painter.layout_no_wrap(
            label,
            egui::FontId::proportional(15.0),
            egui::Color32::BLACK,
        );
        let rect = egui::Rect::from_center_size(mid, galley.size() + egui::vec2(10.0, 4.0));
        painter.rect_filled(rect, 4.0, yellow);
        painter.galley(
            rect.min + egui::vec2(5.0, 2.0),
            galley,
            egui::Color32::BLACK,
        );
    }
    if let Some(p) = pending.and_then(pos) {
        painter.circle_filled(p, 5.0, yellow);
    }
}

/// A polite live region for screen readers (AccessKit): `text` is read out when it changes.
/// Nothing is drawn; the node exists only while a screen reader listens.
fn announce(ctx: &egui::Context, key: &str, text: &str) {
    use egui::accesskit::{Live, Role};
    ctx.accesskit_node_builder(egui::Id::unique(("disan-live", key)), |node| {
        node.set_role(Role::Status);
        node.set_live(Live::Polite);
        if text.is_empty() {
            node.clear_value();
        } else {
            node.set_value(text);
        }
    });
}

fn decode_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 6))
}

#[cfg(test)]
mod tests {
    use super::announce;
    use egui::accesskit::{Live, Role};

    /// The live region's node in the tree a screen reader gets, after one pass.
    fn live_node(ctx: &egui::Context, text: &str) -> Option<(Role, Option<Live>, Option<String>)> {
        let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
            ui.label("Disan");
            announce(ui.ctx(), "offscreen", text);
        });
        out.textures_delta.clear();
        let update = out.platform_output.accesskit_update?;
        update.nodes.iter().find_map(|(_, n)| {
            (n.live().is_some()).then(|| (n.role(), n.live(), n.value().map(str::to_string)))
        })
    }

    #[test]
    fn screen_readers_hear_the_hotspots_outside_the_view_through_a_polite_live_region() {
        let ctx = egui::Context::default();
        // No screen reader: no tree at all.
        assert!(live_node(&ctx, "Ngoài khung nhìn: Bia, bên trái").is_none());
        ctx.enable_accesskit();
        let said = "Ngoài khung nhìn: Bia, bên trái";
        assert_eq!(
            live_node(&ctx, said),
            Some((Role::Status, Some(Live::Polite), Some(said.to_string())))
        );
        // Every hotspot in view: the region stays, empty.
        assert_eq!(
            live_node(&ctx, ""),
            Some((Role::Status, Some(Live::Polite), None))
        );
    }
}
