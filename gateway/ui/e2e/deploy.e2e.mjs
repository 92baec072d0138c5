// Deployments in a real browser, on the dev fleet (devstack's simulated SSH hosts bound to /demo/fleet/app):
// the demo template in 3 batches from the plan preview to the end, live; a template made in the editor
// (a field error under its field first) whose canary host fails once: the run pauses, retry succeeds;
// a run that needs approval: refused to its requester, approved by another deployer.
// Same set-up as home.e2e.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, SHOTS, call, session, settle, signIn } from './support.mjs';

const NODE = '/demo/fleet/app';
const RUN = Date.now().toString(36);

async function openDeployTab(page) {
  await page.getByTestId('nav-tree').click();
  await page.getByTestId('tree-search').locator('input').fill(NODE);
  await page.getByTestId('tree-search').locator('input').press('Enter');
  await page.getByTestId('node-details').getByText(NODE, { exact: true }).waitFor({ timeout: 15_000 });
  await page.getByTestId('tab-deploy').click();
  await page.getByTestId('templates').getByText('hello-fleet', { exact: true }).waitFor({ timeout: 15_000 });
}

/** Starts a deployment of {@code template} from its Deploy button: version, parameters, the preview, then confirm. */
async function startFromPreview(page, template, version, parameters) {
  await page.getByTestId(`deploy-${template}`).click();
  await page.getByTestId('deploy-version').fill(version);
  if (parameters !== undefined) await page.getByTestId('deploy-parameters').fill(parameters);
  await page.getByTestId('plan-preview').click();
  await page.getByTestId('plan').waitFor({ timeout: 15_000 });
  const shown = await page.getByTestId('plan').locator('tbody tr.ant-table-row').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('.ant-tag')].map((t) => t.textContent.split(' · ')[0])));
  await settle(page);
  return shown;
}

async function awaitStatus(page, status, timeout = 90_000) {
  await page.getByTestId('deployment-status').getByText(status, { exact: true }).waitFor({ timeout });
}

function deploymentId(page) {
  return Number(/\/deployments\/(\d+)/.exec(page.url())[1]);
}

