//! KTX2 textures written by `disan optimize` are read by Binomial's own Basis Universal transcoder
//! (the C++ one, as three.js ships it for KTX2Loader, and so model-viewer): not only by Disan's
//! reader. The derivatives of the generated 2M-triangle scan (`cargo xtask big-panos`, part of
//! `cargo xtask test`) must hold KTX2 images that are valid, transcode at every mip level to
//! RGBA and to BC7, have the size the tour lists, and are not blank.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { DIST } from '../tools/server.mjs';

const require = createRequire(import.meta.url);
const RGBA32 = 13;
const BC7 = 6;

/** Binomial's transcoder module (an Emscripten build that expects a CommonJS scope). */
async function transcoder() {
  const dir = path.dirname(require.resolve('three/examples/jsm/libs/basis/basis_transcoder.js'));
  const src = fs.readFileSync(path.join(dir, 'basis_transcoder.js'), 'utf8');
  const factory = new Function('module', 'exports', 'require', '__dirname', `${src}\nreturn BASIS;`)({}, {}, require, dir);
  const basis = await factory({ wasmBinary: fs.readFileSync(path.join(dir, 'basis_transcoder.wasm')) });
  basis.initializeBasis();
  return basis;
}

/** The images of a GLB: [mimeType, bytes]. */
function glbImages(buf) {
  const jsonLength = buf.readUInt32LE(12);
  const json = JSON.parse(buf.subarray(20, 20 + jsonLength).toString('utf8'));
  const bin = 20 + jsonLength + 8;
  return (json.images ?? []).map((im) => {
    const v = json.bufferViews[im.bufferView];
    const at = bin + (v.byteOffset ?? 0);
    return [im.mimeType, buf.subarray(at, at + v.byteLength)];
  });
}

it('the KTX2 textures of disan optimize transcode with Binomial\'s transcoder at every level', async () => {
  const dir = path.join(DIST, 'big', 'scan2m');
  if (!fs.existsSync(path.join(dir, 'tour.json'))) {
    console.log(`# skipping: ${dir} is missing (cargo xtask big-panos makes it)`);
    return;
  }
  const basis = await transcoder();
  const levels = JSON.parse(fs.readFileSync(path.join(dir, 'tour.json'), 'utf8')).scenes[0].derivatives;
  assert.ok(levels.length >= 3, 'fewer than three derivatives');
  for (const level of levels) {
    const images = glbImages(fs.readFileSync(path.join(dir, level.model)));
    assert.ok(images.length > 0, `${level.model} has no texture`);
    for (const [mime, bytes] of images) {
      assert.equal(mime, 'image/ktx2', `${level.model}: a ${mime} texture`);
      const file = new basis.KTX2File(new Uint8Array(bytes));
      try {
        assert.ok(file.isValid() && file.startTranscoding(), `${level.model}: not a valid KTX2 for the transcoder`);
        const [w, h, mips] = [file.getWidth(), file.getHeight(), file.getLevels()];
        assert.equal(Math.max(w, h), level.texture, `${level.model}: ${w}×${h}, the tour says ${level.texture}`);
        assert.equal(mips, 32 - Math.clz32(Math.max(w, h)), `${level.model}: ${mips} mip levels for ${w}×${h}`);
        for (let m = 0; m < mips; m++) {
          for (const format of [RGBA32, BC7]) {
            const out = new Uint8Array(file.getImageTranscodedSizeInBytes(m, 0, 0, format));
            assert.ok(file.transcodeImage(out, m, 0, 0, format, 0, -1, -1), `${level.model}: level ${m} does not transcode to format ${format}`);
            if (m === 0 && format === RGBA32) {
              const colours = new Set();
              for (let i = 0; i < out.length; i += 4 * 97) colours.add((out[i] << 16) | (out[i + 1] << 8) | out[i + 2]);
              assert.ok(colours.size > 32, `${level.model}: the texture is nearly blank (${colours.size} colours)`);
            }
          }
        }
        console.log(`# ${level.model}: ${w}×${h}, ${mips} levels, ${file.isETC1S() ? 'ETC1S' : 'UASTC'}, ${(bytes.length / 1024).toFixed(0)} KB`);
      } finally {
        file.close();
        file.delete();
      }
    }
  }
});
