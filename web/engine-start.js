// engine-start.js — the engine's start for disan.js: tour.json and its catalog fetched, the
// backend chosen, its wasm module loaded (once per page), the canvas, the GPU started, the tour
// and its catalog handed over. What the tour means is the engine's business.
import { UI } from './ui-text.js';
import { fetchOk, fileName, withProgress } from './loader.js';
import { h } from './dom.js';

// Per backend: the full engine, and the smaller one without object scenes (glTF) for tours of
// panoramas only.
const PKG = {
  webgpu: { full: './pkg/disan_webgpu.js', pano: './pkg/disan_webgpu_pano.js' },
  webgl2: { full: './pkg/disan_webgl.js', pano: './pkg/disan_webgl_pano.js' },
};
// The compressed-glTF decoders, one module a codec (meshopt, draco, ktx2) and one with all three
// (decoders), each fetched only when a model needs it.
const DECODERS = (name) => `./pkg/disan_${name}.js`;
const CREATE_TIMEOUT_MS = 10000;

const message = (e) => (e instanceof Error ? e.message : String(e));

/** The tour text parsed (a BOM allowed), or null when it is not JSON: the engine reports why. */
function tourJson(text) {
  try { return JSON.parse(text.replace(/^\uFEFF/, '')); } catch { return null; }
}

/** True when the tour text has object scenes (then the full engine is fetched). */
function needsObjects(text) {
  const scenes = tourJson(text)?.scenes;
  return !Array.isArray(scenes) || scenes.some((s) => !s || s.kind !== 'panorama');
}

// One wasm module per package, initialised once per page; listeners get its download progress.
const packages = {};
function loadPackage(file, onProgress) {
  let pkg = packages[file];
  if (!pkg) {
    const listeners = new Set();
    const promise = (async () => {
      const glue = new URL(file, import.meta.url);
      const mod = await import(glue.href);
      const wasm = new URL(glue.pathname.replace(/\.js$/, '_bg.wasm'), glue);
      const res = withProgress(await fetchOk(wasm), (g, t) => listeners.forEach((f) => f(g, t)));
      await mod.default({ module_or_path: res });
      performance.mark('disan:wasm');
      return mod;
    })();
    pkg = packages[file] = { promise, listeners };
    promise.catch(() => { if (packages[file] === pkg) delete packages[file]; });
  }
  pkg.listeners.add(onProgress);
  const done = () => pkg.listeners.delete(onProgress);
  pkg.promise.then(done, done);
  return pkg.promise;
}

/** The compressed-glTF decoder module of codec `name` (for the loader's `decoders`), loaded on
 *  first use. */
export const loadDecoders = (name, onProgress) => {
  if (!['meshopt', 'draco', 'ktx2', 'decoders'].includes(name)) throw new Error(`no decoder module "${name}"`);
  return loadPackage(DECODERS(name), onProgress);
};

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * `fetchTour(tourUrl)`: tour.json, and the catalog once the tour says where it is (catalog.json
 * beside it by default), both started at once so that they download alongside the wasm and the
 * GPU set-up. Returns `{ tourText, catalog }`: promises of the text and of `{ text, file }` (or
 * null: no catalog, the tour works without one).
 */
export function fetchTour(tourUrl) {
  const tourText = fetchOk(tourUrl).then((r) => r.text());
  tourText.catch(() => {});
  const catalog = tourText.then(async (text) => {
    const declared = tourJson(text)?.catalog_file;
    const url = new URL(declared || 'catalog.json', tourUrl);
    const res = await fetch(url).catch((e) => { throw new Error(`${fileName(url)}: ${message(e)}`); });
    if (res.ok) return { text: await res.text(), file: fileName(url) };
    if (declared || res.status !== 404) throw new Error(`${fileName(url)}: HTTP ${res.status}`);
    return null; // no catalog: the tour works without one
  });
  catalog.catch(() => {});
  return { tourText, catalog };
}

/**
 * `createEngineStart({ state, wrap, tourUrl, backend, maxTextureSide, gpuBudget, objects, t, loader,
 * progress, doneLoading, showError, requestRedraw })`: `state` the mount's shared state (its
 * `engine` and `destroyed` are read here, never written). Returns `{ el, resize(), start(files,
 * startLink, onEngine) }`: `el` the canvas (a fresh one replaces it when a backend fails),
 * `resize()` sizes it to the viewer, `start` resolves true once the engine has the tour and its
 * catalog (`onEngine(engine)` is called as soon as the GPU answers), false when it cannot go on.
 */
