import { Segmented, Space, Typography } from 'antd';
import { useI18n } from '../lib/i18n';
import { RANGES, type Range } from '../lib/figures';

/** The time-range picker every chart page shares. */
export function RangePicker({ value, onChange }: { value: Range; onChange: (range: Range) => void }) {
  const { t } = useI18n();
  return (
    <Space>
      <Typography.Text>{t('home.range')}</Typography.Text>
      <Segmented options={[...RANGES]} value={value} onChange={(v) => onChange(v as Range)} data-testid="range" />
    </Space>
  );
}
