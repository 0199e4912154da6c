/**
 * Permission tests as root: mode bits do not stop root, so the built CLI runs as `nobody`
 * (runuser). That needs runuser, and a checkout `nobody` may read: a clone in a private folder
 * (mktemp -d makes one with mode 0700) cannot be. Without either, those tests skip, saying why.
 */
import { spawnSync } from 'node:child_process';
import { constants, existsSync } from 'node:fs';

export const IS_ROOT = process.getuid?.() === 0;
const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find(existsSync);

/** `node ...argv`, as `nobody` when this process is root (else as this user, whom mode bits already stop). */
export function commandAsOtherUser(argv: string[]): [string, string[]] {
  return IS_ROOT ? [RUNUSER!, ['-u', 'nobody', '--', process.execPath, ...argv]] : [process.execPath, argv];
}

let unavailable: string | null | undefined;

/** Why the permission tests cannot run here, or null when they can. `cli`: the bundle they run. */
function otherUserUnavailable(cli: string): string | null {
  if (unavailable !== undefined) return unavailable;
  if (!IS_ROOT) return (unavailable = null);
  if (!RUNUSER) return (unavailable = 'run as root without runuser, so no other user can be tried');
  const r = spawnSync(RUNUSER, ['-u', 'nobody', '--', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(cli)}, ${constants.R_OK})`]);
  return (unavailable = r.status === 0 ? null : `nobody cannot read ${cli} (a checkout in a private folder); clone into a folder other users can read to run them`);
}

/** Skips `test` (saying why, once) when the permission tests cannot run here. */
export function skipWithoutOtherUser(test: Mocha.Context, cli: string): void {
  const first = unavailable === undefined;
  const why = otherUserUnavailable(cli);
  if (!why) return;
  if (first) console.log(`      permission tests skipped: ${why}`);
  test.skip();
}
