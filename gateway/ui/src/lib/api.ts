import { clearSession, loadSession, needsRenewal, saveSession, type Session } from './session';

/** A page of a list (API.md's list convention). */
export interface Page<T> { items: T[]; page: number; size: number; total: number }

/** An API failure as RFC 9457 problem+json: what the UI shows (title and detail), never a blank page. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly title: string, readonly detail: string | undefined,
              readonly errors: { field: string; message: string }[] = []) {
    super(detail ? `${title}: ${detail}` : title);
  }

  /** The message for one field (validation errors), if the API named it. */
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

/** Reads a failed response as a problem; falls back to the status text when the body is not one. */
export async function problemOf(response: Response): Promise<ApiError> {
  try {
    const body = await response.json();
    return new ApiError(response.status, body.title ?? response.statusText, body.detail, Array.isArray(body.errors) ? body.errors : []);
  } catch {
    return new ApiError(response.status, response.statusText || `HTTP ${response.status}`, undefined);
  }
}

type Listener = () => void;
const expiredListeners: Listener[] = [];

/** Called when the session cannot be renewed: the app goes back to the login page. */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.push(listener);
  return () => expiredListeners.splice(expiredListeners.indexOf(listener), 1);
}

let renewing: Promise<Session | null> | null = null;

/** Trades the refresh token for new tokens (once at a time); null when that fails. */
export function renew(): Promise<Session | null> {
  if (!renewing) {
    renewing = (async () => {
      const session = loadSession();
      if (!session) {
        return null;
      }
      const response = await fetch('/api/auth/refresh', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refreshToken: session.refreshToken }),
      });
      if (!response.ok) {
        return null;
      }
      return saveSession(await response.json());
    })().finally(() => {
      renewing = null;
    });
  }
  return renewing;
}

function expired(): never {
  clearSession();
  expiredListeners.forEach((l) => l());
  throw new ApiError(401, 'Unauthorized', 'Your session has ended; please sign in again.');
}

/** Calls Loki's API with the session's token, renewing it when due (or once after a 401). */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  let session = loadSession();
  if (!session) {
    expired();
  }
  if (needsRenewal(session)) {
    session = (await renew()) ?? expired();
  }
  const call = (token: string) => fetch(path, {
    ...init,
    headers: { ...(init.body ? { 'Content-Type': 'application/json' } : {}), ...init.headers, Authorization: `Bearer ${token}` },
  });
  let response = await call(session.accessToken);
  if (response.status === 401) {
    const renewed = await renew();
    if (!renewed) {
      expired();
    }
    response = await call(renewed.accessToken);
    if (response.status === 401) {
      expired();
    }
  }
  if (!response.ok) {
    throw await problemOf(response);
  }
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

export async function login(username: string, password: string): Promise<Session> {
  const response = await fetch('/api/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (!response.ok) {
    throw await problemOf(response);
  }
  return saveSession(await response.json());
}

export async function logout(): Promise<void> {
  const session = loadSession();
  clearSession();
  if (session) {
    await fetch('/api/auth/logout', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${session.accessToken}` },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    }).catch(() => undefined);
  }
}
