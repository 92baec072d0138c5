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
  return stream(`/api/events?nodePath=${encodeURIComponent(nodePath)}`, onEvent, { onReconnect });
}

/**
 * Follows one Server-Sent Events stream of the API, as {@link follow} does. With `done`, a reconnect
 * sends the last event's id as `Last-Event-ID` (the stream goes on after it), and when the server ends
 * the stream `done` says whether it is over (e.g. a deployment's, once it finished) or was dropped.
 */
export function stream(path: string, onEvent: (e: LiveEvent) => void,
                       options: { onReconnect?: () => void; done?: () => Promise<boolean> } = {}): () => void {
  let stopped = false;
  let controller: AbortController | null = null;
  let delay = 1000;
  let last: string | undefined;
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const session = loadSession();
        const response = await fetch(path, {
          headers: { Accept: 'text/event-stream', Authorization: `Bearer ${session?.accessToken ?? ''}`,
            ...(options.done && last ? { 'Last-Event-ID': last } : {}) }, signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        delay = 1000;
        options.onReconnect?.();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseSse(buffer + value);
          buffer = parsed.rest;
          for (const event of parsed.events) {
            if (event.id) last = event.id;
            onEvent(event);
          }
        }
        if (options.done && !stopped && await options.done().catch(() => false)) {
          stopped = true;
          return;
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
