//! Paths inside a tour folder, without touching the file system: normalising a relative path,
//! refusing ones that leave the folder (`..` above it, absolute, Windows drive or UNC forms),
//! joining a glTF URI to its model's folder, and the size cap of each kind of file.

/// Why a path is refused. The caller names the file and the folder in its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    /// Empty, or only `.` and `/`.
    Empty,
    /// Starts with `/` or `\` (absolute, or a UNC `\\server\share`).
    Absolute,
    /// Has a `:` (a Windows drive `C:`, a URL scheme `file:`, an NTFS stream).
    Colon,
    /// Has a `\`; tours use `/` between folders on every system.
    Backslash,
    /// Has a NUL character.
    Nul,
    /// `..` climbs above the folder.
    Escapes,
}

impl PathProblem {
    /// The reason in words.
    pub fn reason(self) -> &'static str {
        match self {
            PathProblem::Empty => "the path is empty",
            PathProblem::Absolute => {
                "absolute paths are not allowed; write it relative to the folder"
            }
            PathProblem::Colon => "\":\" is not allowed (no drive letters, URL schemes or streams)",
            PathProblem::Backslash => "\"\\\" is not allowed; separate folders with \"/\"",
            PathProblem::Nul => "the path contains a NUL character",
            PathProblem::Escapes => "\"..\" leads outside the folder",
        }
    }
}

impl std::fmt::Display for PathProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reason())
    }
}

/// Normalises a path relative to a folder: removes `.` and repeated `/`, resolves `..`, and
/// refuses anything that could name a file outside the folder. The result is `/`-separated,
/// has no `.` or `..` segment and no leading `/`.
pub fn normalize(rel: &str) -> Result<String, PathProblem> {
    if rel.contains('\0') {
        return Err(PathProblem::Nul);
    }
    if rel.starts_with('/') || rel.starts_with('\\') {
        return Err(PathProblem::Absolute);
    }
    if rel.contains('\\') {
        return Err(PathProblem::Backslash);
    }
    if rel.contains(':') {
        return Err(PathProblem::Colon);
    }
    let mut parts: Vec<&str> = Vec::new();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(PathProblem::Escapes);
                }
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return Err(PathProblem::Empty);
    }
    Ok(parts.join("/"))
}

/// Joins `uri` (already percent-decoded) to the folder of `base` (a normalised path of a file in
/// the same folder tree, e.g. a `.gltf` file) and normalises the result. An absolute `uri` is
/// refused, not re-rooted; `..` may climb out of `base`'s folder but not out of the root.
pub fn join(base: &str, uri: &str) -> Result<String, PathProblem> {
    if uri.starts_with('/') || uri.starts_with('\\') {
        return Err(PathProblem::Absolute);
    }
    // Check `uri` on its own first so that its own problem is the one reported.
    if let Err(e) = normalize(uri) {
        if e != PathProblem::Escapes {
            return Err(e);
        }
    }
    match base.rfind('/') {
        Some(i) => normalize(&format!("{}/{}", &base[..i], uri)),
        None => normalize(uri),
    }
}

/// True for a reference the tour may leave to a browser: an `http(s)://` URL (catalog photos only).
pub fn is_web_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// What a file is read as; each kind has its own size cap, checked before reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `tour.json` or a catalog file.
    Json,
    /// A panorama, environment, texture or catalog photo.
    Image,
    /// A `.gltf` or `.glb` file.
    Model,
    /// A glTF buffer (`.bin`) or anything else.
    Buffer,
    /// A small text file: an OBJ's `.mtl`, WebVTT captions.
    Text,
    /// A scan to import: `.obj` or `.ply`.
    Scan,
    /// A source panorama to tile (`disan tile`): JPEG, PNG or TIFF up to 0.5 gigapixel.
    SourcePanorama,
    /// A spreadsheet of catalog records (`disan catalog import`): CSV, XLSX or ODS.
    Sheet,
    /// Audio and video: MP4, WebM, Ogg, MP3, WAV, FLAC or AAC.
    Media,
}

