/** The signed-in session: Loki's access and refresh tokens, kept in localStorage so a reload keeps it. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: number; // epoch ms
}

const KEY = 'loki.session';

export function loadSession(storage: Storage = localStorage): Session | null {
  try {
    const raw = storage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(tokens: { accessToken: string; refreshToken: string; expiresIn: number }, now = Date.now(),
                            storage: Storage = localStorage): Session {
  const session = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: now + tokens.expiresIn * 1000 };
  storage.setItem(KEY, JSON.stringify(session));
  return session;
}

export function clearSession(storage: Storage = localStorage): void {
  storage.removeItem(KEY);
}

/** Whether the access token should be renewed before use (less than 30 s left). */
export function needsRenewal(session: Session, now = Date.now()): boolean {
  return session.expiresAt - now < 30_000;
}
