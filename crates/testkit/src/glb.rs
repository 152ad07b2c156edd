//! Raw GLB containers, chunk by chunk, for the malformed files a container parser must refuse
//! (a first chunk that is not JSON, a length that is not a multiple of 4, two BIN chunks…). A
//! well-formed GLB comes from `disan_assets::model::pack_glb`.

/// Chunk type of the JSON chunk (`JSON` read as a little-endian `u32`).
pub const GLB_JSON: u32 = 0x4E4F_534A;
/// Chunk type of the binary chunk (`BIN\0` read as a little-endian `u32`).
pub const GLB_BIN: u32 = 0x004E_4942;

/// A GLB header (magic, version 2, the file's length) followed by `chunks` (type, data) as
/// they are: each chunk's length is its data's, nothing is padded or checked.
pub fn glb_chunks(chunks: &[(u32, &[u8])]) -> Vec<u8> {
    let mut out = b"glTF".to_vec();
    out.extend(2u32.to_le_bytes());
    out.extend(0u32.to_le_bytes());
    for (kind, data) in chunks {
        out.extend((data.len() as u32).to_le_bytes());
        out.extend(kind.to_le_bytes());
        out.extend(*data);
    }
    let len = out.len() as u32;
    out[8..12].copy_from_slice(&len.to_le_bytes());
    out
}
