import type { ReactNode } from 'react';
import { Card, Empty, Spin } from 'antd';
import type { EChartsOption } from 'echarts';
import { Chart } from './Chart';
import { Problem } from './Problem';

/**
 * A card holding one chart: a spinner while loading, the API's problem, and once {@code ready} either
 * the empty state (its text says what to do) or the chart.
 */
export function ChartCard({ title, extra, size, loading = false, error, ready, empty, option, height, testId }: {
  title: ReactNode; extra?: ReactNode; size?: 'small'; loading?: boolean; error?: unknown; ready: boolean;
  empty?: string | false; option: EChartsOption; height?: number; testId?: string;
}) {
  return (
    <Card title={title} extra={extra} size={size}>
      <Spin spinning={loading}>
        <Problem error={error} />
        {ready && (empty ? <Empty description={empty} /> : <Chart option={option} height={height} testId={testId} />)}
      </Spin>
    </Card>
  );
}
