import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';

// The release binary, started on a fresh data dir with demo data for each run.
const port = process.env.SWITCHBOARD_E2E_PORT ?? '3100';
const binary = process.env.SWITCHBOARD_BIN ?? path.resolve(__dirname, '../target/release/switchboard');
export const DEMO_PASSWORD = process.env.SWITCHBOARD_DEMO_PASSWORD ?? 'e2e-demo-password';

function freshDataDir(): string {
  if (!process.env.SWITCHBOARD_E2E_DATA_DIR) {
    process.env.SWITCHBOARD_E2E_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-e2e-'));
  }
  return process.env.SWITCHBOARD_E2E_DATA_DIR;
}

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `"${binary}" serve --demo --data-dir "${freshDataDir()}" --addr 127.0.0.1:${port} --sla-interval-seconds 2`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    env: { SWITCHBOARD_DEMO_PASSWORD: DEMO_PASSWORD, RUST_LOG: 'warn' },
  },
});
