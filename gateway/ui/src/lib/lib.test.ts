import { describe, expect, it } from 'vitest';
import { ApiError, problemOf } from './api';
import { initialLang, translate } from './i18n';
import { mean, percent, points, start } from './figures';
import { loadSession, needsRenewal, saveSession } from './session';
import { listPath, nextStatuses, toRequest } from './assets';
import { fieldErrors, formatTags, namePath, parseTags, placeErrors } from './forms';
import { controls, hostControls, newTemplateForm, parseParameters, resumeNeedsNote, toTemplateBody, toTemplateForm, type Template } from './deploy';
import { queryPath, seriesName, subQuery } from './metrics';
import { ancestors } from './tree';
import { firingUnder } from './alarms';

describe('problems from the API', () => {
  it('reads problem+json title, detail and field errors', async () => {
    const response = new Response(JSON.stringify({ title: 'Invalid request', status: 400, detail: 'Check the fields.',
      errors: [{ field: 'privateIps[0]', message: 'not an IP address' }] }), { status: 400, headers: { 'Content-Type': 'application/problem+json' } });
    const error = await problemOf(response);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.title).toBe('Invalid request');
    expect(error.detail).toBe('Check the fields.');
    expect(error.fieldError('privateIps[0]')).toBe('not an IP address');
    expect(error.fieldError('hostname')).toBeUndefined();
  });

  it('falls back to the status when the body is no problem', async () => {
    const error = await problemOf(new Response('<html>oops</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(error.status).toBe(502);
    expect(error.title).toBe('Bad Gateway');
  });
});

describe('languages', () => {
  it('fills placeholders in both languages', () => {
    expect(translate('en', 'home.hosts', { hosts: 7, pool: 1 })).toBe('7 servers, 1 in the pool left out');
    expect(translate('zh-CN', 'home.hosts', { hosts: 7, pool: 1 })).toBe('7 台服务器，已排除资源池 1 台');
  });

  it('starts in the stored language, else the browser one', () => {
    expect(initialLang('zh-CN', 'en-US')).toBe('zh-CN');
    expect(initialLang(null, 'zh-TW')).toBe('zh-CN');
    expect(initialLang(null, 'de-DE')).toBe('en');
  });
});

describe('figures', () => {
  it('turns dps into ordered [ms, value] pairs', () => {
    expect(points({ '1800': 2, '1200': 1 })).toEqual([[1_200_000, 1], [1_800_000, 2]]);
    expect(points(undefined)).toEqual([]);
  });

  it('formats ratios and means, with gaps as dashes', () => {
    expect(percent(0.95)).toBe('95.00 %');
    expect(percent(null)).toBe('–');
    expect(mean({ a: 1, b: 3 })).toBe(2);
    expect(mean({})).toBeNull();
    expect(start('24h')).toBe('24h-ago');
  });
});

describe('session', () => {
  it('is kept across reloads and renewed 30 s before it expires', () => {
    const saved = saveSession({ accessToken: 'a', refreshToken: 'r', expiresIn: 900 }, 1_000_000, localStorage);
    expect(loadSession(localStorage)).toEqual(saved);
    expect(needsRenewal(saved, 1_000_000)).toBe(false);
    expect(needsRenewal(saved, 1_000_000 + 880_000)).toBe(true);
  });
});

import { parseSse } from './live';

describe('live events', () => {
  it('parses Server-Sent Events, skipping comments and keeping an unfinished block', () => {
    const { events, rest } = parseSse(':connected\n\nevent: node-created\nid: e-1\ndata: {"nodePath":"/a/b"}\n\n:heartbeat\n\nevent: node-del');
    expect(events).toEqual([{ type: 'node-created', id: 'e-1', data: { nodePath: '/a/b' } }]);
    expect(rest).toBe('event: node-del');
  });
});

describe('assets', () => {
  it('turns the form into the request: lists split, blanks left out', () => {
    expect(toRequest({ hostname: ' web-01 ', sn: 'SN1', privateIps: '10.0.0.1, 10.0.0.2;10.0.0.3', publicIps: '', os: '  ', cpuCores: 8, memoryMb: null }))
      .toEqual({ hostname: 'web-01', sn: 'SN1', privateIps: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], publicIps: [], cpuCores: 8 });
  });

  it('puts indexed API field errors on their list field, naming the entry', () => {
    const error = new ApiError(400, 'Invalid request', undefined, [
      { field: 'privateIps[1]', message: 'must be an IPv4 or IPv6 address' },
      { field: 'hostname', message: 'lower-case DNS name' },
      { field: 'tags[host]', message: 'bad value' },
    ]);
    expect(fieldErrors(error, { privateIps: '10.0.0.1, 10.0.0.999' })).toEqual([
      { name: 'privateIps', errors: ['10.0.0.999 (#2): must be an IPv4 or IPv6 address'] },
      { name: 'hostname', errors: ['lower-case DNS name'] },
      { name: 'tags', errors: ['host: bad value'] },
    ]);
  });

  it('builds the list call from the filter', () => {
    expect(listPath({ q: ' web ', status: 'online', type: '', page: 2, size: 20 })).toBe('/api/asset/servers?q=web&status=online&page=2&size=20');
  });

  it('offers only the status changes the life cycle allows', () => {
    expect(nextStatuses('creating')).toEqual(['online', 'offline']);
    expect(nextStatuses('online')).toEqual(['maintenance', 'pool', 'offline']);
    expect(nextStatuses('offline')).toEqual([]);
  });
});