test('the demo template deploys to the dev fleet in 3 batches from its plan preview, shown live to the end', async () => {
  const { context, page, errors } = await session();
  await signIn(page);
  await openDeployTab(page);
  await settle(page);
  await page.screenshot({ path: SHOTS + 'deploy-tab.png' });

  const preview = await startFromPreview(page, 'hello-fleet', `1.${RUN}`);
  assert.equal(preview.length, 3, 'the demo ramp "1 50% 100%" makes 3 batches');
  assert.equal(preview[0].length, 1, 'one canary host first');
  await page.screenshot({ path: SHOTS + 'deploy-plan.png' });
  await page.getByTestId('deploy-confirm').click();

  await page.getByTestId('deployment-console').waitFor({ timeout: 15_000 });
  const id = deploymentId(page);
  await awaitStatus(page, 'succeeded');
  // every host's row says succeeded; the run is the plan that was shown
  const deployment = (await call(page, 'GET', `/api/deploy/deployments/${id}`)).body;
  assert.deepEqual(deployment.batches.map((b) => b.hosts.map((h) => h.hostname)), preview);
  for (const host of deployment.batches.flatMap((b) => b.hosts)) {
    assert.equal(host.status, 'succeeded', host.hostname);
    await page.getByTestId(`host-status-${host.hostname}`).getByText('succeeded', { exact: true }).waitFor({ timeout: 10_000 });
  }
  // the selected host's log shows its commands' output; the history shows the run's changes
  const last = deployment.batches[2].hosts[0];
  await page.getByTestId('deployment-hosts').getByText(last.hostname, { exact: true }).click();
  await page.getByTestId('host-log').getByText(`preparing 1.${RUN} on ${last.address}`, { exact: false }).waitFor({ timeout: 10_000 });
  await page.getByTestId('host-log').getByText('hello from', { exact: false }).waitFor();
  await page.getByTestId('deployment-history').getByText('succeeded', { exact: false }).first().waitFor();
  // a finished deployment offers a rollback and nothing else
  assert.equal(await page.getByTestId('control-rollback').count(), 1);
  assert.equal(await page.locator('[data-testid^="control-"]').count(), 1);
  await settle(page);
  await page.screenshot({ path: SHOTS + 'deploy-console.png', fullPage: true });

  // the Deployments page lists it
  await page.getByTestId('nav-deployments').click();
  await page.getByTestId('deployments').getByTestId(`deployment-${id}`).waitFor({ timeout: 15_000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a template from the editor: a bad ramp is named under its field; its failing canary pauses the run, retry succeeds', async () => {
  const { context, page, errors } = await session();
  await signIn(page);
  await openDeployTab(page);
  const name = `ui-retry-${RUN}`;
  // templates an earlier, interrupted run left behind
  const earlier = await call(page, 'GET', `/api/deploy/templates?nodePath=${encodeURIComponent(NODE)}&size=500`);
  for (const t of earlier.body.items.filter((t) => t.name.startsWith('ui-retry-'))) await call(page, 'DELETE', `/api/deploy/templates/${t.id}`);

  await page.getByTestId('template-new').click();
  await page.getByTestId('template-name').fill(name);
  await page.getByTestId('step-name-0').fill('check');
  await page.getByTestId('step-command-0').fill('if [ "$LOKI_FLEET_HOST" = "$LOKI_PARAM_failOn" ] && [ ! -f "failed-once-$LOKI_VERSION" ]; '
    + 'then touch "failed-once-$LOKI_VERSION"; echo "failing once on purpose" >&2; exit 3; fi; echo "fine on $LOKI_FLEET_HOST"');
  await page.getByTestId('template-ramp').fill('0%');
  await page.getByTestId('template-parameters').fill('failOn=none');
  await page.getByTestId('template-save').click();
  const ramp = page.locator('.ant-form-item', { has: page.getByTestId('template-ramp') });
  await ramp.locator('.ant-form-item-explain-error').first().waitFor({ timeout: 10_000 });
  await page.screenshot({ path: SHOTS + 'deploy-template-error.png' });
  const stored = await call(page, 'GET', `/api/deploy/templates?nodePath=${encodeURIComponent(NODE)}&size=500`);
  assert.equal(stored.body.items.filter((t) => t.name === name).length, 0, 'nothing stored from the refused save');

  await page.getByTestId('template-ramp').fill('1 100%');
  await page.getByTestId('template-save').click();
  await page.locator('.ant-modal').waitFor({ state: 'detached', timeout: 10_000 });
  await page.getByTestId('templates').getByText(name, { exact: true }).waitFor({ timeout: 10_000 });
  const template = (await call(page, 'GET', `/api/deploy/templates?nodePath=${encodeURIComponent(NODE)}&size=500`)).body.items
    .find((t) => t.name === name);

  // the canary (the plan's first host) fails its first attempt
  const plan = (await call(page, 'POST', '/api/deploy/plans', { templateId: template.id })).body;
  const canary = plan.batches[0].hosts[0];
  const preview = await startFromPreview(page, name, `2.${RUN}`, `failOn=${canary.address}`);
  assert.equal(preview.length, 2);
  await page.getByTestId('deploy-confirm').click();
  await page.getByTestId('deployment-console').waitFor({ timeout: 15_000 });
  const id = deploymentId(page);
  await awaitStatus(page, 'paused');
  await page.getByTestId(`host-status-${canary.hostname}`).getByText('failed', { exact: true }).waitFor({ timeout: 10_000 });
  await page.getByTestId('deployment-reason').getByText('failure-budget', { exact: false }).waitFor();
  await page.getByTestId('deployment-hosts').getByText(canary.hostname, { exact: true }).click();
  await page.getByTestId('host-log').getByText('failing once on purpose', { exact: false }).waitFor({ timeout: 10_000 });
  // a paused run offers resume, cancel and rollback; the failed host retry and skip
  for (const control of ['resume', 'cancel', 'rollback']) assert.equal(await page.getByTestId(`control-${control}`).count(), 1, control);
  assert.equal(await page.getByTestId('control-pause').count(), 0);
  await settle(page);
  await page.screenshot({ path: SHOTS + 'deploy-paused.png', fullPage: true });

  await page.getByTestId(`host-retry-${canary.hostname}`).click();
  await awaitStatus(page, 'succeeded');
  await page.getByTestId('host-log').getByText(`fine on ${canary.address}`, { exact: false }).waitFor({ timeout: 10_000 });
  const done = (await call(page, 'GET', `/api/deploy/deployments/${id}`)).body;
  const retried = done.batches[0].hosts[0];
  assert.equal(retried.status, 'succeeded');
  assert.equal(retried.attempt, 2);
  assert.ok(done.batches[1].hosts.every((h) => h.status === 'succeeded' && h.attempt === 1));

  assert.equal((await call(page, 'DELETE', `/api/deploy/templates/${template.id}`)).status, 204);
  // the browser logs the refused save (400), nothing else
  assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
  await context.close();
});

test('a template that needs approval: its requester is refused with the API\'s reason, another deployer approves and it runs', async () => {
  const admin = await session();
  await signIn(admin.page);
  await admin.page.getByTestId('nav-tree').waitFor();
  const username = `ui-approver-${RUN}`;
  const password = 'ui-approver-pass-1';
  assert.equal((await call(admin.page, 'POST', '/api/auth/users', { username, password })).status, 201);
  assert.equal((await call(admin.page, 'POST', '/api/auth/grants', { subject: `user:${username}`, nodePath: NODE, privilege: 'deploy.run' })).status, 201);
  const name = `ui-approval-${RUN}`;
  const template = await call(admin.page, 'POST', '/api/deploy/templates', { name, nodePath: NODE, type: 'script',
    steps: [{ name: 'hello', command: 'echo "approved on $LOKI_FLEET_HOST"' }], batch: { size: 12 }, requireApproval: true });
  assert.equal(template.status, 201);

  // the administrator asks for a run: it waits for approval, which is not theirs to give
  await openDeployTab(admin.page);
  await admin.page.getByTestId('templates').getByText(name, { exact: true }).waitFor({ timeout: 10_000 });
  await startFromPreview(admin.page, name, `3.${RUN}`);
  await admin.page.getByTestId('deploy-confirm').click();
  await admin.page.getByTestId('deployment-console').waitFor({ timeout: 15_000 });
  const id = deploymentId(admin.page);
  await awaitStatus(admin.page, 'awaiting-approval', 15_000);
  for (const control of ['approve', 'reject', 'cancel']) assert.equal(await admin.page.getByTestId(`control-${control}`).count(), 1, control);
  assert.equal(await admin.page.getByTestId('control-pause').count(), 0);
  await admin.page.getByTestId('control-approve').click();
  await admin.page.getByTestId('deployment-console').getByText('approved by someone other than who requested it', { exact: false })
    .waitFor({ timeout: 10_000 });
  assert.equal((await call(admin.page, 'GET', `/api/deploy/deployments/${id}`)).body.status, 'awaiting-approval');

  // the other deployer approves it from the console's address; the requester's console follows live
  const approver = await session();
  await signIn(approver.page, password, username);
  await approver.page.getByTestId('nav-tree').waitFor();
  await approver.page.goto(`${BASE}/deployments/${id}`);
  await approver.page.getByTestId('control-approve').click();
  await awaitStatus(approver.page, 'succeeded');
  await awaitStatus(admin.page, 'succeeded');
  const done = (await call(admin.page, 'GET', `/api/deploy/deployments/${id}`)).body;
  assert.ok(done.batches.flatMap((b) => b.hosts).every((h) => h.status === 'succeeded'));

  assert.equal((await call(admin.page, 'DELETE', `/api/deploy/templates/${template.body.id}`)).status, 204);
  await call(admin.page, 'DELETE', `/api/auth/users/${username}`);
  // the requester's browser logs the refused approval (403), nothing else
  assert.deepEqual(admin.errors.filter((e) => !/status of 403/.test(e)), []);
  assert.deepEqual(approver.errors, []);
  await admin.context.close();
  await approver.context.close();
});
