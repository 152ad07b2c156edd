//! Per-pass GPU times from timestamp queries, where the device has them (`TIMESTAMP_QUERY`:
//! most native drivers, lavapipe, WebGPU where the browser exposes `timestamp-query`; never
//! WebGL2). Off until asked for (`Renderer::set_pass_timing`): each timed frame's passes write a
//! timestamp at their start and end, the frame resolves them into a buffer that is read back
//! without waiting (one readback in flight; frames drawn meanwhile are not timed), and the
//! times are averaged per pass until taken (`Renderer::take_pass_timings`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

/// Most passes one frame times.
const MAX_PASSES: u32 = 4;

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

/// The timestamp queries of a renderer.
pub(crate) struct PassTimer {
    set: wgpu::QuerySet,
    resolve: wgpu::Buffer,
    readback: wgpu::Buffer,
    state: Arc<AtomicU8>,
    /// Passes of the frame being recorded (index i: queries 2i and 2i + 1).
    recording: Vec<&'static str>,
    /// Passes of the frame in the readback buffer.
    reading: Vec<&'static str>,
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
        let readback = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("pass times (read)"),
            size: bytes,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        Some(PassTimer {
            set,
            resolve,
            readback,
            state: Arc::new(AtomicU8::new(IDLE)),
            recording: Vec::new(),
            reading: Vec::new(),
            period: f64::from(queue.get_timestamp_period()),
            totals: BTreeMap::new(),
        })
    }

    /// Starts a frame: takes the times of a frame read back since. False when this frame cannot
    /// be timed (the previous one is still being read).
    pub(crate) fn begin(&mut self) -> bool {
        self.recording.clear();
        if self.state.load(Ordering::Acquire) == MAPPED {
            self.read();
        }
        self.state.load(Ordering::Acquire) == IDLE
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
        if n == 0 {
            return;
        }
        encoder.resolve_query_set(&self.set, 0..n, &self.resolve, 0);
        encoder.copy_buffer_to_buffer(&self.resolve, 0, &self.readback, 0, u64::from(n) * 8);
    }

    /// After the frame was submitted: reads its timestamps back when the GPU is done.
    pub(crate) fn submitted(&mut self) {
        if self.recording.is_empty() {
            return;
        }
        self.reading = std::mem::take(&mut self.recording);
        self.state.store(IN_FLIGHT, Ordering::Release);
        let state = self.state.clone();
        let bytes = self.reading.len() as u64 * 16;
        self.readback
            .slice(..bytes)
            .map_async(wgpu::MapMode::Read, move |r| {
                state.store(if r.is_ok() { MAPPED } else { IDLE }, Ordering::Release);
            });
    }

    /// Adds the mapped frame's times to the totals and frees the buffer.
    fn read(&mut self) {
        let bytes = self.reading.len() as u64 * 16;
        if let Ok(data) = self.readback.slice(..bytes).get_mapped_range() {
            let ticks: Vec<u64> = data
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
                .collect();
            for (pass, t) in self.reading.iter().zip(ticks.chunks_exact(2)) {
                // A pass the driver did not time (both zero) or clocks that went back: skipped.
                if t[1] > t[0] {
                    let ms = (t[1] - t[0]) as f64 * self.period / 1e6;
                    let total = self.totals.entry(pass).or_insert((0.0, 0));
                    total.0 += ms;
                    total.1 += 1;
                }
            }
        }
        self.readback.unmap();
        self.state.store(IDLE, Ordering::Release);
    }

    /// The mean time of each pass since the last call.
    pub(crate) fn take(&mut self) -> Vec<PassTime> {
        if self.state.load(Ordering::Acquire) == MAPPED {
            self.read();
        }
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
