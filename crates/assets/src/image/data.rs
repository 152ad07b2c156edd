//! Whether an encoded image's data can hold the pixels its header declares ([`data_problem`]):
//! JPEG markers and scans, PNG IDAT chunks against deflate's ratio, the first TIFF directory's
//! strips against their compression; read from the structure alone, before anything is decoded.

/// Why an encoded image's data cannot hold the `width`×`height` pixels its header declares, from
/// its structure alone (markers, chunks, the first TIFF directory), before anything is decoded: a
/// few hundred bytes claiming 32000×16000 must not cost the gigabytes of pixels a decoder would
/// allocate and fill. `None` when the data is plausible, or the format is not one checked here.
///
/// - JPEG (Huffman-coded DCT): every 8×8 block of the largest component costs at least one bit
///   (its DC code), so the scans need at least blocks/8 bytes; a file that ends before its
///   end-of-image marker is truncated (decoders would fill the rest with grey).
/// - PNG: deflate expands at most 1032:1, so the IDAT chunks need at least 1/1032 of the rows.
/// - TIFF: the strips' or tiles' bytes (at most the file's) times the most the compression can
///   expand (none 1:1, PackBits 64:1, Deflate 1032:1, LZW 4096:1, JPEG one bit per 8×8 block,
///   CCITT G4 one bit per row); a compression the decoder does not read is refused here too.
pub fn data_problem(bytes: &[u8], width: u32, height: u32) -> Option<String> {
    png_too_short(bytes, width, height)
        .or_else(|| jpeg_problem(bytes, width, height))
        .or_else(|| tiff_problem(bytes, width, height))
}

/// What the markers of a JPEG file say: its frame and how much entropy-coded data it has.
#[derive(Debug, Default)]
struct JpegLayout {
    /// Huffman-coded DCT frame (SOF0–SOF2): every block's DC costs at least one bit.
    huffman_dct: bool,
    /// Most 8×8 blocks of one component.
    max_blocks: u64,
    /// Bytes of entropy-coded data in all scans.
    scan_bytes: u64,
    /// The end-of-image marker follows the last scan.
    complete: bool,
}

/// Walks a JPEG's markers (`None` if it is not a JPEG). Entropy-coded data is skipped the way a
/// decoder does (`FF 00` stuffing, `RSTn`); a file that ends before `EOI` is `complete: false`.
fn jpeg_layout(bytes: &[u8]) -> Option<JpegLayout> {
    let mut out = JpegLayout::default();
    let rest = bytes.strip_prefix(&[0xFF, 0xD8])?;
    let be16 = |at: usize| -> Option<usize> {
        Some(u16::from_be_bytes([*rest.get(at)?, *rest.get(at + 1)?]) as usize)
    };
    let mut i = 0usize;
    while i < rest.len() {
        if rest[i] != 0xFF {
            i += 1; // stray byte between segments; decoders skip these too
            continue;
        }
        let Some(&m) = rest.get(i + 1) else { break };
        i += 2;
        match m {
            0xFF => i -= 1, // fill byte
            0xD9 => {
                out.complete = true;
                break;
            }
            0x01 | 0xD0..=0xD8 => {}
            _ => {
                let Some(len) = be16(i).filter(|l| *l >= 2) else {
                    break;
                };
                let Some(seg) = rest.get(i + 2..i + len) else {
                    break;
                };
                if matches!(m, 0xC0..=0xCF) && !matches!(m, 0xC4 | 0xC8 | 0xCC) {
                    out.huffman_dct = matches!(m, 0xC0..=0xC2);
                    out.max_blocks = sof_max_blocks(seg).unwrap_or(0);
                }
                i += len;
                if m == 0xDA {
                    // Entropy-coded data up to the next marker that is not stuffing or RSTn.
                    let start = i;
                    while i < rest.len() {
                        if rest[i] == 0xFF {
                            match rest.get(i + 1) {
                                Some(0x00 | 0xD0..=0xD7) => i += 2,
                                Some(_) => break,
                                None => i += 1,
                            }
                        } else {
                            i += 1;
                        }
                    }
                    out.scan_bytes += (i.min(rest.len()) - start) as u64;
                }
            }
        }
    }
    Some(out)
}

