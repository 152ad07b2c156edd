//! Crafted PNG files: the CRC-32 of their chunks, a chunk, a whole file of chunks, and a header
//! that claims a size with no pixel data behind it.

/// The eight bytes every PNG file starts with.
pub const PNG_SIGNATURE: [u8; 8] = *b"\x89PNG\r\n\x1a\n";

/// CRC-32 (ISO-HDLC, the one of PNG and zlib), bit by bit.
pub fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// One PNG chunk: its length (big-endian), `kind`, `data` and the CRC of `kind` and `data`.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(12 + data.len());
    out.extend((data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend(kind);
    out.extend(data);
    let crc = crc32(&out[start..]);
    out.extend(crc.to_be_bytes());
    out
}

/// A PNG file of `chunks` (kind, data), in order, after the signature.
pub fn png(chunks: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
    let mut out = PNG_SIGNATURE.to_vec();
    for (kind, data) in chunks {
        out.extend(png_chunk(kind, data));
    }
    out
}

/// The data of an IHDR chunk: `width`×`height`, `bit_depth`, `colour_type` (2 RGB, 6 RGBA),
/// compression, filter and interlace methods 0 (deflate, adaptive filtering, not interlaced).
pub fn ihdr(width: u32, height: u32, bit_depth: u8, colour_type: u8) -> Vec<u8> {
    let mut out = width.to_be_bytes().to_vec();
    out.extend(height.to_be_bytes());
    out.extend([bit_depth, colour_type, 0, 0, 0]);
    out
}

/// A PNG that claims `width`×`height` 8-bit RGBA in its header (with correct CRCs) and has no
/// pixel data: IHDR, an empty IDAT, IEND.
pub fn png_header(width: u32, height: u32) -> Vec<u8> {
    png(&[
        (b"IHDR", &ihdr(width, height, 8, 6)),
        (b"IDAT", &[]),
        (b"IEND", &[]),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_and_chunks() {
        // The check value of CRC-32/ISO-HDLC, and the IEND chunk every PNG ends with.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            png_chunk(b"IEND", &[]),
            [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]
        );
        let p = png_header(3, 2);
        assert_eq!(p.len(), 8 + 25 + 12 + 12);
        let img = image::load_from_memory(&png_header(1, 1));
        assert!(img.is_err(), "no pixel data: {img:?}");
        let reader = image::ImageReader::new(std::io::Cursor::new(&p))
            .with_guessed_format()
            .map(|r| r.into_dimensions());
        assert!(matches!(reader, Ok(Ok((3, 2)))), "{reader:?}");
    }
}
