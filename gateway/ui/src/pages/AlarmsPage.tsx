import { useState } from 'react';
import { Button, Card, Input, Modal, Popconfirm, Segmented, Select, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { api, type Page } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { useTitle, useUrlState } from '../lib/url';
import { useAction } from '../lib/actions';
import { useLoad } from '../lib/load';
import { formatTime } from '../lib/figures';
import { Problem } from '../components/Problem';
import { ChangeList, type TimelineEntry } from '../components/Changes';
import { ChannelForm, SilenceForm, SubscriptionForm } from './alarm/AlarmForms';
import { useNavigate } from 'react-router-dom';

interface Alarm {
  id: number; fingerprint: string; nodePath: string; hostname?: string; severity: string; title: string; status: string; count: number;
  source: string; firstSeenAt: string; lastSeenAt: string; acknowledgedBy?: string; resolution?: string;
  mutedBy?: { id: number; version: string };
  history?: { at: string; actor?: string; action: string; text?: string }[];
  changes?: TimelineEntry[]; changesUnavailable?: string[];
}
interface Attempt { attempt: number; at: string; statusCode?: number; latencyMs: number; error?: string }
interface Delivery { id: number; channelName: string; event: string; status: string; idempotencyKey: string; attempts: Attempt[] }
interface Silence { id: number; nodePath: string; matchers: { label: string; value: string }[]; startsAt: string; endsAt: string; repeat?: string; comment: string; createdBy: string }
interface Channel { id: number; name: string; type: string; target: string; signed: boolean }
interface Subscription { id: number; nodePath: string; channelId: number; minSeverity: string; escalateAfterSeconds?: number; repeatSeconds?: number }

const SEVERITY_COLOR: Record<string, string> = { critical: 'red', warning: 'orange', info: 'blue' };
const STATUS_COLOR: Record<string, string> = { firing: 'red', acknowledged: 'gold', resolved: 'green' };

function AlarmDetails({ id }: { id: number }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const alarm = useLoad(() => api<Alarm>(`/api/alarm/alarms/${id}`), [id]);
  const deliveries = useLoad(() => api<Delivery[]>(`/api/alarm/alarms/${id}/deliveries`), [id]);
  const { error, act } = useAction(alarm.reload);
  const deployments = (alarm.data?.changes ?? []).filter((c) => c.kind === 'deployment');
  const rollBack = () => act(() => api<{ deployment: { id: number } }>(`/api/alarm/alarms/${id}/rollback`, { method: 'POST' }),
    (started) => navigate(`/deployments/${started.deployment.id}`));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`alarm-details-${id}`}>
      <Problem error={error ?? alarm.error ?? deliveries.error} />
      <Space>
        <Typography.Title level={5} style={{ margin: 0 }}>{t('alarm.changes')}</Typography.Title>
        {deployments.length > 0 && (
          <Popconfirm title={t('alarm.rollbackConfirm', { id: deployments[0].deployment!.id, version: deployments[0].deployment!.version })} onConfirm={rollBack}>
            <Button size="small" danger data-testid={`alarm-rollback-${id}`}>{t('alarm.rollback')}</Button>
          </Popconfirm>)}
      </Space>
      {alarm.data && <ChangeList entries={alarm.data.changes ?? []} unavailable={alarm.data.changesUnavailable} testId={`alarm-changes-${id}`} />}
      {alarm.data?.mutedBy && <Typography.Text type="warning">{t('alarm.mutedBy', { id: alarm.data.mutedBy.id, version: alarm.data.mutedBy.version })}</Typography.Text>}
      <Typography.Title level={5}>{t('alarm.history')}</Typography.Title>
      <Timeline items={(alarm.data?.history ?? []).map((h) => ({
        content: <span>{formatTime(Date.parse(h.at), lang)} — <b>{h.action}</b>{h.actor ? ` (${h.actor})` : ''}{h.text ? `: ${h.text}` : ''}</span>,
      }))} data-testid={`alarm-history-${id}`} />
      <Typography.Title level={5}>{t('alarm.deliveries')}</Typography.Title>
      <Table<Delivery> rowKey="id" size="small" pagination={false} dataSource={deliveries.data ?? []} locale={{ emptyText: t('alarm.noDeliveries') }}
        columns={[
          { title: t('alarm.channels'), dataIndex: 'channelName' },
          { title: t('alarm.status'), dataIndex: 'status', render: (v: string) => <Tag color={v === 'sent' ? 'green' : v === 'dead' ? 'red' : 'gold'}>{v}</Tag> },
          { title: t('alarm.event'), dataIndex: 'event' },
          { title: t('alarm.attempts'), key: 'attempts', render: (_, d) => d.attempts.map((a) =>
            `#${a.attempt} ${a.statusCode ?? a.error ?? ''} ${a.latencyMs} ms`).join(' · ') },
        ]} />
    </Space>
  );
}

