import { test, expect } from '@playwright/test';
import { PHONE, REQUESTER, expectNoHorizontalScroll, hydrated, signIn } from './helpers';

test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

test('a requester signs in on a phone, filters the catalog and opens My requests', async ({ page }) => {
  await page.goto('/requests');
  await expect(page).toHaveURL(/\/login\?next=%2Frequests$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectNoHorizontalScroll(page);

  await signIn(page, REQUESTER);
  await expect(page).toHaveURL(/\/requests$/);
  await expect(page.getByRole('heading', { name: 'My requests' })).toBeVisible();
  await hydrated(page);

  // The navigation is collapsed on a phone and opens from the menu button.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  await page.getByRole('button', { name: 'Menu' }).click();
  await expect(nav).toBeVisible();
  await expect(nav.getByText('Maya Patel')).toBeVisible();
  await nav.getByRole('link', { name: 'Catalog' }).click();

  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Hardware' })).toBeVisible();
  const cards = page.locator('.card');
  await expect(cards.nth(14)).toBeVisible();
  await expectNoHorizontalScroll(page);

  // Filtering happens in the browser as you type: no navigation, instant result.
  const url = page.url();
  await page.getByRole('searchbox', { name: 'Search the catalog' }).fill('vpn');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('VPN access');
  await expect(page.getByText('1 item', { exact: true })).toBeVisible();
  expect(page.url()).toBe(url);
  await page.getByRole('searchbox', { name: 'Search the catalog' }).fill('no such thing');
  await expect(page.getByText('No items match your search.')).toBeVisible();

  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'My requests' }).click();
  await expect(page).toHaveURL(/\/requests$/);
  const rows = page.locator('table.records tbody tr');
  await expect(rows.first()).toBeVisible();
  await expect(rows.first().locator('.records__number')).toHaveText(/^(INC|REQ)\d{7}$/);
  await expectNoHorizontalScroll(page);
  // Requesters have no agent queue.
  await page.getByRole('button', { name: 'Menu' }).click();
  await expect(page.getByRole('link', { name: 'All open' })).toHaveCount(0);
});

test('once hydrated, a wrong password is answered in place', async ({ page }) => {
  await page.goto('/login');
  await expect(page.locator('.auth-card')).toHaveAttribute('data-hydrated', 'true');
  await signIn(page, REQUESTER, 'not the password');
  await expect(page.getByRole('alert')).toHaveText("That e-mail and password don't match an account.");
  // Answered by the hydrated form, not by a round trip through the plain-form fallback.
  expect(page.url()).toMatch(/\/login$/);
  await page.getByLabel('E-mail').fill('');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#email-error')).toHaveText('Enter your e-mail address.');
  await expect(page.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
});

test('opening a catalog item shows what it includes', async ({ page }) => {
  await page.goto('/login?next=%2Fcatalog%2Fvpn-access');
  await signIn(page, REQUESTER);
  await expect(page.getByRole('heading', { name: 'VPN access' })).toBeVisible();
  await expect(page.getByText("Needs your manager's approval.")).toBeVisible();
});

test('signing out ends the session', async ({ page }) => {
  await page.goto('/login');
  await signIn(page, REQUESTER);
  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/requests');
  await expect(page).toHaveURL(/\/login\?next=/);
});
