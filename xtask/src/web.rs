//! `cargo xtask web` (build the two wasm packages and the demo into `dist/`) and `cargo xtask serve`.
//!
//! The build runs, for the WebGPU and the WebGL2 flavour in turn: `cargo build` of
//! `disan-viewer` for `wasm32-unknown-unknown`, `wasm-bindgen --target web` (its version must
//! equal the one pinned in the root `Cargo.toml`), then `wasm-opt -Oz` when available. The
//! steps after cargo's own build (wasm-bindgen and wasm-opt per module, esbuild, the demo
//! tour's tiles and thumbnails) keep their results in `target/web-cache/` and are skipped when
//! their inputs are unchanged ([`crate::stamp`]), so an unchanged build takes seconds. The
//! server is `web/tools/server.mjs` (Node), the one the browser tests and the bench use.

use crate::stamp::{run_cached, Stamp};
use anyhow::{bail, Context, Result};
use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// (cargo features of `disan-viewer`, wasm-bindgen out-name): per backend, the full engine and
/// the one without object scenes (glTF) that tours of panoramas only load.
const FLAVOURS: [(&str, &str); 4] = [
    ("webgpu,objects", "disan_webgpu"),
    ("webgpu", "disan_webgpu_pano"),
    ("webgl,objects", "disan_webgl"),
    ("webgl", "disan_webgl_pano"),
];

/// The compressed-glTF decoders (`disan-decoders`): one module a codec and one with all three for
/// a model that uses several (cargo features, out-name), each fetched by the page only when a
/// model needs it (`disan_assets::model::decoder_modules`).
pub const DECODERS: [(&str, &str); 4] = [
    ("meshopt", "disan_meshopt"),
    ("draco", "disan_draco"),
    ("ktx2", "disan_ktx2"),
    ("meshopt,draco,ktx2", "disan_decoders"),
];

/// The studio's edits (`disan-editor`): a module only the studio page loads.
const EDITOR: &str = "disan_editor";

/// Files of `web/` copied as they are to `dist/`.
const WEB_FILES: [&str; 5] = [
    "index.html",
    "embed.html",
    "studio.html",
    "studio.js",
    "disan.css",
];

