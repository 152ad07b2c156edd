// sound.js — the visit's sound for disan.js: the ambient track of the scene on screen, looped,
// faded in when its scene comes and out when it goes (Web Audio gain ramps), lowered while a
// recording in a card or a guided step's narration plays, and never started before the
// visitor's first gesture (browsers refuse sound before one; a tour should not surprise).
// Which track, how loud and whether the visitor muted it are the engine's (`Engine.sound()`).

/** Seconds a track takes to fade in or out. */
const FADE = 0.8;
/** Share of its volume an ambient track keeps while other sound (a film, a narration) plays. */
const DUCK = 0.2;

/**
 * `createSound({ base, wrap })`: `base` the tour URL (tracks are relative to it), `wrap` the
 * viewer (its gestures unlock sound; its players' `play` / `pause` duck the ambient track).
 * Returns `{ sync(sound), stop(), state }`: `sync` takes `Engine.sound()`; `state` is
 * `{ src, playing, gain, unlocked }` of the track now (for tests and the page).
 */
export function createSound({ base, wrap }) {
  let ctx = null;
  let wanted = null; // { src, volume } of the engine
  let current = null; // { src, volume, el, gain }
  let others = 0; // other players of the viewer now playing
  const unlock = () => {
    if (ctx) return;
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    ctx = new Ctx();
    ctx.resume?.().catch(() => {});
    apply();
  };
  const gestures = ['pointerdown', 'keydown', 'touchend'];
  for (const type of gestures) wrap.addEventListener(type, unlock, { passive: true });
  // The viewer's players (a card's film, the narration), counted again on each of their events:
  // media events do not bubble, so they are caught on their way down.
  const recount = () => {
    others = [...wrap.querySelectorAll('video, audio')].filter((m) => !m.paused && !m.ended).length;
    level();
  };
  for (const type of ['play', 'pause', 'ended', 'emptied']) wrap.addEventListener(type, recount, true);

  function target() { return current ? current.volume * (others ? DUCK : 1) : 0; }
  function level() {
    if (ctx && current) current.gain.gain.setTargetAtTime(target(), ctx.currentTime, FADE / 3);
  }
  function start({ src, volume }) {
    const el = new Audio();
    el.crossOrigin = 'anonymous';
    el.loop = true;
    el.preload = 'auto';
    el.src = new URL(src, base).href;
    const gain = ctx.createGain();
    gain.gain.value = 0;
    ctx.createMediaElementSource(el).connect(gain).connect(ctx.destination);
    el.play().catch(() => {}); // a file that does not play stays silent; the tour goes on
    return { src, volume, el, gain };
  }
  function fadeOut(c) {
    c.gain.gain.setTargetAtTime(0, ctx.currentTime, FADE / 3);
    setTimeout(() => { c.el.pause(); c.el.removeAttribute('src'); c.el.load(); }, FADE * 1000 + 200);
  }
  function apply() {
    if (!ctx) return;
    if (current && current.src !== wanted?.src) { fadeOut(current); current = null; }
    if (wanted && !current) current = start(wanted);
    if (current && wanted) current.volume = wanted.volume;
    level();
  }
  return {
    /** Follows the engine's `sound()`: the track it wants, at its volume, or none. */
    sync(sound) { wanted = sound?.ambient ?? null; apply(); },
    /** Silences everything and lets go of the audio (the viewer is destroyed). */
    stop() {
      for (const type of gestures) wrap.removeEventListener(type, unlock);
      if (current) { current.el.pause(); current.el.removeAttribute('src'); current = null; }
      ctx?.close?.().catch(() => {});
      ctx = null;
    },
    get state() {
      return { src: current?.src ?? null, playing: !!current && !current.el.paused, gain: current ? current.gain.gain.value : 0, unlocked: !!ctx };
    },
  };
}
