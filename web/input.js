// input.js — the visitor's input for disan.js, translated into engine calls: pointer (mouse,
// pen, touch), wheel, double click, keyboard, the viewer's size, and the gyroscope of a phone;
// and the first-use hint, shown until the visitor first drags, presses a key or uses a control.
// What a drag or a key does to the view is the engine's business.
import { h } from './dom.js';
import { send, command } from './protocol.js';

const KEYS = { ArrowLeft: 'ArrowLeft', ArrowRight: 'ArrowRight', ArrowUp: 'ArrowUp', ArrowDown: 'ArrowDown',
  '+': '+', '=': '+', '-': '-', _: '-', '0': '0', Home: 'Home' };

/**
 * `createInput({ state, wrap, canvas, t, pump, requestRedraw, onResize, onRelease, onGyro })`:
 * `state` the mount's shared state (`engine`), `canvas()` the canvas of the moment, `onResize()`
 * the viewer changed size, `onRelease()` a pointer left the canvas (a card then gives the focus
 * back to the viewer), `onGyro(refused)` the gyroscope was turned on or off (or refused: the message). Returns `{ el, render(),
 * bind(), toggleGyro(), gyro, hinted, showHint(), hideHint(), stop() }`: `el` the first-use
 * hint; `bind()` once the engine exists (the keyboard is listened to from the start).
 */
export function createInput({ state, wrap, canvas, t, pump, requestRedraw, onResize, onRelease, onGyro }) {
  const el = h('p', { class: 'disan-first-hint', 'aria-hidden': 'true', hidden: true });
  let observer = null, gyroOn = false;

  // The first-use hint: shown until the visitor first drags, presses a key or uses a control.
  let hinted = false;
  try { hinted = localStorage.getItem('disan-hinted') === '1'; } catch { /* storage off */ }
  function dismissHint() {
    if (hinted) return;
    hinted = true;
    el.hidden = true;
    try { localStorage.setItem('disan-hinted', '1'); } catch { /* storage off */ }
  }
  let hintTimer = 0;
  function showHint(text = t().first_hint, ms = 7000) {
    el.textContent = text;
    el.hidden = false;
    clearTimeout(hintTimer);
    hintTimer = setTimeout(() => { el.hidden = true; el.textContent = t().first_hint; }, ms); // shown again next visit until used
  }
  function wheelHint() { showHint(t().wheel_hint, 1800); }
  /** True when the page around the viewer scrolls (an embed), not a full-window viewer. */
  function pageScrolls() {
    if (document.fullscreenElement) return false;
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollHeight > root.clientHeight + 1 || root.scrollWidth > root.clientWidth + 1;
  }

  function bind() {
    const c = canvas();
    wrap.addEventListener('pointerdown', dismissHint);
    c.addEventListener('pointerdown', (e) => {
      wrap.dataset.input = 'pointer'; // the focus ring is for keyboard focus only
      try { c.setPointerCapture(e.pointerId); } catch { /* not an active pointer (synthetic events) */ }
      state.engine.pointer_down(e.pointerId, e.offsetX, e.offsetY, e.button);
      wrap.focus({ preventScroll: true });
      pump();
    });
    c.addEventListener('pointermove', (e) => {
      if (!state.engine) return;
      state.engine.pointer_move(e.pointerId, e.offsetX, e.offsetY);
      requestRedraw();
    });
    c.addEventListener('pointerup', (e) => {
      onRelease();
      state.engine.pointer_up(e.pointerId, e.offsetX, e.offsetY);
      pump();
    });
    c.addEventListener('pointercancel', (e) => { state.engine.pointer_cancel(e.pointerId); requestRedraw(); });
    c.addEventListener('wheel', (e) => {
      // In a page that scrolls (an embed), the wheel scrolls the page unless the viewer has the
      // focus (a click in it) or Ctrl is held, as maps do; the hint says so.
      if (!e.ctrlKey && !e.metaKey && !wrap.contains(document.activeElement) && pageScrolls()) {
        wheelHint();
        return;
      }
      e.preventDefault();
      const scale = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? c.clientHeight : 1;
      state.engine.wheel(e.deltaY * scale);
      requestRedraw();
    }, { passive: false });
    c.addEventListener('dblclick', (e) => { state.engine.double_click(e.offsetX, e.offsetY); requestRedraw(); });
    observer = new ResizeObserver(onResize);
    observer.observe(wrap);
  }
  wrap.addEventListener('keydown', (e) => {
    delete wrap.dataset.input; // keys in use: the focus ring shows again
    const name = KEYS[e.key];
    if (!state.engine || !name || e.target !== wrap || e.altKey || e.ctrlKey || e.metaKey) return;
    dismissHint();
    if (state.engine.key(name)) { e.preventDefault(); requestRedraw(); }
  });

  // The gyroscope (phones): off by default; iOS asks permission on the press that turns it on.
  function onOrientation(e) {
    if (!state.engine || e.alpha == null) return;
    state.engine.device_orientation(e.alpha, e.beta ?? 0, e.gamma ?? 0, screen.orientation?.angle ?? window.orientation ?? 0);
    requestRedraw();
  }
  async function toggleGyro() {
    if (!state.engine) return;
    send(state.engine, command.touch());
    if (!gyroOn) {
      const D = window.DeviceOrientationEvent;
      let allowed = true;
      try {
        if (typeof D?.requestPermission === 'function') allowed = (await D.requestPermission()) === 'granted';
      } catch { allowed = false; }
      if (!allowed) { onGyro(t().gyro_denied); return; }
      window.addEventListener('deviceorientation', onOrientation);
    } else window.removeEventListener('deviceorientation', onOrientation);
    gyroOn = !gyroOn;
    send(state.engine, command.setGyro(gyroOn));
    onGyro();
  }

  return {
    el, bind, toggleGyro, showHint,
    /** The hint's text, in the visit's language. */
    render() { el.textContent = t().first_hint; },
    hideHint() { el.hidden = true; },
    get gyro() { return gyroOn; },
    get hinted() { return hinted; },
    stop() {
      observer?.disconnect();
      window.removeEventListener('deviceorientation', onOrientation);
    },
  };
}
