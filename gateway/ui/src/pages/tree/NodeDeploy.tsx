import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Card, Popconfirm, Space, Table, Tag } from 'antd';
import { api, type Page } from '../../lib/api';
import { formatInstant, type Template } from '../../lib/deploy';
import { useI18n } from '../../lib/i18n';
import { useLoad } from '../../lib/load';
import { Problem } from '../../components/Problem';
import { DeploymentTable } from '../deploy/DeploymentTable';
import { StartDeployment } from '../deploy/StartDeployment';
import { TemplateEditor } from '../deploy/TemplateEditor';
import type { Act, Node } from './types';

/** A node's deploy tab: the templates of the node and below (edit, delete, deploy) and its deployment history. */
export function NodeDeploy({ node, act }: { node: Node; act: Act }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const templates = useLoad(() => api<Page<Template>>(`/api/deploy/templates?nodePath=${encodeURIComponent(node.path)}&size=500`), [node.path]);
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  const [starting, setStarting] = useState<Template | null>(null);
  const names = new Map((templates.data?.items ?? []).map((tpl) => [tpl.id, tpl.name]));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card title={t('deploy.templates')} extra={<Button type="primary" onClick={() => setEditing('new')} data-testid="template-new">{t('deploy.newTemplate')}</Button>}>
        <Problem error={templates.error} />
        <Table<Template> rowKey="id" size="small" pagination={false} dataSource={templates.data?.items ?? []} loading={templates.loading}
          locale={{ emptyText: t('deploy.noTemplates') }} data-testid="templates"
          columns={[
            { title: t('deploy.name'), dataIndex: 'name', render: (name: string, tpl) => (
              <Space size={4}>{name}{tpl.requireApproval && <Tag color="purple">{t('deploy.requireApproval')}</Tag>}
                {tpl.gate && <Tag color="blue">{t('deploy.gate')} {tpl.gate.minAvailability}%</Tag>}{tpl.drain && <Tag color="orange">{t('deploy.drain')}</Tag>}</Space>) },
            { title: t('tree.type'), dataIndex: 'type', width: 80 },
            { title: t('tree.node'), dataIndex: 'nodePath' },
            { title: t('deploy.ramp'), key: 'ramp', render: (_, tpl) => tpl.batch?.ramp ?? tpl.batch?.size ?? 1 },
            { title: t('deploy.revision'), dataIndex: 'revision', width: 80 },
            { title: t('deploy.saved'), key: 'saved', render: (_, tpl) => `${tpl.updatedBy ?? tpl.createdBy} · ${formatInstant(tpl.updatedAt ?? tpl.createdAt, lang)}` },
            { title: '', key: 'actions', align: 'right', render: (_, tpl) => (
              <Space size={4}>
                <Button size="small" type="primary" onClick={() => setStarting(tpl)} data-testid={`deploy-${tpl.name}`}>{t('deploy.deploy')}</Button>
                <Button size="small" onClick={() => setEditing(tpl)} data-testid={`edit-${tpl.name}`}>{t('deploy.edit')}</Button>
                <Popconfirm title={t('deploy.deleteConfirm')} onConfirm={async () => {
                  if (await act(() => api(`/api/deploy/templates/${tpl.id}`, { method: 'DELETE' }), t('tree.deleted'))) templates.reload();
                }}><Button size="small" danger>{t('tree.delete')}</Button></Popconfirm>
              </Space>) },
          ]} />
      </Card>
      <Card title={t('deploy.history')}>
        <DeploymentTable nodePath={node.path} templates={names} />
      </Card>
      {editing && <TemplateEditor template={editing} nodePath={node.path} onClose={() => setEditing(null)}
        onSaved={() => { setEditing(null); templates.reload(); }} />}
      {starting && <StartDeployment template={starting} onClose={() => setStarting(null)} onStarted={(d) => navigate(`/deployments/${d.id}`)} />}
    </Space>
  );
}
