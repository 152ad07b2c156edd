//! The empty scene: a plain dark neutral background and nothing else, shown (with the usual
//! cross-fade) when a scene's asset failed to load; the shell draws the error message over it.

use super::{Content, DrawContext, SceneContent, ScenePass};

/// Background of the empty scene (linear).
pub(crate) const BACKGROUND: wgpu::Color = wgpu::Color {
    r: 0.02,
    g: 0.02,
    b: 0.02,
    a: 1.0,
};

/// The empty scene.
pub(crate) struct EmptyContent;

impl Content for EmptyContent {
    fn gpu_bytes(&self) -> u64 {
        0
    }

    fn kind(&self) -> SceneContent {
        SceneContent::Empty
    }

    fn scene_pass(&self) -> ScenePass {
        ScenePass {
            clear: BACKGROUND,
            depth: false,
        }
    }

    fn draw(&self, _pass: &mut wgpu::RenderPass<'_>, _cx: &mut DrawContext<'_>) {}
}
