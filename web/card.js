// card.js — the catalog card of disan.js: a modal dialog (the focus kept inside, Escape closes
// it, the focus given back to what opened it). Its content is the engine's (`Engine.card()`, in
// the visit's language); opening and closing follow the engine's `cardopen` / `cardclose`.
import { h } from './dom.js';

/**
 * `createCard({ uid, wrap, t, base, content, onClose })`: `uid` the viewer's id (the title's id),
 * `wrap` the viewer (Escape in it closes the card, the focus falls back to it), `base` the tour
 * URL (images are relative to it), `content()` the card to show (`Engine.card()`) or null,
 * `onClose()` the visitor closes it (the engine is asked; `cardclose` follows). Returns
 * `{ el, render(), open(), hide(), setOpener(button), hidden }`.
 */
export function createCard({ uid, wrap, t, base, content, onClose }) {
  const el = h('section', { class: 'disan-card', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': `${uid}-card-title`, tabindex: -1, hidden: true });
  let opener = null; // the hotspot button that opened it: the focus goes back there

  function open() {
    fill();
    el.hidden = false;
    wrap.classList.add('disan-card-open');
    el.querySelector('.disan-card-close')?.focus();
  }
  function fill() {
    const c = content();
    if (!c) return;
    const dl = h('dl', { class: 'disan-fields' });
    for (const f of c.fields) dl.append(h('dt', { text: f.label }), h('dd', { text: f.value }));
    const figures = c.images.map((img) => h('figure', {},
      h('img', { src: new URL(img.src, base).href, alt: img.alt, loading: 'lazy' }),
      img.caption ? h('figcaption', { text: img.caption }) : null));
    el.replaceChildren(
      h('button', { type: 'button', class: 'disan-card-close', 'aria-label': t().close, text: '×', onclick: onClose }),
      h('h3', { id: `${uid}-card-title`, class: 'disan-card-title', text: c.title }),
      c.description ? h('p', { class: 'disan-card-description', text: c.description }) : null,
      dl.childElementCount ? dl : null, ...figures);
  }
  function hide() {
    if (el.hidden) return;
    el.hidden = true;
    wrap.classList.remove('disan-card-open');
    (opener?.isConnected && !opener.hidden ? opener : wrap).focus({ preventScroll: true });
    opener = null;
  }
  wrap.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !el.hidden) { e.preventDefault(); onClose(); }
  });
  // The card is modal: Tab stays inside it.
  el.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') return;
    const items = [...el.querySelectorAll('button, a[href], [tabindex]:not([tabindex="-1"])')].filter((x) => !x.hidden);
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
