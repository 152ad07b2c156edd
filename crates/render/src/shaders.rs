//! The WGSL passes of `shaders/` (embedded without comments, see build.rs) and how each is
//! assembled (WGSL has no includes): `common.wgsl` (helpers, no bindings) first, then
//! `frame.wgsl` (group 0: per-frame uniforms) for the scene passes only, then the pass itself.
//! Utility passes (compose, mipmaps, IBL) bind only their own groups, from group 0.

const COMMON: &str = include_str!(concat!(env!("OUT_DIR"), "/common.wgsl"));
const FRAME: &str = include_str!(concat!(env!("OUT_DIR"), "/frame.wgsl"));

/// One pass of `shaders/`: a constant a pass, so that a build embeds only the text of the passes
/// its code can reach (the panorama engines carry no mesh or IBL shader).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shader {
    /// File name in `shaders/`.
    file: &'static str,
    /// Its text, without comments.
    body: &'static str,
    /// Scene passes read the per-frame uniforms (group 0); utility passes do not.
    uses_frame: bool,
}

impl Shader {
    /// Equirectangular panorama, full-screen.
    pub(crate) const PANORAMA: Shader = Shader {
        file: "panorama.wgsl",
        body: include_str!(concat!(env!("OUT_DIR"), "/panorama.wgsl")),
        uses_frame: true,
    };
    /// Cube panorama tiles.
    pub(crate) const TILES: Shader = Shader {
        file: "tiles.wgsl",
        body: include_str!(concat!(env!("OUT_DIR"), "/tiles.wgsl")),
        uses_frame: true,
    };
    /// glTF meshes.
    pub(crate) const MESH: Shader = Shader {
        file: "mesh.wgsl",
        body: include_str!(concat!(env!("OUT_DIR"), "/mesh.wgsl")),
        uses_frame: true,
    };
    /// Hotspot markers.
    pub(crate) const MARKER: Shader = Shader {
        file: "marker.wgsl",
        body: include_str!(concat!(env!("OUT_DIR"), "/marker.wgsl")),
        uses_frame: true,
    };
    /// Scene texture to output, with the cross-fade.
    pub(crate) const COMPOSE: Shader = Shader {
        file: "compose.wgsl",
        body: include_str!(concat!(env!("OUT_DIR"), "/compose.wgsl")),
        uses_frame: false,
    };
    /// Mipmap downsampling.
    pub(crate) const MIPMAP: Shader = Shader {
        file: "mipmap.wgsl",
        body: include_str!(concat!(env!("OUT_DIR"), "/mipmap.wgsl")),
        uses_frame: false,
    };
    /// Environment preparation for image-based lighting.
    pub(crate) const IBL: Shader = Shader {
        file: "ibl.wgsl",
        body: include_str!(concat!(env!("OUT_DIR"), "/ibl.wgsl")),
        uses_frame: false,
    };

    /// Every pass.
    #[cfg(test)]
    pub(crate) const ALL: [Shader; 7] = [
        Shader::PANORAMA,
        Shader::TILES,
        Shader::MESH,
        Shader::MARKER,
        Shader::COMPOSE,
        Shader::MIPMAP,
        Shader::IBL,
    ];

    /// File name in `shaders/`.
    pub(crate) fn file(self) -> &'static str {
        self.file
    }

    /// The complete WGSL source, preludes included.
    pub(crate) fn source(self) -> String {
        if self.uses_frame {
            format!("{COMMON}\n{FRAME}\n{}", self.body)
        } else {
            format!("{COMMON}\n{}", self.body)
        }
    }

    /// The shader module.
    pub(crate) fn module(self, device: &wgpu::Device) -> wgpu::ShaderModule {
        device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some(self.file()),
            source: wgpu::ShaderSource::Wgsl(self.source().into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses and validates WGSL the way wgpu does before making a module.
    fn validate(name: &str, source: &str) -> Result<(), String> {
        let module = naga::front::wgsl::parse_str(source)
            .map_err(|e| format!("{name}: {}", e.emit_to_string_with_path(source, name)))?;
        naga::valid::Validator::new(
            naga::valid::ValidationFlags::all(),
            // No optional capability: what the WebGL2 fallback offers.
            naga::valid::Capabilities::empty(),
        )
        .validate(&module)
        .map_err(|e| format!("{name}: {}", e.emit_to_string_with_path(source, name)))?;
        Ok(())
    }

    #[test]
    fn every_shader_parses_and_validates() {
        let mut errors = Vec::new();
        // The preludes alone (they must stand on their own too).
        let preludes = [
            ("common.wgsl", COMMON.to_string()),
            ("frame.wgsl", format!("{COMMON}\n{FRAME}")),
        ];
        for (name, source) in &preludes {
            errors.extend(validate(name, source).err());
        }
        for shader in Shader::ALL {
            errors.extend(validate(shader.file(), &shader.source()).err());
        }
        assert!(errors.is_empty(), "{}", errors.join("\n\n"));
    }

    #[test]
    fn every_file_is_a_known_pass() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shaders");
        let known: Vec<&str> = Shader::ALL.iter().map(|s| s.file()).collect();
        let mut count = 0;
        for entry in std::fs::read_dir(dir).expect("shaders/ is readable") {
            let path = entry.expect("directory entry").path();
            if path.extension().and_then(|e| e.to_str()) != Some("wgsl") {
                continue;
            }
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            count += 1;
            assert!(
                name == "common.wgsl" || name == "frame.wgsl" || known.contains(&name.as_str()),
                "{name} is not validated: add it to Shader in crates/render/src/shaders.rs"
            );
        }
        assert_eq!(count, known.len() + 2, "every pass has its file");
    }
}
