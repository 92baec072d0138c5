/** Helpers turning the monitor API's figures into chart data. */

export type Dps = Record<string, number>;

/** `{epochSeconds: value}` → `[[epochMs, value], ...]` in time order. */
export function points(dps: Dps | undefined): [number, number][] {
  return Object.entries(dps ?? {})
    .map(([t, v]) => [Number(t) * 1000, v] as [number, number])
    .sort((a, b) => a[0] - b[0]);
}

/** The mean of a series, or null when it has no points. */
export function mean(dps: Dps | undefined): number | null {
  const values = Object.values(dps ?? {});
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

/** 0.95 → "95.00 %"; null → "–". */
export function percent(ratio: number | null | undefined, digits = 2): string {
  return ratio == null ? '–' : `${(ratio * 100).toFixed(digits)} %`;
}

/** The time ranges offered by the picker, as the API's `start`. */
export const RANGES = ['1h', '6h', '24h', '7d'] as const;
export type Range = (typeof RANGES)[number];

export function start(range: Range): string {
  return `${range}-ago`;
}

/** A moment in the user's own time zone and language. */
export function formatTime(epochMs: number, lang: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short', timeZone }).format(new Date(epochMs));
}
