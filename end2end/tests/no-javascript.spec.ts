import { test, expect } from '@playwright/test';
import { PHONE, REQUESTER, signIn } from './helpers';

test.use({ javaScriptEnabled: false, viewport: PHONE });

test('without JavaScript the portal is readable and the forms still work', async ({ page }) => {
  await page.goto('/login');
  await signIn(page, REQUESTER, 'wrong password');
  await expect(page).toHaveURL(/\/login\?failed=1/);
  await expect(page.getByRole('alert')).toHaveText("That e-mail and password don't match an account.");

  await signIn(page, REQUESTER);
  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();
  // The navigation is simply shown when no script can toggle it.
  await expect(page.getByRole('link', { name: 'My requests' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();

  // Search is a plain GET form, answered by the server.
  await page.getByRole('searchbox', { name: 'Search the catalog' }).fill('headset');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\?q=headset/);
  await expect(page.locator('.card')).toHaveCount(1);
  await expect(page.locator('.card')).toContainText('Headset');

  await page.getByRole('link', { name: 'My requests' }).click();
  await expect(page.getByRole('heading', { name: 'My requests' })).toBeVisible();
  await expect(page.locator('table.records tbody tr').first()).toBeVisible();
});

test('without JavaScript a requester can still reply on their record', async ({ page }) => {
  await page.goto('/login?next=%2Frequests');
  await signIn(page, REQUESTER);
  await page.locator('table.records tbody tr .records__title a').first().click();
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible();
  const message = `Sent without scripts ${Date.now()}`;
  await page.getByLabel('Message').fill(message);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.locator('.timeline__item').last()).toContainText(message);
});

test('without JavaScript a report that misses something comes back as it was typed, then goes through', async ({ page }) => {
  await page.goto('/login?next=%2Freport');
  await signIn(page, REQUESTER);
  await expect(page.getByRole('heading', { name: 'Report an issue' })).toBeVisible();
  const stamp = Date.now();
  await page.getByLabel('Tell us more').fill(`The badge reader at door ${stamp} blinks red`);
  await page.getByLabel('Many people').check();
  await page.getByRole('button', { name: 'Report it' }).click();
  await expect(page).toHaveURL(/\/report\?draft=/);
  await expect(page.locator('#title-error')).toHaveText('Give it a short title.');
  await expect(page.locator('#blocking-error')).toHaveText('Say whether you can still work.');
  await expect(page.getByLabel('Tell us more')).toHaveValue(`The badge reader at door ${stamp} blinks red`);
  await expect(page.getByLabel('Many people')).toBeChecked();

  await page.getByLabel('What is wrong?').fill(`Badge reader broken ${stamp}`);
  await page.getByLabel("I'm blocked").check();
  await page.getByRole('button', { name: 'Report it' }).click();
  await expect(page).toHaveURL(/\/records\/INC\d{7}\?reported=1$/);
  await expect(page.getByRole('heading', { name: `Badge reader broken ${stamp}` })).toBeVisible();
  await expect(page.locator('.record__description')).toContainText(`door ${stamp} blinks red`);
});
