//! Guided-tour narration natively: the step's audio in the visit's language (rodio), paused and
//! resumed with the tour, and its WebVTT captions shown by the player. Without an audio device
//! (a kiosk with its sound off, a test machine) the captions still run, timed by the clock.

use super::audio::Output;
use disan_tour::visit::GuideState;
use disan_tour::vtt::{self, Cue};
use std::time::{Duration, Instant};

/// The narration of the step on screen.
pub struct Narration {
    sink: Option<rodio::Sink>,
    /// The step it was started for: tour, step, audio and captions files.
    key: String,
    cues: Vec<Cue>,
    /// Without a sink: seconds played before the last pause, and since when it plays.
    played: Duration,
    since: Option<Instant>,
}

/// A step's narration audio decoded and ready to play (`file` names it in errors).
pub fn decode(
    bytes: Vec<u8>,
    file: &str,
) -> Result<rodio::Decoder<std::io::Cursor<Vec<u8>>>, String> {
    rodio::Decoder::try_from(std::io::Cursor::new(bytes))
        .map_err(|e| format!("{file}: the narration does not decode: {e}"))
}

impl Default for Narration {
    fn default() -> Self {
        Narration {
            sink: None,
            key: String::new(),
            cues: Vec::new(),
            played: Duration::ZERO,
            since: None,
        }
    }
}

impl Narration {
    /// Follows the player: a new step starts its audio (into `out`) and captions (read through
    /// `read`, a path in the tour folder), a paused tour pauses them, no tour stops them.
    /// Returns a message when a file cannot be played (the tour goes on without it).
    pub fn sync(
        &mut self,
        guide: Option<&GuideState>,
        read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
        out: &mut Output,
    ) -> Option<String> {
        let key = guide.map_or(String::new(), |g| {
            format!(
                "{}/{}/{}/{}",
                g.tour,
                g.step,
                g.audio.as_deref().unwrap_or(""),
                g.captions.as_deref().unwrap_or("")
            )
        });
        let mut problem = None;
        if key != self.key {
            self.key = key;
            self.stop();
            if let Some(g) = guide {
                if let Some(c) = &g.captions {
                    match read(c).and_then(|b| vtt::parse(&String::from_utf8_lossy(&b), c)) {
                        Ok(cues) => self.cues = cues,
                        Err(e) => problem = Some(e),
                    }
                }
                if let Some(a) = &g.audio {
                    match read(a).and_then(|b| decode(b, a)) {
                        Ok(source) => {
                            if let Some(mixer) = out.mixer() {
                                let sink = rodio::Sink::connect_new(mixer);
                                sink.append(source);
                                sink.pause();
                                self.sink = Some(sink);
                            }
                        }
                        Err(e) => problem = Some(e),
                    }
                }
            }
        }
        // The narration starts once the step's scene is on screen, not while it loads.
        let playing = guide.is_some_and(|g| g.playing && g.shown);
        match &self.sink {
            Some(s) if playing && s.is_paused() => s.play(),
            Some(s) if !playing && !s.is_paused() => s.pause(),
            _ => {}
        }
        match (playing, self.since) {
            (true, None) => self.since = Some(Instant::now()),
            (false, Some(t)) => {
                self.played += t.elapsed();
                self.since = None;
            }
            _ => {}
        }
        problem
    }

    /// Seconds of the narration played.
    pub fn position(&self) -> f64 {
        match &self.sink {
            Some(s) => s.get_pos().as_secs_f64(),
            None => {
                (self.played + self.since.map_or(Duration::ZERO, |t| t.elapsed())).as_secs_f64()
            }
        }
    }

    /// The caption showing now, or "".
    pub fn caption(&self) -> String {
        vtt::at(&self.cues, self.position())
    }

    /// True while narration plays (audio or captions): the player is redrawn for it.
    pub fn running(&self) -> bool {
        self.since.is_some() && (self.sink.is_some() || !self.cues.is_empty())
    }

    /// True while captions are to be shown (the step has some).
    pub fn has_captions(&self) -> bool {
        !self.cues.is_empty()
    }

    fn stop(&mut self) {
        if let Some(s) = self.sink.take() {
            s.stop();
        }
        self.cues.clear();
        self.played = Duration::ZERO;
        self.since = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::native::ambient::tests_wav as wav;

    #[test]
    fn a_step_decodes_its_audio_and_times_its_captions() {
        use rodio::Source;
        let d = decode(wav(1.5), "a.wav").unwrap();
        let total = d.total_duration().map(|t| t.as_secs_f32()).unwrap_or(0.0);
        assert!((total - 1.5).abs() < 0.05, "{total}");
        match decode(b"not audio".to_vec(), "x.mp3") {
            Err(e) => assert!(e.contains("x.mp3: the narration does not decode"), "{e}"),
            Ok(_) => panic!("text decoded as audio"),
        }

        let vtt = "WEBVTT\n\n00:00.000 --> 00:00.200\nmột\n\n00:00.200 --> 00:10.000\nhai\n";
        let read = |p: &str| match p {
            "a.wav" => Ok(wav(1.5)),
            "a.vtt" => Ok(vtt.as_bytes().to_vec()),
            other => Err(format!("missing file \"{other}\"")),
        };
        let mut g = GuideState {
            tour: "t".into(),
            title: String::new(),
            step: 0,
            count: 2,
            playing: false,
            away: false,
            duration: None,
            elapsed: 0.0,
            narration: String::new(),
            audio: Some("a.wav".into()),
            captions: Some("a.vtt".into()),
            steps: Vec::new(),
            attract: false,
            shown: false,
        };
        let mut n = Narration::default();
        let out = &mut Output::default();
        assert_eq!(n.sync(Some(&g), &read, out), None);
        assert!(n.has_captions());
        assert_eq!(n.caption(), "một", "paused at the start: the first cue");
        // Playing, but the step's scene still loads: the narration waits for it.
        g.playing = true;
        n.sync(Some(&g), &read, out);
        std::thread::sleep(Duration::from_millis(150));
        assert_eq!(n.position(), 0.0, "the narration started before its scene");
        g.shown = true;
        n.sync(Some(&g), &read, out);
        std::thread::sleep(Duration::from_millis(400));
        // With a device the sink's clock runs, without one the wall clock does.
        let t = n.position();
        assert!(t > 0.2, "the narration plays ({t} s)");
        assert_eq!(n.caption(), "hai");
        // A missing file is a message; the next step starts afresh.
        g.step = 1;
        g.captions = Some("gone.vtt".into());
        assert!(n.sync(Some(&g), &read, out).unwrap().contains("gone.vtt"));
        assert!(!n.has_captions());
        n.sync(None, &read, out);
        assert_eq!(n.position(), 0.0);
    }
}
