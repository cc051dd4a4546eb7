import { readFileSync } from 'fs';
import { test, expect } from '@playwright/test';
import { ADMIN, AGENT, PHONE, expectNoHorizontalScroll, hydrated, pageFor } from './helpers';

test('on a phone, an admin adds a calendar: mistakes are explained beside their fields, then it is saved', async ({ browser }) => {
  const alex = await pageFor(browser, ADMIN, PHONE);
  const name = `Lisbon office ${Date.now()}`;
  await alex.goto('/admin/service-levels');
  await hydrated(alex);
  await expect(alex.locator('[data-calendar="24×7"]')).toContainText('Mon–Sun 00:00-24:00');
  await alex.getByRole('link', { name: 'Add a calendar' }).click();
  await expect(alex.getByRole('heading', { name: 'New calendar' })).toBeVisible();
  await hydrated(alex);

  await alex.getByLabel('Name', { exact: true }).fill(name);
  await alex.getByLabel('Time zone').fill('Europe/Lisbn');
  await alex.getByLabel('Monday').fill('09:00-13:00, 12:00-18:00');
  await alex.getByLabel('Tuesday').fill('nine to six');
  await alex.getByLabel('Holidays').fill('2026-12-08 Immaculate Conception\n25 Dec Christmas');
  await alex.getByRole('button', { name: 'Add calendar' }).click();
  await expect(alex.locator('#time_zone-error')).toContainText("isn't a time zone we know");
  await expect(alex.locator('#monday-error')).toHaveText('On Monday, two spans overlap.');
  await expect(alex.locator('#tuesday-error')).toContainText('write hours as 09:00-17:00');
  await expect(alex.locator('#holidays-error')).toContainText('Line 2');
  await expect(alex.getByLabel('Holidays')).toHaveValue(/Immaculate Conception/);
  await expectNoHorizontalScroll(alex);

  await alex.getByLabel('Time zone').fill('Europe/Lisbon');
  await alex.getByLabel('Monday').fill('09:00-13:00, 14:00-18:00');
  await alex.getByLabel('Tuesday').fill('09:00-18:00');
  await alex.getByLabel('Holidays').fill('2026-12-08 Immaculate Conception\n2026-12-25 Christmas');
  await alex.getByRole('button', { name: 'Add calendar' }).click();
  await expect(alex).toHaveURL(/\/admin\/service-levels\/calendars\/\d+$/);
  await expect(alex.getByRole('heading', { name })).toBeVisible();
  await expect(alex.getByLabel('Monday')).toHaveValue('09:00-13:00, 14:00-18:00');

  await alex.goto('/admin/service-levels');
  await expect(alex.locator(`[data-calendar="${name}"]`)).toContainText('Europe/Lisbon');
  await expect(alex.locator(`[data-calendar="${name}"]`)).toContainText('Mon 09:00-13:00, 14:00-18:00; Tue 09:00-18:00');
});

