// scan.mjs — the huge-scan part of `cargo xtask bench` (xtask/src/bench/scan.rs), in headless
// Chromium (WebGPU on SwiftShader, then WebGL2):
// - load to first frame of a 2M-triangle scan opened as it is (`--raw`, one 60 MB GLB with an
//   8192-pixel texture) and through its derivatives (`--derived`: the thumb's first frame, then
//   the moment the level the device allows is swapped in), with the GPU memory the renderer holds;
// - decode time on wasm (the page's decoder modules `disan_draco` and `disan_meshopt`, `unpack`) of the same mesh compressed
//   with Draco (`--draco`) and with meshopt (`--meshopt`): median of several decodes after a warm-up.
// Figures only: nothing is asserted about speed.
// Usage: node web/bench/scan.mjs [<base-url>] --raw <tour> --derived <tour> [--draco <glb> --meshopt <glb>] [--runs N]
// Without a base URL it serves $DISAN_DIST (default dist/). Markdown on stdout, progress on stderr.

import { launch, WEBGPU_FLAGS } from '../tools/chromium.mjs';
import { startServer, DIST } from '../tools/server.mjs';
import { median, fmt, table } from './report.mjs';

const BACKENDS = ['webgpu', 'webgl2'];
const VIEWPORT = { width: 1280, height: 720 };
const TIMEOUT_MS = 300_000; // SwiftShader is slow, and the raw scan is 60 MB

function parseArgs(argv) {
  const opts = { base: null, raw: null, derived: null, draco: null, meshopt: null, runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--raw') opts.raw = argv[++i];
    else if (a === '--derived') opts.derived = argv[++i];
    else if (a === '--draco') opts.draco = argv[++i];
    else if (a === '--meshopt') opts.meshopt = argv[++i];
    else if (a === '--runs') opts.runs = Math.max(1, Number(argv[++i]) || 1);
    else if (!a.startsWith('--') && !opts.base) opts.base = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.raw || !opts.derived) throw new Error('give --raw <tour> and --derived <tour>');
  if (opts.base && !opts.base.endsWith('/')) opts.base += '/';
  return opts;
}

const log = (...a) => console.error(...a);

/** One load in a fresh context: navigation → `ready`, and (with derivatives) → the final level. */
async function measureLoad(browser, base, backend, tour, derived) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await page.goto(`${base}index.html?${new URLSearchParams({ tour, backend })}`);
    await page.waitForFunction(() => window.disanEvents?.some((e) => e.type === 'ready' || e.type === 'error'),
      null, { timeout: TIMEOUT_MS, polling: 20 });
    let final = null;
    if (derived) {
      await page.waitForFunction(() => {
        const d = window.disanHandle.engine.detail();
        if (d && !d.loading && d.wanted && d.shown.quality === d.wanted.quality && !window.__final) window.__final = performance.now();
        return window.__final != null || window.disanEvents?.some((e) => e.type === 'error');
      }, null, { timeout: TIMEOUT_MS, polling: 20 });
      final = await page.evaluate(() => window.__final);
    }
    await page.evaluate(() => window.disanHandle.settled());
    return await page.evaluate(([final]) => {
      const ev = window.disanEvents ?? [];
      const error = ev.find((e) => e.type === 'error');
      if (error) throw new Error(error.detail.message);
      const d = window.disanHandle.engine.detail();
      return {
        ready: ev.find((e) => e.type === 'ready')?.t,
        final,
        level: d ? `${d.shown.quality} (${d.shown.triangles} triangles, ${d.shown.texture} px)` : 'the original',
        gpu: window.disanHandle.engine.gpu_memory(),
      };
    }, [final]);
  } finally {
    await context.close();
  }
}

/** Decode times (ms) of `files` (`[path, codec]`) by their codec's decoder module's `unpack`,
 *  median of `runs` after a warm-up. */
