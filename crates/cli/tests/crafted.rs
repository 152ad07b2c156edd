//! Crafted inputs, as an attacker would make them, against every command that reads or writes
//! files: `import` (Pannellum, OBJ/PLY scans), `tile`, `optimize`, `thumbnails`, `validate`,
//! `view`. Each input is generated here, in a temporary folder. Each must be refused with a
//! message naming the file, never read outside its folder, never write through a link, never
//! replace an existing tour unless `--force` is given, and stay within a memory budget (the
//! command reports its peak with `DISAN_REPORT_PEAK_MEMORY`).
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns; a panic is how a test fails
#![cfg(unix)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Peak memory any refused crafted input may cost the command (the process's whole resident
/// set, renderer and all).
const BUDGET: u64 = 400 << 20;

/// A secret outside every tour folder: its bytes must never appear in an output.
const SECRET: &[u8] = b"TOP-SECRET-7f3a9c-do-not-copy";

fn disan() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_disan"));
    c.env("DISAN_REPORT_PEAK_MEMORY", "1");
    c
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("disan-crafted-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("secret.bin"), SECRET).unwrap();
    d
}

/// Runs the command with a time limit (a FIFO must not hang it): output, text and peak memory.
fn run(cmd: &mut Command) -> (Output, String, u64) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            panic!("the command hung: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let peak = text
        .lines()
        .find_map(|l| l.strip_prefix("peak memory: "))
        .and_then(|l| l.trim_end_matches(" bytes").parse().ok())
        .expect("the command reports its peak memory");
    (out, text, peak)
}

