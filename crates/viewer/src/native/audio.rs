//! The native audio output (rodio), opened once on first use and shared by the narration and
//! the ambient sound. Without an audio device (a kiosk with its sound off, a test machine) it
//! stays closed and every player goes on silently.

/// The default output device's stream, opened on the first call of [`Output::mixer`].
#[derive(Default)]
pub struct Output(Option<Result<rodio::OutputStream, String>>);

impl Output {
    /// The mixer to play into; `None` without a device (said once in the log).
    pub fn mixer(&mut self) -> Option<&rodio::mixer::Mixer> {
        let out = self.0.get_or_insert_with(|| {
            let opened = rodio::OutputStreamBuilder::open_default_stream()
                .map(|mut s| {
                    s.log_on_drop(false);
                    s
                })
                .map_err(|e| e.to_string());
            if let Err(e) = &opened {
                log::warn!("no audio output ({e}): sound is off, captions still run");
            }
            opened
        });
        out.as_ref().ok().map(|s| s.mixer())
    }
}
