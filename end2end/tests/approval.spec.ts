import { test, expect, type Browser } from '@playwright/test';
import { ADMIN, AGENT, PHONE, REQUESTER, hydrated, signIn } from './helpers';

const MANAGER = 'hannah.schmidt@example.com';

async function pageFor(browser: Browser, email: string, viewport = { width: 1280, height: 800 }, password?: string) {
  const context = await browser.newContext({ viewport, isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
  const page = await context.newPage();
  await page.goto('/login');
  await signIn(page, email, password);
  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();
  return page;
}

test('a laptop request goes from the requester\'s phone through the manager and the desk to Fulfilled', async ({ browser }) => {
  // Maya orders a standard laptop on her phone.
  const maya = await pageFor(browser, REQUESTER, PHONE);
  await maya.goto('/catalog/new-laptop');
  await expect(maya.locator('form.request-form')).toHaveAttribute('data-hydrated', 'true');
  await maya.locator('[data-field="replaces"]').getByLabel('No').check();
  await maya.getByRole('button', { name: 'Send request' }).click();
  await expect(maya).toHaveURL(/\/records\/REQ\d{7}\?ordered=1$/);
  const number = maya.url().match(/REQ\d{7}/)![0];
  await expect(maya.locator('.record__badges')).toContainText('Awaiting approval');

  // Her manager approves it from My approvals, seeing what was asked.
  const hannah = await pageFor(browser, MANAGER);
  await expect(hannah.locator('.bell__count')).toBeVisible();
  await hannah.getByRole('link', { name: /Notifications/ }).click();
  await expect(hannah.locator('.notifications')).toContainText(`${number} · New laptop: needs your approval`);
  await hannah.getByRole('link', { name: 'Approvals' }).click();
  const card = hannah.locator('.approval-card', { hasText: number });
  await expect(card).toContainText('Standard 14-inch (16 GB)');
  await hydrated(hannah);
  await card.getByRole('button', { name: 'Reject' }).click();
  await expect(card.locator('.field__error')).toHaveText('Say why you reject it; the requester reads this.');
  await card.getByLabel('Comment').fill('Approved for the new project.');
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(hannah.locator('.approval-card', { hasText: number })).toHaveCount(0);

  // An agent of the fulfilling group closes the task.
  const sam = await pageFor(browser, AGENT);
  await sam.goto(`/records/${number}`);
  await expect(sam.getByRole('heading', { name: 'Fulfilment: 0 of 1 tasks done' })).toBeVisible();
  await sam.locator('section.tasks .records__title a').first().click();
  await expect(sam).toHaveURL(/\/records\/TASK\d{7}$/);
  await hydrated(sam);
  await sam.getByRole('button', { name: 'Close task' }).click();
  await expect(sam.locator('.record__badges')).toContainText('Closed');

  // Maya sees it fulfilled, with the approval chain.
  await maya.reload();
  await expect(maya.locator('.record__badges')).toContainText('Fulfilled');
  await expect(maya.locator('section.approvals')).toContainText('Approved for the new project.');
  await expect(maya.locator('.timeline')).toContainText('Everything for this request is done.');
  await maya.goto('/notifications');
  await expect(maya.locator('.notifications li', { hasText: `${number} · New laptop: fulfilled` })).toHaveCount(1);
  await expect(maya.locator('.notifications')).toContainText('approved by Hannah Schmidt');

  // Not quite done: Maya reopens it from her phone, saying why.
  await maya.goto(`/records/${number}`);
  await hydrated(maya);
  await maya.getByText('Not done? Reopen it').click();
  await maya.getByLabel('What is still missing?').fill('The charger was not in the box.');
  await maya.getByRole('button', { name: 'Reopen request' }).click();
  await expect(maya.locator('.record__badges')).toContainText('In progress');
  await expect(maya.locator('.timeline')).toContainText('Reopened: The charger was not in the box.');
});

test('a request nobody can approve is flagged to admins, and once the manager is set the desk asks again', async ({ browser }) => {
  // An admin adds a person and forgets the manager.
  const alex = await pageFor(browser, ADMIN);
  await alex.goto('/admin/users/new');
  await hydrated(alex);
  const email = `omar.${Date.now()}@example.com`;
  const password = 'amber falcon over quiet hills';
  await alex.getByLabel('Name').fill('Omar Newhire');
  await alex.getByLabel('E-mail', { exact: true }).fill(email);
  await alex.getByLabel('Password').fill(password);
  await alex.getByRole('button', { name: 'Create account' }).click();
  await expect(alex.getByRole('heading', { name: 'Omar Newhire' })).toBeVisible();
  const omarPage = alex.url();

  // He orders a laptop from his phone; it needs a manager he doesn't have.
  const omar = await pageFor(browser, email, PHONE, password);
  await omar.goto('/catalog/new-laptop');
  await expect(omar.locator('form.request-form')).toHaveAttribute('data-hydrated', 'true');
  await omar.locator('[data-field="replaces"]').getByLabel('No').check();
  await omar.getByRole('button', { name: 'Send request' }).click();
  await expect(omar).toHaveURL(/\/records\/REQ\d{7}\?ordered=1$/);
  const number = omar.url().match(/REQ\d{7}/)![0];
  await expect(omar.locator('.timeline')).toContainText('Waiting for an approver to be assigned.');
  await expect(omar.getByRole('button', { name: 'Ask for approval again' })).toHaveCount(0);

  // The admin is told, and the record says what is missing.
  await alex.goto('/notifications');
  await alex.locator('.notifications li', { hasText: `${number} · New laptop: has nobody to approve it` }).getByRole('link').click();
  await expect(alex.getByRole('heading', { name: 'Nobody is asked to approve this' })).toBeVisible();
  await expect(alex.locator('.timeline')).toContainText('The requester has no active manager.');
  await hydrated(alex);
  await alex.getByRole('button', { name: 'Ask for approval again' }).click();
  await expect(alex.locator('.stuck .form-error')).toContainText('Still nobody can approve step 1.');

  // Once the manager is set, asking again reaches her.
  await alex.goto(omarPage);
  await hydrated(alex);
  await alex.getByLabel("Manager's e-mail").fill(MANAGER);
  await alex.getByRole('button', { name: 'Save changes' }).click();
  await expect(alex.getByText('Saved.')).toBeVisible();
  await alex.goto(`/records/${number}`);
  await hydrated(alex);
  await alex.getByRole('button', { name: 'Ask for approval again' }).click();
  await expect(alex.locator('section.approvals')).toContainText('Hannah Schmidt');
  await expect(alex.getByRole('heading', { name: 'Nobody is asked to approve this' })).toHaveCount(0);

  const hannah = await pageFor(browser, MANAGER);
  await hannah.goto('/approvals');
  await expect(hannah.locator('.approval-card', { hasText: number })).toBeVisible();
});
