//! Renderer behaviour on a real GPU (lavapipe in CI): seam-free panoramas, render on demand,
//! cross-fades, hidden object hotspots, and clear errors for broken assets.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use anyhow::Result;
use disan_assets::RgbaImage;
use disan_render::{GpuContext, TextureSource};
use disan_tour::input::Input;
use disan_tour::model::{Tour, View};
use disan_viewer::app::{Action, App, Payload};
use disan_viewer::native::{self, RenderOptions, TourSource};
use glam::Vec2;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// An equirectangular image whose colour varies smoothly and periodically with yaw.
fn periodic_pano(w: u32, h: u32) -> RgbaImage {
    let mut pixels = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            let u = (x as f32 + 0.5) / w as f32;
            let a = (u * std::f32::consts::TAU).cos() * 0.5 + 0.5;
            let b = (y as f32 / h as f32 * 6.0).sin() * 0.5 + 0.5;
            pixels.extend_from_slice(&[(a * 255.0) as u8, (b * 200.0) as u8, 90, 255]);
        }
    }
    RgbaImage {
        width: w,
        height: h,
        pixels,
    }
}

fn tour() -> Tour {
    Tour::from_json(
        br#"{"version":1,"scenes":[{"id":"p","kind":"panorama","image":"p.png","hotspots":[
        {"kind":"info","yaw":0,"pitch":0,"entry":"e","label":"E"}]},
        {"id":"q","kind":"panorama","image":"q.png"}],"catalog":[{"id":"e","title":"E"}]}"#,
        "t.json",
    )
    .unwrap()
}

/// Goes to panorama scene `id` (at `view`) and hands it `img`, as a shell would.
fn show_pano(app: &mut App, ctx: &GpuContext, id: &str, view: Option<View>, img: RgbaImage) {
    app.visit.go(id, view).unwrap();
    let requests = app.visit.take_requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    app.deliver(
        ctx,
        requests[0].id,
        Payload::Panorama(TextureSource::Rgba(img)),
    );
    assert_eq!(app.visit.current(), Some(id));
}

fn capture(app: &mut App, ctx: &GpuContext) -> Result<RgbaImage> {
    Ok(app.capture(ctx, 10.0)?)
}

#[test]
fn no_seam_at_180_degrees() -> Result<()> {
    let ctx = GpuContext::headless()?;
    // The seam can only show where a 2×2 pixel quad straddles it, so look at it from several
    // sub-pixel offsets.
    let mut worst_at_seam = 0;
    let mut worst_elsewhere = 0;
    for k in 0..6 {
        let mut app = App::new(&ctx, tour(), 256.0, 128.0, 1.0);
        let yaw = 180.0 + k as f32 * 0.09;
        show_pano(
            &mut app,
            &ctx,
            "q",
            Some(View {
                yaw,
                pitch: 0.0,
                fov: Some(60.0),
                distance: None,
                target: None,
            }),
            periodic_pano(1024, 512),
        );
        let img = capture(&mut app, &ctx)?;
        if let Some(p) = std::env::var_os("DISAN_DUMP") {
            native::write_png(&img, std::path::Path::new(&p))?;
        }
        // The seam is near the middle column; the red channel must change there no more than
        // between any other neighbouring columns (plus rounding).
        let red = |x: u32, y: u32| img.pixels[((y * img.width + x) * 4) as usize] as i32;
        for y in (8..120).step_by(4) {
            for x in 1..img.width {
                let d = (red(x, y) - red(x - 1, y)).abs();
                if (120..=136).contains(&x) {
                    worst_at_seam = worst_at_seam.max(d);
                } else {
                    worst_elsewhere = worst_elsewhere.max(d);
                }
            }
        }
    }
    assert!(
        worst_at_seam <= worst_elsewhere + 3,
        "seam step {worst_at_seam} vs {worst_elsewhere} elsewhere"
    );
    Ok(())
}

#[test]
fn idle_view_draws_nothing_and_fades_end() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let mut app = App::new(&ctx, tour(), 64.0, 32.0, 1.0);
    assert!(app.visit.needs_frame(), "a new view needs its first frame");
    show_pano(&mut app, &ctx, "p", None, periodic_pano(64, 32));
    let target = disan_render::RenderTarget::texture(&ctx, 64, 32);
    let disan_render::RenderTarget::Texture { texture } = &target else {
        unreachable!()
    };
    let view = texture.create_view(&Default::default());
    // The first frame reads level 0 only; the mip chain is made for the second, then nothing.
    assert!(
        app.render(&ctx, &view, target.format(), 0.0),
        "the first frame asks for the one that makes the mip chain"
    );
    assert!(app.visit.update(0.016));
    let more = app.render(&ctx, &view, target.format(), 0.016);
    assert!(!more, "a still panorama needs no third frame");
    assert!(!app.visit.update(0.016), "idle: nothing to draw");
    // A scene change cross-fades: frames are needed until the fade ends, then none.
    show_pano(&mut app, &ctx, "q", None, periodic_pano(64, 32));
    assert!(app.visit.update(0.016));
    assert!(
        app.render(&ctx, &view, target.format(), 1.0),
        "fade running"
    );
    assert!(
        app.render(&ctx, &view, target.format(), 1.2),
        "fade running"
    );
    assert!(!app.render(&ctx, &view, target.format(), 2.0), "fade over");
    assert!(!app.visit.update(0.016));
    // Input moves the view: a frame is needed.
    app.visit.input(Input::Wheel { delta: 100.0 }, 3.0);
    assert!(app.visit.update(0.016));
    Ok(())
}

