//! Guided tours (named, ordered steps with narration) and how a museum kiosk runs a tour.

use super::View;
use crate::text::LangText;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A guided tour: named, ordered steps, each showing a scene from a view with narration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuidedTour {
    /// Unique id, used by links (`#step=<id>/<n>`) and the API.
    pub id: String,
    /// Name shown in the player and the tour list.
    #[serde(default)]
    pub title: LangText,
    /// The steps, in order.
    pub steps: Vec<TourStep>,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One step of a guided tour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TourStep {
    /// Scene shown (entered with the usual cross-fade when it is another scene).
    pub scene: String,
    /// View flown to; the scene's own view when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<View>,
    /// Id of an info hotspot of the scene whose card opens during the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotspot: Option<String>,
    /// Short title of the step (the step list); the scene's title when empty.
    #[serde(default)]
    pub title: LangText,
    /// Narration text, per language.
    #[serde(default)]
    pub narration: LangText,
    /// Narration audio file per language, relative to the tour folder.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub audio: std::collections::BTreeMap<String, String>,
    /// WebVTT captions of the audio, per language.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub captions: std::collections::BTreeMap<String, String>,
    /// Seconds the step lasts once its scene is on screen; it waits for the visitor when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f32>,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// How a kiosk runs the tour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kiosk {
    /// Seconds without a touch before the kiosk returns to its start and plays the attract loop.
    #[serde(default = "default_idle_seconds")]
    pub idle_seconds: f32,
    /// Guided tour played in a loop while nobody touches the kiosk; when absent the kiosk turns
    /// slowly through the scenes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attract: Option<String>,
    /// Degrees per second of the attract rotation.
    #[serde(default = "default_kiosk_rotation")]
    pub autorotate: f32,
    /// Seconds each scene is shown by the attract rotation.
    #[serde(default = "default_scene_seconds")]
    pub scene_seconds: f32,
    /// Language the kiosk returns to; the tour's first language when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Scene the kiosk returns to; the tour's start scene when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_scene: Option<String>,
    /// The key chord that leaves the kiosk (native), e.g. `"Ctrl+Alt+Q"`.
    #[serde(default = "default_exit_keys")]
    pub exit_keys: String,
    /// The inspection tools (measure, raking light, clay, section) are offered on the kiosk.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inspection: bool,
    /// Fields this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn default_idle_seconds() -> f32 {
    90.0
}
fn default_kiosk_rotation() -> f32 {
    4.0
}
fn default_scene_seconds() -> f32 {
    30.0
}
fn default_exit_keys() -> String {
    "Ctrl+Alt+Q".into()
}

impl Default for Kiosk {
    fn default() -> Self {
        Kiosk {
            idle_seconds: default_idle_seconds(),
            attract: None,
            autorotate: default_kiosk_rotation(),
            scene_seconds: default_scene_seconds(),
            language: None,
            start_scene: None,
            exit_keys: default_exit_keys(),
            inspection: false,
            extra: Map::new(),
        }
    }
}