test('an admin is told a policy can never apply, saves it, and the simulator explains a deadline over Christmas', async ({ browser }) => {
  const alex = await pageFor(browser, ADMIN);
  const name = `Problems ${Date.now()}`;
  await alex.goto('/admin/service-levels/policies/new');
  await hydrated(alex);
  await alex.getByLabel('Name', { exact: true }).fill(name);
  await alex.getByLabel('Active: records can take this policy').uncheck();
  await alex.getByLabel('Incident', { exact: true }).check();
  await alex.locator('summary', { hasText: 'Catalog items' }).click();
  await alex.locator('input[name="catalog_items[]"]').first().check();
  await alex.getByLabel('Resolution within').fill('a week or so');
  await alex.getByRole('button', { name: 'Add policy' }).click();
  await expect(alex.locator('[data-error="conditions"]')).toContainText('could never apply');
  await expect(alex.locator('#resolution-error')).toContainText('8 h, 30 min or 1 h 30 min');

  await alex.locator('input[name="catalog_items[]"]').first().uncheck();
  await alex.getByLabel('Incident', { exact: true }).uncheck();
  await alex.getByLabel('Problem', { exact: true }).check();
  await alex.getByLabel('Resolution within').fill('2 d');
  await alex.getByRole('button', { name: 'Add policy' }).click();
  await expect(alex).toHaveURL(/\/admin\/service-levels\/policies\/\d+$/);
  await alex.reload();
  await expect(alex.getByLabel('Resolution within')).toHaveValue('48 h');
  await alex.goto('/admin/service-levels');
  await expect(alex.locator(`[data-policy="${name}"]`)).toContainText('Inactive');

  // Office hours in Berlin close for Christmas Eve and Christmas Day: four hours from
  // Wednesday 23 December 15:00 are two that day and two on Monday the 28th.
  await alex.locator('[data-policy="Other incidents"]').getByRole('link').click();
  await hydrated(alex);
  const simulator = alex.getByRole('region', { name: 'Simulator' });
  await simulator.getByLabel('Clock').selectOption('response');
  await simulator.getByLabel('Opened at').fill('2026-12-23T15:00');
  await simulator.getByRole('button', { name: 'Show the deadline' }).click();
  await expect(simulator.locator('.simulation__due')).toContainText('Due Mon 28 Dec 2026 11:00 (Europe/Berlin)');
  await expect(simulator.locator('.segments')).toContainText('Holiday: Christmas Eve');
  await expect(simulator.locator('.segments')).toContainText('No working hours that day');

  await simulator.getByLabel('Pauses').fill('2026-12-28 09:00 - 2026-12-28 10:30');
  await simulator.getByRole('button', { name: 'Show the deadline' }).click();
  await expect(simulator.locator('.simulation__due')).toContainText('Due Mon 28 Dec 2026 12:30');
  await expect(simulator.locator('.segments')).toContainText('Paused');

  await simulator.getByLabel('Opened at').fill('');
  await simulator.getByRole('button', { name: 'Show the deadline' }).click();
  await expect(simulator.locator('#sim-start-error')).toContainText('Give the start as a date and time');
});

test('on a phone, an agent sees the clocks breaching soon, soonest first, and the badges in the queue', async ({ browser }) => {
  const sam = await pageFor(browser, AGENT, PHONE);
  await sam.goto('/queue/breaching?groups=all');
  await expect(sam.getByRole('heading', { name: 'Breaching soon' })).toBeVisible();
  const due = sam.locator('table.records tbody tr time');
  await expect(due.first()).toBeVisible();
  const times = await due.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('datetime') ?? ''));
  expect(times.length).toBeGreaterThan(1);
  expect([...times].sort()).toEqual(times);
  await expectNoHorizontalScroll(sam);

  await sam.goto('/queue?view=all_open');
  const badges = sam.locator('td.records__sla .badge');
  await expect(badges.first()).toBeVisible();
  await expect(badges.first()).toHaveText(/^(Due .+|Breached|Paused|Met)$/);
  await expect(sam.getByRole('link', { name: 'Breaching soon' })).toBeVisible();
});

test('an agent reads the attainment report and downloads it as CSV', async ({ browser }) => {
  const sam = await pageFor(browser, AGENT);
  await sam.goto('/reports/service-levels');
  await expect(sam.getByRole('heading', { name: 'Service-level attainment' })).toBeVisible();
  await expect(sam.locator('table.attainment tbody tr').first()).toBeVisible();
  await expect(sam.locator('.report__summary')).toContainText(/\d+ met, \d+ breached/);

  const [download] = await Promise.all([
    sam.waitForEvent('download'),
    sam.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  const path = await download.path();
  const csv = readFileSync(path, 'utf8');
  expect(csv.split('\r\n')[0]).toBe('policy,group,clock,met,breached,attainment_percent');
  expect(csv).toMatch(/\r\n(Critical and high incidents|Other incidents|Service requests),/);

  await sam.getByLabel('From').fill('2026-12-31');
  await sam.getByLabel('To (included)').fill('2026-01-01');
  await sam.getByRole('button', { name: 'Show' }).click();
  await expect(sam.locator('#to-error')).toContainText('must end on or after its first day');
});
