//! The visit core: the state machine of one visit of a tour, with no GPU, window or browser.
//! Both shells (native and web) drive it with input events and time; it answers with what to
//! fetch ([`Request`]s), what to draw ([`Visit::projection`], [`Visit::markers`]), what the
//! overlay shows ([`Visit::overlay`], [`Visit::hotspot_labels`], [`Visit::card`]) and what happened
//! ([`Event`]s). Which scene starts, going to a scene, what a hotspot does, the language and the
//! errors shown in a scene are decided here and nowhere else.
//!
//! [`Visit`]'s methods are grouped by concept: going to a scene and entering it (`scene.rs`),
//! handing out requests and taking their answers (`loading.rs`), input, the clock and frames
//! (`navigation.rs`), tiles (`stream.rs`), levels of detail (`detail.rs`), timers (`guide.rs`),
//! what the overlay shows (`overlay.rs`) and the inspection tools (`tools.rs`).

mod detail;
mod guide;
#[cfg(test)]
mod guide_tests;
mod loading;
mod navigation;
mod overlay;
mod protocol;
mod scene;
mod sound;
mod stream;
#[cfg(test)]
mod tests;
mod tools;

pub use detail::DetailStatus;
pub use guide::{
    device_view, GuideState, StepInfo, DEFAULT_AUTOROTATE_DELAY, DEFAULT_AUTOROTATE_SPEED,
};
pub use loading::{Delivery, Entering, Request, RequestId, Resource};
pub use navigation::Insets;
pub use overlay::{
    Card, CardCaptions, CardField, CardImage, CardMedia, HotspotLabel, MarkerView, OverlayItem,
    EDGE_SPACING,
};
pub use protocol::{Command, Reply};
pub use sound::{AmbientSound, PlacedSound};
pub use stream::{TileSetup, MAX_LOADING};

use crate::camera::Bounds;
use crate::input::Navigator;
use crate::model::{HotspotKind, Tour, View};
use crate::picking::TriangleMesh;
use crate::ui_text;
use glam::Vec2;
use loading::Arriving;
use stream::TileStream;

/// Marker radius in logical pixels.
pub const MARKER_RADIUS: f32 = 14.0;

/// Something that happened, for the shell to show or announce (drained by [`Visit::take_events`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A scene is now on screen (also when its content failed: see [`Visit::scene_error`]).
    SceneChanged {
        /// Id of the scene.
        scene: String,
    },
    /// A hotspot was activated (click, tap, keyboard).
    HotspotActivated {
        /// Scene it belongs to.
        scene: String,
        /// Its index in the scene.
        index: usize,
        /// Its id, if it has one.
        id: Option<String>,
        /// `link` or `info`.
        kind: HotspotKind,
        /// Link: the scene it goes to.
        target: Option<String>,
        /// Info: the catalog entry it opens.
        entry: Option<String>,
    },
    /// The catalog card of this entry opened.
    CardOpened {
        /// Catalog entry id.
        entry: String,
    },
    /// The card closed.
    CardClosed,
    /// The interface language changed.
    LanguageChanged {
        /// The new language.
        lang: String,
    },
    /// A guided tour step began (also when the visitor picked it).
    TourStep {
        /// The guided tour's id.
        tour: String,
        /// The step, from 0.
        step: usize,
        /// Steps in the tour.
        count: usize,
    },
    /// The guided tour paused (the visitor looked around, or pressed pause).
    TourPaused {
        /// The guided tour's id.
        tour: String,
        /// The step, from 0.
        step: usize,
    },
    /// The guided tour ended (its last step ran out, or the visitor left it).
    TourEnd {
        /// The guided tour's id.
        tour: String,
        /// True when every step was played to its end.
        completed: bool,
    },
    /// The kiosk went back to its start and plays its attract loop (`true`), or a touch stopped
    /// it (`false`).
    Attract {
        /// Whether the attract loop now runs.
        running: bool,
    },
    /// Something failed: `message` says what, in the visit's language and in plain words;
    /// `detail` is the technical account (the file, what its reader found), for whoever fixes it.
    Error {
        /// What to tell the visitor.
        message: String,
        /// The file and what is wrong with it (not translated); may be empty.
        detail: String,
    },
}

