// End-to-end tests in a real browser (Debian's Chromium driven by playwright-core) against a running
// platform: `./loki up -d`, then `npm run e2e` (LOKI_URL, LOKI_ADMIN_PASSWORD, CHROMIUM override the defaults).
// Screenshots of each page go to docs/ui/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const BASE = process.env.LOKI_URL ?? 'http://localhost:8080';
const PASSWORD = process.env.LOKI_ADMIN_PASSWORD ?? 'loki-admin';
const SHOTS = new URL('../../../docs/ui/', import.meta.url).pathname;

let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
});

/** A fresh browser session that fails the test on any console error or uncaught exception. */
async function session() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

async function signIn(page, password = PASSWORD) {
  await page.goto(BASE + '/');
  await page.getByTestId('username').fill('admin');
  await page.getByTestId('password').fill(password);
  await page.getByTestId('sign-in').click();
}

/** Whether a chart's canvas has drawn pixels. */
async function drawn(page, testId) {
  const canvas = page.getByTestId(testId).locator('canvas').first();
  await canvas.waitFor({ timeout: 30_000 });
  return canvas.evaluate((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) {
      if (data[i] !== 0) painted++;
    }
    return painted;
  });
}

test('the login page shows first and a wrong password shows the API message', async () => {
  const { context, page } = await session();
  await page.goto(BASE + '/');
  await page.getByTestId('login').waitFor();
  await page.screenshot({ path: SHOTS + 'login.png' });
  await signIn(page, 'not-the-password');
  await page.getByText(/password|credentials|invalid/i).first().waitFor({ timeout: 10_000 });
  await context.close();
});

test('admin lands on the dashboard whose charts draw the demo data, without console errors', async () => {
  const { context, page, errors } = await session();
  await signIn(page);
  for (const chart of ['chart-cpu', 'chart-resources', 'chart-domain-availability', 'chart-domain-bandwidth',
    'chart-line-availability', 'chart-line-response']) {
    assert.ok(await drawn(page, chart) > 500, `${chart} draws`);
  }
  await page.waitForTimeout(1500);
  await page.screenshot({ path: SHOTS + 'home.png', fullPage: true });
  assert.deepEqual(errors, []);

  // a reload keeps the session; the language switch works; logout ends the session
  await page.reload();
  await page.getByTestId('chart-cpu').waitFor({ timeout: 30_000 });
  await page.getByTestId('lang').click();
  await page.getByText('公司整体 CPU 使用率', { exact: false }).waitFor();
  await page.waitForTimeout(1500); // let the charts' redraw animation finish
  await page.screenshot({ path: SHOTS + 'home-zh.png' });
  await page.getByTestId('lang').click();
  await page.getByTestId('sign-out').click();
  await page.getByTestId('login').waitFor();
  await page.reload();
  await page.getByTestId('login').waitFor();
  await context.close();
});

test('an expired session goes back to the login page', async () => {
  const { context, page } = await session();
  await signIn(page);
  await page.getByTestId('chart-cpu').waitFor({ timeout: 30_000 });
  // the tokens stop working (as when the refresh token expires or is revoked)
  await page.evaluate(() => {
    const s = JSON.parse(localStorage.getItem('loki.session'));
    localStorage.setItem('loki.session', JSON.stringify({ ...s, accessToken: 'expired', refreshToken: 'revoked', expiresAt: 0 }));
  });
  await page.getByTestId('range').getByText('6h').click();
  await page.getByTestId('login').waitFor({ timeout: 10_000 });
  await context.close();
});

test('another session sees a new node appear in the tree without reloading', async () => {
  const watcher = await session();
  await signIn(watcher.page);
  await watcher.page.getByTestId('chart-cpu').waitFor({ timeout: 30_000 });
  await watcher.page.getByTestId('nav-tree').click();
  await watcher.page.getByTestId('tree').getByText('demo', { exact: true }).waitFor({ timeout: 15_000 });
  await watcher.page.waitForTimeout(1000); // the live stream is open

  const name = `ui-live-${Date.now().toString(36)}`;
  const writer = await session();
  await signIn(writer.page);
  await writer.page.getByTestId('chart-cpu').waitFor({ timeout: 30_000 });
  const created = await writer.page.evaluate(async (n) => {
    const s = JSON.parse(localStorage.getItem('loki.session'));
    const r = await fetch('/api/ptree/nodes', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${s.accessToken}` },
      body: JSON.stringify({ parentPath: '/', name: n }) });
    return { status: r.status, body: await r.json() };
  }, name);
  assert.equal(created.status, 201);

  await watcher.page.getByTestId('tree').getByText(name, { exact: true }).waitFor({ timeout: 15_000 });
  await watcher.page.screenshot({ path: SHOTS + 'tree.png' });
  assert.deepEqual(watcher.errors, []);
  await writer.page.evaluate(async (id) => {
    const s = JSON.parse(localStorage.getItem('loki.session'));
    await fetch(`/api/ptree/nodes/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${s.accessToken}` } });
  }, created.body.id);
  await watcher.context.close();
  await writer.context.close();
});

