import { test, expect, type Browser } from '@playwright/test';
import { AGENT, PHONE, REQUESTER, hydrated, signIn } from './helpers';

async function signedInPage(browser: Browser, email: string, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto('/login');
  await signIn(page, email);
  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();
  return page;
}

test('an agent\'s work note stays with agents, a reply reaches the requester, and script in it never runs', async ({ browser }) => {
  const requester = await signedInPage(browser, REQUESTER, PHONE);
  await requester.goto('/requests?state=open');
  const number = (await requester.locator('table.records tbody tr .records__number').first().textContent())?.trim() ?? '';
  expect(number).toMatch(/^(INC|REQ)\d{7}$/);

  const agent = await signedInPage(browser, AGENT);
  await agent.goto(`/records/${number}`);
  await hydrated(agent);
  const stamp = Date.now();
  await agent.getByLabel('Work note — agents only').check();
  await agent.getByLabel('Message').fill(`Vendor case ${stamp}, internal only`);
  await agent.getByRole('button', { name: 'Send' }).click();
  const note = agent.locator('.timeline__item--internal').last();
  await expect(note).toContainText(`Vendor case ${stamp}`);
  await expect(note).toContainText('added a work note (agents only)');

  await agent.getByLabel('Reply — visible to the requester').check();
  await agent
    .getByLabel('Message')
    .fill(`Fixed in **build ${stamp}** <img src=x onerror="window.__xss=1"><script>window.__xss=1</script> [docs](javascript:window.__xss=1)`);
  await agent.getByRole('button', { name: 'Send' }).click();
  await expect(agent.locator('.timeline__item').last()).toContainText(`Fixed in build ${stamp}`);

  await requester.goto(`/records/${number}`);
  await hydrated(requester);
  const reply = requester.locator('.timeline__item').last();
  await expect(reply).toContainText(`Fixed in build ${stamp}`);
  await expect(reply.locator('.prose strong')).toHaveText(`build ${stamp}`);
  await expect(reply.locator('img, script')).toHaveCount(0);
  await expect(requester.getByText(`Vendor case ${stamp}`)).toHaveCount(0);
  await expect(requester.locator('.timeline__item--internal')).toHaveCount(0);
  expect(await requester.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await agent.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});
