import { test, expect } from '@playwright/test';
import { PHONE, REQUESTER, signIn } from './helpers';

// A requester on a slow phone: ~1.6 Mbit/s down, 150 ms round trips, a CPU four times
// slower than this machine's, and an empty cache. The budgets come from measuring this build
// (BENCHMARKS.md); the script a page needs is what `scripts/build` reports for it.
const SCRIPT_BUDGET = 505_000;
const INTERACTIVE_BUDGET_MS = 9_000;

test('on a slow phone the item form downloads its own script and becomes interactive in time', async ({ browser }) => {
  test.setTimeout(60_000);
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto('/login');
  await signIn(page, REQUESTER);
  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();

  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

  const urls = new Map<string, string>();
  let scriptBytes = 0;
  const wasmOrJs: string[] = [];
  cdp.on('Network.responseReceived', (event) => urls.set(event.requestId, event.response.url));
  cdp.on('Network.loadingFinished', (event) => {
    const url = urls.get(event.requestId) ?? '';
    if (/\/pkg\/.*\.(wasm|js)$/.test(url)) {
      scriptBytes += event.encodedDataLength;
      wasmOrJs.push(url.replace(/^.*\/pkg\//, ''));
    }
  });

  const started = Date.now();
  await page.goto('/catalog/new-laptop');
  const form = page.locator('form.request-form');
  await expect(form).toHaveAttribute('data-hydrated', 'true', { timeout: 45_000 });
  const interactive = Date.now() - started;
  console.log(`item form interactive after ${interactive} ms, ${scriptBytes} bytes of script in ${wasmOrJs.length} files`);

  expect(wasmOrJs).toContain('split_order.wasm');
  expect(wasmOrJs.some((f) => /split_(desk|people|settings|form_editor|catalog_admin)\.wasm/.test(f))).toBe(false);
  expect(scriptBytes).toBeLessThan(SCRIPT_BUDGET);
  expect(interactive).toBeLessThan(INTERACTIVE_BUDGET_MS);
});
