// tiled.mjs — the tiled-panorama part of `cargo xtask bench` (xtask/src/bench/tiled.rs): in headless
// Chromium (WebGPU on SwiftShader, then WebGL2), a tiled tour opened in index.html: navigation →
// `ready` (the first frame: preview and base level) and navigation → full sharpness (the moment
// `handle.settled()` resolves with the loader idle: every tile the view asked for has arrived and no
// frame is pending), against Pannellum's `load` of a plain equirectangular panorama in the same
// browser. Figures only: nothing is asserted about speed.
// Usage: node web/bench/tiled.mjs [<base-url of a served dist/>] --tour <tour.json under base>
//          [--pannellum <Pannellum page under base>] [--runs N]
// The Pannellum page sets `window.loadedAt` (performance.now() at its `load` event) or
// `window.failed`. Without a base URL it serves $DISAN_DIST (default dist/) with
// web/tools/server.mjs. Markdown on stdout, progress on stderr; exit code 1 when a run failed.

import { launch, WEBGPU_FLAGS } from '../tools/chromium.mjs';
import { startServer, DIST } from '../tools/server.mjs';
import fs from 'node:fs';
import { median, fmt, table } from './report.mjs';

const PANNELLUM_VERSION = (() => {
  try {
    return fs.readFileSync(new URL('../node_modules/pannellum/VERSION', import.meta.url), 'utf8').trim();
  } catch {
    return '(version unknown)';
  }
})();

const BACKENDS = ['webgpu', 'webgl2'];
const VIEWPORT = { width: 1280, height: 720 };
const TIMEOUT_MS = 180_000; // SwiftShader is slow
/** Target: Disan's first frame of the tiled panorama at most this share of Pannellum's `load`. */
const FIRST_FRAME_TARGET = 0.5;

function parseArgs(argv) {
  const opts = { base: null, tour: null, pannellum: null, runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--tour') opts.tour = argv[++i];
    else if (a === '--pannellum') opts.pannellum = argv[++i];
    else if (a === '--runs') opts.runs = Math.max(1, Number(argv[++i]) || 1);
    else if (!a.startsWith('--') && !opts.base) opts.base = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.tour) throw new Error('give --tour <tour.json under the base URL>');
  if (opts.base && !opts.base.endsWith('/')) opts.base += '/';
  return opts;
}

const log = (...a) => console.error(...a);

/** Init script: once index.html has mounted the viewer, waits (from its `ready` event) for
 *  `handle.settled()` and records when it resolved and the engine's tile counts then. */
function hookSettled() {
  const st = (window.__tiled = { settled: null, status: null });
  let handle;
  Object.defineProperty(window, 'disanHandle', {
    configurable: true,
    get: () => handle,
    set(h) {
      handle = h;
      // `ready` is emitted inside the frame, before that frame submits its tile requests: ask
      // once the frame callback has returned.
      h.element.addEventListener('ready', () => queueMicrotask(() => h.settled().then(() => {
        st.settled = performance.now();
        st.status = h.engine?.tile_status() ?? null;
      })), { once: true });
    },
  });
}

/** One load of the tiled tour in a fresh context (empty HTTP cache). */
async function measureDisan(browser, base, backend, tour) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const logs = [];
  try {
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    await page.addInitScript(hookSettled);
    await page.goto(`${base}index.html?${new URLSearchParams({ tour, backend })}`);
    await page.waitForFunction(() => window.__tiled?.settled != null || window.disanEvents?.some((e) => e.type === 'error'),
      null, { timeout: TIMEOUT_MS, polling: 50 });
    const r = await page.evaluate((tour) => {
      const ev = window.disanEvents ?? [];
      const ready = ev.find((e) => e.type === 'ready');
      const error = ev.find((e) => e.type === 'error');
      const dir = new URL(tour, location.href).href.replace(/[^/]*$/, '');
      const files = performance.getEntriesByType('resource').filter((e) => e.name.startsWith(dir) && e.name.endsWith('.jpg'));
      return { ready: ready?.t, backend: ready?.detail.backend, error: error?.detail.message, settled: window.__tiled.settled,
        status: window.__tiled.status, files: files.length, bytes: files.reduce((n, e) => n + (e.encodedBodySize || 0), 0) };
    }, tour);
    if (r.error) throw new Error(`error: ${r.error}`);
    if (r.backend !== backend) throw new Error(`the page used ${r.backend}, not ${backend}`);
    if (r.status && r.status.loading) throw new Error(`settled with ${r.status.loading} tiles still loading`);
    return r;
  } catch (e) {
    throw new Error(`${e.message.split('\n')[0]}${logs.length ? `\n  console: ${logs.slice(-5).join('\n  console: ')}` : ''}`);
  } finally {
    await context.close();
  }
}

/** One load of the Pannellum page in a fresh context: navigation → `load`. */
async function measurePannellum(browser, base, pagePath) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await page.goto(`${base}${pagePath}`);
    await page.waitForFunction(() => window.loadedAt != null || window.failed != null, null, { timeout: TIMEOUT_MS, polling: 50 });
    const r = await page.evaluate(() => ({ load: window.loadedAt, failed: window.failed }));
    if (r.failed) throw new Error(`Pannellum: ${r.failed}`);
    return r;
  } finally {
    await context.close();
  }
}

