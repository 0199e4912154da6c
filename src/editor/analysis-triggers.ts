/**
 * What makes the analyses run again, for every editor: a document typed in (after the settings'
 * delay), opened, closed or saved; files created, changed or deleted on disk (a migration folder
 * created or removed re-reads the project's layout; a config file re-discovers every project).
 */
import type { Disposable } from './emitter';
import { isPrismaFile, type WorkspaceAnalyzer } from './workspace-analyzer';

/** Files whose changes on disk matter (globs, for file watchers). */
export const WATCHED_GLOBS = ['**/migration.sql', '**/*.prisma', '**/migration_lock.toml', '**/preflight.config.json', '**/prisma.config.{ts,mts,cts,js,mjs,cjs}', '**/migrations/*'];

export class AnalysisTriggers implements Disposable {
  private readonly layoutTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly analyzer: WorkspaceAnalyzer) {}

  /** A document of the editor changed (`delayMs`: the settings' analysisDelay while typing, 0 otherwise); `saved` re-reads its git changes. */
  async document(file: string, delayMs: number, saved = false): Promise<void> {
    if (!isPrismaFile(file)) return;
    const session = await this.analyzer.ensureSessionOf(file);
    if (session) this.analyzer.schedule(session, delayMs, saved ? { git: [file] } : {});
  }

  /** A file changed on disk; `layoutChanged` when it was created or deleted. */
  disk(file: string, layoutChanged: boolean): void {
    if (/preflight\.config\.json$|prisma\.config\.[cm]?[jt]s$/.test(file)) {
      this.debounce('*', () => void this.analyzer.discoverAll());
      return;
    }
    const session = this.analyzer.sessionOf(file);
    if (!session) {
      if (layoutChanged && isPrismaFile(file)) this.debounce('*', () => void this.analyzer.discoverAll());
      return;
    }
    if (layoutChanged) this.debounce(session.key, () => void this.analyzer.rediscover(session));
    else this.analyzer.schedule(session, 100, { git: [file] });
  }

  dispose(): void {
    this.layoutTimers.forEach((t) => clearTimeout(t));
    this.layoutTimers.clear();
  }

  private debounce(key: string, run: () => void): void {
    const t = this.layoutTimers.get(key);
    if (t) clearTimeout(t);
    this.layoutTimers.set(
      key,
      setTimeout(() => {
        this.layoutTimers.delete(key);
        run();
      }, 200),
    );
  }
}
