//! `disan publish`: tours made into a static site for any static host (at its root or under any
//! sub-path, no server code): checked first, big panoramas tiled, only the files the tour uses
//! copied, the engine builds it needs under a content-hashed folder, a poster of every scene's
//! start view, pages that are found and shared (meta, Open Graph, JSON-LD, per-scene and
//! per-record pages, sitemap) and readable without script or GPU.

mod html;
mod iiif;
mod single;

use crate::common::human;
use anyhow::{anyhow, bail, Context, Result};
use disan_files::Output;
use disan_render::GpuContext;
use disan_tour::model::{Content, PanoramaSource};
use disan_tour::Tour;
use disan_viewer::native::files::FileKind;
use disan_viewer::native::{self, TourSource};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A model file larger than this without derivatives is not published: phones cannot show it.
const MODEL_BUDGET_BYTES: u64 = 16 << 20;

/// What `disan publish` is asked for.
pub(crate) struct Options {
    /// The site folder.
    pub out: PathBuf,
    /// The address the site will have (`https://museum.vn/tours/`): per-scene and per-record
    /// pages, absolute Open Graph addresses, sitemap.xml and robots.txt.
    pub base_url: Option<String>,
    /// The built web engine (`cargo xtask web`'s dist/).
    pub web: PathBuf,
    /// Replace files of an earlier publication.
    pub force: bool,
    /// A IIIF Presentation 3 manifest per catalog record with photos (needs `base_url`).
    pub iiif: bool,
    /// One self-contained HTML file at `out` instead of a site.
    pub single_file: bool,
    /// The largest single file made, in MB.
    pub max_size_mb: Option<u64>,
    /// Say nothing of the site (it is a step towards a single file).
    pub quiet: bool,
}

/// One tour as published: where it went in the site and what its pages say.
pub(crate) struct Published {
    /// Its folder in the site, "" for a site of one tour, else `slug/`.
    pub prefix: String,
    pub tour: Tour,
    /// Its posters: `(scene id, wide, tall, social)` paths relative to the tour's prefix.
    pub posters: Vec<Poster>,
}

/// The pictures of one scene's start view, relative to its tour's folder in the site.
pub(crate) struct Poster {
    pub scene: String,
    /// For landscape screens (scaled to the screen's height).
    pub wide: String,
    /// For portrait screens.
    pub tall: String,
    /// 1200×630, for Open Graph and Twitter cards.
    pub social: String,
    /// True for a panorama (its height is the view's), false for an object in portrait (its
    /// width is).
    pub panorama: bool,
}

/// Poster sizes: wide enough for every landscape screen (scaled by height, cropped at the
/// sides), square or tall for portrait ones; a few tens of KB each as JPEG.
const WIDE: (u32, u32) = (1280, 544);
const TALL_PANORAMA: (u32, u32) = (720, 720);
const TALL_OBJECT: (u32, u32) = (544, 1280);
const SOCIAL: (u32, u32) = (1200, 630);
const POSTER_QUALITY: u8 = 60;

pub(crate) fn publish(tours: &[PathBuf], opts: &Options) -> Result<()> {
    if !opts.single_file {
        return publish_site(tours, opts).map(|_| ());
    }
    if tours.len() != 1 {
        bail!("--single-file makes one tour one file: name one tour");
    }
    let out = &opts.out;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n.to_ascii_lowercase().ends_with(".html"))
        .ok_or_else(|| {
            anyhow!(
                "--single-file: --out names the file to write, ending in .html (got {})",
                out.display()
            )
        })?;
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let output = Output::create(dir, opts.force)
        .map_err(|e| anyhow!("{}: {}", dir.display(), e.reason()))?;
    if output.exists(&name) && !opts.force {
        bail!(
            "{}: already exists; not overwritten (use --force to replace it)",
            out.display()
        );
    }
    let stage = Staged(std::env::temp_dir().join(format!(
        "disan-single-{}-{}",
        std::process::id(),
        STAGE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )));
    let engine = publish_site(
        tours,
        &Options {
            out: stage.0.clone(),
            base_url: None,
            web: opts.web.clone(),
            force: true,
            iiif: false,
            single_file: false,
            max_size_mb: None,
            quiet: true,
        },
    )?;
    let html = single::assemble(&stage.0, &engine)?;
    let size = html.len() as u64;
    let limit = opts.max_size_mb.unwrap_or(single::LIMIT_MB) << 20;
    if size > limit {
        bail!(
            "{}: not written: the single file would be {}, over the {} one file may be (browsers and \
             e-mail struggle with more; --max-size MB allows more); publish it as a site instead \
             (without --single-file)",
            out.display(),
            human(size),
            human(limit)
        );
    }
    output
        .write(&name, html.as_bytes())
        .map_err(|e| anyhow!("{}: {}", out.display(), e.reason()))?;
    println!(
        "{}: one file, {}; it opens from a disk or an e-mail (file://)",
        out.display(),
        human(size)
    );
    Ok(())
}

