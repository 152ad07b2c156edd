//! Ambient sound natively: the track of the scene on screen and the sounds of its hotspots (as
//! the visit core says; a hotspot's from where it sits, through rodio's spatial sink), looped,
//! faded in when their scene comes and out when it goes, lowered while a narration or a card's
//! recording plays. The fades run on the audio thread, so they are smooth however seldom the
//! window redraws.

use super::audio::Output;
use disan_tour::visit::{AmbientSound, PlacedSound};
use rodio::Source;
use std::collections::HashMap;
use std::io::Cursor;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Seconds a track takes to fade from silence to its volume, or back.
pub const FADE_SECONDS: f32 = 0.8;
/// Share of its volume a track keeps while other sound plays.
pub const DUCK: f32 = 0.2;
/// How often the audio thread moves the gain towards its target.
const STEP: Duration = Duration::from_millis(20);

/// A playing track: its sink and the gain its audio thread follows (`f32` bits).
struct Track {
    src: String,
    volume: f32,
    sink: rodio::Sink,
    target: Arc<AtomicU32>,
    /// Where the gain stands now, as the audio thread last set it.
    gain: Arc<AtomicU32>,
}

impl Track {
    fn aim(&self, gain: f32) {
        self.target.store(gain.to_bits(), Ordering::Relaxed);
    }
}

/// The listener's ears, in its own space (x right): a head's width apart.
const EARS: [[f32; 3]; 2] = [[-0.1, 0.0, 0.0], [0.1, 0.0, 0.0]];

/// A hotspot's sound: where it plays from, and its fade.
struct Placed {
    src: String,
    sink: rodio::SpatialSink,
    target: Arc<AtomicU32>,
    gain: Arc<AtomicU32>,
}

/// The ambient sound of the visit.
#[derive(Default)]
pub struct Ambient {
    current: Option<Track>,
    /// The hotspots' sounds, by hotspot index.
    placed: HashMap<usize, Placed>,
    /// Hotspot sounds fading out, stopped once silent.
    placed_leaving: Vec<Placed>,
    /// Hotspot sound files that failed (not tried again while their scene is on screen).
    placed_failed: Vec<String>,
    /// Tracks fading out, stopped once silent.
    leaving: Vec<Track>,
    /// The track that failed to play (not tried again until another is wanted).
    failed: Option<String>,
}

/// A looping decoded track whose gain follows `target` over [`FADE_SECONDS`] (reported in
/// `gain`), from silence.
fn looped(
    bytes: Vec<u8>,
    file: &str,
    target: Arc<AtomicU32>,
    gain: Arc<AtomicU32>,
) -> Result<impl Source + Send + 'static, String> {
    let decoder = rodio::Decoder::new_looped(Cursor::new(bytes))
        .map_err(|e| format!("{file}: the ambient sound does not decode: {e}"))?;
    let per_step = STEP.as_secs_f32() / FADE_SECONDS;
    let mut now = 0.0f32;
    Ok(decoder.amplify(0.0).periodic_access(STEP, move |s| {
        let goal = f32::from_bits(target.load(Ordering::Relaxed));
        now = if now < goal {
            (now + per_step).min(goal)
        } else {
            (now - per_step).max(goal)
        };
        s.set_factor(now);
        gain.store(now.to_bits(), Ordering::Relaxed);
    }))
}

/// Keeps the fading tracks of `v` that still sound; `stop`s and drops the silent ones.
fn retain_sounding<T>(v: &mut Vec<T>, gain: impl Fn(&T) -> &AtomicU32, stop: impl Fn(&T)) {
    v.retain(|t| {
        let silent = f32::from_bits(gain(t).load(Ordering::Relaxed)) <= 0.0;
        if silent {
            stop(t);
        }
        !silent
    });
}

impl Ambient {
    /// Follows the visit: `want` the track it asks for (none: silence), `ducked` while other
    /// sound plays; tracks are read through `read` (a path in the tour folder) and played into
    /// `out`. Returns a message when a track cannot be played (the visit goes on in silence).
    pub fn sync(
        &mut self,
        want: Option<&AmbientSound>,
        ducked: bool,
        read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
        out: &mut Output,
    ) -> Option<String> {
        retain_sounding(&mut self.leaving, |t| &t.gain, |t| t.sink.stop());
        if self.current.as_ref().map(|t| &t.src) != want.map(|w| &w.src) {
            if let Some(t) = self.current.take() {
                t.aim(0.0);
                self.leaving.push(t);
            }
        }
        let mut problem = None;
        if let Some(w) = want {
            if self.current.is_none() && self.failed.as_ref() != Some(&w.src) {
                match self.start(w, read, out) {
                    Ok(t) => self.current = t,
                    Err(e) => {
                        self.failed = Some(w.src.clone());
                        problem = Some(e);
                    }
                }
            }
        } else {
            self.failed = None;
        }
        if let (Some(t), Some(w)) = (&mut self.current, want) {
            t.volume = w.volume;
            t.aim(if ducked { w.volume * DUCK } else { w.volume });
        }
        problem
    }