/// Builds the web package and the demo into `dist/`, then prints the file sizes.
///
/// The slow steps after cargo's own (incremental) build are cached in `target/web-cache/` and
/// skipped when their inputs are unchanged (see [`crate::stamp`]): wasm-bindgen with wasm-opt
/// per module, esbuild, and the demo tour's tiles and thumbnails. `dist/pkg/`, `dist/disan.js`
/// and `dist/tour/` are then copied afresh from the cache.
pub fn build(debug: bool) -> Result<()> {
    let root = crate::root();
    let dist = root.join("dist");
    let pinned = pinned_wasm_bindgen(&root)?;
    check_wasm_bindgen(&pinned)?;

    let target_dir = target_dir(&root);
    let cache = target_dir.join("web-cache");
    let (profile, profile_dir) = if debug {
        ("dev", "debug")
    } else {
        ("wasm-release", "wasm-release")
    };
    let wasm_dir = target_dir.join("wasm32-unknown-unknown").join(profile_dir);
    let pkg = dist.join("pkg");
    let wasm_opt = if debug { None } else { usable_wasm_opt() };
    // Release glue and bundle are minified (a fifth of the engine's gzip bytes were its JS).
    let minify = !debug;
    let esbuild = esbuild(&root.join("web"))?;

    let builds = FLAVOURS
        .iter()
        .map(|(f, n)| ("disan-viewer", *f, *n))
        .chain(DECODERS.iter().map(|(f, n)| ("disan-decoders", *f, *n)))
        .chain([("disan-editor", "", EDITOR)]);
    let mut modules = Vec::new();
    for (package, feature, name) in builds {
        eprintln!("== {name}: cargo build -p {package} --features '{feature}' --profile {profile}");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .current_dir(&root)
            .args(["build", "-p", package, "--lib"])
            .args(["--target", "wasm32-unknown-unknown", "--profile", profile])
            .args(if feature.is_empty() {
                vec![]
            } else {
                vec!["--no-default-features", "--features", feature]
            })
            // A cdylib of a workspace crate has no hash in its file name, so the four flavours
            // of disan-viewer share one output and one fingerprint: each build of another
            // feature set recompiled and re-linked (LTO) the crate, every time. This variable,
            // which cargo reads to put the hash into such names (it was made for building std),
            // keeps one artifact per feature set, so an unchanged flavour is fresh and cargo
            // copies its own .wasm back to the name read below. Without it (a future cargo),
            // the build is as correct as before, only slower.
            .env("__CARGO_DEFAULT_LIB_METADATA", "disan-web")
            .status()
            .context("running cargo")?;
        let wasm_in = wasm_dir.join(format!("{}.wasm", package.replace('-', "_")));
        if !status.success() {
            bail!(
                "cargo build of {package} for wasm32 (feature `{feature}`) failed ({status}); \
                 see the compiler output above (the wasm entry points live in crates/viewer/src/web.rs). \
                 The target is installed with `rustup target add wasm32-unknown-unknown`."
            );
        }
        if !wasm_in.is_file() {
            bail!("cargo succeeded but {} is missing", wasm_in.display());
        }
        let dir = cache.join(profile_dir).join(name);
        let minify = minify.then_some(esbuild.as_path());
        bindgen(&pinned, wasm_opt.as_ref(), minify, &wasm_in, name, &dir)?;
        modules.push((name, dir));
    }

    // Only now that every module is built: a failed build leaves the old dist/ alone.
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg).with_context(|| format!("removing {}", pkg.display()))?;
    }
    std::fs::create_dir_all(&pkg)?;
    // Kept with its names for `cargo xtask size` (wasm-opt strips them from dist/).
    let keep = target_dir.join("wasm-size");
    std::fs::create_dir_all(&keep)?;
    for (name, dir) in &modules {
        copy_dir(&dir.join("out"), &pkg)?;
        let names = dir.join("names.wasm");
        std::fs::copy(&names, keep.join(format!("{name}.wasm")))
            .with_context(|| format!("copying {}", names.display()))?;
    }

    for file in WEB_FILES {
        let from = root.join("web").join(file);
        std::fs::copy(&from, dist.join(file))
            .with_context(|| format!("copying {}", from.display()))?;
    }
    bundle_js(
        &root.join("web"),
        &esbuild,
        minify,
        &cache.join("esbuild"),
        &dist,
    )?;
    let tour = dist.join("tour");
    if tour.exists() {
        std::fs::remove_dir_all(&tour).with_context(|| format!("removing {}", tour.display()))?;
    }
    let demo = root.join("assets/demo");
    if demo.is_dir() {
        let disan = disan_binary(&root)?;
        let out = demo_tour(&disan, &demo, &cache.join("tour"))?;
        copy_dir(&out, &tour)?;
    } else {
        eprintln!(
            "warning: {} is missing (run `cargo xtask demo-assets`); dist/tour/ is empty",
            demo.display()
        );
    }

    print_sizes(&dist)?;
    Ok(())
}

