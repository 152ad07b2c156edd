//! Tile streaming for cube panoramas (`tiles` and `cube` sources): which tiles the view needs,
//! in which order to fetch them, where each one lives in the renderer's tile cache (a fixed
//! number of slots, least recently drawn evicted first) and what to draw this frame, coarse
//! levels under fine ones so that nothing is ever blank.

use super::loading::{Request, RequestId, Resource};
use super::Visit;
use crate::camera::Projection;
use crate::tiles::{pixels_per_radian, Pyramid, TileDraw, TileKey};
use std::collections::{HashMap, HashSet};

/// Most tile requests in flight at once: few enough that a turning view is served where it
/// looks now, enough to keep a fetch queue busy.
pub const MAX_LOADING: usize = 8;

/// Screen sampling step (physical pixels) when looking for visible tiles.
const STEP: f32 = 24.0;

/// How the renderer must set up its tile cache for a tiled scene.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileSetup {
    /// Number of slots (texture array layers).
    pub slots: u32,
    /// Slot side in pixels (0: the side of the first tile that arrives, for six-face cubes).
    pub side: u32,
}

/// The tile state of one tiled scene.
#[derive(Debug, Clone)]
pub(crate) struct TileStream {
    pub pyramid: Pyramid,
    pub scene: String,
    pub setup: TileSetup,
    /// Which tile each slot holds (or is loading).
    slots: Vec<Option<TileKey>>,
    slot_of: HashMap<TileKey, u32>,
    /// Requests in flight.
    pub loading: HashMap<RequestId, TileKey>,
    /// Tiles in their slot.
    ready: HashSet<TileKey>,
    failed: HashSet<TileKey>,
    /// Frame each slot was last drawn.
    used: Vec<u64>,
    /// Slots `0..pinned` hold the coarsest level and are never evicted.
    pinned: u32,
    frame: u64,
    draws: Vec<TileDraw>,
    /// A tile failure was already reported.
    pub reported: bool,
}

impl TileStream {
    /// A stream for `pyramid` with at most `budget_bytes` of cache in at most `max_layers` slots,
    /// for a view of `screen_pixels` (physical): enough slots for what such a view shows at two
    /// levels and some turning room (8 tiles' worth of each screenful, plus the base), no more.
    pub fn new(
        pyramid: Pyramid,
        scene: &str,
        budget_bytes: u64,
        max_layers: u32,
        screen_pixels: f32,
    ) -> TileStream {
        let side = pyramid.max_tile_side();
        let base = 6 * pyramid.tiles_per_side(0).pow(2);
        let by_budget = if side == 0 {
            6
        } else {
            (budget_bytes / (side as u64 * side as u64 * 4)).min(u32::MAX as u64) as u32
        };
        let by_screen = if side == 0 {
            6
        } else {
            let tiles = (screen_pixels.max(1.0) / (side as f32 * side as f32)).ceil() as u32;
            base + 8 * tiles.max(4)
        };
        let all = pyramid.tile_count().min(u32::MAX as u64) as u32;
        // At least the base and room to stream a few tiles.
        let least = (base + 8).min(all).min(max_layers);
        let slots = by_budget.min(by_screen).min(max_layers).min(all).max(least);
        TileStream {
            scene: scene.to_string(),
            setup: TileSetup { slots, side },
            slots: vec![None; slots as usize],
            slot_of: HashMap::new(),
            loading: HashMap::new(),
            ready: HashSet::new(),
            failed: HashSet::new(),
            used: vec![0; slots as usize],
            pinned: base.min(slots),
            frame: 1,
            draws: Vec::new(),
            reported: false,
            pyramid,
        }
    }

    /// Requests for the coarsest level (the base that covers the whole sphere), slots pinned.
    pub fn base_requests(&mut self, next_id: &mut RequestId, priority: u32) -> Vec<Request> {
        let mut out = Vec::new();
        for key in self.pyramid.level_tiles(0) {
            if let Some(r) = self.request(key, next_id, priority) {
                out.push(r);
            }
        }
        out
    }

    fn request(&mut self, key: TileKey, next_id: &mut RequestId, priority: u32) -> Option<Request> {
        let slot = self.free_slot()?;
        let id = *next_id;
        *next_id += 1;
        self.slots[slot as usize] = Some(key);
        self.slot_of.insert(key, slot);
        self.loading.insert(id, key);
        Some(Request {
            id,
            scene: self.scene.clone(),
            resource: Resource::Tile {
                face: key.face,
                level: key.level,
                x: key.x,
                y: key.y,
                slot,
            },
            path: self.pyramid.path(key),
            priority,
        })
    }

    /// A slot for a new tile: an empty one, else the least recently drawn that is not pinned,
    /// not loading and not drawn this frame.
    fn free_slot(&mut self) -> Option<u32> {
        if let Some(i) = self.slots.iter().position(Option::is_none) {
            return Some(i as u32);
        }
        let victim = (self.pinned as usize..self.slots.len())
            .filter(|&i| {
                self.used[i] < self.frame && self.slots[i].is_some_and(|k| self.ready.contains(&k))
            })
            .min_by_key(|&i| self.used[i])?;
        if let Some(old) = self.slots[victim].take() {
            self.ready.remove(&old);
            self.slot_of.remove(&old);
        }
        Some(victim as u32)
    }