const MIB: u64 = 1 << 20;

impl FileKind {
    /// The largest file of this kind that is read, in bytes.
    pub fn limit(self) -> u64 {
        match self {
            FileKind::Json => MAX_JSON_BYTES,
            FileKind::Image => MAX_IMAGE_FILE_BYTES,
            FileKind::Model => MAX_MODEL_FILE_BYTES,
            FileKind::Buffer => MAX_BUFFER_FILE_BYTES,
            FileKind::Text => MAX_TEXT_BYTES,
            FileKind::Scan => MAX_SCAN_FILE_BYTES,
            FileKind::SourcePanorama => MAX_SOURCE_PANORAMA_BYTES,
            FileKind::Sheet => MAX_SHEET_BYTES,
            FileKind::Media => MAX_MEDIA_FILE_BYTES,
        }
    }

    /// The kind in words, for messages.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Json => "JSON files",
            FileKind::Image => "images",
            FileKind::Model => "models",
            FileKind::Buffer => "buffers",
            FileKind::Text => "text files",
            FileKind::Scan => "scans",
            FileKind::SourcePanorama => "panoramas to tile",
            FileKind::Sheet => "spreadsheets",
            FileKind::Media => "audio and video",
        }
    }

    /// The kind a file name suggests (by its extension), for readers that are not told.
    pub fn guess(path: &str) -> FileKind {
        let name = path.rsplit('/').next().unwrap_or(path);
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "json" => FileKind::Json,
            "gltf" | "glb" => FileKind::Model,
            "mtl" | "vtt" | "txt" => FileKind::Text,
            "obj" | "ply" => FileKind::Scan,
            "csv" | "xlsx" | "ods" => FileKind::Sheet,
            "png" | "jpg" | "jpeg" | "webp" | "hdr" | "gif" | "avif" | "ktx2" => FileKind::Image,
            "mp4" | "m4v" | "mov" | "m4a" | "mp3" | "ogg" | "oga" | "opus" | "webm" | "wav"
            | "flac" | "aac" => FileKind::Media,
            _ => FileKind::Buffer,
        }
    }
}

/// Cap of `tour.json` and catalog files: 16 MiB.
pub const MAX_JSON_BYTES: u64 = 16 * MIB;
/// Cap of an image file: 256 MiB (a 16384×8192 PNG of photographic content fits).
pub const MAX_IMAGE_FILE_BYTES: u64 = 256 * MIB;
/// Cap of a `.gltf`/`.glb` file: 512 MiB (a GLB holds its buffers and textures).
pub const MAX_MODEL_FILE_BYTES: u64 = 512 * MIB;
/// Cap of a glTF buffer or other file: 512 MiB.
pub const MAX_BUFFER_FILE_BYTES: u64 = 512 * MIB;
/// Cap of a small text file (MTL, WebVTT): 16 MiB.
pub const MAX_TEXT_BYTES: u64 = 16 * MIB;
/// Cap of a scan to import (OBJ, PLY): 1 GiB.
pub const MAX_SCAN_FILE_BYTES: u64 = 1024 * MIB;
/// Cap of a spreadsheet of records: 64 MiB (as stored; an XLSX or ODS is also held to
/// [`MAX_SHEET_EXPANDED_BYTES`] once unpacked).
pub const MAX_SHEET_BYTES: u64 = 64 * MIB;
/// Cap of what an XLSX or ODS file unpacks to: 256 MiB.
pub const MAX_SHEET_EXPANDED_BYTES: u64 = 256 * MIB;
/// Cap of a panorama to tile: 1 GiB.
pub const MAX_SOURCE_PANORAMA_BYTES: u64 = 1024 * MIB;
/// Cap of an audio or video file: 1 GiB (a few minutes of 4K 360° video).
pub const MAX_MEDIA_FILE_BYTES: u64 = 1024 * MIB;