/// `$CARGO_TARGET_DIR`, else `target/` in the workspace.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// wasm-bindgen, then wasm-opt when there is one, of the module `wasm_in` into `dir/out/`
/// (`<name>.js`, `<name>_bg.wasm`, any `snippets/`), keeping the module with its names (before
/// wasm-opt) as `dir/names.wasm`; the glue minified by `minify` (esbuild) when given. Skipped
/// when the stamp in `dir` matches: the input's bytes, wasm-bindgen's version and arguments,
/// wasm-opt's path, version and flags, esbuild's path and flags.
fn bindgen(
    pinned: &str,
    wasm_opt: Option<&(PathBuf, String)>,
    minify: Option<&Path>,
    wasm_in: &Path,
    name: &str,
    dir: &Path,
) -> Result<()> {
    let out = dir.join("out");
    let names = dir.join("names.wasm");
    let bg = out.join(format!("{name}_bg.wasm"));
    let js = out.join(format!("{name}.js"));
    let args = ["--target", "web", "--no-typescript", "--out-name", name];
    let mut stamp = Stamp::new("wasm-bindgen, then wasm-opt");
    stamp
        .file("input", wasm_in)?
        .text("wasm-bindgen", &format!("{pinned} {}", args.join(" ")));
    // wasm-bindgen reads a few WASM_BINDGEN_* variables (keep debug info, …).
    let mut vars: Vec<_> = std::env::vars_os()
        .filter(|(k, _)| k.to_string_lossy().starts_with("WASM_BINDGEN"))
        .map(|(k, v)| format!("{}={}", k.to_string_lossy(), v.to_string_lossy()))
        .collect();
    vars.sort();
    stamp.text("wasm-bindgen-env", &vars.join(" "));
    match wasm_opt {
        Some((exe, version)) => stamp.text(
            "wasm-opt",
            &format!("{} ({version}) {}", exe.display(), WASM_OPT_FLAGS.join(" ")),
        ),
        None => stamp.text("wasm-opt", "none"),
    };
    match minify {
        Some(esbuild) => stamp.text(
            "minify",
            &format!("{} {}", esbuild.display(), MINIFY_FLAGS.join(" ")),
        ),
        None => stamp.text("minify", "none"),
    };
    let label = format!("{name}: wasm-bindgen and wasm-opt");
    run_cached(
        &label,
        &dir.join("stamp"),
        &stamp,
        &[&bg, &js, &names],
        || {
            if out.exists() {
                std::fs::remove_dir_all(&out)
                    .with_context(|| format!("removing {}", out.display()))?;
            }
            std::fs::create_dir_all(&out)?;
            eprintln!("== {name}: wasm-bindgen");
            let status = Command::new("wasm-bindgen")
                .args(&args[..3])
                .arg("--out-dir")
                .arg(&out)
                .args(&args[3..])
                .arg(wasm_in)
                .status()
                .context("running wasm-bindgen")?;
            if !status.success() {
                bail!("wasm-bindgen failed for {name} ({status})");
            }
            std::fs::copy(&bg, &names).with_context(|| format!("copying {}", bg.display()))?;
            if let Some(esbuild) = minify {
                let status = Command::new(esbuild)
                    .arg(&js)
                    .args(MINIFY_FLAGS)
                    .arg("--allow-overwrite")
                    .arg(format!("--outfile={}", js.display()))
                    .status()
                    .context("running esbuild")?;
                if !status.success() {
                    bail!("esbuild could not minify {} ({status})", js.display());
                }
            }
            match wasm_opt {
                Some((exe, _)) => optimise(exe, &bg),
                None => Ok(true),
            }
        },
    )
}

/// The demo tour as `dist/tour/` serves it, made in `dir/out/`: `assets/demo` copied, its
/// panoramas tiled ([`tile_demo`]) and the scene list's pictures made by the renderer (`disan
/// thumbnails`). Skipped when the stamp in `dir` matches: every file of `assets/demo` by
/// content, the `disan` binary and this xtask binary (the recipe) by size and time.
fn demo_tour(disan: &Path, demo: &Path, dir: &Path) -> Result<PathBuf> {
    let out = dir.join("out");
    let mut stamp = Stamp::new("demo tour: copy, disan tile, disan thumbnails");
    stamp.tree("demo", demo)?.file_meta("disan", disan)?;
    if let Ok(exe) = std::env::current_exe() {
        stamp.file_meta("xtask", &exe)?;
    }
    let done = out.join("tour.json");
    run_cached(
        "demo tour: tiles and thumbnails",
        &dir.join("stamp"),
        &stamp,
        &[&done],
        || {
            if out.exists() {
                std::fs::remove_dir_all(&out)
                    .with_context(|| format!("removing {}", out.display()))?;
            }
            copy_dir(demo, &out)?;
            tile_demo(disan, &out)?;
            // The scene list's pictures, made at build time by the renderer (`disan thumbnails`).
            let status = Command::new(disan)
                .arg("thumbnails")
                .arg(&out)
                .status()
                .context("running disan thumbnails")?;
            if !status.success() {
                bail!("disan thumbnails {} failed ({status})", out.display());
            }
            Ok(true)
        },
    )?;
    Ok(out)
}

