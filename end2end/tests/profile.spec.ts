import { test, expect } from '@playwright/test';
import { PHONE, expectNoHorizontalScroll, hydrated, signIn } from './helpers';
import { DEMO_PASSWORD } from '../playwright.config';

test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

test('a person renames themselves and picks a time zone on a phone', async ({ page }) => {
  await page.goto('/login?next=%2Fprofile');
  await signIn(page, 'yuki.tanaka@example.com');
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
  await hydrated(page);
  await expectNoHorizontalScroll(page);
  await page.getByLabel('Name', { exact: true }).fill('Yuki Tanaka-Berg');
  await page.getByLabel('Time zone').selectOption('Asia/Tokyo');
  await page.getByRole('button', { name: 'Save details' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.getByRole('button', { name: 'Menu' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByText('Yuki Tanaka-Berg')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Time zone')).toHaveValue('Asia/Tokyo');
});

test('changing the password asks for the current one and signs out other devices', async ({ page, browser }) => {
  const email = 'zoe.thompson@example.com';
  const other = await (await browser.newContext()).newPage();
  await other.goto('/login');
  await signIn(other, email);
  await expect(other.getByRole('heading', { name: 'How can we help?' })).toBeVisible();

  await page.goto('/login?next=%2Fprofile');
  await signIn(page, email);
  await hydrated(page);
  const fresh = 'harbour lantern quietly sings';
  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password', { exact: true }).fill(fresh);
  await page.getByLabel('New password again').fill(fresh);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#current_password-error')).toHaveText("That isn't your current password.");

  await page.getByLabel('Current password').fill(DEMO_PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('zoe.thompson1');
  await page.getByLabel('New password again').fill('zoe.thompson1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#new_password-error')).toHaveText("Don't build your password from your name or e-mail address.");

  await page.getByLabel('New password', { exact: true }).fill(fresh);
  await page.getByLabel('New password again').fill(fresh);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed. Other devices have been signed out.')).toBeVisible();

  await other.goto('/requests');
  await expect(other).toHaveURL(/\/login\?next=%2Frequests$/);
  await signIn(other, email, fresh);
  await expect(other).toHaveURL(/\/requests$/);
});
