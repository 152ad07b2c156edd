// loader.js — fetching for the engine, written once: fulfils the visit's requests (see
// `Engine.take_requests` in docs/web-engine-api.md) with fetch and createImageBitmap, a few at a
// time and most urgent first, and aborts those the visit no longer wants. No decisions here:
// which resources a scene needs is the engine's business.

const message = (e) => (e instanceof Error ? e.message : String(e));
export const fileName = (url) => decodeURIComponent(new URL(url).pathname.split('/').pop() || String(url));

/** A Response whose body reports `(bytesSoFar, total)` while it is read. */
export function withProgress(res, onProgress) {
  const total = Number(res.headers.get('Content-Length')) || 0;
  if (!res.body || !onProgress) return res;
  let got = 0;
  const counted = res.body.pipeThrough(new TransformStream({
    transform(chunk, ctl) { got += chunk.byteLength; onProgress(got, total); ctl.enqueue(chunk); },
  }));
  return new Response(counted, { status: res.status, statusText: res.statusText, headers: res.headers });
}

export async function fetchOk(url, signal) {
  const res = await fetch(url, { signal });
  if (!res.ok) throw new Error(`${fileName(url)}: HTTP ${res.status} ${res.statusText}`.trim());
  return res;
}

export async function fetchBytes(url, signal, onProgress) {
  const res = withProgress(await fetchOk(url, signal), onProgress);
  return new Uint8Array(await res.arrayBuffer());
}

async function decodeImage(blob, url) {
  try {
    const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    performance.mark('disan:decoded');
    return bitmap;
  } catch (e) {
    throw new Error(`${fileName(url)}: the image cannot be decoded (${message(e)})`);
  }
}

/** The pixels of a decoded image (closes the bitmap). */
function toImageData(bitmap) {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const g = canvas.getContext('2d', { willReadFrequently: true });
  g.drawImage(bitmap, 0, 0);
  const data = g.getImageData(0, 0, bitmap.width, bitmap.height);
  bitmap.close();
  return data;
}

/** Chromium's WebGPU cannot always copy an ImageBitmap into a texture (it fails under
 *  SwiftShader), so the WebGPU build gets the browser-decoded pixels as ImageData instead;
 *  the WebGL2 build takes the bitmap as it is. ImageData suits both. */
/** Block-compressed textures in a plain GLB from the decoder module (`image::BLOCKS_MIME`). */
const BLOCKS_MIME = 'image/x-disan-blocks';
const forBackend = (backend, image) => (image instanceof ImageBitmap && backend === 'webgpu' ? toImageData(image) : image);
const release = (image) => image?.close?.();

/**
 * A loader for one viewer. `base`: URL the request paths are relative to (the tour file);
 * `onProgress(file, got, total)`; `onDone()` after each request (the shell then pumps the engine);
 * `decoders(name)`: a promise of the compressed-glTF decoder module `name` (`meshopt`, `draco`,
 * `ktx2`, or `decoders` with all three; each loaded on first use).
 */