/// The `disan` command: `$DISAN_BIN`, else the debug build (built when missing).
pub fn disan_binary(root: &Path) -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("DISAN_BIN") {
        return Ok(PathBuf::from(p));
    }
    let bin = target_dir(root).join("debug").join("disan");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Cheap when up to date; makes sure the tiler matches this checkout.
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["build", "-p", "disan-cli", "--bin", "disan"])
        .status()
        .context("running cargo")?;
    if !status.success() {
        bail!("cargo build -p disan-cli --bin disan failed ({status})");
    }
    Ok(bin)
}

/// Serves the demo's panoramas tiled, as a museum would publish them: `disan tile` cuts each
/// panorama scene's image into `tiles/<scene>/` and points the scene at its tiles in
/// `tour.json` (`--tour`; the image stays, for the object scenes that are lit by it).
fn tile_demo(disan: &Path, tour: &Path) -> Result<()> {
    let file = tour.join("tour.json");
    let text =
        std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let json: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .context("parsing the demo tour.json")?;
    let scenes = json["scenes"].as_array().cloned().unwrap_or_default();
    for scene in scenes {
        let (Some(id), Some(image), Some("panorama")) = (
            scene["id"].as_str(),
            scene["image"].as_str(),
            scene["kind"].as_str(),
        ) else {
            continue;
        };
        eprintln!("== disan tile {image} for scene {id} into tiles/{id}/");
        let status = Command::new(disan)
            .arg("tile")
            .arg(tour.join(image))
            .arg("--out")
            .arg(tour.join("tiles").join(id))
            .arg("--tour")
            .arg(&file)
            .args(["--scene", id])
            .status()
            .context("running disan tile")?;
        if !status.success() {
            bail!(
                "disan tile {image} --tour {} failed ({status})",
                file.display()
            );
        }
    }
    Ok(())
}

/// The `wasm-bindgen` version pinned in the root `Cargo.toml` (`wasm-bindgen = "=X"`).
pub fn pinned_wasm_bindgen(root: &Path) -> Result<String> {
    let manifest = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("reading {}", manifest.display()))?;
    for line in text.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("wasm-bindgen") else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('=') else {
            continue; // wasm-bindgen-futures and the like
        };
        // `"=0.2.130"` or `{ version = "=0.2.130", … }`: the first quoted string after `version`
        // in the table form, else the first quoted string.
        let rest = rest.split_once("version").map_or(rest, |(_, v)| v);
        let version = rest.split('"').nth(1).unwrap_or("");
        let version = version.trim_start_matches('=').trim();
        if !version.is_empty() {
            return Ok(version.to_string());
        }
    }
    bail!(
        "no `wasm-bindgen = \"=X.Y.Z\"` line in {}",
        manifest.display()
    )
}

/// The command that installs the wasm-bindgen CLI at the `pinned` version.
pub fn install_wasm_bindgen(pinned: &str) -> String {
    format!("cargo install wasm-bindgen-cli --version {pinned} --locked")
}

/// Why `wasm-bindgen` on PATH is not the `pinned` version, or `None` when it is.
pub fn wasm_bindgen_mismatch(pinned: &str) -> Option<String> {
    let out = match Command::new("wasm-bindgen").arg("--version").output() {
        Ok(out) => out,
        Err(e) => return Some(format!("wasm-bindgen not found on PATH ({e})")),
    };
    let text = String::from_utf8_lossy(&out.stdout);
    // "wasm-bindgen 0.2.130"
    let found = text.split_whitespace().nth(1).unwrap_or("");
    if out.status.success() && found == pinned {
        return None;
    }
    let found = if found.is_empty() {
        "(unknown version)"
    } else {
        found
    };
    Some(format!("wasm-bindgen {found} found, {pinned} needed"))
}