describe('metrics', () => {
  it('builds OpenTSDB sub-queries from the explorer selection', () => {
    expect(subQuery({ metric: 'host.cpu.usage', aggregator: 'avg', tags: [] })).toBe('avg:host.cpu.usage');
    expect(subQuery({ metric: 'url.requests', aggregator: 'sum', rate: true, downsample: '5m-avg',
      tags: [{ key: 'domain', value: 'a.com|b.com' }, { key: 'status', value: '*' }, { key: '', value: 'x' }] }))
      .toBe('sum:rate:5m-avg:url.requests{domain=a.com|b.com,status=*}');
    expect(queryPath({ metric: 'm', aggregator: 'max', tags: [] }, '1h-ago')).toBe('/api/monitor/query?start=1h-ago&m=max%3Am');
  });

  it('names series by their tags in a stable order', () => {
    expect(seriesName({ metric: 'host.cpu.usage', tags: { idc: 'bj', host: 'web-01' }, dps: {} })).toBe('host.cpu.usage{host=web-01,idc=bj}');
    expect(seriesName({ metric: 'm', tags: {}, dps: {} })).toBe('m');
  });

  it('parses and formats rule tags', () => {
    expect(parseTags(' mount=/ , host = * ,bare')).toEqual({ mount: '/', host: '*', bare: '' });
    expect(formatTags({ mount: '/', host: '*' })).toBe('mount=/, host=*');
  });
});

describe('tree', () => {
  it('opens the ancestors of a node', () => {
    expect(ancestors('/corp/search/web')).toEqual(['/corp', '/corp/search']);
    expect(ancestors('/corp')).toEqual([]);
  });
});

describe('nested form errors', () => {
  it('reads API field names as name paths', () => {
    expect(namePath('steps[1].name')).toEqual(['steps', 1, 'name']);
    expect(namePath('batch.ramp')).toEqual(['batch', 'ramp']);
    expect(namePath('hosts[0]')).toEqual(['hosts', 0]);
    expect(namePath('parameters.greeting')).toEqual(['parameters', 'greeting']);
  });

  it('puts each error on its field, inside or around it, and returns what no field shows', () => {
    const error = new ApiError(400, 'Invalid request', undefined, [
      { field: 'steps[1].name', message: 'duplicate' }, { field: 'batch.ramp', message: 'not a ramp' },
      { field: 'healthCheck', message: 'command or url' }, { field: 'parameters.9x', message: 'a parameter name' },
      { field: 'gate.minAvailability', message: 'at most 100' }]);
    const fields = [['name'], ['steps', 0, 'name'], ['steps', 1, 'name'], ['batch', 'ramp'], ['healthCheck', 'command'],
      ['healthCheck', 'url'], ['parameters']];
    const { placed, rest } = placeErrors(error, fields);
    expect(placed).toEqual([
      { name: ['steps', 1, 'name'], errors: ['duplicate'] }, { name: ['batch', 'ramp'], errors: ['not a ramp'] },
      { name: ['healthCheck', 'command'], errors: ['command or url'] }, { name: ['parameters'], errors: ['9x: a parameter name'] }]);
    expect(rest).toEqual(['gate.minAvailability: at most 100']);
  });
});

