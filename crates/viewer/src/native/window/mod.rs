//! The native window: winit 0.30 `ApplicationHandler`, wgpu surface, egui overlay (hotspot labels,
//! catalog card, language switch, loading and error messages, the guided-tour player and the
//! view controls), and kiosk mode. It drives the visit core: input goes in, requests go to the
//! loader's worker threads, events come out; the core's timers wake the loop (`wake_in`).
//!
//! This file holds the app handler (the event loop, [`Options`], [`run`]); the rest by role:
//! `input` (winit events and keys to the visit's input), `panels` (the egui panels),
//! `inspect_panel` (the inspection tools' panel and measurements), `accessibility` (AccessKit,
//! live regions) and `surface` (GPU surface, egui renderer, drawing a frame).

mod accessibility;
mod input;
mod inspect_panel;
mod panels;
mod surface;

use super::loader::{Done, Loader};
use super::{demo_tour_path, load_tour, single_model_tour, TourSource};
use crate::app::{App, Event};
use anyhow::Result;
use disan_tour::visit::Command;
use disan_tour::Tour;
use glam::Vec2;
use input::Chord;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use surface::Gfx;
use winit::application::ApplicationHandler;
use winit::event::{ElementState, StartCause, WindowEvent};
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop, EventLoopProxy};
use winit::keyboard::ModifiersState;
use winit::window::{Fullscreen, Window, WindowId};

/// Events from worker threads and the accessibility adapter.
pub enum UserEvent {
    /// A request of the visit was fulfilled (or failed).
    Loaded(Done),
    /// A screen reader asked for the interface's tree, or for an action on it (AccessKit).
    Access(egui_winit::accesskit_winit::Event),
}

/// How long the share button's message stays (seconds).
const SHARE_TOAST: f32 = 6.0;

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
    /// The scene's ambient sound.
    ambient: super::ambient::Ambient,
    /// The open card's audio recording.
    card_audio: super::card_audio::CardAudio,
    /// The audio output the narration and the ambient sound share.
    audio: super::audio::Output,
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
        ambient: Default::default(),
        card_audio: Default::default(),
        audio: Default::default(),
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
                Event::Error { message, detail } => {
                    if !detail.is_empty() {
                        log::warn!("{detail}");
                    }
                    self.error = Some(message);
                }
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

    fn scale(&self) -> f32 {
        self.gfx
            .as_ref()
            .map(|g| g.window.scale_factor() as f32)
            .unwrap_or(1.0)
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
        let gfx = match Gfx::new(
            event_loop,
            window.clone(),
            size,
            self.opts.kiosk,
            self.proxy.clone(),
        ) {
            Ok(g) => g,
            Err(e) => {
                eprintln!("error: {e:#}");
                event_loop.exit();
                return;
            }
        };
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
                    &gfx.ctx,
                    tour,
                    size.width as f32 / scale,
                    size.height as f32 / scale,
                    scale,
                );
                if let Some(l) = &self.lang {
                    send(&mut app.visit, Command::SetLanguage { lang: l.clone() });
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
                    send(
                        &mut app.visit,
                        Command::SetAutorotate {
                            speed: Some(self.rotation),
                            delay: None,
                        },
                    );
                }
                if let Some(t) = &self.opts.tour {
                    if let Err(e) = app.visit.apply(Command::Play {
                        tour: t.clone(),
                        step: 0,
                    }) {
                        self.error = Some(e.to_string());
                    }
                }
                self.app = Some(app);
                let proxy = self.proxy.clone();
                self.loader = Some(Loader::new(
                    src,
                    gfx.ctx.block_format(),
                    decode_threads(),
                    move |done| {
                        let _ = proxy.send_event(UserEvent::Loaded(done));
                    },
                ));
            }
            Err(e) => self.error = Some(format!("{e:#}")),
        }
        self.gfx = Some(gfx);
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
        if self.narration.running() || self.card_audio.any_playing() {
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
            UserEvent::Access(e) => self.access_event(e),
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
        self.note_press(&event, consumed);
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
            event => self.visitor_input(event, consumed, scale),
        }
    }
}

/// Threads decoding what the visit asks for (tiles arrive many at a time): the machine's cores,
/// at least 2 and at most 6 (the window and the GPU need some too).
/// Sends `command` to the visit through its one entry point (`Visit::apply`, as the web engine's
/// `send` does); whether something on screen may have changed. A command the tour cannot satisfy
/// is logged.
pub(super) fn send(visit: &mut disan_tour::visit::Visit, command: Command) -> bool {
    match visit.apply(command) {
        Ok(reply) => reply.changed,
        Err(e) => {
            log::warn!("{e}");
            false
        }
    }
}

fn decode_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command of the protocol (`web/tests/commands.json`, one of each kind, written from
    /// the Rust enum) goes through the native window's dispatcher, as the browser test sends
    /// each through `Engine.send`; the ids are the demo tour's.
    #[test]
    fn every_command_goes_through_the_native_dispatcher() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let text = std::fs::read_to_string(root.join("web/tests/commands.json")).unwrap();
        let demo = std::fs::read(root.join("assets/demo/tour.json")).unwrap();
        let tour = Tour::from_json(&demo, "tour.json").unwrap();
        let first = tour.scenes[0].id.clone();
        let guided = tour.tours[0].id.clone();
        let mut visit = disan_tour::visit::Visit::new(tour, 640.0, 480.0);
        visit.start(None, None).unwrap();
        let commands: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        assert!(commands.len() > 20, "{} commands", commands.len());
        for mut c in commands {
            match c["type"].as_str() {
                Some("go") => c["scene"] = first.clone().into(),
                Some("play") => c["tour"] = guided.clone().into(),
                Some("activate" | "look_at_hotspot") => c["hotspot"] = 0.into(),
                _ => {}
            }
            let command: Command = serde_json::from_value(c.clone()).unwrap();
            assert!(
                visit.apply(command.clone()).is_ok(),
                "{c}: refused by the visit"
            );
            // And through the window's own helper.
            let _ = send(&mut visit, command);
        }
    }
}
