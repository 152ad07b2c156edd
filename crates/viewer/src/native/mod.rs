//! Native platform: reading tours and assets from disk, headless rendering (`disan render`), validation, and the window.

pub mod ambient;
pub mod audio;
pub mod card_audio;
pub mod files;
pub mod loader;
pub mod narration;
pub mod window;

use crate::app::{App, Event};
use anyhow::{anyhow, bail, Context, Result};
use disan_render::{GpuContext, TextureSource};
use disan_tour::model::{Catalog, Orbit, Tour, View};
use disan_tour::validate::validate;
use files::{FileKind, ReadError, TourFolder};
use std::path::{Path, PathBuf};

/// A tour on disk: its folder and the tour file name.
#[derive(Debug, Clone)]
pub struct TourSource {
    /// Folder that paths in the tour are relative to.
    pub dir: PathBuf,
    /// The tour file.
    pub file: PathBuf,
}

impl TourSource {
    /// A folder (with `tour.json`) or a path to a tour file.
    pub fn locate(path: &Path) -> TourSource {
        if path.is_dir() {
            TourSource {
                dir: path.to_path_buf(),
                file: path.join("tour.json"),
            }
        } else {
            TourSource {
                dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
                file: path.to_path_buf(),
            }
        }
    }

    /// Reads a file relative to the tour folder, safely (see [`files::TourFolder::read`]), with
    /// the size cap its extension suggests. The error names the path.
    pub fn read(&self, rel: &str) -> Result<Vec<u8>, String> {
        self.read_kind(rel, FileKind::guess(rel))
            .map_err(|e| e.to_string())
    }

    /// Reads a file relative to the tour folder as a file of `kind`, safely.
    pub fn read_kind(&self, rel: &str, kind: FileKind) -> Result<Vec<u8>, ReadError> {
        TourFolder::new(&self.dir)?.read(rel, kind)
    }

    /// Reads the tour file itself (a JSON file of the folder, or a lone model).
    pub fn read_tour_file(&self, kind: FileKind) -> Result<Vec<u8>, ReadError> {
        self.read_kind(&self.file_name(), kind)
    }

    /// Tour file name for messages.
    pub fn file_name(&self) -> String {
        self.file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "tour.json".into())
    }
}

/// What the share button copies for the view's link (`scene=…&yaw=…`): the tour's web address
/// (`share_url`) with the link as its fragment; without one, the `disan view` command that
/// opens the same view of the tour at `path` (the demo tour when `None`).
pub fn share_text(share_url: Option<&str>, path: Option<&Path>, link: &str) -> String {
    if let Some(url) = share_url {
        let base = url.split('#').next().unwrap_or(url);
        return format!("{base}#{link}");
    }
    // Single quotes for a POSIX shell; a quote inside is closed, escaped and reopened.
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    match path {
        Some(p) => format!(
            "disan view {} --link {}",
            quote(&p.to_string_lossy()),
            quote(link)
        ),
        None => format!("disan view --link {}", quote(link)),
    }
}

#[cfg(test)]
mod share_tests {
    use super::share_text;
    use std::path::Path;

    #[test]
    fn share_copies_the_web_address_or_the_command_that_opens_the_view() {
        let link = "scene=san&yaw=30&pitch=-5&fov=75";
        assert_eq!(
            share_text(Some("https://museum.vn/den/#old"), None, link),
            "https://museum.vn/den/#scene=san&yaw=30&pitch=-5&fov=75"
        );
        assert_eq!(
            share_text(None, Some(Path::new("/srv/tours/Đền Hùng's")), link),
            "disan view '/srv/tours/Đền Hùng'\\''s' --link 'scene=san&yaw=30&pitch=-5&fov=75'"
        );
        assert_eq!(
            share_text(None, None, "step=tham-quan/3"),
            "disan view --link 'step=tham-quan/3'"
        );
    }
}

