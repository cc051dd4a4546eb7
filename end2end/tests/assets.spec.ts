import { test, expect } from '@playwright/test';

// The release binary serves its own assets: compressed, and cacheable for a year under a
// versioned path.
test('the wasm, its chunks, JS and CSS come compressed and cacheable from the binary', async ({ page, request }) => {
  await page.goto('/login');
  const wasm = await page.locator('link[rel="preload"][as="fetch"][href$="/switchboard.wasm"]').getAttribute('href');
  const chunk = await page.locator('link[rel="preload"][as="fetch"][href$="/split_sign_in.wasm"]').getAttribute('href');
  const js = await page.locator('link[rel="modulepreload"][href$="/switchboard.js"]').getAttribute('href');
  const css = await page.locator('link[rel="stylesheet"]').getAttribute('href');
  for (const path of [wasm, chunk, js, css]) {
    expect(path).toMatch(/^\/_v\/[0-9a-f]+\/pkg\/(switchboard|split_sign_in)\.(wasm|js|css)$/);
    const response = await request.get(path!, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(response.status()).toBe(200);
    expect(response.headers()['content-encoding']).toBe('br');
    expect(response.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  }
  const gzip = await request.get(wasm!, { headers: { 'accept-encoding': 'gzip' } });
  expect(gzip.headers()['content-encoding']).toBe('gzip');
  expect(gzip.headers()['content-type']).toBe('application/wasm');
});

test('the page hydrates under its Content-Security-Policy without violations', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  const response = await page.goto('/login');
  expect(response?.headers()['content-security-policy']).toContain("'nonce-");
  await expect(page.locator('.auth-card')).toHaveAttribute('data-hydrated', 'true');
  expect(violations).toEqual([]);
});
