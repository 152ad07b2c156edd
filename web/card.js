// card.js — the catalog card of disan.js: a modal dialog (the focus kept inside, Escape closes
// it, the focus given back to what opened it). Its content is the engine's (`Engine.card()`, in
// the visit's language); opening and closing follow the engine's `cardopen` / `cardclose`. On a
// narrow viewer it is a bottom sheet: its head (grip, title's close button) stays in sight, a
// drag up on the head opens it to full height, a drag down makes it half again or closes it.
import { h } from './dom.js';

/** How far (CSS px) a drag on the sheet's head must go to change its height or close it. */
const DRAG = 48;

/**
 * `createCard({ uid, wrap, t, base, content, onClose, onTouch, onLayout })`: `uid` the viewer's
 * id (the title's id), `wrap` the viewer (Escape in it closes the card, the focus falls back to
 * it), `base` the tour URL (images are relative to it), `content()` the card to show
 * (`Engine.card()`) or null, `onClose()` the visitor closes it (the engine is asked; `cardclose`
 * follows), `onTouch()` the visitor touches or scrolls it (a guided tour waits for the reader),
 * `onLayout()` its size changed. Returns `{ el, render(), open(), hide(), setOpener(button), hidden }`.
 */
export function createCard({ uid, wrap, t, base, content, onClose, onTouch = () => {}, onLayout = () => {} }) {
  const el = h('section', { class: 'disan-card', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': `${uid}-card-title`, tabindex: -1, hidden: true });
  let opener = null; // the hotspot button that opened it: the focus goes back there
  let drag = null; // a drag on the head: { id, y }

  function open() {
    fill();
    el.hidden = false;
    el.classList.remove('disan-card-full');
    wrap.classList.add('disan-card-open');
    el.querySelector('.disan-card-close')?.focus({ preventScroll: true });
    onLayout();
  }
  /** The card's players, paused (a closed card, or one filled again, plays nothing). */
  function pauseMedia() {
    for (const m of el.querySelectorAll('video, audio')) if (!m.paused) m.pause();
  }
  /** A recording of the record: the browser's own player, its captions as tracks (the visit's
   * language shown), the caption under it and the transcript to unfold. Where it stood in
   * `times` (the card filled again in another language) it stands again, paused. */
  function mediaFigure(m, title, times) {
    const url = (p) => new URL(p, base).href;
    const player = h(m.kind === 'audio' ? 'audio' : 'video', {
      class: `disan-card-${m.kind}`, controls: true, preload: 'metadata', crossorigin: 'anonymous',
      src: url(m.src), 'aria-label': m.caption || title,
      ...(m.kind === 'video' ? { playsinline: true, poster: m.poster ? url(m.poster) : null } : {}),
    }, ...m.captions.map((c) => h('track', { kind: 'captions', srclang: c.lang, label: c.lang, src: url(c.src), default: c.default })));
    const at = times.get(m.src);
    if (at) player.addEventListener('loadedmetadata', () => { player.currentTime = at; }, { once: true });
    return h('figure', { class: 'disan-card-media' }, player,
      m.caption ? h('figcaption', { text: m.caption }) : null,
      m.transcript ? h('details', { class: 'disan-card-transcript' },
        h('summary', { text: t().transcript }), h('p', { text: m.transcript })) : null);
  }
  function fill() {
    const c = content();
    if (!c) return;
    const times = new Map([...el.querySelectorAll('video, audio')].map((m) => [m.dataset.src, m.currentTime]));
    pauseMedia();
    const dl = h('dl', { class: 'disan-fields' });
    for (const f of c.fields) dl.append(h('dt', { text: f.label }), h('dd', { text: f.value }));
    const figures = c.images.map((img) => h('figure', {},
      h('img', { src: new URL(img.src, base).href, alt: img.alt, loading: 'lazy' }),
      img.caption ? h('figcaption', { text: img.caption }) : null));
    const head = h('header', { class: 'disan-card-head' },
      h('span', { class: 'disan-card-grip', 'aria-hidden': 'true' }),
      h('h3', { id: `${uid}-card-title`, class: 'disan-card-title', text: c.title }),
      h('button', { type: 'button', class: 'disan-card-close', 'aria-label': t().close, title: t().close, text: '×', onclick: onClose }));
    head.addEventListener('pointerdown', (e) => {
      if (e.target.closest('button')) return;
      drag = { id: e.pointerId, y: e.clientY };
      head.setPointerCapture?.(e.pointerId);
    });
    head.addEventListener('pointerup', (e) => {
      if (!drag || drag.id !== e.pointerId) return;
      const dy = e.clientY - drag.y;
      drag = null;
      const full = el.classList.contains('disan-card-full');
      if (dy < -DRAG && !full) el.classList.add('disan-card-full');
      else if (dy > DRAG && full) el.classList.remove('disan-card-full');
      else if (dy > DRAG) onClose();
      else return;
      onLayout();
    });
    head.addEventListener('pointercancel', () => { drag = null; });
    el.replaceChildren(head,
      h('div', { class: 'disan-card-body' },
        c.description ? h('p', { class: 'disan-card-description', text: c.description }) : null,
        dl.childElementCount ? dl : null, ...figures,
        ...(c.media ?? []).map((m) => {
          const f = mediaFigure(m, c.title, times);
          f.firstChild.dataset.src = m.src;
          return f;
        })));
  }
  // Reading the card (a touch, the wheel, keys that scroll it) keeps a guided tour on this step.
  for (const type of ['pointerdown', 'wheel', 'keydown']) el.addEventListener(type, () => { if (!el.hidden) onTouch(); }, { passive: true });
  function hide() {
    if (el.hidden) return;
    pauseMedia();
    el.hidden = true;
    el.classList.remove('disan-card-full');
    wrap.classList.remove('disan-card-open');
    onLayout();
    (opener?.isConnected && !opener.hidden ? opener : wrap).focus({ preventScroll: true });
    opener = null;
  }
  wrap.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !el.hidden) { e.preventDefault(); onClose(); }
  });
  // The card is modal: Tab stays inside it.
  el.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') return;
    const items = [...el.querySelectorAll('button, a[href], video[controls], audio[controls], summary, [tabindex]:not([tabindex="-1"])')].filter((x) => !x.hidden);
    if (!items.length) return;
    const [firstItem, last] = [items[0], items[items.length - 1]];
    if (e.shiftKey && document.activeElement === firstItem) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); firstItem.focus(); }
  });

  return {
    el, open, hide,
    /** Shows the card again in the visit's language, when it is open. */
    render() { if (!el.hidden) fill(); },
    /** The button the next card opens from (null: the focus goes back to the viewer). */
    setOpener(button) { opener = button; },
    get hidden() { return el.hidden; },
  };
}
