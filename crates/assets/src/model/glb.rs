//! The GLB container (glTF binary): header, chunk walk and every container rule of the spec,
//! checked before the JSON is handed to the glTF parser. Errors name the byte offset.

/// Chunk type of the JSON chunk (`JSON` little-endian).
const JSON: u32 = 0x4E4F_534A;
/// Chunk type of the binary chunk (`BIN\0` little-endian).
const BIN: u32 = 0x004E_4942;
/// `glTF` little-endian.
pub const MAGIC: &[u8; 4] = b"glTF";

/// The two chunks of a GLB file, borrowed from its bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct Glb<'a> {
    /// The JSON chunk's data (may end with space padding).
    pub json: &'a [u8],
    /// Byte offset of the JSON chunk's data in the file (for messages).
    pub json_offset: usize,
    /// The binary chunk's data, if there is one.
    pub bin: Option<&'a [u8]>,
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn chunk_name(kind: u32) -> String {
    match kind {
        JSON => "JSON".into(),
        BIN => "BIN".into(),
        other => format!("0x{other:08X}"),
    }
}

/// Splits a GLB file into its chunks, checking header, version, lengths, alignment, chunk
/// order and duplicates. The message says what is wrong and at which byte.
pub fn parse(bytes: &[u8]) -> Result<Glb<'_>, String> {
    let total = bytes.len();
    if total < 12 {
        return Err(format!(
            "GLB header is cut short: the file has {total} byte{}, a GLB header needs 12",
            if total == 1 { "" } else { "s" }
        ));
    }
    if &bytes[0..4] != MAGIC {
        return Err(format!(
            "not a GLB file: byte 0 holds magic {:02X} {:02X} {:02X} {:02X}, expected \"glTF\" (67 6C 54 46)",
            bytes[0], bytes[1], bytes[2], bytes[3]
        ));
    }
    let version = u32_at(bytes, 4).unwrap_or(0);
    if version != 2 {
        return Err(format!(
            "GLB version at byte 4 is {version}; only version 2 is supported"
        ));
    }
    let declared = u32_at(bytes, 8).unwrap_or(0) as usize;
    if declared <= 12 {
        return Err(format!(
            "GLB length at byte 8 is {declared}, too small to hold any chunk"
        ));
    }
    let end = declared.min(total);
    let mut pos = 12;
    let mut json: Option<(&[u8], usize)> = None;
    let mut bin: Option<&[u8]> = None;
    let mut first = true;
    while pos < end {
        if pos + 8 > total {
            return Err(format!(
                "chunk header at byte {pos} is cut short: the file ends at byte {total}"
            ));
        }
        let len = u32_at(bytes, pos).unwrap_or(0) as usize;
        let kind = u32_at(bytes, pos + 4).unwrap_or(0);
        let name = chunk_name(kind);
        let data = pos + 8;
        let data_end = data.saturating_add(len);
        if data_end > declared {
            return Err(format!(
                "{name} chunk at byte {pos} is {len} bytes long and does not fit in the declared GLB length ({declared})"
            ));
        }
        if data_end > total {
            return Err(format!(
                "{name} chunk data at byte {data} is cut short: it should be {len} bytes, the file ends at byte {total}"
            ));
        }
        if !len.is_multiple_of(4) {
            return Err(format!(
                "{name} chunk at byte {pos}: its length {len} is not a multiple of 4"
            ));
        }
        if first && kind != JSON {
            return Err(format!(
                "the first chunk (byte {pos}) must be JSON, found {name}"
            ));
        }
        first = false;
        match kind {
            JSON if json.is_some() => {
                return Err(format!("second JSON chunk at byte {pos}; a GLB has one"))
            }
            JSON if len == 0 => return Err(format!("the JSON chunk at byte {pos} is empty")),
            JSON => json = Some((&bytes[data..data_end], data)),
            BIN if bin.is_some() => {
                return Err(format!(
                    "second BIN chunk at byte {pos}; a GLB has at most one"
                ))
            }
            BIN => bin = Some(&bytes[data..data_end]),
            _ => {} // unknown chunks are ignored, as the spec says
        }
        pos = data_end;
    }
    if declared != total {
        return Err(format!(
            "GLB length at byte 8 is {declared} but the file has {total} bytes"
        ));
    }
    let (json, json_offset) = json.ok_or_else(|| "the GLB has no JSON chunk".to_string())?;
    Ok(Glb {
        json,
        json_offset,
        bin,
    })
}

/// Writes a GLB of a JSON chunk and a binary chunk (each padded to 4 bytes, the JSON with
/// spaces, the binary with zeros).
pub fn pack(json: &[u8], bin: &[u8]) -> Vec<u8> {
    let pad = |n: usize| (4 - n % 4) % 4;
    let (jp, bp) = (pad(json.len()), pad(bin.len()));
    let total = 12
        + 8
        + json.len()
        + jp
        + if bin.is_empty() {
            0
        } else {
            8 + bin.len() + bp
        };
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&(total as u32).to_le_bytes());
    out.extend_from_slice(&((json.len() + jp) as u32).to_le_bytes());
    out.extend_from_slice(&JSON.to_le_bytes());
    out.extend_from_slice(json);
    out.extend(std::iter::repeat_n(b' ', jp));
    if !bin.is_empty() {
        out.extend_from_slice(&((bin.len() + bp) as u32).to_le_bytes());
        out.extend_from_slice(&BIN.to_le_bytes());
        out.extend_from_slice(bin);
        out.extend(std::iter::repeat_n(0u8, bp));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use disan_testkit::glb_chunks as glb;

    #[test]
    fn valid_and_broken() {
        let ok = glb(&[(JSON, b"{}  "), (BIN, &[1, 2, 3, 4])]);
        let g = parse(&ok).unwrap();
        assert_eq!(g.json, b"{}  ");
        assert_eq!(g.json_offset, 20);
        assert_eq!(g.bin, Some(&[1u8, 2, 3, 4][..]));
        // Unknown chunks are skipped.
        assert!(parse(&glb(&[(JSON, b"{}  "), (7, b"abcd")])).is_ok());

        assert!(parse(&ok[..11]).unwrap_err().contains("header"));
        assert!(parse(&ok[..ok.len() - 1])
            .unwrap_err()
            .contains("cut short"));
        let mut bad = ok.clone();
        bad[0] = b'x';
        assert!(parse(&bad).unwrap_err().contains("magic"));
        let mut bad = ok.clone();
        bad[4] = 1;
        assert!(parse(&bad).unwrap_err().contains("version"));
        let mut bad = ok.clone();
        bad[12] = 0xFF; // JSON chunk length far too big
        assert!(parse(&bad).unwrap_err().contains("does not fit"));
        let mut bad = ok.clone();
        bad[8] += 4;
        bad.extend([0; 4]);
        bad.truncate(bad.len() - 4);
        assert!(parse(&bad).is_err());
        assert!(parse(&glb(&[(BIN, b"abcd")]))
            .unwrap_err()
            .contains("must be JSON"));
        assert!(
            parse(&glb(&[(JSON, b"{}  "), (BIN, b"abcd"), (BIN, b"abcd")]))
                .unwrap_err()
                .contains("second BIN")
        );
        assert!(parse(&glb(&[(JSON, b"")])).unwrap_err().contains("empty"));
        assert!(parse(&glb(&[(JSON, b"{} ")]))
            .unwrap_err()
            .contains("multiple of 4"));
        // A chunk length near u32::MAX must not overflow.
        let mut bad = ok.clone();
        bad[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(parse(&bad).is_err());
    }
}
