import { test, expect } from '@playwright/test';
import { PHONE, REQUESTER, expectNoHorizontalScroll, hydrated, signIn, someoneElsesRecord } from './helpers';

for (const [label, viewport] of [['desktop', { width: 1280, height: 800 }], ['a 360 px phone', PHONE]] as const) {
  test(`on ${label}, a requester typing another person's record address sees "not found"`, async ({ page }) => {
    await page.setViewportSize(viewport);
    const foreign = await someoneElsesRecord(page, 'Maya Patel');

    const response = await page.goto(`/login?next=${encodeURIComponent(`/records/${foreign}`)}`);
    expect(response?.status()).toBe(200);
    await signIn(page, REQUESTER);
    await expect(page).toHaveURL(new RegExp(`/records/${foreign}$`));
    await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
    await expect(page.getByText('That record was not found.')).toBeVisible();
    await expect(page.locator('.timeline, .facts')).toHaveCount(0);
    await expectNoHorizontalScroll(page);

    // A direct load answers 404, word for word the same as a number that doesn't exist.
    const direct = await page.goto(`/records/${foreign}`);
    expect(direct?.status()).toBe(404);
    const foreignText = await page.locator('main').innerText();
    const missing = await page.goto('/records/INC9999999');
    expect(missing?.status()).toBe(404);
    expect(await page.locator('main').innerText()).toBe(foreignText);
  });
}

test('a requester opens their own record from My requests and replies on a phone', async ({ page }) => {
  await page.setViewportSize(PHONE);
  await page.goto('/login?next=%2Frequests%3Fstate%3Dopen');
  await signIn(page, REQUESTER);
  await hydrated(page);
  const first = page.locator('table.records tbody tr').first();
  const number = (await first.locator('.records__number').textContent())?.trim() ?? '';
  await first.locator('.records__title a').click();
  await expect(page).toHaveURL(new RegExp(`/records/${number}$`));
  await expect(page.getByText(`· ${number}`)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible();
  // A requester has one kind of message only: no work-note choice.
  await expect(page.getByText('Work note — agents only')).toHaveCount(0);
  await expectNoHorizontalScroll(page);

  const message = `Still happening at ${Date.now()}`;
  await page.getByLabel('Message').fill(message);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.timeline__item').last()).toContainText(message);
  await expect(page.locator('.timeline__item').last()).toContainText('Maya Patel replied');
  await expect(page.getByLabel('Message')).toHaveValue('');
  await expectNoHorizontalScroll(page);
});
