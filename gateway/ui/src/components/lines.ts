import type { EChartsOption } from 'echarts';
import { formatTime, points, type Dps } from '../lib/figures';

/** A line chart of time series, on a time axis in the browser's own time zone (tooltips show full times). */
export function lineOption(series: { name: string; dps: Dps }[], lang: string, yAxis: EChartsOption['yAxis'] = { type: 'value' }): EChartsOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { label: { formatter: (p) => formatTime(Number(p.value), lang) } } },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 60, right: 20, top: 36, bottom: 30 },
    xAxis: { type: 'time', axisLabel: { hideOverlap: true } },
    yAxis,
    series: series.map((s) => ({ name: s.name, type: 'line', showSymbol: false, connectNulls: false, data: points(s.dps) })),
  };
}

/** Whether a series has no points. */
export function noPoints(dps?: Dps): boolean {
  return !dps || Object.keys(dps).length === 0;
}
