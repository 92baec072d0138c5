import type { Dps } from './figures';
import { api } from './api';
import { useDebounced } from './load';

export const AGGREGATORS = ['avg', 'sum', 'min', 'max', 'count', 'zimsum', 'dev'] as const;
export const DOWNSAMPLES = ['', '1m-avg', '5m-avg', '15m-avg', '1h-avg', '1h-max', '1d-avg'] as const;

export interface Tag { key: string; value: string }

/** A metric query as the explorer builds it. */
export interface Selection {
  metric: string;
  tags: Tag[];
  aggregator: string;
  downsample?: string;
  rate?: boolean;
}

/** OpenTSDB's `m` sub-query: `avg:rate:5m-avg:host.cpu.usage{host=a|b,idc=*}`; empty tags are left out. */
export function subQuery(selection: Selection): string {
  const parts = [selection.aggregator || 'avg'];
  if (selection.rate) parts.push('rate');
  if (selection.downsample) parts.push(selection.downsample);
  const tags = selection.tags.filter((t) => t.key.trim() && t.value.trim()).map((t) => `${t.key.trim()}=${t.value.trim()}`);
  parts.push(selection.metric.trim() + (tags.length ? `{${tags.join(',')}}` : ''));
  return parts.join(':');
}

/** The monitor API call for a selection over the time range starting at {@code start} (e.g. `24h-ago`). */
export function queryPath(selection: Selection, start: string): string {
  return `/api/monitor/query?start=${encodeURIComponent(start)}&m=${encodeURIComponent(subQuery(selection))}`;
}

/** One series of OpenTSDB's answer. */
export interface Series { metric: string; tags: Record<string, string>; aggregateTags?: string[]; dps: Dps }

/** A legend name telling series apart by their tags: `host.cpu.usage{host=web-01}`. */
export function seriesName(series: Series): string {
  const tags = Object.entries(series.tags ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
  return tags.length ? `${series.metric}{${tags.join(',')}}` : series.metric;
}

/** The host metrics shown for a node's servers, as a query for those hosts. */
export function hostsQuery(metric: string, hostnames: string[], start: string): string {
  return queryPath({ metric, aggregator: 'avg', downsample: '5m-avg', tags: [{ key: 'host', value: hostnames.join('|') }] }, start);
}

/** OpenTSDB's suggestions (through the monitor) for what the user has typed so far; null until one answers, or when asking fails. */
export function useSuggest(type: 'metrics' | 'tagk' | 'tagv', q: string): string[] | null {
  return useDebounced<string[] | null>(() => api<string[]>(`/api/monitor/suggest?type=${type}&q=${encodeURIComponent(q)}&max=50`), [type, q], null);
}

/**
 * Whether OpenTSDB knows {@code metric} (something reported it): true or false once asked about this very name,
 * null before that, for an empty name or when asking fails — never an answer about an earlier input.
 */
export function useKnownMetric(metric: string): boolean | null {
  const answer = useDebounced<{ metric: string; known: boolean } | null>(() => (metric === '' ? Promise.resolve(null)
    : api<string[]>(`/api/monitor/suggest?type=metrics&q=${encodeURIComponent(metric)}&max=50`).then((list) => ({ metric, known: list.includes(metric) }))),
  [metric], null);
  return answer && answer.metric === metric ? answer.known : null;
}
