//! `cargo xtask size`: where the bytes of a wasm package go, by crate.
//!
//! Reads a wasm module that still has its `name` section (the build's `disan_viewer.wasm`, before
//! wasm-opt strips names; `cargo xtask web` keeps one per flavour in `target/wasm-size/`), sums
//! the code size of each function under the crate its demangled name starts with, and prints the
//! crates from largest down with each one's share of the module, raw and gzip-estimated (each
//! function body gzipped with its crate's other bodies), plus data, imports and other sections.

use anyhow::{bail, Context, Result};
use flate2::{write::GzEncoder, Compression};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Reads an unsigned LEB128 number at `*at`.
fn leb(bytes: &[u8], at: &mut usize) -> Result<u64> {
    let mut value = 0u64;
    let mut shift = 0;
    loop {
        let Some(&b) = bytes.get(*at) else {
            bail!("truncated LEB128 number at byte {at}");
        };
        *at += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(value);
        }
        shift += 7;
        if shift > 63 {
            bail!("LEB128 number too long at byte {at}");
        }
    }
}

fn slice(bytes: &[u8], from: usize, len: usize) -> Result<&[u8]> {
    bytes
        .get(from..from.saturating_add(len))
        .with_context(|| format!("section runs past the end ({from}+{len})"))
}

/// The crate a demangled symbol belongs to: the first path segment, after any leading `<`, `&`,
/// `mut ` or `dyn ` (so `<gltf_json::Root as serde::Deserialize>::deserialize` is `gltf_json`).
pub fn crate_of(demangled: &str) -> String {
    let mut s = demangled.trim();
    loop {
        let before = s;
        s = s.trim_start_matches(['<', '&', '(', '[', '*']);
        for p in ["mut ", "dyn ", "const ", "impl "] {
            s = s.strip_prefix(p).unwrap_or(s);
        }
        if s == before {
            break;
        }
    }
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    let name = &s[..end];
    // `core[c5930c85a12de822]::…`: the crate's disambiguator follows its name.
    let mut rest = &s[end..];
    if let Some(after) = rest.strip_prefix('[') {
        rest = after.split_once(']').map_or(rest, |(_, r)| r);
    }
    if name.is_empty() || !rest.starts_with("::") {
        // Not a Rust path: wasm-bindgen glue, compiler intrinsics, allocator shims.
        return if name.starts_with("__wbg") || name.starts_with("__wbindgen") {
            "(wasm-bindgen glue)".into()
        } else {
            "(other)".into()
        };
    }
    name.to_string()
}

fn gzip_len(data: &[u8]) -> Result<u64> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::new(9));
    gz.write_all(data)?;
    Ok(gz.finish()?.len() as u64)
}

/// Per crate: (name, code bytes, gzip bytes).
type Rows = Vec<(String, u64, u64)>;
/// Every function: (demangled name, its code).
type Functions = Vec<(String, Vec<u8>)>;

/// Per crate (code bytes, gzip bytes) of `wasm`, the other sections as pseudo-crates, and every
/// function.
fn parse(wasm: &[u8]) -> Result<(Rows, Functions)> {
    if wasm.get(..4) != Some(b"\0asm") {
        bail!("not a wasm module");
    }
    let mut at = 8;
    let mut imported_functions = 0u64;
    let mut bodies: Vec<&[u8]> = Vec::new();
    let mut names: BTreeMap<u64, String> = BTreeMap::new();
    let mut other: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let len = leb(wasm, &mut at)? as usize;
        let body = slice(wasm, at, len)?;
        let next = at + len;
        match id {
            2 => {
                // Imports: count the function imports (they take the first function indices).
                let mut p = 0;
                let count = leb(body, &mut p)?;
                for _ in 0..count {
                    for _ in 0..2 {
                        let n = leb(body, &mut p)? as usize;
                        p += n;
                    }
                    let kind = *body.get(p).context("truncated import")?;
                    p += 1;
                    match kind {
                        0 => {
                            leb(body, &mut p)?;
                            imported_functions += 1;
                        }
                        1 => {
                            p += 1;
                            let flags = leb(body, &mut p)?;
                            leb(body, &mut p)?;
                            if flags & 1 != 0 {
                                leb(body, &mut p)?;
                            }
                        }
                        2 => {
                            let flags = leb(body, &mut p)?;
                            leb(body, &mut p)?;
                            if flags & 1 != 0 {
                                leb(body, &mut p)?;
                            }
                        }
                        3 => p += 2,
                        4 => {
                            p += 1;
                            leb(body, &mut p)?;
                        }
                        k => bail!("unknown import kind {k}"),
                    }
                }
                other.entry("(imports)".into()).or_default().extend(body);
            }
            10 => {
                let mut p = 0;
                let count = leb(body, &mut p)?;
                for _ in 0..count {
                    let n = leb(body, &mut p)? as usize;
                    bodies.push(slice(body, p, n)?);
                    p += n;
                }
            }
            11 => other
                .entry("(data: strings, tables)".into())
                .or_default()
                .extend(body),
            0 => {
                let mut p = 0;
                let n = leb(body, &mut p)? as usize;
                let name = String::from_utf8_lossy(slice(body, p, n)?).to_string();
                p += n;
                if name == "name" {
                    while p < body.len() {
                        let sub = body[p];
                        p += 1;
                        let len = leb(body, &mut p)? as usize;
                        if sub == 1 {
                            let mut q = p;
                            let count = leb(body, &mut q)?;
                            for _ in 0..count {
                                let index = leb(body, &mut q)?;
                                let n = leb(body, &mut q)? as usize;
                                let s = String::from_utf8_lossy(slice(body, q, n)?).to_string();
                                q += n;
                                names.insert(index, s);
                            }
                        }
                        p += len;
                    }
                }
                // Custom sections (names, producers) are stripped by wasm-opt: not counted.
            }
            _ => other
                .entry(format!("(section {id})"))
                .or_default()
                .extend(body),
        }
        at = next;
    }
    if names.is_empty() {
        bail!(
            "the module has no function names (built with wasm-opt? use target/wasm-size/*.wasm)"
        );
    }
    let mut by_crate: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut functions = Vec::new();
    for (i, body) in bodies.iter().enumerate() {
        let index = imported_functions + i as u64;
        let name = names.get(&index).map_or("", String::as_str);
        let demangled = format!("{:#}", rustc_demangle::demangle(name));
        by_crate
            .entry(crate_of(&demangled))
            .or_default()
            .extend(*body);
        functions.push((demangled, body.to_vec()));
    }
    by_crate.extend(other);
    let mut rows = Vec::new();
    for (name, bytes) in by_crate {
        rows.push((name, bytes.len() as u64, gzip_len(&bytes)?));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.2));
    Ok((rows, functions))
}

