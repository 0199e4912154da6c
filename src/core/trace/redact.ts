/**
 * Database URLs carry passwords. Every message the dry run produces about a real database goes
 * through `redactSecrets` first, so a password never reaches a terminal, a log or a diagnostic.
 */

const MASK = '****';

/** The URL with its password (userinfo or `password=` parameter) replaced by `****`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = MASK;
    for (const key of [...u.searchParams.keys()]) if (/^(password|pass|pwd|sslpassword)$/i.test(key)) u.searchParams.set(key, MASK);
    return u.toString();
  } catch {
    return url
      .replace(/(\/\/[^:/@\s]*:)[^@\s]*@/g, `$1${MASK}@`)
      .replace(/((?:password|pass|pwd|sslpassword)=)[^&\s]*/gi, `$1${MASK}`);
  }
}

/** The secrets a URL holds (its password, decoded and as written), longest first. */
function secretsOf(url: string): string[] {
  const out = new Set<string>();
  try {
    const u = new URL(url);
    if (u.password) {
      out.add(u.password);
      try {
        out.add(decodeURIComponent(u.password));
      } catch {
        // keep the raw form only
      }
    }
    for (const [key, value] of u.searchParams) if (/^(password|pass|pwd|sslpassword)$/i.test(key) && value) out.add(value);
  } catch {
    const m = /\/\/[^:/@\s]*:([^@\s]*)@/.exec(url);
    if (m?.[1]) out.add(m[1]);
  }
  return [...out].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

/**
 * A message with every occurrence of the URL redacted and every secret of the URL masked, also
 * where a driver quotes the password on its own.
 */
export function redactSecrets(message: string, url: string | undefined | null): string {
  if (!url) return message;
  let out = message.split(url).join(redactUrl(url));
  for (const secret of secretsOf(url)) out = out.split(secret).join(MASK);
  return out;
}
