/** Which migration a command is about: the one given (a Uri, a Migrations-tree node), else a quick pick. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProjectSession } from './project-session';
import type { WorkspaceAnalyzer } from './workspace-analyzer';

export interface MigrationTarget {
  session: ProjectSession;
  name: string;
}

interface MigrationPick extends vscode.QuickPickItem, MigrationTarget {}

/** The migration a command argument names: a Uri of migration.sql or its folder, a tree node, a path. */
export async function migrationOf(analyzer: WorkspaceAnalyzer, arg: unknown): Promise<MigrationTarget | undefined> {
  const file = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : isNode(arg) ? arg.dir : undefined;
  if (!file) return undefined;
  const probe = path.basename(file) === 'migration.sql' ? file : path.join(file, 'migration.sql');
  const session = await analyzer.ensureSessionOf(probe);
  const name = session?.migrationNameOf(file);
  return session && name ? { session, name } : undefined;
}

function isNode(arg: unknown): arg is { kind: 'migration'; dir: string } {
  return typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'migration' && typeof (arg as { dir?: unknown }).dir === 'string';
}

/** Quick-picks a migration folder of the workspace, newest first, with its error and warning counts. */
export async function pickMigration(analyzer: WorkspaceAnalyzer, title: string): Promise<MigrationTarget | undefined> {
  const items: MigrationPick[] = [];
  for (const session of analyzer.all()) {
    for (const m of [...session.project.migrations].reverse()) {
      if (!m.sqlFile) continue;
      const findings = session.analysis?.result.findings.filter((f) => f.migration === m.name) ?? [];
      const errors = findings.filter((f) => f.severity === 'error').length;
      const warnings = findings.filter((f) => f.severity === 'warning').length;
      const changed = session.branch?.changed.has(m.name);
      items.push({
        label: m.name,
        description: `${errors ? `$(error) ${errors} ` : ''}${warnings ? `$(warning) ${warnings} ` : ''}${changed ? '· on this branch' : ''}`.trim(),
        detail: path.relative(session.workspaceFolder ?? session.project.root, m.dir) || m.dir,
        session,
        name: m.name,
      });
    }
  }
  if (!items.length) {
    void vscode.window.showInformationMessage('Preflight found no Prisma migrations in this workspace.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Migration folder (newest first)', matchOnDetail: true });
  return pick ? { session: pick.session, name: pick.name } : undefined;
}
