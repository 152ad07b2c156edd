// bench.mjs — the browser half of `cargo xtask bench`. In headless Chromium (WebGPU on SwiftShader,
// then WebGL2), for every scene of the demo tour and of each extra tour: navigation → `ready`, where
// that time goes, the frame rate while the view turns under a held mouse drag, and the frames an idle
// view draws. Figures only: nothing is asserted about speed.
// Usage: node web/bench/bench.mjs [<base-url of a served dist/>] [--tour <tour.json under base>]… [--runs N]
// Without a base URL it serves $DISAN_DIST (default dist/) itself with web/tools/server.mjs, the
// server of the browser tests and `cargo xtask serve`. Chromium is started as the browser tests
// start it (web/tools/chromium.mjs; env: CHROMIUM). Markdown report on stdout, progress on stderr;
// exit code 1 when a run failed.

import { launch, WEBGPU_FLAGS } from '../tools/chromium.mjs';
import { startServer, DIST } from '../tools/server.mjs';
import { median, fmt, table } from './report.mjs';

const BACKENDS = ['webgpu', 'webgl2'];
const VIEWPORT = { width: 1280, height: 720 };
const READY_TIMEOUT_MS = 120_000; // SwiftShader is slow
const SETTLE_TIMEOUT_MS = 30_000;
const IDLE_MS = 2000;
const TURN_MS = 3000;
const MOVE_EVERY_MS = 8; // at least one pointer move per 60 Hz frame
const DEMO_TOUR = 'tour/tour.json';

// --- Arguments -----------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { base: null, tours: [DEMO_TOUR], runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--tour') opts.tours.push(argv[++i]);
    else if (a === '--runs') opts.runs = Math.max(1, Number(argv[++i]) || 1);
    else if (!a.startsWith('--') && !opts.base) opts.base = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (opts.base && !opts.base.endsWith('/')) opts.base += '/';
  return opts;
}

