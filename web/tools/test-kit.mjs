// test-kit.mjs — what the browser tests share: the demo tour as dist/ has it, the `disan` binary,
// PNG decoding and image statistics (8-bit RGB/RGBA, as Chromium writes them).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { DIST } from './server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The `disan` binary: $DISAN_BIN, else the one `cargo test` / `cargo build` left in target/. */
export function disanBinary() {
  const candidates = [process.env.DISAN_BIN, path.join(ROOT, 'target/debug/disan'), path.join(ROOT, 'target/release/disan')];
  const found = candidates.find((p) => p && fs.existsSync(p));
  if (!found) assert.fail(`no disan binary (looked at ${candidates.filter(Boolean).join(', ')}): cargo build -p disan-cli first, or set DISAN_BIN`);
  return found;
}

/** The demo tour read from dist/ (ids are not hard-coded): `{ tour, scene(id), start, hotspots(kind), entry(id) }`. */
export function readTour() {
  const file = path.join(DIST, 'tour', 'tour.json');
  if (!fs.existsSync(path.join(DIST, 'pkg'))) {
    assert.fail(`${path.join(DIST, 'pkg')} is missing: build the web package first (cargo xtask web)`);
  }
  if (!fs.existsSync(file)) assert.fail(`${file} is missing: cargo xtask web copies assets/demo/ there`);
  const tour = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  const entries = [...(tour.catalog ?? [])];
  const catalogFile = path.join(DIST, 'tour', tour.catalog_file ?? 'catalog.json');
  if (fs.existsSync(catalogFile)) {
    const catalog = JSON.parse(fs.readFileSync(catalogFile, 'utf8').replace(/^\uFEFF/, ''));
    entries.push(...(Array.isArray(catalog) ? catalog : catalog.entries));
  }
  const scene = (id) => tour.scenes.find((s) => s.id === id);
  const start = scene(tour.start_scene) ?? tour.scenes[0];
  const hotspots = (kind) => start.hotspots.map((h, index) => ({ ...h, index })).filter((h) => h.kind === kind);
  return { tour, scene, start, hotspots, entry: (id) => entries.find((e) => e.id === id) };
}

// --- PNG decoding and image statistics (8-bit RGB/RGBA, as Chromium writes them) ------------------

export function decodePng(buf) {
  assert.equal(buf.toString('latin1', 1, 4), 'PNG', 'not a PNG');
  let pos = 8, width = 0, height = 0, depth = 0, type = 0, interlace = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos), kind = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (kind === 'IHDR') [width, height, depth, type, interlace] = [data.readUInt32BE(0), data.readUInt32BE(4), data[8], data[9], data[12]];
    else if (kind === 'IDAT') idat.push(data);
    else if (kind === 'IEND') break;
    pos += 12 + len;
  }
  assert.ok(depth === 8 && !interlace && (type === 2 || type === 6), `unsupported PNG (depth ${depth}, colour type ${type})`);
  const bpp = type === 6 ? 4 : 3, stride = width * bpp;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const rgba = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)], line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = Buffer.alloc(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? cur[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
      let p = line[x];
      if (filter === 1) p += a;
      else if (filter === 2) p += b;
      else if (filter === 3) p += (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
        p += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[x] = p & 255;
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      rgba[o] = cur[x * bpp]; rgba[o + 1] = cur[x * bpp + 1]; rgba[o + 2] = cur[x * bpp + 2];
      rgba[o + 3] = bpp === 4 ? cur[x * bpp + 3] : 255;
    }
    prev = cur;
  }
  return { width, height, rgba };
}

/** Distinct colours (5 bits a channel) and the standard deviation of luma. */
export function imageStats({ rgba }) {
  const colours = new Set();
  let sum = 0, sum2 = 0;
  const n = rgba.length / 4;
  for (let i = 0; i < rgba.length; i += 4) {
    colours.add(((rgba[i] >> 3) << 10) | ((rgba[i + 1] >> 3) << 5) | (rgba[i + 2] >> 3));
    const l = 0.2126 * rgba[i] + 0.7152 * rgba[i + 1] + 0.0722 * rgba[i + 2];
    sum += l;
    sum2 += l * l;
  }
  return { distinct: colours.size, stddev: Math.sqrt(Math.max(0, sum2 / n - (sum / n) ** 2)) };
}

/** Mean absolute difference per channel (0–255) of two images of the same size. */
export function meanDiff(a, b) {
  assert.equal(`${a.width}x${a.height}`, `${b.width}x${b.height}`, 'screenshots differ in size');
  let d = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    d += Math.abs(a.rgba[i] - b.rgba[i]) + Math.abs(a.rgba[i + 1] - b.rgba[i + 1]) + Math.abs(a.rgba[i + 2] - b.rgba[i + 2]);
  }
  return d / (a.rgba.length / 4) / 3;
}
