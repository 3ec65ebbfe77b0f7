// REST calls of the dashboard. The session cookie authenticates them; state changes always carry a JSON
// body and the browser adds the same-origin Origin header, which the server's cross-site guard requires.
export const API = '/api/v1';

export async function api(method, path, body) {
  const changes = method !== 'GET';
  const res = await fetch(`${API}${path}`, {
    method,
    headers: changes ? { 'content-type': 'application/json' } : {},
    body: changes ? JSON.stringify(body ?? {}) : undefined,
  });
  if (res.status === 401) {
    location.assign('/login');
    throw new Error('session ended, log in again');
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new Error(data?.message ?? `${res.status} ${res.statusText}`);
  return data;
}

export async function logout() {
  await fetch('/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  location.assign('/login');
}
