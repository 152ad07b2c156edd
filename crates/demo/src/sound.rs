//! The demo's ambient sound: the inner sanctuary's bell and wind, synthesised (no recording),
//! written as a mono 16-bit WAV that loops without a seam: every partial has a whole number of
//! cycles in the loop, and each bell strike's tail wraps around to its start.

use std::f32::consts::TAU;

/// Samples per second.
pub const RATE: u32 = 16_000;
/// Length of the loop, seconds.
pub const SECONDS: u32 = 8;

/// A bronze bell's partials: (frequency ratio, loudness, decay seconds), after the inharmonic
/// spectrum of a temple bell (hum, prime, tierce, quint, nominal).
const PARTIALS: [(f32, f32, f32); 5] = [
    (0.5, 0.55, 3.2),
    (1.0, 0.40, 2.4),
    (1.19, 0.30, 1.6),
    (1.5, 0.20, 1.2),
    (2.0, 0.18, 0.9),
];

/// The loop's samples in -1..1: a bell struck at 0 s (low) and 4 s (higher), over a soft wind
/// made of slow sinusoids (whole cycles per loop, so that the end meets the start).
pub fn ambient_samples() -> Vec<f32> {
    let n = (RATE * SECONDS) as usize;
    let period = SECONDS as f32;
    // Frequencies rounded to whole cycles in the loop.
    let whole = |f: f32| (f * period).round() / period;
    let strikes = [(0.0f32, 220.0f32), (4.0, 293.0)];
    let wind: Vec<(f32, f32, f32)> = (0..24)
        .map(|k| {
            let h = ((k as u32).wrapping_mul(2_654_435_761) >> 8) as f32 / (1u32 << 24) as f32;
            (whole(90.0 + 260.0 * h), 0.012 * (1.0 - h * 0.5), TAU * h)
        })
        .collect();
    (0..n)
        .map(|i| {
            let t = i as f32 / RATE as f32;
            let mut v = 0.0;
            for &(at, f0) in &strikes {
                // This loop's strike and the tail of the one before it.
                for dt in [t - at, t - at + period] {
                    if dt < 0.0 {
                        continue;
                    }
                    for &(ratio, amp, decay) in &PARTIALS {
                        let f = whole(f0 * ratio);
                        v += amp * (-dt / decay).exp() * (TAU * f * dt).sin();
                    }
                }
            }
            // The wind swells and falls twice a loop.
            let swell = 0.6 + 0.4 * (TAU * 2.0 * t / period).sin();
            for &(f, amp, phase) in &wind {
                v += swell * amp * (TAU * f * t + phase).sin();
            }
            (v * 0.5).clamp(-1.0, 1.0)
        })
        .collect()
}

/// Length of the drum's loop, seconds.
pub const DRUM_SECONDS: u32 = 4;

/// The bronze drum's beat, heard from the drum in its scene: a low struck bronze (inharmonic
/// partials over a falling thud) twice a loop, the second softer.
pub fn drum_samples() -> Vec<f32> {
    let n = (RATE * DRUM_SECONDS) as usize;
    let period = DRUM_SECONDS as f32;
    let hits = [(0.0f32, 1.0f32), (2.0, 0.6)];
    (0..n)
        .map(|i| {
            let t = i as f32 / RATE as f32;
            let mut v = 0.0;
            for &(at, amp) in &hits {
                for dt in [t - at, t - at + period] {
                    if dt < 0.0 {
                        continue;
                    }
                    // The thud: 70 Hz falling to 55 Hz as it dies away.
                    let f = 55.0 + 15.0 * (-dt / 0.15).exp();
                    v += amp * 0.7 * (-dt / 0.5).exp() * (TAU * f * dt).sin();
                    // The bronze's ring.
                    for &(ratio, a, decay) in &PARTIALS {
                        v += amp
                            * 0.35
                            * a
                            * (-dt / (decay * 0.4)).exp()
                            * (TAU * 180.0 * ratio * dt).sin();
                    }
                }
            }
            (v * 0.6).clamp(-1.0, 1.0)
        })
        .collect()
}

/// A mono 16-bit PCM WAV file of `samples` at [`RATE`].
pub fn wav(samples: &[f32]) -> Vec<u8> {
    let data = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data as usize);
    out.extend(b"RIFF");
    out.extend((36 + data).to_le_bytes());
    out.extend(b"WAVEfmt ");
    out.extend(16u32.to_le_bytes());
    out.extend(1u16.to_le_bytes()); // PCM
    out.extend(1u16.to_le_bytes()); // mono
    out.extend(RATE.to_le_bytes());
    out.extend((RATE * 2).to_le_bytes());
    out.extend(2u16.to_le_bytes());
    out.extend(16u16.to_le_bytes());
    out.extend(b"data");
    out.extend(data.to_le_bytes());
    for s in samples {
        out.extend(((s * 32767.0).round() as i16).to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loop is as long as said, audible, never clips, and its end meets its start (no click
    /// where it repeats: the step across the seam is no larger than steps inside it).
    #[test]
    fn the_ambient_loop_is_seamless() {
        let s = ambient_samples();
        assert_eq!(s.len(), (RATE * SECONDS) as usize);
        let peak = s.iter().fold(0f32, |m, x| m.max(x.abs()));
        assert!(peak > 0.2 && peak < 1.0, "peak {peak}");
        let largest_step = s
            .windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0f32, f32::max);
        let seam = (s[0] - s[s.len() - 1]).abs();
        assert!(
            seam <= largest_step,
            "seam {seam} against steps up to {largest_step}"
        );
        let d = drum_samples();
        assert_eq!(d.len(), (RATE * DRUM_SECONDS) as usize);
        let dpeak = d.iter().fold(0f32, |m, x| m.max(x.abs()));
        assert!(dpeak > 0.2 && dpeak < 1.0, "drum peak {dpeak}");
        let w = wav(&s);
        assert_eq!(&w[..4], b"RIFF");
        assert_eq!(w.len(), 44 + s.len() * 2);
    }
}
