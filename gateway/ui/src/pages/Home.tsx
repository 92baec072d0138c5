import { useEffect, useMemo, useState } from 'react';
import { Card, Col, Row, Segmented, Space, Table, Typography } from 'antd';
import type { EChartsOption } from 'echarts';
import { api } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { useTitle } from '../lib/url';
import { percent, RANGES, start, type Dps, type Range } from '../lib/figures';
import { useLoad } from '../lib/load';
import { follow } from '../lib/live';
import { lineOption as lines, noPoints } from '../components/lines';
import { ChartCard } from '../components/ChartCard';

interface Cpu { hosts: number; excludedPoolHosts: number; dps: Dps }
interface Resource { nodeId: number; path: string; hosts: number; cpu: number | null; mem: number | null; disk: number | null }
interface DomainFigures { domain: string; availability: Dps; bandwidthBytes: Dps }
interface NodeFigures { nodeId: number; path: string; urls: string[]; availability: Dps; responseTimeMs: Dps }
interface Summary { nodeId: number; path: string; days: number; availability: number | null; responseTimeMs: number | null; qps: number }
interface TreeNode { id: number; path: string; children?: TreeNode[] }

/** The home dashboard: the seed's figures for the chosen time range. */
export function Home() {
  const { t, lang } = useI18n();
  useTitle(t('nav.home'));
  const [range, setRange] = useState<Range>('24h');

  const cpu = useLoad(() => api<Cpu>(`/api/monitor/dashboard/cpu?start=${start(range)}`), [range]);
  const resources = useLoad(() => api<Resource[]>('/api/monitor/dashboard/resources'), []);
  const domains = useLoad(async () => {
    const list = await api<{ domain: string }[]>(`/api/monitor/domains?start=${start(range)}`);
    return Promise.all(list.slice(0, 6).map((d) => api<DomainFigures>(`/api/monitor/domains/${encodeURIComponent(d.domain)}?start=${start(range)}`)));
  }, [range]);
  const lines_ = useLoad(async () => {
    const root = await api<TreeNode>('/api/ptree/tree?path=/&depth=2');
    const productLines = (root.children ?? []).flatMap((c) => c.children ?? []);
    const [figures, summaries] = await Promise.all([
      Promise.all(productLines.map((n) => api<NodeFigures>(`/api/monitor/nodes/${n.id}/availability?start=${start(range)}`))),
      Promise.all(productLines.map((n) => api<Summary>(`/api/monitor/nodes/${n.id}/summary?days=7`))),
    ]);
    return { figures, summaries };
  }, [range]);

  // product lines come from the tree: a node or URL change by anyone redraws those panels
  const { reload: reloadLines } = lines_;
  const { reload: reloadResources } = resources;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = follow('/', (event) => {
      if (/^(node|url|server)-/.test(event.type) && !timer) {
        timer = setTimeout(() => { // a burst of changes redraws once
          timer = undefined;
          reloadLines();
          reloadResources();
        }, 1000);
      }
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [reloadLines, reloadResources]);

  const cpuOption = useMemo(() => lines([{ name: t('fig.cpu'), dps: cpu.data?.dps ?? {} }], lang, { type: 'value', max: 100 }), [cpu.data, lang, t]);
  const resourceOption = useMemo<EChartsOption>(() => ({
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 50, right: 20, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: (resources.data ?? []).map((r) => r.path) },
    yAxis: { type: 'value', max: 100 },
    series: (['cpu', 'mem', 'disk'] as const).map((k) => ({
      name: t(`fig.${k}`), type: 'bar', data: (resources.data ?? []).map((r) => (r[k] == null ? null : Number(r[k]!.toFixed(1)))),
    })),
  }), [resources.data, t]);
  const availabilityOption = useMemo(() => lines((domains.data ?? []).map((d) => ({ name: d.domain, dps: d.availability })), lang,
    { type: 'value', min: (v: { min: number }) => Math.max(0, Math.floor(v.min * 100) / 100), max: 1 }), [domains.data, lang]);
  const bandwidthOption = useMemo(() => lines((domains.data ?? []).map((d) => ({ name: d.domain, dps: d.bandwidthBytes })), lang), [domains.data, lang]);
  const lineAvailability = useMemo(() => lines((lines_.data?.figures ?? []).filter((f) => f.urls.length).map((f) => ({ name: f.path, dps: f.availability })), lang,
    { type: 'value', max: 1 }), [lines_.data, lang]);
  const lineResponse = useMemo(() => lines((lines_.data?.figures ?? []).filter((f) => f.urls.length).map((f) => ({ name: f.path, dps: f.responseTimeMs })), lang),
    [lines_.data, lang]);


  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space>
        <Typography.Text>{t('home.range')}</Typography.Text>
        <Segmented options={[...RANGES]} value={range} onChange={(v) => setRange(v as Range)} data-testid="range" />
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <ChartCard title={t('home.cpu')} extra={cpu.data && t('home.hosts', { hosts: cpu.data.hosts, pool: cpu.data.excludedPoolHosts })}
            loading={cpu.loading} error={cpu.error} ready={!!cpu.data} empty={noPoints(cpu.data?.dps) && t('empty.noData')}
            option={cpuOption} testId="chart-cpu" />
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={t('home.resources')} loading={resources.loading} error={resources.error} ready={!!resources.data}
            empty={resources.data?.length === 0 && t('empty.noLines')} option={resourceOption} testId="chart-resources" />
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={`${t('home.domains')} — ${t('fig.availability')}`} loading={domains.loading} error={domains.error}
            ready={!!domains.data} empty={domains.data?.length === 0 && t('empty.noData')} option={availabilityOption}
            testId="chart-domain-availability" />
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={`${t('home.domains')} — ${t('fig.bandwidth')}`} loading={domains.loading}
            ready={!!domains.data?.length} option={bandwidthOption} testId="chart-domain-bandwidth" />
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={`${t('home.lines')} — ${t('fig.availability')}`} loading={lines_.loading} error={lines_.error}
            ready={!!lines_.data} empty={!!lines_.data?.figures.every((f) => f.urls.length === 0) && t('empty.noUrls')}
            option={lineAvailability} testId="chart-line-availability" />
        </Col>
        <Col xs={24} lg={12}>
          <ChartCard title={`${t('home.lines')} — ${t('fig.responseTime')}`} loading={lines_.loading}
            ready={!!lines_.data?.figures.some((f) => f.urls.length > 0)} option={lineResponse} testId="chart-line-response" />
        </Col>
        <Col span={24}>
          <Card title={t('home.summary', { days: 7 })}>
            <Table<Summary> rowKey="nodeId" size="small" pagination={false} loading={lines_.loading} dataSource={lines_.data?.summaries ?? []}
              locale={{ emptyText: t('empty.noLines') }}
              columns={[
                { title: 'Path', dataIndex: 'path' },
                { title: t('fig.availability'), dataIndex: 'availability', render: (v: number | null) => percent(v) },
                { title: t('fig.responseTime'), dataIndex: 'responseTimeMs', render: (v: number | null) => (v == null ? '–' : v.toFixed(1)) },
                { title: t('fig.qps'), dataIndex: 'qps', render: (v: number) => v.toFixed(2) },
              ]} />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
