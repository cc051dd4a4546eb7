import { test, expect } from '@playwright/test';
import { ADMIN, AGENT, PHONE, REQUESTER, expectNoHorizontalScroll, hydrated, pageFor, reportIncident } from './helpers';

test('a requester on a phone reports an issue with her laptop, chosen from her devices', async ({ browser }) => {
  const maya = await pageFor(browser, REQUESTER, PHONE);
  await maya.getByRole('button', { name: 'Menu' }).click();
  await maya.getByRole('link', { name: 'My devices' }).click();
  await expect(maya.getByRole('heading', { name: 'My devices' })).toBeVisible();
  await hydrated(maya);
  await expectNoHorizontalScroll(maya);
  const laptop = maya.locator('.device', { hasText: 'Laptop' });
  await expect(laptop).toHaveCount(1);
  const name = (await laptop.getByRole('heading').textContent())?.trim() ?? '';
  expect(name).toMatch(/^LT-\d{5}$/);
  await expect(maya.locator('.device', { hasText: 'Mobile phone' })).toHaveCount(1);

  await laptop.getByRole('link', { name: 'Report an issue with it' }).click();
  await expect(maya.getByRole('heading', { name: 'Report an issue' })).toBeVisible();
  await hydrated(maya);
  await expect(maya.getByRole('radio', { name: new RegExp(name) })).toBeChecked();
  await expectNoHorizontalScroll(maya);
  const stamp = Date.now();
  await maya.getByLabel('What is wrong?').fill(`Laptop will not wake from sleep ${stamp}`);
  await maya.getByLabel('Just me').check();
  await maya.getByLabel("I'm blocked").check();
  await maya.getByRole('button', { name: 'Report it' }).click();
  await expect(maya).toHaveURL(/\/records\/INC\d{7}\?reported=1$/);
  await expect(maya.locator('.record-cis')).toContainText(name);
  await expectNoHorizontalScroll(maya);

  await maya.locator('.record-cis').getByRole('link', { name }).click();
  await expect(maya.getByRole('heading', { name })).toBeVisible();
  await expect(maya.locator('.facts')).toContainText('Maya Patel');
  await expect(maya.locator('.ci-graph')).toHaveCount(0);
});

test('an agent names a CI on an incident by searching, sees the service it impacts, and the CI page draws and explains it', async ({ browser }) => {
  const sam = await pageFor(browser, AGENT);
  const number = await reportIncident(sam, `Payroll export fails ${Date.now()}`);
  await hydrated(sam);
  const cis = sam.locator('.record-cis');
  await expect(cis).toContainText('No configuration item is named yet.');
  await cis.getByLabel('Name an affected CI').pressSequentially('payroll-d');
  await expect(cis.getByRole('radio', { name: /payroll-db/ })).toBeChecked();
  await cis.getByRole('button', { name: 'Add CI' }).click();
  await expect(cis.locator('.list').first()).toContainText('payroll-db');
  await expect(cis.locator('.impact__service')).toContainText('Payroll');
  await expect(cis.locator('.impact__service').first()).toContainText('depends on Payroll app');
  await expect(sam.locator('.timeline')).toContainText('added configuration item: payroll-db');

  await cis.getByRole('link', { name: 'payroll-db' }).first().click();
  await expect(sam.getByRole('heading', { name: 'payroll-db' })).toBeVisible();
  await expect(sam.locator('.impact')).toContainText('Payroll');
  await expect(sam.locator('.impact')).toContainText(number);
  await expect(sam.locator('.ci-graph svg a')).toHaveCount(3);
  await expect(sam.locator('.ci-relations')).toContainText('runs on');
  await expect(sam.locator('.ci-relations')).toContainText('db-cluster-01');
  await sam.getByRole('link', { name: '2 steps' }).click();
  await expect(sam).toHaveURL(/depth=2/);
  await expect(sam.locator('.ci-graph svg a')).toHaveCount(8);
  await sam.locator('.ci-graph svg a', { hasText: 'db-cluster-01' }).click();
  await expect(sam.getByRole('heading', { name: 'db-cluster-01' })).toBeVisible();
  await expect(sam.locator('.impact__service')).toHaveCount(2);
});

