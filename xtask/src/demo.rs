//! Demo tour generator (placeholder).
pub fn run(_out: &std::path::Path) -> anyhow::Result<()> { anyhow::bail!("not yet") }
