import { test, expect, type Page } from '@playwright/test';
import { ADMIN, AGENT, PHONE, REQUESTER, hydrated, pageFor } from './helpers';

const LAPTOP = { width: 1366, height: 768 };

/** Starts collecting layout shifts (as Chrome scores them) before the page loads. */
async function watchLayoutShift(page: Page) {
  await page.addInitScript(() => {
    (window as any).__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as any[]) {
        if (!entry.hadRecentInput) (window as any).__shift += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

test('an agent sees a dozen records of the queue above the fold of a laptop, each on one line', async ({ browser }) => {
  const sam = await pageFor(browser, AGENT, LAPTOP);
  await sam.goto('/queue?view=all_open');
  await hydrated(sam);
  const header = sam.locator('header.site-header');
  expect((await header.boundingBox())!.height).toBeLessThanOrEqual(64);
  await expect(sam.locator('.who__text')).toHaveText('Signed in as Sam Okafor');

  const rows = sam.locator('table.records tbody tr');
  const visible = await rows.evaluateAll((trs) =>
    trs.filter((tr) => tr.getBoundingClientRect().bottom <= window.innerHeight).length,
  );
  expect(visible).toBeGreaterThanOrEqual(12);

  // Titles keep to one line and give their full text on hover.
  const title = rows.first().locator('.records__title a');
  const lineHeight = await title.evaluate((a) => parseFloat(getComputedStyle(a).lineHeight));
  for (const height of await rows.locator('.records__title a').evaluateAll((as) => as.map((a) => a.getBoundingClientRect().height))) {
    expect(height).toBeLessThan(lineHeight * 1.5);
  }
  await expect(title).toHaveAttribute('title', (await title.textContent())!.trim());
  // The table stays inside its card.
  const overflow = await sam.locator('table.records').evaluate((t) => t.scrollWidth - t.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("an admin's header fits one line of a laptop, the admin pages one menu away", async ({ browser }) => {
  const alex = await pageFor(browser, ADMIN, LAPTOP);
  await hydrated(alex);
  expect((await alex.locator('header.site-header').boundingBox())!.height).toBeLessThanOrEqual(64);
  await alex.getByText('Admin', { exact: true }).click();
  await alex.getByRole('link', { name: 'Desk settings' }).click();
  await expect(alex.getByRole('heading', { name: 'Service desk settings' })).toBeVisible();
  await expect(alex.getByRole('link', { name: 'Desk settings' })).toBeHidden();
});

for (const [name, viewport] of [['phone', PHONE], ['laptop', LAPTOP]] as const) {
  test(`nothing moves while the catalog and a record page hydrate on a ${name}`, async ({ browser }) => {
    const maya = await pageFor(browser, REQUESTER, viewport);
    await watchLayoutShift(maya);
    await maya.goto('/requests');
    const number = (await maya.locator('.records__number').first().textContent())!.trim();
    for (const path of ['/', `/records/${number}`]) {
      await maya.goto(path);
      await hydrated(maya);
      await maya.waitForTimeout(300);
      const shift = await maya.evaluate(() => (window as any).__shift as number);
      console.log(`layout shift on ${path} (${name}): ${shift.toFixed(4)}`);
      expect(shift, `layout shift on ${path}`).toBeLessThan(0.05);
    }
  });
}

test("an agent's record page has its actions above the fold of a laptop, before the clocks", async ({ browser }) => {
  const sam = await pageFor(browser, AGENT, LAPTOP);
  await sam.goto('/queue?view=all_open');
  await hydrated(sam);
  const timed = sam.locator('table.records tbody tr').filter({ has: sam.locator('.records__sla .badge') });
  await timed.first().locator('.records__title a').click();
  await expect(sam.getByRole('heading', { name: 'Service levels' })).toBeAttached();
  await hydrated(sam);

  const saveState = sam.getByRole('button', { name: 'Save state' });
  const clocks = sam.getByRole('heading', { name: 'Service levels' });
  const bottom = (await saveState.boundingBox())!;
  expect(bottom.y + bottom.height).toBeLessThanOrEqual(LAPTOP.height);
  expect(bottom.y).toBeLessThan((await clocks.boundingBox())!.y);
  await expect(sam.locator('.work-panels select').first()).toBeInViewport();

  // Replying is one jump away, however long the activity.
  await sam.getByRole('link', { name: 'Reply', exact: true }).click();
  await expect(sam.getByRole('heading', { name: 'Add a reply or work note' })).toBeInViewport();
  await expect(sam).toHaveURL(/#composer$/);
});