/// Writes the site; returns the engine's folder in it.
fn publish_site(tours: &[PathBuf], opts: &Options) -> Result<String> {
    if tours.is_empty() {
        bail!("name at least one tour folder to publish");
    }
    let base_url = opts.base_url.as_deref().map(check_base_url).transpose()?;
    if opts.iiif && base_url.is_none() {
        bail!("--iiif needs --base-url: a IIIF manifest names its images by their full address");
    }
    let engine_dir = &opts.web;
    if !engine_dir.join("disan.js").is_file() || !engine_dir.join("pkg").is_dir() {
        bail!(
            "the web engine is not built at {} (disan.js and pkg/ are missing): run `cargo xtask web` \
             in the Disan checkout, or name the built folder with --web",
            engine_dir.display()
        );
    }
    let output = Output::create(&opts.out, opts.force)
        .map_err(|e| anyhow!("{}: {}", opts.out.display(), e.reason()))?;

    // Every tour checked before anything is written.
    let mut sources = Vec::new();
    for path in tours {
        let src = TourSource::locate(path);
        let (tour, used) = check(&src)?;
        sources.push((src, tour, used));
    }
    let ctx = GpuContext::headless()?;
    let mut slugs = BTreeSet::new();
    let mut published = Vec::new();
    let mut needs = EngineNeeds::default();
    for (src, tour, used) in sources {
        let prefix = if tours.len() == 1 {
            String::new()
        } else {
            let base = src
                .dir
                .canonicalize()
                .ok()
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "tour".into());
            let first = slug(&base);
            let mut name = first.clone();
            let mut n = 2;
            while !slugs.insert(name.clone()) {
                name = format!("{first}-{n}");
                n += 1;
            }
            format!("{name}/")
        };
        let staged = prepare(&src, &tour, &used)?;
        let (src, tour, used) = match &staged {
            Some(dir) => {
                let s = TourSource::locate(&dir.0);
                let (t, u) = check(&s)?;
                (s, t, u)
            }
            None => (src, tour, used),
        };
        let mut bytes = 0u64;
        for rel in &used {
            let data = src
                .read_kind(rel, FileKind::guess(rel))
                .map_err(|e| anyhow!("{}: {}", src.dir.join(rel).display(), e.reason()))?;
            if FileKind::guess(rel) == FileKind::Model {
                // The web engine decodes no compressed glTF itself: one module a codec used.
                let codecs = disan_assets::model::codecs_used(&data);
                for module in disan_assets::model::decoder_modules(&codecs) {
                    if !needs.decoders.contains(&module) {
                        needs.decoders.push(module);
                    }
                }
            }
            bytes += data.len() as u64;
            write(&output, &format!("{prefix}tour/{rel}"), &data)?;
        }
        if tour
            .scenes
            .iter()
            .any(|s| matches!(s.content, Content::Object(_)))
        {
            needs.objects = true;
        } else {
            needs.panoramas = true;
        }
        let posters = posters(&ctx, &src, &tour, &output, &prefix)?;
        if let (true, Some(base)) = (opts.iiif, &base_url) {
            manifests(&src, &tour, &output, base, &prefix)?;
        }
        if !opts.quiet {
            println!(
                "{}: {} file(s), {}, {} poster(s) -> {}{}",
                src.file.display(),
                used.len(),
                human(bytes),
                posters.len(),
                opts.out.display(),
                if prefix.is_empty() {
                    String::new()
                } else {
                    format!("/{prefix}")
                }
            );
        }
        published.push(Published {
            prefix,
            tour,
            posters,
        });
    }

    let engine = copy_engine(engine_dir, &needs, &output)?;
    let site = html::Site {
        iiif: opts.iiif,
        engine: &engine,
        base_url: base_url.as_deref(),
        tours: &published,
    };
    let mut pages = Vec::new();
    for p in &published {
        for (rel, text) in site.tour_pages(p) {
            write(&output, &rel, text.as_bytes())?;
            pages.push(rel);
        }
    }
    if published.len() > 1 {
        write(&output, "index.html", site.index_page().as_bytes())?;
        pages.push("index.html".into());
    }
    if let Some(base) = &base_url {
        write(
            &output,
            "sitemap.xml",
            html::sitemap(base, &pages).as_bytes(),
        )?;
        write(
            &output,
            "robots.txt",
            format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n").as_bytes(),
        )?;
    }
    if opts.quiet {
        return Ok(engine);
    }
    println!(
        "published {} tour(s) to {}: {} page(s), engine {engine}; serve the folder with any static file server",
        published.len(),
        opts.out.display(),
        pages.len()
    );
    Ok(engine)
}