/// Every file under `dir` (links not followed), for "nothing of the secret was copied".
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let t = e.file_type().unwrap();
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_file() {
                out.push(e.path());
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn assert_no_secret(dir: &Path) {
    for f in files_under(dir) {
        let b = std::fs::read(&f).unwrap();
        assert!(!contains(&b, SECRET), "{} holds the secret", f.display());
    }
}

fn png(path: &Path, w: u32, h: u32) {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, 90]));
    img.save(path).unwrap();
}

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn import_reads_nothing_outside_the_source_folder() {
    let d = temp("import-links");
    let src = d.join("src");
    std::fs::create_dir_all(&src).unwrap();
    png(&src.join("real.png"), 64, 32);
    symlink(d.join("secret.bin"), src.join("pano.jpg")).unwrap();
    symlink("/dev/zero", src.join("zero.jpg")).unwrap();
    std::fs::write(
        src.join("tour.json"),
        r#"{"default": {"firstScene": "a"}, "scenes": {
            "a": {"type": "equirectangular", "panorama": "pano.jpg"},
            "b": {"type": "equirectangular", "panorama": "zero.jpg"},
            "c": {"type": "equirectangular", "panorama": "real.png"}}}"#,
    )
    .unwrap();
    let out = d.join("out");
    let (o, text, peak) = run(disan()
        .args(["import", "pannellum"])
        .arg(src.join("tour.json"))
        .arg("--out")
        .arg(&out));
    assert!(o.status.success(), "{text}");
    // The links are not copied, and say why.
    assert!(
        text.contains("pano.jpg: not copied") && text.contains("outside"),
        "{text}"
    );
    assert!(text.contains("zero.jpg: not copied"), "{text}");
    assert!(text.contains("missing: pano.jpg"), "{text}");
    assert!(out.join("real.png").is_file());
    assert!(!out.join("pano.jpg").exists() && !out.join("zero.jpg").exists());
    assert_no_secret(&out);
    assert!(peak < BUDGET, "{peak}");
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn a_scan_embeds_nothing_from_outside_its_folder() {
    let d = temp("scan-links");
    let src = d.join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("relic.obj"),
        "mtllib relic.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nvt 0 0\nvt 1 0\nvt 0 1\nusemtl m\nf 1/1 2/2 3/3\n",
    )
    .unwrap();
    std::fs::write(
        src.join("relic.mtl"),
        "newmtl m\nKd 1 1 1\nmap_Kd tex.png\n",
    )
    .unwrap();
    symlink(d.join("secret.bin"), src.join("tex.png")).unwrap();
    let out = d.join("out");
    let (o, text, peak) = run(disan()
        .arg("import")
        .arg(src.join("relic.obj"))
        .arg("--out")
        .arg(&out));
    assert!(o.status.success(), "{text}");
    assert!(
        text.contains("tex.png") && text.contains("outside the folder"),
        "{text}"
    );
    assert_no_secret(&out);
    assert!(peak < BUDGET, "{peak}");
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn fifos_devices_and_links_as_inputs_are_refused_at_once() {
    let d = temp("fifo");
    let fifo = d.join("pano.jpg");
    if !mkfifo(&fifo) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    mkfifo(&d.join("scan.ply"));
    mkfifo(&d.join("config.json"));
    symlink("/dev/zero", d.join("zero.png")).unwrap();
    let cases: Vec<(Vec<&str>, PathBuf, &str)> = vec![
        (vec!["tile"], fifo.clone(), "not a regular file (a FIFO)"),
        (vec!["tile"], d.join("zero.png"), "outside the folder"),
        (
            vec!["import"],
            d.join("scan.ply"),
            "not a regular file (a FIFO)",
        ),
        (
            vec!["import", "pannellum"],
            d.join("config.json"),
            "not a regular file (a FIFO)",
        ),
        (
            vec!["optimize"],
            d.join("scan.ply"),
            "not a regular file (a FIFO)",
        ),
    ];
    for (args, input, says) in cases {
        let (o, text, peak) = run(disan()
            .args(&args)
            .arg(&input)
            .arg("--out")
            .arg(d.join("out")));
        assert!(!o.status.success(), "{args:?}: {text}");
        let name = input.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            text.contains(&name) && text.contains(says),
            "{args:?}: {text}"
        );
        assert!(peak < BUDGET, "{args:?}: {peak}");
    }
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn nothing_is_written_through_a_link_in_the_output() {
    let d = temp("out-links");
    let elsewhere = d.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    png(&d.join("hall.png"), 256, 128);
    // `disan tile` into a folder whose level folder is a link.
    let out = d.join("tiles");
    std::fs::create_dir_all(&out).unwrap();
    symlink(&elsewhere, out.join("1")).unwrap();
    let (o, text, _) = run(disan()
        .arg("tile")
        .arg(d.join("hall.png"))
        .arg("--out")
        .arg(&out)
        .args(["--tile-size", "64", "--force"]));
    assert!(!o.status.success(), "{text}");
    assert!(text.contains("symbolic link"), "{text}");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    assert!(!out.join("tour.json").exists());

    // `disan import` of a scan whose output GLB name is a link.
    let scan = d.join("relic.obj");
    std::fs::write(&scan, "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n").unwrap();
    let out = d.join("scan-out");
    std::fs::create_dir_all(&out).unwrap();
    symlink(elsewhere.join("relic.glb"), out.join("relic.glb")).unwrap();
    let (o, text, _) = run(disan()
        .arg("import")
        .arg(&scan)
        .arg("--out")
        .arg(&out)
        .arg("--force"));
    assert!(!o.status.success(), "{text}");
    assert!(text.contains("symbolic link"), "{text}");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);

    // `disan thumbnails` in a downloaded tour whose `thumbs` is a link.
    let tour = d.join("tour");
    std::fs::create_dir_all(&tour).unwrap();
    png(&tour.join("a.png"), 64, 32);
    std::fs::write(
        tour.join("tour.json"),
        r#"{"version": 1, "title": "t", "scenes": [{"id": "a", "kind": "panorama", "image": "a.png"}]}"#,
    )
    .unwrap();
    symlink(&elsewhere, tour.join("thumbs")).unwrap();
    let before = std::fs::read(tour.join("tour.json")).unwrap();
    let (o, text, _) = run(disan().arg("thumbnails").arg(&tour));
    assert!(!o.status.success(), "{text}");
    assert!(text.contains("thumbs is a symbolic link"), "{text}");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    assert_eq!(std::fs::read(tour.join("tour.json")).unwrap(), before);
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn an_existing_tour_is_replaced_only_with_force() {
    let d = temp("force");
    let scan = d.join("relic.obj");
    std::fs::write(&scan, "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n").unwrap();
    let src = d.join("src");
    std::fs::create_dir_all(&src).unwrap();
    png(&src.join("a.png"), 64, 32);
    std::fs::write(src.join("config.json"), r#"{"panorama": "a.png"}"#).unwrap();
    let mine = br#"{"version": 1, "title": "my own work", "scenes": []}"#;
    let commands: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["import".into(), scan.clone().into()],
        vec![
            "import".into(),
            "pannellum".into(),
            src.join("config.json").into(),
        ],
        vec![
            "optimize".into(),
            scan.clone().into(),
            "--textures".into(),
            "jpeg".into(),
        ],
    ];
    for args in commands {
        let out = d.join("out");
        let _ = std::fs::remove_dir_all(&out);
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("tour.json"), mine).unwrap();
        let (o, text, _) = run(disan().args(&args).arg("--out").arg(&out));
        assert!(!o.status.success(), "{args:?}: {text}");
        assert!(
            text.contains("tour.json") && text.contains("--force"),
            "{args:?}: {text}"
        );
        assert_eq!(
            std::fs::read(out.join("tour.json")).unwrap(),
            mine,
            "{args:?}"
        );
        let (o, text, _) = run(disan().args(&args).arg("--out").arg(&out).arg("--force"));
        assert!(o.status.success(), "{args:?}: {text}");
        assert_ne!(
            std::fs::read(out.join("tour.json")).unwrap(),
            mine,
            "{args:?}"
        );
    }
    std::fs::remove_dir_all(&d).ok();
}

