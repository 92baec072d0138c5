import { useEffect, useState } from 'react';
import { api } from './api';

/** alarm-service's `GET /api/alarm/summary`: firing alarms per node (each node's own). */
export interface AlarmSummary { status: string; total: number; nodes: { nodePath: string; count: number; severity: string }[] }

const SEVERITIES = ['info', 'warning', 'critical'];
const REFRESH_MS = 30_000;

/** The firing alarms on {@code path} and below, and the worst severity among them. */
export function firingUnder(summary: AlarmSummary | undefined, path: string): { count: number; severity?: string } {
  let count = 0;
  let worst = -1;
  for (const n of summary?.nodes ?? []) {
    if (path === '/' || n.nodePath === path || n.nodePath.startsWith(`${path}/`)) {
      count += n.count;
      worst = Math.max(worst, SEVERITIES.indexOf(n.severity));
    }
  }
  return { count, severity: worst >= 0 ? SEVERITIES[worst] : undefined };
}

/** The summary of firing alarms, read now and every 30 s; undefined until it answers (a failure leaves the last one). */
export function useFiringSummary(): AlarmSummary | undefined {
  const [summary, setSummary] = useState<AlarmSummary>();
  useEffect(() => {
    let live = true;
    const read = () => api<AlarmSummary>('/api/alarm/summary').then((s) => live && setSummary(s), () => undefined);
    read();
    const timer = setInterval(read, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  return summary;
}

export const SEVERITY_BADGE: Record<string, string> = { critical: '#f5222d', warning: '#fa8c16', info: '#1677ff' };