function Alarms() {
  const { t, lang } = useI18n();
  // the filters are in the URL (?status=&severity=&nodePath=): a link opens the same list
  const [status, setStatus] = useUrlState('status', 'firing');
  const [linkedSeverity, setLinkedSeverity] = useUrlState('severity', '');
  const severity = linkedSeverity || undefined;
  const setSeverity = (value?: string) => setLinkedSeverity(value ?? '');
  const [subtree, setSubtree] = useUrlState('nodePath', '');
  // a server's detail links here with ?hostname=: its alarms
  const [hostname, setHostname] = useUrlState('hostname', '');
  const [acking, setAcking] = useState<Alarm | null>(null);
  const [note, setNote] = useState('');
  const query = new URLSearchParams({ size: '200' });
  if (status !== 'all') query.set('status', status);
  if (severity) query.set('severity', severity);
  if (subtree.trim()) query.set('nodePath', subtree.trim());
  if (hostname) query.set('hostname', hostname);
  const alarms = useLoad(() => api<Page<Alarm>>(`/api/alarm/alarms?${query}`), [status, severity, subtree, hostname]);
  const { error, act } = useAction(alarms.reload);
  const silence = (a: Alarm) => act(() => api('/api/alarm/silences', { method: 'POST', body: JSON.stringify({
    nodePath: a.nodePath, matchers: [{ label: 'fingerprint', value: a.fingerprint }], startsAt: new Date().toISOString(),
    endsAt: new Date(Date.now() + 2 * 3600_000).toISOString(), comment: t('alarm.silenceComment', { id: a.id }),
  }) }), t('alarm.silenced'));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Segmented value={status} onChange={(v) => setStatus(String(v))} data-testid="alarm-status"
          options={['firing', 'acknowledged', 'resolved', 'all'].map((s) => ({ value: s, label: t(`alarm.${s}` as 'alarm.firing') }))} />
        <Select allowClear placeholder={t('alarm.severity')} style={{ width: 140 }} value={severity} onChange={setSeverity}
          options={['critical', 'warning', 'info'].map((s) => ({ value: s, label: s }))} />
        <Input.Search allowClear placeholder={t('alarm.subtree')} style={{ width: 280 }} defaultValue={subtree} onSearch={(v) => setSubtree(v.trim())}
          data-testid="alarm-subtree" />
        {hostname && <Tag closable onClose={() => setHostname('')} data-testid="alarm-hostname">{t('alarm.host')}: {hostname}</Tag>}
      </Space>
      <Problem error={error ?? alarms.error} />
      <Table<Alarm> rowKey="id" size="small" loading={alarms.loading} dataSource={alarms.data?.items ?? []} pagination={false}
        locale={{ emptyText: t('alarm.none') }} data-testid="alarm-table"
        expandable={{ expandedRowRender: (a) => <AlarmDetails id={a.id} /> }}
        columns={[
          { title: t('alarm.severity'), dataIndex: 'severity', render: (v: string) => <Tag color={SEVERITY_COLOR[v]}>{v}</Tag> },
          { title: t('alarm.title'), dataIndex: 'title' },
          { title: t('alarm.node'), dataIndex: 'nodePath' },
          { title: t('alarm.host'), dataIndex: 'hostname', render: (v?: string) => v ?? '–' },
          { title: t('alarm.count'), dataIndex: 'count' },
          { title: t('alarm.status'), dataIndex: 'status', render: (v: string, a) => <Tag color={STATUS_COLOR[v]} data-testid={`alarm-status-${a.id}`}>{t(`alarm.${v}` as 'alarm.firing')}</Tag> },
          { title: t('alarm.lastSeen'), dataIndex: 'lastSeenAt', render: (v: string) => formatTime(Date.parse(v), lang) },
          { title: '', key: 'actions', render: (_, a) => (
            <Space>
              {a.status === 'firing' && <Button size="small" onClick={() => { setNote(''); setAcking(a); }} data-testid={`alarm-ack-${a.id}`}>{t('alarm.ack')}</Button>}
              {a.status !== 'resolved' && <Button size="small" onClick={() => act(() => api(`/api/alarm/alarms/${a.id}/resolve`, { method: 'POST' }), t('alarm.resolvedDone'))}
                data-testid={`alarm-resolve-${a.id}`}>{t('alarm.resolve')}</Button>}
              {a.status !== 'resolved' && <Popconfirm title={t('alarm.silenceConfirm')} onConfirm={() => silence(a)}>
                <Button size="small" data-testid={`alarm-silence-${a.id}`}>{t('alarm.silence')}</Button></Popconfirm>}
            </Space>) },
        ]} />
      {acking && (
        <Modal open title={t('alarm.ackTitle')} onCancel={() => setAcking(null)} okButtonProps={{ 'data-testid': 'alarm-ack-ok' } as never}
          onOk={async () => {
            const target = acking;
            setAcking(null);
            await act(() => api(`/api/alarm/alarms/${target.id}/ack`, { method: 'POST', body: JSON.stringify(note.trim() ? { note: note.trim() } : {}) }),
              t('alarm.acked'));
          }}>
          <Typography.Paragraph>{acking.title}</Typography.Paragraph>
          <Input.TextArea rows={3} maxLength={2000} placeholder={t('alarm.note')} value={note} onChange={(e) => setNote(e.target.value)} data-testid="alarm-ack-note" />
        </Modal>
      )}
    </Space>
  );
}

