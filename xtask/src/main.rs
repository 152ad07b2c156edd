//! `cargo xtask`: project tasks — generate the demo assets, build and serve the web package,
//! benchmarks, conformance against the Khronos reference renders.
//!
//! xtask itself stays light (no renderer, no window system): the demo generator is the
//! `disan-demo` binary (crates/demo/) and the conformance report the `disan-conformance` binary
//! (tests/conformance/), both run as subprocesses.

mod bench;
mod big;
mod prereq;
mod size;
mod stamp;
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
    /// Regenerate the demo tour in assets/demo (panoramas, bronze drum, tour.json, catalog.json):
    /// `cargo run -p disan-demo --release`.
    DemoAssets {
        /// Only tour.json and catalog.json (no rendering).
        #[arg(long)]
        json_only: bool,
    },
    /// Build the wasm package and the demo into dist/ (steps whose inputs are unchanged are
    /// skipped: their results are kept in target/web-cache/).
    Web {
        /// Debug build (faster to compile, larger).
        #[arg(long)]
        debug: bool,
    },
    /// Where the bytes of each wasm package go, by crate (from the names kept by the last
    /// `cargo xtask web` in target/wasm-size/).
    Size {
        /// Also list the N largest functions of each module (demangled, gzip-estimated).
        #[arg(long, default_value_t = 0)]
        top: usize,
    },
    /// Serve dist/ on 127.0.0.1:8080.
    Serve {
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Print benchmark figures: native first frames, browser ready/fps, bundle sizes, the tiler
    /// against Pannellum's generate.py (16K; 32K with DISAN_BENCH_BIG=1), a tiled 16K panorama's
    /// first frame and full sharpness natively and in Chromium against Pannellum.
    /// The shared peer-bench harness runs on dist/ with the peers in the same run (peers section).
    /// DISAN_BENCH_ONLY / DISAN_BENCH_SKIP = native,browser,peers,sizes,tiler,tiled pick sections.
    Bench,
    /// Render every corpus model with its Render-Fidelity camera, score it against the reference
    /// renders (masked SSIM) and write docs/conformance.md and docs/conformance/<Model>.png:
    /// `cargo run -p disan-conformance --release`.
    Conformance {
        /// Also write our render and the composited references side by side into this folder.
        #[arg(long)]
        side_by_side: Option<PathBuf>,
        /// Only these models (prints the table; docs/ is left alone).
        #[arg(long = "model")]
        models: Vec<String>,
    },
    /// Generate a 16384×8192 and a 32768×16384 panorama, tile, validate and render them
    /// (into dist/big/, for the browser tests).
    BigPanos,
    /// Run every test: Rust unit, golden and CLI tests, then build the web package and run the browser tests.
    /// Checks the prerequisites first and lists every missing one with the command that installs
    /// it (DISAN_SKIP_PREREQ=1 skips the check).
    Test,
}

/// The workspace root (the parent of xtask/).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::DemoAssets { json_only } => {
            let mut cmd = std::process::Command::new(env!("CARGO"));
            cmd.args(["run", "--release", "-p", "disan-demo", "--", "--out"])
                .arg(root().join("assets/demo"));
            if json_only {
                cmd.arg("--json-only");
            }
            run_cmd(&mut cmd)
        }
        Cmd::Web { debug } => web::build(debug),
        Cmd::Serve { port } => web::serve(port),
        Cmd::Size { top } => {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| root().join("target"));
            size::print(&target.join("wasm-size"), top)
        }
        Cmd::Bench => bench::run(),
        Cmd::Conformance {
            side_by_side,
            models,
        } => conformance(side_by_side, models),
        Cmd::BigPanos => big::run(&web::disan_binary(&root())?),
        Cmd::Test => test(),
    }
}

/// Runs a command in the workspace root, failing with its name when it fails.
pub fn run_cmd(cmd: &mut std::process::Command) -> anyhow::Result<()> {
    let shown = format!("{cmd:?}");
    eprintln!("$ {shown}");
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(root());
    }
    let status = cmd
        .status()
        .map_err(|e| anyhow::anyhow!("cannot run {shown}: {e}"))?;
    if !status.success() {
        anyhow::bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// `cargo xtask conformance`: `cargo run -p disan-conformance --release` with the same options.
fn conformance(side_by_side: Option<PathBuf>, models: Vec<String>) -> anyhow::Result<()> {
    let mut cmd = std::process::Command::new(env!("CARGO"));
    cmd.args(["run", "--release", "-p", "disan-conformance", "--"]);
    if let Some(dir) = side_by_side {
        // Relative to where xtask was started, not the workspace root the command runs in.
        cmd.arg("--side-by-side").arg(std::path::absolute(dir)?);
    }
    for m in models {
        cmd.arg("--model").arg(m);
    }
    run_cmd(&mut cmd)
}

fn test() -> anyhow::Result<()> {
    use std::process::Command;
    // Before anything is compiled: every missing tool at once, with how to install it.
    prereq::check()?;
    let web = root().join("web");
    // playwright-core for the browser tests, binaryen's wasm-opt and esbuild for the build, three
    // for Binomial's Basis Universal transcoder (the KTX2 interoperability test), typescript for
    // the check of the page's commands.
    if !web.join("node_modules/playwright-core").exists()
        || !web.join("node_modules/binaryen").exists()
        || !web.join("node_modules/esbuild").exists()
        || !web.join("node_modules/three").exists()
        || !web.join("node_modules/typescript").exists()
    {
        run_cmd(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&web),
        )?;
    }
    // The page's contract with the engine: web/protocol.js against web/protocol.d.ts (generated
    // from the Rust commands; the unit test `typescript` in disan-tour checks it is up to date).
    run_cmd(
        Command::new("npx")
            .args(["--no-install", "tsc", "-p", "."])
            .current_dir(&web),
    )?;
    run_cmd(Command::new(env!("CARGO")).args(["test", "--workspace", "--all-targets"]))?;
    // One decoder module alone (the web builds one a codec): what it leaves for the next.
    run_cmd(Command::new(env!("CARGO")).args([
        "test",
        "-p",
        "disan-decoders",
        "--no-default-features",
        "--features",
        "draco",
        "--lib",
    ]))?;
    // The glTF loader's fuzz target, for a bounded time (installs cargo-fuzz if missing).
    run_cmd(Command::new("bash").args(["scripts/fuzz.sh", "60"]))?;
    web::build(false)?;
    big::run(&web::disan_binary(&root())?)?;
    run_cmd(Command::new("npm").args(["test"]).current_dir(&web))?;
    Ok(())
}