/// A binary PLY whose faces are `faces` polygons of 65,535 corners over three vertices.
fn ply_of_huge_polygons(faces: usize) -> Vec<u8> {
    let mut b = format!(
        "ply\nformat binary_little_endian 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face {faces}\nproperty list ushort uchar vertex_indices\nend_header\n"
    )
    .into_bytes();
    for v in [[0f32, 0., 0.], [1., 0., 0.], [0., 1., 0.]] {
        for c in v {
            b.extend_from_slice(&c.to_le_bytes());
        }
    }
    let corners: Vec<u8> = (0..65_535u32).map(|i| (i % 3) as u8).collect();
    for _ in 0..faces {
        b.extend_from_slice(&65_535u16.to_le_bytes());
        b.extend_from_slice(&corners);
    }
    b
}

#[test]
fn polygons_are_budgeted_as_the_triangles_they_become() {
    let d = temp("ngons");
    // 400 faces of 65,533 triangles each: 26 M triangles from a 26 MB file.
    let ply = d.join("fan.ply");
    std::fs::write(&ply, ply_of_huge_polygons(400)).unwrap();
    for cmd in ["import", "optimize"] {
        let (o, text, peak) = run(disan().arg(cmd).arg(&ply).arg("--out").arg(d.join(cmd)));
        assert!(!o.status.success(), "{cmd}: {text}");
        assert!(
            text.contains("fan.ply") && text.contains("split into triangles"),
            "{cmd}: {text}"
        );
        assert!(peak < BUDGET, "{cmd}: {peak}");
        assert!(!d.join(cmd).join("tour.json").exists());
    }
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn nan_and_negative_durations_are_refused() {
    for (args, says) in [
        (vec!["view", "--idle", "NaN"], "--idle"),
        (vec!["kiosk", "--idle=-5"], "--idle"),
        (vec!["view", "--autorotate", "inf"], "--autorotate"),
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_disan"))
            .args(&args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{args:?}");
        assert!(text.contains(says), "{args:?}: {text}");
    }
}

#[test]
fn an_import_never_writes_a_tour_disan_would_refuse() {
    let d = temp("refused-tours");
    png(&d.join("a.png"), 64, 32);
    // A number no f32 holds (it would be written as `null`).
    std::fs::write(
        d.join("huge-number.json"),
        r#"{"panorama": "a.png", "hfov": 1e40, "yaw": 10}"#,
    )
    .unwrap();
    // A tour over the 16 MB a tour file may have: many scenes with long titles.
    let title = "Đình làng ".repeat(40);
    let mut scenes = String::new();
    for i in 0..45_000 {
        if i > 0 {
            scenes.push(',');
        }
        scenes.push_str(&format!(
            "\"s{i}\": {{\"type\": \"equirectangular\", \"panorama\": \"a.png\", \"title\": \"{title}\"}}"
        ));
    }
    std::fs::write(
        d.join("huge-tour.json"),
        format!("{{\"default\": {{\"firstScene\": \"s0\"}}, \"scenes\": {{{scenes}}}}}"),
    )
    .unwrap();
    for (input, says) in [
        ("huge-number.json", "the converted tour would not be"),
        ("huge-tour.json", "more than the 16 MB"),
    ] {
        let out = d.join(format!("out-{input}"));
        let (o, text, _) = run(disan()
            .args(["import", "pannellum"])
            .arg(d.join(input))
            .arg("--out")
            .arg(&out));
        assert!(!o.status.success(), "{input}: {text}");
        assert!(
            text.contains(input) && text.contains(says),
            "{input}: {text}"
        );
        assert!(!out.join("tour.json").exists(), "{input}");
    }
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn validate_and_render_agree_on_missing_faces_and_tiles() {
    let d = temp("agree");
    png(&d.join("f.png"), 32, 32);
    let tours = [
        (
            "cube",
            r#"{"version": 1, "scenes": [{"id": "c", "kind": "panorama",
                "cube": ["f.png", "r.png", "b.png", "l.png", "u.png", "d.png"]}]}"#,
            "r.png",
        ),
        (
            "tiles",
            r#"{"version": 1, "scenes": [{"id": "t", "kind": "panorama",
                "tiles": {"path": "t/%l/%s%y_%x.jpg", "tile_size": 64, "cube_resolution": 64, "max_level": 1}}]}"#,
            "t/1/",
        ),
    ];
    for (name, json, says) in tours {
        let tour = d.join(name);
        std::fs::create_dir_all(&tour).unwrap();
        std::fs::copy(d.join("f.png"), tour.join("f.png")).unwrap();
        std::fs::write(tour.join("tour.json"), json).unwrap();
        let v = Command::new(env!("CARGO_BIN_EXE_disan"))
            .arg("validate")
            .arg(&tour)
            .output()
            .unwrap();
        let vt = String::from_utf8_lossy(&v.stdout).to_string();
        assert_eq!(v.status.code(), Some(1), "{name}: {vt}");
        assert!(vt.contains(says), "{name}: {vt}");
        let png_out = d.join(format!("{name}.png"));
        let (o, text, _) = run(disan()
            .arg("render")
            .arg(&tour)
            .args(["--width", "64", "--height", "64", "--out"])
            .arg(&png_out));
        assert!(
            !o.status.success(),
            "{name}: render drew a scene validate refuses: {text}"
        );
        assert!(text.contains(says), "{name}: {text}");
        assert!(!png_out.exists(), "{name}");
    }
    std::fs::remove_dir_all(&d).ok();
}

