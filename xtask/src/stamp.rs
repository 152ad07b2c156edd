//! Stamps: what a slow build step was last run on, so `cargo xtask web` can skip it when nothing changed.
//!
//! A [`Stamp`] is a plain text file of `key value` lines kept next to the step's outputs in
//! `target/web-cache/`: the content hash of every input file (FNV-1a, 64 bits), the size and
//! modification time of the programs that do the work, their versions and their arguments. A
//! step is skipped only when the stamp it would write now is the one on disk *and* every output
//! is there. The stamp is removed before a step runs and written only after it succeeded, so an
//! interrupted or failed step runs again.

use anyhow::{Context, Result};
use std::path::Path;

/// FNV-1a, 64 bits: a stable hash (the same on every toolchain, unlike `DefaultHasher`) that is
/// plenty to notice a changed file.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The inputs of one step, as the text written to its stamp file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stamp {
    text: String,
}

impl Stamp {
    pub fn new(step: &str) -> Self {
        let mut s = Stamp::default();
        s.text("step", step);
        s
    }

    /// A value as it is (a version, an argument list). Line breaks are flattened.
    pub fn text(&mut self, key: &str, value: &str) -> &mut Self {
        let value = value.trim().replace(['\n', '\r'], " ");
        self.text.push_str(&format!("{key} {value}\n"));
        self
    }

    /// Bytes by length and hash.
    pub fn bytes(&mut self, key: &str, bytes: &[u8]) -> &mut Self {
        self.text(
            key,
            &format!("{} bytes fnv {:016x}", bytes.len(), fnv1a(bytes)),
        )
    }

    /// A file by content (length and hash).
    pub fn file(&mut self, key: &str, path: &Path) -> Result<&mut Self> {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        Ok(self.bytes(key, &bytes))
    }

    /// A file by path, size and modification time: for large programs rebuilt in place (the
    /// `disan` binary), where reading every byte would cost more than the check saves.
    pub fn file_meta(&mut self, key: &str, path: &Path) -> Result<&mut Self> {
        let meta =
            std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        Ok(self.text(
            key,
            &format!("{} {} bytes mtime {mtime}", path.display(), meta.len()),
        ))
    }

