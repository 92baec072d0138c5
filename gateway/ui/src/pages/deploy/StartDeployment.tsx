import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { api } from '../../lib/api';
import { useApiForm } from '../../lib/actions';
import { formatParameters, parseParameters, planHosts, type Deployment, type Plan, type Template } from '../../lib/deploy';
import { useI18n } from '../../lib/i18n';
import { Problem } from '../../components/Problem';

interface StartForm { version: string; parameters?: string; hosts?: string[]; includeNotOnline?: boolean }

/** What a plan preview is asked for; a deployment asks for the same plan, with a version and parameters. */
function planRequest(template: Template, values: StartForm) {
  return { templateId: template.id, hosts: values.hosts?.length ? values.hosts : undefined, includeNotOnline: values.includeNotOnline || undefined };
}

/**
 * Starts a deployment of a template: version, parameters (the template's defaults to override), an
 * optional subset of hosts; the plan preview comes first and the run starts only from it — deploy-service
 * runs exactly the batches shown (a changed input asks for a new preview).
 */
export function StartDeployment({ template, onClose, onStarted }: { template: Template; onClose: () => void; onStarted: (d: Deployment) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<StartForm>();
  const { error, saving, submit } = useApiForm(form);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [candidates, setCandidates] = useState<string[] | null>(null);

  const preview = async () => {
    const values = await form.validateFields();
    const answer: { plan?: Plan } = {};
    if (await submit(values, async () => {
      answer.plan = await api<Plan>('/api/deploy/plans', { method: 'POST', body: JSON.stringify(planRequest(template, values)) });
    }) && answer.plan) {
      const shown = answer.plan;
      setPlan(shown);
      // the hosts to pick a subset from: those of the first preview of all of them
      if (!candidates) setCandidates([...planHosts(shown), ...shown.excluded.map((e) => e.hostname)]);
    }
  };
  const start = async () => {
    const values = form.getFieldsValue();
    const answer: { started?: Deployment } = {};
    if (await submit(values, async () => {
      answer.started = await api<Deployment>('/api/deploy/deployments', { method: 'POST', body: JSON.stringify({
        ...planRequest(template, values), version: values.version?.trim(), parameters: parseParameters(values.parameters) }) });
    }) && answer.started) onStarted(answer.started);
  };

  return (
    <Modal open width={860} title={`${t('deploy.start')} ${template.name}`} onCancel={onClose} destroyOnHidden
      footer={<Space>
        <Button onClick={preview} loading={saving && !plan} data-testid="plan-preview">{t('deploy.preview')}</Button>
        <Button type="primary" disabled={!plan} onClick={start} loading={saving && !!plan} data-testid="deploy-confirm">
          {plan ? t('deploy.startPlan', { batches: plan.batches.length }) : t('deploy.start')}</Button>
      </Space>}>
      <Problem error={error} />
      <Form form={form} layout="vertical" style={{ marginTop: 12 }} onValuesChange={() => setPlan(null)}
        initialValues={{ version: '', parameters: formatParameters(template.parameters), hosts: [], includeNotOnline: false }}>
        <Space.Compact block style={{ gap: 12 }}>
          <Form.Item name="version" label={t('deploy.version')} rules={[{ required: true, whitespace: true }]} style={{ flex: 1 }}>
            <Input placeholder="1.4.2" data-testid="deploy-version" />
          </Form.Item>
          <Form.Item name="includeNotOnline" label={t('deploy.includeNotOnline')} valuePropName="checked"><Switch /></Form.Item>
        </Space.Compact>
        <Form.Item name="parameters" label={t('deploy.parameters')} extra={t('deploy.parametersHint')}>
          <Input.TextArea rows={2} style={{ fontFamily: 'monospace' }} data-testid="deploy-parameters" />
        </Form.Item>
        <Form.Item name="hosts" label={t('deploy.hosts')} extra={t('deploy.hostsHint')}>
          <Select mode="tags" options={(candidates ?? []).map((h) => ({ value: h, label: h }))} data-testid="deploy-hosts" />
        </Form.Item>
      </Form>
      {plan && (
        <div data-testid="plan">
          <Typography.Text strong>{t('deploy.planOf', { hosts: planHosts(plan).length, batches: plan.batches.length, revision: plan.revision })}</Typography.Text>
          <Table rowKey="index" size="small" pagination={false} dataSource={plan.batches} style={{ marginTop: 8 }}
            columns={[
              { title: t('deploy.batch'), dataIndex: 'index', width: 80, render: (i: number) => i + 1 },
              { title: t('deploy.hosts'), key: 'hosts', render: (_, b) => (
                <Space size={[4, 4]} wrap>{b.hosts.map((h) => <Tag key={h.hostname}>{h.hostname}{h.idc ? ` · ${h.idc}` : ''}</Tag>)}</Space>) },
            ]} />
          {plan.excluded.length > 0 && (
            <Alert type="info" style={{ marginTop: 8 }} title={t('deploy.excluded')} data-testid="plan-excluded"
              description={plan.excluded.map((e) => `${e.hostname}: ${e.reason}`).join('; ')} />
          )}
          {plan.upstream && <pre style={{ marginTop: 8, background: '#fafafa', padding: 8 }}>{plan.upstream}</pre>}
        </div>
      )}
    </Modal>
  );
}