const span = (xs) => (xs.length > 1 ? ` (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})` : '');
const size = (n) => (n < 1048576 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1048576).toFixed(2)} MB`);

async function run(opts) {
  const results = [];
  let version = '';
  for (const backend of BACKENDS) {
    const browser = await launch(backend);
    version = browser.version();
    const r = { backend, disan: [], pannellum: [], errors: [] };
    results.push(r);
    try {
      log(`== tiled ${backend}: warm-up loads (not counted)`);
      await measureDisan(browser, opts.base, backend, opts.tour).catch((e) => log(`   warm-up failed: ${e.message}`));
      if (opts.pannellum) await measurePannellum(browser, opts.base, opts.pannellum).catch((e) => log(`   warm-up failed: ${e.message}`));
      for (let i = 0; i < opts.runs; i++) {
        // Alternated, so that both see the same state of the machine.
        try {
          const m = await measureDisan(browser, opts.base, backend, opts.tour);
          r.disan.push(m);
          log(`== tiled ${backend} run ${i + 1}: ready at ${fmt(m.ready)} ms, sharp at ${fmt(m.settled)} ms (${m.files} files)`);
        } catch (e) {
          r.errors.push(`Disan: ${e.message}`);
          log(`== tiled ${backend} run ${i + 1} FAILED: ${e.message}`);
        }
        if (!opts.pannellum) continue;
        try {
          const m = await measurePannellum(browser, opts.base, opts.pannellum);
          r.pannellum.push(m);
          log(`== pannellum (${backend} browser) run ${i + 1}: load at ${fmt(m.load)} ms`);
        } catch (e) {
          r.errors.push(`Pannellum: ${e.message}`);
          log(`== pannellum (${backend} browser) run ${i + 1} FAILED: ${e.message}`);
        }
      }
    } finally {
      await browser.close();
    }
  }

  const out = [];
  out.push(`Headless Chromium ${version}, viewport ${VIEWPORT.width}×${VIEWPORT.height} at device pixel ratio 1; each run in a fresh ` +
    `browser context (empty HTTP cache), after one uncounted warm-up load; medians of ${opts.runs} runs (min–max). ` +
    `Disan: \`index.html?tour=${opts.tour}&backend=…\`; first frame = navigation → \`ready\` (preview and base level drawn); ` +
    'full sharpness = navigation → `handle.settled()` resolved with the loader idle (every tile the view asked for delivered ' +
    'and drawn, no frame pending). ' +
    (opts.pannellum ? `Pannellum ${PANNELLUM_VERSION} (web/node_modules/pannellum/build): navigation → its \`load\` event for the 4096×2048 ` +
      '`examplepano.jpg` (equirectangular, one image), in the same browser.' : 'Pannellum: skipped (no page given).'));
  out.push(`WebGPU flags: \`${WEBGPU_FLAGS.join(' ')}\`.`);
  out.push('');
  const rows = [];
  for (const r of results) {
    const ready = r.disan.map((m) => m.ready), sharp = r.disan.map((m) => m.settled);
    const files = median(r.disan.map((m) => m.files)), bytes = median(r.disan.map((m) => m.bytes));
    const tiles = r.disan.at(-1)?.status;
    rows.push([r.backend, 'Disan, tiled 16384×8192', r.disan.length ? `${fmt(median(ready))}${span(ready)}` : 'failed',
      r.disan.length ? `${fmt(median(sharp))}${span(sharp)}` : '',
      r.disan.length ? `${files} (${size(bytes)})${tiles ? `; ${tiles.ready} tiles in the cache` : ''}` : '']);
    if (opts.pannellum) {
      const load = r.pannellum.map((m) => m.load);
      rows.push([r.backend === 'webgpu' ? 'WebGL (in the WebGPU browser)' : 'WebGL', 'Pannellum, examplepano.jpg 4096×2048',
        r.pannellum.length ? `${fmt(median(load))}${span(load)}` : 'failed', '', '1 (examplepano.jpg)']);
    }
  }
  out.push(table(['backend', 'viewer, panorama', '>first frame ms', '>full sharpness ms', 'JPEG files fetched'], rows));
  out.push('');
  for (const r of results) {
    const ready = median(r.disan.map((m) => m.ready)), load = median(r.pannellum.map((m) => m.load));
    if (!Number.isFinite(ready) || !Number.isFinite(load)) continue;
    const ratio = ready / load;
    out.push(`- ${r.backend}: Disan's first frame of the 16384×8192 tiles is **${fmt(ratio, 2)}×** Pannellum's load of the ` +
      `4096×2048 JPEG (${fmt(ready)} against ${fmt(load)} ms); target ≤ ${FIRST_FRAME_TARGET}×: ` +
      `${ratio <= FIRST_FRAME_TARGET ? 'met' : '**not met**'}.`);
  }
  const failed = results.filter((r) => r.errors.length);
  if (failed.length) {
    out.push('');
    out.push('Failed runs:');
    for (const r of failed) for (const e of r.errors) out.push(`- ${r.backend}: ${e.replace(/\n/g, '\n  ')}`);
  }
  console.log(out.join('\n'));
  if (failed.length) process.exitCode = 1;
}

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

main().catch((e) => {
  console.error(e.stack ?? String(e));
  process.exit(1);
});
