//! Disan's shells: the shared app loop, the native (winit) viewer and commands, and the web (wasm-bindgen) engine.

pub mod app;
#[cfg(not(target_arch = "wasm32"))]
pub mod native;
#[cfg(target_arch = "wasm32")]
pub mod web;
