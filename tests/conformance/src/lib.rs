//! Conformance against the Khronos glTF Render-Fidelity references (a test crate, not part of the
//! shipped viewer), shared by the report tool `src/main.rs` (`cargo xtask conformance`) and the
//! gate test `tests/gate.rs`: finding the corpus, the scenario cameras of `cameras.json`,
//! rendering a corpus model headless the way the viewer loads it, and the masked SSIM score.
//!
//! `anyhow` is used here as in the other tools and tests: nothing ships this crate.
//!
//! Scoring (see `docs/conformance.md`): the references are transparent where there is no model,
//! and our renderer's background is its own. So each reference is composited over *our*
//! background, rendered with the same camera and an empty model, and the SSIM of the red, green
//! and blue planes is averaged over the windows centred in the union of both silhouettes
//! (reference alpha, and the pixels where our frame differs from the empty one), grown by half a
//! window: the background is identical in both images, so it would only dilute the score.
//! References drawn over a skybox (opaque) are compared inside the model's own silhouette.

pub mod ssim;

use anyhow::{anyhow, bail, Context, Result};
use disan_assets::{ModelData, RgbaImage};
use disan_render::{FrameInput, GpuContext, Renderer, TextureSource};
use disan_tour::camera::{Bounds, OrbitCamera, Projection};
use disan_viewer::native::{loader, TourSource};
use glam::{Mat4, Vec2, Vec3};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Environment variable naming the corpus folder.
pub const CORPUS_ENV: &str = "DISAN_CORPUS";
/// Width of the reference thumbnails (`cargo xtask conformance` renders at this width).
pub const REFERENCE_WIDTH: u32 = 512;
/// Width of the gate test's renders; the references are downscaled to it.
pub const GATE_WIDTH: u32 = 256;
/// Reference alpha (0..1) above which a pixel counts as model.
const ALPHA_FOREGROUND: f32 = 0.05;
/// A reference covering less of the frame than this is blank (its renderer drew nothing) and is left out.
pub const BLANK_REFERENCE: f64 = 0.005;
/// A channel difference (0..255) from the empty frame above which our pixel counts as model.
const DIFF_FOREGROUND: u8 = 4;
/// Yaw and pitch (degrees) of the camera fitted to models without a scenario.
const FIT_YAW: f32 = 30.0;
const FIT_PITCH: f32 = 25.0;

/// The corpus for a test: `None`, after printing why the test is skipped, when it is absent.
pub fn corpus_or_skip(test: &str) -> Option<PathBuf> {
    match corpus_dir() {
        Ok(c) => Some(c),
        Err(why) => {
            eprintln!("skipping {test}: {why}");
            None
        }
    }
}

/// The corpus folder: `$DISAN_CORPUS`, else `<repo>/../shared/corpus`. `Err` says why it is not usable
/// (callers print it and skip).
pub fn corpus_dir() -> Result<PathBuf, String> {
    let dir = match std::env::var_os(CORPUS_ENV) {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
    };
    for need in [
        "README.md",
        "gltf",
        "reference/render-fidelity/cameras.json",
    ] {
        if !dir.join(need).exists() {
            return Err(format!(
                "no corpus at {} (missing {need}); set {CORPUS_ENV} to its folder",
                dir.display()
            ));
        }
    }
    Ok(dir)
}

/// A Render-Fidelity camera: an orbit around `target` (glTF world space, +Y up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScenarioCamera {
    /// Azimuth about +Y, degrees; 0 = on the +Z side, positive towards +X.
    pub theta: f32,
    /// Polar angle from +Y, degrees; 90 = level with the target.
    pub phi: f32,
    /// Distance from the target, scene units (0: the eye is at the target).
    pub radius: f32,
    /// Point looked at.
    pub target: Vec3,
    /// Vertical field of view, degrees.
    pub vertical_fov: f32,
}

