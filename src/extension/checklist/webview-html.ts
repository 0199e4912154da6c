/**
 * The page every Preflight webview loads: a strict Content-Security-Policy (nothing but our own
 * stylesheet and the one script carrying this load's nonce), an empty root the script renders
 * into, and optionally the first model as a JSON data block. No `vscode` import: tests render
 * it with hostile workspace strings.
 */
import { randomBytes } from 'node:crypto';

export interface WebviewPage {
  /** `webview.cspSource`. */
  cspSource: string;
  /** `webview.asWebviewUri(...)` of the bundled script and the stylesheet, as strings. */
  scriptUri: string;
  styleUri: string;
  nonce: string;
  title: string;
  /** Data the script reads at start (JSON in a non-executable data block). */
  initialModel?: unknown;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that can sit inside a <script> element: `<`, `>` and `&` become \u escapes, so no
 * `</script>` or `<!--` in workspace text can end or change the element, and U+2028/2029 too.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `style-src ${cspSource}`, `img-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

export function webviewHtml(page: WebviewPage): string {
  const data = page.initialModel === undefined ? '' : `\n  <script type="application/json" id="initial-model">${jsonForScript(page.initialModel)}</script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(page.cspSource, page.nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeHtml(page.styleUri)}">
  <title>${escapeHtml(page.title)}</title>
</head>
<body>
  <div id="root"></div>${data}
  <script nonce="${escapeHtml(page.nonce)}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>`;
}
