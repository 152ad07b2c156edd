// protocol.d.ts — the commands a page sends to the visit (`Engine.send`) and its
// replies. Generated from crates/tour/src/visit/protocol.rs by
// `DISAN_BLESS=1 cargo test -p disan-tour --lib typescript`; do not edit by hand.

export type Command = { "type": "go", 
/**
 * The scene's id.
 */
scene: string, 
/**
 * The view to arrive at.
 */
view?: View, } | { "type": "activate", 
/**
 * Index among the scene's hotspots.
 */
hotspot: number, } | { "type": "look_at_hotspot", 
/**
 * Index among the scene's hotspots.
 */
hotspot: number, } | { "type": "close_card" } | { "type": "card_touched" } | { "type": "set_insets", 
/**
 * From the top edge.
 */
top: number, 
/**
 * From the right edge.
 */
right: number, 
/**
 * From the bottom edge.
 */
bottom: number, 
/**
 * From the left edge.
 */
left: number, } | { "type": "set_language", 
/**
 * A language code the tour has (`vi`, `en`).
 */
lang: string, } | { "type": "input", 
/**
 * The event.
 */
input: Input, 
/**
 * The shell's clock.
 */
now: number, } | { "type": "touch" } | { "type": "set_view", 
/**
 * The view.
 */
view: View, 
/**
 * Fly there instead of jumping.
 */
animate: boolean, } | { "type": "face_north" } | { "type": "set_autorotate", 
/**
 * Degrees per second; `None` stops it.
 */
speed?: number, 
/**
 * Seconds without a touch before it starts.
 */
delay?: number, } | { "type": "set_gyro", 
/**
 * On or off.
 */
on: boolean, } | { "type": "set_sound", 
/**
 * On or off.
 */
on: boolean, } | { "type": "device_orientation", 
/**
 * Compass heading.
 */
alpha: number, 
/**
 * Front-back tilt.
 */
beta: number, 
/**
 * Left-right tilt.
 */
gamma: number, 
/**
 * Screen orientation angle.
 */
screen: number, } | { "type": "play", 
/**
 * The guided tour's id.
 */
tour: string, 
/**
 * The step to start at.
 */
step: number, } | { "type": "pause" } | { "type": "resume" } | { "type": "next_step" } | { "type": "prev_step" } | { "type": "goto_step", 
/**
 * The step.
 */
step: number, } | { "type": "exit_tour" } | { "type": "set_inspect_view", 
/**
 * Normal, clay, normals or wireframe.
 */
view: InspectView, } | { "type": "set_raking", 
/**
 * The light's direction; `None` turns it off.
 */
raking?: Raking, } | { "type": "set_light_drag", 
/**
 * On or off.
 */
on: boolean, } | { "type": "reset_light" } | { "type": "set_section", 
/**
 * The plane; `None` removes it.
 */
section?: Section, } | { "type": "set_measuring", 
/**
 * On or off.
 */
on: boolean, } | { "type": "remove_measurement", 
/**
 * Its index.
 */
index: number, } | { "type": "reset_inspection" };

export type Reply = { 
/**
 * Something on screen may have changed: draw a frame.
 */
changed: boolean, 
/**
 * What activating a hotspot (or a click) did.
 */
action?: Action, };

export type Action = { "type": "go", 
/**
 * The scene.
 */
scene: string, 
/**
 * The hotspot that was activated.
 */
hotspot: number, } | { "type": "open", 
/**
 * The entry.
 */
entry: string, 
/**
 * The hotspot that was activated.
 */
hotspot: number, };

export type Input = { "pointer_down": { id: number, pos: [number, number], button: PointerButton, } } | { "pointer_move": { id: number, pos: [number, number], } } | { "pointer_up": { id: number, pos: [number, number], } } | { "pointer_cancel": { id: number, } } | { "wheel": { delta: number, } } | { "pinch": { scale: number, } } | { "double_click": { pos: [number, number], } } | { "key": Key };

export type Key = "left" | "right" | "up" | "down" | "zoom_in" | "zoom_out" | "reset";

export type PointerButton = "primary" | "secondary" | "middle";

export type View = { 
/**
 * Degrees, 0 = centre of the image, positive to the right.
 */
yaw: number, 
/**
 * Degrees, positive up, within ±90.
 */
pitch: number, 
/**
 * Vertical field of view in degrees (panoramas).
 */
fov?: number, 
/**
 * Distance from the target in model units (objects); auto-fit when absent.
 */
distance?: number, 
/**
 * Point looked at in model space (objects); the scene's orbit target when absent.
 */
target?: [number, number, number], };

export type InspectView = "normal" | "clay" | "normals" | "wireframe";

export type Raking = { 
/**
 * Degrees around +Y.
 */
azimuth: number, 
/**
 * Degrees above the horizon, 2..=89.
 */
elevation: number, };

export type Section = { 
/**
 * Across which axis.
 */
axis: Axis, 
/**
 * Where, from 0 (the bounds' minimum) to 1 (their maximum).
 */
position: number, 
/**
 * Keep the far side instead.
 */
flip: boolean, };

export type Axis = "x" | "y" | "z";
