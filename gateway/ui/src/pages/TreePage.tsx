import { useCallback, useEffect, useRef, useState } from 'react';
import { App as AntApp, Badge, Button, Card, Col, Descriptions, Empty, Input, Popconfirm, Row, Space, Table, Tabs, Tag, Tree } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { api } from '../lib/api';
import { useAction } from '../lib/actions';
import { useI18n } from '../lib/i18n';
import { follow } from '../lib/live';
import { ancestors, parentOf } from '../lib/tree';
import { Problem } from '../components/Problem';
import { NodeChanges } from './tree/NodeChanges';
import { NodeCharts } from './tree/NodeCharts';
import { NodeDeploy } from './tree/NodeDeploy';
import { NodeTimeline } from './tree/NodeTimeline';
import { firingUnder, SEVERITY_BADGE, useFiringSummary } from '../lib/alarms';
import { useTitle, useUrlState } from '../lib/url';
import { NodeRules } from './tree/NodeRules';
import { NodeServers } from './tree/NodeServers';
import { NodeUrls } from './tree/NodeUrls';
import { proposed, type BoundServer, type BoundUrl, type Change, type Node } from './tree/types';

function toData(node: Node): DataNode {
  return { key: node.path, title: node.path === '/' ? '/' : node.name };
}

/** The tree with {@code kids} hung under the node keyed {@code key}. */
function attach(list: DataNode[], key: string, kids: DataNode[]): DataNode[] {
  return list.map((n) => (n.key === key ? { ...n, children: kids, isLeaf: kids.length === 0 }
    : n.children ? { ...n, children: attach(n.children, key, kids) } : n));
}

/** The keys whose children are loaded (the tree asks for the others when they open). */
function loadedKeys(list: DataNode[]): string[] {
  return list.flatMap((n) => (n.children ? [String(n.key), ...loadedKeys(n.children)] : []));
}

