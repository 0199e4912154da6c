/**
 * Database URLs carry passwords. They are redacted structurally: the URL is parsed and its
 * password component (userinfo or a `password=` parameter) is masked; a URL that does not parse
 * has everything between `://` and its last `@` masked. The password's text is never searched for
 * in other output: a password such as `postgres` or `e` must not change `"engine": "postgres"` or
 * break a JSON document.
 */

const MASK = '****';
const SECRET_PARAMS = /^(password|pass|pwd|sslpassword)$/i;

/** The URL with its password (userinfo or `password=` parameter) replaced by `****`. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return redactUnparsable(url);
  }
  if (u.password) u.password = MASK;
  for (const key of [...u.searchParams.keys()]) if (SECRET_PARAMS.test(key)) u.searchParams.set(key, MASK);
  return u.toString();
}

/** A URL that does not parse: everything between `://` and the last `@` (user and password), and any password parameter. */
function redactUnparsable(url: string): string {
  let out = url;
  const scheme = out.indexOf('://');
  const at = out.lastIndexOf('@');
  if (scheme >= 0 && at > scheme + 3) out = `${out.slice(0, scheme + 3)}${MASK}${out.slice(at)}`;
  return out.replace(/((?:[?&])(?:password|pass|pwd|sslpassword)=)[^&\s]*/gi, `$1${MASK}`);
}

/**
 * A message with every occurrence of the URL (as given, and as WHATWG URL prints it) replaced by
 * its redacted form. Nothing else of the message changes.
 */
export function redactSecrets(message: string, url: string | undefined | null): string {
  if (!url) return message;
  let out = message.split(url).join(redactUrl(url));
  try {
    const normalised = new URL(url).toString();
    if (normalised !== url) out = out.split(normalised).join(redactUrl(url));
  } catch {
    // the unparsable form was handled above
  }
  return out;
}
