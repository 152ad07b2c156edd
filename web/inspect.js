// inspect.js — the inspection tools' panel for disan.js (object scenes): how the surface is shown
// (materials, clay, normals), the raking light (on, drag to move it, reset), a section plane
// (axis, position, flip) and measurements (a list, and lines drawn over the relic). The state is
// the engine's (`Engine.inspection()`); each control calls `onSet(what, value)`, which asks it.
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}) => {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
};

/**
 * `createInspector({ t, onSet })`. Returns `{ button, panel, lines, render(state) }`: the toolbar
 * button, the panel and the SVG layer of measurement lines; `render(Engine.inspection())` after
 * every change and every frame while measurements are shown.
 */
export function createInspector({ t, onSet }) {
  const button = h('button', { type: 'button', class: 'disan-ctl disan-ctl-inspect', 'aria-expanded': 'false', hidden: true,
    onclick: () => { panel.hidden = !panel.hidden; button.setAttribute('aria-expanded', String(!panel.hidden)); } },
  h('span', { 'aria-hidden': 'true', text: '🔍' }));
  const views = ['normal', 'clay', 'normals', 'wireframe'].map((v) => h('button', { type: 'button', class: 'disan-insp-view', 'data-view': v,
    onclick: () => onSet('view', v) }));
  const check = (cls, onchange) => h('input', { type: 'checkbox', class: cls, onchange });
  const raking = check('disan-insp-raking', (e) => onSet('raking', e.target.checked));
  const drag = check('disan-insp-drag', (e) => onSet('light_drag', e.target.checked));
  const resetLight = h('button', { type: 'button', class: 'disan-insp-reset-light', onclick: () => onSet('reset_light') });
  const cut = check('disan-insp-section', (e) => onSet('section', e.target.checked ? { axis: 'y', position: 0.5, flip: false } : null));
  const axes = ['x', 'y', 'z'].map((a) => h('button', { type: 'button', class: 'disan-insp-axis', 'data-axis': a, text: a.toUpperCase(),
    onclick: () => section({ axis: a }) }));
  const axisGroup = h('div', { class: 'disan-insp-axes', role: 'group' }, ...axes);
  const slider = h('input', { type: 'range', class: 'disan-insp-position', min: 0, max: 1, step: 0.01,
    oninput: (e) => section({ position: Number(e.target.value) }) });
  const flip = check('disan-insp-flip', (e) => section({ flip: e.target.checked }));
  const measuring = check('disan-insp-measure', (e) => onSet('measuring', e.target.checked));
  const hint = h('p', { class: 'disan-insp-hint' });
  const list = h('ol', { class: 'disan-insp-list', 'aria-live': 'polite' });
  const reset = h('button', { type: 'button', class: 'disan-insp-reset', onclick: () => onSet('reset') });
  const label = (input, cls) => { const l = h('label', { class: cls }, input, h('span')); return l; };
  const rakingRow = label(raking, 'disan-insp-row');
  const dragRow = label(drag, 'disan-insp-row disan-insp-sub');
  const cutRow = label(cut, 'disan-insp-row');
  const flipRow = label(flip, 'disan-insp-row disan-insp-sub');
  const measureRow = label(measuring, 'disan-insp-row');
  const sectionHint = h('p', { class: 'disan-insp-hint' });
  const rakingHint = h('p', { class: 'disan-insp-hint' });
  const sectionTools = h('div', { class: 'disan-insp-sub' }, sectionHint, axisGroup, slider, flipRow);
  const lightTools = h('div', { class: 'disan-insp-sub' }, rakingHint, dragRow, resetLight);
  const panel = h('div', { class: 'disan-panel disan-inspect', hidden: true, role: 'group' },
    h('div', { class: 'disan-insp-views', role: 'radiogroup' }, ...views),
    rakingRow, lightTools, cutRow, sectionTools, measureRow, hint, list, reset);
  const lines = svg('svg', { class: 'disan-measure-lines', 'aria-hidden': 'true' });
  let state = null;

  function section(change) {
    const s = state?.section;
    if (s) onSet('section', { ...s, ...change });
  }
  function text(row, s) { row.querySelector('span').textContent = s; }

  function render(next) {
    state = next;
    const on = !!next?.inspectable;
    button.hidden = !on;
    if (!on) { panel.hidden = true; lines.replaceChildren(); return; }
    const s = t();
    button.setAttribute('aria-label', s.inspect); button.title = s.inspect;
    panel.setAttribute('aria-label', s.inspect);
    for (const b of views) {
      b.textContent = s[`view.${b.dataset.view}`];
      b.setAttribute('aria-pressed', String(b.dataset.view === next.view));
    }
    raking.checked = next.raking; text(rakingRow, s.raking);
    lightTools.hidden = !next.raking;
    drag.checked = next.light_drag; text(dragRow, s.move_light);
    resetLight.textContent = s.reset_light;
    cut.checked = !!next.section; text(cutRow, s.section);
    sectionTools.hidden = !next.section;
    if (next.section) {
      for (const b of axes) b.setAttribute('aria-pressed', String(b.dataset.axis === next.section.axis));
      if (document.activeElement !== slider) slider.value = String(next.section.position);
      flip.checked = next.section.flip;
    }
    text(flipRow, s.flip_section);
    axisGroup.setAttribute('aria-label', s.section_axis);
    for (const b of axes) { b.setAttribute('aria-label', `${s.section_axis} ${b.dataset.axis.toUpperCase()}`); b.title = b.getAttribute('aria-label'); }
    slider.setAttribute('aria-label', s.section_position);
    slider.title = s.section_position;
    sectionHint.textContent = s.section_hint;
    rakingHint.textContent = s.raking_hint;
    measuring.checked = next.measuring; text(measureRow, s.measure);
    hint.textContent = s.measure_hint;
    hint.hidden = !next.measuring;
    list.replaceChildren(...next.measurements.map((m, i) => h('li', {}, h('span', { text: m.text }),
      h('button', { type: 'button', class: 'disan-insp-remove', text: s.remove, 'aria-label': `${s.remove} ${m.text}`, onclick: () => onSet('remove', i) }))));
    reset.textContent = s.reset_tools;
    drawLines(next);
  }

  function drawLines(next) {
    const out = [];
    for (const m of next.measurements) {
      if (!m.a || !m.b) continue;
      const [[x1, y1], [x2, y2]] = [m.a, m.b];
      out.push(svg('line', { x1, y1, x2, y2, class: 'disan-measure-shadow' }), svg('line', { x1, y1, x2, y2, class: 'disan-measure-line' }));
      for (const [cx, cy] of [m.a, m.b]) out.push(svg('circle', { cx, cy, r: 4, class: 'disan-measure-dot' }));
      const label = svg('text', { x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 8, class: 'disan-measure-text' });
      label.textContent = m.text;
      out.push(label);
    }
    if (next.pending) out.push(svg('circle', { cx: next.pending[0], cy: next.pending[1], r: 5, class: 'disan-measure-dot' }));
    lines.replaceChildren(...out);
  }

  return {
    button, panel, lines, render,
    /** True while lines must follow the camera (measurements shown). */
    get drawing() { return !!state?.inspectable && (state.measurements.length > 0 || !!state.pending); },
  };
}
