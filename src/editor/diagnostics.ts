/**
 * Findings → diagnostics, and which files get them. Open files always get theirs; the Problems
 * panel also covers the migrations added or changed on the current branch (setting
 * `preflight.problems.scope`: `all` for every migration), schema.prisma and project-wide findings.
 */
import type { Finding, RelatedLocation, Severity } from '../core/types';
import { plainText } from './plain-words';
import { toEditorRange } from './positions';
import type { ProjectSession } from './project-session';
import { DIAGNOSTIC_SOURCE, type DiagnosticRef, type EditorDiagnostic, type EditorRelatedInformation, type EditorSeverity } from './shapes';

/** Where a rule's page is, for the diagnostic's code link. */
export type RuleDocLink = (ruleId: string) => string;

export function toEditorSeverity(s: Severity): EditorSeverity {
  switch (s) {
    case 'error':
      return 1;
    case 'warning':
      return 2;
    default:
      return 3;
  }
}

export function toEditorDiagnostic(f: Finding, docLink: RuleDocLink): EditorDiagnostic {
  // The Problems panel is plain text: the core's Markdown code spans lose their backticks.
  const d: EditorDiagnostic = {
    range: toEditorRange(f.range),
    severity: toEditorSeverity(f.severity),
    source: DIAGNOSTIC_SOURCE,
    code: f.rule,
    codeDescription: { href: docLink(f.rule) },
    message: plainText(f.help ? `${f.message}\n${f.help}` : f.message),
  };
  if (f.related?.length) d.relatedInformation = f.related.map(toRelated);
  return d;
}

function toRelated(r: RelatedLocation): EditorRelatedInformation {
  return { location: { file: r.file, range: toEditorRange(r.range) }, message: plainText(r.message) };
}

/** The rule id of one of our diagnostics, or null for anyone else's. */
export function ruleOf(d: DiagnosticRef): string | null {
  if (d.source !== DIAGNOSTIC_SOURCE) return null;
  return d.code === undefined ? null : String(d.code);
}

/** What a front end does to publish: set these files' diagnostics, clear those files'. */
export interface DiagnosticsUpdate {
  set: Map<string, EditorDiagnostic[]>;
  clear: string[];
}

/**
 * Which files carry diagnostics, per project, between publications: each publication sets the
 * files with findings in scope and clears the ones published before that have none now.
 */
export class DiagnosticsScope {
  /** Files each project last published diagnostics for. */
  private readonly published = new Map<string, Set<string>>();

  constructor(private readonly docLink: RuleDocLink) {}

  /** `openFiles`: the documents open in the editor (always covered); `scopeAll`: `preflight.problems.scope` is `all`. */
  publish(session: ProjectSession, openFiles: ReadonlySet<string>, scopeAll: boolean): DiagnosticsUpdate {
    const before = this.published.get(session.key) ?? new Set<string>();
    const now = new Set<string>();
    const set = new Map<string, EditorDiagnostic[]>();
    for (const file of session.filesWithFindings()) {
      const findings = session.findingsOf(file).filter((f) => openFiles.has(file) || scopeAll || session.inBranchScope(f.migration));
      if (!findings.length) continue;
      set.set(
        file,
        findings.map((f) => toEditorDiagnostic(f, this.docLink)),
      );
      now.add(file);
    }
    this.published.set(session.key, now);
    return { set, clear: [...before].filter((file) => !now.has(file)) };
  }

  /** A project went away: the files to clear. */
  clear(session: ProjectSession): string[] {
    const files = [...(this.published.get(session.key) ?? [])];
    this.published.delete(session.key);
    return files;
  }
}
