import { test, expect } from '@playwright/test';
import { PHONE, REQUESTER, expectNoHorizontalScroll, signIn } from './helpers';

test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

test('on a phone a requester orders a laptop, the justification appears for the Pro, and the request follows', async ({ page }) => {
  await page.goto('/login?next=%2F');
  await signIn(page, REQUESTER);
  await page.getByRole('searchbox', { name: 'Search the catalog' }).fill('notebook');
  await page.getByRole('link', { name: /New laptop/ }).click();
  await expect(page.getByRole('heading', { name: 'New laptop' })).toBeVisible();
  const form = page.locator('form.request-form');
  await expect(form).toHaveAttribute('data-hydrated', 'true');
  await expectNoHorizontalScroll(page);

  const justification = page.getByLabel('Why do you need the Pro?');
  await expect(page.getByLabel(/Standard 14-inch/)).toBeChecked();
  await expect(justification).toBeHidden();
  await page.getByLabel(/Pro 16-inch/).check();
  await expect(justification).toBeVisible();

  // Checked as soon as the field is left, by the same rules the server applies.
  await justification.fill('Video');
  await justification.blur();
  await expect(page.locator('#answer-justification-error')).toHaveText('Write at least 20 characters.');
  await justification.fill('I edit 4K video for the marketing team every day.');
  await expect(page.locator('#answer-justification-error')).toHaveText('');

  // Sending with a required answer missing is stopped in place.
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.locator('[data-field="replaces"] .field__error')).toHaveText('Choose one.');
  await expect(page).toHaveURL(/\/catalog\/new-laptop$/);

  await page.locator('[data-field="replaces"]').getByLabel('Yes').check();
  await page.getByLabel('Asset tag of the old laptop').fill('LT-4');
  await page.getByLabel('Asset tag of the old laptop').blur();
  await expect(page.locator('#answer-old_asset_tag-error')).toHaveText('Enter a tag like LT-12345.');
  await page.getByLabel('Asset tag of the old laptop').fill('LT-40321');
  await page.getByRole('button', { name: 'Send request' }).click();

  await expect(page).toHaveURL(/\/records\/REQ\d{7}\?ordered=1$/);
  const number = page.url().match(/REQ\d{7}/)![0];
  await expect(page.getByRole('heading', { name: `Request ${number} is in` })).toBeVisible();
  const answers = page.locator('section.answers');
  await expect(answers).toContainText('Pro 16-inch (32 GB, dedicated graphics)');
  await expect(answers).toContainText('I edit 4K video for the marketing team every day.');
  await expect(answers).toContainText('LT-40321');
  await expectNoHorizontalScroll(page);

  // Other tests order as the same person in parallel, so look for this request's row, not the top one.
  await page.goto('/requests');
  const row = page.locator('table.records tbody tr', { has: page.locator('.records__number', { hasText: number }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('New laptop');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a request is still checked, explained and sent', async ({ page }) => {
    await page.goto('/login?next=%2Fcatalog%2Fnew-laptop');
    await signIn(page, REQUESTER);
    await expect(page.getByRole('heading', { name: 'New laptop' })).toBeVisible();
    await page.getByLabel(/Pro 16-inch/).check();
    await page.locator('[data-field="replaces"]').getByLabel('No').check();
    await page.getByRole('button', { name: 'Send request' }).click();

    // The server answers with the form again: the Pro's question is now shown and required.
    await expect(page).toHaveURL(/\/catalog\/new-laptop\?draft=/);
    await expect(page.locator('#answer-justification-error')).toHaveText('This is required.');
    await expect(page.getByLabel(/Pro 16-inch/)).toBeChecked();
    await page.getByLabel('Why do you need the Pro?').fill('Large data sets for the forecasting models.');
    await page.getByRole('button', { name: 'Send request' }).click();

    await expect(page).toHaveURL(/\/records\/REQ\d{7}\?ordered=1$/);
    await expect(page.locator('section.answers')).toContainText('Large data sets for the forecasting models.');
  });
});
