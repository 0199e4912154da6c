/**
 * `preflight trace --cleanup` / `--list-leftovers`: the temporary databases (and throwaway roles)
 * earlier dry runs left on the shadow server, listed with the run that made them; `--cleanup`
 * drops every one not in use by a live run on this host. Exit 0, or 1 when one could not be dropped.
 */
import { dropLeftover, inUse, listLeftovers } from '../core/trace/leftover-databases';
import { connectClient, connectionProblem } from '../core/trace/postgres-engine';
import { redactSecrets } from '../core/trace/redact';
import { serverSettings, type ServerTimeouts } from '../core/trace/server-connection';
import type { Io } from './main';

export async function traceCleanup(url: string, timeouts: ServerTimeouts, drop: boolean, io: Io): Promise<number> {
  const settings = serverSettings(url, timeouts, io.env);
  let admin;
  try {
    admin = await connectClient(settings.config, settings.sslmode);
  } catch (e) {
    io.stderr(`preflight: cannot connect to the shadow database server (${settings.redacted}): ${redactSecrets(connectionProblem(e, settings.sslmode, timeouts), url)}\n`);
    return 2;
  }
  let failed = 0;
  try {
    const leftovers = await listLeftovers(admin);
    if (leftovers.length === 0) io.stdout('No temporary databases of earlier dry runs on this server.\n');
    for (const d of leftovers) {
      const who = d.marker ? `made by pid ${d.marker.pid} on ${d.marker.host} at ${d.marker.started}` : 'no Preflight marker';
      if (!drop) {
        io.stdout(`${d.database}  ${who}${inUse(d.marker) ? ' (in use)' : ''}\n`);
      } else if (inUse(d.marker)) {
        io.stdout(`kept ${d.database}  ${who} (its run is still going)\n`);
      } else {
        const error = await dropLeftover(admin, d);
        if (error) failed++;
        io.stdout(error ? `could not drop ${d.database}  ${who}: ${error}\n` : `dropped ${d.database}${d.role ? ' and its role' : ''}  ${who}\n`);
      }
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
  return failed ? 1 : 0;
}
