/**
 * `preflight check --format sarif`: a SARIF 2.1.0 log (what GitHub code scanning and other
 * viewers upload). Valid against the OASIS schema, which test/fixtures holds.
 *
 * - every rule is described in `tool.driver.rules`, its docs rendered once from the rule file;
 * - artifact URIs are relative to `%SRCROOT%`, the report root (the repository top level, see paths.ts), given in `originalUriBaseIds`;
 * - columns count UTF-16 code units (`columnKind`), as the core's positions do;
 * - fixes carry their edits as character-offset regions (`charOffset` / `charLength`);
 * - the analysis notices become tool execution notifications.
 */
import { plainText } from '../../core/text/plain-text';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as sarif from 'sarif';
import { renderRuleDoc, ruleDocUrl } from '../../core/rules/docs';
import type { AnalysisResult, Finding, Fix, RuleMeta, Severity, SourceRange } from '../../core/types';
import { findingFingerprints } from './fingerprint';
import { displayPath, pathToUriReference } from './paths';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/preflight-dev/preflight';
export const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, sarif.ReportingConfiguration.level & sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };

export function toSarif(result: AnalysisResult, rules: readonly RuleMeta[], cwd: string, toolVersion: string): sarif.Log {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const fingerprint = findingFingerprints();
  const results = result.findings.map((f) => toResult(f, ruleIndex.get(f.rule), cwd, fingerprint));
  const run: sarif.Run = {
    tool: {
      driver: {
        name: 'preflight',
        informationUri: INFORMATION_URI,
        version: toolVersion,
        rules: rules.map(toReportingDescriptor),
      },
    },
    invocations: [
      {
        executionSuccessful: true,
        ...(result.notices.length ? { toolExecutionNotifications: result.notices.map((n) => ({ level: 'note' as const, message: { text: n } })) } : {}),
      },
    ],
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(cwd) } },
    columnKind: 'utf16CodeUnits',
    results,
    ...(result.prismaVersion ? { properties: { prismaVersion: result.prismaVersion } } : {}),
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

function toReportingDescriptor(meta: RuleMeta): sarif.ReportingDescriptor {
  const url = ruleDocUrl(meta.id);
  return {
    id: meta.id,
    shortDescription: { text: plainText(meta.summary), markdown: meta.summary },
    fullDescription: { text: plainText(meta.docs.whatItDoes), markdown: meta.docs.whatItDoes },
    help: {
      text: `${plainText(meta.docs.whatItDoes)}\n\n${plainText(meta.docs.whyIsThisBad)}\n\nSafe alternative, example and references: ${url}`,
      markdown: renderRuleDoc(meta),
    },
    helpUri: url,
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    properties: { category: meta.category, fixAvailability: meta.fixAvailability, tags: [meta.category] },
  };
}

function toResult(f: Finding, index: number | undefined, cwd: string, fingerprint: ReturnType<typeof findingFingerprints>): sarif.Result {
  const file = displayPath(cwd, f.file);
  const out: sarif.Result = {
    ruleId: f.rule,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVEL[f.severity],
    message: { text: f.help ? `${f.message} ${f.help}` : f.message },
    locations: [{ physicalLocation: physicalLocation(file, f.range) }],
    partialFingerprints: { 'preflightFinding/v1': fingerprint(f, file) },
    properties: { migration: f.migration },
  };
  if (f.related?.length) {
    out.relatedLocations = f.related.map((r, i) => ({
      id: i + 1,
      physicalLocation: physicalLocation(displayPath(cwd, r.file), r.range),
      message: { text: r.message },
    }));
  }
  const fixes = (f.fixes ?? []).map((fix) => toFix(fix, cwd)).filter((fix) => fix.artifactChanges.length > 0);
  if (fixes.length) out.fixes = fixes;
  return out;
}

function physicalLocation(file: string, range: SourceRange): sarif.PhysicalLocation {
  return {
    artifactLocation: { uri: pathToUriReference(file), uriBaseId: SRCROOT },
    region: {
      startLine: range.start.line,
      startColumn: range.start.column,
      endLine: range.end.line,
      endColumn: range.end.column,
      charOffset: range.startOffset,
      charLength: range.endOffset - range.startOffset,
    },
  };
}

/** A fix's edits grouped per file, in order; a new file is one insertion at the start of an empty artifact. */
function toFix(fix: Fix, cwd: string): sarif.Fix {
  const changes = new Map<string, sarif.Replacement[]>();
  const add = (file: string, replacement: sarif.Replacement) => {
    const key = displayPath(cwd, file);
    const list = changes.get(key) ?? [];
    list.push(replacement);
    changes.set(key, list);
  };
  for (const e of fix.edits) {
    add(e.file, {
      deletedRegion: { charOffset: e.startOffset, charLength: e.endOffset - e.startOffset },
      ...(e.newText ? { insertedContent: { text: e.newText } } : {}),
    });
  }
  for (const n of fix.newFiles ?? []) add(n.file, { deletedRegion: { charOffset: 0, charLength: 0 }, insertedContent: { text: n.content } });
  return {
    description: { text: `${fix.title} (${fix.safe ? 'safe' : 'unsafe'} fix)` },
    artifactChanges: [...changes].map(([file, replacements]) => ({ artifactLocation: { uri: pathToUriReference(file), uriBaseId: SRCROOT }, replacements })),
    properties: { safe: fix.safe },
  };
}

/**
 * Identifies a finding across runs without its line number (so an edit above it keeps the alert):
 * rule, file, migration and message, plus an occurrence counter for identical findings.
 */
/** `file:` URI of a directory, with the trailing slash SARIF requires of a base URI. */
function directoryUri(dir: string): string {
  const href = pathToFileURL(path.resolve(dir)).href;
  return href.endsWith('/') ? href : `${href}/`;
}

