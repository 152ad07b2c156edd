//! `disan publish --single-file`: a published tour made one self-contained HTML file that opens
//! from a USB stick or an e-mail attachment (`file://`, no server). The engine's module is the
//! page's own inline module (so its relative addresses are the page's), the wasm-bindgen glue
//! comes through an import map as `data:` modules, and every other file (the wasm, the tour, its
//! pictures and models) is inlined and served to the engine by a small shim in front of `fetch`
//! and of `src` (images, audio): what the engine asks for beside the page is answered from the
//! file itself, never from the disk.

use anyhow::{anyhow, bail, Result};
use base64::Engine as _;
use serde_json::{Map, Value};
use std::path::Path;

/// Larger than this (unless `--max-size` says otherwise), the file is refused: browsers and
/// e-mail struggle with it, a site serves it better.
pub(crate) const LIMIT_MB: u64 = 96;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn mime(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "json" => "application/json",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "ktx2" => "image/ktx2",
        "hdr" => "image/vnd.radiance",
        "glb" => "model/gltf-binary",
        "gltf" => "model/gltf+json",
        "wasm" => "application/wasm",
        "js" => "text/javascript",
        "css" => "text/css",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "vtt" => "text/vtt",
        _ => "application/octet-stream",
    }
}

/// Every regular file under `dir`, as paths relative to it with `/`.
fn files(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| anyhow!("{}: {e}", d.display()))? {
            let e = e?;
            let t = e.file_type()?;
            if t.is_dir() {
                stack.push(e.path());
            } else if t.is_file() {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .map_err(|e| anyhow!("{e}"))?
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The shim in front of `fetch` and `src`, run before the engine: `window.__disanFiles` maps
/// paths beside the page to `[type, base64]`.
const SHIM: &str = r#"(function () {
  var files = {}, raw = window.__disanFiles;
  for (var k in raw) files[new URL(k, location.href).href] = raw[k];
  var here = new URL('./', location.href).href;
  function bytes(f) { if (!f.bytes) { var s = atob(f[1]), b = new Uint8Array(s.length); for (var i = 0; i < s.length; i++) b[i] = s.charCodeAt(i); f.bytes = b; } return f.bytes; }
  function find(u) { try { return files[new URL(u, location.href).href.split('#')[0].split('?')[0]]; } catch (e) { return undefined; } }
  function blobUrl(u) { var f = find(u); if (!f) return u; if (!f.blob) f.blob = URL.createObjectURL(new Blob([bytes(f)], { type: f[0] })); return f.blob; }
  var fetch0 = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var u = typeof input === 'string' ? input : (input && input.url) || String(input);
    var f = find(u);
    if (f) return Promise.resolve(new Response(bytes(f), { status: 200, headers: { 'content-type': f[0] } }));
    // Nothing beside the page is read from the disk (a file:// page may not, and the file is all there is).
    var abs; try { abs = new URL(u, location.href).href; } catch (e) { abs = u; }
    if (abs.indexOf(here) === 0) return Promise.resolve(new Response('', { status: 404, statusText: 'not in this file' }));
    return fetch0(input, init);
  };
  function patch(proto) {
    var d = Object.getOwnPropertyDescriptor(proto, 'src');
    if (d && d.set) Object.defineProperty(proto, 'src', { configurable: true, enumerable: d.enumerable, get: d.get, set: function (v) { d.set.call(this, blobUrl(String(v))); } });
  }
  patch(HTMLImageElement.prototype); patch(HTMLMediaElement.prototype); patch(HTMLSourceElement.prototype);
  var set0 = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (String(name).toLowerCase() === 'src' && /^(IMG|AUDIO|VIDEO|SOURCE|TRACK)$/.test(this.tagName)) value = blobUrl(String(value));
    return set0.call(this, name, value);
  };
})();"#;

/// Makes `site` (a one-tour site `disan publish` wrote) one HTML file. Returns its text.
pub(crate) fn assemble(site: &Path, engine: &str) -> Result<String> {
    let index = std::fs::read_to_string(site.join("index.html"))
        .map_err(|e| anyhow!("{}: {e}", site.join("index.html").display()))?;
    let engine_dir = site.join(engine);
    let js = std::fs::read_to_string(engine_dir.join("disan.js"))
        .map_err(|e| anyhow!("{}: {e}", engine_dir.join("disan.js").display()))?;
    let css = std::fs::read_to_string(engine_dir.join("disan.css"))
        .map_err(|e| anyhow!("{}: {e}", engine_dir.join("disan.css").display()))?;
    // The engine's module becomes the page's: its `./pkg/…` and `./disan.css` are the page's.
    let import_line = format!("import {{ Disan }} from './{engine}/disan.js';\n");
    let Some((before, after)) = index.split_once(&import_line) else {
        bail!("the published page does not import the engine as expected");
    };
    let mut imports = Map::new();
    let mut inline = Map::new();
    for rel in files(&engine_dir.join("pkg"))? {
        let bytes = std::fs::read(engine_dir.join("pkg").join(&rel))?;
        if rel.ends_with(".js") {
            imports.insert(
                format!("./pkg/{rel}"),
                Value::String(format!("data:text/javascript;base64,{}", b64(&bytes))),
            );
        } else {
            inline.insert(
                format!("pkg/{rel}"),
                Value::Array(vec![mime(&rel).into(), b64(&bytes).into()]),
            );
        }
    }
    for rel in files(&site.join("tour"))? {
        let bytes = std::fs::read(site.join("tour").join(&rel))?;
        inline.insert(
            format!("tour/{rel}"),
            Value::Array(vec![mime(&rel).into(), b64(&bytes).into()]),
        );
    }
    // Posters straight into the HTML (the page shows one before any script).
    let mut head = before.to_string();
    for rel in files(&site.join("posters"))? {
        let bytes = std::fs::read(site.join("posters").join(&rel))?;
        let uri = format!("data:image/jpeg;base64,{}", b64(&bytes));
        head = head.replace(&format!("\"posters/{rel}\""), &format!("\"{uri}\""));
    }
    // The stylesheet inline; the page's links to the engine's files go.
    head = head
        .lines()
        .filter(|l| !l.contains(&format!("{engine}/disan.css")) && !l.contains("modulepreload"))
        .collect::<Vec<_>>()
        .join("\n");
    let css_tag = format!(
        "<style data-disan-css>{}</style>\n",
        css.replace("</style", "<\\/style")
    );
    let import_map = serde_json::json!({ "imports": imports });
    let files_json = serde_json::to_string(&Value::Object(inline))?;
    let boot = format!(
        "{css_tag}<script type=\"importmap\">{}</script>\n<script>window.__disanFiles = {};\n{SHIM}</script>\n",
        import_map.to_string().replace("</", "<\\/"),
        files_json.replace("</", "<\\/"),
    );
    let head = head.replacen("</head>", &format!("{boot}</head>"), 1);
    // The module: the engine's code, then the page's own (its `Disan` is the engine's).
    let engine_code = js
        .replace("</script", "<\\/script")
        .lines()
        .filter(|l| !l.starts_with("//# sourceMappingURL"))
        .collect::<Vec<_>>()
        .join("\n");
    // The page's code in a block of its own: its names cannot meet the engine's.
    let after = after.replace(&format!("./{engine}/"), "./");
    let Some((code, rest)) = after.split_once("</script>") else {
        bail!("the published page's module does not end");
    };
    Ok(format!(
        "{head}\n{engine_code}\n{{\n{code}}}\n</script>{rest}"
    ))
}
