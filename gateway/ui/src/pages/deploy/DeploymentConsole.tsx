import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App as AntApp, Button, Card, Descriptions, Empty, Input, Modal, Popconfirm, Space, Table, Tag, Timeline, Typography } from 'antd';
import { api } from '../../lib/api';
import { useAction } from '../../lib/actions';
import { controls, finished, formatInstant, hostControls, resumeNeedsNote, type Control, type Deployment, type DeploymentHost,
  type Template } from '../../lib/deploy';
import { useI18n, type Key } from '../../lib/i18n';
import { stream } from '../../lib/live';
import { useLoad } from '../../lib/load';
import { loadSession } from '../../lib/session';
import { Problem } from '../../components/Problem';
import { StatusBadge } from './DeploymentTable';

interface Line { at: string; stream: string; text: string }
interface Change { at: string; hostname?: string; status: string; reason?: string; exitCode?: number }

/** Lines kept per host in the page (the whole log stays downloadable). */
const KEPT_LINES = 5000;
/** Changes shown in the history (the newest). */
const SHOWN_CHANGES = 300;
/** Hosts on one page of the table; a deployment with more is paged (and names each host's batch). */
const HOSTS_PER_PAGE = 100;

const CONTROL_LABEL: Record<Control, Key> = {
  pause: 'deploy.pause', resume: 'deploy.resume', cancel: 'deploy.cancel', approve: 'deploy.approve', reject: 'deploy.reject',
  rollback: 'deploy.rollback',
};

/**
 * One deployment live: its batches and hosts with their states, the selected host's output as it is
 * written, the history of changes, and the controls its status allows (nothing else is offered). Follows
 * `GET …/events` (resuming with Last-Event-ID after a drop) until the deployment finishes.
 */
