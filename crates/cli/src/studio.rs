//! `disan studio`: starts the tour editor's server on 127.0.0.1 and opens its address (with the
//! session's secret) in the default browser, or prints it (`--no-open`).

use anyhow::{Context as _, Result};
use disan_studio::{Options, Studio};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The built web page: `--web`, else $DISAN_DIST, else the dist/ of the checkout this binary was
/// built from, else ./dist.
fn web_dir(web: Option<PathBuf>) -> PathBuf {
    if let Some(w) = web.or_else(|| std::env::var_os("DISAN_DIST").map(PathBuf::from)) {
        return w;
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist");
    if built.join("studio.html").is_file() {
        return built;
    }
    PathBuf::from("dist")
}

pub(crate) fn studio(folder: &Path, no_open: bool, port: u16, web: Option<PathBuf>) -> Result<()> {
    let studio = Studio::start(&Options {
        folder: folder.to_path_buf(),
        web: web_dir(web),
        port,
    })
    .with_context(|| format!("cannot open the studio on {}", folder.display()))?;
    let url = studio.url();
    // Whoever started it may stop reading (a closed pipe): the studio goes on serving.
    let mut out = std::io::stdout();
    let _ = writeln!(out, "Disan studio: {}", studio.folder().display());
    let _ = writeln!(out, "{url}");
    let _ = writeln!(
        out,
        "(this address is for you alone: it carries this session's secret; Ctrl+C stops)"
    );
    if !no_open {
        if let Err(e) = open_browser(&url) {
            let _ = writeln!(
                out,
                "could not open a browser ({e}): open the address above"
            );
        }
    }
    let _ = out.flush();
    studio.run();
    Ok(())
}

/// Opens `url` in the default browser.
fn open_browser(url: &str) -> std::io::Result<()> {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}
