//! `cargo xtask`: project tasks — generate the demo assets, build and serve the web package, benchmarks.

mod bench;
mod demo;
mod web;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "xtask", about = "Disan project tasks")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Regenerate the demo tour in assets/demo (panoramas, bronze drum, tour.json, catalog.json).
    DemoAssets,
    /// Build the wasm package and the demo into dist/.
    Web {
        /// Debug build (faster to compile, larger).
        #[arg(long)]
        debug: bool,
    },
    /// Serve dist/ on 127.0.0.1:8080.
    Serve {
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Print benchmark figures (native first frames, browser ready/fps, bundle sizes).
    Bench,
}

/// The workspace root (the parent of xtask/).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::DemoAssets => demo::run(&root().join("assets/demo")),
        Cmd::Web { debug } => web::build(debug),
        Cmd::Serve { port } => web::serve(port),
        Cmd::Bench => bench::run(),
    }
}
