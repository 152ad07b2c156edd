//! What the visit sounds like: the ambient track of the scene on screen, the sounds its hotspots
//! give from where they sit, and the visitor's one sound control. The shells play it (Web Audio
//! on the web, rodio natively), fading from one scene's sounds to the next; the web also waits
//! for a visitor's gesture before any sound.

use super::overlay::Spot;
use super::Visit;
use crate::camera::direction_from_yaw_pitch;

/// A hotspot's sound, placed around the listener.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedSound {
    /// Index of the hotspot in the scene (the sound's identity while the scene is shown).
    pub hotspot: usize,
    /// Audio file as the tour writes it.
    pub src: String,
    /// Loudness, 0 to 1.
    pub volume: f32,
    /// Where it is heard from, in the listener's space (Web Audio's: x right, y up, the view
    /// looking down -z). Panoramas: a unit direction (turning changes the side, not the
    /// loudness). Objects: the point on the model, in units of the model's radius, so a sound
    /// grows louder as the visitor comes closer.
    pub position: [f32; 3],
}

/// A volume as the shells play it: 0 to 1 (0.5 for a value that is not a number).
fn loudness(v: f32) -> f32 {
    if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.5
    }
}

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

    /// True when the tour has any sound to control (an ambient track or a hotspot's sound):
    /// the shells show the sound control only then.
    pub fn has_sound(&self) -> bool {
        self.tour
            .scenes
            .iter()
            .any(|s| s.ambient.is_some() || s.hotspots.iter().any(|h| h.sound.is_some()))
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
            volume: loudness(a.volume),
        })
    }

    /// The sounds of the hotspots of the scene on screen, where the listener hears them now
    /// (none while muted or between scenes).
    pub fn placed_sounds(&self) -> Vec<PlacedSound> {
        let (Some(shown), true) = (self.shown.as_ref(), self.sound_on) else {
            return Vec::new();
        };
        let scene = &self.tour.scenes[shown.scene];
        let p = self.projection();
        let radius = shown
            .model
            .as_ref()
            .map_or(1.0, |(_, b)| b.radius().max(1e-6));
        scene
            .hotspots
            .iter()
            .enumerate()
            .filter_map(|(hotspot, h)| {
                let s = h.sound.as_ref()?;
                let position = match Spot::of(h) {
                    Spot::Direction { yaw, pitch } => p
                        .view
                        .transform_vector3(direction_from_yaw_pitch(yaw, pitch))
                        .normalize_or_zero(),
                    Spot::Surface { position, .. } => p.view.transform_point3(position) / radius,
                };
                Some(PlacedSound {
                    hotspot,
                    src: s.src.clone(),
                    volume: loudness(s.volume),
                    position: position.to_array(),
                })
            })
            .collect()
    }
}
