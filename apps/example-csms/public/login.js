// Login page: trades the operator token for an HttpOnly session cookie (POST /auth/login, same-origin JSON).
const form = document.getElementById('login');
const error = document.getElementById('login-error');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  const res = await fetch('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: form.elements.token.value }),
  });
  if (res.status === 204) {
    location.replace('/');
    return;
  }
  const body = await res.json().catch(() => null);
  error.textContent = body?.message ?? `Login failed (${res.status})`;
});
