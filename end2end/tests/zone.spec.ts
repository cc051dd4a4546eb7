import { test, expect, type Page } from '@playwright/test';
import { ADMIN, AGENT, hydrated, pageFor } from './helpers';

// Every date is shown in the reader's time zone: their own, else the organisation's, the
// same in the server's HTML and after hydration.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2 Dec 2026, 09:05": an instant as the portal prints it in `zone`. */
function printed(iso: string, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${Number(part('day'))} ${MONTHS[Number(part('month')) - 1]} ${part('year')}, ${part('hour')}:${part('minute')}`;
}

/** The "Opened" time of the record page `page` is on, as shown and as an instant. */
async function opened(page: Page): Promise<{ shown: string; at: string }> {
  const time = page.locator('dt:text-is("Opened") + dd time');
  return { shown: (await time.textContent())!.trim(), at: (await time.getAttribute('datetime'))! };
}

async function firstQueueRecord(page: Page): Promise<string> {
  await page.goto('/queue');
  return (await page.locator('.records__number').first().textContent())!.trim();
}

test("an agent reads dates in their own zone, on the server's page and after hydration", async ({ browser }) => {
  const sam = await pageFor(browser, AGENT); // Europe/London in the demo
  const number = await firstQueueRecord(sam);
  const response = await sam.request.get(`/records/${number}`);
  const html = await response.text();
  await sam.goto(`/records/${number}`);
  const before = await opened(sam);
  expect(html).toContain(`>${before.shown}</time>`);
  await hydrated(sam);
  const after = await opened(sam);
  expect(after.shown).toBe(before.shown);
  expect(after.shown).toBe(printed(after.at, 'Europe/London'));
  // Deadlines name their zone.
  const due = sam.getByRole('region', { name: 'Service levels' }).locator('.clock__due').first();
  if (await due.count()) await expect(due).toHaveText(/(Due .+ (GMT|BST)|Paused.*|No deadline yet\.)$/);
});

test("people without a zone of their own read the organisation's, which an admin sets", async ({ browser }) => {
  const alex = await pageFor(browser, ADMIN); // no zone of their own in the demo
  const number = await firstQueueRecord(alex);
  await alex.goto(`/records/${number}`);
  const berlin = await opened(alex);
  expect(berlin.shown).toBe(printed(berlin.at, 'Europe/Berlin'));

  await alex.goto('/admin/desk');
  await hydrated(alex);
  await expect(alex.getByLabel("The organisation's time zone")).toHaveValue('Europe/Berlin');
  await alex.getByLabel("The organisation's time zone").selectOption('Asia/Kolkata');
  await alex.getByRole('button', { name: 'Save time zone' }).click();
  await expect(alex.getByText('Time zone saved.')).toBeVisible();

  await alex.goto(`/records/${number}`);
  const kolkata = await opened(alex);
  expect(kolkata.shown).toBe(printed(kolkata.at, 'Asia/Kolkata'));

  await alex.goto('/profile');
  await expect(alex.getByLabel('Time zone')).toHaveValue('');
  await expect(alex.getByLabel('Time zone').locator('option[value=""]')).toHaveText("The organisation's (Asia/Kolkata)");

  await alex.goto('/admin/desk');
  await hydrated(alex);
  await alex.getByLabel("The organisation's time zone").selectOption('Europe/Berlin');
  await alex.getByRole('button', { name: 'Save time zone' }).click();
  await expect(alex.getByText('Time zone saved.')).toBeVisible();
});