#[test]
fn clicking_a_marker_picks_its_hotspot() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let mut app = App::new(&ctx, tour(), 400.0, 300.0, 1.0);
    show_pano(&mut app, &ctx, "p", None, periodic_pano(64, 32));
    let centre = Vec2::new(200.0, 150.0);
    let down = Input::PointerDown {
        id: 1,
        pos: centre,
        button: disan_tour::PointerButton::Primary,
    };
    app.visit.input(down, 0.0);
    let action = app
        .visit
        .input(Input::PointerUp { id: 1, pos: centre }, 0.05);
    assert_eq!(
        action,
        Some(Action::Open {
            entry: "e".into(),
            hotspot: 0
        })
    );
    app.visit.input(
        Input::PointerDown {
            id: 1,
            pos: Vec2::new(20.0, 20.0),
            button: disan_tour::PointerButton::Primary,
        },
        1.0,
    );
    assert_eq!(
        app.visit.input(
            Input::PointerUp {
                id: 1,
                pos: Vec2::new(20.0, 20.0)
            },
            1.05
        ),
        None
    );
    Ok(())
}

#[test]
fn object_hotspot_behind_the_drum_is_hidden() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let src = TourSource::locate(&root().join("assets/demo"));
    let tour = native::load_tour(&src)?;
    let scene = tour.scene("trong-dong").expect("demo has the drum").clone();
    let mut app = App::new(&ctx, tour, 320.0, 240.0, 1.0);
    app.visit.go("trong-dong", None).unwrap();
    native::fulfil_all(&mut app, &ctx, &src);
    assert_eq!(app.visit.current(), Some("trong-dong"));
    let overlay = app.visit.overlay();
    assert_eq!(overlay.len(), scene.hotspots.len());
    assert!(
        overlay.iter().any(|o| o.hidden),
        "the hotspot on the back is hidden from the front"
    );
    assert!(
        overlay.iter().any(|o| !o.hidden && o.visible),
        "the front hotspots are visible"
    );
    // Hidden hotspots cannot be clicked through the drum.
    for o in overlay.iter().filter(|o| o.hidden && o.visible) {
        assert_eq!(app.visit.pick(o.position), None);
    }
    for o in overlay.iter().filter(|o| !o.hidden && o.visible) {
        assert_eq!(app.visit.pick(o.position), Some(o.index));
    }
    Ok(())
}

#[test]
fn broken_model_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("disan-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("tour.json"),
        br#"{"version":1,"scenes":[{"id":"m","kind":"object","model":"m.glb"}]}"#,
    )
    .unwrap();
    std::fs::write(dir.join("m.glb"), b"glTF\x02\x00\x00\x00garbage").unwrap();
    let src = TourSource::locate(&dir);
    let tour = native::load_tour(&src).unwrap();
    let ctx = GpuContext::headless().unwrap();
    let err = native::render_tour(
        &ctx,
        &src,
        tour,
        &RenderOptions {
            scene: None,
            view: None,
            width: 32,
            height: 32,
            hide_markers: false,
            inspection: Default::default(),
        },
    )
    .unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains("m.glb"), "{msg}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_panorama_holds_at_most_1_4_times_its_pixels_on_the_gpu() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let mut app = App::new(&ctx, tour(), 320.0, 200.0, 1.0);
    let (w, h) = (2048u32, 1024u32);
    show_pano(&mut app, &ctx, "p", None, periodic_pano(w, h));
    // Two frames: the first reads level 0, the second makes the mip chain.
    capture(&mut app, &ctx)?;
    capture(&mut app, &ctx)?;
    let mem = app.renderer.gpu_memory();
    let pixels = (w * h * 4) as u64;
    println!(
        "panorama {w}×{h}: {mem:?}, content {:.3}× its pixels × 4",
        mem.content as f64 / pixels as f64
    );
    assert!(mem.content >= pixels, "{mem:?}");
    assert!(mem.content as f64 <= 1.4 * pixels as f64, "{mem:?}");
    // The neutral studio is not made for panoramas.
    assert_eq!(mem.environment, 0);
    Ok(())
}
