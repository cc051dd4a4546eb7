import { test, expect } from '@playwright/test';
import { AGENT, REQUESTER, hydrated, signIn } from './helpers';

test('an agent works the queue: views with counts, filters, and the next page', async ({ page }) => {
  await page.goto('/login');
  await signIn(page, AGENT);
  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('link', { name: 'Queue' }).click();
  await expect(page).toHaveURL(/\/queue$/);
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible();
  const views = page.getByRole('navigation', { name: 'Views' });
  await expect(views.getByRole('link', { name: /My groups \d+/ })).toHaveAttribute('aria-current', 'page');

  await views.getByRole('link', { name: /All open \d+/ }).click();
  await expect(page).toHaveURL(/view=all_open/);
  const rows = page.locator('table.records tbody tr');
  await expect(rows.nth(10)).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Assignee' })).toBeVisible();
  // Only open work is listed.
  await expect(page.locator('table.records tbody .badge', { hasText: /^(Closed|Resolved|Fulfilled|Rejected)$/ })).toHaveCount(0);

  // The closed ones are many: a page holds 50, and the next page goes on from there.
  await page.getByLabel('State').selectOption('closed');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/state=closed/);
  await expect(rows).toHaveCount(50);
  const firstPage = await rows.first().locator('.records__number').textContent();
  await page.getByRole('link', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(rows.first().locator('.records__number')).not.toHaveText(firstPage ?? '');

  // Filters are a plain GET form: the URL says what is shown.
  await page.getByRole('link', { name: 'First page' }).click();
  await expect(page).not.toHaveURL(/after=/);
  await page.getByLabel('State').selectOption('');
  await page.getByLabel('Kind').selectOption('incident');
  await page.getByLabel('Priority').selectOption('1');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/kind=incident/);
  await expect(page).toHaveURL(/priority=1/);
  const numbers = await rows.locator('.records__number').allTextContents();
  expect(numbers.every((n) => n.startsWith('INC'))).toBe(true);
  await expect(rows.locator('.priority', { hasNotText: /P1|Critical/ })).toHaveCount(0);
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
