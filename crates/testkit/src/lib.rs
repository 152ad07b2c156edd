//! Helpers shared by Disan's tests, written once: CRC-32 and PNG chunks for crafted images
//! ([`mod@png`]), raw GLB chunks for containers `disan_assets::model::pack_glb` would never
//! write ([`glb`]), the golden tests' image comparison with its `*.actual.png` / `*.diff.png` on
//! failure ([`mod@compare`]), and an X server for the window tests ([`xvfb`]). Depends on `image`
//! and std only, so any crate of the workspace can take it as a dev-dependency.

pub mod compare;
pub mod glb;
pub mod png;
pub mod xvfb;

pub use compare::{
    check_golden, compare, mean_difference, read_png, save_png, Comparison, GOLDEN_MAX_BAD,
    GOLDEN_MAX_MEAN, GOLDEN_THRESHOLD,
};
pub use glb::{glb_chunks, GLB_BIN, GLB_JSON};
pub use png::{crc32, ihdr, png, png_chunk, png_header, PNG_SIGNATURE};
pub use xvfb::{tool, Kill, Xvfb};
