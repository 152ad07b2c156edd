//! Audio and video files, probed from their container headers without decoding anything: what
//! the file holds ([`probe`]) and which shells will not play it ([`unplayable`]).
//!
//! Containers: MP4 (also MOV and M4A), Matroska and WebM, Ogg, MP3 (with or without an ID3v2
//! tag), WAV, FLAC and raw AAC (ADTS). Every read is bounds-checked: a cut-short or damaged
//! file gives an error that names it, never a panic.

/// What a media file holds, from its container's headers (nothing is decoded).
#[derive(Debug, Clone, PartialEq)]
pub struct MediaInfo {
    /// "MP4", "WebM", "Matroska", "Ogg", "MP3", "WAV", "FLAC" or "AAC".
    pub container: &'static str,
    /// Video codec, when there is a video track: "H.264", "HEVC", "VP8", "VP9", "AV1",
    /// "Theora", or the raw fourcc or CodecID text of one this probe does not name.
    pub video: Option<String>,
    /// Audio codec, when there is an audio track: "AAC", "MP3", "Opus", "Vorbis", "FLAC",
    /// "PCM", or the raw name of one this probe does not name.
    pub audio: Option<String>,
    /// Video frame size (width, height) when the container says it (MP4 visual sample entry,
    /// Matroska PixelWidth/PixelHeight).
    pub size: Option<(u32, u32)>,
    /// Duration in seconds when the container says it (MP4 `mvhd` or `mdhd`, WAV data size over
    /// byte rate, FLAC STREAMINFO); `None` otherwise.
    pub duration: Option<f64>,
}

impl MediaInfo {
    fn new(container: &'static str) -> Self {
        MediaInfo {
            container,
            video: None,
            audio: None,
            size: None,
            duration: None,
        }
    }
}

/// What is read of a Matroska/WebM file when its tracks are not found by walking its elements:
/// the first 1 MiB is scanned for CodecID elements.
const MATROSKA_SCAN: usize = 1 << 20;

/// How far past an ID3v2 tag the first MPEG audio frame is looked for.
const ID3_SLACK: usize = 4096;

/// Reads what a media file holds from its container headers. `file` names the file in error
/// messages, which say what is wrong (not a media file, cut short, no track this probe knows).
pub fn probe(bytes: &[u8], file: &str) -> Result<MediaInfo, String> {
    if bytes.is_empty() {
        return Err(format!("{file}: the file is empty"));
    }
    if is_mp4(bytes) {
        return probe_mp4(bytes, file);
    }
    if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return probe_matroska(bytes, file);
    }
    if bytes.starts_with(b"OggS") {
        return probe_ogg(bytes, file);
    }
    if bytes.starts_with(b"fLaC") {
        return Ok(probe_flac(bytes));
    }
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WAVE".as_slice()) {
        return probe_wav(bytes, file);
    }
    if bytes.starts_with(b"ID3") {
        return probe_id3(bytes, file);
    }
    if let Some(info) = mpeg_audio_frame(bytes) {
        return Ok(info);
    }
    Err(not_media(file))
}

fn not_media(file: &str) -> String {
    format!(
        "{file}: not an audio or video file Disan knows (MP4, WebM, Ogg, MP3, WAV, FLAC or AAC)"
    )
}

/// A shell that plays media.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// The web viewer: the browser's own `<video>`/`<audio>` decoders.
    Web,
    /// The native viewer: audio through rodio (MP3, Ogg Vorbis, WAV); no video yet.
    Native,
}

/// What will not play where: `(shell, why)` for each shell that cannot play `info` fully, one
/// entry per reason, the web's first. Empty when both shells play it.
pub fn unplayable(info: &MediaInfo) -> Vec<(Shell, String)> {
    let mut out = Vec::new();
    if let Some(video) = info.video.as_deref() {
        match video {
            "H.264" | "VP8" | "VP9" | "AV1" => {}
            "HEVC" => out.push((
                Shell::Web,
                "HEVC plays only in browsers whose device decodes it (Safari, some Chromium on \
                 Windows/macOS); encode H.264 for every browser"
                    .to_string(),
            )),
            "Theora" => out.push((
                Shell::Web,
                "Theora is no longer played by Chromium; encode H.264 or VP9".to_string(),
            )),
            other => out.push((
                Shell::Web,
                format!("{other} video is not played by browsers"),
            )),
        }
    }
    if let Some(audio) = info.audio.as_deref() {
        match audio {
            "AAC" | "MP3" | "Opus" | "Vorbis" | "FLAC" | "PCM" => {}
            other => out.push((
                Shell::Web,
                format!("{other} audio is not played by browsers"),
            )),
        }
    }
    if info.video.is_some() {
        out.push((
            Shell::Native,
            "video is not decoded by the native viewer yet: its card says that the film plays \
             on the tour's web page"
                .to_string(),
        ));
    } else if let Some(audio) = info.audio.as_deref() {
        // rodio is built with its MP3, Vorbis (Ogg only) and WAV decoders: each reads its own
        // container, so MP3 in an MP4 or Vorbis in a WebM does not play either.
        let plays = matches!(
            (info.container, audio),
            ("MP3", "MP3") | ("Ogg", "Vorbis") | ("WAV", "PCM")
        );
        if !plays {
            let what = if matches!(audio, "MP3" | "Vorbis" | "PCM") {
                format!("{audio} audio in a {} file", info.container)
            } else {
                format!("{audio} audio")
            };
            out.push((
                Shell::Native,
                format!(
                    "{what} is not decoded by the native viewer yet (it decodes MP3, Ogg Vorbis \
                     and WAV)"
                ),
            ));
        }
    }
    out
}

// ---- Byte readers: `None` past the end, never a panic. ----

fn be_u16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes(s.try_into().ok()?))
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes(s.try_into().ok()?))
}

fn be_u64(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    Some(u64::from_be_bytes(s.try_into().ok()?))
}

fn le_u16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes(s.try_into().ok()?))
}

fn le_u32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(s.try_into().ok()?))
}

/// A fourcc as text; bytes that are not printable ASCII show as `?`.
fn fourcc_text(kind: &[u8]) -> String {
    kind.iter()
        .map(|&c| {
            if c.is_ascii_graphic() || c == b' ' {
                char::from(c)
            } else {
                '?'
            }
        })
        .collect::<String>()
        .trim_end()
        .to_string()
}

// ---- MP4 / MOV / M4A ----

/// Box kinds an MP4 or QuickTime file may start with.
const MP4_FIRST: [&[u8; 4]; 5] = [b"ftyp", b"moov", b"mdat", b"free", b"wide"];

fn is_mp4(bytes: &[u8]) -> bool {
    bytes.len() >= 8
        && bytes
            .get(4..8)
            .is_some_and(|k| MP4_FIRST.iter().any(|f| f.as_slice() == k))
}