impl ScenarioCamera {
    /// Unit vector from the target towards the eye.
    fn offset_dir(&self) -> Vec3 {
        let (t, p) = (self.theta.to_radians(), self.phi.to_radians());
        Vec3::new(p.sin() * t.sin(), p.cos(), p.sin() * t.cos())
    }

    /// Eye position: `target + radius · (sin φ sin θ, cos φ, sin φ cos θ)`.
    pub fn eye(&self) -> Vec3 {
        self.target + self.radius * self.offset_dir()
    }

    /// Matrices for a `width` × `height` viewport. Near and far follow the Generator's
    /// back-ends (`near = 2r/1000`, `r = max(radius, bounding radius)`), with far pushed out to
    /// contain the whole model.
    pub fn projection(&self, bounds: &Bounds, width: u32, height: u32) -> Projection {
        let eye = self.eye();
        let forward = -self.offset_dir();
        let up = if forward.cross(Vec3::Y).length_squared() < 1e-8 {
            Vec3::NEG_Z
        } else {
            Vec3::Y
        };
        let r = self.radius.max(bounds.radius()).max(1e-5);
        let reach = (bounds.center() - eye).length() + bounds.radius();
        let near = 2.0 * r / 1000.0;
        let far = (2.0 * r).max(reach * 1.01).max(near * 2.0);
        Projection {
            view: Mat4::look_at_rh(eye, eye + forward, up),
            proj: Mat4::perspective_rh(
                self.vertical_fov.to_radians(),
                width as f32 / height.max(1) as f32,
                near,
                far,
            ),
            eye,
            viewport: Vec2::new(width as f32, height as f32),
        }
    }
}

/// One reference image of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Renderer name (`babylon`, `filament`, …).
    pub renderer: String,
    /// The decoded PNG thumbnail.
    pub file: PathBuf,
}

/// A corpus model and how to look at it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Model name (the folder under `gltf/`).
    pub model: String,
    /// The model file.
    pub file: PathBuf,
    /// The scenario camera; `None`: fitted to the model (no scenario in `cameras.json`).
    pub camera: Option<ScenarioCamera>,
    /// Viewport of the references, CSS pixels (only the aspect ratio matters here).
    pub dimensions: (u32, u32),
    /// Available reference renders (may be empty).
    pub references: Vec<Reference>,
}

impl Scenario {
    /// Render size for a given width, keeping the scenario's aspect ratio (512 → the thumbnails' size).
    pub fn size(&self, width: u32) -> (u32, u32) {
        let (w, h) = self.dimensions;
        let height = (width as f64 * h as f64 / w.max(1) as f64).round() as u32;
        (width.max(1), height.max(1))
    }

    /// The camera for this model's bounds and a viewport.
    pub fn projection(&self, bounds: &Bounds, width: u32, height: u32) -> Projection {
        match &self.camera {
            Some(c) => c.projection(bounds, width, height),
            None => OrbitCamera::fit(*bounds, FIT_YAW, FIT_PITCH, None, None)
                .projection(width as f32, height as f32),
        }
    }
}

fn num(v: &Value, path: &[&str], what: &str) -> Result<f32> {
    let mut cur = v;
    for p in path {
        cur = cur
            .get(p)
            .ok_or_else(|| anyhow!("cameras.json: {what}: no {}", path.join(".")))?;
    }
    cur.as_f64()
        .map(|x| x as f32)
        .ok_or_else(|| anyhow!("cameras.json: {what}: {} is not a number", path.join(".")))
}

