import { test, expect, type Page } from '@playwright/test';
import { AGENT, PHONE, REQUESTER, hydrated, signIn } from './helpers';

// Each area of the portal is its own chunk of the wasm: a page downloads the shared core
// and its own area's chunks, fetches another area's the first time it is visited, and
// names the chunks it needs in its head.

/** The split chunks (`split_<area>.wasm`) the page has fetched so far. */
function areasFetched(page: Page): string[] {
  const areas: string[] = [];
  page.on('request', (request) => {
    const area = request.url().match(/\/pkg\/split_([a-z_]+)\.wasm$/);
    if (area) areas.push(area[1]);
  });
  return areas;
}

/** Fails the test on any uncaught error or console error: a hydration mismatch is one. */
function noErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

test('a requester downloads only the areas they visit, and client navigation fetches the next', async ({ page }) => {
  const areas = areasFetched(page);
  const errors = noErrors(page);
  await page.goto('/login');
  await expect(page.locator('.auth-card')).toHaveAttribute('data-hydrated', 'true');
  expect(areas).toEqual(['sign_in']);

  await signIn(page, REQUESTER);
  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();
  await hydrated(page);
  await expect.poll(() => areas).toContain('catalog');

  // The catalog page names its area's chunks in its head, under the versioned path.
  await page.reload();
  await hydrated(page);
  const preloads = await page.locator('head link[rel="preload"][as="fetch"]').evaluateAll((links) =>
    links.map((l) => l.getAttribute('href') ?? ''),
  );
  expect(preloads.some((href) => /^\/_v\/[0-9a-f]+\/pkg\/split_catalog\.wasm$/.test(href))).toBe(true);
  expect(preloads.some((href) => href.includes('split_desk'))).toBe(false);
  expect(new Set(preloads).size).toBe(preloads.length);
  const lowPriority = await page.locator('head link[rel="preload"][href*="split_catalog"]').getAttribute('fetchpriority');
  expect(lowPriority).toBe('low');

  await page.getByRole('link', { name: 'My requests' }).click();
  await expect(page.getByRole('heading', { name: 'My requests' })).toBeVisible();
  await expect.poll(() => areas).toContain('own_work');
  await page.getByRole('link', { name: 'Report an issue' }).click();
  await expect(page.getByLabel('What is wrong?')).toBeVisible();
  await expect.poll(() => areas).toContain('report');

  for (const never of ['desk', 'people', 'catalog_admin', 'form_editor', 'settings']) {
    expect(areas).not.toContain(never);
  }
  expect(errors).toEqual([]);
});

test('every area hydrates on a first load without a mismatch', async ({ page }) => {
  const errors = noErrors(page);
  await page.goto('/login?next=%2Fqueue');
  await signIn(page, AGENT);
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();
  const number = (await page.locator('.records__number').first().textContent())!.trim();
  for (const path of ['/', '/catalog/new-laptop', '/report', '/requests', '/queue', `/records/${number}`, '/tasks']) {
    await page.goto(path);
    await hydrated(page);
  }
  expect(errors).toEqual([]);
});

test('a chunk that cannot be fetched says so with a retry, and the portal keeps working', async ({ page }) => {
  await page.setViewportSize(PHONE);
  await page.goto('/login');
  await signIn(page, REQUESTER);
  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();
  await hydrated(page);

  await page.route('**/pkg/split_own_work.wasm', (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'My requests' }).click();
  const failed = page.getByRole('alert').filter({ hasText: 'This page could not be loaded' });
  await expect(failed).toBeVisible();
  await expect(failed.getByRole('button', { name: 'Try again' })).toBeVisible();

  // Another area still opens by client navigation.
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Report an issue' }).click();
  await expect(page.getByLabel('What is wrong?')).toBeVisible();

  // Back online, trying again brings the page.
  await page.unroute('**/pkg/split_own_work.wasm');
  await page.goBack();
  await expect(failed.or(page.getByRole('heading', { name: 'My requests' }))).toBeVisible();
  if (await failed.isVisible()) await failed.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'My requests' })).toBeVisible();
});
