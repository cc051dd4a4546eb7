import { test, expect } from '@playwright/test';
import { AGENT, REQUESTER, hydrated, reportIncident, signIn } from './helpers';

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
  const filters = page.getByRole('form', { name: 'Filters' });
  await filters.getByLabel('State').selectOption('closed');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/state=closed/);
  await expect(rows).toHaveCount(50);
  const firstPage = await rows.first().locator('.records__number').textContent();
  await page.getByRole('link', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(rows.first().locator('.records__number')).not.toHaveText(firstPage ?? '');

  // Filters are a plain GET form: the URL says what is shown.
  await page.getByRole('link', { name: 'First page' }).click();
  await expect(page).not.toHaveURL(/after=/);
  await filters.getByLabel('State').selectOption('');
  await filters.getByLabel('Kind').selectOption('incident');
  await filters.getByLabel('Priority').selectOption('1');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/kind=incident/);
  await expect(page).toHaveURL(/priority=1/);
  const numbers = await rows.locator('.records__number').allTextContents();
  expect(numbers.every((n) => n.startsWith('INC'))).toBe(true);
  await expect(rows.locator('.priority', { hasNotText: /P1|Critical/ })).toHaveCount(0);
});

test('an agent selects rows, assigns them in one go, and saves the view', async ({ page }) => {
  await page.goto('/login');
  await signIn(page, AGENT);
  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();
  const stamp = `Bulk ${Date.now()}`;
  const numbers = [await reportIncident(page, `${stamp} printer jam`), await reportIncident(page, `${stamp} toner empty`)];
  await page.goto(`/queue?view=all_open&q=${encodeURIComponent(stamp)}`);
  await hydrated(page);
  const rows = page.locator('table.records tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.locator('td[data-label="Assignee"]')).toHaveText(['Unassigned', 'Unassigned']);

  await page.getByLabel('Select every row on this page').check();
  await expect(page.locator('.bulk__count')).toHaveText('2 selected');
  await page.getByLabel('Do', { exact: true }).selectOption('assign');
  await page.getByLabel('Assign to', { exact: true }).selectOption({ label: 'Sam Okafor · Service Desk' });
  await page.getByRole('button', { name: 'Apply to selected' }).click();
  await expect(page.locator('.worklist .form-ok')).toHaveText('Changed 2 records.');
  await expect(rows.locator('td[data-label="Assignee"]')).toHaveText(['Sam Okafor', 'Sam Okafor']);
  await expect(rows.locator('td[data-label="Group"]')).toHaveText(['Service Desk', 'Service Desk']);
  await page.goto(`/records/${numbers[0]}`);
  await expect(page.locator('.timeline')).toContainText('changed assignee from nothing to Sam Okafor');

  // The filtered queue is saved under a name and comes back from its link.
  await page.goto(`/queue?view=all_open&q=${encodeURIComponent(stamp)}`);
  await hydrated(page);
  await page.getByText('Save this view').click();
  await page.getByLabel('Name', { exact: true }).fill(stamp);
  await page.getByRole('button', { name: 'Save view' }).click();
  const saved = page.getByRole('region', { name: 'Saved views' }).getByRole('link', { name: stamp });
  await expect(saved).toBeVisible();
  await page.goto('/queue');
  await saved.click();
  await expect(page).toHaveURL(/q=Bulk/);
  await expect(rows).toHaveCount(2);
  await page.getByRole('button', { name: `Delete saved view ${stamp}` }).click();
  await expect(saved).toHaveCount(0);
});

test('keys move through the queue: j and k, a assigns to me, Enter opens', async ({ page }) => {
  await page.goto('/login');
  await signIn(page, AGENT);
  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();
  const stamp = `Keys ${Date.now()}`;
  const older = await reportIncident(page, `${stamp} scanner offline`);
  const newer = await reportIncident(page, `${stamp} badge reader`);
  await page.goto(`/queue?view=all_open&sort=created&q=${encodeURIComponent(stamp)}`);
  await hydrated(page);
  const rows = page.locator('table.records tbody tr');
  await expect(rows.locator('.records__number')).toHaveText([newer, older]);

  await page.keyboard.press('j');
  await expect(rows.nth(0).getByRole('link')).toBeFocused();
  await page.keyboard.press('j');
  await expect(rows.nth(1).getByRole('link')).toBeFocused();
  await page.keyboard.press('k');
  await expect(rows.nth(0).getByRole('link')).toBeFocused();
  await page.keyboard.press('a');
  await expect(page.locator('.worklist .form-ok')).toHaveText('Changed 1 record.');
  await expect(rows.nth(0).locator('td[data-label="Assignee"]')).toHaveText('Sam Okafor');
  await expect(rows.nth(1).locator('td[data-label="Assignee"]')).toHaveText('Unassigned');

  // Keys typed into a field stay there.
  await page.getByRole('form', { name: 'Filters' }).getByLabel('Words or number').press('j');
  await expect(page.getByRole('form', { name: 'Filters' }).getByLabel('Words or number')).toHaveValue(/j/);
  await expect(page.locator('.worklist .form-ok')).toHaveText('Changed 1 record.');

  await page.locator('h1').click();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/records/${older}$`));
  await expect(page.getByRole('heading', { name: `${stamp} scanner offline` })).toBeVisible();
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