/// `https://host/path/` with its trailing slash; refused when it is not an http(s) address.
fn check_base_url(url: &str) -> Result<String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || url.contains(['"', '<', '>', ' ', '\'', '#', '?'])
    {
        bail!(
            "--base-url wants the site's address, as https://museum.example/tours/ (got \"{url}\")"
        );
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// Writes through the one writer, naming the site file in its error.
fn write(output: &Output, rel: &str, bytes: &[u8]) -> Result<()> {
    output
        .write(rel, bytes)
        .map(|_| ())
        .map_err(|e| anyhow!("{}: {}", output.path(rel).display(), e.reason()))
}

/// The tour checked as `disan validate` checks it, and every file that check read: what the
/// tour uses (tour, catalog, pictures, tiles, models and their buffers, thumbnails, photos,
/// audio, captions). An invalid tour is refused with validate's messages.
fn check(src: &TourSource) -> Result<(Tour, BTreeSet<String>)> {
    let name = src.file_name();
    let used = RefCell::new(BTreeSet::new());
    let read = |rel: &str| {
        let kind = if rel == name {
            FileKind::Json
        } else {
            FileKind::guess(rel)
        };
        let got = src.read_kind(rel, kind).map_err(|e| e.reason());
        if got.is_ok() {
            used.borrow_mut().insert(rel.to_string());
        }
        got
    };
    let (tour, report) = disan_assets::check_tour(&name, &read);
    if !report.is_ok() {
        for p in &report.problems {
            eprintln!("{p}");
        }
        bail!(
            "{}: not published: {} problem(s) (the same as `disan validate` prints)",
            src.file.display(),
            report.problems.len()
        );
    }
    let tour = tour.ok_or_else(|| anyhow!("{}: does not load", src.file.display()))?;
    // The tour file is published as tour.json, whatever its name.
    let mut used = used.into_inner();
    if name != "tour.json" {
        bail!(
            "{}: a published tour's file is tour.json; rename it (its folder is the tour)",
            src.file.display()
        );
    }
    used.insert(name);
    Ok((tour, used))
}

/// A name for a URL or a folder made of `s`: `Đình Bảng` -> `dinh-bang` ("scene" when nothing
/// is left), as the studio names scenes after their files.
fn slug(s: &str) -> String {
    disan_tour::editor::id_from_file(&format!("{s}.x"), &[])
}

/// A copy of a tour made to be published, removed when dropped.
struct Staged(PathBuf);

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What the web cannot show as it is: a panorama over the phones' 4096-pixel textures is tiled
/// (in a staged copy of the tour: the author's folder is never changed); a model over the
/// budget without derivatives is refused with what to run. None when nothing needs doing.
fn prepare(src: &TourSource, tour: &Tour, used: &BTreeSet<String>) -> Result<Option<Staged>> {
    let side = disan_assets::check::PHONE_SIDE;
    let mut big = Vec::new();
    for scene in &tour.scenes {
        match &scene.content {
            Content::Panorama(p) => {
                if let PanoramaSource::Image { image, coverage } = &p.source {
                    let bytes = src.read_kind(image, FileKind::Image).map_err(|e| {
                        anyhow!("{}: {}", src.dir.join(image).display(), e.reason())
                    })?;
                    let (w, h) = disan_tiler::image_size(&bytes)
                        .map_err(|e| anyhow!("{}: {e}", src.dir.join(image).display()))?;
                    if w > side || h > side {
                        big.push((scene.id.clone(), image.clone(), *coverage));
                    }
                }
            }
            Content::Object(o) => {
                if let (Some(model), true) = (&o.model, o.derivatives.is_empty()) {
                    let size = std::fs::metadata(src.dir.join(model))
                        .map(|m| m.len())
                        .unwrap_or(0);
                    if size > MODEL_BUDGET_BYTES {
                        bail!(
                            "{}: scene \"{}\": {model} is {}, over the {} one model may take on a phone, \
                             and it has no derivatives; make them with `disan optimize {} --out <folder>` \
                             and use that scene (or `disan studio`, which does it when a model is added)",
                            src.file.display(),
                            scene.id,
                            human(size),
                            human(MODEL_BUDGET_BYTES),
                            src.dir.join(model).display()
                        );
                    }
                }
            }
        }
    }
    if big.is_empty() {
        return Ok(None);
    }
    let dir = std::env::temp_dir().join(format!(
        "disan-publish-{}-{}",
        std::process::id(),
        STAGE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let staged = Staged(dir.clone());
    let output =
        Output::create(&dir, true).map_err(|e| anyhow!("{}: {}", dir.display(), e.reason()))?;
    for rel in used {
        let data = src
            .read_kind(rel, FileKind::guess(rel))
            .map_err(|e| anyhow!("{}: {}", src.dir.join(rel).display(), e.reason()))?;
        write(&output, rel, &data)?;
    }
    for (id, image, coverage) in big {
        println!(
            "{}: scene \"{id}\": {image} is over {side} pixels: tiling it",
            src.file.display()
        );
        let mut extra = vec![
            "--tour".to_string(),
            dir.join("tour.json").display().to_string(),
            "--scene".into(),
            id.clone(),
            "--force".into(),
        ];
        if let Some(c) = coverage {
            for (flag, v) in [
                ("--haov", c.haov),
                ("--vaov", c.vaov),
                ("--v-offset", c.v_offset),
                ("--h-offset", c.h_offset),
            ] {
                extra.push(flag.into());
                extra.push(v.to_string());
            }
        }
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        crate::studio::disan(
            &["tile"],
            &dir.join(&image),
            &dir.join(format!("tiles/{}", slug(&id))),
            &extra,
        )
        .map_err(|e| {
            anyhow!(
                "{}: scene \"{id}\": tiling {image} failed: {e}",
                src.file.display()
            )
        })?;
    }
    Ok(Some(staged))
}

static STAGE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Every scene's start view as posters (wide, tall, social), as `disan render` draws it without
/// markers: the same view the engine's first frame shows, so that it replaces the poster in
/// place.
fn posters(
    ctx: &GpuContext,
    src: &TourSource,
    tour: &Tour,
    output: &Output,
    prefix: &str,
) -> Result<Vec<Poster>> {
    let mut out = Vec::new();
    let mut taken = BTreeSet::new();
    for scene in &tour.scenes {
        let panorama = matches!(scene.content, Content::Panorama(_));
        // Two ids may make one name (`sân đình`, `san-dinh`): the second gets a number.
        let mut safe = slug(&scene.id);
        let mut n = 2;
        while !taken.insert(safe.clone()) {
            safe = format!("{}-{n}", slug(&scene.id));
            n += 1;
        }
        let tall = if panorama { TALL_PANORAMA } else { TALL_OBJECT };
        let names = [
            (format!("posters/{safe}.jpg"), WIDE),
            (format!("posters/{safe}-tall.jpg"), tall),
            (format!("posters/{safe}-social.jpg"), SOCIAL),
        ];
        for (rel, (w, h)) in &names {
            let opts = native::RenderOptions {
                scene: Some(scene.id.clone()),
                view: None,
                width: *w,
                height: *h,
                hide_markers: true,
                inspection: Default::default(),
            };
            let img = native::render_tour(ctx, src, tour.clone(), &opts)
                .with_context(|| format!("poster of scene \"{}\"", scene.id))?;
            let rgb = image::RgbaImage::from_raw(img.width, img.height, img.pixels)
                .map(|i| image::DynamicImage::ImageRgba8(i).to_rgb8())
                .ok_or_else(|| anyhow!("bad image buffer"))?;
            let mut jpeg = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, POSTER_QUALITY)
                .encode_image(&rgb)
                .with_context(|| format!("cannot encode {rel}"))?;
            write(output, &format!("{prefix}{rel}"), &jpeg)?;
        }
        let [wide, tall, social] = names.map(|(r, _)| r);
        out.push(Poster {
            scene: scene.id.clone(),
            wide,
            tall,
            social,
            panorama,
        });
    }
    Ok(out)
}

/// The IIIF manifests of the tour's records that have photos in the tour folder:
/// `iiif/<record>/manifest.json`.
fn manifests(
    src: &TourSource,
    tour: &Tour,
    output: &Output,
    base: &str,
    prefix: &str,
) -> Result<()> {
    for e in &tour.catalog {
        let mut photos = Vec::new();
        for img in &e.images {
            if img.src.starts_with("data:") || img.src.contains("://") {
                continue;
            }
            let bytes = src
                .read_kind(&img.src, FileKind::Image)
                .map_err(|err| anyhow!("{}: {}", src.dir.join(&img.src).display(), err.reason()))?;
            let reader = image::ImageReader::new(std::io::Cursor::new(&bytes))
                .with_guessed_format()
                .with_context(|| format!("{}", src.dir.join(&img.src).display()))?;
            let format = match reader.format() {
                Some(image::ImageFormat::Png) => "image/png",
                Some(image::ImageFormat::WebP) => "image/webp",
                _ => "image/jpeg",
            };
            let (width, height) = reader
                .into_dimensions()
                .with_context(|| format!("{}: size unknown", src.dir.join(&img.src).display()))?;
            photos.push(iiif::Photo {
                url: format!("{base}{prefix}tour/{}", html::file_url(&img.src)),
                width,
                height,
                format,
                caption: img.caption.clone(),
            });
        }
        if photos.is_empty() {
            continue;
        }
        let rel = format!("{prefix}iiif/{}/manifest.json", html::seg(&e.id));
        let home = format!("{base}{prefix}record/{}/", html::seg(&e.id));
        let m = iiif::manifest(e, &format!("{base}{rel}"), &home, &photos, &tour.languages);
        write(output, &rel, serde_json::to_string_pretty(&m)?.as_bytes())?;
    }
    Ok(())
}

/// Which engine builds the site's tours need.
#[derive(Default)]
struct EngineNeeds {
    /// A tour of panoramas only: the smaller engine.
    panoramas: bool,
    /// A tour with 3D objects: the engine that shows them.
    objects: bool,
    /// The decoder modules of the compressed models (`model::decoder_modules`).
    decoders: Vec<&'static str>,
}

/// Copies the engine files the tours need into `engine/<hash>/` (the hash of their contents:
/// a host may cache them for a year, a new engine gets a new folder). Returns that folder.
fn copy_engine(web: &Path, needs: &EngineNeeds, output: &Output) -> Result<String> {
    let mut files = vec!["disan.js".to_string(), "disan.css".to_string()];
    let mut package = |name: &str| {
        files.push(format!("pkg/{name}.js"));
        files.push(format!("pkg/{name}_bg.wasm"));
    };
    if needs.panoramas {
        package("disan_webgpu_pano");
        package("disan_webgl_pano");
    }
    if needs.objects {
        package("disan_webgpu");
        package("disan_webgl");
    }
    for module in &needs.decoders {
        package(&format!("disan_{module}"));
    }
    let folder =
        disan_files::Folder::new(web).map_err(|e| anyhow!("{}: {}", web.display(), e.reason()))?;
    let mut data = Vec::new();
    let mut hasher = disan_files::Fingerprint::default();
    for rel in &files {
        let bytes = folder.read(rel, FileKind::Buffer).map_err(|e| {
            anyhow!(
                "{}: {} (is the web engine built? `cargo xtask web`)",
                web.join(rel).display(),
                e.reason()
            )
        })?;
        hasher.write(rel.as_bytes());
        hasher.write(&bytes);
        data.push((rel, bytes));
    }
    let dir = format!("engine/{}", hasher.hex());
    for (rel, bytes) in data {
        let path = format!("{dir}/{rel}");
        if output.exists(&path) {
            continue; // the same name is the same content
        }
        write(output, &path, &bytes)?;
    }
    Ok(dir)
}
