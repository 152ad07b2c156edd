//! `disan studio` as a process: it prints its address with `--no-open`, and a save killed at
//! any moment (50 times, spread over the time a save takes) never leaves a broken or half-written tour.json.

#![allow(clippy::unwrap_used)] // test code: a panic is how a test fails

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("disan-cli-studio-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `disan studio DIR --no-open`, and the address it printed.
fn studio(dir: &Path, web: &Path) -> (Child, u16, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_disan"))
        .args(["studio", "--no-open", "--web"])
        .arg(web)
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.starts_with("http://127.0.0.1:"))
        .expect("disan studio printed no address");
    let rest = url.strip_prefix("http://127.0.0.1:").unwrap();
    let (port, path) = rest.split_once('/').unwrap();
    (child, port.parse().unwrap(), format!("/{path}"))
}

fn http(port: u16, method: &str, path: &str, body: &[u8]) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    s.write_all(body)?;
    let mut out = String::new();
    s.read_to_string(&mut out)?;
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = out
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    Ok((status, body))
}

/// A valid tour whose text is about `size` bytes (a long `x-` field), marked `mark`.
fn tour(mark: &str, size: usize) -> String {
    format!(
        "{{\n  \"version\": 1,\n  \"x-mark\": \"{mark}\",\n  \"x-pad\": \"{}\",\n  \"scenes\": [{{\"id\": \"a\", \"kind\": \"panorama\", \"image\": \"a.jpg\"}}]\n}}\n",
        "x".repeat(size)
    )
}

#[test]
fn prints_its_address_and_serves_the_tour() {
    let root = temp("address");
    let (web, dir) = (root.join("web"), root.join("tour"));
    std::fs::create_dir_all(&web).unwrap();
    std::fs::write(web.join("studio.html"), "<!doctype html>").unwrap();
    let (mut child, port, base) = studio(&dir, &web);
    assert!(base.starts_with("/s/") && base.len() > 20, "{base}");
    let (status, body) = http(port, "GET", &format!("{base}api/project"), b"").unwrap();
    child.kill().ok();
    child.wait().ok();
    assert_eq!(status, 200, "{body}");
    // A folder that did not exist: made, and the project is a new tour.
    assert!(body.contains("\"tour\":null"), "{body}");
    assert!(dir.is_dir());
}

