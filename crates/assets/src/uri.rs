//! URI helpers: percent-decoding, data URIs and joining paths relative to a file.

use base64::Engine as _;

/// Percent-decodes a URI path (`Box%20With%20Spaces.bin` → `Box With Spaces.bin`).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Decodes a `data:` URI into its MIME type and bytes; `None` if it is not a data URI.
pub fn decode_data_uri(uri: &str) -> Option<Result<(String, Vec<u8>), String>> {
    let rest = uri.strip_prefix("data:")?;
    let Some((meta, data)) = rest.split_once(',') else {
        return Some(Err("data URI without a comma".into()));
    };
    let mime = meta.split(';').next().unwrap_or("").to_string();
    if meta.ends_with(";base64") {
        Some(
            base64::engine::general_purpose::STANDARD
                .decode(data.trim())
                .map(|b| (mime, b))
                .map_err(|e| format!("bad base64 in data URI: {e}")),
        )
    } else {
        Some(Ok((mime, percent_decode(data).into_bytes())))
    }
}

/// Joins `rel` to the folder of `base` (both '/'-separated, relative to the tour folder).
pub fn join(base: &str, rel: &str) -> String {
    match base.rfind('/') {
        Some(i) => format!("{}/{}", &base[..i], rel),
        None => rel.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode() {
        assert_eq!(
            percent_decode("Box%20With%20Spaces.bin"),
            "Box With Spaces.bin"
        );
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%E1%BB%87"), "ệ");
        let (mime, b) = decode_data_uri("data:application/octet-stream;base64,AAEC")
            .unwrap()
            .unwrap();
        assert_eq!(
            (mime.as_str(), b),
            ("application/octet-stream", vec![0, 1, 2])
        );
        assert!(decode_data_uri("x.bin").is_none());
        assert_eq!(join("models/drum.gltf", "drum.bin"), "models/drum.bin");
        assert_eq!(join("drum.gltf", "drum.bin"), "drum.bin");
    }
}
