import { test, expect } from '@playwright/test';
import { ADMIN, PHONE, REQUESTER, expectNoHorizontalScroll, hydrated, signIn } from './helpers';

test('an admin adds a person, sees the password rule beside the field, then deactivates them', async ({ page, browser }) => {
  await page.goto('/login?next=%2Fadmin%2Fusers');
  await signIn(page, ADMIN);
  await expect(page.getByRole('heading', { name: 'People' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('link', { name: 'Add a person' }).click();
  await expect(page.getByRole('heading', { name: 'Add a person' })).toBeVisible();

  const email = `nina.${Date.now()}@example.com`;
  await page.getByLabel('Name').fill('Nina Newcomer');
  await page.getByLabel('E-mail', { exact: true }).fill(email);
  await page.getByLabel("Manager's e-mail").fill('nobody.at.all@example.com');
  await page.getByLabel('Agent').check();
  await page.getByLabel('Service Desk').check();
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#password-error')).toContainText('too easy to guess');
  await expect(page.locator('#manager_email-error')).toHaveText('Nobody has that e-mail address.');

  await page.getByLabel("Manager's e-mail").fill('sam.okafor@example.com');
  const password = 'copper kettle under violet rain';
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Nina Newcomer' })).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/users\/\d+$/);
  await expect(page.getByLabel('Agent')).toBeChecked();
  await expect(page.getByLabel('Service Desk')).toBeChecked();

  // Nina signs in elsewhere; deactivating her ends that session at once.
  const ninaContext = await browser.newContext();
  const nina = await ninaContext.newPage();
  await nina.goto('/login?next=%2Fqueue');
  await signIn(nina, email, password);
  await expect(nina.getByRole('heading', { name: 'Queue' })).toBeVisible();

  await page.getByRole('button', { name: 'Deactivate account' }).click();
  await expect(page.getByRole('button', { name: 'Reactivate account' })).toBeVisible();
  await expect(page.locator('.page-header .badge')).toHaveText('Deactivated');

  await nina.goto('/queue');
  await expect(nina).toHaveURL(/\/login\?next=%2Fqueue$/);
  await signIn(nina, email, password);
  await expect(nina.getByRole('alert')).toHaveText("That e-mail and password don't match an account.");
});

test('an admin creates a group and staffs it on a phone', async ({ page }) => {
  await page.setViewportSize(PHONE);
  await page.goto('/login?next=%2Fadmin%2Fgroups');
  await signIn(page, ADMIN);
  await expect(page.getByRole('heading', { name: 'Assignment groups' })).toBeVisible();
  await hydrated(page);
  await expectNoHorizontalScroll(page);

  const name = `Field Services ${Date.now()}`;
  await page.getByLabel('Name').fill('Service Desk');
  await page.getByRole('button', { name: 'Add group' }).click();
  await expect(page.locator('#name-error')).toHaveText('There is already a group with that name.');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('What it handles').fill('Desk moves and on-site repairs');
  await page.getByRole('button', { name: 'Add group' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();

  await page.getByLabel('Add someone by e-mail').fill('ghost@example.com');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.locator('#email-error')).toHaveText('Nobody has that e-mail address.');
  await page.getByLabel('Add someone by e-mail').fill('sam.okafor@example.com');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('heading', { name: 'Members (1)' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sam Okafor' })).toBeVisible();
  await expectNoHorizontalScroll(page);

  await page.getByRole('button', { name: 'Remove Sam Okafor' }).click();
  await expect(page.getByRole('heading', { name: 'Members (0)' })).toBeVisible();
});

test('people who are not admins are refused the admin pages', async ({ page }) => {
  await page.goto('/login?next=%2Fadmin%2Fusers');
  await signIn(page, REQUESTER);
  await expect(page.getByRole('heading', { name: 'No access' })).toBeVisible();
  await expect(page.locator('table.records')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'People' })).toHaveCount(0);
});

test('an admin adds a catalog item, publishes it, and a requester finds it', async ({ page, browser }) => {
  await page.goto('/login?next=%2Fadmin%2Fcatalog');
  await signIn(page, ADMIN);
  await expect(page.getByRole('heading', { name: 'Catalog', exact: true })).toBeVisible();
  await hydrated(page);
  await page.getByRole('link', { name: 'Add an item' }).click();
  const name = `Ergonomic chair ${Date.now()}`;
  await page.getByLabel('Category').selectOption({ label: 'Hardware' });
  await page.getByLabel('Web address').fill('Not A Slug');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create item' }).click();
  await expect(page.locator('#slug-error')).toHaveText('Use lowercase letters, digits and dashes, like new-laptop.');
  await page.getByLabel('Web address').fill('');
  await page.getByLabel('Summary').fill('A chair that fits you.');
  await page.getByRole('button', { name: 'Create item' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();

  await page.locator('.breadcrumbs').getByRole('link', { name: 'Catalog' }).click();
  const row = page.locator('.list__item', { hasText: name });
  await expect(row).toContainText('Unpublished');
  await row.getByRole('button', { name: 'Publish' }).click();
  await expect(page.locator('.list__item', { hasText: name })).toContainText('Published');

  const requester = await (await browser.newContext()).newPage();
  await requester.goto('/login');
  await signIn(requester, REQUESTER);
  await requester.getByRole('searchbox', { name: 'Search the catalog' }).fill('ergonomic');
  await expect(requester.getByRole('link', { name: new RegExp(name) })).toBeVisible();
});

test('an admin adds a conditional question in the form editor, sees it in the preview, and requesters get it', async ({ page, browser }) => {
  await page.goto('/login?next=%2Fadmin%2Fcatalog');
  await signIn(page, ADMIN);
  await hydrated(page);
  await page.locator('.list__item', { hasText: 'Headset' }).getByRole('link', { name: 'Headset' }).click();
  await page.getByRole('link', { name: 'Edit its form' }).click();
  await expect(page.getByRole('heading', { name: 'Form for Headset' })).toBeVisible();
  await hydrated(page);
  const preview = page.locator('section.preview');
  await expect(preview.getByLabel('Over-ear')).toBeChecked();

  await page.getByRole('button', { name: 'Add a field' }).click();
  const card = page.locator('.field-editor').last();
  await card.getByLabel('Question').fill('Which ear cushions?');
  await card.getByLabel('Key').fill('cushions');
  await card.getByLabel('Show only when').selectOption('style');
  await card.getByLabel('is one of').fill('over_ear');
  await card.getByLabel('Required').check();

  // The preview follows as you type, conditions included.
  await expect(preview.getByText('Which ear cushions?')).toBeVisible();
  await preview.getByLabel('In-ear').check();
  await expect(preview.getByText('Which ear cushions?')).toBeHidden();

  // A broken condition is explained and can't be saved.
  await card.getByLabel('is one of').fill('sideways');
  await expect(page.locator('.problems')).toContainText('has no option "sideways"');
  await expect(page.getByRole('button', { name: 'Save form' })).toBeDisabled();
  await card.getByLabel('is one of').fill('over_ear');

  // A choice with a default: the preview starts on it, and a default that isn't an option is refused.
  await page.getByRole('button', { name: 'Add a field' }).click();
  const colour = page.locator('.field-editor').last();
  await colour.getByLabel('Question').fill('Colour');
  await colour.getByLabel('Key').fill('colour');
  await colour.getByLabel('Type').selectOption('choice');
  await colour.getByLabel(/^Options/).fill('black = Black\nwhite = White');
  await colour.getByLabel('Default answer').fill('gold');
  await expect(page.locator('.problems')).toContainText('the default "gold" is not one of its options');
  await colour.getByLabel('Default answer').fill('white');
  await expect(preview.getByLabel('White')).toBeChecked();
  await page.getByRole('button', { name: 'Save form' }).click();
  await expect(page.getByText('Saved as a new version.')).toBeVisible();
  await expect(page.getByText(/Now at version 2\./)).toBeVisible();

  const requester = await (await browser.newContext()).newPage();
  await requester.goto('/login?next=%2Fcatalog%2Fheadset');
  await signIn(requester, REQUESTER);
  await expect(requester.getByText('Which ear cushions?')).toBeVisible();
});

test('on a phone an admin makes the docking station need the manager and two tasks in turn, and the next request follows it', async ({ page, browser }) => {
  await page.setViewportSize(PHONE);
  await page.goto('/login?next=%2Fadmin%2Fcatalog');
  await signIn(page, ADMIN);
  await hydrated(page);
  await page.locator('.list__item', { hasText: 'Docking station' }).getByRole('link', { name: 'Docking station' }).click();
  await expect(page.getByRole('heading', { name: 'Docking station' })).toBeVisible();
  await hydrated(page);
  const plan = page.locator('section.plan-editor');
  await expect(plan.getByText('No approval: fulfilment starts as soon as it is ordered.')).toBeVisible();
  await expect(plan.getByLabel('Task 1', { exact: true })).toHaveValue('Deliver the docking station');

  await plan.getByRole('button', { name: 'Add an approval step' }).click();
  await expect(plan.getByLabel('Step 1: approved by')).toHaveValue('manager');
  await plan.getByRole('button', { name: 'Add a task' }).click();
  await expect(plan.locator('.problems')).toHaveText('Every task needs a title.');
  await expect(plan.getByRole('button', { name: 'Save approval and fulfilment' })).toBeDisabled();
  await plan.getByLabel('Task 2', { exact: true }).fill('Set up the screens at the desk');
  await plan.locator('[data-task="1"]').getByLabel('Done by').selectOption({ label: 'Service Desk' });
  await plan.getByLabel('one after another').check();
  await plan.getByRole('button', { name: 'Move task 2 up' }).click();
  await expect(plan.getByLabel('Task 1', { exact: true })).toHaveValue('Set up the screens at the desk');
  await expectNoHorizontalScroll(page);
  await plan.getByRole('button', { name: 'Save approval and fulfilment' }).click();
  await expect(plan.getByText('Saved.')).toBeVisible();

  await page.reload();
  await hydrated(page);
  await expect(plan.getByLabel('Step 1: approved by')).toHaveValue('manager');
  await expect(plan.getByLabel('Task 1', { exact: true })).toHaveValue('Set up the screens at the desk');
  await expect(plan.getByLabel('Task 2', { exact: true })).toHaveValue('Deliver the docking station');
  await expect(plan.getByLabel('one after another')).toBeChecked();

  const maya = await (await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true })).newPage();
  await maya.goto('/login?next=%2Fcatalog%2Fdocking-station');
  await signIn(maya, REQUESTER);
  await maya.getByLabel('Desk number').fill('B2-114');
  await maya.getByRole('button', { name: 'Send request' }).click();
  await expect(maya).toHaveURL(/\/records\/REQ\d{7}\?ordered=1$/);
  await expect(maya.locator('.record__badges')).toContainText('Awaiting approval');
  await expect(maya.locator('section.approvals')).toContainText('Hannah Schmidt');
});

test('an admin adds a category, renames it and moves it up, and a bad name is explained', async ({ page }) => {
  await page.goto('/login?next=%2Fadmin%2Fcatalog');
  await signIn(page, ADMIN);
  await hydrated(page);
  const name = `Furniture ${Date.now()}`;
  await page.getByText('Add a category').click();
  const add = page.locator('details.add-category');
  await add.getByLabel('Name').fill('Hardware');
  await add.getByRole('button', { name: 'Add category' }).click();
  await expect(add.locator('.field__error').first()).toHaveText('There is already a category with that name.');
  await add.getByLabel('Name').fill(name);
  await add.getByLabel('Description').fill('Desks, chairs and lamps.');
  await add.getByRole('button', { name: 'Add category' }).click();
  const section = page.locator('section.catalog-admin', { has: page.getByRole('heading', { name, exact: true }) });
  await expect(section).toContainText('Desks, chairs and lamps.');
  await expect(section).toContainText('No items yet.');

  const headings = page.locator('section.catalog-admin h2');
  const count = await headings.count();
  await expect(headings.nth(count - 1)).toHaveText(name);
  await section.getByRole('button', { name: `Move ${name} up` }).click();
  await expect(headings.nth(count - 2)).toHaveText(name);

  const renamed = `${name} and fittings`;
  const moved = page.locator('section.catalog-admin', { has: page.getByRole('heading', { name, exact: true }) });
  await moved.getByText(`Rename ${name}`).click();
  await moved.getByLabel('Name').fill(renamed);
  await moved.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: renamed, exact: true })).toBeVisible();
  await expect(headings.nth(count - 2)).toHaveText(renamed);
});