/// The bundled demo tour (`assets/demo` of the source tree, or beside the executable).
pub fn demo_tour_path() -> PathBuf {
    let candidates = [
        std::env::current_exe()
            .ok()
            .and_then(|e| e.parent().map(|p| p.join("assets/demo"))),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo")),
        Some(PathBuf::from("assets/demo")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("tour.json").is_file())
        .unwrap_or_else(|| PathBuf::from("assets/demo"))
}

/// Reads a tour and its catalog and checks its structure. Errors list every problem.
pub fn load_tour(src: &TourSource) -> Result<Tour> {
    let name = src.file_name();
    let bytes = src
        .read_tour_file(FileKind::Json)
        .with_context(|| format!("cannot read the tour {}", src.file.display()))?;
    let mut tour = Tour::from_json(&bytes, &name)?;
    let cat = tour.catalog_path().to_string();
    match src.read_kind(&cat, FileKind::Json) {
        Ok(b) => tour.merge_catalog(Catalog::from_json(&b, &cat)?),
        Err(e) if tour.catalog_file.is_some() => bail!(
            "{name}: $.catalog_file: cannot read \"{cat}\": {}",
            e.reason()
        ),
        // Without catalog_file, a missing catalog.json is no problem; an unreadable one is.
        Err(e) if e.is_not_found() => {}
        Err(e) => bail!("{cat}: cannot read \"{cat}\": {}", e.reason()),
    }
    let report = validate(&tour, &name);
    if !report.is_ok() {
        bail!("the tour has problems:\n{report}");
    }
    Ok(tour)
}

/// A tour made around a single model file (`disan view model.glb`).
pub fn single_model_tour(model: &Path) -> Result<(TourSource, Tour)> {
    let name = model
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| anyhow!("{} is not a file", model.display()))?;
    let json = serde_json::json!({
        "version": 1,
        "title": name,
        "scenes": [{"id": "model", "kind": "object", "title": name, "model": name}]
    });
    let tour = Tour::from_json(json.to_string().as_bytes(), "(generated)")?;
    let src = TourSource {
        dir: model.parent().map(Path::to_path_buf).unwrap_or_default(),
        file: model.to_path_buf(),
    };
    Ok((src, tour))
}

/// Reads and decodes an environment image: Radiance `.hdr` as linear HDR, anything else as an
/// sRGB image.
pub fn load_environment(src: &TourSource, path: &str) -> Result<disan_render::Environment> {
    let bytes = src.read(path).map_err(|e| anyhow!("environment {e}"))?;
    if path.to_ascii_lowercase().ends_with(".hdr") {
        let img = disan_assets::image::decode_hdr(&bytes, path)?;
        return Ok(disan_render::Environment::Hdr {
            width: img.width,
            height: img.height,
            rgb: img.rgb,
        });
    }
    let img = disan_assets::image::decode(&bytes, path)?;
    Ok(disan_render::Environment::Image(
        TextureSource::Rgba(img),
        1.0,
    ))
}

/// Fulfils every request of the visit in place (blocking) until nothing is left to fetch; a
/// tiled panorama is fetched until the current view is as sharp as its tiles allow.
/// Returns what could not be loaded (`path: why`), for the commands that must not draw a scene
/// with a part missing.
pub fn fulfil_all(app: &mut App, ctx: &GpuContext, src: &TourSource) -> Vec<String> {
    let mut failed = Vec::new();
    app.poll(ctx);
    // Bounded: each round fetches the tiles the view still lacks.
    for _ in 0..256 {
        let mut requests = app.visit.take_requests();
        if requests.is_empty() {
            app.visit.refresh_tiles();
            app.visit.refresh_detail();
            requests = app.visit.take_requests();
        }
        if requests.is_empty() {
            break;
        }
        for r in requests {
            match loader::load(src, &r, ctx.block_format()) {
                Ok(payload) => app.deliver(ctx, r.id, payload),
                Err(e) => {
                    failed.push(if e.contains(&r.path) {
                        e.clone()
                    } else {
                        format!("{}: {e}", r.path)
                    });
                    app.fail(ctx, r.id, &e)
                }
            }
        }
    }
    failed
}

