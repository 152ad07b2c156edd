// player.js — the guided-tour player of disan.js. The engine decides (which step, playing or
// not, the narration in the visit's language, when a step ends); this shows its state as DOM and
// sends the visitor's presses back: prev / play-pause / next, the step list, leave the tour, and
// the narration's audio with its WebVTT captions.
import { h } from './dom.js';

/**
 * `createPlayer({ t, base, control, openStep })`: `t()` the interface strings, `base` the tour
 * URL (audio paths are relative to it), `control(name)` one of pause/resume/next/prev/exit,
 * `openStep(n)` a step from the list. Returns `{ el, render(state), stop() }`.
 */
export function createPlayer({ t, base, control, openStep }) {
  let state = null, audioFor = '';
  const title = h('h3', { class: 'disan-player-title' });
  const count = h('span', { class: 'disan-player-count', 'aria-live': 'polite' });
  const narration = h('p', { class: 'disan-player-narration', 'aria-live': 'polite' });
  const progress = h('span', { class: 'disan-player-progress', 'aria-hidden': 'true' }, h('span'));
  const button = (cls, onclick, symbol) => h('button', { type: 'button', class: `disan-player-${cls}`, onclick },
    h('span', { 'aria-hidden': 'true', text: symbol }));
  const prev = button('prev', () => control('prev'), '⏮');
  const play = button('play', () => control(state?.playing ? 'pause' : 'resume'), '▶');
  const next = button('next', () => control('next'), '⏭');
  const list = h('ol', { class: 'disan-player-steps', hidden: true });
  const steps = button('list', () => { list.hidden = !list.hidden; steps.setAttribute('aria-expanded', String(!list.hidden)); }, '☰');
  steps.setAttribute('aria-expanded', 'false');
  const exit = button('exit', () => control('exit'), '×');
  const audio = h('audio', { class: 'disan-player-audio', controls: true, preload: 'none', crossorigin: 'anonymous', hidden: true });
  const el = h('section', { class: 'disan-player', role: 'region', hidden: true },
    h('div', { class: 'disan-player-head' }, title, count, exit),
    narration, audio, progress,
    h('div', { class: 'disan-player-buttons', role: 'group' }, prev, play, next, steps),
    list);
  // Keyboard inside the player: the buttons take focus; Escape closes the step list.
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !list.hidden) { e.stopPropagation(); list.hidden = true; steps.focus(); }
  });

  function label(b, text) { b.setAttribute('aria-label', text); b.title = text; }

  function render(next_) {
    state = next_;
    el.hidden = !state;
    if (!state) { stopAudio(); return; }
    const s = t();
    el.setAttribute('aria-label', `${s.guided}: ${state.title}`);
    title.textContent = state.title || s.guided;
    count.textContent = s.step_of.replace('{n}', state.step + 1).replace('{count}', state.count);
    narration.textContent = state.narration || (state.duration == null && !state.attract ? s.waits : '');
    play.firstChild.textContent = state.playing ? '⏸' : '▶';
    label(play, state.playing ? s.pause : state.away ? s.resume : s.play);
    play.setAttribute('aria-pressed', String(state.playing));
    label(prev, s.prev); label(next, s.next); label(steps, s.steps); label(exit, s.exit_tour);
    prev.disabled = state.step === 0;
    const frac = state.duration ? Math.min(1, state.elapsed / state.duration) : 0;
    progress.firstChild.style.width = `${Math.round(frac * 100)}%`;
    progress.hidden = state.duration == null;
    list.replaceChildren(...state.steps.map((st, i) => h('li', {},
      h('button', { type: 'button', 'aria-current': i === state.step ? 'step' : null, text: st.title,
        onclick: () => { list.hidden = true; openStep(i); } }))));
    // Narration audio of the step, with its captions; it plays while the step plays.
    const key = `${state.tour}/${state.step}/${state.audio ?? ''}`;
    if (key !== audioFor) {
      audioFor = key;
      stopAudio();
      audio.replaceChildren();
      if (state.audio) {
        audio.src = new URL(state.audio, base).href;
        if (state.captions) {
          audio.append(h('track', { kind: 'captions', default: true, src: new URL(state.captions, base).href, srclang: document.documentElement.lang || 'vi' }));
        }
      } else audio.removeAttribute('src');
      audio.hidden = !state.audio;
    }
    if (state.audio) {
      // It starts once the step's scene is on screen, not while the scene loads.
      const speak = state.playing && state.shown;
      if (speak && audio.paused) audio.play().catch(() => {}); // may need a gesture first
      else if (!speak && !audio.paused) audio.pause();
    }
  }
  function stopAudio() { if (!audio.paused) audio.pause(); }
  return { el, render, stop: stopAudio, get visible() { return !el.hidden; } };
}