function Silences() {
  const { t, lang } = useI18n();
  const silences = useLoad(() => api<Page<Silence>>('/api/alarm/silences?size=200'), []);
  const { error, act } = useAction(silences.reload);
  const [adding, setAdding] = useState(false);
  const now = Date.now();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button onClick={() => setAdding(true)} data-testid="silence-new">{t('alarm.newSilence')}</Button>
      {adding && <SilenceForm onClose={() => setAdding(false)} onSaved={() => { setAdding(false); silences.reload(); }} />}
      <Problem error={error ?? silences.error} />
      <Table<Silence> rowKey="id" size="small" loading={silences.loading} dataSource={silences.data?.items ?? []} pagination={false}
        locale={{ emptyText: t('alarm.noSilences') }} data-testid="silence-table"
        columns={[
          { title: t('alarm.node'), dataIndex: 'nodePath' },
          { title: t('alarm.matchers'), key: 'matchers', render: (_, s) => s.matchers.map((m) => <Tag key={m.label}>{m.label}={m.value}</Tag>) },
          { title: t('alarm.window'), key: 'window', render: (_, s) => (
            <span>{formatTime(Date.parse(s.startsAt), lang)} – {formatTime(Date.parse(s.endsAt), lang)}
              {!s.repeat && Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt) && <Tag color="purple" style={{ marginLeft: 8 }}>{t('alarm.on')}</Tag>}</span>) },
          { title: t('alarm.repeat'), dataIndex: 'repeat', render: (v?: string) => v ?? t('alarm.once') },
          { title: t('alarm.comment'), dataIndex: 'comment' },
          { title: '', key: 'delete', render: (_, s) => (
            <a onClick={() => act(() => api(`/api/alarm/silences/${s.id}`, { method: 'DELETE' }), t('alarm.deleted'))} data-testid={`silence-delete-${s.id}`}>{t('alarm.delete')}</a>) },
        ]} />
    </Space>
  );
}

