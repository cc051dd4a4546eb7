import { test, expect } from '@playwright/test';
import { AGENT, hydrated, pageFor, reportIncident } from './helpers';

test('an agent puts an incident on hold and sees its resolution clock paused, with why', async ({ browser }) => {
  const sam = await pageFor(browser, AGENT);
  const number = await reportIncident(sam, `Dock station flickers ${Date.now()}`);
  const clocks = sam.getByRole('region', { name: 'Service levels' });
  const resolution = clocks.locator('[data-clock="Resolution"]');
  await expect(resolution).toContainText(/Running|Breached/);
  await expect(resolution).toContainText('Target');
  await expect(resolution).toContainText('24 h');

  await sam.goto(`/records/${number}`);
  await hydrated(sam);
  await sam.getByLabel('Move to').selectOption('on_hold');
  await sam.getByLabel('Waiting for').selectOption('awaiting_caller');
  await sam.getByRole('button', { name: 'Save state' }).click();
  await expect(sam.locator('.record__badges')).toContainText('On hold');
  await expect(resolution.locator('.badge')).toHaveText('Paused');
  await expect(resolution).toContainText('the deadline moves on when the clock runs again');
  await expect(clocks.locator('[data-clock="First response"] .badge')).toHaveText('Met');

  await resolution.getByText('Why this deadline').click();
  await expect(resolution).toContainText('Office hours (Berlin)');
  await expect(resolution).toContainText('On hold: awaiting caller');
  await expect(resolution.locator('.segment').first()).toBeVisible();
});