/// Most 8×8 blocks of one component, from a SOF segment (precision, height, width, components).
fn sof_max_blocks(seg: &[u8]) -> Option<u64> {
    let h = u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?]) as u64;
    let w = u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?]) as u64;
    let n = *seg.get(5)? as usize;
    let hv: Vec<(u64, u64)> = seg
        .get(6..6 + 3 * n)?
        .chunks_exact(3)
        .map(|c| ((c[1] >> 4) as u64, (c[1] & 15) as u64))
        .collect();
    let hmax = hv.iter().map(|c| c.0).max()?.max(1);
    let vmax = hv.iter().map(|c| c.1).max()?.max(1);
    hv.iter()
        .map(|(hc, vc)| {
            let cw = (w * hc).div_ceil(hmax);
            let ch = (h * vc).div_ceil(vmax);
            cw.div_ceil(8) * ch.div_ceil(8)
        })
        .max()
}

/// A JPEG that ends before its end-of-image marker (decoders may fill the rest with grey), or
/// whose scans are too short for its claimed size (a Huffman-coded block takes at least one bit),
/// is refused before the decoder allocates the full image.
fn jpeg_problem(bytes: &[u8], w: u32, h: u32) -> Option<String> {
    let j = jpeg_layout(bytes)?;
    if j.huffman_dct && j.scan_bytes * 8 < j.max_blocks {
        return Some(format!(
            "JPEG of {w}×{h} has only {} bytes of image data, too little for its size: its {} \
             8×8 blocks take at least one bit each: {} bytes (truncated, or a forged header?)",
            j.scan_bytes,
            j.max_blocks,
            j.max_blocks.div_ceil(8)
        ));
    }
    if !j.complete {
        return Some(format!(
            "JPEG of {w}×{h} is truncated: it ends before its end-of-image marker"
        ));
    }
    None
}

/// Most output bytes deflate can make of one input byte (a 258-byte match in about two bits).
const DEFLATE_MAX_RATIO: u64 = 1032;

/// A PNG's pixel data is deflate-compressed, which cannot shrink data more than 1032:1. A PNG whose
/// IDAT chunks are too small to hold its claimed size is refused here, before the decoder
/// allocates the full image (a 100-byte file must not cost 512 MiB).
fn png_too_short(bytes: &[u8], w: u32, h: u32) -> Option<String> {
    let rest = bytes.strip_prefix(b"\x89PNG\r\n\x1a\n")?;
    let be = |b: &[u8], at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
    };
    // IHDR: width, height, bit depth, colour type.
    let depth = *rest.get(16)? as u64;
    let samples = match rest.get(17)? {
        0 | 3 => 1,
        4 => 2,
        2 => 3,
        6 => 4,
        _ => return None,
    };
    let mut idat: u64 = 0;
    let mut at = 0usize;
    while let (Some(len), Some(kind)) = (be(rest, at), rest.get(at + 4..at + 8)) {
        if kind == b"IDAT" {
            // Only the bytes that are there: a truncated chunk claims more than it has.
            idat += (len as u64).min(rest.len().saturating_sub(at + 8) as u64);
        }
        at = at.checked_add(12 + len as usize)?;
    }
    let row = (w as u64 * samples * depth).div_ceil(8) + 1;
    let raw = row * h as u64;
    (raw > idat * DEFLATE_MAX_RATIO + 4096).then(|| {
        format!(
            "PNG of {w}×{h} has only {idat} bytes of compressed data, too little for its size: \
             its {raw} bytes of rows need at least {} (deflate expands at most \
             {DEFLATE_MAX_RATIO}:1; truncated, or a forged header?)",
            raw.saturating_sub(4096).div_ceil(DEFLATE_MAX_RATIO)
        )
    })
}

/// The first image file directory of a TIFF (classic or BigTIFF), read without allocating: the
/// fields that bound what its data can expand to.
struct TiffIfd<'a> {
    bytes: &'a [u8],
    little: bool,
    big: bool,
    /// Offset of the first entry.
    entries: usize,
    /// Number of entries (at most what the file holds).
    count: u64,
}

