import { splitList } from './forms';

/** Server statuses in their life-cycle order (asset-service's `status`). */
export const STATUSES = ['creating', 'online', 'maintenance', 'pool', 'offline'] as const;
export type Status = (typeof STATUSES)[number];
export const TYPES = ['raw', 'vm', 'kvm'] as const;

export interface Server {
  id: number; hostname: string; sn: string; type: string; vmHostId: number | null; idc: string | null;
  privateIps: string[]; publicIps: string[]; macs: string[]; cpuCores: number | null; memoryMb: number | null;
  diskGb: number | null; os: string | null; status: Status; createdAt: string; updatedAt: string;
}

/** What the create/edit form holds: lists as text ("10.0.0.1, 10.0.0.2"), numbers as entered. */
export interface ServerForm {
  hostname?: string; sn?: string; type?: string; idc?: string; privateIps?: string; publicIps?: string; macs?: string;
  cpuCores?: number | null; memoryMb?: number | null; diskGb?: number | null; os?: string; status?: string;
}

const LIST_FIELDS = ['privateIps', 'publicIps', 'macs'] as const;

/** The form as the API's request body; blank text is left out, lists are split. */
export function toRequest(form: ServerForm): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) {
    if ((LIST_FIELDS as readonly string[]).includes(key)) {
      body[key] = splitList(value as string | undefined);
    } else if (typeof value === 'string') {
      if (value.trim()) body[key] = value.trim();
    } else if (value != null) {
      body[key] = value;
    }
  }
  return body;
}

/** A server as the form shows it. */
export function toForm(server: Server): ServerForm {
  return {
    hostname: server.hostname, sn: server.sn, type: server.type, idc: server.idc ?? undefined, os: server.os ?? undefined,
    privateIps: server.privateIps.join(', '), publicIps: server.publicIps.join(', '), macs: server.macs.join(', '),
    cpuCores: server.cpuCores, memoryMb: server.memoryMb, diskGb: server.diskGb, status: server.status,
  };
}

export interface ServerFilter { q?: string; status?: string; type?: string; idc?: string; page: number; size: number }

/** The list call for a filter (blank criteria left out; the API's pages start at 0). */
export function listPath(filter: ServerFilter): string {
  const params = new URLSearchParams();
  for (const key of ['q', 'status', 'type', 'idc'] as const) {
    const value = filter[key]?.trim();
    if (value) params.set(key, value);
  }
  params.set('page', String(filter.page));
  params.set('size', String(filter.size));
  return `/api/asset/servers?${params}`;
}

/**
 * Where a server may go from each status (asset-service's life cycle: creating → online ⇄ maintenance,
 * online ⇄ pool, offline from anywhere and final); the table offers only these.
 */
const NEXT: Record<Status, Status[]> = {
  creating: ['online', 'offline'],
  online: ['maintenance', 'pool', 'offline'],
  maintenance: ['online', 'offline'],
  pool: ['online', 'offline'],
  offline: [],
};

export function nextStatuses(status: Status): Status[] {
  return NEXT[status] ?? [];
}