/// "16 MB"-style text of a byte count that is a whole number of MiB.
pub fn mib(bytes: u64) -> String {
    format!("{} MB", bytes / MIB)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_keeps_paths_inside() {
        assert_eq!(normalize("panos/a.jpg").as_deref(), Ok("panos/a.jpg"));
        assert_eq!(normalize("./panos//a.jpg").as_deref(), Ok("panos/a.jpg"));
        assert_eq!(normalize("panos/../b.jpg").as_deref(), Ok("b.jpg"));
        assert_eq!(normalize("a/b/../../c").as_deref(), Ok("c"));
        assert_eq!(normalize("Trống đồng.glb").as_deref(), Ok("Trống đồng.glb"));
        assert_eq!(normalize("..."), Ok("...".into())); // a file name, not a parent
        assert_eq!(normalize("../x"), Err(PathProblem::Escapes));
        assert_eq!(normalize("../../etc/passwd"), Err(PathProblem::Escapes));
        assert_eq!(normalize("a/../../x"), Err(PathProblem::Escapes));
        assert_eq!(normalize("/etc/passwd"), Err(PathProblem::Absolute));
        assert_eq!(normalize("//server/share/x"), Err(PathProblem::Absolute));
        assert_eq!(
            normalize("\\\\server\\share\\x"),
            Err(PathProblem::Absolute)
        );
        assert_eq!(normalize("\\Windows\\win.ini"), Err(PathProblem::Absolute));
        assert_eq!(normalize("C:/Windows/win.ini"), Err(PathProblem::Colon));
        assert_eq!(normalize("C:win.ini"), Err(PathProblem::Colon));
        assert_eq!(normalize("file:///etc/passwd"), Err(PathProblem::Colon));
        assert_eq!(normalize("a\\..\\..\\x"), Err(PathProblem::Backslash));
        assert_eq!(normalize("a\0b"), Err(PathProblem::Nul));
        assert_eq!(normalize(""), Err(PathProblem::Empty));
        assert_eq!(normalize("./"), Err(PathProblem::Empty));
        assert_eq!(normalize("a/.."), Err(PathProblem::Empty));
    }

    #[test]
    fn join_resolves_against_the_model_folder() {
        assert_eq!(
            join("models/drum.gltf", "drum.bin").as_deref(),
            Ok("models/drum.bin")
        );
        assert_eq!(join("drum.gltf", "drum.bin").as_deref(), Ok("drum.bin"));
        assert_eq!(
            join("models/drum.gltf", "../textures/a.png").as_deref(),
            Ok("textures/a.png")
        );
        assert_eq!(
            join("models/drum.gltf", "../../x"),
            Err(PathProblem::Escapes)
        );
        assert_eq!(join("drum.gltf", "../x"), Err(PathProblem::Escapes));
        // Absolute URIs are refused, not re-rooted under the model's folder.
        assert_eq!(
            join("models/drum.gltf", "/etc/passwd"),
            Err(PathProblem::Absolute)
        );
        assert_eq!(
            join("models/drum.gltf", "C:/x.bin"),
            Err(PathProblem::Colon)
        );
        assert_eq!(
            join("models/drum.gltf", "file:///x.bin"),
            Err(PathProblem::Colon)
        );
    }

    #[test]
    fn kinds_and_caps() {
        assert_eq!(FileKind::guess("tour.json"), FileKind::Json);
        assert_eq!(FileKind::guess("panos/A.JPG"), FileKind::Image);
        assert_eq!(FileKind::guess("m/x.glb"), FileKind::Model);
        assert_eq!(FileKind::guess("m/x.bin"), FileKind::Buffer);
        assert_eq!(FileKind::guess("v1.0/noext"), FileKind::Buffer);
        assert_eq!(FileKind::guess("media/a.MP4"), FileKind::Media);
        assert!(FileKind::Json.limit() < FileKind::Image.limit());
        assert_eq!(mib(FileKind::Json.limit()), "16 MB");
        assert!(is_web_url("https://example.org/a.jpg"));
        assert!(is_web_url("HTTP://example.org/a.jpg"));
        assert!(!is_web_url("file:///etc/passwd"));
    }
}
