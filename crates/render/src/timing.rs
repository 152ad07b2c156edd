//! Per-pass GPU times from timestamp queries, where the device has them (`TIMESTAMP_QUERY`:
//! most native drivers, lavapipe, WebGPU where the browser exposes `timestamp-query`; never
//! WebGL2). Off until asked for (`Renderer::set_pass_timing`): each timed frame's passes write a
//! timestamp at their start and end, the frame resolves them into a buffer that is read back
//! without waiting (a few readbacks in flight; a frame drawn while all are busy is not
//! timed), and the times are averaged per pass until taken (`Renderer::take_pass_timings`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

/// Most passes one frame times.
const MAX_PASSES: u32 = 4;

/// Frames whose times may be on their way back at once.
const READBACKS: usize = 3;

/// The readback buffer is free.
const IDLE: u8 = 0;
/// A frame's timestamps are being copied and mapped.
const IN_FLIGHT: u8 = 1;
/// They are mapped, to be read.
const MAPPED: u8 = 2;

/// The mean GPU time of one pass over the frames timed.
#[derive(Debug, Clone, PartialEq)]
pub struct PassTime {
    /// The pass: `scene` (the scene texture, multisampled for objects), `compose`, `direct`
    /// (straight into the output: panoramas, objects while they turn), `snapshot`.
    pub pass: &'static str,
    /// Milliseconds, mean.
    pub ms: f64,
    /// Frames it was timed in.
    pub frames: u32,
}

/// Where one pass writes its start and end times.
pub(crate) struct Stamp {
    set: wgpu::QuerySet,
    index: u32,
}

impl Stamp {
    /// The pass descriptor's `timestamp_writes`.
    pub(crate) fn writes(&self) -> wgpu::RenderPassTimestampWrites<'_> {
        wgpu::RenderPassTimestampWrites {
            query_set: &self.set,
            beginning_of_pass_write_index: Some(self.index),
            end_of_pass_write_index: Some(self.index + 1),
        }
    }
}

/// A buffer a frame's timestamps are read back through.
struct Readback {
    buffer: wgpu::Buffer,
    state: Arc<AtomicU8>,
    /// Passes of the frame in it.
    passes: Vec<&'static str>,
}

/// The timestamp queries of a renderer.
pub(crate) struct PassTimer {
    set: wgpu::QuerySet,
    resolve: wgpu::Buffer,
    readbacks: Vec<Readback>,
    /// The readback the frame being recorded goes to.
    slot: usize,
    /// Passes of the frame being recorded (index i: queries 2i and 2i + 1).
    recording: Vec<&'static str>,
    /// Nanoseconds per timestamp tick.
    period: f64,
    totals: BTreeMap<&'static str, (f64, u32)>,
}

impl PassTimer {
    /// A timer, or `None` when the device cannot time passes.
    pub(crate) fn new(device: &wgpu::Device, queue: &wgpu::Queue) -> Option<PassTimer> {
        if !device.features().contains(wgpu::Features::TIMESTAMP_QUERY) {
            return None;
        }
        let count = MAX_PASSES * 2;
        let bytes = u64::from(count) * 8;
        let set = device.create_query_set(&wgpu::QuerySetDescriptor {
            label: Some("pass times"),
            ty: wgpu::QueryType::Timestamp,
            count,
        });
        let resolve = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("pass times (resolve)"),
            size: bytes,
            usage: wgpu::BufferUsages::QUERY_RESOLVE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        let readbacks = (0..READBACKS)
            .map(|_| Readback {
                buffer: device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("pass times (read)"),
                    size: bytes,
                    usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
                    mapped_at_creation: false,
                }),
                state: Arc::new(AtomicU8::new(IDLE)),
                passes: Vec::new(),
            })
            .collect();
        Some(PassTimer {
            set,
            resolve,
            readbacks,
            slot: 0,
            recording: Vec::new(),
            period: f64::from(queue.get_timestamp_period()),
            totals: BTreeMap::new(),
        })
    }

    /// Starts a frame: takes the times of the frames read back since. False when this frame
    /// cannot be timed (every readback is busy).
    pub(crate) fn begin(&mut self) -> bool {
        self.recording.clear();
        self.read_mapped();
        match self
            .readbacks
            .iter()
            .position(|r| r.state.load(Ordering::Acquire) == IDLE)
        {
            Some(i) => {
                self.slot = i;
                true
            }
            None => false,
        }
    }

    /// The timestamps of the frame's next pass, named `pass` (none past `MAX_PASSES`).
    pub(crate) fn pass(&mut self, pass: &'static str) -> Option<Stamp> {
        let i = self.recording.len() as u32;
        if i >= MAX_PASSES {
            return None;
        }
        self.recording.push(pass);
        Some(Stamp {
            set: self.set.clone(),
            index: 2 * i,
        })
    }

    /// After the frame's passes: copies their timestamps where they can be read.
    pub(crate) fn resolve(&mut self, encoder: &mut wgpu::CommandEncoder) {
        let n = self.recording.len() as u32 * 2;
        let Some(r) = self.readbacks.get(self.slot) else {
            return;
        };
        if n == 0 {
            return;
        }
        encoder.resolve_query_set(&self.set, 0..n, &self.resolve, 0);
        encoder.copy_buffer_to_buffer(&self.resolve, 0, &r.buffer, 0, u64::from(n) * 8);
    }

    /// After the frame was submitted: reads its timestamps back when the GPU is done.
    pub(crate) fn submitted(&mut self) {
        if self.recording.is_empty() {
            return;
        }
        let Some(r) = self.readbacks.get_mut(self.slot) else {
            return;
        };
        r.passes = std::mem::take(&mut self.recording);
        r.state.store(IN_FLIGHT, Ordering::Release);
        let state = r.state.clone();
        let bytes = r.passes.len() as u64 * 16;
        r.buffer
            .slice(..bytes)
            .map_async(wgpu::MapMode::Read, move |result| {
                state.store(
                    if result.is_ok() { MAPPED } else { IDLE },
                    Ordering::Release,
                );
            });
    }

    /// Adds the times of every mapped readback to the totals and frees them.
    fn read_mapped(&mut self) {
        for r in &mut self.readbacks {
            if r.state.load(Ordering::Acquire) != MAPPED {
                continue;
            }
            let bytes = r.passes.len() as u64 * 16;
            if let Ok(data) = r.buffer.slice(..bytes).get_mapped_range() {
                let ticks: Vec<u64> = data
                    .chunks_exact(8)
                    .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
                    .collect();
                for (pass, t) in r.passes.iter().zip(ticks.chunks_exact(2)) {
                    // A pass the driver did not time (both zero) or clocks that went back:
                    // skipped.
                    if t[1] > t[0] {
                        let ms = (t[1] - t[0]) as f64 * self.period / 1e6;
                        let total = self.totals.entry(pass).or_insert((0.0, 0));
                        total.0 += ms;
                        total.1 += 1;
                    }
                }
            }
            r.buffer.unmap();
            r.state.store(IDLE, Ordering::Release);
        }
    }

    /// The mean time of each pass since the last call.
    pub(crate) fn take(&mut self) -> Vec<PassTime> {
        self.read_mapped();
        std::mem::take(&mut self.totals)
            .into_iter()
            .map(|(pass, (sum, frames))| PassTime {
                pass,
                ms: sum / f64::from(frames.max(1)),
                frames,
            })
            .collect()
    }
}
