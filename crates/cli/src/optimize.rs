//! `disan optimize`: thumb/low/medium/high derivatives of a huge scan and a tour that lists them.

use crate::common::{human, peak_rss, with_lone_model};
use anyhow::{anyhow, Result};
use disan_files::Output;
use std::path::Path;

/// `disan optimize scan -o out`.
pub(crate) fn optimize(
    scan: &Path,
    out: &Path,
    textures: disan_optimize::Textures,
    force: bool,
) -> Result<()> {
    let started = std::time::Instant::now();
    // Every file through the one writer: nothing replaced unless --force, never through a link.
    let output =
        Output::create(out, force).map_err(|e| anyhow!("{}: {}", out.display(), e.reason()))?;
    if !force && output.exists("tour.json") {
        return Err(anyhow!(
            "{}: already exists; not overwritten (use --force to replace it)",
            output.path("tour.json").display()
        ));
    }

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
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{wide_bar} {pos}/{len} steps: {msg}, {elapsed}")
    {
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
            // Read as `disan import` reads it, through the one file layer.
            let (_, glb, notes) = disan_import::scan::load(scan).map_err(|e| anyhow!("{e}"))?;
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
    let mut derivatives = Vec::new();
    for l in &levels {
        let name = format!("{stem}-{}.glb", l.quality.name());
        output
            .write(&name, &l.glb)
            .map_err(|e| anyhow!("{}: {e}", out.display()))?;
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
    let mut text = serde_json::to_string_pretty(&tour)?;
    text.push('\n');
    let tour_json = output
        .write("tour.json", text.as_bytes())
        .map_err(|e| anyhow!("{}: {e}", out.display()))?;
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