    /// Request `id` arrived: its tile is in its slot now. False when it is not one of ours.
    pub fn arrived(&mut self, id: RequestId) -> bool {
        match self.loading.remove(&id) {
            Some(key) => {
                self.ready.insert(key);
                true
            }
            None => false,
        }
    }

    /// Request `id` failed: the tile is not asked for again; its slot is freed. Returns the
    /// tile's file when it is one of ours.
    pub fn failed(&mut self, id: RequestId) -> Option<String> {
        let key = self.loading.remove(&id)?;
        self.failed.insert(key);
        if let Some(slot) = self.slot_of.remove(&key) {
            self.slots[slot as usize] = None;
        }
        Some(self.pyramid.path(key))
    }

    /// Forgets every request in flight (the scene is left); returns their ids.
    pub fn cancel_all(&mut self) -> Vec<RequestId> {
        let ids: Vec<RequestId> = self.loading.keys().copied().collect();
        for id in &ids {
            if let Some(key) = self.loading.remove(id) {
                if let Some(slot) = self.slot_of.remove(&key) {
                    self.slots[slot as usize] = None;
                }
            }
        }
        ids
    }

    /// What the view `proj` (physical pixels) draws and needs: updates the draw list, queues
    /// requests for the visible tiles of the level it needs (nearest the centre first) and
    /// cancels requests for tiles it no longer sees. Returns (new requests, cancelled ids).
    pub fn refresh(
        &mut self,
        proj: &Projection,
        next_id: &mut RequestId,
    ) -> (Vec<Request>, Vec<RequestId>) {
        self.frame += 1;
        let target = self.pyramid.level_for(pixels_per_radian(proj));
        let mut draws = Vec::new();
        let mut seen: HashSet<TileKey> = HashSet::new();
        let mut wanted = Vec::new();
        for level in 0..=target {
            let visible = self.pyramid.visible(level, proj, STEP);
            for key in visible {
                seen.insert(key);
                if self.ready.contains(&key) {
                    if let Some(&slot) = self.slot_of.get(&key) {
                        self.used[slot as usize] = self.frame;
                        let (rect, extent) = self.pyramid.placement(key, self.setup.side);
                        draws.push(TileDraw {
                            face: key.face as u32,
                            rect,
                            slot,
                            extent,
                        });
                    }
                } else if level == target || level + 1 == target {
                    wanted.push(key);
                }
            }
        }
        self.draws = draws;
        // Drop what the view left (the base level stays wanted).
        let mut cancelled = Vec::new();
        let stale: Vec<RequestId> = self
            .loading
            .iter()
            .filter(|(_, k)| k.level > 0 && !seen.contains(k))
            .map(|(id, _)| *id)
            .collect();
        for id in stale {
            if let Some(key) = self.loading.remove(&id) {
                if let Some(slot) = self.slot_of.remove(&key) {
                    self.slots[slot as usize] = None;
                }
                cancelled.push(id);
            }
        }
        // The coarser of the two levels first: it arrives sooner and covers more.
        wanted.sort_by_key(|k| k.level);
        let mut requests = Vec::new();
        for (i, key) in wanted.into_iter().enumerate() {
            if self.loading.len() >= MAX_LOADING {
                break;
            }
            if self.slot_of.contains_key(&key) || self.failed.contains(&key) {
                continue;
            }
            match self.request(key, next_id, 2 + i as u32) {
                Some(r) => requests.push(r),
                None => break,
            }
        }
        (requests, cancelled)
    }

    /// Tiles to draw this frame, coarse levels first.
    pub fn draws(&self) -> &[TileDraw] {
        &self.draws
    }

    /// The tile request `id` asks for, while it is in flight.
    pub fn loading_key(&self, id: RequestId) -> Option<TileKey> {
        self.loading.get(&id).copied()
    }

    /// The slot of a tile that is loading or in.
    pub fn slot_of_key(&self, key: TileKey) -> Option<u32> {
        self.slot_of.get(&key).copied()
    }

    /// Number of tiles in their slots.
    pub fn ready_count(&self) -> usize {
        self.ready.len()
    }
}

impl Visit {
    /// Tiled panoramas: works out what the current view draws and needs, and queues its tile
    /// requests (fetch them after the frame). Call once before drawing each frame.
    pub fn refresh_tiles(&mut self) {
        let mut proj = self.projection();
        proj.viewport *= self.dpr;
        let Some(st) = self.shown.as_mut().and_then(|s| s.stream.as_mut()) else {
            return;
        };
        let (requests, cancelled) = st.refresh(&proj, &mut self.next_id);
        self.queue.extend(requests);
        self.cancelled.extend(cancelled);
    }

    /// The tiles to draw this frame (after [`Visit::refresh_tiles`]), coarse levels first.
    pub fn tile_draws(&self) -> &[crate::tiles::TileDraw] {
        match self.shown.as_ref().and_then(|s| s.stream.as_ref()) {
            Some(st) => st.draws(),
            None => &[],
        }
    }

    /// Tiled panoramas: (tiles in the cache, tile requests in flight); `None` otherwise.
    pub fn tile_status(&self) -> Option<(usize, usize)> {
        let st = self.shown.as_ref()?.stream.as_ref()?;
        Some((st.ready_count(), st.loading.len()))
    }
}
