import { Button, Card, Form, Input, Popconfirm, Space, Table, Tag } from 'antd';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import type { Act, BoundUrl, Node } from './types';

/** The URLs bound to a node and below (they drive its availability); bind and unbind on the node itself. */
export function NodeUrls({ node, urls, act }: { node: Node; urls: BoundUrl[]; act: Act }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ domain: string; path: string }>();
  const base = `/api/ptree/nodes/${node.id}/urls`;
  return (
    <Card title={t('tree.urls')} extra={
      <Form form={form} layout="inline" onFinish={async (v) => {
        if (await act(() => api(base, { method: 'POST', body: JSON.stringify({ domain: v.domain.trim(), path: v.path?.trim() || '/' }) }), t('tree.urlBound'))) {
          form.resetFields();
        }
      }}>
        <Space.Compact>
          <Form.Item name="domain" noStyle rules={[{ required: true }]}><Input placeholder="www.example.com" style={{ width: 200 }} /></Form.Item>
          <Form.Item name="path" noStyle><Input placeholder="/" style={{ width: 120 }} /></Form.Item>
          <Button htmlType="submit">{t('tree.bind')}</Button>
        </Space.Compact>
      </Form>}>
      <Table<BoundUrl> rowKey="id" size="small" pagination={false} showHeader={false} dataSource={urls} locale={{ emptyText: t('tree.noUrls') }}
        data-testid="node-urls"
        columns={[
          { key: 'url', render: (_, u) => <>{u.domain}{u.path} {u.nodePath !== node.path && <Tag>{u.nodePath}</Tag>}</> },
          { key: 'unbind', align: 'right', render: (_, u) => u.nodePath === node.path && (
            <Popconfirm title={t('tree.unbindConfirm', { hostname: u.domain + u.path })}
              onConfirm={() => act(() => api(`${base}/${u.id}`, { method: 'DELETE' }), t('tree.unbound', { hostname: u.domain + u.path }))}>
              <a>{t('tree.unbind')}</a>
            </Popconfirm>) },
        ]} />
    </Card>
  );
}
