/**
 * Text for plain-text surfaces (stderr, GitHub annotations, SARIF's text messages, the Problems
 * panel, notifications): messages and help are written with Markdown code spans for the surfaces
 * that render them; elsewhere a backtick would show as it is.
 */

/** `x` → x, and a stray backtick is dropped. */
export function plainText(text: string): string {
  return text.replace(/`([^`\n]*)`/g, '$1').replace(/`/g, '');
}