const log = (...a) => console.error(...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- The scenes to measure ----------------------------------------------------------------------

/** Every scene of the tour at `tourPath` (relative to `base`), with its asset and that file's size. */
async function scenesOf(base, tourPath) {
  const tourUrl = new URL(tourPath, base);
  const res = await fetch(tourUrl);
  if (!res.ok) throw new Error(`${tourUrl}: HTTP ${res.status}`);
  const tour = JSON.parse((await res.text()).replace(/^\uFEFF/, ''));
  return Promise.all(tour.scenes.map(async (s) => {
    const asset = s.kind === 'object' ? s.model : s.image;
    const head = asset ? await fetch(new URL(asset, tourUrl), { method: 'HEAD' }) : null;
    const bytes = Number(head?.headers.get('content-length')) || 0;
    return { tour: tourPath, id: s.id, kind: s.kind, asset: asset ?? '', bytes };
  }));
}

function pageUrl(base, backend, scene) {
  const q = new URLSearchParams({ backend });
  if (scene.tour !== DEMO_TOUR) q.set('tour', scene.tour);
  return `${base}index.html?${q}#scene=${encodeURIComponent(scene.id)}`;
}

// --- In the page ---------------------------------------------------------------------------------

/** Init script: counts requestAnimationFrame callbacks (all of them are the viewer's on index.html)
 *  and times image decoding and the WebGPU path's bitmap → ImageData copy, without changing them. */
function instrument() {
  const bench = (window.__bench = { frames: 0, decodes: [], pixelsMs: 0 });
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((t) => { bench.frames++; cb(t); });
  const decode = window.createImageBitmap;
  window.createImageBitmap = function (...args) {
    const t0 = performance.now();
    return decode.apply(window, args).then((b) => { bench.decodes.push([t0, performance.now()]); return b; });
  };
  const ctx = window.OffscreenCanvasRenderingContext2D?.prototype;
  for (const name of ctx ? ['drawImage', 'getImageData'] : []) {
    const f = ctx[name];
    ctx[name] = function (...args) {
      const t0 = performance.now();
      try { return f.apply(this, args); } finally { bench.pixelsMs += performance.now() - t0; }
    };
  }
}

/** Timestamps (ms since navigation start) of the steps to `ready`, read in the page. */
function timeline(tourPath) {
  const ev = window.disanEvents ?? [];
  const ready = ev.find((e) => e.type === 'ready');
  const change = ev.find((e) => e.type === 'scenechange');
  const error = ev.find((e) => e.type === 'error');
  const res = performance.getEntriesByType('resource');
  const tourUrl = new URL(tourPath, location.href).href;
  const tourDir = tourUrl.slice(0, tourUrl.lastIndexOf('/') + 1);
  const wasm = res.find((r) => r.name.endsWith('_bg.wasm'));
  const tourJson = res.find((r) => r.name === tourUrl);
  const tourFiles = res.filter((r) => r.name === tourUrl || r.name === `${tourDir}catalog.json`);
  const assets = res.filter((r) => r.name.startsWith(tourDir) && r.name !== tourUrl && !r.name.endsWith('/catalog.json'));
  const max = (xs) => (xs.length ? Math.max(...xs) : undefined);
  return {
    ready: ready?.t, mountMs: ready?.detail.ms, backend: ready?.detail.backend, scene: ready?.detail.scene,
    error: error?.detail.message, change: change?.t, wasmEnd: wasm?.responseEnd, tourStart: tourJson?.startTime,
    tourEnd: max(tourFiles.map((r) => r.responseEnd)),
    assetStart: assets.length ? Math.min(...assets.map((r) => r.startTime)) : undefined,
    assetEnd: max(assets.map((r) => r.responseEnd)),
    decodeEnd: max(window.__bench.decodes.map((d) => d[1])), pixelsMs: window.__bench.pixelsMs,
  };
}

const counter = (page) => page.evaluate(() => ({ frames: window.__bench.frames, t: performance.now() }));

/** Resolves true once the viewer has no frame pending, false after `ms`. */
const settle = (page, ms = SETTLE_TIMEOUT_MS) => page.evaluate((ms) => Promise.race([
  window.disanHandle.settled().then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]), ms);

/** Holds a drag on the canvas for TURN_MS (a pointer move every MOVE_EVERY_MS, through the page's
 *  normal input path) and counts the frames drawn meanwhile. */
async function turn(page, object) {
  const at = await page.evaluate(({ width, height }) => {
    for (const fy of [0.75, 0.6, 0.85, 0.5, 0.4, 0.3]) {
      for (const fx of [0.2, 0.3, 0.4, 0.1, 0.5]) {
        const x = Math.round(width * fx), y = Math.round(height * fy);
        if (document.elementFromPoint(x, y)?.classList.contains('disan-canvas')) return { x, y };
      }
    }
    return null;
  }, VIEWPORT);
  if (!at) throw new Error('no point of the canvas is free of overlays to start a drag');
  const span = Math.min(600, VIEWPORT.width - at.x - 20);
  // Per-pass GPU times where the browser has timestamp queries (WebGPU's `timestamp-query`).
  const timing = await page.evaluate(() => window.disanHandle.engine.set_gpu_timing(true));
  await page.mouse.move(at.x, at.y);
  await page.mouse.down();
  await page.mouse.move(at.x + 2, at.y);
  const start = await counter(page);
  const t0 = Date.now();
  let last = t0;
  while (Date.now() - t0 < TURN_MS) {
    await page.mouse.move(at.x + 2 + span * ((Date.now() - t0) / TURN_MS), at.y);
    const wait = MOVE_EVERY_MS - (Date.now() - last);
    if (wait > 0) await sleep(wait);
    last = Date.now();
  }
  const end = await counter(page);
  // `pick` keeps the passes asked for: the frames of the drag are read back while the pointer
  // still moves (those a few frames late are lost); once it rests, the passes only a frame at
  // rest uses (an object's `scene` + `compose`; a panorama has none: always `direct`).
  const passes = (t, pick) => Object.entries(t).filter(([pass]) => pick(pass))
    .map(([pass, { ms }]) => `${pass} ${fmt(ms, 1)}`).join(', ') || '—';
  const gpu = {};
  if (timing) gpu.turning = passes(await page.evaluate(() => window.disanHandle.engine.gpu_timings()), () => true);
  await page.mouse.up();
  if (timing) {
    await settle(page);
    // An object's frame at rest: its times come back once the GPU has drawn it (up to 3 s on a
    // software GPU). A panorama has no other pass.
    const rest = {};
    for (let i = 0; object && i < 15 && !Object.keys(rest).some((p) => p !== 'direct'); i++) {
      await sleep(200);
      Object.assign(rest, await page.evaluate(() => window.disanHandle.engine.gpu_timings()));
    }
    await page.evaluate(() => window.disanHandle.engine.set_gpu_timing(false));
    gpu.rest = passes(rest, (pass) => pass !== 'direct');
  }
  const seconds = (end.t - start.t) / 1000;
  return { frames: end.frames - start.frames, seconds, fps: (end.frames - start.frames) / seconds, gpu };
}

/** One measurement in a fresh browser context (empty HTTP cache). */
async function measure(browser, base, backend, scene, { full = true } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const logs = [];
  try {
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    await page.addInitScript(instrument);
    await page.goto(pageUrl(base, backend, scene));
    await page.waitForFunction(() => window.disanEvents?.some((e) => e.type === 'ready' || e.type === 'error'),
      null, { timeout: READY_TIMEOUT_MS, polling: 50 });
    const tl = await page.evaluate(timeline, scene.tour);
    if (tl.ready == null) throw new Error(`error before ready: ${tl.error}`);
    if (tl.backend !== backend) throw new Error(`the page used ${tl.backend}, not ${backend}`);
    if (tl.scene !== scene.id) throw new Error(`the first scene was ${tl.scene}, not ${scene.id}`);
    if (!full) return { tl };
    if (!(await settle(page))) throw new Error('the view did not come to rest after ready');
    await page.waitForTimeout(200);
    const a = await counter(page);
    await page.waitForTimeout(IDLE_MS);
    const b = await counter(page);
    const idle = b.frames - a.frames;
    const turning = await turn(page, scene.kind === 'object');
    const info = await page.evaluate(adapterInfo, backend);
    return { tl, idle, turning, info };
  } catch (e) {
    throw new Error(`${e.message.split('\n')[0]}${logs.length ? `\n  console: ${logs.slice(-5).join('\n  console: ')}` : ''}`);
  } finally {
    await context.close();
  }
}

/** The WebGPU adapter or the WebGL renderer the page gets. */
async function adapterInfo(backend) {
  if (backend === 'webgpu') {
    const a = await navigator.gpu?.requestAdapter();
    if (!a) return 'no adapter';
    return [a.info?.vendor, a.info?.architecture, a.info?.description].filter(Boolean).join(' / ') || 'unknown';
  }
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return 'no WebGL2';
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
}

// --- Figures -------------------------------------------------------------------------------------

const size = (n) => (!n ? '' : n < 1048576 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1048576).toFixed(2)} MB`);

/** The steps to ready as durations (ms) from one run's timeline. */
function steps(tl) {
  const d = (a, b) => (a != null && b != null ? b - a : undefined);
  return {
    download: tl.wasmEnd, engine: d(tl.wasmEnd, tl.tourStart), tour: d(tl.tourStart, tl.tourEnd), begin: d(tl.tourEnd, tl.assetStart),
    fetch: d(tl.assetStart, tl.assetEnd), decode: d(tl.assetEnd, tl.decodeEnd), upload: d(tl.decodeEnd, tl.change),
    pixels: tl.pixelsMs, frame: d(tl.change, tl.ready),
  };
}

// --- Main ----------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const server = opts.base ? null : await startServer(DIST);
  if (server) {
    opts.base = server.url;
    log(`== serving ${DIST} at ${server.url}`);
  }
  try {
    await run(opts);
  } finally {
    await server?.close();
  }
}

async function run(opts) {
  const scenes = (await Promise.all(opts.tours.map((t) => scenesOf(opts.base, t)))).flat();
  const results = []; // { backend, scene, runs: [...], errors: [...] }
  const info = {};
  let version = '';
  for (const backend of BACKENDS) {
    const browser = await launch(backend);
    version = browser.version();
    try {
      log(`== ${backend}: warm-up load (not counted)`);
      await measure(browser, opts.base, backend, scenes[0], { full: false }).catch((e) => log(`   warm-up failed: ${e.message}`));
      for (const scene of scenes) {
        const r = { backend, scene, runs: [], errors: [] };
        results.push(r);
        for (let i = 0; i < opts.runs; i++) {
          try {
            const m = await measure(browser, opts.base, backend, scene);
            r.runs.push(m);
            info[backend] = m.info;
            log(`== ${backend} ${scene.id} run ${i + 1}: ready at ${fmt(m.tl.ready)} ms, ${fmt(m.turning.fps, 1)} fps turning, ${m.idle} idle frames`);
          } catch (e) {
            r.errors.push(e.message);
            log(`== ${backend} ${scene.id} run ${i + 1} FAILED: ${e.message}`);
          }
        }
      }
    } finally {
      await browser.close();
    }
  }

  const out = [];
  out.push(`Headless Chromium ${version} (\`--headless=new\`), viewport ${VIEWPORT.width}×${VIEWPORT.height} at device pixel ratio 1. ` +
    `Each run loads \`index.html?backend=…#scene=<id>\` in a fresh browser context (empty HTTP cache); one uncounted warm-up load ` +
    `per backend first; figures are the median of ${opts.runs} runs (navigation→ready also shows min–max).`);
  out.push('');
  out.push(`- WebGPU: \`${WEBGPU_FLAGS.join(' ')}\`; adapter: ${info.webgpu ?? 'unknown'}.`);
  out.push(`- WebGL2: ${info.webgl2 ?? 'unknown'}.`);
  out.push(`- fps while turning: a mouse drag held for ${TURN_MS / 1000} s (a pointer move every ${MOVE_EVERY_MS} ms), ` +
    'frames = requestAnimationFrame callbacks run meanwhile. Idle frames: callbacks in ' +
    `${IDLE_MS / 1000} s once the view has settled after ready (should be 0).`);
  out.push('');
  const rows = results.map(({ backend, scene, runs, errors }) => {
    const ready = runs.map((m) => m.tl.ready);
    const span = ready.length > 1 ? ` (${fmt(Math.min(...ready))}–${fmt(Math.max(...ready))})` : '';
    const idle = runs.map((m) => m.idle);
    return [backend, scene.id, `${scene.asset}${scene.bytes ? ` (${size(scene.bytes)})` : ''}`,
      runs.length ? `${fmt(median(ready))}${span}` : 'failed', fmt(median(runs.map((m) => m.tl.mountMs))),
      fmt(median(runs.map((m) => m.turning.fps)), 1), idle.length ? `${median(idle)}${idle.some((n) => n) ? ` (runs: ${idle.join(', ')})` : ''}` : '—',
      runs.at(-1)?.turning?.gpu?.turning ?? '—', runs.at(-1)?.turning?.gpu?.rest ?? '—',
      errors.length ? `${errors.length} failed` : ''];
  });
  out.push('- GPU ms per pass: timestamp queries where the browser has them (WebGPU `timestamp-query`; none on WebGL2), ' +
    'mean of the frames drawn while turning (read while the pointer moves), then the passes only a frame at rest uses (last run). ' +
    '`direct`: one pass into the canvas (panoramas; objects while they turn); `scene` + `compose`: an object at rest, multisampled, then to the canvas.');
  out.push('');
  out.push(table(['backend', 'scene', 'asset', '>navigation→ready ms', '>mount→ready ms', '>fps turning', '>idle frames', 'GPU ms turning', 'GPU ms at rest', 'note'], rows));
  out.push('');
  out.push('### Where the time to `ready` goes (ms, medians)');
  out.push('');
  const stepRows = results.filter((r) => r.runs.length).map(({ backend, scene, runs }) => {
    const s = runs.map((m) => steps(m.tl));
    const med = (k) => fmt(median(s.map((x) => x[k])));
    return [backend, scene.id, med('download'), med('engine'), med('tour'), med('begin'), med('fetch'), med('decode'), med('upload'), med('pixels'), med('frame'),
      fmt(median(runs.map((m) => m.tl.ready)))];
  });
  out.push(table(['backend', 'scene', '>page + wasm downloaded', '>engine created', '>tour.json + catalog', '>→ asset requested', '>asset fetch',
    '>decode', '>upload', '>(of it: to ImageData)', '>first frame', '>= ready'], stepRows));
  out.push('');
  out.push('page + wasm downloaded: navigation start → end of the .wasm response. engine created: → `tour.json` requested ' +
    '(wasm compile + instantiate, `Engine.create`: adapter, device, surface). tour.json + catalog: → both responses ' +
    'ended (includes `load_tour`, which runs between the two fetches). → asset requested: `add_catalog`, `problems`, `languages`, ' +
    'the language bar and `start` (the engine\'s first requests). asset fetch: the scene\'s files. decode: → the ' +
    'last `createImageBitmap` resolved. upload: → `scenechange` (`deliver_image`/`deliver_model` returned; on WebGPU it includes ' +
    'drawing the bitmap into an OffscreenCanvas and `getImageData`, shown in the next column). first frame: `scenechange` → ' +
    '`ready` (waiting for the animation frame and `engine.frame`).');

  const extra = results.filter((r) => r.scene.tour !== DEMO_TOUR && r.runs.length);
  // Targets from the issues: the 4096×2048 panorama (Pannellum ≈ 640 ms), and half of what
  // <model-viewer> needs for each model on this machine; orbiting DamagedHelmet ≥ 9 fps.
  const TARGETS = { examplepano: 550, 'damaged-helmet': 2400, 'toy-car': 3200, 'iridescence-abalone': 2100 };
  for (const r of extra) {
    const m = median(r.runs.map((x) => x.tl.ready));
    const target = TARGETS[r.scene.id];
    out.push('');
    out.push(`**${r.scene.asset}** (${r.scene.tour}) navigation→ready with ${r.backend}: **${fmt(m)} ms**` +
      (target ? `; target ≤ ${target} ms: ${m <= target ? 'met' : 'not met'}.` : '.'));
    const fps = median(r.runs.filter((x) => x.turning).map((x) => x.turning.fps));
    if (r.scene.id === 'damaged-helmet' && Number.isFinite(fps)) {
      out.push(`Orbiting it: **${fmt(fps, 1)} fps**; target ≥ 9 fps: ${fps >= 9 ? 'met' : 'not met'}.`);
    }
  }
  const failed = results.filter((r) => r.errors.length);
  if (failed.length) {
    out.push('');
    out.push('### Failed runs');
    out.push('');
    for (const r of failed) for (const e of r.errors) out.push(`- ${r.backend} ${r.scene.id}: ${e.replace(/\n/g, '\n  ')}`);
  }
  console.log(out.join('\n'));
  if (failed.length) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e.stack ?? String(e));
  process.exit(1);
});
