export interface Node { id: number; name: string; path: string; parentId: number | null; type: string; children?: Node[] }
export interface BoundServer { hostname: string; trafficRatio: number; offline: boolean; nodePath: string }
export interface BoundUrl { id: string; domain: string; path: string; nodePath: string }
export interface Change {
  id: number; kind: string; nodePath: string; actor: string; status: string; reason?: string; at?: string;
  impact?: { subNodes: number; servers: number; urls: number };
}

/** Runs a change and reports it; what a node section needs from its page. */
export type Act = (call: () => Promise<unknown>, done: string) => Promise<boolean>;

/** A change answered 202 comes back as a pending change record rather than the node itself. */
export function proposed(answer: unknown): boolean {
  return typeof answer === 'object' && answer !== null && (answer as { status?: string }).status === 'pending';
}
