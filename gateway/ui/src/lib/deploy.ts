/** deploy-service's shapes (docs/api.md) and what the UI derives from them: legal moves, form ↔ request. */

export type TemplateType = 'script' | 'java' | 'nginx';
export const TEMPLATE_TYPES: TemplateType[] = ['script', 'java', 'nginx'];

export interface Step { name: string; command: string; timeoutSeconds?: number }

export interface TemplateSpec {
  name: string;
  nodePath: string;
  type: TemplateType;
  steps?: Step[];
  healthCheck?: { command?: string; url?: string; retries?: number; intervalSeconds?: number };
  batch?: {
    size?: number; ramp?: string; perIdcConcurrency?: number; maxUnavailable?: string; pauseAfterFirstBatch?: boolean;
    maxFailures?: string; onFailure?: 'pause' | 'abort';
  };
  gate?: { minAvailability: number; bakeSeconds: number };
  drain?: boolean;
  requireApproval?: boolean;
  runUser?: string;
  parameters?: Record<string, string>;
  java?: { packageUrl: string; installDir: string; startCommand: string; stopCommand: string };
  nginx?: { upstream: string; configPath: string; port: number; testCommand?: string; reloadCommand?: string; upstreamNode?: string };
}

export interface Template extends TemplateSpec {
  id: number; revision: number; createdBy: string; createdAt: string; updatedBy?: string; updatedAt?: string;
}

export interface PlanHost { hostname: string; idc: string | null; trafficRatio: number; address: string }
export interface Plan {
  templateId: number; revision: number; nodePath: string;
  batches: { index: number; hosts: PlanHost[] }[];
  excluded: { hostname: string; reason: string }[];
  upstream?: string;
}

export type DeploymentStatus = 'pending' | 'awaiting-approval' | 'running' | 'paused' | 'succeeded' | 'failed' | 'cancelled';
export type HostStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface DeploymentHost {
  hostname: string; idc?: string; address?: string; trafficRatio: number; status: HostStatus; step: number; stepName?: string;
  attempt: number; exitCode?: number; reason?: string; startedAt?: string; finishedAt?: string; drained: boolean;
}

export interface Deployment {
  id: number; templateId: number; revision: number; nodePath: string; version: string; parameters: Record<string, string>;
  status: DeploymentStatus; reason?: string; currentBatch: number; maxFailures: number; onFailure: string; requestedBy: string;
  createdAt: string; startedAt?: string; finishedAt?: string; rollbackOf?: number;
  gate?: { batch: number; from: string; until: string }; upstream?: string;
  batches?: { index: number; status: string; hosts: DeploymentHost[] }[];
}

export const DEPLOYMENT_STATUSES: DeploymentStatus[] = ['pending', 'awaiting-approval', 'running', 'paused', 'succeeded', 'failed', 'cancelled'];

export const STATUS_COLOR: Record<string, string> = {
  pending: 'default', 'awaiting-approval': 'purple', running: 'processing', paused: 'warning', succeeded: 'success',
  failed: 'error', cancelled: 'default', skipped: 'default',
};

export type Control = 'pause' | 'resume' | 'cancel' | 'approve' | 'reject' | 'rollback';

/** The controls deploy-service allows in a status (anything else is a 409 naming these). */
export function controls(status: DeploymentStatus): Control[] {
  switch (status) {
    case 'running': return ['pause', 'cancel'];
    case 'paused': return ['resume', 'cancel', 'rollback'];
    case 'awaiting-approval': return ['approve', 'reject', 'cancel'];
    case 'succeeded': case 'failed': case 'cancelled': return ['rollback'];
    default: return [];
  }
}

/** What may be done to one host: retry a failed one (from the step it failed at), skip a failed or pending one. */
export function hostControls(deployment: DeploymentStatus, host: HostStatus): ('retry' | 'skip')[] {
  if (finished(deployment) || deployment === 'awaiting-approval') return [];
  if (host === 'failed') return ['retry', 'skip'];
  return host === 'pending' ? ['skip'] : [];
}

export function finished(status: DeploymentStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/** A pause by the availability gate is resumed only with a note saying why. */
export function resumeNeedsNote(deployment: Pick<Deployment, 'status' | 'reason'>): boolean {
  return deployment.status === 'paused' && /^gate-(failed|inconclusive)/.test(deployment.reason ?? '');
}

/** "name=value" per line → {name: value} (the value may hold '=' and ','); blank lines dropped. */
export function parseParameters(text: string | undefined): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const line of (text ?? '').split(/\r?\n/)) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    parameters[(eq < 0 ? line : line.slice(0, eq)).trim()] = eq < 0 ? '' : line.slice(eq + 1);
  }
  return parameters;
}

export function formatParameters(parameters: Record<string, string> | undefined): string {
  return Object.entries(parameters ?? {}).map(([k, v]) => `${k}=${v}`).join('\n');
}

/** The editor's values: the spec with parameters as text and the gate behind a switch. */
export type TemplateForm = Omit<TemplateSpec, 'parameters' | 'gate'> & {
  parameters?: string; gated?: boolean; gate?: { minAvailability?: number; bakeSeconds?: number };
};

export function newTemplateForm(nodePath: string): TemplateForm {
  return {
    name: '', nodePath, type: 'script', steps: [{ name: 'deploy', command: '', timeoutSeconds: 300 }],
    batch: { ramp: '1 50% 100%', maxFailures: '0', onFailure: 'pause', pauseAfterFirstBatch: false },
    drain: false, requireApproval: false, parameters: '', gated: false,
  };
}

export function toTemplateForm(template: Template): TemplateForm {
  const { id: _id, revision: _r, createdBy: _cb, createdAt: _ca, updatedBy: _ub, updatedAt: _ua, ...spec } = template;
  return { ...spec, parameters: formatParameters(template.parameters), gated: !!template.gate, gate: template.gate ?? undefined };
}

function blankless<T extends object>(value: T | undefined): T | undefined {
  if (!value) return undefined;
  const kept = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  return Object.keys(kept).length ? (kept as T) : undefined;
}

/** The editor's values as the API's body: empty fields left out (the service's defaults apply), a type's own block only for it. */
export function toTemplateBody(form: TemplateForm): TemplateSpec {
  const { gated, parameters, gate, java, nginx, healthCheck, batch, steps, ...rest } = form;
  return {
    ...rest,
    steps: (steps ?? []).map((s) => blankless(s) as Step),
    healthCheck: blankless(healthCheck),
    batch: blankless(batch),
    gate: gated ? (gate as TemplateSpec['gate']) : undefined,
    parameters: parseParameters(parameters),
    java: form.type === 'java' ? blankless(java) : undefined,
    nginx: form.type === 'nginx' ? blankless(nginx) : undefined,
    runUser: rest.runUser || undefined,
  };
}

/** The hosts of a plan in batch order (what the console shows before anything ran). */
export function planHosts(plan: Plan): string[] {
  return plan.batches.flatMap((b) => b.hosts.map((h) => h.hostname));
}

/** An ISO instant to the second in the user's language, or '–'. */
export function formatInstant(iso: string | undefined, lang: string): string {
  return iso ? new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso)) : '–';
}