/// One box: its kind and its payload (after the 8- or 16-byte header).
struct Mp4Box<'a> {
    kind: [u8; 4],
    body: &'a [u8],
}

/// The boxes laid end to end in `data` (a file, or one box's payload). Yields one error and
/// stops at a box that is too small or runs past the end of `data`.
struct Boxes<'a, 'f> {
    data: &'a [u8],
    pos: usize,
    /// The box whose payload `data` is; `None` for the whole file.
    parent: Option<[u8; 4]>,
    file: &'f str,
    failed: bool,
}

impl<'a, 'f> Boxes<'a, 'f> {
    fn new(data: &'a [u8], parent: Option<[u8; 4]>, file: &'f str) -> Self {
        Boxes {
            data,
            pos: 0,
            parent,
            file,
            failed: false,
        }
    }

    fn within(&self) -> String {
        match self.parent {
            None => "the file".to_string(),
            Some(k) => format!("the '{}' box", fourcc_text(&k)),
        }
    }

    fn cut_short(&self, what: &str) -> String {
        format!(
            "{}: {what} runs past the end of {}: the file is cut short or damaged",
            self.file,
            self.within()
        )
    }

    fn read(&self) -> Result<(Mp4Box<'a>, usize), String> {
        let rest = self.data.get(self.pos..).unwrap_or_default();
        let (Some(size32), Some(kind)) = (be_u32(rest, 0), rest.get(4..8)) else {
            return Err(self.cut_short("a box header"));
        };
        let kind: [u8; 4] = kind
            .try_into()
            .map_err(|_| self.cut_short("a box header"))?;
        let name = fourcc_text(&kind);
        let (header, size) = match size32 {
            1 => match be_u64(rest, 8) {
                Some(size) => (16usize, size),
                None => return Err(self.cut_short(&format!("the header of box '{name}'"))),
            },
            0 => (8, rest.len() as u64),
            n => (8, u64::from(n)),
        };
        if size < header as u64 {
            return Err(format!(
                "{}: box '{name}' in {} says it is {size} bytes, less than its {header}-byte \
                 header: the file is damaged",
                self.file,
                self.within()
            ));
        }
        if size > rest.len() as u64 {
            return Err(format!(
                "{}: box '{name}' runs past the end of {} (it says {size} bytes, {} are left): \
                 the file is cut short or damaged",
                self.file,
                self.within(),
                rest.len()
            ));
        }
        // `size` is at most `rest.len()`, so it fits a usize.
        let size = usize::try_from(size).unwrap_or(rest.len());
        let body = rest.get(header..size).unwrap_or_default();
        Ok((Mp4Box { kind, body }, size))
    }
}

impl<'a> Iterator for Boxes<'a, '_> {
    type Item = Result<Mp4Box<'a>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.data.len() {
            return None;
        }
        match self.read() {
            Ok((b, size)) => {
                // A box is at least 8 bytes, so the walk always moves on.
                self.pos = self.pos.saturating_add(size);
                Some(Ok(b))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// The payload of the first child box of `kind` in `data`, the payload of box `parent`.
fn child<'a>(
    data: &'a [u8],
    parent: &[u8; 4],
    kind: &[u8; 4],
    file: &str,
) -> Result<Option<&'a [u8]>, String> {
    for b in Boxes::new(data, Some(*parent), file) {
        let b = b?;
        if &b.kind == kind {
            return Ok(Some(b.body));
        }
    }
    Ok(None)
}

/// Seconds from an `mvhd` or `mdhd` payload (same layout for both fields): version 0 has a
/// 32-bit timescale at 12 and duration at 16, version 1 a timescale at 20 and a 64-bit
/// duration at 24. An unknown (all ones) or zero duration gives `None`.
fn header_duration(body: &[u8]) -> Option<f64> {
    let (timescale, duration) = match body.first()? {
        0 => {
            let d = be_u32(body, 16)?;
            (be_u32(body, 12)?, (d != u32::MAX).then_some(u64::from(d))?)
        }
        1 => {
            let d = be_u64(body, 24)?;
            (be_u32(body, 20)?, (d != u64::MAX).then_some(d)?)
        }
        _ => return None,
    };
    (timescale > 0 && duration > 0).then(|| duration as f64 / f64::from(timescale))
}

fn mp4_codec(fourcc: &[u8]) -> String {
    match fourcc {
        b"avc1" | b"avc3" => "H.264".to_string(),
        b"hvc1" | b"hev1" => "HEVC".to_string(),
        b"vp08" => "VP8".to_string(),
        b"vp09" => "VP9".to_string(),
        b"av01" => "AV1".to_string(),
        b"mp4a" => "AAC".to_string(),
        b"Opus" => "Opus".to_string(),
        b"fLaC" => "FLAC".to_string(),
        b".mp3" => "MP3".to_string(),
        other => fourcc_text(other),
    }
}

/// A video or audio track of an MP4.
struct Mp4Track {
    video: bool,
    codec: String,
    size: Option<(u32, u32)>,
    duration: Option<f64>,
}

/// Reads a `trak` payload; `None` for a track that is neither video nor audio (text, timecode,
/// hint, metadata).
fn mp4_track(trak: &[u8], file: &str) -> Result<Option<Mp4Track>, String> {
    let Some(mdia) = child(trak, b"trak", b"mdia", file)? else {
        return Ok(None);
    };
    let mut handler = None;
    let mut duration = None;
    let mut minf = None;
    for b in Boxes::new(mdia, Some(*b"mdia"), file) {
        let b = b?;
        match &b.kind {
            // Full box: version and flags, pre_defined, then the handler type.
            b"hdlr" => handler = b.body.get(8..12),
            b"mdhd" => duration = header_duration(b.body),
            b"minf" => minf = Some(b.body),
            _ => {}
        }
    }
    let video = match handler {
        Some(b"vide") => true,
        Some(b"soun") => false,
        _ => return Ok(None),
    };
    let what = if video { "video" } else { "audio" };
    let stsd = match minf {
        Some(minf) => match child(minf, b"minf", b"stbl", file)? {
            Some(stbl) => child(stbl, b"stbl", b"stsd", file)?,
            None => None,
        },
        None => None,
    };
    // Full box: version and flags, entry count, then the first sample entry (size, fourcc).
    let entry = stsd.and_then(|s| Some((be_u32(s, 4)?, s.get(12..16)?, s)));
    let Some((_, fourcc, stsd)) = entry.filter(|(count, _, _)| *count > 0) else {
        return Err(format!(
            "{file}: an {what} track has no sample description ('stsd'), so no player knows \
             its codec: the file is damaged"
        ));
    };
    let size = if video {
        // Visual sample entry, after its 8-byte header: 6 reserved, 2 data_reference_index,
        // 16 pre_defined/reserved, then width and height.
        match (be_u16(stsd, 8 + 8 + 24), be_u16(stsd, 8 + 8 + 26)) {
            (Some(w), Some(h)) if w > 0 && h > 0 => Some((u32::from(w), u32::from(h))),
            _ => None,
        }
    } else {
        None
    };
    Ok(Some(Mp4Track {
        video,
        codec: mp4_codec(fourcc),
        size,
        duration,
    }))
}

