/**
 * A finding's identity across runs, for SARIF `partialFingerprints` and GitLab Code Quality
 * `fingerprint`: rule, file, migration and message, not the line, so an edit above a finding does
 * not make it a new one. Identical findings in one file are told apart by their order (`:2`).
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../../core/types';

/** A fingerprinter for one report: call it once per finding, in the report's order. */
export function findingFingerprints(): (f: Finding, displayFile: string) => string {
  const seen = new Map<string, number>();
  return (f, file) => {
    const hash = createHash('sha256').update([f.rule, file, f.migration ?? '', f.message].join('\0')).digest('hex').slice(0, 32);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  };
}