describe('deployments in the UI', () => {
  it('offers only the controls deploy-service allows in each status', () => {
    expect(controls('running')).toEqual(['pause', 'cancel']);
    expect(controls('paused')).toEqual(['resume', 'cancel', 'rollback']);
    expect(controls('awaiting-approval')).toEqual(['approve', 'reject', 'cancel']);
    expect(controls('succeeded')).toEqual(['rollback']);
    expect(controls('pending')).toEqual([]);
    expect(hostControls('paused', 'failed')).toEqual(['retry', 'skip']);
    expect(hostControls('running', 'pending')).toEqual(['skip']);
    expect(hostControls('running', 'running')).toEqual([]);
    expect(hostControls('failed', 'failed')).toEqual([]);
  });

  it('asks for a note only to resume past the gate', () => {
    expect(resumeNeedsNote({ status: 'paused', reason: 'gate-failed: availability 90.00% < 99.00% after batch 1 of 2' })).toBe(true);
    expect(resumeNeedsNote({ status: 'paused', reason: 'gate-inconclusive: no requests' })).toBe(true);
    expect(resumeNeedsNote({ status: 'paused', reason: 'failure-budget: 1 of 3 hosts failed' })).toBe(false);
    expect(resumeNeedsNote({ status: 'running', reason: undefined })).toBe(false);
  });

  it('reads parameters one per line, keeping = and , in values', () => {
    expect(parseParameters('greeting=hello, world\nurl=a=b\n\nflag')).toEqual({ greeting: 'hello, world', url: 'a=b', flag: '' });
  });

  it('sends what the editor holds, without empty fields or another type\'s block, and reads a template back', () => {
    const form = { ...newTemplateForm('/demo/app'), name: 'web', steps: [{ name: 'go', command: 'echo', timeoutSeconds: undefined }],
      java: { packageUrl: 'x', installDir: '', startCommand: '', stopCommand: '' }, healthCheck: { command: '', url: '' },
      parameters: 'a=1', gated: false, gate: { minAvailability: 99, bakeSeconds: 60 } };
    const body = toTemplateBody(form as never);
    expect(body.steps).toEqual([{ name: 'go', command: 'echo' }]);
    expect(body.java).toBeUndefined();
    expect(body.healthCheck).toBeUndefined();
    expect(body.gate).toBeUndefined();
    expect(body.parameters).toEqual({ a: '1' });
    expect(toTemplateBody({ ...form, gated: true } as never).gate).toEqual({ minAvailability: 99, bakeSeconds: 60 });
    const stored: Template = { ...body, id: 4, revision: 2, createdBy: 'admin', createdAt: '2026-12-04T00:00:00Z' };
    expect(toTemplateBody(toTemplateForm(stored))).toEqual(body);
  });
});

describe('alarm badges', () => {
  const summary = { status: 'firing', total: 6, nodes: [
    { nodePath: '/corp/search', count: 2, severity: 'warning' }, { nodePath: '/corp/search/web', count: 3, severity: 'critical' },
    { nodePath: '/corp/searcher', count: 1, severity: 'info' }] };
  it('counts a node and its subtree, not a sibling that shares its prefix, with the worst severity', () => {
    expect(firingUnder(summary, '/corp/search')).toEqual({ count: 5, severity: 'critical' });
    expect(firingUnder(summary, '/corp/searcher')).toEqual({ count: 1, severity: 'info' });
    expect(firingUnder(summary, '/')).toEqual({ count: 6, severity: 'critical' });
    expect(firingUnder(summary, '/other')).toEqual({ count: 0, severity: undefined });
    expect(firingUnder(undefined, '/')).toEqual({ count: 0, severity: undefined });
  });
});
