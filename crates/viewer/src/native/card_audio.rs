//! A catalog card's recordings natively: the visitor plays one audio recording at a time with its
//! captions (WebVTT, timed by the audio); it stops when the card closes or shows another record.

use super::audio::Output;
use disan_tour::visit::CardMedia;
use disan_tour::vtt::{self, Cue};

/// The recording playing in the card.
#[derive(Default)]
pub struct CardAudio {
    /// Record and file it plays, with its sink (none without an audio device) and captions.
    playing: Option<(String, String, Option<rodio::Sink>, Vec<Cue>)>,
}

impl CardAudio {
    /// Plays recording `m` of record `entry` (its file and captions read through `read`), or
    /// pauses / resumes it when it is the one playing. Returns a message when it cannot play.
    pub fn toggle(
        &mut self,
        entry: &str,
        m: &CardMedia,
        read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
        out: &mut Output,
    ) -> Option<String> {
        if let Some((e, src, sink, _)) = &self.playing {
            if e == entry && *src == m.src {
                if let Some(s) = sink {
                    if s.is_paused() {
                        s.play();
                    } else {
                        s.pause();
                    }
                }
                return None;
            }
        }
        self.stop();
        let source = match read(&m.src).and_then(|b| super::narration::decode(b, &m.src)) {
            Ok(s) => s,
            Err(e) => return Some(e),
        };
        let cues = m
            .captions
            .first()
            .and_then(|c| {
                let b = read(&c.src).ok()?;
                vtt::parse(&String::from_utf8_lossy(&b), &c.src).ok()
            })
            .unwrap_or_default();
        let sink = out.mixer().map(|mixer| {
            let sink = rodio::Sink::connect_new(mixer);
            sink.append(source);
            sink
        });
        self.playing = Some((entry.to_string(), m.src.clone(), sink, cues));
        None
    }

    /// Stops it unless the open card is record `entry` (none: the card closed).
    pub fn keep_only(&mut self, entry: Option<&str>) {
        if self.playing.as_ref().map(|p| p.0.as_str()) != entry {
            self.stop();
        }
    }

    /// True while recording `src` of record `entry` plays (not paused, not finished).
    pub fn is_playing(&self, entry: &str, src: &str) -> bool {
        self.playing.as_ref().is_some_and(|(e, s, sink, _)| {
            e == entry && s == src && sink.as_ref().is_some_and(|k| !k.is_paused() && !k.empty())
        })
    }

    /// True while any recording plays (the ambient sound is lowered, the window redraws for
    /// the captions).
    pub fn any_playing(&self) -> bool {
        self.playing.as_ref().is_some_and(|(_, _, sink, _)| {
            sink.as_ref().is_some_and(|k| !k.is_paused() && !k.empty())
        })
    }

    /// The caption showing now in the recording playing, or "".
    pub fn caption(&self) -> String {
        match &self.playing {
            Some((_, _, Some(sink), cues)) => vtt::at(cues, sink.get_pos().as_secs_f64()),
            _ => String::new(),
        }
    }

    fn stop(&mut self) {
        if let Some((_, _, Some(s), _)) = self.playing.take() {
            s.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use disan_tour::model::MediaKind;
    use disan_tour::visit::CardCaptions;

    fn recording(src: &str) -> CardMedia {
        CardMedia {
            kind: MediaKind::Audio,
            src: src.into(),
            poster: None,
            caption: String::new(),
            captions: vec![CardCaptions {
                lang: "vi".into(),
                src: "a.vtt".into(),
                default: true,
            }],
            transcript: String::new(),
        }
    }

    /// A recording that is not audio is a message naming it; a good one is taken (it plays
    /// where there is a device) and stops when its card closes or another record opens.
    #[test]
    fn a_card_recording_plays_until_its_card_closes() {
        let read = |p: &str| match p {
            "bad.mp3" => Ok(b"ID3 but nothing more".to_vec()),
            "a.wav" => Ok(crate::native::ambient::tests_wav(0.5)),
            "a.vtt" => Ok(b"WEBVTT\n\n00:00.000 --> 00:05.000\nmot\n".to_vec()),
            other => Err(format!("missing file \"{other}\"")),
        };
        let mut out = Output::default();
        let mut c = CardAudio::default();
        let msg = c
            .toggle("e", &recording("bad.mp3"), &read, &mut out)
            .unwrap();
        assert!(msg.contains("bad.mp3"), "{msg}");
        assert!(!c.any_playing());
        assert_eq!(c.toggle("e", &recording("a.wav"), &read, &mut out), None);
        assert!(c.playing.is_some());
        c.keep_only(Some("e"));
        assert!(c.playing.is_some(), "stopped while its card is open");
        c.keep_only(Some("other"));
        assert!(c.playing.is_none() && !c.any_playing() && c.caption().is_empty());
    }
}