function Channels() {
  const { t } = useI18n();
  const channels = useLoad(() => api<Page<Channel>>('/api/alarm/channels?size=200'), []);
  const subscriptions = useLoad(() => api<Page<Subscription>>('/api/alarm/subscriptions?size=500'), []);
  const reload = () => { channels.reload(); subscriptions.reload(); };
  const { error, act } = useAction(reload);
  const [adding, setAdding] = useState<'channel' | 'subscription' | null>(null);
  const names = new Map((channels.data?.items ?? []).map((c) => [c.id, c.name]));
  const saved = () => { setAdding(null); reload(); };
  const minutes = (seconds?: number) => (seconds ? t('alarm.minutes', { n: Math.round(seconds / 6) / 10 }) : '–');
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Problem error={error ?? channels.error ?? subscriptions.error} />
      <Space>
        <Button onClick={() => setAdding('channel')} data-testid="channel-new">{t('alarm.newChannel')}</Button>
        <Button onClick={() => setAdding('subscription')} disabled={!channels.data?.items.length} data-testid="subscription-new">{t('alarm.newSubscription')}</Button>
      </Space>
      {adding === 'channel' && <ChannelForm onClose={() => setAdding(null)} onSaved={saved} />}
      {adding === 'subscription' && <SubscriptionForm channels={channels.data?.items ?? []} onClose={() => setAdding(null)} onSaved={saved} />}
      <Table<Channel> rowKey="id" size="small" pagination={false} dataSource={channels.data?.items ?? []} locale={{ emptyText: t('alarm.noChannels') }}
        data-testid="channel-table"
        columns={[
          { title: t('alarm.channels'), dataIndex: 'name' },
          { title: t('alarm.type'), dataIndex: 'type' },
          { title: t('alarm.target'), dataIndex: 'target' },
          { title: '', key: 'delete', render: (_, c) => (
            <Popconfirm title={t('alarm.deleteChannel')} onConfirm={() => act(() => api(`/api/alarm/channels/${c.id}`, { method: 'DELETE' }), t('alarm.deleted'))}>
              <a data-testid={`channel-delete-${c.id}`}>{t('alarm.delete')}</a></Popconfirm>) },
        ]} />
      <Typography.Title level={5}>{t('alarm.subscriptions')}</Typography.Title>
      <Table<Subscription> rowKey="id" size="small" pagination={false} dataSource={subscriptions.data?.items ?? []} data-testid="subscription-table"
        locale={{ emptyText: t('alarm.noSubscriptions') }}
        columns={[
          { title: t('alarm.node'), dataIndex: 'nodePath' },
          { title: t('alarm.channels'), dataIndex: 'channelId', render: (v: number) => names.get(v) ?? v },
          { title: t('alarm.minSeverity'), dataIndex: 'minSeverity', render: (v: string) => <Tag color={SEVERITY_COLOR[v]}>{v}</Tag> },
          { title: t('alarm.escalateAfter'), dataIndex: 'escalateAfterSeconds', render: minutes },
          { title: t('alarm.repeatEvery'), dataIndex: 'repeatSeconds', render: minutes },
          { title: '', key: 'delete', render: (_, sub) => (
            <a onClick={() => act(() => api(`/api/alarm/subscriptions/${sub.id}`, { method: 'DELETE' }), t('alarm.deleted'))}
              data-testid={`subscription-delete-${sub.id}`}>{t('alarm.delete')}</a>) },
        ]} />
    </Space>
  );
}

/** Alarms (filter, acknowledge with a note, resolve, silence; each one's history and notifications), silences, channels. */
export function AlarmsPage() {
  const { t } = useI18n();
  useTitle(t('nav.alarms'));
  const [tab, setTab] = useUrlState('tab', 'alarms');
  return (
    <Card title={t('nav.alarms')}>
      <Tabs activeKey={tab} onChange={(key) => setTab(key, true)} items={[
        { key: 'alarms', label: t('alarm.alarms'), children: <Alarms /> },
        { key: 'silences', label: <span data-testid="tab-silences">{t('alarm.silences')}</span>, children: <Silences /> },
        { key: 'channels', label: t('alarm.channels'), children: <Channels /> },
      ]} />
    </Card>
  );
}
