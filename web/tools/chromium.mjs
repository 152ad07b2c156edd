// chromium.mjs — the one list of flags for headless Chromium, and how it is started, for the
// browser tests (web/tests/browser.test.mjs) and the browser bench (web/bench/bench.mjs).
// env: CHROMIUM (the executable, default /usr/bin/chromium).

import { chromium } from 'playwright-core';

/** The Chromium executable. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Flags for every run: headless, no sandbox (containers), no first-run or background traffic. */
export const CHROMIUM_FLAGS = ['--headless=new', '--no-sandbox', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic'];

/** Added for WebGPU. Headless Chromium only composites a WebGPU canvas into the page (and
 *  screenshots) when its compositor also runs on SwiftShader's Vulkan; without the last three
 *  flags the canvas stays empty. */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan',
  '--use-vulkan=swiftshader', '--use-angle=swiftshader'];

/** The flags for a backend: `webgpu` adds {@link WEBGPU_FLAGS}; any other (WebGL2) has the base set. */
export function chromiumFlags(backend) {
  return backend === 'webgpu' ? [...CHROMIUM_FLAGS, ...WEBGPU_FLAGS] : [...CHROMIUM_FLAGS];
}

/** Starts headless Chromium (playwright-core) with the flags for `backend`. */
export function launch(backend, options = {}) {
  return chromium.launch({ executablePath: CHROMIUM, args: chromiumFlags(backend), ...options });
}
