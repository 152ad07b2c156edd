// server.test.mjs — the static test server: MIME types, index.html, 404s, no escape from the root.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { startServer } from '../tools/server.mjs';

test('serves files with their MIME types and stays inside its root', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'disan-serve-'));
  fs.mkdirSync(path.join(root, 'pkg'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(root, 'pkg', 'a_bg.wasm'), Buffer.from([0, 97, 115, 109]));
  fs.writeFileSync(path.join(root, 'pkg', 'a.js'), 'export {}');
  fs.writeFileSync(path.join(root, 'drum.glb'), 'glTF');
  const server = await startServer(root);
  try {
    const get = async (p) => {
      const res = await fetch(server.url + p);
      return [res.status, res.headers.get('content-type'), (await res.arrayBuffer()).byteLength];
    };
    assert.deepEqual(await get(''), [200, 'text/html; charset=utf-8', 15]);
    assert.deepEqual(await get('pkg/a_bg.wasm'), [200, 'application/wasm', 4]);
    assert.deepEqual(await get('pkg/a.js?v=1'), [200, 'text/javascript; charset=utf-8', 9]);
    assert.deepEqual(await get('drum.glb'), [200, 'model/gltf-binary', 4]);
    assert.equal((await get('nope.json'))[0], 404);
    // A raw request, since fetch() normalises "..".
    const raw = await new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: server.port, path: '/../../etc/passwd' }, (res) => { res.resume(); resolve(res.statusCode); })
        .on('error', reject);
    });
    assert.equal(raw, 404);
    assert.equal((await get('%2e%2e/%2e%2e/etc/passwd'))[0], 404);
  } finally {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