fn parse_scenario(corpus: &Path, key: &str, entry: &Value) -> Result<Scenario> {
    let fidelity = corpus.join("reference/render-fidelity");
    let r = entry
        .get("resolved")
        .ok_or_else(|| anyhow!("cameras.json: {key}: no resolved"))?;
    let model = entry
        .get("model")
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("cameras.json: {key}: no model"))?
        .to_string();
    let rel = entry
        .get("corpusModel")
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("cameras.json: {key}: no corpusModel"))?;
    let camera = ScenarioCamera {
        theta: num(r, &["orbit", "theta"], key)?,
        phi: num(r, &["orbit", "phi"], key)?,
        radius: num(r, &["orbit", "radius"], key)?,
        target: Vec3::new(
            num(r, &["target", "x"], key)?,
            num(r, &["target", "y"], key)?,
            num(r, &["target", "z"], key)?,
        ),
        vertical_fov: num(r, &["verticalFoV"], key)?,
    };
    let dimensions = (
        num(r, &["dimensions", "width"], key)? as u32,
        num(r, &["dimensions", "height"], key)? as u32,
    );
    let mut references = Vec::new();
    if let Ok(dir) = std::fs::read_dir(fidelity.join(key)) {
        for e in dir.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(renderer) = name.strip_suffix("-golden.thumb.png") {
                references.push(Reference {
                    renderer: renderer.to_string(),
                    file: e.path(),
                });
            }
        }
    }
    references.sort_by(|a, b| a.renderer.cmp(&b.renderer));
    Ok(Scenario {
        model,
        file: fidelity.join(rel),
        camera: Some(camera),
        dimensions,
        references,
    })
}

/// The model file of a corpus model folder without a scenario: the first `.gltf`/`.glb` of the
/// first variant folder, preferring `glTF`, then `glTF-Binary`.
fn model_file(dir: &Path) -> Option<PathBuf> {
    let mut variants: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    let rank = |p: &PathBuf| match p.file_name().and_then(|n| n.to_str()) {
        Some("glTF") => 0,
        Some("glTF-Binary") => 1,
        _ => 2,
    };
    variants.sort_by_key(|p| (rank(p), p.clone()));
    variants.into_iter().find_map(|v| {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&v)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("gltf" | "glb")))
            .collect();
        files.sort();
        files.into_iter().next()
    })
}

/// Every corpus model, sorted by name: the Render-Fidelity scenarios (with and without golden),
/// then the models under `gltf/` that have no scenario, with a fitted camera.
pub fn scenarios(corpus: &Path) -> Result<Vec<Scenario>> {
    let path = corpus.join("reference/render-fidelity/cameras.json");
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let json: Value = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not JSON", path.display()))?;
    let mut out = Vec::new();
    for group in ["scenarios", "scenariosWithoutGolden"] {
        if let Some(map) = json.get(group).and_then(Value::as_object) {
            for (key, entry) in map {
                out.push(parse_scenario(corpus, key, entry)?);
            }
        }
    }
    if out.is_empty() {
        bail!("{}: no scenarios", path.display());
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus.join("gltf"))
        .with_context(|| format!("cannot list {}", corpus.join("gltf").display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let model = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if out.iter().any(|s| s.model == model) {
            continue;
        }
        if let Some(file) = model_file(&dir) {
            out.push(Scenario {
                model,
                file,
                camera: None,
                dimensions: (768, 768),
                references: Vec::new(),
            });
        }
    }
    out.sort_by(|a, b| a.model.cmp(&b.model));
    Ok(out)
}

/// A model loaded the way the viewer loads it (`native::loader::load_model`): the model, its decoded
/// images (`None`: could not be decoded, drawn white).
pub fn load_model(file: &Path) -> Result<(ModelData, Vec<Option<TextureSource>>)> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| anyhow!("{} is not a file", file.display()))?;
    let src = TourSource {
        dir: file.parent().map(Path::to_path_buf).unwrap_or_default(),
        file: file.to_path_buf(),
    };
    loader::load_model(&src, &name, None).map_err(|e| anyhow!(e))
}

/// Our render of a scenario and the same frame without the model (the background).
pub struct Rendered {
    /// The model.
    pub image: RgbaImage,
    /// The same camera with an empty model: what the references are composited over.
    pub background: RgbaImage,
    /// Images of the model that could not be decoded (drawn white).
    pub undecodable: usize,
    /// Where the model's triangles are (CPU rasteriser), whatever the renderer drew.
    pub silhouette: Vec<bool>,
}

