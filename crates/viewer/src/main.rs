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
            #[arg(long)]
            idle: Option<f32>,
            /// Turn the view by itself at this many degrees per second after 3 s without a touch.
            #[arg(long, allow_hyphen_values = true)]
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
            #[arg(long)]
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

    /// The inspection tools asked for on the command line (`disan render --clay --rake 30,10
    /// --section y:0.5`).
    fn parse_inspection(
        clay: bool,
        normals: bool,
        wireframe: bool,
        rake: Option<&str>,
        section: Option<&str>,
    ) -> Result<disan_tour::inspect::Inspection> {
        use disan_tour::inspect::{Axis, InspectView, Inspection, Raking, Section};
        let mut i = Inspection {
            view: if clay {
                InspectView::Clay
            } else if normals {
                InspectView::Normals
            } else if wireframe {
                InspectView::Wireframe
            } else {
                InspectView::Normal
            },
            ..Default::default()
        };
        if let Some(r) = rake {
            let v: Vec<f32> = r
                .split(',')
                .map(|x| x.trim().parse::<f32>())
                .collect::<Result<_, _>>()
                .map_err(|_| anyhow!("--rake wants AZIMUTH,ELEVATION in degrees, got \"{r}\""))?;
            let [azimuth, elevation] = v[..] else {
                return Err(anyhow!(
                    "--rake wants AZIMUTH,ELEVATION in degrees, got \"{r}\""
                ));
            };
            i.raking = Some(Raking {
                azimuth,
                elevation: elevation.clamp(2.0, 89.0),
            });
        }
        if let Some(s) = section {
            let bad = || anyhow!("--section wants x|y|z:POSITION[:flip] (0..1), got \"{s}\"");
            let mut parts = s.split(':');
            let axis = parts.next().and_then(Axis::parse).ok_or_else(bad)?;
            let position = parts
                .next()
                .and_then(|p| p.trim().parse::<f32>().ok())
                .filter(|p| (0.0..=1.0).contains(p))
                .ok_or_else(bad)?;
            let flip = match parts.next() {
                None => false,
                Some("flip") => true,
                Some(_) => return Err(bad()),
            };
            i.section = Some(Section {
                axis,
                position,
                flip,
            });
        }
        Ok(i)
    }

    /// `disan import scan.obj|scan.ply -o out`.
    fn import_scan(input: &Path, out: &Path) -> Result<()> {
        let ext = input
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        if !matches!(ext.as_deref(), Some("obj" | "ply")) {
            return Err(anyhow!(
                "{}: give a scan (.obj or .ply), or a source (pannellum, marzipano, krpano) and its tour file",
                input.display()
            ));
        }
        let done = disan_import::scan::import_scan(input, out).map_err(|e| anyhow!("{e}"))?;
        for n in &done.notes {
            println!("note: {n}");
        }
        println!(
            "wrote {} ({} vertices, {} triangles{}) and {}; see it with: disan view {}",
            done.glb.display(),
            done.vertices,
            done.triangles,
            if done.unlit {
                ", vertex colours shown unlit"
            } else {
                ""
            },
            done.tour_json.display(),
            out.display()
        );
        Ok(())
    }

    /// A size in words: "812 bytes", "12.3 KiB", "4.5 MiB", "1.93 GiB".
    fn human(n: u64) -> String {
        const K: f64 = 1024.0;
        let f = n as f64;
        if n < 1024 {
            format!("{n} bytes")
        } else if f < K * K {
            format!("{:.1} KiB", f / K)
        } else if f < K * K * K {
            format!("{:.1} MiB", f / (K * K))
        } else {
            format!("{:.2} GiB", f / (K * K * K))
        }
    }

    /// Peak resident memory of this process so far (Linux: `VmHWM`), in bytes.
    fn peak_rss() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    }

    /// `disan optimize scan -o out`.
    fn optimize(scan: &Path, out: &Path, textures: disan_optimize::Textures) -> Result<()> {
        let started = std::time::Instant::now();
        let ext = scan
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let stem = scan
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "scan".into());
        let bar = indicatif::ProgressBar::new(1);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{wide_bar} {pos}/{len} steps: {msg}, {elapsed}",
        ) {
            bar.set_style(style);
        }
        bar.set_message("reading");
        let mut progress = |done: u64, total: u64, what: &str| {
            bar.set_length(total);
            bar.set_position(done);
            bar.set_message(what.to_string());
        };
        let levels = match ext.as_str() {
            "obj" | "ply" => {
                let bytes = std::fs::read(scan).map_err(|e| anyhow!("{}: {e}", scan.display()))?;
                let dir = scan.parent().map(Path::to_path_buf).unwrap_or_default();
                let read = if ext == "obj" {
                    disan_import::scan::read_obj(scan, &bytes, &dir)
                } else {
                    disan_import::scan::read_ply(scan, &bytes)
                }
                .map_err(|e| anyhow!("{e}"))?;
                let (glb, notes) =
                    disan_import::scan::to_glb(&read, &dir).map_err(|e| anyhow!("{e}"))?;
                for n in notes {
                    bar.println(format!("note: {n}"));
                }
                let name = format!("{stem}.glb");
                let none = |u: &str| Err(format!("\"{u}\": an imported scan names no other file"));
                disan_optimize::optimize(&glb, &name, &none, textures, &mut progress)
            }
            "glb" | "gltf" => with_lone_model(scan, |bytes, name, read| {
                disan_optimize::optimize(bytes, name, read, textures, &mut progress)
            })?,
            _ => {
                return Err(anyhow!(
                    "{}: give a scan (.glb, .gltf, .obj or .ply)",
                    scan.display()
                ))
            }
        }
        .map_err(|e| anyhow!("{e}"))?;
        bar.finish_and_clear();
        std::fs::create_dir_all(out).map_err(|e| anyhow!("{}: {e}", out.display()))?;
        let mut derivatives = Vec::new();
        for l in &levels {
            let name = format!("{stem}-{}.glb", l.quality.name());
            let path = out.join(&name);
            std::fs::write(&path, &l.glb).map_err(|e| anyhow!("{}: {e}", path.display()))?;
            println!(
                "{:>6}: {name} {:>10} triangles, textures up to {:>4} px, {} file, {} on the GPU",
                l.quality.name(),
                l.triangles,
                l.texture,
                human(l.glb.len() as u64),
                human(l.gpu_bytes)
            );
            derivatives.push(disan_tour::derivatives::Derivative {
                quality: l.quality,
                model: name,
                triangles: l.triangles,
                vertices: l.vertices,
                texture: l.texture,
                gpu_bytes: l.gpu_bytes,
            });
        }
        let tour = serde_json::json!({
            "format": "disan-tour",
            "version": 1,
            "title": stem,
            "scenes": [{"id": "scan", "kind": "object", "title": stem, "derivatives": derivatives}]
        });
        let tour_json = out.join("tour.json");
        let mut text = serde_json::to_string_pretty(&tour)?;
        text.push('\n');
        std::fs::write(&tour_json, text).map_err(|e| anyhow!("{}: {e}", tour_json.display()))?;
        println!(
            "wrote {} levels and {} in {:.1} s, peak memory {}; see them with: disan view {}",
            levels.len(),
            tour_json.display(),
            started.elapsed().as_secs_f64(),
            peak_rss().map_or("unknown".to_string(), human),
            out.display()
        );
        println!(
            "to use them in another tour, copy the GLBs beside it and give its object scene:\n\"derivatives\": {}",
            serde_json::to_string(&derivatives)?
        );
        Ok(())
    }

    /// Largest input `disan tile` reads.
    const TILE_INPUT_MAX: u64 = 1 << 30;

    /// `disan tile`: reads the image, writes the pyramid under `out` with a progress bar, then
    /// the scene that shows it: `<out>/tour.json` (a one-scene tour), or added to the tour
    /// `tour`. `coverage` is `--haov`, `--vaov`, `--v-offset`, `--h-offset`.
    fn tile(
        image: &Path,
        out: &Path,
        opts: disan_tiler::TileOptions,
        coverage: [Option<f32>; 4],
        scene: Option<String>,
        tour: Option<&Path>,
    ) -> Result<()> {
        use disan_tiler::{Coverage, GPano};
        use serde_json::{json, Map, Value};
        use std::io::Read;
        use std::path::Component;

        /// `p` made absolute, its existing part's links resolved (the rest may not exist yet,
        /// and then may not climb with `..`).
        fn resolve(p: &Path) -> Result<PathBuf> {
            let abs = std::path::absolute(p).map_err(|e| anyhow!("{}: {e}", p.display()))?;
            let mut rest = Vec::new();
            let mut cur = abs.as_path();
            loop {
                if let Ok(real) = cur.canonicalize() {
                    return Ok(rest.iter().rev().fold(real, |acc, name| acc.join(name)));
                }
                match (cur.parent(), cur.file_name()) {
                    (Some(parent), Some(name)) => {
                        rest.push(name.to_os_string());
                        cur = parent;
                    }
                    _ => {
                        return Err(anyhow!(
                            "{}: cannot resolve this path (\"..\" in a folder that does not exist yet?)",
                            p.display()
                        ))
                    }
                }
            }
        }

        /// A degree value as JSON, written as the f32 prints (30.1, not 30.100000381…).
        fn degrees(v: f32) -> Value {
            v.to_string()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(Value::Null, Value::Number)
        }

        /// Where the scene goes.
        enum Target {
            /// A new one-scene tour, `<out>/tour.json`.
            New(PathBuf),
            /// An existing tour: its file, its folder, its JSON, its problems before (they are
            /// not this command's to fix), and `out` relative to its folder.
            Existing {
                file: PathBuf,
                dir: PathBuf,
                json: Value,
                before: Vec<String>,
                rel: String,
            },
        }

        let fail = |e: &dyn std::fmt::Display| anyhow!("{}: {e}", image.display());
        opts.validate().map_err(|e| anyhow!("{e}"))?;
        let stem = image
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = scene.unwrap_or_else(|| stem.clone());
        if id.trim().is_empty() {
            return Err(fail(&"give the scene an id with --scene"));
        }
        let title = if stem.trim().is_empty() {
            id.clone()
        } else {
            stem.clone()
        };

        // Where the scene goes is settled before the long work.
        let target = match tour {
            None => {
                let file = out.join("tour.json");
                if file.exists() {
                    // Only a one-scene tour of this scene (an earlier `disan tile`) is replaced.
                    let ours = std::fs::read(&file)
                        .ok()
                        .and_then(|b| disan_tour::Tour::from_json(&b, "tour.json").ok())
                        .is_some_and(|t| t.scenes.len() == 1 && t.scenes[0].id == id);
                    if !ours {
                        return Err(anyhow!(
                            "{} already exists and is not a one-scene tour of scene \"{id}\"; to add \
                             this panorama to that tour, give --tour {} and an --out folder inside \
                             its folder (e.g. {})",
                            file.display(),
                            file.display(),
                            out.join("tiles").join(&id).display()
                        ));
                    }
                }
                Target::New(file)
            }
            Some(t) => {
                let file = if t.is_dir() {
                    t.join("tour.json")
                } else {
                    t.to_path_buf()
                };
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "tour.json".into());
                let bytes = std::fs::read(&file).map_err(|e| anyhow!("{}: {e}", file.display()))?;
                let parsed = disan_tour::Tour::from_json(&bytes, &name)
                    .map_err(|e| anyhow!("{}: {e}", file.display()))?;
                let json: Value =
                    serde_json::from_slice(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
                        .map_err(|e| anyhow!("{}: {e}", file.display()))?;
                if let Some(s) = parsed.scene(&id) {
                    if s.kind() != disan_tour::model::SceneKind::Panorama {
                        return Err(anyhow!(
                            "{}: scene \"{id}\" is an object scene; give this panorama another id \
                             with --scene",
                            file.display()
                        ));
                    }
                }
                let parent = file
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let dir = resolve(parent)?;
                let example = dir.join("tiles").join(&id);
                let inside = resolve(out)?;
                let rel = inside.strip_prefix(&dir).map_err(|_| {
                    anyhow!(
                        "--out {} lies outside the tour's folder {}: the tour names its files \
                         relative to that folder, so the tiles must be written inside it (e.g. \
                         --out {})",
                        out.display(),
                        dir.display(),
                        example.display()
                    )
                })?;
                let mut parts = Vec::new();
                for c in rel.components() {
                    let part = match c {
                        Component::Normal(s) => s.to_str(),
                        _ => None,
                    };
                    parts.push(part.ok_or_else(|| {
                        anyhow!(
                            "--out {}: its folder names must be UTF-8 to be written in the tour",
                            out.display()
                        )
                    })?);
                }
                if parts.is_empty() {
                    return Err(anyhow!(
                        "--out {} is the tour's folder itself: give this scene's tiles a folder of \
                         their own inside it (e.g. --out {})",
                        out.display(),
                        example.display()
                    ));
                }
                let rel = parts.join("/");
                disan_assets::path::normalize(&rel).map_err(|e| {
                    anyhow!(
                        "--out {}: the tour cannot name \"{rel}\": {e}",
                        out.display()
                    )
                })?;
                let before = with_catalog(&parsed, &file, &name)
                    .problems
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                Target::Existing {
                    file,
                    dir,
                    json,
                    before,
                    rel,
                }
            }
        };

        let meta = std::fs::metadata(image).map_err(|e| fail(&e))?;
        if !meta.is_file() {
            return Err(fail(&"not a regular file"));
        }
        if meta.len() > TILE_INPUT_MAX {
            return Err(fail(&format_args!(
                "the file is {}: at most {} is read",
                human(meta.len()),
                human(TILE_INPUT_MAX)
            )));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(image)
            .and_then(|f| f.take(TILE_INPUT_MAX + 1).read_to_end(&mut bytes))
            .map_err(|e| fail(&e))?;
        if bytes.len() as u64 > TILE_INPUT_MAX {
            return Err(fail(&format_args!(
                "the file grew past {} while being read",
                human(TILE_INPUT_MAX)
            )));
        }
        let started = std::time::Instant::now();
        let file_len = bytes.len() as u64;

        // The coverage: the options given, completed from the image's aspect (or its XMP when
        // only offsets are given); none given, the tiler reads the XMP or takes a 2:1 image whole.
        let [haov, vaov, v_offset, h_offset] = coverage;
        let given = coverage.iter().any(Option::is_some);
        let coverage = if given {
            let (w, h) = disan_tiler::image_size(&bytes).map_err(|e| fail(&e))?;
            let aspect = w as f32 / h.max(1) as f32;
            let base = GPano::from_bytes(&bytes)
                .and_then(|g| g.coverage())
                .unwrap_or_else(|| Coverage::from_aspect(w, h));
            let (haov, vaov, base) = match (haov, vaov) {
                (Some(a), Some(b)) => (a, b, Coverage::default()),
                (Some(a), None) => (a, (a / aspect).min(180.0), Coverage::default()),
                (None, Some(b)) => ((b * aspect).min(360.0), b, Coverage::default()),
                (None, None) => (base.haov, base.vaov, base),
            };
            Some(Coverage {
                haov,
                vaov,
                v_offset: v_offset.unwrap_or(base.v_offset),
                h_offset: h_offset.unwrap_or(base.h_offset),
            })
        } else {
            None
        };
        let pano = disan_tiler::Panorama::decode_with(&bytes, coverage).map_err(|e| fail(&e))?;
        drop(bytes);
        let (w, h) = (pano.width(), pano.height());
        let cov = pano.coverage();
        let north = pano.gpano().and_then(GPano::north_offset);
        let layout = pano.layout(&opts);

        // The scene, checked through the tour model before anything is written.
        let prefix = match &target {
            Target::New(_) => String::new(),
            Target::Existing { rel, .. } => format!("{rel}/"),
        };
        let tiles = json!({
            "path": format!("{}%l/%s%y_%x.jpg", prefix.replace('%', "%%")),
            "tile_size": layout.tile_size,
            "cube_resolution": layout.cube_resolution,
            "max_level": layout.max_level,
            "preview": format!("{prefix}preview.jpg"),
        });
        let mut new_scene = Map::new();
        new_scene.insert("id".into(), json!(id));
        new_scene.insert("kind".into(), json!("panorama"));
        new_scene.insert("title".into(), json!(title));
        new_scene.insert("tiles".into(), tiles.clone());
        if let Some(n) = north {
            new_scene.insert("north_offset".into(), degrees(n));
        }
        let (tour_file, tour_dir, tour_json, before, replaced) = match target {
            Target::New(file) => {
                let json = json!({"version": 1, "title": title, "scenes": [new_scene]});
                (file, out.to_path_buf(), json, Vec::new(), false)
            }
            Target::Existing {
                file,
                dir,
                mut json,
                before,
                ..
            } => {
                let scenes = json
                    .get_mut("scenes")
                    .and_then(Value::as_array_mut)
                    .ok_or_else(|| anyhow!("{}: $.scenes is not a list", file.display()))?;
                let found = scenes
                    .iter_mut()
                    .find(|s| s.get("id").and_then(Value::as_str) == Some(id.as_str()))
                    .and_then(Value::as_object_mut);
                let replaced = found.is_some();
                match found {
                    Some(old) => {
                        // The new tiles take the place of its picture source; all else stays.
                        let mut kept = Map::new();
                        for (k, v) in std::mem::take(old) {
                            match k.as_str() {
                                "image" | "coverage" | "cube" | "tiles" => {
                                    if !kept.contains_key("tiles") {
                                        kept.insert("tiles".into(), tiles.clone());
                                    }
                                }
                                _ => {
                                    kept.insert(k, v);
                                }
                            }
                        }
                        if !kept.contains_key("tiles") {
                            kept.insert("tiles".into(), tiles.clone());
                        }
                        if let Some(n) = north {
                            kept.insert("north_offset".into(), degrees(n));
                        }
                        *old = kept;
                    }
                    None => scenes.push(Value::Object(new_scene)),
                }
                (file, dir, json, before, replaced)
            }
        };
        let name = tour_file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "tour.json".into());
        let mut text = serde_json::to_string_pretty(&tour_json)?;
        text.push('\n');
        let parsed = disan_tour::Tour::from_json(text.as_bytes(), &name)
            .map_err(|e| anyhow!("the tour to be written does not read back: {e}"))?;
        let problems: Vec<String> = with_catalog(&parsed, &tour_file, &name)
            .problems
            .iter()
            .map(ToString::to_string)
            .filter(|p| !before.contains(p))
            .collect();
        if !problems.is_empty() {
            return Err(anyhow!(
                "the scene would make {} invalid, nothing written:\n{}",
                tour_file.display(),
                problems.join("\n")
            ));
        }

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

        // The tour last, whole or not at all.
        let tmp = tour_file.with_file_name(format!("{name}.disan-tile.tmp"));
        std::fs::write(&tmp, &text)
            .and_then(|_| std::fs::rename(&tmp, &tour_file))
            .map_err(|e| {
                std::fs::remove_file(&tmp).ok();
                anyhow!("{}: {e}", tour_file.display())
            })?;

        println!(
            "wrote {} files ({}) to {}: {} level{} of {}-pixel tiles, cube faces {} pixels, \
             fallback faces, preview.jpg, config.json (Pannellum multires)",
            layout.file_count(),
            human(written),
            out.display(),
            layout.max_level,
            if layout.max_level == 1 { "" } else { "s" },
            layout.tile_size,
            layout.cube_resolution
        );
        if !cov.is_full() || cov.h_offset != 0.0 {
            println!(
                "partial panorama: {}°×{}° centred at yaw {}°, pitch {}° ({}); the rest of the \
                 sphere is neutral grey",
                cov.haov,
                cov.vaov,
                cov.h_offset,
                cov.v_offset,
                if given {
                    "from the options"
                } else {
                    "from its Photo Sphere XMP"
                }
            );
        }
        let north_note = north
            .map(|n| format!(", north_offset {n}° from its Photo Sphere heading"))
            .unwrap_or_default();
        if tour.is_some() {
            println!(
                "{} scene \"{id}\" {} {} (tiles \"{}\"{north_note}); check it with: disan validate {}",
                if replaced { "gave" } else { "added" },
                if replaced { "new tiles in" } else { "to" },
                tour_file.display(),
                tiles["path"].as_str().unwrap_or_default(),
                tour_dir.display()
            );
            if !before.is_empty() {
                println!(
                    "note: the tour already had {} problem(s) before this scene; see disan validate {}",
                    before.len(),
                    tour_dir.display()
                );
            }
        } else {
            println!(
                "wrote {}: a one-scene tour of scene \"{id}\"{north_note}; view it with: disan view {}",
                tour_file.display(),
                tour_dir.display()
            );
        }
        println!(
            "{w}×{h} in {secs:.1} s ({:.1} MP/s); peak memory at most about {} (the {} file, held \
             while decoding, plus the tiler's bound)",
            (w as f64 * h as f64) / 1e6 / secs.max(1e-9),
            human(file_len + pano.peak_memory_bound(&opts)),
            human(file_len)
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
                target: None,
            }),
            [y, p, d] => Ok(View {
                yaw: *y,
                pitch: *p,
                fov: None,
                distance: Some(*d),
                target: None,
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

    /// `disan thumbnails`: every scene rendered small (at twice the size, then reduced) into
    /// `thumbs/<id>.jpg` of the tour folder, and named in tour.json as its `thumbnail`.
    fn thumbnails(path: &Path, width: u32, height: u32, force: bool) -> Result<()> {
        use anyhow::Context;
        if !(16..=1024).contains(&width) || !(16..=1024).contains(&height) {
            return Err(anyhow!("thumbnails are 16 to 1024 pixels a side"));
        }
        let src = native::TourSource::locate(path);
        let tour = native::load_tour(&src)?;
        let text = std::fs::read_to_string(&src.file)
            .with_context(|| format!("cannot read {}", src.file.display()))?;
        let mut json: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .with_context(|| format!("{}: not JSON", src.file.display()))?;
        let ctx = GpuContext::headless()?;
        let mut made = 0;
        for (i, scene) in tour.scenes.iter().enumerate() {
            if scene.thumbnail.is_some() && !force {
                continue;
            }
            let safe: String = scene
                .id
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let rel = format!("thumbs/{safe}.jpg");
            let opts = native::RenderOptions {
                scene: Some(scene.id.clone()),
                view: None,
                width: width * 2,
                height: height * 2,
                hide_markers: true,
                inspection: Default::default(),
            };
            let img = native::render_tour(&ctx, &src, tour.clone(), &opts)
                .with_context(|| format!("scene \"{}\"", scene.id))?;
            let big = image::RgbaImage::from_raw(img.width, img.height, img.pixels)
                .ok_or_else(|| anyhow!("bad image buffer"))?;
            let small =
                image::imageops::resize(&big, width, height, image::imageops::FilterType::Triangle);
            let out = src.dir.join(&rel);
            if let Some(parent) = out.parent() {
                std::fs::create_dir_all(parent)?;
            }
            image::DynamicImage::ImageRgba8(small)
                .to_rgb8()
                .save_with_format(&out, image::ImageFormat::Jpeg)
                .with_context(|| format!("cannot write {}", out.display()))?;
            if let Some(obj) = json["scenes"][i].as_object_mut() {
                obj.insert("thumbnail".into(), serde_json::Value::String(rel.clone()));
            }
            println!("{}: {rel}", scene.id);
            made += 1;
        }
        if made > 0 {
            let mut out = serde_json::to_string_pretty(&json)?;
            out.push('\n');
            std::fs::write(&src.file, out)
                .with_context(|| format!("cannot write {}", src.file.display()))?;
            println!("named {made} thumbnail(s) in {}", src.file.display());
        } else {
            println!("every scene has its thumbnail (--force renders them again)");
        }
        Ok(())
    }

    /// The tour `file` checked with its catalog beside it, as `disan validate` checks it (the
    /// tour file itself keeps its own catalog reference).
    fn with_catalog(
        tour: &disan_tour::Tour,
        file: &Path,
        name: &str,
    ) -> disan_tour::validate::Report {
        let mut check = tour.clone();
        let src = native::TourSource::locate(file);
        if let Ok(b) = src.read_kind(check.catalog_path(), native::files::FileKind::Json) {
            if let Ok(c) = disan_tour::Catalog::from_json(&b, check.catalog_path()) {
                check.merge_catalog(c);
            }
        }
        disan_tour::validate::validate(&check, name)
    }

    /// Runs `f` on a lone model file: its bytes, its name, and a reader of the files it names,
    /// which reads only inside the model's own folder.
    fn with_lone_model<T>(
        path: &Path,
        f: impl FnOnce(&[u8], &str, &dyn Fn(&str) -> Result<Vec<u8>, String>) -> T,
    ) -> Result<T> {
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
        Ok(f(&bytes, &name, &read))
    }

    fn validate(path: &Path) -> Result<bool> {
        if is_model(path) {
            let loaded = with_lone_model(path, |bytes, name, read| {
                disan_assets::model::load_and_decode(bytes, name, read).map(|_| ())
            })?;
            return match loaded {
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
        if matches!(
            cli.cmd,
            Some(Cmd::Render { .. } | Cmd::Validate { .. } | Cmd::Thumbnails { .. })
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
            Some(Cmd::Import { source, input, out }) => match input {
                Some(input) => source
                    .parse()
                    .map_err(|e: String| anyhow!(e))
                    .and_then(|s| import(s, &input, &out)),
                None => import_scan(Path::new(&source), &out),
            },
            Some(Cmd::Optimize {
                scan,
                out,
                textures,
            }) => optimize(&scan, &out, textures.into()),
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
            }) => tile(
                &image,
                &out,
                disan_tiler::TileOptions { tile_size, quality },
                [haov, vaov, v_offset, h_offset],
                scene,
                tour.as_deref(),
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
}