/// Brands of HEIF and AVIF images, which share MP4's box structure.
const IMAGE_BRANDS: [&[u8; 4]; 5] = [b"mif1", b"msf1", b"avif", b"heic", b"heix"];

fn probe_mp4(bytes: &[u8], file: &str) -> Result<MediaInfo, String> {
    let mut moov = None;
    let mut image = false;
    for b in Boxes::new(bytes, None, file) {
        let b = b?;
        match &b.kind {
            b"moov" if moov.is_none() => moov = Some(b.body),
            // Major brand, minor version, then compatible brands.
            b"ftyp" => {
                image =
                    b.body.chunks_exact(4).enumerate().any(|(i, brand)| {
                        i != 1 && IMAGE_BRANDS.iter().any(|k| k.as_slice() == brand)
                    })
            }
            _ => {}
        }
    }
    let Some(moov) = moov else {
        if image {
            return Err(format!("{}: it is an AVIF or HEIF image", not_media(file)));
        }
        return Err(format!(
            "{file}: no 'moov' box: the file is cut short or was not finished (for example a \
             recording that was interrupted)"
        ));
    };
    let mut info = MediaInfo::new("MP4");
    let mut movie_duration = None;
    let mut track_duration: Option<f64> = None;
    for b in Boxes::new(moov, Some(*b"moov"), file) {
        let b = b?;
        match &b.kind {
            b"mvhd" => movie_duration = header_duration(b.body),
            b"trak" => {
                let Some(t) = mp4_track(b.body, file)? else {
                    continue;
                };
                if let Some(d) = t.duration {
                    track_duration = Some(track_duration.map_or(d, |m| m.max(d)));
                }
                if t.video {
                    if info.video.is_none() {
                        info.video = Some(t.codec);
                        info.size = t.size;
                    }
                } else if info.audio.is_none() {
                    info.audio = Some(t.codec);
                }
            }
            _ => {}
        }
    }
    if info.video.is_none() && info.audio.is_none() {
        return Err(format!(
            "{file}: the 'moov' box has no video or audio track: there is nothing to play"
        ));
    }
    info.duration = movie_duration.or(track_duration);
    Ok(info)
}

// ---- Matroska / WebM ----

const EBML_HEADER: u32 = 0x1A45_DFA3;
const EBML_DOC_TYPE: u32 = 0x4282;
const MKV_SEGMENT: u32 = 0x1853_8067;
const MKV_CLUSTER: u32 = 0x1F43_B675;
const MKV_TRACKS: u32 = 0x1654_AE6B;
const MKV_TRACK_ENTRY: u32 = 0xAE;
const MKV_TRACK_TYPE: u32 = 0x83;
const MKV_CODEC_ID: u32 = 0x86;
const MKV_VIDEO: u32 = 0xE0;
const MKV_PIXEL_WIDTH: u32 = 0xB0;
const MKV_PIXEL_HEIGHT: u32 = 0xBA;

/// An EBML element ID (with its length marker, as the specification writes IDs) and its length.
fn ebml_id(data: &[u8], pos: usize) -> Option<(u32, usize)> {
    let first = *data.get(pos)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 4 {
        return None;
    }
    let mut id = 0u32;
    for i in 0..len {
        id = (id << 8) | u32::from(*data.get(pos.checked_add(i)?)?);
    }
    Some((id, len))
}

/// An EBML variable-size integer (the marker removed) and its length; `None` in the value for
/// the "unknown size" form (all value bits set).
fn ebml_vint(data: &[u8], pos: usize) -> Option<(Option<u64>, usize)> {
    let first = *data.get(pos)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let mask = (0xFFu32 >> len) as u8;
    let mut value = u64::from(first & mask);
    let mut all_ones = first & mask == mask;
    for i in 1..len {
        let b = *data.get(pos.checked_add(i)?)?;
        value = (value << 8) | u64::from(b);
        all_ones &= b == 0xFF;
    }
    Some(((!all_ones).then_some(value), len))
}

/// One EBML element: its ID and where its data lies in the file.
#[derive(Clone, Copy)]
struct Element {
    id: u32,
    start: usize,
    end: usize,
    /// Its size was the "unknown" form, so `end` is its parent's end.
    unknown: bool,
}

/// The element at `pos`, its data cut to `end` (a file cut short keeps what it has).
fn ebml_element(data: &[u8], pos: usize, end: usize) -> Option<Element> {
    let (id, id_len) = ebml_id(data, pos)?;
    let size_at = pos.checked_add(id_len)?;
    let (size, size_len) = ebml_vint(data, size_at)?;
    let start = size_at.checked_add(size_len)?;
    if start > end {
        return None;
    }
    let data_end = match size {
        Some(s) => usize::try_from(s)
            .ok()
            .and_then(|s| start.checked_add(s))
            .map_or(end, |e| e.min(end)),
        None => end,
    };
    Some(Element {
        id,
        start,
        end: data_end,
        unknown: size.is_none(),
    })
}

/// The elements laid end to end in `data[start..end]`; stops at the first unreadable one, and
/// after one of unknown size (which reaches to `end`).
fn ebml_children(data: &[u8], start: usize, end: usize) -> impl Iterator<Item = Element> + '_ {
    let mut pos = start;
    let mut done = false;
    std::iter::from_fn(move || {
        if done || pos >= end {
            return None;
        }
        let e = ebml_element(data, pos, end)?;
        done = e.unknown;
        // The element's data starts after its ID and size, so the walk always moves on.
        pos = e.end.max(pos.saturating_add(1));
        Some(e)
    })
}

fn ebml_uint(data: &[u8], e: Element) -> Option<u64> {
    let bytes = data.get(e.start..e.end)?;
    if bytes.is_empty() || bytes.len() > 8 {
        return None;
    }
    Some(bytes.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b)))
}

/// A Matroska CodecID as this probe names it, and whether it is a video codec; `None` for a
/// subtitle, button or other track.
fn matroska_codec(id: &str) -> Option<(bool, String)> {
    let named = match id {
        "V_VP8" => "VP8",
        "V_VP9" => "VP9",
        "V_AV1" => "AV1",
        "V_MPEG4/ISO/AVC" => "H.264",
        "V_MPEGH/ISO/HEVC" => "HEVC",
        "V_THEORA" => "Theora",
        "A_OPUS" => "Opus",
        "A_VORBIS" => "Vorbis",
        "A_FLAC" => "FLAC",
        "A_MPEG/L3" => "MP3",
        _ if id.starts_with("A_AAC") => "AAC",
        _ if id.starts_with("A_PCM") => "PCM",
        _ => id,
    };
    if id.starts_with("V_") {
        Some((true, named.to_string()))
    } else if id.starts_with("A_") {
        Some((false, named.to_string()))
    } else {
        None
    }
}

