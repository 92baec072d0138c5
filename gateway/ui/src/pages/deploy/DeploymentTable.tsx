import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Input, Select, Space, Table, Tag } from 'antd';
import { api, type Page } from '../../lib/api';
import { DEPLOYMENT_STATUSES, formatInstant, STATUS_COLOR, type Deployment } from '../../lib/deploy';
import { useI18n } from '../../lib/i18n';
import { follow } from '../../lib/live';
import { useLoad } from '../../lib/load';
import { Problem } from '../../components/Problem';

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return <Tag color={STATUS_COLOR[status] ?? 'default'} data-testid={testId}>{status}</Tag>;
}

/**
 * Deployments newest first: a node's history (its subtree) or, with `filters`, any node's; reloads when
 * a deployment event of that subtree arrives.
 */
export function DeploymentTable({ nodePath, filters = false, templates }: {
  nodePath: string; filters?: boolean; templates?: Map<number, string>;
}) {
  const { t, lang } = useI18n();
  const [path, setPath] = useState(nodePath);
  const [status, setStatus] = useState<string | undefined>();
  const [page, setPage] = useState(0);
  const list = useLoad(() => api<Page<Deployment>>(`/api/deploy/deployments?nodePath=${encodeURIComponent(path || '/')}&page=${page}&size=20`
    + (status ? `&status=${status}` : '')), [path, status, page]);
  // a template deleted since (or not passed in) is named by the revision the deployment pinned
  const [pinned, setPinned] = useState(new Map<number, string>());
  useEffect(() => {
    const missing = [...new Map((list.data?.items ?? []).filter((d) => !templates?.has(d.templateId) && !pinned.has(d.templateId))
      .map((d) => [d.templateId, d.revision])).entries()];
    if (!missing.length) return;
    void Promise.all(missing.map(([id, revision]) => api<{ name: string }>(`/api/deploy/templates/${id}/revisions/${revision}`)
      .then((r) => [id, r.name] as const, () => [id, `#${id}`] as const)))
      .then((names) => setPinned((m) => new Map([...m, ...names])));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [list.data, templates]);
  const reload = list.reload;
  useEffect(() => follow(path || '/', (e) => {
    if (e.type.startsWith('deployment-')) reload();
  }), [path, reload]);

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {filters && (
        <Space wrap>
          <Input.Search defaultValue={nodePath} placeholder={t('deploy.nodeFilter')} onSearch={(v) => { setPage(0); setPath(v.trim() || '/'); }}
            style={{ width: 280 }} data-testid="deployments-node" />
          <Select allowClear placeholder={t('assets.status')} style={{ width: 200 }} value={status} data-testid="deployments-status"
            onChange={(v) => { setPage(0); setStatus(v); }} options={DEPLOYMENT_STATUSES.map((s) => ({ value: s, label: s }))} />
        </Space>
      )}
      <Problem error={list.error} />
      <Table<Deployment> rowKey="id" size="small" loading={list.loading && !list.data} dataSource={list.data?.items ?? []}
        data-testid="deployments" locale={{ emptyText: t('deploy.noDeployments') }}
        pagination={{ current: page + 1, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => setPage(p - 1), showSizeChanger: false }}
        columns={[
          { title: '#', dataIndex: 'id', width: 70, render: (id: number) => <Link to={`/deployments/${id}`} data-testid={`deployment-${id}`}>#{id}</Link> },
          { title: t('deploy.template'), key: 'template', render: (_, d) => templates?.get(d.templateId) ?? pinned.get(d.templateId) ?? `#${d.templateId}` },
          { title: t('tree.node'), dataIndex: 'nodePath' },
          { title: t('deploy.version'), dataIndex: 'version' },
          { title: t('assets.status'), key: 'status', render: (_, d) => (
            <Space size={4}><StatusBadge status={d.status} />{d.rollbackOf && <Tag>{t('deploy.rollbackOf', { id: d.rollbackOf })}</Tag>}</Space>) },
          { title: t('deploy.reason'), dataIndex: 'reason', ellipsis: true },
          { title: t('deploy.requestedBy'), dataIndex: 'requestedBy' },
          { title: t('deploy.created'), dataIndex: 'createdAt', render: (at: string) => formatInstant(at, lang) },
        ]} />
    </Space>
  );
}
