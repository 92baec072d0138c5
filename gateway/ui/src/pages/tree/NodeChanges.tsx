import { Button, Card, Space, Table, Tag } from 'antd';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import type { Act, Change } from './types';

/** Changes waiting for review in the node's subtree: approve (applies them) or reject. */
export function NodeChanges({ changes, act }: { changes: Change[]; act: Act }) {
  const { t } = useI18n();
  return (
    <Card title={t('tree.pending')}>
      <Table<Change> rowKey="id" size="small" pagination={false} showHeader={false} dataSource={changes} locale={{ emptyText: t('tree.noPending') }}
        data-testid="pending-changes"
        columns={[
          { key: 'change', render: (_, c) => (
            <Space wrap>
              <Tag>{c.kind}</Tag>{c.nodePath}<span>{c.actor}</span>{c.reason && <i>{c.reason}</i>}
              {c.impact && <span>{t('tree.impact', { nodes: c.impact.subNodes, servers: c.impact.servers, urls: c.impact.urls })}</span>}
            </Space>) },
          { key: 'decide', align: 'right', render: (_, c) => (
            <Space>
              <Button size="small" type="primary" onClick={() => act(() => api(`/api/ptree/changes/${c.id}/approve`, { method: 'POST' }), t('tree.approved'))}>{t('tree.approve')}</Button>
              <Button size="small" onClick={() => act(() => api(`/api/ptree/changes/${c.id}/reject`, { method: 'POST' }), t('tree.rejected'))}>{t('tree.reject')}</Button>
            </Space>) },
        ]} />
    </Card>
  );
}
