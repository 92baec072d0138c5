// Assets, domains, metric explorer and privileges in a real browser. Same set-up as home.e2e.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOTS, call, drawn, session, settle, signIn, until } from './support.mjs';

test('assets: an invalid IP shows the API field error next to the field; a valid server is created and found', async () => {
  const { context, page, errors } = await session();
  await signIn(page);
  await page.getByTestId('nav-assets').click();
  await page.getByTestId('asset-table').getByText('demo-web-01', { exact: true }).waitFor({ timeout: 15_000 });
  await settle(page);
  await page.screenshot({ path: SHOTS + 'assets.png' });

  const hostname = `ui-${Date.now().toString(36)}`;
  const ip = (n) => `10.77.${200 + Math.floor(Math.random() * 50)}.${n}`;
  const [good, other, third] = [ip(11), ip(12), ip(13)];
  await page.getByTestId('asset-new').click();
  await page.getByTestId('asset-hostname').fill(hostname);
  await page.getByTestId('asset-sn').fill(`SN-${hostname}`);
  await page.getByTestId('asset-privateIps').fill('10.77.9.999');
  await page.getByTestId('asset-save').click();
  const ipField = page.locator('.ant-form-item', { has: page.getByTestId('asset-privateIps') });
  await ipField.locator('.ant-form-item-explain-error').getByText('must be an IPv4 or IPv6 address', { exact: false }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: SHOTS + 'assets-field-error.png' });
  assert.equal((await call(page, 'GET', `/api/asset/servers/by-hostname/${hostname}`)).status, 404);

  await page.getByTestId('asset-privateIps').fill(good);
  await page.getByTestId('asset-save').click();
  await page.locator('.ant-modal').waitFor({ state: 'detached', timeout: 10_000 });
  await page.getByTestId('asset-search').locator('input').fill(hostname);
  await page.getByTestId('asset-search').locator('input').press('Enter');
  await page.getByTestId('asset-table').getByText(hostname, { exact: true }).waitFor({ timeout: 10_000 });
  // the new server is on the unfiltered first page too: wait until the search's answer replaced it
  await page.getByTestId('asset-table').locator('tbody tr.ant-table-row').nth(1).waitFor({ state: 'detached', timeout: 10_000 });
  assert.equal(await page.getByTestId('asset-table').locator('tbody tr.ant-table-row').count(), 1);
  const created = await call(page, 'GET', `/api/asset/servers/by-hostname/${hostname}`);
  assert.deepEqual(created.body.privateIps, [good]);

  // a hostname that is taken is said under the Hostname field, not above the form
  await page.getByTestId('asset-new').click();
  await page.getByTestId('asset-hostname').fill(hostname);
  await page.getByTestId('asset-sn').fill(`SN-${hostname}-dup`);
  await page.getByTestId('asset-save').click();
  const hostnameField = page.locator('.ant-form-item', { has: page.getByTestId('asset-hostname') });
  await hostnameField.locator('.ant-form-item-explain-error').getByText('already exists', { exact: false }).waitFor({ timeout: 10_000 });
  await page.locator('.ant-modal').getByRole('button', { name: 'Cancel' }).click();
  await page.locator('.ant-modal').waitFor({ state: 'detached', timeout: 10_000 });

  // the search finds servers by OS and by IDC name too, in any case
  for (const q of ['debian 12', 'Demo-BJ']) {
    await page.getByTestId('asset-search').locator('input').fill(q);
    await page.getByTestId('asset-search').locator('input').press('Enter');
    await page.getByTestId('asset-table').getByText('demo-web-01', { exact: true }).waitFor({ timeout: 10_000 });
  }

  // an assets list that fails (a 504 from the gateway) says so with a retry, not "No server matches"
  let failing = true;
  let refused = 0;
  const list = (url) => url.pathname === '/api/asset/servers';
  await page.route(list, (route) => {
    if (failing) {
      refused++;
      return route.fulfill({ status: 504, contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'https://loki.dev/problems/upstream-timeout', title: 'Upstream timed out', status: 504,
          detail: 'asset-service did not answer in time.' }) });
    }
    return route.continue();
  });
  await page.getByTestId('asset-search').locator('input').fill('demo-web');
  await page.getByTestId('asset-search').locator('input').press('Enter');
  await page.getByTestId('problem-retry').waitFor({ timeout: 10_000 });
  assert.equal(await page.getByText('No server matches', { exact: false }).count(), 0);
  assert.equal(refused, 1, 'the failed list was asked for once, not again and again');
  // Retry asks again: still failing, the problem stays
  await page.getByTestId('problem-retry').click();
  await until(() => refused === 2);
  await page.getByTestId('problem-retry').waitFor({ timeout: 10_000 });
  failing = false; // the gateway answers again
  await page.getByTestId('problem-retry').evaluate((button) => button.click()).catch(() => undefined);
  await page.getByTestId('asset-table').getByText('demo-web-01', { exact: true }).waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('problem-retry').count(), 0);
  await page.unroute(list);
  await page.getByTestId('asset-search').locator('input').fill(hostname);
  await page.getByTestId('asset-search').locator('input').press('Enter');
  await page.getByTestId('asset-table').getByText(hostname, { exact: true }).waitFor({ timeout: 10_000 });

  // status changes from the table, along the life cycle: creating → online → maintenance
  for (const status of ['online', 'maintenance']) {
    await page.getByTestId(`status-${hostname}`).click();
    await page.locator('.ant-dropdown:not(.ant-dropdown-hidden) .ant-dropdown-menu').getByText(`Set to ${status}`).click();
    await page.getByTestId(`status-${hostname}`).getByText(status).waitFor({ timeout: 10_000 });
  }
  assert.equal((await call(page, 'GET', `/api/asset/servers/by-hostname/${hostname}`)).body.status, 'maintenance');

  // a CSV import reports each refused line
  await page.getByTestId('asset-import').click();
  await page.getByTestId('import-csv').fill(`hostname,sn,privateIps\n${hostname}-b,SN-${hostname}-b,${other}\nBAD_NAME,SN-${hostname}-c,${third}\n`);
  await page.locator('.ant-modal').getByRole('button', { name: 'Import' }).click();
  await page.getByTestId('import-report').getByText('1 created, 0 updated, 1 lines refused').waitFor({ timeout: 10_000 });
  await page.getByTestId('import-report').getByText('hostname', { exact: false }).first().waitFor();
  for (const h of [hostname, `${hostname}-b`]) {
    const s = await call(page, 'GET', `/api/asset/servers/by-hostname/${h}`);
    assert.equal(s.status, 200, h);
    await call(page, 'DELETE', `/api/asset/servers/${s.body.id}`);
  }
  // the browser logs the refused saves (400, the taken hostname's 409) and the simulated 504, nothing else
  assert.deepEqual(errors.filter((e) => !/status of (400|409|504)/.test(e)), []);
  await context.close();
});

