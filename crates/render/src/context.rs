//! GpuContext: instance, adapter, device and queue, created headless (tests, `disan render`) or for a surface.

use crate::RenderError;
use disan_assets::BlockFormat;

/// The block-compressed formats KTX2 textures may be transcoded to, most wanted first, with the
/// device feature that samples each.
pub(crate) const BLOCK_FORMATS: [(BlockFormat, wgpu::Features); 3] = [
    (BlockFormat::Bc7, wgpu::Features::TEXTURE_COMPRESSION_BC),
    (
        BlockFormat::Astc4x4,
        wgpu::Features::TEXTURE_COMPRESSION_ASTC,
    ),
    (
        BlockFormat::Etc2Rgba8,
        wgpu::Features::TEXTURE_COMPRESSION_ETC2,
    ),
];

/// Everything needed to talk to one GPU.
pub struct GpuContext {
    /// The wgpu instance.
    pub instance: wgpu::Instance,
    /// The adapter.
    pub adapter: wgpu::Adapter,
    /// The device.
    pub device: wgpu::Device,
    /// The queue.
    pub queue: wgpu::Queue,
    /// A lower texture side limit than the device's (a test hook; WebGPU devices cannot be
    /// asked for less than 8192).
    side_cap: Option<u32>,
}

impl GpuContext {
    /// An instance for the given backends (`None`: every backend compiled in).
    pub fn instance(backends: Option<wgpu::Backends>) -> wgpu::Instance {
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
        if let Some(b) = backends {
            desc.backends = b;
        }
        wgpu::Instance::new(desc)
    }

    /// Finds an adapter (compatible with `surface` when given) and creates the device with the
    /// adapter's real limits, so that large panoramas fit.
    pub async fn new(
        instance: wgpu::Instance,
        surface: Option<&wgpu::Surface<'_>>,
    ) -> Result<Self, RenderError> {
        Self::new_capped(instance, surface, None).await
    }

    /// [`GpuContext::new`], with the texture side limit lowered to `max_side` when given (tests:
    /// behave like a phone whose GPU takes at most 4096-pixel textures).
    pub async fn new_capped(
        instance: wgpu::Instance,
        surface: Option<&wgpu::Surface<'_>>,
        max_side: Option<u32>,
    ) -> Result<Self, RenderError> {
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                force_fallback_adapter: false,
                compatible_surface: surface,
                apply_limit_buckets: false,
            })
            .await
            .map_err(|e| RenderError::NoAdapter(e.to_string()))?;
        let mut required_limits =
            wgpu::Limits::downlevel_webgl2_defaults().using_resolution(adapter.limits());
        if let Some(cap) = max_side {
            let cap = cap.max(2048);
            required_limits.max_texture_dimension_2d =
                required_limits.max_texture_dimension_2d.min(cap);
            required_limits.max_texture_dimension_1d =
                required_limits.max_texture_dimension_1d.min(cap);
        }
        // Block-compressed texture formats the adapter samples: KTX2 / Basis Universal textures
        // are transcoded to one of them (`block_format`) instead of to RGBA8.
        let compression = BLOCK_FORMATS
            .iter()
            .fold(wgpu::Features::empty(), |f, (_, feature)| f | *feature)
            & adapter.features();
        // Timestamp queries, where there are: per-pass GPU times when asked for
        // (`Renderer::set_pass_timing`).
        let timing = wgpu::Features::TIMESTAMP_QUERY & adapter.features();
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("disan"),
                required_features: compression | timing,
                required_limits,
                ..Default::default()
            })
            .await
            .map_err(|e| RenderError::Device(e.to_string()))?;
        log::info!("GPU: {:?}", adapter.get_info());
        Ok(GpuContext {
            instance,
            adapter,
            device,
            queue,
            side_cap: max_side.map(|c| c.max(2048)),
        })
    }

    /// Headless context (native): renders to textures only.
    /// Tries Vulkan/Metal/DX12 first and OpenGL only when none of those has an adapter.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn headless() -> Result<Self, RenderError> {
        let primary = if std::env::var_os("WGPU_BACKEND").is_some() {
            None
        } else {
            Some(wgpu::Backends::PRIMARY)
        };
        match pollster::block_on(Self::new(Self::instance(primary), None)) {
            Ok(ctx) => Ok(ctx),
            Err(_) if primary.is_some() => {
                pollster::block_on(Self::new(Self::instance(Some(wgpu::Backends::GL)), None))
            }
            Err(e) => Err(e),
        }
    }

    /// The block-compressed format KTX2 textures are transcoded to on this device: BC7 where it
    /// samples BC (desktops), else ASTC 4×4, else ETC2; `None` (RGBA8) when it samples none.
    pub fn block_format(&self) -> Option<BlockFormat> {
        let f = self.device.features();
        BLOCK_FORMATS
            .iter()
            .find(|(_, feature)| f.contains(*feature))
            .map(|(format, _)| *format)
    }

    /// Largest texture side this device accepts.
    pub fn max_texture_side(&self) -> u32 {
        let side = self.device.limits().max_texture_dimension_2d;
        self.side_cap.map_or(side, |c| side.min(c))
    }
}