test('an admin adds a laptop, told beside the field what is wrong, and relates a server', async ({ browser }) => {
  const alex = await pageFor(browser, ADMIN);
  await alex.goto('/cmdb');
  await hydrated(alex);
  await alex.getByLabel('Add a CI of class').selectOption('laptop');
  await alex.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(alex.getByRole('heading', { name: 'Add a laptop' })).toBeVisible();
  await hydrated(alex);
  const tag = `LT-${String(Date.now() % 100000).padStart(5, '0')}`;
  await alex.getByLabel('Name', { exact: true }).fill(tag);
  await alex.getByLabel('Asset tag (optional)').fill('12345');
  await alex.getByLabel('Model (optional)').click();
  await expect(alex.locator('[data-field="asset_tag"] .field__error')).toContainText('LT-12345');
  await alex.getByLabel('Asset tag (optional)').fill(tag);
  await alex.getByLabel('Owner (e-mail)').fill('nobody@example.com');
  await alex.getByRole('button', { name: 'Save' }).click();
  await expect(alex.locator('#owner-error')).toHaveText('Nobody has that e-mail address.');
  await alex.getByLabel('Owner (e-mail)').fill('maya.patel@example.com');
  await alex.getByRole('button', { name: 'Save' }).click();
  await expect(alex.getByRole('heading', { name: tag })).toBeVisible();
  await expect(alex.locator('.facts')).toContainText('Maya Patel');
  await expect(alex.locator('.facts')).toContainText(tag);

  await hydrated(alex);
  await alex.getByLabel('This CI').selectOption({ label: 'runs on' });
  await alex.getByRole('searchbox', { name: 'Configuration item' }).pressSequentially('hv-0');
  await expect(alex.getByRole('radio', { name: /hv-01/ })).toBeChecked();
  await alex.getByRole('button', { name: 'Add relation' }).click();
  await expect(alex.locator('#other-search-error')).toHaveText('“runs on” does not go from Laptop to Server');
});

test('an admin adds a class with an attribute, a CI with it, and retiring the attribute keeps its value', async ({ browser }) => {
  const alex = await pageFor(browser, ADMIN);
  const stamp = Date.now() % 1000000;
  const name = `Tablet ${stamp}`;
  await alex.goto('/admin/classes');
  await expect(alex.locator('.class-tree')).toContainText('Laptop');
  await alex.getByRole('link', { name: 'Add a class' }).click();
  await expect(alex.getByRole('heading', { name: 'Add a class' })).toBeVisible();
  await hydrated(alex);
  await alex.getByLabel('Code').fill(`tablet_${stamp}`);
  await alex.getByLabel('Name', { exact: true }).fill(name);
  await alex.getByLabel('Subclass of').selectOption({ label: 'End-user device' });
  await alex.getByRole('button', { name: 'Add a field' }).click();
  await alex.getByLabel('Label', { exact: true }).fill('Screen size');
  await alex.getByLabel('Key').fill('model');
  await expect(alex.locator('.problems')).toContainText('“model” is already an attribute this class inherits.');
  await expect(alex.getByRole('button', { name: 'Save class' })).toBeDisabled();
  await alex.getByLabel('Key').fill('screen_inches');
  await alex.getByLabel('Type').selectOption('number');
  await alex.getByLabel('Smallest').fill('7');
  await alex.getByLabel('Largest').fill('20');
  await alex.getByLabel('Required').check();
  await expect(alex.locator('.problems')).toHaveCount(0);
  await alex.getByRole('button', { name: 'Save class' }).click();
  await expect(alex).toHaveURL(/\/admin\/classes\/\d+$/);
  await expect(alex.getByRole('heading', { name })).toBeVisible();
  const classPage = alex.url();

  await alex.goto('/cmdb');
  await hydrated(alex);
  await alex.getByLabel('Add a CI of class').selectOption(`tablet_${stamp}`);
  await alex.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(alex.getByRole('heading', { name: `Add a ${name.toLowerCase()}` })).toBeVisible();
  await hydrated(alex);
  const ci = `TAB-${stamp}`;
  await alex.getByLabel('Name', { exact: true }).fill(ci);
  await alex.getByLabel('Screen size').fill('50');
  await alex.getByLabel('Name', { exact: true }).click();
  await expect(alex.locator('[data-field="screen_inches"] .field__error')).toContainText('20');
  await alex.getByLabel('Screen size').fill('11');
  await alex.getByRole('button', { name: 'Save' }).click();
  await expect(alex.getByRole('heading', { name: ci })).toBeVisible();
  await expect(alex.locator('.facts')).toContainText('Screen size');
  await expect(alex.locator('.facts')).toContainText('11');
  const ciPage = alex.url();

  await alex.goto(classPage);
  await hydrated(alex);
  await alex.getByRole('button', { name: 'Remove field 1' }).click();
  await alex.getByRole('button', { name: 'Save class' }).click();
  await expect(alex.getByText('Class saved.')).toBeVisible();
  await expect(alex.getByRole('button', { name: 'Put back Screen size' })).toBeVisible();
  await alex.setViewportSize(PHONE);
  await expectNoHorizontalScroll(alex);

  await alex.goto(ciPage);
  await expect(alex.locator('.facts')).toContainText('Screen size retired');
  await expect(alex.locator('.facts')).toContainText('11');
});

