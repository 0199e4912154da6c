/**
 * Replays a migration history in Prisma's order and analyses each migration against the
 * database the earlier ones leave. Results are cached by content: after an edit to the newest
 * migration, only that migration is analysed again.
 */
import { createHash } from 'node:crypto';
import { Catalog } from '../catalog/model';
import { analyzeMigration, type MigrationAnalysis, type MigrationInput, type MigrationOptions } from './analyze-migration';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export class HistoryAnalyzer {
  private cache = new Map<string, MigrationAnalysis>();

  /**
   * @param optionsKey everything besides the files that changes the results (Prisma version,
   *   severities); a different key starts from scratch.
   */
  analyze(migrations: readonly MigrationInput[], options: MigrationOptions, optionsKey: string): { analyses: MigrationAnalysis[]; catalog: Catalog; reused: number } {
    const next = new Map<string, MigrationAnalysis>();
    let chain = sha256(optionsKey);
    let catalog = new Catalog();
    let reused = 0;
    const analyses: MigrationAnalysis[] = [];
    for (const m of migrations) {
      chain = sha256(`${chain}\0${m.name}\0${m.file}\0${sha256(m.text)}`);
      let analysis = this.cache.get(chain);
      if (analysis) reused++;
      else analysis = analyzeMigration(m, catalog, options);
      next.set(chain, analysis);
      analyses.push(analysis);
      catalog = analysis.after;
    }
    this.cache = next;
    return { analyses, catalog, reused };
  }

  clear(): void {
    this.cache.clear();
  }
}
