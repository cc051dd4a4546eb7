import { expect, type Browser, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../playwright.config';

export const REQUESTER = 'maya.patel@example.com';
export const AGENT = 'sam.okafor@example.com';
export const ADMIN = 'alex.morgan@example.com';
export const PHONE = { width: 360, height: 740 };

/** Signs in on the sign-in page the visitor is on (or is sent to). */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Waits until the wasm has hydrated the page: only client code sets this attribute. */
export async function hydrated(page: Page) {
  await expect(page.locator('header.site-header')).toHaveAttribute('data-hydrated', 'true');
}

/** No horizontal scrolling: nothing is wider than the viewport. */
export async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** The number of an open record whose requester is not `notFor`, read from the agent queue. */
export async function someoneElsesRecord(page: Page, notFor: string): Promise<string> {
  await page.goto('/login?next=%2Fqueue');
  await signIn(page, AGENT);
  const row = page.locator('table.records tbody tr', { hasNot: page.getByRole('cell', { name: notFor }) }).first();
  const number = (await row.locator('.records__number').textContent())?.trim() ?? '';
  expect(number).toMatch(/^(INC|REQ)\d{7}$/);
  await page.context().clearCookies();
  return number;
}

/** Reports an incident titled `title` through the report form as whoever is signed in; its number. */
export async function reportIncident(page: Page, title: string): Promise<string> {
  await page.goto('/report');
  await hydrated(page);
  await page.getByLabel('What is wrong?').fill(title);
  await page.getByLabel('Just me').check();
  await page.getByLabel('I can still work').check();
  await page.getByRole('button', { name: 'Report it' }).click();
  await expect(page).toHaveURL(/\/records\/INC\d{7}\?reported=1$/);
  return page.url().match(/INC\d{7}/)![0];
}

/** A fresh browser context signed in as `email`, on the home page; a phone when narrow. */
export async function pageFor(browser: Browser, email: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
  const page = await context.newPage();
  await page.goto('/login');
  await signIn(page, email);
  await expect(page.getByRole('heading', { name: 'How can we help?' })).toBeVisible();
  return page;
}