/// Prints the breakdown of every `*.wasm` in `dir`, and its `top` largest functions.
pub fn print(dir: &Path, top: usize) -> Result<()> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {} (run `cargo xtask web` first)", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .collect();
    files.sort();
    for file in files {
        let wasm = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        let (rows, mut functions) = parse(&wasm).with_context(|| file.display().to_string())?;
        let (raw, gz): (u64, u64) = rows.iter().fold((0, 0), |(r, g), x| (r + x.1, g + x.2));
        println!(
            "\n{} (before wasm-opt; gzip per crate, summed: {:.1} KB)",
            file.display(),
            gz as f64 / 1024.0
        );
        println!(
            "{:<32} {:>10} {:>10} {:>7}",
            "crate", "raw KB", "gzip KB", "share"
        );
        for (name, r, g) in rows.iter().filter(|x| x.2 >= 1024) {
            println!(
                "{name:<32} {:>10.1} {:>10.1} {:>6.1}%",
                *r as f64 / 1024.0,
                *g as f64 / 1024.0,
                100.0 * *g as f64 / gz.max(1) as f64
            );
        }
        let small: Vec<_> = rows.iter().filter(|x| x.2 < 1024).collect();
        let (sr, sg) = small.iter().fold((0, 0), |(r, g), x| (r + x.1, g + x.2));
        println!(
            "{:<32} {:>10.1} {:>10.1} {:>6.1}%",
            format!("({} crates under 1 KB)", small.len()),
            sr as f64 / 1024.0,
            sg as f64 / 1024.0,
            100.0 * sg as f64 / gz.max(1) as f64
        );
        println!(
            "{:<32} {:>10.1} {:>10.1}",
            "total",
            raw as f64 / 1024.0,
            gz as f64 / 1024.0
        );
        if top > 0 {
            functions.sort_by_key(|f| std::cmp::Reverse(f.1.len()));
            println!("{:>10} {:>10}  largest functions", "raw KB", "gzip KB");
            for (name, body) in functions.iter().take(top) {
                let mut name = name.clone();
                if name.chars().count() > 110 {
                    name = name.chars().take(110).collect::<String>() + "…";
                }
                println!(
                    "{:>10.1} {:>10.1}  {name}",
                    body.len() as f64 / 1024.0,
                    gzip_len(body)? as f64 / 1024.0
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::crate_of;

    #[test]
    fn crate_names() {
        assert_eq!(
            crate_of("<gltf_json::root::Root as serde::de::Deserialize>::deserialize"),
            "gltf_json"
        );
        assert_eq!(
            crate_of("disan_tour::visit::Visit::frame_drawn"),
            "disan_tour"
        );
        assert_eq!(
            crate_of("<&mut serde_json::de::Deserializer<R> as x>::f"),
            "serde_json"
        );
        assert_eq!(crate_of("__wbg_fetch_123"), "(wasm-bindgen glue)");
        assert_eq!(crate_of("memcpy"), "(other)");
        assert_eq!(crate_of("core[c5930c85a12de822]::num::flt2dec::x"), "core");
        assert_eq!(
            crate_of("<dlmalloc[e24a]::dlmalloc::Dlmalloc<T>>::malloc"),
            "dlmalloc"
        );
    }
}
