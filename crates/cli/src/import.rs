//! `disan import`: another viewer's tour, or a scan, into a Disan tour folder.

use anyhow::{anyhow, Result};
use std::path::Path;

/// `disan import`: converts another viewer's tour into a Disan tour folder and reports what
/// it copied, what is missing and every value that has no Disan meaning.
pub(crate) fn import(
    source: disan_import::Source,
    input: &Path,
    out: &Path,
    force: bool,
) -> Result<()> {
    let options = disan_import::Options {
        force,
        ..Default::default()
    };
    let done =
        disan_import::import_with(source, input, out, &options).map_err(|e| anyhow!("{e}"))?;
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

/// `disan import scan.obj|scan.ply -o out`.
pub(crate) fn import_scan(input: &Path, out: &Path, force: bool) -> Result<()> {
    let ext = input
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if !matches!(ext.as_deref(), Some("obj" | "ply")) {
        return Err(anyhow!(
            "{}: give a scan (.obj or .ply), or a source (pannellum, marzipano, krpano) and its tour file",
            input.display()
        ));
    }
    let done =
        disan_import::scan::import_scan_with(input, out, force).map_err(|e| anyhow!("{e}"))?;
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