/// Renders `model` with its decoded images from `projection`.
pub fn capture(
    ctx: &GpuContext,
    model: &ModelData,
    images: Vec<Option<TextureSource>>,
    projection: Projection,
) -> Result<RgbaImage> {
    Ok(capture_measured(ctx, model, images, projection)?.0)
}

/// Like [`capture`], also returning the GPU memory the model's content took.
pub fn capture_measured(
    ctx: &GpuContext,
    model: &ModelData,
    images: Vec<Option<TextureSource>>,
    projection: Projection,
) -> Result<(RgbaImage, u64)> {
    let mut renderer = Renderer::new(ctx);
    renderer.show_model(ctx, model, images);
    let img = renderer.capture(
        ctx,
        &FrameInput {
            projection,
            markers: &[],
            time: 0.0,
            marker_radius: 0.0,
            tiles: &[],
            moving: false,
        },
    )?;
    Ok((img, renderer.gpu_memory().content))
}

/// Renders the model in `file` seen from `projection`.
pub fn render_file(ctx: &GpuContext, file: &Path, projection: Projection) -> Result<RgbaImage> {
    let (model, images) = load_model(file)?;
    capture(ctx, &model, images, projection)
}

/// Loads and renders a scenario at `width` pixels wide (the scenario's aspect ratio), and the
/// empty frame with the same camera.
pub fn render(ctx: &GpuContext, scenario: &Scenario, width: u32) -> Result<Rendered> {
    let (mut model, images) = load_model(&scenario.file)?;
    let undecodable = images.iter().filter(|i| i.is_none()).count();
    let (w, h) = scenario.size(width);
    let projection = scenario.projection(&model.bounds, w, h);
    let silhouette = silhouette(&model, &projection, w, h);
    let image = capture(ctx, &model, images, projection)?;
    // The same model with nothing to draw: same bounds, so the same frame set-up.
    model.instances.clear();
    model.primitives.clear();
    model.materials.clear();
    model.image_count = 0;
    model.image_is_srgb.clear();
    let background = capture(ctx, &model, Vec::new(), projection)?;
    Ok(Rendered {
        image,
        background,
        undecodable,
        silhouette,
    })
}

/// Where the model's triangles cover pixel centres of a `width` × `height` frame, rasterised on
/// the CPU with the same camera: the model's region, independent of what the renderer drew.
/// Triangles with a vertex behind the eye are skipped.
pub fn silhouette(
    model: &ModelData,
    projection: &Projection,
    width: u32,
    height: u32,
) -> Vec<bool> {
    let (w, h) = (width as usize, height as usize);
    let mut mask = vec![false; w * h];
    let mesh = model.triangle_mesh();
    let vp = projection.view_proj();
    let screen: Vec<Option<Vec2>> = mesh
        .positions
        .iter()
        .map(|p| {
            let c = vp * p.extend(1.0);
            (c.w > 1e-6 && c.is_finite()).then(|| {
                Vec2::new(
                    (c.x / c.w * 0.5 + 0.5) * w as f32,
                    (0.5 - c.y / c.w * 0.5) * h as f32,
                )
            })
        })
        .collect();
    let vertex = |i: u32| screen.get(i as usize).copied().flatten();
    for t in mesh.indices.chunks_exact(3) {
        let (Some(a), Some(b), Some(c)) = (vertex(t[0]), vertex(t[1]), vertex(t[2])) else {
            continue;
        };
        let lo = a.min(b).min(c).floor().max(Vec2::ZERO);
        let hi = a.max(b).max(c).ceil().min(Vec2::new(w as f32, h as f32));
        for y in lo.y as usize..hi.y as usize {
            for x in lo.x as usize..hi.x as usize {
                let p = Vec2::new(x as f32 + 0.5, y as f32 + 0.5);
                let e = [
                    (b - a).perp_dot(p - a),
                    (c - b).perp_dot(p - b),
                    (a - c).perp_dot(p - c),
                ];
                if e.iter().all(|&v| v >= 0.0) || e.iter().all(|&v| v <= 0.0) {
                    mask[y * w + x] = true;
                }
            }
        }
    }
    mask
}