/// A tiny JPEG whose frame header claims `w`×`h` pixels.
fn jpeg_claiming(w: u16, h: u16) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(16, 8, image::Rgb([120, 90, 60]));
    let mut b = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut b), image::ImageFormat::Jpeg)
        .unwrap();
    let sof = b.windows(2).position(|m| m == [0xFF, 0xC0]).unwrap();
    b[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    b[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    b
}

#[test]
fn tile_refuses_a_small_file_declaring_a_huge_image_and_reads_tiff() {
    let d = temp("tile-budgets");
    let forged = d.join("forged.jpg");
    std::fs::write(&forged, jpeg_claiming(32000, 16000)).unwrap();
    let (o, text, peak) = run(disan()
        .arg("tile")
        .arg(&forged)
        .arg("--out")
        .arg(d.join("out")));
    assert!(!o.status.success(), "{text}");
    assert!(
        text.contains("forged.jpg") && text.contains("32000"),
        "{text}"
    );
    assert!(peak < BUDGET, "{peak}");
    assert!(!d.join("out/tour.json").exists());
    // A TIFF panorama tiles like any other.
    let tiff = d.join("hall.tif");
    image::RgbImage::from_fn(256, 128, |x, y| image::Rgb([x as u8, y as u8, 90]))
        .save(&tiff)
        .unwrap();
    let (o, text, _) = run(disan()
        .arg("tile")
        .arg(&tiff)
        .arg("--out")
        .arg(d.join("tiff"))
        .args(["--tile-size", "64"]));
    assert!(o.status.success(), "{text}");
    assert!(d.join("tiff/tour.json").is_file());
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn a_model_of_many_instances_is_refused_by_every_command() {
    let d = temp("instances");
    // One triangle drawn by 200,000 nodes: about 4 MB on disk.
    let positions: Vec<u8> = [0f32, 0., 0., 1., 0., 0., 0., 1., 0.]
        .iter()
        .flat_map(|f| f.to_le_bytes())
        .collect();
    let n = 200_000;
    let nodes = vec!["{\"mesh\":0}"; n].join(",");
    let roots = (0..n).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    let json = format!(
        r#"{{"asset":{{"version":"2.0"}},"scene":0,"scenes":[{{"nodes":[{roots}]}}],"nodes":[{nodes}],
        "meshes":[{{"primitives":[{{"attributes":{{"POSITION":0}}}}]}}],
        "buffers":[{{"byteLength":36}}],"bufferViews":[{{"buffer":0,"byteLength":36}}],
        "accessors":[{{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}}]}}"#
    );
    let glb = d.join("many.glb");
    std::fs::write(
        &glb,
        disan_assets::model::pack_glb(json.as_bytes(), &positions),
    )
    .unwrap();
    let runs: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["validate".into(), glb.clone().into()],
        vec![
            "render".into(),
            glb.clone().into(),
            "--width".into(),
            "32".into(),
            "--height".into(),
            "32".into(),
            "--out".into(),
            d.join("many.png").into(),
        ],
        vec![
            "optimize".into(),
            glb.clone().into(),
            "--out".into(),
            d.join("opt").into(),
        ],
    ];
    for args in runs {
        let (o, text, peak) = run(disan().args(&args));
        assert!(!o.status.success(), "{args:?}: {text}");
        assert!(
            text.contains("many.glb") && text.contains("nodes"),
            "{args:?}: {text}"
        );
        assert!(peak < BUDGET, "{args:?}: {peak}");
    }
    assert!(!d.join("many.png").exists() && !d.join("opt/tour.json").exists());
    std::fs::remove_dir_all(&d).ok();
}