test('a requester on a phone sees how each service is doing and what it offers', async ({ browser }) => {
  const maya = await pageFor(browser, REQUESTER, PHONE);
  await maya.getByRole('button', { name: 'Menu' }).click();
  await maya.getByRole('link', { name: 'Service status' }).click();
  await expect(maya.getByRole('heading', { name: 'Service status' })).toBeVisible();
  await expectNoHorizontalScroll(maya);
  const services = maya.locator('.service');
  await expect(services).toHaveCount(8);
  const payroll = maya.locator('.service', { hasText: 'Payroll' });
  await expect(payroll).toContainText('Monthly pay, payslips and tax forms');
  await expect(payroll).toContainText('Supported by Infrastructure');
  await expect(payroll.locator('.health')).toHaveText(/^(Operational|Degraded|Down)$/);
  await payroll.getByRole('link', { name: 'Payroll' }).click();
  await expect(maya.getByRole('heading', { name: 'Payroll' })).toBeVisible();
  await expect(maya.locator('.record__badges .health')).toHaveCount(1);
  await expect(maya.locator('.facts').first()).toContainText('What it offers');

  await maya.goBack();
  await maya.locator('.service', { hasText: 'Laptops and printers' }).getByRole('link', { name: 'Laptops and printers' }).click();
  const levels = maya.locator('.service-levels');
  await expect(levels.getByRole('link', { name: 'New laptop' })).toBeVisible();
  await expect(levels).toContainText('P1');
  await expectNoHorizontalScroll(maya);
  await levels.getByRole('link', { name: 'New laptop' }).click();
  await expect(maya).toHaveURL(/\/catalog\/new-laptop$/);
});

test('a requester on a phone reports a lost device, picking it from the devices registered to her', async ({ browser }) => {
  const maya = await pageFor(browser, REQUESTER, PHONE);
  await maya.goto('/catalog/lost-device');
  await hydrated(maya);
  await expectNoHorizontalScroll(maya);
  const yours = maya.locator('[data-field="which"]');
  await expect(yours.getByRole('radio', { name: /^MP-\d{5}$/ })).toHaveCount(1);
  const laptop = yours.getByRole('radio', { name: /^LT-\d{5}$/ }).first();
  const name = ((await laptop.locator('xpath=..').textContent()) ?? '').trim();
  expect(name).toMatch(/^LT-\d{5}$/);
  await laptop.check();
  await maya.locator('[data-field="device"]').getByLabel('Laptop').check();
  const today = new Date().toISOString().slice(0, 10);
  await maya.getByLabel('When did you last have it').fill(today);
  await maya.locator('[data-field="stolen"]').getByLabel('No').check();
  await maya.getByLabel('What happened').fill('Left it on the train this morning.');
  await maya.getByRole('button', { name: 'Send request' }).click();
  await expect(maya).toHaveURL(/\/records\/REQ\d{7}\?ordered=1$/);
  await expect(maya.locator('main')).toContainText('Which of your devices');
  await expect(maya.locator('main')).toContainText(name);
  await expectNoHorizontalScroll(maya);
});

