//! Files an author adds to the tour (panoramas, models, scans, photos, audio, captions): the
//! name's kind sets the size cap, checked before the body is read; the bytes must be what the
//! name says (a JPEG starts as a JPEG) before anything is written; nothing already there is
//! replaced; the path is confined to the tour folder by the writer.

use crate::StudioError;
use disan_files::{FileKind, Output};

/// What an added file may be: the kind that caps its size, what it is called in messages, and a
/// test of its bytes.
type Accepted = (FileKind, &'static str, fn(&[u8]) -> bool);

/// What an added file with this extension may be.
fn kind_of(ext: &str) -> Option<Accepted> {
    Some(match ext {
        "jpg" | "jpeg" => (FileKind::SourcePanorama, "a JPEG image", |b| {
            b.starts_with(&[0xFF, 0xD8, 0xFF])
        }),
        "png" => (FileKind::SourcePanorama, "a PNG image", |b| {
            b.starts_with(b"\x89PNG\r\n\x1a\n")
        }),
        "webp" => (FileKind::SourcePanorama, "a WebP image", |b| {
            b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP"
        }),
        "glb" => (FileKind::Model, "a GLB model", |b| b.starts_with(b"glTF")),
        "gltf" => (FileKind::Json, "a glTF model (JSON)", |b| {
            serde_json::from_slice::<serde_json::Value>(strip_bom(b))
                .is_ok_and(|v| v.get("asset").is_some())
        }),
        "bin" => (FileKind::Buffer, "a glTF buffer", |_| true),
        "obj" => (FileKind::Scan, "an OBJ scan (text)", |b| {
            std::str::from_utf8(b).is_ok()
        }),
        "mtl" => (FileKind::Text, "an OBJ material file (text)", |b| {
            std::str::from_utf8(b).is_ok()
        }),
        "ply" => (FileKind::Scan, "a PLY scan", |b| b.starts_with(b"ply")),
        "vtt" => (FileKind::Text, "WebVTT captions", |b| {
            strip_bom(b).starts_with(b"WEBVTT")
        }),
        // Audio and video: what the media probe reads (the container, not only the name).
        "mp3" | "ogg" | "oga" | "opus" | "wav" | "flac" | "m4a" | "aac" | "mp4" | "m4v" | "mov"
        | "webm" => (
            FileKind::Media,
            "audio or video (MP4, WebM, Ogg, MP3, WAV, FLAC or AAC)",
            |b| disan_assets::media::probe(b, "").is_ok(),
        ),
        _ => return None,
    })
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

fn extension(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((_, e)) => e.to_ascii_lowercase(),
        None => String::new(),
    }
}

/// Why no file of `path`'s name is taken.
fn unknown_kind(path: &str) -> StudioError {
    StudioError::Upload(format!(
        "\"{path}\": refused: the studio adds images (jpg, png, webp), models (glb, gltf, bin), scans (obj, mtl, ply), audio and video (mp3, ogg, wav, flac, m4a, mp4, webm) and captions (vtt)"
    ))
}

/// The largest body accepted for `path`, or why no file of that name is taken.
pub fn cap(path: &str) -> Result<u64, StudioError> {
    kind_of(&extension(path))
        .map(|(k, _, _)| k.limit())
        .ok_or_else(|| unknown_kind(path))
}

/// Writes `bytes` to `path` in the tour folder when they are what the name says and nothing is
/// there yet. Returns the path written.
pub fn add(output: &Output, path: &str, bytes: &[u8]) -> Result<String, StudioError> {
    let (_, what, looks_right) = kind_of(&extension(path)).ok_or_else(|| unknown_kind(path))?;
    // Judged on the path as the writer will resolve it (`./.disan-studio/…` is the same folder).
    let own = disan_assets::path::normalize(path)
        .is_ok_and(|n| n.split('/').next() == Some(crate::project::STUDIO_DIR));
    if own {
        return Err(StudioError::Upload(format!(
            "\"{path}\": refused: the studio's own folder"
        )));
    }
    if !looks_right(bytes) {
        return Err(StudioError::Upload(format!(
            "\"{path}\": refused: the file is not {what} (nothing was written)"
        )));
    }
    output.write(path, bytes)?;
    Ok(path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_must_be_what_their_names_say() {
        let dir = std::env::temp_dir().join(format!("disan-studio-upload-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = Output::create(&dir, false).expect("output");
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0];
        assert_eq!(
            add(&out, "panos/a.jpg", &jpeg).expect("a jpeg"),
            "panos/a.jpg"
        );
        // Not overwritten.
        assert!(matches!(
            add(&out, "panos/a.jpg", &jpeg),
            Err(StudioError::File(disan_files::FileError::Exists { .. }))
        ));
        // A PNG named .jpg, an HTML page named .glb, a script: refused, nothing written.
        let png = b"\x89PNG\r\n\x1a\n....";
        let e = add(&out, "panos/b.jpg", png).expect_err("png as jpg");
        assert!(e.to_string().contains("not a JPEG image"), "{e}");
        assert!(add(&out, "models/x.glb", b"<html>").is_err());
        assert!(add(&out, "evil.js", b"alert(1)").is_err());
        assert!(add(&out, "../outside.jpg", &jpeg).is_err());
        assert!(add(&out, ".disan-studio/previous/tour.json.jpg", &jpeg).is_err());
        assert!(add(&out, "./.disan-studio/previous/tour.json.jpg", &jpeg).is_err());
        assert!(!dir.join(".disan-studio").exists());
        assert!(!dir.join("panos/b.jpg").exists());
        assert!(!dir.join("models/x.glb").exists());
        assert!(!dir.parent().expect("tmp").join("outside.jpg").exists());
        std::fs::remove_dir_all(&dir).ok();
    }
}
