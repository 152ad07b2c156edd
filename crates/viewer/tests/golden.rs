//! Golden-image tests: every demo scene rendered small on the GPU (lavapipe in CI) and compared
//! with a committed reference in tests/golden/ with a tolerance. On failure `<name>.actual.png`
//! and `<name>.diff.png` are written beside the reference. `DISAN_UPDATE_GOLDEN=1` rewrites them.
#![cfg(not(target_arch = "wasm32"))]

use anyhow::{anyhow, Result};
use disan_assets::RgbaImage;
use disan_render::GpuContext;
use disan_testkit::{check_golden, compare, read_png};
use disan_tour::inspect::Inspection;
use disan_tour::model::View;
use disan_viewer::native::{self, RenderOptions, TourSource};
use std::path::PathBuf;

const W: u32 = 320;
const H: u32 = 180;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn check(ctx: &GpuContext, name: &str, scene: &str, view: Option<View>) -> Result<()> {
    check_with(ctx, name, scene, view, Inspection::default())
}

fn check_with(
    ctx: &GpuContext,
    name: &str,
    scene: &str,
    view: Option<View>,
    inspection: Inspection,
) -> Result<()> {
    let src = TourSource::locate(&root().join("assets/demo"));
    let tour = native::load_tour(&src)?;
    let img = native::render_tour(
        ctx,
        &src,
        tour,
        &RenderOptions {
            scene: Some(scene.into()),
            view,
            width: W,
            height: H,
            hide_markers: false,
            inspection,
        },
    )?;
    let golden = root().join("tests/golden").join(format!("{name}.png"));
    check_golden(&golden, name, img.width, img.height, &img.pixels, |_| {}).map_err(|e| anyhow!(e))
}

#[test]
fn demo_scenes_match_references() -> Result<()> {
    let ctx = GpuContext::headless()?;
    let mut failures = Vec::new();
    let cases: [(&str, &str, Option<View>); 5] = [
        ("san-dinh", "san-dinh", None),
        (
            "san-dinh-seam",
            "san-dinh",
            Some(View {
                yaw: 180.0,
                pitch: 0.0,
                fov: Some(90.0),
                distance: None,
                target: None,
            }),
        ),
        ("hau-cung", "hau-cung", None),
        ("trong-dong", "trong-dong", None),
        (
            "trong-dong-back",
            "trong-dong",
            Some(View {
                yaw: 200.0,
                pitch: 35.0,
                fov: None,
                distance: None,
                target: None,
            }),
        ),
    ];
    for (name, scene, view) in cases {
        if let Err(e) = check(&ctx, name, scene, view) {
            failures.push(e.to_string());
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(anyhow!(failures.join("\n")))
    }
}

/// The inspection tools on the drum: clay, a raking light, a section across Y. Each must also
/// differ from the plain render, so that a tool that does nothing fails.
#[test]
fn inspection_tools_match_references() -> Result<()> {
    use disan_tour::inspect::{Axis, InspectView, Raking, Section};
    let ctx = GpuContext::headless()?;
    let cases = [
        (
            "trong-dong-clay",
            Inspection {
                view: InspectView::Clay,
                ..Default::default()
            },
        ),
        (
            "trong-dong-wireframe",
            Inspection {
                view: InspectView::Wireframe,
                ..Default::default()
            },
        ),
        (
            "trong-dong-raking",
            Inspection {
                raking: Some(Raking {
                    azimuth: -60.0,
                    elevation: 10.0,
                }),
                ..Default::default()
            },
        ),
        (
            "trong-dong-section",
            Inspection {
                section: Some(Section {
                    axis: Axis::Y,
                    position: 0.5,
                    flip: false,
                }),
                ..Default::default()
            },
        ),
    ];
    let mut failures = Vec::new();
    for (name, inspection) in cases {
        if let Err(e) = check_with(&ctx, name, "trong-dong", None, inspection) {
            failures.push(e.to_string());
        }
        let a =
            read_png(&root().join(format!("tests/golden/{name}.png"))).map_err(|e| anyhow!(e))?;
        let b = read_png(&root().join("tests/golden/trong-dong.png")).map_err(|e| anyhow!(e))?;
        let mean = compare(&a, &b).mean;
        if mean < 3.0 {
            failures.push(format!(
                "{name} looks like the plain render (mean difference {mean:.2})"
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(anyhow!(failures.join("\n")))
    }
}

#[test]
fn comparison_detects_a_change() {
    let a = RgbaImage {
        width: 10,
        height: 10,
        pixels: vec![100; 400],
    };
    let mut b = a.clone();
    for p in b.pixels.chunks_exact_mut(4).take(10) {
        p[0] = 200;
    }
    let c = compare(&a.pixels, &b.pixels);
    let (bad, mean) = (c.bad, c.mean);
    assert!((bad - 0.1).abs() < 1e-9);
    assert!(mean > 3.0);
    let c = compare(&a.pixels, &a.pixels);
    assert_eq!((c.bad, c.mean), (0.0, 0.0));
}
