//! The `disan` command: view a tour or a model in a window, render a scene to PNG, validate a
//! tour, import, tile, optimize and make thumbnails. One module per subcommand; the shells and
//! the renderer are libraries (`disan-viewer`, `disan-render`).

mod catalog;
mod common;
mod import;
mod optimize;
mod publish;
mod render;
mod studio;
mod thumbnails;
mod tile;
mod validate;

use anyhow::{anyhow, Result};
use clap::{Parser, Subcommand};
use common::open;
use disan_render::GpuContext;
use disan_tour::model::View;
use disan_viewer::native::{self, RenderOptions};
use import::{import, import_scan};
use optimize::optimize;
use render::{check_render_size, check_view, parse_inspection, parse_orbit};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use thumbnails::thumbnails;
use tile::tile;
use validate::validate;

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

/// `disan optimize --textures`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum TextureFormat {
    Ktx2,
    Uastc,
    Jpeg,
}

impl From<TextureFormat> for disan_optimize::Textures {
    fn from(t: TextureFormat) -> Self {
        match t {
            TextureFormat::Ktx2 => Self::Ktx2,
            TextureFormat::Uastc => Self::Uastc,
            TextureFormat::Jpeg => Self::Jpeg,
        }
    }
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
        /// Kiosk mode: full-screen, no window chrome, large touch targets, back to the start
        /// and the attract loop when idle (the tour's `kiosk` section); leave with its key
        /// chord (Ctrl+Alt+Q unless the tour says otherwise).
        #[arg(long)]
        kiosk: bool,
        /// Seconds without a touch before a kiosk returns to its start (overrides the tour).
        #[arg(long, value_parser = positive_seconds)]
        idle: Option<f32>,
        /// Turn the view by itself at this many degrees per second after 3 s without a touch.
        #[arg(long, allow_hyphen_values = true, value_parser = finite_number)]
        autorotate: Option<f32>,
        /// Open a shared link: `scene=…&yaw=…&pitch=…&fov=…` or `step=<tour>/<n>` (the part
        /// after `#` of a web address).
        #[arg(long)]
        link: Option<String>,
        /// Play this guided tour from its first step.
        #[arg(long)]
        tour: Option<String>,
    },
    /// Run a tour on a museum kiosk: `disan view --kiosk`.
    Kiosk {
        /// Tour folder or tour.json; the demo tour when absent.
        path: Option<PathBuf>,
        /// Seconds without a touch before it returns to its start (overrides the tour).
        #[arg(long, value_parser = positive_seconds)]
        idle: Option<f32>,
        /// Interface language at start (vi, en).
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
        /// Then turn the view (as a drag does) for this many seconds, drawing every frame,
        /// and print the frame rate (a benchmark: `cargo xtask bench`).
        #[arg(long, value_name = "SECONDS")]
        turn: Option<f64>,
        /// Object scenes: show the surface as clay (one matte material: the relief alone).
        #[arg(long)]
        clay: bool,
        /// Object scenes: show the surface normals as colours.
        #[arg(long, conflicts_with = "clay")]
        normals: bool,
        /// Object scenes: draw the triangles' edges over the clay surface.
        #[arg(long, conflicts_with_all = ["clay", "normals"])]
        wireframe: bool,
        /// Object scenes: a raking light from AZIMUTH,ELEVATION degrees (the environment dimmed).
        #[arg(long, value_name = "AZIMUTH,ELEVATION", allow_hyphen_values = true)]
        rake: Option<String>,
        /// Object scenes: cut the model across an axis, `x|y|z:POSITION` (0..1 of its bounds;
        /// `:flip` keeps the other side).
        #[arg(long, value_name = "AXIS:POSITION[:flip]")]
        section: Option<String>,
    },
    /// Render a small picture of every scene into <tour>/thumbs/ (the scene list shows them)
    /// and name it in tour.json (`thumbnail`); scenes that have one keep it unless --force.
    Thumbnails {
        /// Tour folder or tour.json.
        path: PathBuf,
        /// Width in pixels.
        #[arg(long, default_value_t = 320)]
        width: u32,
        /// Height in pixels.
        #[arg(long, default_value_t = 180)]
        height: u32,
        /// Render them again even where the tour names one.
        #[arg(long)]
        force: bool,
    },
    /// Check a tour (or a model) and print every problem; exit code 0 only when valid.
    Validate {
        /// Tour folder, tour.json or model.
        path: PathBuf,
    },
    /// Convert a Pannellum, Marzipano or krpano tour into a Disan tour folder, or a scan
    /// (`disan import scan.obj -o out`, OBJ + MTL or PLY) into a GLB and a tour that shows it.
    Import {
        /// pannellum (config.json), marzipano (data.js) or krpano (tour.xml); or the scan
        /// itself, a `.obj` or `.ply` file.
        source: String,
        /// The tour file (the images it names are read relative to its folder); none for a scan.
        input: Option<PathBuf>,
        /// Output folder (created): tour.json and the copied images and tiles, or the scan's GLB.
        #[arg(long, short)]
        out: PathBuf,
        /// Replace files that exist in the output folder (otherwise they are kept and the
        /// command stops).
        #[arg(long)]
        force: bool,
    },
    /// Make derivatives of a huge scan (glTF/GLB, or an OBJ/PLY read as `disan import` does):
    /// thumb (under 200 KB), low, medium and high levels with simplified geometry, resized
    /// textures and meshopt compression, and a tour.json whose object scene lists them.
    Optimize {
        /// The scan: .glb, .gltf, .obj or .ply.
        scan: PathBuf,
        /// Output folder (created): `<name>-<level>.glb` and tour.json.
        #[arg(long, short)]
        out: PathBuf,
        /// Texture format: ktx2 (Basis Universal ETC1S, UASTC for normal maps; stays
        /// compressed on the GPU), uastc (KTX2, UASTC throughout: finer detail, larger
        /// files) or jpeg (JPEG, PNG with alpha: for viewers without KTX2).
        #[arg(long, value_enum, default_value_t = TextureFormat::Ktx2)]
        textures: TextureFormat,
        /// Replace files that exist in the output folder (otherwise they are kept and the
        /// command stops).
        #[arg(long)]
        force: bool,
    },
    /// Cut an equirectangular panorama into Pannellum's multiresolution cube tiles and write
    /// it as a Disan scene (a new one-scene tour.json, or added to --tour).
    Tile {
        /// Equirectangular image (JPEG, PNG or TIFF, at most 0.5 gigapixel): 2:1 for the full
        /// sphere; a partial one placed by --haov/--vaov/--v-offset/--h-offset or by its
        /// Photo Sphere (GPano) XMP.
        image: PathBuf,
        /// Output folder (created): tiles, fallback faces, preview.jpg, config.json, and
        /// tour.json unless --tour is given.
        #[arg(long, short)]
        out: PathBuf,
        /// Tile side in pixels.
        #[arg(long, default_value_t = 512)]
        tile_size: u32,
        /// JPEG quality (1-100).
        #[arg(long, default_value_t = 85)]
        quality: u8,
        /// Partial panorama: horizontal angle of view in degrees (from the image's aspect
        /// when only --vaov is given).
        #[arg(long)]
        haov: Option<f32>,
        /// Partial panorama: vertical angle of view in degrees (from the image's aspect when
        /// only --haov is given).
        #[arg(long)]
        vaov: Option<f32>,
        /// Partial panorama: pitch of the image centre in degrees (positive up).
        #[arg(long, allow_hyphen_values = true)]
        v_offset: Option<f32>,
        /// Partial panorama: yaw of the image centre in degrees (positive to the right).
        #[arg(long, allow_hyphen_values = true)]
        h_offset: Option<f32>,
        /// Scene id (default: the image file's name without its extension).
        #[arg(long)]
        scene: Option<String>,
        /// Add the scene to this existing tour (its tour.json or folder) instead of writing
        /// <out>/tour.json; --out must lie inside the tour's folder. A scene with the same
        /// id gets the new tiles and keeps its title, view and hotspots.
        #[arg(long)]
        tour: Option<PathBuf>,
        /// Replace files that exist in the output folder (otherwise they are kept and the
        /// command stops).
        #[arg(long)]
        force: bool,
    },
    /// Edit a tour in the browser: the studio, served on 127.0.0.1 only, for this session only
    /// (its address carries a secret). The folder is made when it does not exist.
    Studio {
        /// Tour folder (made when missing; the current folder when absent).
        #[arg(default_value = ".")]
        folder: PathBuf,
        /// Print the address instead of opening the default browser (remote use, tests).
        #[arg(long)]
        no_open: bool,
        /// Port on 127.0.0.1 (any free one when absent).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The built web page (`cargo xtask web` writes dist/): $DISAN_DIST, else the dist/
        /// of the checkout this binary was built in, else ./dist.
        #[arg(long)]
        web: Option<PathBuf>,
    },
    /// A tour's catalog records from or to a museum's spreadsheet.
    Catalog {
        #[command(subcommand)]
        action: CatalogCmd,
    },
    /// Publish tours as a static site for any static host (its root or any sub-path): checked
    /// first, big panoramas tiled, only the files the tours use, the engine under a
    /// content-hashed folder, a poster of each scene's start view, pages with their
    /// description, Open Graph tags and schema.org records. Several tours make one site with
    /// an index of them.
    Publish {
        /// Tour folders (or tour.json files).
        #[arg(required = true)]
        tours: Vec<PathBuf>,
        /// The site folder (made when missing).
        #[arg(long, short)]
        out: PathBuf,
        /// The address the site will have (https://museum.example/tours/): absolute share
        /// links, canonical addresses, sitemap.xml and robots.txt.
        #[arg(long)]
        base_url: Option<String>,
        /// The built web engine (`cargo xtask web` writes dist/): $DISAN_DIST, else the dist/
        /// of the checkout this binary was built in, else ./dist.
        #[arg(long)]
        web: Option<PathBuf>,
        /// Replace the files of an earlier publication in --out.
        #[arg(long)]
        force: bool,
        /// Also a IIIF Presentation 3 manifest per catalog record with photos
        /// (iiif/<record>/manifest.json; needs --base-url), for Mirador or Universal Viewer.
        #[arg(long)]
        iiif: bool,
        /// One self-contained HTML file (--out names it, `….html`) that opens from a USB stick or
        /// an e-mail attachment, with no server; refused, with the size it would have, over 96 MB.
        #[arg(long)]
        single_file: bool,
        /// With --single-file: the largest file to make, in MB (96).
        #[arg(long)]
        max_size: Option<u64>,
    },
}

