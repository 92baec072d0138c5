import { useState } from 'react';
import { Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import { api } from '../../lib/api';
import { useApiForm } from '../../lib/actions';
import { formatTags, parseTags } from '../../lib/forms';
import { useI18n } from '../../lib/i18n';
import { useLoad } from '../../lib/load';
import { AGGREGATORS, DOWNSAMPLES, useKnownMetric } from '../../lib/metrics';
import { Problem } from '../../components/Problem';
import type { Act, Node } from './types';

interface Rule {
  id: number; name: string; nodePath: string; metric: string; tags: Record<string, string>; aggregator: string; downsample: string | null;
  comparator: string; threshold: number; forSeconds: number; severity: string; enabled: boolean; noDataSeconds?: number | null;
}
type RuleForm = Omit<Rule, 'id' | 'tags'> & { tags?: string };

/** What the rule API takes (`PUT /api/monitor/rules/{id}`): a stored rule without what the server keeps (id, who, when). */
function ruleRequest(r: Rule) {
  return { name: r.name, nodePath: r.nodePath, metric: r.metric, tags: r.tags, aggregator: r.aggregator, downsample: r.downsample,
    comparator: r.comparator, threshold: r.threshold, forSeconds: r.forSeconds, severity: r.severity, enabled: r.enabled,
    noDataSeconds: r.noDataSeconds ?? null };
}

const SEVERITY_COLOR: Record<string, string> = { info: 'blue', warning: 'orange', critical: 'red' };

function RuleEditor({ rule, node, onClose, onSaved }: { rule: Rule | 'new'; node: Node; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<RuleForm>();
  const { error, submit } = useApiForm(form);
  const creating = rule === 'new';
  // a metric nothing has reported (OpenTSDB's suggest does not know it) is allowed — it may come later — but said
  const metric: string = Form.useWatch('metric', form) ?? '';
  const known = useKnownMetric(metric.trim());
  const unknownMetric = metric.trim() !== '' && known === false;
  const save = async (values: RuleForm) => {
    const body = { ...values, tags: parseTags(values.tags), downsample: values.downsample || null, noDataSeconds: values.noDataSeconds ?? null };
    if (await submit(values, () => api(creating ? '/api/monitor/rules' : `/api/monitor/rules/${rule.id}`,
      { method: creating ? 'POST' : 'PUT', body: JSON.stringify(body) }))) onSaved();
  };
  const initial: Partial<RuleForm> = creating
    ? { nodePath: node.path, aggregator: 'avg', downsample: '1m-avg', comparator: '>', forSeconds: 300, severity: 'warning', enabled: true, tags: '' }
    : { ...rule, tags: formatTags(rule.tags), downsample: rule.downsample ?? '' };
  return (
    <Modal open title={creating ? t('rules.new') : rule.name} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} width={640} destroyOnHidden>
      <Problem error={error} />
      <Form form={form} layout="vertical" initialValues={initial} onFinish={save} style={{ marginTop: 12 }}>
        <Form.Item name="name" label={t('rules.name')} rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item name="nodePath" label={t('tree.node')} rules={[{ required: true }]}><Input /></Form.Item>
        <Space.Compact block style={{ gap: 12 }}>
          <Form.Item name="metric" label={t('explorer.metric')} rules={[{ required: true }]} style={{ flex: 2 }}
            validateStatus={unknownMetric ? 'warning' : undefined} help={unknownMetric ? t('rules.unknownMetric', { metric: metric.trim() }) : undefined}>
            <Input placeholder="host.cpu.usage" data-testid="rule-metric" /></Form.Item>
          <Form.Item name="tags" label={t('rules.tags')} style={{ flex: 2 }}><Input placeholder="mount=/" /></Form.Item>
        </Space.Compact>
        <Space.Compact block style={{ gap: 12 }}>
          <Form.Item name="aggregator" label={t('explorer.aggregator')} style={{ flex: 1 }}>
            <Select options={AGGREGATORS.map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Form.Item name="downsample" label={t('explorer.downsample')} style={{ flex: 1 }}>
            <Select options={DOWNSAMPLES.map((v) => ({ value: v, label: v || t('explorer.none') }))} />
          </Form.Item>
          <Form.Item name="comparator" label={t('rules.comparator')} style={{ flex: 1 }}>
            <Select options={['>', '>=', '<', '<=', '==', '!='].map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Form.Item name="threshold" label={t('rules.threshold')} rules={[{ required: true }]} style={{ flex: 1 }}><InputNumber style={{ width: '100%' }} /></Form.Item>
        </Space.Compact>
        <Space.Compact block style={{ gap: 12 }}>
          <Form.Item name="forSeconds" label={t('rules.for')} style={{ flex: 1 }}><InputNumber min={0} style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="severity" label={t('rules.severity')} style={{ flex: 1 }}>
            <Select options={['info', 'warning', 'critical'].map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Form.Item name="enabled" label={t('rules.enabled')} valuePropName="checked" style={{ flex: 1 }}><Switch /></Form.Item>
        </Space.Compact>
        <Form.Item name="noDataSeconds" label={t('rules.noData')} extra={t('rules.noDataHelp')}>
          <InputNumber min={10} max={604800} style={{ width: '100%' }} data-testid="rule-no-data" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The alert rules that apply to a node: its own, its ancestors' (inherited) and its descendants'. */
export function NodeRules({ node, act }: { node: Node; act: Act }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const rules = useLoad(() => api<{ items: Rule[] }>(`/api/monitor/rules?nodePath=${encodeURIComponent(node.path)}&size=500`), [node.path]);
  const inherited = (r: Rule) => r.nodePath !== node.path && (r.nodePath === '/' || node.path.startsWith(`${r.nodePath}/`));
  return (
    <Card title={t('rules.title')} extra={<Button onClick={() => setEditing('new')}>{t('rules.new')}</Button>}>
      <Problem error={rules.error} />
      <Table<Rule> rowKey="id" size="small" pagination={false} loading={rules.loading} dataSource={rules.data?.items ?? []}
        locale={{ emptyText: t('rules.empty') }}
        columns={[
          { title: t('rules.name'), dataIndex: 'name', render: (v: string, r) => <a onClick={() => setEditing(r)}>{v}</a> },
          { title: t('tree.node'), dataIndex: 'nodePath', render: (v: string, r) => (inherited(r) ? <Tag>{t('rules.inherited', { path: v })}</Tag> : v) },
          { title: t('rules.condition'), key: 'cond', render: (_, r) => `${r.aggregator}:${r.downsample ? `${r.downsample}:` : ''}${r.metric}`
            + `${Object.keys(r.tags ?? {}).length ? `{${formatTags(r.tags)}}` : ''} ${r.comparator} ${r.threshold} ${t('rules.forShort', { s: r.forSeconds })}` },
          { title: t('rules.severity'), dataIndex: 'severity', render: (v: string) => <Tag color={SEVERITY_COLOR[v]}>{v}</Tag> },
          { title: t('rules.enabled'), dataIndex: 'enabled', render: (v: boolean, r) => (
            <Switch size="small" checked={v} data-testid={`rule-enabled-${r.id}`} onChange={async (enabled) => {
              if (await act(() => api(`/api/monitor/rules/${r.id}`, { method: 'PUT', body: JSON.stringify({ ...ruleRequest(r), enabled }) }),
                t('rules.saved'))) rules.reload();
            }} />) },
          { title: '', key: 'delete', render: (_, r) => (
            <Popconfirm title={t('rules.deleteConfirm')} onConfirm={async () => {
              if (await act(() => api(`/api/monitor/rules/${r.id}`, { method: 'DELETE' }), t('rules.deleted'))) rules.reload();
            }}><a>{t('tree.delete')}</a></Popconfirm>) },
        ]} />
      {editing && <RuleEditor rule={editing} node={node} onClose={() => setEditing(null)}
        onSaved={() => { setEditing(null); rules.reload(); }} />}
    </Card>
  );
}
