#!/usr/bin/env bash
# The floor of a wgpu web engine: builds src/lib.rs (one textured full-screen pass: instance,
# surface, adapter, device, texture upload, one WGSL pipeline, one draw) for WebGPU and for
# WebGL2 with the engine's release settings, then wasm-bindgen, wasm-opt -Oz and esbuild as
# `cargo xtask web` does, and prints the gzip -9 bytes of each. Run from the repository root
# after `cd web && npm ci`: bash xtask/floor/measure.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(pwd)/web/node_modules/.bin
cp Cargo.lock "$here/Cargo.lock"
for backend in webgpu webgl; do
  cargo build --offline --manifest-path "$here/Cargo.toml" --release \
    --target wasm32-unknown-unknown --features "$backend" --target-dir target/floor -q
  out=target/floor/out-$backend
  rm -rf "$out"
  wasm-bindgen --target web --out-dir "$out" --out-name floor \
    target/floor/wasm32-unknown-unknown/release/disan_floor.wasm
  "$bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals -o "$out/o.wasm" "$out/floor_bg.wasm"
  "$bin/esbuild" --minify "$out/floor.js" > "$out/m.js" 2>/dev/null
  wasm=$(gzip -9c "$out/o.wasm" | wc -c)
  glue=$(gzip -9c "$out/m.js" | wc -c)
  echo "$backend: wasm $((wasm / 1024)) KB + glue $((glue / 1024)) KB gzip"
done
