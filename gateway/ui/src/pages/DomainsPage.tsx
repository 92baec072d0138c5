import { useMemo, useState } from 'react';
import { Card, Col, Row, Space, Table } from 'antd';
import { api } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { useTitle } from '../lib/url';
import { useLoad } from '../lib/load';
import { mean, percent, start, type Dps, type Range } from '../lib/figures';
import { ChartCard } from '../components/ChartCard';
import { lineOption, noPoints } from '../components/lines';
import { Problem } from '../components/Problem';
import { RangePicker } from '../components/RangePicker';

interface DomainFigures { domain: string; qps: Dps; responseTimeMs: Dps; bandwidthBytes: Dps; availability: Dps }

const FIGURES = [
  { key: 'qps', label: 'fig.qps' },
  { key: 'responseTimeMs', label: 'fig.responseTime' },
  { key: 'bandwidthBytes', label: 'fig.bandwidth' },
  { key: 'availability', label: 'fig.availability' },
] as const;

/** Domains: each domain's requests per second, response time, bandwidth and availability. */
export function DomainsPage() {
  const { t, lang } = useI18n();
  useTitle(t('nav.domains'));
  const [range, setRange] = useState<Range>('24h');
  const [chosen, setChosen] = useState<string | null>(null);
  const domains = useLoad(async () => {
    const list = await api<{ domain: string; requests: number }[]>(`/api/monitor/domains?start=${start(range)}`);
    return Promise.all(list.map((d) => api<DomainFigures>(`/api/monitor/domains/${encodeURIComponent(d.domain)}?start=${start(range)}`)
      .then((f) => ({ ...f, requests: d.requests }))));
  }, [range]);
  const selected = domains.data?.find((d) => d.domain === chosen) ?? domains.data?.[0];

  const options = useMemo(() => FIGURES.map((f) => ({
    ...f,
    empty: !selected || noPoints(selected[f.key]),
    option: lineOption(selected ? [{ name: selected.domain, dps: selected[f.key] }] : [], lang,
      f.key === 'availability' ? { type: 'value', min: (v: { min: number }) => Math.max(0, Math.floor(v.min * 100) / 100), max: 1 } : { type: 'value' }),
  })), [selected, lang]);

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <RangePicker value={range} onChange={setRange} />
      <Problem error={domains.error} />
      <Card title={t('nav.domains')}>
        <Table rowKey="domain" size="small" pagination={false} loading={domains.loading} dataSource={domains.data ?? []}
          locale={{ emptyText: t('domains.empty') }} data-testid="domain-table"
          rowClassName={(d) => (d.domain === selected?.domain ? 'ant-table-row-selected' : '')}
          onRow={(d) => ({ onClick: () => setChosen(d.domain), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('domains.domain'), dataIndex: 'domain' },
            { title: t('domains.requests'), dataIndex: 'requests', render: (v: number) => v.toLocaleString(lang) },
            { title: t('fig.qps'), key: 'qps', render: (_, d) => mean(d.qps)?.toFixed(2) ?? '–' },
            { title: t('fig.responseTime'), key: 'rt', render: (_, d) => mean(d.responseTimeMs)?.toFixed(1) ?? '–' },
            { title: t('fig.availability'), key: 'av', render: (_, d) => percent(mean(d.availability)) },
          ]} />
      </Card>
      {selected && (
        <Row gutter={[16, 16]}>
          {options.map((f) => (
            <Col xs={24} lg={12} key={f.key}>
              <ChartCard title={`${selected.domain} — ${t(f.label)}`} loading={domains.loading} ready empty={f.empty && t('empty.noData')}
                option={f.option} height={240} testId={`chart-domain-${f.key}`} />
            </Col>
          ))}
        </Row>
      )}
    </Space>
  );
}