/// What activating a hotspot did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// Started going to a scene.
    Go {
        /// The scene.
        scene: String,
        /// The hotspot that was activated.
        hotspot: usize,
    },
    /// Opened a catalog entry.
    Open {
        /// The entry.
        entry: String,
        /// The hotspot that was activated.
        hotspot: usize,
    },
}

/// Errors of the visit's API (a request the tour cannot satisfy).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VisitError {
    /// No scene has this id.
    #[error("unknown scene \"{0}\"")]
    UnknownScene(String),
    /// The tour has no scene at all.
    #[error("the tour has no scenes")]
    NoScenes,
    /// No guided tour has this id.
    #[error("unknown guided tour \"{0}\"")]
    UnknownTour(String),
    /// The guided tour has fewer steps.
    #[error("guided tour \"{tour}\" has {count} steps, not {step}")]
    NoStep {
        /// The guided tour.
        tour: String,
        /// The step asked for, from 1.
        step: usize,
        /// Its steps.
        count: usize,
    },
}

/// The scene on screen.
#[derive(Debug, Clone)]
struct Shown {
    scene: usize,
    nav: Navigator,
    /// Object scenes: the model's triangles (picking, occlusion) and bounds.
    model: Option<(TriangleMesh, Bounds)>,
    /// The scene's content failed: this message is shown in the scene.
    error: Option<String>,
    /// Tiled panoramas: what is loaded and drawn.
    stream: Option<TileStream>,
    /// Object scenes: the inspection tools and measurements (gone with the scene).
    tools: tools::Tools,
    /// Object scenes with derivatives: the level shown and the finer one loading.
    detail: Option<detail::Detail>,
}

/// One visit of a tour.
#[derive(Debug, Clone)]
pub struct Visit {
    tour: Tour,
    lang: String,
    size: Vec2,
    shown: Option<Shown>,
    arriving: Option<Arriving>,
    queue: Vec<Request>,
    cancelled: Vec<RequestId>,
    next_id: RequestId,
    /// Environment lighting objects now, as far as the core knows (`None`: the neutral studio).
    environment: Option<String>,
    hovered: Option<usize>,
    card: Option<String>,
    events: Vec<Event>,
    dirty: bool,
    /// What the shell's panels cover, as last set, and where the framing is now.
    insets: Insets,
    insets_now: Insets,
    /// A scene that entered without fetching anything, until the shell takes it.
    pending_entry: Option<Entering>,
    /// Physical pixels per logical pixel (tile levels are chosen for physical pixels).
    dpr: f32,
    /// Bytes the renderer may spend on a tile cache, and its most layers.
    tile_budget: (u64, u32),
    /// The shell's clock at the last update (seconds).
    now: Option<f64>,
    /// The clock when the visitor last touched anything.
    last_touch: f64,
    /// Auto-rotation, degrees per second (negative: to the left), and the seconds it waits
    /// after the last touch.
    autorotate: Option<(f32, f32)>,
    /// The guided tour being played.
    guide: Option<guide::Guide>,
    /// Kiosk mode: idle reset and attract loop.
    kiosk: Option<guide::KioskState>,
    /// The gyroscope steers the view.
    gyro: Option<guide::Gyro>,
    /// The visitor's sound control: ambient tracks and placed sounds play only while it is on.
    sound_on: bool,
    /// What the device allows a model to take (derivatives are chosen by it).
    device: crate::derivatives::DeviceLimits,
}

/// Tile cache bytes when the shell says nothing (a phone-sized budget).
pub const DEFAULT_TILE_BUDGET: u64 = 128 << 20;

