//! The `disan` command: validate exit codes and messages, render writes a PNG.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::copy_dir;
use std::process::Command;

fn disan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_disan"))
}

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn validate_demo_passes_and_broken_tour_fails() {
    let out = disan()
        .arg("validate")
        .arg(root().join("assets/demo"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let dir = std::env::temp_dir().join(format!("disan-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("tour.json"),
        br#"{"version":1,"scenes":[{"id":"a","kind":"panorama","image":"nope.jpg","hotspots":[{"kind":"link","yaw":0,"pitch":0,"target":"zz","label":"x"}]}]}"#,
    )
    .unwrap();
    let out = disan().arg("validate").arg(&dir).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("tour.json: $.scenes[0].image: missing file \"nope.jpg\""),
        "{text}"
    );
    assert!(
        text.contains("tour.json: $.scenes[0].hotspots[0].target: links to unknown scene \"zz\""),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn scenes_that_cannot_be_read_are_all_listed_by_validate_and_refused_by_render() {
    let dir = std::env::temp_dir().join(format!("disan-cli-shape-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("tour.json"),
        br#"{"version":1,"start_scene":"zz","scenes":[
          {"id":"a","kind":"panorama","image":"a.jpg","cube":["f","r","b","l","u","d"]},
          {"id":"b","kind":"panorama","image":"b.jpg","hotspots":[
            {"kind":"link","yaw":0,"pitch":0,"label":"x"},
            {"kind":"info","position":[0,0,0],"entry":"e","label":"y"}]}]}"#,
    )
    .unwrap();
    let out = disan().arg("validate").arg(&dir).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for expected in [
        "tour.json: $.start_scene: start scene \"zz\" does not exist",
        "tour.json: $.scenes[0].image: give one of \"image\", \"cube\" and \"tiles\", not several",
        "tour.json: $.scenes[1].hotspots[0]: link hotspot needs a \"target\" scene",
        "tour.json: $.scenes[1].hotspots[1]: panorama hotspot needs \"yaw\" and \"pitch\"",
        "tour.json: $.scenes[1].hotspots[1].entry: refers to unknown catalog entry \"e\"",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }

    let png = dir.join("out.png");
    let out = disan()
        .arg("render")
        .arg(&dir)
        .args(["--width", "64", "--height", "32", "--out"])
        .arg(&png)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && !png.exists(), "{err}");
    assert!(
        err.contains("tour.json: $.scenes[0]: image: give one of"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn render_writes_a_png_of_the_requested_size() {
    let out_png = std::env::temp_dir().join(format!("disan-cli-{}.png", std::process::id()));
    let out = disan()
        .args(["render"])
        .arg(root().join("assets/demo"))
        .args([
            "--scene",
            "trong-dong",
            "--orbit",
            "30,20",
            "--width",
            "96",
            "--height",
            "64",
            "--out",
        ])
        .arg(&out_png)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let img = image::open(&out_png).unwrap();
    assert_eq!((img.width(), img.height()), (96, 64));
    std::fs::remove_file(&out_png).ok();
    let out = disan()
        .args(["render", "/nonexistent/tour", "--out", "/tmp/x.png"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/tour"));
}

/// `disan render --turn`: the kiosk frame-rate measurement drags the view of a panorama and of
/// an object (it fails when the view did not turn) and reports the frames it drew.
#[test]
fn render_turn_draws_frames_while_the_view_turns() {
    for scene in ["san-dinh", "trong-dong"] {
        let out_png =
            std::env::temp_dir().join(format!("disan-turn-{scene}-{}.png", std::process::id()));
        let out = disan()
            .args(["render"])
            .arg(root().join("assets/demo"))
            .args([
                "--scene", scene, "--width", "64", "--height", "48", "--turn", "0", "--out",
            ])
            .arg(&out_png)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{scene}: {}{text}",
            String::from_utf8_lossy(&out.stderr)
        );
        let line = text
            .lines()
            .find(|l| l.starts_with("turned: "))
            .unwrap_or_else(|| panic!("{scene}: no 'turned:' line in {text}"));
        let frames: u32 = line["turned: ".len()..]
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{scene}: {line}"));
        assert!(frames >= 3, "{scene}: {line}");
        assert!(
            line.contains("at 64×48") && line.ends_with(" fps"),
            "{line}"
        );
        std::fs::remove_file(&out_png).ok();
    }
    let out = disan()
        .args(["render"])
        .arg(root().join("assets/demo"))
        .args(["--turn", "nan", "--out", "/tmp/x.png"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--turn must be"));
}

#[test]
fn thumbnails_are_rendered_for_every_scene_and_named_in_the_tour() {
    let dir = std::env::temp_dir().join(format!("disan-thumbs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root().join("assets/demo"), &dir);
    let out = disan().arg("thumbnails").arg(&dir).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tour: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("tour.json")).unwrap()).unwrap();
    let scenes = tour["scenes"].as_array().unwrap();
    let mut means = Vec::new();
    for s in scenes {
        let rel = s["thumbnail"]
            .as_str()
            .expect("every scene names its thumbnail");
        let img = image::open(dir.join(rel)).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (320, 180), "{rel}");
        let mean = img
            .pixels()
            .map(|p| p.0.iter().map(|c| *c as u64).sum::<u64>())
            .sum::<u64>()
            / (320 * 180 * 3);
        means.push(mean);
    }
    // Three different pictures (not one blank image three times).
    means.dedup();
    assert_eq!(means.len(), scenes.len(), "{means:?}");
    // The tour stays valid (its thumbnails are checked), and a second run keeps them.
    let out = disan().arg("validate").arg(&dir).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = disan().arg("thumbnails").arg(&dir).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("every scene has its thumbnail"));
    let _ = std::fs::remove_dir_all(&dir);
}
