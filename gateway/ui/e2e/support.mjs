// Shared by the browser suites: one Chromium, sessions that collect console errors, sign-in, canvas checks.
import { before, after } from 'node:test';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const BASE = process.env.LOKI_URL ?? 'http://localhost:8080';
export const PASSWORD = process.env.LOKI_ADMIN_PASSWORD ?? 'loki-admin';
export const SHOTS = new URL('../../../docs/ui/', import.meta.url).pathname;

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
export async function session() {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

export async function signIn(page, password = PASSWORD, username = 'admin') {
  await page.goto(BASE + '/');
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('sign-in').click();
}

/** Whether a chart's canvas has drawn pixels. */
export async function drawn(page, testId) {
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

/**
 * Calls the API with the page's session, from the test (so the browser's console only shows what the UI did):
 * for set-up, clean-up and checking what the UI stored.
 */
export async function call(page, method, path, body) {
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem('loki.session')).accessToken);
  const r = await fetch(BASE + path, { method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

/** Lets chart animations finish before a screenshot. */
export async function settle(page) {
  await page.waitForTimeout(1500);
}

/** Waits until {@code check} answers true (polled every 200 ms), failing after {@code timeout} ms. */
export async function until(check, timeout = 15_000) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error('condition not met within ' + timeout + ' ms');
    await new Promise((r) => setTimeout(r, 200));
  }
}