/// Media files: a film cut short, a picture named `.mp3`, a film whose codec browsers do not
/// all play (HEVC), a missing file, a path out of the folder, a link out of it and a file over
/// the media cap. `validate` names each file and what is wrong (problems), or which shell will
/// not play it (notes), reads nothing outside the folder, and the good files pass.
#[test]
fn media_files_are_probed_and_each_bad_one_is_named() {
    let d = temp("media");
    let tour = d.join("tour");
    std::fs::create_dir_all(tour.join("m")).unwrap();
    let film = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/media/trong-dong.mp4"),
    )
    .unwrap();
    std::fs::write(tour.join("m/good.mp4"), &film).unwrap();
    std::fs::write(tour.join("m/cut.mp4"), &film[..film.len() / 3]).unwrap();
    // The same film with its sample entry renamed: a HEVC film to the probe.
    let stsd = film.windows(4).position(|w| w == b"stsd").unwrap();
    let at = stsd + film[stsd..].windows(4).position(|w| w == b"avc1").unwrap();
    let mut hevc = film.clone();
    hevc[at..at + 4].copy_from_slice(b"hvc1");
    std::fs::write(tour.join("m/hevc.mp4"), &hevc).unwrap();
    png(&tour.join("a.png"), 64, 32);
    std::fs::copy(tour.join("a.png"), tour.join("m/picture.mp3")).unwrap();
    symlink(d.join("secret.bin"), tour.join("m/link.mp3")).unwrap();
    let big = std::fs::File::create(tour.join("m/big.wav")).unwrap();
    big.set_len((1 << 30) + 1).unwrap();
    std::fs::write(
        tour.join("tour.json"),
        r#"{"version": 1, "scenes": [
          {"id": "a", "kind": "panorama", "image": "a.png", "ambient": {"src": "m/picture.mp3"}},
          {"id": "b", "kind": "panorama", "image": "a.png", "ambient": {"src": "m/link.mp3"}},
          {"id": "c", "kind": "panorama", "image": "a.png", "ambient": {"src": "m/big.wav"}},
          {"id": "d", "kind": "panorama", "image": "a.png", "ambient": {"src": "../secret.bin"}}],
          "catalog": [{"id": "e", "title": "E", "media": [
            {"src": "m/good.mp4"}, {"src": "m/cut.mp4"}, {"src": "m/hevc.mp4"},
            {"src": "m/gone.webm"}]}]}"#,
    )
    .unwrap();
    let (o, text, _) = run(disan().arg("validate").arg(&tour));
    assert_eq!(o.status.code(), Some(1), "{text}");
    for says in [
        "$.scenes[0].ambient.src: m/picture.mp3: not an audio or video file",
        "$.scenes[1].ambient.src",
        "$.scenes[2].ambient.src",
        "$.scenes[3].ambient.src: refused path \"../secret.bin\"",
        "$.catalog[0].media[1].src: m/cut.mp4:",
        "$.catalog[0].media[3].src: missing file \"m/gone.webm\"",
        "note: tour.json: $.catalog[0].media[2].src: \"m/hevc.mp4\" (MP4, HEVC + AAC) in the browser: HEVC plays only",
    ] {
        assert!(text.contains(says), "missing `{says}` in:\n{text}");
    }
    for line in text
        .lines()
        .filter(|l| l.contains("scenes[1]") || l.contains("scenes[2]"))
    {
        assert!(
            line.contains("m/link.mp3") || line.contains("m/big.wav"),
            "{line}"
        );
    }
    assert!(
        !text.contains("media[0].src:") || text.contains("note:"),
        "{text}"
    );
    assert!(
        !text
            .lines()
            .any(|l| l.contains("media[0]") && !l.starts_with("note:")),
        "the good film is a problem:\n{text}"
    );
    assert!(!contains(text.as_bytes(), SECRET));
    std::fs::remove_dir_all(&d).ok();
}
