//! What the tiler and tiled-viewer sections of `cargo xtask bench` share: large equirectangular
//! JPEGs generated on the fly (never committed), the release `disan` binary, the tiles `disan
//! tile` wrote, and a child process's wall time, CPU time and peak resident set.
//!
//! The panoramas are a cheap procedural pattern (colour bands by longitude and latitude, a 15°
//! grid, a checkerboard and a little noise, so that the JPEG is not trivially small) encoded by
//! the `image` crate's JPEG encoder from a [`GenericImageView`] that computes each pixel when the
//! encoder asks for it: no pixel buffer is ever allocated, so a 32768×16384 input costs a few
//! MB of memory to write.

use super::TempDir;
use anyhow::{bail, Context, Result};
use image::{GenericImageView, Rgb};
use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// JPEG quality of the generated panoramas.
const QUALITY: u8 = 90;

/// The generated panoramas and their tiles, in one temporary folder removed at the end of the run.
pub struct Inputs {
    tmp: TempDir,
    disan: OnceCell<PathBuf>,
    /// width → the generated JPEG.
    images: RefCell<BTreeMap<u32, PathBuf>>,
    /// width → the folder `disan tile` wrote (with its one-scene tour.json).
    tiled: RefCell<BTreeMap<u32, PathBuf>>,
}

impl Inputs {
    pub fn new() -> Result<Inputs> {
        let dir = std::env::temp_dir().join(format!("disan-bench-big-{}", std::process::id()));
        Ok(Inputs {
            tmp: TempDir::create(dir)?,
            disan: OnceCell::new(),
            images: RefCell::default(),
            tiled: RefCell::default(),
        })
    }

    /// The temporary folder.
    pub fn dir(&self) -> &Path {
        &self.tmp.0
    }

    /// The release `disan` binary (`cargo build --release -p disan-cli --bin disan`, once).
    pub fn disan(&self) -> Result<PathBuf> {
        if let Some(exe) = self.disan.get() {
            return Ok(exe.clone());
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        crate::run_cmd(Command::new(cargo).args([
            "build",
            "--release",
            "-p",
            "disan-cli",
            "--bin",
            "disan",
        ]))?;
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| crate::root().join("target"));
        let exe = target
            .join("release")
            .join(format!("disan{}", std::env::consts::EXE_SUFFIX));
        if !exe.is_file() {
            bail!("{} is missing after the build", exe.display());
        }
        Ok(self.disan.get_or_init(|| exe).clone())
    }

    /// A `width`×`width/2` equirectangular JPEG, generated the first time it is asked for.
    pub fn image(&self, width: u32) -> Result<PathBuf> {
        if let Some(p) = self.images.borrow().get(&width) {
            return Ok(p.clone());
        }
        let path = self.dir().join(format!("pano-{width}.jpg"));
        let height = width / 2;
        eprintln!("== generating a {width}×{height} JPEG (quality {QUALITY}) for the tiler bench");
        let start = Instant::now();
        write_pattern_jpeg(&path, width, height)?;
        eprintln!(
            "   {} in {:.1} s",
            super::size(std::fs::metadata(&path)?.len()),
            start.elapsed().as_secs_f64()
        );
        self.images.borrow_mut().insert(width, path.clone());
        Ok(path)
    }

    /// Records that `dir` holds `disan tile`'s output (with its tour.json) for the `width` image.
    pub fn set_tiled(&self, width: u32, dir: PathBuf) {
        self.tiled.borrow_mut().insert(width, dir);
    }

    /// The folder `disan tile` wrote for the `width` image (tiling it now if no section has).
    pub fn tiled(&self, width: u32) -> Result<PathBuf> {
        if let Some(p) = self.tiled.borrow().get(&width) {
            return Ok(p.clone());
        }
        let image = self.image(width)?;
        let out = self.dir().join(format!("disan-{width}"));
        let run = measure(
            Command::new(self.disan()?)
                .arg("tile")
                .arg(&image)
                .arg("--out")
                .arg(&out),
            &self.dir().join(format!("disan-tile-{width}.log")),
        )?;
        run.check("disan tile")?;
        self.set_tiled(width, out.clone());
        Ok(out)
    }
}

/// The procedural panorama: a pixel is computed when the encoder reads it.
struct Pattern {
    width: u32,
    height: u32,
    /// Colour by column (longitude) and by row (latitude).
    cols: Vec<[u8; 3]>,
    rows: Vec<[u8; 3]>,
    /// A grid line every `grid` pixels (15°).
    grid: u32,
}

