import { loadSession } from './session';

/** One Loki event from the gateway's stream. */
export interface LiveEvent {
  type: string;
  id?: string;
  data: Record<string, unknown>;
}

/** Splits a Server-Sent Events text chunk stream into events (comments and heartbeats dropped). */
export function parseSse(buffer: string): { events: LiveEvent[]; rest: string } {
  const events: LiveEvent[] = [];
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let type = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) {
      try {
        events.push({ type, id, data: JSON.parse(data.join('\n')) });
      } catch {
        // not an event of ours
      }
    }
  }
  return { events, rest };
}

/**
 * Follows `GET /api/events?nodePath=` (with the session's token, which EventSource cannot send) and
 * calls back for every event; reconnects after a failure (1 s, 2 s, ... 15 s). Answers a stop function.
 */
export function follow(nodePath: string, onEvent: (e: LiveEvent) => void, onReconnect?: () => void): () => void {
  let stopped = false;
  let controller: AbortController | null = null;
  let delay = 1000;
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const session = loadSession();
        const response = await fetch(`/api/events?nodePath=${encodeURIComponent(nodePath)}`, {
          headers: { Accept: 'text/event-stream', Authorization: `Bearer ${session?.accessToken ?? ''}` }, signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        delay = 1000;
        onReconnect?.();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseSse(buffer + value);
          buffer = parsed.rest;
          parsed.events.forEach(onEvent);
        }
      } catch {
        // dropped, refused or stopped: try again below
      }
      if (!stopped) {
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 15_000);
      }
    }
  };
  void run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
