// address.js — the page address of disan.js: where a visit starts (`#scene=…&yaw=…`), a history
// entry per scene (Back and Forward move between scenes), the view kept in the address once it
// rests, `viewchange`, and the shared link. The link itself is the engine's (`Engine.link`,
// `start_link`); this only reads and writes `location` and `history`.

import { send, command } from './protocol.js';

const message = (e) => (e instanceof Error ? e.message : String(e));

/**
 * `createAddress({ state, hash, emit, showError, pump, toast, t })`: `state` the mount's shared
 * state (`engine`, `scene`, `destroyed`), `hash` whether the address follows the visit at all.
 * Returns `{ startLink(first), start(link), listen(), render(time, rest), sceneChanged(),
 * share(), stop() }`.
 */
export function createAddress({ state, hash, emit, showError, pump, toast, t }) {
  let lastLink = '', linkTimer = 0, viewAt = 0, fromHistory = false;

  /** Where the visit starts: the address's link (scene, view, step), else the `scene` option. */
  function startLink(first) {
    const fromHash = hash ? location.hash.slice(1) : '';
    return fromHash || (first ? new URLSearchParams({ scene: first }).toString() : '');
  }
  /** Opens the visit at `link` (the engine may throw). */
  function start(link) {
    lastLink = link;
    state.engine.start_link(link);
  }
  function listen() {
    if (!hash) return;
    window.addEventListener('popstate', onHistory);
    window.addEventListener('hashchange', onHistory);
  }
  // The address and `viewchange` follow the view: events at most every 250 ms, the address once
  // the view rests (replaced, not pushed: Back moves between scenes, not views).
  function render(time, rest = false) {
    if (!rest && time - viewAt < 250) return;
    viewAt = time;
    const link = state.engine.link();
    if (link === lastLink) return;
    lastLink = link;
    emit('viewchange', { scene: state.scene, view: state.engine.view() });
    if (!hash || !state.scene) return;
    clearTimeout(linkTimer);
    linkTimer = setTimeout(() => {
      // Only the entry of the scene on screen (Back may have moved to another meanwhile).
      if (state.destroyed || !state.engine || history.state?.disanScene !== state.scene) return;
      const now = state.engine.link();
      if (now && location.hash.slice(1) !== now) history.replaceState({ disanScene: state.scene }, '', `#${now}`);
    }, rest ? 0 : 400);
  }
  /** A scene is on screen: a history entry per scene, so Back and Forward move between scenes. */
  function sceneChanged() {
    if (hash) {
      const scene = state.scene, link = state.engine.link();
      if (fromHistory || !history.state?.disanScene) history.replaceState({ disanScene: scene }, '', `#${link}`);
      else if (history.state.disanScene !== scene) history.pushState({ disanScene: scene }, '', `#${link}`);
      lastLink = link;
    }
    fromHistory = false;
  }
  // Back, Forward, or an address typed: the engine opens the link (its scene, view or step).
  function onHistory() {
    const link = location.hash.slice(1);
    clearTimeout(linkTimer);
    if (!state.engine || link === state.engine.link()) return; // the address names what is on screen
    fromHistory = true;
    try { state.engine.start_link(link); } catch (e) { showError(t().error, message(e)); }
    lastLink = link;
    pump();
  }
  /** The link of the view on screen: Web Share where the browser has it, else copied. */
  async function share() {
    if (!state.engine) return;
    send(state.engine, command.touch());
    const url = `${location.href.split('#')[0]}#${state.engine.link()}`;
    try {
      if (navigator.share) { await navigator.share({ title: state.engine.tour_title() || document.title, url }); return; }
    } catch (e) { if (e?.name === 'AbortError') return; }
    try { await navigator.clipboard.writeText(url); toast(t().copied); } catch { toast(url); }
  }
  function stop() {
    window.removeEventListener('popstate', onHistory);
    window.removeEventListener('hashchange', onHistory);
    clearTimeout(linkTimer);
  }

  return { startLink, start, listen, render, sceneChanged, share, stop };
}