/// A CodecID's text when it looks like one (printable ASCII, a few bytes).
fn codec_id_text(bytes: &[u8]) -> Option<&str> {
    let bytes = match bytes.iter().position(|&b| b == 0) {
        Some(i) => bytes.get(..i)?,
        None => bytes,
    };
    if bytes.len() < 2 || bytes.len() > 64 || !bytes.iter().all(u8::is_ascii_graphic) {
        return None;
    }
    std::str::from_utf8(bytes).ok()
}

fn probe_matroska(bytes: &[u8], file: &str) -> Result<MediaInfo, String> {
    let header = ebml_element(bytes, 0, bytes.len())
        .filter(|h| h.id == EBML_HEADER && !h.unknown)
        .ok_or_else(|| format!("{file}: the EBML header is cut short or damaged"))?;
    let doc_type = ebml_children(bytes, header.start, header.end)
        .find(|e| e.id == EBML_DOC_TYPE)
        .and_then(|e| bytes.get(e.start..e.end))
        .map(|d| d.split(|&b| b == 0).next().unwrap_or_default());
    let container = if doc_type == Some(b"webm".as_slice()) {
        "WebM"
    } else {
        "Matroska"
    };
    let mut info = MediaInfo::new(container);
    matroska_tracks(bytes, header.end, &mut info);
    if info.video.is_none() && info.audio.is_none() {
        let region = bytes
            .get(header.end..bytes.len().min(MATROSKA_SCAN))
            .unwrap_or_default();
        matroska_scan(region, &mut info);
    }
    if info.video.is_none() && info.audio.is_none() {
        return Err(format!(
            "{file}: a Matroska/WebM file with no track this probe recognises"
        ));
    }
    Ok(info)
}