export function DeploymentConsole({ id }: { id: number }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const deployment = useLoad(() => api<Deployment>(`/api/deploy/deployments/${id}`), [id]);
  const d = deployment.data;
  // the revision it runs (readable after the template was deleted)
  const template = useLoad(() => (d ? api<Template>(`/api/deploy/templates/${d.templateId}/revisions/${d.revision}`).catch(() => null)
    : Promise.resolve(null)), [d?.templateId, d?.revision]);
  const { error, act } = useAction(deployment.reload);
  const [selected, setSelected] = useState<string | null>(null);
  const [noteFor, setNoteFor] = useState<Control | null>(null);
  const [note, setNote] = useState('');
  const lines = useRef(new Map<string, Line[]>());
  const [history, setHistory] = useState<Change[]>([]);
  const [, setTick] = useState(0);

  // the stream: history first, then live; a status change reloads the deployment (at most every 300 ms)
  const reload = deployment.reload;
  useEffect(() => {
    lines.current = new Map();
    setHistory([]);
    let timer: ReturnType<typeof setTimeout> | null = null;
    const soon = () => {
      timer ??= setTimeout(() => { timer = null; reload(); }, 300);
    };
    const stop = stream(`/api/deploy/deployments/${id}/events`, (e) => {
      if (e.type === 'line') {
        const host = String(e.data.hostname);
        const kept = lines.current.get(host) ?? [];
        kept.push({ at: String(e.data.at), stream: String(e.data.stream), text: String(e.data.text) });
        if (kept.length > KEPT_LINES) kept.splice(0, kept.length - KEPT_LINES);
        lines.current.set(host, kept);
        setTick((n) => n + 1);
      } else if (e.type === 'status') {
        setHistory((h) => [...h, e.data as unknown as Change]);
        soon();
      }
    }, { done: async () => finished((await api<Deployment>(`/api/deploy/deployments/${id}`)).status) });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [id, reload]);

  const hosts = useMemo(() => (d?.batches ?? []).flatMap((b) => b.hosts.map((h) => ({ ...h, batch: b.index }))), [d]);
  useEffect(() => {
    if (!selected && hosts.length) {
      setSelected((hosts.find((h) => h.status === 'running' || h.status === 'failed') ?? hosts[0]).hostname);
    }
  }, [hosts, selected]);

  if (deployment.error) return <Problem error={deployment.error} />;
  if (!d) return <Card loading />;

  const control = (c: Control, body?: object) => act(async () => {
    const answer = await api<Deployment>(`/api/deploy/deployments/${id}/${c}`, { method: 'POST', body: JSON.stringify(body ?? {}) });
    if (c === 'rollback') navigate(`/deployments/${answer.id}`);
    return answer;
  }, t('deploy.done', { action: t(CONTROL_LABEL[c]) }));
  const hostAction = (host: string, action: 'retry' | 'skip') => act(
    () => api(`/api/deploy/deployments/${id}/hosts/${encodeURIComponent(host)}/${action}`, { method: 'POST' }),
    t('deploy.done', { action: t(action === 'retry' ? 'deploy.retry' : 'deploy.skip') }));
  const download = async (host: string) => {
    const response = await fetch(`/api/deploy/deployments/${id}/hosts/${encodeURIComponent(host)}/log`,
      { headers: { Authorization: `Bearer ${loadSession()?.accessToken ?? ''}` } });
    if (!response.ok) {
      message.error(`HTTP ${response.status}`);
      return;
    }
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = `deployment-${id}-${host}.log`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const buttons = controls(d.status).map((c) => {
    const danger = c === 'cancel' || c === 'reject' || c === 'rollback';
    const button = (onClick?: () => void) => (
      <Button key={c} danger={danger} type={c === 'resume' || c === 'approve' ? 'primary' : 'default'} onClick={onClick}
        data-testid={`control-${c}`}>{t(CONTROL_LABEL[c])}</Button>);
    if (c === 'resume' && resumeNeedsNote(d)) return button(() => { setNote(''); setNoteFor('resume'); });
    if (danger) {
      return <Popconfirm key={c} title={t('deploy.confirm', { action: t(CONTROL_LABEL[c]) })} onConfirm={() => control(c)}>{button()}</Popconfirm>;
    }
    return button(() => control(c));
  });

  const shown = selected ? lines.current.get(selected) ?? [] : [];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="deployment-console">
      <Card title={<Space>{`#${d.id} ${template.data?.name ?? `#${d.templateId}`}`}<StatusBadge status={d.status} testId="deployment-status" /></Space>}
        extra={<Space>{buttons}</Space>}>
        <Problem error={error} />
        <Descriptions size="small" column={3} style={{ marginTop: error ? 12 : 0 }} items={[
          { key: 'node', label: t('tree.node'), children: d.nodePath },
          { key: 'version', label: t('deploy.version'), children: d.version },
          { key: 'revision', label: t('deploy.revision'), children: d.revision },
          { key: 'by', label: t('deploy.requestedBy'), children: d.requestedBy },
          { key: 'started', label: t('deploy.started'), children: formatInstant(d.startedAt, lang) },
          { key: 'finished', label: t('deploy.finished'), children: formatInstant(d.finishedAt, lang) },
          { key: 'failures', label: t('deploy.maxFailures'), children: `${d.maxFailures} (${d.onFailure})` },
          { key: 'batch', label: t('deploy.batch'), children: `${Math.min(d.currentBatch + 1, d.batches?.length ?? 0)} / ${d.batches?.length ?? 0}` },
          ...(d.rollbackOf ? [{ key: 'rollback', label: t('deploy.rollback'), children: t('deploy.rollbackOf', { id: d.rollbackOf }) }] : []),
          ...(Object.keys(d.parameters ?? {}).length ? [{ key: 'params', label: t('deploy.parameters'),
            children: Object.entries(d.parameters).map(([k, v]) => `${k}=${v}`).join(', ') }] : []),
        ]} />
        {d.reason && <Typography.Paragraph type={d.status === 'failed' ? 'danger' : 'warning'} style={{ marginTop: 8, marginBottom: 0 }}
          data-testid="deployment-reason">{d.reason}</Typography.Paragraph>}
        {d.gate && <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('deploy.baking', { batch: d.gate.batch + 1, until: formatInstant(d.gate.until, lang) })}</Typography.Paragraph>}
      </Card>

      <Card title={t('deploy.batches')} size="small">
        <Table<DeploymentHost & { batch: number }> rowKey="hostname" size="small" dataSource={hosts} data-testid="deployment-hosts"
          pagination={hosts.length > HOSTS_PER_PAGE ? { pageSize: HOSTS_PER_PAGE, showSizeChanger: false } : false}
          rowClassName={(h) => (h.hostname === selected ? 'ant-table-row-selected' : '')}
          onRow={(h) => ({ onClick: () => setSelected(h.hostname), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('deploy.batch'), dataIndex: 'batch', width: 70, render: (b: number) => b + 1,
              // one cell per batch, unless the table is paged
              onCell: (h, i) => (hosts.length > HOSTS_PER_PAGE || i === undefined ? {} : {
                rowSpan: i > 0 && hosts[i - 1].batch === h.batch ? 0 : hosts.filter((x) => x.batch === h.batch).length }) },
            { title: t('assets.hostname'), dataIndex: 'hostname', render: (name: string, h) => (
              <Space size={4}>{name}{h.drained && <Tag color="orange">{t('deploy.drained')}</Tag>}</Space>) },
            { title: t('assets.idc'), dataIndex: 'idc' },
            { title: t('assets.status'), key: 'status', render: (_, h) => <StatusBadge status={h.status} testId={`host-status-${h.hostname}`} /> },
            { title: t('deploy.step'), key: 'step', render: (_, h) => (h.stepName ? `${h.step + 1}. ${h.stepName}` : '–') },
            { title: t('deploy.attempt'), dataIndex: 'attempt', width: 80 },
            { title: t('deploy.exitCode'), dataIndex: 'exitCode', width: 80 },
            { title: t('deploy.reason'), dataIndex: 'reason', ellipsis: true },
            { title: '', key: 'actions', align: 'right', render: (_, h) => (
              <Space size={4}>{hostControls(d.status, h.status).map((a) => (
                <Button key={a} size="small" type={a === 'retry' ? 'primary' : 'default'} data-testid={`host-${a}-${h.hostname}`}
                  onClick={(e) => { e.stopPropagation(); void hostAction(h.hostname, a); }}>{t(a === 'retry' ? 'deploy.retry' : 'deploy.skip')}</Button>))}
              </Space>) },
          ]} />
      </Card>

      <Card size="small" title={selected ? t('deploy.logOf', { host: selected }) : t('deploy.log')} data-testid="host-log-card"
        extra={selected && <Button size="small" onClick={() => download(selected)} data-testid="log-download">{t('deploy.download')}</Button>}>
        {shown.length === 0 ? <Empty description={t('deploy.noLines')} /> : (
          <LogView lines={shown} />
        )}
      </Card>

      <Card size="small" title={t('deploy.history')}>
        {history.length > SHOWN_CHANGES && <Typography.Paragraph type="secondary">{t('deploy.olderChanges', { count: history.length - SHOWN_CHANGES })}</Typography.Paragraph>}
        <Timeline data-testid="deployment-history" items={history.slice(-SHOWN_CHANGES).map((c, i) => ({
          key: i, color: c.status === 'failed' ? 'red' : c.status === 'succeeded' ? 'green' : 'blue',
          content: <span>{formatInstant(c.at, lang)} {c.hostname ? <b>{c.hostname}</b> : null} {c.status}
            {c.exitCode !== undefined && c.exitCode !== null ? ` (${c.exitCode})` : ''}{c.reason ? ` — ${c.reason}` : ''}</span>,
        }))} />
      </Card>

      <Modal open={noteFor !== null} title={t('deploy.noteTitle')} okButtonProps={{ disabled: !note.trim(), 'data-testid': 'note-ok' } as never}
        onCancel={() => setNoteFor(null)} onOk={async () => {
          const c = noteFor!;
          setNoteFor(null);
          await control(c, { note: note.trim() });
        }}>
        <Typography.Paragraph>{t('deploy.noteHelp')}</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid="note" />
      </Modal>
    </Space>
  );
}

/** The host's output, following its end while the user has not scrolled up. */
function LogView({ lines }: { lines: Line[] }) {
  const box = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);
  useEffect(() => {
    if (pinned.current && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines.length]);
  return (
    <pre ref={box} data-testid="host-log" onScroll={(e) => {
      const el = e.currentTarget;
      pinned.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
    }} style={{ maxHeight: 360, overflow: 'auto', background: '#141414', color: '#d9d9d9', padding: 12, margin: 0, fontSize: 12 }}>
      {lines.map((l, i) => (
        <div key={i} style={l.stream === 'stderr' ? { color: '#ff7875' } : undefined}>
          <span style={{ color: '#8c8c8c' }}>{l.at.slice(11, 19)} </span>{l.text}
        </div>
      ))}
    </pre>
  );
}
