//! `disan tile`: an equirectangular panorama into a cube tile pyramid and a scene of a tour.

use crate::common::{human, with_catalog};
use anyhow::{anyhow, Result};
use std::path::{Path, PathBuf};

/// `disan tile`: reads the image, writes the pyramid under `out` with a progress bar, then
/// the scene that shows it: `<out>/tour.json` (a one-scene tour), or added to the tour
/// `tour`. `coverage` is `--haov`, `--vaov`, `--v-offset`, `--h-offset`.
pub(crate) fn tile(
    image: &Path,
    out: &Path,
    opts: disan_tiler::TileOptions,
    coverage: [Option<f32>; 4],
    scene: Option<String>,
    tour: Option<&Path>,
    force: bool,
) -> Result<()> {
    use disan_files::{FileKind, Folder, Output, Replace};
    use disan_tiler::{Coverage, GPano};
    use disan_tour::edit::{SceneChange, TourDocument};
    use serde_json::{json, Value};
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
            doc: TourDocument,
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

    // Where the scene goes is settled before the long work. The command's own earlier output
    // for this scene (its one-scene tour, or this scene's tiles in a tour) is replaced; any
    // other file only with --force.
    let mut replace_own = false;
    let target = match tour {
        None => {
            let file = out.join("tour.json");
            if file.exists() {
                // Only a one-scene tour of this scene (an earlier `disan tile`) is replaced.
                let ours = Folder::new(out)
                    .and_then(|f| f.read("tour.json", FileKind::Json))
                    .ok()
                    .and_then(|b| disan_tour::Tour::from_json(&b, "tour.json").ok())
                    .is_some_and(|t| t.scenes.len() == 1 && t.scenes[0].id == id);
                if !ours && !force {
                    return Err(anyhow!(
                        "{} already exists and is not a one-scene tour of scene \"{id}\"; to add \
                         this panorama to that tour, give --tour {} and an --out folder inside \
                         its folder (e.g. {})",
                        file.display(),
                        file.display(),
                        out.join("tiles").join(&id).display()
                    ));
                }
                replace_own = ours;
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
            let bytes = Folder::for_file(&file)
                .and_then(|(f, n)| f.read(&n, FileKind::Json))
                .map_err(|e| anyhow!("{}: {}", file.display(), e.reason()))?;
            let parsed = disan_tour::Tour::from_json(&bytes, &name)
                .map_err(|e| anyhow!("{}: {e}", file.display()))?;
            let doc = TourDocument::parse(&bytes, &name)
                .map_err(|e| anyhow!("{}: {e}", file.display()))?;
            replace_own = parsed.scene(&id).is_some();
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
                doc,
                before,
                rel,
            }
        }
    };

    // The image through the one file layer: a regular file in its folder, within the cap.
    let bytes = Folder::for_file(image)
        .and_then(|(f, n)| f.read(&n, FileKind::SourcePanorama))
        .map_err(|e| fail(&e.reason()))?;
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
    let north_json = north.map(degrees);
    let (tour_file, tour_dir, mut doc, before) = match target {
        Target::New(file) => (
            file,
            out.to_path_buf(),
            TourDocument::new(&title),
            Vec::new(),
        ),
        Target::Existing {
            file,
            dir,
            doc,
            before,
            ..
        } => (file, dir, doc, before),
    };
    // The new tiles take the place of the scene's picture source; all else stays.
    let replaced = doc
        .put_panorama_source(&id, &title, "tiles", tiles.clone(), north_json)
        .map_err(|e| anyhow!("{}: {e}", tour_file.display()))?
        == SceneChange::Replaced;
    let name = tour_file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tour.json".into());
    let text = doc.to_text();
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
    // Every file through the one writer: atomic, never through a link, never over a file that
    // is not this scene's own earlier output unless --force.
    let output =
        Output::create(out, force).map_err(|e| anyhow!("{}: {}", out.display(), e.reason()))?;
    let replace = if replace_own {
        Replace::Always
    } else {
        Replace::IfForced
    };
    let mut written = 0u64;
    let result = pano.tile(
        &opts,
        |rel, data| -> std::io::Result<()> {
            written += data.len() as u64;
            output
                .write_with(rel, &data, replace)
                .map(|_| ())
                .map_err(|e| std::io::Error::other(format!("{}: {e}", out.display())))
        },
        |done, _| bar.set_position(done),
    );
    bar.finish_and_clear();
    let layout = result.map_err(|e| fail(&e))?;
    let secs = started.elapsed().as_secs_f64();

    // The tour last, whole or not at all (the writer renames a complete temporary file). An
    // existing tour given with --tour is updated by design.
    let tour_out = Output::create(&tour_dir, force)
        .map_err(|e| anyhow!("{}: {}", tour_dir.display(), e.reason()))?;
    let tour_replace = if replace_own || tour.is_some() {
        Replace::Always
    } else {
        Replace::IfForced
    };
    tour_out
        .write_with(&name, text.as_bytes(), tour_replace)
        .map_err(|e| anyhow!("{}: {e}", tour_dir.display()))?;

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
