import { test, expect } from '@playwright/test';
import { ADMIN, AGENT, PHONE, REQUESTER, expectNoHorizontalScroll, hydrated, pageFor, reportIncident } from './helpers';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');


test('a requester attaches a screenshot on a phone; a refused file is explained beside the field', async ({ browser }) => {
  const maya = await pageFor(browser, REQUESTER, PHONE);
  const number = await reportIncident(maya, `Scanner error ${Date.now()}`);
  const files = maya.getByLabel('Attach files');
  await files.setInputFiles({ name: 'error.png', mimeType: 'image/png', buffer: PNG });
  await maya.getByRole('button', { name: 'Attach', exact: true }).click();
  await expect(maya).toHaveURL(new RegExp(`/records/${number}\\?attached=1`));
  await expect(maya.locator('.attachments')).toContainText('1 file attached.');
  const link = maya.locator('.attachments__list').getByRole('link', { name: 'error.png' });
  await expect(link).toBeVisible();
  await expect(maya.locator('.timeline')).toContainText('attached error.png');
  await expectNoHorizontalScroll(maya);

  const download = maya.waitForEvent('download');
  await link.click();
  expect((await download).suggestedFilename()).toBe('error.png');

  await maya.getByLabel('Attach files').setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
  await maya.getByRole('button', { name: 'Attach', exact: true }).click();
  await expect(maya.locator('#files-error')).toContainText("That kind of file isn't taken");
  await expect(maya.locator('.attachments__list li')).toHaveCount(1);
});

test('an agent links a child to a parent, inserts a canned reply, adds a watcher, and resolving the parent resolves the child', async ({ browser }) => {
  const sam = await pageFor(browser, AGENT);
  const stamp = Date.now();
  const child = await reportIncident(sam, `Desk phone dead ${stamp}`);
  const parent = await reportIncident(sam, `Voice gateway down ${stamp}`);
  await sam.goto(`/records/${parent}`);
  await hydrated(sam);

  const links = sam.getByRole('region', { name: 'Linked records' });
  await links.getByLabel('This record').selectOption('parent_of');
  await links.getByLabel('Record number').fill(child);
  await links.getByRole('button', { name: 'Link' }).click();
  await expect(links.getByRole('link', { name: new RegExp(child) })).toBeVisible();
  await expect(links).toContainText('Parent of');

  const watchers = sam.getByRole('region', { name: 'Watchers' });
  await watchers.getByLabel('Add a watcher (e-mail)').fill('hannah.schmidt@example.com');
  await watchers.getByRole('button', { name: 'Add watcher' }).click();
  await expect(watchers.getByRole('listitem')).toContainText('Hannah Schmidt');

  // A canned response goes into the reply box; reply and work note look different.
  await sam.getByLabel('Insert a canned response').selectOption({ label: 'Restart and tell us' });
  await expect(sam.getByLabel('Message')).toHaveValue(/restart the device once/);
  const composer = sam.locator('section.composer');
  const replyColour = await composer.evaluate((el) => getComputedStyle(el).backgroundColor);
  await sam.getByLabel('Work note — agents only').check();
  await expect.poll(() => composer.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(replyColour);
  await expect(sam.getByRole('button', { name: /Send work note \(agents only\)/ })).toBeVisible();
  await sam.getByLabel('Reply — visible to the requester').check();
  await expect(sam.getByRole('button', { name: /Send reply to the requester/ })).toBeVisible();
  await sam.getByRole('button', { name: 'Send' }).click();
  await expect(sam.locator('.timeline__item').last()).toContainText('restart the device once');

  await sam.goto(`/records/${child}`);
  await expect(sam.getByRole('region', { name: 'Linked records' })).toContainText(`Child of`);
  await sam.goto(`/records/${parent}`);
  await hydrated(sam);
  await sam.getByLabel('Move to').selectOption('resolved');
  await sam.getByLabel('Resolution', { exact: true }).selectOption('fixed');
  await sam.getByLabel('What was done — visible to the requester').fill('Gateway restarted.');
  await sam.getByRole('button', { name: 'Save state' }).click();
  await expect(sam.locator('.record__badges')).toContainText('Resolved');
  await sam.goto(`/records/${child}`);
  await expect(sam.locator('.record__badges')).toContainText('Resolved');
  await expect(sam.locator('.timeline')).toContainText(`Resolved with its parent ${parent}: Gateway restarted.`);
});

test('an admin keeps the canned responses and the priority matrix, on a phone', async ({ browser }) => {
  const alex = await pageFor(browser, ADMIN, PHONE);
  await alex.goto('/admin/desk');
  await expect(alex.getByRole('heading', { name: 'Service desk settings' })).toBeVisible();
  await hydrated(alex);
  await expectNoHorizontalScroll(alex);
  const title = `Printer queue ${Date.now()}`;
  await alex.getByText('Add a canned response').click();
  const add = alex.locator('.add-canned');
  await add.getByLabel('Title').fill(title);
  await add.getByLabel('Reply').fill('Please clear the print queue and try again.');
  await add.getByRole('button', { name: 'Save' }).click();
  await expect(alex.locator('.list__item summary', { hasText: title })).toBeVisible();

  // A matrix where a wider impact gives a lower priority is refused beside the table.
  await alex.getByLabel('Priority for High: many people impact and High: work has stopped urgency').selectOption('5');
  await alex.getByRole('button', { name: 'Save matrix' }).click();
  await expect(alex.getByRole('alert').filter({ hasText: "can't give a lower priority" })).toBeVisible();
});
