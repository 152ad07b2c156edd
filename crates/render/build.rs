//! Copies `shaders/*.wgsl` into `OUT_DIR` without their comments and indentation (a line for each
//! line, so naga's messages keep their line numbers): the engine embeds the shaders' text, and on
//! the web every byte of it is downloaded. WGSL has no string literals, so `//` always starts a
//! comment; the shaders use no block comments (checked here).

use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shaders");
    println!("cargo:rerun-if-changed={}", dir.display());
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let entries = std::fs::read_dir(&dir).expect("shaders/ is readable");
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("wgsl") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).expect("a shader is UTF-8 text");
        assert!(
            !text.contains("/*"),
            "{}: block comments are not stripped; use // comments",
            path.display()
        );
        let mut lean = String::with_capacity(text.len() / 2);
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            lean.push_str(code.trim());
            lean.push('\n');
        }
        let name = path.file_name().expect("a file name");
        std::fs::write(Path::new(&out).join(name), lean).expect("OUT_DIR is writable");
    }
}
