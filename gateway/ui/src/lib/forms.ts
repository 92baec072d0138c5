import type { ApiError } from './api';

/** "a, b c" → ["a", "b", "c"]. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,;]+/).filter(Boolean);
}

/**
 * The API's validation errors per form field, for antd's `form.setFields`. An indexed field such as
 * `privateIps[1]` belongs to the `privateIps` field and reads "10.0.0.999 (#2): must be ...", so the
 * user sees which entry of a list is wrong; `tags[host]` belongs to `tags`.
 */
export function fieldErrors(error: ApiError, values: Record<string, unknown>): { name: string; errors: string[] }[] {
  const byField = new Map<string, string[]>();
  for (const { field, message } of error.errors) {
    const match = /^(\w+)\[([^\]]*)]/.exec(field);
    const name = match ? match[1] : field.split('.')[0];
    let text = message;
    if (match && /^\d+$/.test(match[2])) {
      const value = values[name];
      const entries = Array.isArray(value) ? value.map(String) : splitList(typeof value === 'string' ? value : undefined);
      const entry = entries[Number(match[2])];
      text = `${entry ? `${entry} ` : ''}(#${Number(match[2]) + 1}): ${message}`;
    } else if (match) {
      text = `${match[2]}: ${message}`;
    }
    byField.set(name, [...(byField.get(name) ?? []), text]);
  }
  return [...byField].map(([name, errors]) => ({ name, errors }));
}

/** "host=*, idc=bj" → {host: "*", idc: "bj"}; a part without "=" is kept as a key with an empty value (the API names it). */
export function parseTags(text: string | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const part of (text ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    tags[eq < 0 ? part : part.slice(0, eq).trim()] = eq < 0 ? '' : part.slice(eq + 1).trim();
  }
  return tags;
}

export function formatTags(tags: Record<string, string> | null | undefined): string {
  return Object.entries(tags ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
}

export type NamePath = (string | number)[];

/** An API field name as a form's name path: `steps[1].name` → ['steps', 1, 'name'], `batch.ramp` → ['batch', 'ramp']. */
export function namePath(field: string): NamePath {
  return field.split('.').flatMap((part) => {
    const [head, ...indexes] = part.split('[');
    return [head, ...indexes.map((i) => (/^\d+]$/.test(i) ? Number(i.slice(0, -1)) : i.slice(0, -1)))].filter((p) => p !== '');
  });
}

/**
 * The API's validation errors placed on a nested form's fields: on the field of that name, else on the
 * first field inside it (`healthCheck` → `healthCheck.command`), else on the field holding it
 * (`parameters.x` → `parameters`). `rest`: the errors no field shows, for the form's problem box.
 */
export function placeErrors(error: ApiError, fields: NamePath[]): { placed: { name: NamePath; errors: string[] }[]; rest: string[] } {
  const key = (p: NamePath) => p.join('\u0000');
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const rest: string[] = [];
  for (const { field, message } of error.errors) {
    const path = namePath(field);
    const starts = (f: NamePath, prefix: NamePath) => prefix.length <= f.length && prefix.every((p, i) => f[i] === p);
    const target = fields.find((f) => key(f) === key(path)) ?? fields.find((f) => starts(f, path))
      ?? fields.filter((f) => starts(path, f)).sort((a, b) => b.length - a.length)[0];
    if (!target) {
      rest.push(`${field}: ${message}`);
      continue;
    }
    const entry = byField.get(key(target)) ?? { name: target, errors: [] };
    const inner = path.slice(target.length).join('.');
    entry.errors.push(inner ? `${inner}: ${message}` : message);
    byField.set(key(target), entry);
  }
  return { placed: [...byField.values()], rest };
}
