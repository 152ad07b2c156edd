//! Safe loading through the `disan` command: files outside the tour folder (or a lone model's
//! folder) are never read, FIFOs and oversized files are refused without hanging or allocating,
//! truncated images fail instead of rendering grey, render sizes and angles are checked before
//! anything is created, and successful headless commands print no error lines. Every crafted
//! input is made in a temporary folder.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns; a panic is how a test fails
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn disan() -> Command {
    Command::new(env!("CARGO_BIN_EXE_disan"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh temporary folder for one test.
fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("disan-safe-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the command with a time limit (a FIFO must not hang it) and returns its output.
fn run(cmd: &mut Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "timed out: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([(x * 4) as u8, (y * 8) as u8, 200, 255])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 4) as u8, (y * 8) as u8, 90]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}

/// A glTF triangle whose buffer is the external file `buffer_uri`.
fn gltf(buffer_uri: &str) -> String {
    format!(
        r#"{{"asset":{{"version":"2.0"}},"scenes":[{{"nodes":[0]}}],"nodes":[{{"mesh":0}}],
        "meshes":[{{"primitives":[{{"attributes":{{"POSITION":0}}}}]}}],
        "buffers":[{{"byteLength":36,"uri":"{buffer_uri}"}}],
        "bufferViews":[{{"buffer":0,"byteLength":36}}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}}]}}"#
    )
}

fn triangle_bin() -> Vec<u8> {
    [0f32, 0., 0., 1., 0., 0., 0., 1., 0.]
        .iter()
        .flat_map(|f| f.to_le_bytes())
        .collect()
}

fn write(p: &Path, bytes: impl AsRef<[u8]>) {
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(p, bytes).unwrap();
}

fn pano(id: &str, image: &str) -> String {
    format!(r#"{{"id":"{id}","kind":"panorama","image":"{image}"}}"#)
}

#[cfg(unix)]
#[test]
fn validate_refuses_what_lies_outside_or_cannot_be_read() {
    let d = temp("validate");
    let t = d.join("tour");
    // Outside the tour: a valid panorama and buffer that must never be used.
    write(&d.join("secret.png"), png(64, 32));
    write(&d.join("secret.bin"), triangle_bin());
    write(&t.join("ok.png"), png(64, 32));
    std::os::unix::fs::symlink(d.join("secret.png"), t.join("link.png")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", t.join("zero.png")).unwrap();
    assert!(Command::new("mkfifo")
        .arg(t.join("fifo.png"))
        .status()
        .unwrap()
        .success());
    // 300 MB without using the disk: over the 256 MB image cap.
    std::fs::File::create(t.join("big.png"))
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    write(&t.join("m/m.gltf"), gltf("../../secret.bin"));
    std::fs::create_dir_all(t.join("catalog.json")).unwrap();
    let abs = d.join("secret.png").display().to_string();
    let scenes = [
        pano("a", "../secret.png"),
        pano("b", &abs),
        pano("c", "link.png"),
        pano("d", "fifo.png"),
        pano("e", "zero.png"),
        pano("f", "big.png"),
        pano("g", "ok.png"),
        r#"{"id":"h","kind":"object","model":"m/m.gltf"}"#.to_string(),
    ];
    write(
        &t.join("tour.json"),
        format!(
            r#"{{"version":1,"scenes":[{}],"catalog":[{{"id":"x","title":"X","images":[{{"src":"../secret.png"}}]}}]}}"#,
            scenes.join(",")
        ),
    );
    let out = run(disan().arg("validate").arg(&t));
    let s = text(&out);
    assert_eq!(out.status.code(), Some(1), "{s}");
    for want in [
        "tour.json: $.scenes[0].image: refused path \"../secret.png\": \"..\" leads outside the folder".to_string(),
        format!("tour.json: $.scenes[1].image: refused path \"{abs}\": absolute paths are not allowed"),
        "tour.json: $.scenes[2].image: cannot read \"link.png\": refused path: a symbolic link leads outside the folder".to_string(),
        "tour.json: $.scenes[3].image: cannot read \"fifo.png\": not a regular file (a FIFO)".to_string(),
        "tour.json: $.scenes[4].image: cannot read \"zero.png\": refused path: a symbolic link leads outside the folder".to_string(),
        "tour.json: $.scenes[5].image: cannot read \"big.png\": 314572800 bytes, larger than the 256 MB limit for images".to_string(),
        "tour.json: $.scenes[7].model: model does not load: m/m.gltf: buffers[0].uri: cannot read \"../../secret.bin\": refused path".to_string(),
        "catalog.json: $: cannot read \"catalog.json\": not a regular file (a directory)".to_string(),
        "tour.json: $.catalog[0].images[0].src: refused path \"../secret.png\"".to_string(),
    ] {
        assert!(s.contains(&want), "missing «{want}» in\n{s}");
    }
    assert!(!s.contains("scenes[6]"), "{s}");
    assert!(!s.contains("missing file"), "{s}");
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn validate_and_render_refuse_truncated_and_oversized_images() {
    let d = temp("images");
    let j = jpeg(256, 128);
    // Truncated JPEG (cut in its scan data): the viewer must not show it grey.
    write(&d.join("cut/p.jpg"), &j[..j.len() * 3 / 4]);
    write(
        &d.join("cut/tour.json"),
        format!(r#"{{"version":1,"scenes":[{}]}}"#, pano("p", "p.jpg")),
    );
    // A JPEG claiming 20000×10000 (over the 16384 per-side limit).
    let mut wide = j.clone();
    let sof = wide.windows(2).position(|m| m == [0xFF, 0xC0]).unwrap();
    wide[sof + 5..sof + 7].copy_from_slice(&10000u16.to_be_bytes());
    wide[sof + 7..sof + 9].copy_from_slice(&20000u16.to_be_bytes());
    write(&d.join("wide/p.jpg"), &wide);
    write(
        &d.join("wide/tour.json"),
        format!(r#"{{"version":1,"scenes":[{}]}}"#, pano("p", "p.jpg")),
    );
    for (dir, want) in [("cut", "truncated"), ("wide", "20000×10000")] {
        let out = run(disan().arg("validate").arg(d.join(dir)));
        let s = text(&out);
        assert_eq!(out.status.code(), Some(1), "{s}");
        assert!(
            s.contains("$.scenes[0].image: p.jpg: ") && s.contains(want),
            "{s}"
        );
        let out = run(disan()
            .arg("render")
            .arg(d.join(dir))
            .args(["--width", "32", "--height", "16", "--out"])
            .arg(d.join(format!("{dir}.png"))));
        let s = text(&out);
        assert_eq!(out.status.code(), Some(2), "{s}");
        assert!(s.contains(want), "{s}");
        assert!(!d.join(format!("{dir}.png")).exists());
    }
    std::fs::remove_dir_all(&d).ok();
}

#[cfg(unix)]
#[test]
fn render_and_lone_models_stay_inside_their_folder() {
    let d = temp("render");
    write(&d.join("secret.png"), png(64, 32));
    write(&d.join("secret.bin"), triangle_bin());
    // A panorama that is a symbolic link out of the tour.
    write(
        &d.join("t/tour.json"),
        format!(r#"{{"version":1,"scenes":[{}]}}"#, pano("p", "p.png")),
    );
    std::os::unix::fs::symlink(d.join("secret.png"), d.join("t/p.png")).unwrap();
    let out = run(disan()
        .arg("render")
        .arg(d.join("t"))
        .args(["--width", "32", "--height", "16", "--out"])
        .arg(d.join("t.png")));
    let s = text(&out);
    assert_eq!(out.status.code(), Some(2), "{s}");
    assert!(
        s.contains("\"p.png\": refused path: a symbolic link leads outside"),
        "{s}"
    );
    assert!(!d.join("t.png").exists());
    // A lone model naming a buffer above its folder.
    write(&d.join("m/m.gltf"), gltf("../secret.bin"));
    let out = run(disan().arg("validate").arg(d.join("m/m.gltf")));
    let s = text(&out);
    assert_eq!(out.status.code(), Some(1), "{s}");
    assert!(
        s.contains("m.gltf: buffers[0].uri: cannot read \"../secret.bin\": refused path"),
        "{s}"
    );
    let out = run(disan()
        .arg("render")
        .arg(d.join("m/m.gltf"))
        .args(["--width", "32", "--height", "16", "--out"])
        .arg(d.join("m.png")));
    let s = text(&out);
    assert_eq!(out.status.code(), Some(2), "{s}");
    assert!(s.contains("refused path"), "{s}");
    // Beside it, the model is fine.
    write(&d.join("m/m.gltf"), gltf("m.bin"));
    write(&d.join("m/m.bin"), triangle_bin());
    let out = run(disan().arg("validate").arg(d.join("m/m.gltf")));
    assert!(out.status.success(), "{}", text(&out));
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn catalog_read_failures_name_the_catalog_file() {
    let d = temp("catalog");
    write(&d.join("ok.png"), png(64, 32));
    let tour = |extra: &str| {
        format!(
            r#"{{"version":1{extra},"scenes":[{}]}}"#,
            pano("p", "ok.png")
        )
    };
    let render = |d: &Path| {
        run(disan()
            .arg("render")
            .arg(d)
            .args(["--width", "32", "--height", "16", "--out"])
            .arg(d.join("out.png")))
    };
    // catalog_file names a file that is not there.
    write(
        &d.join("tour.json"),
        tour(r#","catalog_file":"records.json""#),
    );
    let out = render(&d);
    let s = text(&out);
    assert_eq!(out.status.code(), Some(2), "{s}");
    assert!(
        s.contains("tour.json: $.catalog_file: cannot read \"records.json\": no such file"),
        "{s}"
    );
    // No catalog_file, but catalog.json is a folder: not silently ignored, not "missing".
    write(&d.join("tour.json"), tour(""));
    std::fs::create_dir_all(d.join("catalog.json")).unwrap();
    let out = render(&d);
    let s = text(&out);
    assert_eq!(out.status.code(), Some(2), "{s}");
    assert!(
        s.contains("catalog.json: cannot read \"catalog.json\": not a regular file (a directory)"),
        "{s}"
    );
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn render_sizes_and_angles_are_checked_first() {
    let out_png = std::env::temp_dir().join(format!("disan-safe-{}.png", std::process::id()));
    for (args, want) in [
        (&["--width", "100000"][..], "100000×720 is too large"),
        (
            &["--width", "16384", "--height", "16384"][..],
            "16384×16384 is too large",
        ),
        (
            &["--width", "0"][..],
            "--width and --height must be at least 1",
        ),
        (&["--yaw", "NaN"][..], "yaw must be a finite number"),
        (&["--pitch", "inf"][..], "pitch inf is outside"),
        (&["--fov", "0"][..], "--fov 0 is outside 0..180"),
        (&["--orbit", "10,NaN"][..], "pitch NaN is outside"),
    ] {
        let out = run(disan()
            .arg("render")
            .arg(root().join("assets/demo"))
            .args(args)
            .arg("--out")
            .arg(&out_png));
        let s = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {s}");
        assert!(s.contains(&format!("error: {want}")), "{args:?}: {s}");
        assert!(!out_png.exists());
    }
}

#[test]
fn headless_commands_print_no_error_lines() {
    let out_png = std::env::temp_dir().join(format!("disan-quiet-{}.png", std::process::id()));
    let out = run(disan()
        .env_remove("XDG_RUNTIME_DIR")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("DISPLAY")
        .arg("render")
        .arg(root().join("assets/demo"))
        .args(["--width", "48", "--height", "32", "--out"])
        .arg(&out_png));
    assert!(out.status.success(), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.to_ascii_lowercase().contains("error"),
        "stderr: {stderr}"
    );
    std::fs::remove_file(&out_png).ok();
    let out = run(disan()
        .env_remove("XDG_RUNTIME_DIR")
        .arg("validate")
        .arg(root().join("assets/demo")));
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
