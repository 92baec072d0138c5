import { useMemo } from 'react';
import { Card, Col, Row } from 'antd';
import { api } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { useLoad } from '../../lib/load';
import { RANGES, start, type Dps, type Range } from '../../lib/figures';
import { hostsQuery, type Series } from '../../lib/metrics';
import { ChartCard } from '../../components/ChartCard';
import { lineOption } from '../../components/lines';
import { Problem } from '../../components/Problem';
import { RangePicker } from '../../components/RangePicker';
import { useUrlState } from '../../lib/url';
import type { BoundServer, BoundUrl, Node } from './types';

const HOST_METRICS = [
  { metric: 'host.cpu.usage', label: 'fig.cpu' },
  { metric: 'host.mem.usage', label: 'fig.mem' },
] as const;
const MAX_HOSTS = 20;

/** The node's servers' performance (CPU, memory per host) and, where URLs are bound, its availability. */
export function NodeCharts({ node, servers, urls }: { node: Node; servers: BoundServer[]; urls: BoundUrl[] }) {
  const { t, lang } = useI18n();
  // the range is in the URL (?range=): a link to a node's performance at 7 days opens at 7 days
  const [linkedRange, setRange] = useUrlState('range', '6h');
  const range: Range = (RANGES as readonly string[]).includes(linkedRange) ? (linkedRange as Range) : '6h';
  const hostnames = useMemo(() => [...new Set(servers.map((s) => s.hostname))].sort().slice(0, MAX_HOSTS), [servers]);
  const hosts = useLoad(() => (hostnames.length === 0 ? Promise.resolve([])
    : Promise.all(HOST_METRICS.map((m) => api<Series[]>(hostsQuery(m.metric, hostnames, start(range)))))), [hostnames.join(','), range]);
  const availability = useLoad(() => (urls.length === 0 ? Promise.resolve(null)
    : api<{ availability: Dps; responseTimeMs: Dps }>(`/api/monitor/nodes/${node.id}/availability?start=${start(range)}`)), [node.id, urls.length, range]);

  const hostOptions = useMemo(() => (hosts.data ?? []).map((series) => lineOption(
    series.map((s) => ({ name: s.tags.host ?? s.metric, dps: s.dps })), lang, { type: 'value', max: 100 })), [hosts.data, lang]);
  const availabilityOption = useMemo(() => availability.data && lineOption([{ name: t('fig.availability'), dps: availability.data.availability }], lang,
    { type: 'value', min: (v: { min: number }) => Math.max(0, Math.floor(v.min * 100) / 100), max: 1 }), [availability.data, lang, t]);

  return (
    <Card title={t('tree.performance')} extra={<RangePicker value={range} onChange={setRange} />}>
      <Problem error={hosts.error ?? availability.error} />
      <Row gutter={[16, 16]}>
        {HOST_METRICS.map((m, i) => (
          <Col xs={24} xl={12} key={m.metric}>
            <ChartCard size="small" title={`${t(m.label)}${servers.length > MAX_HOSTS ? ` (${MAX_HOSTS}/${servers.length})` : ''}`}
              loading={hosts.loading} ready={hostnames.length === 0 || !!hosts.data}
              empty={hostnames.length === 0 ? t('tree.noServers') : (hosts.data?.[i]?.length ?? 0) === 0 && t('empty.noData')}
              option={hostOptions[i]} height={220} testId={`chart-node-${m.metric}`} />
          </Col>
        ))}
        <Col span={24}>
          <ChartCard size="small" title={t('fig.availability')} loading={availability.loading}
            ready={urls.length === 0 || !!availabilityOption} empty={urls.length === 0 && t('tree.noUrlsAvailability')}
            option={availabilityOption ?? {}} height={200} testId="chart-node-availability" />
        </Col>
      </Row>
    </Card>
  );
}