/// `disan catalog …`.
#[derive(Subcommand)]
enum CatalogCmd {
    /// Read records from a spreadsheet (CSV, XLSX or ODS; its first sheet, its first row naming
    /// the columns: inventory_number, title_vi, title_en, description_vi, material_vi, period_vi,
    /// dimensions_vi, rights_vi, photos…, or `Số hiệu`, `Tên (vi)`, `Chất liệu (en)`) into the
    /// tour's catalog file. Records are matched by inventory number and updated; the hotspots
    /// that open them keep working. Every problem names its row and column, and nothing is
    /// written when any row is wrong.
    Import {
        /// The spreadsheet.
        file: PathBuf,
        /// The tour (folder or tour.json).
        #[arg(long)]
        tour: PathBuf,
        /// A JSON file naming the sheet's other headers: {"columns": {"Tên gọi": "title_vi",
        /// "Ghi chú": "-"}} ("-" leaves a column out).
        #[arg(long)]
        mapping: Option<PathBuf>,
    },
    /// Write the tour's catalog as a spreadsheet (.csv or .xlsx) that `import` reads back.
    Export {
        /// The spreadsheet to write.
        file: PathBuf,
        /// The tour (folder or tour.json).
        #[arg(long)]
        tour: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
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

fn main() -> ExitCode {
    let code = run();
    // For the crafted-input tests (and anyone measuring): the process's peak resident memory.
    if std::env::var_os("DISAN_REPORT_PEAK_MEMORY").is_some() {
        if let Some(peak) = common::peak_rss() {
            eprintln!("peak memory: {peak} bytes");
        }
    }
    code
}

/// A number of seconds for `--idle`: finite and above zero.
fn positive_seconds(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!("\"{s}\" is not a number of seconds above 0")),
    }
}

