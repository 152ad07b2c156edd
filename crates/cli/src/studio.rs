//! `disan studio`: starts the tour editor's server on 127.0.0.1 and opens its address (with the
//! session's secret) in the default browser, or prints it (`--no-open`).

use anyhow::{Context as _, Result};
use disan_studio::{Options, Prepare, Studio};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The built web page: `--web`, else $DISAN_DIST, else the dist/ of the checkout this binary was
/// built from, else ./dist.
pub(crate) fn web_dir(web: Option<PathBuf>) -> PathBuf {
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
        prepare: Some(std::sync::Arc::new(Tools)),
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

/// A model file larger than this is cut into derivatives when added (`disan optimize`): the
/// phones' budget for one model is a few tens of megabytes of GPU memory.
const MODEL_BUDGET_BYTES: u64 = 16 << 20;

/// What `disan` does to a file added in the studio before it is shown: the tiler, the optimizer
/// and the scan importer of `disan tile`, `disan optimize` and `disan import`.
struct Tools;

impl Prepare for Tools {
    fn needs(&self, folder: &Path, file: &str) -> Option<&'static str> {
        let ext = file.rsplit_once('.')?.1.to_ascii_lowercase();
        let dir = disan_files::Folder::new(folder).ok()?;
        match ext.as_str() {
            "jpg" | "jpeg" | "png" | "webp" => {
                let bytes = dir.read(file, disan_files::FileKind::SourcePanorama).ok()?;
                let (w, h) = disan_tiler::image_size(&bytes).ok()?;
                let side = disan_assets::check::PHONE_SIDE;
                (w > side || h > side).then_some("tile")
            }
            "glb" | "gltf" => {
                let size = std::fs::symlink_metadata(folder.join(file)).ok()?.len();
                (size > MODEL_BUDGET_BYTES).then_some("optimize")
            }
            "obj" | "ply" => Some("import"),
            _ => None,
        }
    }

    /// Runs `disan tile`, `disan optimize` or `disan import` as a process of its own: what it
    /// prints is kept for its error (the studio's own output may be closed), and a file that
    /// crashes a decoder cannot take the studio down.
    fn run(&self, folder: &Path, file: &str, out: &str) -> Result<(), String> {
        let (input, out) = (folder.join(file), folder.join(out));
        let command: &[&str] = match self.needs(folder, file) {
            Some("tile") => &["tile"],
            Some("optimize") => &["optimize"],
            Some("import") => &["import"],
            _ => return Err("needs no preparing".into()),
        };
        disan(command, &input, &out, &[])
    }

    fn thumbnail(&self, folder: &Path, file: &str, out: &str) -> Result<(), String> {
        // The size `disan thumbnails` renders.
        disan(
            &["render"],
            &folder.join(file),
            &folder.join(out),
            &["--width", "320", "--height", "180"],
        )
    }
}

/// Runs `disan COMMAND INPUT --out OUT EXTRA…`; its last line of error when it fails.
pub(crate) fn disan(
    command: &[&str],
    input: &Path,
    out: &Path,
    extra: &[&str],
) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find disan: {e}"))?;
    let done = std::process::Command::new(exe)
        .args(command)
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run disan {}: {e}", command[0]))?;
    if done.status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&done.stderr);
    Err(said
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("failed")
        .trim_start_matches("Error: ")
        .to_string())
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
