/**
 * `preflight check --format gitlab`: a GitLab Code Quality report (the `codequality` report
 * artifact), shown in the merge request widget and diff. Each finding is one issue object with
 * the fields GitLab requires: `description`, `check_name`, `fingerprint` (stable across runs, as
 * SARIF's, so GitLab can tell new findings from fixed ones), `severity` and `location` with `path`
 * (relative to the repository root) and `lines.begin`.
 */
import type { AnalysisResult, Severity } from '../../core/types';
import { findingFingerprints } from './fingerprint';
import { displayPath } from './paths';

export interface CodeQualityIssue {
  type: 'issue';
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  categories: string[];
  location: { path: string; lines: { begin: number; end: number } };
}

/** error: fails or loses data at deploy; warning: blocks traffic or breaks running code; info: hygiene. */
const SEVERITY: Record<Severity, CodeQualityIssue['severity']> = { error: 'critical', warning: 'major', info: 'info' };

export function toGitlabCodeQuality(result: AnalysisResult, root: string): CodeQualityIssue[] {
  const fingerprint = findingFingerprints();
  return result.findings.map((f) => {
    const file = displayPath(root, f.file);
    return {
      type: 'issue',
      description: f.help ? `${f.message} ${f.help}` : f.message,
      check_name: f.rule,
      fingerprint: fingerprint(f, file),
      severity: SEVERITY[f.severity],
      categories: ['Bug Risk'],
      location: { path: file, lines: { begin: f.range.start.line, end: f.range.end.line } },
    };
  });
}
