/**
 * The Migrations tree of the Preflight sidebar: every migration folder, newest first, with an
 * icon for the worst finding of its analysis and the checklist progress read from its file.
 * With several Prisma projects in the workspace, each is a node of its own.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findingCounts } from '../plain-words';
import type { ProjectSession } from '../project-session';
import type { WorkspaceAnalyzer } from '../workspace-analyzer';
import type { ChecklistService } from './checklist-service';
import { progressOfFile } from './view-models';

export const SHOW_CHECKLIST_COMMAND = 'preflight.checklist.show';

export type MigrationNode =
  | { kind: 'project'; session: ProjectSession }
  | { kind: 'migration'; session: ProjectSession; name: string; dir: string; sqlFile: string | null };

export class MigrationsTree implements vscode.TreeDataProvider<MigrationNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MigrationNode | undefined>();
  private readonly nodes = new Map<string, MigrationNode>();
  private timer: NodeJS.Timeout | undefined;

  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly analyzer: WorkspaceAnalyzer,
    private readonly checklists: ChecklistService,
  ) {}

  /** Redraws the tree soon (changes come in bursts: analyses, file events). */
  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, 100);
  }

  getChildren(node?: MigrationNode): MigrationNode[] {
    if (!node) {
      const sessions = this.analyzer.all().filter((s) => s.project.migrationsDir);
      return sessions.length === 1 ? this.migrationsOf(sessions[0]) : sessions.map((session) => this.node(`project:${session.key}`, { kind: 'project', session }));
    }
    return node.kind === 'project' ? this.migrationsOf(node.session) : [];
  }

  getParent(node: MigrationNode): MigrationNode | undefined {
    if (node.kind === 'project') return undefined;
    const sessions = this.analyzer.all().filter((s) => s.project.migrationsDir);
    return sessions.length === 1 ? undefined : this.node(`project:${node.session.key}`, { kind: 'project', session: node.session });
  }

  /** The node of a migration folder, for revealing it. */
  nodeOf(dir: string): MigrationNode | undefined {
    const session = this.analyzer.sessionOf(dir);
    const m = session?.project.migrations.find((x) => path.relative(x.dir, dir) === '');
    return session && m ? this.node(`migration:${m.dir}`, { kind: 'migration', session, name: m.name, dir: m.dir, sqlFile: m.sqlFile }) : undefined;
  }

  getTreeItem(node: MigrationNode): vscode.TreeItem {
    if (node.kind === 'project') {
      const p = node.session.project;
      const item = new vscode.TreeItem(path.relative(node.session.workspaceFolder ?? p.root, p.migrationsDir ?? p.root) || p.root, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `project:${node.session.key}`;
      item.iconPath = new vscode.ThemeIcon('database');
      item.description = `${p.migrations.length} migrations`;
      return item;
    }
    const { title, when } = splitMigrationName(node.name);
    const item = new vscode.TreeItem(title, vscode.TreeItemCollapsibleState.None);
    item.id = `migration:${node.dir}`;
    const findings = node.session.analysis?.result.findings.filter((f) => f.migration === node.name) ?? [];
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    const infos = findings.length - errors - warnings;
    const file = this.checklists.readFile(node.dir);
    const progress = file ? progressOfFile(file) : null;
    const tooltip = [when ? `${title}\n${node.name} (${when})` : node.name];
    if (!node.sqlFile) {
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
      item.description = 'no migration.sql';
      tooltip.push('This folder has no migration.sql: prisma migrate deploy fails on it.');
    } else {
      item.iconPath = !node.session.analysis
        ? new vscode.ThemeIcon('circle-outline')
        : errors
          ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
          : warnings
            ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
            : infos
              ? new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'))
              : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
      // Only the counter beside the name: a 170 px sidebar leaves room for little else. The date and
      // the full folder name are in the tooltip.
      item.description = progress ? `${progress.done}/${progress.total}` : '';
      tooltip.push(node.session.analysis ? capitalise(findingCounts(errors, warnings, infos)) : 'Not analysed yet');
      tooltip.push(progress ? `Checklist: ${progress.done} of ${progress.total} items ticked` : 'No checklist file yet');
      if (node.session.branch?.changed.has(node.name)) tooltip.push(`Changed on this branch (since ${node.session.branch.label})`);
      item.command = { command: SHOW_CHECKLIST_COMMAND, title: 'Show Checklist', arguments: [node.dir] };
    }
    item.tooltip = tooltip.join('\n');
    item.contextValue = node.sqlFile ? (progress ? 'preflight.migration.withChecklist' : 'preflight.migration') : 'preflight.strayFolder';
    item.accessibilityInformation = { label: `${node.name}${progress ? `, checklist ${progress.done} of ${progress.total}` : ''}${errors ? `, ${errors} errors` : ''}${warnings ? `, ${warnings} warnings` : ''}` };
    return item;
  }

  private migrationsOf(session: ProjectSession): MigrationNode[] {
    return [...session.project.migrations].reverse().map((m) => this.node(`migration:${m.dir}`, { kind: 'migration', session, name: m.name, dir: m.dir, sqlFile: m.sqlFile }));
  }

  /** One object per node id, updated in place, so reveal() and the view agree on identity. */
  private node(id: string, fresh: MigrationNode): MigrationNode {
    const known = this.nodes.get(id);
    if (known) {
      Object.assign(known, fresh);
      return known;
    }
    this.nodes.set(id, fresh);
    return fresh;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/**
 * Prisma names folders `<YYYYMMDDHHMMSS>_<name>`: the tree shows the name, the tooltip the time
 * and the full folder name (the sidebar is narrow).
 */
export function splitMigrationName(folder: string): { title: string; when: string } {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_(.+)$/.exec(folder);
  return m ? { title: m[7], when: `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}` } : { title: folder, when: '' };
}
