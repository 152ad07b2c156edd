//! Web build (placeholder).
pub fn build(_debug: bool) -> anyhow::Result<()> { anyhow::bail!("not yet") }
pub fn serve(_port: u16) -> anyhow::Result<()> { anyhow::bail!("not yet") }
