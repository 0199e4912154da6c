/**
 * The page of the rule-documentation view: the Markdown rendered to HTML by VS Code's Markdown
 * renderer, under a Content-Security-Policy that allows our stylesheet and nothing else (no
 * scripts at all). Without the renderer the Markdown shows as preformatted text. No `vscode`.
 */
import { contentSecurityPolicy, escapeHtml } from './checklist/webview-html';

export interface RuleDocPage {
  cspSource: string;
  styleUri: string;
  nonce: string;
  id: string;
  /** The rendered Markdown, or null to show `markdown` as text. */
  html: string | null;
  markdown: string;
}

export function renderRuleDocPage(page: RuleDocPage): string {
  const body = page.html ?? `<pre class="rule-doc-text">${escapeHtml(page.markdown)}</pre>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(page.cspSource, page.nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeHtml(page.styleUri)}">
  <title>${escapeHtml(`Rule: ${page.id}`)}</title>
</head>
<body>
  <main class="rule-doc" data-rule="${escapeHtml(page.id)}">
${body}
  </main>
</body>
</html>`;
}
