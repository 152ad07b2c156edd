//! `disan publish` from the command line: an invalid tour is refused with validate's messages
//! and nothing is written; only the files a tour uses are copied; a panorama over the phones'
//! 4096-pixel limit is tiled in the site (the author's folder untouched); a model over the
//! budget without derivatives is refused with what to run; the engine builds are the ones the
//! tours need, under a content-hashed folder; the pages carry the tour's facts. (In the
//! browser, from a static server: web/tests/publish.test.mjs.)

#![allow(clippy::unwrap_used)] // test code: a panic is how a test fails

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("disan-publish-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A stand-in for `cargo xtask web`'s dist/: the files publish copies, with known contents.
fn fake_web(root: &Path) -> PathBuf {
    let web = root.join("web");
    std::fs::create_dir_all(web.join("pkg")).unwrap();
    std::fs::write(web.join("disan.js"), "export const Disan = {};\n").unwrap();
    std::fs::write(web.join("disan.css"), "/* css */\n").unwrap();
    for name in [
        "disan_webgpu",
        "disan_webgl",
        "disan_webgpu_pano",
        "disan_webgl_pano",
        "disan_meshopt",
        "disan_draco",
        "disan_ktx2",
        "disan_decoders",
        "disan_editor",
    ] {
        std::fs::write(web.join(format!("pkg/{name}.js")), format!("// {name}\n")).unwrap();
        std::fs::write(web.join(format!("pkg/{name}_bg.wasm")), b"\0asm\x01\0\0\0").unwrap();
    }
    web
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn publish(args: &[&Path], extra: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_disan"));
    cmd.arg("publish");
    for a in args {
        cmd.arg(a);
    }
    cmd.args(extra).output().unwrap()
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                walk(base, &e.path(), out);
            } else {
                out.push(
                    e.path()
                        .strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out.sort();
    out
}

#[test]
fn an_invalid_tour_is_refused_with_validates_messages_and_nothing_is_written() {
    let root = scratch("invalid");
    let web = fake_web(&root);
    let tour = root.join("tour");
    copy_dir(&repo().join("assets/demo"), &tour);
    // A link to a scene that does not exist.
    let text = std::fs::read_to_string(tour.join("tour.json")).unwrap();
    let broken = text.replacen("\"target\": \"hau-cung\"", "\"target\": \"khong-co\"", 1);
    assert_ne!(text, broken, "the demo links to hau-cung");
    std::fs::write(tour.join("tour.json"), broken).unwrap();
    let validate = Command::new(env!("CARGO_BIN_EXE_disan"))
        .arg("validate")
        .arg(&tour)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&validate.stdout);
    let problem = said.lines().find(|l| l.contains("khong-co")).unwrap();
    let site = root.join("site");
    let o = publish(
        &[&tour],
        &[
            "--out",
            site.to_str().unwrap(),
            "--web",
            web.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(problem),
        "validate's message {problem:?} not in:\n{err}"
    );
    assert!(err.contains("not published"), "{err}");
    assert!(files_under(&site).is_empty(), "{:?}", files_under(&site));
    // Neither is a site address that is not one, nor a missing engine.
    let good = root.join("good");
    copy_dir(&repo().join("assets/demo"), &good);
    let o = publish(
        &[&good],
        &[
            "--out",
            site.to_str().unwrap(),
            "--web",
            web.to_str().unwrap(),
            "--base-url",
            "museum.vn",
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--base-url"));
    let o = publish(
        &[&good],
        &[
            "--out",
            site.to_str().unwrap(),
            "--web",
            root.join("nowhere").to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("cargo xtask web"));
    assert!(files_under(&site).is_empty());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn only_what_the_tour_uses_a_big_panorama_tiled_the_engine_it_needs_and_pages_with_its_facts() {
    let root = scratch("used");
    let web = fake_web(&root);
    let tour = root.join("tour");
    std::fs::create_dir_all(tour.join("panos")).unwrap();
    // A 4608×2304 panorama: over the phones' 4096-pixel textures.
    let (w, h) = (4608u32, 2304u32);
    let mut px = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            px.extend_from_slice(&[(x / 18) as u8, (y / 9) as u8, 120, 255]);
        }
    }
    disan_testkit::compare::save_png(&tour.join("panos/big.png"), w, h, &px).unwrap();
    std::fs::copy(
        repo().join("assets/demo/panos/hau-cung.jpg"),
        tour.join("panos/hau-cung.jpg"),
    )
    .unwrap();
    // Files the tour does not use stay out of the site.
    std::fs::write(tour.join("notes.txt"), "not published").unwrap();
    std::fs::copy(
        repo().join("assets/demo/panos/san-dinh.jpg"),
        tour.join("panos/unused.jpg"),
    )
    .unwrap();
    std::fs::write(
        tour.join("tour.json"),
        r#"{"version": 1, "title": {"vi": "Đình <Bảng> & \"Hội\"", "en": "Bang village hall"},
            "description": {"vi": "Đình làng thế kỷ 18.", "en": "An 18th-century village hall."},
            "start_scene": "san",
            "scenes": [
              {"id": "san", "kind": "panorama", "title": {"vi": "Sân", "en": "Yard"}, "image": "panos/big.png",
               "hotspots": [{"kind": "link", "target": "hau", "yaw": 10, "pitch": 0, "label": "Hậu cung"},
                            {"kind": "info", "entry": "bia", "yaw": -20, "pitch": 0, "label": "Bia"}]},
              {"id": "hau", "kind": "panorama", "title": {"vi": "Hậu cung", "en": "Sanctuary"}, "image": "panos/hau-cung.jpg"}],
            "catalog": [{"id": "bia", "title": {"vi": "Bia đá", "en": "Stele"}, "description": {"vi": "Bia năm 1736."},
                         "inventory_number": "DB-001", "material": {"vi": "Đá xanh", "en": "Bluestone"}, "period": {"vi": "1736"},
                         "rights": {"vi": "CC BY 4.0"}, "images": [{"src": "panos/hau-cung.jpg", "caption": {"vi": "Nơi đặt bia"}}]}]}"#,
    )
    .unwrap();
    let before = files_under(&tour);
    let site = root.join("site");
    let o = publish(
        &[&tour],
        &[
            "--out",
            site.to_str().unwrap(),
            "--web",
            web.to_str().unwrap(),
            "--base-url",
            "https://museum.example/dinh",
            "--iiif",
        ],
    );
    assert!(
        o.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        files_under(&tour),
        before,
        "the author's folder is not changed"
    );
    let files = files_under(&site);
    assert!(
        !files
            .iter()
            .any(|f| f.contains("notes.txt") || f.contains("unused")),
        "{files:?}"
    );
    // The big panorama is tiled in the site; its image is not published.
    assert!(!files.iter().any(|f| f.ends_with("big.png")), "{files:?}");
    let published: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("tour/tour.json")).unwrap())
            .unwrap();
    let san = &published["scenes"][0];
    assert!(
        san["tiles"]["path"].as_str().is_some() && san.get("image").is_none(),
        "{san}"
    );
    assert!(
        files.iter().any(|f| f.starts_with("tour/tiles/san/")),
        "{files:?}"
    );
    assert_eq!(
        published["scenes"][0]["hotspots"].as_array().unwrap().len(),
        2
    );
    let validate = Command::new(env!("CARGO_BIN_EXE_disan"))
        .arg("validate")
        .arg(site.join("tour"))
        .output()
        .unwrap();
    assert!(
        validate.status.success(),
        "{}",
        String::from_utf8_lossy(&validate.stdout)
    );
    // Panoramas only: the small engine, no decoders, no studio; in a folder named by its contents.
    let engine: Vec<&String> = files.iter().filter(|f| f.starts_with("engine/")).collect();
    let names: Vec<&str> = engine
        .iter()
        .map(|f| f.rsplit('/').next().unwrap())
        .collect();
    let mut want = vec![
        "disan.css",
        "disan.js",
        "disan_webgl_pano.js",
        "disan_webgl_pano_bg.wasm",
        "disan_webgpu_pano.js",
        "disan_webgpu_pano_bg.wasm",
    ];
    let mut got = names.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    let hash = engine[0].split('/').nth(1).unwrap().to_string();
    assert_eq!(hash.len(), 16);
    // Posters of each scene's start view: wide, tall and for social cards, real JPEGs.
    for id in ["san", "hau"] {
        for (name, size) in [
            (format!("{id}.jpg"), (1280, 544)),
            (format!("{id}-tall.jpg"), (720, 720)),
            (format!("{id}-social.jpg"), (1200, 630)),
        ] {
            let img = image::open(site.join("posters").join(&name)).unwrap();
            assert_eq!((img.width(), img.height()), size, "{name}");
            let len = std::fs::metadata(site.join("posters").join(&name))
                .unwrap()
                .len();
            assert!(len < 150_000, "{name}: {len} bytes");
        }
    }
    // The pages: escaped title, the tour's description, language, absolute share addresses.
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("<html lang=\"vi\""), "{index}");
    assert!(
        index.contains("<title>Đình &lt;Bảng&gt; &amp; &quot;Hội&quot;</title>"),
        "{index}"
    );
    assert!(index.contains("<meta name=\"description\" content=\"Đình làng thế kỷ 18.\">"));
    assert!(index.contains("content=\"https://museum.example/dinh/posters/san-social.jpg\""));
    assert!(index.contains(&format!("./{}/disan.js", format_args!("engine/{hash}"))));
    assert!(
        index.contains("src=\"posters/san.jpg\""),
        "the poster in plain HTML"
    );
    let ld_start = index.find("application/ld+json\">").unwrap() + "application/ld+json\">".len();
    let ld_end = index[ld_start..].find("</script>").unwrap() + ld_start;
    let ld: serde_json::Value =
        serde_json::from_str(&index[ld_start..ld_end].replace("<\\/", "</")).unwrap();
    assert_eq!(ld["@type"], "TouristAttraction");
    assert_eq!(ld["subjectOf"][0]["identifier"], "DB-001");
    assert_eq!(ld["subjectOf"][0]["@type"], "VisualArtwork");
    assert_eq!(ld["subjectOf"][0]["artMedium"], "Đá xanh");
    assert_eq!(ld["subjectOf"][0]["dateCreated"], "1736");
    let record = std::fs::read_to_string(site.join("record/bia/index.html")).unwrap();
    assert!(record.contains("<title>Bia đá — "), "{record}");
    assert!(record.contains("<meta name=\"description\" content=\"Bia năm 1736.\">"));
    assert!(record.contains("DB-001") && record.contains("Đá xanh"));
    assert!(
        record.contains("#scene=san") || record.contains("scene=san"),
        "opens at the scene with its hotspot"
    );
    let scene = std::fs::read_to_string(site.join("scene/hau/index.html")).unwrap();
    assert!(scene.contains("src=\"../../posters/hau.jpg\""));
    assert!(
        scene.contains("<link rel=\"canonical\" href=\"https://museum.example/dinh/scene/hau/\">")
    );
    let sitemap = std::fs::read_to_string(site.join("sitemap.xml")).unwrap();
    for loc in [
        "https://museum.example/dinh/",
        "https://museum.example/dinh/scene/hau/",
        "https://museum.example/dinh/record/bia/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{loc}</loc>")),
            "{loc}: {sitemap}"
        );
    }
    // The record's IIIF manifest: one canvas per photo, of the photo's own size, absolute ids.
    let m: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.join("iiif/bia/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        m["@context"],
        "http://iiif.io/api/presentation/3/context.json"
    );
    assert_eq!(m["type"], "Manifest");
    assert_eq!(
        m["id"],
        "https://museum.example/dinh/iiif/bia/manifest.json"
    );
    assert_eq!(m["label"]["vi"][0], "Bia đá");
    assert_eq!(m["requiredStatement"]["value"]["vi"][0], "CC BY 4.0");
    assert!(m["metadata"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["value"]["none"][0] == "DB-001"));
    let canvas = &m["items"][0];
    let photo = image::open(tour.join("panos/hau-cung.jpg")).unwrap();
    assert_eq!(
        (canvas["width"].as_u64(), canvas["height"].as_u64()),
        (
            Some(u64::from(photo.width())),
            Some(u64::from(photo.height()))
        )
    );
    let body = &canvas["items"][0]["items"][0]["body"];
    assert_eq!(
        body["id"],
        "https://museum.example/dinh/tour/panos/hau-cung.jpg"
    );
    assert_eq!(canvas["items"][0]["items"][0]["target"], canvas["id"]);
    assert!(record.contains("iiif/bia/manifest.json"));
    // --iiif names images by their full address: it needs --base-url.
    let o = publish(
        &[&tour],
        &[
            "--out",
            root.join("other").to_str().unwrap(),
            "--web",
            web.to_str().unwrap(),
            "--iiif",
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--base-url"));
    // Publishing again over the site is refused without --force, and nothing is changed.
    let o = publish(
        &[&tour],
        &[
            "--out",
            site.to_str().unwrap(),
            "--web",
            web.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--force"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = publish(
        &[&tour],
        &[
            "--out",
            site.to_str().unwrap(),
            "--web",
            web.to_str().unwrap(),
            "--force",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_draco_model_ships_the_draco_decoder_and_no_other() {
    let corpus = std::env::var_os("DISAN_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/corpus"));
    let duck = corpus.join("gltf-compressed/Duck/glTF-Draco");
    if !duck.is_dir() {
        println!(
            "# skipped: no corpus at {} (set DISAN_CORPUS)",
            corpus.display()
        );
        return;
    }
    let root = scratch("draco");
    let web = fake_web(&root);
    let tour = root.join("tour");
    copy_dir(&duck, &tour.join("duck"));
    std::fs::write(
        tour.join("tour.json"),
        r#"{"version": 1, "title": "Vịt", "scenes": [{"id": "vit", "kind": "object", "model": "duck/Duck.gltf"}]}"#,
    )
    .unwrap();
    let site = root.join("site");
    let o = publish(
        &[&tour],
        &[
            "--out",
            site.to_str().unwrap(),
            "--web",
            web.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<String> = files_under(&site)
        .into_iter()
        .filter(|f| f.starts_with("engine/"))
        .map(|f| f.rsplit('/').next().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "disan.css",
            "disan.js",
            "disan_draco.js",
            "disan_draco_bg.wasm",
            "disan_webgl.js",
            "disan_webgl_bg.wasm",
            "disan_webgpu.js",
            "disan_webgpu_bg.wasm",
        ]
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_heavy_model_without_derivatives_is_refused_with_what_to_run() {
    let root = scratch("heavy");
    let web = fake_web(&root);
    let tour = root.join("tour");
    copy_dir(&repo().join("assets/demo"), &tour);
    // The drum, padded past 16 MB with a GLB chunk of an unknown type (readers skip it).
    let glb = std::fs::read(tour.join("models/trong-dong.glb")).unwrap();
    let pad = 17usize << 20;
    let mut big = glb.clone();
    big.extend_from_slice(&(pad as u32).to_le_bytes());
    big.extend_from_slice(b"XTRA");
    big.extend(std::iter::repeat_n(0u8, pad));
    let total = big.len() as u32;
    big[8..12].copy_from_slice(&total.to_le_bytes());
    std::fs::write(tour.join("models/trong-dong.glb"), big).unwrap();
    let site = root.join("site");
    let o = publish(
        &[&tour],
        &[
            "--out",
            site.to_str().unwrap(),
            "--web",
            web.to_str().unwrap(),
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{err}");
    assert!(
        err.contains("disan optimize") && err.contains("trong-dong.glb"),
        "{err}"
    );
    assert!(files_under(&site).is_empty());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn one_file_for_a_classroom_and_over_its_limit_a_clear_refusal() {
    let root = scratch("single");
    let web = fake_web(&root);
    let tour = root.join("tour");
    copy_dir(&repo().join("assets/demo"), &tour);
    let out = root.join("class/dinh.html");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let o = publish(
        &[&tour],
        &[
            "--single-file",
            "--out",
            out.to_str().unwrap(),
            "--web",
            web.to_str().unwrap(),
            "--max-size",
            "1",
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("would be") && err.contains("MiB") && err.contains("over the 1.0 MiB"),
        "{err}"
    );
    assert!(!out.exists());
    let o = publish(
        &[&tour],
        &[
            "--single-file",
            "--out",
            out.to_str().unwrap(),
            "--web",
            web.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let names: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "one file, nothing beside it: {names:?}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<script type=\"importmap\">"));
    assert!(
        html.contains("\"tour/models/trong-dong.glb\""),
        "the model is inside"
    );
    assert!(
        html.contains("src=\"data:image/jpeg;base64,"),
        "the poster is inside"
    );
    assert!(
        !html.contains("engine/"),
        "nothing names the engine's folder"
    );
    // Not over an existing file, and not a folder's name.
    let o = publish(
        &[&tour],
        &[
            "--single-file",
            "--out",
            out.to_str().unwrap(),
            "--web",
            web.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    let o = publish(
        &[&tour],
        &[
            "--single-file",
            "--out",
            root.join("site").to_str().unwrap(),
            "--web",
            web.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains(".html"));
    let _ = std::fs::remove_dir_all(&root);
}