/// Options of a headless render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Scene id; the start scene when absent.
    pub scene: Option<String>,
    /// Panorama view or object orbit (yaw, pitch, fov or distance).
    pub view: Option<View>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Leave the hotspot markers out (to compare with the web canvas, where they are DOM buttons).
    pub hide_markers: bool,
    /// Inspection tools of an object scene (clay, normals, raking light, section plane).
    pub inspection: disan_tour::inspect::Inspection,
}

/// Renders one scene of a tour headless and returns the image.
pub fn render_tour(
    ctx: &GpuContext,
    src: &TourSource,
    tour: Tour,
    opts: &RenderOptions,
) -> Result<disan_assets::RgbaImage> {
    let mut app = open_scene(ctx, src, tour, opts)?;
    Ok(app.capture(ctx, 0.0)?)
}

/// Frames drawn while the view turns (see [`turn`]).
#[derive(Debug, Clone)]
pub struct Turned {
    /// Frames drawn.
    pub frames: u32,
    /// Seconds they took, GPU work included.
    pub seconds: f64,
    /// Mean GPU time of each pass while turning (empty where the device has no timestamp
    /// queries).
    pub gpu: Vec<disan_render::PassTime>,
    /// The same of the frame drawn once the view rests.
    pub gpu_at_rest: Vec<disan_render::PassTime>,
}