impl Pattern {
    fn new(width: u32, height: u32) -> Pattern {
        use std::f64::consts::TAU;
        let wave = |t: f64, phase: f64| (127.5 + 110.0 * (t * TAU + phase).sin()) as u8;
        let cols = (0..width)
            .map(|x| {
                let t = x as f64 / width as f64;
                [wave(t, 0.0), wave(2.0 * t, 2.0), wave(3.0 * t, 4.0)]
            })
            .collect();
        let rows = (0..height)
            .map(|y| {
                let t = y as f64 / height as f64;
                // Sky above, ground below.
                let sky = (1.0 - t) * (1.0 - t);
                [
                    (60.0 + 120.0 * t) as u8,
                    (90.0 + 80.0 * sky) as u8,
                    (70.0 + 180.0 * sky) as u8,
                ]
            })
            .collect();
        Pattern {
            width,
            height,
            cols,
            rows,
            grid: (width / 24).max(1),
        }
    }
}

impl GenericImageView for Pattern {
    type Pixel = Rgb<u8>;

    fn dimensions(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn get_pixel(&self, x: u32, y: u32) -> Rgb<u8> {
        let (c, r) = (self.cols[x as usize], self.rows[y as usize]);
        if x % self.grid < 3 || y % self.grid < 3 {
            return Rgb([20, 20, 20]);
        }
        let checker = if ((x >> 8) ^ (y >> 8)) & 1 == 0 {
            12
        } else {
            0
        };
        // A little hash noise (±7), for a JPEG of a realistic size (about 2 bits a pixel).
        let mut h = x.wrapping_mul(0x9E37_79B1) ^ y.wrapping_mul(0x85EB_CA77);
        h ^= h >> 15;
        h = h.wrapping_mul(0x2C1B_3C6D);
        h ^= h >> 12;
        let noise = (h & 15) as i32 - 7;
        let px = |i: usize| ((c[i] as i32 + r[i] as i32) / 2 + checker + noise).clamp(0, 255) as u8;
        Rgb([px(0), px(1), px(2)])
    }
}

/// Writes the procedural panorama as a baseline JPEG, streaming (no pixel buffer).
fn write_pattern_jpeg(path: &Path, width: u32, height: u32) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(&Pattern::new(width, height))
        .with_context(|| format!("encoding {}", path.display()))?;
    std::io::Write::flush(&mut out)?;
    Ok(())
}

/// A finished child process.
pub struct Measured {
    pub status: ExitStatus,
    pub wall: Duration,
    /// User + system CPU time of the process and the children it waited for.
    pub cpu: Option<Duration>,
    /// Largest resident set of the process or of any descendant it waited for (what GNU
    /// `time -v` reports as "Maximum resident set size").
    pub peak_rss: Option<u64>,
    /// Its stdout and stderr.
    pub log: PathBuf,
}

impl Measured {
    /// Fails with the end of its log when the process failed.
    pub fn check(&self, what: &str) -> Result<()> {
        if !self.status.success() {
            bail!("{what} failed ({}):\n{}", self.status, self.log_tail(20));
        }
        Ok(())
    }

    /// The last `lines` lines of its output.
    pub fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

/// Runs `cmd` with stdout and stderr into `log`, timing it and reading its peak RSS.
pub fn measure(cmd: &mut Command, log: &Path) -> Result<Measured> {
    let out = std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
    cmd.stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .env("RUST_LOG", "warn");
    eprintln!("$ {cmd:?}");
    let start = Instant::now();
    let child = cmd.spawn().with_context(|| format!("starting {cmd:?}"))?;
    let (status, cpu, peak_rss) = wait_with_rusage(child)?;
    Ok(Measured {
        status,
        wall: start.elapsed(),
        cpu,
        peak_rss,
        log: log.to_path_buf(),
    })
}

/// Waits for `child` with `wait4`, which also returns its resource usage.
#[cfg(unix)]
fn wait_with_rusage(
    child: std::process::Child,
) -> Result<(ExitStatus, Option<Duration>, Option<u64>)> {
    use std::os::unix::process::ExitStatusExt;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data, and all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet waited for (`child` is never waited on: std
        // does not reap a dropped Child); the pointers are to live locals.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err).context("wait4");
        }
    }
    drop(child);
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    // Kilobytes on Linux and the BSDs, bytes on macOS.
    let unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    Ok((
        ExitStatus::from_raw(status),
        Some(tv(usage.ru_utime) + tv(usage.ru_stime)),
        Some(usage.ru_maxrss as u64 * unit),
    ))
}

#[cfg(not(unix))]
fn wait_with_rusage(
    mut child: std::process::Child,
) -> Result<(ExitStatus, Option<Duration>, Option<u64>)> {
    Ok((child.wait()?, None, None))
}

/// Number of files and their total size under `dir`.
pub fn dir_size(dir: &Path) -> Result<(usize, u64)> {
    let files = crate::web::files_under(dir)?;
    let mut bytes = 0;
    for f in &files {
        bytes += std::fs::metadata(dir.join(f))?.len();
    }
    Ok((files.len(), bytes))
}

/// The first `name` in `$PATH` that is a file.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Whether the environment variable `name` is set to something other than "", "0", "false" or "no".
pub fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false" | "no"))
}