impl Visit {
    /// A visit of `tour` (catalog merged) in a view of `width` × `height` logical pixels.
    pub fn new(tour: Tour, width: f32, height: f32) -> Visit {
        let lang = tour.default_language().to_string();
        Visit {
            tour,
            lang,
            size: Vec2::new(width.max(1.0), height.max(1.0)),
            shown: None,
            arriving: None,
            queue: Vec::new(),
            cancelled: Vec::new(),
            next_id: 1,
            environment: None,
            hovered: None,
            card: None,
            events: Vec::new(),
            dirty: true,
            insets: Insets::default(),
            insets_now: Insets::default(),
            pending_entry: None,
            dpr: 1.0,
            tile_budget: (DEFAULT_TILE_BUDGET, 256),
            now: None,
            last_touch: 0.0,
            autorotate: None,
            guide: None,
            kiosk: None,
            gyro: None,
            sound_on: true,
            device: Default::default(),
        }
    }

    /// Physical pixels per logical pixel.
    pub fn set_pixel_ratio(&mut self, dpr: f32) {
        self.dpr = dpr.max(0.25);
    }

    /// The renderer's tile cache budget: bytes, and the most texture array layers. Applies to
    /// tiled scenes entered from now on.
    pub fn set_tile_budget(&mut self, bytes: u64, max_layers: u32) {
        self.tile_budget = (bytes.max(1 << 20), max_layers.max(6));
    }

    /// The tour.
    pub fn tour(&self) -> &Tour {
        &self.tour
    }

    /// The scene a visit opens with: `wanted` (a shared link, `--scene`) when the tour has it,
    /// else the tour's start scene, else its first.
    pub fn start_scene(&self, wanted: Option<&str>) -> Result<String, VisitError> {
        if let Some(id) = wanted.filter(|id| self.tour.scene(id).is_some()) {
            return Ok(id.to_string());
        }
        self.tour
            .start()
            .or(self.tour.scenes.first())
            .map(|s| s.id.clone())
            .ok_or(VisitError::NoScenes)
    }

    /// Starts the visit at [`Visit::start_scene`].
    pub fn start(
        &mut self,
        wanted: Option<&str>,
        view: Option<View>,
    ) -> Result<String, VisitError> {
        let id = self.start_scene(wanted)?;
        self.go(&id, view)?;
        Ok(id)
    }

    /// Adds the entries of a separate catalog file (`catalog.json`) to the tour's.
    pub fn merge_catalog(&mut self, catalog: crate::model::Catalog) {
        self.tour.merge_catalog(catalog);
    }

    /// Events since the last call.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// How many things the core holds for the shell right now: requests not taken, ids to
    /// cancel, events not drained, resources of the scene arriving, tile requests in flight.
    /// A kiosk that runs for days must keep this flat (the soak test).
    pub fn footprint(&self) -> usize {
        let arriving = self
            .arriving
            .as_ref()
            .map_or(0, |a| a.waiting.len() + a.arrived.len());
        let tiles = |s: Option<&TileStream>| s.map_or(0, |s| s.loading.len());
        self.queue.len()
            + self.cancelled.len()
            + self.events.len()
            + arriving
            + tiles(self.shown.as_ref().and_then(|s| s.stream.as_ref()))
            + tiles(self.arriving.as_ref().and_then(|a| a.stream.as_ref()))
            + self
                .shown
                .as_ref()
                .and_then(|s| s.detail.as_ref())
                .map_or(0, |d| usize::from(d.loading.is_some()))
    }

    // --- Language -----------------------------------------------------------------------------

    /// The visit's language.
    pub fn language(&self) -> &str {
        &self.lang
    }

    /// Switches the language of texts, labels, the card and messages.
    pub fn set_language(&mut self, lang: &str) {
        if lang.is_empty() || lang == self.lang {
            return;
        }
        self.lang = lang.to_string();
        self.events.push(Event::LanguageChanged {
            lang: self.lang.clone(),
        });
        self.dirty = true;
    }

    /// An interface string in the visit's language.
    pub fn text(&self, key: &str) -> &'static str {
        ui_text::text(&self.lang, key)
    }
}
