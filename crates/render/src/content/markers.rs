//! Hotspot markers: screen-space discs and rings (marker.wgsl), one instance per marker, drawn
//! over any content in the same scene pass.

use crate::frame::FrameInput;
use crate::pipelines::PassTarget;
use bytemuck::{Pod, Zeroable};
use glam::Vec2;

use super::DrawContext;

/// What a hotspot does, for its marker style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// Opens a catalog card.
    Info,
    /// Goes to another scene.
    Link,
}

/// A hotspot marker to draw, in pixels of the output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Marker {
    /// Centre, pixels from the top-left.
    pub position: Vec2,
    /// Kind.
    pub kind: MarkerKind,
    /// Behind the object: drawn as a faint dashed ring.
    pub hidden: bool,
    /// Under the pointer or focused.
    pub highlighted: bool,
}

/// Per-instance attributes of marker.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct MarkerInstance {
    center: [f32; 2],
    radius: f32,
    style: [f32; 3],
}

/// Stride of the instance buffer.
pub(crate) const INSTANCE_SIZE: u64 = std::mem::size_of::<MarkerInstance>() as u64;

/// The markers of the last frame, on the GPU.
pub(crate) struct Markers {
    buffer: wgpu::Buffer,
    capacity: usize,
    count: u32,
}

fn instance_buffer(device: &wgpu::Device, capacity: usize) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("markers"),
        size: capacity as u64 * INSTANCE_SIZE,
        usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

impl Markers {
    /// Room for 64 markers to start with.
    pub(crate) fn new(device: &wgpu::Device) -> Markers {
        let capacity = 64;
        Markers {
            buffer: instance_buffer(device, capacity),
            capacity,
            count: 0,
        }
    }

    /// Uploads the markers of a frame.
    pub(crate) fn update(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        input: &FrameInput,
    ) {
        let instances: Vec<MarkerInstance> = input
            .markers
            .iter()
            .map(|m| MarkerInstance {
                center: m.position.into(),
                radius: input.marker_radius * if m.highlighted { 1.15 } else { 1.0 },
                style: [
                    if m.kind == MarkerKind::Link { 1.0 } else { 0.0 },
                    m.hidden as u32 as f32,
                    m.highlighted as u32 as f32,
                ],
            })
            .collect();
        if instances.len() > self.capacity {
            self.capacity = instances.len().next_power_of_two();
            self.buffer = instance_buffer(device, self.capacity);
        }
        if !instances.is_empty() {
            queue.write_buffer(&self.buffer, 0, bytemuck::cast_slice(&instances));
        }
        self.count = instances.len() as u32;
    }

    /// Draws the markers into `pass` (group 0 set), matching its target.
    pub(crate) fn draw(&self, pass: &mut wgpu::RenderPass<'_>, cx: &mut DrawContext<'_>) {
        if self.count == 0 {
            return;
        }
        let target: PassTarget = cx.target;
        pass.set_pipeline(cx.pipelines.marker(cx.device, target));
        pass.set_vertex_buffer(0, self.buffer.slice(..));
        pass.draw(0..6, 0..self.count);
    }
}
