import { useEffect, useMemo, useState } from 'react';
import { AutoComplete, Button, Card, Checkbox, Empty, Form, Input, Select, Space, Spin, Typography } from 'antd';
import { api } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { useTitle } from '../lib/url';
import { start, type Range } from '../lib/figures';
import { AGGREGATORS, DOWNSAMPLES, queryPath, useSuggest, seriesName, subQuery, type Selection, type Series, type Tag } from '../lib/metrics';
import { Chart } from '../components/Chart';
import { lineOption } from '../components/lines';
import { Problem } from '../components/Problem';
import { RangePicker } from '../components/RangePicker';

/** Suggestions for what the user has typed so far, none while they are asked. */
function useSuggestions(type: 'metrics' | 'tagk' | 'tagv', q: string): string[] {
  return useSuggest(type, q) ?? NONE;
}

const NONE: string[] = [];

function TagRow({ tag, index, onChange, onRemove }: { tag: Tag; index: number; onChange: (t: Tag) => void; onRemove: () => void }) {
  const { t } = useI18n();
  const keys = useSuggestions('tagk', tag.key);
  const values = useSuggestions('tagv', tag.value.split('|').pop() ?? '');
  return (
    <Space.Compact>
      <AutoComplete style={{ width: 160 }} placeholder={t('explorer.tagKey')} value={tag.key} options={keys.map((v) => ({ value: v }))}
        onChange={(key) => onChange({ ...tag, key })} data-testid={`explorer-tag-key-${index}`} />
      <AutoComplete style={{ width: 240 }} placeholder={t('explorer.tagValue')} value={tag.value} options={values.map((v) => ({ value: v }))}
        onChange={(value) => onChange({ ...tag, value })} data-testid={`explorer-tag-value-${index}`} />
      <Button onClick={onRemove}>×</Button>
    </Space.Compact>
  );
}

/** The metric explorer: metric (with suggest), tags, aggregator, downsample, rate → a chart of every series. */
export function ExplorerPage() {
  const { t, lang } = useI18n();
  useTitle(t('nav.explorer'));
  const [range, setRange] = useState<Range>('6h');
  const [selection, setSelection] = useState<Selection>({ metric: '', tags: [], aggregator: 'avg', downsample: '5m-avg' });
  const [shown, setShown] = useState<Selection | null>(null);
  const [result, setResult] = useState<{ series?: Series[]; error?: unknown; loading: boolean }>({ loading: false });
  const metrics = useSuggestions('metrics', selection.metric);
  const update = (change: Partial<Selection>) => setSelection((s) => ({ ...s, ...change }));

  useEffect(() => {
    if (!shown) return;
    let live = true;
    setResult((r) => ({ ...r, loading: true }));
    api<Series[]>(queryPath(shown, start(range))).then((series) => live && setResult({ series, loading: false }),
      (error) => live && setResult({ error, loading: false }));
    return () => {
      live = false;
    };
  }, [shown, range]);

  const option = useMemo(() => lineOption((result.series ?? []).map((s) => ({ name: seriesName(s), dps: s.dps })), lang), [result.series, lang]);

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('nav.explorer')}>
        <Form layout="inline" onFinish={() => setShown({ ...selection })} style={{ rowGap: 12 }}>
          <Form.Item label={t('explorer.metric')} required>
            <AutoComplete style={{ width: 260 }} value={selection.metric} options={metrics.map((v) => ({ value: v }))}
              onChange={(metric) => update({ metric })} placeholder="host.cpu.usage" data-testid="explorer-metric" />
          </Form.Item>
          <Form.Item label={t('explorer.aggregator')}>
            <Select style={{ width: 110 }} value={selection.aggregator} onChange={(aggregator) => update({ aggregator })}
              options={AGGREGATORS.map((v) => ({ value: v, label: v }))} />
          </Form.Item>
          <Form.Item label={t('explorer.downsample')}>
            <Select style={{ width: 120 }} value={selection.downsample ?? ''} onChange={(downsample) => update({ downsample })}
              options={DOWNSAMPLES.map((v) => ({ value: v, label: v || t('explorer.none') }))} />
          </Form.Item>
          <Form.Item>
            <Checkbox checked={selection.rate} onChange={(e) => update({ rate: e.target.checked })}>{t('explorer.rate')}</Checkbox>
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" disabled={!selection.metric.trim()} data-testid="explorer-run">{t('explorer.run')}</Button>
          </Form.Item>
        </Form>
        <Space orientation="vertical" style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">{t('explorer.tagsHelp')}</Typography.Text>
          {selection.tags.map((tag, i) => (
            <TagRow key={i} index={i} tag={tag} onChange={(next) => update({ tags: selection.tags.map((x, j) => (j === i ? next : x)) })}
              onRemove={() => update({ tags: selection.tags.filter((_, j) => j !== i) })} />
          ))}
          <Button size="small" onClick={() => update({ tags: [...selection.tags, { key: '', value: '*' }] })} data-testid="explorer-add-tag">
            {t('explorer.addTag')}
          </Button>
        </Space>
      </Card>
      <Card title={shown ? <Input readOnly variant="borderless" value={subQuery(shown)} data-testid="explorer-query" /> : t('explorer.result')}
        extra={<RangePicker value={range} onChange={setRange} />}>
        <Problem error={result.error} />
        <Spin spinning={result.loading}>
          {!shown ? <Empty description={t('explorer.pick')} />
            : result.series && (result.series.length === 0 ? <Empty description={t('empty.noData')} />
              : <Chart option={option} height={420} testId="chart-explorer" />)}
        </Spin>
      </Card>
    </Space>
  );
}
