//! `disan-demo`: writes the demo tour (run by `cargo xtask demo-assets`, which is
//! `cargo run -p disan-demo --release`).

use anyhow::Context;
use clap::Parser;
use std::path::PathBuf;

/// Generate the demo tour: panoramas, the bronze drum, tour.json, catalog.json and the demo's
/// section of LICENSES.md (next to the output folder).
#[derive(Parser)]
#[command(name = "disan-demo")]
struct Cli {
    /// Output folder [default: assets/demo of the workspace].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Panorama width in pixels, even, at least 64 (smaller for quick previews) [default:
    /// $DISAN_DEMO_WIDTH, else 4096].
    #[arg(long)]
    width: Option<usize>,
    /// Only write tour.json and catalog.json (no rendering; LICENSES.md is left alone).
    #[arg(long)]
    json_only: bool,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let out = cli
        .out
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo"));
    let width = match (cli.width, std::env::var("DISAN_DEMO_WIDTH")) {
        (Some(w), _) => w,
        (None, Ok(s)) => s
            .parse()
            .with_context(|| format!("DISAN_DEMO_WIDTH={s} is not a number"))?,
        (None, Err(_)) => disan_demo::DEFAULT_WIDTH,
    };
    if cli.json_only {
        disan_demo::write_json(&out)
    } else {
        disan_demo::run(&out, width)
    }
    .with_context(|| format!("generating the demo tour into {}", out.display()))
}
