import { useState } from 'react';
import { Segmented, Space } from 'antd';
import { api } from '../../lib/api';
import { useLoad } from '../../lib/load';
import { ChangeList, type TimelineEntry } from '../../components/Changes';
import { Problem } from '../../components/Problem';
import type { Node } from './types';

interface Timeline { items: TimelineEntry[]; unavailable?: string[] }

const HOURS = [1, 6, 24, 24 * 7];

/** The node's alarms and the deployments that ran there, newest first, over the chosen hours. */
export function NodeTimeline({ node }: { node: Node }) {
  const [hours, setHours] = useState(24);
  const timeline = useLoad(() => api<Timeline>(`/api/alarm/timeline?${new URLSearchParams({ nodePath: node.path,
    since: new Date(Date.now() - hours * 3600_000).toISOString() })}`), [node.path, hours]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Segmented value={hours} onChange={(v) => setHours(Number(v))} data-testid="timeline-range"
        options={HOURS.map((h) => ({ value: h, label: h < 24 ? `${h} h` : `${h / 24} d` }))} />
      <Problem error={timeline.error} />
      {timeline.data && <ChangeList entries={[...timeline.data.items].reverse()} unavailable={timeline.data.unavailable} testId="node-timeline" />}
    </Space>
  );
}