test('an admin checks a CSV of CIs, sees the row that fails beside its column, and imports the valid rows', async ({ browser }) => {
  const alex = await pageFor(browser, ADMIN);
  await alex.goto('/cmdb');
  await alex.getByRole('link', { name: 'Import CIs or relations from CSV' }).click();
  await expect(alex.getByRole('heading', { name: 'Import from CSV' })).toBeVisible();
  await hydrated(alex);
  const stamp = Date.now() % 100000;
  const csv = [
    'class,name,criticality,owner,asset_tag',
    `laptop,LT-9${String(stamp).padStart(4, '0')},low,maya.patel@example.com,`,
    `laptop,LT-8${String(stamp).padStart(4, '0')},enormous,,`,
  ].join('\n');
  await alex.getByLabel('Or paste it here').fill(csv);
  await alex.getByRole('button', { name: 'Check file' }).click();
  await expect(alex.locator('.import-summary')).toHaveText('1 row of 2 rows failed. Nothing is saved.');
  const problem = alex.locator('.import-problems tbody tr');
  await expect(problem).toHaveCount(1);
  await expect(problem).toContainText('2');
  await expect(problem).toContainText('criticality');

  await alex.getByLabel('Import the valid rows and list the others').check();
  await alex.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(alex.locator('.import-summary')).toContainText('Imported: 1 added');
  await alex.goto(`/cmdb?q=LT-9${String(stamp).padStart(4, '0')}`);
  await expect(alex.locator('.records tbody tr')).toHaveCount(1);
  await expect(alex.locator('.records')).toContainText('Maya Patel');
});

test('an agent on a phone pages through a busy host\'s relations, and its drawing keeps to the nearest', async ({ browser }) => {
  const alex = await pageFor(browser, ADMIN);
  const host = `e2e-hv-${Date.now()}`;
  const vms = Array.from({ length: 55 }, (_, i) => `${host}-vm-${String(i).padStart(2, '0')}`);
  const post = async (form: Record<string, string>) => {
    const response = await alex.request.post('/api/import_cmdb', {
      form,
      headers: { accept: 'application/json', 'sec-fetch-site': 'same-origin' },
    });
    expect(response.status()).toBe(200);
    return response.json();
  };
  const cis = [
    'class,name,status,criticality,hostname',
    `server,${host},in_operation,high,${host}.example.com`,
    ...vms.map((vm) => `virtual_machine,${vm},in_operation,low,${vm}.example.com`),
  ];
  const made = await post({ kind: 'cis', csv: cis.join('\n') + '\n', save: 'true', valid_only: 'false', first_row: '0' });
  expect(made.created).toBe(56);
  const relations = ['from,kind,to', ...vms.map((vm) => `${vm},runs_on,${host}`)];
  const related = await post({ kind: 'relations', csv: relations.join('\n') + '\n', save: 'true', valid_only: 'false' });
  expect(related.created).toBe(55);

  const sam = await pageFor(browser, AGENT, PHONE);
  await sam.goto(`/cmdb?q=${host}`);
  await hydrated(sam);
  await sam.getByRole('link', { name: host, exact: true }).click();
  await expect(sam.getByRole('heading', { name: host })).toBeVisible();
  await hydrated(sam);
  const relationsPanel = sam.locator('.ci-relations');
  await expect(relationsPanel.locator('.list__item')).toHaveCount(50);
  await expect(relationsPanel.locator('.pager')).toContainText('1–50 of 55');
  await expect(relationsPanel.locator('.list__item').first()).toContainText(`hosts ${vms[0]}`);
  await expect(sam.locator('.ci-graph__node')).toHaveCount(31);
  await expect(sam.locator('.ci-graph figcaption')).toContainText('only the nearest are drawn');
  await expectNoHorizontalScroll(sam);

  await relationsPanel.getByRole('link', { name: 'Next' }).click();
  await expect(sam).toHaveURL(/relations=50/);
  await expect(relationsPanel.locator('.list__item')).toHaveCount(5);
  await expect(relationsPanel.locator('.pager')).toContainText('51–55 of 55');
  await expect(relationsPanel).toContainText(vms[54]);
  await relationsPanel.getByRole('link', { name: 'Previous' }).click();
  await expect(relationsPanel.locator('.list__item')).toHaveCount(50);
});