impl<'a> TiffIfd<'a> {
    /// `None` when `bytes` is not a TIFF or its first directory lies outside the file.
    fn new(bytes: &'a [u8]) -> Option<TiffIfd<'a>> {
        let (little, big) = match bytes.get(..4)? {
            b"II*\0" => (true, false),
            b"MM\0*" => (false, false),
            b"II+\0" => (true, true),
            b"MM\0+" => (false, true),
            _ => return None,
        };
        let mut t = TiffIfd {
            bytes,
            little,
            big,
            entries: 0,
            count: 0,
        };
        let first = if big { t.uint(8, 8)? } else { t.uint(4, 4)? };
        let first = usize::try_from(first).ok()?;
        let (count, head) = if big {
            (t.uint(first, 8)?, 8)
        } else {
            (t.uint(first, 2)?, 2)
        };
        t.entries = first.checked_add(head)?;
        let room = bytes.len().saturating_sub(t.entries) / t.entry_size();
        t.count = count.min(room as u64);
        Some(t)
    }

    fn entry_size(&self) -> usize {
        if self.big {
            20
        } else {
            12
        }
    }

    /// An unsigned integer of `n` bytes (1, 2, 4 or 8) at `at`, in the file's byte order.
    fn uint(&self, at: usize, n: usize) -> Option<u64> {
        let b = self.bytes.get(at..at.checked_add(n)?)?;
        Some(b.iter().enumerate().fold(0u64, |v, (k, &x)| {
            let shift = if self.little { 8 * k } else { 8 * (n - 1 - k) };
            v | (x as u64) << shift
        }))
    }

    /// The values of `tag`: `f` is given each one that lies in the file (integer types only).
    fn values(&self, tag: u16, mut f: impl FnMut(u64)) -> bool {
        let size = self.entry_size();
        for e in 0..self.count as usize {
            let at = self.entries + e * size;
            if self.uint(at, 2) != Some(tag as u64) {
                continue;
            }
            let width = match self.uint(at + 2, 2) {
                Some(1) => 1,  // BYTE
                Some(3) => 2,  // SHORT
                Some(4) => 4,  // LONG
                Some(16) => 8, // LONG8
                _ => return false,
            };
            // The value count, then the value itself or the offset of the values.
            let inline = if self.big { 8 } else { 4 };
            let Some(count) = self.uint(at + 4, inline) else {
                return false;
            };
            let field = at + 4 + inline;
            let start = if count.saturating_mul(width as u64) <= inline as u64 {
                field
            } else {
                match self
                    .uint(field, inline)
                    .and_then(|o| usize::try_from(o).ok())
                {
                    Some(o) => o,
                    None => return false,
                }
            };
            let room = self.bytes.len().saturating_sub(start) / width;
            for k in 0..count.min(room as u64) as usize {
                if let Some(v) = self.uint(start + k * width, width) {
                    f(v);
                }
            }
            return true;
        }
        false
    }

    /// The first value of `tag`, if present.
    fn first(&self, tag: u16) -> Option<u64> {
        let mut out = None;
        self.values(tag, |v| {
            out.get_or_insert(v);
        });
        out
    }
}

/// A TIFF whose strips or tiles hold fewer bytes than its compression needs for its claimed size
/// (see [`data_problem`]), or whose compression the decoder does not read.
fn tiff_problem(bytes: &[u8], w: u32, h: u32) -> Option<String> {
    let ifd = TiffIfd::new(bytes)?;
    let mut data = 0u64;
    if !ifd.values(279, |v| data = data.saturating_add(v)) {
        ifd.values(325, |v| data = data.saturating_add(v));
    }
    // Strips may share bytes: no more data than the file holds.
    let data = data.min(bytes.len() as u64);
    let compression = ifd.first(259).unwrap_or(1);
    let samples = ifd.first(277).unwrap_or(1).max(1);
    let depth = ifd.first(258).unwrap_or(1).max(1);
    let pixels = w as u64 * h as u64;
    // Samples and depth are the file's word, up to 2^64: saturate rather than wrap.
    let raw = (w as u64)
        .saturating_mul(samples)
        .saturating_mul(depth)
        .div_ceil(8)
        .saturating_mul(h as u64);
    let (needed, why) = match compression {
        1 => (raw, "uncompressed".to_string()),
        32773 => (raw.div_ceil(64), "PackBits expands at most 64:1".into()),
        8 | 32946 => (
            raw.div_ceil(DEFLATE_MAX_RATIO),
            format!("Deflate expands at most {DEFLATE_MAX_RATIO}:1"),
        ),
        5 => (raw.div_ceil(4096), "LZW expands at most 4096:1".into()),
        7 => (
            pixels.div_ceil(64 * 8),
            "JPEG takes at least one bit per 8×8 block".into(),
        ),
        4 => (
            (h as u64).div_ceil(8),
            "CCITT G4 takes at least one bit per row".into(),
        ),
        other => {
            return Some(format!(
                "TIFF of {w}×{h} uses compression {other}, which is not read (none, LZW, \
                 Deflate, PackBits, JPEG and CCITT G4 are)"
            ))
        }
    };
    (data < needed).then(|| {
        format!(
            "TIFF of {w}×{h} has only {data} bytes of image data, too little for its size: \
             {why}, so its {raw} bytes of pixels need at least {needed} (truncated, or a \
             forged header?)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A classic TIFF directory of `entries` (tag, type, values), values past four bytes stored
    /// after it; no pixel data.
    fn tiff(big_endian: bool, entries: &[(u16, u16, &[u32])]) -> Vec<u8> {
        let u16b = |v: u16| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let u32b = |v: u32| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut out = if big_endian { b"MM\0*" } else { b"II*\0" }.to_vec();
        out.extend(u32b(8));
        out.extend(u16b(entries.len() as u16));
        let mut extra = Vec::new();
        let after = 8 + 2 + 12 * entries.len() + 4;
        for &(tag, kind, values) in entries {
            let size = if kind == 3 { 2 } else { 4 };
            let mut bytes = Vec::new();
            for &v in values {
                if kind == 3 {
                    bytes.extend(u16b(v as u16));
                } else {
                    bytes.extend(u32b(v));
                }
            }
            out.extend(u16b(tag));
            out.extend(u16b(kind));
            out.extend(u32b(values.len() as u32));
            if values.len() * size <= 4 {
                bytes.resize(4, 0);
                out.extend(bytes);
            } else {
                out.extend(u32b((after + extra.len()) as u32));
                extra.extend(bytes);
            }
        }
        out.extend(u32b(0));
        out.extend(extra);
        out
    }

    /// An 8-bit RGB TIFF of `w`×`h` with `compression` and strips of `counts` bytes, followed
    /// by as many bytes as the strips claim, or `data` bytes when given.
    fn rgb(
        be: bool,
        w: u32,
        h: u32,
        compression: u32,
        counts: &[u32],
        data: Option<u32>,
    ) -> Vec<u8> {
        let mut out = tiff(
            be,
            &[
                (256, 4, &[w]),
                (257, 4, &[h]),
                (258, 3, &[8, 8, 8]),
                (259, 3, &[compression]),
                (277, 3, &[3]),
                (279, 4, counts),
            ],
        );
        let data = data.unwrap_or(counts.iter().sum());
        out.resize(out.len() + data as usize, 0);
        out
    }

    #[test]
    fn tiff_data_is_checked_against_its_compression() {
        for be in [false, true] {
            // 1000×500 RGB8 is 1.5 MB: LZW needs at least 367 bytes of it.
            let e = data_problem(&rgb(be, 1000, 500, 5, &[100, 100], None), 1000, 500).unwrap();
            assert!(e.contains("1000×500") && e.contains("LZW"), "{e}");
            assert_eq!(
                data_problem(&rgb(be, 1000, 500, 5, &[200, 200], None), 1000, 500),
                None
            );
            // Deflate 1032:1, PackBits 64:1.
            assert!(data_problem(&rgb(be, 1000, 500, 8, &[1000], None), 1000, 500).is_some());
            assert!(data_problem(&rgb(be, 1000, 500, 8, &[1500], None), 1000, 500).is_none());
            assert!(data_problem(&rgb(be, 1000, 500, 32773, &[20000], None), 1000, 500).is_some());
            // Uncompressed strips that claim the bytes but share them: no more than the file.
            let e = data_problem(
                &rgb(be, 1000, 500, 1, &[500_000; 3], Some(500_000)),
                1000,
                500,
            )
            .unwrap();
            assert!(e.contains("uncompressed"), "{e}");
            // JPEG: one bit per 8×8 block (1024×512: 1024 bytes).
            let e = data_problem(&rgb(be, 1024, 512, 7, &[100], None), 1024, 512).unwrap();
            assert!(e.contains("8×8 block"), "{e}");
            assert!(data_problem(&rgb(be, 1024, 512, 7, &[1024], None), 1024, 512).is_none());
            // CCITT G4: one bit per row.
            let g4 = tiff(
                be,
                &[
                    (256, 4, &[1728]),
                    (257, 4, &[2000]),
                    (259, 3, &[4]),
                    (279, 4, &[10]),
                ],
            );
            let e = data_problem(&g4, 1728, 2000).unwrap();
            assert!(e.contains("one bit per row"), "{e}");
            // Absurd samples and depth saturate instead of overflowing.
            let huge = tiff(
                be,
                &[
                    (258, 4, &[u32::MAX]),
                    (277, 4, &[u32::MAX]),
                    (279, 4, &[10]),
                ],
            );
            assert!(data_problem(&huge, 65535, 65535).is_some());
            // A compression the decoder does not read.
            let e = data_problem(&rgb(be, 64, 32, 50000, &[100], None), 64, 32).unwrap();
            assert!(e.contains("compression 50000"), "{e}");
        }
        // Not a TIFF, or a directory outside the file: nothing to say.
        assert_eq!(data_problem(b"II*\0\xff\xff\xff\x7f", 10, 10), None);
        assert_eq!(data_problem(b"GIF89a", 10, 10), None);
    }
}
