// The alarms page in a real browser. Same set-up as home.e2e.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, call, session, settle, signIn } from './support.mjs';

async function until(check, timeout = 15_000) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error('condition not met within ' + timeout + ' ms');
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('alarms: acknowledge with a note, the history says who and why; silence from an alarm holds it back', async () => {
  const { context, page, errors } = await session();
  await signIn(page);
  await page.getByTestId('nav-alarms').waitFor();
  // an alarm to act on, reported through the API as another tool would
  const fp = `ui-${Date.now().toString(36)}`;
  const title = `disk full ${fp}`;
  const created = await call(page, 'POST', '/api/alarm/alarms', { fingerprint: fp, nodePath: '/demo', hostname: 'demo-web-01', title, severity: 'critical' });
  assert.equal(created.status, 201);
  const id = created.body.id;

  await page.getByTestId('nav-alarms').click();
  await page.getByTestId('alarm-table').getByText(title, { exact: true }).waitFor({ timeout: 15_000 });
  await settle(page);
  await page.screenshot({ path: SHOTS + 'alarms.png' });

  await page.getByTestId(`alarm-ack-${id}`).click();
  await page.getByTestId('alarm-ack-note').fill('looking at it');
  await page.getByTestId('alarm-ack-ok').click();
  await until(async () => (await call(page, 'GET', `/api/alarm/alarms/${id}`)).body.status === 'acknowledged');
  const acked = (await call(page, 'GET', `/api/alarm/alarms/${id}`)).body;
  assert.equal(acked.acknowledgedBy, 'user:admin');

  // the firing list no longer has it; the acknowledged one does, with its history
  await page.getByTestId('alarm-status').getByText('Acknowledged', { exact: true }).click();
  await page.getByTestId(`alarm-status-${id}`).waitFor({ timeout: 10_000 });
  await page.getByTestId('alarm-table').locator('tr', { hasText: title }).locator('.ant-table-row-expand-icon').click();
  await page.getByTestId(`alarm-history-${id}`).getByText('looking at it', { exact: false }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: SHOTS + 'alarm-details.png' });

  await page.getByTestId(`alarm-silence-${id}`).click();
  await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
  await until(async () => (await call(page, 'GET', '/api/alarm/silences?nodePath=/demo&size=500')).body.items
    .some((s) => s.matchers.some((m) => m.label === 'fingerprint' && m.value === fp)));
  await page.getByTestId('tab-silences').click();
  await page.getByTestId('silence-table').getByText(`fingerprint=${fp}`, { exact: true }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: SHOTS + 'alarm-silences.png' });

  const policy = (await call(page, 'GET', '/api/alarm/policy?nodePath=/demo')).body;
  assert.ok(policy.silences.some((s) => s.activeNow && s.silence.matchers.some((m) => m.value === fp)));
  assert.deepEqual(errors, []);
  await context.close();
});
