import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Form, Input, Modal, Popconfirm, Segmented, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { api, type Page } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { useTitle } from '../lib/url';
import { useAction } from '../lib/actions';
import { useLoad } from '../lib/load';
import { formatTime } from '../lib/figures';
import { Problem } from '../components/Problem';

interface Me { username: string; displayName: string; admin: boolean; subject: string }
interface Grant { id: number; subject: string; nodePath: string; privilege: string; grantedBy: string; createdAt: string }
interface Petition { id: number; subject: string; nodePath: string; privilege: string; reason: string; status: string; decidedBy: string | null; createdAt: string }
interface Token { id: number; name: string; hint: string; expiresAt: string | null; revokedAt: string | null; lastUsedAt: string | null; createdAt: string }
interface CreatedToken { id: number; name: string; token: string; expiresAt: string | null }

export const PRIVILEGES = ['node.manage', 'server.manage', 'deploy.template', 'deploy.run', 'monitor.manage', 'alarm.manage', 'asset.manage', 'grant.manage'];

function when(value: string | null, lang: string): string {
  return value ? formatTime(Date.parse(value), lang) : '–';
}

function Grants({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const grants = useLoad(() => api<Page<Grant>>(`/api/auth/grants?subject=${encodeURIComponent(me.subject)}&size=500`), [me.subject]);
  return (
    <>
      {me.admin && <Alert type="info" showIcon title={t('priv.admin')} style={{ marginBottom: 12 }} />}
      <Problem error={grants.error} />
      <Table<Grant> rowKey="id" size="small" loading={grants.loading} dataSource={grants.data?.items ?? []} pagination={false}
        locale={{ emptyText: t('priv.noGrants') }} data-testid="grants"
        columns={[
          { title: t('priv.node'), dataIndex: 'nodePath' },
          { title: t('priv.privilege'), dataIndex: 'privilege', render: (v: string) => <Tag>{v}</Tag> },
          { title: t('priv.grantedBy'), dataIndex: 'grantedBy' },
          { title: t('priv.since'), dataIndex: 'createdAt', render: (v: string) => when(v, lang) },
        ]} />
    </>
  );
}

function Petitions({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState('pending');
  const [form] = Form.useForm<{ nodePath: string; privilege: string; reason: string }>();
  const petitions = useLoad(() => api<Page<Petition>>(`/api/auth/petitions?status=${status}`), [status]);
  const { error, act } = useAction(petitions.reload);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('priv.ask')}>
        <Form form={form} layout="inline" style={{ rowGap: 8 }} onFinish={(v) => act(async () => {
          await api('/api/auth/petitions', { method: 'POST', body: JSON.stringify(v) });
          form.resetFields();
        }, t('priv.asked'))}>
          <Form.Item name="nodePath" rules={[{ required: true }]}><Input placeholder="/corp/search" style={{ width: 220 }} data-testid="petition-node" /></Form.Item>
          <Form.Item name="privilege" rules={[{ required: true }]}>
            <Select placeholder={t('priv.privilege')} style={{ width: 180 }} options={PRIVILEGES.map((p) => ({ value: p, label: p }))} data-testid="petition-privilege" />
          </Form.Item>
          <Form.Item name="reason" rules={[{ required: true }]}><Input placeholder={t('priv.reason')} style={{ width: 320 }} data-testid="petition-reason" /></Form.Item>
          <Form.Item><Button type="primary" htmlType="submit" data-testid="petition-ask">{t('priv.askButton')}</Button></Form.Item>
        </Form>
      </Card>
      <Segmented value={status} onChange={(v) => setStatus(String(v))}
        options={['pending', 'approved', 'rejected'].map((s) => ({ value: s, label: t(`priv.${s}` as 'priv.pending') }))} />
      <Problem error={error ?? petitions.error} />
      <Table<Petition> rowKey="id" size="small" loading={petitions.loading} dataSource={petitions.data?.items ?? []} pagination={false}
        locale={{ emptyText: t('priv.noPetitions') }} data-testid="petitions"
        columns={[
          { title: t('priv.subject'), dataIndex: 'subject' },
          { title: t('priv.node'), dataIndex: 'nodePath' },
          { title: t('priv.privilege'), dataIndex: 'privilege', render: (v: string) => <Tag>{v}</Tag> },
          { title: t('priv.reason'), dataIndex: 'reason' },
          { title: t('priv.asked'), dataIndex: 'createdAt', render: (v: string) => when(v, lang) },
          { title: '', key: 'decide', render: (_, p) => (p.status === 'pending' && p.subject !== me.subject ? (
            <Space>
              <Button size="small" type="primary" onClick={() => act(() => api(`/api/auth/petitions/${p.id}/approve`, { method: 'POST' }), t('tree.approved'))}>{t('tree.approve')}</Button>
              <Button size="small" onClick={() => act(() => api(`/api/auth/petitions/${p.id}/reject`, { method: 'POST' }), t('tree.rejected'))}>{t('tree.reject')}</Button>
            </Space>) : p.decidedBy) },
        ]} />
    </Space>
  );
}