/// Fails with install instructions unless `wasm-bindgen --version` is `pinned`.
fn check_wasm_bindgen(pinned: &str) -> Result<()> {
    if let Some(problem) = wasm_bindgen_mismatch(pinned) {
        bail!(
            "{problem}; install it with `{}` (it must match the wasm-bindgen crate pinned in Cargo.toml)",
            install_wasm_bindgen(pinned)
        );
    }
    Ok(())
}

/// Oldest wasm-opt trusted with wasm-bindgen's output. Older ones (Debian 12 ships 108) treat
/// `externref` as the old `anyref`: they exit successfully but write a module whose externref
/// table rejects JS values at start-up ("function-typed object must be null…").
const MIN_WASM_OPT: u32 = 116;

/// wasm-opt's flags: size first, and the features the compiler and wasm-bindgen use.
const WASM_OPT_FLAGS: [&str; 7] = [
    "-Oz",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// A wasm-opt recent enough to optimise the output, with its `--version` line: the one on PATH,
/// else binaryen from `web/node_modules` (npm's `binaryen` package, a devDependency of `web/`).
/// Says why not otherwise.
fn usable_wasm_opt() -> Option<(PathBuf, String)> {
    let candidates = [
        PathBuf::from("wasm-opt"),
        crate::root().join("web/node_modules/.bin/wasm-opt"),
    ];
    let mut seen = Vec::new();
    for exe in candidates {
        let Ok(out) = Command::new(&exe).arg("--version").output() else {
            continue;
        };
        if !out.status.success() {
            continue;
        }
        // "wasm-opt version 108" or "wasm-opt version 116 (version_116)"
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let version = text
            .split_whitespace()
            .skip_while(|w| *w != "version")
            .nth(1)
            .and_then(|v| v.parse::<u32>().ok());
        if version.is_some_and(|v| v >= MIN_WASM_OPT) {
            return Some((exe, text));
        }
        seen.push(format!("{} is {text}", exe.display()));
    }
    eprintln!(
        "warning: no wasm-opt of version {MIN_WASM_OPT} or newer ({}); run `npm ci` in web/ to get \
         binaryen; keeping the unoptimised .wasm files",
        if seen.is_empty() { "none found".to_string() } else { seen.join("; ") }
    );
    None
}

/// `wasm-opt -Oz` in place; keeps the unoptimised file (with a warning) when wasm-opt fails,
/// e.g. an old wasm-opt that does not know a feature the compiler used. Says whether it
/// optimised.
fn optimise(exe: &Path, wasm: &Path) -> Result<bool> {
    let tmp = wasm.with_extension("opt.wasm");
    let before = std::fs::metadata(wasm)?.len();
    eprintln!("== wasm-opt -Oz {}", wasm.display());
    let out = Command::new(exe)
        .args(WASM_OPT_FLAGS)
        .arg("-o")
        .arg(&tmp)
        .arg(wasm)
        .output()
        .context("running wasm-opt")?;
    if out.status.success() && tmp.is_file() {
        std::fs::rename(&tmp, wasm)?;
        let after = std::fs::metadata(wasm)?.len();
        eprintln!("   {} → {} bytes", before, after);
        Ok(true)
    } else {
        let _ = std::fs::remove_file(&tmp);
        let msg = String::from_utf8_lossy(&out.stderr);
        let msg = msg.lines().take(5).collect::<Vec<_>>().join("\n   ");
        eprintln!(
            "warning: wasm-opt failed ({}); keeping the unoptimised {}\n   {msg}",
            out.status,
            wasm.display()
        );
        Ok(false)
    }
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    copy_dir_except(from, to, &|_| false)
}

/// [`copy_dir`], leaving out every file or folder whose name `skip` accepts (at any depth).
pub fn copy_dir_except(
    from: &Path,
    to: &Path,
    skip: &dyn Fn(&std::ffi::OsStr) -> bool,
) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        if skip(&entry.file_name()) {
            continue;
        }
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir_except(&entry.path(), &dest, skip)?;
        } else {
            std::fs::copy(entry.path(), &dest)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Files under `dist/` that the tests and benchmarks generate (`big/`, `tour-big/`,
/// `tour-compressed/`): left out of
/// the size listings.
pub fn generated_test_input(rel: &Path) -> bool {
    rel.starts_with("big") || rel.starts_with("tour-big") || rel.starts_with("tour-compressed")
}

/// Every file under `dir`, sorted, as paths relative to `dir`.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else {
                out.push(path.strip_prefix(base)?.to_path_buf());
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

/// Size of `path` gzipped at the best compression level.
pub fn gzip_size(path: &Path) -> Result<u64> {
    let data = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&data)?;
    Ok(gz.finish()?.len() as u64)
}

/// `web/disan.js` and the small modules it imports (`loader.js`, `ui-text.js`) as one ES module,
/// `dist/disan.js` (esbuild, a devDependency of `web/`): one file to fetch, and one file for an
/// embedder to copy. The `pkg/` glue it imports at run time stays separate.
///
/// Bundled into `cache/` and copied to `dist/`; skipped when the stamp matches: esbuild's
/// version and arguments and every input of the last bundle by content, as esbuild listed them
/// in its metafile (an input added since can only come from a changed input).
fn bundle_js(web: &Path, esbuild: &Path, minify: bool, cache: &Path, dist: &Path) -> Result<()> {
    let version = Command::new(esbuild)
        .arg("--version")
        .output()
        .context("running esbuild --version")?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    let out = cache.join("disan.js");
    let meta = cache.join("meta.json");
    let mut args = vec![
        "disan.js",
        "--bundle",
        "--format=esm",
        "--log-level=warning",
        "--external:./pkg/*",
    ];
    if minify {
        args.extend(["--minify", "--charset=utf8"]);
    }
    let before = esbuild_inputs(&meta);
    let mut stamp = Stamp::new("esbuild");
    stamp
        .text("esbuild", &version)
        .text("args", &args.join(" "));
    match &before {
        Some(inputs) => {
            for input in inputs {
                if stamp
                    .file(&format!("input {input}"), &web.join(input))
                    .is_err()
                {
                    stamp.text(&format!("input {input}"), "(unreadable)");
                }
            }
        }
        None => {
            stamp.text("inputs", "(unknown)");
        }
    }
    run_cached(
        "esbuild disan.js",
        &cache.join("stamp"),
        &stamp,
        &[&out, &meta],
        || {
            std::fs::create_dir_all(cache)?;
            let status = Command::new(esbuild)
                .current_dir(web)
                .args(args)
                .arg(format!("--outfile={}", out.display()))
                .arg(format!("--metafile={}", meta.display()))
                .status()
                .context("running esbuild")?;
            if !status.success() {
                bail!("esbuild failed ({status})");
            }
            // The stamp holds the inputs read before the run: reused only if the bundle read the same.
            Ok(before.is_some() && esbuild_inputs(&meta) == before)
        },
    )?;
    std::fs::copy(&out, dist.join("disan.js"))
        .with_context(|| format!("copying {}", out.display()))?;
    Ok(())
}

/// esbuild's flags for release JS: minified ES modules, UTF-8 kept as it is (Vietnamese text
/// as `\uXXXX` escapes weighs more).
const MINIFY_FLAGS: [&str; 4] = [
    "--format=esm",
    "--minify",
    "--charset=utf8",
    "--log-level=warning",
];

/// esbuild, a devDependency of `web/`.
fn esbuild(web: &Path) -> Result<PathBuf> {
    let esbuild = web.join("node_modules/.bin/esbuild");
    if !esbuild.exists() {
        bail!("{} is missing: run `npm ci` in web/", esbuild.display());
    }
    Ok(esbuild)
}

/// The input files of a bundle (relative to `web/`, sorted), from esbuild's metafile.
fn esbuild_inputs(meta: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(meta).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let mut inputs: Vec<String> = json["inputs"].as_object()?.keys().cloned().collect();
    inputs.sort();
    Some(inputs)
}

/// Gzip size in bytes of what a page loads before its first frame with the package `name`
/// (`disan_webgpu`, `disan_webgpu_pano`, …): `disan.js` (bundled), `pkg/<name>.js` and
/// `pkg/<name>_bg.wasm`.
pub fn bundle_gzip(dist: &Path, name: &str) -> Result<u64> {
    bundle_files(name)
        .iter()
        .map(|f| gzip_size(&dist.join(f)))
        .sum()
}

/// The files of [`bundle_gzip`], relative to `dist/`.
fn bundle_files(name: &str) -> [String; 3] {
    [
        "disan.js".to_string(),
        format!("pkg/{name}.js"),
        format!("pkg/{name}_bg.wasm"),
    ]
}

fn print_sizes(dist: &Path) -> Result<()> {
    let kb = |n: u64| format!("{:.1} KB", n as f64 / 1024.0);
    println!("\n{:<48} {:>12} {:>12}", "dist/", "raw", "gzip");
    let (mut raw_total, mut gz_total) = (0, 0);
    // Each file is compressed once: the bundle lines below add up sizes listed here.
    let mut gzipped: std::collections::HashMap<PathBuf, u64> = std::collections::HashMap::new();
    for rel in files_under(dist)? {
        if generated_test_input(&rel) {
            continue;
        }
        let path = dist.join(&rel);
        let raw = std::fs::metadata(&path)?.len();
        let gz = gzip_size(&path)?;
        gzipped.insert(rel.clone(), gz);
        raw_total += raw;
        gz_total += gz;
        let name = rel.to_string_lossy().replace('\\', "/");
        println!("{name:<48} {:>12} {:>12}", kb(raw), kb(gz));
    }
    println!("{:<48} {:>12} {:>12}", "total", kb(raw_total), kb(gz_total));
    let gz = |rel: &str| -> Result<u64> {
        match gzipped.get(Path::new(rel)) {
            Some(&n) => Ok(n),
            None => gzip_size(&dist.join(rel)),
        }
    };
    for (_, name) in FLAVOURS {
        let bytes = bundle_files(name)
            .iter()
            .map(|f| gz(f))
            .sum::<Result<u64>>()?;
        println!(
            "bundle {name:<20} (disan.js + pkg/{name}.js + pkg/{name}_bg.wasm): {:>7.1} KB gzip",
            bytes as f64 / 1024.0
        );
    }
    for (codecs, name) in DECODERS {
        let dec = gz(&format!("pkg/{name}.js"))? + gz(&format!("pkg/{name}_bg.wasm"))?;
        let what = match codecs.contains(',') {
            true => "several codecs".to_string(),
            false => codecs.to_string(),
        };
        println!(
            "decoder {name:<21} (fetched only for a model compressed with {what}): {:>7.1} KB gzip",
            dec as f64 / 1024.0
        );
    }
    Ok(())
}

/// Serves `dist/` on `127.0.0.1:port` with `node web/tools/server.mjs` until it is stopped.
pub fn serve(port: u16) -> Result<()> {
    let root = crate::root();
    let dist = root.join("dist");
    if !dist.join("index.html").is_file() {
        eprintln!(
            "warning: {} has no index.html; run `cargo xtask web` first",
            dist.display()
        );
    }
    crate::run_cmd(
        Command::new("node")
            .arg(root.join("web/tools/server.mjs"))
            .arg(port.to_string())
            .env("DISAN_DIST", &dist),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_pinned_version() {
        assert!(!pinned_wasm_bindgen(&crate::root()).unwrap().is_empty());
    }
}
