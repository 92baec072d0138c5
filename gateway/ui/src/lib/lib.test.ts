import { describe, expect, it } from 'vitest';
import { ApiError, problemOf } from './api';
import { initialLang, translate } from './i18n';
import { mean, percent, points, start } from './figures';
import { loadSession, needsRenewal, saveSession } from './session';

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
