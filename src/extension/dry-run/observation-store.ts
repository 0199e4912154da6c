/**
 * What the dry runs observed, per migration.sql, and whether it still describes the file. An
 * observation holds for exactly the text that was dry-run and the history replayed before it:
 * both are kept as hashes, and nothing is shown (hover, review panel, diagnostics) once the
 * file or an earlier migration no longer matches. No `vscode` here: unit-tested under Node.
 */
import { createHash } from 'node:crypto';
import type { TraceResult } from '../../core/trace/types';

export interface DryRunObservation {
  /** migration.sql, absolute. */
  file: string;
  /** Folder name, e.g. `20251208101530_add_product_barcode`. */
  migration: string;
  /** The project it belongs to (`ProjectSession.key`). */
  projectKey: string;
  /** Hash of the text that was dry-run (`textHash`). */
  textHash: string;
  /** Hash of the earlier migrations as they were replayed (`historyHash`). */
  historyHash: string;
  result: TraceResult;
  /** When the dry run finished (ms since the epoch). */
  finishedAt: number;
}

/** A short, stable digest of a file's text (the BOM, which editors hide, does not count). */
export function textHash(text: string): string {
  return createHash('sha256').update(stripBom(text)).digest('hex').slice(0, 32);
}

/** A migration as the store compares it: its folder name and `textHash` of its text. */
export interface HashedMigration {
  name: string;
  textHash: string;
}

/** A digest of the migrations replayed before the dry-run one: their names and texts, in order. */
export function historyHash(migrations: readonly HashedMigration[]): string {
  const h = createHash('sha256');
  for (const m of migrations) h.update(m.name).update('\0').update(m.textHash).update('\0');
  return h.digest('hex').slice(0, 32);
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export class ObservationStore {
  private readonly byFile = new Map<string, DryRunObservation>();

  /** Keeps the newest observation of a file (replacing the one before). */
  set(observation: DryRunObservation): void {
    this.byFile.set(observation.file, observation);
  }

  /** The last observation of a file, current or not. */
  last(file: string): DryRunObservation | undefined {
    return this.byFile.get(file);
  }

  /** The observation of `file` if it was made on exactly this text; undefined when stale or absent. */
  current(file: string, text: string): DryRunObservation | undefined {
    const o = this.byFile.get(file);
    return o && o.textHash === textHash(text) ? o : undefined;
  }

  /**
   * Drops the observation of `file` when it no longer describes the project: its text changed, or
   * the migrations before it did. `history` is what the project holds now, in Prisma's order.
   * Returns true when something was dropped.
   */
  dropIfStale(file: string, history: readonly HashedMigration[]): boolean {
    const o = this.byFile.get(file);
    if (!o) return false;
    const at = history.findIndex((m) => m.name === o.migration);
    if (at >= 0 && history[at].textHash === o.textHash && historyHash(history.slice(0, at)) === o.historyHash) return false;
    this.byFile.delete(file);
    return true;
  }

  delete(file: string): boolean {
    return this.byFile.delete(file);
  }

  /** Files with an observation, optionally of one project only. */
  files(projectKey?: string): string[] {
    return [...this.byFile.values()].filter((o) => projectKey === undefined || o.projectKey === projectKey).map((o) => o.file);
  }
}
