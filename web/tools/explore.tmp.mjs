import { startServer } from './server.mjs';
import { launch } from './chromium.mjs';
const backend = process.argv[2] ?? 'webgl2';
const only = process.argv[3] ?? '';
const server = await startServer();
const browser = await launch(backend);
const sizes = [[390, 844], [844, 390]];
const ready = (page) => page.waitForFunction(() => window.disanEvents?.some((e) => e.type === 'ready'), null, { timeout: 400000 });
const settle = (page) => page.evaluate(() => window.disanHandle.settled());
async function open(w, hgt, query = '', hash = '') {
  const ctx = await browser.newContext({ viewport: { width: w, height: hgt }, hasTouch: true, isMobile: true, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto(`${server.url}index.html?backend=${backend}${query}${hash}`);
  await ready(page);
  await settle(page);
  return { ctx, page };
}
for (const [w, hgt] of sizes) {
  const tag = `${w}x${hgt}`;
  if (!only || only === 'card') {
    const { ctx, page } = await open(w, hgt);
    await page.evaluate(() => { window.disanHandle.engine.send(JSON.stringify({ type: 'look_at_hotspot', hotspot: 1 })); window.disanHandle.requestRedraw(); });
    await page.waitForTimeout(1500); await settle(page);
    await page.locator('#tour .disan-hotspot[data-index="1"]').tap();
    await page.waitForTimeout(2000); await settle(page);
    await page.screenshot({ path: `/tmp/ex/${tag}-card.png` });
    await ctx.close();
  }
  if (!only || only === 'guided') {
    const { ctx, page } = await open(w, hgt, '&guided=tham-quan');
    await page.waitForTimeout(3000);
    await page.screenshot({ path: `/tmp/ex/${tag}-guided1.png` });
    await page.evaluate(() => window.disanHandle.next());
    await page.waitForTimeout(4000); await settle(page);
    await page.screenshot({ path: `/tmp/ex/${tag}-guided2.png` });
    for (let i = 0; i < 3; i++) { await page.evaluate(() => window.disanHandle.next()); await page.waitForTimeout(2000); }
    await page.waitForFunction(() => window.disanHandle.scene === 'trong-dong', null, { timeout: 300000 });
    await page.waitForTimeout(4000); await settle(page);
    await page.screenshot({ path: `/tmp/ex/${tag}-guided-last.png` });
    await ctx.close();
  }
  if (!only || only === 'inspect') {
    const { ctx, page } = await open(w, hgt, '', '#scene=trong-dong');
    const b = page.locator('#tour .disan-controls button[aria-label*="Kiểm tra"], #tour .disan-inspect-toggle');
    console.log('inspect buttons', await page.locator('#tour .disan-controls button').evaluateAll((bs) => bs.map((x) => x.className + '|' + x.getAttribute('aria-label'))));
    await ctx.close();
  }
}
await browser.close();
process.exit(0);