/** The service tree: browse (lazily), search, see what a node holds, change it; updates itself live. */
export function TreePage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const alarms = useFiringSummary();
  // the node shown and its tab are in the URL (?path=&tab=): a link opens the same view
  const [linkedPath, setLinkedPath] = useUrlState('path', '');
  const [tab, setTab] = useUrlState('tab', 'servers');
  const [roots, setRoots] = useState<DataNode[]>([]);
  const [selected, setSelected] = useState<Node | null>(null);
  const [details, setDetails] = useState<{ servers: BoundServer[]; urls: BoundUrl[]; changes: Change[] } | null>(null);
  const { error, setError, act: run } = useAction(() => setVersion((v) => v + 1));
  const [name, setName] = useState('');
  const [rename, setRename] = useState('');
  const [parent, setParent] = useState('');
  const [version, setVersion] = useState(0);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [found, setFound] = useState<{ path: string; server?: string }[] | null>(null);

  const children = useCallback(async (path: string): Promise<DataNode[]> => {
    const node = await api<Node>(`/api/ptree/tree?path=${encodeURIComponent(path)}&depth=1`);
    return (node.children ?? []).map(toData);
  }, []);

  // (re)load the top level and every open branch whenever the tree changes; branches gone since are dropped
  useEffect(() => {
    let live = true;
    (async () => {
      const open = [...expanded].sort((a, b) => a.split('/').length - b.split('/').length);
      const branches = await Promise.all(open.map((key) => children(key).catch(() => null)));
      let tree = await children('/');
      open.forEach((key, i) => {
        const kids = branches[i];
        if (kids) tree = attach(tree, key, kids);
      });
      if (live) setRoots(tree);
    })().catch(setError);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [children, version]);

  const shownKey = useRef('');
  const linkedPathRef = useRef(linkedPath);
  const select = useCallback(async (path: string) => {
    setError(null);
    try {
      const node = await api<Node>(`/api/ptree/nodes?path=${encodeURIComponent(path)}`);
      const [servers, urls, changes] = await Promise.all([
        api<BoundServer[]>(`/api/ptree/nodes/${node.id}/servers?recursive=true`),
        api<BoundUrl[]>(`/api/ptree/nodes/${node.id}/urls?recursive=true`),
        api<{ items: Change[] }>(`/api/ptree/changes?nodePath=${encodeURIComponent(path)}&status=pending`),
      ]);
      // the rename and move inputs start from the node's name and parent when another node is shown
      if (shownKey.current !== `${node.id} ${node.path}`) {
        shownKey.current = `${node.id} ${node.path}`;
        setRename(node.name);
        setParent(parentOf(node.path));
      }
      setSelected(node);
      setDetails({ servers, urls, changes: changes.items });
      // another node shown is a new place in the history; the same one reloaded (after an action) changes nothing —
      // not even the URL, which may already be another page's (an action that navigated, such as starting a deployment)
      if (node.path !== linkedPathRef.current) {
        linkedPathRef.current = node.path;
        setLinkedPath(node.path, true);
      }
    } catch (e) {
      setError(e);
    }
  }, []);

  // another user's change (or ours) arrives as an event: reload what is shown; a deleted or renamed
  // selection follows to its parent or new path
  const relocated = useRef(new Map<string, string>());
  useEffect(() => follow('/', (event) => {
    const path = String(event.data.nodePath);
    if (event.type === 'node-deleted') {
      relocated.current.set(path, parentOf(path));
    } else if (event.type === 'node-renamed' || event.type === 'node-moved') {
      relocated.current.set(String(event.data.oldPath), path);
    }
    setVersion((v) => v + 1);
  }), []);
  // the node to show after the next reload, when it is not the selected one (a search hit, a renamed node)
  const target = useRef<string | null>(null);
  useEffect(() => {
    let path = target.current ?? selected?.path;
    target.current = null;
    for (let hops = 0; path && relocated.current.has(path) && hops < 10; hops++) path = relocated.current.get(path);
    relocated.current.clear();
    if (path && version > 0) {
      void select(path);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);

  // a change by someone without node.manage comes back as a pending change: say so instead of "done"
  const act = (call: () => Promise<unknown>, done: string) => run(call, (answer) => {
    if (proposed(answer)) message.info(t('tree.proposed'));
    else message.success(done);
  });

  /** Opens the branches down to a node and shows it (with the tree reloaded once). */
  const show = (path: string) => {
    target.current = path;
    setExpanded((open) => [...new Set([...open, ...ancestors(path)])]);
    setVersion((v) => v + 1);
  };

  // a linked node (the URL's ?path=, on opening the page or going back and forward) is shown
  useEffect(() => {
    if (linkedPath && linkedPath !== selected?.path) {
      linkedPathRef.current = linkedPath;
      show(linkedPath);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [linkedPath]);
  useTitle(selected?.path, t('nav.tree'));

  // a path opens that node; other text finds nodes by name and the nodes a server (by hostname) is bound to
  const search = async (text: string) => {
    const query = text.trim();
    setFound(null);
    if (!query) return;
    if (query.startsWith('/')) {
      show(query);
      return;
    }
    try {
      const hostname = /^[a-z0-9.-]+$/.test(query)
        ? api<{ path: string }[]>(`/api/ptree/servers/${encodeURIComponent(query)}/nodes`).catch(() => [])
        : Promise.resolve([]);
      const [byName, byHost] = await Promise.all([
        api<Node[]>(`/api/ptree/nodes/search?q=${encodeURIComponent(query)}&limit=20`), hostname]);
      const hits = [...byHost.map((n) => ({ path: n.path, server: query })), ...byName.map((n) => ({ path: n.path, server: undefined }))];
      if (hits.length === 1) show(hits[0].path);
      else setFound(hits);
    } catch (e) {
      setError(e);
    }
  };

  const loadData = async (node: DataNode) => {
    const kids = await children(String(node.key));
    setRoots((r) => attach(r, String(node.key), kids));
  };

  const patch = (body: object, done: string) => act(async () => {
    const answer = await api<Node>(`/api/ptree/nodes/${selected!.id}`, { method: 'PATCH', body: JSON.stringify(body) });
    if (!proposed(answer)) target.current = answer.path;
    return answer;
  }, done);

  return (
    <Row gutter={16}>
      <Col xs={24} md={7}>
        <Card title={t('nav.tree')}>
          <Input.Search placeholder={t('tree.search')} onSearch={search} allowClear data-testid="tree-search" style={{ marginBottom: 12 }} />
          {found && (
            <Table<{ path: string; server?: string }> rowKey={(f) => `${f.server ?? ''} ${f.path}`} size="small" showHeader={false}
              pagination={false} dataSource={found} locale={{ emptyText: t('tree.nothingFound') }} style={{ marginBottom: 12 }}
              data-testid="tree-found" onRow={(f) => ({ onClick: () => show(f.path), style: { cursor: 'pointer' } })}
              columns={[{ key: 'path', render: (_, f) => <>{f.path} {f.server && <Tag>{f.server}</Tag>}</> }]} />
          )}
          <Tree treeData={roots} loadData={loadData} titleRender={(n) => {
            const firing = firingUnder(alarms, String(n.key));
            return <><span>{n.title as string}</span>{firing.count > 0 && <Badge count={firing.count} size="small" color={SEVERITY_BADGE[firing.severity ?? 'info']}
              style={{ marginLeft: 6 }} data-testid={`tree-alarms-${String(n.key)}`} />}</>;
          }} expandedKeys={expanded} loadedKeys={loadedKeys(roots)} onExpand={(keys) => setExpanded(keys.map(String))} onSelect={(keys) => keys[0] && select(String(keys[0]))}
            selectedKeys={selected ? [selected.path] : []} data-testid="tree" />
        </Card>
      </Col>
      <Col xs={24} md={17}>
        <Problem error={error} />
        {!selected || !details ? <Empty description={t('tree.pick')} style={{ marginTop: 48 }} /> : (
          <Space orientation="vertical" style={{ width: '100%', marginTop: error ? 12 : 0 }} size="middle">
            <Card title={selected.path} data-testid="node-details" extra={
              <Popconfirm title={t('tree.deleteConfirm')} onConfirm={() => act(async () => {
                const answer = await api(`/api/ptree/nodes/${selected.id}`, { method: 'DELETE' });
                if (!proposed(answer)) target.current = parentOf(selected.path);
                return answer;
              }, t('tree.deleted'))}>
                <Button danger data-testid="delete-node" disabled={selected.path === '/'}>{t('tree.delete')}</Button>
              </Popconfirm>}>
              <Descriptions size="small" column={3} items={[
                { key: 'type', label: t('tree.type'), children: selected.type },
                { key: 'id', label: 'id', children: selected.id },
                { key: 'servers', label: t('tree.serverCount'), children: details.servers.length },
              ]} />
              <Space wrap style={{ marginTop: 12 }}>
                <Space.Compact>
                  <Input placeholder={t('tree.childName')} value={name} onChange={(e) => setName(e.target.value)} data-testid="child-name" />
                  <Button type="primary" data-testid="create-child" disabled={!name.trim()} onClick={async () => {
                    if (await act(() => api('/api/ptree/nodes', { method: 'POST', body: JSON.stringify({ parentPath: selected.path, name: name.trim() }) }),
                      t('tree.created'))) {
                      setName('');
                      setExpanded((open) => [...new Set([...open, ...ancestors(selected.path), selected.path])]);
                    }
                  }}>{t('tree.create')}</Button>
                </Space.Compact>
                {selected.path !== '/' && (
                  <>
                    <Space.Compact>
                      <Input value={rename} onChange={(e) => setRename(e.target.value)} data-testid="rename-input" style={{ width: 160 }} />
                      <Button disabled={!rename.trim() || rename.trim() === selected.name} onClick={() => patch({ name: rename.trim() }, t('tree.renamed'))}
                        data-testid="rename">{t('tree.rename')}</Button>
                    </Space.Compact>
                    <Space.Compact>
                      <Input value={parent} onChange={(e) => setParent(e.target.value)} prefix={t('tree.parent')} style={{ width: 240 }} data-testid="move-input" />
                      <Button onClick={() => patch({ parentPath: parent.trim() }, t('tree.moved'))} data-testid="move">{t('tree.move')}</Button>
                    </Space.Compact>
                  </>
                )}
              </Space>
            </Card>
            <Tabs destroyOnHidden activeKey={tab} onChange={(key) => setTab(key, true)} items={[
              { key: 'servers', label: t('tree.tabServers'), children: (
                <Space orientation="vertical" style={{ width: '100%' }} size="middle">
                  <NodeServers node={selected} servers={details.servers} act={act} />
                  <NodeUrls node={selected} urls={details.urls} act={act} />
                </Space>) },
              { key: 'charts', label: <span data-testid="tab-charts">{t('tree.performance')}</span>,
                children: <NodeCharts node={selected} servers={details.servers} urls={details.urls} /> },
              { key: 'deploy', label: <span data-testid="tab-deploy">{t('deploy.tab')}</span>, children: <NodeDeploy node={selected} act={act} /> },
              { key: 'rules', label: <span data-testid="tab-rules">{t('rules.title')}</span>, children: <NodeRules node={selected} act={act} /> },
              { key: 'timeline', label: <span data-testid="tab-timeline">{t('timeline.tab')}</span>, children: <NodeTimeline node={selected} /> },
              { key: 'changes', label: <Badge count={details.changes.length} size="small" offset={[8, 0]}>{t('tree.pending')}</Badge>,
                children: <NodeChanges changes={details.changes} act={act} /> },
            ]} />
          </Space>
        )}
      </Col>
    </Row>
  );
}