    /// Every file under `dir` by relative path and content, in a stable order.
    pub fn tree(&mut self, key: &str, dir: &Path) -> Result<&mut Self> {
        self.text(key, &dir.display().to_string());
        for rel in crate::web::files_under(dir)? {
            let name = rel.to_string_lossy().replace('\\', "/");
            self.file(&format!("{key}/{name}"), &dir.join(&rel))?;
        }
        Ok(self)
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Why the step must run again: `None` when `previous` (the stamp file's text, if any) is
    /// this stamp and every output exists.
    pub fn stale_reason(&self, previous: Option<&str>, outputs_exist: bool) -> Option<String> {
        let Some(previous) = previous else {
            return Some("no stamp from an earlier run".into());
        };
        if previous != self.text {
            let key = |l: &str| l.split_once(' ').map_or(l, |(k, _)| k).to_string();
            let old: Vec<&str> = previous.lines().collect();
            let new: Vec<&str> = self.text.lines().collect();
            let changed = new
                .iter()
                .zip(old.iter().chain(std::iter::repeat(&"")))
                .find(|(n, o)| n != o)
                .map(|(n, _)| key(n))
                .or_else(|| old.get(new.len()).map(|o| key(o)))
                .unwrap_or_default();
            return Some(format!("{changed} changed"));
        }
        if !outputs_exist {
            return Some("an output is missing".into());
        }
        None
    }
}

/// Runs `step` unless the stamp at `stamp_file` says it already ran on these inputs and all
/// of `outputs` exist; prints what it skipped. `step` returns whether its result may be reused
/// (false: a fallback was taken, e.g. wasm-opt failed, so try again next time).
pub fn run_cached(
    label: &str,
    stamp_file: &Path,
    stamp: &Stamp,
    outputs: &[&Path],
    step: impl FnOnce() -> Result<bool>,
) -> Result<()> {
    let previous = std::fs::read_to_string(stamp_file).ok();
    let outputs_exist = outputs.iter().all(|p| p.exists());
    match stamp.stale_reason(previous.as_deref(), outputs_exist) {
        None => {
            eprintln!("== {label}: up to date, skipped");
            return Ok(());
        }
        Some(why) => eprintln!("== {label} ({why})"),
    }
    if stamp_file.exists() {
        std::fs::remove_file(stamp_file)
            .with_context(|| format!("removing {}", stamp_file.display()))?;
    }
    if step()? {
        if let Some(dir) = stamp_file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(stamp_file, stamp.as_str())
            .with_context(|| format!("writing {}", stamp_file.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_the_reference_function() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    fn stamp(wasm: &[u8], flags: &str) -> Stamp {
        let mut s = Stamp::new("wasm-bindgen");
        s.bytes("input", wasm).text("flags", flags);
        s
    }

    #[test]
    fn same_inputs_are_current_and_any_change_is_stale() {
        let old = stamp(b"\0asm module", "-Oz");
        let prev = Some(old.as_str());
        assert_eq!(stamp(b"\0asm module", "-Oz").stale_reason(prev, true), None);
        assert_eq!(
            stamp(b"\0asm module!", "-Oz").stale_reason(prev, true),
            Some("input changed".into())
        );
        // Same length, one byte different.
        assert_eq!(
            stamp(b"\0asm modulf", "-Oz").stale_reason(prev, true),
            Some("input changed".into())
        );
        assert_eq!(
            stamp(b"\0asm module", "-O3").stale_reason(prev, true),
            Some("flags changed".into())
        );
        assert_eq!(
            stamp(b"\0asm module", "-Oz").stale_reason(prev, false),
            Some("an output is missing".into())
        );
        assert!(stamp(b"x", "-Oz").stale_reason(None, true).is_some());
        // An input added or removed is a change too.
        let mut more = stamp(b"\0asm module", "-Oz");
        more.text("extra", "1");
        assert_eq!(more.stale_reason(prev, true), Some("extra changed".into()));
        assert_eq!(
            old.stale_reason(Some(more.as_str()), true),
            Some("extra changed".into())
        );
    }

    #[test]
    fn run_cached_skips_only_a_matching_successful_run() -> Result<()> {
        let dir = std::env::temp_dir().join(format!("xtask-stamp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let input = dir.join("in.txt");
        let output = dir.join("out.txt");
        let stamp_file = dir.join("stamp");
        let runs = std::cell::Cell::new(0);
        let build = |reuse: bool| -> Result<()> {
            let mut s = Stamp::new("copy");
            s.file("in", &input)?;
            run_cached("copy", &stamp_file, &s, &[&output], || {
                runs.set(runs.get() + 1);
                std::fs::copy(&input, &output)?;
                Ok(reuse)
            })
        };

        std::fs::write(&input, "one")?;
        build(true)?;
        build(true)?;
        assert_eq!(runs.get(), 1, "unchanged input: skipped");
        std::fs::write(&input, "two")?;
        build(true)?;
        assert_eq!(runs.get(), 2, "changed input: run again");
        assert_eq!(std::fs::read_to_string(&output)?, "two");
        std::fs::remove_file(&output)?;
        build(true)?;
        assert_eq!(runs.get(), 3, "missing output: run again");
        std::fs::write(&input, "three")?;
        build(false)?;
        build(false)?;
        assert_eq!(
            runs.get(),
            5,
            "a run that asks not to be reused is never skipped"
        );
        assert!(!stamp_file.exists());
        // The tree of a folder: a file's content and a new file both count.
        let tree = dir.join("tree");
        std::fs::create_dir_all(tree.join("sub"))?;
        std::fs::write(tree.join("sub/a"), "a")?;
        let t = |d: &Path| -> Result<Stamp> {
            let mut s = Stamp::new("t");
            s.tree("demo", d)?;
            Ok(s)
        };
        let before = t(&tree)?;
        assert_eq!(t(&tree)?.stale_reason(Some(before.as_str()), true), None);
        std::fs::write(tree.join("sub/a"), "b")?;
        assert_eq!(
            t(&tree)?.stale_reason(Some(before.as_str()), true),
            Some("demo/sub/a changed".into())
        );
        std::fs::write(tree.join("sub/a"), "a")?;
        std::fs::write(tree.join("b"), "")?;
        assert!(t(&tree)?
            .stale_reason(Some(before.as_str()), true)
            .is_some());
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }
}