/// Turns the view of a scene opened by [`open_scene`] the way a visitor drags it (a panorama
/// at 12°/s, an object at 30°/s) for at least `seconds` and 3 frames, drawing every frame into
/// an offscreen target of a window's kind (plain RGBA, sRGB encoded by the passes) and waiting
/// for the GPU after each: the frame rate a kiosk gets (`disan render --turn`).
pub fn turn(ctx: &GpuContext, app: &mut App, opts: &RenderOptions, seconds: f64) -> Result<Turned> {
    use disan_render::wgpu;
    use disan_tour::input::{Camera, Input, PointerButton};
    use glam::Vec2;
    let object = matches!(app.visit.camera(), Some(Camera::Orbit(_)));
    let (w, h) = (opts.width as f32, opts.height as f32);
    // Degrees per dragged pixel as the controller turns them: fov/height in a panorama,
    // 180/height around an object.
    let fov = app.visit.view().and_then(|v| v.fov).unwrap_or(75.0);
    let px_per_s = if object {
        30.0 * h / 180.0
    } else {
        12.0 * h / fov
    };
    let texture = ctx.device.create_texture(&wgpu::TextureDescriptor {
        label: Some("turn target"),
        size: wgpu::Extent3d {
            width: opts.width,
            height: opts.height,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Rgba8Unorm,
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
        view_formats: &[],
    });
    let view = texture.create_view(&Default::default());
    let wait = || {
        ctx.device.poll(wgpu::PollType::Wait {
            submission_index: None,
            timeout: None,
        })
    };
    let before = app.visit.projection().view_proj();
    let start = Vec2::new(w * 0.75, h * 0.6);
    // One frame at rest first: what the first frame makes (mips, pipelines) is not counted.
    app.render(ctx, &view, texture.format(), 0.0);
    app.renderer.set_pass_timing(ctx, true);
    wait().map_err(|e| anyhow!("GPU: {e}"))?;
    app.visit.input(
        Input::PointerDown {
            id: 1,
            pos: start,
            button: PointerButton::Primary,
        },
        0.0,
    );
    let t0 = std::time::Instant::now();
    let mut frames = 0u32;
    loop {
        let t = t0.elapsed().as_secs_f64();
        if frames >= 3 && t >= seconds {
            break;
        }
        // 8 pixels at once, past the distance that tells a drag from a click; then steadily.
        let pos = start - Vec2::new(8.0 + px_per_s * t as f32, 0.0);
        app.visit.input(Input::PointerMove { id: 1, pos }, t);
        app.visit.update(t);
        app.render(ctx, &view, texture.format(), t);
        wait().map_err(|e| anyhow!("GPU: {e}"))?;
        frames += 1;
    }
    if app.visit.projection().view_proj() == before {
        bail!("the view did not turn");
    }
    let seconds = t0.elapsed().as_secs_f64();
    let gpu = app.renderer.take_pass_timings();
    // The view rests: the frame drawn then (multisampled, for an object) is timed alone.
    let t = t0.elapsed().as_secs_f64();
    app.visit.update(t);
    app.render(ctx, &view, texture.format(), t);
    wait().map_err(|e| anyhow!("GPU: {e}"))?;
    let gpu_at_rest = app.renderer.take_pass_timings();
    app.renderer.set_pass_timing(ctx, false);
    Ok(Turned {
        frames,
        seconds,
        gpu,
        gpu_at_rest,
    })
}

/// A headless app showing one scene of the tour with everything it asked for delivered.
pub fn open_scene(
    ctx: &GpuContext,
    src: &TourSource,
    tour: Tour,
    opts: &RenderOptions,
) -> Result<App> {
    let scene_id = match &opts.scene {
        Some(s) => s.clone(),
        None => tour
            .start()
            .map(|s| s.id.clone())
            .ok_or_else(|| anyhow!("the tour has no scenes"))?,
    };
    let scene = tour
        .scene(&scene_id)
        .ok_or_else(|| anyhow!("no scene \"{scene_id}\" in the tour"))?
        .clone();
    let mut app = App::new(ctx, tour, opts.width as f32, opts.height as f32, 1.0);
    app.draw_markers = !opts.hide_markers;
    let view = opts.view.map(|v| match scene.object() {
        None => v,
        Some(obj) => {
            let o = obj.orbit.unwrap_or(Orbit::default());
            View {
                distance: v.distance.or(o.distance),
                ..v
            }
        }
    });
    app.visit.go(&scene_id, view).map_err(|e| anyhow!(e))?;
    let missing = fulfil_all(&mut app, ctx, src);
    // `disan render` is strict: anything that failed (the environment, a cube face, a tile the
    // view needs) is an error, as `disan validate` says, not a grey picture.
    let mut failed: Vec<String> = app
        .visit
        .take_events()
        .into_iter()
        .filter_map(|e| match e {
            // The technical account names the file: what an author needs.
            Event::Error { message, detail } if detail.is_empty() => Some(message),
            Event::Error { message, detail } => Some(format!("{message} ({detail})")),
            _ => None,
        })
        .collect();
    for m in missing {
        if !failed.iter().any(|f| f.contains(&m)) {
            failed.push(m);
        }
    }
    if !failed.is_empty() {
        bail!("{}", failed.join("\n"));
    }
    let i = opts.inspection;
    if i.active() {
        if !app.visit.inspectable() {
            bail!("the inspection tools work on object scenes only (scene \"{scene_id}\")");
        }
        app.visit.set_inspect_view(i.view);
        app.visit.set_raking(i.raking);
        app.visit.set_section(i.section);
    }
    Ok(app)
}

/// Writes RGBA8 pixels as PNG through the one writer: atomically, never through a link (the
/// file the command was told to write is replaced).
pub fn write_png(img: &disan_assets::RgbaImage, path: &Path) -> Result<()> {
    let buf = image::RgbaImage::from_raw(img.width, img.height, img.pixels.clone())
        .ok_or_else(|| anyhow!("bad image buffer"))?;
    let mut png = Vec::new();
    buf.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .with_context(|| format!("cannot encode {}", path.display()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| anyhow!("{}: not a file name", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new(""));
    files::Output::create(dir, true)
        .and_then(|o| o.replace(name, &png))
        .map_err(|e| anyhow!("cannot write {}: {}", path.display(), e.reason()))?;
    Ok(())
}
