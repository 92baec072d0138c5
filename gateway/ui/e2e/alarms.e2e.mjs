// The alarms page in a real browser. Same set-up as home.e2e.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, call, session, settle, signIn, until } from './support.mjs';

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

test('timeline: a node shows the deployment before its alarm; the alarm lists it and rolls it back', async () => {
  const { context, page, errors } = await session();
  await signIn(page);
  await page.getByTestId('nav-alarms').waitFor();
  const node = '/demo/fleet/app';
  const run = Date.now().toString(36);
  const template = await call(page, 'POST', '/api/deploy/templates', { name: `timeline-${run}`, nodePath: node, type: 'script',
    steps: [{ name: 'mark', command: 'echo "$LOKI_VERSION" > timeline.version', timeoutSeconds: 60 }],
    batch: { ramp: '100%', maxUnavailable: '100%' } });
  assert.equal(template.status, 201, JSON.stringify(template.body));
  const deploy = async (version) => {
    const started = await call(page, 'POST', '/api/deploy/deployments', { templateId: template.body.id, version });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    await until(async () => (await call(page, 'GET', `/api/deploy/deployments/${started.body.id}`)).body.status === 'succeeded', 90_000);
    return (await call(page, 'GET', `/api/deploy/deployments/${started.body.id}`)).body;
  };
  await deploy(`good-${run}`);
  const bad = await deploy(`bad-${run}`);
  const host = bad.batches[0].hosts[0].hostname;
  const created = await call(page, 'POST', '/api/alarm/alarms', { fingerprint: `timeline-${run}`, nodePath: node, hostname: host,
    title: `errors after ${run}`, severity: 'critical' });
  assert.equal(created.status, 201);
  const alarm = created.body.id;

  // the node's timeline tab: the deployment, then the alarm
  await page.getByTestId('nav-tree').click();
  await page.getByTestId('tree-search').locator('input').fill(node);
  await page.getByTestId('tree-search').locator('input').press('Enter');
  await page.getByTestId('node-details').getByText(node, { exact: true }).waitFor({ timeout: 15_000 });
  // the tree's badge counts the node's firing alarms (its subtree's too), and so does the top bar's
  await page.getByTestId(`tree-alarms-${node}`).waitFor({ timeout: 15_000 });
  await page.getByTestId('alarm-badge').waitFor({ timeout: 40_000 });
  await page.getByTestId('tab-timeline').click();
  await page.getByTestId(`node-timeline-alarm-${alarm}`).waitFor({ timeout: 15_000 });
  await page.getByTestId(`node-timeline-deployment-${bad.id}`).waitFor({ timeout: 15_000 });
  const order = await page.getByTestId('node-timeline').locator('[data-testid^="node-timeline-"]').evaluateAll((items) =>
    items.map((i) => i.getAttribute('data-testid')));
  assert.ok(order.indexOf(`node-timeline-alarm-${alarm}`) < order.indexOf(`node-timeline-deployment-${bad.id}`), 'newest first: ' + order);
  await settle(page);
  await page.screenshot({ path: SHOTS + 'node-timeline.png' });

  // the alarm lists what changed before it, and rolls the latest deployment back
  await page.getByTestId('nav-alarms').click();
  await page.getByTestId('alarm-table').locator('tr', { hasText: `errors after ${run}` }).locator('.ant-table-row-expand-icon').click();
  await page.getByTestId(`alarm-changes-${alarm}-deployment-${bad.id}`).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: SHOTS + 'alarm-changes.png' });
  await page.getByTestId(`alarm-rollback-${alarm}`).click();
  await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
  await page.waitForURL(/\/deployments\/\d+/, { timeout: 15_000 });
  const rollback = Number(/\/deployments\/(\d+)/.exec(page.url())[1]);
  const shown = (await call(page, 'GET', `/api/deploy/deployments/${rollback}`)).body;
  assert.equal(shown.rollbackOf, bad.id);
  assert.equal(shown.version, `good-${run}`);
  await until(async () => (await call(page, 'GET', `/api/deploy/deployments/${rollback}`)).body.status === 'succeeded', 90_000);
  const history = (await call(page, 'GET', `/api/alarm/alarms/${alarm}`)).body.history;
  assert.ok(history.some((h) => h.action === 'rollback' && h.actor === 'user:admin'), JSON.stringify(history));
  assert.deepEqual(errors, []);
  await context.close();
});

test('channels, subscriptions and silences are made in their forms; a bad value is named under its field', async () => {
  const { context, page, errors } = await session();
  await signIn(page);
  const run = Date.now().toString(36);
  await page.getByTestId('nav-alarms').click();
  await page.getByRole('tab', { name: 'Channels' }).click();
  await page.getByTestId('channel-new').click();
  const form = page.getByTestId('channel-form');
  await form.getByLabel('Name').fill(`team ${run}`);
  await form.getByLabel('Target').fill('not a url');
  await page.getByTestId('channel-form-ok').click();
  await form.locator('.ant-form-item-explain-error').first().waitFor({ timeout: 10_000 });
  await form.getByLabel('Target').fill(`https://hooks.example.com/${run}`);
  await page.getByTestId('channel-form-ok').click();
  await page.getByTestId('channel-table').getByText(`team ${run}`, { exact: true }).waitFor({ timeout: 10_000 });

  await page.getByTestId('subscription-new').click();
  const sub = page.getByTestId('subscription-form');
  await sub.getByLabel('Node').fill(`/demo/${run}`);
  await sub.getByLabel('Channels').click();
  await page.locator('.ant-select-dropdown:visible').getByText(`team ${run}`, { exact: true }).click();
  await sub.getByLabel('Escalate after (minutes)').fill('15');
  await page.getByTestId('subscription-form-ok').click();
  await page.getByTestId('subscription-table').getByText(`/demo/${run}`, { exact: true }).waitFor({ timeout: 10_000 });
  const subscriptions = (await call(page, 'GET', `/api/alarm/subscriptions?nodePath=/demo/${run}`)).body.items
    .filter((x) => x.nodePath === `/demo/${run}`);
  assert.equal(subscriptions.length, 1);
  assert.equal(subscriptions[0].escalateAfterSeconds, 900);
  await settle(page);
  await page.screenshot({ path: SHOTS + 'alarm-channels.png' });

  await page.getByTestId('tab-silences').click();
  await page.getByTestId('silence-new').click();
  const silence = page.getByTestId('silence-form');
  await silence.getByLabel('Node').fill(`/demo/${run}`);
  await silence.getByLabel('Matchers').fill('severity=warning');
  await silence.getByLabel('Comment').fill(`window ${run}`);
  await page.getByTestId('silence-form-ok').click();
  await page.getByTestId('silence-table').getByText(`window ${run}`, { exact: true }).waitFor({ timeout: 10_000 });
  const silences = (await call(page, 'GET', `/api/alarm/silences?nodePath=/demo/${run}`)).body.items
    .filter((x) => x.nodePath === `/demo/${run}`);
  assert.deepEqual(silences.map((s) => s.matchers), [[{ label: 'severity', value: 'warning' }]]);
  assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), [], 'no error but the refused target\'s 400');
  await context.close();
});