    /// Starts `w` (`None`: no audio device, nothing to play).
    fn start(
        &self,
        w: &AmbientSound,
        read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
        out: &mut Output,
    ) -> Result<Option<Track>, String> {
        let bytes = read(&w.src)?;
        let target = Arc::new(AtomicU32::new(w.volume.to_bits()));
        let gain = Arc::new(AtomicU32::new(0f32.to_bits()));
        let source = looped(bytes, &w.src, target.clone(), gain.clone())?;
        let Some(mixer) = out.mixer() else {
            return Ok(None);
        };
        let sink = rodio::Sink::connect_new(mixer);
        sink.append(source);
        Ok(Some(Track {
            src: w.src.clone(),
            volume: w.volume,
            sink,
            target,
            gain,
        }))
    }

    /// Follows the hotspots' sounds of the scene on screen (`sounds`, the visit core's
    /// `placed_sounds`): new ones start (read through `read`), gone ones fade out, each is heard
    /// from its position, lowered while `ducked`. Returns a message for a file that does not
    /// play (said once).
    pub fn place(
        &mut self,
        sounds: &[PlacedSound],
        ducked: bool,
        read: &dyn Fn(&str) -> Result<Vec<u8>, String>,
        out: &mut Output,
    ) -> Option<String> {
        retain_sounding(&mut self.placed_leaving, |p| &p.gain, |p| p.sink.stop());
        if sounds.is_empty() {
            self.placed_failed.clear();
        }
        let mut problem = None;
        let gone: Vec<usize> = self
            .placed
            .iter()
            .filter(|(k, p)| !sounds.iter().any(|s| s.hotspot == **k && s.src == p.src))
            .map(|(k, _)| *k)
            .collect();
        for k in gone {
            if let Some(p) = self.placed.remove(&k) {
                p.target.store(0f32.to_bits(), Ordering::Relaxed);
                self.placed_leaving.push(p);
            }
        }
        for s in sounds {
            let level = if ducked { s.volume * DUCK } else { s.volume };
            if let Some(p) = self.placed.get(&s.hotspot) {
                p.sink.set_emitter_position(s.position);
                p.target.store(level.to_bits(), Ordering::Relaxed);
                continue;
            }
            if self.placed_failed.contains(&s.src) {
                continue;
            }
            let target = Arc::new(AtomicU32::new(level.to_bits()));
            let gain = Arc::new(AtomicU32::new(0f32.to_bits()));
            let source =
                match read(&s.src).and_then(|b| looped(b, &s.src, target.clone(), gain.clone())) {
                    Ok(source) => source,
                    Err(e) => {
                        self.placed_failed.push(s.src.clone());
                        problem = Some(e);
                        continue;
                    }
                };
            let Some(mixer) = out.mixer() else { continue };
            let sink = rodio::SpatialSink::connect_new(mixer, s.position, EARS[0], EARS[1]);
            sink.append(source);
            self.placed.insert(
                s.hotspot,
                Placed {
                    src: s.src.clone(),
                    sink,
                    target,
                    gain,
                },
            );
        }
        problem
    }

    /// The hotspots whose sounds play.
    pub fn placed(&self) -> Vec<usize> {
        let mut k: Vec<usize> = self.placed.keys().copied().collect();
        k.sort_unstable();
        k
    }

    /// The track playing (fading in or at its level), if any.
    pub fn playing(&self) -> Option<&str> {
        self.current.as_ref().map(|t| t.src.as_str())
    }

    /// True while a fade is under way (the window keeps waking to finish it).
    pub fn fading(&self) -> bool {
        !self.leaving.is_empty()
            || self.current.as_ref().is_some_and(|t| {
                f32::from_bits(t.gain.load(Ordering::Relaxed))
                    != f32::from_bits(t.target.load(Ordering::Relaxed))
            })
    }
}