/// Reads a reference PNG.
pub fn load_reference(file: &Path) -> Result<RgbaImage> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    Ok(disan_assets::image::decode(
        &bytes,
        &file.display().to_string(),
    )?)
}

/// A reference resized (premultiplied, triangle filter) to the background's size and composited
/// over it. Returns the opaque image and the reference's alpha (0..1) per pixel.
pub fn composite(reference: &RgbaImage, background: &RgbaImage) -> Result<(RgbaImage, Vec<f32>)> {
    let (w, h) = (background.width, background.height);
    let premultiplied: Vec<f32> = reference
        .pixels
        .chunks_exact(4)
        .flat_map(|p| {
            // 0..1: the image crate's filters clamp float pixels to that range.
            let a = p[3] as f32 / 255.0;
            let c = |v: u8| v as f32 / 255.0 * a;
            [c(p[0]), c(p[1]), c(p[2]), a]
        })
        .collect();
    let src = image::Rgba32FImage::from_raw(reference.width, reference.height, premultiplied)
        .ok_or_else(|| anyhow!("reference image has a bad buffer"))?;
    let resized = if (reference.width, reference.height) == (w, h) {
        src
    } else {
        image::imageops::resize(&src, w, h, image::imageops::FilterType::Triangle)
    };
    if background.pixels.len() != (w * h * 4) as usize {
        bail!("background image has a bad buffer");
    }
    let mut pixels = Vec::with_capacity(background.pixels.len());
    let mut alpha = Vec::with_capacity((w * h) as usize);
    for (p, bg) in resized.pixels().zip(background.pixels.chunks_exact(4)) {
        let a = p[3].clamp(0.0, 1.0);
        for c in 0..3 {
            let v = p[c] * 255.0 + bg[c] as f32 * (1.0 - a);
            pixels.push(v.round().clamp(0.0, 255.0) as u8);
        }
        pixels.push(255);
        alpha.push(a);
    }
    Ok((
        RgbaImage {
            width: w,
            height: h,
            pixels,
        },
        alpha,
    ))
}

/// An image ready to score: its red, green and blue planes (0..255) and where the model is.
pub struct Prepared {
    width: usize,
    height: usize,
    image: RgbaImage,
    rgb: [ssim::Plane; 3],
    luma: std::cell::OnceCell<ssim::Plane>,
    foreground: Vec<bool>,
    /// A reference without transparency: only the model's silhouette is compared.
    silhouette_only: bool,
}

fn plane(img: &RgbaImage, f: impl Fn(&[u8]) -> f32) -> Result<ssim::Plane> {
    let (w, h) = (img.width as usize, img.height as usize);
    ssim::Plane::new(img.pixels.chunks_exact(4).map(f).collect(), w, h)
        .ok_or_else(|| anyhow!("image too small for SSIM or bad buffer: {w}×{h}"))
}

impl Prepared {
    fn new(img: RgbaImage, foreground: Vec<bool>) -> Result<Prepared> {
        if foreground.len() != (img.width * img.height) as usize {
            bail!("mask and image differ in size");
        }
        Ok(Prepared {
            width: img.width as usize,
            height: img.height as usize,
            rgb: [
                plane(&img, |p| p[0] as f32)?,
                plane(&img, |p| p[1] as f32)?,
                plane(&img, |p| p[2] as f32)?,
            ],
            luma: std::cell::OnceCell::new(),
            image: img,
            foreground,
            silhouette_only: false,
        })
    }

