import { request } from 'undici';

/** One REST answer: status and parsed JSON body (undefined for empty bodies). */
export interface RestAnswer<T = unknown> {
  status: number;
  body: T;
}

/** The operator token the e2e CSMS instances are started with (ADMIN_TOKEN): the REST API requires one. */
export const E2E_OPERATOR_TOKEN = 'e2e-operator-token-0123456789abcdef';

/** Calls the example CSMS's REST API with undici, as an operator (Bearer token). */
export async function rest<T = unknown>(base: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<RestAnswer<T>> {
  const res = await request(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${E2E_OPERATOR_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
