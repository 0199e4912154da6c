/**
 * Replays a migration history in Prisma's order and analyses each migration against the
 * database the earlier ones leave. Results are reused while nothing before them changed: after an
 * edit to the newest migration, only that migration is analysed again.
 */
import { Catalog } from '../catalog/model';
import { analyzeMigration, type MigrationAnalysis, type MigrationInput, type MigrationOptions } from './analyze-migration';

/** What HistoryAnalyzer asks of a persistent cache (the CLI's is cache/history-store.ts, a floor above). */
export interface PersistentHistory {
  /** The analyses of the longest prefix of `migrations` the cache holds, in order. */
  restore(migrations: readonly MigrationInput[], optionsKey: string): MigrationAnalysis[];
  /** Records the analyses of the whole history (the first `restored` came from restore()). */
  record(migrations: readonly MigrationInput[], analyses: readonly MigrationAnalysis[], optionsKey: string, restored: number): void;
}

interface CachedMigration {
  name: string;
  file: string;
  text: string;
  analysis: MigrationAnalysis;
}

export class HistoryAnalyzer {
  private optionsKey: string | null = null;
  private cache: CachedMigration[] = [];

  /**
   * @param optionsKey everything besides the files that changes the results (Prisma version,
   *   severities); a different key starts from scratch.
   * @param persistent a cache on disk (the CLI's): the unchanged prefix it holds is restored, not replayed
   */
  analyze(migrations: readonly MigrationInput[], options: MigrationOptions, optionsKey: string, persistent?: PersistentHistory | null): { analyses: MigrationAnalysis[]; catalog: Catalog; reused: number } {
    // A migration's analysis depends on its own text and on every migration before it, so the
    // cache holds for the longest unchanged prefix. Comparing the texts themselves costs less than
    // hashing them (a string comparison stops at the first difference and needs no digest).
    const previous = optionsKey === this.optionsKey ? this.cache : [];
    const stored = persistent && !previous.length ? persistent.restore(migrations, optionsKey) : [];
    const next: CachedMigration[] = [];
    let catalog = new Catalog();
    let reused = 0;
    let unchanged = true;
    const analyses: MigrationAnalysis[] = [];
    for (const [i, m] of migrations.entries()) {
      const cached = unchanged ? previous[i] : undefined;
      let analysis: MigrationAnalysis;
      if (cached && cached.name === m.name && cached.file === m.file && cached.text === m.text) {
        analysis = cached.analysis;
        reused++;
      } else if (unchanged && i < stored.length) {
        analysis = stored[i];
        reused++;
      } else {
        unchanged = false;
        analysis = analyzeMigration(m, catalog, options);
      }
      next.push({ name: m.name, file: m.file, text: m.text, analysis });
      analyses.push(analysis);
      catalog = analysis.after;
    }
    this.optionsKey = optionsKey;
    this.cache = next;
    persistent?.record(migrations, analyses, optionsKey, stored.length);
    return { analyses, catalog, reused };
  }

  clear(): void {
    this.cache = [];
    this.optionsKey = null;
  }
}