    /// The luma plane, made on first use (only the report needs it).
    fn luma(&self) -> Result<&ssim::Plane> {
        if let Some(p) = self.luma.get() {
            return Ok(p);
        }
        let p = plane(&self.image, |p| ssim::luma(p[0], p[1], p[2]))?;
        Ok(self.luma.get_or_init(|| p))
    }
}

impl Prepared {
    /// An image of ours (or any opaque frame) against the empty frame it was drawn over.
    pub fn ours(image: &RgbaImage, background: &RgbaImage) -> Result<Prepared> {
        if (image.width, image.height) != (background.width, background.height) {
            bail!("the frame and the empty frame differ in size");
        }
        let foreground = image
            .pixels
            .chunks_exact(4)
            .zip(background.pixels.chunks_exact(4))
            .map(|(a, b)| (0..3).any(|c| a[c].abs_diff(b[c]) > DIFF_FOREGROUND))
            .collect();
        Prepared::new(image.clone(), foreground)
    }

    /// A reference composited over our background (resized to its size). Its model region is
    /// where its alpha is; a reference without transparent pixels (rendered over a skybox) does not
    /// say, so the model's silhouette is used.
    pub fn reference(reference: &RgbaImage, rendered: &Rendered) -> Result<Prepared> {
        let (img, alpha) = composite(reference, &rendered.background)?;
        let opaque = reference.pixels.chunks_exact(4).all(|p| p[3] == 255);
        let silhouette_only = opaque && rendered.silhouette.len() == alpha.len();
        let foreground = if silhouette_only {
            rendered.silhouette.clone()
        } else {
            alpha.iter().map(|&a| a > ALPHA_FOREGROUND).collect()
        };
        Ok(Prepared {
            silhouette_only,
            ..Prepared::new(img, foreground)?
        })
    }

    /// Share of the frame where the model is.
    pub fn coverage(&self) -> f64 {
        self.foreground.iter().filter(|&&f| f).count() as f64 / self.foreground.len().max(1) as f64
    }
}

/// Grows a mask by `r` pixels (square neighbourhood), with running counts along rows, then columns.
fn dilate(mask: &[bool], width: usize, height: usize, r: usize) -> Vec<bool> {
    // 1D pass: out[i] = any of src[i - r ..= i + r] along lines of `len` cells `stride` apart.
    fn pass(src: &[bool], out: &mut [bool], start: usize, len: usize, stride: usize, r: usize) {
        let mut count = 0usize;
        for i in 0..len.min(r) {
            count += src[start + i * stride] as usize;
        }
        for i in 0..len {
            if i + r < len {
                count += src[start + (i + r) * stride] as usize;
            }
            if i > r {
                count -= src[start + (i - r - 1) * stride] as usize;
            }
            out[start + i * stride] = count > 0;
        }
    }
    if mask.len() != width * height {
        return mask.to_vec();
    }
    let mut rows = vec![false; mask.len()];
    for y in 0..height {
        pass(mask, &mut rows, y * width, width, 1, r);
    }
    let mut out = vec![false; mask.len()];
    for x in 0..width {
        pass(&rows, &mut out, x, height, width, r);
    }
    out
}

fn mask(a: &Prepared, b: &Prepared) -> Result<Vec<bool>> {
    if (a.width, a.height) != (b.width, b.height) {
        bail!(
            "image sizes differ: {}×{} and {}×{}",
            a.width,
            a.height,
            b.width,
            b.height
        );
    }
    // Against a reference drawn over a skybox, only where the model is: its background is not ours.
    for p in [a, b] {
        if p.silhouette_only {
            return Ok(p.foreground.clone());
        }
    }
    let union: Vec<bool> = a
        .foreground
        .iter()
        .zip(&b.foreground)
        .map(|(x, y)| *x || *y)
        .collect();
    Ok(dilate(&union, a.width, a.height, ssim::WINDOW / 2))
}

