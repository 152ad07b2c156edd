// frame.wgsl: the per-frame uniforms (group 0), prepended after common.wgsl to the scene
// passes (panorama, mesh, marker).

struct Frame {
    view_proj: mat4x4<f32>,
    inv_view_proj: mat4x4<f32>,
    camera_pos: vec4<f32>,
    // xy: viewport size in pixels, z: time in seconds, w: exposure
    viewport: vec4<f32>,
    // xyz: direction towards the light, w: intensity
    light_dir: vec4<f32>,
    light_color: vec4<f32>,
    // sky (upper hemisphere) and ground ambient colours
    ambient_sky: vec4<f32>,
    ambient_ground: vec4<f32>,
    // x: environment intensity, y: specular mip levels, z: 1 when drawn straight into a
    // non-sRGB output (the pass encodes to sRGB by hand)
    env: vec4<f32>,
    // Inspection tools (object scenes): x view (0 materials, 1 clay, 2 normals), y raking light
    // on, z section plane on
    inspect: vec4<f32>,
    // The section plane: world points p with dot(xyz, p) > w are cut away
    section: vec4<f32>,
};

@group(0) @binding(0) var<uniform> frame: Frame;
