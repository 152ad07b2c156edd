//! `disan thumbnails`: a small picture of every scene for the scene list.

use anyhow::{anyhow, Result};
use disan_files::{FileKind, Output};
use disan_render::GpuContext;
use disan_viewer::native;
use std::path::Path;

/// `disan thumbnails`: every scene rendered small (at twice the size, then reduced) into
/// `thumbs/<id>.jpg` of the tour folder, and named in tour.json as its `thumbnail`.
pub(crate) fn thumbnails(path: &Path, width: u32, height: u32, force: bool) -> Result<()> {
    use anyhow::Context;
    if !(16..=1024).contains(&width) || !(16..=1024).contains(&height) {
        return Err(anyhow!("thumbnails are 16 to 1024 pixels a side"));
    }
    let src = native::TourSource::locate(path);
    let tour = native::load_tour(&src)?;
    // Read and written through the one file layer: a `thumbs` link in a downloaded tour does
    // not send pictures elsewhere, and the tour file is replaced atomically.
    let name = src.file_name();
    let text = src
        .read_tour_file(FileKind::Json)
        .map_err(|e| anyhow!("{}: {}", src.file.display(), e.reason()))?;
    let mut doc = disan_tour::edit::TourDocument::parse(&text, &name)
        .map_err(|e| anyhow!("{}: {e}", src.file.display()))?;
    let output = Output::create(&src.dir, force)
        .map_err(|e| anyhow!("{}: {}", src.dir.display(), e.reason()))?;
    let ctx = GpuContext::headless()?;
    let mut made = 0;
    for scene in tour.scenes.iter() {
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
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageRgba8(small)
            .to_rgb8()
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .with_context(|| format!("cannot encode {rel}"))?;
        output
            .write(&rel, &jpeg)
            .map_err(|e| anyhow!("{}: {e}", src.dir.display()))?;
        doc.set_thumbnail(&scene.id, &rel);
        println!("{}: {rel}", scene.id);
        made += 1;
    }
    if made > 0 {
        let out = doc.to_text();
        output
            .replace(&name, out.as_bytes())
            .map_err(|e| anyhow!("{}: {e}", src.dir.display()))?;
        println!("named {made} thumbnail(s) in {}", src.file.display());
    } else {
        println!("every scene has its thumbnail (--force renders them again)");
    }
    Ok(())
}