#[test]
fn a_save_killed_at_any_point_leaves_a_whole_tour() {
    let root = temp("kill");
    let (web, dir) = (root.join("web"), root.join("tour"));
    std::fs::create_dir_all(&web).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(web.join("studio.html"), "<!doctype html>").unwrap();
    let texts = [tour("a", 3 << 20), tour("b", 5 << 20)];
    std::fs::write(dir.join("tour.json"), &texts[0]).unwrap();
    // How long one save takes here, to spread the kills over it.
    let (mut child, port, base) = studio(&dir, &web);
    let (_, body) = http(port, "GET", &format!("{base}api/project"), b"").unwrap();
    let p: serde_json::Value = serde_json::from_str(&body).unwrap();
    let save = serde_json::json!({ "base": p["version"], "tour": texts[1] }).to_string();
    let t0 = std::time::Instant::now();
    let (status, _) = http(port, "PUT", &format!("{base}api/project"), save.as_bytes()).unwrap();
    let span = t0.elapsed().as_micros() as u64 * 13 / 10;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, 200);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut killed_mid_save = 0;
    let (mut kept, mut replaced) = (0, 0);
    for round in 0..50 {
        let (mut child, port, base) = studio(&dir, &web);
        let (_, body) = http(port, "GET", &format!("{base}api/project"), b"").unwrap();
        let p: serde_json::Value = serde_json::from_str(&body).unwrap();
        let on_disk = p["tour"].as_str().unwrap().to_string();
        let next = if on_disk == texts[0] {
            &texts[1]
        } else {
            &texts[0]
        };
        let save = serde_json::json!({ "base": p["version"], "tour": next }).to_string();
        let path = format!("{base}api/project");
        let sender = std::thread::spawn(move || http(port, "PUT", &path, save.as_bytes()));
        // Killed anywhere from the start of the save to a little after its end.
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(std::time::Duration::from_micros((seed >> 33) % span.max(1)));
        child.kill().unwrap();
        child.wait().unwrap();
        let answered = matches!(sender.join().unwrap(), Ok((200, _)));
        if !answered {
            killed_mid_save += 1;
        }
        let now = std::fs::read_to_string(dir.join("tour.json")).unwrap();
        assert!(
            now == on_disk || now == *next,
            "round {round}: tour.json is neither the old nor the new text ({} bytes)",
            now.len()
        );
        serde_json::from_str::<serde_json::Value>(&now).unwrap();
        if now == on_disk {
            kept += 1;
        } else {
            replaced += 1;
        }
    }
    eprintln!("50 kills: {kept} left the old tour, {replaced} the new one, {killed_mid_save} before the answer");
    assert!(
        kept > 0 && replaced > 0,
        "the kills all fell on one side of the save ({kept} old, {replaced} new)"
    );
    // The kills fell before, during and after saves alike.
    assert!(killed_mid_save > 0, "no kill fell inside a save");
    // What a killed save left half-written beside the tour is cleared by the next start.
    let (mut child, _, _) = studio(&dir, &web);
    child.kill().ok();
    child.wait().ok();
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".disan-tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// Every file under `dir` but the studio's own folder, with its bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().map(Result::unwrap) {
            let p = e.path();
            if p.file_name().is_some_and(|n| n == ".disan-studio") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Opens `dir` in the studio as the page does (the project read, the core's editor opened on
/// it) and saves without an edit: nothing may be written, no byte may change.
fn round_trip(dir: &Path, web: &Path) {
    let before = files(dir);
    let (child, port, base) = studio(dir, web);
    let child = Stop(child);
    let (status, body) = http(port, "GET", &format!("{base}api/project"), b"").unwrap();
    assert_eq!(status, 200, "{}: {body}", dir.display());
    let project: serde_json::Value = serde_json::from_str(&body).unwrap();
    let text = project["tour"].as_str().map(str::to_string);
    let catalog = project["catalog"].as_str().map(str::to_string);
    assert!(text.is_some(), "{}: no tour", dir.display());
    let editor =
        disan_tour::editor::Editor::open(text.as_deref(), catalog.as_deref(), "x").unwrap();
    assert_eq!(Some(editor.text()), text, "{}", dir.display());
    assert_eq!(editor.catalog_text(), catalog, "{}", dir.display());
    let save = serde_json::json!({
        "base": project["version"],
        "tour": editor.text(),
        "catalog": editor.catalog_text(),
    });
    let (status, body) = http(
        port,
        "PUT",
        &format!("{base}api/project"),
        save.to_string().as_bytes(),
    )
    .unwrap();
    drop(child);
    assert_eq!(status, 200, "{}: {body}", dir.display());
    assert!(body.contains("\"written\":[]"), "{}: {body}", dir.display());
    assert!(files(dir) == before, "{}: a file changed", dir.display());
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().map(Result::unwrap) {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn opening_and_saving_the_demo_an_imported_and_an_optimized_tour_changes_no_byte() {
    let root = temp("round-trip");
    let web = root.join("web");
    std::fs::create_dir_all(&web).unwrap();
    std::fs::write(web.join("studio.html"), "<!doctype html>").unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let disan = || Command::new(env!("CARGO_BIN_EXE_disan"));
    // The demo tour, as committed.
    let demo = root.join("demo");
    copy_dir(&repo.join("assets/demo"), &demo);
    round_trip(&demo, &web);
    // A Pannellum tour imported by `disan import pannellum`.
    let src = root.join("pannellum-src");
    std::fs::create_dir_all(&src).unwrap();
    for p in ["san-dinh.jpg", "hau-cung.jpg"] {
        std::fs::copy(repo.join("assets/demo/panos").join(p), src.join(p)).unwrap();
    }
    std::fs::write(
        src.join("config.json"),
        r#"{"default": {"firstScene": "san", "title": "Đình làng", "author": "Bảo tàng"},
            "scenes": {
              "san": {"type": "equirectangular", "panorama": "san-dinh.jpg", "title": "Sân đình", "yaw": 20, "hfov": 100,
                      "hotSpots": [{"pitch": -2, "yaw": 40, "type": "scene", "sceneId": "hau", "text": "Hậu cung", "targetYaw": 180},
                                   {"pitch": 5, "yaw": -60, "type": "info", "text": "Bia đá", "URL": "https://example.org/bia"}]},
              "hau": {"type": "equirectangular", "panorama": "hau-cung.jpg", "title": "Hậu cung", "northOffset": 30,
                      "hotSpots": [{"pitch": 0, "yaw": 0, "type": "scene", "sceneId": "san", "text": "Ra sân"}]}}}"#,
    )
    .unwrap();
    let imported = root.join("imported");
    let o = disan()
        .args(["import", "pannellum"])
        .arg(src.join("config.json"))
        .arg("--out")
        .arg(&imported)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    round_trip(&imported, &web);
    // The corpus's Pannellum example, imported, when the corpus is here.
    let corpus = std::env::var_os("DISAN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("../shared/corpus"));
    let example = corpus.join("tours/pannellum/example-tour.json");
    if example.is_file() {
        let out = root.join("corpus-import");
        let o = disan()
            .args(["import", "pannellum"])
            .arg(&example)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        round_trip(&out, &web);
    } else {
        eprintln!(
            "skipping the corpus's Pannellum tour: {} is not there (set DISAN_CORPUS)",
            example.display()
        );
    }
    // `disan optimize` output of a small scan.
    let scan = root.join("scan.obj");
    let mut obj = String::new();
    for y in 0..12 {
        for x in 0..12 {
            obj += &format!(
                "v {} {} {}\n",
                x as f32 * 0.1,
                y as f32 * 0.1,
                ((x * y) as f32 * 0.3).sin() * 0.05
            );
        }
    }
    for y in 0..11 {
        for x in 0..11 {
            let i = y * 12 + x + 1;
            obj += &format!(
                "f {} {} {}\nf {} {} {}\n",
                i,
                i + 1,
                i + 13,
                i,
                i + 13,
                i + 12
            );
        }
    }
    std::fs::write(&scan, obj).unwrap();
    let optimized = root.join("optimized");
    let o = disan()
        .arg("optimize")
        .arg(&scan)
        .args(["--textures", "jpeg", "--out"])
        .arg(&optimized)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    round_trip(&optimized, &web);
    std::fs::remove_dir_all(&root).ok();
}

/// A studio process stopped when the test ends, passed or failed.
struct Stop(Child);

impl Drop for Stop {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

#[test]
fn a_panorama_over_the_phones_limit_is_tiled_and_a_scan_imported_when_added() {
    let root = temp("prepare");
    let (web, dir) = (root.join("web"), root.join("tour"));
    std::fs::create_dir_all(&web).unwrap();
    std::fs::write(web.join("studio.html"), "<!doctype html>").unwrap();
    let (child, port, base) = studio(&dir, &web);
    let child = Stop(child);
    // A 4608×2304 panorama: wider than phones' 4096-pixel textures.
    let (w, h) = (4608u32, 2304u32);
    let mut px = vec![0u8; (w * h * 4) as usize];
    for (i, p) in px.chunks_exact_mut(4).enumerate() {
        let (x, y) = (i as u32 % w, i as u32 / w);
        p.copy_from_slice(&[(x * 255 / w) as u8, (y * 255 / h) as u8, 90, 255]);
    }
    let png = root.join("big.png");
    disan_testkit::compare::save_png(&png, w, h, &px).unwrap();
    let bytes = std::fs::read(&png).unwrap();
    let post =
        |path: &str, body: &[u8]| http(port, "POST", &format!("{base}{path}"), body).unwrap();
    let (status, body) = post("api/upload?path=panos/big.png", &bytes);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"prepare\":\"tile\""), "{body}");
    let (status, body) = post("api/prepare?path=panos/big.png", b"");
    assert_eq!(status, 200, "{body}");
    let scene: serde_json::Value = serde_json::from_str(&body).unwrap();
    let scene = &scene["scene"];
    let path = scene["tiles"]["path"].as_str().unwrap();
    assert!(path.starts_with("panos/big/"), "{scene}");
    assert!(
        dir.join(scene["tiles"]["preview"].as_str().unwrap())
            .is_file(),
        "{scene}"
    );
    // A file that is not there is refused, and said.
    let (status, body) = post("api/prepare?path=panos/missing.png", b"");
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("no such file"), "{body}");
    // Nothing outside the tour folder is prepared or rendered.
    std::fs::write(
        root.join("outside.obj"),
        "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n",
    )
    .unwrap();
    for what in ["prepare", "thumbnail"] {
        let (status, body) = post(&format!("api/{what}?path=../outside.obj"), b"");
        assert_eq!(status, 422, "{what}: {body}");
    }
    assert!(!root.join("outside").exists() && !dir.join("thumbs").exists());
    // A scan: imported into a GLB beside it.
    let (status, body) = post(
        "api/upload?path=models/scan.obj",
        b"v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\nf 1 2 3\nf 1 2 4\nf 1 3 4\nf 2 3 4\n",
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"prepare\":\"import\""), "{body}");
    let (status, body) = post("api/prepare?path=models/scan.obj", b"");
    assert_eq!(status, 200, "{body}");
    let made: serde_json::Value = serde_json::from_str(&body).unwrap();
    let model = made["scene"]["model"].as_str().unwrap().to_string();
    assert!(
        model.starts_with("models/scan/") && model.ends_with(".glb"),
        "{made}"
    );
    assert!(dir.join(&model).is_file());
    // Both become scenes of a tour that validates.
    let mut ed = disan_tour::editor::Editor::open(None, None, "t").unwrap();
    for s in [scene.clone(), made["scene"].clone()] {
        ed.apply(disan_tour::editor::Edit::AddScene { scene: s })
            .unwrap();
    }
    std::fs::write(dir.join("tour.json"), ed.text()).unwrap();
    drop(child);
    let o = Command::new(env!("CARGO_BIN_EXE_disan"))
        .arg("validate")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    std::fs::remove_dir_all(&root).ok();
}
