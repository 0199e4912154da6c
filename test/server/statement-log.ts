/**
 * Statements in a server log written with log_statement=all and log_line_prefix='[%a] ': the
 * application name of each, and each statement of a simple-query batch on its own.
 */
export interface LoggedStatement {
  app: string;
  text: string;
}

export function preflightStatements(log: string): LoggedStatement[] {
  const out: LoggedStatement[] = [];
  let current: LoggedStatement | null = null;
  const flush = () => {
    if (!current) return;
    for (const part of current.text.split(';').map((p) => p.trim()).filter(Boolean)) out.push({ app: current.app, text: part });
    current = null;
  };
  for (const line of log.split('\n')) {
    const m = /^\[([^\]]*)\] LOG:\s+(?:statement|execute [^:]*): (.*)$/.exec(line);
    if (m) {
      flush();
      current = { app: m[1], text: m[2] };
    } else if (current && line.startsWith('\t')) current.text += `\n${line.slice(1)}`;
    else flush();
  }
  flush();
  return out;
}
