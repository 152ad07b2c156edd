//! URI helpers: percent-decoding and data URIs (joining paths safely is in [`crate::path`]).

use base64::Engine as _;

/// Percent-decodes a URI path (`Box%20With%20Spaces.bin` → `Box With Spaces.bin`).
pub fn percent_decode(s: &str) -> String {
    String::from_utf8_lossy(&percent_decode_bytes(s)).into_owned()
}

/// Decodes a `data:` URI (RFC 2397: `data:[<type>/<subtype>][;attr=value]*[;base64],<data>`) into
/// its MIME type and bytes; `None` if it is not a data URI. Base64 padding is optional and
/// whitespace in the data is ignored.
pub fn decode_data_uri(uri: &str) -> Option<Result<(String, Vec<u8>), String>> {
    let rest = uri.strip_prefix("data:")?;
    let Some((meta, data)) = rest.split_once(',') else {
        return Some(Err("invalid data URI: no comma before the data".into()));
    };
    let mut parts = meta.split(';');
    let mime = parts.next().unwrap_or("").trim().to_string();
    if !mime.is_empty() && !mime.contains('/') {
        return Some(Err(format!(
            "invalid data URI: media type \"{mime}\" is not type/subtype"
        )));
    }
    let params: Vec<&str> = parts.collect();
    let mut base64 = false;
    for (k, p) in params.iter().enumerate() {
        if *p == "base64" && k + 1 == params.len() {
            base64 = true;
        } else if p.split_once('=').is_none_or(|(a, _)| a.is_empty()) {
            let shown: String = uri.chars().take(80).collect();
            return Some(Err(format!(
                "invalid data URI \"{shown}\": parameter {} (\"{p}\") is not name=value",
                k + 1
            )));
        }
    }
    if base64 {
        let clean: Vec<u8> = data.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        let engine = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        );
        Some(
            engine
                .decode(clean)
                .map(|b| (mime, b))
                .map_err(|e| format!("invalid data URI: bad base64: {e}")),
        )
    } else {
        Some(Ok((mime, percent_decode_bytes(data))))
    }
}

/// Percent-decodes to raw bytes.
fn percent_decode_bytes(s: &str) -> Vec<u8> {
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
    out
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
        // Empty parameter (the validator's INVALID_URI case), unpadded base64, plain text.
        assert!(
            decode_data_uri("data:application/octet-stream;;base64,AA==")
                .unwrap()
                .is_err()
        );
        assert_eq!(
            decode_data_uri("data:application/octet-stream;base64,AAE")
                .unwrap()
                .unwrap()
                .1,
            vec![0, 1]
        );
        assert_eq!(
            decode_data_uri("data:,a%20b").unwrap().unwrap().1,
            b"a b".to_vec()
        );
        assert!(decode_data_uri("data:text/plain;charset=utf-8,x")
            .unwrap()
            .is_ok());
        assert!(decode_data_uri("data:base64").unwrap().is_err());
        // Joining (formerly here) is tested with the same cases in `path`.
    }
}
