import { test, expect } from '@playwright/test';
import { AGENT, PHONE, REQUESTER, expectNoHorizontalScroll, hydrated, pageFor } from './helpers';


test('a requester reports an issue on a phone; the desk holds, resolves it with a code; she sees the reply and resolution, not the note, and reopens', async ({ browser }) => {
  const maya = await pageFor(browser, REQUESTER, PHONE);
  await maya.getByRole('button', { name: 'Menu' }).click();
  await maya.getByRole('link', { name: 'Report an issue' }).click();
  await expect(maya.getByRole('heading', { name: 'Report an issue' })).toBeVisible();
  await hydrated(maya);
  await expectNoHorizontalScroll(maya);
  await maya.getByRole('button', { name: 'Report it' }).click();
  await expect(maya.locator('#title-error')).toHaveText('Give it a short title.');
  await expect(maya.locator('#reach-error')).toHaveText('Say who is affected.');
  await expect(maya.getByRole('alert').filter({ hasText: "It wasn't sent yet" })).toBeVisible();

  const stamp = Date.now();
  await maya.getByLabel('What is wrong?').fill(`Outlook asks for my password ${stamp}`);
  await maya.getByLabel('Tell us more').fill('Every few minutes since this morning.');
  await maya.getByLabel('Just me').check();
  await maya.getByLabel("I'm blocked").check();
  await maya.getByLabel('Which service? (optional)').selectOption({ label: 'Email and calendar' });
  await maya.getByLabel('Screenshots or files (optional)').setInputFiles({
    name: 'password-prompt.png',
    mimeType: 'image/png',
    buffer: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  });
  await maya.getByRole('button', { name: 'Report it' }).click();
  await expect(maya).toHaveURL(/\/records\/INC\d{7}\?reported=1$/);
  const number = maya.url().match(/INC\d{7}/)![0];
  await expect(maya.getByRole('heading', { name: `Incident ${number} is reported` })).toBeVisible();
  await expect(maya.locator('.record-cis')).toContainText('Email and calendar');
  await expect(maya.locator('.attachments__list')).toContainText('password-prompt.png');
  await expect(maya.locator('.record__badges')).toContainText('Moderate');

  // The agent works it on desktop: a note for agents, a reply, a hold, then the resolution.
  const sam = await pageFor(browser, AGENT);
  await sam.goto(`/records/${number}`);
  await hydrated(sam);
  await sam.getByRole('button', { name: 'Assign to me' }).click();
  await expect(sam.locator('.facts')).toContainText('Sam Okafor');
  await expect(sam.locator('.timeline')).toContainText('changed assignee from nothing to Sam Okafor');
  await sam.getByLabel('Work note — agents only').check();
  await sam.getByLabel('Message').fill(`Token cache corrupt ${stamp}`);
  await sam.getByRole('button', { name: 'Send' }).click();
  await expect(sam.locator('.timeline__item--internal').last()).toContainText(`Token cache corrupt ${stamp}`);
  await sam.getByLabel('Reply — visible to the requester').check();
  await sam.getByLabel('Message').fill('Please restart Outlook once and tell me if it still asks.');
  await sam.getByRole('button', { name: 'Send' }).click();
  await expect(sam.locator('.timeline__item').last()).toContainText('Please restart Outlook once');

  await sam.getByLabel('Move to').selectOption('on_hold');
  await expect(sam.getByLabel('Resolution', { exact: true })).toBeHidden();
  await sam.getByRole('button', { name: 'Save state' }).click();
  await expect(sam.locator('#hold_reason-error')).toHaveText('Say what it is waiting for.');
  await sam.getByLabel('Waiting for').selectOption('awaiting_caller');
  await sam.getByRole('button', { name: 'Save state' }).click();
  await expect(sam.locator('.record__badges')).toContainText('On hold');
  await expect(sam.locator('p.notice--warn')).toHaveText('On hold: awaiting caller.');
  // After a saved move, "Move to" asks for a choice again, and the timeline reads in words.
  await expect(sam.getByLabel('Move to')).toHaveValue('');
  await expect(sam.locator('.timeline')).toContainText('changed state from New to On hold');
  await expect(sam.locator('.timeline')).toContainText('put it on hold: Awaiting caller');

  // A priority set by hand needs its reason, and the page says why the priority is what it is.
  await sam.getByLabel('Priority', { exact: true }).selectOption('1');
  await sam.getByRole('button', { name: 'Save details' }).click();
  await expect(sam.locator('#priority_reason-error')).toHaveText('Say why the priority is set by hand.');
  await sam.getByLabel('Why, when set by hand').fill('The CFO is locked out before the board meeting.');
  await sam.getByRole('button', { name: 'Save details' }).click();
  await expect(sam.locator('.record__badges')).toContainText('Critical');
  await expect(sam.locator('#priority-why')).toHaveText('Set by hand: The CFO is locked out before the board meeting.');
  await expect(sam.locator('.timeline')).toContainText('set the priority by hand');

  await hydrated(sam);
  await sam.getByLabel('Move to').selectOption('resolved');
  await sam.getByLabel('Resolution', { exact: true }).selectOption('fixed');
  await sam.getByLabel('What was done — visible to the requester').fill('Cleared the cached credentials.');
  await sam.getByRole('button', { name: 'Save state' }).click();
  await expect(sam.locator('.record__badges')).toContainText('Resolved');

  // Maya, on her phone, sees the reply and the resolution, never the note, and reopens.
  await maya.goto(`/records/${number}`);
  await hydrated(maya);
  await expect(maya.locator('.timeline')).toContainText('Please restart Outlook once');
  await expect(maya.getByRole('heading', { name: 'Resolution: Fixed' })).toBeVisible();
  await expect(maya.locator('.resolution')).toContainText('Cleared the cached credentials.');
  await expect(maya.locator('body')).not.toContainText(`Token cache corrupt ${stamp}`);
  await expect(maya.getByText('Change state')).toHaveCount(0);
  await expectNoHorizontalScroll(maya);
  await maya.getByText('Not done? Reopen it').click();
  await maya.getByLabel('What is still missing?').fill('It asked again after lunch.');
  await maya.getByRole('button', { name: 'Reopen incident' }).click();
  await expect(maya.locator('.record__badges')).toContainText('In progress');
  await expect(maya.locator('.timeline')).toContainText('Reopened: It asked again after lunch.');
});
