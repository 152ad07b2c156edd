// protocol.js — the one way the page asks the visit for something: typed commands (their
// declarations, protocol.d.ts, are generated from the Rust types) sent through `Engine.send`.
// Type-checked in `cargo xtask test` (tsc): a field renamed in Rust fails the check here until
// this file follows. Pointer, wheel and key events stay direct engine calls, for speed.
// @ts-check

/** @typedef {import('./protocol').Command} Command */
/** @typedef {import('./protocol').Reply} Reply */

/** The guided-tour player's buttons and the command each sends. */
const GUIDE = /** @type {const} */ ({ pause: 'pause', resume: 'resume', next: 'next_step', prev: 'prev_step', exit: 'exit_tour' });

/**
 * Sends `command` to the visit; its reply.
 * @param {{ send(command: string): string }} engine
 * @param {Command} command
 * @returns {Reply}
 */
export function send(engine, command) {
  return JSON.parse(engine.send(JSON.stringify(command)));
}

/** One builder per command the page sends. */
export const command = {
  /** @param {number} hotspot @returns {Command} */
  activate: (hotspot) => ({ type: 'activate', hotspot }),
  /** @param {number} hotspot @returns {Command} */
  lookAtHotspot: (hotspot) => ({ type: 'look_at_hotspot', hotspot }),
  /** @returns {Command} */
  closeCard: () => ({ type: 'close_card' }),
  /** @returns {Command} */
  cardTouched: () => ({ type: 'card_touched' }),
  /** CSS pixels of the view covered from each side by the page's panels.
   * @param {{ top: number, right: number, bottom: number, left: number }} insets @returns {Command} */
  setInsets: ({ top, right, bottom, left }) => ({ type: 'set_insets', top, right, bottom, left }),
  /** @param {string} lang @returns {Command} */
  setLanguage: (lang) => ({ type: 'set_language', lang }),
  /** @returns {Command} */
  touch: () => ({ type: 'touch' }),
  /** @returns {Command} */
  faceNorth: () => ({ type: 'face_north' }),
  /** @param {number | undefined} speed degrees per second; none stops it @returns {Command} */
  setAutorotate: (speed) => (speed ? { type: 'set_autorotate', speed } : { type: 'set_autorotate' }),
  /** @param {boolean} on @returns {Command} */
  setGyro: (on) => ({ type: 'set_gyro', on }),
  /** @param {boolean} on @returns {Command} */
  setSound: (on) => ({ type: 'set_sound', on }),
  /** @param {keyof typeof GUIDE} what @returns {Command} */
  guide: (what) => ({ type: GUIDE[what] }),
};
