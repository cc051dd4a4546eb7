import { test, expect } from '@playwright/test';
import { AGENT, REQUESTER, hydrated, signIn } from './helpers';

test('an agent signs in and sees every open record', async ({ page }) => {
  await page.goto('/login');
  await signIn(page, AGENT);
  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('link', { name: 'All open' }).click();
  await expect(page).toHaveURL(/\/queue$/);
  await expect(page.getByRole('heading', { name: 'All open' })).toBeVisible();
  // Other tests add records as they run, so the list may be cut to the most recent ones.
  await expect(page.getByText(/^\d+ open records?(\.|; the \d+ most recently updated are shown\.)$/)).toBeVisible();
  const rows = page.locator('table.records tbody tr');
  await expect(rows.nth(10)).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Assignee' })).toBeVisible();
  // Only open work is listed.
  await expect(page.locator('table.records tbody .badge', { hasText: /^(Closed|Resolved|Fulfilled|Rejected)$/ })).toHaveCount(0);
});

test('a requester who types the queue address is refused', async ({ page }) => {
  await page.goto('/login?next=%2Fqueue');
  await signIn(page, REQUESTER);
  await expect(page.getByRole('heading', { name: 'No access' })).toBeVisible();
  await expect(page.locator('table.records')).toHaveCount(0);
});

test('an unknown address gets a 404 page', async ({ page }) => {
  const response = await page.goto('/this/does/not/exist');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: "This page doesn't exist" })).toBeVisible();
});