/// Walks Segment → Tracks → TrackEntry; gives up (leaving `info` as it is) at the first Cluster
/// or at an element of unknown size before the tracks.
fn matroska_tracks(bytes: &[u8], from: usize, info: &mut MediaInfo) {
    let Some(segment) = ebml_children(bytes, from, bytes.len()).find(|e| e.id == MKV_SEGMENT)
    else {
        return;
    };
    let Some(tracks) = ebml_children(bytes, segment.start, segment.end)
        .take_while(|e| e.id != MKV_CLUSTER)
        .find(|e| e.id == MKV_TRACKS)
    else {
        return;
    };
    for entry in ebml_children(bytes, tracks.start, tracks.end) {
        if entry.id != MKV_TRACK_ENTRY {
            continue;
        }
        let mut kind = None;
        let mut codec = None;
        let mut size = (None, None);
        for e in ebml_children(bytes, entry.start, entry.end) {
            match e.id {
                MKV_TRACK_TYPE => kind = ebml_uint(bytes, e),
                MKV_CODEC_ID => {
                    codec = bytes
                        .get(e.start..e.end)
                        .and_then(codec_id_text)
                        .and_then(matroska_codec)
                }
                MKV_VIDEO => {
                    for v in ebml_children(bytes, e.start, e.end) {
                        let n = ebml_uint(bytes, v).and_then(|n| u32::try_from(n).ok());
                        match v.id {
                            MKV_PIXEL_WIDTH => size.0 = n,
                            MKV_PIXEL_HEIGHT => size.1 = n,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        let Some((is_video, name)) = codec else {
            continue;
        };
        // TrackType 1 is video, 2 audio; without one the CodecID's prefix says.
        let is_video = match kind {
            Some(1) => true,
            Some(2) => false,
            Some(_) => continue,
            None => is_video,
        };
        if is_video {
            if info.video.is_none() {
                info.video = Some(name);
                if let (Some(w), Some(h)) = size {
                    info.size = (w > 0 && h > 0).then_some((w, h));
                }
            }
        } else if info.audio.is_none() {
            info.audio = Some(name);
        }
    }
}

/// The pragmatic fallback: CodecID elements (ID 0x86, a size, the ASCII id) anywhere in
/// `region`, and the PixelWidth and PixelHeight elements that follow a video one.
fn matroska_scan(region: &[u8], info: &mut MediaInfo) {
    let mut i = 0usize;
    while i < region.len() {
        if region.get(i) == Some(&0x86) {
            if let Some((name, next)) = scan_codec_id(region, i) {
                if let Some((is_video, name)) = matroska_codec(name) {
                    if is_video && info.video.is_none() {
                        info.video = Some(name);
                        let window = region
                            .get(next..region.len().min(next.saturating_add(1024)))
                            .unwrap_or_default();
                        info.size = scan_pixel_size(window);
                    } else if !is_video && info.audio.is_none() {
                        info.audio = Some(name);
                    }
                }
                i = next;
                continue;
            }
        }
        i += 1;
    }
}

/// A CodecID element at `at` in the scan: its text and where it ends.
fn scan_codec_id(region: &[u8], at: usize) -> Option<(&str, usize)> {
    let (Some(size), size_len) = ebml_vint(region, at.checked_add(1)?)? else {
        return None;
    };
    let start = at.checked_add(1)?.checked_add(size_len)?;
    let end = start.checked_add(usize::try_from(size).ok().filter(|&s| s <= 64)?)?;
    let text = codec_id_text(region.get(start..end)?)?;
    (text.starts_with("V_") || text.starts_with("A_")).then_some((text, end))
}

/// A PixelWidth element directly followed by a PixelHeight one, both 1 to 65535.
fn scan_pixel_size(window: &[u8]) -> Option<(u32, u32)> {
    let small_uint = |at: usize, id: u8| -> Option<(u32, usize)> {
        if *window.get(at)? != id {
            return None;
        }
        let (Some(n), len) = ebml_vint(window, at.checked_add(1)?)? else {
            return None;
        };
        let n = usize::try_from(n).ok().filter(|n| (1..=4).contains(n))?;
        let start = at.checked_add(1)?.checked_add(len)?;
        let end = start.checked_add(n)?;
        let v = window
            .get(start..end)?
            .iter()
            .fold(0u32, |v, &b| (v << 8) | u32::from(b));
        (1..=65535).contains(&v).then_some((v, end))
    };
    (0..window.len()).find_map(|i| {
        let (w, next) = small_uint(i, 0xB0)?;
        let (h, _) = small_uint(next, 0xBA)?;
        Some((w, h))
    })
}

// ---- Ogg ----

fn probe_ogg(bytes: &[u8], file: &str) -> Result<MediaInfo, String> {
    let mut info = MediaInfo::new("Ogg");
    let mut pos = 0usize;
    let mut first = true;
    // The beginning-of-stream pages of all the streams come first, one each.
    for _ in 0..16 {
        let Some(page) = bytes.get(pos..).filter(|p| p.starts_with(b"OggS")) else {
            break;
        };
        let header_type = page.get(5).copied();
        let segments = page.get(26).map(|&n| usize::from(n));
        let (Some(header_type), Some(segments)) = (header_type, segments) else {
            if first {
                return Err(format!("{file}: the first Ogg page is cut short"));
            }
            break;
        };
        if !first && header_type & 0x02 == 0 {
            break;
        }
        first = false;
        let Some(table) = page.get(27..27 + segments) else {
            return Err(format!("{file}: the first Ogg page is cut short"));
        };
        let body_len: usize = table.iter().map(|&n| usize::from(n)).sum();
        let packet_len: usize = table.iter().position(|&n| n < 255).map_or(body_len, |i| {
            255 * i + usize::from(table.get(i).copied().unwrap_or(0))
        });
        let body_at = 27 + segments;
        let packet = page
            .get(body_at..page.len().min(body_at + packet_len))
            .unwrap_or_default();
        if packet.starts_with(b"OpusHead") {
            info.audio.get_or_insert_with(|| "Opus".to_string());
        } else if packet.starts_with(b"\x01vorbis") {
            info.audio.get_or_insert_with(|| "Vorbis".to_string());
        } else if packet.starts_with(b"\x7fFLAC") {
            info.audio.get_or_insert_with(|| "FLAC".to_string());
        } else if packet.starts_with(b"\x80theora") {
            info.video.get_or_insert_with(|| "Theora".to_string());
        } else if packet.starts_with(b"Speex   ") {
            info.audio.get_or_insert_with(|| "Speex".to_string());
        }
        pos = pos.saturating_add(body_at).saturating_add(body_len);
    }
    if info.video.is_none() && info.audio.is_none() {
        return Err(format!(
            "{file}: an Ogg file whose streams this probe does not recognise (it knows Opus, \
             Vorbis, FLAC and Theora)"
        ));
    }
    Ok(info)
}

// ---- FLAC ----

fn probe_flac(bytes: &[u8]) -> MediaInfo {
    let mut info = MediaInfo::new("FLAC");
    info.audio = Some("FLAC".to_string());
    // The first metadata block (after "fLaC" and its 4-byte header) is STREAMINFO: 10 bytes of
    // block and frame sizes, then 20 bits sample rate, 3 channels, 5 bits per sample and 36
    // bits total samples.
    if bytes.get(4).map(|b| b & 0x7F) == Some(0) {
        if let Some(v) = be_u64(bytes, 18) {
            let rate = v >> 44;
            let samples = v & ((1 << 36) - 1);
            if rate > 0 && samples > 0 {
                info.duration = Some(samples as f64 / rate as f64);
            }
        }
    }
    info
}

// ---- WAV ----

fn probe_wav(bytes: &[u8], file: &str) -> Result<MediaInfo, String> {
    let mut info = MediaInfo::new("WAV");
    let mut byte_rate = None;
    let mut data_len = None;
    let mut pos = 12usize;
    while let (Some(id), Some(size)) = (
        bytes.get(pos..pos.saturating_add(4)),
        le_u32(bytes, pos + 4),
    ) {
        let start = pos + 8;
        let left = bytes.len().saturating_sub(start);
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        match id {
            b"fmt " => {
                let body = bytes
                    .get(start..start.saturating_add(size.min(left)))
                    .unwrap_or_default();
                let tag = le_u16(body, 0)
                    .ok_or_else(|| format!("{file}: the WAV 'fmt ' chunk is cut short"))?;
                info.audio = Some(match tag {
                    1 | 3 | 0xFFFE => "PCM".to_string(),
                    n => format!("WAV format {n}"),
                });
                byte_rate = le_u32(body, 8).filter(|&r| r > 0);
            }
            // A recorder that was stopped may leave the size unset (0 or all ones) or larger
            // than what was written: count what is there.
            b"data" => data_len = Some(if size == 0 || size > left { left } else { size }),
            _ => {}
        }
        if size > left {
            break;
        }
        // Chunks are padded to an even length.
        pos = start.saturating_add(size).saturating_add(size & 1);
    }
    if info.audio.is_none() {
        return Err(format!(
            "{file}: a WAV file with no 'fmt ' chunk: the file is cut short or damaged"
        ));
    }
    if let (Some(rate), Some(len)) = (byte_rate, data_len) {
        info.duration = Some(len as f64 / f64::from(rate));
    }
    Ok(info)
}

// ---- MP3 and AAC (ADTS) ----

/// The stream an MPEG audio frame header at the start of `bytes` begins: an MP3 (MPEG-1/2/2.5
/// layer III) or an AAC ADTS frame.
fn mpeg_audio_frame(bytes: &[u8]) -> Option<MediaInfo> {
    let (b0, b1, b2) = (*bytes.first()?, *bytes.get(1)?, *bytes.get(2)?);
    if b0 != 0xFF {
        return None;
    }
    // ADTS: 12 sync bits, ID, layer 00, protection_absent; sampling index 0 to 12.
    if b1 & 0xF6 == 0xF0 && (b2 >> 2) & 0x0F <= 12 {
        let mut info = MediaInfo::new("AAC");
        info.audio = Some("AAC".to_string());
        return Some(info);
    }
    // MPEG audio: 11 sync bits, version (01 reserved), layer (01 = III), then a bitrate index
    // that is not 1111 and a sample rate index that is not 11.
    let version = (b1 >> 3) & 0x03;
    let layer = (b1 >> 1) & 0x03;
    if b1 & 0xE0 == 0xE0 && version != 1 && layer == 1 && b2 >> 4 != 0x0F && (b2 >> 2) & 0x03 != 3 {
        let mut info = MediaInfo::new("MP3");
        info.audio = Some("MP3".to_string());
        return Some(info);
    }
    None
}

fn probe_id3(bytes: &[u8], file: &str) -> Result<MediaInfo, String> {
    // "ID3", version (2 bytes), flags, then a 28-bit "syncsafe" size (7 bits a byte).
    let header = bytes
        .get(..10)
        .ok_or_else(|| format!("{file}: the ID3 tag is cut short"))?;
    let size_bytes = header.get(6..10).unwrap_or_default();
    if size_bytes.iter().any(|&b| b >= 0x80) {
        return Err(format!(
            "{file}: the ID3 tag is damaged (its size is not syncsafe)"
        ));
    }
    let size = size_bytes
        .iter()
        .fold(0usize, |v, &b| (v << 7) | usize::from(b));
    let footer = if header.get(5).is_some_and(|f| f & 0x10 != 0) {
        10
    } else {
        0
    };
    let end = 10 + size + footer;
    if end > bytes.len() {
        return Err(format!(
            "{file}: the ID3 tag runs past the end of the file: the file is cut short"
        ));
    }
    let window = bytes
        .get(end..bytes.len().min(end + ID3_SLACK + 4))
        .unwrap_or_default();
    (0..window.len())
        .find_map(|i| mpeg_audio_frame(window.get(i..).unwrap_or_default()))
        .ok_or_else(|| {
            format!(
                "{file}: an ID3 tag with no MP3 frame after it: the file is cut short or is not \
                 an MP3"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "media/clip.mp4";

    fn mp4_box(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
        let mut out = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(payload);
        out
    }

    fn cat(parts: &[&[u8]]) -> Vec<u8> {
        parts.concat()
    }

    fn hdlr(kind: &[u8; 4]) -> Vec<u8> {
        mp4_box(b"hdlr", &cat(&[&[0; 8], kind, &[0; 13]]))
    }

    /// A track: `mdia` with `hdlr`, and `minf` → `stbl` → `stsd` holding one sample entry.
    fn trak(handler: &[u8; 4], entry: &[u8]) -> Vec<u8> {
        let stsd = mp4_box(b"stsd", &cat(&[&[0; 4], &1u32.to_be_bytes(), entry]));
        let minf = mp4_box(b"minf", &mp4_box(b"stbl", &stsd));
        mp4_box(b"trak", &mp4_box(b"mdia", &cat(&[&hdlr(handler), &minf])))
    }

    fn visual_entry(fourcc: &[u8; 4], w: u16, h: u16) -> Vec<u8> {
        let mut p = vec![0u8; 6];
        p.extend_from_slice(&1u16.to_be_bytes());
        p.extend_from_slice(&[0; 16]);
        p.extend_from_slice(&w.to_be_bytes());
        p.extend_from_slice(&h.to_be_bytes());
        p.extend_from_slice(&[0; 50]);
        mp4_box(fourcc, &p)
    }

    fn audio_entry(fourcc: &[u8; 4]) -> Vec<u8> {
        mp4_box(fourcc, &[0; 28])
    }

    fn mvhd_v0(timescale: u32, duration: u32) -> Vec<u8> {
        let body = cat(&[
            &[0; 12],
            &timescale.to_be_bytes(),
            &duration.to_be_bytes(),
            &[0; 80],
        ]);
        mp4_box(b"mvhd", &body)
    }

    fn ftyp() -> Vec<u8> {
        mp4_box(b"ftyp", b"isom\0\0\x02\0isomavc1mp41")
    }

    fn mp4_fixture() -> Vec<u8> {
        let moov = mp4_box(
            b"moov",
            &cat(&[
                &mvhd_v0(1000, 5000),
                &trak(b"vide", &visual_entry(b"avc1", 3840, 1920)),
            ]),
        );
        cat(&[&ftyp(), &moov])
    }

    #[test]
    fn mp4_with_an_h264_track() {
        let info = probe(&mp4_fixture(), FILE).unwrap();
        assert_eq!(info.container, "MP4");
        assert_eq!(info.video.as_deref(), Some("H.264"));
        assert_eq!(info.audio, None);
        assert_eq!(info.size, Some((3840, 1920)));
        assert_eq!(info.duration, Some(5.0));
    }

    #[test]
    fn mp4_with_video_and_audio_tracks_and_a_64_bit_mdat() {
        let moov = mp4_box(
            b"moov",
            &cat(&[
                &mvhd_v0(600, 1200),
                &trak(b"vide", &visual_entry(b"hvc1", 1920, 1080)),
                &trak(b"soun", &audio_entry(b"mp4a")),
            ]),
        );
        let mut mdat = 1u32.to_be_bytes().to_vec();
        mdat.extend_from_slice(b"mdat");
        mdat.extend_from_slice(&20u64.to_be_bytes());
        mdat.extend_from_slice(&[0xAB; 4]);
        let info = probe(&cat(&[&ftyp(), &mdat, &moov]), FILE).unwrap();
        assert_eq!(info.video.as_deref(), Some("HEVC"));
        assert_eq!(info.audio.as_deref(), Some("AAC"));
        assert_eq!(info.size, Some((1920, 1080)));
        assert_eq!(info.duration, Some(2.0));
    }

    #[test]
    fn mp4_unknown_codec_keeps_its_fourcc() {
        let moov = mp4_box(b"moov", &trak(b"soun", &audio_entry(b"ac-3")));
        let info = probe(&cat(&[&ftyp(), &moov]), "a.m4a").unwrap();
        assert_eq!(info.audio.as_deref(), Some("ac-3"));
        assert_eq!(info.duration, None);
    }

    #[test]
    fn mp4_cut_short_is_refused() {
        let mut bytes = mp4_fixture();
        bytes.truncate(bytes.len() - 10);
        let e = probe(&bytes, FILE).unwrap_err();
        assert!(e.starts_with(FILE), "{e}");
        assert!(e.contains("cut short"), "{e}");
    }

    #[test]
    fn mp4_box_smaller_than_its_header_is_refused() {
        let mut bytes = ftyp();
        bytes.extend_from_slice(&4u32.to_be_bytes());
        bytes.extend_from_slice(b"moov");
        let e = probe(&bytes, FILE).unwrap_err();
        assert!(e.contains("less than its 8-byte header"), "{e}");
    }

    #[test]
    fn mp4_without_moov_is_refused() {
        let e = probe(&ftyp(), FILE).unwrap_err();
        assert!(e.starts_with(FILE), "{e}");
        assert!(e.contains("no 'moov' box"), "{e}");
        let mut avif = mp4_box(b"ftyp", b"avif\0\0\0\0mif1miafavif");
        avif.extend_from_slice(&mp4_box(b"meta", &[0; 8]));
        let e = probe(&avif, "a.avif").unwrap_err();
        assert!(e.contains("not an audio or video file"), "{e}");
    }

    #[test]
    fn mp4_without_tracks_is_refused() {
        let moov = mp4_box(
            b"moov",
            &cat(&[&mvhd_v0(1000, 5000), &trak(b"text", &audio_entry(b"tx3g"))]),
        );
        let e = probe(&cat(&[&ftyp(), &moov]), FILE).unwrap_err();
        assert!(e.contains("no video or audio track"), "{e}");
    }

    /// An EBML element with a one-byte size (or an eight-byte one past 126).
    fn ebml(id: &[u8], payload: &[u8]) -> Vec<u8> {
        let mut out = id.to_vec();
        if payload.len() < 127 {
            out.push(0x80 | payload.len() as u8);
        } else {
            out.push(0x01);
            out.extend_from_slice(&(payload.len() as u64).to_be_bytes()[1..]);
        }
        out.extend_from_slice(payload);
        out
    }

    fn ebml_header(doc_type: &[u8]) -> Vec<u8> {
        ebml(
            &[0x1A, 0x45, 0xDF, 0xA3],
            &cat(&[&ebml(&[0x42, 0x86], &[1]), &ebml(&[0x42, 0x82], doc_type)]),
        )
    }

    #[test]
    fn webm_tracks_by_walking_the_segment() {
        let video = ebml(
            &[0xAE],
            &cat(&[
                &ebml(&[0xD7], &[1]),
                &ebml(&[0x83], &[1]),
                // Video before CodecID: the fallback scan would miss the size.
                &ebml(
                    &[0xE0],
                    &cat(&[&ebml(&[0xB0], &[0x0F, 0x00]), &ebml(&[0xBA], &[0x07, 0x80])]),
                ),
                &ebml(&[0x86], b"V_VP9"),
            ]),
        );
        let audio = ebml(
            &[0xAE],
            &cat(&[&ebml(&[0x83], &[2]), &ebml(&[0x86], b"A_OPUS")]),
        );
        let tracks = ebml(&[0x16, 0x54, 0xAE, 0x6B], &cat(&[&video, &audio]));
        let info_el = ebml(&[0x15, 0x49, 0xA9, 0x66], &[0; 10]);
        // A live recording: the Segment's size is unknown.
        let mut segment = vec![
            0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        ];
        segment.extend_from_slice(&info_el);
        segment.extend_from_slice(&tracks);
        segment.extend_from_slice(&[0x1F, 0x43, 0xB6, 0x75, 0xFF, 0xE7, 0x81, 0x00]);
        let bytes = cat(&[&ebml_header(b"webm"), &segment]);
        let info = probe(&bytes, "v.webm").unwrap();
        assert_eq!(info.container, "WebM");
        assert_eq!(info.video.as_deref(), Some("VP9"));
        assert_eq!(info.audio.as_deref(), Some("Opus"));
        assert_eq!(info.size, Some((3840, 1920)));
        assert_eq!(info.duration, None);
    }

    #[test]
    fn webm_codec_ids_by_scanning() {
        let bytes = cat(&[
            &ebml_header(b"webm"),
            &[0x42, 0x00, 0x01],
            &ebml(&[0x86], b"V_VP9"),
            &ebml(&[0x63, 0xA2], &[1, 2, 3]),
            &ebml(&[0xB0], &[0x05, 0x00]),
            &ebml(&[0xBA], &[0x02, 0xD0]),
            &ebml(&[0x86], b"A_OPUS"),
        ]);
        let info = probe(&bytes, "v.webm").unwrap();
        assert_eq!(info.container, "WebM");
        assert_eq!(info.video.as_deref(), Some("VP9"));
        assert_eq!(info.audio.as_deref(), Some("Opus"));
        assert_eq!(info.size, Some((1280, 720)));
    }

    #[test]
    fn matroska_names_and_failures() {
        let bytes = cat(&[
            &ebml_header(b"matroska"),
            &ebml(&[0x86], b"V_MPEGH/ISO/HEVC"),
            &ebml(&[0x86], b"A_AAC/MPEG4/LC"),
        ]);
        let info = probe(&bytes, "v.mkv").unwrap();
        assert_eq!(info.container, "Matroska");
        assert_eq!(info.video.as_deref(), Some("HEVC"));
        assert_eq!(info.audio.as_deref(), Some("AAC"));
        let e = probe(&ebml_header(b"webm"), "v.webm").unwrap_err();
        assert!(
            e.starts_with("v.webm: a Matroska/WebM file with no track"),
            "{e}"
        );
        let e = probe(&[0x1A, 0x45, 0xDF, 0xA3, 0x85, 0x42], "v.webm").unwrap_err();
        assert!(e.contains("no track"), "{e}");
    }

    fn ogg_page(header_type: u8, packet: &[u8]) -> Vec<u8> {
        let mut page = b"OggS\0".to_vec();
        page.push(header_type);
        page.extend_from_slice(&[0; 20]);
        page.push(1);
        page.push(packet.len() as u8);
        page.extend_from_slice(packet);
        page
    }

    #[test]
    fn ogg_streams() {
        let info = probe(&ogg_page(2, b"OpusHead\x01\x02\0\0"), "n.opus").unwrap();
        assert_eq!(info.container, "Ogg");
        assert_eq!(info.audio.as_deref(), Some("Opus"));
        assert_eq!(info.video, None);
        let bytes = cat(&[
            &ogg_page(2, b"\x80theora\x03\x02"),
            &ogg_page(2, b"\x01vorbis\0\0\0\0"),
            &ogg_page(0, b"\x03vorbis"),
        ]);
        let info = probe(&bytes, "v.ogv").unwrap();
        assert_eq!(info.video.as_deref(), Some("Theora"));
        assert_eq!(info.audio.as_deref(), Some("Vorbis"));
        let e = probe(&ogg_page(2, b"unknown!"), "x.ogg").unwrap_err();
        assert!(e.starts_with("x.ogg: "), "{e}");
        assert!(probe(b"OggS\0\x02", "x.ogg")
            .unwrap_err()
            .contains("cut short"));
    }

    #[test]
    fn mp3_with_and_without_id3() {
        let mut bytes = b"ID3\x04\0\0\0\0\0\x05".to_vec();
        bytes.extend_from_slice(&[0; 5]);
        bytes.extend_from_slice(&[0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0]);
        let info = probe(&bytes, "n.mp3").unwrap();
        assert_eq!(info.container, "MP3");
        assert_eq!(info.audio.as_deref(), Some("MP3"));
        let info = probe(&[0xFF, 0xFB, 0x90, 0x64, 0, 0], "n.mp3").unwrap();
        assert_eq!(info.audio.as_deref(), Some("MP3"));
        let e = probe(b"ID3\x04\0\0\0\0\x01\0", "n.mp3").unwrap_err();
        assert!(e.contains("cut short"), "{e}");
        let e = probe(b"ID3\x04\0\0\0\0\0\0nothing here", "n.mp3").unwrap_err();
        assert!(e.contains("no MP3 frame"), "{e}");
    }

    #[test]
    fn aac_adts() {
        let info = probe(&[0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC], "a.aac").unwrap();
        assert_eq!(info.container, "AAC");
        assert_eq!(info.audio.as_deref(), Some("AAC"));
    }

    fn wav(format: u16, data_len: u32) -> Vec<u8> {
        let mut b = b"RIFF".to_vec();
        b.extend_from_slice(&(36 + data_len).to_le_bytes());
        b.extend_from_slice(b"WAVEfmt ");
        b.extend_from_slice(&16u32.to_le_bytes());
        b.extend_from_slice(&format.to_le_bytes());
        b.extend_from_slice(&2u16.to_le_bytes());
        b.extend_from_slice(&44100u32.to_le_bytes());
        b.extend_from_slice(&176400u32.to_le_bytes());
        b.extend_from_slice(&4u16.to_le_bytes());
        b.extend_from_slice(&16u16.to_le_bytes());
        b.extend_from_slice(b"data");
        b.extend_from_slice(&data_len.to_le_bytes());
        b.resize(b.len() + data_len as usize, 0);
        b
    }

    #[test]
    fn wav_pcm_and_duration() {
        let info = probe(&wav(1, 176400), "a.wav").unwrap();
        assert_eq!(info.container, "WAV");
        assert_eq!(info.audio.as_deref(), Some("PCM"));
        assert_eq!(info.duration, Some(1.0));
        let info = probe(&wav(0x55, 0), "a.wav").unwrap();
        assert_eq!(info.audio.as_deref(), Some("WAV format 85"));
        // Cut short: the duration counts what is there.
        let mut short = wav(1, 176400);
        short.truncate(44 + 88200);
        assert_eq!(probe(&short, "a.wav").unwrap().duration, Some(0.5));
        let e = probe(b"RIFF\0\0\0\0WAVE", "a.wav").unwrap_err();
        assert!(e.contains("no 'fmt ' chunk"), "{e}");
    }

    #[test]
    fn flac_and_its_duration() {
        let mut b = b"fLaC".to_vec();
        b.extend_from_slice(&[0x80, 0, 0, 34]);
        b.extend_from_slice(&[0; 10]);
        // 48000 Hz (20 bits), stereo, 16 bits, 96000 samples.
        let v: u64 = (48000u64 << 44) | (1 << 41) | (15 << 36) | 96000;
        b.extend_from_slice(&v.to_be_bytes());
        b.extend_from_slice(&[0; 16]);
        let info = probe(&b, "a.flac").unwrap();
        assert_eq!(info.container, "FLAC");
        assert_eq!(info.audio.as_deref(), Some("FLAC"));
        assert_eq!(info.duration, Some(2.0));
        assert_eq!(probe(b"fLaC", "a.flac").unwrap().duration, None);
    }

    #[test]
    fn other_files_are_refused() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let e = probe(png, "a.png").unwrap_err();
        assert!(e.starts_with("a.png: not an audio or video file"), "{e}");
        let noise: Vec<u8> = (0u32..256)
            .map(|i| (i.wrapping_mul(97) % 251) as u8)
            .collect();
        let e = probe(&noise, "x.bin").unwrap_err();
        assert!(e.contains("not an audio or video file"), "{e}");
        let e = probe(b"RIFF\0\0\0\0WEBPVP8 ", "a.webp").unwrap_err();
        assert!(e.contains("not an audio or video file"), "{e}");
        assert_eq!(probe(&[], "a.mp4").unwrap_err(), "a.mp4: the file is empty");
    }

    fn info(container: &'static str, video: Option<&str>, audio: Option<&str>) -> MediaInfo {
        MediaInfo {
            container,
            video: video.map(str::to_string),
            audio: audio.map(str::to_string),
            size: None,
            duration: None,
        }
    }

    fn shells(list: &[(Shell, String)]) -> Vec<Shell> {
        list.iter().map(|(s, _)| *s).collect()
    }

    #[test]
    fn unplayable_by_shell() {
        let u = unplayable(&info("MP4", Some("H.264"), Some("AAC")));
        assert_eq!(shells(&u), [Shell::Native]);
        assert!(u[0]
            .1
            .starts_with("video is not decoded by the native viewer"));

        let u = unplayable(&info("MP4", Some("HEVC"), None));
        assert_eq!(shells(&u), [Shell::Web, Shell::Native]);
        assert!(u[0].1.starts_with("HEVC plays only in browsers"));

        assert!(unplayable(&info("MP3", None, Some("MP3"))).is_empty());
        assert!(unplayable(&info("Ogg", None, Some("Vorbis"))).is_empty());
        assert!(unplayable(&info("WAV", None, Some("PCM"))).is_empty());

        let u = unplayable(&info("Ogg", None, Some("Opus")));
        assert_eq!(shells(&u), [Shell::Native]);
        assert!(u[0]
            .1
            .starts_with("Opus audio is not decoded by the native viewer"));

        let u = unplayable(&info("MP4", None, Some("AAC")));
        assert_eq!(shells(&u), [Shell::Native]);
        let u = unplayable(&info("MP4", None, Some("MP3")));
        assert!(u[0].1.starts_with("MP3 audio in a MP4 file"), "{}", u[0].1);

        let u = unplayable(&info("Ogg", Some("Theora"), Some("Vorbis")));
        assert!(u[0].1.contains("Chromium"));
        let u = unplayable(&info("MP4", Some("mp4v"), Some("ac-3")));
        assert_eq!(u[0].1, "mp4v video is not played by browsers");
        assert_eq!(u[1].1, "ac-3 audio is not played by browsers");
        assert_eq!(shells(&u), [Shell::Web, Shell::Web, Shell::Native]);
    }

    /// Every prefix and a few damaged copies of each fixture: an answer, never a panic.
    #[test]
    fn damaged_files_never_panic() {
        let mut fixtures = vec![mp4_fixture(), wav(1, 64)];
        fixtures.push(cat(&[
            &ebml_header(b"webm"),
            &ebml(&[0x86], b"V_VP9"),
            &ebml(&[0xB0], &[0x05, 0x00]),
            &ebml(&[0xBA], &[0x02, 0xD0]),
        ]));
        fixtures.push(cat(&[
            &ogg_page(2, b"OpusHead\x01"),
            &ogg_page(2, b"\x80theora"),
        ]));
        for fixture in &fixtures {
            for n in 0..=fixture.len() {
                let _ = probe(&fixture[..n], FILE);
            }
            let mut seed = 0x2545_F491_u32;
            for _ in 0..200 {
                let mut copy = fixture.clone();
                for _ in 0..3 {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    let at = seed as usize % copy.len();
                    copy[at] ^= (seed >> 24) as u8 | 1;
                }
                if let Ok(info) = probe(&copy, FILE) {
                    let _ = unplayable(&info);
                }
            }
        }
        // Sizes at the extremes.
        let mut huge = ftyp();
        huge.extend_from_slice(&[0, 0, 0, 1]);
        huge.extend_from_slice(b"moov");
        huge.extend_from_slice(&u64::MAX.to_be_bytes());
        assert!(probe(&huge, FILE).unwrap_err().contains("cut short"));
        let _ = probe(
            &[
                0x1A, 0x45, 0xDF, 0xA3, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            ],
            FILE,
        );
        let _ = probe(b"ID3\x04\0\0\x7F\x7F\x7F\x7F", FILE);
        let _ = probe(b"RIFF\0\0\0\0WAVEfmt \xFF\xFF\xFF\xFF", FILE);
    }
}