test('domains and the metric explorer draw the demo data', async () => {
  const { context, page, errors } = await session();
  await signIn(page);
  await page.getByTestId('nav-domains').click();
  for (const chart of ['chart-domain-qps', 'chart-domain-responseTimeMs', 'chart-domain-bandwidthBytes', 'chart-domain-availability']) {
    assert.ok(await drawn(page, chart) > 500, `${chart} draws`);
  }
  await settle(page);
  await page.screenshot({ path: SHOTS + 'domains.png', fullPage: true });

  await page.getByTestId('nav-explorer').click();
  await page.getByTestId('explorer-metric').click();
  await page.keyboard.type('host.cpu');
  await page.locator('.ant-select-item-option[title="host.cpu.usage"]').click();
  await page.getByTestId('explorer-add-tag').click();
  await page.getByTestId('explorer-tag-key-0').click();
  await page.keyboard.type('host');
  await page.keyboard.press('Escape');
  await page.getByTestId('explorer-run').click();
  assert.ok(await drawn(page, 'chart-explorer') > 500, 'explorer chart draws');
  assert.equal(await page.getByTestId('explorer-query').inputValue(), 'avg:5m-avg:host.cpu.usage{host=*}');
  await settle(page);
  await page.screenshot({ path: SHOTS + 'explorer.png' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('privileges: an API token is shown once, works, and stops working when revoked', async () => {
  const { context, page, errors } = await session();
  await signIn(page);
  await page.getByTestId('nav-privileges').click();
  await page.getByTestId('tab-tokens').click();
  const name = `ui-token-${Date.now().toString(36)}`;
  await page.getByTestId('token-name').fill(name);
  await page.getByTestId('token-create').click();
  const secret = (await page.getByTestId('token-secret').innerText({ timeout: 10_000 })).trim();
  assert.ok(secret.length > 20, 'the secret is shown');
  const useToken = () => page.evaluate(async (token) => (await fetch('/api/auth/me', { headers: { Authorization: `Bearer ${token}` } })).status, secret);
  assert.equal(await useToken(), 200);
  await page.locator('.ant-modal').getByRole('button', { name: 'OK' }).click();
  await page.getByTestId('tokens').getByText(name, { exact: true }).waitFor();
  assert.equal(await page.getByText(secret).count(), 0, 'the secret is not shown again');
  await page.screenshot({ path: SHOTS + 'privileges.png' });
  await page.getByTestId(`revoke-${name}`).click();
  await page.locator('.ant-popconfirm:visible .ant-btn-primary').click();
  await page.getByTestId('tokens').locator('tr', { hasText: name }).getByText('revoked').waitFor({ timeout: 10_000 });
  assert.equal(await useToken(), 401);
  assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), [], 'no error but the revoked token\'s expected 401');
  await context.close();
});

test('petitions: a user asks for a privilege, an administrator approves it, the user holds it', async () => {
  const admin = await session();
  await signIn(admin.page);
  await admin.page.getByTestId('nav-privileges').waitFor();
  const username = `ui-dev-${Date.now().toString(36)}`;
  const password = 'ui-dev-password-1';
  assert.equal((await call(admin.page, 'POST', '/api/auth/users', { username, password, displayName: 'UI developer' })).status, 201);

  // the user asks in the UI
  const user = await session();
  await signIn(user.page, password, username);
  await user.page.getByTestId('nav-privileges').click();
  await user.page.getByTestId('grants').getByText('No grant yet', { exact: false }).waitFor({ timeout: 10_000 });
  await user.page.getByRole('tab', { name: 'Petitions' }).click();
  await user.page.getByTestId('petition-node').fill('/demo/shop');
  await user.page.getByTestId('petition-privilege').click();
  await user.page.locator('.ant-select-item-option[title="server.manage"]').click();
  await user.page.getByTestId('petition-reason').fill('deploys for the shop team');
  await user.page.getByTestId('petition-ask').click();
  await user.page.getByTestId('petitions').getByText('deploys for the shop team').waitFor({ timeout: 10_000 });

  // the administrator sees it pending and approves it
  await admin.page.getByTestId('nav-privileges').click();
  await admin.page.getByRole('tab', { name: 'Petitions' }).click();
  const row = admin.page.getByTestId('petitions').locator('tr', { hasText: `user:${username}` });
  await row.waitFor({ timeout: 10_000 });
  await admin.page.screenshot({ path: SHOTS + 'privileges-petitions.png' });
  await row.getByRole('button', { name: 'Approve' }).click();
  await row.waitFor({ state: 'detached', timeout: 10_000 });

  // the user now holds it on /demo/shop
  await user.page.reload();
  await user.page.getByTestId('grants').getByText('server.manage').waitFor({ timeout: 10_000 });
  await user.page.getByTestId('grants').getByText('/demo/shop', { exact: true }).waitFor();
  const check = await call(user.page, 'GET', `/api/auth/check?nodePath=${encodeURIComponent('/demo/shop/web')}&privilege=server.manage`);
  assert.equal(check.body.allowed, true);
  assert.deepEqual(user.errors, []);
  assert.deepEqual(admin.errors, []);
  await call(admin.page, 'DELETE', `/api/auth/users/${username}`);
  await user.context.close();
  await admin.context.close();
});

test("a server's detail leads to its node, its charts and its alarms in one click each", async () => {
  const { context, page, errors } = await session();
  await signIn(page);
  await page.getByTestId('nav-assets').waitFor({ timeout: 15_000 });
  const fp = `detail-${Date.now().toString(36)}`;
  const reported = await call(page, 'POST', '/api/alarm/alarms', { fingerprint: fp, nodePath: '/demo', hostname: 'demo-web-01',
    title: `disk slow ${fp}`, severity: 'warning' });
  assert.equal(reported.status, 201);
  const nodes = (await call(page, 'GET', '/api/ptree/servers/demo-web-01/nodes')).body;
  assert.ok(nodes.length > 0, 'demo-web-01 is bound somewhere');
  const node = nodes[0].path;

  const open = async () => {
    await page.getByTestId('nav-assets').click();
    await page.getByTestId('asset-search').locator('input').fill('demo-web-01');
    await page.getByTestId('asset-search').locator('input').press('Enter');
    await page.getByTestId('asset-table').getByText('demo-web-01', { exact: true }).click();
    await page.getByTestId('asset-detail').waitFor({ timeout: 10_000 });
  };
  await open();
  await page.getByTestId(`asset-node-${node}`).click();
  await page.getByTestId('node-details').getByText(node, { exact: true }).waitFor({ timeout: 15_000 });
  await open();
  await page.getByTestId(`asset-charts-${node}`).click();
  await page.getByTestId('node-details').getByText(node, { exact: true }).waitFor({ timeout: 15_000 });
  await page.getByRole('tab', { name: 'Performance', selected: true }).waitFor({ timeout: 10_000 });
  await open();
  await page.getByTestId('asset-alarms').click();
  await page.getByTestId('alarm-hostname').waitFor({ timeout: 10_000 });
  await page.getByTestId('alarm-table').getByText(`disk slow ${fp}`, { exact: true }).waitFor({ timeout: 15_000 });
  await call(page, 'POST', '/api/alarm/alarms', { fingerprint: fp, nodePath: '/demo', status: 'resolved' });
  assert.deepEqual(errors, []);
  await context.close();
});
