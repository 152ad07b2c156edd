//! What the visit sounds like: the ambient track of the scene on screen and the visitor's one
//! sound control. The shells play it (Web Audio on the web, rodio natively), fading from one
//! scene's track to the next; the web also waits for a visitor's gesture before any sound.

use super::Visit;

/// The ambient track to play now.
#[derive(Debug, Clone, PartialEq)]
pub struct AmbientSound {
    /// Audio file as the tour writes it (relative to the tour folder).
    pub src: String,
    /// Loudness, 0 to 1.
    pub volume: f32,
}

impl Visit {
    /// The visitor's sound control: on, or muted.
    pub fn set_sound(&mut self, on: bool) {
        self.sound_on = on;
    }

    /// True unless the visitor muted the sound.
    pub fn sound_on(&self) -> bool {
        self.sound_on
    }

    /// The ambient track of the scene on screen (none while muted, between scenes, or in a
    /// scene without one). A track shared by two scenes in a row plays on.
    pub fn ambient(&self) -> Option<AmbientSound> {
        if !self.sound_on {
            return None;
        }
        let scene = self.shown.as_ref().map(|s| &self.tour.scenes[s.scene])?;
        let a = scene.ambient.as_ref()?;
        Some(AmbientSound {
            src: a.src.clone(),
            volume: if a.volume.is_finite() {
                a.volume.clamp(0.0, 1.0)
            } else {
                0.5
            },
        })
    }
}
