// The console's calls to the server. The session is an HttpOnly cookie the scripts never see; what they keep is
// the CSRF token the server handed out with the session, sent on every state-changing request (docs/console.md).

export interface ApiError {
  status: number;
  code: string;
  message: string;
}

export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

export interface ConsoleSession {
  csrfToken: string;
  expiresAt: string;
  node: { role: string; id: string };
}

let csrfToken: string | null = null;
let onSignedOut: () => void = () => undefined;

export function setSession(session: ConsoleSession | null): void {
  csrfToken = session ? session.csrfToken : null;
}

/** Called when the server answers 401 to a call made with the session: it expired or was signed out elsewhere. */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (!SAFE_METHODS.has(method) && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (response.status === 401 && csrfToken && !path.startsWith('/console/api/session')) {
    setSession(null);
    onSignedOut();
  }
  if (!response.ok) {
    throw new ApiFailure(await errorOf(response));
  }
  if (response.status === 204) {
    return undefined as T;
  }
  return (await response.json()) as T;
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = await response.json();
    return { status: response.status, code: body.error?.code ?? 'error', message: body.error?.message ?? response.statusText };
  } catch {
    return { status: response.status, code: 'error', message: `${response.status} ${response.statusText}` };
  }
}

export function describe(error: unknown): string {
  return error instanceof ApiFailure ? `${error.error.message} (${error.error.status})` : String(error);
}
