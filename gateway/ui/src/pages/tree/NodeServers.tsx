import { useState } from 'react';
import { Button, Card, InputNumber, Popconfirm, Select, Space, Switch, Table, Tag } from 'antd';
import { api, type Page } from '../../lib/api';
import { useDebounced } from '../../lib/load';
import { useI18n } from '../../lib/i18n';
import type { Act, BoundServer, Node } from './types';

const NONE: string[] = [];

/** Hostnames from the asset inventory matching what the user types. */
function useHostnames(q: string): string[] {
  return useDebounced(() => api<Page<{ hostname: string }>>(`/api/asset/servers?q=${encodeURIComponent(q)}&size=20`)
    .then((p) => p.items.map((s) => s.hostname)), [q], NONE);
}

/** The servers of a node and below: traffic ratio, offline flag, bind and unbind (on the node itself). */
export function NodeServers({ node, servers, act }: { node: Node; servers: BoundServer[]; act: Act }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const options = useHostnames(q);
  const base = `/api/ptree/nodes/${node.id}/servers`;
  const patch = (s: BoundServer, body: object) => act(() => api(`${base}/${encodeURIComponent(s.hostname)}`, { method: 'PATCH', body: JSON.stringify(body) }),
    t('tree.serverUpdated', { hostname: s.hostname }));

  return (
    <Card title={t('tree.servers')} extra={
      <Space.Compact>
        <Select mode="multiple" showSearch={{ filterOption: false, onSearch: setQ }} value={chosen} onChange={setChosen} style={{ minWidth: 280 }}
          placeholder={t('tree.bindPlaceholder')} options={options.map((h) => ({ value: h, label: h }))} data-testid="bind-hostnames" />
        <Button type="primary" disabled={!chosen.length} data-testid="bind-servers" onClick={async () => {
          if (await act(() => api(base, { method: 'POST', body: JSON.stringify({ hostnames: chosen }) }), t('tree.bound', { count: chosen.length }))) {
            setChosen([]);
          }
        }}>{t('tree.bind')}</Button>
      </Space.Compact>}>
      <Table<BoundServer> rowKey={(s) => `${s.nodePath} ${s.hostname}`} size="small" pagination={false} dataSource={servers}
        locale={{ emptyText: t('tree.noServers') }} data-testid="node-servers"
        columns={[
          { title: t('assets.hostname'), dataIndex: 'hostname' },
          { title: t('tree.node'), dataIndex: 'nodePath', render: (v: string) => (v === node.path ? v : <Tag>{v}</Tag>) },
          { title: t('tree.ratio'), dataIndex: 'trafficRatio', render: (v: number, s) => (s.nodePath === node.path
            ? <InputNumber size="small" min={0} max={1} step={0.05} defaultValue={v} onBlur={(e) => {
              const next = Number(e.target.value);
              if (!Number.isNaN(next) && next !== v) void patch(s, { trafficRatio: next });
            }} /> : v) },
          { title: t('tree.offline'), dataIndex: 'offline', render: (v: boolean, s) => (s.nodePath === node.path
            ? <Switch size="small" checked={v} onChange={(offline) => patch(s, { offline })} /> : (v ? <Tag color="red">offline</Tag> : null)) },
          { title: '', key: 'unbind', render: (_, s) => s.nodePath === node.path && (
            <Popconfirm title={t('tree.unbindConfirm', { hostname: s.hostname })}
              onConfirm={() => act(() => api(`${base}/${encodeURIComponent(s.hostname)}`, { method: 'DELETE' }), t('tree.unbound', { hostname: s.hostname }))}>
              <a data-testid={`unbind-${s.hostname}`}>{t('tree.unbind')}</a>
            </Popconfirm>) },
        ]} />
    </Card>
  );
}