export function createLoader({ base, concurrency = 4, onProgress, onDone, decoders }) {
  let engine = null;
  const queue = [];
  const active = new Map(); // request id -> AbortController
  const early = new Map(); // URL -> promise of a decoded image, fetched before the engine existed

  function run() {
    while (engine && active.size < concurrency && queue.length) start(queue.shift());
  }

  function start(req) {
    const ctl = new AbortController();
    active.set(req.id, ctl);
    fulfil(req, ctl.signal)
      .catch((e) => {
        if (ctl.signal.aborted || !engine) return;
        const text = message(e), file = fileName(new URL(req.path, base));
        engine.fail(req.id, text.includes(file) ? text : `${file}: ${text}`);
      })
      .finally(() => {
        active.delete(req.id);
        run();
        onDone?.();
      });
  }

  async function image(url, signal, progress, type) {
    const bytes = await fetchBytes(url, signal, progress);
    return decodeImage(new Blob([bytes], type ? { type } : {}), url);
  }

  async function fulfil(req, signal) {
    const url = new URL(req.path, base);
    const file = fileName(url);
    const progress = req.priority === 0 ? (g, n) => onProgress?.(file, g, n) : null;
    const wanted = () => engine && !signal.aborted && engine.is_wanted(req.id);
    const early_ = () => { const pre = early.get(url.href); early.delete(url.href); return pre; };
    if (req.resource === 'tile') {
      const pre = early_();
      const img = pre ? await pre : await image(url, signal, null);
      if (!wanted()) { release(img); return; }
      engine.deliver_image(req.id, forBackend(engine.backend(), img));
      return;
    }
    if (req.resource === 'panorama' || req.resource === 'environment') {
      const pre = early_();
      const img = pre ? await pre : await image(url, signal, progress);
      if (!wanted()) { release(img); return; }
      // Larger than this GPU takes: cut where the engine says, deliver the pieces.
      const rects = req.resource === 'panorama' ? engine.panorama_pieces(img.width, img.height) : [];
      if (rects.length > 1) {
        const pieces = await Promise.all(rects.map(([x, y, w, h]) => createImageBitmap(img, x, y, w, h)));
        const { width, height } = img;
        release(img);
        if (!wanted()) { pieces.forEach(release); return; }
        engine.deliver_pieces(req.id, pieces.map((p) => forBackend(engine.backend(), p)), width, height);
        return;
      }
      engine.deliver_image(req.id, forBackend(engine.backend(), img));
      return;
    }
    // A model: its bytes, then the buffers and images it names (parsed once by the engine).
    let bytes = await fetchBytes(url, signal, progress);
    if (!wanted()) return;
    // Paths of the files it names come back relative to the tour, checked by the engine.
    let needs = engine.model_needs(req.id, req.path, bytes);
    if (needs.decoders) {
      // Compressed: the decoder modules the engine names (its codec's, or the one with all
      // three), fetched only now and run in that order, make it plain.
      if (!decoders) throw new Error('this page has no decoders for compressed glTF');
      const mods = await Promise.all(needs.decoders.map((name) => decoders(name)));
      for (const dec of mods) {
        const files = new Map();
        await Promise.all(dec.needs(req.path, bytes).map(async (p) => files.set(p, await fetchBytes(new URL(p, base), signal))));
        if (!wanted()) return;
        // KTX2 textures come back as this GPU's block format where it samples one, else as PNG.
        bytes = dec.unpack(req.path, bytes, files, engine.block_format() ?? undefined);
      }
      needs = engine.model_needs(req.id, req.path, bytes);
    }
    const buffers = await Promise.all(needs.buffers.map((p) => (p == null ? new Uint8Array(0) : fetchBytes(new URL(p, base), signal))));
    if (!wanted()) return;
    const embedded = engine.model_buffers(req.id, buffers);
    const images = await Promise.all(needs.images.map((img, i) => (img.path != null
      ? image(new URL(img.path, base), signal, null, img.mime)
      // Blocks made by the decoder module go to the engine as they are.
      : img.mime === BLOCKS_MIME ? embedded[i]
        : decodeImage(new Blob([embedded[i]], { type: img.mime || 'image/png' }), `${url}#image${i}`))));
    if (!wanted()) { images.forEach(release); return; }
    engine.deliver_model(req.id, images.map((b) => forBackend(engine.backend(), b)));
  }

  return {
    /** The engine whose requests this loader fulfils. */
    setEngine(e) { engine = e; run(); },
    /** Queues requests (`Engine.take_requests()`), most urgent first. */
    submit(requests) {
      queue.push(...requests);
      queue.sort((a, b) => a.priority - b.priority);
      run();
    },
    /** Drops requests the visit no longer wants (`Engine.take_cancelled()`), aborting their fetches. */
    cancel(ids) {
      for (const id of ids) {
        const k = queue.findIndex((r) => r.id === id);
        if (k >= 0) queue.splice(k, 1);
        active.get(id)?.abort();
      }
    },
    /** Fetches and decodes an image before the engine exists (the first panorama), to be used by
     *  the request that names it. */
    prefetch(path, asPixels) {
      const url = new URL(path, base);
      if (early.has(url.href)) return;
      const job = image(url, undefined, (g, n) => !engine && onProgress?.(fileName(url), g, n))
        .then((img) => (asPixels ? toImageData(img) : img));
      job.catch(() => {}); // reported when the request uses it
      early.set(url.href, job);
    },
    /** True while anything is being fetched. */
    get busy() { return active.size > 0 || queue.length > 0; },
    destroy() {
      engine = null;
      queue.length = 0;
      for (const c of active.values()) c.abort();
    },
  };
}
