import { Alert, Empty, Tag, Timeline } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../lib/i18n';
import { formatTime } from '../lib/figures';

/** One entry of alarm-service's timeline or of an alarm's "what changed". */
export interface TimelineEntry {
  at: string; kind: 'alarm' | 'deployment' | 'tree' | 'binding' | 'grant'; change?: string; nodePath: string; hostname?: string; actor?: string; summary: string;
  alarm?: { id: number; title: string; severity: string; status: string; resolvedAt?: string };
  deployment?: { id: number; templateId: number; version: string; status: string; finishedAt?: string; rollbackOf?: number; hosts: number; touchedHosts: string[] };
}

const KIND_COLOR: Record<string, string> = { alarm: 'red', deployment: 'blue', tree: 'purple', binding: 'cyan', grant: 'gold' };

/** Entries in the order given, each linking to its alarm or deployment; a warning names the services that could not be asked. */
export function ChangeList({ entries, unavailable, testId }: { entries: TimelineEntry[]; unavailable?: string[]; testId: string }) {
  const { t, lang } = useI18n();
  return (
    <>
      {unavailable?.length ? <Alert type="warning" showIcon title={t('timeline.unavailable', { services: unavailable.join(', ') })} /> : null}
      {entries.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('timeline.empty')} /> : (
        <Timeline data-testid={testId} items={entries.map((e) => ({
          color: e.kind === 'alarm' ? (e.alarm?.status === 'resolved' ? 'green' : 'red') : e.kind === 'deployment' ? 'blue' : 'gray',
          content: (
            <span data-testid={`${testId}-${e.kind}-${e.alarm?.id ?? e.deployment?.id ?? Date.parse(e.at)}`}>
              {formatTime(Date.parse(e.at), lang)} <Tag color={KIND_COLOR[e.kind]}>{t(`timeline.${e.kind}` as 'timeline.alarm')}</Tag>
              {e.deployment ? <Link to={`/deployments/${e.deployment.id}`}>{e.summary}</Link> : e.summary}
              {e.deployment?.touchedHosts.length ? <> · {e.deployment.touchedHosts.join(', ')}</> : null}
            </span>),
        }))} />
      )}
    </>
  );
}
