// overlay.js — what disan.js lays over the canvas: the hotspot buttons and their labels, the
// arrows at the edge towards hotspots outside the view (and the same told to screen readers),
// and the compass. Where each one goes is the engine's (`Engine.overlay`, `edge_arrows`,
// `heading`); a press calls back into disan.js or asks the engine to turn the view.
import { h } from './dom.js';
import { send, command } from './protocol.js';

/**
 * `createOverlay({ state, wrap, t, onActivate, requestRedraw })`: `state` the mount's shared state
 * (`engine`, `scene`), `onActivate(index, button)` a hotspot pressed. Returns `{ el, edges,
 * compass, offscreen, render(), invalidate(), chromeMoved(), tellOffscreen() }`: the layer of
 * hotspot buttons, the layer of edge arrows, the compass button, the screen readers' line;
 * `render()` after every frame, `invalidate()` when the scene or the language changes (the
 * buttons are rebuilt), `chromeMoved()` when the bar, toolbar, player or card moved or changed
 * size, `tellOffscreen()` when the view rests.
 */
export function createOverlay({ state, wrap, t, onActivate, requestRedraw }) {
  const el = h('div', { class: 'disan-overlay' });
  // Arrows at the edge towards hotspots outside the view, and the same told to screen readers.
  const edges = h('div', { class: 'disan-edges' });
  const offscreen = h('p', { class: 'disan-sr-only', 'aria-live': 'polite' });
  const needle = h('span', { class: 'disan-needle', 'aria-hidden': 'true' }, h('span', { text: 'N' }));
  const compass = h('button', { type: 'button', class: 'disan-compass', hidden: true, onclick: () => {
    if (state.engine && send(state.engine, command.faceNorth()).changed) { send(state.engine, command.touch()); requestRedraw(); }
  } }, needle);
  let buttons = [], labels = [], labelsDirty = true, builtFor = null;
  let arrowButtons = [], lastSummary = '', lastHeading = null;

  // Hotspot buttons, rebuilt when the scene or the language changes, moved after every frame.
  function render() {
    if (!state.engine) return;
    if (labelsDirty) {
      labelsDirty = false;
      // Rebuilding removes the focused button (a link followed by keyboard, a language change):
      // the focus stays in the viewer, on the same hotspot when the scene is the same.
      const focused = el.contains(document.activeElement) ? Number(document.activeElement.dataset.index) : null;
      const sameScene = builtFor === state.scene;
      builtFor = state.scene;
      labels = state.engine.hotspots();
      buttons = labels.map((l) => h('button', {
        type: 'button', class: 'disan-hotspot', 'data-hotspot-id': l.id ?? '', 'data-kind': l.kind,
        'data-index': l.index, onclick: (ev) => onActivate(l.index, ev.currentTarget),
      }, h('span', { class: 'disan-dot', 'aria-hidden': 'true' }), h('span', { class: 'disan-label', text: l.label })));
      buttons.forEach((b, i) => b.setAttribute('aria-label', labels[i].label ? `${labels[i].label} — ${labels[i].action}` : labels[i].action));
      el.replaceChildren(...buttons);
      labelWidth = [];
      edges.replaceChildren();
      arrowButtons = [];
      if (focused != null) {
        const again = sameScene ? buttons[focused] : null;
        (again ?? wrap).focus({ preventScroll: true });
      }
    }
    const at = state.engine.overlay();
    buttons.forEach((b, i) => {
      const x = at[3 * i], y = at[3 * i + 1], flags = at[3 * i + 2];
      b.hidden = !(flags & 1);
      b.style.setProperty('--x', x);
      b.style.setProperty('--y', y);
      b.classList.toggle('disan-flip', x > wrap.clientWidth - 200 && x > 200); // label on the left
      // Hidden behind the object: shown, but it takes no click and no focus.
      const behind = !!(flags & 2);
      if (b.classList.toggle('hidden-behind', behind)) {
        b.title = t().hidden;
        b.tabIndex = -1;
        b.setAttribute('aria-disabled', 'true');
      } else {
        b.removeAttribute('title');
        b.removeAttribute('tabindex');
        b.removeAttribute('aria-disabled');
      }
    });
    declutter();
    renderEdges();
  }
  // Labels never overlap each other or the chrome (title bar, toolbar and its panels, player,
  // card): the nearest the view's centre keep theirs, the others show only their dot (and the
  // label on hover or focus).
  // The chrome's boxes are measured once after each change of layout (`chromeMoved()`), not
  // every frame: reading them after the buttons moved would lay the page out again.
  let labelWidth = [], chrome = null;
  function measureChrome() {
    const box = wrap.getBoundingClientRect();
    const rects = [...wrap.querySelectorAll('.disan-bar > *, .disan-controls, .disan-panel, .disan-player, .disan-card')]
      .map((x) => x.getBoundingClientRect()).filter((r) => r.width && r.height)
      .map((r) => [r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top]);
    return { width: box.width, height: box.height, rects };
  }
  function declutter() {
    chrome ??= measureChrome();
    const taken = [...chrome.rects];
    const cx = chrome.width / 2, cy = chrome.height / 2;
    const order = buttons.map((b, i) => i).filter((i) => !buttons[i].hidden)
      .sort((a, b) => {
        const d = (i) => Math.hypot(Number(buttons[i].style.getPropertyValue('--x')) - cx, Number(buttons[i].style.getPropertyValue('--y')) - cy);
        const first = (i) => (buttons[i] === document.activeElement ? 0 : 1);
        return first(a) - first(b) || d(a) - d(b);
      });
    for (const i of order) {
      const b = buttons[i], label = b.lastChild;
      if (!labelWidth[i]) labelWidth[i] = label.offsetWidth;
      const x = Number(b.style.getPropertyValue('--x')), y = Number(b.style.getPropertyValue('--y'));
      const w = labelWidth[i] + 22, flip = b.classList.contains('disan-flip');
      const r = flip ? [x - w - 4, y - 14, x - 8, y + 14] : [x + 8, y - 14, x + w + 4, y + 14];
      const clash = !labels[i]?.label || taken.some((t) => r[0] < t[2] && t[0] < r[2] && r[1] < t[3] && t[1] < r[3]);
      b.classList.toggle('disan-label-off', clash);
      if (!clash) taken.push(r);
    }
  }
  // Edge arrows (one button per hotspot outside the view) and the compass, after every frame.
  function renderEdges() {
    const a = state.engine.edge_arrows();
    const shown = new Set();
    for (let k = 0; k < a.length; k += 4) {
      const i = a[k];
      shown.add(i);
      let b = arrowButtons[i];
      if (!b) {
        b = arrowButtons[i] = h('button', { type: 'button', class: 'disan-edge', onclick: () => {
          if (state.engine) { send(state.engine, command.lookAtHotspot(i)); send(state.engine, command.touch()); } requestRedraw();
        } }, h('span', { 'aria-hidden': 'true', text: '➜' }));
        edges.append(b);
      }
      const label = labels[i]?.label ?? '';
      b.setAttribute('aria-label', `${t().look_at} ${label}`);
      b.title = label;
      b.hidden = false;
      b.style.setProperty('--x', a[k + 1]);
      b.style.setProperty('--y', a[k + 2]);
      b.style.setProperty('--a', `${a[k + 3]}rad`);
    }
    arrowButtons.forEach((b, i) => { if (b && !shown.has(i)) b.hidden = true; });
    const heading = state.engine.heading();
    compass.hidden = heading == null;
    if (heading != null && heading !== lastHeading) {
      lastHeading = heading;
      needle.style.transform = `rotate(${-heading}deg)`;
      compass.setAttribute('aria-label', `${t().compass}: ${Math.round(heading) % 360}°`);
      compass.title = compass.getAttribute('aria-label');
    }
  }
  /** Where the hotspots outside the view are, for screen readers (when the view rests). */
  function tellOffscreen() {
    const summary = state.engine.offscreen_summary();
    if (summary !== lastSummary) { lastSummary = summary; offscreen.textContent = summary; }
  }

  return {
    el, edges, compass, offscreen, render, tellOffscreen,
    invalidate() { labelsDirty = true; chrome = null; },
    chromeMoved() { chrome = null; if (buttons.length) declutter(); },
  };
}