fn masked(a: &ssim::Plane, b: &ssim::Plane, mask: &[bool]) -> Result<f64> {
    let map = ssim::ssim_map(a, b).ok_or_else(|| anyhow!("image sizes differ"))?;
    Ok(map.masked_mean(mask).unwrap_or_else(|| map.mean()))
}

/// Masked colour SSIM of two prepared images of the same size: the mean over the red, green and
/// blue planes of the SSIM averaged over the windows centred in the union of both foregrounds
/// grown by half a window (the whole frame when both are empty).
pub fn score(a: &Prepared, b: &Prepared) -> Result<f64> {
    let mask = mask(a, b)?;
    let mut sum = 0.0;
    for (pa, pb) in a.rgb.iter().zip(&b.rgb) {
        sum += masked(pa, pb, &mask)?;
    }
    Ok(sum / 3.0)
}

/// The same masked SSIM on luma alone (Rec. 601), for the report.
pub fn score_luma(a: &Prepared, b: &Prepared) -> Result<f64> {
    masked(a.luma()?, b.luma()?, &mask(a, b)?)
}

/// One reference scored against our render and against the empty frame.
pub struct Comparison {
    /// Renderer name.
    pub renderer: String,
    /// Our render against the reference (masked colour SSIM); `None` when the reference is
    /// blank (left out).
    pub ours: Option<f64>,
    /// The empty frame (no model) against the reference: what a render that lost the model gets.
    pub empty: f64,
    /// The reference, composited over our background.
    pub reference: Prepared,
}

/// Scores `rendered` against every reference of `scenario`. Returns our prepared render too.
pub fn compare(rendered: &Rendered, scenario: &Scenario) -> Result<(Prepared, Vec<Comparison>)> {
    let ours = Prepared::ours(&rendered.image, &rendered.background)?;
    let empty = Prepared::ours(&rendered.background, &rendered.background)?;
    let mut out = Vec::new();
    for r in &scenario.references {
        let reference = Prepared::reference(&load_reference(&r.file)?, rendered)?;
        let blank = reference.coverage() < BLANK_REFERENCE;
        out.push(Comparison {
            renderer: r.renderer.clone(),
            ours: if blank {
                None
            } else {
                Some(score(&ours, &reference)?)
            },
            empty: score(&empty, &reference)?,
            reference,
        });
    }
    Ok((ours, out))
}

/// What the gate looks at for one model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Best masked colour SSIM of our render over the usable references (`None`: no reference).
    pub best: Option<f64>,
    /// Best score of the frame without the model over the same references.
    pub empty: Option<f64>,
    /// Best score of a black frame over the same references.
    pub black: Option<f64>,
    /// Share of the frame where our render differs from the empty frame.
    pub coverage: f64,
    /// Distinct colours (5 bits per channel) there.
    pub colours: usize,
}

/// Sums up a render and its comparisons (from [`compare`]).
pub fn summarize(rendered: &Rendered, comparisons: &[Comparison]) -> Result<Summary> {
    let black = RgbaImage {
        width: rendered.image.width,
        height: rendered.image.height,
        pixels: [0, 0, 0, 255].repeat(rendered.image.pixels.len() / 4),
    };
    let black = Prepared::ours(&black, &rendered.background)?;
    let max = |a: Option<f64>, b: f64| Some(a.map_or(b, |a| a.max(b)));
    let mut s = Summary {
        best: None,
        empty: None,
        black: None,
        coverage: coverage(&rendered.image, &rendered.background),
        colours: distinct_colours(&rendered.image, &rendered.background),
    };
    for c in comparisons {
        let Some(ours) = c.ours else { continue };
        s.best = max(s.best, ours);
        s.empty = max(s.empty, c.empty);
        s.black = max(s.black, score(&black, &c.reference)?);
    }
    Ok(s)
}

