//! The `disan` command: view a tour or a model in a window, render a scene to PNG, validate a tour.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    native_main::run()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native_main {
    use anyhow::{anyhow, Result};
    use clap::{Parser, Subcommand};
    use disan_render::GpuContext;
    use disan_tour::model::View;
    use disan_viewer::native::files::FileKind;
    use disan_viewer::native::{self, RenderOptions, TourSource};
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    #[derive(Parser)]
    #[command(
        name = "disan",
        version,
        about = "Disan: 3D and 360° virtual tours of heritage sites"
    )]
    struct Cli {
        #[command(subcommand)]
        cmd: Option<Cmd>,
    }

    #[derive(Subcommand)]
    enum Cmd {
        /// Open a tour (folder or tour.json) or a single glTF/GLB model in a window.
        View {
            /// Tour folder, tour.json or model; the demo tour when absent.
            path: Option<PathBuf>,
            /// Start full-screen (kiosks).
            #[arg(long)]
            fullscreen: bool,
            /// Interface language (vi, en).
            #[arg(long)]
            lang: Option<String>,
        },
        /// Render one scene headless to a PNG.
        Render {
            /// Tour folder, tour.json or model.
            path: PathBuf,
            /// Scene id (the start scene when absent).
            #[arg(long)]
            scene: Option<String>,
            /// Panorama yaw in degrees.
            #[arg(long, allow_hyphen_values = true)]
            yaw: Option<f32>,
            /// Panorama pitch in degrees.
            #[arg(long, allow_hyphen_values = true)]
            pitch: Option<f32>,
            /// Panorama vertical field of view in degrees.
            #[arg(long)]
            fov: Option<f32>,
            /// Object orbit: yaw,pitch[,distance] in degrees and model units.
            #[arg(long, allow_hyphen_values = true)]
            orbit: Option<String>,
            #[arg(long, default_value_t = 1280)]
            width: u32,
            #[arg(long, default_value_t = 720)]
            height: u32,
            /// Output PNG.
            #[arg(long, short)]
            out: PathBuf,
            /// Leave the hotspot markers out (the web draws them as page buttons, not on the canvas).
            #[arg(long)]
            no_markers: bool,
        },
        /// Check a tour (or a model) and print every problem; exit code 0 only when valid.
        Validate {
            /// Tour folder, tour.json or model.
            path: PathBuf,
        },
        /// Convert a Pannellum, Marzipano or krpano tour into a Disan tour folder.
        Import {
            /// pannellum (config.json), marzipano (data.js) or krpano (tour.xml).
            source: disan_import::Source,
            /// The tour file; the images it names are read relative to its folder.
            input: PathBuf,
            /// Output folder (created): tour.json and the copied images and tiles.
            #[arg(long, short)]
            out: PathBuf,
        },
        /// Cut an equirectangular panorama into Pannellum's multiresolution cube tiles.
        Tile {
            /// Full 360°×180° equirectangular image (JPEG, PNG or TIFF, 2:1, at most 0.5 gigapixel).
            image: PathBuf,
            /// Output folder (created): tiles, fallback faces, preview.jpg and config.json.
            #[arg(long, short)]
            out: PathBuf,
            /// Tile side in pixels.
            #[arg(long, default_value_t = 512)]
            tile_size: u32,
            /// JPEG quality (1-100).
            #[arg(long, default_value_t = 85)]
            quality: u8,
        },
    }

    /// `disan import`: converts another viewer's tour into a Disan tour folder and reports what
    /// it copied, what is missing and every value that has no Disan meaning.
    fn import(source: disan_import::Source, input: &Path, out: &Path) -> Result<()> {
        let done = disan_import::import(source, input, out).map_err(|e| anyhow!("{e}"))?;
        for n in &done.notes {
            println!("note: {n}");
        }
        for m in &done.missing {
            println!("missing: {m}");
        }
        println!(
            "wrote {} ({} scenes from {}, {} files copied, {} missing); check it with: disan validate {}",
            done.tour_json.display(),
            done.scenes,
            source.name(),
            done.copied,
            done.missing.len(),
            out.display()
        );
        Ok(())
    }

    /// Largest input `disan tile` reads.
    const TILE_INPUT_MAX: u64 = 1 << 30;

    /// `disan tile`: reads the image, writes the pyramid under `out` with a progress bar.
    fn tile(image: &Path, out: &Path, opts: disan_tiler::TileOptions) -> Result<()> {
        use std::io::Read;
        let fail = |e: &dyn std::fmt::Display| anyhow!("{}: {e}", image.display());
        opts.validate().map_err(|e| anyhow!("{e}"))?;
        let meta = std::fs::metadata(image).map_err(|e| fail(&e))?;
        if !meta.is_file() {
            return Err(fail(&"not a regular file"));
        }
        if meta.len() > TILE_INPUT_MAX {
            return Err(fail(&format_args!(
                "the file is {} MiB: at most {} MiB is read",
                meta.len() >> 20,
                TILE_INPUT_MAX >> 20
            )));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(image)
            .and_then(|f| f.take(TILE_INPUT_MAX + 1).read_to_end(&mut bytes))
            .map_err(|e| fail(&e))?;
        if bytes.len() as u64 > TILE_INPUT_MAX {
            return Err(fail(&"the file grew past 1024 MiB while being read"));
        }
        let started = std::time::Instant::now();
        let file_len = bytes.len() as u64;
        let pano = disan_tiler::Panorama::decode(&bytes).map_err(|e| fail(&e))?;
        drop(bytes);
        let (w, h) = (pano.width(), pano.height());
        let layout = pano.layout(&opts);
        let bar = indicatif::ProgressBar::new(layout.file_count());
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{wide_bar} {pos}/{len} files, {elapsed}")
        {
            bar.set_style(style);
        }
        let mut dirs = std::collections::BTreeSet::new();
        let mut written = 0u64;
        let result = pano.tile(
            &opts,
            |rel, data| -> std::io::Result<()> {
                let path = out.join(rel);
                if let Some(dir) = path.parent() {
                    if dirs.insert(dir.to_path_buf()) {
                        std::fs::create_dir_all(dir)?;
                    }
                }
                written += data.len() as u64;
                std::fs::write(&path, data)
            },
            |done, _| bar.set_position(done),
        );
        bar.finish_and_clear();
        let layout = result.map_err(|e| fail(&e))?;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "wrote {} files ({:.1} MB) to {}: {} levels of {}-pixel tiles, cube faces {} pixels, \
             fallback faces, preview.jpg, config.json (Pannellum multires)",
            layout.file_count(),
            written as f64 / 1e6,
            out.display(),
            layout.max_level,
            layout.tile_size,
            layout.cube_resolution
        );
        println!(
            "{w}×{h} in {secs:.1} s ({:.1} MP/s); peak memory at most about {} MiB \
             (the {} MiB file, held while decoding, plus the tiler's bound)",
            (w as f64 * h as f64) / 1e6 / secs.max(1e-9),
            (file_len + disan_tiler::peak_memory_bound(w, h, layout.tile_size)) >> 20,
            file_len >> 20
        );
        Ok(())
    }

    fn is_model(p: &Path) -> bool {
        matches!(
            p.extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("gltf" | "glb")
        )
    }

    fn parse_orbit(s: &str) -> Result<View> {
        let parts: Vec<f32> = s
            .split(',')
            .map(|p| {
                p.trim()
                    .parse::<f32>()
                    .map_err(|_| anyhow!("--orbit expects yaw,pitch[,distance], got \"{s}\""))
            })
            .collect::<Result<_>>()?;
        match parts.as_slice() {
            [y, p] => Ok(View {
                yaw: *y,
                pitch: *p,
                fov: None,
                distance: None,
            }),
            [y, p, d] => Ok(View {
                yaw: *y,
                pitch: *p,
                fov: None,
                distance: Some(*d),
            }),
            _ => Err(anyhow!("--orbit expects yaw,pitch[,distance], got \"{s}\"")),
        }
    }

    /// Refuses view angles the renderer cannot use (NaN, infinities, out-of-range values).
    fn check_view(v: &View) -> Result<()> {
        if !v.yaw.is_finite() {
            return Err(anyhow!(
                "yaw must be a finite number of degrees (got {})",
                v.yaw
            ));
        }
        if !(v.pitch.is_finite() && (-90.0..=90.0).contains(&v.pitch)) {
            return Err(anyhow!("pitch {} is outside -90..90 degrees", v.pitch));
        }
        if let Some(f) = v.fov {
            if !(f.is_finite() && f > 0.0 && f < 180.0) {
                return Err(anyhow!("--fov {f} is outside 0..180 degrees"));
            }
        }
        if let Some(d) = v.distance {
            if !(d.is_finite() && d > 0.0) {
                return Err(anyhow!("orbit distance must be positive (got {d})"));
            }
        }
        Ok(())
    }

    /// Refuses an output the device cannot hold, before anything is created for it: a side over
    /// its texture limit, or a read-back buffer over its buffer limit.
    fn check_render_size(ctx: &GpuContext, width: u32, height: u32) -> Result<()> {
        let side = ctx.max_texture_side();
        if width > side || height > side {
            return Err(anyhow!(
                "{width}×{height} is too large: this GPU renders at most {side} pixels a side"
            ));
        }
        let row = (width as u64 * 4).div_ceil(256) * 256;
        let max = ctx.device.limits().max_buffer_size;
        if row * height as u64 > max {
            return Err(anyhow!(
                "{width}×{height} is too large: its {} MB image exceeds this GPU's {} MB buffer limit",
                (row * height as u64).div_ceil(1 << 20),
                max >> 20
            ));
        }
        Ok(())
    }

    fn open(path: &Path) -> Result<(TourSource, disan_tour::Tour)> {
        if is_model(path) {
            native::single_model_tour(path)
        } else {
            let src = TourSource::locate(path);
            let tour = native::load_tour(&src)?;
            Ok((src, tour))
        }
    }

    fn validate(path: &Path) -> Result<bool> {
        if is_model(path) {
            // A lone model: it and the files it names are read inside its own folder.
            let (src, _) = native::single_model_tour(path)?;
            let name = src.file_name();
            let bytes = src
                .read_tour_file(FileKind::Model)
                .map_err(|e| anyhow!("{}: {}", path.display(), e.reason()))?;
            let read = |u: &str| match disan_assets::path::join(&name, u) {
                Ok(p) => src
                    .read_kind(&p, FileKind::guess(&p))
                    .map_err(|e| e.reason()),
                Err(e) => Err(format!("refused path: {e}")),
            };
            return match disan_assets::model::load_and_decode(&bytes, &name, &read) {
                Ok(_) => {
                    println!("{}: valid", path.display());
                    Ok(true)
                }
                Err(e) => {
                    println!("{e}");
                    Ok(false)
                }
            };
        }
        let src = TourSource::locate(path);
        let name = src.file_name();
        // Every read goes through the tour folder's checks; the tour and catalog as JSON.
        let read = |rel: &str| {
            let kind = if rel == name {
                FileKind::Json
            } else {
                FileKind::guess(rel)
            };
            src.read_kind(rel, kind).map_err(|e| e.reason())
        };
        let (_, report) = disan_assets::check_tour(&name, &read);
        for n in &report.notes {
            println!("note: {n}");
        }
        if report.is_ok() {
            println!("{}: valid", src.file.display());
            Ok(true)
        } else {
            for p in &report.problems {
                println!("{p}");
            }
            println!(
                "{} problem(s) in {}",
                report.problems.len(),
                src.file.display()
            );
            Ok(false)
        }
    }

    /// Headless commands need no display. Mesa's implicit Vulkan layer `VK_LAYER_MESA_device_select`
    /// connects to Wayland to find the display's GPU (wgpu enables the Wayland surface
    /// extension), and libwayland prints `error: XDG_RUNTIME_DIR is invalid or not set…` on a
    /// machine without a session. Disabling the layer (its documented `NODEVICE_SELECT=1`)
    /// keeps a successful `disan render` silent; wgpu still picks the adapter itself. A user who
    /// chooses a device through the layer (`MESA_VK_DEVICE_SELECT`) keeps it. Called at start-up,
    /// before any thread exists.
    fn quiet_headless_vulkan() {
        if std::env::var_os("MESA_VK_DEVICE_SELECT").is_none()
            && std::env::var_os("NODEVICE_SELECT").is_none()
        {
            std::env::set_var("NODEVICE_SELECT", "1");
        }
    }

    pub fn run() -> ExitCode {
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
        let cli = Cli::parse();
        if matches!(cli.cmd, Some(Cmd::Render { .. } | Cmd::Validate { .. })) {
            quiet_headless_vulkan();
        }
        let result = match cli.cmd {
            None => native::window::run(None, false, None),
            Some(Cmd::View {
                path,
                fullscreen,
                lang,
            }) => native::window::run(path, fullscreen, lang),
            Some(Cmd::Validate { path }) => match validate(&path) {
                Ok(true) => return ExitCode::SUCCESS,
                Ok(false) => return ExitCode::from(1),
                Err(e) => Err(e),
            },
            Some(Cmd::Import { source, input, out }) => import(source, &input, &out),
            Some(Cmd::Tile {
                image,
                out,
                tile_size,
                quality,
            }) => tile(
                &image,
                &out,
                disan_tiler::TileOptions { tile_size, quality },
            ),
            Some(Cmd::Render {
                path,
                scene,
                yaw,
                pitch,
                fov,
                orbit,
                width,
                height,
                out,
                no_markers,
            }) => (|| {
                let view = match orbit {
                    Some(o) => Some(parse_orbit(&o)?),
                    None if yaw.is_some() || pitch.is_some() || fov.is_some() => Some(View {
                        yaw: yaw.unwrap_or(0.0),
                        pitch: pitch.unwrap_or(0.0),
                        fov,
                        distance: None,
                    }),
                    None => None,
                };
                if let Some(v) = &view {
                    check_view(v)?;
                }
                if width == 0 || height == 0 {
                    return Err(anyhow!(
                        "--width and --height must be at least 1 (got {width}×{height})"
                    ));
                }
                let (src, tour) = open(&path)?;
                let ctx = GpuContext::headless()?;
                check_render_size(&ctx, width, height)?;
                let img = native::render_tour(
                    &ctx,
                    &src,
                    tour,
                    &RenderOptions {
                        scene,
                        view,
                        width,
                        height,
                        hide_markers: no_markers,
                    },
                )?;
                native::write_png(&img, &out)?;
                println!("wrote {} ({width}×{height})", out.display());
                Ok(())
            })(),
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        }
    }
}
