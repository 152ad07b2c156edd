//! Render scale while the view moves: frames drawn during a drag or inertia may use fewer
//! pixels when the device is slow at full resolution (as `<model-viewer>` does), and the frame
//! after the view settles is always sharp. Platform-free: fed with frame times by the shells'
//! common glue, which applies the scale (the web shell shrinks the canvas's drawing buffer and
//! lets the browser stretch it).

/// The smallest scale (a quarter of the pixels), as `<model-viewer>`'s default minimum.
pub const MIN_SCALE: f32 = 0.5;

/// Frame time the moving view aims at (45 frames per second).
pub const BUDGET_SECONDS: f64 = 1.0 / 45.0;

/// Steps between scales: each step changes the pixel count by about a third.
const STEP: f32 = 0.8;

/// Frames between two changes of scale.
const SETTLE_FRAMES: u32 = 4;

/// Longer between two moving frames is a pause, not a frame's cost.
const MAX_FRAME_SECONDS: f64 = 1.5;

/// The render-scale governor.
#[derive(Debug, Clone)]
pub struct RenderScale {
    scale: f32,
    enabled: bool,
    average: Option<f64>,
    last: Option<f64>,
    frames: u32,
}

impl Default for RenderScale {
    fn default() -> Self {
        RenderScale {
            scale: 1.0,
            enabled: true,
            average: None,
            last: None,
            frames: 0,
        }
    }
}

impl RenderScale {
    /// A governor starting at full resolution.
    pub fn new() -> RenderScale {
        RenderScale::default()
    }

    /// A governor that is off (always 1) until [`RenderScale::set_enabled`].
    pub fn disabled() -> RenderScale {
        RenderScale {
            enabled: false,
            ..RenderScale::default()
        }
    }

    /// Turns the governor on or off (off: always 1).
    pub fn set_enabled(&mut self, on: bool) {
        self.enabled = on;
        if !on {
            self.scale = 1.0;
        }
    }

    /// The scale the moving view has reached (what the next moving frame uses).
    pub fn moving_scale(&self) -> f32 {
        self.scale
    }

    /// The scale of the frame drawn at `time` (seconds): 1 unless `moving` (the view changed
    /// since the previous frame). Moving frames in a row measure the frame time; when it stays
    /// over the budget the scale steps down, when well under it steps back up.
    pub fn frame(&mut self, time: f64, moving: bool) -> f32 {
        if !moving || !self.enabled {
            self.last = None;
            self.average = None;
            return 1.0;
        }
        if let Some(last) = self.last {
            let dt = time - last;
            // A gap (the tab was hidden, the loop paused) says nothing about the frame cost; a
            // slow device's frames (a quarter of a second and more) do.
            if dt > 0.0 && dt < MAX_FRAME_SECONDS {
                let avg = self.average.map_or(dt, |a| a * 0.7 + dt * 0.3);
                self.average = Some(avg);
                self.frames += 1;
                // Far over the budget: straight down by what the pixel count must lose, not
                // one step at a time (each step waits for frames that take long).
                let settle = if avg > BUDGET_SECONDS * 2.0 {
                    2
                } else {
                    SETTLE_FRAMES
                };
                if self.frames >= settle {
                    if avg > BUDGET_SECONDS * 1.15 && self.scale > MIN_SCALE {
                        let by = ((BUDGET_SECONDS / avg).sqrt() as f32).min(STEP);
                        self.scale = (self.scale * by).max(MIN_SCALE);
                        self.frames = 0;
                        self.average = None;
                    } else if avg < BUDGET_SECONDS * 0.6 && self.scale < 1.0 {
                        self.scale = (self.scale / STEP).min(1.0);
                        self.frames = 0;
                        self.average = None;
                    }
                }
            }
        }
        self.last = Some(time);
        self.scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drives `n` moving frames `dt` apart from `t`; returns the last scale and time.
    fn run(s: &mut RenderScale, mut t: f64, dt: f64, n: usize) -> (f32, f64) {
        let mut scale = 1.0;
        for _ in 0..n {
            t += dt;
            scale = s.frame(t, true);
        }
        (scale, t)
    }

    #[test]
    fn slow_frames_lower_the_scale_down_to_the_minimum() {
        let mut s = RenderScale::new();
        let (scale, t) = run(&mut s, 0.0, 0.05, 10);
        assert!(scale < 1.0, "{scale}");
        let (scale, _) = run(&mut s, t, 0.05, 100);
        assert_eq!(scale, MIN_SCALE);
    }

    #[test]
    fn very_slow_frames_lower_the_scale_at_once() {
        // A software GPU or an old phone: 400 ms a frame. Two frames measure it; the third
        // is drawn at the smallest scale.
        let mut s = RenderScale::new();
        let (scale, _) = run(&mut s, 0.0, 0.4, 3);
        assert_eq!(scale, MIN_SCALE);
        // A pause longer than a frame can take says nothing.
        let mut s = RenderScale::new();
        s.frame(0.0, true);
        assert_eq!(s.frame(3.0, true), 1.0);
    }

    #[test]
    fn fast_frames_stay_sharp_and_recover() {
        let mut s = RenderScale::new();
        let (scale, t) = run(&mut s, 0.0, 1.0 / 60.0, 100);
        assert_eq!(scale, 1.0);
        let (low, t) = run(&mut s, t, 0.05, 100);
        assert_eq!(low, MIN_SCALE);
        let (scale, _) = run(&mut s, t, 0.008, 100);
        assert_eq!(scale, 1.0);
    }

    #[test]
    fn a_settled_view_is_always_sharp_and_the_scale_is_remembered() {
        let mut s = RenderScale::new();
        let (low, t) = run(&mut s, 0.0, 0.05, 100);
        assert_eq!(low, MIN_SCALE);
        assert_eq!(s.frame(t + 0.05, false), 1.0);
        // The next drag starts at the scale learnt, without waiting to measure again.
        assert_eq!(s.frame(t + 5.0, true), MIN_SCALE);
        // A pause between frames is not a slow frame.
        let mut fresh = RenderScale::new();
        fresh.frame(0.0, true);
        assert_eq!(run(&mut fresh, 0.0, 2.0, 20).0, 1.0);
        fresh.set_enabled(false);
        assert_eq!(run(&mut fresh, 30.0, 0.1, 20).0, 1.0);
    }
}