/// A finite number (`--autorotate` degrees per second; negative turns left).
fn finite_number(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("\"{s}\" is not a finite number")),
    }
}

/// Runs the command line; the exit code: 0 done (or valid), 1 invalid, 2 failed.
fn run() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    if matches!(
        cli.cmd,
        Some(
            Cmd::Render { .. }
                | Cmd::Validate { .. }
                | Cmd::Thumbnails { .. }
                | Cmd::Publish { .. }
        )
    ) {
        quiet_headless_vulkan();
    }
    let result = match cli.cmd {
        None => native::window::run(native::window::Options::default()),
        Some(Cmd::View {
            path,
            fullscreen,
            lang,
            kiosk,
            idle,
            autorotate,
            link,
            tour,
        }) => native::window::run(native::window::Options {
            path,
            fullscreen: fullscreen || kiosk,
            lang,
            kiosk,
            idle,
            autorotate,
            link,
            tour,
        }),
        Some(Cmd::Kiosk { path, idle, lang }) => native::window::run(native::window::Options {
            path,
            fullscreen: true,
            lang,
            kiosk: true,
            idle,
            ..Default::default()
        }),
        Some(Cmd::Thumbnails {
            path,
            width,
            height,
            force,
        }) => thumbnails(&path, width, height, force),
        Some(Cmd::Validate { path }) => match validate(&path) {
            Ok(true) => return ExitCode::SUCCESS,
            Ok(false) => return ExitCode::from(1),
            Err(e) => Err(e),
        },
        Some(Cmd::Import {
            source,
            input,
            out,
            force,
        }) => match input {
            Some(input) => source
                .parse()
                .map_err(|e: String| anyhow!(e))
                .and_then(|s| import(s, &input, &out, force)),
            None => import_scan(Path::new(&source), &out, force),
        },
        Some(Cmd::Optimize {
            scan,
            out,
            textures,
            force,
        }) => optimize(&scan, &out, textures.into(), force),
        Some(Cmd::Tile {
            image,
            out,
            tile_size,
            quality,
            haov,
            vaov,
            v_offset,
            h_offset,
            scene,
            tour,
            force,
        }) => tile(
            &image,
            &out,
            disan_tiler::TileOptions { tile_size, quality },
            [haov, vaov, v_offset, h_offset],
            scene,
            tour.as_deref(),
            force,
        ),
        Some(Cmd::Studio {
            folder,
            no_open,
            port,
            web,
        }) => studio::studio(&folder, no_open, port, web),
        Some(Cmd::Catalog {
            action:
                CatalogCmd::Import {
                    file,
                    tour,
                    mapping,
                },
        }) => catalog::import(&file, &tour, mapping.as_deref()),
        Some(Cmd::Catalog {
            action: CatalogCmd::Export { file, tour, force },
        }) => catalog::export(&file, &tour, force),
        Some(Cmd::Publish {
            tours,
            out,
            base_url,
            web,
            force,
            iiif,
            single_file,
            max_size,
        }) => publish::publish(
            &tours,
            &publish::Options {
                out,
                base_url,
                web: studio::web_dir(web),
                force,
                iiif,
                single_file,
                max_size_mb: max_size,
                quiet: false,
            },
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
            turn,
            clay,
            normals,
            wireframe,
            rake,
            section,
        }) => (|| {
            let view = match orbit {
                Some(o) => Some(parse_orbit(&o)?),
                None if yaw.is_some() || pitch.is_some() || fov.is_some() => Some(View {
                    yaw: yaw.unwrap_or(0.0),
                    pitch: pitch.unwrap_or(0.0),
                    fov,
                    distance: None,
                    target: None,
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
            let opts = RenderOptions {
                scene,
                view,
                width,
                height,
                hide_markers: no_markers,
                inspection: parse_inspection(
                    clay,
                    normals,
                    wireframe,
                    rake.as_deref(),
                    section.as_deref(),
                )?,
            };
            if let Some(seconds) = turn {
                if !(seconds.is_finite() && seconds >= 0.0) {
                    return Err(anyhow!(
                        "--turn must be a number of seconds (got {seconds})"
                    ));
                }
            }
            // One scene opened (its files read and decoded once), captured, then turned.
            let mut app = native::open_scene(&ctx, &src, tour, &opts)?;
            let img = app.capture(&ctx, 0.0)?;
            native::write_png(&img, &out)?;
            println!("wrote {} ({width}×{height})", out.display());
            if let Some(seconds) = turn {
                let t = native::turn(&ctx, &mut app, &opts, seconds)?;
                println!(
                    "turned: {} frames in {:.3} s at {width}×{height}: {:.2} fps",
                    t.frames,
                    t.seconds,
                    f64::from(t.frames) / t.seconds.max(1e-9)
                );
                let passes = |times: &[disan_render::PassTime]| {
                    let list: Vec<String> = times
                        .iter()
                        .map(|p| format!("{} {:.2} ms", p.pass, p.ms))
                        .collect();
                    list.join(", ")
                };
                if !t.gpu.is_empty() {
                    println!("gpu per frame turning: {}", passes(&t.gpu));
                }
                if !t.gpu_at_rest.is_empty() {
                    println!("gpu per frame at rest: {}", passes(&t.gpu_at_rest));
                }
            }
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
