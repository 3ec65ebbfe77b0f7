/**
 * `Authorization: Basic` for security profiles 1 and 2 (DESIGN rule 9): the user name is the charger
 * identity (the URL's last path segment, percent-decoded); the password is sent as UTF-8 bytes.
 */
export function basicAuthFor(url: string, password: string): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  let identity = last;
  try {
    identity = decodeURIComponent(last);
  } catch {
    // Keep the raw segment: the server will refuse it, which is what a check wants to see.
  }
  return `Basic ${Buffer.concat([Buffer.from(`${identity}:`, 'utf8'), Buffer.from(password, 'utf8')]).toString('base64')}`;
}