export function createEngineStart({ state, wrap, tourUrl, backend, maxTextureSide, gpuBudget, objects: withObjects = false, t, loader, progress, doneLoading, showError, requestRedraw }) {
  /** An interface string in the viewer's language, then in the other (the tour may be unread). */
  const bothLanguages = (key) => `${t()[key]}\n${(t() === UI.en ? UI.vi : UI.en)[key]}`;
  let canvas = h('canvas', { class: 'disan-canvas' });

  function resize() {
    const w = wrap.clientWidth, hgt = wrap.clientHeight, dpr = window.devicePixelRatio || 1;
    if (!w || !hgt) return;
    // Assigning a canvas size clears it, even to the same value: only when it changes.
    const cw = Math.round(w * dpr), ch = Math.round(hgt * dpr);
    if (canvas.width !== cw) canvas.width = cw;
    if (canvas.height !== ch) canvas.height = ch;
    if (state.engine) { state.engine.resize(w, hgt, dpr); requestRedraw(); }
  }

  async function createEngine(tourText, startLink) {
    const want = backend === 'webgl' ? 'webgl2' : backend;
    const order = want === 'webgpu' || want === 'webgl2' ? [want] : navigator.gpu ? ['webgpu', 'webgl2'] : ['webgl2'];
    const failures = [];
    let loadFailed = false, prefetched = false;
    for (const b of order) {
      if (failures.length) { // a canvas that had a context cannot get another kind: use a fresh one
        const fresh = h('canvas', { class: 'disan-canvas' });
        canvas.replaceWith(fresh);
        canvas = fresh;
        resize();
      }
      let mod;
      try {
        // Tours of panoramas only get the smaller engine (unless objects may come later: the
        // studio); a site that ships only the full one still works.
        const onProgress = (g, n) => progress(t().viewer, g, n);
        const objects = withObjects || await tourText.then(needsObjects, () => true);
        if (!objects) mod = await loadPackage(PKG[b].pano, onProgress).catch(() => null);
        if (!mod) mod = await loadPackage(PKG[b].full, onProgress);
      } catch (e) { // not the browser's fault: a missing or broken package
        failures.push(`${b}: ${message(e)}`);
        console.error('[disan] cannot load the engine:', b, e);
        loadFailed = true;
        continue;
      }
      if (state.destroyed) return null;
      // The first scene's images download and decode while the GPU starts (the engine says which).
      if (!prefetched) {
        prefetched = true;
        tourText.then((text) => {
          for (const r of mod.first_requests(text, startLink)) {
            if (r.resource !== 'model') loader.prefetch(r.path, b === 'webgpu');
          }
        }).catch(() => {});
      }
      let timedOut = false;
      try {
        const created = mod.Engine.create(canvas, b, maxTextureSide ?? undefined);
        created.then((e) => { performance.mark('disan:gpu'); if (timedOut) e.free(); }, () => {});
        return await withTimeout(created, CREATE_TIMEOUT_MS, `Engine.create(${b})`);
      } catch (e) {
        timedOut = true;
        failures.push(`${b}: ${message(e)}`);
        console.warn('[disan] backend failed:', b, e);
      }
    }
    const key = loadFailed ? 'not_loaded' : 'no_backend';
    throw Object.assign(new Error(failures.join('; ')), { headline: bothLanguages(key) });
  }

  async function start({ tourText, catalog }, startLink, onEngine) {
    let engine;
    try {
      engine = await createEngine(tourText, startLink);
    } catch (e) {
      doneLoading();
      wrap.classList.add('disan-failed');
      showError(e.headline ?? bothLanguages('tour_failed'), message(e));
      return false;
    }
    if (!engine) return false;
    if (state.destroyed) { engine.free(); return false; }
    onEngine(engine);
    let text;
    try {
      progress('tour.json', 0, 0);
      text = await tourText;
      if (state.destroyed) return false;
      if (gpuBudget) state.engine.set_gpu_budget(gpuBudget);
      state.engine.load_tour(text, fileName(tourUrl));
    } catch (e) { // tour.json missing or broken: a page that says so, in both languages
      doneLoading();
      if (state.destroyed) return false;
      wrap.classList.add('disan-failed');
      showError(bothLanguages('tour_failed'), message(e));
      return false;
    }
    try {
      const cat = await catalog;
      if (state.destroyed) return false;
      if (cat) state.engine.add_catalog(cat.text, cat.file);
    } catch (e) {
      if (state.destroyed) return false;
      showError(t().error, message(e)); // the tour still works without its catalog
    }
    return !state.destroyed;
  }

  return { get el() { return canvas; }, resize, start };
}
