// End-to-end tests in a real browser (Debian's Chromium driven by playwright-core) against a running
// platform: `./loki up -d`, then `npm run e2e` (LOKI_URL, LOKI_ADMIN_PASSWORD, CHROMIUM override the defaults).
// Screenshots of each page go to docs/ui/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, SHOTS, drawn, session, signIn } from './support.mjs';

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