async function measureDecode(browser, base, files, runs) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await page.goto(`${base}index.html?tour=none.json`);
    return await page.evaluate(async ([files, runs]) => {
      const out = {};
      for (const [f, codec] of files) {
        const m = await import(new URL(`pkg/disan_${codec}.js`, location.href).href);
        await m.default();
        const bytes = new Uint8Array(await (await fetch(f)).arrayBuffer());
        const name = f.split('/').pop();
        m.unpack(name, bytes, new Map());
        const times = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          m.unpack(name, bytes, new Map());
          times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        out[f] = { ms: times[times.length >> 1], bytes: bytes.length };
      }
      return out;
    }, [files, runs]);
  } finally {
    await context.close();
  }
}

const mb = (n) => (Number.isFinite(n) ? `${(n / 1048576).toFixed(1)} MB` : '—');

async function run(opts) {
  const rows = [];
  const decodeRows = [];
  let version = '';
  let failed = false;
  for (const backend of BACKENDS) {
    const browser = await launch(backend);
    version = browser.version();
    try {
      for (const [label, tour, derived] of [['as it is', opts.raw, false], ['derivatives', opts.derived, true]]) {
        const ms = [];
        let last = null;
        for (let i = 0; i < opts.runs; i++) {
          try {
            last = await measureLoad(browser, opts.base, backend, tour, derived);
            ms.push(last);
            log(`== scan ${backend} ${label} run ${i + 1}: ready ${fmt(last.ready)} ms, final ${fmt(last.final)} ms, ${last.level}`);
          } catch (e) {
            failed = true;
            log(`== scan ${backend} ${label} run ${i + 1} FAILED: ${e.message.split('\n')[0]}`);
          }
        }
        rows.push([backend, label, fmt(median(ms.map((m) => m.ready))), derived ? fmt(median(ms.map((m) => m.final))) : '',
          last?.level ?? 'failed', mb(last?.gpu?.content), mb(last?.gpu?.total)]);
      }
      if (backend === 'webgpu' && opts.draco && opts.meshopt) {
        try {
          const d = await measureDecode(browser, opts.base, [[opts.draco, 'draco'], [opts.meshopt, 'meshopt']], 5);
          const draco = d[opts.draco], meshopt = d[opts.meshopt];
          decodeRows.push(['Draco (gltf-pipeline -d)', `${(draco.bytes / 1048576).toFixed(2)} MB`, fmt(draco.ms, 1), '1.00']);
          decodeRows.push(['meshopt (gltfpack -c)', `${(meshopt.bytes / 1048576).toFixed(2)} MB`, fmt(meshopt.ms, 1), fmt(draco.ms / meshopt.ms, 1)]);
        } catch (e) {
          failed = true;
          log(`== decode FAILED: ${e.message.split('\n')[0]}`);
        }
      }
    } finally {
      await browser.close();
    }
  }
  const out = [];
  out.push(`Headless Chromium ${version}, viewport ${VIEWPORT.width}×${VIEWPORT.height}, default limits (no texture cap, the ` +
    `GPU budget the engine derives from the texture limit); each load in a fresh context (empty HTTP cache); medians of ${opts.runs} runs. ` +
    'First frame = navigation → `ready`; final level = navigation → the level the device and view allow swapped in ' +
    '(`engine.detail()`). GPU memory = `engine.gpu_memory()` at rest (the scene\'s content; total with targets and lighting).');
  out.push(`WebGPU flags: \`${WEBGPU_FLAGS.join(' ')}\`.`);
  out.push('');
  out.push(table(['backend', 'scan opened', '>first frame ms', '>final level ms', 'level shown', '>GPU (scene)', '>GPU (total)'], rows));
  out.push('');
  if (decodeRows.length) {
    out.push('Decode on wasm32 (the page\'s decoder modules `disan_draco` and `disan_meshopt`, `unpack` to a plain GLB; WebGPU browser), the same mesh ' +
      'compressed two ways, median of 5 decodes after a warm-up:');
    out.push('');
    out.push(table(['mesh compression', '>file', '>decode ms', '>Draco / this'], decodeRows));
    out.push('');
  }
  console.log(out.join('\n'));
  return failed;
}

const opts = parseArgs(process.argv.slice(2));
let server = null;
if (!opts.base) {
  server = await startServer(DIST);
  opts.base = server.url;
}
try {
  const failed = await run(opts);
  process.exitCode = failed ? 1 : 0;
} finally {
  await server?.close();
}
