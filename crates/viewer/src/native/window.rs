//! The native window (placeholder while being written).
use anyhow::Result;
use std::path::PathBuf;
/// Opens the viewer window.
pub fn run(_path: Option<PathBuf>, _fullscreen: bool, _lang: Option<String>) -> Result<()> {
    anyhow::bail!("window not yet")
}
