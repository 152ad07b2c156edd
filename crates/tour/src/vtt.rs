//! WebVTT captions of a guided step's narration: the cues, read once, and the cue at a time.
//! The web shell hands captions to the browser (`<track>`); the native player shows them with
//! this, timed by the audio it plays.

/// One caption: shown from `start` to `end` (seconds).
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
    /// Text (lines joined with a newline, tags such as `<v Speaker>` removed).
    pub text: String,
}

/// `hh:mm:ss.ttt` or `mm:ss.ttt` in seconds.
fn timestamp(s: &str) -> Option<f64> {
    let s = s.trim();
    let (hms, frac) = s.split_once('.')?;
    if frac.len() != 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = hms.split(':').collect();
    let nums: Option<Vec<u64>> = parts.iter().map(|p| p.parse().ok()).collect();
    let nums = nums?;
    let secs = match nums[..] {
        [h, m, s] if m < 60 && s < 60 => h * 3600 + m * 60 + s,
        [m, s] if m < 60 && s < 60 => m * 60 + s,
        _ => return None,
    };
    Some(secs as f64 + frac.parse::<f64>().ok()? / 1000.0)
}

/// Text without WebVTT tags (`<v Name>`, `<i>`, `<c.class>`) and with the common entities.
fn plain(line: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in line.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// The cues of a WebVTT file (`file` names it in the error). A file without the `WEBVTT`
/// header is refused; a cue whose timing line does not read is skipped.
pub fn parse(text: &str, file: &str) -> Result<Vec<Cue>, String> {
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let mut blocks = text.split("\n\n");
    let header = blocks.next().unwrap_or_default();
    if !header.starts_with("WEBVTT") {
        return Err(format!(
            "{file}: not a WebVTT file (it must start with \"WEBVTT\")"
        ));
    }
    let mut cues = Vec::new();
    for block in blocks {
        let lines: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
        let Some(at) = lines.iter().position(|l| l.contains("-->")) else {
            continue; // NOTE, STYLE, REGION blocks
        };
        let Some((a, b)) = lines[at].split_once("-->") else {
            continue;
        };
        // Cue settings may follow the end time.
        let b = b.split_whitespace().next().unwrap_or_default();
        let (Some(start), Some(end)) = (timestamp(a), timestamp(b)) else {
            continue;
        };
        if end <= start {
            continue;
        }
        let text = lines[at + 1..]
            .iter()
            .map(|l| plain(l))
            .collect::<Vec<_>>()
            .join("\n");
        cues.push(Cue { start, end, text });
    }
    Ok(cues)
}

/// The text of the cues showing at `t` seconds (several overlapping ones joined), or "".
pub fn at(cues: &[Cue], t: f64) -> String {
    cues.iter()
        .filter(|c| c.start <= t && t < c.end)
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_are_read_and_found_by_time() {
        let vtt = "\u{feff}WEBVTT - bia\r\n\r\nNOTE made by hand\r\n\r\n1\r\n00:00.000 --> 00:02.500 align:start\r\n<v Hướng dẫn>Đây là bia đá</v>\r\n\r\n00:00:02.500 --> 00:00:05.000\r\ntrên lưng rùa &amp; nhà bia\r\ndòng hai\r\n\r\nbad --> 00:07.000\r\nbỏ qua\r\n";
        let cues = parse(vtt, "bia.vtt").unwrap();
        assert_eq!(cues.len(), 2, "{cues:?}");
        assert_eq!(at(&cues, 1.0), "Đây là bia đá");
        assert_eq!(at(&cues, 2.5), "trên lưng rùa & nhà bia\ndòng hai");
        assert_eq!(at(&cues, 6.0), "");
        assert!(parse("1\n00:00.000 --> 00:01.000\nx", "x.vtt")
            .unwrap_err()
            .contains("x.vtt: not a WebVTT file"));
    }
}
