import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Col, Descriptions, Empty, Input, List, Popconfirm, Row, Space, Table, Tag, Tree, message } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { api } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { follow } from '../lib/live';
import { Problem } from '../components/Problem';

interface Node { id: number; name: string; path: string; type: string; children?: Node[] }
interface Server { hostname: string; trafficRatio: number; offline: boolean; nodePath: string }
interface Url { id: string; domain: string; path: string; nodePath: string }
interface Change { id: number; kind: string; nodePath: string; actor: string; status: string; reason?: string;
  impact?: { subNodes: number; servers: number; urls: number } }

function toData(node: Node): DataNode {
  return { key: node.path, title: node.path === '/' ? '/' : node.name };
}

/** The service tree: browse (lazily), search, see what a node holds, change it; updates itself live. */
export function TreePage() {
  const { t } = useI18n();
  const [roots, setRoots] = useState<DataNode[]>([]);
  const [selected, setSelected] = useState<Node | null>(null);
  const [details, setDetails] = useState<{ servers: Server[]; urls: Url[]; changes: Change[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [version, setVersion] = useState(0);

  const children = useCallback(async (path: string): Promise<DataNode[]> => {
    const node = await api<Node>(`/api/ptree/tree?path=${encodeURIComponent(path)}&depth=1`);
    return (node.children ?? []).map(toData);
  }, []);

  // (re)load the top level, and the open branches, whenever the tree changes
  useEffect(() => {
    children('/').then(setRoots, setError);
  }, [children, version]);

  const select = useCallback(async (path: string) => {
    setError(null);
    try {
      const node = await api<Node>(`/api/ptree/nodes?path=${encodeURIComponent(path)}`);
      const [servers, urls, changes] = await Promise.all([
        api<Server[]>(`/api/ptree/nodes/${node.id}/servers?recursive=true`),
        api<Url[]>(`/api/ptree/nodes/${node.id}/urls?recursive=true`),
        api<{ items: Change[] }>(`/api/ptree/changes?nodePath=${encodeURIComponent(path)}&status=pending`),
      ]);
      setSelected(node);
      setDetails({ servers, urls, changes: changes.items });
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => follow('/', () => setVersion((v) => v + 1)), []);
  useEffect(() => {
    if (selected && version > 0) {
      void select(selected.path);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);

  const act = async (call: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await call();
      message.success(done);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    }
  };

  const search = async (text: string) => {
    const query = text.trim();
    if (!query) return;
    if (query.startsWith('/')) {
      await select(query);
    } else {
      try {
        const nodes = await api<{ id: number; path: string }[]>(`/api/ptree/servers/${encodeURIComponent(query)}/nodes`);
        if (nodes.length) await select(nodes[0].path);
        else setError(new Error(`${query}: ${t('tree.notBound')}`));
      } catch (e) {
        setError(e);
      }
    }
  };

  const loadData = async (node: DataNode) => {
    const kids = await children(String(node.key));
    const attach = (list: DataNode[]): DataNode[] => list.map((n) => (n.key === node.key ? { ...n, children: kids, isLeaf: kids.length === 0 }
      : n.children ? { ...n, children: attach(n.children) } : n));
    setRoots((r) => attach(r));
  };

  return (
    <Row gutter={16}>
      <Col xs={24} md={8}>
        <Card title={t('nav.tree')}>
          <Input.Search placeholder={t('tree.search')} onSearch={search} allowClear data-testid="tree-search" style={{ marginBottom: 12 }} />
          <Tree key={version} treeData={roots} loadData={loadData} onSelect={(keys) => keys[0] && select(String(keys[0]))}
            data-testid="tree" />
        </Card>
      </Col>
      <Col xs={24} md={16}>
        <Problem error={error} />
        {!selected ? <Empty description={t('tree.pick')} /> : (
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Card title={selected.path} data-testid="node-details" extra={
              <Popconfirm title={t('tree.deleteConfirm')} onConfirm={() => act(() => api(`/api/ptree/nodes/${selected.id}`, { method: 'DELETE' }), t('tree.deleted'))}>
                <Button danger data-testid="delete-node">{t('tree.delete')}</Button>
              </Popconfirm>}>
              <Descriptions size="small" column={2} items={[
                { key: 'type', label: t('tree.type'), children: selected.type },
                { key: 'id', label: 'id', children: selected.id },
              ]} />
              <Space.Compact style={{ marginTop: 12 }}>
                <Input placeholder={t('tree.childName')} value={name} onChange={(e) => setName(e.target.value)} data-testid="child-name" />
                <Button type="primary" data-testid="create-child" onClick={() => act(() => api('/api/ptree/nodes', {
                  method: 'POST', body: JSON.stringify({ parentPath: selected.path, name }),
                }).then(() => setName('')), t('tree.created'))}>{t('tree.create')}</Button>
              </Space.Compact>
            </Card>
            <Card title={t('tree.servers')}>
              <Table<Server> rowKey={(s) => `${s.nodePath} ${s.hostname}`} size="small" pagination={false} dataSource={details?.servers ?? []}
                locale={{ emptyText: t('tree.noServers') }}
                columns={[{ title: 'Hostname', dataIndex: 'hostname' }, { title: t('tree.node'), dataIndex: 'nodePath' },
                  { title: t('tree.ratio'), dataIndex: 'trafficRatio' },
                  { title: t('tree.offline'), dataIndex: 'offline', render: (v: boolean) => (v ? <Tag color="red">offline</Tag> : null) }]} />
            </Card>
            <Card title={t('tree.urls')}>
              <List size="small" dataSource={details?.urls ?? []} locale={{ emptyText: t('empty.noUrls') }}
                renderItem={(u) => <List.Item>{u.domain}{u.path} <Tag>{u.nodePath}</Tag></List.Item>} />
            </Card>
            <Card title={t('tree.pending')}>
              <List size="small" dataSource={details?.changes ?? []} locale={{ emptyText: t('tree.noPending') }}
                renderItem={(c) => (
                  <List.Item actions={[
                    <Button key="a" size="small" type="primary" onClick={() => act(() => api(`/api/ptree/changes/${c.id}/approve`, { method: 'POST' }), t('tree.approved'))}>{t('tree.approve')}</Button>,
                    <Button key="r" size="small" onClick={() => act(() => api(`/api/ptree/changes/${c.id}/reject`, { method: 'POST' }), t('tree.rejected'))}>{t('tree.reject')}</Button>,
                  ]}>
                    <Space wrap>
                      <Tag>{c.kind}</Tag>{c.nodePath}<span>{c.actor}</span>{c.reason && <i>{c.reason}</i>}
                      {c.impact && <span>{t('tree.impact', { nodes: c.impact.subNodes, servers: c.impact.servers, urls: c.impact.urls })}</span>}
                    </Space>
                  </List.Item>
                )} />
            </Card>
          </Space>
        )}
      </Col>
    </Row>
  );
}
