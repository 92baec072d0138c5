import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App as AntApp, Button, Card, Descriptions, Drawer, Dropdown, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { api, type Page } from '../lib/api';
import { useAction, useApiForm } from '../lib/actions';
import { listPath, nextStatuses, STATUSES, toForm, toRequest, TYPES, type Server, type ServerFilter, type ServerForm, type Status } from '../lib/assets';
import { useI18n } from '../lib/i18n';
import { useTitle } from '../lib/url';
import { useLoad } from '../lib/load';
import { formatTime } from '../lib/figures';
import { Problem } from '../components/Problem';

interface ImportReport { created: number; updated: number; errors: { line: number; message: string }[] }

const STATUS_COLOR: Record<Status, string> = { creating: 'blue', online: 'green', maintenance: 'orange', pool: 'purple', offline: 'red' };

export function StatusTag({ status }: { status: Status }) {
  return <Tag color={STATUS_COLOR[status]}>{status}</Tag>;
}

/** Create or edit one server; the API's field errors show next to their fields. */
function ServerEditor({ server, onClose, onSaved }: { server: Server | 'new'; onClose: () => void; onSaved: (s: Server) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<ServerForm>();
  const { error, saving, submit } = useApiForm(form);
  const creating = server === 'new';

  const save = (values: ServerForm) => submit(values, async () => onSaved(await api<Server>(
    creating ? '/api/asset/servers' : `/api/asset/servers/${server.id}`,
    { method: creating ? 'POST' : 'PATCH', body: JSON.stringify(toRequest(values)) })));

  const text = (name: keyof ServerForm, label: string, extra: { required?: boolean; placeholder?: string } = {}) => (
    <Form.Item name={name} label={label} rules={extra.required ? [{ required: true }] : []}>
      <Input placeholder={extra.placeholder} data-testid={`asset-${name}`} />
    </Form.Item>
  );
  const number = (name: keyof ServerForm, label: string) => (
    <Form.Item name={name} label={label}><InputNumber min={0} style={{ width: '100%' }} data-testid={`asset-${name}`} /></Form.Item>
  );

  return (
    <Modal open title={creating ? t('assets.new') : `${t('assets.edit')} ${server.hostname}`} onCancel={onClose} width={720}
      okText={t('common.save')} okButtonProps={{ loading: saving, htmlType: 'submit', 'data-testid': 'asset-save' } as never}
      onOk={() => form.submit()} destroyOnHidden>
      <Problem error={error} />
      <Form form={form} layout="vertical" onFinish={save} initialValues={creating ? { type: 'raw', status: 'creating' } : toForm(server)}
        style={{ marginTop: 12 }} data-testid="asset-form">
        <Space.Compact block style={{ gap: 12 }}>
          <div style={{ flex: 1 }}>{text('hostname', t('assets.hostname'), { required: true, placeholder: 'web-01.bj' })}</div>
          <div style={{ flex: 1 }}>{text('sn', t('assets.sn'), { required: true })}</div>
        </Space.Compact>
        <Space.Compact block style={{ gap: 12 }}>
          <Form.Item name="type" label={t('assets.type')} style={{ flex: 1 }}>
            <Select options={TYPES.map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Form.Item name="status" label={t('assets.status')} style={{ flex: 1 }}>
            <Select options={STATUSES.map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <div style={{ flex: 1 }}>{text('idc', t('assets.idc'))}</div>
        </Space.Compact>
        {text('privateIps', t('assets.privateIps'), { placeholder: '10.0.0.11, 10.0.0.12' })}
        {text('publicIps', t('assets.publicIps'))}
        {text('macs', t('assets.macs'), { placeholder: '52:54:00:12:34:56' })}
        <Space.Compact block style={{ gap: 12 }}>
          <div style={{ flex: 1 }}>{number('cpuCores', t('assets.cpu'))}</div>
          <div style={{ flex: 1 }}>{number('memoryMb', t('assets.mem'))}</div>
          <div style={{ flex: 1 }}>{number('diskGb', t('assets.disk'))}</div>
        </Space.Compact>
        {text('os', t('assets.os'))}
      </Form>
    </Modal>
  );
}

/** CSV import: the file goes to the API as is; the answer's line report is shown. */
function Importer({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const { t } = useI18n();
  const [csv, setCsv] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);
  const { error, act } = useAction(onImported);
  const run = () => act(async () => setReport(await api<ImportReport>('/api/asset/servers/import',
    { method: 'POST', body: csv, headers: { 'Content-Type': 'text/csv' } })));
  return (
    <Modal open title={t('assets.import')} onCancel={onClose} onOk={run} okText={t('assets.importRun')} okButtonProps={{ disabled: !csv.trim() }} width={720}>
      <Typography.Paragraph type="secondary">{t('assets.importHelp')}</Typography.Paragraph>
      <Upload accept=".csv,text/csv" maxCount={1} showUploadList={false}
        beforeUpload={(file) => { void file.text().then(setCsv); return false; }}>
        <Button>{t('assets.importFile')}</Button>
      </Upload>
      <Input.TextArea rows={6} value={csv} onChange={(e) => setCsv(e.target.value)} style={{ marginTop: 12, fontFamily: 'monospace' }}
        placeholder={'hostname,sn,idc,privateIps,status\nweb-01,SN001,bj,10.0.0.11,online'} data-testid="import-csv" />
      <Problem error={error} />
      {report && (
        <div data-testid="import-report" style={{ marginTop: 12 }}>
          <Typography.Text strong>{t('assets.importDone', { created: report.created, updated: report.updated, errors: report.errors.length })}</Typography.Text>
          {report.errors.length > 0 && (
            <Table rowKey="line" size="small" pagination={false} dataSource={report.errors}
              columns={[{ title: t('assets.line'), dataIndex: 'line', width: 80 }, { title: t('assets.message'), dataIndex: 'message' }]} />
          )}
        </div>
      )}
    </Modal>
  );
}

/** One server in full, with the nodes it is bound to. */
function ServerDetail({ server, onClose }: { server: Server; onClose: () => void }) {
  const { t, lang } = useI18n();
  const nodes = useLoad(() => api<{ id: number; path: string }[]>(`/api/ptree/servers/${encodeURIComponent(server.hostname)}/nodes`), [server.hostname]);
  const list = (v: string[]) => (v.length ? v.join(', ') : '–');
  return (
    <Drawer open title={server.hostname} onClose={onClose} size="large" data-testid="asset-detail">
      <Descriptions column={1} size="small" bordered items={[
        { key: 'sn', label: t('assets.sn'), children: server.sn },
        { key: 'status', label: t('assets.status'), children: <StatusTag status={server.status} /> },
        { key: 'type', label: t('assets.type'), children: server.type + (server.vmHostId ? ` (host #${server.vmHostId})` : '') },
        { key: 'idc', label: t('assets.idc'), children: server.idc ?? '–' },
        { key: 'private', label: t('assets.privateIps'), children: list(server.privateIps) },
        { key: 'public', label: t('assets.publicIps'), children: list(server.publicIps) },
        { key: 'macs', label: t('assets.macs'), children: list(server.macs) },
        { key: 'hw', label: t('assets.hardware'), children: `${server.cpuCores ?? '–'} cores, ${server.memoryMb ?? '–'} MB, ${server.diskGb ?? '–'} GB` },
        { key: 'os', label: t('assets.os'), children: server.os ?? '–' },
        { key: 'nodes', label: t('assets.nodes'), children: nodes.error ? <Problem error={nodes.error} />
          : (nodes.data ?? []).length ? (nodes.data ?? []).map((n) => (
            <Tag key={n.id}><Link to={`/tree?path=${encodeURIComponent(n.path)}`} data-testid={`asset-node-${n.path}`}>{n.path}</Link>
              {' · '}<Link to={`/tree?path=${encodeURIComponent(n.path)}&tab=charts`} data-testid={`asset-charts-${n.path}`}>{t('assets.charts')}</Link></Tag>))
            : t('assets.noNodes') },
        { key: 'alarms', label: t('nav.alarms'), children: (
          <Link to={`/alarms?status=all&hostname=${encodeURIComponent(server.hostname)}`} data-testid="asset-alarms">
            {t('assets.alarmsOf', { hostname: server.hostname })}</Link>) },
        { key: 'created', label: t('assets.created'), children: formatTime(Date.parse(server.createdAt), lang) },
        { key: 'updated', label: t('assets.updated'), children: formatTime(Date.parse(server.updatedAt), lang) },
      ]} />
    </Drawer>
  );
}

/** Assets: a searchable, paged table of servers; detail, create/edit, CSV import, status changes. */
export function AssetsPage() {
  const { t } = useI18n();
  useTitle(t('nav.assets'));
  const { message } = AntApp.useApp();
  const [filter, setFilter] = useState<ServerFilter>({ page: 0, size: 20 });
  const [detail, setDetail] = useState<Server | null>(null);
  const [editing, setEditing] = useState<Server | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const servers = useLoad(() => api<Page<Server>>(listPath(filter)), [filter]);
  const idcs = useLoad(() => api<Page<{ name: string }>>('/api/asset/idcs?size=500'), []);
  const { error, act } = useAction(servers.reload);

  const setStatus = (s: Server, status: Status) => act(() => api(`/api/asset/servers/${s.id}`, { method: 'PATCH', body: JSON.stringify({ status }) }),
    t('assets.statusChanged', { hostname: s.hostname, status }));
  const filterBy = (change: Partial<ServerFilter>) => setFilter((f) => ({ ...f, ...change, page: 0 }));

  return (
    <Card title={t('nav.assets')} extra={<Space>
      <Button onClick={() => setImporting(true)} data-testid="asset-import">{t('assets.import')}</Button>
      <Button type="primary" onClick={() => setEditing('new')} data-testid="asset-new">{t('assets.new')}</Button>
    </Space>}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search placeholder={t('assets.search')} allowClear onSearch={(q) => filterBy({ q })} style={{ width: 320 }}
          data-testid="asset-search" />
        <Select allowClear placeholder={t('assets.status')} style={{ width: 150 }} value={filter.status} onChange={(status) => filterBy({ status })}
          options={STATUSES.map((v) => ({ value: v, label: v }))} />
        <Select allowClear placeholder={t('assets.type')} style={{ width: 120 }} value={filter.type} onChange={(type) => filterBy({ type })}
          options={TYPES.map((v) => ({ value: v, label: v }))} />
        <Select allowClear placeholder={t('assets.idc')} style={{ width: 150 }} value={filter.idc} onChange={(idc) => filterBy({ idc })}
          options={(idcs.data?.items ?? []).map((i) => ({ value: i.name, label: i.name }))} />
      </Space>
      <Problem error={error} />
      {/* the list could not be read: say so and offer to ask again, rather than claim that no server matches */}
      <Problem error={servers.error} onRetry={servers.reload} />
      <Table<Server> rowKey="id" size="small" loading={servers.loading} dataSource={servers.error ? [] : servers.data?.items ?? []}
        data-testid="asset-table" locale={{ emptyText: servers.error ? t('assets.unavailable') : t('assets.empty') }}
        pagination={{ current: filter.page + 1, pageSize: filter.size, total: servers.data?.total ?? 0, showSizeChanger: true,
          showTotal: (total) => t('assets.total', { total }),
          onChange: (page, size) => setFilter((f) => ({ ...f, page: size === f.size ? page - 1 : 0, size })) }}
        columns={[
          { title: t('assets.hostname'), dataIndex: 'hostname', render: (v: string, s) => <a onClick={() => setDetail(s)}>{v}</a> },
          { title: t('assets.sn'), dataIndex: 'sn' },
          { title: t('assets.type'), dataIndex: 'type' },
          { title: t('assets.idc'), dataIndex: 'idc' },
          { title: t('assets.privateIps'), dataIndex: 'privateIps', render: (v: string[]) => v.join(', ') },
          { title: t('assets.hardware'), key: 'hw', render: (_, s) => `${s.cpuCores ?? '–'}C / ${s.memoryMb == null ? '–' : Math.round(s.memoryMb / 1024)}G / ${s.diskGb ?? '–'}G` },
          { title: t('assets.status'), dataIndex: 'status', render: (v: Status, s) => (
            <Dropdown trigger={['click']} menu={{ items: nextStatuses(v).map((n) => ({ key: n, label: t('assets.moveTo', { status: n }) })),
              onClick: ({ key }) => setStatus(s, key as Status) }}>
              <a data-testid={`status-${s.hostname}`}><StatusTag status={v} /></a>
            </Dropdown>) },
          { title: '', key: 'actions', render: (_, s) => (
            <Space>
              <a onClick={() => setEditing(s)}>{t('assets.edit')}</a>
              <Popconfirm title={t('assets.deleteConfirm', { hostname: s.hostname })}
                onConfirm={() => act(() => api(`/api/asset/servers/${s.id}`, { method: 'DELETE' }), t('assets.deleted'))}>
                <a>{t('tree.delete')}</a>
              </Popconfirm>
            </Space>) },
        ]} />
      {editing && <ServerEditor server={editing} onClose={() => setEditing(null)}
        onSaved={(s) => { message.success(t('assets.saved', { hostname: s.hostname })); setEditing(null); servers.reload(); }} />}
      {importing && <Importer onClose={() => setImporting(false)} onImported={servers.reload} />}
      {detail && <ServerDetail server={detail} onClose={() => setDetail(null)} />}
    </Card>
  );
}
