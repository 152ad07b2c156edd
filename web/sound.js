// sound.js — the visit's sound for disan.js: the ambient track of the scene on screen and the
// sounds of its hotspots, each heard from where the hotspot sits (a Web Audio panner, HRTF),
// looped, faded in when their scene comes and out when it goes (gain ramps), lowered while a
// recording in a card or a guided step's narration plays, and never started before the
// visitor's first gesture (browsers refuse sound before one; a tour should not surprise).
// Which tracks, how loud, from where, and whether the visitor muted them are the engine's
// (`Engine.sound()`, `Engine.placed_sounds()`).

/** Seconds a track takes to fade in or out. */
const FADE = 0.8;
/** Share of its volume an ambient track keeps while other sound (a film, a narration) plays. */
const DUCK = 0.2;

/**
 * `createSound({ base, wrap })`: `base` the tour URL (tracks are relative to it), `wrap` the
 * viewer (its gestures unlock sound; its players' `play` / `pause` duck the ambient track).
 * Returns `{ sync(sound), place(sounds), stop(), state }`: `sync` takes `Engine.sound()`, `place`
 * `Engine.placed_sounds()` (each frame); `state` is `{ src, playing, gain, unlocked, placed }`
 * of the tracks now (for tests and the page).
 */
export function createSound({ base, wrap }) {
  let ctx = null;
  let wanted = null; // { src, volume } of the engine
  let current = null; // { src, volume, el, gain }
  const placed = new Map(); // hotspot index -> { src, volume, el, gain, panner }
  let others = 0; // other players of the viewer now playing
  let lastPlaced = []; // the hotspots' sounds last asked for (started once sound is unlocked)
  const unlock = () => {
    if (ctx) return;
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    ctx = new Ctx();
    ctx.resume?.().catch(() => {});
    apply();
    placeAll(lastPlaced);
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
    if (!ctx) return;
    if (current) current.gain.gain.setTargetAtTime(target(), ctx.currentTime, FADE / 3);
    for (const p of placed.values()) p.gain.gain.setTargetAtTime(p.volume * (others ? DUCK : 1), ctx.currentTime, FADE / 3);
  }
  /** A looping track through a gain (and `panner`, when given) to the speakers, from silence. */
  function start({ src, volume }, panner = null) {
    const el = new Audio();
    el.crossOrigin = 'anonymous';
    el.loop = true;
    el.preload = 'auto';
    el.src = new URL(src, base).href;
    const gain = ctx.createGain();
    gain.gain.value = 0;
    const source = ctx.createMediaElementSource(el);
    (panner ? source.connect(panner).connect(gain) : source.connect(gain)).connect(ctx.destination);
    el.play().catch(() => {}); // a file that does not play stays silent; the tour goes on
    return { src, volume, el, gain, panner };
  }
  /** Follows the hotspots' sounds: new ones start, gone ones fade out, each panner moves. */
  function placeAll(list) {
    if (!ctx) return;
    const seen = new Set();
    for (const s of list) {
      seen.add(s.hotspot);
      let p = placed.get(s.hotspot);
      if (p && p.src !== s.src) { fadeOut(p); placed.delete(s.hotspot); p = null; }
      if (!p) {
        const panner = new PannerNode(ctx, { panningModel: 'HRTF', distanceModel: 'inverse', refDistance: 1, rolloffFactor: 1 });
        p = start(s, panner);
        placed.set(s.hotspot, p);
      }
      p.volume = s.volume;
      const [x, y, z] = s.position;
      const t = ctx.currentTime;
      p.panner.positionX.setTargetAtTime(x, t, 0.05);
      p.panner.positionY.setTargetAtTime(y, t, 0.05);
      p.panner.positionZ.setTargetAtTime(z, t, 0.05);
    }
    for (const [k, p] of placed) if (!seen.has(k)) { fadeOut(p); placed.delete(k); }
    level();
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
    /** Follows the engine's `placed_sounds()`: which hotspots sound, and from where. */
    place(list) { lastPlaced = list; placeAll(list); },
    /** Silences everything and lets go of the audio (the viewer is destroyed). */
    stop() {
      for (const type of gestures) wrap.removeEventListener(type, unlock);
      for (const c of [current, ...placed.values()]) if (c) { c.el.pause(); c.el.removeAttribute('src'); }
      current = null;
      placed.clear();
      ctx?.close?.().catch(() => {});
      ctx = null;
    },
    get state() {
      return {
        src: current?.src ?? null, playing: !!current && !current.el.paused, gain: current ? current.gain.gain.value : 0, unlocked: !!ctx,
        placed: [...placed].map(([hotspot, p]) => ({ hotspot, src: p.src, playing: !p.el.paused, gain: p.gain.gain.value,
          position: [p.panner.positionX.value, p.panner.positionY.value, p.panner.positionZ.value] })),
      };
    },
  };
}