/// Number of distinct colours (5 bits per channel) among the pixels where our render differs
/// from the empty frame.
pub fn distinct_colours(image: &RgbaImage, background: &RgbaImage) -> usize {
    let mut seen = std::collections::HashSet::new();
    for (p, bg) in image
        .pixels
        .chunks_exact(4)
        .zip(background.pixels.chunks_exact(4))
    {
        if (0..3).any(|c| p[c].abs_diff(bg[c]) > DIFF_FOREGROUND) {
            seen.insert((p[0] >> 3, p[1] >> 3, p[2] >> 3));
        }
    }
    seen.len()
}

/// Share of the frame where `image` differs from the empty frame.
pub fn coverage(image: &RgbaImage, background: &RgbaImage) -> f64 {
    let n = image
        .pixels
        .chunks_exact(4)
        .zip(background.pixels.chunks_exact(4))
        .filter(|(p, bg)| (0..3).any(|c| p[c].abs_diff(bg[c]) > DIFF_FOREGROUND))
        .count();
    n as f64 / (image.pixels.len() / 4).max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orbit_convention_matches_the_generator() {
        let c = ScenarioCamera {
            theta: 0.0,
            phi: 90.0,
            radius: 2.0,
            target: Vec3::new(0.0, 1.0, 0.0),
            vertical_fov: 45.0,
        };
        assert!((c.eye() - Vec3::new(0.0, 1.0, 2.0)).length() < 1e-5);
        let c = ScenarioCamera {
            theta: 90.0,
            phi: 60.0,
            ..c
        };
        let e = c.eye() - c.target;
        assert!(
            e.x > 1.7 && e.y > 0.99 && e.y < 1.01 && e.z.abs() < 1e-5,
            "{e}"
        );
    }

    #[test]
    fn camera_at_target_looks_down_negative_z() {
        let c = ScenarioCamera {
            theta: 0.0,
            phi: 90.0,
            radius: 0.0,
            target: Vec3::new(0.0, 0.0, 0.0),
            vertical_fov: 45.0,
        };
        let b = Bounds {
            min: Vec3::splat(-5.0),
            max: Vec3::splat(5.0),
        };
        let p = c.projection(&b, 100, 100);
        let (px, _) = p.project(Vec3::new(0.0, 0.0, -3.0)).unwrap();
        assert!((px - Vec2::new(50.0, 50.0)).length() < 1e-3);
        assert!(p.project(Vec3::new(0.0, 0.0, 3.0)).is_none());
    }

    #[test]
    fn composite_uses_premultiplied_alpha() {
        let reference = RgbaImage {
            width: 2,
            height: 1,
            pixels: vec![200, 100, 0, 255, 9, 9, 9, 0],
        };
        let background = RgbaImage {
            width: 2,
            height: 1,
            pixels: vec![50, 50, 50, 255, 50, 60, 70, 255],
        };
        let (img, alpha) = composite(&reference, &background).unwrap();
        assert_eq!(img.pixels, vec![200, 100, 0, 255, 50, 60, 70, 255]);
        assert_eq!(alpha, vec![1.0, 0.0]);
    }

    #[test]
    fn dilate_grows_by_r() {
        let mut m = vec![false; 25];
        m[12] = true;
        let d = dilate(&m, 5, 5, 1);
        assert_eq!(d.iter().filter(|&&x| x).count(), 9);
        assert!(d[6] && d[18] && !d[0]);
        // Against a direct computation on an irregular mask.
        let (w, h, r) = (13, 9, 2);
        let m: Vec<bool> = (0..w * h).map(|i| (i * 37) % 23 == 0).collect();
        let d = dilate(&m, w, h, r);
        for y in 0..h {
            for x in 0..w {
                let want = (y.saturating_sub(r)..=(y + r).min(h - 1))
                    .any(|yy| (x.saturating_sub(r)..=(x + r).min(w - 1)).any(|xx| m[yy * w + xx]));
                assert_eq!(d[y * w + x], want, "{x},{y}");
            }
        }
    }
}
