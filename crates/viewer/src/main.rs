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
            let bytes = std::fs::read(path).map_err(|e| anyhow!("{}: {e}", path.display()))?;
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let read = |u: &str| std::fs::read(dir.join(u)).map_err(|e| e.to_string());
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
        let read = |rel: &str| {
            if rel == name {
                std::fs::read(&src.file).map_err(|e| e.to_string())
            } else {
                src.read(rel)
            }
        };
        let (_, report) = disan_assets::check_tour(&name, &read);
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

    pub fn run() -> ExitCode {
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
        let cli = Cli::parse();
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
                let (src, tour) = open(&path)?;
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
                let ctx = GpuContext::headless()?;
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