function Tokens() {
  const { t, lang } = useI18n();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [form] = Form.useForm<{ name: string; expiresAt?: Dayjs }>();
  const tokens = useLoad(() => api<Page<Token>>('/api/auth/tokens?size=500'), []);
  const { error, act } = useAction(tokens.reload);
  const create = (v: { name: string; expiresAt?: Dayjs }) => act(async () => {
    setCreated(await api<CreatedToken>('/api/auth/tokens', {
      method: 'POST', body: JSON.stringify({ name: v.name, expiresAt: v.expiresAt?.toISOString() }),
    }));
    form.resetFields();
  });
  const revoke = (token: Token) => act(() => api(`/api/auth/tokens/${token.id}`, { method: 'DELETE' }), t('priv.revoked', { name: token.name }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form form={form} layout="inline" onFinish={create}>
        <Form.Item name="name" rules={[{ required: true }]}><Input placeholder={t('priv.tokenName')} style={{ width: 260 }} data-testid="token-name" /></Form.Item>
        <Form.Item name="expiresAt"><DatePicker showTime placeholder={t('priv.expires')} /></Form.Item>
        <Form.Item><Button type="primary" htmlType="submit" data-testid="token-create">{t('priv.createToken')}</Button></Form.Item>
      </Form>
      <Problem error={error ?? tokens.error} />
      <Table<Token> rowKey="id" size="small" loading={tokens.loading} dataSource={tokens.data?.items ?? []} pagination={false}
        locale={{ emptyText: t('priv.noTokens') }} data-testid="tokens"
        columns={[
          { title: t('priv.tokenName'), dataIndex: 'name' },
          { title: t('priv.hint'), dataIndex: 'hint', render: (v: string) => <Typography.Text code>{v}…</Typography.Text> },
          { title: t('priv.expires'), dataIndex: 'expiresAt', render: (v: string | null) => (v ? when(v, lang) : t('priv.never')) },
          { title: t('priv.lastUsed'), dataIndex: 'lastUsedAt', render: (v: string | null) => when(v, lang) },
          { title: t('priv.state'), key: 'state', render: (_, k) => (k.revokedAt ? <Tag color="red">{t('priv.revokedTag')}</Tag> : <Tag color="green">{t('priv.active')}</Tag>) },
          { title: '', key: 'revoke', render: (_, k) => !k.revokedAt && (
            <Popconfirm title={t('priv.revokeConfirm')} onConfirm={() => revoke(k)}><a data-testid={`revoke-${k.name}`}>{t('priv.revoke')}</a></Popconfirm>) },
        ]} />
      {created && (
        <Modal open title={t('priv.tokenCreated', { name: created.name })} onOk={() => setCreated(null)} onCancel={() => setCreated(null)}
          cancelButtonProps={{ style: { display: 'none' } }}>
          <Alert type="warning" showIcon title={t('priv.onlyOnce')} style={{ marginBottom: 12 }} />
          <Typography.Paragraph copyable={{ text: created.token }} code data-testid="token-secret">{created.token}</Typography.Paragraph>
        </Modal>
      )}
    </Space>
  );
}

/** Privileges: my grants, petitions (ask, approve, reject) and my API tokens. */
export function PrivilegesPage() {
  const { t } = useI18n();
  useTitle(t('nav.privileges'));
  const me = useLoad(() => api<Me>('/api/auth/me'), []);
  return (
    <Card title={me.data ? `${t('nav.privileges')} — ${me.data.displayName ?? me.data.username}` : t('nav.privileges')}>
      <Problem error={me.error} />
      {me.data && (
        <Tabs items={[
          { key: 'grants', label: t('priv.grants'), children: <Grants me={me.data} /> },
          { key: 'petitions', label: t('priv.petitions'), children: <Petitions me={me.data} /> },
          { key: 'tokens', label: <span data-testid="tab-tokens">{t('priv.tokens')}</span>, children: <Tokens /> },
        ]} />
      )}
    </Card>
  );
}
