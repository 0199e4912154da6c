/**
 * Replays a migration history in Prisma's order and analyses each migration against the
 * database the earlier ones leave. Results are reused while nothing before them changed: after an
 * edit to the newest migration, only that migration is analysed again.
 */
import { Catalog } from '../catalog/model';
import type { PrismaSchemaModel } from '../prisma/schema';
import type { SchemaFile } from '../project/schema-file';
import type { Finding } from '../types';
import { analyzeMigration, type MigrationAnalysis, type MigrationInput, type MigrationOptions } from './analyze-migration';

/** What HistoryAnalyzer asks of a persistent cache (the CLI's is cache/history-store.ts, a floor above). */
export interface PersistentHistory {
  /** The analyses of the longest prefix of `migrations` the cache holds, in order. */
  restore(migrations: readonly MigrationInput[], optionsKey: string): MigrationAnalysis[];
  /**
   * The findings of migration `index` judged on the whole history (see analyzeProject), when the
   * last restore() restored this very history and the cache holds them.
   */
  judged(index: number): readonly Finding[] | undefined;
  /**
   * Records the analyses of the whole history (the first `restored` came from restore()), with
   * the findings judged on the whole history of those it judged, by index.
   */
  record(migrations: readonly MigrationInput[], analyses: readonly MigrationAnalysis[], optionsKey: string, restored: number, judged?: ReadonlyMap<number, readonly Finding[]>): void;
  /** schema.prisma parsed, or restored when the cache holds these very files parsed (civitai's 302 models take 0.1-0.3 s). */
  parsedSchema(files: readonly SchemaFile[], parse: (files: readonly SchemaFile[]) => PrismaSchemaModel): PrismaSchemaModel;
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
   * @param persistent a cache on disk (the CLI's): the unchanged prefix it holds is restored, not
   *   replayed; the caller records the history in it (with `restored`) once it has judged it
   */
  analyze(migrations: readonly MigrationInput[], options: MigrationOptions, optionsKey: string, persistent?: PersistentHistory | null): { analyses: MigrationAnalysis[]; catalog: Catalog; reused: number; restored: number } {
    // A migration's analysis depends on its own text and on every migration before it, so the
    // cache holds for the longest unchanged prefix. Comparing the texts themselves costs less than
    // hashing them (a string comparison stops at the first difference and needs no digest).
    const previous = optionsKey === this.optionsKey ? this.cache : [];
    const stored = persistent && !previous.length ? persistent.restore(migrations, optionsKey) : [];
    const next: CachedMigration[] = [];
    // The catalog the previous migration left, read only when needed: a restored one is built on first read.
    let last: MigrationAnalysis | null = null;
    const catalogBefore = () => (last ? last.after : new Catalog());
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
        analysis = analyzeMigration(m, catalogBefore(), options);
      }
      next.push({ name: m.name, file: m.file, text: m.text, analysis });
      analyses.push(analysis);
      last = analysis;
    }
    this.optionsKey = optionsKey;
    this.cache = next;
    return { analyses, catalog: catalogBefore(), reused, restored: stored.length };
  }

  clear(): void {
    this.cache = [];
    this.optionsKey = null;
  }
}