/// A mono 16-bit WAV of `seconds` of a tone, for the native audio tests.
#[cfg(test)]
pub fn tests_wav(seconds: f32) -> Vec<u8> {
    tests::wav(seconds)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A mono 16-bit WAV of `seconds` of a tone.
    pub(super) fn wav(seconds: f32) -> Vec<u8> {
        let rate = 8000u32;
        let n = (rate as f32 * seconds) as u32;
        let mut out = Vec::new();
        out.extend(b"RIFF");
        out.extend((36 + n * 2).to_le_bytes());
        out.extend(b"WAVEfmt ");
        out.extend(16u32.to_le_bytes());
        out.extend(1u16.to_le_bytes());
        out.extend(1u16.to_le_bytes());
        out.extend(rate.to_le_bytes());
        out.extend((rate * 2).to_le_bytes());
        out.extend(2u16.to_le_bytes());
        out.extend(16u16.to_le_bytes());
        out.extend(b"data");
        out.extend((n * 2).to_le_bytes());
        for i in 0..n {
            let v =
                ((i as f32 / rate as f32 * 220.0 * std::f32::consts::TAU).sin() * 8000.0) as i16;
            out.extend(v.to_le_bytes());
        }
        out
    }

    /// The looped source loops, and its gain rises from silence to the target over the fade,
    /// then falls back to silence when the target is 0 — measured on the samples themselves,
    /// without an audio device.
    #[test]
    fn a_track_loops_and_fades_in_and_out_on_its_own_clock() {
        let target = Arc::new(AtomicU32::new(1f32.to_bits()));
        let gain = Arc::new(AtomicU32::new(0));
        let mut s = looped(wav(0.25), "a.wav", target.clone(), gain.clone()).unwrap();
        let rate = s.sample_rate() as usize;
        let peak = |s: &mut dyn Iterator<Item = f32>, n: usize| {
            s.take(n).fold(0f32, |m, x| m.max(x.abs()))
        };
        // The first 50 ms: quiet, fading in.
        let first = peak(&mut s, rate / 20);
        // After the fade (2 s: past the 0.25 s file, so it looped): full level.
        let _ = peak(&mut s, rate * 2);
        let full = peak(&mut s, rate / 10);
        assert!(full > 0.2, "no sound after the fade: {full}");
        assert!(first < full * 0.2, "no fade in: {first} against {full}");
        assert!((f32::from_bits(gain.load(Ordering::Relaxed)) - 1.0).abs() < 1e-6);
        target.store(0f32.to_bits(), Ordering::Relaxed);
        let _ = peak(&mut s, rate * 2);
        assert_eq!(
            peak(&mut s, rate / 10),
            0.0,
            "not silent after the fade out"
        );
        assert_eq!(f32::from_bits(gain.load(Ordering::Relaxed)), 0.0);
    }

    /// A hotspot's sound that does not decode is a message naming it, given once; one gone
    /// from the list is let go.
    #[test]
    fn a_hotspot_sound_that_does_not_decode_is_one_message() {
        let mut a = Ambient::default();
        let mut out = Output::default();
        let read = |p: &str| match p {
            "gong.wav" => Ok(wav(0.3)),
            _ => Ok(b"not audio".to_vec()),
        };
        let bad = PlacedSound {
            hotspot: 1,
            src: "bad.mp3".into(),
            volume: 1.0,
            position: [1.0, 0.0, 0.0],
        };
        let good = PlacedSound {
            hotspot: 0,
            src: "gong.wav".into(),
            ..bad.clone()
        };
        let msg = a.place(&[good.clone(), bad.clone()], false, &read, &mut out);
        assert!(msg.unwrap().contains("bad.mp3"));
        assert_eq!(
            a.place(&[good, bad], false, &read, &mut out),
            None,
            "said twice"
        );
        assert!(!a.placed().contains(&1));
        a.place(&[], false, &read, &mut out);
        assert!(
            a.placed().is_empty(),
            "a sound gone from the scene plays on"
        );
    }

    /// A file that is not audio is a message naming it, given once; the visit goes on.
    #[test]
    fn a_track_that_does_not_decode_is_one_message() {
        let mut a = Ambient::default();
        let mut out = Output::default();
        let read = |p: &str| match p {
            "bad.mp3" => Ok(b"not audio at all".to_vec()),
            other => Err(format!("missing file \"{other}\"")),
        };
        let want = AmbientSound {
            src: "bad.mp3".into(),
            volume: 0.5,
        };
        let msg = a.sync(Some(&want), false, &read, &mut out).unwrap();
        assert!(
            msg.contains("bad.mp3: the ambient sound does not decode"),
            "{msg}"
        );
        assert_eq!(
            a.sync(Some(&want), false, &read, &mut out),
            None,
            "said twice"
        );
        assert_eq!(a.playing(), None);
        let gone = AmbientSound {
            src: "gone.ogg".into(),
            volume: 0.5,
        };
        assert!(a
            .sync(Some(&gone), false, &read, &mut out)
            .unwrap()
            .contains("gone.ogg"));
    }
}
