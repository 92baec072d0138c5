import type { ReactNode } from 'react';
import { Form, Input, InputNumber, Modal, Select } from 'antd';
import { api } from '../../lib/api';
import { useApiForm } from '../../lib/actions';
import { parseTags } from '../../lib/forms';
import { useI18n } from '../../lib/i18n';
import { Problem } from '../../components/Problem';

type Values = Record<string, unknown>;

/** A modal form whose fields' API errors appear under them; `send` posts the values, `onSaved` follows a success. */
function FormModal({ title, testId, initialValues, send, onClose, onSaved, children }: {
  title: string; testId: string; initialValues: Values; send: (values: Values) => Promise<unknown>; onClose: () => void; onSaved: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const { error, saving, submit } = useApiForm(form);
  const save = async (values: Values) => {
    if (await submit(values, () => send(values))) onSaved();
  };
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={saving} destroyOnHidden
      okButtonProps={{ 'data-testid': `${testId}-ok` } as never}>
      <Problem error={error} />
      <Form form={form} layout="vertical" initialValues={initialValues} onFinish={save} style={{ marginTop: 12 }} data-testid={testId}>
        {children}
      </Form>
    </Modal>
  );
}

const post = (path: string, body: unknown) => api(path, { method: 'POST', body: JSON.stringify(body) });
const SEVERITIES = ['info', 'warning', 'critical'].map((v) => ({ value: v, label: v }));

/** A new webhook or e-mail channel. */
export function ChannelForm({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  return (
    <FormModal title={t('alarm.newChannel')} testId="channel-form" initialValues={{ type: 'webhook' }} onClose={onClose} onSaved={onSaved}
      send={(v) => post('/api/alarm/channels', { ...v, secret: v.secret || undefined })}>
      <Form.Item name="name" label={t('alarm.channelName')} rules={[{ required: true }]}><Input /></Form.Item>
      <Form.Item name="type" label={t('alarm.type')}>
        <Select options={[{ value: 'webhook', label: 'webhook' }, { value: 'email', label: 'e-mail' }]} />
      </Form.Item>
      <Form.Item name="target" label={t('alarm.target')} extra={t('alarm.targetHelp')} rules={[{ required: true }]}><Input /></Form.Item>
      <Form.Item name="secret" label={t('alarm.secret')} extra={t('alarm.secretHelp')}><Input.Password autoComplete="new-password" /></Form.Item>
    </FormModal>
  );
}

/** A subtree's subscription to a channel, optionally an escalation and repeating. */
export function SubscriptionForm({ channels, onClose, onSaved }: { channels: { id: number; name: string }[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const minutes = (v: unknown) => (typeof v === 'number' ? Math.round(v * 60) : undefined);
  return (
    <FormModal title={t('alarm.newSubscription')} testId="subscription-form" initialValues={{ nodePath: '/', minSeverity: 'warning' }}
      onClose={onClose} onSaved={onSaved}
      send={(v) => post('/api/alarm/subscriptions', { nodePath: v.nodePath, channelId: v.channelId, minSeverity: v.minSeverity,
        escalateAfterSeconds: minutes(v.escalateAfterSeconds), repeatSeconds: minutes(v.repeatSeconds) })}>
      <Form.Item name="nodePath" label={t('alarm.node')} rules={[{ required: true }]}><Input /></Form.Item>
      <Form.Item name="channelId" label={t('alarm.channels')} rules={[{ required: true }]}>
        <Select options={channels.map((c) => ({ value: c.id, label: c.name }))} />
      </Form.Item>
      <Form.Item name="minSeverity" label={t('alarm.minSeverity')}><Select options={SEVERITIES} /></Form.Item>
      <Form.Item name="escalateAfterSeconds" label={t('alarm.escalateAfter')} extra={t('alarm.escalateHelp')}>
        <InputNumber min={1} max={10080} style={{ width: '100%' }} /></Form.Item>
      <Form.Item name="repeatSeconds" label={t('alarm.repeatEvery')}><InputNumber min={1} max={10080} style={{ width: '100%' }} /></Form.Item>
    </FormModal>
  );
}

/** A silence or maintenance window on a subtree: times in the browser's zone, matchers as `label=value, …`. */
export function SilenceForm({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const local = (ms: number) => new Date(ms - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const instant = (v: unknown) => (typeof v === 'string' && v ? new Date(v).toISOString() : v);
  return (
    <FormModal title={t('alarm.newSilence')} testId="silence-form" onClose={onClose} onSaved={onSaved}
      initialValues={{ nodePath: '/', startsAt: local(Date.now()), endsAt: local(Date.now() + 2 * 3600_000), repeat: '' }}
      send={(v) => post('/api/alarm/silences', { nodePath: v.nodePath, comment: v.comment, repeat: v.repeat || undefined,
        startsAt: instant(v.startsAt), endsAt: instant(v.endsAt),
        matchers: Object.entries(parseTags(v.matchers as string | undefined)).map(([label, value]) => ({ label, value })) })}>
      <Form.Item name="nodePath" label={t('alarm.node')} rules={[{ required: true }]}><Input /></Form.Item>
      <Form.Item name="matchers" label={t('alarm.matchers')} extra={t('alarm.matchersHelp')}><Input placeholder="hostname=web-1, severity=warning" /></Form.Item>
      <Form.Item name="startsAt" label={t('alarm.startsAt')} rules={[{ required: true }]}><Input type="datetime-local" /></Form.Item>
      <Form.Item name="endsAt" label={t('alarm.endsAt')} rules={[{ required: true }]}><Input type="datetime-local" /></Form.Item>
      <Form.Item name="repeat" label={t('alarm.repeat')}>
        <Select options={[{ value: '', label: t('alarm.once') }, { value: 'daily', label: t('alarm.daily') }, { value: 'weekly', label: t('alarm.weekly') }]} />
      </Form.Item>
      <Form.Item name="comment" label={t('alarm.comment')} rules={[{ required: true }]}><Input /></Form.Item>
    </FormModal>
  );
}
